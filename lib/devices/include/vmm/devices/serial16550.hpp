// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <vmm/base/export.hpp>
#include <vmm/devices/byte_fifo.hpp>
#include <vmm/devices/interrupt.hpp>
#include <vmm/devices/sink.hpp>

namespace vmm {

// Told when a receive buffer that refused host input has room again, so the
// owner can resume reading its input source (see Serial16550::enqueue_input).
// It runs on the vCPU thread that read RBR, with the device lock held: poke
// the event loop (an eventfd write) and return; never call back into the UART.
class VMM_API InputSpaceListener {
 public:
  virtual ~InputSpaceListener();
  virtual void on_input_space() = 0;
};

// A 16550A UART (PC16550D datasheet) as a pure state machine: the guest's
// port accesses come in through read()/write() with offsets 0-7 from the
// base port, host input through enqueue_input(); transmitted bytes go to the
// ByteSink at once (no transmit FIFO: the line is infinitely fast) and
// interrupts to the InterruptLine as edges. Not thread-safe: wrap it in a
// lock (SerialBusDevice) when vCPUs and the event loop share it.
//
// Choices where the datasheet leaves room or a PC differs:
// - The interrupt is not gated by MCR.OUT2. PC boards AND the INTR pin with
//   OUT2; Linux's 8250 driver sets OUT2, but simpler guests (and QEMU, and
//   vm-superio) don't rely on it, so the interrupt follows IER alone.
// - Received data interrupts as soon as one byte waits, whatever the FCR
//   trigger level: there is no clock to model the character timeout, and
//   Linux treats "data available" and "timeout" alike.
// - The receive buffer is the 16-byte FIFO (1 byte when FIFOs are off); host
//   input beyond it is refused, never queued, so a flood cannot grow memory.
class VMM_API Serial16550 {
 public:
  static constexpr size_t kFifoSize = 16;
  static constexpr uint16_t kCom1Port = 0x3f8;  // IRQ 4
  static constexpr uint16_t kPortLength = 8;

  // `interrupt` and `output` (and `space`, if given) must outlive the device.
  Serial16550(InterruptLine& interrupt, ByteSink& output, InputSpaceListener* space = nullptr);

  // A guest access at `offset` (0-7) from the base port; other offsets read
  // 0xff and ignore writes.
  uint8_t read(uint8_t offset);
  void write(uint8_t offset, uint8_t value);

  // Queues bytes from the host as if received on the line, and returns how
  // many fitted (possibly 0). Keep the rest and offer it again after the
  // InputSpaceListener fires. Nothing fits in loopback mode, where the line
  // input is disconnected.
  size_t enqueue_input(std::span<const uint8_t> bytes);
  // How many bytes enqueue_input would accept now.
  [[nodiscard]] size_t input_capacity() const;
  [[nodiscard]] bool input_space() const { return input_capacity() > 0; }

 private:
  uint8_t read_register(uint8_t offset);
  void write_register(uint8_t offset, uint8_t value);
  uint8_t read_receive_buffer();
  uint8_t read_interrupt_id();
  uint8_t read_line_status();
  uint8_t read_modem_status();
  void write_interrupt_enable(uint8_t value);
  void write_fifo_control(uint8_t value);
  void write_modem_control(uint8_t value);
  void transmit(uint8_t byte);
  void loop_back(uint8_t byte);

  [[nodiscard]] bool divisor_latch() const;
  [[nodiscard]] bool loopback() const;
  [[nodiscard]] size_t receive_limit() const { return fifo_enabled_ ? kFifoSize : 1; }
  [[nodiscard]] uint8_t modem_inputs() const;
  void update_modem_status();
  [[nodiscard]] uint8_t pending_interrupts() const;
  void raise_if_new(uint8_t before);
  void notify_if_space();

  InterruptLine& interrupt_;
  ByteSink& output_;
  InputSpaceListener* space_listener_;
  ByteFifo<kFifoSize> receive_;
  uint8_t divisor_low_ = 0x0c;  // 9600 baud from 1.8432 MHz, as PC firmware leaves it
  uint8_t divisor_high_ = 0;
  uint8_t interrupt_enable_ = 0;
  uint8_t line_control_ = 0;
  uint8_t modem_control_ = 0;
  uint8_t modem_status_;
  uint8_t line_errors_ = 0;  // LSR.OE until the next LSR read
  uint8_t scratch_ = 0;
  bool fifo_enabled_ = false;
  bool thr_empty_pending_ = false;  // THRE interrupt condition, cleared by IIR read or THR write
  bool input_refused_ = false;      // enqueue_input came up short; tell the listener on space
};

}  // namespace vmm
