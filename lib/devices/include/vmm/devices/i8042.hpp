// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/base/result.hpp>
#include <vmm/devices/byte_fifo.hpp>
#include <vmm/devices/interrupt.hpp>

namespace vmm {

// The PS/2 controller of a PC (Intel 8042 as programmed by PC firmware and
// Linux's drivers/input/serio/i8042.c), as minimal as Firecracker's: no
// mouse, a keyboard that acknowledges commands, and the two things a VMM
// needs it for — the guest resetting the machine (reboot=k) and the host
// sending Ctrl-Alt-Del. Not thread-safe: wrap it (I8042BusDevice).
//
// One device covers ports 0x60-0x64 (kPortBase, kPortLength): offset 0 is
// the data port, offset 4 status (read) / command (write). Offsets 1-3 are
// ports 0x61-0x63 (0x61 is the PC's system control port B): they read 0 and
// ignore writes, so a guest reading NMI reasons there finds none.
class VMM_API I8042 {
 public:
  static constexpr uint16_t kPortBase = 0x60;
  static constexpr uint16_t kPortLength = 5;
  static constexpr uint8_t kDataOffset = 0;
  static constexpr uint8_t kCommandOffset = 4;  // status when read
  static constexpr size_t kOutputBufferSize = 16;

  // Status register bits.
  static constexpr uint8_t kStatusOutputFull = 0x01;
  static constexpr uint8_t kStatusSystemFlag = 0x04;
  static constexpr uint8_t kStatusLastWasCommand = 0x08;
  static constexpr uint8_t kStatusNotInhibited = 0x10;
  // Controller command byte ("CTR") bits.
  static constexpr uint8_t kCtrKeyboardInterrupt = 0x01;
  static constexpr uint8_t kCtrSystemFlag = 0x04;
  static constexpr uint8_t kCtrKeyboardDisabled = 0x10;
  static constexpr uint8_t kCtrAuxDisabled = 0x20;
  static constexpr uint8_t kCtrTranslate = 0x40;

  // `keyboard_interrupt` (IRQ 1) and `reset` must outlive the device.
  I8042(InterruptLine& keyboard_interrupt, ResetLine& reset);

  uint8_t read(uint8_t offset);
  void write(uint8_t offset, uint8_t value);

  // Queues the scan codes (set 1, as the controller delivers them with
  // translation on) of Ctrl and Alt and Delete pressed, then released, and
  // raises IRQ 1. Fails, queuing nothing, if the output buffer lacks room.
  Result<void> trigger_ctrl_alt_del();

  // Bytes waiting for the guest to read from the data port.
  [[nodiscard]] size_t pending_output() const { return output_.size(); }

 private:
  uint8_t read_status() const;
  uint8_t read_data();
  void write_command(uint8_t command);
  void write_data(uint8_t value);
  void write_command_byte(uint8_t value);
  void write_output_port(uint8_t value);
  void keyboard_command(uint8_t command);
  void keyboard_argument(uint8_t command, uint8_t argument);
  void push(std::span<const uint8_t> bytes);
  [[nodiscard]] bool interrupt_enabled() const;

  InterruptLine& keyboard_interrupt_;
  ResetLine& reset_;
  ByteFifo<kOutputBufferSize> output_;
  uint8_t command_byte_ = kCtrKeyboardInterrupt | kCtrSystemFlag | kCtrTranslate;
  uint8_t output_port_ = 0x03;    // bit 0: reset line inactive, bit 1: A20 enabled
  uint8_t pending_command_ = 0;   // controller command waiting for its data byte
  uint8_t pending_keyboard_ = 0;  // keyboard command waiting for its argument
  bool last_write_was_command_ = false;
};

}  // namespace vmm
