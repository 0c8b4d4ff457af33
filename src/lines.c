/*
 * lines.c: gisa.lines, the first step of extraction in one C pass: an article
 * cut into numbered lines, each trimmed, its length in characters, its first
 * character, and which of a set of needles (the `has` words of the rules) it
 * contains as a bit mask, so a rule's `has` test is one AND instead of a
 * string.find per word. Blanks trimmed: space, tab, CR, NBSP, U+3000.
 */
#include <limits.h>
#include <string.h>

#include "gisa.h"
#include "utf8.h"

#define MAX_NEEDLES 64

/* ------------------------------------------------------------------------
 * Needle sets
 * ---------------------------------------------------------------------- */

/* A needle is looked up by its first one, two or three bytes: a byte table
 * for needles of one byte, and hashed tables of the first two and first three
 * bytes for the longer ones, so a position costs one or two lookups whatever
 * the number of needles; a hit is confirmed with memcmp. When no needle starts
 * with a UTF-8 continuation byte, the scan steps over whole characters. */
#define HBITS 10
#define HSIZE (1u << HBITS)

typedef struct {
  int n;
  int bytewise;                 /* a needle starts mid-character: try every byte */
  uint64_t all;                 /* every needle's bit */
  uint64_t start[256];          /* needles starting with this byte */
  uint64_t one[256];            /* needles of one byte */
  unsigned char lens[256];      /* which lengths start with this byte: 1 | 2 (two bytes) | 4 (three or more) */
  uint64_t pairs[65536 / 64];   /* bit (a << 8 | b): some needle starts with byte a, then b (or is just a) */
  uint64_t triples[4096 / 64];  /* bit hash3: a needle of 3+ bytes starting with a lead byte E0..FF */
  uint64_t two[HSIZE];          /* needles of two bytes, by their hash */
  uint64_t three[HSIZE];        /* longer needles, by the hash of their first three bytes */
  size_t len[MAX_NEEDLES];
  char text[MAX_NEEDLES][64];
} Needles;

#define NEEDLES "gisa.lines.Needles"

static inline unsigned hash2(const unsigned char *s)
{
  return ((unsigned)(s[0] | s[1] << 8) * 0x9E3779B1u) >> (32 - HBITS);
}

static inline unsigned hash3(const unsigned char *s)
{
  return ((unsigned)(s[0] | s[1] << 8 | s[2] << 16) * 0x9E3779B1u) >> (32 - HBITS);
}

/* The length of the UTF-8 character a lead byte starts, in text known to be
 * valid (a continuation byte, never at a character's start there, gives 1). */
static const unsigned char utf8_step[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
  R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
  R16(1), R16(1), R16(1), R16(1), R16(2), R16(2), R16(3), R16(4)
#undef R16
};

/* The needles of S[0..n) as bits (bit i-1 for the i-th needle); VALID: s is
 * valid UTF-8, so a needle can only start where a character does. */
/* The needles that start at s[i] (a position whose two bytes some needle
 * starts with), added to FOUND. */
static uint64_t needles_at(const Needles *ns, const unsigned char *s, size_t n, size_t i, uint64_t found)
{
  size_t left = n - i;
  unsigned c = s[i], lens = ns->lens[c];
  uint64_t m = ns->one[c];
  if (left >= 2) {
    if (lens & 2) m |= ns->two[hash2(s + i)];
    if ((lens & 4) && left >= 3) m |= ns->three[hash3(s + i)];
  }
  m &= ~found;
  while (m) {
    int b = __builtin_ctzll(m);
    m &= m - 1;
    size_t len = ns->len[b];
    if (len <= left && memcmp(s + i, ns->text[b], len) == 0) found |= (uint64_t)1 << b;
  }
  return found;
}

/* Could a needle start at p (p[1] is readable: a Lua string ends with a NUL,
 * a line lies inside its article)? One bit test: the pair of bytes there. */
static inline int maybe_at(const Needles *ns, const unsigned char *p)
{
  unsigned pair = (unsigned)p[0] << 8 | p[1];
  return ns->pairs[pair >> 6] >> (pair & 63) & 1;
}

/* The same at a character of three or four bytes in valid UTF-8, by its first
 * three bytes: most Hangul syllables share their first two bytes with some
 * needle's (자 and 작 with 재배포), few share three. */
static inline int maybe_at3(const Needles *ns, const unsigned char *p)
{
  unsigned h = ((unsigned)(p[0] | p[1] << 8 | p[2] << 16) * 0x9E3779B1u) >> 20;
  return ns->triples[h >> 6] >> (h & 63) & 1;
}

static uint64_t needles_scan(const Needles *ns, const unsigned char *s, size_t n, int valid)
{
  uint64_t found = 0;
  const unsigned char *p = s, *end = s + n;
  if (valid && !ns->bytewise) {
    /* valid UTF-8: a needle starts where a character does */
    while (p < end) {
      if (__builtin_expect(maybe_at(ns, p) && (*p < 0xE0 || maybe_at3(ns, p)), 0)) {
        found = needles_at(ns, s, n, (size_t)(p - s), found);
        if (found == ns->all) break;
      }
      p += utf8_step[*p];
    }
  } else {
    for (; p < end; p++) {
      if (maybe_at(ns, p)) {
        found = needles_at(ns, s, n, (size_t)(p - s), found);
        if (found == ns->all) break;
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
    const unsigned char *u = (const unsigned char *)s;
    memcpy(ns->text[i - 1], s, len);
    ns->len[i - 1] = len;
    uint64_t bit = (uint64_t)1 << (i - 1);
    ns->all |= bit;
    ns->start[u[0]] |= bit;
    for (unsigned c2 = 0; c2 < 256; c2++) {       /* one byte: any byte may follow */
      if (len >= 2 && c2 != u[1]) continue;
      unsigned pair = (unsigned)u[0] << 8 | c2;
      ns->pairs[pair >> 6] |= (uint64_t)1 << (pair & 63);
    }
    if (u[0] >= 0xE0) {
      if (len >= 3) {
        unsigned h = ((unsigned)(u[0] | u[1] << 8 | u[2] << 16) * 0x9E3779B1u) >> 20;
        ns->triples[h >> 6] |= (uint64_t)1 << (h & 63);
      } else {
        ns->bytewise = 1;      /* part of a character: only the byte scan finds it */
      }
    }
    if (len == 1) ns->one[u[0]] |= bit, ns->lens[u[0]] |= 1;
    else if (len == 2) ns->two[hash2(u)] |= bit, ns->lens[u[0]] |= 2;
    else ns->three[hash3(u)] |= bit, ns->lens[u[0]] |= 4;
    if ((u[0] & 0xC0) == 0x80) ns->bytewise = 1;
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
  const unsigned char *u = (const unsigned char *)s;
  lua_pushinteger(L, (lua_Integer)needles_scan(ns, u, n, gisa_utf8_valid_prefix(u, n) == n));
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

/* The keys of a line table, kept as upvalues of split so that setting a field
 * is a rawset with a ready string (lua_setfield looks the name up each time). */
enum { K_N = 1, K_RAW, K_TEXT, K_LEN, K_FC, K_MASK, K_COUNT = K_MASK };
static const char *const line_keys[] = { "n", "raw", "text", "len", "fc", "mask" };

/* The line table (stack index 5 in split)[key] = the value at the top, raw. */
#define LINE 5
static inline void set_key(lua_State *L, int key)
{
  lua_pushvalue(L, lua_upvalueindex(key));
  lua_insert(L, -2);
  lua_rawset(L, LINE);
}

/* lines.split(text [, needles [, maxlen]]) -> array of {n=, raw=, text=, len=, fc=, mask=}
 * (lines end at LF; a CR before it is dropped; text is raw trimmed; len counts
 * characters, or bytes when text is not UTF-8; fc is the first character; mask:
 * the needles text contains, when a set is given and len <= maxlen; a blank line
 * (text "") has only n, raw, text and len) */
static int lines_split(lua_State *L)
{
  size_t size;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &size);
  const Needles *ns = lua_isnoneornil(L, 2) ? NULL : (const Needles *)luaL_checkudata(L, 2, NEEDLES);
  lua_Integer maxlen = luaL_optinteger(L, 3, LUA_MAXINTEGER);
  lua_settop(L, 3);
  /* the array sized once: count the lines first */
  size_t count = size > 0;
  for (const unsigned char *p = s, *end = s + size; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    if (p + 1 < end) count++;
  lua_createtable(L, count > INT_MAX ? INT_MAX : (int)count, 0);
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
    const unsigned char *t = s + i;
    size_t tn = j - i;
    /* a blank line is only its number and raw text: rules never see it */
    lua_createtable(L, 0, tn == 0 ? 4 : ns ? 6 : 5);
    lua_pushinteger(L, ++n);
    set_key(L, K_N);
    lua_pushlstring(L, (const char *)s + pos, rawend - pos);
    if (i == pos && j == rawend) lua_pushvalue(L, -1);
    else lua_pushlstring(L, (const char *)t, tn);
    set_key(L, K_TEXT);
    set_key(L, K_RAW);      /* the raw string was left below the text */
    lua_Integer len = 0;
    int valid = 1;
    if (tn > 0) {
      size_t chars = 0;
      valid = gisa_utf8_validate(t, tn, &chars) == tn;
      len = valid ? (lua_Integer)chars : (lua_Integer)tn;
    }
    lua_pushinteger(L, len);
    set_key(L, K_LEN);
    if (tn == 0) {
      lua_rawseti(L, 4, n);
      pos = e + 1;
      continue;
    }
    lua_pushlstring(L, (const char *)t, first_char(t, tn));
    set_key(L, K_FC);
    if (ns && len <= maxlen) {
      lua_pushinteger(L, tn > 0 ? (lua_Integer)needles_scan(ns, t, tn, valid) : 0);
      set_key(L, K_MASK);
    }
    lua_rawseti(L, 4, n);
    pos = e + 1;
  }
  return 1;
}

/* lines.trim(s) -> s   (without the blanks split trims: space, tab, CR, NBSP, U+3000) */
static int lines_trim(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  size_t i = 0, j = n, k;
  while (i < j && (k = blank_at(s, i, j)) > 0) i += k;
  while (j > i && (k = blank_before(s, i, j)) > 0) j -= k;
  if (i == 0 && j == n) lua_settop(L, 1);
  else lua_pushlstring(L, (const char *)s + i, j - i);
  return 1;
}

/* Does s[a..e) (one character, or stray bytes) close a sentence's quote or bracket? */
static int is_closer(const unsigned char *s, size_t a, size_t e)
{
  static const char *const closers[] = { "\xE2\x80\x9D", "\xE2\x80\x99", "\xE3\x80\x8D", "\xE3\x80\x8F",
    "\xE3\x80\x8B", NULL };   /* ” ’ 」 』 》 */
  size_t len = e - a;
  if (len == 1) return strchr("\"')]>", s[a]) != NULL && s[a] != 0;
  for (int i = 0; closers[i]; i++)
    if (len == 3 && memcmp(s + a, closers[i], 3) == 0) return 1;
  return 0;
}

/* lines.final(s) -> boolean   (s ends a sentence: ".", "!", "?", "。", "？" or "！"
 * (not ".." or "…"), perhaps followed by closing quotes, brackets and spaces) */
static int lines_final(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  size_t e = n;               /* the text considered is s[0..e) */
  int res = 0;
  while (e > 0) {
    unsigned b = s[e - 1];
    if (b < 0x80) {
      if (is_closer(s, e - 1, e) || b == ' ') { e--; continue; }
      if (b == '.') res = !(e >= 2 && s[e - 2] == '.');
      else res = b == '!' || b == '?';
      break;
    }
    size_t a = e - 1;         /* back over continuation bytes, not past the first byte */
    while (a > 0 && s[a] >= 0x80 && s[a] < 0xC0) a--;
    if (is_closer(s, a, e)) { e = a; continue; }
    res = e - a == 3 && (memcmp(s + a, "\xE3\x80\x82", 3) == 0 || memcmp(s + a, "\xEF\xBC\x9F", 3) == 0
      || memcmp(s + a, "\xEF\xBC\x81", 3) == 0);   /* 。 ？ ！ */
    break;
  }
  lua_pushboolean(L, res);
  return 1;
}

/* lines.plain(s) -> boolean   (s is valid UTF-8 without a BOM and without control
 * bytes but tab and LF: text that decoding would return as it is) */
static int lines_plain(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  int ok = !(n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF);
  /* eight bytes at a time: any byte below 0x20 or equal to 0x7F sends the word to the slow check */
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  size_t i = 0;
  while (ok && i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t x = w ^ (0x7F * ones);
      if (!((((w - 0x20 * ones) & ~w) | ((x - ones) & ~x)) & highs)) { i += 8; continue; }
    }
    for (size_t stop = i + 8 < n ? i + 8 : n; i < stop; i++) {
      unsigned b = s[i];
      if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7F) { ok = 0; break; }
    }
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
  { "needles", lines_needles },
  { "plain", lines_plain },
  { "trim", lines_trim },
  { "final", lines_final },
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
  for (int i = 0; i < K_COUNT; i++) lua_pushstring(L, line_keys[i]);
  lua_pushcclosure(L, lines_split, K_COUNT);
  lua_setfield(L, -2, "split");
  return 1;
}
