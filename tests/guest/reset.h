// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

// Resets the machine: the i8042 pulses the reset line (command 0xfe); if
// the CPU still runs after that, a triple fault. Never returns.
__attribute__((noreturn)) void machine_reset(void);
