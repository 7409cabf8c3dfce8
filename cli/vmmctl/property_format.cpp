// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "property_format.hpp"

#include <ctime>
#include <sstream>

#include "table.hpp"

namespace vmmctl {
namespace {

std::string value_text(const PropertyValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return printable(s); }
    std::string operator()(uint64_t v) const { return std::to_string(v); }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
    std::string operator()(double d) const {
      std::ostringstream out;
      out << d;
      return out.str();
    }
  };
  return std::visit(Visitor{}, value);
}

const PropertyValue* find(const PropertyList& properties, const std::string& name) {
  for (const auto& p : properties)
    if (p.name == name) return &p.value;
  return nullptr;
}

std::string text_of(const PropertyList& properties, const std::string& name) {
  const auto* v = find(properties, name);
  return v ? value_text(*v) : std::string();
}

uint64_t number_of(const PropertyList& properties, const std::string& name) {
  const auto* v = find(properties, name);
  if (v && std::holds_alternative<uint64_t>(*v)) return std::get<uint64_t>(*v);
  return 0;
}

std::string format_timestamp(uint64_t usec) {
  time_t seconds = static_cast<time_t>(usec / 1'000'000);
  tm local{};
  if (!localtime_r(&seconds, &local)) return "";
  char text[64];
  if (strftime(text, sizeof text, "%a %Y-%m-%d %H:%M:%S %Z", &local) == 0) return "";
  return text;
}

std::string memory_text(uint64_t mib) {
  if (mib != 0 && mib % 1024 == 0) return std::to_string(mib / 1024) + "G";
  return std::to_string(mib) + "M";
}

void line(std::string& out, const std::string& label, const std::string& value) {
  if (value.empty()) return;
  constexpr size_t kLabelWidth = 12;
  out += std::string(label.size() < kLabelWidth ? kLabelWidth - label.size() : 0, ' ') + label + ": " +
         value + '\n';
}

}  // namespace

std::string format_age(uint64_t seconds) {
  constexpr uint64_t kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour;
  if (seconds < kMinute) return std::to_string(seconds) + "s";
  if (seconds < kHour) return std::to_string(seconds / kMinute) + "min";
  if (seconds < kDay) {
    std::string text = std::to_string(seconds / kHour) + "h";
    if (seconds % kHour >= kMinute) text += " " + std::to_string((seconds % kHour) / kMinute) + "min";
    return text;
  }
  std::string text = std::to_string(seconds / kDay) + "d";
  if (seconds % kDay >= kHour) text += " " + std::to_string((seconds % kDay) / kHour) + "h";
  return text;
}

std::string format_show(const PropertyList& properties, const std::vector<std::string>& only) {
  std::string out;
  if (only.empty()) {
    for (const auto& p : properties) out += p.name + "=" + value_text(p.value) + "\n";
    return out;
  }
  for (const auto& name : only)
    if (const auto* v = find(properties, name)) out += name + "=" + value_text(*v) + "\n";
  return out;
}

std::string format_status(const PropertyList& properties, uint64_t now_usec) {
  std::string out = text_of(properties, "Name") + "\n";
  line(out, "UUID", text_of(properties, "UUID"));
  std::string state = text_of(properties, "State");
  if (uint64_t since = number_of(properties, "StateChangeTimestamp"); since != 0 && !state.empty()) {
    state += " since " + format_timestamp(since);
    if (now_usec >= since) state += "; " + format_age((now_usec - since) / 1'000'000) + " ago";
  }
  line(out, "State", state);
  line(out, "Unit", text_of(properties, "Unit"));
  if (uint64_t pid = number_of(properties, "MainPID"); pid != 0) line(out, "Main PID", std::to_string(pid));
  line(out, "VCPUs", text_of(properties, "VCPUs"));
  if (find(properties, "MemoryMiB")) line(out, "Memory", memory_text(number_of(properties, "MemoryMiB")));
  line(out, "Kernel", text_of(properties, "Kernel"));
  line(out, "Autostart", text_of(properties, "Autostart"));
  line(out, "Console", text_of(properties, "ConsoleSocket"));
  line(out, "Control", text_of(properties, "ControlSocket"));
  return out;
}

nlohmann::json properties_json(const PropertyList& properties) {
  auto object = nlohmann::json::object();
  for (const auto& p : properties) std::visit([&](const auto& v) { object[p.name] = v; }, p.value);
  return object;
}

}  // namespace vmmctl
