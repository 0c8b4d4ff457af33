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

#endif
