/*
 * fuzz_text.c: libFuzzer target for gisa.text. Every function that takes a
 * string gets the input (with positions and counts taken from its first bytes),
 * through the Lua API as a script would call it; then a few invariants that
 * must hold for any input abort the run when broken (clean gives valid UTF-8,
 * the fast validator agrees with the plain decoder, normalization is idempotent
 * and agrees with utf8proc, fold is stable).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int gisa_text_pushview(lua_State *L, const void *p, size_t n);   /* src/text.c */
int luaopen_oracle_utf8proc(lua_State *L);                        /* tests/oracle/utf8proc.c */

static lua_State *L;

/* text[name](args on the stack) in protected mode; leaves its results */
static int tcall(const char *name, int nargs)
{
  lua_getfield(L, 1, name);
  lua_insert(L, -nargs - 1);
  return lua_pcall(L, nargs, LUA_MULTRET, 0);
}

/* Run text[name](s, extra) as an iterator to its end (or its error). */
static void iterate(const char *name, int with_table)
{
  int base = lua_gettop(L);
  lua_pushvalue(L, 2);
  if (with_table) lua_newtable(L);
  if (tcall(name, with_table ? 2 : 1) != LUA_OK || with_table) { lua_settop(L, base); return; }
  /* f, s, control (the closures ignore the last two) */
  while (lua_gettop(L) < base + 3) lua_pushnil(L);
  for (int guard = 0; guard < 100000; guard++) {
    lua_pushvalue(L, base + 1);
    lua_pushvalue(L, base + 2);
    lua_pushvalue(L, base + 3);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK || lua_isnil(L, -1)) break;
    lua_replace(L, base + 3);
  }
  lua_settop(L, base);
}

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

/* Every function on the text at stack index 2, with positions a and b. */
static void exercise(lua_Integer a, lua_Integer b, const uint8_t *data, size_t size)
{
  int base = 2;
  static const char *const plain[] = { "len", "valid", "clean", "lower", "upper", "fold", "width",
    "classes", "trim", "squeeze", "category", "is_normalized", NULL };
  for (int k = 0; plain[k]; k++) { lua_pushvalue(L, 2); tcall(plain[k], 1); lua_settop(L, base); }
  static const char *const iters[] = { "codes", "chars", "graphemes", "lines", "paragraphs",
    "sentences", "words", NULL };
  for (int k = 0; iters[k]; k++) iterate(iters[k], 0);
  iterate("words", 1);

  /* with positions and counts from the first bytes */
  static const char *const posfns[] = { "len", "sub", "offset", "codepoint", "truncate", "pad", NULL };
  for (int k = 0; posfns[k]; k++) {
    lua_pushvalue(L, 2);
    lua_pushinteger(L, a);
    lua_pushinteger(L, b);
    tcall(posfns[k], 3);
    lua_settop(L, base);
  }
  lua_pushvalue(L, 2);
  lua_pushinteger(L, (a & 3) + 1);
  lua_pushstring(L, b & 1 ? "char" : "word");
  tcall("ngrams", 3);
  lua_settop(L, base);
  lua_pushvalue(L, 2);
  lua_pushinteger(L, 2);
  tcall("width", 2);
  lua_settop(L, base);
  lua_pushlstring(L, (const char *)data, size / 2);
  lua_pushlstring(L, (const char *)data + size / 2, size - size / 2);
  tcall("equal_fold", 2);
  lua_settop(L, base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) {
    L = luaL_newstate();
    luaL_openlibs(L);
  }
  lua_settop(L, 0);
  luaopen_gisa_text(L);                              /* 1: the module */
  luaopen_oracle_utf8proc(L);                        /* utf8proc itself, as text._utf8proc */
  lua_getfield(L, -1, "normalize");
  lua_setfield(L, 1, "_utf8proc");
  lua_settop(L, 1);
  lua_pushlstring(L, (const char *)data, size);      /* 2: the input */
  lua_Integer a = size > 0 ? (int8_t)data[0] : 1, b = size > 1 ? (int8_t)data[1] : -1;
  int base = 2;

  /* the fast validator against the scalar decoder */
  size_t c1 = 0, c2 = 0;
  size_t v1 = gisa_utf8_validate(data, size, &c1), v2 = gisa_utf8_scan(data, 0, size, &c2);
  check(v1 == v2 && c1 == c2, "gisa_utf8_validate == scalar scan");

  /* first on a view of the fuzzer's own buffer (ASan sees any read past its
   * end), then on the Lua string */
  gisa_text_pushview(L, data, size);
  lua_replace(L, 2);
  exercise(a, b, data, size);
  lua_pushlstring(L, (const char *)data, size);
  lua_replace(L, 2);
  exercise(a, b, data, size);

  /* clean always gives valid UTF-8, and leaves valid text alone */
  lua_pushvalue(L, 2);
  check(tcall("clean", 1) == LUA_OK, "clean does not raise");
  size_t cn;
  const char *cs = lua_tolstring(L, base + 1, &cn);
  check(gisa_utf8_validate((const unsigned char *)cs, cn, NULL) == cn, "clean gives valid UTF-8");
  check(v1 != size || (cn == size && memcmp(cs, data, size) == 0), "clean keeps valid text");

  /* on the cleaned text: each form is idempotent and agrees with utf8proc */
  static const char *const forms[] = { "NFC", "NFD", "NFKC", "NFKD" };
  for (int f = 0; f < 4; f++) {
    int top = lua_gettop(L);
    lua_pushvalue(L, base + 1); lua_pushstring(L, forms[f]);
    check(tcall("normalize", 2) == LUA_OK && lua_isstring(L, -1), "normalize answers");
    int n1 = lua_gettop(L);
    lua_pushvalue(L, n1); lua_pushstring(L, forms[f]);
    tcall("normalize", 2);
    check(lua_rawequal(L, n1, -1), "normalize is idempotent");
    lua_pushvalue(L, base + 1); lua_pushstring(L, forms[f]);
    tcall("_utf8proc", 2);
    check(lua_rawequal(L, n1, -1), "normalize agrees with utf8proc");
    lua_pushvalue(L, n1); lua_pushstring(L, forms[f]);
    tcall("is_normalized", 2);
    check(lua_toboolean(L, -1), "is_normalized of normalized text");
    lua_settop(L, top);
  }
  /* words(s, counts) counts exactly what the iterator yields */
  {
    int top = lua_gettop(L);
    lua_pushvalue(L, base + 1);
    lua_newtable(L);
    check(tcall("words", 2) == LUA_OK, "words(s, counts) answers");
    int counts = top + 1;
    lua_settop(L, counts);
    lua_newtable(L);                                  /* counts2, from the iterator */
    lua_pushvalue(L, base + 1);
    check(tcall("words", 1) == LUA_OK, "words(s) answers");
    int it = lua_gettop(L);
    for (;;) {
      lua_pushvalue(L, it);
      if (lua_pcall(L, 0, 1, 0) != LUA_OK || lua_isnil(L, -1)) { lua_pop(L, 1); break; }
      lua_pushvalue(L, -1);
      lua_rawget(L, counts + 1);
      lua_Integer k = lua_tointeger(L, -1) + 1;
      lua_pop(L, 1);
      lua_pushinteger(L, k);
      lua_rawset(L, counts + 1);
    }
    lua_pushnil(L);
    while (lua_next(L, counts + 1)) {                 /* each iterator word, same count */
      lua_pushvalue(L, -2);
      lua_rawget(L, counts);
      check(lua_rawequal(L, -1, -2), "words(s, counts) == iterator counts");
      lua_pop(L, 2);
    }
    lua_pushnil(L);
    while (lua_next(L, counts)) {                     /* and no other word */
      lua_pushvalue(L, -2);
      lua_rawget(L, counts + 1);
      check(!lua_isnil(L, -1), "words(s, counts) has no extra word");
      lua_pop(L, 2);
    }
    lua_settop(L, top);
  }
  lua_pushvalue(L, base + 1);
  tcall("fold", 1);
  int f1 = lua_gettop(L);
  lua_pushvalue(L, f1);
  tcall("fold", 1);
  check(lua_rawequal(L, f1, -1), "fold is stable");
  lua_settop(L, 0);
  return 0;
}
