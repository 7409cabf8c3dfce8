// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/vmm/control_protocol.hpp>
#include <vmm/vmm/line_buffer.hpp>

namespace vmm {

// The control socket (docs/control-protocol.md): a unix socket speaking
// JSON lines. Each request line is parsed (bounded; a bad line gets an
// error response and the connection stays usable; an over-long line closes
// it), handed to the handler on the event-loop thread, and the handler's
// response line is sent back.
class VMM_API ControlServer final : public EventSubscriber {
 public:
  // Returns the response line (without '\n') for a parsed request.
  using Handler = std::function<std::string(const ControlRequest&)>;

  static Result<std::unique_ptr<ControlServer>> create(const std::string& path, EventLoop& loop, Handler handler);
  ~ControlServer() override;

  void on_event(int fd, uint32_t events) override;

 private:
  struct Client {
    Fd fd;
    LineBuffer lines{kMaxControlLineBytes};
  };
  ControlServer(EventLoop& loop, Fd listener, std::string path, Handler handler)
      : loop_(loop), listener_(std::move(listener)), path_(std::move(path)), handler_(std::move(handler)) {}
  void accept_one();
  void serve(Client& client);
  void drop(int fd);
  static void reply(int fd, std::string line);

  EventLoop& loop_;
  Fd listener_;
  std::string path_;
  Handler handler_;
  std::vector<std::unique_ptr<Client>> clients_;
};

}  // namespace vmm
