// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// One vsock stream connection relayed to a host unix socket: its state
// machine (VIRTIO 1.2 §5.10.6.4-5), credit accounting (§5.10.6.3) and the
// bytes on their way to the host. It never touches the event loop: the
// muxer registers its socket and follows wanted_events().
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/vsock_packet.hpp>

namespace vmm::virtio {

// The receive buffer we advertise per connection (buf_alloc): the most we
// ever hold for one connection when its host socket is slow.
inline constexpr uint32_t kBufAlloc = 256 * 1024;
// Announce freed credit once this much was consumed, or when the guest's
// view of our free space drops below it.
inline constexpr uint32_t kCreditUpdateThreshold = 64 * 1024;

struct ConnectionKey {
  uint32_t local_port = 0;  // host side
  uint32_t peer_port = 0;   // guest side
  auto operator<=>(const ConnectionKey&) const = default;
};

enum class ConnectionState {
  kLocalInit,    // host client asked for it: REQUEST queued/sent, waiting for the guest's RESPONSE
  kEstablished,  // data flows both ways
  kClosing,      // host side gone: SHUTDOWN queued/sent, waiting for the guest's RST
};

// What the muxer does with a connection after an event.
enum class Verdict {
  kKeep,
  kReset,   // send the guest an RST and forget the connection
  kForget,  // forget it without telling the guest (it sent the RST)
};

// The packet a connection sends the guest next.
enum class Outgoing { kNone, kRequest, kResponse, kData, kCreditUpdate, kShutdown };

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  Connection(Fd socket, ConnectionKey key, ConnectionState state, uint64_t guest_cid);

  [[nodiscard]] const ConnectionKey& key() const { return key_; }
  [[nodiscard]] ConnectionState state() const { return state_; }
  [[nodiscard]] Clock::time_point state_since() const { return state_since_; }
  [[nodiscard]] int socket_fd() const { return socket_.get(); }

  void queue_request() { pending_ |= kPendingRequest; }
  // Every packet carries the sender's credit (§5.10.6.3).
  void update_peer_credit(const VsockHeader& header) {
    peer_buf_alloc_ = header.buf_alloc;
    peer_fwd_cnt_ = header.fwd_cnt;
  }
  void queue_response() { pending_ |= kPendingResponse; }

  // A packet from the guest for this connection; `payload` holds at least header.len bytes.
  Verdict on_guest_packet(const VsockHeader& header, ChainReader& payload);
  // The host socket is ready (epoll mask).
  Verdict on_host_event(uint32_t events);

  // Whether a packet for the guest may be pending (no syscall).
  [[nodiscard]] bool may_send() const;
  // Decides the next packet, probing the socket for data or EOF.
  Outgoing prepare_next();
  // Writes the packet prepare_next() chose (header and payload) into `out`,
  // which has room for at least the header; returns the bytes written.
  // `scratch` bounds the payload read from the host socket.
  Result<uint32_t> write_next(ChainWriter& out, std::span<uint8_t> scratch);

  // The socket: still needed (false once closing), polled at all (false
  // after a hang-up, when what is left is read without waiting), and for what.
  [[nodiscard]] bool needs_socket() const { return socket_.valid() && state_ != ConnectionState::kClosing; }
  [[nodiscard]] bool wants_polling() const { return needs_socket() && !hung_up_; }
  [[nodiscard]] uint32_t wanted_events() const;
  void close_socket() { socket_.reset(); }
  [[nodiscard]] Fd take_socket() { return std::move(socket_); }

  // Muxer bookkeeping: the socket's loop registration and the rx schedule.
  bool registered = false;
  uint32_t registered_events = 0;
  bool queued_for_rx = false;

 private:
  static constexpr uint32_t kPendingRequest = 1;
  static constexpr uint32_t kPendingResponse = 2;
  static constexpr uint32_t kPendingCreditUpdate = 4;
  static constexpr uint32_t kPendingShutdown = 8;

  Verdict on_response();
  Verdict on_data(const VsockHeader& header, ChainReader& payload);
  Verdict on_shutdown(uint32_t flags);
  Verdict flush_to_host();
  void host_closed();
  void maybe_queue_credit_update();
  [[nodiscard]] bool can_read_host() const;
  [[nodiscard]] uint32_t peer_credit() const;
  [[nodiscard]] size_t unsent_to_host() const { return to_host_.size() - to_host_sent_; }
  Result<uint32_t> put(ChainWriter& out, VsockOp op, uint32_t flags, std::span<const uint8_t> payload);
  Result<uint32_t> write_data(ChainWriter& out, std::span<uint8_t> scratch);
  void set_state(ConnectionState state);

  Fd socket_;
  ConnectionKey key_;
  ConnectionState state_;
  Clock::time_point state_since_;
  uint64_t guest_cid_;
  uint32_t pending_ = 0;  // kPending* bits
  Outgoing next_ = Outgoing::kNone;

  // Guest -> host. rx_cnt_ counts payload bytes received, fwd_cnt_ those
  // written to the socket; the difference is what to_host_ still holds.
  std::string ok_line_;  // "OK <port>\n" for a host-initiated connection, before any data
  std::vector<uint8_t> to_host_;
  size_t to_host_sent_ = 0;
  uint32_t rx_cnt_ = 0;
  uint32_t fwd_cnt_ = 0;
  uint32_t last_sent_fwd_cnt_ = 0;  // what the guest last heard
  bool guest_shut_send_ = false;
  bool guest_shut_rcv_ = false;
  bool close_after_flush_ = false;
  bool host_write_shut_ = false;

  // Host -> guest: the guest's buffer space (§5.10.6.3), counters mod 2^32.
  uint32_t peer_buf_alloc_ = 0;
  uint32_t peer_fwd_cnt_ = 0;
  uint32_t tx_cnt_ = 0;
  bool host_readable_ = false;
  bool hung_up_ = false;
};

}  // namespace vmm::virtio
