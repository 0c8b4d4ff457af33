/*
 * gisa.h: what the host and the C modules share.
 * Each module has one luaopen_gisa_NAME; the host preloads them all, and each
 * is also built as a stock Lua C module (build/lib/gisa/NAME.so).
 */
#ifndef GISA_H
#define GISA_H

#include <lua.h>
#include <lauxlib.h>

int luaopen_gisa_text(lua_State *L);
int luaopen_gisa_hangul(lua_State *L);
int luaopen_gisa_enc(lua_State *L);
int luaopen_gisa_sys(lua_State *L);
int luaopen_gisa_hash(lua_State *L);
int luaopen_gisa_minhash(lua_State *L);
int luaopen_gisa_count(lua_State *L);
int luaopen_gisa_jsonw(lua_State *L);
int luaopen_gisa_jsonr(lua_State *L);
int luaopen_gisa_lines(lua_State *L);
int luaopen_gisa_zio(lua_State *L);
int luaopen_gisa_wire(lua_State *L);
int luaopen_gisa_proc(lua_State *L);
int luaopen_gisa_htmlparse(lua_State *L);
int luaopen_gisa_split(lua_State *L);
int luaopen_gisa_tally(lua_State *L);
int luaopen_gisa_quote(lua_State *L);

/* A userdata that takes or gives text without making a Lua string of it
 * (gisa.proc's channel: a -j worker writes each record's text into a ring
 * shared with the parent, the parent writes it out from there). Its
 * metatable's field "__gisa_text" is a light userdata pointing to one of
 * these; gisa.jsonw looks for it, so neither module links to the other. */
typedef struct {
  /* add s[0..n) to the text being made; 0 when out of memory */
  int (*append)(void *ud, const char *s, size_t n);
  /* the text given on now: p1[0..n1) then p2[0..n2) (n2 > 0 when it wraps) */
  void (*text)(void *ud, const char **p1, size_t *n1, const char **p2, size_t *n2);
  /* that text has been written: its room may be used again */
  void (*done)(void *ud);
} GisaText;
#define GISA_TEXT "__gisa_text"

#endif
