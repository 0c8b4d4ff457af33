/*
 * lines.c: gisa.lines, the first step of extraction in one C pass: an article
 * cut into numbered lines, each trimmed, its length in characters, its first
 * character, and which of a set of needles (the `has` words of the rules) it
 * contains as a bit mask, so a rule's `has` test is one AND instead of a
 * string.find per word. Blanks trimmed: space, tab, CR, NBSP, U+3000.
 */
#include <limits.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gisa.h"
#include "wordback.h"
#include "utf8.h"

#define MAX_NEEDLES 64

/* ------------------------------------------------------------------------
 * Needle sets
 * ---------------------------------------------------------------------- */

/* A needle is looked up by its first one, two or three bytes: a byte table
 * for needles of one byte, and hashed tables of the first two and first three
 * bytes for the longer ones, so a position costs one or two lookups whatever
 * the number of needles; a hit is confirmed with memcmp. */
#define HBITS 10
#define HSIZE (1u << HBITS)

typedef struct {
  int n;
  int bytewise;                 /* a needle starts mid-character or is part of one: no triple test */
  uint64_t all;                 /* every needle's bit */
  uint64_t start[256];          /* needles starting with this byte */
  uint64_t one[256];            /* needles of one byte */
  unsigned char lens[256];      /* which lengths start with this byte: 1 | 2 (two bytes) | 4 (three or more) */
  uint64_t pairs[65536 / 64];   /* bit (a << 8 | b): some needle starts with byte a, then b (or is just a) */
  uint64_t triples[4096 / 64];  /* bit hash3: a needle of 3+ bytes starting with a lead byte E0..FF */
  uint64_t short3[4096 / 64];   /* the same, for those of 3 to 5 bytes */
  uint64_t sixes[4096 / 64];    /* bit hash6: the first six bytes of those of 6+ bytes */
  uint64_t two[HSIZE];          /* needles of two bytes, by their hash */
  uint64_t three[HSIZE];        /* longer needles, by the hash of their first three bytes */
  size_t step;                  /* > 0: every needle is long, the text is sampled (below) */
  uint64_t *blocks;             /* the sampled scan's table: SBLOCKS masks after the struct */
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

/* A hash of the six bytes at p, 12 bits (the sixes' index). */
static inline unsigned hash6(const unsigned char *p)
{
  uint32_t a;
  uint16_t b;
  memcpy(&a, p, 4);
  memcpy(&b, p + 4, 2);
  return (unsigned)((((uint64_t)b << 32 | a) * 0x9E3779B97F4A7C15ull) >> 52);
}

/* maybe_at3 reading the three bytes as one load (p[3] is readable too: the
 * NUL after a Lua string, or the text after a line), then (a needle's first
 * character is there) by the first six
 * bytes: the first syllable of a needle (기 of 기자, 이 of 이데일리) starts many
 * words, the first two seldom. LEFT: the bytes from p to the end of the text. */
static inline int maybe_at6(const Needles *ns, const unsigned char *p, size_t left)
{
  uint32_t w;
  memcpy(&w, p, 4);
  unsigned h = ((w & 0xFFFFFFu) * 0x9E3779B1u) >> 20;
  if (!(ns->triples[h >> 6] >> (h & 63) & 1)) return 0;
  if (ns->short3[h >> 6] >> (h & 63) & 1) return 1;
  if (left < 6) return 0;
  unsigned h6 = hash6(p);
  return ns->sixes[h6 >> 6] >> (h6 & 63) & 1;
}

/* The length of a character of valid UTF-8 by its first byte. */
static const unsigned char char_len[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* The needles at the positions [from, to) of s[0..n), added to FOUND: every
 * byte is a possible start, tested by the pair of bytes there (a continuation
 * byte starts no needle unless one starts mid-character, so inside a
 * character the test fails at once, in valid text or not); at a lead byte of
 * three or more bytes, by its first three too (unless a needle is part of a
 * character), before the needles are compared. */
static uint64_t needles_bytes(const Needles *ns, const unsigned char *s, size_t n, size_t from, size_t to,
                              uint64_t found)
{
  const unsigned char *end = s + n;
  for (const unsigned char *p = s + from; p < s + to; p++) {
    if (__builtin_expect(maybe_at(ns, p), 0)) {
      if (*p >= 0xE0 && !ns->bytewise && end - p >= 3 && !maybe_at3(ns, p)) continue;
      found = needles_at(ns, s, n, (size_t)(p - s), found);
      if (found == ns->all) break;
    }
  }
  return found;
}

/* The same over [from, to), valid UTF-8, a character at a time, when no
 * needle starts mid-character: the bytes stepped over are continuation bytes,
 * which start no needle, and a character of three or four bytes is tested by
 * its first three alone (every needle that starts with such a lead byte is in
 * the triples). */
static uint64_t needles_chars(const Needles *ns, const unsigned char *s, size_t n, size_t from, size_t to,
                              uint64_t found)
{
  const unsigned char *end = s + n;
  for (const unsigned char *p = s + from, *vend = s + to; p < vend; ) {
    size_t step = char_len[*p];
    if (__builtin_expect(step < 3 ? maybe_at(ns, p) : maybe_at6(ns, p, (size_t)(end - p)), 0)) {
      found = needles_at(ns, s, n, (size_t)(p - s), found);
      if (found == ns->all) break;
    }
    p += step;
  }
  return found;
}

/* A set whose needles are all at least SAMPLE_MIN bytes long (the site
 * detection signs: names, tags, addresses) is scanned at every STEP-th byte
 * only (STEP = the shortest needle's length - SBLOCK + 1): a needle found at
 * p covers a sampled position q = p + off, off < STEP, with the SBLOCK bytes
 * at q inside it. Each needle's blocks at offsets 0 .. STEP-1 are hashed into
 * a table of needle masks; a sampled block whose mask holds a needle not yet
 * found is confirmed at each offset with memcmp, so the mask is exactly the
 * needles the text holds, as the full scan gives it. */
#define SBLOCK 4
#define SAMPLE_MIN 6
#define SBITS 12
#define SBLOCKS (1u << SBITS)
#define STEP_MAX 16

static inline unsigned hash_block(const unsigned char *p)
{
  uint32_t w;
  memcpy(&w, p, 4);
  return (unsigned)(w * 0x9E3779B1u) >> (32 - SBITS);
}

static uint64_t needles_sampled(const Needles *ns, const unsigned char *s, size_t n)
{
  uint64_t found = 0;
  size_t step = ns->step;
  if (n < SBLOCK) return 0;
  for (size_t q = 0; q <= n - SBLOCK; q += step) {
    uint32_t w;
    memcpy(&w, s + q, 4);
    uint64_t m = ns->blocks[(unsigned)(w * 0x9E3779B1u) >> (32 - SBITS)] & ~found;
    while (m) {
      int b = __builtin_ctzll(m);
      m &= m - 1;
      size_t len = ns->len[b];
      for (size_t off = 0; off < step && off <= q; off++) {
        uint32_t x;
        memcpy(&x, ns->text[b] + off, 4);     /* the needle's block at off first */
        size_t p = q - off;
        if (x == w && p + len <= n && memcmp(s + p, ns->text[b], len) == 0) { found |= (uint64_t)1 << b; break; }
      }
    }
    if (found == ns->all) break;
  }
  return found;
}

/* The needles of s[0..n) as bits (bit i-1 for the i-th needle); s[0..valid)
 * is known to be valid UTF-8. Valid stretches go a character at a time, a byte
 * that starts no valid character is tested alone, and the scan goes on from
 * the next byte. */
static uint64_t needles_scan(const Needles *ns, const unsigned char *s, size_t n, size_t valid)
{
  if (ns->step) return needles_sampled(ns, s, n);
  if (ns->bytewise) return needles_bytes(ns, s, n, 0, n, 0);
  uint64_t found = 0;
  size_t i = 0;
  for (;;) {
    found = needles_chars(ns, s, n, i, valid, found);
    if (found == ns->all || valid >= n) return found;
    found = needles_bytes(ns, s, n, valid, valid + 1, found);
    if (found == ns->all) return found;
    i = valid + 1;
    valid = i + gisa_utf8_valid_prefix(s + i, n - i);
  }
}

/* lines.needles(list) -> needles   (at most 64 non-empty strings of up to 63 bytes) */
static int lines_needles(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  luaL_argcheck(L, n <= MAX_NEEDLES, 1, "more than 64 needles");
  Needles *ns = (Needles *)lua_newuserdatauv(L, sizeof(Needles) + SBLOCKS * sizeof(uint64_t), 0);
  memset(ns, 0, sizeof *ns + SBLOCKS * sizeof(uint64_t));
  ns->blocks = (uint64_t *)(void *)(ns + 1);
  size_t minlen = 64;
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
        if (len >= 6) {
          unsigned h6 = hash6(u);
          ns->sixes[h6 >> 6] |= (uint64_t)1 << (h6 & 63);
        } else {
          ns->short3[h >> 6] |= (uint64_t)1 << (h & 63);
        }
      } else {
        ns->bytewise = 1;      /* part of a character: not in the triples */
      }
    }
    if (len == 1) ns->one[u[0]] |= bit, ns->lens[u[0]] |= 1;
    else if (len == 2) ns->two[hash2(u)] |= bit, ns->lens[u[0]] |= 2;
    else ns->three[hash3(u)] |= bit, ns->lens[u[0]] |= 4;
    if ((u[0] & 0xC0) == 0x80) ns->bytewise = 1;
    if (len < minlen) minlen = len;
    lua_pop(L, 1);
  }
  ns->n = (int)n;
  if (n > 0 && minlen >= SAMPLE_MIN) {
    ns->step = minlen - SBLOCK + 1;
    if (ns->step > STEP_MAX) ns->step = STEP_MAX;
    for (int i = 0; i < ns->n; i++)
      for (size_t off = 0; off < ns->step; off++)
        ns->blocks[hash_block((const unsigned char *)ns->text[i] + off)] |= (uint64_t)1 << i;
  }
  luaL_setmetatable(L, NEEDLES);
  return 1;
}

/* The needles of s[0..n) whatever its bytes. */
static uint64_t needles_any(const Needles *ns, const unsigned char *s, size_t n)
{
  size_t valid = ns->step ? 0 : gisa_utf8_valid_prefix(s, n);   /* a sampled scan reads bytes */
  return needles_scan(ns, s, n, valid);
}

/* needles:mask(s [, window]) -> integer   (bit i-1 set when s contains the
 * i-th needle; with WINDOW > 0 and s longer than twice that, the needles of
 * s's first and last WINDOW bytes joined by a newline, as site detection
 * reads a long text, without making that string) */
static int needles_mask(lua_State *L)
{
  const Needles *ns = (const Needles *)luaL_checkudata(L, 1, NEEDLES);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  const unsigned char *u = (const unsigned char *)s;
  lua_Integer w = luaL_optinteger(L, 3, 0);
  if (w <= 0 || (lua_Unsigned)w > n / 2 || n - (size_t)w <= (size_t)w) {   /* n <= 2w */
    lua_pushinteger(L, (lua_Integer)needles_any(ns, u, n));
    return 1;
  }
  /* the two ends, and the bytes around the newline between them: a needle
   * (under 64 bytes) that holds that newline lies inside them */
  size_t ww = (size_t)w, side = ww < 63 ? ww : 63;
  unsigned char join[2 * 63 + 1 + 4] = { 0 };   /* the scan may read past the end, as a Lua string's NUL */
  memcpy(join, u + ww - side, side);
  join[side] = '\n';
  memcpy(join + side + 1, u + n - ww, side);
  uint64_t found = needles_any(ns, u, ww);
  if (found != ns->all) found |= needles_any(ns, u + n - ww, ww);
  if (found != ns->all) found |= needles_any(ns, join, 2 * side + 1);
  lua_pushinteger(L, (lua_Integer)found);
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

/* Blank bytes at s[i] (forward): 0, or the length of a blank. A form feed
 * or vertical tab (a page break in a text export) is a blank like any other,
 * not the text of a line. */
static size_t blank_at(const unsigned char *s, size_t i, size_t n)
{
  unsigned c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x80) return 3;
  return 0;
}

/* Blank bytes ending at s[j-1] (backward, not before i): 0, or its length. */
static size_t blank_before(const unsigned char *s, size_t i, size_t j)
{
  unsigned c = s[j - 1];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
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

/* The characters of s[0..n), valid UTF-8: its bytes less its continuation
 * bytes (10xxxxxx), counted eight at a time. */
static size_t char_count(const unsigned char *s, size_t n)
{
  size_t conts = 0, i = 0;
#ifdef __SSE2__
  /* 16 at a time: a continuation byte is below -64 as a signed byte; the
   * 0/1 bytes are summed by psadbw */
  __m128i sum = _mm_setzero_si128();
  const __m128i c64 = _mm_set1_epi8(-64), one = _mm_set1_epi8(1);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    sum = _mm_add_epi64(sum, _mm_sad_epu8(_mm_and_si128(_mm_cmplt_epi8(v, c64), one), _mm_setzero_si128()));
  }
  conts = (size_t)_mm_cvtsi128_si64(sum) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t c = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;   /* 1 in each continuation byte */
    conts += (size_t)((c * 0x0101010101010101ull) >> 56);          /* their sum (no popcnt in baseline x86-64) */
  }
  for (; i < n; i++) conts += (s[i] & 0xC0) == 0x80;
  return n - conts;
}

/* The keys of a line table, kept as upvalues of split so that setting a field
 * is a rawset with a ready string (lua_setfield looks the name up each time). */
enum { K_N = 1, K_RAW, K_TEXT, K_LEN, K_FC, K_MASK, K_COUNT = K_MASK };

/* split's upvalue after the keys, and plain's only one: a table whose [1] is
 * the last string plain found valid. It keeps that string alive, so a string
 * with the same bytes pointer is that string: split then skips its own check
 * of the whole text (corpus.read gives split the string plain passed). */
#define K_VALID (K_COUNT + 1)
#define VALID_KEEP_MAX ((size_t)1 << 22)   /* a longer string is not kept alive for this */
static const char *const line_keys[] = { "n", "raw", "text", "len", "fc", "mask" };

/* The line table is at stack index 5 in split. A field is set by pushing its
 * key (line_key), then its value, then set_line: no rotation of the stack. */
#define SPLIT_LINE 5
static inline void line_key(lua_State *L, int key)
{
  lua_pushvalue(L, lua_upvalueindex(key));
}

static inline void set_line(lua_State *L)
{
  lua_rawset(L, SPLIT_LINE);
}

/* lines.split(text [, needles [, maxlen]]) -> array of {n=, raw=, text=, len=, fc=, mask=}, longest, nul
 * (lines end at LF; a CR before it is dropped; text is raw trimmed; len counts
 * characters, or bytes when text is not UTF-8; fc is the first character; mask:
 * the needles text contains, when a set is given and len <= maxlen; a blank line
 * (text "") has only n, raw, text and len; longest: the bytes of the longest run
 * of the text without a LF, a CR in it counted; nul: the text holds a NUL byte) */
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
  /* a valid text (the usual case) has valid lines: one check (none when
   * plain has just checked this string), then each line's characters are
   * counted, not decoded */
  int all_valid = lua_rawgeti(L, lua_upvalueindex(K_VALID), 1) == LUA_TSTRING
    && (const unsigned char *)lua_tostring(L, -1) == s;
  lua_pop(L, 1);
  /* a text plain passed has no control byte, NUL included */
  int nul = !all_valid && memchr(s, 0, size) != NULL;
  if (!all_valid) all_valid = gisa_utf8_valid_prefix(s, size) == size;
  lua_Integer n = 0;
  size_t pos = 0, longest = 0;
  while (pos < size) {
    const unsigned char *nl = (const unsigned char *)memchr(s + pos, '\n', size - pos);
    size_t e = nl ? (size_t)(nl - s) : size;
    if (e - pos > longest) longest = e - pos;
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
    line_key(L, K_N);
    lua_pushinteger(L, ++n);
    set_line(L);
    line_key(L, K_RAW);
    lua_pushlstring(L, (const char *)s + pos, rawend - pos);
    line_key(L, K_TEXT);
    if (i == pos && j == rawend) lua_pushvalue(L, -2);   /* the raw string: nothing trimmed */
    else lua_pushlstring(L, (const char *)t, tn);
    set_line(L);                 /* text, then raw (its key and value were left below) */
    set_line(L);
    lua_Integer len = 0;
    int valid = 1;
    if (tn > 0 && all_valid) {
      len = (lua_Integer)char_count(t, tn);
    } else if (tn > 0) {
      size_t chars = 0;
      valid = gisa_utf8_validate(t, tn, &chars) == tn;
      len = valid ? (lua_Integer)chars : (lua_Integer)tn;
    }
    line_key(L, K_LEN);
    lua_pushinteger(L, len);
    set_line(L);
    if (tn == 0) {
      lua_rawseti(L, 4, n);
      pos = e + 1;
      continue;
    }
    line_key(L, K_FC);
    lua_pushlstring(L, (const char *)t, first_char(t, tn));
    set_line(L);
    if (ns && len <= maxlen) {
      line_key(L, K_MASK);
      lua_pushinteger(L, tn > 0 ? (lua_Integer)needles_scan(ns, t, tn, valid ? tn : 0) : 0);
      set_line(L);
    }
    lua_rawseti(L, 4, n);
    pos = e + 1;
  }
  lua_pushinteger(L, (lua_Integer)longest);
  lua_pushboolean(L, nul);
  return 3;
}

/* lines.table(narr [, nrec]) -> table   (empty, with room for narr items and nrec
 * fields: a record's lists filled one item at a time are not grown five times) */
static int lines_table(lua_State *L)
{
  lua_Integer narr = luaL_checkinteger(L, 1), nrec = luaL_optinteger(L, 2, 0);
  luaL_argcheck(L, narr >= 0 && narr <= 1 << 20, 1, "size out of range");
  luaL_argcheck(L, nrec >= 0 && nrec <= 1 << 20, 2, "size out of range");
  lua_createtable(L, (int)narr, (int)nrec);
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
  if (ok && n <= VALID_KEEP_MAX) {           /* an article's text, not a whole dump */
    lua_settop(L, 1);
    lua_rawseti(L, lua_upvalueindex(1), 1);   /* split's K_VALID */
  }
  lua_pushboolean(L, ok);
  return 1;
}

/* ------------------------------------------------------------------------
 * Quotes: the marks and sentence cuts of a text (who said what is Lua's:
 * lua/gisa/analysis/quotes.lua)
 * ---------------------------------------------------------------------- */

#define MAX_MARKS 16
#define MAX_STOPS 8
#define WORD_SIZE 32            /* a mark is at most 31 bytes */

typedef struct {
  size_t len;
  char s[WORD_SIZE];
} Word;

/* A few bytes to look for, with their 16-byte SSE2 patterns made once. */
typedef struct {
  int n;
  unsigned char b[MAX_MARKS];
  unsigned char v[4][16];       /* b[0..3] 16 times (b[0] again when fewer), for SSE2:
                                 * bytes, as userdata is not 16-byte aligned */
} Bytes;

#define MAX_AFTER 16

typedef struct {
  int nmarks;
  Word open[MAX_MARKS], close[MAX_MARKS];
  int nafter[MAX_MARKS];
  Word after[MAX_MARKS][MAX_AFTER];   /* the words after a closing mark, tried in order */
  Bytes first;                  /* the bytes opening marks start with */
  Bytes stop;                   /* the bytes that end a sentence (before a blank) */
} Marks;

/* Add byte x to set (once). */
static void bytes_add(Bytes *set, unsigned char x)
{
  for (int k = 0; k < set->n; k++) if (set->b[k] == x) return;
  set->b[set->n++] = x;
  for (int k = 0; k < 4; k++) memset(set->v[k], set->b[k < set->n ? k : 0], 16);
}

/* The searches below go 16 bytes at a time where SSE2 is (x86-64 always has
 * it), the last few by loading the 16 that end at hi: byte loops over the text
 * were most of the scan, and memchr costs a call for each of the many E2 lead
 * bytes of Korean punctuation and each short text between two marks. */

/* The first i' in [i, hi) where s holds one of the bytes of set, or hi. */
static size_t next_of(const unsigned char *s, size_t i, size_t hi, const Bytes *set)
{
#ifdef __SSE2__
  if (set->n >= 1 && set->n <= 4 && hi >= 16) {
    const __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)set->v[0]),
      v1 = _mm_loadu_si128((const __m128i *)(const void *)set->v[1]),
      v2 = _mm_loadu_si128((const __m128i *)(const void *)set->v[2]),
      v3 = _mm_loadu_si128((const __m128i *)(const void *)set->v[3]);
#define HITS(p) ((unsigned)_mm_movemask_epi8(_mm_or_si128( \
    _mm_or_si128(_mm_cmpeq_epi8((p), v0), _mm_cmpeq_epi8((p), v1)), \
    _mm_or_si128(_mm_cmpeq_epi8((p), v2), _mm_cmpeq_epi8((p), v3)))))
    for (; i + 16 <= hi; i += 16) {
      unsigned m = HITS(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
      if (m) return i + (size_t)__builtin_ctz(m);
    }
    if (i < hi) {               /* 1..15 bytes left: those before i are masked off */
      unsigned m = HITS(_mm_loadu_si128((const __m128i *)(const void *)(s + hi - 16)))
        & (0xFFFFu << (i - (hi - 16)));
      if (m) return hi - 16 + (size_t)__builtin_ctz(m);
    }
#undef HITS
    return hi;
  }
#endif
  for (; i < hi; i++)
    for (int k = 0; k < set->n; k++) if (s[i] == set->b[k]) return i;
  return hi;
}

/* The first i' in [i, hi) where s holds x, or hi. */
static size_t next_byte(const unsigned char *s, size_t i, size_t hi, unsigned char x)
{
#ifdef __SSE2__
  if (hi >= 16) {
    const __m128i v = _mm_set1_epi8((char)x);
    for (; i + 16 <= hi; i += 16) {
      unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128((const __m128i *)(const void *)(s + i)), v));
      if (m) return i + (size_t)__builtin_ctz(m);
    }
    if (i < hi) {
      unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128((const __m128i *)(const void *)(s + hi - 16)), v)) & (0xFFFFu << (i - (hi - 16)));
      if (m) return hi - 16 + (size_t)__builtin_ctz(m);
    }
    return hi;
  }
#endif
  for (; i < hi; i++) if (s[i] == x) return i;
  return hi;
}

/* Copy the string at the top (popped) into w; what names it in errors. */
static void get_word(lua_State *L, Word *w, const char *what)
{
  size_t len = 0;
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
  if (!s || len == 0 || len >= WORD_SIZE)
    luaL_error(L, "lines.quotemarks: %s must be a non-empty string of at most %d bytes", what,
      WORD_SIZE - 1);
  w->len = len;
  memcpy(w->s, s, len);
  lua_pop(L, 1);
}

/* Are a[0..n) and b[0..n) the same? (inline: the words are a few bytes long) */
static int same(const unsigned char *a, const char *b, size_t n)
{
  for (size_t k = 0; k < n; k++) if (a[k] != (unsigned char)b[k]) return 0;
  return 1;
}

/* The first W in s[lo..hi), as an offset, or hi. */
static size_t find_word(const unsigned char *s, size_t lo, size_t hi, const Word *w)
{
  while (lo < hi && hi - lo >= w->len) {
    size_t at = next_byte(s, lo, hi - w->len + 1, (unsigned char)w->s[0]);
    if (at > hi - w->len) return hi;
    if (same(s + at + 1, w->s + 1, w->len - 1)) return at;
    lo = at + 1;
  }
  return hi;
}

/* Is s[i] the start of a sentence-level blank (space, tab, NBSP, U+3000; not
 * CR: the blanks of rules.lib's %sp) within s[..hi)? Its length, or 0. */
static size_t sp_at(const unsigned char *s, size_t i, size_t hi)
{
  unsigned c = s[i];
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && i + 1 < hi && s[i + 1] == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < hi && s[i + 1] == 0x80 && s[i + 2] == 0x80) return 3;
  return 0;
}

/* scan(s [, out]) -> n   (the function lines.quotemarks returns: the quotes of s
 * in reading order, 7 integers each in out (a new table when nil) from out[1]:
 * the position of the opening mark, the first and last byte inside, the
 * position after the closing mark, the mark's index, the start of the
 * sentence the opening mark is in (after the last stop byte followed by a
 * blank before it), and the index of the first of the mark's `after` words
 * that follows the closing mark (0: none). At an opening mark the quote runs to the first closing
 * mark of its pair; an empty one, or one never closed, is no quote and the
 * scan goes on after its opening mark; after a quote it goes on after its
 * closing mark, so marks inside a quote are part of it. Linear in #s: the
 * closing mark found for one pair is kept for the next opening of that pair,
 * and a pair never closed again is not looked for again. */
static int marks_scan(lua_State *L)
{
  const Marks *q = (const Marks *)lua_touserdata(L, lua_upvalueindex(1));
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  if (lua_isnoneornil(L, 2)) { lua_settop(L, 1); lua_newtable(L); }
  else { luaL_checktype(L, 2, LUA_TTABLE); lua_settop(L, 2); }
  size_t closer[MAX_MARKS];     /* the next closing mark of each pair at or after
                                 * where its search started; NONE: not searched */
  size_t searched[MAX_MARKS];
  for (int k = 0; k < q->nmarks; k++) closer[k] = searched[k] = (size_t)-1;
  lua_Integer count = 0;
  size_t i = 0, sent = 0, seen = 0;
  while ((i = next_of(s, i, n, &q->first)) < n) {
    int k = 0;
    while (k < q->nmarks && !(q->open[k].len <= n - i && same(s + i, q->open[k].s, q->open[k].len)))
      k++;
    if (k == q->nmarks) { i++; continue; }
    size_t from = i + q->open[k].len, to;
    if (searched[k] != (size_t)-1 && searched[k] <= from && (closer[k] >= from))
      to = closer[k];           /* the same first closer as before (n: none) */
    else {
      to = find_word(s, from, n, &q->close[k]);
      searched[k] = from;
      closer[k] = to;
    }
    if (to == n || to == from) { i = from; continue; }   /* no closer, or empty */
    /* the sentence starts after the last stop byte and blanks before the mark */
    for (;;) {
      size_t x = next_of(s, seen, i, &q->stop);
      if (x >= i) { seen = i; break; }    /* (no stop before i: not read again) */
      size_t y = x + 1, bl;
      while (y < n && (bl = sp_at(s, y, n)) > 0) y += bl;
      if (y > x + 1) {
        if (y > i) break;
        sent = y;
      }
      seen = x + 1;
    }
    size_t stop = to + q->close[k].len;
    int said = 0;
    for (int w = 0; w < q->nafter[k] && !said; w++)
      if (q->after[k][w].len <= n - stop && same(s + stop, q->after[k][w].s, q->after[k][w].len))
        said = w + 1;
    lua_Integer at = count * 7;
    lua_pushinteger(L, (lua_Integer)i + 1); lua_rawseti(L, -2, at + 1);
    lua_pushinteger(L, (lua_Integer)from + 1); lua_rawseti(L, -2, at + 2);
    lua_pushinteger(L, (lua_Integer)to); lua_rawseti(L, -2, at + 3);
    lua_pushinteger(L, (lua_Integer)stop + 1); lua_rawseti(L, -2, at + 4);
    lua_pushinteger(L, k + 1); lua_rawseti(L, -2, at + 5);
    lua_pushinteger(L, (lua_Integer)sent + 1); lua_rawseti(L, -2, at + 6);
    lua_pushinteger(L, said); lua_rawseti(L, -2, at + 7);
    count++;
    i = stop;
  }
  lua_pushinteger(L, count);
  return 1;
}

/* lines.quotemarks(marks [, stops]) -> scan   (marks: array of {open, close
 * [, after = {word…}]}, tried in order at each position; stops: the bytes that
 * end a sentence before a blank, ".?!" when nil) */
static int lines_quotemarks(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  size_t nstops = 0;
  const char *stops = luaL_optlstring(L, 2, ".?!", &nstops);
  luaL_argcheck(L, nstops <= MAX_STOPS, 2, "too many stop bytes");
  lua_settop(L, 2);
  Marks *q = (Marks *)lua_newuserdatauv(L, sizeof *q, 0);
  memset(q, 0, sizeof *q);
  q->nmarks = (int)lua_rawlen(L, 1);
  luaL_argcheck(L, q->nmarks >= 1 && q->nmarks <= MAX_MARKS, 1, "1 to 16 marks");
  for (int k = 0; k < q->nmarks; k++) {
    if (lua_rawgeti(L, 1, k + 1) != LUA_TTABLE)
      luaL_error(L, "lines.quotemarks: a mark must be a table {open, close [, after]}");
    lua_rawgeti(L, -1, 1);
    get_word(L, &q->open[k], "a mark's open");
    lua_rawgeti(L, -1, 2);
    get_word(L, &q->close[k], "a mark's close");
    if (lua_getfield(L, -1, "after") == LUA_TTABLE) {
      int na = (int)lua_rawlen(L, -1);
      if (na > MAX_AFTER) luaL_error(L, "lines.quotemarks: more than %d words after a mark", MAX_AFTER);
      for (int w = 0; w < na; w++) {
        lua_rawgeti(L, -1, w + 1);
        get_word(L, &q->after[k][w], "a word after a mark");
      }
      q->nafter[k] = na;
    } else if (!lua_isnil(L, -1))
      luaL_error(L, "lines.quotemarks: a mark's after must be an array of strings");
    lua_pop(L, 2);
    bytes_add(&q->first, (unsigned char)q->open[k].s[0]);
  }
  for (size_t k = 0; k < nstops; k++) bytes_add(&q->stop, (unsigned char)stops[k]);
  lua_pushcclosure(L, marks_scan, 1);
  return 1;
}

/* ------------------------------------------------------------------------
 * Words read backwards (the quote finder's subject before a quote)
 * ---------------------------------------------------------------------- */

/* lines.wordback(s, lo, pos) -> word, start | nil   (the last word of s[lo..pos]:
 * words are cut at blanks, commas, "·" and "…", and a balanced "(…)" group is
 * left out, glued to a word or not (도하진(19)는 -> 도하진는); start is where
 * the word starts, so wordback(s, lo, start - 1) gives the word before it) */
static int lines_wordback(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  lua_Integer lo1 = luaL_checkinteger(L, 2), pos = luaL_checkinteger(L, 3);
  luaL_argcheck(L, lo1 >= 1, 2, "position out of bounds");
  luaL_argcheck(L, pos <= (lua_Integer)n, 3, "position out of bounds");
  size_t lo = (size_t)lo1 - 1, i = pos > 0 ? (size_t)pos : 0;   /* s[lo..i) */
  gisa_word w;
  if (!gisa_word_back(s, lo, i, &w)) return 0;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int k = w.n - 1; k >= 0; k--)
    luaL_addlstring(&b, (const char *)s + w.starts[k], w.ends[k] - w.starts[k]);
  luaL_pushresult(&b);
  lua_pushinteger(L, (lua_Integer)w.start + 1);
  return 2;
}

/* ------------------------------------------------------------------------
 * Byline tokens (gisa.rules.bylines' tokenizer, for lines it reads with no
 * address and no placeholder: its LPeg grammar written out byte for byte)
 * ---------------------------------------------------------------------- */

/* The length of the character at s[i] as rules.lib's L.char reads it: one
 * UTF-8 character of 1 to 4 bytes (lead byte and continuation bytes, values
 * not checked further), or else one stray byte. */
static size_t lib_char(const unsigned char *s, size_t i, size_t n)
{
  unsigned c = s[i];
  size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 1;
  if (k > n - i) return 1;
  for (size_t j = 1; j < k; j++)
    if (s[i + j] < 0x80 || s[i + j] > 0xBF) return 1;
  return k;
}

/* The length of an L.sp blank at s[i] (space, tab, NBSP, U+3000), or 0. */
static size_t lib_sp(const unsigned char *s, size_t i, size_t n)
{
  if (s[i] == ' ' || s[i] == '\t') return 1;
  if (s[i] == 0xC2 && n - i >= 2 && s[i + 1] == 0xA0) return 2;
  if (s[i] == 0xE3 && n - i >= 3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) return 3;
  return 0;
}

/* lines.tokens(s, seps [, label_stops]) -> {kind1, text1, kind2, text2 …}
 * (the byline tokens of s: at each position, with LABEL_STOPS a label, a run
 * of characters none of which is a blank or starts with a byte of
 * label_stops (which should hold "="), followed by "=" (kind "label"); else a separator (a blank or a
 * byte of SEPS), skipped; else a word, a run of characters none of which
 * starts with a byte of seps, a blank byte or "=" (kind "word"); else "=" or
 * one character, skipped. Characters and blanks as rules.lib's L.char and
 * L.sp. bylines.lua's flat grammar without its address and placeholder
 * alternatives, whose LPeg it spares the lines that hold neither.) */
static int lines_tokens(lua_State *L)
{
  size_t n, nseps, nstops = 0;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const unsigned char *seps = (const unsigned char *)luaL_checklstring(L, 2, &nseps);
  const unsigned char *stops = (const unsigned char *)luaL_optlstring(L, 3, NULL, &nstops);
  unsigned char sep[256] = { 0 }, word_stop[256] = { 0 }, label_stop[256] = { 0 };
  for (size_t k = 0; k < nseps; k++) sep[seps[k]] = word_stop[seps[k]] = 1;
  word_stop[' '] = word_stop['\t'] = word_stop['='] = 1;
  for (size_t k = 0; k < nstops; k++) label_stop[stops[k]] = 1;
  lua_settop(L, 3);
  lua_createtable(L, 16, 0);    /* room for the tokens of most lines: not grown a token */
  lua_Integer at = 0;
  size_t i = 0;
  while (i < n) {
    if (stops) {                /* a label: its characters, then "=" */
      size_t j = i;
      while (j < n && !label_stop[s[j]] && lib_sp(s, j, n) == 0) j += lib_char(s, j, n);
      if (j > i && j < n && s[j] == '=') {
        lua_pushvalue(L, lua_upvalueindex(2));     /* "label" */
        lua_rawseti(L, 4, ++at);
        lua_pushlstring(L, (const char *)s + i, j - i);
        lua_rawseti(L, 4, ++at);
        i = j + 1;
        continue;
      }
    }
    size_t k = lib_sp(s, i, n);
    if (k > 0) { i += k; continue; }
    if (sep[s[i]]) { i++; continue; }
    if (!word_stop[s[i]]) {
      size_t j = i;
      while (j < n && !word_stop[s[j]]) j += lib_char(s, j, n);
      lua_pushvalue(L, lua_upvalueindex(1));       /* "word" */
      lua_rawseti(L, 4, ++at);
      lua_pushlstring(L, (const char *)s + i, j - i);
      lua_rawseti(L, 4, ++at);
      i = j;
      continue;
    }
    i += s[i] == '=' ? 1 : lib_char(s, i, n);
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
  { "trim", lines_trim },
  { "final", lines_final },
  { "quotemarks", lines_quotemarks },
  { "wordback", lines_wordback },
  { "table", lines_table },
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
  lua_createtable(L, 1, 0);                  /* K_VALID, shared by plain and split */
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, lines_plain, 1);
  lua_setfield(L, -3, "plain");
  for (int i = 0; i < K_COUNT; i++) {
    lua_pushstring(L, line_keys[i]);
    lua_insert(L, -2);                         /* the keys below the table */
  }
  lua_pushcclosure(L, lines_split, K_VALID);
  lua_setfield(L, -2, "split");
  lua_pushliteral(L, "word");                /* the kinds tokens gives, made once */
  lua_pushliteral(L, "label");
  lua_pushcclosure(L, lines_tokens, 2);
  lua_setfield(L, -2, "tokens");
  return 1;
}
