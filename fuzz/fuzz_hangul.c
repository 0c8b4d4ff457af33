/*
 * fuzz_hangul.c: libFuzzer target for gisa.hangul and gisa.hash. Every
 * function that takes a string gets the input through the Lua API, as a script
 * would call it (parameters such as k and shingle sizes come from its first
 * bytes). Invariants that must hold for any input abort the run when broken:
 * decompose(compose(decompose(s))) == decompose(s), search ranges lie inside
 * the text on character boundaries, signatures are deterministic.
 * Run from the checkout root so that lua/gisa/analysis/josa.lua (strip_josa) is found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;   /* the fuzz harness's one state (index 1: hangul, 2: hash) */

static void setup(void)
{
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_gisa_hangul); lua_setfield(L, -2, "gisa.hangul");
  lua_pushcfunction(L, luaopen_gisa_hash);   lua_setfield(L, -2, "gisa.hash");
  lua_pop(L, 1);
  if (luaL_dostring(L, "package.path = './lua/?.lua;' .. package.path") != LUA_OK) abort();
  lua_getglobal(L, "require"); lua_pushliteral(L, "gisa.hangul"); lua_call(L, 1, 1);
  lua_getglobal(L, "require"); lua_pushliteral(L, "gisa.hash");   lua_call(L, 1, 1);
}

/* mod[name](args) in protected mode; leaves nres results (or the error). */
static int call(int mod, const char *name, int nargs, int nres)
{
  lua_getfield(L, mod, name);
  lua_insert(L, -nargs - 1);
  return lua_pcall(L, nargs, nres, 0);
}

static void call1(int mod, const char *name, const char *s, size_t n)
{
  int top = lua_gettop(L);
  lua_pushlstring(L, s, n);
  call(mod, name, 1, LUA_MULTRET);
  lua_settop(L, top);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) setup();
  const char *s = (const char *)data;
  int top = lua_gettop(L);
  int valid = gisa_utf8_valid_prefix(data, size) == size;

  call1(1, "decompose", s, size);
  call1(1, "compose", s, size);
  call1(1, "choseong", s, size);
  call1(1, "romanize", s, size);
  call1(1, "has_batchim", s, size);
  call1(1, "strip_josa", s, size);
  static const char *const kinds[] = { "single", "double", "ㄹ", "ㅄ" };
  for (int i = 0; i < 4; i++) {
    lua_pushlstring(L, s, size); lua_pushstring(L, kinds[i]);
    call(1, "has_batchim", 2, 0);
  }
  static const char *const pairs[] = { "은/는", "으로/로", "이나/나", "이에요/예요", "는" };
  for (int i = 0; i < 5; i++) {
    lua_pushlstring(L, s, size); lua_pushstring(L, pairs[i]);
    if (call(1, "josa_pick", 2, 1) != LUA_OK || !lua_isstring(L, -1)) abort();
    lua_pop(L, 1);
    lua_pushlstring(L, s, size); lua_pushstring(L, pairs[i]);
    call(1, "josa", 2, 0);
  }
  lua_pushliteral(L, "집"); lua_pushlstring(L, s, size);   /* the input as the pair: may raise */
  call(1, "josa", 2, 0);

  /* decompose(compose(decompose(s))) == decompose(s) */
  if (valid) {
    lua_pushlstring(L, s, size);
    if (call(1, "decompose", 1, 1) != LUA_OK || !lua_isstring(L, -1)) abort();
    int d1 = lua_gettop(L);
    lua_pushvalue(L, d1);
    if (call(1, "compose", 1, 1) != LUA_OK || !lua_isstring(L, -1)) abort();
    if (call(1, "decompose", 1, 1) != LUA_OK || !lua_isstring(L, -1)) abort();
    if (!lua_rawequal(L, d1, -1)) abort();
    lua_settop(L, top);
  }

  /* search: text = the input, query = its first few characters */
  if (size > 0) {
    size_t qn = 0;
    for (int c = 0; c < 1 + data[0] % 4 && qn < size; c++) {
      uint32_t cp;
      int k = gisa_utf8_decode(data + qn, size - qn, &cp);
      qn += k > 0 ? (size_t)k : 1;
    }
    lua_pushlstring(L, s, size);
    lua_pushlstring(L, s, qn);
    if (call(1, "search", 2, 1) == LUA_OK && lua_istable(L, -1)) {
      lua_Integer n = luaL_len(L, -1), prev = 0;
      for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        lua_Integer a = lua_tointeger(L, -2), b = lua_tointeger(L, -1);
        if (a <= prev || b < a || (size_t)b > size) abort();
        if ((data[a - 1] & 0xC0) == 0x80 || (b < (lua_Integer)size && (data[b] & 0xC0) == 0x80)) abort();
        prev = b;
        lua_pop(L, 3);
      }
    }
    lua_settop(L, top);
  }

  /* hashing: any bytes; the first 512 are plenty for the shingle logic, and
   * the per-slot loops are slow under coverage instrumentation */
  if (size > 512) size = 512;
  lua_Integer k = 1 + (size ? data[0] % 32 : 0), w = 1 + (size > 1 ? data[1] % 8 : 2);
  lua_pushlstring(L, s, size);
  call(2, "hash64", 1, 0);
  lua_pushlstring(L, s, size); lua_pushinteger(L, w);
  if (call(2, "simhash", 2, 1) != LUA_OK || !lua_isinteger(L, -1)) abort();
  lua_pushlstring(L, s, size); lua_pushinteger(L, w);
  if (call(2, "simhash", 2, 1) != LUA_OK || !lua_rawequal(L, -1, -2)) abort();
  lua_pushinteger(L, 0);
  call(2, "hamming", 2, 0);
  lua_settop(L, top);
  lua_pushlstring(L, s, size); lua_pushinteger(L, k); lua_pushinteger(L, w);
  if (call(2, "minhash", 3, 1) != LUA_OK || !lua_istable(L, -1)) abort();
  lua_pushlstring(L, s, size); lua_pushinteger(L, k); lua_pushinteger(L, w);
  if (call(2, "minhash", 3, 1) != LUA_OK) abort();
  if (call(2, "jaccard", 2, 1) != LUA_OK || lua_tonumber(L, -1) != 1.0) abort();
  lua_settop(L, top);
  return 0;
}
