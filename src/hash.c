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
#include "xxhash.h"

/* --------------------------------------------------------------- xxHash64 */

/* hash.hash64(s [, seed]) -> integer   (xxHash64 of the bytes; seed defaults to 0) */
static int hash_hash64(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  uint64_t seed = (uint64_t)luaL_optinteger(L, 2, 0);
  lua_pushinteger(L, (lua_Integer)xxh64(s, n, seed));
  return 1;
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

/* k hash functions from one (minhash_family, xxhash.h): one multiply per
 * slot instead of a full finalizer. */
typedef struct { size_t k; uint64_t *salt, *mul, *min; } minhash_ctx;

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
  minhash_family(m.k, m.salt, m.mul);   /* fixed salts: signatures are comparable across runs */
  for (size_t i = 0; i < m.k; i++) m.min[i] = UINT64_MAX;
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
