// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// "key=value" words of the command line (space separated; a value may be
// in double quotes, as Linux allows). The last occurrence of a key wins.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"

// The next occurrence of `key` at or after *pos (start with 0), for keys
// that may repeat (virtio_mmio.device=); advances *pos past it.
bool cmdline_next(const struct boot_info* bi, const char* key, size_t* pos, const char** value, size_t* len);
bool cmdline_value(const struct boot_info* bi, const char* key, const char** value, size_t* len);
// Whether `word` appears on its own (a flag such as vmmkit.serve).
bool cmdline_has_word(const struct boot_info* bi, const char* word);
// The key's value as a number; `fallback` when absent or not a number.
uint64_t cmdline_u64(const struct boot_info* bi, const char* key, uint64_t fallback);
