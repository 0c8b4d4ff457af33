/*
 * split.c: gisa.split, a text cut into word tokens and separator tokens at
 * characters a Lua table names (entities' tokenizer: 임유경·김연서 기자 is a
 * word, a list separator, a word, a word). Which character cuts, and as what,
 * is data given from Lua; C only walks the bytes once and builds the token
 * array, so a long article costs no Lua instructions per character.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
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

/* The userdata at arg when its metatable is upvalue `up` (1 the Splitter's,
 * 2 the Words' metatable: every function of the module holds both; split's
 * own functions hold the Copy's as 3), else
 * luaL_checkudata's answer (and error): a look-up of tname in the registry
 * on every call cost more than a Words' walk over a short text. */
static void *check_ud(lua_State *L, int arg, int up, const char *tname)
{
  void *p = lua_touserdata(L, arg);
  if (p && lua_getmetatable(L, arg)) {
    int ok = lua_rawequal(L, -1, lua_upvalueindex(up));
    lua_pop(L, 1);
    if (ok) return p;
  }
  return luaL_checkudata(L, arg, tname);
}

static Splitter *check_splitter(lua_State *L)
{
  return check_ud(L, 1, 1, SPLITTER);
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

/* s not valid UTF-8: nil, "invalid UTF-8", the position of its first bad
 * byte pushed, and 1 (the caller returns 3); 0 when it is valid. */
static int push_invalid(lua_State *L, const char *s, size_t n)
{
  size_t valid = gisa_utf8_validate((const unsigned char *)s, n, NULL);
  if (valid == n) return 0;
  luaL_pushfail(L);
  lua_pushliteral(L, "invalid UTF-8");
  lua_pushinteger(L, (lua_Integer)valid + 1);
  return 1;
}

/* Whether the kind named at the top of the stack is "/" or "(": the plain
 * word before such a separator is picked. */
static unsigned char picks_after_name(lua_State *L)
{
  size_t len;
  const char *name = lua_tolstring(L, -1, &len);
  return name && len == 1 && (name[0] == '/' || name[0] == '(');
}

/* The code of the character at u[i] (0: part of a word, 1: cuts, no token, 2 + k:
 * a separator of kind k) and its length in bytes: what split and a Words'
 * split both walk by. */
static inline int char_code(const Splitter *sp, const unsigned char *u, size_t n, size_t i, size_t *len)
{
  unsigned c = u[i];
  if (c < 0x80) { *len = 1; return sp->ascii[c]; }
  *len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (!sp->lead[c]) return 0;
  uint32_t cp;
  gisa_utf8_decode(u + i, n - i, &cp);
  return wide_code(sp, cp);
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
  if (push_invalid(L, s, n)) return 3;
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
    picks_after[k] = picks_after_name(L);
    lua_gettable(L, 4);
  }
  const unsigned char *u = (const unsigned char *)s;
  int last = -1;                             /* kind of the last token; -1 a word or none */
  size_t start = 0, i = 0;
  while (i < n) {
    size_t len;
    int code = char_code(sp, u, n, i, &len);
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

/* ------------------------------------------------------------------------
 * Words: a scan's dictionary (entities). Each distinct word gets a number
 * once and Lua's answers about it (plain or not, its stem) once; a scan's
 * texts are kept as arrays of those numbers, so the walks over every token
 * (the picks of both passes, the words that open a run) read numbers in C,
 * and only the texts with something to look at become token tables for Lua.
 * ------------------------------------------------------------------------ */

#define WORDS "gisa.split.Words"

typedef struct {
  const char *s;          /* the bytes of strings[id + 1] (a Lua string kept there) */
  size_t len;
  uint32_t hash;
  int32_t stem;           /* the id of its stem; -1: not decided yet */
  int plain;              /* no title, no pronoun (decided) */
  unsigned char pick1;    /* picked by the first pass (no known): !plain, or a title */
  unsigned char before;   /* picked before a "/" or "(": plain, or a name; 2: a name by its facts */
  unsigned char asked;    /* its facts are to be asked of Words:decide's function */
  uint32_t known, first;  /* == gen: known[w]; the first word of a known name */
  uint32_t mark;          /* == serial: among the last split's new words */
  uint32_t count_gen;     /* == serial: count is this heads call's */
  lua_Integer count;      /* words with this stem that open a run */
  uint32_t facts;         /* F_* answers about the word (Words:decide's facts) */
  int32_t title, josa;    /* a title word: ids of its title and particle, */
  int32_t final, tail;    /* the title less a glued organisation, the organisation (-1) */
} Word;

/* Facts about a word the first pass reads (Words:decide's facts[k], or its
 * function's answer) */
enum {
  F_NAME = 1, F_BOUNDARY = 2, F_MODIFIER = 4, F_NOT_NAME = 8, F_FOREIGN = 16,
  F_HANGUL = 32, F_LATIN = 64, F_ORG = 128, F_ORG_WHOLE = 256, F_GENITIVE = 512,
  F_SURNAME = 1024, F_INITIAL = 2048, F_KYEOM = 4096, F_TITLE = 8192,
  F_BEFORE = 1 << 14, F_AMBIGUOUS = 1 << 15, F_REPORTER = 1 << 16, F_ROLE = 1 << 17,
  F_NO_JOSA = 1 << 18, F_STEM_NAME = 1 << 19, F_JOSA = 1 << 20, F_ROLE_JOSA = 1 << 21,
  F_ABBR = 1 << 22, F_NUMBER = 1 << 23, F_PRONOUN = 1 << 24, F_PRON_JOSA = 1 << 25
};

typedef struct {
  Word *w;
  size_t nw, capw;
  int32_t *slots;         /* open addressing: id + 1, 0 empty; a power of two */
  size_t nslots;
  int32_t *tok;           /* the texts' tokens: id >= 0 a word, -1 - k a separator of kind k */
  size_t ntok, captok;
  size_t *text_at;        /* text i (from 1): tok[text_at[i - 1] .. text_at[i]) */
  size_t ntexts, captexts;
  int32_t *pend;          /* the last split's new words (then: heads' stems) */
  size_t npend, cappend;
  uint32_t gen, serial, heads_serial;
  int nkinds;
  char kind_ch[MAX_KINDS];   /* a kind's name when one character, else 0 */
  const Splitter *sp;     /* the splitter picks_after was read from */
  unsigned char picks_after[MAX_KINDS];   /* a "/" or "(" of the splitter */
} Words;

static void words_free(Words *ws)
{
  free(ws->w);
  free(ws->slots);
  free(ws->tok);
  free(ws->text_at);
  free(ws->pend);
  uint32_t gen = ws->gen, serial = ws->serial;
  memset(ws, 0, sizeof *ws);
  ws->gen = gen + 1;
  ws->serial = serial;
}

/* make room for `need` items of size sz in *p (capacity *cap); raises on no memory */
static void *grow(lua_State *L, void *p, size_t *cap, size_t need, size_t sz)
{
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 64;
  while (c < need) c *= 2;
  void *q = realloc(p, c * sz);
  if (!q) luaL_error(L, "not enough memory");
  *cap = c;
  return q;
}

static inline uint64_t load64(const char *s)
{
  uint64_t v;
  memcpy(&v, s, 8);
  return v;
}

static inline uint32_t load32(const char *s)
{
  uint32_t v;
  memcpy(&v, s, 4);
  return v;
}

/* the bytes of s[0..n) (n < 8) as a number, every byte read (two loads
 * that may overlap, or three bytes): no loop over a word's last bytes */
static inline uint64_t tail_bytes(const char *s, size_t n)
{
  if (n >= 4) return (uint64_t)load32(s) << 32 | load32(s + n - 4);
  if (n == 0) return 0;
  return (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8
    | (unsigned char)s[n - 1];
}

/* a[0..n) == b[0..n): the short words (most of them) with a load or two */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
  if (n >= 8 && n <= 16) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  if (n >= 4 && n < 8) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  return memcmp(a, b, n) == 0;
}

/* (eight bytes a step: a word is read once a token, a million an article set) */
static uint32_t hash_bytes(const char *s, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15u ^ n;
  for (; n >= 8; s += 8, n -= 8) {
    h = (h ^ load64(s)) * 0xFF51AFD7ED558CCDu;
    h ^= h >> 32;
  }
  h = (h ^ tail_bytes(s, n)) * 0xC4CEB9FE1A85EC53u;
  return (uint32_t)(h ^ h >> 32);
}

static int32_t words_find(const Words *ws, const char *s, size_t n, uint32_t h)
{
  if (!ws->nslots) return -1;
  size_t m = ws->nslots - 1;
  for (size_t i = h & m;; i = (i + 1) & m) {
    int32_t v = ws->slots[i];
    if (!v) return -1;
    const Word *w = &ws->w[v - 1];
    if (w->hash == h && w->len == n) {
      if (same_bytes(w->s, s, n)) return v - 1;
    }
  }
}

static void words_place(Words *ws, int32_t id)
{
  size_t m = ws->nslots - 1, i = ws->w[id].hash & m;
  while (ws->slots[i]) i = (i + 1) & m;
  ws->slots[i] = id + 1;
}

/* the id of word s[0..n), added when absent (its string kept in the table
 * at stack index strs, which keeps its bytes where w->s points) */
static int32_t words_id(lua_State *L, Words *ws, int strs, const char *s, size_t n)
{
  uint32_t h = hash_bytes(s, n);
  int32_t id = words_find(ws, s, n, h);
  if (id >= 0) return id;
  if ((ws->nw + 1) * 2 > ws->nslots) {
    size_t ns = ws->nslots ? ws->nslots * 2 : 1024;
    int32_t *slots = calloc(ns, sizeof *slots);
    if (!slots) luaL_error(L, "not enough memory");
    free(ws->slots);
    ws->slots = slots;
    ws->nslots = ns;
    for (size_t k = 0; k < ws->nw; k++) words_place(ws, (int32_t)k);
  }
  ws->w = grow(L, ws->w, &ws->capw, ws->nw + 1, sizeof *ws->w);
  id = (int32_t)ws->nw;
  lua_pushlstring(L, s, n);
  Word *w = &ws->w[id];
  memset(w, 0, sizeof *w);
  w->s = lua_tostring(L, -1);
  w->len = n;
  w->hash = h;
  w->stem = -1;
  w->title = w->josa = w->final = w->tail = -1;
  lua_rawseti(L, strs, id + 1);
  ws->nw++;
  words_place(ws, id);
  return id;
}

static void words_push(lua_State *L, Words *ws, int32_t t)
{
  if (ws->ntok == ws->captok) ws->tok = grow(L, ws->tok, &ws->captok, ws->ntok + 1, sizeof *ws->tok);
  ws->tok[ws->ntok++] = t;
}

static Words *check_words(lua_State *L)
{
  return check_ud(L, 1, 2, WORDS);
}

/* The facts of word w (the Words at stack index 1): asked of Words:decide's
 * function the first time a walk reads them, when decide was given one: most
 * words of a text are never read, and a corpus's words are mostly new. (The
 * function makes no word: w and ws->w stay where they are.) */
static uint32_t word_facts(lua_State *L, Words *ws, Word *w)
{
  if (!w->asked) return w->facts;
  lua_getiuservalue(L, 1, 4);
  lua_getiuservalue(L, 1, 1);
  lua_rawgeti(L, -1, (lua_Integer)(w - ws->w) + 1);
  lua_remove(L, -2);
  lua_call(L, 1, 1);
  int ok;
  lua_Integer f = lua_tointegerx(L, -1, &ok);
  if (!ok || f < 0 || f > UINT32_MAX) luaL_error(L, "the facts of a word are not flags");
  lua_pop(L, 1);
  w->facts = (uint32_t)f;
  w->asked = 0;
  return w->facts;
}

/* Whether word w is picked before a "/" or "(" (a plain word, or a name) */
static int word_before(lua_State *L, Words *ws, Word *w)
{
  if (w->before != 2) return w->before;
  return (word_facts(L, ws, w) & F_NAME) != 0;
}

/* split.words() -> Words   (no words, no texts) */
static int split_words(lua_State *L)
{
  Words *ws = lua_newuserdatauv(L, sizeof *ws, 4);
  memset(ws, 0, sizeof *ws);
  ws->gen = 1;
  luaL_setmetatable(L, WORDS);
  lua_newtable(L);                /* 1: id + 1 -> the word */
  lua_setiuservalue(L, -2, 1);
  lua_newtable(L);                /* 2: id + 1 -> its token {w = word} */
  lua_setiuservalue(L, -2, 2);
  return 1;                       /* (3: the splitter of the texts; 4: decide's function) */
}

/* Words:reset([max]) -> Words
 * A new scan: no texts, no known words, no counts; and no words (nor their
 * answers) when more than max are kept. */
static int words_reset(lua_State *L)
{
  Words *ws = check_words(L);
  lua_Integer max = luaL_optinteger(L, 2, LUA_MAXINTEGER);
  ws->ntok = ws->ntexts = ws->npend = 0;
  ws->gen++;
  if ((lua_Integer)ws->nw > max) {
    words_free(ws);
    lua_newtable(L);
    lua_setiuservalue(L, 1, 1);
    lua_newtable(L);
    lua_setiuservalue(L, 1, 2);
  }
  lua_settop(L, 1);
  return 1;
}

/* add word s[b..e) as the next token; a word not decided yet and not among
 * this split's new words joins them (its string into the table at `out`) */
static void words_add(lua_State *L, Words *ws, const char *s, size_t b, size_t e, int out)
{
  int32_t id = words_id(L, ws, 4, s + b, e - b);
  words_push(L, ws, id);
  Word *w = &ws->w[id];
  if (w->stem < 0 && w->mark != ws->serial) {
    w->mark = ws->serial;
    ws->pend = grow(L, ws->pend, &ws->cappend, ws->npend + 1, sizeof *ws->pend);
    ws->pend[ws->npend++] = id;
    lua_rawgeti(L, 4, id + 1);
    lua_rawseti(L, out, (lua_Integer)ws->npend);
  }
}

/* Words:split(splitter, s) -> new words | nil, "invalid UTF-8", pos
 * Cuts s as splitter:split(s) does and keeps its tokens as the next text
 * (texts are numbered from 1 since the last reset). The words of s no
 * Words:decide has told about come back, each once, in order. */
static int words_split(lua_State *L)
{
  Words *ws = check_words(L);
  Splitter *sp = check_ud(L, 2, 1, SPLITTER);
  size_t n;
  const char *s = luaL_checklstring(L, 3, &n);
  if (push_invalid(L, s, n)) return 3;
  lua_settop(L, 3);
  lua_getiuservalue(L, 1, 1);               /* 4: strings */
  if (ws->sp != sp || ws->nkinds != sp->nkinds) {
    lua_pushvalue(L, 2);
    lua_setiuservalue(L, 1, 3);
    lua_getiuservalue(L, 2, 1);             /* the splitter's kind names */
    ws->sp = sp;
    ws->nkinds = sp->nkinds;
    for (int k = 0; k < sp->nkinds; k++) {
      lua_rawgeti(L, -1, k + 1);
      ws->picks_after[k] = picks_after_name(L);
      size_t kl;
      const char *kn = lua_tolstring(L, -1, &kl);
      ws->kind_ch[k] = kn && kl == 1 ? kn[0] : 0;
      lua_pop(L, 1);
    }
  }
  lua_settop(L, 4);
  lua_pushnil(L);                           /* 5 */
  lua_newtable(L);                          /* 6: new words */
  ws->serial++;
  ws->npend = 0;
  ws->text_at = grow(L, ws->text_at, &ws->captexts, ws->ntexts + 2, sizeof *ws->text_at);
  if (ws->ntexts == 0) ws->text_at[0] = 0;
  const unsigned char *u = (const unsigned char *)s;
  int last = -1;                            /* kind of the last token; -1 a word or none */
  size_t start = 0, i = 0;
  while (i < n) {
    size_t len;
    int code = char_code(sp, u, n, i, &len);
    if (code) {
      if (i > start) { words_add(L, ws, s, start, i, 6); last = -1; }
      if (code >= 2) {
        int k = code - 2;
        if (!(last == k && sp->collapse[k])) { words_push(L, ws, -1 - k); last = k; }
      }
      start = i + len;
    }
    i += len;
  }
  if (n > start) words_add(L, ws, s, start, n, 6);
  ws->text_at[++ws->ntexts] = ws->ntok;
  lua_settop(L, 6);
  return 1;
}

/* the id of the string at stack index idx (-1: false or nil) */
static int32_t words_id_at(lua_State *L, Words *ws, int strs, int idx)
{
  if (!lua_toboolean(L, idx)) return -1;
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  if (!s) luaL_error(L, "a title's part is not a string");
  return words_id(L, ws, strs, s, len);
}

/* Words:decide(plains, stems [, titles, names [, facts, tinfo]])
 * Words:decide(plains, stems, titles, ask)
 * The answers for the last split's new words, in their order: plains[k]
 * true when the word is plain (no title, no pronoun), stems[k] its stem;
 * titles[k] true when it is a title word, names[k] when it may be a name.
 * With titles and names, Words:picks leaves out the words whose look finds
 * nothing: a pronoun in the first pass, a word before a "/" or "(" that is
 * no name. facts[k]: what Words:first reads of the word (an integer of
 * flags); tinfo[k], for a title word: {title, particle, the title less a
 * glued organisation, that organisation or false}. With a function ask in
 * place of names: ask(word) -> facts [, tinfo] gives them, at once for a
 * title word, and for another word the first time a walk reads its facts
 * (or whether it is a name: the flag 1 of its facts). */
static int words_decide(lua_State *L)
{
  Words *ws = check_words(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  int kinds = !lua_isnoneornil(L, 4);
  int ask = lua_type(L, 5) == LUA_TFUNCTION;
  if (kinds) {
    luaL_checktype(L, 4, LUA_TTABLE);
    if (!ask) luaL_checktype(L, 5, LUA_TTABLE);
  }
  int facts = !ask && !lua_isnoneornil(L, 6);
  if (facts) {
    luaL_checktype(L, 6, LUA_TTABLE);
    luaL_checktype(L, 7, LUA_TTABLE);
  }
  lua_settop(L, 7);
  if (ask) {
    lua_pushvalue(L, 5);
    lua_setiuservalue(L, 1, 4);
  }
  lua_getiuservalue(L, 1, 1);               /* 8: strings */
  for (size_t k = 0; k < ws->npend; k++) {
    lua_rawgeti(L, 2, (lua_Integer)k + 1);
    int plain = lua_toboolean(L, -1);
    size_t len;
    if (lua_rawgeti(L, 3, (lua_Integer)k + 1) != LUA_TSTRING) return luaL_error(L, "stem %d is not a string", (int)k + 1);
    const char *stem = lua_tolstring(L, -1, &len);
    int32_t sid = words_id(L, ws, 8, stem, len);
    uint32_t f = 0;
    int32_t part[4] = { -1, -1, -1, -1 };
    int title = kinds && (lua_rawgeti(L, 4, (lua_Integer)k + 1), lua_toboolean(L, -1));
    int info = 0;
    if (ask && title) {
      /* a title word: its facts and parts now (their strings become words) */
      lua_pushvalue(L, 5);
      lua_rawgeti(L, 8, ws->pend[k] + 1);
      lua_call(L, 1, 2);
      f = (uint32_t)lua_tointeger(L, -2);
      info = lua_gettop(L);
    } else if (facts) {
      lua_rawgeti(L, 6, (lua_Integer)k + 1);
      f = (uint32_t)lua_tointeger(L, -1);
      if (f & F_TITLE) {
        lua_rawgeti(L, 7, (lua_Integer)k + 1);
        info = lua_gettop(L);
      }
    }
    if (info && (f & F_TITLE) && lua_istable(L, info)) {
      for (int p = 0; p < 4; p++) {
        lua_rawgeti(L, info, p + 1);
        part[p] = words_id_at(L, ws, 8, -1);
        lua_pop(L, 1);
      }
    }
    if ((facts || (ask && title)) && (f & F_TITLE) && (part[0] < 0 || part[1] < 0 || part[2] < 0))
      return luaL_error(L, "title word %d has no title", (int)k + 1);
    Word *w = &ws->w[ws->pend[k]];           /* (after words_id: ws->w may move) */
    w->plain = plain;
    w->stem = sid;
    w->pick1 = (unsigned char)!plain;
    w->before = (unsigned char)plain;
    w->facts = f;
    w->asked = (unsigned char)(ask && !title);
    w->title = part[0];
    w->josa = part[1];
    w->final = part[2];
    w->tail = part[3];
    if (kinds) {
      w->pick1 = (unsigned char)title;
      if (ask) w->before = title ? (f & F_NAME) != 0 : 2;
      else {
        lua_rawgeti(L, 5, (lua_Integer)k + 1);
        w->before = (unsigned char)lua_toboolean(L, -1);
      }
    }
    lua_settop(L, 8);
  }
  ws->npend = 0;
  return 0;
}

/* Words:heads([counts]) -> counts
 * Words:heads(false) -> scan
 * For each word of every text that opens a run (the first of its text, or
 * after a separator): counts[its stem] is increased by one (counts: a new
 * table when none is given). With false, the counts stay in C for
 * Words:count, and the number that names them comes back. */
static int words_heads(lua_State *L)
{
  Words *ws = check_words(L);
  int kept = lua_isboolean(L, 2) && !lua_toboolean(L, 2);
  int given = !kept && !lua_isnoneornil(L, 2);
  if (given) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getiuservalue(L, 1, 1);               /* 3: strings */
  ws->npend = 0;
  ws->serial++;                             /* (count_gen: this call's) */
  ws->heads_serial = ws->serial;
  for (size_t t = 1; t <= ws->ntexts; t++) {
    int prev_word = 0;
    for (size_t j = ws->text_at[t - 1]; j < ws->text_at[t]; j++) {
      int32_t id = ws->tok[j];
      if (id < 0) { prev_word = 0; continue; }
      if (!prev_word) {
        int32_t sid = ws->w[id].stem;
        if (sid < 0) return luaL_error(L, "a word not decided");
        Word *st = &ws->w[sid];
        if (st->count_gen != ws->serial) {
          st->count_gen = ws->serial;
          st->count = 0;
          ws->pend = grow(L, ws->pend, &ws->cappend, ws->npend + 1, sizeof *ws->pend);
          ws->pend[ws->npend++] = sid;
        }
        st->count++;
      }
      prev_word = 1;
    }
  }
  if (kept) {
    ws->npend = 0;
    lua_pushinteger(L, (lua_Integer)ws->heads_serial);
    return 1;
  }
  if (!given) {
    lua_createtable(L, 0, ws->npend > INT_MAX ? INT_MAX : (int)ws->npend);
    lua_replace(L, 2);
  }
  for (size_t k = 0; k < ws->npend; k++) {
    int32_t sid = ws->pend[k];
    lua_rawgeti(L, 3, sid + 1);
    lua_Integer c = 0;
    if (given) {
      lua_pushvalue(L, -1);
      c = lua_rawget(L, 2) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
      lua_pop(L, 1);
    }
    lua_pushinteger(L, c + ws->w[sid].count);
    lua_rawset(L, 2);
  }
  ws->npend = 0;
  lua_settop(L, 2);
  return 1;
}

/* Words:count(stem, scan) -> integer | nil | false
 * How many runs stem opens in the texts Words:heads(false) counted (nil:
 * none); false when the Words has counted other texts since (scan: that
 * call's answer). */
static int words_count(lua_State *L)
{
  Words *ws = check_words(L);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer scan = luaL_checkinteger(L, 3);
  if (scan != (lua_Integer)ws->heads_serial || scan == 0) {
    lua_pushboolean(L, 0);
    return 1;
  }
  int32_t id = words_find(ws, s, len, hash_bytes(s, len));
  if (id < 0 || ws->w[id].count_gen != ws->heads_serial) luaL_pushfail(L);
  else lua_pushinteger(L, ws->w[id].count);
  return 1;
}

/* Words:known(known)
 * Marks the words that are keys of known (with a true value) for this scan,
 * and the first words of the keys of two words or more ("^(%S+) "); such a
 * key is kept as a word of its own (Words:second looks it up). */
static int words_known(lua_State *L)
{
  Words *ws = check_words(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getiuservalue(L, 1, 1);               /* 3: strings */
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
      size_t len, p = 0;
      const char *k = lua_tolstring(L, -2, &len);
      int spaced = memchr(k, ' ', len) != NULL;
      int32_t id = spaced ? words_id(L, ws, 3, k, len) : words_find(ws, k, len, hash_bytes(k, len));
      if (id >= 0) ws->w[id].known = ws->gen;
      while (p < len && !isspace((unsigned char)k[p])) p++;
      if (p > 0 && p < len && k[p] == ' ') {
        id = words_find(ws, k, p, hash_bytes(k, p));
        if (id >= 0) ws->w[id].first = ws->gen;
      }
    }
    lua_pop(L, 1);
  }
  return 0;
}

static int words_text(lua_State *L, Words *ws, int arg)
{
  lua_Integer i = luaL_checkinteger(L, arg);
  luaL_argcheck(L, i >= 1 && (size_t)i <= ws->ntexts, arg, "no such text");
  return (int)i;
}

/* Words:picks(i [, known]) -> {index…} | nil
 * The tokens of text i a scan looks at, as split.pick gives them (nil:
 * none): the words not plain, and the plain ones before a "/" or "("
 * separator; with known (true), also the plain ones marked by Words:known,
 * or whose stem is. (Words decided with titles and names: without known,
 * the title words; with it, the words not plain and the known ones; and
 * with either, the names before a "/" or "(".) */
static int words_picks(lua_State *L)
{
  Words *ws = check_words(L);
  int i = words_text(L, ws, 2);
  int known = lua_toboolean(L, 3);
  size_t base = ws->text_at[i - 1], end = ws->text_at[i];
  size_t np = 0, pending = 0;
  /* (the picks go to pend first: the table is made at its size) */
  for (size_t j = base; j < end; j++) {
    int32_t t = ws->tok[j];
    size_t at = j - base + 1, pick = 0;
    if (t < 0) {
      /* (whether the word before is a name: read only here) */
      if (pending && ws->picks_after[-1 - t] && word_before(L, ws, &ws->w[ws->tok[j - 1]])) pick = pending;
      pending = 0;
    } else {
      const Word *w = &ws->w[t];
      int p = w->stem < 0 || (known ? !w->plain : w->pick1);
      if (!p && known)
        p = w->first == ws->gen || w->known == ws->gen || ws->w[w->stem].known == ws->gen;
      if (p) { pick = at; pending = 0; }
      else pending = w->before ? at : 0;
    }
    if (pick) {
      if (np == ws->cappend) ws->pend = grow(L, ws->pend, &ws->cappend, np + 1, sizeof *ws->pend);
      ws->pend[np++] = (int32_t)pick;
    }
  }
  ws->npend = 0;
  if (np == 0) { luaL_pushfail(L); return 1; }
  lua_createtable(L, np > INT_MAX ? INT_MAX : (int)np, 0);
  for (size_t k = 0; k < np; k++) {
    lua_pushinteger(L, ws->pend[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/* Words:tokens(i, seps) -> tokens
 * Text i's tokens as splitter:split gives them: a word's token {w = word}
 * (one table a word, kept), seps[kind] for a separator. */
static int words_tokens(lua_State *L)
{
  Words *ws = check_words(L);
  int i = words_text(L, ws, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lua_getiuservalue(L, 1, 1);               /* 4: strings */
  lua_getiuservalue(L, 1, 2);               /* 5: word tokens */
  if (lua_getiuservalue(L, 1, 3) != LUA_TUSERDATA) return luaL_error(L, "no text split");   /* 6 */
  lua_getiuservalue(L, 6, 1);               /* 7: kind names */
  luaL_checkstack(L, ws->nkinds + 8, "too many kinds");
  int first_sep = 8;
  for (int k = 0; k < ws->nkinds; k++) {
    lua_rawgeti(L, 7, k + 1);
    lua_gettable(L, 3);
  }
  size_t base = ws->text_at[i - 1], end = ws->text_at[i];
  lua_createtable(L, (int)(end - base), 0);
  int out = lua_gettop(L);
  for (size_t j = base; j < end; j++) {
    int32_t t = ws->tok[j];
    if (t < 0) lua_pushvalue(L, first_sep + (-1 - t));
    else if (lua_rawgeti(L, 5, t + 1) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_createtable(L, 0, 1);
      lua_rawgeti(L, 4, t + 1);
      lua_setfield(L, -2, "w");
      lua_pushvalue(L, -1);
      lua_rawseti(L, 5, t + 1);
    }
    lua_rawseti(L, out, (lua_Integer)(j - base) + 1);
  }
  return 1;
}

/* ------------------------------------------------------------------------
 * The first pass of entities' scan over a text's numbered words: the
 * title walk (names and organisation before a title word) as
 * entities.lua's M.mentions(toks, nil, ctx, true) does it, read from the
 * facts Words:decide was given. What it does not do (brackets, 겸, captions,
 * ages, a title before its name, a glued organisation with no name, a
 * middle initial) sends the whole text back to Lua.
 * ------------------------------------------------------------------------ */

#define MAX_NAMES 64

typedef struct {
  lua_State *L;
  Words *ws;
  const int32_t *t;       /* the text's tokens, t[0..n) */
  lua_Integer n;
  int strs, s_full, s_ref, s_space, s_empty;   /* stack indexes */
} First;

/* token k (1..n) as a word, or NULL (a separator, or out of the text) */
static Word *first_word(const First *f, lua_Integer k)
{
  if (k < 1 || k > f->n || f->t[k - 1] < 0) return NULL;
  return &f->ws->w[f->t[k - 1]];
}

/* the facts of word w as the walk reads them */
static inline uint32_t wf(const First *f, Word *w)
{
  return word_facts(f->L, f->ws, w);
}

/* token k's separator (its kind's one-character name, '?' another), 0: none */
static int first_sep(const First *f, lua_Integer k)
{
  if (k < 1 || k > f->n || f->t[k - 1] >= 0) return 0;
  int c = f->ws->kind_ch[-1 - f->t[k - 1]];
  return c ? c : '?';
}

/* the characters of a word (its bytes are valid UTF-8) */
static size_t word_chars(Word *w)
{
  size_t n = 0;
  for (size_t i = 0; i < w->len; i++) n += ((unsigned char)w->s[i] & 0xC0) != 0x80;
  return n;
}

static void first_push_id(const First *f, int32_t id)
{
  lua_rawgeti(f->L, f->strs, id + 1);
}

/* push the words of tokens a..b joined by spaces ("" when a > b) */
static void first_push_join(const First *f, lua_Integer a, lua_Integer b)
{
  lua_State *L = f->L;
  if (a > b) { lua_pushvalue(L, f->s_empty); return; }
  int parts = 0;
  for (lua_Integer k = a; k <= b; k++) {
    if (parts) { lua_pushvalue(L, f->s_space); parts++; }
    first_push_id(f, f->t[k - 1]);
    parts++;
  }
  lua_concat(L, parts);
}

static void first_mention_flag(const First *f, int kind, int name, int title, int org, int josa,
                               lua_Integer tok, lua_Integer from, int out, int rec, int flag);

/* push {kind =, name =, title =, org =, josa =, tok =, from =} (name, title,
 * org, josa: stack indexes) and append it to the arrays at out and rec */
static void first_mention(const First *f, int kind, int name, int title, int org, int josa,
                          lua_Integer tok, lua_Integer from, int out, int rec)
{
  first_mention_flag(f, kind, name, title, org, josa, tok, from, out, rec, 0);
}

/* The keys of a mention: upvalues of Words' methods (set with rawset, no
 * look-up of the key's string by its C address) */
enum { UP_KIND = 9, UP_NAME, UP_TITLE, UP_ORG, UP_JOSA, UP_TOK, UP_FROM, UP_BEFORE, UP_CAPTION };

/* t[key] = the value at stack index v, t at the top */
static inline void first_set(lua_State *L, int key, int v)
{
  lua_pushvalue(L, lua_upvalueindex(key));
  lua_pushvalue(L, v);
  lua_rawset(L, -3);
}

static inline void first_set_int(lua_State *L, int key, lua_Integer v)
{
  lua_pushvalue(L, lua_upvalueindex(key));
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
}

/* (title 0: none; flag: the upvalue of a key set to true, or 0; rec 0: no answer) */
static void first_mention_flag(const First *f, int kind, int name, int title, int org, int josa,
                               lua_Integer tok, lua_Integer from, int out, int rec, int flag)
{
  lua_State *L = f->L;
  lua_createtable(L, 0, 8);
  first_set(L, UP_KIND, kind);
  first_set(L, UP_NAME, name);
  if (title) first_set(L, UP_TITLE, title);
  first_set(L, UP_ORG, org);
  first_set(L, UP_JOSA, josa);
  first_set_int(L, UP_TOK, tok);
  first_set_int(L, UP_FROM, from);
  if (flag) {
    lua_pushvalue(L, lua_upvalueindex(flag));
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
  }
  if (rec) lua_pushvalue(L, -1);
  lua_rawseti(L, out, (lua_Integer)lua_rawlen(L, out) + 1);
  if (rec) lua_rawseti(L, rec, (lua_Integer)lua_rawlen(L, rec) + 1);
}

/* append {kind =, name =, josa =, tok =} (stack indexes) to the mentions at 8 */
static void first_bare(const First *f, int kind, int name, int josa, lua_Integer tok)
{
  lua_State *L = f->L;
  lua_createtable(L, 0, 4);
  first_set(L, UP_KIND, kind);
  first_set(L, UP_NAME, name);
  first_set(L, UP_JOSA, josa);
  first_set_int(L, UP_TOK, tok);
  lua_rawseti(L, 8, (lua_Integer)lua_rawlen(L, 8) + 1);
}

/* the answer at rec names no organisation: {false, false, false, mentions…} */
static void first_nobody(lua_State *L, int rec)
{
  for (int p = 1; p <= 3; p++) {
    lua_pushboolean(L, 0);
    lua_rawseti(L, rec, p);
  }
}

/* a title as the walk reads it: ids of its strings, and its F_ flags */
typedef struct {
  int32_t final, tail, josa;
  uint32_t facts;
} Title;

/* The walk left from title W at token i (title_mentions_people): its
 * mentions appended to the array at out, its answer {org | false, post |
 * false, glued organisation | false, mentions…} set as memo[i]. 1: Lua must
 * read the text (nothing pushed), 0: done. */
static int first_title(const First *f, lua_Integer i, const Title *W, int out, int memo)
{
  lua_State *L = f->L;
  Words *ws = f->ws;
  int top = lua_gettop(L);
  lua_Integer j = i - 1, words = 0, name_at = 0;
  lua_Integer names[MAX_NAMES];
  int nn = 0;
  while (j >= 1 && words < 6) {
    int32_t x = f->t[j - 1];
    if (x < 0) {
      if (ws->kind_ch[-1 - x] == ')') return 1;   /* (a bracketed part) */
      break;
    }
    Word *w = &ws->w[x];
    if (wf(f, w) & F_KYEOM) return 1;
    if (wf(f, w) & F_NAME) {
      /* 염태석 한빛 이글스 감독: a two-syllable name after a longer one is
       * part of the organisation */
      Word *left = first_word(f, j - 1);
      if (word_chars(w) == 2 && left && word_chars(left) == 3 && (wf(f, left) & F_NAME)) j--;
      name_at = j;
      names[nn++] = j;
      lua_Integer k = j - 1;
      while (k >= 1) {
        Word *lw = first_word(f, k - 1), *kw = first_word(f, k);
        if (k >= 2 && first_sep(f, k) == 'l' && lw && (wf(f, lw) & F_NAME)) {
          if (nn == MAX_NAMES) return 1;
          names[nn++] = k - 1;
          k -= 2;
          j = k + 1;
        } else if (kw && (W->facts & F_REPORTER) && (wf(f, kw) & F_NAME)) {
          if (nn == MAX_NAMES) return 1;
          names[nn++] = k;
          k -= 1;
          j = k + 1;
        } else break;
      }
      break;
    }
    if (wf(f, w) & F_BOUNDARY) break;
    words++;
    j--;
  }
  /* the organisation: tokens ob..oe; role words next to the title go to it */
  lua_Integer ob = nn ? name_at + 1 : j + 1, oe = i - 1;
  while (oe >= ob && (wf(f, &ws->w[f->t[oe - 1]]) & F_MODIFIER)) oe--;
  if (!nn && W->tail >= 0) return 1;
  int ambiguous = oe == i - 1 && (W->facts & F_AMBIGUOUS);
  /* the title: role words, then the title less a glued organisation */
  int parts = 0;
  for (lua_Integer k = oe + 1; k <= i - 1; k++) {
    first_push_id(f, f->t[k - 1]);
    lua_pushvalue(L, f->s_space);
    parts += 2;
  }
  first_push_id(f, W->final);
  lua_concat(L, parts + 1);
  int title = lua_gettop(L);
  first_push_id(f, W->josa);
  int josa = lua_gettop(L);
  lua_createtable(L, 4, 0);                 /* the answer kept for pass 2 */
  int rec = lua_gettop(L);
  if (nn) {
    /* the organisation before the name: 기상청 배민성 총괄예보관, 새봄벤처스의 방건우 대표 */
    int any = oe >= ob;
    first_push_join(f, ob, oe);
    if (!any) {
      Word *left = first_word(f, j - 1);
      if (left && (wf(f, left) & F_ORG_WHOLE)) {
        lua_pop(L, 1);
        first_push_id(f, f->t[j - 2]);
        any = 1;
      } else if (left && (wf(f, left) & F_GENITIVE)) {
        lua_pop(L, 1);
        first_push_id(f, left->stem);
        any = 1;
      }
    }
    if (W->tail >= 0) {
      if (any) { lua_pushvalue(L, f->s_space); first_push_id(f, W->tail); lua_concat(L, 3); }
      else { lua_pop(L, 1); first_push_id(f, W->tail); }
      any = 1;
    }
    int org = lua_gettop(L);
    first_nobody(L, rec);
    if (!(ambiguous && !any)) {             /* (a common noun with no organisation: 고향 시장) */
      for (int k = nn - 1; k >= 0; k--) {
        first_push_id(f, f->t[names[k] - 1]);
        first_mention(f, f->s_full, lua_gettop(L), title, org, josa, i, j, out, rec);
        lua_pop(L, 1);
      }
    }
  } else {
    /* clause-opening words (또, 이어) are not part of a foreign name */
    while (oe > ob && (wf(f, &ws->w[f->t[ob - 1]]) & F_NOT_NAME)) { ob++; j++; }
    /* a middle initial: 마크 J. 헤이든 부사장 */
    Word *t2 = first_word(f, j - 1), *t3 = first_word(f, j - 2);
    if (oe >= ob && first_sep(f, j) == 'b' && t2 && (wf(f, t2) & F_INITIAL) && t3
        && (wf(f, t3) & F_FOREIGN) && (ws->w[f->t[ob - 1]].facts & F_FOREIGN)) {
      first_nobody(L, rec);
      first_push_id(f, f->t[j - 3]);
      lua_pushvalue(L, f->s_space);
      first_push_id(f, f->t[j - 2]);
      lua_pushliteral(L, ". ");
      first_push_id(f, f->t[ob - 1]);
      lua_concat(L, 5);
      int name = lua_gettop(L);
      first_push_join(f, ob + 1, oe);
      first_mention(f, f->s_full, name, title, lua_gettop(L), josa, i, j - 2, out, rec);
      lua_pushvalue(L, rec);
      lua_rawseti(L, memo, i);
      lua_settop(L, top);
      return 0;
    }
    lua_Integer n = oe - ob + 1;
    Word *w1 = n >= 1 ? &ws->w[f->t[ob - 1]] : NULL, *w2 = n >= 2 ? &ws->w[f->t[ob]] : NULL;
    int done = 0;
    if (w2 && (wf(f, w1) & F_FOREIGN) && (wf(f, w2) & F_FOREIGN) && word_chars(w1) <= 4) {
      int latin = 0;
      for (lua_Integer k = ob + 2; k <= oe; k++)
        if (wf(f, &ws->w[f->t[k - 1]]) & (F_LATIN | F_ORG)) latin = 1;
      int alone = w2->count_gen == ws->heads_serial && w2->count > 0;
      if (ambiguous && n == 2) {
        /* 빛가람 클라우드 파트너: a programme's name and the noun */
      } else if (n == 2 || alone || latin) {
        first_nobody(L, rec);
        first_push_join(f, ob, ob + 1);
        int name = lua_gettop(L);
        first_push_join(f, ob + 2, oe);
        first_mention(f, f->s_full, name, title, lua_gettop(L), josa, i, j + 1, out, rec);
        done = 1;
      }
    }
    if (!done) {
      lua_createtable(L, (int)n, 0);        /* the organisation's words */
      for (lua_Integer k = ob; k <= oe; k++) {
        first_push_id(f, f->t[k - 1]);
        lua_rawseti(L, -2, k - ob + 1);
      }
      lua_rawseti(L, rec, 1);
      lua_pushvalue(L, title);
      lua_rawseti(L, rec, 2);
      lua_pushboolean(L, 0);
      lua_rawseti(L, rec, 3);
      if (w1 && (wf(f, w1) & F_HANGUL)) {
        size_t c = word_chars(w1);
        if ((c == 1 && (wf(f, w1) & F_SURNAME)) || (c >= 2 && (wf(f, w1) & F_FOREIGN))) {
          first_push_id(f, f->t[ob - 1]);
          int name = lua_gettop(L);
          first_push_join(f, ob + 1, oe);
          first_mention(f, f->s_ref, name, title, lua_gettop(L), josa, i, j + 1, out, rec);
        }
      }
    }
  }
  lua_pushvalue(L, rec);
  lua_rawseti(L, memo, i);
  lua_settop(L, top);
  return 0;
}

/* the id of the first word of a known name, or the name, of this scan */
static int first_known(const Words *ws, int32_t id)
{
  return id >= 0 && ws->w[id].known == ws->gen;
}

/* Whether the second reading looks at plain word w (id x): a word of a known name */
static inline int first_looks(const Words *ws, Word *w, int32_t x)
{
  return w->first == ws->gen || ws->w[x].known == ws->gen || ws->w[w->stem].known == ws->gen;
}

/* A text's reading (M.mentions) in C: the first (answers at stack index 9
 * made, mentions at 8), or the second (memo: the first's answers at stack
 * index 2, a title found there given as its token's number, to be taken
 * from it in Lua). Returns the number of results pushed. */
static int first_read(lua_State *L, Words *ws, int i, int second)
{
  /* (most texts have nothing to look at: told before anything is pushed) */
  const int32_t *t = ws->tok + ws->text_at[i - 1];
  size_t nt = ws->text_at[i] - ws->text_at[i - 1], at = 0;
  for (; at < nt; at++) {
    int32_t x = t[at];
    if (x < 0) continue;
    Word *w = &ws->w[x];
    if (w->stem < 0 || (second ? !w->plain || first_looks(ws, w, x) : w->pick1)) break;
    if (w->before && at + 1 < nt && t[at + 1] < 0 && ws->picks_after[-1 - t[at + 1]]
        && word_before(L, ws, &ws->w[x])) break;
  }
  if (at == nt) { luaL_pushfail(L); return 1; }
  First f;
  f.L = L;
  f.ws = ws;
  f.t = ws->tok + ws->text_at[i - 1];
  f.n = (lua_Integer)(ws->text_at[i] - ws->text_at[i - 1]);
  lua_getiuservalue(L, 1, 1);
  f.strs = 3;
  lua_pushvalue(L, lua_upvalueindex(3));   /* full */
  f.s_full = 4;
  lua_pushvalue(L, lua_upvalueindex(4));   /* ref */
  f.s_ref = 5;
  lua_pushvalue(L, lua_upvalueindex(5));   /* " " */
  f.s_space = 6;
  lua_pushvalue(L, lua_upvalueindex(6));   /* empty */
  f.s_empty = 7;
  lua_newtable(L);                          /* 8: mentions (items) */
  lua_pushnil(L);                           /* 9: answers, made at the first title */
  lua_pushvalue(L, lua_upvalueindex(7));   /* 10: "pron" */
  lua_pushvalue(L, lua_upvalueindex(8));   /* 11: "bare" */
  int memo = second && lua_istable(L, 2) ? 2 : 0;
  int any = 0, bare = 0;
  lua_Integer skip = 0;
  luaL_checkstack(L, 40, "no room for the walk");
  for (lua_Integer k = 1; k <= f.n; k++) {
    int32_t x = f.t[k - 1];
    if (x < 0 || k <= skip) continue;
    Word *w = &ws->w[x];
    if (w->stem < 0) { lua_pushboolean(L, 0); return 1; }
    int32_t nx = k < f.n ? f.t[k] : 0;
    int known = second && first_looks(ws, w, x);
    int picked = second ? !w->plain || known : w->pick1;
    if (!picked && !(w->before && nx < 0 && ws->picks_after[-1 - nx] && word_before(L, ws, w))) continue;
    int nsep = first_sep(&f, k + 1);
    any = 1;
    if (memo) {
      /* a title the first reading answered: its answer again; its mentions
       * here when it names nobody's organisation (org false), else in Lua */
      if (lua_rawgeti(L, memo, k) != LUA_TNIL) {
        int rec = lua_gettop(L);
        lua_rawgeti(L, rec, 1);
        int org = lua_toboolean(L, -1) || lua_type(L, rec) != LUA_TTABLE;
        lua_pop(L, 1);
        if (org) lua_pushinteger(L, k);
        lua_Integer n = (lua_Integer)lua_rawlen(L, 8);
        if (org) lua_rawseti(L, 8, ++n);
        else {
          lua_Integer m = (lua_Integer)lua_rawlen(L, rec);
          for (lua_Integer r = 4; r <= m; r++) {
            lua_rawgeti(L, rec, r);
            lua_rawseti(L, 8, ++n);
          }
        }
        lua_settop(L, 11);
        continue;
      }
      lua_pop(L, 1);
    }
    /* a plain word: looked at only before a "/" or "(", or (second) known */
    if (w->plain && nsep != '/' && nsep != '(' && !known) continue;
    int titled = 0;
    Title T = { w->final, w->tail, w->josa, wf(&f, w) };
    if (wf(&f, w) & F_TITLE) {
      titled = 1;
      if ((T.facts & F_NO_JOSA) && nsep == '(') {
        /* 아키텍트(CSA)는: the particle after the bracket; 최고기술책임자(CTO): the short form */
        lua_Integer e = k + 2;
        while (e <= f.n && first_sep(&f, e) != ')' && e < k + 12) e++;
        Word *after = first_sep(&f, e) == ')' ? first_word(&f, e + 1) : NULL;
        if (after && (wf(&f, after) & F_JOSA)) {
          T.josa = f.t[e];
          T.facts &= ~(uint32_t)(F_NO_JOSA | F_ROLE);
          if (wf(&f, after) & F_ROLE_JOSA) T.facts |= F_ROLE;
        }
        Word *abbr = first_word(&f, k + 2);
        if (abbr && first_sep(&f, k + 3) == ')' && (wf(&f, abbr) & F_ABBR)) {
          if (!(wf(&f, abbr) & F_TITLE)) { lua_pushboolean(L, 0); return 1; }
          T.final = abbr->final;
          T.tail = abbr->tail;
          T.facts = (T.facts & ~(uint32_t)(F_BEFORE | F_AMBIGUOUS | F_REPORTER))
            | (wf(&f, abbr) & (F_BEFORE | F_AMBIGUOUS | F_REPORTER));
        }
      }
      if (T.facts & F_ROLE) titled = 0;   /* a role, not a mention: 교수로 임명됐다 */
      else if ((T.facts & F_NO_JOSA) && (T.facts & F_BEFORE)) {
        /* the title before the name: 4번 타자 채우람이, 신인 도하진 */
        Word *nw = first_word(&f, k + 1);
        if (nw && (wf(&f, nw) & (F_NAME | F_STEM_NAME))) {
          int stem_name = (wf(&f, nw) & F_STEM_NAME) != 0;
          Word *name = stem_name ? &ws->w[nw->stem] : nw;
          if (word_chars(name) >= 3) {
            first_push_id(&f, stem_name ? nw->stem : nx);
            int nm = lua_gettop(L);
            first_push_id(&f, w->title);
            int ti = lua_gettop(L);
            if (stem_name) lua_pushlstring(L, nw->s + name->len, nw->len - name->len);
            else lua_pushvalue(L, f.s_empty);
            first_mention_flag(&f, f.s_full, nm, ti, f.s_empty, lua_gettop(L), k + 1, k, 8, 0, UP_BEFORE);
            lua_settop(L, 11);
            skip = k + 1;
            continue;
          }
        }
      }
    } else if (!w->plain && !second) { lua_pushboolean(L, 0); return 1; }
    if (titled) {
      if (second) { lua_pushboolean(L, 0); return 1; }   /* (a title the first reading did not answer: 겸) */
      if (lua_isnil(L, 9)) { lua_newtable(L); lua_replace(L, 9); }
      if (first_title(&f, k, &T, 8, 9)) { lua_pushboolean(L, 0); return 1; }
    } else if (nsep == '/' && (wf(&f, w) & F_NAME) && k <= 5 && k + 2 <= f.n) {
      /* a broadcast caption: [인터뷰] 한도윤 / 서울시체육회 사무처장 */
      lua_Integer e = k + 2;
      while (e <= f.n && f.t[e - 1] >= 0) e++;
      lua_Integer nwords = e - (k + 2);
      if (nwords > 0 && nwords <= 5) {
        /* words before the role that name no organisation are part of it */
        lua_Integer rb = e - 1;
        while (rb > k + 2 && !(wf(&f, &ws->w[f.t[rb - 2]]) & (F_ORG | F_LATIN))) rb--;
        first_push_id(&f, x);
        int nm = lua_gettop(L);
        first_push_join(&f, rb, e - 1);
        int ti = lua_gettop(L);
        first_push_join(&f, k + 2, rb - 1);
        first_mention_flag(&f, f.s_full, nm, ti, lua_gettop(L), f.s_empty, k, k, 8, 0, UP_CAPTION);
        lua_settop(L, 11);
      }
    } else if (nsep == '(' && (wf(&f, w) & F_NAME) && first_word(&f, k + 2)
               && (wf(&f, first_word(&f, k + 2)) & F_NUMBER) && first_sep(&f, k + 3) == ')') {
      /* a name with an age: 도하진(19)이 */
      Word *after = first_word(&f, k + 4);
      first_push_id(&f, x);
      int nm = lua_gettop(L);
      if (after && (wf(&f, after) & F_JOSA)) first_push_id(&f, f.t[k + 3]);
      else lua_pushvalue(L, f.s_empty);
      first_mention_flag(&f, f.s_full, nm, 0, f.s_empty, lua_gettop(L), k, k, 8, 0, 0);
      lua_settop(L, 11);
    } else if (second) {
      /* a pronoun (그는), or a word of a known name not before a title (르쿤은) */
      Word *st = &ws->w[w->stem];
      Word *nw = first_word(&f, k + 1);
      if ((wf(&f, w) & F_PRONOUN) && (wf(&f, w) & F_PRON_JOSA)) {
        first_push_id(&f, w->stem);
        lua_pushlstring(L, w->s + st->len, w->len - st->len);
        first_bare(&f, 10, lua_gettop(L) - 1, lua_gettop(L), k);
      } else if (known && !(nw && (wf(&f, nw) & F_TITLE))) {
        int two = 0;
        if (nw && w->first == ws->gen) {
          first_push_id(&f, x);
          lua_pushvalue(L, f.s_space);
          first_push_id(&f, nw->stem);
          lua_concat(L, 3);
          size_t tl;
          const char *ts = lua_tolstring(L, -1, &tl);
          two = first_known(ws, words_find(ws, ts, tl, hash_bytes(ts, tl)));
          if (two) {
            Word *ns = &ws->w[nw->stem];
            lua_pushlstring(L, nw->s + ns->len, nw->len - ns->len);
            first_bare(&f, 11, lua_gettop(L) - 1, lua_gettop(L), k + 1);
            skip = k + 1;
          }
        }
        if (two) bare = 1;
        else if (first_known(ws, w->stem) && word_chars(st) >= 2) {
          first_push_id(&f, w->stem);
          lua_pushlstring(L, w->s + st->len, w->len - st->len);
          first_bare(&f, 11, lua_gettop(L) - 1, lua_gettop(L), k);
          bare = 1;
        } else if (first_known(ws, x) && word_chars(w) >= 2) {
          first_push_id(&f, x);
          first_bare(&f, 11, lua_gettop(L), f.s_empty, k);
          bare = 1;
        }
      }
      lua_settop(L, 11);
    }
  }
  if (!any) { luaL_pushfail(L); return 1; }
  lua_settop(L, 9);
  if (second) {
    lua_pop(L, 1);
    lua_pushboolean(L, bare);
  }
  return 2;
}

/* Words:first(i) -> mentions, answers | false | nil
 * Text i's first pass (words decided with facts): the people named with a
 * title, in a caption or with an age, as entities' mentions ({kind = "full"
 * | "ref", name, title, org, josa, tok, from …}), and each title's answer by
 * its token (nil: no title); false when Lua must read the text; nil when it
 * has nothing to look at. */
static int words_first(lua_State *L)
{
  Words *ws = check_words(L);
  int i = words_text(L, ws, 2);
  lua_settop(L, 2);
  return first_read(L, ws, i, 0);
}

/* Words:second(i, answers) -> items, bare | false | nil
 * Text i's second pass with the names Words:known marked: its mentions in
 * order, a title answered in answers (the first pass's, by token) given as
 * its token's number (Lua takes the answer there), or as the answer's
 * mentions when it holds no organisation (answer[1] false); pronouns ({kind
 * = "pron"}) and known names alone ({kind = "bare"}, bare true when there is
 * one). false when Lua must read the text; nil: nothing to look at. */
static int words_second(lua_State *L)
{
  Words *ws = check_words(L);
  int i = words_text(L, ws, 2);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lua_remove(L, 2);                         /* 2: answers */
  return first_read(L, ws, i, 1);
}

static int words_gc(lua_State *L)
{
  words_free(check_words(L));
  return 0;
}

static int words_tostring(lua_State *L)
{
  Words *ws = check_words(L);
  lua_pushfstring(L, "gisa.split.Words (%d words, %d texts)", (int)ws->nw, (int)ws->ntexts);
  return 1;
}

/* A copy of an array's values, as the addresses of the values (their
 * types beside them), the values themselves kept in its uservalue: split.same
 * compares a list with it reading the list alone. */
#define COPY "gisa.split.Copy"
#define SAME_RUN 32     /* values split.same pushes before it pops them */

typedef struct {
  size_t n;
  struct { const void *p; int type; } v[1];
} Copy;

/* split.copy(a) -> Copy   (the values of a at 1..#a, as they are now) */
static int split_copy(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_Unsigned n = lua_rawlen(L, 1);
  Copy *c = lua_newuserdatauv(L, sizeof *c + (n ? n - 1 : 0) * sizeof c->v[0], 1);
  luaL_setmetatable(L, COPY);
  c->n = (size_t)n;
  lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
  for (lua_Unsigned i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, 1, (lua_Integer)i);
    c->v[i - 1].p = lua_topointer(L, -1);
    c->v[i - 1].type = t;
    lua_rawseti(L, -2, (lua_Integer)i);
  }
  lua_setiuservalue(L, 2, 1);
  return 1;
}

/* split.same(a, b) -> boolean
 * Whether arrays a and b hold the same values (raw, by identity) at 1..#a
 * and have the same length: a list compared with a copy of it (a table, or
 * a Copy from split.copy). */
static int split_same(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  /* (a Copy by its metatable, upvalue 3: a scan compares a dozen lists) */
  Copy *c = NULL;
  if (lua_type(L, 2) == LUA_TUSERDATA && lua_getmetatable(L, 2)) {
    if (lua_rawequal(L, -1, lua_upvalueindex(3))) c = lua_touserdata(L, 2);
    lua_pop(L, 1);
  }
  if (!c) luaL_checktype(L, 2, LUA_TTABLE);
  lua_Unsigned n = lua_rawlen(L, 1);
  int same = n == (c ? c->n : lua_rawlen(L, 2));
  if (c) {
    lua_settop(L, 2);
    lua_getiuservalue(L, 2, 1);             /* 3: the values */
    luaL_checkstack(L, SAME_RUN, "no room for a run of values");
    /* a run of values pushed, compared, then popped at once */
    for (lua_Unsigned i = 1; same && i <= n; i += SAME_RUN) {
      lua_Unsigned e = n - i + 1 < SAME_RUN ? n : i + SAME_RUN - 1;
      int types[SAME_RUN];
      for (lua_Unsigned k = i; k <= e; k++) types[k - i] = lua_rawgeti(L, 1, (lua_Integer)k);
      for (lua_Unsigned k = i; same && k <= e; k++) {
        int at = 3 + (int)(k - i + 1), t = types[k - i];
        const void *p = lua_topointer(L, at);
        same = t == c->v[k - 1].type && p == c->v[k - 1].p;
        if (same && !p && t != LUA_TNIL) {   /* a number or boolean: by value */
          lua_rawgeti(L, 3, (lua_Integer)k);
          same = lua_rawequal(L, -1, at);
          lua_pop(L, 1);
        }
      }
      lua_settop(L, 3);
    }
  }
  for (lua_Unsigned i = 1; !c && same && i <= n; i++) {
    lua_rawgeti(L, 1, (lua_Integer)i);
    lua_rawgeti(L, 2, (lua_Integer)i);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  lua_pushboolean(L, same);
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

static const luaL_Reg words_methods[] = {
  {"reset", words_reset},
  {"split", words_split},
  {"decide", words_decide},
  {"heads", words_heads},
  {"count", words_count},
  {"known", words_known},
  {"picks", words_picks},
  {"tokens", words_tokens},
  {"first", words_first},
  {"second", words_second},
  {NULL, NULL}
};

static const luaL_Reg split_funcs[] = {
  {"splitter", split_splitter},
  {"words", split_words},
  {"pick", split_pick},
  {"heads", split_heads},
  {"copy", split_copy},
  {"same", split_same},
  {NULL, NULL}
};

int luaopen_gisa_split(lua_State *L)
{
  luaL_newmetatable(L, SPLITTER);           /* (the upvalues of every function) */
  luaL_newmetatable(L, WORDS);
  int mt_sp = lua_gettop(L) - 1, mt_ws = mt_sp + 1;
  luaL_newlibtable(L, splitter_methods);
  lua_pushvalue(L, mt_sp);
  lua_pushvalue(L, mt_ws);
  luaL_setfuncs(L, splitter_methods, 2);
  lua_setfield(L, mt_sp, "__index");
  lua_pushcfunction(L, split_tostring);
  lua_setfield(L, mt_sp, "__tostring");
  luaL_newlibtable(L, words_methods);
  lua_pushvalue(L, mt_sp);
  lua_pushvalue(L, mt_ws);
  /* (the strings Words:first and Words:second put in mentions: upvalues 3..8) */
  lua_pushliteral(L, "full");
  lua_pushliteral(L, "ref");
  lua_pushliteral(L, " ");
  lua_pushliteral(L, "");
  lua_pushliteral(L, "pron");
  lua_pushliteral(L, "bare");
  /* (and the keys of a mention: 9..17, UP_KIND …) */
  static const char *const keys[] = { "kind", "name", "title", "org", "josa", "tok", "from",
    "before", "caption" };
  for (int k = 0; k < 9; k++) lua_pushstring(L, keys[k]);
  luaL_setfuncs(L, words_methods, 17);
  lua_setfield(L, mt_ws, "__index");
  lua_pushcfunction(L, words_gc);
  lua_setfield(L, mt_ws, "__gc");
  lua_pushcfunction(L, words_gc);
  lua_setfield(L, mt_ws, "__close");
  lua_pushcfunction(L, words_tostring);
  lua_setfield(L, mt_ws, "__tostring");
  luaL_newmetatable(L, COPY);
  int mt_copy = lua_gettop(L);
  luaL_newlibtable(L, split_funcs);
  lua_pushvalue(L, mt_sp);
  lua_pushvalue(L, mt_ws);
  lua_pushvalue(L, mt_copy);
  luaL_setfuncs(L, split_funcs, 3);
  return 1;
}
