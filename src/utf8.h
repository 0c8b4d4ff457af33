/*
 * utf8.h: one strict UTF-8 decoder shared by the C modules.
 * Strict as in Unicode 15 table 3-7 (no overlongs, no surrogates, max U+10FFFF),
 * which is also what Lua's utf8 library accepts in its default (strict) mode.
 */
#ifndef GISA_UTF8_H
#define GISA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s[0..n). Returns its length (1-4) and stores it in
 * *cp, or returns 0 when s does not start with a valid sequence; then *cp is
 * the length of the maximal invalid subpart (W3C/WHATWG: at least 1). */
static inline int gisa_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  unsigned c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2 || c > 0xF4) { *cp = 1; return 0; }
  if (c < 0xE0) {
    if (n < 2 || (s[1] & 0xC0) != 0x80) { *cp = 1; return 0; }
    *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  {
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (n < 2 || s[1] < lo || s[1] > hi) { *cp = 1; return 0; }
    if (c < 0xF0) {
      if (n < 3 || (s[2] & 0xC0) != 0x80) { *cp = 2; return 0; }
      *cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      return 3;
    }
    if (n < 3 || (s[2] & 0xC0) != 0x80) { *cp = 2; return 0; }
    if (n < 4 || (s[3] & 0xC0) != 0x80) { *cp = 3; return 0; }
    *cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
  }
}

/* Encode cp (<= 0x10FFFF) into buf; returns the length. */
static inline int gisa_utf8_encode(uint32_t cp, char *buf)
{
  if (cp < 0x80) { buf[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    buf[0] = (char)(0xC0 | (cp >> 6)); buf[1] = (char)(0x80 | (cp & 0x3F)); return 2;
  }
  if (cp < 0x10000) {
    buf[0] = (char)(0xE0 | (cp >> 12)); buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  buf[0] = (char)(0xF0 | (cp >> 18)); buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); buf[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of the longest valid UTF-8 prefix of s[0..n); ASCII runs go 8 bytes at a time. */
static inline size_t gisa_utf8_valid_prefix(const unsigned char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      while (i + 8 <= n) {
        uint64_t w;
        __builtin_memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8;
      }
      while (i < n && s[i] < 0x80) i++;
      continue;
    }
    uint32_t cp;
    int k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) return i;
    i += (size_t)k;
  }
  return n;
}

#endif
