// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "i8042.h"

#include "arch.h"

enum { I8042_DATA = 0x60, I8042_STATUS = 0x64 };
// Polls are VM exits of some microseconds; a missing controller must not
// stall a check for long.
#define POLL_LIMIT 5000

uint8_t i8042_status(void) { return inb(I8042_STATUS); }

static bool wait_input_clear(void) {
  for (unsigned i = 0; i < POLL_LIMIT; i++) {
    if (!(i8042_status() & I8042_STATUS_IBF)) return true;
  }
  return false;
}

bool i8042_command(uint8_t cmd) {
  if (!wait_input_clear()) return false;
  outb(I8042_STATUS, cmd);
  return true;
}

bool i8042_write_data(uint8_t value) {
  if (!wait_input_clear()) return false;
  outb(I8042_DATA, value);
  return true;
}

bool i8042_read_data(uint8_t* value) {
  for (unsigned i = 0; i < POLL_LIMIT; i++) {
    if (i8042_status() & I8042_STATUS_OBF) {
      *value = inb(I8042_DATA);
      return true;
    }
  }
  return false;
}

void i8042_flush(void) {
  // An absent controller reads 0xff, OBF included: bound the loop.
  for (unsigned i = 0; i < 32 && (i8042_status() & I8042_STATUS_OBF); i++) (void)inb(I8042_DATA);
}

// Sent even if the controller never reports ready: there is nothing to lose.
void i8042_pulse_reset(void) {
  (void)wait_input_clear();
  outb(I8042_STATUS, I8042_CMD_PULSE_RESET);
}
