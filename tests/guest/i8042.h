// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// i8042 keyboard controller: data port 0x60, status/command port 0x64.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define I8042_ISA_IRQ 1
#define I8042_STATUS_OBF 0x01  // output buffer full: a byte waits at 0x60
#define I8042_STATUS_IBF 0x02  // input buffer full: the controller is busy
#define I8042_STATUS_AUX 0x20  // the byte at 0x60 is from the mouse port
#define I8042_CMD_READ_CONFIG 0x20
#define I8042_CMD_WRITE_CONFIG 0x60
#define I8042_CMD_SELF_TEST 0xaa
#define I8042_CMD_PULSE_RESET 0xfe
#define I8042_SELF_TEST_OK 0x55
#define I8042_CONFIG_KBD_INT 0x01

uint8_t i8042_status(void);
// Sends a controller command (waits, bounded, for IBF clear first).
bool i8042_command(uint8_t cmd);
bool i8042_write_data(uint8_t value);
// Waits (bounded) for OBF and reads the data port.
bool i8042_read_data(uint8_t* value);
// Reads away stale bytes.
void i8042_flush(void);
void i8042_pulse_reset(void);
