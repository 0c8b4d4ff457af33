/*
 * split.c: gisa.split, a text cut into word tokens and separator tokens at
 * characters a Lua table names (entities' tokenizer: 임유경·김연서 기자 is a
 * word, a list separator, a word, a word). Which character cuts, and as what,
 * is data given from Lua; C only walks the bytes once and builds the token
 * array, so a long article costs no Lua instructions per character.
 */
#include <stdint.h>
#include <string.h>

#include "gisa.h"
#include "utf8.h"

#define SPLITTER "gisa.split.Splitter"
#define MAX_KINDS 30    /* separator kinds (codes 2..31) */
#define MAX_WIDE 256    /* listed characters beyond ASCII */

/* code of a character: 0 part of a word, 1 cuts (no token), 2+k separator kind k */
typedef struct {
  unsigned char ascii[128];
  unsigned char lead[256];        /* lead bytes of the listed wide characters */
  uint32_t wide_cp[MAX_WIDE];     /* sorted */
  unsigned char wide_code[MAX_WIDE];
  int nwide, nkinds;
  unsigned char collapse[MAX_KINDS];   /* a run of this kind stands as one token */
} Splitter;

static Splitter *check_splitter(lua_State *L)
{
  return luaL_checkudata(L, 1, SPLITTER);
}

/* the code of a kind name (the uservalue holds the names in order) */
static int kind_code(lua_State *L, Splitter *sp, int names, int value)
{
  if (lua_toboolean(L, value) == 0 && lua_isboolean(L, value)) return 1;
  if (lua_type(L, value) != LUA_TSTRING) luaL_error(L, "a kind must be a string or false");
  for (int k = 0; k < sp->nkinds; k++) {
    lua_rawgeti(L, names, k + 1);
    int same = lua_rawequal(L, -1, value);
    lua_pop(L, 1);
    if (same) return 2 + k;
  }
  if (sp->nkinds >= MAX_KINDS) luaL_error(L, "more than %d kinds", MAX_KINDS);
  lua_pushvalue(L, value);
  lua_rawseti(L, names, ++sp->nkinds);
  return 1 + sp->nkinds;
}

/* split.splitter(kinds [, whole]) -> Splitter
 * kinds: character -> kind name (a string: that separator token) or false (it
 * cuts and leaves no token); whole: set of kind names that stand for every
 * character of their kind in a row (". ." is one "b"). */
static int split_splitter(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  Splitter *sp = lua_newuserdatauv(L, sizeof *sp, 1);
  memset(sp, 0, sizeof *sp);
  int ud = lua_gettop(L);
  luaL_setmetatable(L, SPLITTER);
  lua_newtable(L);
  int names = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    size_t len;
    if (lua_type(L, -2) != LUA_TSTRING) return luaL_error(L, "a key of kinds is not a character");
    const unsigned char *ch = (const unsigned char *)lua_tolstring(L, -2, &len);
    uint32_t cp;
    if (len == 0 || gisa_utf8_decode(ch, len, &cp) != (int)len)
      return luaL_error(L, "a key of kinds is not one character");
    int code = kind_code(L, sp, names, lua_gettop(L));
    if (cp < 128) sp->ascii[cp] = (unsigned char)code;
    else {
      if (sp->nwide >= MAX_WIDE) return luaL_error(L, "more than %d characters beyond ASCII", MAX_WIDE);
      int j = sp->nwide++;
      while (j > 0 && sp->wide_cp[j - 1] > cp) {
        sp->wide_cp[j] = sp->wide_cp[j - 1];
        sp->wide_code[j] = sp->wide_code[j - 1];
        j--;
      }
      sp->wide_cp[j] = cp;
      sp->wide_code[j] = (unsigned char)code;
      sp->lead[ch[0]] = 1;
    }
    lua_pop(L, 1);
  }
  if (lua_istable(L, 2)) {
    for (int k = 0; k < sp->nkinds; k++) {
      lua_rawgeti(L, names, k + 1);
      lua_rawget(L, 2);
      sp->collapse[k] = (unsigned char)lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_pushvalue(L, names);
  lua_setiuservalue(L, ud, 1);
  lua_settop(L, ud);
  return 1;
}

static int wide_code(const Splitter *sp, uint32_t cp)
{
  int lo = 0, hi = sp->nwide - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (sp->wide_cp[mid] == cp) return sp->wide_code[mid];
    if (sp->wide_cp[mid] < cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/* Where split keeps its tables on the stack, and what it walks with them. */
typedef struct {
  int cache, toks;                 /* cache[word] -> token; the token array */
  int plain, memo, counts;         /* scan only (0: none): see Splitter:split */
  int picks, misses;
  lua_Integer n, added, np, nm, pending;
  int prev_word;                   /* the last token was a word */
} Walk;

/* push the token of word s[b..e) into toks[++n]: cache[word], made {w = word}
 * when absent; when scanning, pick it and count it as a head (split_split) */
static void push_word(lua_State *L, const char *s, size_t b, size_t e, Walk *wk)
{
  lua_pushlstring(L, s + b, e - b);        /* word */
  lua_pushvalue(L, -1);
  if (lua_rawget(L, wk->cache) == LUA_TNIL) {      /* cache[word] */
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "w");
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, wk->cache);
    wk->added++;
  }
  lua_rawseti(L, wk->toks, ++wk->n);
  if (wk->plain) {
    /* pick: no string plain[w]; else it waits on the next token */
    lua_pushvalue(L, -1);
    wk->pending = 0;
    if (lua_rawget(L, wk->plain) != LUA_TSTRING) {
      lua_pushinteger(L, wk->n);
      lua_rawseti(L, wk->picks, ++wk->np);
    } else wk->pending = wk->n;
    lua_pop(L, 1);
    /* a head: counts[memo[w][1]] + 1, or the word among the misses */
    if (!wk->prev_word) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, wk->memo) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 1);                   /* stem */
        lua_pushvalue(L, -1);
        lua_Integer c = lua_rawget(L, wk->counts) == LUA_TNIL ? 0 : lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushinteger(L, c + 1);
        lua_rawset(L, wk->counts);
      } else {
        lua_pushvalue(L, -2);
        lua_rawseti(L, wk->misses, ++wk->nm);
      }
      lua_pop(L, 1);
    }
    wk->prev_word = 1;
  }
  lua_pop(L, 1);
}

/* Splitter:split(s, cache, seps [, plain, memo, counts])
 *   -> tokens, added [, picks, misses] | nil, "invalid UTF-8", pos
 * The tokens of s in order: for a word, cache[word] (a table {w = word} made
 * and stored there when absent; `added` counts them); for a separator of
 * kind K, seps[K]. With plain, memo and counts, the same walk also gives what
 * split.pick(tokens, plain) and split.heads(tokens, memo, counts) give (picks
 * the indices, misses the words, counts added to), as they would be now. */
static int split_split(lua_State *L)
{
  Splitter *sp = check_splitter(L);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  int scan = !lua_isnoneornil(L, 5);
  if (scan) {
    luaL_checktype(L, 5, LUA_TTABLE);
    luaL_checktype(L, 6, LUA_TTABLE);
    luaL_checktype(L, 7, LUA_TTABLE);
  }
  size_t valid = gisa_utf8_validate((const unsigned char *)s, n, NULL);
  if (valid != n) {
    luaL_pushfail(L);
    lua_pushliteral(L, "invalid UTF-8");
    lua_pushinteger(L, (lua_Integer)valid + 1);
    return 3;
  }
  lua_settop(L, 7);
  Walk wk = { 3, 8, 0, 0, 0, 9, 10, 0, 0, 0, 0, 0, 0 };
  if (scan) { wk.plain = 5; wk.memo = 6; wk.counts = 7; }
  lua_newtable(L);                           /* 8: tokens */
  lua_newtable(L);                           /* 9: picks */
  lua_newtable(L);                           /* 10: misses */
  /* 11 …: seps[name] of each kind, in code order */
  lua_getiuservalue(L, 1, 1);
  int names = lua_gettop(L);
  luaL_checkstack(L, sp->nkinds + 8, "too many kinds");
  int first_sep = names + 1;
  unsigned char picks_after[MAX_KINDS];      /* a "/" or "(": the plain word before is picked */
  for (int k = 0; k < sp->nkinds; k++) {
    lua_rawgeti(L, names, k + 1);
    size_t len;
    const char *name = lua_tolstring(L, -1, &len);
    picks_after[k] = len == 1 && (name[0] == '/' || name[0] == '(');
    lua_gettable(L, 4);
  }
  const unsigned char *u = (const unsigned char *)s;
  int last = -1;                             /* kind of the last token; -1 a word or none */
  size_t start = 0, i = 0;
  while (i < n) {
    unsigned c = u[i];
    size_t len = 1;
    int code;
    if (c < 0x80) code = sp->ascii[c];
    else {
      len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      code = 0;
      if (sp->lead[c]) {
        uint32_t cp;
        gisa_utf8_decode(u + i, n - i, &cp);
        code = wide_code(sp, cp);
      }
    }
    if (code) {
      if (i > start) { push_word(L, s, start, i, &wk); last = -1; }
      if (code >= 2) {
        int k = code - 2;
        if (!(last == k && sp->collapse[k])) {
          lua_pushvalue(L, first_sep + k);
          lua_rawseti(L, wk.toks, ++wk.n);
          last = k;
          if (wk.pending && picks_after[k]) {
            lua_pushinteger(L, wk.pending);
            lua_rawseti(L, wk.picks, ++wk.np);
          }
          wk.pending = 0;
          wk.prev_word = 0;
        }
      }
      start = i + len;
    }
    i += len;
  }
  if (n > start) push_word(L, s, start, n, &wk);
  lua_pushvalue(L, wk.toks);
  lua_pushinteger(L, wk.added);
  if (!scan) return 2;
  lua_pushvalue(L, wk.picks);
  lua_pushvalue(L, wk.misses);
  return 4;
}

/* ------------------------------------------------------------------------
 * Walks over a token array (the per-token loops of a scan, with the
 * decisions left in Lua: C only looks words up in tables Lua gives; raw
 * look-ups: tokens and these tables are plain tables)
 * ------------------------------------------------------------------------ */

/* is the value at idx one of the separator names a, b? */
static int sep_is(lua_State *L, int idx, const char *a, const char *b)
{
  size_t len;
  if (lua_type(L, idx) != LUA_TSTRING) return 0;
  const char *s = lua_tolstring(L, idx, &len);
  return len == 1 && (s[0] == a[0] || s[0] == b[0]);
}

/* split.pick(toks, plain [, firsts, known]) -> {i…}
 * The indices of the word tokens a scan must look at, in order: every word
 * tok.w but those whose plain[w] is a string STEM, not followed by a token
 * whose sep is "/" or "(", and (when firsts is given) with none of
 * firsts[w], known[STEM], known[w]. A word with no plain[w] yet is picked,
 * so the caller decides it. One look at each token: a plain word waits for
 * the next token to say whether it is a "/" or "(". */
static int split_pick(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  int sets = !lua_isnoneornil(L, 3);
  if (sets) {
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
  }
  lua_settop(L, 4);
  lua_newtable(L);                          /* 5: picks */
  lua_pushliteral(L, "w");                  /* 6 */
  lua_pushliteral(L, "sep");                /* 7 */
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1), np = 0, pending = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, 1, i) != LUA_TTABLE) { lua_settop(L, 7); pending = 0; continue; }   /* 8: tok */
    lua_pushvalue(L, 6);
    int tw = lua_rawget(L, 8);              /* 9: w */
    if (pending) {
      /* the word before waits on this token: a "/" or "(" after it */
      if (tw == LUA_TNIL) {
        lua_pushvalue(L, 7);
        lua_rawget(L, 8);
        if (sep_is(L, -1, "/", "(")) {
          lua_pushinteger(L, pending);
          lua_rawseti(L, 5, ++np);
        }
      }
      pending = 0;
    }
    if (tw == LUA_TNIL || (tw == LUA_TBOOLEAN && !lua_toboolean(L, 9))) { lua_settop(L, 7); continue; }
    lua_pushvalue(L, 9);
    int pick = lua_rawget(L, 2) != LUA_TSTRING;   /* 10: plain[w]: no stem (nil, false) */
    if (!pick && sets) {
      int t;
      lua_pushvalue(L, 9);
      t = lua_rawget(L, 3);                 /* firsts[w] */
      pick = t != LUA_TNIL && (t != LUA_TBOOLEAN || lua_toboolean(L, -1));
      if (!pick) {
        lua_pushvalue(L, 10);
        t = lua_rawget(L, 4);               /* known[stem] */
        pick = t != LUA_TNIL && (t != LUA_TBOOLEAN || lua_toboolean(L, -1));
      }
      if (!pick) {
        lua_pushvalue(L, 9);
        t = lua_rawget(L, 4);               /* known[w] */
        pick = t != LUA_TNIL && (t != LUA_TBOOLEAN || lua_toboolean(L, -1));
      }
    }
    if (pick) {
      lua_pushinteger(L, i);
      lua_rawseti(L, 5, ++np);
    } else pending = i;
    lua_settop(L, 7);
  }
  lua_settop(L, 5);
  return 1;
}

/* split.heads(toks, memo, counts) -> {w…}
 * For each word token that does not follow a word token (the first of the
 * text, or after a separator): counts[memo[w][1]] += 1. The words with no
 * memo[w] are not counted but returned, in order, for the caller to count. */
static int split_heads(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lua_newtable(L);                          /* 4: misses */
  lua_pushliteral(L, "w");                  /* 5 */
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1), nm = 0;
  int prev_word = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    int isword = 0;
    if (lua_rawgeti(L, 1, i) == LUA_TTABLE) {   /* 6: tok */
      lua_pushvalue(L, 5);
      int tw = lua_rawget(L, 6);                /* 7: w */
      isword = tw != LUA_TNIL && (tw != LUA_TBOOLEAN || lua_toboolean(L, 7));
    }
    if (isword && !prev_word) {
      lua_pushvalue(L, 7);
      if (lua_rawget(L, 2) == LUA_TNIL) {  /* memo[w] */
        lua_pushvalue(L, 7);
        lua_rawseti(L, 4, ++nm);
      } else {
        lua_rawgeti(L, 8, 1);                   /* stem */
        lua_pushvalue(L, 9);
        lua_rawget(L, 3);
        lua_Integer c = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushinteger(L, c + 1);
        lua_rawset(L, 3);
      }
    }
    prev_word = isword;
    lua_settop(L, 5);
  }
  lua_settop(L, 4);
  return 1;
}

static int split_tostring(lua_State *L)
{
  Splitter *sp = check_splitter(L);
  lua_pushfstring(L, "gisa.split.Splitter (%d kinds, %d characters beyond ASCII)", sp->nkinds, sp->nwide);
  return 1;
}

static const luaL_Reg splitter_methods[] = {
  {"split", split_split},
  {NULL, NULL}
};

static const luaL_Reg split_funcs[] = {
  {"splitter", split_splitter},
  {"pick", split_pick},
  {"heads", split_heads},
  {NULL, NULL}
};

int luaopen_gisa_split(lua_State *L)
{
  luaL_newmetatable(L, SPLITTER);
  luaL_newlib(L, splitter_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, split_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_newlib(L, split_funcs);
  return 1;
}
