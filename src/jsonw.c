/*
 * jsonw.c: gisa.jsonw, the JSON writer under gisa.json (encode, pretty, write).
 * A record is ~14 KB of JSON in fifty small tables, and writing it is on the
 * path of every extracted article, so this is one pass into a buffer that lives
 * as long as the module, strings scanned 16 bytes at a time, and (jsonw.write)
 * the finished text handed to the FILE* without becoming a Lua string. The
 * output is gisa.json's: keys in a given order, UTF-8 as is, "/" not escaped.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gisa.h"
#include "utf8.h"

#if defined(__SSE2__) && !defined(JSONW_PORTABLE)
#include <emmintrin.h>
#define JSONW_SSE2 1
#endif

#define MAX_DEPTH 200
#define RANK_SLOTS 256     /* the key -> rank cache (two ways a key); a record has ~20 distinct keys */
#define FLAT_MAX 72        /* pretty: a flat table stays on one line up to this many bytes */
#define NL_MAX 128         /* pretty: a line break and indentation written in one copy */

/* ------------------------------------------------------------------------
 * The output buffer and the key-rank cache: malloc'd, owned by a userdata (its
 * __gc frees it) that is an upvalue of the functions, so it is reused from
 * record to record and an error in the middle of a record leaks nothing.
 * ---------------------------------------------------------------------- */

#define QUOTED_MAX 30   /* keys up to this long, quotes included, are kept written */

typedef struct {
  const char *s;       /* a key string, alive during the call that cached it */
  unsigned gen;        /* the call it was cached in */
  unsigned char qlen;  /* length of q, 0 when the key is too long to keep */
  char q[QUOTED_MAX];  /* the key as JSON, with its quotes */
  lua_Integer rank;
} Slot;

/* A long string written once in a call, where its JSON text is in the buffer:
 * a record holds each paragraph twice (its block and body) or three times
 * (and qa), and copying the text costs less than escaping it again. */
#define REPEAT_SLOTS 64
typedef struct {
  const char *s;       /* the string, alive during the call (the value holds it) */
  size_t len;
  size_t at, n;        /* its JSON text: buffer offset and length */
  unsigned gen;
} Repeat;

typedef struct {
  char *p;
  size_t n, cap;
  unsigned gen;        /* bumped by each call: cached slots of older calls are void */
  Slot slot[RANK_SLOTS];
  Repeat repeat[REPEAT_SLOTS];
} Buf;

#define BUF "gisa.jsonw.Buf"

static int buf_gc(lua_State *L)
{
  Buf *b = (Buf *)luaL_checkudata(L, 1, BUF);
  free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
  return 0;
}

static char *buf_grow(lua_State *L, Buf *b, size_t more)
{
  size_t cap = b->cap ? b->cap : 16384;
  while (cap - b->n < more) {
    if (cap > ((size_t)-1) / 2) luaL_error(L, "JSON text too large");
    cap *= 2;
  }
  char *p = (char *)realloc(b->p, cap);
  if (!p) luaL_error(L, "not enough memory");
  b->p = p;
  b->cap = cap;
  return b->p + b->n;
}

/* Room for MORE bytes at the end of the buffer. */
static inline char *buf_room(lua_State *L, Buf *b, size_t more)
{
  if (b->cap - b->n < more) return buf_grow(L, b, more);
  return b->p + b->n;
}

static inline void buf_add(lua_State *L, Buf *b, const char *s, size_t len)
{
  memcpy(buf_room(L, b, len), s, len);
  b->n += len;
}

static inline void buf_char(lua_State *L, Buf *b, char c)
{
  *buf_room(L, b, 1) = c;
  b->n++;
}

/* A new call: take the buffer empty, void the rank cache of the last call. */
static Buf *buf_start(lua_State *L)
{
  Buf *b = (Buf *)lua_touserdata(L, lua_upvalueindex(1));
  b->n = 0;
  if (!b->p) buf_grow(L, b, 1);   /* never a NULL buffer, even for memcpy of 0 bytes */
  if (++b->gen == 0) {      /* wrapped: a slot of 2^32 calls ago must not look fresh */
    memset(b->slot, 0, sizeof b->slot);
    memset(b->repeat, 0, sizeof b->repeat);
    b->gen = 1;
  }
  return b;
}

/* A call is over: do not keep a buffer grown by one huge text. */
static void buf_done(Buf *b)
{
  if (b->cap > (1u << 22)) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
  }
}

/* ------------------------------------------------------------------------
 * Strings. Most bytes need no escape (Hangul is all >= 0x80), so the scanner
 * finds the next byte that does 16 at a time and the run before it is copied
 * whole. escape_mask16 gives bit i set when byte i of the 16 at P needs escaping.
 * ---------------------------------------------------------------------- */

/* What each byte becomes: 0 = itself, 'u' = \u00XX, else the letter after '\'. */
static const char escape_of[256] = {
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
  0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'u',
};

#ifdef JSONW_SSE2
static inline unsigned escape_mask16(const char *p)
{
  __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
  /* unsigned x <= 0x1f  <=>  min(x, 0x1f) == x */
  __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
  __m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  __m128i bs = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  __m128i del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, q), _mm_or_si128(bs, del)));
}
#else
static inline unsigned escape_mask16(const char *p)
{
  unsigned m = 0;
  for (int i = 0; i < 16; i++) m |= (unsigned)(escape_of[(unsigned char)p[i]] != 0) << i;
  return m;
}
#endif

static inline int lowest_bit(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctz(m);
#else
  int i = 0;
  while (!(m & 1u)) { m >>= 1; i++; }
  return i;
#endif
}

/* Room escape_to needs for LEN bytes: 6 per byte and the quotes. */
#define ESCAPED_ROOM(len) ((len) * 6 + 2)

/* Byte C escaped at O; returns the end. */
static inline char *escape_byte(char *o, unsigned char c)
{
  static const char hex[] = "0123456789abcdef";
  char e = escape_of[c];
  *o++ = '\\';
  if (e != 'u') { *o++ = e; return o; }
  *o++ = 'u'; *o++ = '0'; *o++ = '0';
  *o++ = hex[c >> 4]; *o++ = hex[c & 15];
  return o;
}

/* S as a JSON string with its quotes at O (ESCAPED_ROOM(len) bytes free);
 * returns the end. */
static char *escape_to(char *o, const char *s, size_t len)
{
  size_t i = 0;
  *o++ = '"';
  if (len < 16) {
    /* keys and short values: byte by byte (a padded copy for the scanner
     * costs more, a store-to-load forwarding stall) */
    for (; i < len; i++) {
      unsigned char c = (unsigned char)s[i];
      if (escape_of[c]) o = escape_byte(o, c);
      else *o++ = (char)c;
    }
    *o++ = '"';
    return o;
  }
  while (i < len) {
    unsigned m;
    size_t run;
    /* two blocks a turn while neither needs an escape: one branch for 32 bytes */
    while (len - i >= 32 && !(escape_mask16(s + i) | escape_mask16(s + i + 16))) {
      memcpy(o, s + i, 32);
      o += 32; i += 32;
    }
    if (len - i >= 16) {
      m = escape_mask16(s + i);
      if (!m) {
        memcpy(o, s + i, 16);
        o += 16; i += 16;
        continue;
      }
      run = (size_t)lowest_bit(m);
    } else {
      /* the tail: the last 16 bytes of S, those already done shifted out */
      size_t done = 16 - (len - i);
      m = escape_mask16(s + len - 16) >> done;
      run = m ? (size_t)lowest_bit(m) : len - i;
    }
    memcpy(o, s + i, run);
    o += run; i += run;
    if (i < len) o = escape_byte(o, (unsigned char)s[i++]);
  }
  *o++ = '"';
  return o;
}

static void add_string(lua_State *L, Buf *b, const char *s, size_t len)
{
  if (len > ((size_t)-1) / 6 - 2) luaL_error(L, "JSON text too large");
  char *o = buf_room(L, b, ESCAPED_ROOM(len));
  b->n = (size_t)(escape_to(o, s, len) - b->p);
}

/* A string value: one longer than REPEAT_MIN that this call wrote before is
 * copied from where it was written. Text once in the buffer stays (pretty's
 * one-line attempts, which take text back, write no string this long). */
#define REPEAT_MIN 80
static void add_string_value(lua_State *L, Buf *b, const char *s, size_t len)
{
  if (len < REPEAT_MIN) { add_string(L, b, s, len); return; }
  Repeat *r = &b->repeat[((uintptr_t)s >> 4) & (REPEAT_SLOTS - 1)];
  if (r->gen == b->gen && r->s == s && r->len == len) {
    char *o = buf_room(L, b, r->n);
    memcpy(o, b->p + r->at, r->n);
    b->n += r->n;
    return;
  }
  size_t at = b->n;
  add_string(L, b, s, len);
  r->s = s;
  r->len = len;
  r->at = at;
  r->n = b->n - at;
  r->gen = b->gen;
}

/* ------------------------------------------------------------------------
 * Numbers: integers (and floats with an integral value) by hand, other floats
 * as the shortest of %.15g, %.16g, %.17g that reads back as the same double
 * (full precision, as docs/analysis.md promises; no noise digits).
 * ---------------------------------------------------------------------- */

static char *put_int(char *o, long long v)
{
  char tmp[24];
  int n = 0;
  unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) *o++ = '-';
  while (n) *o++ = tmp[--n];
  return o;
}

static void add_number(lua_State *L, Buf *b, int i)
{
  char *o = buf_room(L, b, 64);
  if (lua_isinteger(L, i)) {
    o = put_int(o, (long long)lua_tointeger(L, i));
  } else {
    lua_Number v = lua_tonumber(L, i);
    if (isnan(v) || isinf(v)) { memcpy(o, "null", 4); o += 4; }
    else if (v == floor(v) && v > -9007199254740992.0 && v < 9007199254740992.0)
      o = put_int(o, (long long)v);
    else {
      int n = 0;
      for (int p = 15; p <= 17; p++) {
        n = snprintf(o, 64, "%.*g", p, (double)v);
        if (p == 17 || strtod(o, NULL) == (double)v) break;
      }
      o += n;
    }
  }
  b->n = (size_t)(o - b->p);
}

/* ------------------------------------------------------------------------
 * Tables. An object's string keys and values are left on the stack by one
 * lua_next pass (no second lookup per key), ranked keys first (json.first,
 * through a per-call cache of key -> rank), the rest by name.
 * ---------------------------------------------------------------------- */

typedef struct {
  lua_State *L;
  Buf *b;
  int rank;              /* stack index of the rank table: key -> position, or 0 */
  int pretty;            /* pretty-print, with indent and step below */
  const char *indent, *step;
  size_t indent_len, step_len;
  size_t nl_len;         /* nl: a line break, indent, then as many steps as fit */
  char nl[NL_MAX];
} W;

typedef struct {
  const char *s;
  size_t len;
  lua_Integer rank;      /* 0: not ranked (sorted by name after the ranked keys) */
  int v;                 /* stack index of the value */
  const Slot *slot;      /* its cache slot (another key's, if a later key took it) */
} Key;

#define SMALL_KEYS 16       /* on the C stack per level; records have at most 6 */

typedef struct {
  Key small[SMALL_KEYS];
  Key *k;
  size_t n, cap;
  int has_table;         /* some value (under any key) is a table */
} Keys;

static int key_cmp(const void *pa, const void *pb)
{
  const Key *a = (const Key *)pa, *b = (const Key *)pb;
  if (a->rank && b->rank) return a->rank < b->rank ? -1 : a->rank > b->rank;
  if (a->rank || b->rank) return a->rank ? -1 : 1;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* The cache slot of the key string S at stack index K: its rank (0 when
 * unranked) and its JSON text. Key strings stay alive for the whole call (the
 * value being written holds them), so within a call the address names the key. */
static const Slot *key_slot(W *w, int k, const char *s, size_t len)
{
  Buf *b = w->b;
  /* two places a key may be (its hash and the one beside it): keys that take
   * turns in a table (type, text, line of each block) do not evict each other */
  uintptr_t h = (uintptr_t)s >> 4;
  h = (h ^ (h >> 7)) & (RANK_SLOTS - 1);
  Slot *sl = &b->slot[h], *alt = &b->slot[h ^ 1];
  if (sl->gen == b->gen && sl->s == s) return sl;
  if (alt->gen == b->gen && alt->s == s) return alt;
  if (sl->gen == b->gen && alt->gen != b->gen) sl = alt;
  lua_Integer r = 0;
  if (w->rank) {
    lua_pushvalue(w->L, k);
    if (lua_rawget(w->L, w->rank) == LUA_TNUMBER) r = lua_tointeger(w->L, -1);
    lua_pop(w->L, 1);
  }
  sl->s = s;
  sl->gen = b->gen;
  sl->rank = r;
  sl->qlen = 0;
  if (len <= QUOTED_MAX - 2) {
    char tmp[ESCAPED_ROOM(QUOTED_MAX)];
    size_t q = (size_t)(escape_to(tmp, s, len) - tmp);
    if (q <= QUOTED_MAX) { memcpy(sl->q, tmp, q); sl->qlen = (unsigned char)q; }
  }
  return sl;
}

/* The string keys of the table at T, sorted, with their values left on the
 * stack (the caller resets the stack top when done with them). The first key
 * and value from lua_next are on the stack already (table_kind left them). */
static void gather(W *w, int t, Keys *ks)
{
  lua_State *L = w->L;
  ks->k = ks->small;
  ks->n = 0;
  ks->cap = SMALL_KEYS;
  ks->has_table = 0;
  int v = lua_gettop(L);     /* the value; its key below it (kept by hand: no lua_gettop a key) */
  do {
    if (w->pretty && lua_type(L, v) == LUA_TTABLE) ks->has_table = 1;
    if (lua_type(L, v - 1) != LUA_TSTRING) { lua_pop(L, 1); continue; }   /* only string keys are written */
    int next = v + 2;        /* where lua_next will put the next value */
    if (ks->n == ks->cap) {
      Key *more = (Key *)lua_newuserdatauv(L, 2 * ks->cap * sizeof(Key), 0);
      memcpy(more, ks->k, ks->n * sizeof(Key));
      ks->k = more;
      ks->cap *= 2;
      next++;
    }
    if ((ks->n & 15) == 0) luaL_checkstack(L, 40, "too many keys");   /* 2 slots a key */
    lua_pushvalue(L, v - 1);   /* the key again, for lua_next; key and value stay */
    Key *k = &ks->k[ks->n++];
    k->v = v;
    k->s = lua_tolstring(L, v - 1, &k->len);   /* alive: the table holds it */
    k->slot = key_slot(w, v - 1, k->s, k->len);
    k->rank = k->slot->rank;
    v = next;
  } while (lua_next(L, t));
  Key *a = ks->k;
  size_t n = ks->n;
  if (n > 16) qsort(a, n, sizeof(Key), key_cmp);
  else {
    for (size_t i = 1; i < n; i++) {
      Key x = a[i];
      size_t j = i;
      while (j > 0 && key_cmp(&a[j - 1], &x) > 0) { a[j] = a[j - 1]; j--; }
      a[j] = x;
    }
  }
}

/* 0: empty, 1: an array (it has [1] or its first key is a number), 2: an
 * object, its first key and value from lua_next left on the stack for gather. */
static int table_kind(lua_State *L, int t)
{
  if (lua_rawgeti(L, t, 1) != LUA_TNIL) { lua_pop(L, 1); return 1; }
  lua_pop(L, 1);
  lua_pushnil(L);
  if (!lua_next(L, t)) return 0;
  if (lua_type(L, -2) == LUA_TNUMBER) { lua_pop(L, 2); return 1; }
  return 2;
}

static void enter(W *w, int depth)
{
  if (depth > MAX_DEPTH) luaL_error(w->L, "cannot encode: tables nested too deep (a cycle?)");
  luaL_checkstack(w->L, 8, "tables nested too deep");
}

/* ------------------------------------------------------------------------
 * Compact: one line, no spaces.
 * ---------------------------------------------------------------------- */

static void add_table(W *w, int t, int depth, int order);

static void add_value(W *w, int i, int depth)
{
  lua_State *L = w->L;
  size_t len;
  const char *s;
  switch (lua_type(L, i)) {
  case LUA_TSTRING:
    s = lua_tolstring(L, i, &len);
    add_string_value(L, w->b, s, len);
    break;
  case LUA_TNUMBER: add_number(L, w->b, i); break;
  case LUA_TBOOLEAN:
    if (lua_toboolean(L, i)) buf_add(L, w->b, "true", 4);
    else buf_add(L, w->b, "false", 5);
    break;
  case LUA_TTABLE: add_table(w, i, depth + 1, 0); break;
  case LUA_TNIL: buf_add(L, w->b, "null", 4); break;
  case LUA_TLIGHTUSERDATA:
    if (lua_touserdata(L, i) == NULL) { buf_add(L, w->b, "null", 4); break; }  /* cjson.null */
    /* fall through */
  default:
    luaL_error(L, "cannot encode a %s as JSON", luaL_typename(L, i));
  }
}

/* "key" then SEP (":" or ": "). */
static void add_key(lua_State *L, Buf *b, const char *k, size_t klen, const char *sep, size_t seplen)
{
  add_string(L, b, k, klen);
  buf_add(L, b, sep, seplen);
}

/* A gathered key then SEP, from its cache slot when the slot is still its own. */
static void add_gathered_key(lua_State *L, Buf *b, const Key *k, const char *sep, size_t seplen)
{
  const Slot *sl = k->slot;
  if (sl->s != k->s || !sl->qlen) { add_key(L, b, k->s, k->len, sep, seplen); return; }
  char *o = buf_room(L, b, QUOTED_MAX + 2);
  memcpy(o, sl->q, QUOTED_MAX);
  memcpy(o + sl->qlen, sep, 2);
  b->n += sl->qlen + seplen;
}

/* The object at T with the keys in the list at ORDER (nil values written as null). */
static void add_ordered(W *w, int t, int order, int depth)
{
  lua_State *L = w->L;
  lua_Unsigned n = lua_rawlen(L, order);
  buf_char(L, w->b, '{');
  for (lua_Unsigned i = 1; i <= n; i++) {
    if (lua_rawgeti(L, order, (lua_Integer)i) != LUA_TSTRING) luaL_error(L, "order: key %d is not a string", (int)i);
    size_t klen;
    const char *k = lua_tolstring(L, -1, &klen);
    if (i > 1) buf_char(L, w->b, ',');
    add_key(L, w->b, k, klen, ":", 1);
    lua_rawget(L, t);
    add_value(w, lua_gettop(L), depth);
    lua_pop(L, 1);
  }
  buf_char(L, w->b, '}');
}

/* The table at T: [] when empty, an array, or an object (in ORDER when ORDER is not 0). */
static void add_table(W *w, int t, int depth, int order)
{
  lua_State *L = w->L;
  enter(w, depth);
  int base = lua_gettop(L);
  int kind = table_kind(L, t);
  /* with a key order, an empty table is an object of nulls, not [] */
  if (kind == 0 && !order) { buf_add(L, w->b, "[]", 2); return; }
  if (kind != 1) {
    if (order) { lua_settop(L, base); add_ordered(w, t, order, depth); return; }
    Keys ks;
    gather(w, t, &ks);
    buf_char(L, w->b, '{');
    for (size_t i = 0; i < ks.n; i++) {
      if (i) buf_char(L, w->b, ',');
      add_gathered_key(L, w->b, &ks.k[i], ":", 1);
      add_value(w, ks.k[i].v, depth);
    }
    buf_char(L, w->b, '}');
    lua_settop(L, base);
    return;
  }
  lua_Unsigned len = lua_rawlen(L, t);
  buf_char(L, w->b, '[');
  for (lua_Unsigned i = 1; i <= len; i++) {
    if (i > 1) buf_char(L, w->b, ',');
    lua_rawgeti(L, t, (lua_Integer)i);
    add_value(w, base + 1, depth + 1);
    lua_settop(L, base);
  }
  buf_char(L, w->b, ']');
}

/* ------------------------------------------------------------------------
 * Pretty: gisa.json.pretty's layout. Each member on its own line, indented by
 * `indent` and one `step` a level, except in tables whose values (under any
 * key) are all scalars and whose one-line form ({"a": 1, "b": 2}) fits in
 * FLAT_MAX bytes; a table with no member written still gets its empty line.
 * The top-level table given an order is never one line.
 * ---------------------------------------------------------------------- */

static void newline(W *w, int level)
{
  size_t need = 1 + w->indent_len + (size_t)level * w->step_len;
  if (need <= w->nl_len) {
    /* the usual case: one fixed-size copy of the prepared line start */
    char *o = buf_room(w->L, w->b, need < 32 ? 32 : need);
    if (need <= 32) memcpy(o, w->nl, 32);
    else memcpy(o, w->nl, need);
    w->b->n += need;
    return;
  }
  char *o = buf_room(w->L, w->b, need);
  *o++ = '\n';
  memcpy(o, w->indent, w->indent_len);
  o += w->indent_len;
  for (int i = 0; i < level; i++) { memcpy(o, w->step, w->step_len); o += w->step_len; }
  w->b->n += need;
}

static int array_has_table(lua_State *L, int t)
{
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_type(L, -1) == LUA_TTABLE) { lua_pop(L, 2); return 1; }
    lua_pop(L, 1);
  }
  return 0;
}

static void pretty_table(W *w, int t, int level, int order);

static void pretty_value(W *w, int i, int level)
{
  if (lua_type(w->L, i) == LUA_TTABLE) pretty_table(w, i, level, 0);
  else add_value(w, i, level);
}

/* Member I (from 0) of the table at T: an array element, an object member
 * from KS, or the member for key I+1 of the list at ORDER. */
static void pretty_member(W *w, int t, int kind, Keys *ks, int order, size_t i, int level)
{
  lua_State *L = w->L;
  if (kind == 1) {
    lua_rawgeti(L, t, (lua_Integer)i + 1);
    pretty_value(w, lua_gettop(L), level);
    lua_pop(L, 1);
  } else if (!order) {
    add_gathered_key(L, w->b, &ks->k[i], ": ", 2);
    pretty_value(w, ks->k[i].v, level);
  } else {
    if (lua_rawgeti(L, order, (lua_Integer)i + 1) != LUA_TSTRING) luaL_error(L, "order: key %d is not a string", (int)i + 1);
    size_t klen;
    const char *k = lua_tolstring(L, -1, &klen);
    add_key(L, w->b, k, klen, ": ", 2);
    lua_rawget(L, t);
    pretty_value(w, lua_gettop(L), level);
    lua_pop(L, 1);
  }
}

static void pretty_table(W *w, int t, int level, int order)
{
  lua_State *L = w->L;
  Buf *b = w->b;
  enter(w, level + 1);
  int base = lua_gettop(L), flat;
  int kind = table_kind(L, t);
  if (kind == 0 && !order) { buf_add(L, b, "[]", 2); return; }
  if (kind == 0) kind = 2;    /* with a key order, an empty table is an object of nulls */
  Keys ks;
  size_t n;
  if (kind == 1) {
    n = (size_t)lua_rawlen(L, t);
    flat = !order && !array_has_table(L, t);
  } else if (order) {
    lua_settop(L, base);
    n = (size_t)lua_rawlen(L, order);
    flat = 0;
  } else {
    gather(w, t, &ks);
    n = ks.n;
    flat = !ks.has_table;
  }
  char open = kind == 1 ? '[' : '{', close = kind == 1 ? ']' : '}';
  if (flat) {
    /* try the one-line form; give up as soon as it is too long, or before
     * writing a string that cannot fit (a paragraph is not escaped twice) */
    size_t mark = b->n;
    buf_char(L, b, open);
    size_t i;
    for (i = 0; i < n && b->n - mark <= FLAT_MAX; i++) {
      if (kind == 1) lua_rawgeti(L, t, (lua_Integer)i + 1);
      int v = kind == 1 ? lua_gettop(L) : ks.k[i].v;
      if (lua_type(L, v) == LUA_TSTRING && b->n - mark + lua_rawlen(L, v) > FLAT_MAX) break;
      if (i) buf_add(L, b, ", ", 2);
      if (kind == 2) add_gathered_key(L, b, &ks.k[i], ": ", 2);
      add_value(w, v, level + 1);
      if (kind == 1) lua_pop(L, 1);
    }
    if (i == n) buf_char(L, b, close);
    if (i == n && b->n - mark <= FLAT_MAX) { lua_settop(L, base); return; }
    lua_settop(L, kind == 1 ? base : lua_gettop(L));
    b->n = mark;
  }
  buf_char(L, b, open);
  for (size_t i = 0; i < n; i++) {
    if (i) buf_char(L, b, ',');
    newline(w, level + 1);
    pretty_member(w, t, kind, &ks, order, i, level + 1);
  }
  if (!n) newline(w, level + 1);
  newline(w, level);
  buf_char(L, b, close);
  lua_settop(L, base);
}

/* ------------------------------------------------------------------------
 * The functions. Arguments: v, order (the keys of a top-level object, nil
 * values written as null), rank (key -> position for other objects), and for
 * pretty text indent (before each line but the first) and step (a level).
 * ---------------------------------------------------------------------- */

/* Write the value at V into the buffer; ORDER, RANK, INDENT and STEP are the
 * stack indexes of those arguments. */
static void encode_at(lua_State *L, Buf *b, int v, int order, int rank, int indent, int step)
{
  if (!lua_isnil(L, order)) luaL_checktype(L, order, LUA_TTABLE);
  if (!lua_isnil(L, rank)) luaL_checktype(L, rank, LUA_TTABLE);
  W w;
  w.L = L;
  w.b = b;
  w.rank = lua_isnil(L, rank) ? 0 : rank;
  w.pretty = 0;
  w.indent = w.step = "";
  w.indent_len = w.step_len = w.nl_len = 0;
  if (!lua_isnil(L, step)) {
    w.pretty = 1;
    w.indent = luaL_optlstring(L, indent, "", &w.indent_len);
    w.step = luaL_checklstring(L, step, &w.step_len);
    memset(w.nl, 0, sizeof w.nl);
    if (w.indent_len < NL_MAX) {
      w.nl[0] = '\n';
      memcpy(w.nl + 1, w.indent, w.indent_len);
      w.nl_len = 1 + w.indent_len;
      while (w.step_len && w.nl_len + w.step_len <= NL_MAX) {
        memcpy(w.nl + w.nl_len, w.step, w.step_len);
        w.nl_len += w.step_len;
      }
    }
  }
  int o = lua_isnil(L, order) ? 0 : order;
  if (lua_type(L, v) != LUA_TTABLE) add_value(&w, v, 0);
  else if (w.pretty) pretty_table(&w, v, 0, o);
  else add_table(&w, v, 1, o);
}

/* jsonw.encode(v [, order [, rank [, indent, step]]]) -> string   (pretty when step is given) */
static int jsonw_encode(lua_State *L)
{
  luaL_checkany(L, 1);
  lua_settop(L, 5);
  Buf *b = buf_start(L);
  encode_at(L, b, 1, 2, 3, 4, 5);
  lua_pushlstring(L, b->p, b->n);
  buf_done(b);
  return 1;
}

/* A text this long goes past the FILE's buffer to its descriptor: stdio
 * keeps a buffer of the file's block size (4 KB) whatever setvbuf asks when
 * given no memory, so a 14 KB record took two or three write(2)s; this way it
 * takes one. What the FILE holds is written first, so the order stays. A
 * FILE given a buffer of BUFFER_MIN or more by jsonw.buffer takes every text
 * through it: one write(2) for many records, which to a file cost half the
 * time of one a record (20,000 records of 14 KB: 0.12 s against 0.055 s). */
#define DIRECT_MIN 8192
#define BUFFER_MIN (64 * 1024)

/* Write s[0..n) to F's descriptor after F's own buffer; 0 with errno set on failure. */
static int write_direct(FILE *f, const char *s, size_t n)
{
  if (fflush(f) != 0) return 0;
  int fd = fileno(f);
  if (fd < 0) return 0;
  while (n > 0) {
    ssize_t k = write(fd, s, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    s += k;
    n -= (size_t)k;
  }
  return 1;
}

/* Write s[0..n) to F as jsonw writes: a long text past F's buffer, a short
 * one through it; 0 with errno set on failure. */
static int file_write(FILE *f, const char *s, size_t n)
{
  if (n >= DIRECT_MIN && __fbufsize(f) < BUFFER_MIN) return write_direct(f, s, n);
  return fwrite(s, 1, n, f) == n;
}

/* The buffers jsonw.buffer gave: never freed, since stdio may still write
 * from one when the process ends (an io file Lua has not closed). */
typedef struct Kept {
  struct Kept *next;
} Kept;
static Kept *kept;

/* jsonw.buffer(out, size) -> out   (gives an open io file, before its first
 * read or write, a buffer of SIZE bytes of its own; Lua's file:setvbuf gives
 * no memory, and then stdio keeps a buffer of the file's block size) */
static int jsonw_buffer(lua_State *L)
{
  luaL_Stream *f = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  lua_Integer size = luaL_checkinteger(L, 2);
  luaL_argcheck(L, size >= BUFFER_MIN && size <= (64 << 20), 2, "size out of range");
  if (!f->closef) return luaL_error(L, "attempt to use a closed file");
  Kept *k = (Kept *)malloc(sizeof *k + (size_t)size);
  if (!k) return luaL_error(L, "not enough memory");
  if (setvbuf(f->f, (char *)(k + 1), _IOFBF, (size_t)size) != 0) {
    free(k);
    return luaL_error(L, "cannot buffer a file once it has been read or written");
  }
  k->next = kept;
  kept = k;
  lua_settop(L, 1);
  return 1;
}

/* The GisaText of a userdata at index i (a -j worker's channel: see gisa.h), or NULL. */
static const GisaText *text_of(lua_State *L, int i)
{
  if (lua_type(L, i) != LUA_TUSERDATA) return NULL;
  const GisaText *t = NULL;
  if (luaL_getmetafield(L, i, GISA_TEXT) != LUA_TNIL) {
    t = (const GisaText *)lua_touserdata(L, -1);
    lua_pop(L, 1);
  }
  return t;
}

/* The luaL_Stream at index i when it is an io file, or NULL: luaL_testudata
 * without its lookup of the metatable by name, the FILE* metatable being kept
 * in write's second upvalue once found (a row or a record a call). */
static luaL_Stream *file_of(lua_State *L, int i)
{
  void *p = lua_touserdata(L, i);
  if (p == NULL || !lua_getmetatable(L, i)) return NULL;
  if (lua_type(L, lua_upvalueindex(2)) != LUA_TTABLE) {
    if (luaL_getmetatable(L, LUA_FILEHANDLE) != LUA_TTABLE) { lua_pop(L, 2); return NULL; }
    lua_replace(L, lua_upvalueindex(2));
  }
  int same = lua_rawequal(L, -1, lua_upvalueindex(2));
  lua_pop(L, 1);
  return same ? (luaL_Stream *)p : NULL;
}

/* jsonw.write(out, v, order, rank, head, tail [, indent, step]) -> out | nil, message, errno
 * (out:write(head .. encode(v, …) .. tail), straight to the FILE* of an open io file,
 * or into the text a -j worker's channel is making) */
static int jsonw_write(lua_State *L)
{
  luaL_checkany(L, 1);
  luaL_checkany(L, 2);
  size_t hlen = 0, tlen = 0;
  const char *head = luaL_optlstring(L, 5, "", &hlen), *tail = luaL_optlstring(L, 6, "", &tlen);
  lua_settop(L, 8);
  Buf *b = buf_start(L);
  buf_add(L, b, head, hlen);
  encode_at(L, b, 2, 3, 4, 7, 8);
  buf_add(L, b, tail, tlen);
  luaL_Stream *f = (luaL_Stream *)file_of(L, 1);
  if (f && f->closef) {
    int ok = file_write(f->f, b->p, b->n);
    buf_done(b);
    if (!ok) return luaL_fileresult(L, 0, NULL);
    lua_settop(L, 1);
    return 1;
  }
  const GisaText *t = f ? NULL : text_of(L, 1);
  if (t) {
    int ok = t->append(lua_touserdata(L, 1), b->p, b->n);
    buf_done(b);
    if (!ok) return luaL_error(L, "jsonw.write: out of memory");
    lua_settop(L, 1);
    return 1;
  }
  /* a closed file raises in its own write; anything else with :write gets the text */
  lua_settop(L, 1);
  lua_getfield(L, 1, "write");
  lua_pushvalue(L, 1);
  lua_pushlstring(L, b->p, b->n);
  buf_done(b);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

/* jsonw.put(out, s) -> out | nil, message, errno   (out:write(s), to the FILE* of an
 * open io file as jsonw.write writes: a long text past the FILE's buffer).
 * s may be a -j worker's channel instead of a string: the text it gives on now
 * (channel:text) is written from the ring it is in, without a Lua string. */
static int jsonw_put(lua_State *L)
{
  size_t len;
  luaL_checkany(L, 1);
  const GisaText *t = text_of(L, 2);
  if (t) {
    void *ud = lua_touserdata(L, 2);
    const char *p1, *p2;
    size_t n1, n2;
    t->text(ud, &p1, &n1, &p2, &n2);
    luaL_Stream *f = (luaL_Stream *)luaL_testudata(L, 1, LUA_FILEHANDLE);
    if (f && f->closef) {
      int ok = file_write(f->f, p1, n1) && (n2 == 0 || file_write(f->f, p2, n2));
      t->done(ud);
      if (!ok) return luaL_fileresult(L, 0, NULL);
      lua_settop(L, 1);
      return 1;
    }
    luaL_Buffer lb;
    luaL_buffinit(L, &lb);
    luaL_addlstring(&lb, p1, n1);
    luaL_addlstring(&lb, p2, n2);
    luaL_pushresult(&lb);
    t->done(ud);
    lua_replace(L, 2);
  }
  const char *s = luaL_checklstring(L, 2, &len);
  luaL_Stream *f = (luaL_Stream *)luaL_testudata(L, 1, LUA_FILEHANDLE);
  if (f && f->closef) {
    int ok = file_write(f->f, s, len);
    if (!ok) return luaL_fileresult(L, 0, NULL);
    lua_settop(L, 1);
    return 1;
  }
  lua_settop(L, 2);
  lua_getfield(L, 1, "write");
  lua_insert(L, 1);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L);
}

/* Is the string at the top valid UTF-8? */
static int top_valid(lua_State *L)
{
  size_t len;
  const unsigned char *s = (const unsigned char *)lua_tolstring(L, -1, &len);
  return gisa_utf8_validate(s, len, NULL) == len;
}

/* jsonw.as_is(row, keys, last) -> boolean   (would write(out, row, keys) write
 * what it writes for the row's copy that gisa.analysis makes, each column's
 * cell under its key? True when the row is an object (no [1], no number as
 * the first key next gives), each keys[j]'s value is under that key or, when
 * that is nil, nothing is at row[j], and its strings and those of a list of
 * them are UTF-8 (the copy would show them otherwise). LAST holds, at j, the
 * string last found valid for keys[j]: a file or a title repeated over rows
 * is checked once. Rows are read as Lua reads them, metamethods and all.) */
static int jsonw_as_is(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  int ok = lua_geti(L, 1, 1) == LUA_TNIL;
  lua_pop(L, 1);
  if (ok) {
    lua_pushnil(L);
    if (lua_next(L, 1)) {
      ok = lua_type(L, -2) != LUA_TNUMBER;
      lua_pop(L, 2);
    }
  }
  lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
  for (lua_Integer j = 1; ok && j <= n; j++) {
    lua_rawgeti(L, 2, j);
    int t = lua_gettable(L, 1);                 /* row[keys[j]] at 4 */
    if (t == LUA_TNIL) {
      ok = lua_geti(L, 1, j) == LUA_TNIL;
      lua_settop(L, 3);
      continue;
    }
    lua_rawgeti(L, 3, j);
    int seen = lua_rawequal(L, 4, 5);
    lua_settop(L, 4);
    if (!seen && t == LUA_TSTRING) {
      ok = top_valid(L);
      if (ok) { lua_pushvalue(L, 4); lua_rawseti(L, 3, j); }
    } else if (!seen && t == LUA_TTABLE) {
      for (lua_Integer i = 1; ok && lua_geti(L, 4, i) != LUA_TNIL; i++) {
        if (lua_type(L, -1) == LUA_TSTRING) ok = top_valid(L);
        lua_pop(L, 1);
      }
    }
    lua_settop(L, 3);
  }
  lua_pushboolean(L, ok);
  return 1;
}

/* jsonw.quote(s) -> string   (s as a JSON string, with its quotes) */
static int jsonw_quote(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  if (len > ((size_t)-1) / 6 - 2) luaL_error(L, "JSON text too large");
  luaL_Buffer lb;
  char *o = luaL_buffinitsize(L, &lb, ESCAPED_ROOM(len));
  luaL_pushresultsize(&lb, (size_t)(escape_to(o, s, len) - o));
  return 1;
}

static const luaL_Reg jsonw_funcs[] = {
  { "encode", jsonw_encode },
  { "write", jsonw_write },
  { NULL, NULL },
};

int luaopen_gisa_jsonw(lua_State *L)
{
  luaL_newlibtable(L, jsonw_funcs);
  Buf *b = (Buf *)lua_newuserdatauv(L, sizeof(Buf), 0);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, BUF)) {
    lua_pushcfunction(L, buf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushnil(L);                     /* the FILE* metatable, once file_of finds it */
  luaL_setfuncs(L, jsonw_funcs, 2);   /* the buffer is their upvalue */
  lua_pushcfunction(L, jsonw_as_is);
  lua_setfield(L, -2, "as_is");
  lua_pushcfunction(L, jsonw_quote);
  lua_setfield(L, -2, "quote");
  lua_pushcfunction(L, jsonw_put);
  lua_setfield(L, -2, "put");
  lua_pushcfunction(L, jsonw_buffer);
  lua_setfield(L, -2, "buffer");
  return 1;
}
