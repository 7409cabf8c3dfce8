// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/control_server.hpp>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "unix_socket.hpp"

namespace vmm {

namespace {
constexpr size_t kMaxClients = 16;
}

Result<std::unique_ptr<ControlServer>> ControlServer::create(const std::string& path, EventLoop& loop,
                                                             Handler handler) {
  auto listener = listen_unix(path);
  if (!listener) return listener.error().with_context("control socket");
  std::unique_ptr<ControlServer> server(new ControlServer(loop, std::move(*listener), path, std::move(handler)));
  VMM_TRY(loop.add(server->listener_.get(), EPOLLIN, *server));
  return server;
}

ControlServer::~ControlServer() {
  for (auto& client : clients_) (void)loop_.remove(client->fd.get());
  (void)loop_.remove(listener_.get());
  ::unlink(path_.c_str());
}

void ControlServer::on_event(int fd, uint32_t events) {
  if (fd == listener_.get()) return accept_one();
  auto it = std::find_if(clients_.begin(), clients_.end(), [fd](const auto& c) { return c->fd.get() == fd; });
  if (it == clients_.end()) return;
  if ((events & EPOLLIN) == 0) return drop(fd);
  serve(**it);
}

void ControlServer::accept_one() {
  auto client = accept_client(listener_.get());
  if (!client || !client->valid()) return;
  if (clients_.size() >= kMaxClients) return;  // dropping the Fd closes it
  auto entry = std::make_unique<Client>();
  entry->fd = std::move(*client);
  if (!loop_.add(entry->fd.get(), EPOLLIN | EPOLLRDHUP, *this)) return;
  clients_.push_back(std::move(entry));
}

void ControlServer::serve(Client& client) {
  int fd = client.fd.get();
  auto room = client.lines.writable();
  if (room.empty()) {  // the pending line is already over the limit
    reply(fd, format_error_response({}, "request line longer than " + std::to_string(kMaxControlLineBytes) + " bytes"));
    return drop(fd);
  }
  ssize_t n = ::read(fd, room.data(), room.size());
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return drop(fd);
  client.lines.commit(static_cast<size_t>(n));
  for (;;) {
    auto line = client.lines.next_line();
    if (!line) {  // over-long line: answer once and hang up
      reply(fd, format_error_response({}, line.error().message()));
      return drop(fd);
    }
    if (!*line) break;
    ControlId id;
    auto request = parse_control_request(**line, id);
    reply(fd, request ? handler_(*request) : format_error_response(id, request.error().message()));
  }
}

void ControlServer::reply(int fd, std::string line) {
  line.push_back('\n');
  // Responses are small; a client that does not read them loses them.
  (void)::send(fd, line.data(), line.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

void ControlServer::drop(int fd) {
  (void)loop_.remove(fd);
  std::erase_if(clients_, [fd](const auto& c) { return c->fd.get() == fd; });
}

}  // namespace vmm
