// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vmmctl {

// One row of org.vmmkit.vmm1.Manager.ListMachines (signature a(ssutso)).
struct MachineSummary {
  std::string name;
  std::string state;
  uint32_t vcpus = 0;
  uint64_t memory_mib = 0;
  std::string unit;
  std::string object_path;

  bool operator==(const MachineSummary&) const = default;
};

// One property of an org.vmmkit.vmm1.Machine object, in the order GetAll
// returned them. The value keeps its D-Bus type class: s/o → string,
// y/q/u/t → unsigned, n/i/x → signed, b → bool, d → double.
using PropertyValue = std::variant<std::string, uint64_t, int64_t, bool, double>;
struct Property {
  std::string name;
  PropertyValue value;

  bool operator==(const Property&) const = default;
};
using PropertyList = std::vector<Property>;

}  // namespace vmmctl
