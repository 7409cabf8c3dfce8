// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

// Registers of the 16550A UART, from the TI/National PC16550D datasheet
// (SNLS378C), section 8 "Registers", Table 2 (register summary).
namespace vmm::uart16550 {

// Offsets from the base port (0x3f8 for COM1). Some offsets hold two
// registers: reads and writes reach different ones, and LCR.DLAB switches
// offsets 0 and 1 to the divisor latch.
enum class Register : uint8_t {
  kRbr = 0,  // receiver buffer (read, DLAB = 0)
  kThr = 0,  // transmitter holding (write, DLAB = 0)
  kDll = 0,  // divisor latch, low byte (DLAB = 1)
  kIer = 1,  // interrupt enable (DLAB = 0)
  kDlm = 1,  // divisor latch, high byte (DLAB = 1)
  kIir = 2,  // interrupt identification (read)
  kFcr = 2,  // FIFO control (write)
  kLcr = 3,  // line control
  kMcr = 4,  // modem control
  kLsr = 5,  // line status
  kMsr = 6,  // modem status
  kScr = 7,  // scratch
};
inline constexpr uint8_t kRegisterCount = 8;

// IER (8.6.1): which conditions may interrupt. Bits 4-7 are always 0.
inline constexpr uint8_t kIerReceivedData = 0x01;  // ERBFI
inline constexpr uint8_t kIerThrEmpty = 0x02;      // ETBEI
inline constexpr uint8_t kIerLineStatus = 0x04;    // ELSI
inline constexpr uint8_t kIerModemStatus = 0x08;   // EDSSI
inline constexpr uint8_t kIerMask = 0x0f;

// IIR (8.6.2, Table 4): the highest-priority pending interrupt.
inline constexpr uint8_t kIirNoInterrupt = 0x01;
inline constexpr uint8_t kIirModemStatus = 0x00;   // priority 4
inline constexpr uint8_t kIirThrEmpty = 0x02;      // priority 3
inline constexpr uint8_t kIirReceivedData = 0x04;  // priority 2
inline constexpr uint8_t kIirLineStatus = 0x06;    // priority 1 (highest)
inline constexpr uint8_t kIirFifosEnabled = 0xc0;  // bits 6-7 mirror FCR0

// FCR (8.5): bits 6-7 (receive trigger level) and 3 (DMA mode) are accepted
// and ignored; the other bits take effect only with FCR0 set.
inline constexpr uint8_t kFcrEnableFifos = 0x01;
inline constexpr uint8_t kFcrClearReceive = 0x02;
inline constexpr uint8_t kFcrClearTransmit = 0x04;

// LCR (8.3): only DLAB changes what the model does; the rest is stored.
inline constexpr uint8_t kLcrDivisorLatch = 0x80;

// MCR (8.8): bits 5-7 are always 0.
inline constexpr uint8_t kMcrDtr = 0x01;
inline constexpr uint8_t kMcrRts = 0x02;
inline constexpr uint8_t kMcrOut1 = 0x04;
inline constexpr uint8_t kMcrOut2 = 0x08;
inline constexpr uint8_t kMcrLoopback = 0x10;
inline constexpr uint8_t kMcrMask = 0x1f;

// LSR (8.4): parity, framing and break errors (bits 2-4, 7) never happen on
// a virtual line.
inline constexpr uint8_t kLsrDataReady = 0x01;
inline constexpr uint8_t kLsrOverrun = 0x02;
inline constexpr uint8_t kLsrThrEmpty = 0x20;
inline constexpr uint8_t kLsrTransmitterEmpty = 0x40;

// MSR (8.9): low nibble = changes since the last MSR read, high = line state.
inline constexpr uint8_t kMsrDeltaCts = 0x01;
inline constexpr uint8_t kMsrDeltaDsr = 0x02;
inline constexpr uint8_t kMsrTrailingEdgeRi = 0x04;
inline constexpr uint8_t kMsrDeltaDcd = 0x08;
inline constexpr uint8_t kMsrCts = 0x10;
inline constexpr uint8_t kMsrDsr = 0x20;
inline constexpr uint8_t kMsrRi = 0x40;
inline constexpr uint8_t kMsrDcd = 0x80;
inline constexpr uint8_t kMsrDeltaMask = 0x0f;

}  // namespace vmm::uart16550
