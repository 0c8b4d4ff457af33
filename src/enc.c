/*
 * enc.c: gisa.enc (being written; see the issues).
 */
#include "gisa.h"

static const luaL_Reg enc_funcs[] = {
  {NULL, NULL}
};

int luaopen_gisa_enc(lua_State *L)
{
  luaL_newlib(L, enc_funcs);
  return 1;
}
