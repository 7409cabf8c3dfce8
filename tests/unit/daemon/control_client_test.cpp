// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// send_control_request against a fake vmm control socket on a real sd-event
// loop: the answer, a vmm that never answers, one that hangs up, one that
// sends an endless line.
#include "control_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_error.hpp"
#include "sd_handles.hpp"

namespace vmmd {
namespace {

using namespace std::chrono_literals;

class ControlClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vmmd-control-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/control";
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(listen(listener_, 4), 0);
    sd_event* raw = nullptr;
    ASSERT_GE(sd_event_new(&raw), 0);
    event_.reset(raw);
  }
  void TearDown() override {
    if (server_.joinable()) server_.join();
    close(listener_);
    (void)std::system(("rm -rf " + dir_).c_str());
  }

  // The fake vmm: accepts one connection, reads the request, then act(fd, request).
  template <typename Act>
  void serve(Act act) {
    server_ = std::thread([this, act] {
      int fd = accept(listener_, nullptr, nullptr);
      char request[4096] = {};
      ssize_t n = read(fd, request, sizeof request - 1);
      act(fd, std::string(request, n > 0 ? static_cast<size_t>(n) : 0));
      close(fd);
    });
  }

  vmm::Result<vmm::ControlResponse> run(vmm::ControlCommand command, std::chrono::milliseconds timeout) {
    std::optional<vmm::Result<vmm::ControlResponse>> result;
    send_control_request(event_.get(), path_, command, timeout, [&](vmm::Result<vmm::ControlResponse> r) {
      result.emplace(std::move(r));
      (void)sd_event_exit(event_.get(), 0);
    });
    if (!result) (void)sd_event_loop(event_.get());
    return std::move(*result);
  }

  std::string dir_;
  std::string path_;
  int listener_ = -1;
  EventPtr event_;
  std::thread server_;
};

TEST_F(ControlClientTest, SendsTheRequestAndParsesTheAnswer) {
  std::string seen;
  serve([&seen](int fd, const std::string& request) {
    seen = request;
    std::string answer = R"({"ok":true,"state":"paused"})" "\n";
    ASSERT_EQ(write(fd, answer.data(), answer.size()), static_cast<ssize_t>(answer.size()));
  });
  auto response = run(vmm::ControlCommand::kPause, 2000ms);
  server_.join();
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_TRUE(response->ok);
  EXPECT_EQ(response->state, vmm::MachineState::kPaused);
  EXPECT_NE(seen.find("\"pause\""), std::string::npos);
}

TEST_F(ControlClientTest, AVmmThatNeverAnswersTimesOut) {
  serve([](int, const std::string&) { std::this_thread::sleep_for(500ms); });
  auto response = run(vmm::ControlCommand::kStatus, 100ms);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), make_error_code(DaemonErrc::kTimeout));
}

TEST_F(ControlClientTest, AVmmThatHangsUpFails) {
  serve([](int, const std::string&) {});
  auto response = run(vmm::ControlCommand::kStatus, 2000ms);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), make_error_code(DaemonErrc::kFailed));
}

TEST_F(ControlClientTest, AnEndlessLineIsRefusedNotBuffered) {
  serve([](int fd, const std::string&) {
    std::string junk(vmm::kMaxControlResponseBytes + 100, 'x');
    (void)!write(fd, junk.data(), junk.size());
    std::this_thread::sleep_for(200ms);
  });
  auto response = run(vmm::ControlCommand::kStatus, 2000ms);
  EXPECT_FALSE(response.ok());
}

TEST_F(ControlClientTest, NoSocketFailsAtOnce) {
  path_ = dir_ + "/absent";
  auto response = run(vmm::ControlCommand::kStatus, 2000ms);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), make_error_code(DaemonErrc::kFailed));
}

}  // namespace
}  // namespace vmmd
