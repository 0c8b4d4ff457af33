/*
 * fuzz_quote.c: libFuzzer target for gisa.quote, through the Lua API as
 * quotes.lua calls it. A finder is built from the shipped word lists
 * (lua/gisa/analysis/quotewords.lua, read from the checkout `make fuzz` runs
 * in; a few words of them when it is absent); finder:block never raises on
 * any text and gives quotes in order, each inside the text: its text is the
 * bytes between its marks, its window and the words before it are inside the
 * text, its shape is one the Lua side knows. finder:scan over the same bytes
 * cut into blocks at newlines (paragraphs, with an answer, a speaker line and
 * a quote line naming its speaker among them, a subtitle) never raises, reads every quote the blocks give and
 * gives each a speaker that is a person table or none; a quote it hands back
 * gets none here (the Lua reading is not loaded). (That the values equal the
 * Lua finder's is tests/quotes_test.lua's part.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;
static int finder = LUA_NOREF;

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

static const char *fallback =
  "return { marks = { { '\\u{201C}', '\\u{201D}', after = { '\\u{B77C}\\u{ACE0}', '\\u{ACE0}' } },"
  " { '\"', '\"', after = { '\\u{B77C}\\u{ACE0}' } }, { '\\u{2018}', '\\u{2019}' } },"
  " chains = { '\\u{BA70}' }, particles = { '\\u{C740}', '\\u{B294}', '\\u{AC00}' },"
  " pronouns = { '\\u{ADF8}' }, demonstratives = { '\\u{C774}' },"
  " verbs = { '\\u{B9D0}\\u{D588}\\u{B2E4}', '\\u{BABB} \\u{BC15}\\u{C558}\\u{B2E4}' },"
  " titles = { '\\u{AD50}\\u{C218}' }, compound_titles = { '\\u{C7A5}' },"
  " surnames = '\\u{AE40} \\u{C774}', surnames2 = { '\\u{B0A8}\\u{AD81}' }, org_suffixes = { '\\u{B300}' },"
  " foreign_syllables = '\\u{B4DC}', not_names = { '\\u{C774}\\u{BC88}' } }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) {
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "gisa.quote", luaopen_gisa_quote, 0);
    lua_getfield(L, -1, "finder");
    if (luaL_dofile(L, "lua/gisa/analysis/quotewords.lua") != LUA_OK) {
      lua_pop(L, 1);
      check(luaL_dostring(L, fallback) == LUA_OK, "the fallback lists load");
    }
    check(lua_pcall(L, 1, 1, 0) == LUA_OK, "the finder builds");
    finder = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, 0);
  }
  if (size == 0) return 0;
  int line = data[0] & 1;
  const unsigned char *s = data + 1;
  size_t n = size - 1;
  lua_settop(L, 0);
  lua_newtable(L);                                  /* 1: out */
  lua_rawgeti(L, LUA_REGISTRYINDEX, finder);        /* 2: the finder */
  lua_getfield(L, 2, "block");
  lua_pushvalue(L, 2);
  lua_pushlstring(L, (const char *)s, n);
  lua_pushboolean(L, line);
  lua_pushvalue(L, 1);
  check(lua_pcall(L, 4, 2, 0) == LUA_OK, "block does not raise");
  lua_Integer taken = lua_tointeger(L, -2), marks = lua_tointeger(L, -1);
  check((taken >= 0 || (taken == -1 && marks == 0)) && taken <= marks && marks <= (lua_Integer)n,
    "block: counts");
  lua_Integer last_open = 0;
  for (lua_Integer k = 0; k < taken; k++) {
    lua_Integer v[14];
    size_t tl = 0;
    const char *text = NULL;
    for (int j = 1; j <= 13; j++) {
      int ty = lua_rawgeti(L, 1, k * 13 + j);
      if (j == 1) {
        check(ty == LUA_TSTRING, "block: the text is a string");
        text = lua_tolstring(L, -1, &tl);
      } else if (j == 6) {
        check(ty == LUA_TSTRING || ty == LUA_TBOOLEAN, "block: the verb is a string or false");
        v[j] = 0;
      } else if (ty == LUA_TNUMBER) v[j] = lua_tointeger(L, -1);
      else v[j] = -1;
      lua_pop(L, 1);
    }
    lua_Integer open = v[2], after = v[3], ts = v[7], te = v[8], blo = v[9], shape = v[10];
    check(open > last_open && open >= 1 && open <= (lua_Integer)n, "block: quotes in order inside the text");
    check(after > open && after <= (lua_Integer)n + 1, "block: the closing mark inside the text");
    check(tl >= 1 && tl < (size_t)(after - open), "block: the text fits between the marks");
    check(memmem(s + open - 1, (size_t)(after - open), text, tl) != NULL, "block: the text is the text's");
    check(v[5] == 0 || (ts >= after && te <= (lua_Integer)n), "block: the window inside the text");
    check(blo == 0 || (blo >= 1 && blo < open), "block: the words before it start before it");
    check(shape >= 1 && shape <= 8, "block: a shape the Lua side knows");
    if (shape == 7) check(v[11] > ts && v[11] <= te, "block: the text after it ends in its window");
    last_open = open;
  }
  lua_settop(L, 0);

  /* finder:scan(blocks, R, people, interview, slow, span, cout, subtitles) */
  lua_rawgeti(L, LUA_REGISTRYINDEX, finder);        /* 1 */
  lua_getfield(L, 1, "scan");                       /* 2 */
  lua_pushvalue(L, 1);
  lua_newtable(L);                                  /* blocks */
  int blocks = lua_gettop(L);
  lua_Integer nb = 0;
  static const char *const kinds[] = { "para", "para", "para", "answer", "quote", "heading", "speaker" };
  for (size_t i = 0; i <= n;) {
    const unsigned char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
    size_t e = nl ? (size_t)(nl - s) : n;
    lua_createtable(L, 0, 4);
    const char *kind = kinds[(e * 7 + nb) % 7];
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "type");
    if (kind[0] == 'q') {         /* a quote line names its speaker: its first bytes (maybe none) */
      lua_pushlstring(L, (const char *)s + i, e - i < 9 ? e - i : 9);
      lua_setfield(L, -2, "speaker");
    }
    lua_pushlstring(L, (const char *)s + i, e - i);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, nb + 1);
    lua_setfield(L, -2, "line");
    lua_rawseti(L, blocks, ++nb);
    i = e + 1;
  }
  check(luaL_dostring(L, "return { text = {}, line = {}, verb = {}, person = {}, title = {}, how = {},"
    " block = {}, chain = {} }, { list = {}, by_name = {} }, { answer = true },"
    " function() end, function() end, {}") == LUA_OK, "the scan's tables");
  lua_pushvalue(L, blocks + 1);                     /* R, kept below the call */
  lua_insert(L, 1);
  lua_createtable(L, 1, 0);                         /* subtitles */
  lua_pushlstring(L, (const char *)s, n < 40 ? n : 40);
  lua_rawseti(L, -2, 1);
  check(lua_pcall(L, 9, 2, 0) == LUA_OK, "scan does not raise");
  check(lua_isinteger(L, -2), "scan: a count");
  lua_Integer q = lua_tointeger(L, -2);
  check(q >= 0 && q <= (lua_Integer)n, "scan: a count in range");
  lua_getfield(L, 1, "person");
  lua_getfield(L, 1, "text");
  for (lua_Integer k = 1; k <= q; k++) {
    int ty = lua_rawgeti(L, -2, k);
    check(ty == LUA_TNIL || ty == LUA_TTABLE, "scan: a speaker is a person or none");
    if (ty == LUA_TTABLE) check(lua_getfield(L, -1, "name") == LUA_TSTRING, "scan: a person has a name");
    lua_pop(L, ty == LUA_TTABLE ? 2 : 1);
    check(lua_rawgeti(L, -1, k) == LUA_TSTRING, "scan: every quote has its text");
    lua_pop(L, 1);
  }
  lua_settop(L, 0);
  return 0;
}
