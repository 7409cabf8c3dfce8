// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "console.h"

#include "uart.h"

static void flush_to_uart(const char* text, size_t len) { uart_write(text, len); }

void line_begin(struct sink* s, char* buf, size_t cap) {
  sink_init(s, buf, cap, flush_to_uart);
  sink_write(s, GUEST_PREFIX, sizeof(GUEST_PREFIX) - 1);
}

void line_end(struct sink* s) {
  sink_write(s, "\r\n", 2);
  sink_flush(s);
}

void say(const char* fmt, ...) {
  char buf[160];
  struct sink s;
  line_begin(&s, buf, sizeof(buf));
  va_list ap;
  va_start(ap, fmt);
  sink_vprintf(&s, fmt, ap);
  va_end(ap);
  line_end(&s);
}
