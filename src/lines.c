/*
 * lines.c: gisa.lines, the first step of extraction in one C pass: an article
 * cut into numbered lines, each trimmed, its length in characters, its first
 * character, and which of a set of needles (the `has` words of the rules) it
 * contains as a bit mask, so a rule's `has` test is one AND instead of a
 * string.find per word. Blanks trimmed: space, tab, CR, NBSP, U+3000.
 */
#include <string.h>

#include "gisa.h"
#include "utf8.h"

#define MAX_NEEDLES 64

/* ------------------------------------------------------------------------
 * Needle sets
 * ---------------------------------------------------------------------- */

typedef struct {
  int n;
  uint64_t first[256];          /* needles that start with this byte */
  uint64_t second[256];         /* needles with this second byte (or shorter) */
  uint64_t third[256];          /* needles with this third byte (or shorter) */
  size_t len[MAX_NEEDLES];
  char text[MAX_NEEDLES][64];
} Needles;

#define NEEDLES "gisa.lines.Needles"

/* The needles of S[0..n) as bits (bit i-1 for the i-th needle). */
static uint64_t needles_scan(const Needles *ns, const unsigned char *s, size_t n)
{
  uint64_t found = 0, all = ns->n == 64 ? ~(uint64_t)0 : (((uint64_t)1 << ns->n) - 1);
  for (size_t i = 0; i < n; i++) {
    uint64_t m = ns->first[s[i]] & ~found;
    if (!m) continue;
    if (i + 2 < n) m &= ns->second[s[i + 1]] & ns->third[s[i + 2]];
    while (m) {
      int b = __builtin_ctzll(m);
      m &= m - 1;
      size_t len = ns->len[b];
      if (len <= n - i && (len == 1 || memcmp(s + i + 1, ns->text[b] + 1, len - 1) == 0)) {
        found |= (uint64_t)1 << b;
        if (found == all) return found;
      }
    }
  }
  return found;
}

/* lines.needles(list) -> needles   (at most 64 non-empty strings of up to 63 bytes) */
static int lines_needles(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  luaL_argcheck(L, n <= MAX_NEEDLES, 1, "more than 64 needles");
  Needles *ns = (Needles *)lua_newuserdatauv(L, sizeof(Needles), 0);
  memset(ns, 0, sizeof *ns);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    luaL_argcheck(L, s != NULL && len > 0 && len < 64, 1, "needles must be strings of 1 to 63 bytes");
    memcpy(ns->text[i - 1], s, len);
    ns->len[i - 1] = len;
    uint64_t bit = (uint64_t)1 << (i - 1);
    ns->first[(unsigned char)s[0]] |= bit;
    for (int c = 0; c < 256; c++) {
      if (len < 2 || (unsigned char)s[1] == c) ns->second[c] |= bit;
      if (len < 3 || (unsigned char)s[2] == c) ns->third[c] |= bit;
    }
    lua_pop(L, 1);
  }
  ns->n = (int)n;
  luaL_setmetatable(L, NEEDLES);
  return 1;
}

/* needles:mask(s) -> integer   (bit i-1 set when s contains the i-th needle) */
static int needles_mask(lua_State *L)
{
  const Needles *ns = (const Needles *)luaL_checkudata(L, 1, NEEDLES);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  lua_pushinteger(L, (lua_Integer)needles_scan(ns, (const unsigned char *)s, n));
  return 1;
}

/* needles:count() -> integer */
static int needles_count(lua_State *L)
{
  const Needles *ns = (const Needles *)luaL_checkudata(L, 1, NEEDLES);
  lua_pushinteger(L, ns->n);
  return 1;
}

/* ------------------------------------------------------------------------
 * Lines
 * ---------------------------------------------------------------------- */

/* Blank bytes at s[i] (forward): 0, or the length of a blank. */
static size_t blank_at(const unsigned char *s, size_t i, size_t n)
{
  unsigned c = s[i];
  if (c == ' ' || c == '\t' || c == '\r') return 1;
  if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x80) return 3;
  return 0;
}

/* Blank bytes ending at s[j-1] (backward, not before i): 0, or its length. */
static size_t blank_before(const unsigned char *s, size_t i, size_t j)
{
  unsigned c = s[j - 1];
  if (c == ' ' || c == '\t' || c == '\r') return 1;
  if (c == 0xA0 && j >= i + 2 && s[j - 2] == 0xC2) return 2;
  if (c == 0x80 && j >= i + 3 && s[j - 2] == 0x80 && s[j - 3] == 0xE3) return 3;
  return 0;
}

/* The first character as rules dispatch on it: a lead byte (ASCII or C2..F4)
 * and the continuation bytes after it; 0 when the text starts otherwise. */
static size_t first_char(const unsigned char *s, size_t n)
{
  if (n == 0 || (s[0] >= 0x80 && (s[0] < 0xC2 || s[0] > 0xF4))) return 0;
  size_t k = 1;
  while (k < n && s[k] >= 0x80 && s[k] < 0xC0) k++;
  return k;
}

/* Set the fields text, len, fc (and mask, when len <= maxlen) of the line table
 * at the top from t[0..n). */
static void set_text(lua_State *L, const unsigned char *t, size_t n, const Needles *ns,
  lua_Integer maxlen, int same_as_raw)
{
  if (same_as_raw) lua_getfield(L, -1, "raw");
  else lua_pushlstring(L, (const char *)t, n);
  lua_setfield(L, -2, "text");
  lua_Integer len = 0;
  if (n > 0) {
    size_t chars = 0;
    len = gisa_utf8_validate(t, n, &chars) == n ? (lua_Integer)chars : (lua_Integer)n;
  }
  lua_pushinteger(L, len);
  lua_setfield(L, -2, "len");
  size_t fc = first_char(t, n);
  lua_pushlstring(L, (const char *)t, fc);
  lua_setfield(L, -2, "fc");
  if (ns && len <= maxlen) {
    lua_pushinteger(L, (lua_Integer)needles_scan(ns, t, n));
    lua_setfield(L, -2, "mask");
  }
}

/* lines.split(text [, needles [, maxlen]]) -> array of {n=, raw=, text=, len=, fc=, mask=}
 * (lines end at LF; a CR before it is dropped; text is raw trimmed; len counts
 * characters, or bytes when text is not UTF-8; fc is the first character ("" when
 * none); mask: the needles text contains, when a set is given and len <= maxlen) */
static int lines_split(lua_State *L)
{
  size_t size;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &size);
  const Needles *ns = lua_isnoneornil(L, 2) ? NULL : (const Needles *)luaL_checkudata(L, 2, NEEDLES);
  lua_Integer maxlen = luaL_optinteger(L, 3, LUA_MAXINTEGER);
  lua_settop(L, 3);
  lua_newtable(L);
  lua_Integer n = 0;
  size_t pos = 0;
  while (pos < size) {
    const unsigned char *nl = (const unsigned char *)memchr(s + pos, '\n', size - pos);
    size_t e = nl ? (size_t)(nl - s) : size;
    size_t rawend = e;
    if (rawend > pos && s[rawend - 1] == '\r') rawend--;
    size_t i = pos, j = rawend;
    size_t k;
    while (i < j && (k = blank_at(s, i, j)) > 0) i += k;
    while (j > i && (k = blank_before(s, i, j)) > 0) j -= k;
    lua_createtable(L, 0, ns ? 6 : 5);
    lua_pushinteger(L, ++n);
    lua_setfield(L, -2, "n");
    lua_pushlstring(L, (const char *)s + pos, rawend - pos);
    lua_setfield(L, -2, "raw");
    set_text(L, s + i, j - i, ns, maxlen, i == pos && j == rawend);
    lua_rawseti(L, 4, n);
    pos = e + 1;
  }
  return 1;
}

/* Control bytes but tab and LF (a subset of those below 0x20, so XOR takes
 * them out), or DEL, in vectors of bytes (the compiler's vector extension). */
#define PLAIN_BAD(v, type) ((type)(((v) < 0x20) ^ (((v) == '\t') | ((v) == '\n'))) | (type)((v) == 0x7F))

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
typedef unsigned char plain_bytes32 __attribute__((vector_size(32)));

/* How far the 64-byte blocks of s[0..n) hold no control byte, with AVX2. */
__attribute__((target("avx2")))
static size_t plain_blocks_avx2(const unsigned char *s, size_t n)
{
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    plain_bytes32 v0, v1;
    memcpy(&v0, s + i, 32);
    memcpy(&v1, s + i + 32, 32);
    plain_bytes32 bad = PLAIN_BAD(v0, plain_bytes32) | PLAIN_BAD(v1, plain_bytes32);
    uint64_t w[4];
    memcpy(w, &bad, 32);
    if (w[0] | w[1] | w[2] | w[3]) break;
  }
  return i;
}
#endif

/* lines.plain(s) -> boolean   (s is valid UTF-8 without a BOM and without control
 * bytes but tab and LF: text that decoding would return as it is) */
static int lines_plain(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int ok = !(n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF);
  /* control bytes 64 at a time: AVX2 where the CPU has it (chosen at run time,
   * as utf8.h does), else 16-byte vectors (SSE2 or NEON); the rest one at a
   * time. A block with one is left to the byte loop, which stops at it. */
  typedef unsigned char bytes16 __attribute__((vector_size(16)));
  size_t i = 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (ok && n >= 64 && __builtin_cpu_supports("avx2")) i = plain_blocks_avx2(s, n);
#endif
  for (; ok && i + 64 <= n; i += 64) {
    bytes16 v0, v1, v2, v3;
    memcpy(&v0, s + i, 16);
    memcpy(&v1, s + i + 16, 16);
    memcpy(&v2, s + i + 32, 16);
    memcpy(&v3, s + i + 48, 16);
    bytes16 bad = (PLAIN_BAD(v0, bytes16) | PLAIN_BAD(v1, bytes16)) |
                  (PLAIN_BAD(v2, bytes16) | PLAIN_BAD(v3, bytes16));
    uint64_t w[2];
    memcpy(w, &bad, 16);
    ok = (w[0] | w[1]) == 0;
  }
  for (; ok && i < n; i++) {
    unsigned b = s[i];
    ok = (b >= 0x20 || b == '\t' || b == '\n') && b != 0x7F;
  }
  if (ok) ok = gisa_utf8_valid_prefix(s, n) == n;
  lua_pushboolean(L, ok);
  return 1;
}

/* ------------------------------------------------------------------------
 * Quotes
 * ---------------------------------------------------------------------- */

typedef struct {
  const char *open, *close;
  size_t olen, clen;
  int idx;                      /* stack index of the mark's table */
} Mark;

#define MAX_MARKS 16

/* lines.quotes(s, marks) -> array of {pos, text, word|false, stop}
 * (marks: array of {open, close [, after]}, after an array of words tried in
 * order; every quote in s, left to right: at an opening mark, the text up to the
 * next closing mark (not empty; an opener without one is passed over), pos the
 * byte of the opener, stop the byte after the closer, word the first of the
 * mark's `after` words that s holds at stop, or false) */
static int lines_quotes(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  Mark mk[MAX_MARKS];
  unsigned char first[256] = { 0 };
  int nm = (int)lua_rawlen(L, 2);
  luaL_argcheck(L, nm <= MAX_MARKS, 2, "more than 16 marks");
  for (int k = 0; k < nm; k++) {
    lua_rawgeti(L, 2, k + 1);
    luaL_argcheck(L, lua_istable(L, -1), 2, "a mark must be a table {open, close [, after]}");
    mk[k].idx = lua_gettop(L);
    lua_rawgeti(L, mk[k].idx, 1);
    lua_rawgeti(L, mk[k].idx, 2);
    mk[k].open = lua_tolstring(L, -2, &mk[k].olen);
    mk[k].close = lua_tolstring(L, -1, &mk[k].clen);
    luaL_argcheck(L, mk[k].open && mk[k].close && mk[k].olen > 0 && mk[k].clen > 0, 2,
      "a mark's open and close must be non-empty strings");
    lua_pop(L, 2);              /* the strings stay alive in the mark's table */
    first[(unsigned char)mk[k].open[0]] = 1;
  }
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_Integer count = 0;
  size_t i = 0;
  while (i < n) {
    if (!first[(unsigned char)s[i]]) { i++; continue; }
    int k = 0;
    while (k < nm && !(mk[k].olen <= n - i && memcmp(s + i, mk[k].open, mk[k].olen) == 0)) k++;
    if (k == nm) { i++; continue; }
    size_t from = i + mk[k].olen;
    const char *c = memmem(s + from, n - from, mk[k].close, mk[k].clen);
    if (!c || (size_t)(c - s) == from) { i = from; continue; }
    size_t a = (size_t)(c - s), stop = a + mk[k].clen;
    lua_createtable(L, 4, 0);
    lua_pushinteger(L, (lua_Integer)i + 1);
    lua_rawseti(L, -2, 1);
    lua_pushlstring(L, s + from, a - from);
    lua_rawseti(L, -2, 2);
    lua_pushboolean(L, 0);
    if (lua_rawgeti(L, mk[k].idx, 3) == LUA_TTABLE) {
      lua_Integer nw = (lua_Integer)lua_rawlen(L, -1);
      for (lua_Integer w = 1; w <= nw; w++) {
        size_t wl;
        lua_rawgeti(L, -1, w);
        const char *word = lua_tolstring(L, -1, &wl);
        if (word && wl <= n - stop && memcmp(s + stop, word, wl) == 0) {
          lua_replace(L, -3);   /* the word replaces false */
          break;
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, (lua_Integer)stop + 1);
    lua_rawseti(L, -2, 4);
    lua_rawseti(L, out, ++count);
    i = stop;
  }
  return 1;
}

static const luaL_Reg needles_methods[] = {
  { "mask", needles_mask },
  { "count", needles_count },
  { NULL, NULL },
};

static const luaL_Reg lines_funcs[] = {
  { "split", lines_split },
  { "needles", lines_needles },
  { "plain", lines_plain },
  { "quotes", lines_quotes },
  { NULL, NULL },
};

int luaopen_gisa_lines(lua_State *L)
{
  if (luaL_newmetatable(L, NEEDLES)) {
    luaL_newlib(L, needles_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  luaL_newlib(L, lines_funcs);
  return 1;
}
