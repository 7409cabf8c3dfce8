// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The host side of the vsock device: the listening unix socket, host
// clients still sending "CONNECT <port>\n", the table of connections, and
// the schedule of packets for the guest. It knows nothing of virtqueues:
// the device hands it each tx packet and asks it to fill each rx buffer.
// Everything runs with the device lock held, on the event-loop thread,
// except reset(), which only retires fds for the loop thread to close.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <vmm/base/event_fd.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/vsock.hpp>

#include "connection.hpp"
#include "unix_socket.hpp"

namespace vmm::virtio {

// Connections plus host clients that have not sent their CONNECT line yet.
inline constexpr size_t kMaxConnections = 1024;
// Ports for host-initiated connections start here (as Firecracker's).
inline constexpr uint32_t kFirstLocalPort = uint32_t{1} << 30;
// How long a host client may take to send its CONNECT line, the guest to
// answer a host-initiated REQUEST (Firecracker: 2 s), and the guest to send
// its RST after our SHUTDOWN; checked by a timer every 500 ms.
inline constexpr auto kConnectLineTimeout = std::chrono::seconds(10);
// Generous: a guest under nested emulation takes seconds to answer.
inline constexpr auto kRequestTimeout = std::chrono::seconds(10);
inline constexpr auto kShutdownTimeout = std::chrono::seconds(2);
inline constexpr uint64_t kTimeoutSweepNs = 500'000'000;

class VsockMuxer {
 public:
  static Result<std::unique_ptr<VsockMuxer>> create(const VsockOptions& options);
  ~VsockMuxer();
  VsockMuxer(const VsockMuxer&) = delete;
  VsockMuxer& operator=(const VsockMuxer&) = delete;

  // Registers the listener and housekeeping fds; events go to `subscriber`
  // (the device), which passes them back through on_host_event().
  Result<void> attach(EventLoop& loop, EventSubscriber& subscriber);
  void detach();
  // Driver reset: every connection and host client is closed (their fds
  // leave the loop on the loop thread, woken through an eventfd).
  void reset();

  void on_host_event(int fd, uint32_t events);
  // A packet from the guest's tx queue; `payload` is what follows the header in the chain.
  void on_guest_packet(const VsockHeader& header, ChainReader& payload);

  // Whether a packet waits for the guest (may probe sockets).
  bool has_packet_for_guest();
  // Writes it into an rx chain with room for at least a header.
  Result<uint32_t> write_packet_for_guest(ChainWriter& out);

  [[nodiscard]] size_t connection_count() const { return connections_.size() + host_clients_.size(); }

 private:
  struct HostClient {
    Fd socket;
    std::string line;
    Connection::Clock::time_point since;
  };

  VsockMuxer(UnixListener listener, std::string uds_path, uint64_t guest_cid, EventFd retire_event, TimerFd timer);
  void accept_host_clients();
  void on_host_client_event(int fd, uint32_t events);
  void on_connect_line(int fd, uint32_t port);
  void open_guest_connection(const VsockHeader& header);
  void apply(Connection& connection, Verdict verdict);
  void sync(Connection& connection);
  // `key` by value: callers pass connection.key(), which dies here.
  void forget(ConnectionKey key, bool send_rst);
  void send_rst(uint32_t local_port, uint32_t peer_port);
  void sweep_timeouts();
  void close_retired();
  void retire(Fd fd);
  [[nodiscard]] Connection* find(const ConnectionKey& key);
  [[nodiscard]] uint32_t allocate_local_port();

  UnixListener listener_;
  std::string uds_path_;
  uint64_t guest_cid_;
  EventFd retire_event_;
  TimerFd timer_;
  EventLoop* loop_ = nullptr;
  EventSubscriber* subscriber_ = nullptr;

  std::map<ConnectionKey, std::unique_ptr<Connection>> connections_;
  std::unordered_map<int, ConnectionKey> by_fd_;  // registered connection sockets
  std::unordered_map<int, HostClient> host_clients_;
  std::deque<ConnectionKey> rx_ready_;  // connections that may have a packet for the guest
  std::deque<VsockHeader> rst_queue_;   // RSTs for connections already forgotten
  std::vector<Fd> retired_;             // still in the loop: closed on the loop thread
  std::vector<uint8_t> scratch_;        // one rx payload
  uint32_t next_local_port_ = kFirstLocalPort;
};

}  // namespace vmm::virtio
