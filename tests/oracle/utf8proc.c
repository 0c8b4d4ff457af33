/*
 * tests/oracle/utf8proc.c: utf8proc's own whole-string normalization (the
 * steps of utf8proc_map), the reference that gisa.text.normalize is tested and
 * benchmarked against. Not part of gisa: built as build/lib/oracle/utf8proc.so
 * and loaded by tests/lib/oracle.lua.
 */
#include <lua.h>
#include <lauxlib.h>
#include <utf8proc.h>

int luaopen_oracle_utf8proc(lua_State *L);

/* normalize(s [, form = "NFC"]) -> string | nil, message */
static int oracle_normalize(lua_State *L)
{
  static const char *const names[] = { "NFC", "NFD", "NFKC", "NFKD", NULL };
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  int form = luaL_checkoption(L, 2, "NFC", names);
  utf8proc_option_t opts = UTF8PROC_STABLE | (form == 0 || form == 2 ? UTF8PROC_COMPOSE : UTF8PROC_DECOMPOSE)
                         | (form >= 2 ? UTF8PROC_COMPAT : 0);
  utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, NULL, 0, opts);
  if (m < 0) { lua_pushnil(L); lua_pushstring(L, utf8proc_errmsg(m)); return 2; }
  utf8proc_int32_t *buf = lua_newuserdatauv(L, ((size_t)m + 1) * sizeof *buf, 0);
  m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, buf, m, opts);
  m = utf8proc_reencode(buf, m, opts);
  if (m < 0) { lua_pushnil(L); lua_pushstring(L, utf8proc_errmsg(m)); return 2; }
  lua_pushlstring(L, (const char *)buf, (size_t)m);
  return 1;
}

static const luaL_Reg oracle_funcs[] = {
  {"normalize", oracle_normalize},
  {NULL, NULL}
};

int luaopen_oracle_utf8proc(lua_State *L)
{
  luaL_newlib(L, oracle_funcs);
  return 1;
}
