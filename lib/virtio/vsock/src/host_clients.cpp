// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Host-initiated connections (Firecracker's hybrid vsock protocol): a client
// connects to uds_path and sends "CONNECT <port>\n"; the guest gets a
// REQUEST from a fresh host port; its RESPONSE makes us answer "OK <port>\n".
// Also the timeouts that keep half-open connections from piling up.
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

#include "connect_line.hpp"
#include "muxer.hpp"

namespace vmm::virtio {
namespace {

constexpr int kMaxAcceptsPerEvent = 64;

}  // namespace

void VsockMuxer::accept_host_clients() {
  for (int i = 0; i < kMaxAcceptsPerEvent; ++i) {
    auto accepted = accept_unix(listener_.fd.get());
    if (!accepted || !accepted->valid()) return;
    // Over the limit the client is closed at once: accepting it still
    // drains the listen backlog, so the listener does not stay readable.
    if (connection_count() >= kMaxConnections) continue;
    int fd = accepted->get();
    if (!loop_->add(fd, EPOLLIN, *subscriber_)) continue;
    host_clients_.emplace(fd, HostClient{std::move(accepted).value(), {}, Connection::Clock::now()});
  }
}

// Reads the CONNECT line without taking anything after its newline from the
// socket: bytes that follow belong to the stream for the guest.
void VsockMuxer::on_host_client_event(int fd, uint32_t /*events*/) {
  HostClient& client = host_clients_.at(fd);
  std::array<uint8_t, kMaxConnectLine + 1> buffer{};
  auto room = std::span(buffer).first(kMaxConnectLine + 1 - client.line.size());
  IoResult peeked = recv_some(fd, room, MSG_PEEK);
  if (peeked.would_block) return;
  auto drop = [&] {
    (void)loop_->remove(fd);
    host_clients_.erase(fd);
  };
  if (peeked.closed) return drop();
  auto peeked_bytes = room.first(peeked.bytes);
  auto newline = std::find(peeked_bytes.begin(), peeked_bytes.end(), uint8_t{'\n'});
  bool complete = newline != peeked_bytes.end();
  size_t take = complete ? static_cast<size_t>(newline - peeked_bytes.begin()) + 1 : peeked.bytes;
  IoResult taken = recv_some(fd, room.first(take));
  if (taken.bytes != take) return drop();
  client.line.append(reinterpret_cast<const char*>(room.data()), complete ? take - 1 : take);
  if (!complete) {
    if (client.line.size() > kMaxConnectLine) drop();
    return;
  }
  auto port = parse_connect_line(client.line);
  if (!port) return drop();
  on_connect_line(fd, *port);
}

void VsockMuxer::on_connect_line(int fd, uint32_t port) {
  Fd socket = std::move(host_clients_.at(fd).socket);
  host_clients_.erase(fd);
  ConnectionKey key{allocate_local_port(), port};
  auto connection = std::make_unique<Connection>(std::move(socket), key, ConnectionState::kLocalInit, guest_cid_);
  connection->registered = true;
  connection->registered_events = EPOLLIN;
  connection->queue_request();
  by_fd_[fd] = key;
  Connection& added = *connections_.emplace(key, std::move(connection)).first->second;
  sync(added);
}

// Host ports from 2^30 up, skipping ports in use; at most kMaxConnections
// are, so the search ends. 2^32-1 is VMADDR_PORT_ANY and never handed out.
uint32_t VsockMuxer::allocate_local_port() {
  constexpr uint32_t kLastLocalPort = std::numeric_limits<uint32_t>::max() - 1;
  for (size_t tries = 0; tries <= kMaxConnections; ++tries) {
    uint32_t port = next_local_port_;
    next_local_port_ = port >= kLastLocalPort ? kFirstLocalPort : port + 1;
    auto it = connections_.lower_bound(ConnectionKey{port, 0});
    if (it == connections_.end() || it->first.local_port != port) return port;
  }
  return next_local_port_;
}

void VsockMuxer::sweep_timeouts() {
  auto now = Connection::Clock::now();
  std::vector<int> stale_clients;
  for (const auto& [fd, client] : host_clients_)
    if (now - client.since > kConnectLineTimeout) stale_clients.push_back(fd);
  for (int fd : stale_clients) {
    (void)loop_->remove(fd);
    host_clients_.erase(fd);
  }
  std::vector<ConnectionKey> stale;
  for (const auto& [key, connection] : connections_) {
    auto age = now - connection->state_since();
    if ((connection->state() == ConnectionState::kLocalInit && age > kRequestTimeout) ||
        (connection->state() == ConnectionState::kClosing && age > kShutdownTimeout))
      stale.push_back(key);
  }
  for (const auto& key : stale) forget(key, true);
}

}  // namespace vmm::virtio
