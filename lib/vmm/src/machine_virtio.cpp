// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_virtio.hpp"

#include <vmm/allocator/address_allocator.hpp>
#include <vmm/allocator/gsi_allocator.hpp>
#include <vmm/base/hex.hpp>
#include <vmm/virtio/console.hpp>
#include <vmm/virtio/net_rate_limiter.hpp>

namespace vmm {
namespace {

size_t virtio_device_count(const MachineConfig& config) {
  return config.block.size() + config.net.size() + (config.virtio_console ? 1 : 0) + (config.rng ? 1 : 0) +
         (config.vsock ? 1 : 0);
}

}  // namespace

Result<std::vector<VirtioSlot>> plan_virtio_slots(const MachineConfig& config) {
  VMM_TRY_ASSIGN(AddressAllocator windows, AddressAllocator::create(kVirtioMmioStart, kVirtioMmioPoolSize));
  VMM_TRY_ASSIGN(GsiAllocator gsis, GsiAllocator::create(kVirtioFirstGsi, kVirtioLastGsi));
  VMM_TRY(gsis.allocate_at(8));  // CMOS RTC
  VMM_TRY(gsis.allocate_at(9));  // ACPI GED (kAcpiGedIrq)
  std::vector<VirtioSlot> slots;
  for (size_t i = 0; i < virtio_device_count(config); ++i) {
    auto window = windows.allocate(virtio::MmioTransport::kWindowSize, virtio::MmioTransport::kWindowSize);
    auto gsi = gsis.allocate();
    if (!window || !gsi)
      return Error(std::make_error_code(std::errc::no_space_on_device),
                   "too many virtio devices: " + std::to_string(virtio_device_count(config)) +
                       " asked for, no MMIO window or interrupt left for device " + std::to_string(i));
    slots.push_back(VirtioSlot{window->start, window->size, *gsi});
  }
  return slots;
}

std::string virtio_cmdline_entries(std::span<const VirtioSlot> slots) {
  std::string entries;
  for (const auto& slot : slots)
    entries += " virtio_mmio.device=" + std::to_string(slot.size >> 10) + "K@" + hex(slot.base) + ":" +
               std::to_string(slot.gsi);
  return entries;
}

Result<std::unique_ptr<VirtioDevices>> VirtioDevices::attach(VirtioDeviceSet set, std::span<const VirtioSlot> slots,
                                                             Vm& vm, Bus& mmio, GuestMemory& memory) {
  auto& devices = set.devices;
  if (devices.size() != slots.size())
    return Error(std::make_error_code(std::errc::invalid_argument), "virtio devices and slots differ in number");
  VMM_TRY_ASSIGN(EventLoop loop, EventLoop::create());
  std::unique_ptr<VirtioDevices> attached(new VirtioDevices(std::move(loop)));
  attached->attached_.reserve(devices.size());
  attached->console_ = std::move(set.console);
  for (auto& limiter : set.net_limiters) {
    VMM_TRY(limiter->attach_to(attached->loop_));
    attached->net_limiters_.push_back(std::move(limiter));
  }
  for (size_t i = 0; i < devices.size(); ++i)
    VMM_TRY(attached->attach_one(std::move(devices[i]), slots[i], vm, mmio, memory));
  return attached;
}

Result<void> VirtioDevices::attach_one(std::shared_ptr<virtio::VirtioDevice> device, const VirtioSlot& slot, Vm& vm,
                                       Bus& mmio, GuestMemory& memory) {
  VMM_TRY_ASSIGN(IrqFdLine irq, IrqFdLine::create(vm, slot.gsi));
  auto line = std::make_unique<IrqFdLine>(std::move(irq));
  auto transport = std::make_shared<virtio::MmioTransport>(device, memory, *line);
  VMM_TRY(mmio.insert(transport, slot.base, slot.size));
  for (size_t q = 0; q < device->num_queues(); ++q) {
    IoEventAddress notify{IoEventAddress::Space::kMmio, slot.base + virtio::MmioTransport::kQueueNotifyOffset, 4,
                          true, q};
    VMM_TRY(vm.register_ioeventfd(device->queue_event(q), notify));
  }
  VMM_TRY(device->attach_to(loop_));
  attached_.push_back(Attached{std::move(device), std::move(line), std::move(transport)});
  return ok();
}

VirtioDevices::~VirtioDevices() {
  stop();
  for (auto& limiter : net_limiters_) limiter->detach_from(loop_);
  for (auto& entry : attached_) entry.device->detach_from(loop_);
}

Result<void> VirtioDevices::start() {
  if (thread_.joinable() || attached_.empty()) return ok();
  thread_ = std::thread([this] { (void)loop_.run(); });
  return ok();
}

void VirtioDevices::stop() {
  if (!thread_.joinable()) return;
  loop_.stop();
  thread_.join();
}

virtio::ConsoleDevice* VirtioDevices::active_console() const {
  if (!console_ || !console_->ready_for_input()) return nullptr;
  return console_.get();
}

}  // namespace vmm
