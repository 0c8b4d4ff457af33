/*
 * fuzz_html.c: libFuzzer target for the HTML parser glue (src/html.c) and the
 * DOM of gisa.html. The input is a page (and, after a NUL, a selector): it goes
 * through htmlparse.parse raw and through html.parse, and the checks of
 * fuzz/fuzz_html.lua walk the tree, run text/path/meta/jsonld and select with
 * fixed selectors and the fuzzed one; a broken invariant there, an error other
 * than a bad selector, or a sanitizer report aborts the run. Run from the
 * checkout's root (make fuzz), which holds lua/ and fuzz/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int luaopen_lpeg(lua_State *L);
int luaopen_cjson(lua_State *L);
int luaopen_cjson_safe(lua_State *L);

static lua_State *L;

static void preload(const char *name, lua_CFunction f)
{
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* The Lua checks: a function (page, selector) kept in the registry. */
static int checks_ref = LUA_NOREF;

static void setup(void)
{
  L = luaL_newstate();
  luaL_openlibs(L);
  preload("lpeg", luaopen_lpeg);
  preload("cjson", luaopen_cjson);
  preload("cjson.safe", luaopen_cjson_safe);
  preload("gisa.text", luaopen_gisa_text);
  preload("gisa.enc", luaopen_gisa_enc);
  preload("gisa.htmlparse", luaopen_gisa_htmlparse);
  lua_getglobal(L, "package");
  lua_pushliteral(L, "lua/?.lua;lua/?/init.lua;fuzz/?.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  if (luaL_loadfile(L, "fuzz/fuzz_html.lua") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_html: %s (run from the checkout's root)\n", lua_tostring(L, -1));
    abort();
  }
  checks_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) setup();
  const char *s = (const char *)data;
  const char *nul = memchr(s, '\0', size);
  size_t page = nul ? (size_t)(nul - s) : size;
  lua_settop(L, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, checks_ref);
  lua_pushlstring(L, s, size);                 /* the whole input as the page, NULs and all */
  if (nul) lua_pushlstring(L, s + page + 1, size - page - 1);
  else lua_pushnil(L);
  if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_html: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_settop(L, 0);
  lua_gc(L, LUA_GCCOLLECT, 0);
  return 0;
}
