// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// i8042 PS/2 controller and a minimal AT keyboard behind it. Command values
// follow the IBM PC AT Technical Reference (keyboard controller and keyboard
// commands) as Linux uses them (drivers/input/serio/i8042.h, atkbd.c).
#include <vmm/devices/i8042.hpp>

#include <array>

#include <vmm/devices/error.hpp>

namespace vmm {
namespace {

// Controller commands, written to port 0x64.
enum class Command : uint8_t {
  kReadCommandByte = 0x20,
  kWriteCommandByte = 0x60,  // data byte follows on port 0x60
  kDisableAux = 0xa7,
  kEnableAux = 0xa8,
  kSelfTest = 0xaa,               // answers 0x55
  kKeyboardInterfaceTest = 0xab,  // answers 0x00 (no error)
  kDisableKeyboard = 0xad,
  kEnableKeyboard = 0xae,
  kReadOutputPort = 0xd0,
  kWriteOutputPort = 0xd1,  // data byte follows on port 0x60
};
constexpr uint8_t kPulseOutputLines = 0xf0;  // 0xf0-0xff: pulse the lines whose bit is 0
constexpr uint8_t kOutputPortReset = 0x01;   // output port bit 0 drives the CPU reset

// Keyboard commands, written to port 0x60 with no controller command pending.
enum class KeyboardCommand : uint8_t {
  kSetLeds = 0xed,  // argument follows
  kEcho = 0xee,
  kScanCodeSet = 0xf0,  // argument follows (0 = report the current set)
  kIdentify = 0xf2,
  kTypematic = 0xf3,  // argument follows
  kReset = 0xff,
};
constexpr uint8_t kAck = 0xfa;
constexpr uint8_t kSelfTestPassed = 0x55;
constexpr uint8_t kKeyboardSelfTestPassed = 0xaa;
constexpr uint8_t kKeyboardId = 0xab;
constexpr uint8_t kKeyboardIdSecond = 0x83;            // MF2 keyboard
constexpr uint8_t kKeyboardIdSecondTranslated = 0x41;  // the same, through translation

// Set 1 make codes of Left Ctrl, Left Alt and Delete (an E0 extended key),
// then the break codes (make | 0x80) in reverse order.
constexpr std::array<uint8_t, 8> kCtrlAltDel = {0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d};

}  // namespace

I8042::I8042(InterruptLine& keyboard_interrupt, ResetLine& reset)
    : keyboard_interrupt_(keyboard_interrupt), reset_(reset) {}

bool I8042::interrupt_enabled() const { return (command_byte_ & kCtrKeyboardInterrupt) != 0; }

uint8_t I8042::read(uint8_t offset) {
  if (offset == kDataOffset) return read_data();
  if (offset == kCommandOffset) return read_status();
  return 0;
}

void I8042::write(uint8_t offset, uint8_t value) {
  if (offset == kDataOffset) write_data(value);
  if (offset == kCommandOffset) write_command(value);
}

uint8_t I8042::read_status() const {
  uint8_t status = kStatusNotInhibited;
  if (!output_.empty()) status |= kStatusOutputFull;
  if (command_byte_ & kCtrSystemFlag) status |= kStatusSystemFlag;
  if (last_write_was_command_) status |= kStatusLastWasCommand;
  return status;
}

// Linux's i8042_interrupt reads one byte per interrupt, as the hardware
// delivers them: when the next byte moves into the output buffer, IRQ 1
// fires again.
uint8_t I8042::read_data() {
  uint8_t value = output_.pop();
  if (!output_.empty() && interrupt_enabled()) keyboard_interrupt_.trigger();
  return value;
}

// Appends what fits (the buffer is bounded: a guest that never reads loses
// replies, not host memory) and raises IRQ 1 when the first byte arrives.
void I8042::push(std::span<const uint8_t> bytes) {
  bool was_empty = output_.empty();
  for (uint8_t byte : bytes) output_.push(byte);
  if (was_empty && !output_.empty() && interrupt_enabled()) keyboard_interrupt_.trigger();
}

void I8042::write_command(uint8_t command) {
  last_write_was_command_ = true;
  pending_command_ = 0;
  switch (static_cast<Command>(command)) {
    case Command::kReadCommandByte:
      push(std::array{command_byte_});
      return;
    case Command::kWriteCommandByte:
    case Command::kWriteOutputPort:
      pending_command_ = command;
      return;
    case Command::kDisableAux:
      command_byte_ |= kCtrAuxDisabled;
      return;
    case Command::kEnableAux:
      command_byte_ &= static_cast<uint8_t>(~kCtrAuxDisabled);
      return;
    case Command::kSelfTest:
      command_byte_ |= kCtrSystemFlag;
      push(std::array{kSelfTestPassed});
      return;
    case Command::kKeyboardInterfaceTest:
      push(std::array{uint8_t{0}});
      return;
    case Command::kDisableKeyboard:
      command_byte_ |= kCtrKeyboardDisabled;
      return;
    case Command::kEnableKeyboard:
      command_byte_ &= static_cast<uint8_t>(~kCtrKeyboardDisabled);
      return;
    case Command::kReadOutputPort:
      push(std::array{output_port_});
      return;
  }
  // 0xfe is the usual "pulse reset"; any 0xf0-0xff command with bit 0 clear does it.
  if ((command & kPulseOutputLines) == kPulseOutputLines && !(command & kOutputPortReset)) reset_.pulse();
}

void I8042::write_data(uint8_t value) {
  last_write_was_command_ = false;
  uint8_t command = pending_command_;
  pending_command_ = 0;
  switch (static_cast<Command>(command)) {
    case Command::kWriteCommandByte:
      write_command_byte(value);
      return;
    case Command::kWriteOutputPort:
      write_output_port(value);
      return;
    default:
      break;
  }
  uint8_t keyboard = pending_keyboard_;
  pending_keyboard_ = 0;
  if (keyboard != 0)
    keyboard_argument(keyboard, value);
  else
    keyboard_command(value);
}

// Enabling the keyboard interrupt with a byte already waiting raises it.
void I8042::write_command_byte(uint8_t value) {
  bool was_enabled = interrupt_enabled();
  command_byte_ = value;
  if (!was_enabled && interrupt_enabled() && !output_.empty()) keyboard_interrupt_.trigger();
}

void I8042::write_output_port(uint8_t value) {
  output_port_ = value;
  if (!(value & kOutputPortReset)) reset_.pulse();
}

void I8042::keyboard_command(uint8_t command) {
  switch (static_cast<KeyboardCommand>(command)) {
    case KeyboardCommand::kSetLeds:
    case KeyboardCommand::kScanCodeSet:
    case KeyboardCommand::kTypematic:
      pending_keyboard_ = command;
      push(std::array{kAck});
      return;
    case KeyboardCommand::kEcho:
      push(std::array{command});
      return;
    case KeyboardCommand::kIdentify: {
      uint8_t second = (command_byte_ & kCtrTranslate) ? kKeyboardIdSecondTranslated : kKeyboardIdSecond;
      push(std::array{kAck, kKeyboardId, second});
      return;
    }
    case KeyboardCommand::kReset:
      push(std::array{kAck, kKeyboardSelfTestPassed});
      return;
  }
  push(std::array{kAck});  // enable, disable, defaults, ...: nothing to do but acknowledge
}

void I8042::keyboard_argument(uint8_t command, uint8_t argument) {
  constexpr uint8_t kScanCodeSet2 = 0x02;
  if (command == static_cast<uint8_t>(KeyboardCommand::kScanCodeSet) && argument == 0)
    push(std::array{kAck, kScanCodeSet2});
  else
    push(std::array{kAck});
}

Result<void> I8042::trigger_ctrl_alt_del() {
  if (output_.free() < kCtrlAltDel.size())
    return Error(DevicesErrc::kBufferFull, "i8042: guest is not reading the keyboard; Ctrl-Alt-Del not sent");
  push(kCtrlAltDel);
  return ok();
}

}  // namespace vmm
