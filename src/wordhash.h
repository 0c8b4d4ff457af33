/*
 * wordhash.h: the hash of a short string (a word) that text.c's word tables
 * and tally.c's vocabulary both use: 8 bytes at a time, whole loads only (no
 * store-forwarding stall), the last 8 overlapping. Each finishes it as its
 * table needs.
 */
#ifndef GISA_WORDHASH_H
#define GISA_WORDHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* p[0..n) folded into 64 bits, before a table's own last round */
static inline uint64_t gisa_word_fold(const unsigned char *p, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      memcpy(&w, p + i, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    memcpy(&w, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, p, 4);
    memcpy(&b, p + n - 4, 4);
    w = ((uint64_t)a << 32) | b;
  } else {
    w = n ? ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1] : 0;
  }
  h = (h ^ w) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

#endif
