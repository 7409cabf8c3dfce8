// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/control_protocol.hpp>
#include <vmm/vmm/error.hpp>

#include "control_json.hpp"
#include "text_checks.hpp"

namespace vmm {
namespace {

using control::OrderedJson;

OrderedJson response_head(const ControlId& id, bool ok) {
  OrderedJson out = OrderedJson::object();
  control::put_id(out, id);
  out["ok"] = ok;
  return out;
}

Result<std::optional<MachineState>> read_state(const json::ObjectReader& response) {
  VMM_TRY_ASSIGN(auto text, response.string("state"));
  if (!text) return std::optional<MachineState>();
  auto state = machine_state_from_string(*text);
  if (!state) return Error(ControlErrc::kBadResponse, "unknown state " + text::quoted(*text));
  return std::optional<MachineState>(*state);
}

// A status response is one that carries "name"; it must then carry all facts.
Result<std::optional<MachineStatus>> read_status(const json::ObjectReader& response,
                                                 std::optional<MachineState> state) {
  VMM_TRY_ASSIGN(auto name, response.string("name"));
  if (!name) return std::optional<MachineStatus>();
  if (!state) return Error(ControlErrc::kBadResponse, "status response without \"state\"");
  MachineStatus status{std::move(*name), *state, 0, 0};
  VMM_TRY_ASSIGN(auto vcpus, response.integer("vcpus", 0, UINT32_MAX));
  VMM_TRY_ASSIGN(auto memory_mib, response.integer("memory_mib", 0, UINT64_MAX));
  if (!vcpus || !memory_mib)
    return Error(ControlErrc::kBadResponse, "status response without \"vcpus\" or \"memory_mib\"");
  status.vcpus = static_cast<uint32_t>(*vcpus);
  status.memory_mib = *memory_mib;
  return std::optional<MachineStatus>(std::move(status));
}

Result<ControlResponse> read_response(const json::ObjectReader& object) {
  ControlResponse response;
  VMM_TRY_ASSIGN(response.id, control::read_id(object, ControlErrc::kBadResponse));
  VMM_TRY_ASSIGN(auto ok_flag, object.boolean("ok"));
  if (!ok_flag) return Error(ControlErrc::kBadResponse, "\"ok\" is required");
  response.ok = *ok_flag;
  VMM_TRY_ASSIGN(response.state, read_state(object));
  if (response.ok) {
    VMM_TRY_ASSIGN(response.status, read_status(object, response.state));
  } else {
    VMM_TRY_ASSIGN(response.error, object.required_string("error"));
  }
  return response;
}

}  // namespace

std::string format_ok_response(const ControlId& id, MachineState state) {
  OrderedJson out = response_head(id, true);
  out["state"] = to_string(state);
  return control::to_line(out);
}

std::string format_status_response(const ControlId& id, const MachineStatus& status) {
  OrderedJson out = response_head(id, true);
  out["state"] = to_string(status.state);
  out["name"] = status.name;
  out["vcpus"] = status.vcpus;
  out["memory_mib"] = status.memory_mib;
  return control::to_line(out);
}

std::string format_error_response(const ControlId& id, std::string_view message,
                                  std::optional<MachineState> state) {
  OrderedJson out = response_head(id, false);
  // Even escaped (6 bytes per control character) a cut message keeps the line under kMaxControlResponseBytes.
  out["error"] = message.substr(0, kMaxControlErrorBytes);
  if (state) out["state"] = to_string(*state);
  return control::to_line(out);
}

Result<ControlResponse> parse_control_response(std::string_view line) {
  if (line.size() > kMaxControlResponseBytes)
    return Error(ControlErrc::kLineTooLong, "response of " + std::to_string(line.size()) +
                                                " bytes, the limit is " +
                                                std::to_string(kMaxControlResponseBytes));
  const json::ErrorCodes codes = control::codes(ControlErrc::kBadResponse);
  VMM_TRY_ASSIGN(auto document, json::parse_document(line, codes, control::kMaxDepth));
  VMM_TRY_ASSIGN(auto object, json::ObjectReader::open(document, "", codes));
  return read_response(object);
}

}  // namespace vmm
