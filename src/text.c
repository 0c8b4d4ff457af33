/*
 * text.c: gisa.text, the UTF-8 text primitives: code points (agreeing with Lua's
 * utf8 library), validity and repair, normalization, case, display width,
 * grapheme clusters, character classes, whitespace, and segmentation into lines,
 * paragraphs, sentences and words. utf8proc supplies the Unicode tables; the
 * common cases (ASCII, Hangul, already-normalized text) have their own fast paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "gisa.h"
#include "wordhash.h"
#include "utf8.h"
#include "textmap.h"

typedef unsigned char uchar;

/* ---- Shared helpers ---------------------------------------------------- */

/* The map type and the text argument (a string or a map): src/textmap.h. */
#define checktext gisa_checktext

/* Push the text argument at index i unchanged (a copy when it is a map). */
static void pushsame(lua_State *L, int i, const uchar *s, size_t n)
{
  if (lua_type(L, i) == LUA_TSTRING) lua_pushvalue(L, i);
  else lua_pushlstring(L, (const char *)s, n);
}

/* nil, "invalid UTF-8", position (1-based): the data-error triple. */
static int push_invalid(lua_State *L, size_t pos0)
{
  lua_pushnil(L);
  lua_pushliteral(L, "invalid UTF-8");
  lua_pushinteger(L, (lua_Integer)pos0 + 1);
  return 3;
}

/* Iterators cannot return nil for an error: they raise, as utf8.codes does. */
static int raise_invalid(lua_State *L, size_t pos0)
{
  return luaL_error(L, "invalid UTF-8 at position %I", (LUAI_UACINT)(pos0 + 1));
}

/* Output that grows inside a userdata at a fixed stack slot, so that nothing
 * malloc'd is held when Lua raises. */
typedef struct Out {
  lua_State *L;
  char *p;
  size_t n, cap;
  int slot;
} Out;

static void out_init(lua_State *L, Out *o, size_t cap)
{
  if (cap < 64) cap = 64;
  o->L = L;
  o->p = lua_newuserdatauv(L, cap, 0);
  o->n = 0;
  o->cap = cap;
  o->slot = lua_gettop(L);
}

static char *out_reserve(Out *o, size_t k)
{
  if (o->cap - o->n < k) {
    size_t cap = o->cap + o->cap / 2;
    if (cap - o->n < k) cap = o->n + k + 64;
    if (cap < o->n) luaL_error(o->L, "string too large");
    char *p = lua_newuserdatauv(o->L, cap, 0);
    memcpy(p, o->p, o->n);
    lua_replace(o->L, o->slot);
    o->p = p;
    o->cap = cap;
  }
  return o->p + o->n;
}

static void out_add(Out *o, const void *s, size_t k)
{
  if (k == 0) return;
  memcpy(out_reserve(o, k), s, k);
  o->n += k;
}

static void out_byte(Out *o, char c)
{
  *out_reserve(o, 1) = c;
  o->n++;
}

static void out_cp(Out *o, uint32_t cp)
{
  o->n += (size_t)gisa_utf8_encode(cp, out_reserve(o, 4));
}

static void out_push(Out *o)
{
  lua_pushlstring(o->L, o->p, o->n);
}

/* Decode at s[i] of s[0..n): length 1-4, or 0 when invalid. */
static inline int dec(const uchar *s, size_t n, size_t i, uint32_t *cp)
{
  if (s[i] < 0x80) { *cp = s[i]; return 1; }
  return gisa_utf8_decode(s + i, n - i, cp);
}

/* Start of the character that ends just before s[j] (j > 0), or j when the
 * bytes before j do not end with one valid character. */
static size_t char_before(const uchar *s, size_t j, uint32_t *cp)
{
  size_t i = j - 1;
  if (s[i] < 0x80) { *cp = s[i]; return i; }
  while (i > 0 && j - i < 4 && (s[i] & 0xC0) == 0x80) i--;
  if (dec(s, j, i, cp) == (int)(j - i)) return i;
  return j;
}

#define iscont(c) (((c) & 0xC0) == 0x80)
#define IS_ADIGIT(c) ((c) >= '0' && (c) <= '9')

/* Hangul: syllables and the conjoining jamo that compose into them. */
enum {
  SBASE = 0xAC00, LBASE = 0x1100, VBASE = 0x1161, TBASE = 0x11A7,
  LCOUNT = 19, VCOUNT = 21, TCOUNT = 28, NCOUNT = VCOUNT * TCOUNT, SCOUNT = LCOUNT * NCOUNT
};
#define IS_SYLLABLE(c) ((c) - SBASE < (uint32_t)SCOUNT)
#define IS_LJAMO(c) ((c) - LBASE < (uint32_t)LCOUNT)
#define IS_VJAMO(c) ((c) - VBASE < (uint32_t)VCOUNT)
#define IS_TJAMO(c) ((c) - (TBASE + 1) < (uint32_t)(TCOUNT - 1))

/* The Hangul syllable at s[i] read straight from its 3 bytes, or 0 when there
 * is none (the hot path of Korean text: no general decoding). */
static inline uint32_t syllable_at(const uchar *s, size_t n, size_t i)
{
  uchar c = s[i];
  if (c < 0xEA || c > 0xED || i + 2 >= n || ((s[i + 1] & 0xC0) | ((s[i + 2] & 0xC0) >> 2)) != 0xA0)
    return 0;
  uint32_t cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
  return IS_SYLLABLE(cp) ? cp : 0;
}

/* White space as gisa means it: Unicode White_Space plus the zero-width
 * characters that hide between words (U+200B..U+200D, U+2060, U+FEFF). */
static inline int isspace_cp(uint32_t c)
{
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  switch (c) {
  case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
  case 0x205F: case 0x3000: case 0x2060: case 0xFEFF:
    return 1;
  default:
    return c >= 0x2000 && c <= 0x200D;
  }
}

/* string.sub-style relative position */
static lua_Integer posrelat(lua_Integer pos, size_t len)
{
  if (pos >= 0) return pos;
  if (0u - (size_t)pos > len) return 0;
  return (lua_Integer)len + pos + 1;
}

/* ---- Code points (the shape of Lua's utf8 library, always strict) ------ */

/* text.len(s [, i [, j]]) -> n | nil, pos   (characters starting in bytes i..j) */
static int text_len(lua_State *L)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  lua_Integer posi = posrelat(luaL_optinteger(L, 2, 1), len);
  lua_Integer posj = posrelat(luaL_optinteger(L, 3, -1), len);
  luaL_argcheck(L, 1 <= posi && --posi <= (lua_Integer)len, 2, "initial position out of bounds");
  luaL_argcheck(L, --posj < (lua_Integer)len, 3, "final position out of bounds");
  if (posi > posj) { lua_pushinteger(L, 0); return 1; }
  /* the last character may run past j: take its continuation bytes too */
  size_t i = (size_t)posi, j = (size_t)posj, e = j + 1;
  while (e < len && e < j + 4 && iscont(s[e])) e++;
  size_t n = 0, v = gisa_utf8_validate(s + i, e - i, &n);
  if (v == e - i) { lua_pushinteger(L, (lua_Integer)n); return 1; }
  /* an error near or before j: walk from the last good point as utf8.len does */
  for (i += v; i <= j; n++) {
    uint32_t cp;
    int k = dec(s, len, i, &cp);
    if (k == 0) {                 /* nil, pos: utf8.len's answer */
      lua_pushnil(L);
      lua_pushinteger(L, (lua_Integer)i + 1);
      return 2;
    }
    i += (size_t)k;
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

/* Byte offset of the start of character `want` (1-based) counting from byte
 * `from`, or of the end when the text has fewer; *got is how many were passed.
 * Returns 0, or 1 with *bad set when an invalid sequence comes first. */
static int skip_chars(const uchar *s, size_t len, size_t from, lua_Integer want,
                      size_t *at, lua_Integer *got, size_t *bad)
{
  size_t i = from;
  lua_Integer k = 0;
  while (k < want && i < len) {
    if (s[i] < 0x80) { i++; k++; continue; }
    uint32_t cp;
    int m = gisa_utf8_decode(s + i, len - i, &cp);
    if (m == 0) { *bad = i; return 1; }
    i += (size_t)m;
    k++;
  }
  *at = i;
  *got = k;
  return 0;
}

/* text.sub(s, i [, j]) -> string | nil, "invalid UTF-8", pos
 * (characters i..j; negative counts from the end; j is clamped like string.sub,
 * an i past the end plus one raises "position out of bounds") */
static int text_sub(lua_State *L)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_optinteger(L, 3, -1);
  size_t bad;
  if (i < 0 || j < 0) {            /* needs the length in characters */
    size_t n = 0, v = gisa_utf8_validate(s, len, &n);
    if (v != len) return push_invalid(L, v);
    lua_Integer cn = (lua_Integer)n;
    if (i < 0) i = (i < -cn) ? 1 : cn + i + 1;
    if (j < 0) j = (j < -cn) ? 0 : cn + j + 1;
  }
  if (i == 0) i = 1;
  size_t b, e;
  lua_Integer got;
  if (skip_chars(s, len, 0, i - 1, &b, &got, &bad)) return push_invalid(L, bad);
  luaL_argcheck(L, got == i - 1, 2, "position out of bounds");
  if (j < i) { lua_pushliteral(L, ""); return 1; }
  if (skip_chars(s, len, b, j - i + 1, &e, &got, &bad)) return push_invalid(L, bad);
  lua_pushlstring(L, (const char *)s + b, e - b);
  return 1;
}

/* text.offset(s, n [, i]) -> byte position | nil   (exactly utf8.offset) */
static int text_offset(lua_State *L)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  lua_Integer posi = (n >= 0) ? 1 : (lua_Integer)len + 1;
  posi = posrelat(luaL_optinteger(L, 3, posi), len);
  luaL_argcheck(L, 1 <= posi && --posi <= (lua_Integer)len, 3, "position out of bounds");
  /* s[len] is the terminating NUL of a string; a map has none, so test bounds */
#define CONT(p) ((size_t)(p) < len && iscont(s[p]))
  if (n == 0) {
    while (posi > 0 && CONT(posi)) posi--;
  } else {
    if (CONT(posi)) return luaL_error(L, "initial position is a continuation byte");
    if (n < 0) {
      while (n < 0 && posi > 0) {
        do { posi--; } while (posi > 0 && CONT(posi));
        n++;
      }
    } else {
      n--;
      while (n > 0 && posi < (lua_Integer)len) {
        do { posi++; } while (CONT(posi));
        n--;
      }
    }
  }
#undef CONT
  if (n == 0) lua_pushinteger(L, posi + 1);
  else lua_pushnil(L);
  return 1;
}

/* text.codepoint(s [, i [, j]]) -> code points of the characters starting in
 * bytes i..j | nil, "invalid UTF-8", pos */
static int text_codepoint(lua_State *L)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  lua_Integer posi = posrelat(luaL_optinteger(L, 2, 1), len);
  lua_Integer pose = posrelat(luaL_optinteger(L, 3, posi), len);
  luaL_argcheck(L, posi >= 1, 2, "out of bounds");
  luaL_argcheck(L, pose <= (lua_Integer)len, 3, "out of bounds");
  if (posi > pose) return 0;
  if (pose - posi >= INT_MAX) return luaL_error(L, "string slice too long");
  int top = lua_gettop(L), n = 0;
  luaL_checkstack(L, (int)(pose - posi) + 1, "string slice too long");
  for (size_t i = (size_t)posi - 1; i < (size_t)pose; n++) {
    uint32_t cp;
    int k = dec(s, len, i, &cp);
    if (k == 0) { lua_settop(L, top); return push_invalid(L, i); }
    lua_pushinteger(L, (lua_Integer)cp);
    i += (size_t)k;
  }
  return n;
}

/* text.char(...) -> string   (code points to UTF-8; surrogates and values past
 * U+10FFFF raise "value out of range") */
static int text_char(lua_State *L)
{
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    lua_Integer c = luaL_checkinteger(L, i);
    luaL_argcheck(L, c >= 0 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF), i,
                  "value out of range");
    char buf[4];
    luaL_addlstring(&b, buf, (size_t)gisa_utf8_encode((uint32_t)c, buf));
  }
  luaL_pushresult(&b);
  return 1;
}

/* The character after the one at 1-based position `prev` (0: the first), or
 * len at the end. */
static size_t next_char_start(const uchar *s, size_t len, lua_Integer prev)
{
  if (prev <= 0) return 0;
  size_t p = (size_t)prev - 1;
  if (p >= len) return len;
  uchar c = s[p];
  size_t step = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return p + step < len ? p + step : len;
}

static int codes_next(lua_State *L, int aschar)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  size_t i = next_char_start(s, len, lua_tointeger(L, 2));
  if (i >= len) return 0;
  uint32_t cp;
  int k = dec(s, len, i, &cp);
  if (k == 0) return raise_invalid(L, i);
  lua_pushinteger(L, (lua_Integer)i + 1);
  if (aschar) lua_pushlstring(L, (const char *)s + i, (size_t)k);
  else lua_pushinteger(L, (lua_Integer)cp);
  return 2;
}

static int codes_iter(lua_State *L) { return codes_next(L, 0); }
static int chars_iter(lua_State *L) { return codes_next(L, 1); }

/* The generic-for triple of codes/chars: iter, the text, the start (0). */
static int push_codes(lua_State *L, lua_CFunction iter)
{
  size_t len;
  checktext(L, 1, &len);
  lua_pushcfunction(L, iter);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

/* text.codes(s) -> iterator of position, code point   (raises on invalid UTF-8) */
static int text_codes(lua_State *L) { return push_codes(L, codes_iter); }

/* text.chars(s) -> iterator of position, character   (raises on invalid UTF-8) */
static int text_chars(lua_State *L) { return push_codes(L, chars_iter); }

/* ---- Validity ------------------------------------------------------------ */

/* text.valid(s) -> true | false, pos   (pos: first byte of the first bad sequence) */
static int text_valid(lua_State *L)
{
  size_t len;
  const uchar *s = checktext(L, 1, &len);
  size_t v = gisa_utf8_validate(s, len, NULL);
  if (v == len) { lua_pushboolean(L, 1); return 1; }
  lua_pushboolean(L, 0);
  lua_pushinteger(L, (lua_Integer)v + 1);
  return 2;
}

/* text.clean(s [, repl = "\u{FFFD}"]) -> string, count
 * (each maximal invalid subsequence becomes repl, as W3C/WHATWG decoders do) */
static int text_clean(lua_State *L)
{
  size_t len, rlen;
  const uchar *s = checktext(L, 1, &len);
  const char *repl = luaL_optlstring(L, 2, "\xEF\xBF\xBD", &rlen);
  size_t v = gisa_utf8_validate(s, len, NULL);
  if (v == len) { pushsame(L, 1, s, len); lua_pushinteger(L, 0); return 2; }
  Out o;
  out_init(L, &o, len + 16);
  lua_Integer count = 0;
  size_t i = 0;
  while (i < len) {
    out_add(&o, s + i, v);
    i += v;
    if (i >= len) break;
    uint32_t bad;
    gisa_utf8_decode(s + i, len - i, &bad);   /* bad: the maximal subpart's length */
    out_add(&o, repl, rlen);
    count++;
    i += bad;
    v = gisa_utf8_validate(s + i, len - i, NULL);
  }
  out_push(&o);
  lua_pushinteger(L, count);
  return 2;
}

/* ---- Normalization ----------------------------------------------------------
 * A quick check first: text made of ASCII, Hangul syllables and characters that
 * are stable in the form comes back as the same string, with no allocation.
 * Otherwise the text is cut into segments that start at a character which never
 * interacts with what precedes it; a Hangul-only segment is (de)composed by
 * arithmetic, any other goes through utf8proc's tables (decompose, canonical
 * order, compose). */

enum { NF_C, NF_D, NF_KC, NF_KD };
static const char *const nf_names[] = { "NFC", "NFD", "NFKC", "NFKD", NULL };
#define NF_COMPOSE(f) ((f) == NF_C || (f) == NF_KC)
#define NF_COMPAT(f) ((f) >= NF_KC)
enum { NF_YES = 1, NF_BOUND = 2 };   /* unchanged alone; a segment may start here */

static utf8proc_option_t nf_decomp_opts(int form)
{
  return UTF8PROC_DECOMPOSE | (NF_COMPAT(form) ? UTF8PROC_COMPAT : 0);
}

static int ccc_of(utf8proc_int32_t c)
{
  return utf8proc_get_property(c)->combining_class;
}

/* Canonical ordering: a stable sort of each run of non-starters by class. */
static void nf_reorder(utf8proc_int32_t *b, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    int c = ccc_of(b[i]);
    if (c == 0) continue;
    utf8proc_int32_t x = b[i];
    size_t j = i;
    while (j > 0 && ccc_of(b[j - 1]) > c) { b[j] = b[j - 1]; j--; }
    b[j] = x;
  }
}

/* NF_YES / NF_BOUND of a non-ASCII code point for a form, and its combining class. */
static int nf_flags(uint32_t c, int form, int *ccc)
{
  *ccc = 0;
  if (IS_SYLLABLE(c)) return NF_COMPOSE(form) ? NF_YES | NF_BOUND : NF_BOUND;
  if (IS_LJAMO(c)) return NF_YES | NF_BOUND;
  if (IS_VJAMO(c) || IS_TJAMO(c)) return NF_COMPOSE(form) ? 0 : NF_YES | NF_BOUND;
  const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c);
  *ccc = p->combining_class;
  /* may compose with the character before it: never stable alone */
  if (NF_COMPOSE(form) && p->comb_index != UINT16_MAX && p->comb_index >= 0x8000) return 0;
  int hasdec = p->decomp_seqindex != UINT16_MAX && (p->decomp_type == 0 || NF_COMPAT(form));
  if (!hasdec) return NF_YES | (*ccc == 0 ? NF_BOUND : 0);
  utf8proc_int32_t buf[32];
  int bc = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)c, buf, 32, nf_decomp_opts(form), &bc);
  if (n <= 0 || n > 32) return 0;
  int lead0 = ccc_of(buf[0]) == 0;
  if (!NF_COMPOSE(form)) return (*ccc == 0 && lead0) ? NF_BOUND : 0;
  /* a primary composite recomposes to itself; excluded ones do not */
  nf_reorder(buf, (size_t)n);
  n = utf8proc_normalize_utf32(buf, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
  if (n == 1 && (uint32_t)buf[0] == c) return NF_YES | (*ccc == 0 && lead0 ? NF_BOUND : 0);
  return 0;
}

/* Scratch code points, in a userdata at a fixed stack slot. */
typedef struct Scratch {
  lua_State *L;
  utf8proc_int32_t *p;
  size_t cap;
  int slot;
} Scratch;

static void scratch_init(lua_State *L, Scratch *w, size_t cap)
{
  w->L = L;
  w->p = lua_newuserdatauv(L, cap * sizeof *w->p, 0);
  w->cap = cap;
  w->slot = lua_gettop(L);
}

static void scratch_grow(Scratch *w, size_t used, size_t need)
{
  size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
  if (cap > ((size_t)-1) / sizeof *w->p) luaL_error(w->L, "string too large");
  utf8proc_int32_t *p = lua_newuserdatauv(w->L, cap * sizeof *p, 0);
  memcpy(p, w->p, used * sizeof *p);
  lua_replace(w->L, w->slot);
  w->p = p;
  w->cap = cap;
}

/* Any segment s[p..q) (valid UTF-8) through utf8proc's tables. */
static void nf_generic(const uchar *s, size_t p, size_t q, int form, Out *o, Scratch *w)
{
  size_t m = 0;
  utf8proc_option_t opts = nf_decomp_opts(form);
  for (size_t i = p; i < q;) {
    uint32_t cp;
    i += (size_t)dec(s, q, i, &cp);
    for (;;) {
      int bc = 0;
      utf8proc_ssize_t r = utf8proc_decompose_char((utf8proc_int32_t)cp, w->p + m,
                                                   (utf8proc_ssize_t)(w->cap - m), opts, &bc);
      if (r < 0) r = 0;   /* cannot happen for a valid code point */
      if ((size_t)r <= w->cap - m) { m += (size_t)r; break; }
      scratch_grow(w, m, m + (size_t)r + 64);
    }
  }
  nf_reorder(w->p, m);
  if (NF_COMPOSE(form))
    m = (size_t)utf8proc_normalize_utf32(w->p, (utf8proc_ssize_t)m, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
  for (size_t i = 0; i < m; i++) out_cp(o, (uint32_t)w->p[i]);
}

/* A segment of one starter followed by conjoining vowels and finals. */
static void nf_hangul_compose(const uchar *s, size_t p, size_t q, Out *o)
{
  uint32_t cur, c;
  size_t i = p + (size_t)dec(s, q, p, &cur);
  while (i < q) {
    i += (size_t)dec(s, q, i, &c);
    if (IS_LJAMO(cur) && IS_VJAMO(c)) {
      cur = SBASE + ((cur - LBASE) * VCOUNT + (c - VBASE)) * TCOUNT;
    } else if (IS_SYLLABLE(cur) && (cur - SBASE) % TCOUNT == 0 && IS_TJAMO(c)) {
      cur += c - TBASE;
    } else {
      out_cp(o, cur);
      cur = c;
    }
  }
  out_cp(o, cur);
}

static void hangul_decompose_out(Out *o, uint32_t c)
{
  uint32_t si = c - SBASE;
  out_cp(o, LBASE + si / NCOUNT);
  out_cp(o, VBASE + (si % NCOUNT) / TCOUNT);
  if (si % TCOUNT) out_cp(o, TBASE + si % TCOUNT);
}

/* The leading consonant (U+1100..U+1112) at s[i] read from its bytes, or 0. */
static inline uint32_t ljamo_at(const uchar *s, size_t n, size_t i)
{
  return i + 3 <= n && s[i] == 0xE1 && s[i + 1] == 0x84 && s[i + 2] >= 0x80 && s[i + 2] <= 0x92
       ? LBASE + (s[i + 2] - 0x80u) : 0;
}

/* The trailing consonant (U+11A8..U+11C2) at s[i] (3 bytes there, s[i] = E1), or 0. */
static inline uint32_t tjamo_at(const uchar *s, size_t i)
{
  if (s[i + 1] == 0x86 && s[i + 2] >= 0xA8 && s[i + 2] <= 0xBF) return 0x1180u + (s[i + 2] - 0x80u);
  if (s[i + 1] == 0x87 && s[i + 2] >= 0x80 && s[i + 2] <= 0x82) return 0x11C0u + (s[i + 2] - 0x80u);
  return 0;
}

/* Normalize s[0..n). Returns 0 when it already is normal (o untouched), 1 with
 * the result in o (a new userdata on the stack), -1 with *bad at invalid UTF-8. */
#ifdef GISA_UTF8_SIMD
/* Whether the 16 valid bytes at s (and the byte after them) hold only characters
 * stable in NFC and NFKC that start a segment: ASCII, CJK ideographs U+3400..U+9FFF
 * (lead E4..E9), and Hangul syllables U+AC00..U+D77F (EA B0.., EB, EC, ED ..9D). */
static inline int nfc_block_safe(const uchar *s)
{
  const __m128i x = _mm_loadu_si128((const __m128i *)s), nx = _mm_loadu_si128((const __m128i *)(s + 1));
#define LE(v, k) _mm_cmpeq_epi8(_mm_max_epu8((v), _mm_set1_epi8((char)(k))), _mm_set1_epi8((char)(k)))
  __m128i ok = _mm_or_si128(LE(x, 0xBF), LE(_mm_sub_epi8(x, _mm_set1_epi8((char)0xE4)), 9));
  __m128i bad_ea = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEA)), LE(nx, 0xAF));
  __m128i bad_ed = _mm_andnot_si128(LE(nx, 0x9D), _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED)));
#undef LE
  return _mm_movemask_epi8(_mm_andnot_si128(_mm_or_si128(bad_ea, bad_ed), ok)) == 0xFFFF;
}
#endif

static int nf_run(lua_State *L, const uchar *s, size_t n, int form, Out *o, size_t *bad)
{
  size_t i = 0, bound = 0;
  int last = 0, ccc, compose = NF_COMPOSE(form);
  uint32_t cp;
#ifdef GISA_UTF8_SIMD
  /* validate first, so that whole blocks of stable characters can be skipped */
  size_t v = gisa_utf8_validate(s, n, NULL);
  if (v != n) { *bad = v; return -1; }
  size_t simd_at = 0;
#endif
  while (i < n) {
#ifdef GISA_UTF8_SIMD
    if (compose && i >= simd_at && last == 0 && i + 17 <= n) {
      size_t p = i;
      while (p + 17 <= n && nfc_block_safe(s + p)) p += 16;
      if (p == i) simd_at = i + 16;     /* not here: try again a block later */
      else {
        /* every character starting in [i, p) is stable and a boundary */
        size_t q = p;
        while (q > i && iscont(s[q])) q--;
        if (q < p) {                    /* one runs past p: take it whole */
          bound = q;
          i = q + (s[q] >= 0xF0 ? 4 : s[q] >= 0xE0 ? 3 : 2);
        } else {
          for (bound = p - 1; bound > i && iscont(s[bound]); bound--) {}
          i = p;
        }
        continue;
      }
    }
#endif
    if (s[i] < 0x80) {
      do i++; while (i < n && s[i] < 0x80);
      bound = i - 1;
      last = 0;
      continue;
    }
    if (compose && syllable_at(s, n, i)) { bound = i; last = 0; i += 3; continue; }
    int k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) { *bad = i; return -1; }
    if (IS_SYLLABLE(cp) && compose) { bound = i; last = 0; i += (size_t)k; continue; }
    int f = nf_flags(cp, form, &ccc);
    if (f & NF_BOUND) bound = i;
    if (!(f & NF_YES) || (ccc && last > ccc)) goto slow;
    last = ccc;
    i += (size_t)k;
  }
  return 0;

slow:
  out_init(L, o, n + n / 4 + 16);
  out_add(o, s, bound);
  Scratch w;
  scratch_init(L, &w, 64);
  size_t p = bound;
  while (p < n) {
    if (s[p] < 0x80) {           /* copy ASCII, but the last may start a segment */
      size_t r = p + 1;
      while (r < n && s[r] < 0x80) r++;
      if (r == n) { out_add(o, s + p, r - p); break; }
      if (ljamo_at(s, n, r) || syllable_at(s, n, r)) {   /* what follows starts one itself */
        out_add(o, s + p, r - p);
        p = r;
        continue;
      }
      out_add(o, s + p, r - 1 - p);
      p = r - 1;
    }
    if (compose && ljamo_at(s, n, p)) {   /* L V (T) of NFD Korean straight from the bytes */
      size_t q = p + 3;
      uint32_t vi = q + 3 <= n && s[q] == 0xE1 && s[q + 1] == 0x85 ? (uint32_t)s[q + 2] - 0xA1 : VCOUNT;
      if (vi < VCOUNT) {
        uint32_t syl = SBASE + ((ljamo_at(s, n, p) - LBASE) * VCOUNT + vi) * TCOUNT;
        q += 3;
        uint32_t t = q + 3 <= n && s[q] == 0xE1 ? tjamo_at(s, q) : 0;
        if (t) { syl += t - TBASE; q += 3; }
        /* the segment ends here unless a mark or another vowel or final follows */
        if (q == n || s[q] < 0x80 || ljamo_at(s, n, q) || syllable_at(s, n, q)) {
          char *d = out_reserve(o, 3);
          o->n += (size_t)gisa_utf8_encode(syl, d);
          p = q;
          continue;
        }
      }
    }
    uint32_t c0;
    int k0 = dec(s, n, p, &c0);
    if (k0 == 0) { *bad = p; return -1; }
    size_t q = p + (size_t)k0;
    int hangul = c0 < 0x80 || IS_SYLLABLE(c0) || IS_LJAMO(c0) || IS_VJAMO(c0) || IS_TJAMO(c0);
    while (q < n && s[q] >= 0x80) {
      int k = gisa_utf8_decode(s + q, n - q, &cp);
      if (k == 0) { *bad = q; return -1; }
      int f = IS_SYLLABLE(cp) ? NF_BOUND : nf_flags(cp, form, &ccc);
      if (f & NF_BOUND) break;
      if (!IS_VJAMO(cp) && !IS_TJAMO(cp)) hangul = 0;
      q += (size_t)k;
    }
    if (q == p + (size_t)k0) {   /* a character alone */
      if (c0 < 0x80) out_byte(o, (char)c0);
      else if (IS_SYLLABLE(c0)) {
        if (compose) out_add(o, s + p, (size_t)k0);
        else hangul_decompose_out(o, c0);
      } else if (nf_flags(c0, form, &ccc) & NF_YES) out_add(o, s + p, (size_t)k0);
      else nf_generic(s, p, q, form, o, &w);
    } else if (compose && hangul) {
      nf_hangul_compose(s, p, q, o);
    } else {
      nf_generic(s, p, q, form, o, &w);
    }
    p = q;
  }
  lua_pop(L, 1);   /* the scratch */
  return 1;
}

/* text.normalize(s [, form = "NFC"]) -> string | nil, "invalid UTF-8", pos
 * (form: "NFC", "NFD", "NFKC" or "NFKD"; normal text comes back as the same string) */
static int text_normalize(lua_State *L)
{
  size_t n, bad;
  const uchar *s = checktext(L, 1, &n);
  int form = luaL_checkoption(L, 2, "NFC", nf_names);
  Out o;
  int r = nf_run(L, s, n, form, &o, &bad);
  if (r < 0) return push_invalid(L, bad);
  if (r == 0) pushsame(L, 1, s, n);
  else out_push(&o);
  return 1;
}

/* text.is_normalized(s [, form = "NFC"]) -> boolean | nil, "invalid UTF-8", pos */
static int text_is_normalized(lua_State *L)
{
  size_t n, bad;
  const uchar *s = checktext(L, 1, &n);
  int form = luaL_checkoption(L, 2, "NFC", nf_names);
  Out o;
  int r = nf_run(L, s, n, form, &o, &bad);
  if (r < 0) return push_invalid(L, bad);
  lua_pushboolean(L, r == 0 || (o.n == n && memcmp(o.p, s, n) == 0));
  return 1;
}

/* ---- Case ---------------------------------------------------------------- */

enum { CASE_LOWER, CASE_UPPER, CASE_FOLD };

/* One code point's mapping into buf; returns its length (1..8). */
static int case_map1(uint32_t c, int how, utf8proc_int32_t *buf)
{
  if (how == CASE_LOWER) { buf[0] = utf8proc_tolower((utf8proc_int32_t)c); return 1; }
  if (how == CASE_UPPER) { buf[0] = utf8proc_toupper((utf8proc_int32_t)c); return 1; }
  buf[0] = (utf8proc_int32_t)c;
  if (utf8proc_get_property((utf8proc_int32_t)c)->casefold_seqindex == UINT16_MAX) return 1;
  int bc = 0;
  utf8proc_ssize_t r = utf8proc_decompose_char((utf8proc_int32_t)c, buf, 8, UTF8PROC_CASEFOLD, &bc);
  if (r < 1 || r > 8) { buf[0] = (utf8proc_int32_t)c; return 1; }
  return (int)r;
}

static inline int ascii_changes(uchar c, int how)
{
  return how == CASE_UPPER ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z');
}

/* Map the case of s[0..n): 0 unchanged, 1 result in o, -1 invalid at *bad. */
static int case_run(lua_State *L, const uchar *s, size_t n, int how, Out *o, size_t *bad)
{
  size_t i = 0;
  uint32_t cp;
  utf8proc_int32_t buf[8];
  int k, m;
  while (i < n) {               /* find the first character that changes */
    if (s[i] < 0x80) {
      if (ascii_changes(s[i], how)) goto change;
      i++;
      continue;
    }
    k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) { *bad = i; return -1; }
    if (!IS_SYLLABLE(cp)) {
      m = case_map1(cp, how, buf);
      if (m != 1 || (uint32_t)buf[0] != cp) goto change;
    }
    i += (size_t)k;
  }
  return 0;
change:
  out_init(L, o, n + n / 8 + 16);
  out_add(o, s, i);
  while (i < n) {
    uchar c = s[i];
    if (c < 0x80) {
      out_byte(o, (char)(ascii_changes(c, how) ? c ^ 0x20 : c));
      i++;
      continue;
    }
    k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) { *bad = i; return -1; }
    if (IS_SYLLABLE(cp)) out_add(o, s + i, (size_t)k);
    else {
      m = case_map1(cp, how, buf);
      for (int j = 0; j < m; j++) out_cp(o, (uint32_t)buf[j]);
    }
    i += (size_t)k;
  }
  return 1;
}

static int case_fn(lua_State *L, int how)
{
  size_t n, bad;
  const uchar *s = checktext(L, 1, &n);
  Out o;
  int r = case_run(L, s, n, how, &o, &bad);
  if (r < 0) return push_invalid(L, bad);
  if (r == 0) pushsame(L, 1, s, n);
  else out_push(&o);
  return 1;
}

/* text.lower(s) -> string | nil, "invalid UTF-8", pos   (simple case mapping) */
static int text_lower(lua_State *L) { return case_fn(L, CASE_LOWER); }
/* text.upper(s) -> string | nil, "invalid UTF-8", pos   (simple case mapping) */
static int text_upper(lua_State *L) { return case_fn(L, CASE_UPPER); }
/* text.fold(s) -> string | nil, "invalid UTF-8", pos   (full case folding: ß -> ss) */
static int text_fold(lua_State *L) { return case_fn(L, CASE_FOLD); }

/* The canonical caseless key of Unicode D145: NFD(fold(NFD(s))). Leaves up to
 * three userdata on the stack that hold it. Returns NULL on invalid UTF-8. */
static const uchar *fold_key(lua_State *L, const uchar *s, size_t n, size_t *kn, size_t *bad)
{
  Out o1, o2, o3;
  const uchar *x = s;
  size_t xn = n;
  int r = nf_run(L, x, xn, NF_D, &o1, bad);
  if (r < 0) return NULL;
  if (r) { x = (const uchar *)o1.p; xn = o1.n; }
  if (case_run(L, x, xn, CASE_FOLD, &o2, bad) == 1) { x = (const uchar *)o2.p; xn = o2.n; }
  if (nf_run(L, x, xn, NF_D, &o3, bad) == 1) { x = (const uchar *)o3.p; xn = o3.n; }
  *kn = xn;
  return x;
}

/* text.equal_fold(a, b) -> boolean | nil, "invalid UTF-8", pos
 * (canonical caseless match: equal after NFD, full case folding, NFD) */
static int text_equal_fold(lua_State *L)
{
  size_t na, nb, ka, kb, bad;
  const uchar *a = checktext(L, 1, &na), *b = checktext(L, 2, &nb);
  size_t va = gisa_utf8_validate(a, na, NULL);
  if (va != na) return push_invalid(L, va);
  size_t vb = gisa_utf8_validate(b, nb, NULL);
  if (vb != nb) return push_invalid(L, vb);
  if (na == nb && memcmp(a, b, na) == 0) { lua_pushboolean(L, 1); return 1; }
  const uchar *x = fold_key(L, a, na, &ka, &bad);
  const uchar *y = fold_key(L, b, nb, &kb, &bad);
  lua_pushboolean(L, x && y && ka == kb && memcmp(x, y, ka) == 0);
  return 1;
}

/* ---- Width --------------------------------------------------------------- */

/* East Asian Width "A" (ambiguous) ranges of Unicode 15 (EastAsianWidth.txt). */
static const uint32_t ambiguous[][2] = {
  {0x00A1, 0x00A1}, {0x00A4, 0x00A4}, {0x00A7, 0x00A8}, {0x00AA, 0x00AA}, {0x00AD, 0x00AE},
  {0x00B0, 0x00B4}, {0x00B6, 0x00BA}, {0x00BC, 0x00BF}, {0x00C6, 0x00C6}, {0x00D0, 0x00D0},
  {0x00D7, 0x00D8}, {0x00DE, 0x00E1}, {0x00E6, 0x00E6}, {0x00E8, 0x00EA}, {0x00EC, 0x00ED},
  {0x00F0, 0x00F0}, {0x00F2, 0x00F3}, {0x00F7, 0x00FA}, {0x00FC, 0x00FC}, {0x00FE, 0x00FE},
  {0x0101, 0x0101}, {0x0111, 0x0111}, {0x0113, 0x0113}, {0x011B, 0x011B}, {0x0126, 0x0127},
  {0x012B, 0x012B}, {0x0131, 0x0133}, {0x0138, 0x0138}, {0x013F, 0x0142}, {0x0144, 0x0144},
  {0x0148, 0x014B}, {0x014D, 0x014D}, {0x0152, 0x0153}, {0x0166, 0x0167}, {0x016B, 0x016B},
  {0x01CE, 0x01CE}, {0x01D0, 0x01D0}, {0x01D2, 0x01D2}, {0x01D4, 0x01D4}, {0x01D6, 0x01D6},
  {0x01D8, 0x01D8}, {0x01DA, 0x01DA}, {0x01DC, 0x01DC}, {0x0251, 0x0251}, {0x0261, 0x0261},
  {0x02C4, 0x02C4}, {0x02C7, 0x02C7}, {0x02C9, 0x02CB}, {0x02CD, 0x02CD}, {0x02D0, 0x02D0},
  {0x02D8, 0x02DB}, {0x02DD, 0x02DD}, {0x02DF, 0x02DF}, {0x0300, 0x036F}, {0x0391, 0x03A1},
  {0x03A3, 0x03A9}, {0x03B1, 0x03C1}, {0x03C3, 0x03C9}, {0x0401, 0x0401}, {0x0410, 0x044F},
  {0x0451, 0x0451}, {0x2010, 0x2010}, {0x2013, 0x2016}, {0x2018, 0x2019}, {0x201C, 0x201D},
  {0x2020, 0x2022}, {0x2024, 0x2027}, {0x2030, 0x2030}, {0x2032, 0x2033}, {0x2035, 0x2035},
  {0x203B, 0x203B}, {0x203E, 0x203E}, {0x2074, 0x2074}, {0x207F, 0x207F}, {0x2081, 0x2084},
  {0x20AC, 0x20AC}, {0x2103, 0x2103}, {0x2105, 0x2105}, {0x2109, 0x2109}, {0x2113, 0x2113},
  {0x2116, 0x2116}, {0x2121, 0x2122}, {0x2126, 0x2126}, {0x212B, 0x212B}, {0x2153, 0x2154},
  {0x215B, 0x215E}, {0x2160, 0x216B}, {0x2170, 0x2179}, {0x2189, 0x2189}, {0x2190, 0x2199},
  {0x21B8, 0x21B9}, {0x21D2, 0x21D2}, {0x21D4, 0x21D4}, {0x21E7, 0x21E7}, {0x2200, 0x2200},
  {0x2202, 0x2203}, {0x2207, 0x2208}, {0x220B, 0x220B}, {0x220F, 0x220F}, {0x2211, 0x2211},
  {0x2215, 0x2215}, {0x221A, 0x221A}, {0x221D, 0x2220}, {0x2223, 0x2223}, {0x2225, 0x2225},
  {0x2227, 0x222C}, {0x222E, 0x222E}, {0x2234, 0x2237}, {0x223C, 0x223D}, {0x2248, 0x2248},
  {0x224C, 0x224C}, {0x2252, 0x2252}, {0x2260, 0x2261}, {0x2264, 0x2267}, {0x226A, 0x226B},
  {0x226E, 0x226F}, {0x2282, 0x2283}, {0x2286, 0x2287}, {0x2295, 0x2295}, {0x2299, 0x2299},
  {0x22A5, 0x22A5}, {0x22BF, 0x22BF}, {0x2312, 0x2312}, {0x2460, 0x24E9}, {0x24EB, 0x254B},
  {0x2550, 0x2573}, {0x2580, 0x258F}, {0x2592, 0x2595}, {0x25A0, 0x25A1}, {0x25A3, 0x25A9},
  {0x25B2, 0x25B3}, {0x25B6, 0x25B7}, {0x25BC, 0x25BD}, {0x25C0, 0x25C1}, {0x25C6, 0x25C8},
  {0x25CB, 0x25CB}, {0x25CE, 0x25D1}, {0x25E2, 0x25E5}, {0x25EF, 0x25EF}, {0x2605, 0x2606},
  {0x2609, 0x2609}, {0x260E, 0x260F}, {0x261C, 0x261C}, {0x261E, 0x261E}, {0x2640, 0x2640},
  {0x2642, 0x2642}, {0x2660, 0x2661}, {0x2663, 0x2665}, {0x2667, 0x266A}, {0x266C, 0x266D},
  {0x266F, 0x266F}, {0x269E, 0x269F}, {0x26BF, 0x26BF}, {0x26C6, 0x26CD}, {0x26CF, 0x26D3},
  {0x26D5, 0x26E1}, {0x26E3, 0x26E3}, {0x26E8, 0x26E9}, {0x26EB, 0x26F1}, {0x26F4, 0x26F4},
  {0x26F6, 0x26F9}, {0x26FB, 0x26FC}, {0x26FE, 0x26FF}, {0x273D, 0x273D}, {0x2776, 0x277F},
  {0x2B56, 0x2B59}, {0x3248, 0x324F}, {0xE000, 0xF8FF}, {0xFE00, 0xFE0F}, {0xFFFD, 0xFFFD},
  {0x1F100, 0x1F10A}, {0x1F110, 0x1F12D}, {0x1F130, 0x1F169}, {0x1F170, 0x1F18D},
  {0x1F18F, 0x1F190}, {0x1F19B, 0x1F1AC}, {0xE0100, 0xE01EF}, {0xF0000, 0xFFFFD},
  {0x100000, 0x10FFFD},
};

static int is_ambiguous(uint32_t c)
{
  size_t lo = 0, hi = sizeof ambiguous / sizeof ambiguous[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (c < ambiguous[mid][0]) hi = mid;
    else if (c > ambiguous[mid][1]) lo = mid + 1;
    else return 1;
  }
  return 0;
}

/* Columns of one code point: wide and fullwidth 2, combining and control 0;
 * conjoining jamo vowels and finals 0, so decomposed Hangul measures like
 * precomposed (as glibc's wcwidth does); ambiguous ones `amb` (1 or 2). */
static int cp_width(uint32_t c, int amb)
{
  if (c < 0x80) return c >= 0x20 && c < 0x7F;
  if (IS_SYLLABLE(c)) return 2;
  if ((c >= 0x1160 && c <= 0x11FF) || (c >= 0xD7B0 && c <= 0xD7FF)) return 0;
  int w = utf8proc_charwidth((utf8proc_int32_t)c);
  if (w == 1 && amb == 2 && is_ambiguous(c)) return 2;
  return w;
}

/* Columns of s[0..n); -1 with *bad at invalid UTF-8. */
static lua_Integer str_width(const uchar *s, size_t n, int amb, size_t *bad)
{
  lua_Integer w = 0;
  size_t i = 0;
  while (i < n) {
    uchar c = s[i];
    if (c < 0x80) { w += c >= 0x20 && c < 0x7F; i++; continue; }
    if (syllable_at(s, n, i)) { w += 2; i += 3; continue; }
    uint32_t cp;
    int k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) { *bad = i; return -1; }
    w += cp_width(cp, amb);
    i += (size_t)k;
  }
  return w;
}

static int opt_amb(lua_State *L, int i)
{
  lua_Integer amb = luaL_optinteger(L, i, 1);
  luaL_argcheck(L, amb == 1 || amb == 2, i, "ambiguous width must be 1 or 2");
  return (int)amb;
}

/* text.width(s [, ambiguous = 1]) -> columns | nil, "invalid UTF-8", pos */
static int text_width(lua_State *L)
{
  size_t n, bad;
  const uchar *s = checktext(L, 1, &n);
  lua_Integer w = str_width(s, n, opt_amb(L, 2), &bad);
  if (w < 0) return push_invalid(L, bad);
  lua_pushinteger(L, w);
  return 1;
}

/* ---- Grapheme clusters ----------------------------------------------------- */

/* End of the extended grapheme cluster that starts at s[i] (UAX #29), with the
 * break state carried in *state; 0 with *bad set on invalid UTF-8. */
static size_t cluster_end(const uchar *s, size_t n, size_t i, utf8proc_int32_t *state, size_t *bad)
{
  uint32_t prev, cp;
  int k = dec(s, n, i, &prev);
  if (k == 0) { *bad = i; return 0; }
  i += (size_t)k;
  while (i < n) {
    /* ASCII after ASCII always breaks, except CR LF */
    if (s[i] < 0x80 && prev < 0x80 && !(prev == '\r' && s[i] == '\n')) {
      *state = 0;
      break;
    }
    k = dec(s, n, i, &cp);
    if (k == 0) { *bad = i; return 0; }
    if (utf8proc_grapheme_break_stateful((utf8proc_int32_t)prev, (utf8proc_int32_t)cp, state)) break;
    prev = cp;
    i += (size_t)k;
  }
  return i;
}

/* state of the graphemes iterator: its text, the next offset, the break state */
static int graphemes_iter(lua_State *L)
{
  size_t n, bad = 0;
  const uchar *s = checktext(L, lua_upvalueindex(1), &n);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  if (i >= n) return 0;
  utf8proc_int32_t state = (utf8proc_int32_t)lua_tointeger(L, lua_upvalueindex(3));
  size_t e = cluster_end(s, n, i, &state, &bad);
  if (e == 0) return raise_invalid(L, bad);
  lua_pushinteger(L, (lua_Integer)e);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushinteger(L, state);
  lua_replace(L, lua_upvalueindex(3));
  lua_pushinteger(L, (lua_Integer)i + 1);
  lua_pushlstring(L, (const char *)s + i, e - i);
  return 2;
}

/* text.graphemes(s) -> iterator of position, cluster   (raises on invalid UTF-8) */
static int text_graphemes(lua_State *L)
{
  size_t n;
  checktext(L, 1, &n);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, graphemes_iter, 3);
  return 1;
}

/* Byte length of the longest prefix of whole clusters of s[0..n) that fits in
 * `cols` columns; *w gets its width, *all whether that is the whole text. */
static size_t fit_clusters(const uchar *s, size_t n, lua_Integer cols, int amb, lua_Integer *w,
                           size_t *bad, int *err)
{
  utf8proc_int32_t state = 0;
  size_t i = 0;
  lua_Integer acc = 0;
  *err = 0;
  while (i < n) {
    size_t e = cluster_end(s, n, i, &state, bad);
    if (e == 0) { *err = 1; return 0; }
    lua_Integer cw = str_width(s + i, e - i, amb, bad);
    if (acc + cw > cols) break;
    acc += cw;
    i = e;
  }
  *w = acc;
  return i;
}

/* text.truncate(s, cols [, ellipsis = "…"]) -> string | nil, "invalid UTF-8", pos
 * (at most cols columns, cut between grapheme clusters, ellipsis added when cut) */
static int text_truncate(lua_State *L)
{
  size_t n, en, bad;
  const uchar *s = checktext(L, 1, &n);
  lua_Integer cols = luaL_checkinteger(L, 2);
  const uchar *ell = (const uchar *)luaL_optlstring(L, 3, "\xE2\x80\xA6", &en);
  luaL_argcheck(L, cols >= 0, 2, "columns must not be negative");
  lua_Integer total = str_width(s, n, 1, &bad);
  if (total < 0) return push_invalid(L, bad);
  if (total <= cols) { pushsame(L, 1, s, n); return 1; }
  lua_Integer ew = str_width(ell, en, 1, &bad), w;
  if (ew < 0) return luaL_argerror(L, 3, "invalid UTF-8");
  int err;
  if (ew > cols) { ew = 0; en = 0; }     /* no room even for the ellipsis */
  size_t cut = fit_clusters(s, n, cols - ew, 1, &w, &bad, &err);
  if (err) return push_invalid(L, bad);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, (const char *)s, cut);
  luaL_addlstring(&b, (const char *)ell, en);
  luaL_pushresult(&b);
  return 1;
}

/* text.pad(s, cols [, align = "left"]) -> string | nil, "invalid UTF-8", pos
 * (spaces added to fill cols columns: "left" puts the text left, "right",
 * "center"; text already as wide comes back unchanged) */
static int text_pad(lua_State *L)
{
  static const char *const aligns[] = { "left", "right", "center", NULL };
  size_t n, bad;
  const uchar *s = checktext(L, 1, &n);
  lua_Integer cols = luaL_checkinteger(L, 2);
  int align = luaL_checkoption(L, 3, "left", aligns);
  lua_Integer w = str_width(s, n, 1, &bad);
  if (w < 0) return push_invalid(L, bad);
  if (w >= cols) { pushsame(L, 1, s, n); return 1; }
  lua_Integer fill = cols - w, left = align == 0 ? 0 : align == 1 ? fill : fill / 2;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (lua_Integer k = 0; k < left; k++) luaL_addchar(&b, ' ');
  luaL_addlstring(&b, (const char *)s, n);
  for (lua_Integer k = left; k < fill; k++) luaL_addchar(&b, ' ');
  luaL_pushresult(&b);
  return 1;
}

/* ---- Classes --------------------------------------------------------------- */

enum { CL_HANGUL, CL_HANJA, CL_LATIN, CL_DIGIT, CL_SPACE, CL_PUNCT, CL_SYMBOL, CL_OTHER, CL_N };
static const char *const class_names[CL_N] = {
  "hangul", "hanja", "latin", "digit", "space", "punct", "symbol", "other"
};

/* ASCII classes: 0-31 and 127 other (tab, newlines: space), then by category */
static const uchar ascii_class[128] = {
#define O CL_OTHER
#define S CL_SPACE
#define P CL_PUNCT
#define Y CL_SYMBOL
#define D CL_DIGIT
#define A CL_LATIN
  O, O, O, O, O, O, O, O, O, S, S, S, S, S, O, O,
  O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
  S, P, P, P, Y, P, P, P, P, P, P, Y, P, P, P, P,   /*  !"#$%&'()*+,-./ */
  D, D, D, D, D, D, D, D, D, D, P, P, Y, Y, Y, P,   /* 0-9 :;<=>? */
  P, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,   /* @A-O */
  A, A, A, A, A, A, A, A, A, A, A, P, P, P, Y, P,   /* P-Z [\]^_ */
  Y, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,   /* `a-o */
  A, A, A, A, A, A, A, A, A, A, A, P, Y, P, Y, O,   /* p-z {|}~ DEL */
#undef O
#undef S
#undef P
#undef Y
#undef D
#undef A
};

static int is_hangul(uint32_t c)
{
  return IS_SYLLABLE(c) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E)
      || (c >= 0xA960 && c <= 0xA97C) || (c >= 0xD7B0 && c <= 0xD7FB) || (c >= 0xFFA0 && c <= 0xFFDC);
}

static int is_han(uint32_t c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF)
      || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005 || c == 0x3007;
}

/* Latin-script blocks (a letter there is latin) */
static int is_latin_block(uint32_t c)
{
  return (c >= 0xAA && c <= 0x24F) || (c >= 0x250 && c <= 0x2AF) || (c >= 0x1D00 && c <= 0x1DBF)
      || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF)
      || (c >= 0xAB30 && c <= 0xAB6F) || (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFF21 && c <= 0xFF3A)
      || (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0x10780 && c <= 0x107BF) || (c >= 0x1DF00 && c <= 0x1DFFF);
}

static int cp_class(uint32_t c)
{
  if (c < 0x80) return ascii_class[c];
  if (is_hangul(c)) return CL_HANGUL;
  if (isspace_cp(c)) return CL_SPACE;
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
  switch (cat) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    if (is_han(c)) return CL_HANJA;
    if (is_latin_block(c)) return CL_LATIN;
    return CL_OTHER;
  case UTF8PROC_CATEGORY_NL:
    return is_han(c) ? CL_HANJA : CL_OTHER;
  case UTF8PROC_CATEGORY_ND:
    return CL_DIGIT;
  case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
  case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
  case UTF8PROC_CATEGORY_PO:
    return CL_PUNCT;
  case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
  case UTF8PROC_CATEGORY_SO:
    return CL_SYMBOL;
  default:
    return CL_OTHER;
  }
}

#ifdef GISA_UTF8_SIMD
/* Count by class the 16-byte blocks of valid text from s[i] on while they hold
 * only ASCII, continuation bytes, Hangul syllables U+AC00..U+D77F and CJK
 * ideographs U+4E00..U+9FFF (a character counts at its first byte). Per-byte
 * counters in registers, summed every 255 blocks. Returns where it stopped. */
static size_t classes_blocks(const uchar *s, size_t i, size_t n, lua_Integer *count)
{
#define K(c) _mm_set1_epi8((char)(c))
#define LE(v, k) _mm_cmpeq_epi8(_mm_max_epu8((v), K(k)), K(k))
#define EQ(c) _mm_cmpeq_epi8(x, K(c))
  enum { A_HANGUL, A_HANJA, A_ASCII, A_DIGIT, A_LATIN, A_SPACE, A_CTRL, A_SYMBOL, A_N };
  __m128i acc[A_N];
  lua_Integer sum[A_N] = { 0 };
  int blocks = 0;
  for (int k = 0; k < A_N; k++) acc[k] = _mm_setzero_si128();
  for (; i + 17 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
    const __m128i nx = _mm_loadu_si128((const __m128i *)(s + i + 1));
    __m128i ascii = _mm_cmpgt_epi8(x, K(-1));
    __m128i cont = LE(_mm_sub_epi8(x, K(0x80)), 0x3F);
    __m128i hangul = _mm_or_si128(_mm_or_si128(EQ(0xEB), EQ(0xEC)),
        _mm_or_si128(_mm_andnot_si128(LE(nx, 0xAF), EQ(0xEA)), _mm_and_si128(LE(nx, 0x9D), EQ(0xED))));
    __m128i hanja = _mm_or_si128(LE(_mm_sub_epi8(x, K(0xE5)), 4), _mm_andnot_si128(LE(nx, 0xB7), EQ(0xE4)));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ascii, cont), _mm_or_si128(hangul, hanja))) != 0xFFFF)
      break;
    __m128i space = _mm_or_si128(EQ(' '), LE(_mm_sub_epi8(x, K(0x09)), 4));
    __m128i ctrl = _mm_or_si128(_mm_andnot_si128(space, LE(x, 0x1F)), EQ(0x7F));
    __m128i symbol = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(EQ('$'), EQ('+')), _mm_or_si128(EQ('<'), EQ('='))),
        _mm_or_si128(_mm_or_si128(EQ('>'), EQ('^')), _mm_or_si128(_mm_or_si128(EQ('`'), EQ('|')), EQ('~'))));
    /* a true mask byte is -1: subtracting counts one */
    acc[A_HANGUL] = _mm_sub_epi8(acc[A_HANGUL], hangul);
    acc[A_HANJA] = _mm_sub_epi8(acc[A_HANJA], hanja);
    acc[A_ASCII] = _mm_sub_epi8(acc[A_ASCII], ascii);
    acc[A_DIGIT] = _mm_sub_epi8(acc[A_DIGIT], LE(_mm_sub_epi8(x, K('0')), 9));
    acc[A_LATIN] = _mm_sub_epi8(acc[A_LATIN], LE(_mm_sub_epi8(_mm_or_si128(x, K(0x20)), K('a')), 25));
    acc[A_SPACE] = _mm_sub_epi8(acc[A_SPACE], space);
    acc[A_CTRL] = _mm_sub_epi8(acc[A_CTRL], ctrl);
    acc[A_SYMBOL] = _mm_sub_epi8(acc[A_SYMBOL], symbol);
    if (++blocks == 255) {       /* before a byte counter can wrap */
      for (int k = 0; k < A_N; k++) {
        __m128i t = _mm_sad_epu8(acc[k], _mm_setzero_si128());
        sum[k] += _mm_cvtsi128_si64(t) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(t, t));
        acc[k] = _mm_setzero_si128();
      }
      blocks = 0;
    }
  }
  for (int k = 0; k < A_N; k++) {
    __m128i t = _mm_sad_epu8(acc[k], _mm_setzero_si128());
    sum[k] += _mm_cvtsi128_si64(t) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(t, t));
  }
  count[CL_HANGUL] += sum[A_HANGUL];
  count[CL_HANJA] += sum[A_HANJA];
  count[CL_DIGIT] += sum[A_DIGIT];
  count[CL_LATIN] += sum[A_LATIN];
  count[CL_SPACE] += sum[A_SPACE];
  count[CL_OTHER] += sum[A_CTRL];
  count[CL_SYMBOL] += sum[A_SYMBOL];
  count[CL_PUNCT] += sum[A_ASCII] - sum[A_DIGIT] - sum[A_LATIN] - sum[A_SPACE] - sum[A_CTRL] - sum[A_SYMBOL];
#undef K
#undef LE
#undef EQ
  return i;
}
#endif

/* Add the characters of s[0..n) to count by class. Returns n, or the position
 * of the first byte of invalid UTF-8 (count then holds what came before). */
static size_t classes_add(const uchar *s, size_t n, lua_Integer *count)
{
  size_t i = 0, stop = 0;
  (void)stop;
#ifdef GISA_UTF8_SIMD
  size_t v = gisa_utf8_validate(s, n, NULL);    /* so that blocks can be counted blind */
  if (v != n) return v;
#endif
  while (i < n) {
#ifdef GISA_UTF8_SIMD
    if (i >= stop && i + 17 <= n) {
      size_t j = classes_blocks(s, i, n, count);
      if (j > i) {
        for (i = j; i < n && iscont(s[i]); i++) {}   /* the tail of a counted character */
        continue;
      }
      stop = i + 16;             /* one block the slow way, then try again */
    }
#endif
    uchar c = s[i];
    if (c < 0x80) { count[ascii_class[c]]++; i++; continue; }
    if (syllable_at(s, n, i)) { count[CL_HANGUL]++; i += 3; continue; }
    uint32_t cp;
    int k = gisa_utf8_decode(s + i, n - i, &cp);
    if (k == 0) return i;
    count[cp_class(cp)]++;
    i += (size_t)k;
  }
  return n;
}

/* text.classes(s) -> {hangul=, hanja=, latin=, digit=, space=, punct=, symbol=, other=}
 * | nil, "invalid UTF-8", pos   (counts of characters, one pass) */
static int text_classes(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  lua_Integer count[CL_N] = { 0 };
  size_t bad = classes_add(s, n, count);
  if (bad != n) return push_invalid(L, bad);
  lua_createtable(L, 0, CL_N);
  for (int k = 0; k < CL_N; k++) {
    lua_pushinteger(L, count[k]);
    lua_setfield(L, -2, class_names[k]);
  }
  return 1;
}

/* text.category(cp | char) -> "Lu", "Lo", "Nd", … (Unicode general category)
 * | nil, "invalid UTF-8", 1 */
static int text_category(lua_State *L)
{
  uint32_t cp;
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_Integer c = luaL_checkinteger(L, 1);
    luaL_argcheck(L, c >= 0 && c <= 0x10FFFF, 1, "value out of range");
    cp = (uint32_t)c;
  } else {
    size_t n;
    const uchar *s = checktext(L, 1, &n);
    luaL_argcheck(L, n > 0, 1, "empty string");
    if (dec(s, n, 0, &cp) == 0) return push_invalid(L, 0);
  }
  lua_pushstring(L, utf8proc_category_string((utf8proc_int32_t)cp));
  return 1;
}

/* ---- White space ------------------------------------------------------------
 * Bytes that are not valid UTF-8 are kept as they are: they are not space. */

/* Length of the space character at s[i], or 0. */
static inline int space_at(const uchar *s, size_t n, size_t i)
{
  uchar c = s[i];
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3 && c != 0xEF) return 0;
  uint32_t cp;
  int k = gisa_utf8_decode(s + i, n - i, &cp);
  return k && isspace_cp(cp) ? k : 0;
}

/* Bounds of s[0..n) without leading and trailing space. */
static void trim_bounds(const uchar *s, size_t n, size_t *b, size_t *e)
{
  size_t i = 0, j = n;
  int k;
  while (i < n && (k = space_at(s, n, i)) > 0) i += (size_t)k;
  while (j > i) {
    uint32_t cp;
    size_t p = char_before(s, j, &cp);
    if (p == j || !isspace_cp(cp)) break;
    j = p;
  }
  *b = i;
  *e = j;
}

/* text.trim(s) -> string   (without leading and trailing white space) */
static int text_trim(lua_State *L)
{
  size_t n, b, e;
  const uchar *s = checktext(L, 1, &n);
  trim_bounds(s, n, &b, &e);
  if (b == 0 && e == n) pushsame(L, 1, s, n);
  else lua_pushlstring(L, (const char *)s + b, e - b);
  return 1;
}

/* text.squeeze(s) -> string   (each run of white space, NBSP, U+3000 or
 * zero-width characters becomes one ASCII space; none at either end) */
static int text_squeeze(lua_State *L)
{
  size_t n, b, e;
  const uchar *s = checktext(L, 1, &n);
  trim_bounds(s, n, &b, &e);
  /* unchanged until the first space that is not a single ' ' */
  size_t i = b;
  int k;
  while (i < e) {
    k = space_at(s, e, i);
    if (k == 0) { i++; continue; }
    if (s[i] != ' ' || (i + 1 < e && space_at(s, e, i + 1) > 0)) break;
    i++;
  }
  if (b == 0 && e == n && i == e) { pushsame(L, 1, s, n); return 1; }
  Out o;
  out_init(L, &o, e - b);
  out_add(&o, s + b, i - b);
  while (i < e) {
    k = space_at(s, e, i);
    if (k == 0) { out_byte(&o, (char)s[i]); i++; continue; }
    while (i < e && (k = space_at(s, e, i)) > 0) i += (size_t)k;
    out_byte(&o, ' ');
  }
  out_push(&o);
  return 1;
}

/* ---- Lines and paragraphs ------------------------------------------------ */

/* First LF or CR at or after i (n when none), eight bytes at a time. */
static size_t find_eol(const uchar *s, size_t i, size_t n)
{
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  while (i + 8 <= n) {
    uint64_t w, x, y;
    memcpy(&w, s + i, 8);
    x = w ^ (ones * '\n');
    y = w ^ (ones * '\r');
    if (((x - ones) & ~x & highs) | ((y - ones) & ~y & highs)) break;
    i += 8;
  }
  while (i < n && s[i] != '\n' && s[i] != '\r') i++;
  return i;
}

/* End of the line starting at i (before its LF, CR or CRLF) and the start of the next. */
static size_t line_end(const uchar *s, size_t n, size_t i, size_t *next)
{
  size_t e = find_eol(s, i, n);
  if (e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n') *next = e + 2;
  else *next = e < n ? e + 1 : n;
  return e;
}

/* An iterator over the text at index 1: iter with upvalues (text, next byte offset 0). */
static int push_text_iter(lua_State *L, lua_CFunction iter)
{
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, iter, 2);
  return 1;
}

static int lines_iter(lua_State *L)
{
  size_t n, next;
  const uchar *s = checktext(L, lua_upvalueindex(1), &n);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  if (i >= n) return 0;
  size_t e = line_end(s, n, i, &next);
  lua_pushinteger(L, (lua_Integer)next);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlstring(L, (const char *)s + i, e - i);
  lua_pushinteger(L, (lua_Integer)i + 1);
  return 2;
}

/* text.lines(s) -> iterator of line, position   (split at LF, CRLF or CR; the
 * terminators are dropped; no empty line after a final terminator) */
static int text_lines(lua_State *L)
{
  size_t n;
  checktext(L, 1, &n);
  return push_text_iter(L, lines_iter);
}

/* text.pairs(s [, sep]): a table of the lines "key<sep>value" of s (sep one
 * byte, a tab by default): key -> value. A line that starts with '#', has no
 * sep or has an empty key is skipped; a later key replaces an earlier one;
 * the value is the rest of the line (a final CR dropped). Word lists and
 * lexicons read this way cost a string and a table slot a line, not a pattern
 * match (85,000 lines: about a fifth of what gmatch takes). */
static int text_pairs(lua_State *L)
{
  size_t n, lines = 0;
  const uchar *s = checktext(L, 1, &n);
  size_t seplen;
  const char *sepstr = luaL_optlstring(L, 2, "\t", &seplen);
  luaL_argcheck(L, seplen == 1, 2, "one byte");
  const uchar sep = (uchar)sepstr[0];
  for (const uchar *q = s, *end = s + n; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
    lines++;
  lua_createtable(L, 0, lines > INT_MAX ? INT_MAX : (int)lines);
  for (size_t i = 0; i < n;) {
    const uchar *nl = memchr(s + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - s) : n, next = nl ? e + 1 : n;
    if (e > i && s[e - 1] == '\r') e--;
    const uchar *t = s[i] == '#' ? NULL : memchr(s + i, sep, e - i);
    if (t && t > s + i) {
      size_t k = (size_t)(t - s);
      lua_pushlstring(L, (const char *)s + i, k - i);
      lua_pushlstring(L, (const char *)t + 1, e - k - 1);
      lua_rawset(L, -3);
    }
    i = next;
  }
  return 1;
}

static int blank(const uchar *s, size_t i, size_t e)
{
  int k;
  while (i < e && (k = space_at(s, e, i)) > 0) i += (size_t)k;
  return i == e;
}

static int paragraphs_iter(lua_State *L)
{
  size_t n, next, e;
  const uchar *s = checktext(L, lua_upvalueindex(1), &n);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  for (;;) {                    /* skip blank lines */
    if (i >= n) return 0;
    e = line_end(s, n, i, &next);
    if (!blank(s, i, e)) break;
    i = next;
  }
  size_t start = i, end = e;
  for (i = next; i < n; i = next) {
    e = line_end(s, n, i, &next);
    if (blank(s, i, e)) break;
    end = e;
  }
  lua_pushinteger(L, (lua_Integer)i);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlstring(L, (const char *)s + start, end - start);
  lua_pushinteger(L, (lua_Integer)start + 1);
  return 2;
}

/* text.paragraphs(s) -> iterator of paragraph, position   (runs of non-blank
 * lines; a blank line holds only white space; inner line breaks are kept) */
static int text_paragraphs(lua_State *L)
{
  size_t n;
  checktext(L, 1, &n);
  return push_text_iter(L, paragraphs_iter);
}

/* ---- Sentences ---------------------------------------------------------------
 * A sentence ends at a line break, or after a run of . ? ! … (and their
 * fullwidth forms) and any closing quotes or brackets, when white space or the
 * end follows. A single "." does not end one after a digit (3.5, 2024. 3. 15.),
 * after an abbreviation (Dr., U.S., e.g.), or inside a word (GPT-3.5, an
 * e-mail address, a URL); it does end one glued to the next Hangul after 다, 요,
 * 죠 or 까 ("했다.그러나"). */

static int is_term(uint32_t c)
{
  switch (c) {
  case '.': case '?': case '!': case 0x2026: case 0x3002: case 0xFF0E: case 0xFF1F:
  case 0xFF01: case 0x203C: case 0x2047: case 0x2048: case 0x2049: case 0xFF61:
    return 1;
  default:
    return 0;
  }
}

static int is_closer(uint32_t c)
{
  switch (c) {
  case '"': case '\'': case ')': case ']': case '}': case 0x2019: case 0x201D: case 0xBB:
  case 0x203A: case 0x3009: case 0x300B: case 0x300D: case 0x300F: case 0x3011: case 0x3015:
  case 0x3017: case 0x3019: case 0x301B: case 0xFF09: case 0xFF3D: case 0xFF5D: case 0xFF63:
    return 1;
  default:
    return 0;
  }
}

static int is_ascii_letter(uint32_t c)
{
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* abbreviations that a single "." follows without ending a sentence */
static const char *const abbrevs[] = {
  "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "vs", "cf", "al", "approx", "ed",
  "eds", "pp", "No", "Vol", "Fig", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Sgt",
  "Inc", "Corp", "Co", "Ltd", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
  "Oct", "Nov", "Dec", NULL
};

/* Whether the ASCII letters just before s[t] (starting after `from`) are an
 * abbreviation: one letter (an initial, the S of U.S.) or one of the list. */
static int abbrev_before(const uchar *s, size_t from, size_t t)
{
  size_t b = t;
  while (b > from && is_ascii_letter(s[b - 1])) b--;
  if (b == t || t - b > 6) return 0;
  if (b > from && (s[b - 1] >= 0x80 || IS_ADIGIT(s[b - 1]))) return 0;   /* inside a word */
  if (t - b == 1) return 1;
  for (int k = 0; abbrevs[k]; k++)
    if (strlen(abbrevs[k]) == t - b && memcmp(abbrevs[k], s + b, t - b) == 0) return 1;
  return 0;
}

static int is_digit_cp(uint32_t c)
{
  if (c < 0x80) return c >= '0' && c <= '9';
  return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}

/* Where the bytes from s[j] that start no terminator and no line break end:
 * the next '.', '?', '!', CR, LF or lead byte E2, E3 or EF (every terminator
 * of is_term begins with one), or n. Only for valid text: it stops on a
 * character boundary because it never stops on a continuation byte. */
static size_t plain_run(const uchar *s, size_t n, size_t j)
{
#ifdef GISA_UTF8_SIMD
  while (j + 16 <= n) {
    const __m128i x = _mm_loadu_si128((const __m128i *)(s + j));
#define EQ(c) _mm_cmpeq_epi8(x, _mm_set1_epi8((char)(c)))
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_or_si128(EQ('.'), EQ('?')), _mm_or_si128(EQ('!'), EQ('\n'))),
                             _mm_or_si128(_mm_or_si128(EQ('\r'), EQ(0xE2)), _mm_or_si128(EQ(0xE3), EQ(0xEF))));
#undef EQ
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) return j + (size_t)__builtin_ctz(bits);
    j += 16;
  }
#endif
  for (; j < n; j++) {
    uchar c = s[j];
    if (c == '.' || c == '?' || c == '!' || c == '\n' || c == '\r' || c == 0xE2 || c == 0xE3 || c == 0xEF) break;
  }
  return j;
}

/* The next sentence at or after i: [*b, *e), and where to go on. Returns 0 at
 * the end, -1 with *bad on invalid UTF-8. VALID: s is known to be valid
 * UTF-8, so that runs of characters that end nothing are passed over whole
 * (plain_run) instead of decoded one by one. */
static int sentence_next(const uchar *s, size_t n, size_t i, size_t *b, size_t *e, size_t *next,
                         size_t *bad, int valid)
{
  int k;
  while (i < n && (k = space_at(s, n, i)) > 0) i += (size_t)k;
  if (i >= n) return 0;
  size_t start = i, j = i, end = n;
  uint32_t cp, prev = 0;
  while (j < n) {
    if (valid) {
      size_t r = plain_run(s, n, j);
      if (r > j) {
        char_before(s, r, &prev);
        j = r;
        if (j >= n) break;
      }
    }
    if (s[j] == '\n' || s[j] == '\r') { end = j; break; }
    k = dec(s, n, j, &cp);
    if (k == 0) { *bad = j; return -1; }
    if (!is_term(cp)) { prev = cp; j += (size_t)k; continue; }
    size_t t = j, f = j;
    int run = 0;
    while (f < n && (k = dec(s, n, f, &cp)) > 0 && is_term(cp)) { f += (size_t)k; run++; }
    size_t closers = f;
    while (f < n && (k = dec(s, n, f, &cp)) > 0 && is_closer(cp)) f += (size_t)k;
    int single_dot = run == 1 && (s[t] == '.' || (f - t >= 3 && s[t] == 0xEF && s[t + 1] == 0xBC && s[t + 2] == 0x8E));
    int brk = 0;
    if (f >= n || space_at(s, n, f) > 0) brk = 1;
    else if (single_dot && closers == f && (prev == 0xB2E4 || prev == 0xC694 || prev == 0xC8E0 || prev == 0xAE4C)) {
      uint32_t nx;
      if (dec(s, n, f, &nx) > 0 && IS_SYLLABLE(nx)) brk = 1;   /* 다.그 */
    }
    if (brk && single_dot && (is_digit_cp(prev) || abbrev_before(s, start, t))) brk = 0;
    if (brk) { end = f; j = f; break; }
    prev = '.';
    j = f;
  }
  /* trailing space before a line break or the end */
  while (end > start) {
    size_t p = char_before(s, end, &cp);
    if (p == end || !isspace_cp(cp)) break;
    end = p;
  }
  *b = start;
  *e = end;
  *next = j < n ? j : n;
  if (*next == *b) *next = *b + 1;    /* never stand still */
  return 1;
}

static int sentences_iter(lua_State *L)
{
  size_t n, b, e, next, bad = 0;
  const uchar *s = checktext(L, lua_upvalueindex(1), &n);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  int r = sentence_next(s, n, i, &b, &e, &next, &bad, 0);
  if (r < 0) return raise_invalid(L, bad);
  if (r == 0) return 0;
  lua_pushinteger(L, (lua_Integer)next);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlstring(L, (const char *)s + b, e - b);
  lua_pushinteger(L, (lua_Integer)b + 1);
  return 2;
}

/* text.sentences(s) -> iterator of sentence, position   (Korean-aware; see above;
 * raises on invalid UTF-8)
 * text.sentences(s, "count") -> n   (how many the iterator gives, no string made) */
static int text_sentences(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  if (!lua_isnoneornil(L, 2)) {
    luaL_argcheck(L, lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "count") == 0, 2,
                  "\"count\" or none");
    size_t i = 0, b, e, next, bad = 0;
    lua_Integer count = 0;
    int valid = gisa_utf8_validate(s, n, NULL) == n;   /* (else decoded char by char, to the bad byte) */
    for (;;) {
      int r = sentence_next(s, n, i, &b, &e, &next, &bad, valid);
      if (r < 0) return raise_invalid(L, bad);
      if (r == 0) break;
      count++;
      i = next;
    }
    lua_pushinteger(L, count);
    return 1;
  }
  return push_text_iter(L, sentences_iter);
}

/* ---- Words ---------------------------------------------------------------------
 * A word is a run of letters (any script, Hangul included), digits and combining
 * marks: AI연구원 and 3조원 are one word each. Inside a word these join what is
 * on both sides: "&" between letters (R&D, AT&T); a hyphen between letters or
 * digits, unless both sides are Hangul (GPT-4, K-pop, COVID-19; 서울-부산 is
 * two words); "." between digits (3.5, 1.2.3); "," between digits when exactly
 * three digits follow (1,000); an apostrophe between Latin letters (don't). */

enum { W_NONE, W_LETTER, W_DIGIT, W_MARK };

static const uchar ascii_word[128] = {
  ['0'] = W_DIGIT, ['1'] = W_DIGIT, ['2'] = W_DIGIT, ['3'] = W_DIGIT, ['4'] = W_DIGIT,
  ['5'] = W_DIGIT, ['6'] = W_DIGIT, ['7'] = W_DIGIT, ['8'] = W_DIGIT, ['9'] = W_DIGIT,
#define L2(a) [a] = W_LETTER, [a + 32] = W_LETTER
  L2('A'), L2('B'), L2('C'), L2('D'), L2('E'), L2('F'), L2('G'), L2('H'), L2('I'), L2('J'),
  L2('K'), L2('L'), L2('M'), L2('N'), L2('O'), L2('P'), L2('Q'), L2('R'), L2('S'), L2('T'),
  L2('U'), L2('V'), L2('W'), L2('X'), L2('Y'), L2('Z'),
#undef L2
};

static int word_class(uint32_t c)
{
  if (c < 0x80) return ascii_word[c];
  if (IS_SYLLABLE(c)) return W_LETTER;
  switch (utf8proc_category((utf8proc_int32_t)c)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    return W_LETTER;
  case UTF8PROC_CATEGORY_ND:
    return W_DIGIT;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    return W_MARK;
  default:
    return W_NONE;
  }
}

/* Decode at i with its word class; class W_NONE also at the end or on bad bytes. */
static inline int wdec(const uchar *s, size_t n, size_t i, uint32_t *cp, int *k)
{
  if (i >= n) { *k = 0; *cp = 0; return W_NONE; }
  uchar c = s[i];
  if (c < 0x80) { *k = 1; *cp = c; return ascii_word[c]; }
  uint32_t x = syllable_at(s, n, i);
  if (x) { *k = 3; *cp = x; return W_LETTER; }
  *k = gisa_utf8_decode(s + i, n - i, cp);
  if (*k == 0) return W_NONE;
  return word_class(*cp);
}

static inline int is_joiner(uint32_t c)
{
  return c == '&' || c == '-' || c == '.' || c == ',' || c == '\'' || c == 0x2010 || c == 0x2011
      || c == 0x2019;
}

/* Whether the joiner j between prev (class pc) and next (class nc, at s[q]) joins. */
static int joins(uint32_t j, uint32_t prev, int pc, uint32_t next, int nc, const uchar *s,
                 size_t n, size_t q)
{
  switch (j) {
  case '&':
    return pc == W_LETTER && nc == W_LETTER;
  case '-': case 0x2010: case 0x2011:
    return pc != W_NONE && nc != W_NONE && nc != W_MARK && !(is_hangul(prev) && is_hangul(next));
  case '.':
    return pc == W_DIGIT && nc == W_DIGIT;
  case ',':
    return pc == W_DIGIT && q + 3 <= n && IS_ADIGIT(s[q]) && IS_ADIGIT(s[q + 1]) && IS_ADIGIT(s[q + 2])
        && (q + 3 == n || !IS_ADIGIT(s[q + 3]));
  case '\'': case 0x2019:
    return is_ascii_letter(prev) && is_ascii_letter(next);
  default:
    return 0;
  }
}

/* The next word at or after i: [*b, *e). Returns 0 at the end, -1 with *bad. */
static inline int word_next(const uchar *s, size_t n, size_t i, size_t *b, size_t *e, size_t *bad)
{
  uint32_t cp, prev = 0;
  int k, cls, pc = W_NONE;
  for (;;) {                   /* skip to a word character */
    if (i >= n) return 0;
    if (s[i] < 0x80) {
      if (ascii_word[s[i]]) break;
      i++;
      continue;
    }
    if (syllable_at(s, n, i)) break;
    cls = wdec(s, n, i, &cp, &k);
    if (k == 0) { *bad = i; return -1; }
    if (cls != W_NONE) break;
    i += (size_t)k;
  }
  *b = i;
  for (;;) {
    while (i < n) {            /* the common runs: ASCII letters and digits, syllables */
      uchar c = s[i];
      if (c < 0x80) {
        if (!ascii_word[c]) break;
        prev = c;
        pc = ascii_word[c];
        i++;
      } else {
        uint32_t x = syllable_at(s, n, i);
        if (!x) break;
        prev = x;
        pc = W_LETTER;
        i += 3;
      }
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      cp = s[i];                 /* not a word character, or the run would go on */
      k = 1;
    } else {
      cls = wdec(s, n, i, &cp, &k);
      if (k == 0) { *bad = i; return -1; }
      if (cls != W_NONE) {
        if (cls != W_MARK) { prev = cp; pc = cls; }
        i += (size_t)k;
        continue;
      }
    }
    /* a joiner between two word characters? */
    if (!is_joiner(cp)) break;
    uint32_t nx;
    int nk, nc = wdec(s, n, i + (size_t)k, &nx, &nk);
    if (nc == W_NONE || !joins(cp, prev, pc, nx, nc, s, n, i + (size_t)k)) break;
    i += (size_t)k;
  }
  *e = i;
  return 1;
}

static int words_iter(lua_State *L)
{
  size_t n, b, e, bad = 0;
  const uchar *s = checktext(L, lua_upvalueindex(1), &n);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  int r = word_next(s, n, i, &b, &e, &bad);
  if (r < 0) return raise_invalid(L, bad);
  if (r == 0) return 0;
  lua_pushinteger(L, (lua_Integer)e);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlstring(L, (const char *)s + b, e - b);
  lua_pushinteger(L, (lua_Integer)b + 1);
  return 2;
}

/* Word counts: open addressing over spans of the text, in a userdata, so that
 * a Lua string is made once per distinct word rather than once per word. */
typedef struct WEnt {
  uint64_t span;       /* offset << 24 | length: 16 bytes an entry keeps the table small */
  uint32_t h, count;   /* the high half of the hash; 0 count: an empty slot */
} WEnt;
#define WLEN_MAX ((1u << 24) - 1)
#define WOFF(e) ((size_t)((e)->span >> 24))
#define WLEN(e) ((size_t)((e)->span & WLEN_MAX))

static uint64_t hash_bytes(const uchar *p, size_t n)
{
  uint64_t h = gisa_word_fold(p, n);
  h *= 0xBF58476D1CE4E5B9ull;     /* a last round so that the low bits are mixed too */
  return h ^ (h >> 32);
}

/* a[0..n) == b[0..n), both inside the text, with whole loads and no call */
static inline int span_eq(const uchar *a, const uchar *b, size_t n)
{
  uint64_t x, y;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      memcpy(&x, a + i, 8);
      memcpy(&y, b + i, 8);
      if (x != y) return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    uint32_t p, q, r, t;
    memcpy(&p, a, 4); memcpy(&q, b, 4);
    memcpy(&r, a + n - 4, 4); memcpy(&t, b + n - 4, 4);
    return p == q && r == t;
  }
  for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return 0;
  return 1;
}

/* the table of word counts and what it needs to grow */
typedef struct WTab {
  lua_State *L;
  const uchar *s;
  WEnt *tab;
  size_t cap, used;
  int slot;
  int t;               /* stack index of the counts table (or of the long words') */
  struct WCache *cache;
  size_t wbytes;       /* the distinct words' bytes and varint lengths (pack's size) */
} WTab;

/* A table kept between calls (the upvalue of words and measure), all zero while
 * no call holds it, so that a call starts without making and clearing one. Its
 * entries are the user value of the WCache. DIRTY: a call ended by an error may
 * have left entries (cleared by the next); BUSY: held (a finalizer that counts
 * words during a count makes its own). */
typedef struct WCache {
  WEnt *tab;
  size_t cap;
  int busy, dirty;
} WCache;

static void wtab_grow(WTab *w)
{
  size_t ncap = w->cap * 2;
  WEnt *nt = lua_newuserdatauv(w->L, ncap * sizeof *nt, 0);
  memset(nt, 0, ncap * sizeof *nt);
  for (size_t k = 0; k < w->cap; k++) {
    if (!w->tab[k].count) continue;
    size_t a = w->tab[k].h & (ncap - 1);
    while (nt[a].count) a = (a + 1) & (ncap - 1);
    nt[a] = w->tab[k];
  }
  if (w->cache && w->tab == w->cache->tab)   /* the cache's part used, clear again */
    memset(w->tab, 0, w->cap * sizeof *w->tab);
  lua_replace(w->L, w->slot);
  w->tab = nt;
  w->cap = ncap;
}

/* A word too long for an entry goes straight into the counts table (index t). */
static void wtab_add_long(WTab *w, size_t b, size_t len)
{
  lua_pushlstring(w->L, (const char *)w->s + b, len);
  lua_pushvalue(w->L, -1);
  lua_rawget(w->L, w->t);
  int isnum;
  lua_Integer have = lua_tointegerx(w->L, -1, &isnum);
  if (!isnum && !lua_isnil(w->L, -1)) {
    if (w->cache) w->cache->busy = 0;
    luaL_error(w->L, "counts table holds a %s for a word", luaL_typename(w->L, -1));
  }
  lua_pop(w->L, 1);
  lua_pushinteger(w->L, have + 1);
  lua_rawset(w->L, w->t);
}

/* One more occurrence of the word s[b..b+len). */
static inline void wtab_add(WTab *w, size_t b, size_t len)
{
  const uchar *s = w->s;
  if (len > WLEN_MAX || b > (SIZE_MAX >> 24)) { wtab_add_long(w, b, len); return; }
  uint32_t h = (uint32_t)(hash_bytes(s + b, len) >> 32);
  size_t mask = w->cap - 1, at = h & mask;
  WEnt *tab = w->tab;
  while (tab[at].count && !(tab[at].h == h && WLEN(&tab[at]) == len && span_eq(s + WOFF(&tab[at]), s + b, len)))
    at = (at + 1) & mask;
  if (tab[at].count) { tab[at].count++; return; }
  tab[at] = (WEnt){ (uint64_t)b << 24 | len, h, 1 };
  w->wbytes += len + (len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : 4);
  if (++w->used * 2 > w->cap) wtab_grow(w);
}

#ifdef GISA_UTF8_SIMD
/* Bit k set when byte k of the 64 valid bytes at s is part of a simple word
 * (ASCII letters and digits, Hangul syllables U+AC00..U+D77F). *simple tells
 * whether every other byte is a separator no rule joins across: ASCII other than
 * letters and digits (& - . , ' only when not between two word bytes), and the
 * common Korean punctuation ‘ ’ “ ” … · (’ only when not between Latin letters).
 * Reads s[-1] when `before`, and up to s[66]. */
static inline uint64_t word_bits(const uchar *s, int before, int *simple)
{
#define K(c) _mm_set1_epi8((char)(c))
#define LE(v, k) _mm_cmpeq_epi8(_mm_max_epu8((v), K(k)), K(k))
#define EQ(v, c) _mm_cmpeq_epi8((v), K(c))
#define BITS(m) ((uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * q))
  uint64_t word = 0, ascii = 0, alnum = 0, letter = 0, join = 0, p3 = 0, p2 = 0, apos = 0;
  for (int q = 0; q < 4; q++) {
    const uchar *b = s + 16 * q;
    const __m128i x = _mm_loadu_si128((const __m128i *)b);
    const __m128i x1 = _mm_loadu_si128((const __m128i *)(b + 1));
    const __m128i x2 = _mm_loadu_si128((const __m128i *)(b + 2));
    __m128i let = LE(_mm_sub_epi8(_mm_or_si128(x, K(0x20)), K('a')), 25);
    __m128i an = _mm_or_si128(LE(_mm_sub_epi8(x, K('0')), 9), let);
    __m128i syl = _mm_or_si128(_mm_or_si128(EQ(x, 0xEB), EQ(x, 0xEC)),
        _mm_or_si128(_mm_andnot_si128(LE(x1, 0xAF), EQ(x, 0xEA)), _mm_and_si128(LE(x1, 0x9D), EQ(x, 0xED))));
    __m128i e280 = _mm_and_si128(EQ(x, 0xE2), EQ(x1, 0x80));
    __m128i q3 = _mm_and_si128(e280, _mm_or_si128(_mm_or_si128(EQ(x2, 0x98), EQ(x2, 0x9C)),
                                                 _mm_or_si128(EQ(x2, 0x9D), EQ(x2, 0xA6))));
    word |= BITS(_mm_or_si128(_mm_or_si128(an, syl), LE(_mm_sub_epi8(x, K(0x80)), 0x3F)));
    ascii |= BITS(_mm_cmpgt_epi8(x, K(-1)));
    alnum |= BITS(an);
    letter |= BITS(let);
    join |= BITS(_mm_or_si128(_mm_or_si128(EQ(x, '&'), EQ(x, '-')),
                              _mm_or_si128(_mm_or_si128(EQ(x, '.'), EQ(x, ',')), EQ(x, '\''))));
    p3 |= BITS(q3);
    apos |= BITS(_mm_and_si128(e280, EQ(x2, 0x99)));
    p2 |= BITS(_mm_and_si128(EQ(x, 0xC2), EQ(x1, 0xB7)));
  }
#undef K
#undef LE
#undef EQ
#undef BITS
  /* punctuation whose bytes would run into the next chunk: not simple */
  if ((p3 | apos) >> 61 || p2 >> 63) { *simple = 0; return 0; }
  uint64_t punct = p3 | p3 << 1 | p3 << 2 | p2 | p2 << 1 | apos | apos << 1 | apos << 2;
  word &= ~punct;                         /* their continuation bytes are not word */
  uint64_t lb = before && (s[-1] >= 0x80 || (ascii_word[s[-1]] != W_NONE));
  uint64_t la = s[64] >= 0x80 || ascii_word[s[64]] != W_NONE;
  uint64_t wprev = word << 1 | lb, wnext = word >> 1 | la << 63;
  uint64_t lprev = letter << 1 | (before && is_ascii_letter(s[-1]));
  if ((join & wprev & wnext) || (apos & lprev & (letter >> 3))) { *simple = 0; return 0; }
  uint64_t sep = (ascii & ~alnum) | punct;
  *simple = (word | sep) == ~(uint64_t)0;
  return word;
}

/* Count the words of simple 64-byte chunks from s[i] (not inside a word); a word
 * that may go on past a chunk is left for the next. Returns where it stopped. */
static size_t words_chunks(WTab *w, size_t i, size_t n, lua_Integer *total)
{
  const uchar *s = w->s;
  while (i + 67 <= n) {
    int simple;
    uint64_t wb = word_bits(s + i, i > 0, &simple);
    if (!simple) break;
    uint64_t starts = wb & ~(wb << 1), ends = wb & ~(wb >> 1);
    size_t next = i + 64;
    if (wb >> 63) {              /* the last word may go on: leave it */
      int a = 63 - __builtin_clzll(starts);
      starts &= ~((uint64_t)1 << a);
      ends &= ~((uint64_t)1 << 63);
      next = i + (size_t)a;
    }
    while (starts) {
      int a = __builtin_ctzll(starts), b = __builtin_ctzll(ends) + 1;
      starts &= starts - 1;
      ends &= ends - 1;
      wtab_add(w, i + (size_t)a, (size_t)(b - a));
      (*total)++;
    }
    if (next == i) break;        /* a word of 64 bytes or more: the slow way */
    i = next;
  }
  return i;
}
#endif

/* varints (7 bits a byte, low first): their size, and one written at p */
static size_t varint_size(uint64_t v)
{
  size_t n = 1;
  while (v >= 0x80) { v >>= 7; n++; }
  return n;
}

static uchar *put_varint(uchar *p, uint64_t v)
{
  while (v >= 0x80) { *p++ = (uchar)(v | 0x80); v >>= 7; }
  *p++ = (uchar)v;
  return p;
}

/* Count the words of s[0..n) into the table at stack index t (PACK: t holds
 * the words too long for the hash table, and the result is the packed string).
 * VALID: s is known to be valid UTF-8. CACHE (or NULL): the table to count in.
 * Pushes the counts (t) or the packed string, and the total: returns 2. */
static int count_words(lua_State *L, const uchar *s, size_t n, int t, int pack, int valid, WCache *cache)
{
  size_t i = 0, b, e, bad = 0;
  lua_Integer total = 0;
  WTab w = { L, s, NULL, 1024, 0, 0, t, NULL, 0 };
  if (cache && !cache->busy) {
    if (cache->dirty) memset(cache->tab, 0, cache->cap * sizeof *cache->tab);
    cache->busy = cache->dirty = 1;
    w.cache = cache;
    w.tab = cache->tab;
    lua_pushnil(L);              /* the slot of a grown table */
  } else {
    w.tab = lua_newuserdatauv(L, w.cap * sizeof *w.tab, 0);
    memset(w.tab, 0, w.cap * sizeof *w.tab);
  }
  w.slot = lua_gettop(L);
  int r;
#ifdef GISA_UTF8_SIMD
  /* valid text lets whole chunks be read blind; the first bad byte is where the
   * iterator would have stopped too */
  if (!valid) {
    size_t v = gisa_utf8_validate(s, n, NULL);
    if (v != n) { if (w.cache) w.cache->busy = 0; return raise_invalid(L, v); }
  }
  size_t stop = 0;
#else
  (void)valid;
#endif
  for (;;) {
#ifdef GISA_UTF8_SIMD
    if (i >= stop) {
      size_t j = words_chunks(&w, i, n, &total);
      if (j == i) stop = i + 64;   /* one chunk the slow way, then try again */
      i = j;
    }
#endif
    if ((r = word_next(s, n, i, &b, &e, &bad)) <= 0) break;
    wtab_add(&w, b, e - b);
    total++;
    i = e;
  }
  if (r < 0) { if (w.cache) w.cache->busy = 0; return raise_invalid(L, bad); }
  WEnt *tab = w.tab;
  if (pack) {                    /* each distinct word: varint length, bytes, varint count */
    size_t need = w.wbytes + w.used * varint_size((uint64_t)total);
    lua_pushnil(L);              /* words too long for the table went to table t */
    while (lua_next(L, t)) {
      size_t len;
      lua_tolstring(L, -2, &len);
      need += varint_size(len) + len + varint_size((uint64_t)lua_tointeger(L, -1));
      lua_pop(L, 1);
    }
    luaL_Buffer lb;
    uchar *p = (uchar *)luaL_buffinitsize(L, &lb, need), *p0 = p;
    for (size_t k = 0; k < w.cap; k++) {
      if (!tab[k].count) continue;
      p = put_varint(p, WLEN(&tab[k]));
      memcpy(p, s + WOFF(&tab[k]), WLEN(&tab[k]));
      p = put_varint(p + WLEN(&tab[k]), tab[k].count);
      tab[k].count = 0;          /* (cleared for the next call) */
    }
    lua_pushnil(L);
    while (lua_next(L, t)) {
      size_t len;
      const char *word = lua_tolstring(L, -2, &len);
      p = put_varint(p, len);
      memcpy(p, word, len);
      p = put_varint(p + len, (uint64_t)lua_tointeger(L, -1));
      lua_pop(L, 1);
    }
    luaL_pushresultsize(&lb, (size_t)(p - p0));
  } else {
    for (size_t k = 0; k < w.cap; k++) {
      if (!tab[k].count) continue;
      lua_Integer c = tab[k].count;
      tab[k].count = 0;
      lua_pushlstring(L, (const char *)s + WOFF(&tab[k]), WLEN(&tab[k]));
      lua_pushvalue(L, -1);
      lua_rawget(L, t);
      int isnum;
      lua_Integer have = lua_tointegerx(L, -1, &isnum);
      if (!isnum && !lua_isnil(L, -1)) {
        if (w.cache) w.cache->busy = 0;
        return luaL_error(L, "counts table holds a %s for '%s'", luaL_typename(L, -1), lua_tostring(L, -2));
      }
      lua_pop(L, 1);
      lua_pushinteger(L, have + c);
      lua_rawset(L, t);
    }
    lua_pushvalue(L, t);
  }
  if (w.cache) {
    WCache *c = w.cache;
    if (tab != c->tab && w.cap > c->cap) {   /* grown past the cache: the bigger one kept */
      lua_pushvalue(L, w.slot);
      lua_setiuservalue(L, lua_upvalueindex(1), 1);
      c->tab = tab;
      c->cap = w.cap;
    }
    c->busy = c->dirty = 0;
  }
  lua_pushinteger(L, total);
  return 2;
}

/* text.words(s) -> iterator of word, position   (raises on invalid UTF-8)
 * text.words(s, counts) -> counts, total   (adds each word's count to the table)
 * text.words(s, "pack") -> packed, total   (each distinct word once, in no set order:
 *   varint length, its bytes, varint count; varints 7 bits a byte, low first) */
static int text_words(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  if (lua_type(L, 2) == LUA_TSTRING) {
    if (strcmp(lua_tostring(L, 2), "pack") != 0) return luaL_argerror(L, 2, "a table or \"pack\"");
    lua_settop(L, 1);
    lua_newtable(L);             /* 2: the rare word too long for the table (wtab_add_long) */
    return count_words(L, s, n, 2, 1, 0, lua_touserdata(L, lua_upvalueindex(1)));
  }
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    return count_words(L, s, n, 2, 0, 0, lua_touserdata(L, lua_upvalueindex(1)));
  }
  return push_text_iter(L, words_iter);
}

/* ---- Links and measures --------------------------------------------------------
 * strip_links blanks web and e-mail addresses (one space for each), so that they
 * count as no words: https, www, example, kr would top every word list. Byte rules,
 * ASCII classes as Lua's patterns have them (C locale), applied in this order:
 *   1. a URL: a letter, then letters, digits, + . - up to "://", then every byte
 *      up to white space or one of " ' < > ( ) [ ];
 *   2. www. then letters, digits or - (one or more), then ".", then as 1.;
 *   3. an e-mail address: letters, digits or . _ % + - (one or more) before "@",
 *      then letters, digits or - (one or more), ".", and letters, digits, . or -
 *      up to the last letter or digit.
 * Each is what s:gsub(PATTERN, " ") gives; in 1. and 3. the pattern is tried only
 * at the run of its first class just before each "://" or "@" (after the end of
 * the last address blanked). measure counts what gisa.analysis's counters count,
 * for the parts of an article, in one pass a part. */

static inline int is_alnum_b(uchar c) { return c < 0x80 && (IS_ADIGIT(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')); }
static inline int is_alpha_b(uchar c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* the bytes an address's tail stops at: C's isspace and " ' < > ( ) [ ] */
static inline int link_stop(uchar c)
{
  switch (c) {
  case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
  case '"': case '\'': case '<': case '>': case '(': case ')': case '[': case ']':
    return 1;
  default:
    return 0;
  }
}

static size_t link_tail(const uchar *s, size_t n, size_t e)
{
  while (e < n && !link_stop(s[e])) e++;
  return e;
}

/* The first needle[0..m) in s[i..n), or NULL: memchr for its first byte (rare
 * in Korean text: ':' 'w') and a compare, cheaper than memmem for these. */
static const uchar *find_bytes(const uchar *s, size_t i, size_t n, const char *needle, size_t m)
{
  while (i + m <= n) {
    const uchar *f = memchr(s + i, needle[0], n - i - m + 1);
    if (!f) return NULL;
    if (memcmp(f + 1, needle + 1, m - 1) == 0) return f;
    i = (size_t)(f - s) + 1;
  }
  return NULL;
}

/* Step 1 (URLs) of s[0..n) into o. */
static void strip_urls(Out *o, const uchar *s, size_t n)
{
  size_t last = 0, i = 0;
  const uchar *f;
  while ((f = find_bytes(s, i, n, "://", 3))) {
    size_t at = (size_t)(f - s), p = at;
    while (p > last && (is_alnum_b(s[p - 1]) || s[p - 1] == '+' || s[p - 1] == '.' || s[p - 1] == '-')) p--;
    while (p < at && !is_alpha_b(s[p])) p++;
    if (p < at) {
      size_t e = link_tail(s, n, at + 3);
      out_add(o, s + last, p - last);
      out_byte(o, ' ');
      last = i = e;
    } else {
      i = at + 3;
    }
  }
  out_add(o, s + last, n - last);
}

/* Step 2 (www.) of s[0..n) into o. */
static void strip_www(Out *o, const uchar *s, size_t n)
{
  size_t last = 0, i = 0;
  const uchar *f;
  while ((f = find_bytes(s, i, n, "www.", 4))) {
    size_t at = (size_t)(f - s), j = at + 4, k = j;
    while (k < n && (is_alnum_b(s[k]) || s[k] == '-')) k++;
    if (k > j && k < n && s[k] == '.') {
      size_t e = link_tail(s, n, k + 1);
      out_add(o, s + last, at - last);
      out_byte(o, ' ');
      last = i = e;
    } else {
      i = at + 1;
    }
  }
  out_add(o, s + last, n - last);
}

static inline int is_mailchar(uchar c)
{
  return is_alnum_b(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Step 3 (e-mail addresses) of s[0..n) into o. */
static void strip_mails(Out *o, const uchar *s, size_t n)
{
  size_t last = 0, i = 0;
  const uchar *f;
  while (i < n && (f = memchr(s + i, '@', n - i))) {
    size_t at = (size_t)(f - s), p = at, e = 0;
    while (p > last && is_mailchar(s[p - 1])) p--;
    if (p < at) {
      size_t j = at + 1, k = j;
      while (k < n && (is_alnum_b(s[k]) || s[k] == '-')) k++;
      if (k > j && k < n && s[k] == '.') {
        size_t r = k + 1, q = r;
        while (q < n && (is_alnum_b(s[q]) || s[q] == '.' || s[q] == '-')) q++;
        while (q > r && !is_alnum_b(s[q - 1])) q--;
        if (q > r) e = q;
      }
    }
    if (e) {
      out_add(o, s + last, p - last);
      out_byte(o, ' ');
      last = i = e;
    } else {
      i = at + 1;
    }
  }
  out_add(o, s + last, n - last);
}

/* s[0..n) with its addresses blanked, appended to o; T1, T2: scratch. */
static void strip_links_into(Out *o, const uchar *s, size_t n, Out *t1, Out *t2)
{
  const uchar *cur = s;
  size_t cn = n;
  for (int step = 0; step < 3; step++) {
    int has = step == 0 ? find_bytes(cur, 0, cn, "://", 3) != NULL
            : step == 1 ? find_bytes(cur, 0, cn, "www.", 4) != NULL
            : cn > 0 && memchr(cur, '@', cn) != NULL;
    if (!has) continue;
    Out *to = cur == (const uchar *)t1->p ? t2 : t1;
    to->n = 0;
    if (step == 0) strip_urls(to, cur, cn);
    else if (step == 1) strip_www(to, cur, cn);
    else strip_mails(to, cur, cn);
    cur = (const uchar *)to->p, cn = to->n;
  }
  out_add(o, cur, cn);
}

/* text.strip_links(s) -> string   (web and e-mail addresses blanked; see above;
 * bytes, any text) */
static int text_strip_links(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  Out o, t1, t2;
  out_init(L, &t1, 64);
  out_init(L, &t2, 64);
  out_init(L, &o, n + 16);
  strip_links_into(&o, s, n, &t1, &t2);
  if (o.n == n) pushsame(L, 1, s, n);   /* (a blanked address is never one byte: n changes) */
  else out_push(&o);
  return 1;
}

/* ---- HTML escaping -------------------------------------------------------------
 * The five characters that are markup in HTML text and attribute values, each as
 * its entity; every other byte as it is (bytes: any text). A page writes most of
 * its text through this, and most text has none of the five: they are looked for
 * 16 bytes at a time, and such a string is returned as it is, not copied. */

static const char *const html_entity[256] = {
  ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

/* where the first of the five is in s[i..n), or n */
static size_t html_special(const uchar *s, size_t i, size_t n)
{
#ifdef GISA_UTF8_SIMD
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('&')), _mm_cmpeq_epi8(x, _mm_set1_epi8('<'))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')), _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\''))));
    int bits = _mm_movemask_epi8(m);
    if (bits) return i + (size_t)__builtin_ctz((unsigned)bits);
  }
#endif
  for (; i < n; i++) if (html_entity[s[i]]) return i;
  return n;
}

/* text.escape_html(s) -> string   (& < > " ' as &amp; &lt; &gt; &quot; &#39;;
 * s itself when it has none of them) */
static int text_escape_html(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  size_t i = html_special(s, 0, n);
  if (i == n) { pushsame(L, 1, s, n); return 1; }
  luaL_Buffer b;
  luaL_buffinitsize(L, &b, n + n / 8 + 16);
  size_t from = 0;
  while (i < n) {
    const char *e = html_entity[s[i]];
    luaL_addlstring(&b, (const char *)s + from, i - from);
    luaL_addstring(&b, e);
    from = i + 1;
    i = html_special(s, from, n);
  }
  luaL_addlstring(&b, (const char *)s + from, n - from);
  luaL_pushresult(&b);
  return 1;
}

/* What text.measure counts while it reads the parts. */
typedef struct Measure {
  Out words, t1, t2;
  lua_Integer count[CL_N], sentences, paragraphs, parts;
  size_t at;            /* where the part starts in the parts joined by blank lines */
} Measure;

/* One part of an article (at idx): classes counted, its text (addresses blanked)
 * added to the words' buffer after a blank line, its sentences counted when in
 * the body. Returns 0, or -1 with *bad on invalid UTF-8. */
static int measure_part(lua_State *L, Measure *m, int idx, int body, size_t *bad)
{
  size_t n;
  if (lua_type(L, idx) != LUA_TSTRING && !lua_isnumber(L, idx))
    return luaL_error(L, "a part of the article is a %s, not a string", luaL_typename(L, idx));
  const uchar *s = (const uchar *)lua_tolstring(L, idx, &n);
  size_t v = classes_add(s, n, m->count);
  if (v != n) { *bad = m->at + v; return -1; }
  if (m->parts++ > 0) out_add(&m->words, "\n\n", 2);
  strip_links_into(&m->words, s, n, &m->t1, &m->t2);
  if (body) {
    size_t i = 0, b, e, next, nb = 0;
    for (;;) {
      int r = sentence_next(s, n, i, &b, &e, &next, &nb, 1);
      if (r <= 0) break;
      m->sentences++;
      i = next;
    }
    m->paragraphs++;
  }
  m->at += n + 2;
  return 0;
}

/* The parts of the list at idx (nil: none), until the first nil, as ipairs. */
static int measure_list(lua_State *L, Measure *m, int idx, int body, size_t *bad)
{
  if (lua_isnil(L, idx)) return 0;
  luaL_checktype(L, idx, LUA_TTABLE);
  for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
    int r = measure_part(L, m, lua_gettop(L), body, bad);
    lua_pop(L, 1);
    if (r < 0) return r;
  }
  lua_pop(L, 1);
  return 0;
}

/* text.measure(title, subtitles, body [, counts | "pack"]) -> words, nwords, chars,
 *   hangul, hanja, latin, nonblank, sentences, paragraphs | nil, "invalid UTF-8", pos
 * An article's parts (title a string or nil; subtitles and body arrays of strings
 * or nil) in one pass each: chars and the classes of their characters (nonblank:
 * all but white space); words and nwords as text.words(s, counts | "pack") gives
 * them (a new table when none) for s = the parts joined by blank lines with
 * their addresses blanked (text.strip_links); sentences as text.sentences(p,
 * "count") gives them summed over the body's paragraphs; pos is in s before
 * addresses are blanked. */
static int text_measure(lua_State *L)
{
  int pack = 0;
  lua_settop(L, 4);
  if (lua_type(L, 4) == LUA_TSTRING) {
    if (strcmp(lua_tostring(L, 4), "pack") != 0) return luaL_argerror(L, 4, "a table or \"pack\"");
    pack = 1;
    lua_newtable(L);           /* the rare word too long for the table (wtab_add_long) */
    lua_replace(L, 4);
  } else if (lua_isnil(L, 4)) {
    lua_newtable(L);
    lua_replace(L, 4);
  } else {
    luaL_checktype(L, 4, LUA_TTABLE);
  }
  Measure m;
  memset(&m, 0, sizeof m);
  out_init(L, &m.t1, 64);
  out_init(L, &m.t2, 64);
  size_t guess = lua_type(L, 1) == LUA_TSTRING ? lua_rawlen(L, 1) : 0;
  out_init(L, &m.words, guess + 4096);
  size_t bad = 0;
  if (!lua_isnil(L, 1) && measure_part(L, &m, 1, 0, &bad) < 0) return push_invalid(L, bad);
  if (measure_list(L, &m, 2, 0, &bad) < 0 || measure_list(L, &m, 3, 1, &bad) < 0) return push_invalid(L, bad);
  count_words(L, (const uchar *)m.words.p, m.words.n, 4, pack, 1, lua_touserdata(L, lua_upvalueindex(1)));
  lua_Integer chars = 0;
  for (int k = 0; k < CL_N; k++) chars += m.count[k];
  lua_pushinteger(L, chars);
  lua_pushinteger(L, m.count[CL_HANGUL]);
  lua_pushinteger(L, m.count[CL_HANJA]);
  lua_pushinteger(L, m.count[CL_LATIN]);
  lua_pushinteger(L, chars - m.count[CL_SPACE]);
  lua_pushinteger(L, m.sentences);
  lua_pushinteger(L, m.paragraphs);
  return 9;
}

/* ---- N-grams ------------------------------------------------------------------ */

typedef struct Span { size_t off, len; } Span;
#define SPACE_UNIT ((size_t)-1)

/* Add the n-gram ending at ring slot `last` to the result table at index t. */
static void emit_gram(lua_State *L, const uchar *s, Span *ring, lua_Integer n, lua_Integer last,
                      const char *sep, lua_Integer *count, int t)
{
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (lua_Integer k = 0; k < n; k++) {
    Span *sp = &ring[(last + 1 + k) % n];
    if (k > 0) luaL_addstring(&b, sep);
    if (sp->off == SPACE_UNIT) luaL_addchar(&b, ' ');
    else luaL_addlstring(&b, (const char *)s + sp->off, sp->len);
  }
  luaL_pushresult(&b);
  lua_rawseti(L, t, ++*count);
}

/* text.ngrams(s, n [, unit = "word"]) -> array of strings | nil, "invalid UTF-8", pos
 * ("word": n consecutive words joined by " "; "char": n consecutive grapheme
 * clusters, each run of white space counting as one " ") */
static int text_ngrams(lua_State *L)
{
  static const char *const units[] = { "word", "char", NULL };
  size_t len, bad = 0;
  const uchar *s = checktext(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  int unit = luaL_checkoption(L, 3, "word", units);
  luaL_argcheck(L, n >= 1 && n <= 1 << 20, 2, "n out of range");
  lua_settop(L, 3);
  Span *ring = lua_newuserdatauv(L, (size_t)n * sizeof *ring, 0);
  lua_newtable(L);
  int t = lua_gettop(L);
  lua_Integer units_seen = 0, count = 0;
  size_t i = 0, b, e;
  if (unit == 0) {
    int r;
    while ((r = word_next(s, len, i, &b, &e, &bad)) > 0) {
      ring[units_seen % n] = (Span){ b, e - b };
      if (++units_seen >= n) emit_gram(L, s, ring, n, (units_seen - 1) % n, " ", &count, t);
      i = e;
    }
    if (r < 0) return push_invalid(L, bad);
  } else {
    utf8proc_int32_t state = 0;
    int pending = 0;
    while (i < len) {
      e = cluster_end(s, len, i, &state, &bad);
      if (e == 0) return push_invalid(L, bad);
      if (space_at(s, len, i) > 0) { pending = units_seen > 0; i = e; continue; }
      for (int pass = pending ? 0 : 1; pass < 2; pass++) {
        ring[units_seen % n] = pass == 0 ? (Span){ SPACE_UNIT, 1 } : (Span){ i, e - i };
        if (++units_seen >= n) emit_gram(L, s, ring, n, (units_seen - 1) % n, "", &count, t);
      }
      pending = 0;
      i = e;
    }
  }
  return 1;
}

/* ---- Mapped files ---------------------------------------------------------- */

static TextMap *checkmap(lua_State *L)
{
  return luaL_checkudata(L, 1, MAP_MT);
}

static void map_release(TextMap *m)
{
  if (!m->closed && m->mapped && m->n) munmap(m->p, m->n);
  m->closed = 1;
  m->p = NULL;
}

static void map_metatable(lua_State *L);

/* text.map(path) -> map | nil, message
 * (the file mapped read-only into memory; every gisa.text function that reads
 * text takes it in place of a string; m:string([i [, j]]) copies bytes out) */
static int text_map(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  TextMap *m = lua_newuserdatauv(L, sizeof *m, 0);
  m->p = NULL;
  m->n = 0;
  m->closed = 1;
  m->mapped = 1;
  map_metatable(L);
  lua_setmetatable(L, -2);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) goto fail;
  if (S_ISDIR(st.st_mode)) { errno = EISDIR; goto fail; }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: not a regular file (read it with gisa.sys.readfile)", path);
    return 2;
  }
  if (st.st_size > 0) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) goto fail;
    m->p = p;
    m->n = (size_t)st.st_size;
  }
  m->closed = 0;
  close(fd);
  return 1;
fail: {
    int e = errno;
    if (fd >= 0) close(fd);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(e));
    return 2;
  }
}

/* For C callers (the fuzz target; a module holding a buffer): push a map that
 * views p[0..n) without copying. The memory must outlive every use of the map. */
int gisa_text_pushview(lua_State *L, const void *p, size_t n);
int gisa_text_pushview(lua_State *L, const void *p, size_t n)
{
  TextMap *m = lua_newuserdatauv(L, sizeof *m, 0);
  m->p = (uchar *)p;
  m->n = n;
  m->closed = 0;
  m->mapped = 0;
  map_metatable(L);
  lua_setmetatable(L, -2);
  return 1;
}

/* m:string([i [, j]]) -> the bytes i..j as a string (string.sub positions) */
static int map_string(lua_State *L)
{
  size_t n;
  const uchar *s = checktext(L, 1, &n);
  lua_Integer i = posrelat(luaL_optinteger(L, 2, 1), n), j = posrelat(luaL_optinteger(L, 3, -1), n);
  if (i < 1) i = 1;
  if (j > (lua_Integer)n) j = (lua_Integer)n;
  if (i > j) lua_pushliteral(L, "");
  else lua_pushlstring(L, (const char *)s + i - 1, (size_t)(j - i + 1));
  return 1;
}

/* m:close()   (also __close and __gc; closing twice is harmless) */
static int map_close(lua_State *L)
{
  map_release(checkmap(L));
  return 0;
}

/* #m -> size in bytes */
static int map_len(lua_State *L)
{
  TextMap *m = checkmap(L);
  lua_pushinteger(L, (lua_Integer)m->n);
  return 1;
}

static int map_tostring(lua_State *L)
{
  TextMap *m = checkmap(L);
  if (m->closed) lua_pushliteral(L, "gisa.text.map (closed)");
  else lua_pushfstring(L, "gisa.text.map (%I bytes)", (LUAI_UACINT)m->n);
  return 1;
}

static const luaL_Reg map_methods[] = {
  {"string", map_string},
  {"close", map_close},
  {NULL, NULL}
};

static const luaL_Reg map_meta[] = {
  {"__gc", map_close},
  {"__close", map_close},
  {"__len", map_len},
  {"__tostring", map_tostring},
  {NULL, NULL}
};

/* Push the metatable of maps, made on first use. */
static void map_metatable(lua_State *L)
{
  if (luaL_newmetatable(L, MAP_MT)) {
    luaL_setfuncs(L, map_meta, 0);
    luaL_newlib(L, map_methods);
    lua_setfield(L, -2, "__index");
  }
}

/* ---- The module ---------------------------------------------------------------- */

static const luaL_Reg text_funcs[] = {
  {"len", text_len},
  {"sub", text_sub},
  {"offset", text_offset},
  {"codepoint", text_codepoint},
  {"char", text_char},
  {"codes", text_codes},
  {"chars", text_chars},
  {"valid", text_valid},
  {"clean", text_clean},
  {"normalize", text_normalize},
  {"is_normalized", text_is_normalized},
  {"lower", text_lower},
  {"upper", text_upper},
  {"fold", text_fold},
  {"equal_fold", text_equal_fold},
  {"width", text_width},
  {"truncate", text_truncate},
  {"pad", text_pad},
  {"graphemes", text_graphemes},
  {"category", text_category},
  {"classes", text_classes},
  {"trim", text_trim},
  {"squeeze", text_squeeze},
  {"lines", text_lines},
  {"pairs", text_pairs},
  {"paragraphs", text_paragraphs},
  {"sentences", text_sentences},
  {"words", NULL},                 /* (with the word table: luaopen_gisa_text) */
  {"strip_links", text_strip_links},
  {"escape_html", text_escape_html},
  {"measure", NULL},
  {"ngrams", text_ngrams},
  {"map", text_map},
  {NULL, NULL}
};

int luaopen_gisa_text(lua_State *L)
{
  map_metatable(L);
  lua_pop(L, 1);
  luaL_newlib(L, text_funcs);
  /* words and measure share a word table kept between calls (WCache) */
  WCache *c = lua_newuserdatauv(L, sizeof *c, 1);
  c->cap = 1024;
  c->tab = lua_newuserdatauv(L, c->cap * sizeof *c->tab, 0);
  memset(c->tab, 0, c->cap * sizeof *c->tab);
  c->busy = c->dirty = 0;
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, text_words, 1);
  lua_setfield(L, -3, "words");
  lua_pushcclosure(L, text_measure, 1);
  lua_setfield(L, -2, "measure");
  lua_pushstring(L, utf8proc_unicode_version());
  lua_setfield(L, -2, "unicode_version");
  return 1;
}
