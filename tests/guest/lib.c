// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "lib.h"

// String instructions move 8 bytes per iteration where they can: ring-0
// code on the CI machines' emulated KVM costs about the same per iteration
// whatever the width (TESTING.md). Plain loops would also do, but this file
// is built with -fno-tree-loop-distribute-patterns so that GCC never turns
// a loop here back into a call to the function itself.
void* memset(void* dst, int c, size_t n) {
  uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
  void* d = dst;
  size_t words = n / 8, rest = n % 8;
  __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(rest) : "a"(pattern) : "memory");
  return dst;
}

void* memcpy(void* dst, const void* src, size_t n) {
  void* d = dst;
  const void* s = src;
  size_t words = n / 8, rest = n % 8;
  __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(rest) : : "memory");
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if (d <= s || d >= s + n) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* x = a;
  const unsigned char* y = b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

size_t strlen(const char* s) { return str_nlen(s, SIZE_MAX / 2); }

bool str_eq(const char* a, size_t a_len, const char* b) {
  size_t b_len = strlen(b);
  return a_len == b_len && memcmp(a, b, a_len) == 0;
}

bool parse_u64(const char* s, size_t len, uint64_t* out) {
  unsigned base = 10;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
    len -= 2;
  }
  if (len == 0) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = (unsigned)(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = (unsigned)(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = (unsigned)(c - 'A' + 10);
    } else {
      return false;
    }
    if (digit >= base || value > (UINT64_MAX - digit) / base) return false;
    value = value * base + digit;
  }
  *out = value;
  return true;
}

void sink_init(struct sink* s, char* buf, size_t cap, void (*flush)(const char*, size_t)) {
  s->buf = buf;
  s->cap = cap;
  s->len = 0;
  s->flush = flush;
  buf[0] = '\0';
}

void sink_flush(struct sink* s) {
  if (s->flush && s->len) s->flush(s->buf, s->len);
  if (s->flush) s->len = 0;
  s->buf[s->len] = '\0';
}

// Text goes in runs, copied with string instructions: on the CI machines'
// emulated KVM a ring-0 instruction that touches memory costs microseconds,
// so a loop per character made a 100-character line cost about 10 ms.
void sink_write(struct sink* s, const char* text, size_t len) {
  while (len) {
    size_t room = s->cap - 1 - s->len;
    if (room == 0) {
      if (!s->flush) break;
      sink_flush(s);
      continue;
    }
    size_t n = len < room ? len : room;
    memcpy(s->buf + s->len, text, n);
    s->len += n;
    text += n;
    len -= n;
  }
  s->buf[s->len] = '\0';
}

void sink_putc(struct sink* s, char c) { sink_write(s, &c, 1); }

// One string instruction (see sink_write): REPNE SCASB stops after the NUL
// (ZF set) or when RCX runs out.
size_t str_nlen(const char* str, size_t max) {
  if (max == 0) return 0;
  const char* p = str;
  size_t left = max;
  bool found;
  __asm__ volatile("repne scasb" : "+D"(p), "+c"(left), "=@ccz"(found) : "a"(0) : "memory");
  return found ? max - left - 1 : max;
}

struct spec {
  bool left;
  char pad;
  unsigned width;
  int precision;  // -1: none
};

static void put_padded(struct sink* s, const struct spec* sp, const char* text, size_t len) {
  size_t fill = sp->width > len ? sp->width - len : 0;
  if (!sp->left) {
    for (; fill; fill--) sink_putc(s, sp->pad);
  }
  sink_write(s, text, len);
  for (; fill; fill--) sink_putc(s, ' ');
}

static void put_number(struct sink* s, const struct spec* sp, uint64_t value, bool negative, unsigned base,
                       bool upper, const char* prefix) {
  char tmp[24];
  size_t n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[value % base];
    value /= base;
  } while (value);
  char out[32];
  size_t len = 0;
  if (negative) out[len++] = '-';
  while (*prefix) out[len++] = *prefix++;
  // Zero padding goes between the sign/prefix and the digits.
  size_t body = len + n;
  if (sp->pad == '0' && !sp->left) {
    while (body < sp->width && len < sizeof(out) - n) {
      out[len++] = '0';
      body++;
    }
  }
  while (n) out[len++] = tmp[--n];
  struct spec plain = *sp;
  plain.pad = ' ';
  put_padded(s, &plain, out, len);
}

void sink_vprintf(struct sink* s, const char* fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      const char* run = fmt;
      while (fmt[1] && fmt[1] != '%') fmt++;
      sink_write(s, run, (size_t)(fmt - run) + 1);
      continue;
    }
    struct spec sp = {.left = false, .pad = ' ', .width = 0, .precision = -1};
    bool alt = false;
    for (fmt++;; fmt++) {
      if (*fmt == '-') {
        sp.left = true;
      } else if (*fmt == '0') {
        sp.pad = '0';
      } else if (*fmt == '#') {
        alt = true;
      } else {
        break;
      }
    }
    while (*fmt >= '0' && *fmt <= '9') sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
    if (*fmt == '.') {
      fmt++;
      if (*fmt == '*') {
        sp.precision = va_arg(ap, int);
        fmt++;
      } else {
        sp.precision = 0;
        while (*fmt >= '0' && *fmt <= '9') sp.precision = sp.precision * 10 + (*fmt++ - '0');
      }
    }
    int longs = 0;
    while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
      if (*fmt != 'h') longs++;
      fmt++;
    }
    uint64_t u;
    int64_t i;
    switch (*fmt) {
      case 'd':
      case 'i':
        i = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
        put_number(s, &sp, i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i, i < 0, 10, false, "");
        break;
      case 'u':
        u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
        put_number(s, &sp, u, false, 10, false, "");
        break;
      case 'x':
      case 'X':
        u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
        put_number(s, &sp, u, false, 16, *fmt == 'X', alt ? "0x" : "");
        break;
      case 'p':
        put_number(s, &sp, (uint64_t)(uintptr_t)va_arg(ap, void*), false, 16, false, "0x");
        break;
      case 'c': {
        char c = (char)va_arg(ap, int);
        put_padded(s, &sp, &c, 1);
        break;
      }
      case 's': {
        const char* str = va_arg(ap, const char*);
        if (!str) str = "(null)";
        put_padded(s, &sp, str, str_nlen(str, sp.precision < 0 ? SIZE_MAX / 2 : (size_t)sp.precision));
        break;
      }
      case '%':
        sink_putc(s, '%');
        break;
      default:  // unknown conversion: show it rather than guess
        sink_putc(s, '%');
        if (!*fmt) return;
        sink_putc(s, *fmt);
        break;
    }
  }
}

void sink_printf(struct sink* s, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sink_vprintf(s, fmt, ap);
  va_end(ap);
}
