// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <vmm/bus/bus.hpp>
#include <vmm/devices/sink.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/kvm/vm.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/device.hpp>
#include <vmm/virtio/mmio_transport.hpp>
#include <vmm/virtio/net_rate_limiter.hpp>
#include <vmm/vmm/irqfd_line.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm {

namespace virtio {
class ConsoleDevice;
}

// Where virtio-mmio devices sit (docs/machine-config.md, "Devices"): one
// 4 KiB window each from 0xD000_0000 in the 32-bit MMIO hole (below the
// IOAPIC at 0xFEC0_0000 and the ACPI GED at 0xFED0_0000), and one IOAPIC
// pin each from 5..23, leaving out the ISA IRQs the machine uses or that
// guests expect (8 RTC, 9 the ACPI GED).
inline constexpr uint64_t kVirtioMmioStart = 0xD000'0000;
inline constexpr uint64_t kVirtioMmioPoolSize = 0x0100'0000;
inline constexpr uint32_t kVirtioFirstGsi = 5;
inline constexpr uint32_t kVirtioLastGsi = 23;

struct VirtioSlot {
  uint64_t base = 0;
  uint64_t size = 0;
  uint32_t gsi = 0;
};

// The window and IRQ of every virtio device of `config`, in the order the
// guest finds them: block, net, console, rng, vsock.
Result<std::vector<VirtioSlot>> plan_virtio_slots(const MachineConfig& config);
// " virtio_mmio.device=4K@0xd0000000:5 ..." for kernels that take their
// virtio-mmio devices from the command line (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES).
std::string virtio_cmdline_entries(std::span<const VirtioSlot> slots);

// The devices of `config` in slot order, and the console among them.
struct VirtioDeviceSet {
  std::vector<std::shared_ptr<virtio::VirtioDevice>> devices;
  std::shared_ptr<virtio::ConsoleDevice> console;
  // Throttles of rate-limited network devices (their timers join the device thread's loop).
  std::vector<std::unique_ptr<virtio::NetRateLimiter>> net_limiters;
};
// Opens the backends (image files, taps, sockets) and creates the devices
// (virtio_factory.cpp); `console` receives the virtio console's output.
Result<VirtioDeviceSet> create_virtio_devices(const MachineConfig& config, ByteSink& console);

// The machine's virtio devices behind their MMIO transports, and the thread
// that runs their requests (an event loop over the queue notifications and
// backend fds): request processing never happens on a vCPU thread.
// Notifications reach that thread through KVM ioeventfds on QueueNotify (no
// exit to userspace), completions go back through irqfds.
class VirtioDevices {
 public:
  static Result<std::unique_ptr<VirtioDevices>> attach(VirtioDeviceSet devices, std::span<const VirtioSlot> slots, Vm& vm, Bus& mmio,
                                                       GuestMemory& memory);
  // Stops the device thread (after the vCPUs are gone).
  ~VirtioDevices();
  VirtioDevices(const VirtioDevices&) = delete;
  VirtioDevices& operator=(const VirtioDevices&) = delete;

  Result<void> start();
  void stop();

  // The virtio console, when there is one and its driver is up: host input
  // goes there (hvc0) instead of the UART.
  [[nodiscard]] virtio::ConsoleDevice* active_console() const;

  [[nodiscard]] size_t size() const { return attached_.size(); }

 private:
  struct Attached {
    std::shared_ptr<virtio::VirtioDevice> device;
    std::unique_ptr<IrqFdLine> irq;
    std::shared_ptr<virtio::MmioTransport> transport;
  };
  explicit VirtioDevices(EventLoop loop) : loop_(std::move(loop)) {}
  Result<void> attach_one(std::shared_ptr<virtio::VirtioDevice> device, const VirtioSlot& slot, Vm& vm, Bus& mmio,
                          GuestMemory& memory);

  EventLoop loop_;
  std::vector<Attached> attached_;
  std::shared_ptr<virtio::ConsoleDevice> console_;
  std::vector<std::unique_ptr<virtio::NetRateLimiter>> net_limiters_;
  std::thread thread_;
};

}  // namespace vmm
