// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "control_client.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <vmm/base/fd.hpp>
#include <vmm/vmm/line_buffer.hpp>

#include "daemon_error.hpp"
#include "sd_handles.hpp"
#include "unix_stream.hpp"

namespace vmmd {
namespace {

// One request in flight. Owned by its I/O event source: freeing the source
// (on completion, or with the event loop) frees it.
struct PendingRequest {
  vmm::Fd fd;
  vmm::LineBuffer buffer{vmm::kMaxControlResponseBytes};
  sd_event_source* io = nullptr;
  EventSourcePtr timer;
  std::string path;
  ControlDone done;

  void finish(vmm::Result<vmm::ControlResponse> result) {
    ControlDone callback = std::move(done);
    timer.reset();
    (void)sd_event_source_disable_unref(io);  // deletes this
    callback(std::move(result));
  }
};

int on_readable(sd_event_source* /*source*/, int /*fd*/, uint32_t /*events*/, void* userdata) {
  auto* request = static_cast<PendingRequest*>(userdata);
  auto space = request->buffer.writable();
  ssize_t n = read(request->fd.get(), space.data(), space.size());
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
  if (n < 0) {
    request->finish(vmm::Error::from_errno("read from " + request->path));
    return 0;
  }
  if (n == 0) {
    request->finish(daemon_error(DaemonErrc::kFailed, "vmm closed " + request->path + " without answering"));
    return 0;
  }
  request->buffer.commit(static_cast<size_t>(n));
  auto line = request->buffer.next_line();
  if (!line) {
    request->finish(line.error().with_context("control socket " + request->path));
  } else if (*line) {
    request->finish(vmm::parse_control_response(**line));
  }
  return 0;
}

int on_timeout(sd_event_source* /*source*/, uint64_t /*usec*/, void* userdata) {
  auto* request = static_cast<PendingRequest*>(userdata);
  request->finish(daemon_error(DaemonErrc::kTimeout, "vmm did not answer on " + request->path + " in time"));
  return 0;
}

}  // namespace

void send_control_request(sd_event* event, const std::string& path, vmm::ControlCommand command,
                          std::chrono::milliseconds timeout, ControlDone done) {
  auto fd = connect_unix(path, /*nonblocking=*/true);
  if (!fd) return done(daemon_error(DaemonErrc::kFailed, "control socket: " + fd.error().message()));
  // A request line is tens of bytes: it fits an empty socket buffer whole.
  std::string line = vmm::format_control_request({command, {}});
  ssize_t sent = send(fd->get(), line.data(), line.size(), MSG_NOSIGNAL);
  if (sent != static_cast<ssize_t>(line.size())) {
    return done(sent < 0 ? vmm::Error::from_errno("send to " + path)
                         : daemon_error(DaemonErrc::kFailed, "short send to " + path));
  }
  auto* request = new PendingRequest{std::move(*fd), vmm::LineBuffer(vmm::kMaxControlResponseBytes), nullptr, {},
                                     path, std::move(done)};
  int r = sd_event_add_io(event, &request->io, request->fd.get(), EPOLLIN, on_readable, request);
  if (r < 0) {
    ControlDone callback = std::move(request->done);
    delete request;
    return callback(vmm::Error::from_errno(-r, "watching " + path));
  }
  (void)sd_event_source_set_destroy_callback(request->io, [](void* p) { delete static_cast<PendingRequest*>(p); });
  sd_event_source* timer = nullptr;
  auto usec = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
  r = sd_event_add_time_relative(event, &timer, CLOCK_MONOTONIC, usec, 0, on_timeout, request);
  if (r < 0) return request->finish(vmm::Error::from_errno(-r, "timer for " + path));
  request->timer.reset(timer);
}

}  // namespace vmmd
