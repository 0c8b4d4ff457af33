/*
 * fuzz_minhash.c: libFuzzer target for gisa.minhash. Any bytes: a signature
 * equal to the top 32 bits of gisa.hash.minhash; a key equal to xxHash64 of
 * the squeezed text; join() the squeeze of its pieces joined by newlines;
 * lines() well formed and accepted by a tally; the bytes
 * themselves as a damaged lines string raise an error, never crash; a set of
 * signatures cut from the bytes lists candidate pairs j < i.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;   /* the harness's one state; 1: gisa.minhash, 2: gisa.hash */

static void setup(void)
{
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "gisa.minhash", luaopen_gisa_minhash, 0);
  luaL_requiref(L, "gisa.hash", luaopen_gisa_hash, 0);
}

/* module[name](the nargs values on top) protected: the status, nres results on top */
static int call(int module, const char *name, int nargs, int nres)
{
  lua_getfield(L, module, name);
  lua_insert(L, -nargs - 1);
  return lua_pcall(L, nargs, nres, 0);
}

/* obj:name(the nargs values on top), obj at index o */
static int method(int o, const char *name, int nargs, int nres)
{
  lua_getfield(L, o, name);
  lua_pushvalue(L, o);
  lua_rotate(L, -nargs - 2, 2);
  return lua_pcall(L, nargs + 1, nres, 0);
}

static uint32_t get32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) setup();
  int top = lua_gettop(L);
  const char *s = (const char *)data;
  lua_Integer k = size > 0 ? 1 + data[0] % 70 : 8, w = size > 1 ? 1 + data[1] % 8 : 5;

  /* the signature agrees with gisa.hash.minhash */
  lua_pushlstring(L, s, size); lua_pushinteger(L, k); lua_pushinteger(L, w);
  if (call(1, "signature", 3, 1) != LUA_OK) abort();
  size_t n;
  const unsigned char *sig = (const unsigned char *)lua_tolstring(L, -1, &n);
  if (n != 4 * (size_t)k) abort();
  lua_pushlstring(L, s, size); lua_pushinteger(L, k); lua_pushinteger(L, w);
  if (call(2, "minhash", 3, 1) != LUA_OK) abort();
  for (lua_Integer i = 1; i <= k; i++) {
    lua_rawgeti(L, -1, i);
    if ((uint32_t)((uint64_t)lua_tointeger(L, -1) >> 32) != get32(sig + 4 * (i - 1))) abort();
    lua_pop(L, 1);
  }
  lua_settop(L, top);

  /* key = hash64(squeeze) */
  lua_pushlstring(L, s, size);
  if (call(1, "squeeze", 1, 2) != LUA_OK) abort();
  lua_pop(L, 1);
  if (lua_rawlen(L, -1) > size) abort();
  if (call(2, "hash64", 1, 1) != LUA_OK) abort();
  lua_pushlstring(L, s, size);
  if (call(1, "key", 1, 1) != LUA_OK) abort();
  if (lua_tointeger(L, -1) != lua_tointeger(L, -2)) abort();
  lua_settop(L, top);

  /* join(title, {b1, b2}) = squeeze(title .. "\n" .. b1 .. "\n" .. b2), the bytes cut in three */
  {
    size_t c1 = size / 3, c2 = 2 * size / 3;
    lua_pushlstring(L, s, c1);
    lua_createtable(L, 2, 0);
    lua_pushlstring(L, s + c1, c2 - c1); lua_rawseti(L, -2, 1);
    lua_pushlstring(L, s + c2, size - c2); lua_rawseti(L, -2, 2);
    if (call(1, "join", 2, 1) != LUA_OK) abort();
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addlstring(&b, s, c1); luaL_addchar(&b, '\n');
    luaL_addlstring(&b, s + c1, c2 - c1); luaL_addchar(&b, '\n');
    luaL_addlstring(&b, s + c2, size - c2);
    luaL_pushresult(&b);
    if (call(1, "squeeze", 1, 1) != LUA_OK) abort();
    if (!lua_rawequal(L, -1, -2)) abort();
    lua_settop(L, top);
  }

  /* lines: well formed, numbers rising, accepted by a tally */
  lua_pushlstring(L, s, size); lua_pushinteger(L, size > 2 ? data[2] % 12 : 10);
  if (call(1, "lines", 2, 1) != LUA_OK) abort();
  int lines = lua_gettop(L);
  const unsigned char *p = (const unsigned char *)lua_tolstring(L, lines, &n);
  size_t at = 0;
  uint32_t last = 0;
  while (at < n) {
    if (n - at < 16) abort();
    uint32_t lineno = get32(p + at + 8), len = get32(p + at + 12);
    if (lineno <= last || n - at - 16 < len || len > size) abort();
    last = lineno;
    at += 16 + len;
  }
  if (call(1, "tally", 0, 1) != LUA_OK) abort();
  int tally = lua_gettop(L);
  lua_pushvalue(L, lines);
  if (method(tally, "add_lines", 1, 0) != LUA_OK) abort();
  lua_pushlstring(L, s, size);               /* the bytes as a lines string: an error or not */
  (void)method(tally, "add_lines", 1, 0);
  lua_settop(L, tally);
  if (method(tally, "seal", 0, 0) != LUA_OK) abort();
  lua_pushvalue(L, lines); lua_pushinteger(L, 2);
  if (method(tally, "repeated", 2, 1) != LUA_OK) abort();
  lua_settop(L, tally);
  lua_pushlstring(L, s, size);
  (void)method(tally, "repeated", 1, 1);
  lua_settop(L, top);

  /* a set of 4-slot signatures cut from the bytes: pairs j < i */
  lua_pushinteger(L, 4);
  if (call(1, "set", 1, 1) != LUA_OK) abort();
  int set = lua_gettop(L);
  size_t nsig = 0;
  for (size_t i = 0; i + 16 <= size && nsig < 64; i += 16, nsig++) {
    lua_pushlstring(L, s + i, 16);
    if (method(set, "add", 1, 1) != LUA_OK) abort();
    lua_pop(L, 1);
  }
  lua_pushinteger(L, 2); lua_pushinteger(L, 2);
  if (method(set, "candidates", 2, 1) != LUA_OK) abort();
  lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
  if (m % 3 != 0) abort();
  for (lua_Integer i = 1; i <= m; i += 3) {
    lua_rawgeti(L, -1, i); lua_rawgeti(L, -2, i + 1);
    lua_Integer a = lua_tointeger(L, -2), b = lua_tointeger(L, -1);
    if (a < 1 || a >= b || (size_t)b > nsig) abort();
    lua_pop(L, 2);
  }
  lua_settop(L, top);
  return 0;
}
