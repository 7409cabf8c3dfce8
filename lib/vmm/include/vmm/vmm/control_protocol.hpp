// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_state.hpp>

namespace vmm {

// The control socket protocol: one JSON object per line each way, a request
// then its response (docs/control-protocol.md). Requests are parsed
// strictly; responses leniently (clients ignore keys they do not know, so
// the server can add some).

inline constexpr size_t kMaxControlLineBytes = 4096;  // without the '\n'
inline constexpr size_t kMaxControlIdBytes = 128;
inline constexpr size_t kMaxControlResponseBytes = 16 * 1024;  // without the '\n'
inline constexpr size_t kMaxControlErrorBytes = 1024;          // longer messages are cut

enum class ControlCommand {
  kStatus,    // report state and basic facts
  kPause,     // park the vCPUs
  kResume,    // unpark them
  kShutdown,  // ask the guest to power off; hard stop after shutdown_timeout_s
  kReboot,    // reserved: parsed, answered with an error until supported
  kStop,      // hard stop now
};

// "status", "pause", "resume", "shutdown", "reboot", "stop".
VMM_API std::string_view to_string(ControlCommand command);
VMM_API std::optional<ControlCommand> control_command_from_string(std::string_view text);

// A request's optional "id", echoed in its response: a non-negative integer
// or a string of at most kMaxControlIdBytes.
using ControlId = std::variant<std::monostate, uint64_t, std::string>;

struct ControlRequest {
  ControlCommand command = ControlCommand::kStatus;
  ControlId id;

  bool operator==(const ControlRequest&) const = default;
};

// Parses one request line (without its '\n'). Errors (ControlErrc) say what
// is wrong; send them back with format_error_response().
VMM_API Result<ControlRequest> parse_control_request(std::string_view line);
// The same, also storing the request's "id" whenever it could be read, so
// that an error response can still echo it.
VMM_API Result<ControlRequest> parse_control_request(std::string_view line, ControlId& id);
// The request as one line, '\n' included (for clients: vmmd, tests).
VMM_API std::string format_control_request(const ControlRequest& request);

// What a status response reports besides the state.
struct MachineStatus {
  std::string name;
  MachineState state = MachineState::kCreated;
  uint32_t vcpus = 0;
  uint64_t memory_mib = 0;

  bool operator==(const MachineStatus&) const = default;
};

// Response lines, '\n' included:
//   {"id":ID,"ok":true,"state":"paused"}
//   {"id":ID,"ok":true,"state":"running","name":"vm1","vcpus":2,"memory_mib":512}
//   {"id":ID,"ok":false,"error":"machine is not paused","state":"running"}
// "id" is left out when the request had none; "state" in an error is optional.
VMM_API std::string format_ok_response(const ControlId& id, MachineState state);
VMM_API std::string format_status_response(const ControlId& id, const MachineStatus& status);
VMM_API std::string format_error_response(const ControlId& id, std::string_view message,
                                          std::optional<MachineState> state = std::nullopt);

struct ControlResponse {
  ControlId id;
  bool ok = false;
  std::optional<MachineState> state;
  std::string error;                    // set when !ok
  std::optional<MachineStatus> status;  // set for a status response

  bool operator==(const ControlResponse&) const = default;
};

// Parses a response line (client side); unknown keys are ignored.
VMM_API Result<ControlResponse> parse_control_response(std::string_view line);

}  // namespace vmm
