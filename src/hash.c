/*
 * hash.c: gisa.hash (being written; see the issues).
 */
#include "gisa.h"

static const luaL_Reg hash_funcs[] = {
  {NULL, NULL}
};

int luaopen_gisa_hash(lua_State *L)
{
  luaL_newlib(L, hash_funcs);
  return 1;
}
