// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// 16550A UART; section numbers refer to the PC16550D datasheet (SNLS378C).
#include <vmm/devices/serial16550.hpp>

#include <algorithm>

#include <vmm/devices/serial16550_registers.hpp>

namespace vmm {

using namespace uart16550;  // NOLINT: register names read better unqualified here

InputSpaceListener::~InputSpaceListener() = default;

Serial16550::Serial16550(InterruptLine& interrupt, ByteSink& output, InputSpaceListener* space)
    : interrupt_(interrupt), output_(output), space_listener_(space), modem_status_(modem_inputs()) {}

bool Serial16550::divisor_latch() const { return (line_control_ & kLcrDivisorLatch) != 0; }
bool Serial16550::loopback() const { return (modem_control_ & kMcrLoopback) != 0; }

// Every interrupt condition that is both pending and enabled, as IER bits.
uint8_t Serial16550::pending_interrupts() const {
  uint8_t pending = 0;
  if (!receive_.empty()) pending |= kIerReceivedData;
  if (thr_empty_pending_) pending |= kIerThrEmpty;
  if (line_errors_ != 0) pending |= kIerLineStatus;
  if ((modem_status_ & kMsrDeltaMask) != 0) pending |= kIerModemStatus;
  return pending & interrupt_enable_;
}

// The INTR pin rises when an enabled condition becomes pending; the VMM's
// line is an edge, so signal only conditions that were not pending before.
void Serial16550::raise_if_new(uint8_t before) {
  if ((pending_interrupts() & ~before) != 0) interrupt_.trigger();
}

uint8_t Serial16550::read(uint8_t offset) {
  if (offset >= kRegisterCount) return 0xff;
  uint8_t before = pending_interrupts();
  uint8_t value = read_register(offset);
  raise_if_new(before);
  notify_if_space();
  return value;
}

void Serial16550::write(uint8_t offset, uint8_t value) {
  if (offset >= kRegisterCount) return;
  uint8_t before = pending_interrupts();
  // Writing THR clears the THRE interrupt (Table 4); the byte leaves at once
  // and THR is empty again, which is a new THRE interrupt.
  if (offset == static_cast<uint8_t>(Register::kThr) && !divisor_latch()) before &= ~kIerThrEmpty;
  write_register(offset, value);
  raise_if_new(before);
  notify_if_space();
}

uint8_t Serial16550::read_register(uint8_t offset) {
  switch (static_cast<Register>(offset)) {
    case Register::kRbr:
      return divisor_latch() ? divisor_low_ : read_receive_buffer();
    case Register::kIer:
      return divisor_latch() ? divisor_high_ : interrupt_enable_;
    case Register::kIir:
      return read_interrupt_id();
    case Register::kLcr:
      return line_control_;
    case Register::kMcr:
      return modem_control_;
    case Register::kLsr:
      return read_line_status();
    case Register::kMsr:
      return read_modem_status();
    case Register::kScr:
      return scratch_;
  }
  return 0xff;
}

void Serial16550::write_register(uint8_t offset, uint8_t value) {
  switch (static_cast<Register>(offset)) {
    case Register::kThr:
      if (divisor_latch())
        divisor_low_ = value;
      else
        transmit(value);
      break;
    case Register::kIer:
      if (divisor_latch())
        divisor_high_ = value;
      else
        write_interrupt_enable(value);
      break;
    case Register::kFcr:
      write_fifo_control(value);
      break;
    case Register::kLcr:
      line_control_ = value;
      break;
    case Register::kMcr:
      write_modem_control(value);
      break;
    case Register::kLsr:
      break;  // LSR is read-only here (writes are factory test only, 8.4)
    case Register::kMsr:
      break;  // MSR reflects the inputs
    case Register::kScr:
      scratch_ = value;
      break;
  }
}

uint8_t Serial16550::read_receive_buffer() { return receive_.pop(); }

// 8.6.2: the highest-priority pending interrupt. Reading IIR while it shows
// THRE clears that interrupt (Table 4, "Reading the IIR").
uint8_t Serial16550::read_interrupt_id() {
  uint8_t fifo_bits = fifo_enabled_ ? kIirFifosEnabled : 0;
  uint8_t pending = pending_interrupts();
  if (pending & kIerLineStatus) return fifo_bits | kIirLineStatus;
  if (pending & kIerReceivedData) return fifo_bits | kIirReceivedData;
  if (pending & kIerThrEmpty) {
    thr_empty_pending_ = false;
    return fifo_bits | kIirThrEmpty;
  }
  if (pending & kIerModemStatus) return fifo_bits | kIirModemStatus;
  return fifo_bits | kIirNoInterrupt;
}

// 8.4: THRE and TEMT are always set (transmission is instant); reading LSR
// clears the error bits and with them the line status interrupt.
uint8_t Serial16550::read_line_status() {
  uint8_t value = kLsrThrEmpty | kLsrTransmitterEmpty | line_errors_;
  if (!receive_.empty()) value |= kLsrDataReady;
  line_errors_ = 0;
  return value;
}

// 8.9: reading MSR clears the delta bits and the modem status interrupt.
uint8_t Serial16550::read_modem_status() {
  uint8_t value = modem_status_;
  modem_status_ &= static_cast<uint8_t>(~kMsrDeltaMask);
  return value;
}

// A real 16550A raises THRE as soon as ETBEI goes from 0 to 1 while THR is
// empty; Linux's 8250 driver relies on it to start transmitting (and tests
// it in serial8250_do_startup).
void Serial16550::write_interrupt_enable(uint8_t value) {
  uint8_t enabled_now = value & kIerMask;
  uint8_t changed = interrupt_enable_ ^ enabled_now;
  interrupt_enable_ = enabled_now;
  if (changed & kIerThrEmpty) thr_empty_pending_ = (enabled_now & kIerThrEmpty) != 0;
}

// 8.5: changing FCR0 clears both FIFOs; the other bits are written only
// together with FCR0 = 1. The (absent) transmit FIFO needs no clearing.
void Serial16550::write_fifo_control(uint8_t value) {
  bool enable = (value & kFcrEnableFifos) != 0;
  if (enable != fifo_enabled_) {
    receive_.clear();
    fifo_enabled_ = enable;
  }
  if (enable && (value & kFcrClearReceive)) receive_.clear();
}

void Serial16550::write_modem_control(uint8_t value) {
  modem_control_ = value & kMcrMask;
  update_modem_status();
}

void Serial16550::transmit(uint8_t byte) {
  thr_empty_pending_ = true;
  if (loopback()) {
    loop_back(byte);
    return;
  }
  output_.write(std::span<const uint8_t>(&byte, 1));
}

// 8.8, MCR bit 4: the transmitter output feeds the receiver. A byte that
// finds the receive buffer full is an overrun (8.4, LSR bit 1): with FIFOs
// it is lost; without, it replaces the unread byte in RBR.
void Serial16550::loop_back(uint8_t byte) {
  if (receive_.size() < receive_limit()) {
    receive_.push(byte);
    return;
  }
  line_errors_ |= kLsrOverrun;
  if (!fifo_enabled_) {
    receive_.clear();
    receive_.push(byte);
  }
}

// The modem inputs: a host end that is always ready (DCD, DSR, CTS), or in
// loopback the MCR outputs wired back: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD.
uint8_t Serial16550::modem_inputs() const {
  if (!loopback()) return kMsrDcd | kMsrDsr | kMsrCts;
  uint8_t inputs = 0;
  if (modem_control_ & kMcrDtr) inputs |= kMsrDsr;
  if (modem_control_ & kMcrRts) inputs |= kMsrCts;
  if (modem_control_ & kMcrOut1) inputs |= kMsrRi;
  if (modem_control_ & kMcrOut2) inputs |= kMsrDcd;
  return inputs;
}

// Latches the delta bits of MSR for inputs that changed (RI only on its
// trailing edge, 8.9 bit 2).
void Serial16550::update_modem_status() {
  uint8_t now = modem_inputs();
  uint8_t changed = now ^ (modem_status_ & ~kMsrDeltaMask);
  uint8_t deltas = modem_status_ & kMsrDeltaMask;
  if (changed & kMsrCts) deltas |= kMsrDeltaCts;
  if (changed & kMsrDsr) deltas |= kMsrDeltaDsr;
  if ((changed & kMsrRi) && !(now & kMsrRi)) deltas |= kMsrTrailingEdgeRi;
  if (changed & kMsrDcd) deltas |= kMsrDeltaDcd;
  modem_status_ = now | deltas;
}

size_t Serial16550::input_capacity() const {
  if (loopback()) return 0;
  return receive_limit() - std::min(receive_.size(), receive_limit());
}

size_t Serial16550::enqueue_input(std::span<const uint8_t> bytes) {
  uint8_t before = pending_interrupts();
  size_t accepted = std::min(bytes.size(), input_capacity());
  for (size_t i = 0; i < accepted; ++i) receive_.push(bytes[i]);
  if (accepted < bytes.size()) input_refused_ = true;
  raise_if_new(before);
  return accepted;
}

void Serial16550::notify_if_space() {
  if (!input_refused_ || input_capacity() == 0) return;
  input_refused_ = false;
  if (space_listener_ != nullptr) space_listener_->on_input_space();
}

}  // namespace vmm
