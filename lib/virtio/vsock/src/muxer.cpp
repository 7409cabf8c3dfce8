// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "muxer.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>



namespace vmm::virtio {
namespace {

// The largest payload of one rx packet (Linux uses 64 KiB rx buffers at most).
constexpr size_t kMaxRxPayload = 64 * 1024;

}  // namespace

Result<std::unique_ptr<VsockMuxer>> VsockMuxer::create(const VsockOptions& options) {
  VMM_TRY_ASSIGN(UnixListener listener, listen_unix(options.uds_path));
  VMM_TRY_ASSIGN(EventFd retire_event, EventFd::create());
  VMM_TRY_ASSIGN(TimerFd timer, TimerFd::create());
  return std::unique_ptr<VsockMuxer>(new VsockMuxer(std::move(listener), options.uds_path, options.guest_cid,
                                                    std::move(retire_event), std::move(timer)));
}

VsockMuxer::VsockMuxer(UnixListener listener, std::string uds_path, uint64_t guest_cid, EventFd retire_event,
                       TimerFd timer)
    : listener_(std::move(listener)),
      uds_path_(std::move(uds_path)),
      guest_cid_(guest_cid),
      retire_event_(std::move(retire_event)),
      timer_(std::move(timer)),
      scratch_(kMaxRxPayload) {}

VsockMuxer::~VsockMuxer() { remove_socket_file(listener_); }

Result<void> VsockMuxer::attach(EventLoop& loop, EventSubscriber& subscriber) {
  VMM_TRY(loop.add(listener_.fd.get(), EPOLLIN, subscriber));
  VMM_TRY(loop.add(retire_event_.fd(), EPOLLIN, subscriber));
  VMM_TRY(loop.add(timer_.fd(), EPOLLIN, subscriber));
  VMM_TRY(timer_.arm(kTimeoutSweepNs, kTimeoutSweepNs));
  loop_ = &loop;
  subscriber_ = &subscriber;
  return ok();
}

void VsockMuxer::detach() {
  if (loop_ == nullptr) return;
  reset();
  close_retired();
  (void)timer_.disarm();
  (void)loop_->remove(timer_.fd());
  (void)loop_->remove(retire_event_.fd());
  (void)loop_->remove(listener_.fd.get());
  loop_ = nullptr;
  subscriber_ = nullptr;
}

void VsockMuxer::reset() {
  for (auto& [key, connection] : connections_) {
    Fd socket = connection->take_socket();
    if (connection->registered) retired_.push_back(std::move(socket));
  }
  for (auto& [fd, client] : host_clients_) retired_.push_back(std::move(client.socket));
  connections_.clear();
  by_fd_.clear();
  host_clients_.clear();
  rx_ready_.clear();
  rst_queue_.clear();
  if (!retired_.empty()) (void)retire_event_.write(1);
}

void VsockMuxer::close_retired() {
  if (loop_ != nullptr)
    for (const Fd& fd : retired_) (void)loop_->remove(fd.get());
  retired_.clear();
}

void VsockMuxer::on_host_event(int fd, uint32_t events) {
  close_retired();
  if (fd == listener_.fd.get()) return accept_host_clients();
  if (fd == retire_event_.fd()) {
    (void)retire_event_.read();
    return;
  }
  if (fd == timer_.fd()) {
    (void)timer_.read();
    return sweep_timeouts();
  }
  if (host_clients_.contains(fd)) return on_host_client_event(fd, events);
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return;
  Connection* connection = find(it->second);
  if (connection != nullptr) apply(*connection, connection->on_host_event(events));
}

void VsockMuxer::on_guest_packet(const VsockHeader& header, ChainReader& payload) {
  // The guest speaks only as itself and only to the host (§5.10.4); other packets are dropped.
  if (header.src_cid != guest_cid_ || header.dst_cid != kVsockHostCid) return;
  ConnectionKey key{header.dst_port, header.src_port};
  Connection* connection = find(key);
  if (header.len > payload.remaining()) {
    // The header claims more payload than the chain carries: hostile.
    if (connection != nullptr) forget(key, true);
    return;
  }
  if (header.type != kVsockTypeStream) {
    if (connection != nullptr) forget(key, false);
    if (!header.is(VsockOp::kRst)) send_rst(header.dst_port, header.src_port);
    return;
  }
  if (connection == nullptr) {
    if (header.is(VsockOp::kRequest)) return open_guest_connection(header);
    if (!header.is(VsockOp::kRst)) send_rst(header.dst_port, header.src_port);
    return;
  }
  apply(*connection, connection->on_guest_packet(header, payload));
}

// Guest-initiated (§5.10.6.4): host port P is the listener at uds_path_P.
void VsockMuxer::open_guest_connection(const VsockHeader& header) {
  if (connection_count() >= kMaxConnections) return send_rst(header.dst_port, header.src_port);
  auto socket = connect_unix(uds_path_ + "_" + std::to_string(header.dst_port));
  if (!socket) return send_rst(header.dst_port, header.src_port);
  ConnectionKey key{header.dst_port, header.src_port};
  auto connection = std::make_unique<Connection>(std::move(socket).value(), key, ConnectionState::kEstablished,
                                                 guest_cid_);
  connection->update_peer_credit(header);
  connection->queue_response();
  by_fd_[connection->socket_fd()] = key;
  Connection& added = *connections_.emplace(key, std::move(connection)).first->second;
  sync(added);
}

void VsockMuxer::apply(Connection& connection, Verdict verdict) {
  switch (verdict) {
    case Verdict::kKeep:
      return sync(connection);
    case Verdict::kReset:
      return forget(connection.key(), true);
    case Verdict::kForget:
      return forget(connection.key(), false);
  }
}

// Brings the loop registration and the rx schedule in line with what the
// connection wants. May forget the connection: callers must not use it after.
void VsockMuxer::sync(Connection& connection) {
  int fd = connection.socket_fd();
  if (fd >= 0 && loop_ != nullptr) {
    if (!connection.needs_socket()) {
      if (connection.registered) (void)loop_->remove(fd);
      connection.registered = false;
      by_fd_.erase(fd);
      connection.close_socket();
    } else if (!connection.wants_polling()) {
      if (connection.registered) (void)loop_->remove(fd);
      connection.registered = false;
    } else {
      uint32_t events = connection.wanted_events();
      bool registered = connection.registered
                            ? (events == connection.registered_events || loop_->modify(fd, events).ok())
                            : loop_->add(fd, events, *subscriber_).ok();
      if (!registered) return forget(connection.key(), true);
      connection.registered = true;
      connection.registered_events = events;
    }
  }
  if (connection.may_send() && !connection.queued_for_rx) {
    connection.queued_for_rx = true;
    rx_ready_.push_back(connection.key());
  }
}

void VsockMuxer::forget(ConnectionKey key, bool rst) {
  auto it = connections_.find(key);
  if (it == connections_.end()) return;
  Connection& connection = *it->second;
  int fd = connection.socket_fd();
  if (fd >= 0) {
    if (connection.registered && loop_ != nullptr) (void)loop_->remove(fd);
    by_fd_.erase(fd);
  }
  if (connection.queued_for_rx) std::erase(rx_ready_, key);
  connections_.erase(it);
  if (rst) send_rst(key.local_port, key.peer_port);
}

void VsockMuxer::send_rst(uint32_t local_port, uint32_t peer_port) {
  // Bounded: a guest that floods us with bad packets and gives no rx
  // buffers loses RSTs, not host memory.
  if (rst_queue_.size() >= kMaxConnections) return;
  VsockHeader header;
  header.src_cid = kVsockHostCid;
  header.dst_cid = guest_cid_;
  header.src_port = local_port;
  header.dst_port = peer_port;
  header.op = static_cast<uint16_t>(VsockOp::kRst);
  header.buf_alloc = kBufAlloc;
  rst_queue_.push_back(header);
}

bool VsockMuxer::has_packet_for_guest() {
  if (!rst_queue_.empty()) return true;
  for (size_t checked = 0, queued = rx_ready_.size(); checked < queued && !rx_ready_.empty(); ++checked) {
    Connection* connection = find(rx_ready_.front());
    if (connection != nullptr && connection->prepare_next() != Outgoing::kNone) return true;
    rx_ready_.pop_front();
    if (connection == nullptr) continue;
    connection->queued_for_rx = false;
    sync(*connection);  // e.g. poll for EPOLLIN again
  }
  return false;
}

Result<uint32_t> VsockMuxer::write_packet_for_guest(ChainWriter& out) {
  if (!rst_queue_.empty()) {
    auto bytes = encode_vsock_header(rst_queue_.front());
    rst_queue_.pop_front();
    VMM_TRY(out.write(bytes));
    return out.written();
  }
  ConnectionKey key = rx_ready_.front();
  rx_ready_.pop_front();
  Connection* connection = find(key);
  if (connection == nullptr) return uint32_t{0};
  connection->queued_for_rx = false;
  auto written = connection->write_next(out, scratch_);
  if (!written) {
    // The rx buffer is not guest RAM: the packet is lost, and with it the stream.
    forget(key, true);
    return written;
  }
  sync(*connection);  // back in the queue, last, if it has more
  return written;
}

Connection* VsockMuxer::find(const ConnectionKey& key) {
  auto it = connections_.find(key);
  return it == connections_.end() ? nullptr : it->second.get();
}

}  // namespace vmm::virtio
