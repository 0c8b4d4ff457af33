/*
 * fuzz_lines.c: libFuzzer target for gisa.lines, through the Lua API as the
 * engine calls it. The input gives a set of needles (some cut from the input
 * itself, so they are found) and a text; then the hand-tuned code is checked
 * against plain versions written here: needles:mask against a memmem per
 * needle, split against a line-by-line cut (count, raw, trimmed text, length,
 * first character, mask), trim, plain against a byte loop and the validator,
 * and the quote scan (lines.quotemarks): quotes in order, inside the text;
 * lines.wordback: words right to left inside the text.
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

/* ---- Plain versions -------------------------------------------------- */

static int has(const unsigned char *s, size_t n, const unsigned char *x, size_t m)
{
  if (m > n) return 0;
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(s + i, x, m) == 0) return 1;
  return 0;
}

typedef struct { const unsigned char *s[64]; size_t n[64]; int count; } List;

static uint64_t mask_plain(const List *nl, const unsigned char *s, size_t n)
{
  uint64_t m = 0;
  for (int i = 0; i < nl->count; i++)
    if (has(s, n, nl->s[i], nl->n[i])) m |= (uint64_t)1 << i;
  return m;
}

/* A blank as lines.c reads one: space, tab, CR, form feed, vertical tab, NBSP, U+3000. */
static size_t blank_len(const unsigned char *s, size_t n)   /* a blank starting at s */
{
  if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\f' || s[0] == '\v')) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

static size_t blank_end(const unsigned char *s, size_t n)   /* a blank ending at s[n-1] */
{
  if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\f'
                 || s[n - 1] == '\v')) return 1;
  if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0) return 2;
  if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80) return 3;
  return 0;
}

static void trim_plain(const unsigned char *s, size_t n, size_t *a, size_t *b)
{
  size_t i = 0, j = n, k;
  while (i < j && (k = blank_len(s + i, j - i)) > 0) i += k;
  while (j > i && (k = blank_end(s + i, j - i)) > 0) j -= k;
  *a = i, *b = j;
}

static int plain_plain(const unsigned char *s, size_t n)
{
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return 0;
  for (size_t i = 0; i < n; i++)
    if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7F) return 0;
  return gisa_utf8_validate(s, n, NULL) == n;
}

/* ---- Checks through the Lua API -------------------------------------- */

static const char *field(int t, const char *k, size_t *n)   /* t[k] as a string, or NULL */
{
  lua_getfield(L, t, k);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, n) : NULL;
  lua_pop(L, 1);    /* the string stays alive in the table */
  return s;
}

static lua_Integer ifield(int t, const char *k, int *isnum)
{
  lua_getfield(L, t, k);
  lua_Integer v = lua_tointegerx(L, -1, isnum);
  lua_pop(L, 1);
  return v;
}

static void check_split(int mod, int needles, const unsigned char *s, size_t n, const List *nl, lua_Integer maxlen)
{
  int top = lua_gettop(L);
  lua_getfield(L, mod, "split");
  lua_pushlstring(L, (const char *)s, n);
  if (needles) lua_pushvalue(L, needles); else lua_pushnil(L);
  lua_pushinteger(L, maxlen);
  check(lua_pcall(L, 3, 1, 0) == LUA_OK, "split does not raise");
  int arr = lua_gettop(L);
  size_t pos = 0;
  lua_Integer k = 0;
  while (pos < n) {
    const unsigned char *nlp = memchr(s + pos, '\n', n - pos);
    size_t e = nlp ? (size_t)(nlp - s) : n, rawend = e;
    if (rawend > pos && s[rawend - 1] == '\r') rawend--;
    k++;
    check(lua_rawgeti(L, arr, k) == LUA_TTABLE, "split: one table per line");
    int line = lua_gettop(L);
    int isnum;
    check(ifield(line, "n", &isnum) == k && isnum, "split: n numbers the lines");
    size_t rn, tn;
    const char *raw = field(line, "raw", &rn), *text = field(line, "text", &tn);
    check(raw && rn == rawend - pos && memcmp(raw, s + pos, rn) == 0, "split: raw is the line without LF and CR");
    size_t a, b;
    trim_plain(s + pos, rawend - pos, &a, &b);
    check(text && tn == b - a && memcmp(text, s + pos + a, tn) == 0, "split: text is raw trimmed");
    size_t chars = 0;
    int valid = gisa_utf8_validate((const unsigned char *)text, tn, &chars) == tn;
    lua_Integer len = ifield(line, "len", &isnum);
    check(isnum && len == (tn == 0 ? 0 : valid ? (lua_Integer)chars : (lua_Integer)tn), "split: len");
    size_t fn;
    const char *fc = field(line, "fc", &fn);
    lua_getfield(L, line, "mask");
    int has_mask = !lua_isnil(L, -1);
    lua_Integer m = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (tn == 0) {
      check(fc == NULL && !has_mask, "split: a blank line has no fc and no mask");
    } else {
      const unsigned char *t = (const unsigned char *)text;
      size_t want = 0;
      if (!(t[0] >= 0x80 && (t[0] < 0xC2 || t[0] > 0xF4))) {
        want = 1;
        while (want < tn && t[want] >= 0x80 && t[want] < 0xC0) want++;
      }
      check(fc && fn == want && memcmp(fc, text, fn) == 0, "split: fc is the first character");
      check(has_mask == (needles && len <= maxlen), "split: a mask when needles are given and len <= maxlen");
      if (has_mask) check((uint64_t)m == mask_plain(nl, t, tn), "split: mask holds the needles of text");
    }
    lua_settop(L, arr);
    pos = e + 1;
  }
  check(lua_rawlen(L, arr) == (size_t)k, "split: as many lines as LF-separated pieces");
  lua_settop(L, top);
}

/* lines.wordback over the whole text: words right to left, each starting
 * before the last one's start, no longer than the bytes it was read from */
static void check_wordback(int mod, const unsigned char *s, size_t n)
{
  int top = lua_gettop(L);
  lua_getfield(L, mod, "wordback");
  int fn = lua_gettop(L);
  lua_Integer pos = (lua_Integer)n;
  while (pos >= 1) {
    lua_pushvalue(L, fn);
    lua_pushlstring(L, (const char *)s, n);
    lua_pushinteger(L, 1);
    lua_pushinteger(L, pos);
    check(lua_pcall(L, 3, 2, 0) == LUA_OK, "wordback does not raise");
    if (lua_isnil(L, -2)) { lua_pop(L, 2); break; }
    size_t wl;
    lua_tolstring(L, -2, &wl);
    lua_Integer start = lua_tointeger(L, -1);
    check(start >= 1 && start <= pos && wl >= 1 && (lua_Integer)wl <= pos - start + 1,
          "wordback: a word inside s[1..pos]");
    pos = start - 1;
    lua_pop(L, 2);
  }
  lua_settop(L, top);
}

static void check_quotemarks(int mod, const unsigned char *s, size_t n)
{
  int top = lua_gettop(L);
  /* the shipped marks, in short (lua/gisa/analysis/quotewords.lua) */
  static const char *setup =
    "local lines = ...\n"
    "return lines.quotemarks({ { '\\u{201C}', '\\u{201D}', after = { '\\u{B77C}\\u{ACE0}', '\\u{ACE0}' } },"
    " { '\"', '\"', after = { '\\u{B77C}\\u{ACE0}' } }, { '\\u{2018}', '\\u{2019}' } }, '.?!')\n";
  static int ref = LUA_NOREF;
  if (ref == LUA_NOREF) {
    check(luaL_loadstring(L, setup) == LUA_OK, "quotemarks set-up compiles");
    lua_pushvalue(L, mod);
    check(lua_pcall(L, 1, 1, 0) == LUA_OK, "quotemarks builds");
    ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  lua_pushlstring(L, (const char *)s, n);
  lua_pushvalue(L, out);
  check(lua_pcall(L, 2, 1, 0) == LUA_OK, "scan does not raise");
  lua_Integer count = lua_tointeger(L, -1);
  check(count >= 0 && (size_t)lua_rawlen(L, out) == (size_t)count * 7, "scan: 7 integers a quote");
  lua_Integer prev_end = 1;
  for (lua_Integer q = 0; q < count; q++) {
    lua_Integer v[7];
    for (int j = 0; j < 7; j++) {
      lua_rawgeti(L, out, q * 7 + j + 1);
      v[j] = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    /* open < first inside <= last inside + 1 < after close; in order; in the text */
    check(v[0] >= prev_end && v[0] < v[1] && v[1] <= v[2] + 1 && v[2] < v[3]
          && (size_t)v[3] <= n + 1, "scan: positions in order inside the text");
    check(v[4] >= 1 && v[4] <= 3 && v[5] >= 1 && v[5] <= v[0] && v[6] >= 0 && v[6] <= 2,
          "scan: mark, sentence start and after-word in range");
    prev_end = v[3];
  }
  lua_settop(L, top);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) {                                   /* the module stays at 1 */
    L = luaL_newstate();
    luaL_openlibs(L);
    luaopen_gisa_lines(L);
  }
  lua_settop(L, 1);
  if (size < 2) return 0;
  /* needles: data[0] % 65 of them; each one byte of length (1..63) and either
   * its bytes from the front of the input or a piece cut from the text */
  int want = data[0] % 65;
  size_t pos = 1;
  List nl = { .count = 0 };
  uint8_t lens[64], from_text[64];
  for (int i = 0; i < want && pos < size; i++) {
    lens[i] = (uint8_t)(data[pos] % 63 + 1);
    from_text[i] = data[pos] >> 7;
    pos++;
    nl.count++;
  }
  const unsigned char *text = data + pos;
  size_t tn = size - pos;
  size_t cut = 0;
  for (int i = 0; i < nl.count; i++) {
    size_t len = lens[i];
    if (from_text[i] && tn > 0) {
      size_t at = (cut * 131 + (size_t)i * 17) % tn;
      if (len > tn - at) len = tn - at;
      nl.s[i] = text + at;
    } else {
      if (len > tn) len = tn ? tn : 1;
      nl.s[i] = tn ? text : (const unsigned char *)"a";
    }
    nl.n[i] = len;
    cut += len;
  }
  lua_getfield(L, 1, "needles");
  lua_createtable(L, nl.count, 0);
  for (int i = 0; i < nl.count; i++) {
    lua_pushlstring(L, (const char *)nl.s[i], nl.n[i]);
    lua_rawseti(L, -2, i + 1);
  }
  check(lua_pcall(L, 1, 1, 0) == LUA_OK, "needles accepts 0..64 strings of 1..63 bytes");
  int needles = lua_gettop(L);                       /* 2: the needle set */

  /* needles:mask on the whole text */
  lua_getfield(L, needles, "mask");
  lua_pushvalue(L, needles);
  lua_pushlstring(L, (const char *)text, tn);
  check(lua_pcall(L, 2, 1, 0) == LUA_OK, "mask does not raise");
  check((uint64_t)lua_tointeger(L, -1) == mask_plain(&nl, text, tn), "mask holds exactly the needles of the text");
  lua_pop(L, 1);

  /* split, with needles and a length limit from the input, and without */
  check_split(1, needles, text, tn, &nl, (lua_Integer)(data[1] % 50));
  check_split(1, needles, text, tn, &nl, LUA_MAXINTEGER);
  check_split(1, 0, text, tn, &nl, LUA_MAXINTEGER);

  /* trim and plain */
  lua_getfield(L, 1, "trim");
  lua_pushlstring(L, (const char *)text, tn);
  check(lua_pcall(L, 1, 1, 0) == LUA_OK, "trim does not raise");
  size_t a, b, rn;
  trim_plain(text, tn, &a, &b);
  const char *r = lua_tolstring(L, -1, &rn);
  check(rn == b - a && memcmp(r, text + a, rn) == 0, "trim as the plain version");
  lua_pop(L, 1);
  lua_getfield(L, 1, "plain");
  lua_pushlstring(L, (const char *)text, tn);
  check(lua_pcall(L, 1, 1, 0) == LUA_OK, "plain does not raise");
  check(lua_toboolean(L, -1) == plain_plain(text, tn), "plain as the byte loop and the validator");
  lua_pop(L, 1);
  lua_getfield(L, 1, "final");
  lua_pushlstring(L, (const char *)text, tn);
  check(lua_pcall(L, 1, 1, 0) == LUA_OK && lua_isboolean(L, -1), "final answers a boolean");
  lua_pop(L, 1);

  check_quotemarks(1, text, tn);
  check_wordback(1, text, tn);
  return 0;
}
