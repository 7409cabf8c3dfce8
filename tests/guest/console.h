// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Line output on the serial console. Every line starts with "vmmkit-guest: "
// and ends with CR LF, as a serial console line does.
#pragma once

#include "lib.h"

#define GUEST_PREFIX "vmmkit-guest: "

__attribute__((format(printf, 1, 2))) void say(const char* fmt, ...);

// For lines longer than say() holds (the command line): begin, printf, end.
void line_begin(struct sink* s, char* buf, size_t cap);
void line_end(struct sink* s);
