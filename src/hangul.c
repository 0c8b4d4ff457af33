/*
 * hangul.c: gisa.hangul (being written; see the issues).
 */
#include "gisa.h"

static const luaL_Reg hangul_funcs[] = {
  {NULL, NULL}
};

int luaopen_gisa_hangul(lua_State *L)
{
  luaL_newlib(L, hangul_funcs);
  return 1;
}
