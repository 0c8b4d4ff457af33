/*
 * fuzz_split.c: libFuzzer target for gisa.split (entities' tokenizer). Any
 * bytes: invalid UTF-8 gives nil, a message and a position inside the text;
 * valid text gives tokens whose words, joined with the cut characters, are
 * the text in order (each word is found at or after the end of the last);
 * a collapsed kind never stands twice in a row; pick gives ascending indices
 * of word tokens; heads gives strings; Words (split.words) gives the same
 * tokens, picks and heads as the walks over token tables. Never a crash or an error.
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

static lua_State *L;   /* the harness's one state */

/* The checks in Lua over the C results: the test is what a reader of
 * lua/gisa/types/split.d.lua expects. Returns true or raises. */
static const char *check_lua =
  "local split, s = ...\n"
  "local kinds = { [' '] = false, ['\\n'] = false, ['·'] = 'list', [','] = 'comma', ['/'] = '/',\n"
  "  ['('] = '(', ['.'] = 'dot', ['“'] = 'q', ['가'] = false }\n"
  "local sp = split.splitter(kinds, { dot = true })\n"
  "local seps = { list = { sep = 'list' }, comma = { sep = ',' }, ['/'] = { sep = '/' },\n"
  "  ['('] = { sep = '(' }, dot = { sep = '.' }, q = { sep = 'q' } }\n"
  "local cache = {}\n"
  "local toks, added, pos = sp:split(s, cache, seps)\n"
  "if not toks then\n"
  "  assert(added == 'invalid UTF-8' and math.type(pos) == 'integer' and pos >= 1 and pos <= #s)\n"
  "  assert(utf8.len(s) == nil)\n"
  "  assert(split.words():split(sp, s) == nil)\n"
  "  return true\n"
  "end\n"
  "assert(utf8.len(s) ~= nil)\n"
  "local at, words, last = 1, 0, nil\n"
  "for i, t in ipairs(toks) do\n"
  "  if t.w then\n"
  "    assert(#t.w > 0 and cache[t.w] == t)\n"
  "    local b, e = string.find(s, t.w, at, true)\n"
  "    assert(b, 'a word not in the text in order')\n"
  "    at = e + 1; words = words + 1; last = nil\n"
  "  else\n"
  "    assert(t.sep, 'a token that is neither a word nor a separator')\n"
  "    assert(not (t.sep == '.' and last == '.'), 'a collapsed kind twice in a row')\n"
  "    last = t.sep\n"
  "  end\n"
  "end\n"
  "local n = 0\n"
  "for _ in pairs(cache) do n = n + 1 end\n"
  "assert(n == added)\n"
  "local plain, memo, counts = {}, {}, {}\n"
  "local k = 0\n"
  "for w in pairs(cache) do\n"
  "  k = k + 1\n"
  "  if k % 2 == 0 then plain[w] = w; memo[w] = { w } end\n"
  "end\n"
  "local prev = 0\n"
  "for _, i in ipairs(split.pick(toks, plain)) do\n"
  "  assert(i > prev and toks[i] and toks[i].w); prev = i\n"
  "end\n"
  "prev = 0\n"
  "for _, i in ipairs(split.pick(toks, plain, {}, plain)) do\n"
  "  assert(i > prev and toks[i] and toks[i].w); prev = i\n"
  "end\n"
  "for _, w in ipairs(split.heads(toks, memo, counts)) do assert(type(w) == 'string' and not memo[w]) end\n"
  "-- Words: the same tokens, picks and heads from numbered words; the text\n"
  "-- split twice (a second text), the first half of the words decided plain\n"
  "local ws = split.words():reset()\n"
  "for round = 1, 2 do\n"
  "  local new = ws:split(sp, s)\n"
  "  local plains, stems = {}, {}\n"
  "  for k, w in ipairs(new) do\n"
  "    assert(cache[w] and round == 1)\n"
  "    plains[k] = plain[w] ~= nil; stems[k] = plain[w] or w\n"
  "  end\n"
  "  ws:decide(plains, stems)\n"
  "  local wt = ws:tokens(round, seps)\n"
  "  assert(#wt == #toks)\n"
  "  for i, t in ipairs(toks) do assert((wt[i].w or wt[i]) == (t.w or t)) end\n"
  "  local a, b = split.pick(toks, plain), ws:picks(round) or {}\n"
  "  assert(#a == #b); for i = 1, #a do assert(a[i] == b[i]) end\n"
  "end\n"
  "local known = {}\n"
  "for w in pairs(plain) do known[w] = true; known[w .. ' x'] = true; break end\n"
  "ws:known(known)\n"
  "local firsts = {}\n"
  "for k in pairs(known) do local f = k:match('^(%S+) '); if f then firsts[f] = true end end\n"
  "local a, b = split.pick(toks, plain, firsts, known), ws:picks(1, true) or {}\n"
  "assert(#a == #b); for i = 1, #a do assert(a[i] == b[i]) end\n"
  "local c2 = {}\n"
  "ws:heads(c2)\n"
  "local memo2, c1 = {}, {}\n"
  "for w in pairs(cache) do memo2[w] = { plain[w] or w } end\n"
  "split.heads(toks, memo2, c1)\n"
  "for k, n in pairs(c1) do assert(c2[k] == 2 * n) end\n"
  "for k in pairs(c2) do assert(c1[k]) end\n"
  "return true\n";

static void setup(void)
{
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "gisa.split", luaopen_gisa_split, 0);
  lua_pop(L, 1);
  if (luaL_loadstring(L, check_lua) != LUA_OK) abort();
  lua_setglobal(L, "check");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) setup();
  int top = lua_gettop(L);
  lua_getglobal(L, "check");
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "gisa.split");
  lua_remove(L, -2);
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_split: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_settop(L, top);
  lua_gc(L, LUA_GCSTEP, 0);
  return 0;
}
