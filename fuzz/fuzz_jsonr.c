/*
 * fuzz_jsonr.c: libFuzzer target for gisa.jsonr, the JSON decoder of the dump
 * readers. The input is any bytes read as JSON text: bad text must give nil, a
 * message and a position inside the text (or just past it); good text must
 * decode to a value that gisa.jsonw writes and jsonr reads back, and
 * writing and reading again gives the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

/* mod[name](the value at the top) in protected mode: its results stay (3). */
static int call(int mod, const char *name)
{
  lua_getfield(L, mod, name);
  lua_insert(L, -2);
  return lua_pcall(L, 1, 3, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) {                          /* the modules stay at 1 and 2 */
    L = luaL_newstate();
    luaL_openlibs(L);
    luaopen_gisa_jsonr(L);                  /* 1 */
    luaopen_gisa_jsonw(L);                  /* 2 */
  }
  lua_settop(L, 2);
  lua_pushlstring(L, (const char *)data, size);
  check(call(1, "decode") == LUA_OK, "decode never raises on a string");
  if (lua_isnil(L, -3)) {
    if (lua_isnil(L, -2)) return 0;         /* null */
    check(lua_type(L, -2) == LUA_TSTRING, "bad text gives a message");
    lua_Integer pos = lua_tointeger(L, -1);
    check(pos >= 1 && (size_t)pos <= size + 1, "the position is inside the text");
    return 0;
  }
  /* written, read, written, read, written: the last two texts agree (the
   * first writing may lose what JSON has no text for, such as 1e999) */
  lua_settop(L, 3);                         /* the value */
  int v = 3;
  for (int round = 0; round < 3; round++) {
    lua_pushvalue(L, v);
    check(call(2, "encode") == LUA_OK, "encode writes what decode read");
    lua_settop(L, v + 1);                   /* the text */
    lua_pushvalue(L, v + 1);
    check(call(1, "decode") == LUA_OK, "decode never raises on a string");
    check(!lua_isnil(L, v + 2) || lua_isnil(L, v + 3), "decode reads what encode wrote");
    lua_settop(L, v + 2);                   /* the text, the value read from it */
    v += 2;
  }
  check(lua_rawequal(L, 6, 8), "the text written twice is the same");
  return 0;
}
