// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes the 16550A model with what a hostile guest and a flooding host can
// do. The input is a sequence of 3-byte records (op, offset, value):
//   op % 3 == 0: guest reads register `offset` (offsets >= 8 included)
//   op % 3 == 1: guest writes `value` to register `offset`
//   op % 3 == 2: host enqueues `value` copies of the byte `offset`
// Invariants checked after every step are listed in check_*() below.
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include <vmm/devices/fakes.hpp>
#include <vmm/devices/serial16550.hpp>
#include <vmm/devices/serial16550_registers.hpp>

namespace {

using namespace vmm;
using namespace vmm::uart16550;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "serial16550 invariant violated: %s\n", what);
  std::abort();
}

// Registers whose reserved bits must read 0, regardless of what was written.
void check_read(uint8_t offset, uint8_t value, bool dlab) {
  switch (offset) {
    case 1:
      if (!dlab) require((value & ~kIerMask) == 0, "IER bits 4-7 read 0");
      break;
    case 2: {
      uint8_t id = value & 0x0f;
      require(id == kIirNoInterrupt || id == kIirModemStatus || id == kIirThrEmpty ||
                  id == kIirReceivedData || id == kIirLineStatus,
              "IIR identifies a known interrupt");
      require((value & 0x30) == 0, "IIR bits 4-5 read 0");
      require((value & 0xc0) == 0 || (value & 0xc0) == 0xc0, "IIR FIFO bits agree");
      break;
    }
    case 4:
      require((value & ~kMcrMask) == 0, "MCR bits 5-7 read 0");
      break;
    case 5:
      require((value & (kLsrThrEmpty | kLsrTransmitterEmpty)) == (kLsrThrEmpty | kLsrTransmitterEmpty),
              "transmitter always empty");
      require((value & 0x9c) == 0, "no parity, framing or break errors");
      break;
    default:
      if (offset >= kRegisterCount) require(value == 0xff, "unmapped offsets read 0xff");
  }
}

void check_capacity(const Serial16550& uart) {
  require(uart.input_capacity() <= Serial16550::kFifoSize, "receive buffer bounded by the FIFO");
  require(uart.input_space() == (uart.input_capacity() > 0), "input_space agrees with input_capacity");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fakes::CountingInterruptLine irq;
  fakes::CollectingSink sink;
  Serial16550 uart(irq, sink);
  uint8_t lcr = 0;
  std::vector<uint8_t> input;
  for (size_t i = 0; i + 3 <= size; i += 3) {
    uint8_t op = data[i] % 3, offset = data[i + 1], value = data[i + 2];
    int interrupts_before = irq.count;
    size_t sent_before = sink.bytes.size();
    if (op == 0) {
      check_read(offset, uart.read(offset), (lcr & kLcrDivisorLatch) != 0);
    } else if (op == 1) {
      uart.write(offset, value);
      if (offset == static_cast<uint8_t>(Register::kLcr)) lcr = value;
    } else {
      input.assign(value, offset);
      size_t capacity = uart.input_capacity();
      size_t accepted = uart.enqueue_input(input);
      require(accepted <= input.size() && accepted <= capacity, "enqueue accepts at most what fits");
      require(uart.input_capacity() == capacity - accepted, "capacity shrinks by what was accepted");
    }
    require(irq.count - interrupts_before <= 1, "at most one interrupt edge per access");
    require(sink.bytes.size() - sent_before <= (op == 1 && offset == 0 ? 1u : 0u),
            "only THR writes transmit");
    check_capacity(uart);
  }
  return 0;
}
