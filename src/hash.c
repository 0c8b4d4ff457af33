/*
 * hash.c: gisa.hash, hashing for near-duplicate detection: a 64-bit string
 * hash (xxHash64, written from its published specification), SimHash and
 * MinHash signatures over UTF-8 character shingles, and their comparisons.
 * A "character" is a valid UTF-8 sequence, or one maximal invalid subpart
 * (as gisa.text.clean counts them), so any byte string can be hashed.
 * Results are Lua integers holding the 64 bits (they may be negative).
 */
#include <stdint.h>
#include <string.h>

#include "gisa.h"
#include "utf8.h"

/* --------------------------------------------------------------- xxHash64 */

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

/* hash.hash64(s [, seed]) -> integer   (xxHash64 of the bytes; seed defaults to 0) */
static int hash_hash64(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  uint64_t seed = (uint64_t)luaL_optinteger(L, 2, 0);
  lua_pushinteger(L, (lua_Integer)xxh64(s, n, seed));
  return 1;
}

/* --------------------------------------------------------------- shingles */

/* Calls fn(ctx, hash) for the xxHash64 of every run of w consecutive
 * characters of s; a non-empty text shorter than w is one shingle. */
#define MAX_SHINGLE 64
typedef void (*shingle_fn)(void *ctx, uint64_t h);

static void shingles(const unsigned char *s, size_t n, int w, shingle_fn fn, void *ctx)
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

static int opt_shingle(lua_State *L, int arg)
{
  lua_Integer w = luaL_optinteger(L, arg, 3);
  luaL_argcheck(L, w >= 1 && w <= MAX_SHINGLE, arg, "shingle size out of range (1-64)");
  return (int)w;
}

/* ---------------------------------------------------------------- SimHash */

/* Per-bit counts of set bits and the number of shingles: bit b of the
 * result is set when more than half of the shingle hashes have it (the sum
 * of +1/-1 votes is positive). The counting loop vectorizes. */
typedef struct { uint32_t cnt[64]; uint32_t n; } simhash_ctx;

static void simhash_add(void *ctx, uint64_t h)
{
  simhash_ctx *c = ctx;
  for (int b = 0; b < 64; b++) c->cnt[b] += (uint32_t)((h >> b) & 1);
  c->n++;
}

/* hash.simhash(s [, shingle=3]) -> integer   (64-bit SimHash of the character shingles) */
static int hash_simhash(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int w = opt_shingle(L, 2);
  simhash_ctx c;
  memset(&c, 0, sizeof c);
  shingles(s, n, w, simhash_add, &c);
  uint64_t r = 0;
  for (int b = 0; b < 64; b++)
    if (2 * (uint64_t)c.cnt[b] > c.n) r |= 1ull << b;
  lua_pushinteger(L, (lua_Integer)r);
  return 1;
}

/* hash.hamming(a, b) -> integer   (number of differing bits, 0-64) */
static int hash_hamming(lua_State *L)
{
  uint64_t a = (uint64_t)luaL_checkinteger(L, 1), b = (uint64_t)luaL_checkinteger(L, 2);
  lua_pushinteger(L, __builtin_popcountll(a ^ b));
  return 1;
}

/* ---------------------------------------------------------------- MinHash */

/* k hash functions from one: slot i maps a shingle hash h (already well
 * mixed by xxHash64) to (h ^ salt_i) * mul_i (mul_i odd), a bijection of
 * 64-bit values; one multiply per slot instead of a full finalizer. */
typedef struct { size_t k; uint64_t *salt, *mul, *min; } minhash_ctx;

static inline uint64_t fmix64(uint64_t x)
{
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

static void minhash_add(void *ctx, uint64_t h)
{
  const minhash_ctx *m = ctx;
  const uint64_t *restrict salt = m->salt, *restrict mul = m->mul;
  uint64_t *restrict mn = m->min;
  size_t k = m->k;
  for (size_t i = 0; i < k; i++) {
    uint64_t x = (h ^ salt[i]) * mul[i];
    mn[i] = x < mn[i] ? x : mn[i];
  }
}

/* hash.minhash(s, k [, shingle=3]) -> array of k integers
 * (slot i: the least of hash i over the character shingles; an empty text
 * gives k times -1, the largest 64-bit value) */
static int hash_minhash(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 1 && k <= 65536, 2, "signature size out of range (1-65536)");
  int w = opt_shingle(L, 3);
  minhash_ctx m;
  m.k = (size_t)k;
  m.salt = lua_newuserdatauv(L, 3 * m.k * sizeof(uint64_t), 0);
  m.mul = m.salt + m.k;
  m.min = m.mul + m.k;
  uint64_t state = 0x243F6A8885A308D3ull;   /* fixed salts (splitmix64): signatures are comparable across runs */
  for (size_t i = 0; i < m.k; i++) {
    state += 0x9E3779B97F4A7C15ull;
    m.salt[i] = fmix64(state);
    state += 0x9E3779B97F4A7C15ull;
    m.mul[i] = fmix64(state) | 1;
    m.min[i] = UINT64_MAX;
  }
  shingles(s, n, w, minhash_add, &m);
  lua_createtable(L, (int)k, 0);
  for (size_t i = 0; i < m.k; i++) {
    lua_pushinteger(L, (lua_Integer)m.min[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* hash.jaccard(sig1, sig2) -> number   (fraction of equal slots: the Jaccard estimate) */
static int hash_jaccard(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_Integer k = luaL_len(L, 1);
  luaL_argcheck(L, k > 0, 1, "empty signature");
  luaL_argcheck(L, luaL_len(L, 2) == k, 2, "signatures differ in length");
  lua_Integer same = 0;
  for (lua_Integer i = 1; i <= k; i++) {
    lua_rawgeti(L, 1, i);
    lua_rawgeti(L, 2, i);
    if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1))
      return luaL_error(L, "signature slot %d is not an integer", (int)i);
    same += lua_tointeger(L, -2) == lua_tointeger(L, -1);
    lua_pop(L, 2);
  }
  lua_pushnumber(L, (lua_Number)same / (lua_Number)k);
  return 1;
}

static const luaL_Reg hash_funcs[] = {
  {"hash64", hash_hash64},
  {"simhash", hash_simhash},
  {"hamming", hash_hamming},
  {"minhash", hash_minhash},
  {"jaccard", hash_jaccard},
  {NULL, NULL}
};

int luaopen_gisa_hash(lua_State *L)
{
  luaL_newlib(L, hash_funcs);
  return 1;
}
