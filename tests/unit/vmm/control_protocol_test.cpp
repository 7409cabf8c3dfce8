// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/control_protocol.hpp>
#include <vmm/vmm/error.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

TEST(ControlRequest, ParsesEveryCommand) {
  for (auto command : {ControlCommand::kStatus, ControlCommand::kPause, ControlCommand::kResume,
                       ControlCommand::kShutdown, ControlCommand::kReboot, ControlCommand::kStop}) {
    std::string line = R"({"command":")" + std::string(to_string(command)) + "\"}";
    auto request = parse_control_request(line);
    ASSERT_TRUE(request.ok()) << line << ": " << request.error().message();
    EXPECT_EQ(request->command, command);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(request->id));
    EXPECT_EQ(control_command_from_string(to_string(command)), command);
  }
}

TEST(ControlRequest, KeepsTheId) {
  auto request = parse_control_request(R"( {"id": 42, "command": "pause"} )");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(*request, (ControlRequest{ControlCommand::kPause, uint64_t{42}}));
  request = parse_control_request(R"({"command":"stop","id":"req-7"})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->id, ControlId(std::string("req-7")));
}

TEST(ControlRequest, RoundTripsThroughFormat) {
  for (const ControlRequest& request :
       {ControlRequest{ControlCommand::kStatus, {}}, ControlRequest{ControlCommand::kShutdown, uint64_t{7}},
        ControlRequest{ControlCommand::kResume, std::string("a\"b")}}) {
    std::string line = format_control_request(request);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    auto parsed = parse_control_request(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_EQ(*parsed, request);
  }
  EXPECT_EQ(format_control_request({ControlCommand::kStatus, uint64_t{1}}),
            "{\"id\":1,\"command\":\"status\"}\n");
}

TEST(ControlRequest, Rejections) {
  expect_error(parse_control_request(R"({"command":"frobnicate"})"), ControlErrc::kBadRequest,
               "unknown command \"frobnicate\" (expected status, pause, resume, shutdown, reboot or stop)");
  expect_error(parse_control_request(R"({"command":"status","force":true})"), ControlErrc::kBadRequest,
               "unknown key \"force\"");
  expect_error(parse_control_request(R"({"id":1})"), ControlErrc::kBadRequest, "\"command\" is required");
  expect_error(parse_control_request(R"({"command":1})"), ControlErrc::kBadRequest,
               "\"command\" must be a string, got integer");
  expect_error(parse_control_request(R"({"command":"STATUS"})"), ControlErrc::kBadRequest, "unknown command");
  expect_error(parse_control_request(R"(["status"])"), ControlErrc::kBadRequest,
               "must be an object, got array");
  expect_error(parse_control_request("status"), ControlErrc::kBadRequest, "line 1, column");
  expect_error(parse_control_request(""), ControlErrc::kBadRequest, "line 1, column 1");
  expect_error(parse_control_request(R"({"command":"stop","command":"status"})"), ControlErrc::kBadRequest,
               "duplicate key \"command\"");
  expect_error(parse_control_request(R"({"command":"stop","id":-1})"), ControlErrc::kBadRequest,
               "\"id\" must be a non-negative integer or a string");
  expect_error(parse_control_request(R"({"command":"stop","id":{"a":1}})"), ControlErrc::kBadRequest,
               "\"id\"");
  expect_error(parse_control_request(R"({"command":"stop","id":")" + std::string(129, 'i') + "\"}"),
               ControlErrc::kBadRequest, "\"id\"");
  expect_error(parse_control_request(R"({"command":[[[]]]})"), ControlErrc::kBadRequest, "nested deeper");
}

TEST(ControlRequest, RejectsOverlongLines) {
  std::string line = R"({"command":"status","id":")" + std::string(kMaxControlLineBytes, 'x') + "\"}";
  expect_error(parse_control_request(line), ControlErrc::kLineTooLong, "the limit is 4096");
}

TEST(ControlRequest, ReportsTheIdOfABadRequest) {
  ControlId id;
  EXPECT_FALSE(parse_control_request(R"({"id":"x1","command":"dance"})", id).ok());
  EXPECT_EQ(id, ControlId(std::string("x1")));
  id = ControlId();
  EXPECT_FALSE(parse_control_request(R"({"id":3,"bogus":1})", id).ok());
  EXPECT_EQ(id, ControlId(uint64_t{3}));
}

TEST(ControlResponse, Formats) {
  EXPECT_EQ(format_ok_response(uint64_t{5}, MachineState::kPaused),
            "{\"id\":5,\"ok\":true,\"state\":\"paused\"}\n");
  EXPECT_EQ(format_ok_response({}, MachineState::kShuttingDown),
            "{\"ok\":true,\"state\":\"shutting-down\"}\n");
  EXPECT_EQ(
      format_status_response(std::string("s"), {"vm1", MachineState::kRunning, 2, 512}),
      "{\"id\":\"s\",\"ok\":true,\"state\":\"running\",\"name\":\"vm1\",\"vcpus\":2,\"memory_mib\":512}\n");
  EXPECT_EQ(format_error_response({}, "machine is not paused", MachineState::kRunning),
            "{\"ok\":false,\"error\":\"machine is not paused\",\"state\":\"running\"}\n");
  EXPECT_EQ(format_error_response({}, "bad \"x\"\n"), "{\"ok\":false,\"error\":\"bad \\\"x\\\"\\n\"}\n");
}

TEST(ControlResponse, RoundTrips) {
  struct Case {
    std::string line;
    ControlResponse expected;
  };
  MachineStatus status{"vm1", MachineState::kRunning, 2, 512};
  for (const auto& [line, expected] : {
           Case{format_ok_response(uint64_t{1}, MachineState::kStopped),
                {uint64_t{1}, true, MachineState::kStopped, "", std::nullopt}},
           Case{format_status_response({}, status), {{}, true, MachineState::kRunning, "", status}},
           Case{format_error_response(std::string("e"), "no"),
                {std::string("e"), false, std::nullopt, "no", std::nullopt}},
       }) {
    auto parsed = parse_control_response(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(parsed.ok()) << line << parsed.error().message();
    EXPECT_EQ(*parsed, expected) << line;
  }
}

TEST(ControlResponse, ToleratesNewKeysAndRejectsBrokenOnes) {
  auto parsed = parse_control_response(R"({"ok":true,"state":"paused","uptime_s":3})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->state, MachineState::kPaused);
  expect_error(parse_control_response(R"({"state":"paused"})"), ControlErrc::kBadResponse,
               "\"ok\" is required");
  expect_error(parse_control_response(R"({"ok":true,"state":"dancing"})"), ControlErrc::kBadResponse,
               "unknown state \"dancing\"");
  expect_error(parse_control_response(R"({"ok":false})"), ControlErrc::kBadResponse, "\"error\" is required");
  expect_error(parse_control_response(R"({"ok":true,"state":"running","name":"x"})"),
               ControlErrc::kBadResponse, "without \"vcpus\"");
}

TEST(ControlResponse, LongErrorsAreCut) {
  std::string line = format_error_response({}, std::string(10 * kMaxControlErrorBytes, '\x01'));
  EXPECT_LE(line.size(), kMaxControlResponseBytes);
  auto parsed = parse_control_response(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->error.size(), kMaxControlErrorBytes);
}

TEST(MachineStateNames, RoundTrip) {
  for (auto state : {MachineState::kCreated, MachineState::kRunning, MachineState::kPaused,
                     MachineState::kShuttingDown, MachineState::kStopped})
    EXPECT_EQ(machine_state_from_string(to_string(state)), state);
  EXPECT_EQ(to_string(MachineState::kShuttingDown), "shutting-down");
  EXPECT_FALSE(machine_state_from_string("Running"));
}

}  // namespace
}  // namespace vmm
