/*
 * unit.c: runs the C unit tests (tests/c/test_*.c) and prints "N passed, M failed".
 */
#include <stdlib.h>
#include "unit.h"
#include "gisa.h"

#define MAX_TESTS 512
static struct { const char *name; unit_fn fn; } tests[MAX_TESTS];
static int ntests;

void unit_register(const char *name, unit_fn fn)
{
  if (ntests < MAX_TESTS) { tests[ntests].name = name; tests[ntests].fn = fn; ntests++; }
}

int unit_lua(lua_State *L, int *fails, const char *code)
{
  int top = lua_gettop(L);
  if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, LUA_MULTRET, 0) != LUA_OK) {
    (*fails)++;
    printf("  lua error: %s\n", lua_tostring(L, -1));
    lua_settop(L, top);
    return -1;
  }
  return lua_gettop(L) - top;
}

static lua_State *new_state(void)
{
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_gisa_text); lua_setfield(L, -2, "gisa.text");
  lua_pushcfunction(L, luaopen_gisa_hangul); lua_setfield(L, -2, "gisa.hangul");
  lua_pushcfunction(L, luaopen_gisa_enc);  lua_setfield(L, -2, "gisa.enc");
  lua_pushcfunction(L, luaopen_gisa_sys);  lua_setfield(L, -2, "gisa.sys");
  lua_pushcfunction(L, luaopen_gisa_hash); lua_setfield(L, -2, "gisa.hash");
  lua_pushcfunction(L, luaopen_gisa_zio);  lua_setfield(L, -2, "gisa.zio");
  lua_pop(L, 1);
  return L;
}

int main(int argc, char **argv)
{
  int passed = 0, failed = 0;
  for (int i = 0; i < ntests; i++) {
    if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
    lua_State *L = new_state();
    int fails = 0;
    tests[i].fn(L, &fails);
    lua_close(L);
    if (fails) { failed++; printf("FAIL unit: %s\n", tests[i].name); }
    else passed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
