// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes the virtio-mmio transport (VIRTIO 1.2 §4.2.2) with a hostile
// driver: any sequence of register accesses, of guest RAM writes (rings and
// buffers) and of device-thread runs, over a small device that completes
// chains. The input is a sequence of 7-byte records:
//   byte 0     bits 0-1: 0 read, 1 write, 2 guest RAM write, 3 run the device
//              bits 2-3: access width 1 << n (1, 2, 4 or 8 bytes)
//   bytes 1-2  le16 window offset (clamped into the 4 KiB window), or for a
//              RAM write the 32-bit word index (address = 4 * index)
//   bytes 3-6  le32 value (an 8-byte write repeats it)
// Guest RAM is 1 MiB, zero at the start of each input. After every step the
// invariants in check() must hold.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>

#include <vmm/devices/fakes.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/mmio_transport.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

using namespace vmm;
using namespace vmm::virtio;
using mmio::Register;

constexpr uint64_t kRamSize = 1 << 20;
constexpr size_t kRecordSize = 7;
constexpr uint64_t kOffered = kCommonFeatures | (uint64_t{1} << 5);
constexpr uint32_t kConfigSize = 8;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "virtio_mmio invariant violated: %s\n", what);
  std::abort();
}

// Two queues (max 8 and 4), 8 writable config bytes. Serves at most a
// queue's size of chains per run, writing a short reply into each.
class ReplyDevice final : public VirtioDevice {
 public:
  static std::shared_ptr<ReplyDevice> create() {
    auto events = create_events(2);
    require(events.ok(), "eventfds can be created");
    return std::shared_ptr<ReplyDevice>(new ReplyDevice(std::move(events).value()));
  }
  DeviceType type() const override { return DeviceType::kBlock; }
  uint64_t features() const override { return kOffered; }
  uint32_t config_size() const override { return kConfigSize; }

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override {
    require(offset + data.size() <= kConfigSize, "config reads stay inside config_size");
    std::copy_n(config_.begin() + offset, data.size(), data.begin());
  }
  void write_config_locked(uint32_t offset, std::span<const uint8_t> data) override {
    require(offset + data.size() <= kConfigSize, "config writes stay inside config_size");
    std::copy(data.begin(), data.end(), config_.begin() + offset);
  }
  void process_queue(size_t index) override {
    Queue& q = queue(index);
    if (!q.ready()) return;
    bool served = false;
    for (uint32_t n = 0; n < q.size(); ++n) {
      auto popped = q.pop(memory());
      if (!popped) return fail("ring broken");
      if (!*popped) break;
      uint32_t written = 0;
      if (auto buffers = (*popped)->collect(memory())) {
        static constexpr std::array<uint8_t, 16> kReply{0x5a};
        ChainWriter writer(memory(), buffers->writable);
        auto len = static_cast<size_t>(std::min<uint64_t>(writer.remaining(), kReply.size()));
        if (writer.write(std::span(kReply).first(len))) written = writer.written();
      }
      (void)q.add_used(memory(), (*popped)->head(), written);
      served = true;
    }
    if (served) notify_used(index);
  }

 private:
  explicit ReplyDevice(Events events)
      : VirtioDevice({8, 4}, std::move(events.queues), std::move(events.wake)) {}
  std::array<uint8_t, kConfigSize> config_{};
};

uint32_t read32(MmioTransport& transport, Register reg) {
  std::array<uint8_t, 4> bytes{};
  transport.read(static_cast<uint64_t>(reg), bytes);
  return bytes[0] | bytes[1] << 8 | bytes[2] << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}

void check(MmioTransport& transport, uint32_t& generation) {
  uint32_t status = transport.status();
  require((status & ~(mmio::kStatusDriverBits | mmio::kStatusNeedsReset)) == 0, "only known status bits");
  require(read32(transport, Register::kStatus) == transport.status(), "Status reads what status() says");
  if ((status & mmio::kStatusDriverOk) != 0)
    require((status & mmio::kStatusFeaturesOk) != 0, "DRIVER_OK only after FEATURES_OK");
  if ((status & mmio::kStatusFeaturesOk) != 0) {
    require((status & mmio::kStatusDriver) != 0 && (status & mmio::kStatusAcknowledge) != 0,
            "FEATURES_OK only after ACKNOWLEDGE and DRIVER");
    uint64_t accepted = transport.driver_features();
    require((accepted & ~kOffered) == 0, "accepted features were offered");
    require((accepted & kFVersion1) != 0, "accepted features include VERSION_1");
  }
  if (transport.device().active())
    require((status & mmio::kStatusDriverOk) != 0, "the device is active only after DRIVER_OK");
  require((transport.interrupt_status() & ~mmio::kInterruptMask) == 0, "only known interrupt bits");
  require(read32(transport, Register::kMagicValue) == mmio::kMagicValue, "MagicValue is constant");
  require(read32(transport, Register::kVersion) == 2, "Version is 2");
  uint32_t now = read32(transport, Register::kConfigGeneration);
  require(now >= generation, "ConfigGeneration never goes back");
  generation = now;
}

void access(MmioTransport& transport, uint8_t op, uint16_t where, uint32_t value) {
  size_t width = size_t{1} << ((op >> 2) & 3);
  uint64_t offset =
      std::min<uint64_t>(where % MmioTransport::kWindowSize, MmioTransport::kWindowSize - width);
  std::array<uint8_t, 8> bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * (i % 4)));
  auto data = std::span(bytes).first(width);
  if ((op & 3) == 0) {
    bytes.fill(0xee);
    transport.read(offset, data);
    if (offset < MmioTransport::kConfigOffset && (width != 4 || offset % 4 != 0))
      require(std::all_of(data.begin(), data.end(), [](uint8_t b) { return b == 0; }), "bad widths read 0");
  } else {
    transport.write(offset, data);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GuestMemory& memory = vmm::fuzz::guest_memory<kRamSize>();
  require(memory.fill_zero(GuestAddress(0), kRamSize).ok(), "guest RAM can be cleared");
  fakes::CountingInterruptLine interrupt;
  auto device = ReplyDevice::create();
  MmioTransport transport(device, memory, interrupt);
  uint32_t generation = 0;

  for (size_t at = 0; at + kRecordSize <= size; at += kRecordSize) {
    uint8_t op = data[at];
    auto where = static_cast<uint16_t>(data[at + 1] | data[at + 2] << 8);
    uint32_t value =
        data[at + 3] | data[at + 4] << 8 | data[at + 5] << 16 | static_cast<uint32_t>(data[at + 6]) << 24;
    switch (op & 3) {
      case 0:
      case 1:
        access(transport, op, where, value);
        break;
      case 2:
        (void)memory.write_obj(GuestAddress(uint64_t{where} * 4), value);
        break;
      case 3:
        // What the event loop does when the queue eventfds fire.
        for (size_t i = 0; i < device->num_queues(); ++i) device->on_event(device->queue_event(i).fd(), 0);
        break;
    }
    check(transport, generation);
  }
  return 0;
}
