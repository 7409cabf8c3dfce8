// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include <vmm/devices/fakes.hpp>
#include <vmm/devices/serial16550.hpp>
#include <vmm/devices/serial16550_registers.hpp>

namespace vmm {
namespace {

using namespace uart16550;

class CountingSpaceListener final : public InputSpaceListener {
 public:
  void on_input_space() override { ++count; }
  int count = 0;
};

class Serial16550Test : public ::testing::Test {
 protected:
  uint8_t in(Register r) { return uart.read(static_cast<uint8_t>(r)); }
  void out(Register r, uint8_t value) { uart.write(static_cast<uint8_t>(r), value); }
  size_t enqueue(std::vector<uint8_t> bytes) { return uart.enqueue_input(bytes); }

  fakes::CountingInterruptLine irq;
  fakes::CollectingSink sink;
  CountingSpaceListener space;
  Serial16550 uart{irq, sink, &space};
};

TEST_F(Serial16550Test, ResetValuesMatchTheDatasheet) {
  EXPECT_EQ(in(Register::kIer), 0x00);
  EXPECT_EQ(in(Register::kIir), kIirNoInterrupt);
  EXPECT_EQ(in(Register::kLcr), 0x00);
  EXPECT_EQ(in(Register::kMcr), 0x00);
  EXPECT_EQ(in(Register::kLsr), kLsrThrEmpty | kLsrTransmitterEmpty);
  EXPECT_EQ(in(Register::kMsr), kMsrDcd | kMsrDsr | kMsrCts);
  EXPECT_EQ(in(Register::kScr), 0x00);
  EXPECT_EQ(irq.count, 0);
}

TEST_F(Serial16550Test, TransmitsToTheSinkAtOnce) {
  for (uint8_t byte : {'o', 'k', '\n'}) out(Register::kThr, byte);
  EXPECT_EQ(sink.bytes, (std::vector<uint8_t>{'o', 'k', '\n'}));
  EXPECT_EQ(in(Register::kLsr) & (kLsrThrEmpty | kLsrTransmitterEmpty), kLsrThrEmpty | kLsrTransmitterEmpty);
}

TEST_F(Serial16550Test, DivisorLatchRoundTrip) {
  out(Register::kLcr, kLcrDivisorLatch | 0x03);
  out(Register::kDll, 0x01);  // 115200 baud
  out(Register::kDlm, 0x02);
  EXPECT_EQ(in(Register::kDll), 0x01);
  EXPECT_EQ(in(Register::kDlm), 0x02);
  EXPECT_TRUE(sink.bytes.empty());      // not transmitted
  out(Register::kLcr, 0x03);            // 8N1, DLAB off
  EXPECT_EQ(in(Register::kIer), 0x00);  // IER untouched by the DLM write
  out(Register::kThr, 'x');
  EXPECT_EQ(sink.bytes, std::vector<uint8_t>{'x'});
  out(Register::kLcr, kLcrDivisorLatch);
  EXPECT_EQ(in(Register::kDll), 0x01);  // untouched by the THR write
  EXPECT_EQ(in(Register::kLcr), kLcrDivisorLatch);
}

// drivers/tty/serial/8250/8250_port.c, autoconfig(): IER, loopback MSR and
// FIFO checks that decide the port is a 16550A.
TEST_F(Serial16550Test, PassesTheLinux8250Probe) {
  out(Register::kIer, 0x00);
  EXPECT_EQ(in(Register::kIer)&0x0f, 0x00);
  out(Register::kIer, 0x0f);
  EXPECT_EQ(in(Register::kIer)&0x0f, 0x0f);
  out(Register::kIer, 0x00);
  out(Register::kScr, 0xa5);
  EXPECT_EQ(in(Register::kScr), 0xa5);
  out(Register::kMcr, kMcrLoopback | 0x0a);  // loopback, OUT2, RTS
  EXPECT_EQ(in(Register::kMsr)&0xf0, 0x90);  // DCD (from OUT2), CTS (from RTS)
  out(Register::kMcr, 0x00);
  EXPECT_EQ(in(Register::kMsr)&0xf0, 0xb0);
  out(Register::kLcr, 0x00);
  out(Register::kFcr, kFcrEnableFifos);
  EXPECT_EQ(in(Register::kIir) >> 6, 3);  // 16550A: FIFOs work
  // The 16750 test: FCR bit 5 with DLAB set must not show in IIR bit 5.
  out(Register::kLcr, kLcrDivisorLatch);
  out(Register::kFcr, kFcrEnableFifos | 0x20);
  EXPECT_EQ(in(Register::kIir)&0x30, 0x00);
  out(Register::kLcr, 0x00);
  out(Register::kIer, 0x40);  // the XScale UUE test: bit 6 must not stick
  EXPECT_EQ(in(Register::kIer), 0x00);
}

TEST_F(Serial16550Test, StoresLineAndModemControl) {
  out(Register::kLcr, 0x1b);
  EXPECT_EQ(in(Register::kLcr), 0x1b);
  out(Register::kMcr, 0xff);
  EXPECT_EQ(in(Register::kMcr), kMcrMask);
  EXPECT_EQ(uart.read(8), 0xff);  // past the eight registers
  uart.write(200, 0x12);
}

TEST_F(Serial16550Test, FifoFillsToSixteenAndDrainsInOrder) {
  out(Register::kFcr, kFcrEnableFifos | kFcrClearReceive | kFcrClearTransmit);
  std::vector<uint8_t> bytes;
  for (uint8_t i = 0; i < 20; ++i) bytes.push_back(i);
  EXPECT_EQ(enqueue(bytes), Serial16550::kFifoSize);
  EXPECT_EQ(uart.input_capacity(), 0u);
  EXPECT_FALSE(uart.input_space());
  for (uint8_t i = 0; i < 16; ++i) {
    EXPECT_EQ(in(Register::kLsr)&kLsrDataReady, kLsrDataReady);
    EXPECT_EQ(in(Register::kRbr), i);
  }
  EXPECT_EQ(in(Register::kLsr)&kLsrDataReady, 0);
  EXPECT_EQ(uart.input_capacity(), Serial16550::kFifoSize);
  EXPECT_EQ(in(Register::kLsr)&kLsrOverrun, 0);  // host input is refused, never overrun
}

TEST_F(Serial16550Test, WithoutFifosTheBufferHoldsOneByte) {
  EXPECT_EQ(uart.input_capacity(), 1u);
  EXPECT_EQ(enqueue({'a', 'b'}), 1u);
  EXPECT_EQ(in(Register::kRbr), 'a');
  EXPECT_EQ(in(Register::kRbr), 0);  // empty
}

TEST_F(Serial16550Test, FcrClearsTheReceiveFifo) {
  out(Register::kFcr, kFcrEnableFifos);
  EXPECT_EQ(enqueue({1, 2, 3}), 3u);
  out(Register::kFcr, kFcrEnableFifos | kFcrClearReceive);
  EXPECT_EQ(in(Register::kLsr)&kLsrDataReady, 0);
  EXPECT_EQ(enqueue({4}), 1u);
  out(Register::kFcr, 0x00);  // turning the FIFOs off clears them too
  EXPECT_EQ(in(Register::kLsr)&kLsrDataReady, 0);
  EXPECT_EQ(in(Register::kIir), kIirNoInterrupt);
}

TEST_F(Serial16550Test, LoopbackOverrunSetsOeWithFifos) {
  out(Register::kFcr, kFcrEnableFifos);
  out(Register::kMcr, kMcrLoopback);
  for (uint8_t i = 0; i < 17; ++i) out(Register::kThr, i);
  EXPECT_TRUE(sink.bytes.empty());
  EXPECT_EQ(in(Register::kLsr) & (kLsrOverrun | kLsrDataReady), kLsrOverrun | kLsrDataReady);
  EXPECT_EQ(in(Register::kLsr)&kLsrOverrun, 0);                       // cleared by reading LSR
  for (uint8_t i = 0; i < 16; ++i) EXPECT_EQ(in(Register::kRbr), i);  // the 17th was lost
  EXPECT_EQ(in(Register::kLsr)&kLsrDataReady, 0);
}

TEST_F(Serial16550Test, LoopbackOverrunWithoutFifosReplacesTheByte) {
  out(Register::kMcr, kMcrLoopback);
  out(Register::kThr, 'a');
  out(Register::kThr, 'b');
  EXPECT_EQ(in(Register::kLsr)&kLsrOverrun, kLsrOverrun);
  EXPECT_EQ(in(Register::kRbr), 'b');
}

TEST_F(Serial16550Test, LoopbackDisconnectsHostInput) {
  out(Register::kMcr, kMcrLoopback);
  EXPECT_EQ(uart.input_capacity(), 0u);
  EXPECT_EQ(enqueue({'x'}), 0u);
  out(Register::kMcr, 0x00);
  EXPECT_EQ(space.count, 1);  // the refused byte may come now
  EXPECT_EQ(enqueue({'x'}), 1u);
}

TEST_F(Serial16550Test, LoopbackModemLinesAndDeltas) {
  out(Register::kMcr, kMcrLoopback | kMcrDtr | kMcrOut1);
  EXPECT_EQ(in(Register::kMsr), kMsrDsr | kMsrRi | kMsrDeltaCts | kMsrDeltaDcd);
  EXPECT_EQ(in(Register::kMsr), kMsrDsr | kMsrRi);  // deltas cleared by the read
  out(Register::kMcr, kMcrLoopback | kMcrDtr);      // RI falls: trailing edge
  EXPECT_EQ(in(Register::kMsr), kMsrDsr | kMsrTrailingEdgeRi);
  out(Register::kMcr, kMcrLoopback | kMcrDtr | kMcrOut1);  // RI rises: no delta
  EXPECT_EQ(in(Register::kMsr), kMsrDsr | kMsrRi);
}

TEST_F(Serial16550Test, InterruptPrioritiesAndClearing) {
  out(Register::kFcr, kFcrEnableFifos);
  out(Register::kIer, kIerMask);
  out(Register::kMcr, kMcrLoopback | kMcrRts);              // modem lines change: MS pending
  for (uint8_t i = 0; i < 17; ++i) out(Register::kThr, i);  // data, overrun, THRE
  EXPECT_EQ(in(Register::kIir), kIirFifosEnabled | kIirLineStatus);
  in(Register::kLsr);
  EXPECT_EQ(in(Register::kIir), kIirFifosEnabled | kIirReceivedData);
  for (int i = 0; i < 16; ++i) in(Register::kRbr);
  EXPECT_EQ(in(Register::kIir), kIirFifosEnabled | kIirThrEmpty);
  EXPECT_EQ(in(Register::kIir), kIirFifosEnabled | kIirModemStatus);  // THRE cleared by the read
  in(Register::kMsr);
  EXPECT_EQ(in(Register::kIir), kIirFifosEnabled | kIirNoInterrupt);
}

TEST_F(Serial16550Test, DisabledConditionsDoNotShowInIir) {
  EXPECT_EQ(enqueue({'a'}), 1u);
  EXPECT_EQ(in(Register::kIir), kIirNoInterrupt);
  EXPECT_EQ(irq.count, 0);
  out(Register::kIer, kIerReceivedData);  // enabling with data waiting raises it
  EXPECT_EQ(irq.count, 1);
  EXPECT_EQ(in(Register::kIir), kIirReceivedData);
}

// Linux starts transmitting by setting IER.THRI and expects an interrupt
// although THR was already empty (serial8250_do_startup tests it twice).
TEST_F(Serial16550Test, EnablingThreRaisesAnInterrupt) {
  out(Register::kIer, kIerThrEmpty);
  EXPECT_EQ(irq.count, 1);
  EXPECT_EQ(in(Register::kIir), kIirThrEmpty);
  EXPECT_EQ(in(Register::kIir), kIirNoInterrupt);  // reading IIR cleared it
  out(Register::kIer, kIerThrEmpty);               // no change: nothing new
  EXPECT_EQ(irq.count, 1);
  out(Register::kIer, 0x00);
  out(Register::kIer, kIerThrEmpty);
  EXPECT_EQ(irq.count, 2);
  EXPECT_EQ(in(Register::kIir), kIirThrEmpty);
  out(Register::kThr, 'a');  // each byte sent empties THR again
  out(Register::kThr, 'b');
  EXPECT_EQ(irq.count, 4);
  EXPECT_EQ(in(Register::kIir), kIirThrEmpty);
}

TEST_F(Serial16550Test, ReceivedDataInterruptsOncePerBurst) {
  out(Register::kFcr, kFcrEnableFifos);
  out(Register::kIer, kIerReceivedData);
  EXPECT_EQ(irq.count, 0);
  EXPECT_EQ(enqueue({'a'}), 1u);
  EXPECT_EQ(irq.count, 1);
  EXPECT_EQ(enqueue({'b', 'c'}), 2u);
  EXPECT_EQ(irq.count, 1);  // still pending: no new edge
  for (int i = 0; i < 3; ++i) in(Register::kRbr);
  EXPECT_EQ(in(Register::kIir)&0x0f, kIirNoInterrupt);
  EXPECT_EQ(enqueue({'d'}), 1u);
  EXPECT_EQ(irq.count, 2);
}

TEST_F(Serial16550Test, FloodIsBoundedAndResumesWhenTheGuestReads) {
  out(Register::kFcr, kFcrEnableFifos);
  std::vector<uint8_t> chunk(4096, 'z');
  size_t accepted = 0;
  for (int i = 0; i < 10'000; ++i) accepted += uart.enqueue_input(chunk);
  EXPECT_EQ(accepted, Serial16550::kFifoSize);  // ~40 MB offered, 16 bytes held
  EXPECT_EQ(space.count, 0);
  in(Register::kRbr);
  EXPECT_EQ(space.count, 1);
  EXPECT_EQ(uart.input_capacity(), 1u);
  in(Register::kRbr);
  EXPECT_EQ(space.count, 1);  // told once per refusal
  EXPECT_EQ(uart.enqueue_input(chunk), 2u);
  in(Register::kRbr);
  EXPECT_EQ(space.count, 2);
}

TEST(Serial16550, WorksWithoutASpaceListener) {
  fakes::CountingInterruptLine irq;
  fakes::CollectingSink sink;
  Serial16550 uart(irq, sink);
  std::array<uint8_t, 4> bytes{1, 2, 3, 4};
  EXPECT_EQ(uart.enqueue_input(bytes), 1u);
  EXPECT_EQ(uart.read(0), 1);
  EXPECT_EQ(uart.enqueue_input(bytes), 1u);
}

}  // namespace
}  // namespace vmm
