/*
 * text.c: gisa.text (being written; see the issues).
 */
#include "gisa.h"

static const luaL_Reg text_funcs[] = {
  {NULL, NULL}
};

int luaopen_gisa_text(lua_State *L)
{
  luaL_newlib(L, text_funcs);
  return 1;
}
