/*
 * textmap.h: the text argument of the C modules: a Lua string or a file mapped
 * by text.map (userdata "gisa.text.map"), so that big files are read in place,
 * without a copy into a Lua string. Header-only: each module stays a stock
 * Lua C module with no link-time dependency on text.c.
 */
#ifndef GISA_TEXTMAP_H
#define GISA_TEXTMAP_H
#include <stddef.h>
#include <lua.h>
#include <lauxlib.h>

#define MAP_MT "gisa.text.map"

/* A file mapped into memory by text.map: every function that reads text takes it. */
typedef struct TextMap {
  unsigned char *p;
  size_t n;
  int closed;
  int mapped;     /* 0: a view of memory someone else owns (gisa_text_pushview) */
} TextMap;

/* The text argument at index i: a string, or a map from text.map. */
static inline const unsigned char *gisa_checktext(lua_State *L, int i, size_t *n)
{
  if (lua_type(L, i) != LUA_TSTRING) {
    TextMap *m = luaL_testudata(L, i, MAP_MT);
    if (m) {
      if (m->closed) luaL_argerror(L, i, "map is closed");
      *n = m->n;
      return m->n ? m->p : (const unsigned char *)"";
    }
  }
  return (const unsigned char *)luaL_checklstring(L, i, n);
}
#endif
