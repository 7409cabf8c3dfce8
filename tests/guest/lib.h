// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Freestanding replacements for the few libc pieces the guest uses, and a
// bounded printf-style string builder.
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// GCC may emit calls to these even with -ffreestanding (struct copies).
void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
// The length of str, at most max (strnlen).
size_t str_nlen(const char* str, size_t max);

bool str_eq(const char* a, size_t a_len, const char* b);
// Parses an unsigned decimal (or 0x-prefixed hex) number filling all of s[0..len).
bool parse_u64(const char* s, size_t len, uint64_t* out);

// A printf target: characters go into buf (always NUL-terminated); when it
// is full, flush (if set) drains it, otherwise the text is truncated.
struct sink {
  char* buf;
  size_t cap;
  size_t len;
  void (*flush)(const char* text, size_t len);
};

void sink_init(struct sink* s, char* buf, size_t cap, void (*flush)(const char*, size_t));
void sink_putc(struct sink* s, char c);
void sink_write(struct sink* s, const char* text, size_t len);
void sink_vprintf(struct sink* s, const char* fmt, va_list ap);
__attribute__((format(printf, 2, 3))) void sink_printf(struct sink* s, const char* fmt, ...);
void sink_flush(struct sink* s);
