// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/base/result.hpp>

#include "sd_handles.hpp"

namespace vmmd {

class Manager;

// /org/vmmkit/vmm1 with org.vmmkit.vmm1.Manager (manager_object.cpp).
vmm::Result<SlotPtr> add_manager_object(Manager& manager);

// org.vmmkit.vmm1.Machine on every /org/vmmkit/vmm1/machine/NAME: a
// fallback vtable that finds the machine by its decoded name, and a node
// enumerator so introspection lists them (machine_object.cpp).
struct MachineObjectSlots {
  SlotPtr vtable;
  SlotPtr enumerator;
};
vmm::Result<MachineObjectSlots> add_machine_objects(Manager& manager);

}  // namespace vmmd
