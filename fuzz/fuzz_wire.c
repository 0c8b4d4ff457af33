/*
 * fuzz_wire.c: libFuzzer target for gisa.wire. Any bytes decode to a value or
 * to nil, message, position inside the input; a decoded value encodes again,
 * and that encoding decodes to a value whose encoding is the same length
 * (the same value: only the order of hash keys may differ).
 */
#include <stdint.h>
#include <stdlib.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;   /* the harness's one state; index 1 is the wire module */

static void setup(void)
{
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "gisa.wire", luaopen_gisa_wire, 0);
}

/* wire[name](arg at index idx) protected; returns the status, results on top */
static int call(const char *name, int idx, int nres)
{
  lua_getfield(L, 1, name);
  lua_pushvalue(L, idx);
  return lua_pcall(L, 1, nres, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) setup();
  int top = lua_gettop(L);
  lua_pushlstring(L, (const char *)data, size);
  if (call("decode", top + 1, 3) != LUA_OK) abort();      /* bad data never raises */
  if (lua_type(L, -2) == LUA_TSTRING) {                   /* nil, message, position */
    lua_Integer pos = lua_tointeger(L, -1);
    if (!lua_isnil(L, -3) || pos < 1 || (size_t)pos > size + 1) abort();
  } else {
    lua_Integer next = lua_tointeger(L, -2);
    if (next < 2 || (size_t)next > size + 1) abort();
    lua_pop(L, 2);                                          /* the value */
    int v = lua_gettop(L);
    if (call("encode", v, 1) != LUA_OK) abort();           /* decoded values always encode */
    int e = lua_gettop(L);
    size_t n1 = lua_rawlen(L, e);
    if (call("decode", e, 2) != LUA_OK || lua_isnil(L, -1)) abort();
    lua_pop(L, 1);
    if (call("encode", lua_gettop(L), 1) != LUA_OK) abort();
    if (lua_rawlen(L, -1) != n1) abort();
  }
  lua_settop(L, top);
  return 0;
}
