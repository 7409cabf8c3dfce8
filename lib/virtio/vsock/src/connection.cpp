// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "connection.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>

#include "unix_socket.hpp"

namespace vmm::virtio {

Connection::Connection(Fd socket, ConnectionKey key, ConnectionState state, uint64_t guest_cid)
    : socket_(std::move(socket)), key_(key), state_(state), state_since_(Clock::now()), guest_cid_(guest_cid) {}

void Connection::set_state(ConnectionState state) {
  state_ = state;
  state_since_ = Clock::now();
}

Verdict Connection::on_guest_packet(const VsockHeader& header, ChainReader& payload) {
  update_peer_credit(header);
  switch (static_cast<VsockOp>(header.op)) {
    case VsockOp::kResponse:
      return on_response();
    case VsockOp::kRst:
      return Verdict::kForget;
    case VsockOp::kShutdown:
      return on_shutdown(header.flags);
    case VsockOp::kRw:
      return on_data(header, payload);
    case VsockOp::kCreditUpdate:
      return Verdict::kKeep;
    case VsockOp::kCreditRequest:
      if (state_ == ConnectionState::kEstablished) pending_ |= kPendingCreditUpdate;
      return Verdict::kKeep;
    case VsockOp::kRequest:  // a second REQUEST for a live connection
    case VsockOp::kInvalid:
      break;
  }
  return Verdict::kReset;
}

// The guest accepted a host-initiated connection: tell the host client which
// local port it got ("OK <port>\n", as Firecracker does), then relay.
Verdict Connection::on_response() {
  if (state_ != ConnectionState::kLocalInit) return Verdict::kReset;
  set_state(ConnectionState::kEstablished);
  ok_line_ = "OK " + std::to_string(key_.local_port) + "\n";
  return flush_to_host();
}

Verdict Connection::on_data(const VsockHeader& header, ChainReader& payload) {
  if (state_ == ConnectionState::kClosing) return Verdict::kKeep;  // in flight before our SHUTDOWN
  if (state_ != ConnectionState::kEstablished || guest_shut_send_) return Verdict::kReset;
  // The guest may send at most buf_alloc - (rx_cnt - fwd_cnt) bytes (§5.10.6.3).
  // More is a credit overflow: reset rather than buffer without bound.
  uint32_t buffered = rx_cnt_ - fwd_cnt_;
  if (header.len > kBufAlloc - buffered) return Verdict::kReset;
  if (header.len == 0) return Verdict::kKeep;
  size_t old_size = to_host_.size();
  to_host_.resize(old_size + header.len);
  if (!payload.read(std::span(to_host_).subspan(old_size))) return Verdict::kReset;  // a hole in the stream
  rx_cnt_ += header.len;
  return flush_to_host();
}

Verdict Connection::on_shutdown(uint32_t flags) {
  if (state_ != ConnectionState::kEstablished) return Verdict::kReset;  // also ends kClosing with our RST
  if ((flags & kVsockShutdownRcv) != 0) guest_shut_rcv_ = true;
  if ((flags & kVsockShutdownSend) != 0) guest_shut_send_ = true;
  // Both directions closed: the guest waits for our RST (§5.10.6.5), which
  // we send once what it sent has reached the host.
  if (guest_shut_rcv_ && guest_shut_send_) close_after_flush_ = true;
  return flush_to_host();
}

Verdict Connection::on_host_event(uint32_t events) {
  if ((events & (EPOLLHUP | EPOLLERR)) != 0) {
    if (state_ != ConnectionState::kEstablished) return Verdict::kReset;
    // The client is gone: nothing more can be written to it, but what it
    // sent before may still be read. Reading ends in EOF -> SHUTDOWN.
    hung_up_ = true;
    host_readable_ = true;
    ok_line_.clear();
    to_host_.clear();
    to_host_sent_ = 0;
    fwd_cnt_ = rx_cnt_;
    if (guest_shut_rcv_) host_closed();
    return Verdict::kKeep;
  }
  if ((events & EPOLLIN) != 0) host_readable_ = true;
  if ((events & EPOLLOUT) != 0) return flush_to_host();
  return Verdict::kKeep;
}

Verdict Connection::flush_to_host() {
  if (!socket_.valid()) return Verdict::kKeep;
  while (!ok_line_.empty()) {
    IoResult sent = send_some(socket_.get(), std::span(reinterpret_cast<const uint8_t*>(ok_line_.data()), ok_line_.size()));
    if (sent.closed) return Verdict::kReset;
    if (sent.would_block) return Verdict::kKeep;
    ok_line_.erase(0, sent.bytes);
  }
  while (unsent_to_host() > 0) {
    IoResult sent = send_some(socket_.get(), std::span(to_host_).subspan(to_host_sent_));
    if (sent.closed) return Verdict::kReset;
    if (sent.would_block || sent.bytes == 0) break;
    to_host_sent_ += sent.bytes;
    fwd_cnt_ += static_cast<uint32_t>(sent.bytes);
  }
  if (unsent_to_host() == 0) {
    to_host_.clear();
    to_host_sent_ = 0;
  } else if (to_host_sent_ >= to_host_.size() / 2) {
    to_host_.erase(to_host_.begin(), to_host_.begin() + static_cast<std::ptrdiff_t>(to_host_sent_));
    to_host_sent_ = 0;
  }
  maybe_queue_credit_update();
  if (unsent_to_host() > 0) return Verdict::kKeep;
  if (close_after_flush_) return Verdict::kReset;
  if (guest_shut_send_ && !host_write_shut_) {
    host_write_shut_ = true;
    (void)::shutdown(socket_.get(), SHUT_WR);
  }
  return Verdict::kKeep;
}

void Connection::maybe_queue_credit_update() {
  uint32_t unannounced = fwd_cnt_ - last_sent_fwd_cnt_;
  if (unannounced == 0) return;
  uint32_t in_guest_view = rx_cnt_ - last_sent_fwd_cnt_;
  uint32_t free_in_guest_view = in_guest_view >= kBufAlloc ? 0 : kBufAlloc - in_guest_view;
  if (unannounced >= kCreditUpdateThreshold || free_in_guest_view < kCreditUpdateThreshold)
    pending_ |= kPendingCreditUpdate;
}

// The host closed (EOF or error): tell the guest both directions are shut
// (Firecracker does the same) and wait for its RST.
void Connection::host_closed() {
  set_state(ConnectionState::kClosing);
  pending_ = kPendingShutdown;
  host_readable_ = false;
  to_host_.clear();
  to_host_sent_ = 0;
}

uint32_t Connection::peer_credit() const {
  uint32_t in_flight = tx_cnt_ - peer_fwd_cnt_;
  return in_flight >= peer_buf_alloc_ ? 0 : peer_buf_alloc_ - in_flight;
}

bool Connection::can_read_host() const {
  return state_ == ConnectionState::kEstablished && socket_.valid() && host_readable_ && !guest_shut_rcv_ &&
         peer_credit() > 0;
}

bool Connection::may_send() const { return pending_ != 0 || can_read_host(); }

uint32_t Connection::wanted_events() const {
  uint32_t events = 0;
  if (state_ == ConnectionState::kEstablished && !host_readable_ && !guest_shut_rcv_) events |= EPOLLIN;
  if (!ok_line_.empty() || unsent_to_host() > 0) events |= EPOLLOUT;
  return events;
}

Outgoing Connection::prepare_next() {
  next_ = Outgoing::kNone;
  if ((pending_ & kPendingRequest) != 0) return next_ = Outgoing::kRequest;
  if ((pending_ & kPendingResponse) != 0) return next_ = Outgoing::kResponse;
  if (can_read_host()) {
    uint8_t byte = 0;
    IoResult peeked = recv_some(socket_.get(), std::span(&byte, 1), MSG_PEEK);
    if (peeked.bytes > 0) return next_ = Outgoing::kData;
    if (peeked.would_block) {
      host_readable_ = false;  // poll again
    } else {
      host_closed();
    }
  }
  if ((pending_ & kPendingCreditUpdate) != 0) return next_ = Outgoing::kCreditUpdate;
  if ((pending_ & kPendingShutdown) != 0) return next_ = Outgoing::kShutdown;
  return next_;
}

Result<uint32_t> Connection::write_next(ChainWriter& out, std::span<uint8_t> scratch) {
  Outgoing next = std::exchange(next_, Outgoing::kNone);
  switch (next) {
    case Outgoing::kRequest:
      pending_ &= ~kPendingRequest;
      return put(out, VsockOp::kRequest, 0, {});
    case Outgoing::kResponse:
      pending_ &= ~kPendingResponse;
      return put(out, VsockOp::kResponse, 0, {});
    case Outgoing::kData:
      return write_data(out, scratch);
    case Outgoing::kShutdown:
      pending_ &= ~kPendingShutdown;
      return put(out, VsockOp::kShutdown, kVsockShutdownRcv | kVsockShutdownSend, {});
    case Outgoing::kCreditUpdate:
    case Outgoing::kNone:
      break;
  }
  return put(out, VsockOp::kCreditUpdate, 0, {});
}

// Reads from the host socket straight into the packet: never more than the
// guest's credit, the rx buffer or the scratch buffer, so nothing is held
// on this side.
Result<uint32_t> Connection::write_data(ChainWriter& out, std::span<uint8_t> scratch) {
  uint64_t room = out.remaining() - kVsockHeaderSize;
  size_t max = static_cast<size_t>(std::min<uint64_t>({room, peer_credit(), scratch.size()}));
  if (max == 0) return put(out, VsockOp::kCreditUpdate, 0, {});
  IoResult got = recv_some(socket_.get(), scratch.first(max));
  if (got.bytes == 0) {
    if (!got.closed) {
      host_readable_ = false;
      return put(out, VsockOp::kCreditUpdate, 0, {});
    }
    host_closed();
    pending_ &= ~kPendingShutdown;
    return put(out, VsockOp::kShutdown, kVsockShutdownRcv | kVsockShutdownSend, {});
  }
  tx_cnt_ += static_cast<uint32_t>(got.bytes);
  return put(out, VsockOp::kRw, 0, scratch.first(got.bytes));
}

Result<uint32_t> Connection::put(ChainWriter& out, VsockOp op, uint32_t flags, std::span<const uint8_t> payload) {
  VsockHeader header;
  header.src_cid = kVsockHostCid;
  header.dst_cid = guest_cid_;
  header.src_port = key_.local_port;
  header.dst_port = key_.peer_port;
  header.len = static_cast<uint32_t>(payload.size());
  header.op = static_cast<uint16_t>(op);
  header.flags = flags;
  header.buf_alloc = kBufAlloc;
  header.fwd_cnt = fwd_cnt_;
  // Every packet tells the guest our credit (§5.10.6.3).
  last_sent_fwd_cnt_ = fwd_cnt_;
  pending_ &= ~kPendingCreditUpdate;
  auto bytes = encode_vsock_header(header);
  VMM_TRY(out.write(bytes));
  VMM_TRY(out.write(payload));
  return out.written();
}

}  // namespace vmm::virtio
