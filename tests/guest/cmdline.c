// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "cmdline.h"

#include "lib.h"

bool cmdline_next(const struct boot_info* bi, const char* key, size_t* pos, const char** value, size_t* len) {
  const char* s = bi->cmdline;
  size_t n = bi->cmdline_len, key_len = strlen(key);
  size_t i = *pos;
  while (i < n) {
    while (i < n && s[i] == ' ') i++;
    size_t word = i;
    bool quoted = false;
    while (i < n && (quoted || s[i] != ' ')) {
      if (s[i] == '"') quoted = !quoted;
      i++;
    }
    if (i - word > key_len && memcmp(s + word, key, key_len) == 0 && s[word + key_len] == '=') {
      const char* v = s + word + key_len + 1;
      size_t v_len = i - (word + key_len + 1);
      if (v_len >= 2 && v[0] == '"' && v[v_len - 1] == '"') {
        v++;
        v_len -= 2;
      }
      *value = v;
      *len = v_len;
      *pos = i;
      return true;
    }
  }
  *pos = i;
  return false;
}

bool cmdline_value(const struct boot_info* bi, const char* key, const char** value, size_t* len) {
  size_t pos = 0;
  bool found = false;
  while (cmdline_next(bi, key, &pos, value, len)) found = true;
  return found;
}

bool cmdline_has_word(const struct boot_info* bi, const char* word) {
  const char* s = bi->cmdline;
  size_t n = bi->cmdline_len, w = strlen(word);
  for (size_t i = 0; i + w <= n; i++) {
    bool starts = i == 0 || s[i - 1] == ' ';
    bool ends = i + w == n || s[i + w] == ' ';
    if (starts && ends && memcmp(s + i, word, w) == 0) return true;
  }
  return false;
}

uint64_t cmdline_u64(const struct boot_info* bi, const char* key, uint64_t fallback) {
  const char* v;
  size_t len;
  uint64_t out;
  if (cmdline_value(bi, key, &v, &len) && parse_u64(v, len, &out)) return out;
  return fallback;
}
