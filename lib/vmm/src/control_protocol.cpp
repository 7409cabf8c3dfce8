// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/control_protocol.hpp>

#include <array>
#include <utility>

#include <vmm/vmm/error.hpp>

#include "control_json.hpp"
#include "text_checks.hpp"

namespace vmm {
namespace {

constexpr std::array<std::pair<ControlCommand, std::string_view>, 6> kCommands{{
    {ControlCommand::kStatus, "status"},
    {ControlCommand::kPause, "pause"},
    {ControlCommand::kResume, "resume"},
    {ControlCommand::kShutdown, "shutdown"},
    {ControlCommand::kReboot, "reboot"},
    {ControlCommand::kStop, "stop"},
}};

Result<ControlCommand> read_command(const json::ObjectReader& request) {
  VMM_TRY_ASSIGN(auto name, request.required_string("command"));
  auto command = control_command_from_string(name);
  if (command) return *command;
  return Error(ControlErrc::kBadRequest, "unknown command " + text::quoted(name) +
                                             " (expected status, pause, resume, shutdown, reboot or stop)");
}

}  // namespace

namespace control {

json::ErrorCodes codes(std::error_code code) {
  return {
      .syntax = code, .unknown_key = code, .wrong_type = code, .missing_key = code, .invalid_value = code};
}

Result<ControlId> read_id(const json::ObjectReader& object, std::error_code code) {
  const json::Json* id = object.find("id");
  if (!id) return ControlId();
  if (id->is_number_unsigned()) return ControlId(id->get<uint64_t>());
  if (id->is_string() && id->get_ref<const std::string&>().size() <= kMaxControlIdBytes)
    return ControlId(id->get<std::string>());
  return Error(code, "\"id\" must be a non-negative integer or a string of at most " +
                         std::to_string(kMaxControlIdBytes) + " bytes");
}

void put_id(OrderedJson& out, const ControlId& id) {
  if (const auto* number = std::get_if<uint64_t>(&id)) out["id"] = *number;
  if (const auto* text = std::get_if<std::string>(&id)) out["id"] = *text;
}

std::string to_line(const OrderedJson& out) {
  return out.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace control

std::string_view to_string(ControlCommand command) {
  for (const auto& [entry, name] : kCommands)
    if (entry == command) return name;
  return "invalid";
}

std::optional<ControlCommand> control_command_from_string(std::string_view text) {
  for (const auto& [entry, name] : kCommands)
    if (name == text) return entry;
  return std::nullopt;
}

Result<ControlRequest> parse_control_request(std::string_view line) {
  ControlId ignored;
  return parse_control_request(line, ignored);
}

Result<ControlRequest> parse_control_request(std::string_view line, ControlId& id) {
  if (line.size() > kMaxControlLineBytes)
    return Error(ControlErrc::kLineTooLong, "request of " + std::to_string(line.size()) +
                                                " bytes, the limit is " +
                                                std::to_string(kMaxControlLineBytes));
  const json::ErrorCodes codes = control::codes(ControlErrc::kBadRequest);
  VMM_TRY_ASSIGN(auto document, json::parse_document(line, codes, control::kMaxDepth));
  VMM_TRY_ASSIGN(auto request, json::ObjectReader::open(document, "", codes));
  VMM_TRY_ASSIGN(id, control::read_id(request, ControlErrc::kBadRequest));
  VMM_TRY(request.only_keys({"command", "id"}));
  VMM_TRY_ASSIGN(auto command, read_command(request));
  return ControlRequest{command, id};
}

std::string format_control_request(const ControlRequest& request) {
  control::OrderedJson out = control::OrderedJson::object();
  control::put_id(out, request.id);
  out["command"] = to_string(request.command);
  return control::to_line(out);
}

}  // namespace vmm
