// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// "key=value" words of the command line (space separated; a value may be
// in double quotes, as Linux allows). The last occurrence of a key wins.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"

bool cmdline_value(const struct boot_info* bi, const char* key, const char** value, size_t* len);
// The key's value as a number; `fallback` when absent or not a number.
uint64_t cmdline_u64(const struct boot_info* bi, const char* key, uint64_t fallback);
