// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <vmm/bus/bus.hpp>
#include <vmm/devices/bus_adapters.hpp>
#include <vmm/devices/fakes.hpp>
#include <vmm/devices/post_code_port.hpp>
#include <vmm/devices/serial16550_registers.hpp>

namespace vmm {
namespace {

// Counts bytes only; safe to call from several threads (the adapter's lock
// already serializes calls, the atomic keeps the test honest without it).
class CountingSink final : public ByteSink {
 public:
  void write(std::span<const uint8_t> bytes) override { count += bytes.size(); }
  std::atomic<size_t> count{0};
};

TEST(PostCodePort, AbsorbsWritesAndReadsZero) {
  Bus pio;
  auto port = std::make_shared<PostCodePort>();
  ASSERT_TRUE(pio.insert(port, PostCodePort::kPort, PostCodePort::kPortLength).ok());
  std::array<uint8_t, 1> code{0x42};
  EXPECT_TRUE(pio.write(0x80, code));
  EXPECT_EQ(port->last_code(), 0x42);
  std::array<uint8_t, 1> value{0xee};
  EXPECT_TRUE(pio.read(0x80, value));
  EXPECT_EQ(value[0], 0x00);
}

TEST(SerialBusDevice, DispatchesFromTheBus) {
  fakes::CountingInterruptLine irq;
  fakes::CollectingSink sink;
  Bus pio;
  auto serial = std::make_shared<SerialBusDevice>(irq, sink);
  ASSERT_TRUE(pio.insert(serial, Serial16550::kCom1Port, Serial16550::kPortLength).ok());
  std::array<uint8_t, 1> byte{'h'};
  EXPECT_TRUE(pio.write(0x3f8, byte));
  EXPECT_EQ(sink.bytes, std::vector<uint8_t>{'h'});
  EXPECT_TRUE(pio.read(0x3fd, byte));
  EXPECT_EQ(byte[0], uart16550::kLsrThrEmpty | uart16550::kLsrTransmitterEmpty);
  EXPECT_EQ(serial->with_model([](Serial16550& uart) { return uart.input_capacity(); }), 1u);
}

TEST(SerialBusDevice, WideAccessesSplitIntoBytes) {
  fakes::CountingInterruptLine irq;
  fakes::CollectingSink sink;
  SerialBusDevice serial(irq, sink);
  std::array<uint8_t, 2> scratch_and_beyond{};
  serial.write(7, std::array<uint8_t, 1>{0x5a});
  serial.read(6, scratch_and_beyond);  // MSR, SCR
  EXPECT_EQ(scratch_and_beyond[0], 0xb0);
  EXPECT_EQ(scratch_and_beyond[1], 0x5a);
  std::array<uint8_t, 2> word{'a', 'b'};
  serial.write(0, word);  // THR 'a', IER 'b' & 0x0f
  EXPECT_EQ(sink.bytes, std::vector<uint8_t>{'a'});
}

TEST(SerialBusDevice, VcpuThreadsAndTheEventLoopShareIt) {
  fakes::CountingInterruptLine irq;  // only touched under the adapter's lock
  CountingSink sink;
  Bus pio;
  auto serial = std::make_shared<SerialBusDevice>(irq, sink);
  ASSERT_TRUE(pio.insert(serial, 0x3f8, 8).ok());
  std::array<uint8_t, 1> fifo_on{uart16550::kFcrEnableFifos};
  pio.write(0x3fa, fifo_on);
  constexpr int kBytesPerVcpu = 20'000;
  std::atomic<bool> done{false};
  std::atomic<size_t> received{0};
  std::vector<std::thread> vcpus;
  for (int v = 0; v < 2; ++v) {
    // Both vCPUs write; only vCPU 0 reads, so "data ready" cannot be
    // consumed by the other vCPU between its LSR and RBR reads.
    vcpus.emplace_back([&, v] {
      std::array<uint8_t, 1> byte{'.'};
      for (int i = 0; i < kBytesPerVcpu; ++i) {
        pio.write(0x3f8, byte);
        std::array<uint8_t, 1> lsr{};
        pio.read(0x3fd, lsr);
        if (v == 0 && (lsr[0] & uart16550::kLsrDataReady)) {
          pio.read(0x3f8, byte);
          received++;
          byte[0] = '.';
        }
      }
    });
  }
  size_t sent = 0;
  std::thread event_loop([&] {
    std::array<uint8_t, 8> input{'i', 'n', 'p', 'u', 't', '!', '!', '!'};
    while (!done) sent += serial->with_model([&](Serial16550& uart) { return uart.enqueue_input(input); });
  });
  for (auto& vcpu : vcpus) vcpu.join();
  done = true;
  event_loop.join();
  EXPECT_EQ(sink.count, 2u * kBytesPerVcpu);
  size_t left =
      serial->with_model([](Serial16550& uart) { return Serial16550::kFifoSize - uart.input_capacity(); });
  EXPECT_EQ(received + left, sent);
}

TEST(I8042BusDevice, ResetThroughTheBus) {
  fakes::CountingInterruptLine irq;
  fakes::CountingResetLine reset;
  Bus pio;
  auto i8042 = std::make_shared<I8042BusDevice>(irq, reset);
  ASSERT_TRUE(pio.insert(i8042, I8042::kPortBase, I8042::kPortLength).ok());
  EXPECT_TRUE(pio.write(0x64, std::array<uint8_t, 1>{0xfe}));
  EXPECT_EQ(reset.count, 1);
  ASSERT_TRUE(i8042->with_model([](I8042& kbd) { return kbd.trigger_ctrl_alt_del(); }).ok());
  std::array<uint8_t, 1> byte{};
  EXPECT_TRUE(pio.read(0x60, byte));
  EXPECT_EQ(byte[0], 0x1d);
  EXPECT_TRUE(pio.read(0x61, byte));
  EXPECT_EQ(byte[0], 0x00);
}

TEST(CmosRtcBusDevice, IndexThenData) {
  Bus pio;
  auto rtc = std::make_shared<CmosRtcBusDevice>([] { return time_t{1709214307}; });
  ASSERT_TRUE(pio.insert(rtc, CmosRtc::kPortBase, CmosRtc::kPortLength).ok());
  std::array<uint8_t, 1> byte{0x04};
  EXPECT_TRUE(pio.write(0x70, byte));
  EXPECT_TRUE(pio.read(0x71, byte));
  EXPECT_EQ(byte[0], 0x13);
}

}  // namespace
}  // namespace vmm
