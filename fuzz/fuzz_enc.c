/*
 * fuzz_enc.c: libFuzzer target for gisa.enc. The input goes through detect,
 * decode (auto and named), the streaming converter (split where the first byte
 * says), convert and repair, as a script would call them; invariants that must
 * hold for any input abort the run when broken: decoded text is valid UTF-8
 * without CR or NUL, chunked decoding equals whole decoding, repair keeps valid
 * text valid and leaves alone what it does not count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

/* enc[name](args on the stack) in protected mode; leaves its results */
static int ecall(const char *name, int nargs)
{
  lua_getfield(L, 1, name);
  lua_insert(L, -nargs - 1);
  return lua_pcall(L, nargs, LUA_MULTRET, 0);
}

static int clean_utf8(const char *s, size_t n)
{
  return gisa_utf8_valid_prefix((const unsigned char *)s, n) == n && !memchr(s, '\r', n) &&
         !memchr(s, '\0', n);
}

/* Decode with `from` whole and in two or three chunks; both must agree. */
static void decode_both(const char *data, size_t size, const char *from, size_t cut1, size_t cut2)
{
  int base = lua_gettop(L);
  lua_pushlstring(L, data, size);
  lua_pushstring(L, from);
  int st = ecall("decode", 2);
  if (st != LUA_OK) { lua_settop(L, base); return; }   /* only for an unknown name */
  if (lua_isnil(L, base + 1)) {   /* binary data, for "auto" */
    check(strcmp(from, "auto") == 0, "decode: nil for a named encoding");
    check(lua_isinteger(L, base + 3) && lua_tointeger(L, base + 3) >= 1 &&
          lua_tointeger(L, base + 3) <= (lua_Integer)size, "decode: offset in range");
    lua_settop(L, base);
    return;
  }
  size_t n;
  const char *text = lua_tolstring(L, base + 1, &n);
  check(text && clean_utf8(text, n), "decode: clean UTF-8");
  lua_getfield(L, base + 2, "replaced");
  lua_Integer replaced = lua_tointeger(L, -1);
  lua_pop(L, 1);
  check(replaced >= 0 && (size_t)replaced <= size, "decode: replaced in range");
  if (strcmp(from, "auto") == 0) { lua_settop(L, base); return; }

  /* the same through a converter, in chunks */
  lua_pushstring(L, from);
  if (ecall("open", 1) != LUA_OK) { lua_settop(L, base); return; }
  int h = lua_gettop(L);
  luaL_Buffer b;
  size_t cuts[4] = { 0, cut1 < size ? cut1 : size, cut2 < size ? cut2 : size, size };
  if (cuts[2] < cuts[1]) cuts[2] = cuts[1];
  luaL_buffinit(L, &b);
  for (int k = 0; k < 3; k++) {
    lua_getfield(L, h, "convert");
    lua_pushvalue(L, h);
    lua_pushlstring(L, data + cuts[k], cuts[k + 1] - cuts[k]);
    lua_pushboolean(L, k == 2);
    check(lua_pcall(L, 3, 1, 0) == LUA_OK && lua_isstring(L, -1), "converter: a string");
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  size_t m;
  const char *chunked = lua_tolstring(L, -1, &m);
  check(m == n && memcmp(chunked, text, n) == 0, "chunked decoding equals whole decoding");
  lua_settop(L, base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) {
    L = luaL_newstate();
    luaL_openlibs(L);
  }
  lua_settop(L, 0);
  luaL_requiref(L, "gisa.enc", luaopen_gisa_enc, 0);   /* index 1 */
  const char *s = (const char *)data;
  size_t cut1 = size ? data[0] % (size + 1) : 0, cut2 = size > 1 ? data[1] % (size + 1) : 0;

  /* detect: a known name, a confidence in [0, 1] */
  lua_pushlstring(L, s, size);
  check(ecall("detect", 1) == LUA_OK, "detect raised");
  check(lua_isstring(L, 2) && lua_tonumber(L, 3) >= 0 && lua_tonumber(L, 3) <= 1, "detect results");
  lua_settop(L, 1);

  static const char *const froms[] = {
    "auto", "utf-8", "cp949", "euc-kr", "utf-16le", "utf-16be", "utf-32le", "latin1",
    "cp1252", "iso-2022-kr",
  };
  for (size_t i = 0; i < sizeof froms / sizeof froms[0]; i++) decode_both(s, size, froms[i], cut1, cut2);

  /* convert: a string, or nil, message, offset within the input */
  static const char *const pairs[][2] = {
    { "cp949", "utf-8" }, { "utf-8", "cp949" }, { "utf-8", "utf-16le" }, { "utf-16be", "utf-8" },
    { "utf-8", "utf-8" }, { "utf-8", "iso-2022-kr" },
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    lua_pushlstring(L, s, size);
    lua_pushstring(L, pairs[i][0]);
    lua_pushstring(L, pairs[i][1]);
    check(ecall("convert", 3) == LUA_OK, "convert raised");
    if (lua_isnil(L, 2)) {
      lua_Integer off = lua_tointeger(L, 4);
      check(lua_isstring(L, 3) && off >= 1 && off <= (lua_Integer)size + 1, "convert: offset");
    } else if (strcmp(pairs[i][1], "utf-8") == 0) {
      size_t n;
      const char *out = lua_tolstring(L, 2, &n);
      check(gisa_utf8_valid_prefix((const unsigned char *)out, n) == n, "convert: valid UTF-8");
    }
    lua_settop(L, 1);
  }

  /* repair: the raw bytes and their Latin-1 reading (mojibake-like) */
  for (int k = 0; k < 2; k++) {
    if (k == 0) lua_pushlstring(L, s, size);
    else {
      lua_pushlstring(L, s, size);
      lua_pushliteral(L, "latin1");
      lua_pushliteral(L, "utf-8");
      check(ecall("convert", 3) == LUA_OK && lua_isstring(L, 2), "latin1 never fails");
      lua_settop(L, 2);
    }
    size_t in_n;
    const char *in = lua_tolstring(L, 2, &in_n);
    int valid = gisa_utf8_valid_prefix((const unsigned char *)in, in_n) == in_n;
    lua_pushvalue(L, 2);
    check(ecall("repair", 1) == LUA_OK, "repair raised");
    size_t out_n;
    const char *out = lua_tolstring(L, 3, &out_n);
    lua_getfield(L, 4, "count");
    lua_Integer count = lua_tointeger(L, -1);
    check(count >= 0, "repair: count");
    if (count == 0) check(out_n == in_n && memcmp(out, in, in_n) == 0, "repair: untouched when count is 0");
    if (valid) check(gisa_utf8_valid_prefix((const unsigned char *)out, out_n) == out_n, "repair: stays valid");
    lua_settop(L, 1);
  }
  return 0;
}
