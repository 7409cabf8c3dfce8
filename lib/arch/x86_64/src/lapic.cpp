// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/lapic.hpp>

#include <cassert>
#include <cstring>

namespace vmm::x86_64 {
namespace {

constexpr uint32_t kDeliveryModeMask = 0x7 << 8;

void set_delivery_mode(kvm_lapic_state& lapic, size_t offset, ApicDeliveryMode mode) {
  uint32_t value = lapic_register(lapic, offset);
  set_lapic_register(lapic, offset, (value & ~kDeliveryModeMask) | (static_cast<uint32_t>(mode) << 8));
}

}  // namespace

uint32_t lapic_register(const kvm_lapic_state& lapic, size_t offset) {
  assert(offset % 16 == 0 && offset + sizeof(uint32_t) <= sizeof(lapic.regs));
  uint32_t value;
  std::memcpy(&value, lapic.regs + offset, sizeof(value));
  return value;
}

void set_lapic_register(kvm_lapic_state& lapic, size_t offset, uint32_t value) {
  assert(offset % 16 == 0 && offset + sizeof(uint32_t) <= sizeof(lapic.regs));
  std::memcpy(lapic.regs + offset, &value, sizeof(value));
}

void set_virtual_wire_mode(kvm_lapic_state& lapic) {
  set_delivery_mode(lapic, kApicLvtLint0, ApicDeliveryMode::kExtInt);
  set_delivery_mode(lapic, kApicLvtLint1, ApicDeliveryMode::kNmi);
}

}  // namespace vmm::x86_64
