/*
 * xxhash.h: the hashing that gisa.hash and gisa.minhash share, so that their
 * signatures agree: xxHash64 (from its published specification), the walk over
 * the UTF-8 character shingles of a text, and MinHash's fixed family of k hash
 * functions. Header-only: each module stays a stock Lua C module.
 */
#ifndef GISA_XXHASH_H
#define GISA_XXHASH_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t read64(const unsigned char *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static inline uint32_t read32(const unsigned char *p)
{
  uint32_t v;
  memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static inline uint64_t xx_round(uint64_t acc, uint64_t in)
{
  acc += in * P2;
  acc = rotl64(acc, 31);
  return acc * P1;
}

static inline uint64_t xx_merge(uint64_t acc, uint64_t v)
{
  acc ^= xx_round(0, v);
  return acc * P1 + P4;
}

static uint64_t xxh64(const unsigned char *p, size_t len, uint64_t seed)
{
  const unsigned char *end = p + len;
  uint64_t h;
  if (len >= 32) {
    uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    const unsigned char *limit = end - 32;
    do {
      v1 = xx_round(v1, read64(p));
      v2 = xx_round(v2, read64(p + 8));
      v3 = xx_round(v3, read64(p + 16));
      v4 = xx_round(v4, read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    h = xx_merge(h, v1);
    h = xx_merge(h, v2);
    h = xx_merge(h, v3);
    h = xx_merge(h, v4);
  } else
    h = seed + P5;
  h += (uint64_t)len;
  while (end - p >= 8) {
    h ^= xx_round(0, read64(p));
    h = rotl64(h, 27) * P1 + P4;
    p += 8;
  }
  if (end - p >= 4) {
    h ^= (uint64_t)read32(p) * P1;
    h = rotl64(h, 23) * P2 + P3;
    p += 4;
  }
  while (p < end) {
    h ^= (uint64_t)(*p++) * P5;
    h = rotl64(h, 11) * P1;
  }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

/* Calls fn(ctx, hash) for the xxHash64 of every run of w consecutive
 * characters of s; a non-empty text shorter than w is one shingle. */
#define MAX_SHINGLE 64
typedef void (*shingle_fn)(void *ctx, uint64_t h);

static inline void shingles(const unsigned char *s, size_t n, int w, shingle_fn fn, void *ctx)
{
  size_t starts[MAX_SHINGLE];   /* ring of the last w character starts */
  size_t i = 0, count = 0;
  while (i < n) {
    uint32_t c;
    int k = gisa_utf8_decode(s + i, n - i, &c);
    size_t len = k > 0 ? (size_t)k : (size_t)c;   /* c: length of the invalid subpart */
    starts[count % (size_t)w] = i;
    count++;
    i += len;
    if (count >= (size_t)w) {
      size_t first = starts[(count - (size_t)w) % (size_t)w];
      fn(ctx, xxh64(s + first, i - first, 0));
    }
  }
  if (count > 0 && count < (size_t)w) fn(ctx, xxh64(s, n, 0));
}

static inline uint64_t fmix64(uint64_t x)
{
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

/* The k hash functions of MinHash: slot i maps a shingle hash h (already well
 * mixed by xxHash64) to (h ^ salt[i]) * mul[i] (mul[i] odd), a bijection of
 * 64-bit values. Fixed salts (splitmix64), so signatures agree across runs. */
static inline void minhash_family(size_t k, uint64_t *salt, uint64_t *mul)
{
  uint64_t state = 0x243F6A8885A308D3ull;
  for (size_t i = 0; i < k; i++) {
    state += 0x9E3779B97F4A7C15ull;
    salt[i] = fmix64(state);
    state += 0x9E3779B97F4A7C15ull;
    mul[i] = fmix64(state) | 1;
  }
}

#endif
