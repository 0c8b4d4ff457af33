/*
 * minhash.c: gisa.minhash, the compact half of near-duplicate search (gisa dups).
 * MinHash signatures are strings of k 32-bit values; a signature set keeps them
 * in one growing C array and lists the pairs that share an LSH band; a line
 * tally counts, by 64-bit key, how many files have a line and which lines are
 * content; lines() gives the lines of a text keyed for that tally. Memory per
 * article is a few hundred bytes, not Lua tables of strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"
#include "textmap.h"
#include "utf8.h"
#include "xxhash.h"

#define SET_MT "gisa.minhash.set"
#define TALLY_MT "gisa.minhash.tally"
#define LIST_MT "gisa.minhash.list"

/* Grow *p (of *cap items of size sz) to hold at least need items; 0 when out of memory. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
  if (need <= *cap) return 1;
  size_t c = *cap ? *cap : 64;
  while (c < need) {
    if (c > SIZE_MAX / 2 / sz) return 0;
    c *= 2;
  }
  void *q = realloc(*p, c * sz);
  if (!q) return 0;
  *p = q;
  *cap = c;
  return 1;
}

static inline void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t get32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put64(unsigned char *p, uint64_t v)
{
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t get64(const unsigned char *p)
{
  return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ------------------------------------------------------------- signatures */

/* The shingle hashes are taken a block at a time, so that each slot's salt,
 * multiplier and minimum stay in registers over the block; with AVX-512 (when
 * the CPU has it: checked at each call) eight slots at a time. The result is
 * the same either way. */
#define BLOCK 256
typedef struct {
  size_t k;
  const uint64_t *salt, *mul;
  uint64_t *min;
  uint64_t hs[BLOCK];
  size_t nh;
  int wide;
} sig_ctx;

static void min_plain(size_t k, const uint64_t *salt, const uint64_t *mul, uint64_t *mn,
                      const uint64_t *hs, size_t nh)
{
  for (size_t i = 0; i < k; i++) {
    uint64_t m = mn[i], sa = salt[i], mu = mul[i];
    for (size_t j = 0; j < nh; j++) {
      uint64_t x = (hs[j] ^ sa) * mu;
      m = x < m ? x : m;
    }
    mn[i] = m;
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_WIDE 1
__attribute__((target("avx512f,avx512dq")))
static void min_wide(size_t k, const uint64_t *salt, const uint64_t *mul, uint64_t *mn,
                     const uint64_t *hs, size_t nh)
{
  size_t i = 0;
  for (; i + 8 <= k; i += 8) {
    __m512i sa = _mm512_loadu_si512(salt + i), mu = _mm512_loadu_si512(mul + i);
    __m512i m = _mm512_loadu_si512(mn + i);
    for (size_t j = 0; j < nh; j++) {
      __m512i x = _mm512_mullo_epi64(_mm512_xor_si512(_mm512_set1_epi64((long long)hs[j]), sa), mu);
      m = _mm512_min_epu64(x, m);
    }
    _mm512_storeu_si512(mn + i, m);
  }
  min_plain(k - i, salt + i, mul + i, mn + i, hs, nh);
}

static int wide_ok(void)
{
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#else
#define HAVE_WIDE 0
static int wide_ok(void) { return 0; }
#endif

static void sig_flush(sig_ctx *m)
{
#if HAVE_WIDE
  if (m->wide) { min_wide(m->k, m->salt, m->mul, m->min, m->hs, m->nh); m->nh = 0; return; }
#endif
  min_plain(m->k, m->salt, m->mul, m->min, m->hs, m->nh);
  m->nh = 0;
}

static void sig_add(void *ctx, uint64_t h)
{
  sig_ctx *m = ctx;
  m->hs[m->nh++] = h;
  if (m->nh == BLOCK) sig_flush(m);
}

/* minhash.signature(text, k [, shingle=5]) -> string
 * (4k bytes: slot i is the top 32 bits of slot i of gisa.hash.minhash(text, k, shingle),
 * little-endian; an empty text gives k times 0xFFFFFFFF) */
static int minhash_signature(lua_State *L)
{
  size_t n;
  const unsigned char *s = gisa_checktext(L, 1, &n);
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 1 && k <= 1024, 2, "signature size out of range (1-1024)");
  lua_Integer w = luaL_optinteger(L, 3, 5);
  luaL_argcheck(L, w >= 1 && w <= MAX_SHINGLE, 3, "shingle size out of range (1-64)");
  uint64_t salt[1024], mul[1024], mn[1024];
  sig_ctx m;
  m.k = (size_t)k; m.salt = salt; m.mul = mul; m.min = mn; m.nh = 0;
  m.wide = wide_ok();
  minhash_family(m.k, salt, mul);
  for (size_t i = 0; i < m.k; i++) mn[i] = UINT64_MAX;
  shingles(s, n, (int)w, sig_add, &m);
  sig_flush(&m);
  unsigned char out[4 * 1024];
  for (size_t i = 0; i < m.k; i++) put32(out + 4 * i, (uint32_t)(mn[i] >> 32));
  lua_pushlstring(L, (const char *)out, 4 * m.k);
  return 1;
}

/* -------------------------------------------------------------- line keys */

static inline int is_space(unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');   /* Lua's %s: space, \t \n \v \f \r */
}

/* Squeeze s[0..n) into out (runs of ASCII white space become one space, none at
 * either end); returns the length. out holds at least n bytes. */
#define ONES UINT64_C(0x0101010101010101)
static size_t squeeze(const unsigned char *s, size_t n, unsigned char *out)
{
  size_t o = 0, i = 0;
  while (i < n) {                          /* a run of blanks, then a run of the rest */
    size_t j = i;
    while (j < n && is_space(s[j])) j++;
    if (j == n) break;
    if (j > i && o > 0) out[o++] = ' ';
    size_t e = j + 1;
    /* eight bytes at a time while none is below 0x21 (every blank is) */
    while (e + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + e, 8);
      if ((w - 0x21 * ONES) & ~w & 0x80 * ONES) break;
      e += 8;
    }
    while (e < n && !is_space(s[e])) e++;
    memmove(out + o, s + j, e - j);        /* out may be s (squeezed in place) */
    o += e - j;
    i = e;
  }
  return o;
}

/* Characters of s[0..n), or -1 when it is not valid UTF-8 (as Lua's utf8.len). */
static long chars(const unsigned char *s, size_t n)
{
  size_t c = 0;
  return gisa_utf8_validate(s, n, &c) == n ? (long)c : -1;
}

/* A scratch buffer of n bytes owned by a userdata at the top of the stack. */
static unsigned char *scratch(lua_State *L, size_t n)
{
  return lua_newuserdatauv(L, n ? n : 1, 0);
}

/* minhash.key(s) -> integer, integer|nil
 * (xxHash64 of s with ASCII white space squeezed: runs become one space, none at
 * either end; and the squeezed text's length in characters, nil when it is not UTF-8) */
static int minhash_key(lua_State *L)
{
  size_t n;
  const unsigned char *s = gisa_checktext(L, 1, &n);
  unsigned char *buf = scratch(L, n);
  size_t m = squeeze(s, n, buf);
  long c = chars(buf, m);
  lua_pushinteger(L, (lua_Integer)xxh64(buf, m, 0));
  if (c < 0) lua_pushnil(L); else lua_pushinteger(L, (lua_Integer)c);
  return 2;
}

/* minhash.squeeze(s) -> string, integer|nil
 * (s with ASCII white space squeezed as minhash.key does, and its length in
 * characters, nil when it is not UTF-8) */
static int minhash_squeeze(lua_State *L)
{
  size_t n;
  const unsigned char *s = gisa_checktext(L, 1, &n);
  unsigned char *buf = scratch(L, n);
  size_t m = squeeze(s, n, buf);
  long c = chars(buf, m);
  lua_pushlstring(L, (const char *)buf, m);
  if (c < 0) lua_pushnil(L); else lua_pushinteger(L, (lua_Integer)c);
  return 2;
}

/* minhash.join(title, body [, drop]) -> string, integer|nil
 * (the title (or "" when it is nil or false) and the strings of the array body
 * whose index is not a key of drop, joined by newlines and squeezed as
 * minhash.squeeze; and its length in characters, nil when it is not UTF-8) */
static int minhash_join(lua_State *L)
{
  luaL_checktype(L, 2, LUA_TTABLE);
  int drop = !lua_isnoneornil(L, 3);
  if (drop) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  size_t tlen = 0;
  const char *title = lua_isstring(L, 1) ? lua_tolstring(L, 1, &tlen) : NULL;
  size_t total = tlen;
  lua_Integer nb = 0;
  for (;;) {                                 /* the items up to the first nil, as ipairs */
    int t = lua_rawgeti(L, 2, nb + 1);
    if (t == LUA_TNIL) { lua_pop(L, 1); break; }
    if (t != LUA_TSTRING && t != LUA_TNUMBER) return luaL_error(L, "body item %d is not a string", (int)(nb + 1));
    nb++;
    int skip = 0;
    if (drop) { skip = lua_rawgeti(L, 3, nb) != LUA_TNIL && lua_toboolean(L, -1); lua_pop(L, 1); }
    size_t len = 0;
    if (!skip) lua_tolstring(L, -1, &len);
    total += len + 1;
    lua_pop(L, 1);
  }
  unsigned char *buf = scratch(L, total);
  size_t at = tlen;
  if (title) memcpy(buf, title, tlen);
  for (lua_Integer i = 1; i <= nb; i++) {
    if (drop) {
      int skip = lua_rawgeti(L, 3, i) != LUA_TNIL && lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (skip) continue;
    }
    size_t len;
    lua_rawgeti(L, 2, i);
    const char *p = lua_tolstring(L, -1, &len);
    buf[at++] = '\n';
    memcpy(buf + at, p, len);
    at += len;
    lua_pop(L, 1);
  }
  size_t m = squeeze(buf, at, buf);
  long c = chars(buf, m);
  lua_pushlstring(L, (const char *)buf, m);
  if (c < 0) lua_pushnil(L); else lua_pushinteger(L, (lua_Integer)c);
  return 2;
}

/* minhash.content(title, body [, short=40]) -> string, array
 * (the keys (minhash.key) of the title, when it is a string, and of each string of
 * the array body, 8 bytes each, little-endian; and {i, key, …} for the items
 * body[i] shorter than short characters (bytes when not UTF-8)) */
static int minhash_content(lua_State *L)
{
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_Integer shortlen = luaL_optinteger(L, 3, 40);
  lua_Integer nb = (lua_Integer)lua_rawlen(L, 2);
  luaL_Buffer b;
  lua_settop(L, 3);
  lua_newtable(L);                         /* 4: the short ones */
  size_t cap = 0;
  for (lua_Integer i = 0; i <= nb; i++) {  /* the longest item: one scratch buffer */
    size_t len = 0;
    if (i == 0) { if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &len); }
    else {
      if (lua_rawgeti(L, 2, i) != LUA_TSTRING) return luaL_error(L, "body item %d is not a string", (int)i);
      lua_tolstring(L, -1, &len);
      lua_pop(L, 1);
    }
    if (len > cap) cap = len;
  }
  unsigned char *buf = scratch(L, cap);    /* 5 */
  luaL_buffinit(L, &b);
  lua_Integer nshort = 0;
  for (lua_Integer i = 0; i <= nb; i++) {
    size_t len;
    const unsigned char *p;
    if (i == 0) {
      if (lua_type(L, 1) != LUA_TSTRING) continue;
      p = (const unsigned char *)lua_tolstring(L, 1, &len);
    } else {
      lua_rawgeti(L, 2, i);
      p = (const unsigned char *)lua_tolstring(L, -1, &len);
      lua_pop(L, 1);                       /* the string stays in the body table */
    }
    size_t m = squeeze(p, len, buf);
    uint64_t h = xxh64(buf, m, 0);
    unsigned char k8[8];
    put64(k8, h);
    luaL_addlstring(&b, (const char *)k8, 8);
    if (i > 0) {
      long c = chars(buf, m);
      if ((c < 0 ? (lua_Integer)m : (lua_Integer)c) < shortlen) {
        lua_pushinteger(L, i); lua_rawseti(L, 4, ++nshort);
        lua_pushinteger(L, (lua_Integer)h); lua_rawseti(L, 4, ++nshort);
      }
    }
  }
  luaL_pushresult(&b);
  lua_pushvalue(L, 4);
  return 2;
}

/* minhash.lines(text [, min=10]) -> string
 * (the lines of text, split as gisa.text.lines, squeezed as minhash.key: each line of
 * min characters or more, valid UTF-8, whose key is new in this text, as
 * string.pack("<i8I4s4", key, line number, squeezed line), one after another) */
static int minhash_lines(lua_State *L)
{
  size_t n;
  const unsigned char *s = gisa_checktext(L, 1, &n);
  lua_Integer min = luaL_optinteger(L, 2, 10);
  luaL_argcheck(L, min >= 0, 2, "negative length");
  /* line ends: found by memchr when the text has no CR */
  int cr = memchr(s, '\r', n) != NULL;
  size_t nlines = 1;
  if (cr) for (size_t i = 0; i < n; i++) nlines += s[i] == '\n' || s[i] == '\r';
  else for (const unsigned char *q = s; (q = memchr(q, '\n', n - (size_t)(q - s))) != NULL; q++) nlines++;
  /* seen keys: open addressing at load <= 1/2, 0 marks a free slot (key 0 is kept apart) */
  size_t cap = 16;
  while (cap < 2 * nlines) cap *= 2;
  uint64_t *seen = (uint64_t *)scratch(L, cap * sizeof(uint64_t));
  memset(seen, 0, cap * sizeof(uint64_t));
  int seen_zero = 0;
  unsigned char *buf = scratch(L, n);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t i = 0, lineno = 0;
  while (i < n) {
    size_t e = i;
    if (!cr) {
      const unsigned char *q = memchr(s + i, '\n', n - i);
      e = q ? (size_t)(q - s) : n;
    } else {
      while (e < n && s[e] != '\n' && s[e] != '\r') e++;
    }
    size_t next = e < n ? (s[e] == '\r' && e + 1 < n && s[e + 1] == '\n' ? e + 2 : e + 1) : n;
    lineno++;
    size_t m = squeeze(s + i, e - i, buf);
    i = next;
    if (m < (size_t)min) continue;                 /* fewer bytes than min: fewer characters */
    long c = chars(buf, m);
    if (c < 0 || c < min) continue;
    uint64_t h = xxh64(buf, m, 0);
    if (h == 0) {
      if (seen_zero) continue;
      seen_zero = 1;
    } else {
      size_t j = (size_t)(h ^ (h >> 29)) & (cap - 1);
      while (seen[j] && seen[j] != h) j = (j + 1) & (cap - 1);
      if (seen[j]) continue;
      seen[j] = h;
    }
    if (m > UINT32_MAX || lineno > UINT32_MAX) return luaL_error(L, "line too long");
    unsigned char head[16];
    put64(head, h);
    put32(head + 8, (uint32_t)lineno);
    put32(head + 12, (uint32_t)m);
    luaL_addlstring(&b, (const char *)head, 16);
    luaL_addlstring(&b, (const char *)buf, m);
  }
  luaL_pushresult(&b);
  return 1;
}

/* ---------------------------------------------------------- signature set */

typedef struct {
  size_t k;          /* slots per signature */
  size_t n, cap;     /* signatures held, room */
  uint32_t *sig;     /* n * k slots */
  uint64_t *keys;    /* scratch of candidates(): (band key, unit) pairs */
  size_t keys_cap;
  uint64_t *pairs;   /* scratch of candidates(): (i << 32 | j) */
  size_t npairs, pairs_cap;
  int closed;
} Set;

static Set *checkset(lua_State *L, int i)
{
  Set *s = luaL_checkudata(L, i, SET_MT);
  if (s->closed) luaL_argerror(L, i, "signature set is closed");
  return s;
}

static void set_free(Set *s)
{
  free(s->sig); free(s->keys); free(s->pairs);
  s->sig = NULL; s->keys = NULL; s->pairs = NULL;
  s->n = s->cap = s->keys_cap = s->npairs = s->pairs_cap = 0;
  s->closed = 1;
}

/* minhash.set(k) -> set   (an empty set of signatures of k slots, as minhash.signature gives) */
static int minhash_set(lua_State *L)
{
  lua_Integer k = luaL_checkinteger(L, 1);
  luaL_argcheck(L, k >= 1 && k <= 1024, 1, "signature size out of range (1-1024)");
  Set *s = lua_newuserdatauv(L, sizeof(Set), 0);
  memset(s, 0, sizeof *s);
  s->k = (size_t)k;
  luaL_setmetatable(L, SET_MT);
  return 1;
}

/* set:add(sig) -> integer   (appends a signature string of 4k bytes; its index, from 1) */
static int set_add(lua_State *L)
{
  Set *s = checkset(L, 1);
  size_t len;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &len);
  if (len != 4 * s->k)
    return luaL_error(L, "signature of %d bytes, expected %d (k = %d)", (int)len, (int)(4 * s->k), (int)s->k);
  if (s->n >= UINT32_MAX - 1) return luaL_error(L, "signature set full");
  if (!grow((void **)&s->sig, &s->cap, (s->n + 1) * s->k, sizeof(uint32_t)))
    return luaL_error(L, "not enough memory");
  uint32_t *d = s->sig + s->n * s->k;
  for (size_t i = 0; i < s->k; i++) d[i] = get32(p + 4 * i);
  s->n++;
  lua_pushinteger(L, (lua_Integer)s->n);
  return 1;
}

static size_t checkindex(lua_State *L, Set *s, int arg)
{
  lua_Integer i = luaL_checkinteger(L, arg);
  luaL_argcheck(L, i >= 1 && (size_t)i <= s->n, arg, "index out of range");
  return (size_t)i - 1;
}

/* set:get(i) -> string   (the i-th signature) */
static int set_get(lua_State *L)
{
  Set *s = checkset(L, 1);
  size_t i = checkindex(L, s, 2);
  unsigned char *out = scratch(L, 4 * s->k);
  for (size_t j = 0; j < s->k; j++) put32(out + 4 * j, s->sig[i * s->k + j]);
  lua_pushlstring(L, (const char *)out, 4 * s->k);
  return 1;
}

static size_t same_slots(const Set *s, size_t i, size_t j)
{
  const uint32_t *a = s->sig + i * s->k, *b = s->sig + j * s->k;
  size_t same = 0;
  for (size_t x = 0; x < s->k; x++) same += a[x] == b[x];
  return same;
}

/* set:similarity(i, j) -> number   (fraction of equal slots: the Jaccard estimate) */
static int set_similarity(lua_State *L)
{
  Set *s = checkset(L, 1);
  size_t i = checkindex(L, s, 2), j = checkindex(L, s, 3);
  lua_pushnumber(L, (lua_Number)same_slots(s, i, j) / (lua_Number)s->k);
  return 1;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* (band key, unit) as two words, sorted by key then unit */
static int cmp_key_unit(const void *a, const void *b)
{
  const uint64_t *x = a, *y = b;
  if (x[0] != y[0]) return (x[0] > y[0]) - (x[0] < y[0]);
  return (x[1] > y[1]) - (x[1] < y[1]);
}

/* set:candidates(bands, rows [, threshold]) -> array
 * (the pairs j < i equal in all the rows of at least one band (band b: slots
 * b*rows+1 .. b*rows+rows) whose similarity is at least threshold (default: every
 * such pair), flat and in order of i, then j: {j1, i1, s1, j2, i2, s2, …}) */
static int set_candidates(lua_State *L)
{
  Set *s = checkset(L, 1);
  lua_Integer bands = luaL_checkinteger(L, 2), rows = luaL_checkinteger(L, 3);
  luaL_argcheck(L, bands >= 1 && bands <= (lua_Integer)s->k, 2, "bands out of range");
  luaL_argcheck(L, rows >= 1 && rows <= (lua_Integer)s->k && bands * rows <= (lua_Integer)s->k, 3,
    "bands * rows exceed the signature size");
  lua_Number threshold = luaL_optnumber(L, 4, -1.0);
  size_t n = s->n, k = s->k, r = (size_t)rows;
  s->npairs = 0;
  lua_newtable(L);
  if (n < 2) return 1;
  if (!grow((void **)&s->keys, &s->keys_cap, 2 * n, sizeof(uint64_t))) return luaL_error(L, "not enough memory");
  for (lua_Integer band = 0; band < bands; band++) {
    for (size_t u = 0; u < n; u++) {
      const uint32_t *row = s->sig + u * k + (size_t)band * r;
      unsigned char bytes[4 * 1024];
      for (size_t x = 0; x < r; x++) put32(bytes + 4 * x, row[x]);
      s->keys[2 * u] = xxh64(bytes, 4 * r, (uint64_t)band);
      s->keys[2 * u + 1] = u;
    }
    qsort(s->keys, n, 2 * sizeof(uint64_t), cmp_key_unit);
    for (size_t a = 0; a < n;) {
      size_t e = a + 1;
      while (e < n && s->keys[2 * e] == s->keys[2 * a]) e++;
      for (size_t x = a; x < e; x++)
        for (size_t y = x + 1; y < e; y++) {
          if (!grow((void **)&s->pairs, &s->pairs_cap, s->npairs + 1, sizeof(uint64_t)))
            return luaL_error(L, "not enough memory");
          /* within a run units ascend: keys[x] < keys[y] */
          s->pairs[s->npairs++] = s->keys[2 * y + 1] << 32 | s->keys[2 * x + 1];
        }
      a = e;
    }
  }
  if (s->npairs > 0) qsort(s->pairs, s->npairs, sizeof(uint64_t), cmp_u64);
  lua_Integer out = 0;
  for (size_t p = 0; p < s->npairs; p++) {
    if (p > 0 && s->pairs[p] == s->pairs[p - 1]) continue;
    size_t i = (size_t)(s->pairs[p] >> 32), j = (size_t)(s->pairs[p] & 0xFFFFFFFFu);
    lua_Number sim = (lua_Number)same_slots(s, i, j) / (lua_Number)k;
    if (sim < threshold) continue;
    lua_pushinteger(L, (lua_Integer)j + 1); lua_rawseti(L, -2, ++out);
    lua_pushinteger(L, (lua_Integer)i + 1); lua_rawseti(L, -2, ++out);
    lua_pushnumber(L, sim); lua_rawseti(L, -2, ++out);
  }
  s->npairs = 0;
  return 1;
}

/* #set -> integer   (signatures held) */
static int set_len(lua_State *L)
{
  Set *s = luaL_checkudata(L, 1, SET_MT);
  lua_pushinteger(L, (lua_Integer)s->n);
  return 1;
}

/* set:close()   (frees the signatures; also on garbage collection and at the end of a <close> scope) */
static int set_close(lua_State *L)
{
  set_free(luaL_checkudata(L, 1, SET_MT));
  return 0;
}

static int set_tostring(lua_State *L)
{
  Set *s = luaL_checkudata(L, 1, SET_MT);
  if (s->closed) lua_pushliteral(L, "gisa.minhash.set (closed)");
  else lua_pushfstring(L, "gisa.minhash.set (k=%d, %d signatures)", (int)s->k, (int)s->n);
  return 1;
}

/* ------------------------------------------------------------- line tally */

/* Keys of lines (one per file that has the line) and of content, each a
 * growing array, sorted by seal(); counts are then binary searches. */
typedef struct {
  uint64_t *lines, *content;
  size_t nlines, lines_cap, ncontent, content_cap;
  uint32_t *counts;  /* once sealed: lines holds each key once, counts its files */
  int sealed, closed;
} Tally;

static Tally *checktally(lua_State *L, int i)
{
  Tally *t = luaL_checkudata(L, i, TALLY_MT);
  if (t->closed) luaL_argerror(L, i, "tally is closed");
  return t;
}

/* minhash.tally() -> tally   (an empty line tally) */
static int minhash_tally(lua_State *L)
{
  Tally *t = lua_newuserdatauv(L, sizeof(Tally), 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, TALLY_MT);
  return 1;
}

static void unseal(lua_State *L, Tally *t)
{
  if (t->sealed) luaL_error(L, "tally is sealed: add before seal()");
}

/* Walks the records of a minhash.lines string: 1 and the record's fields, 0 at
 * the end; raises on a damaged string. */
static int next_line(lua_State *L, const unsigned char *p, size_t n, size_t *at,
                     uint64_t *key, uint32_t *lineno, const unsigned char **text, size_t *len)
{
  if (*at >= n) return 0;
  if (n - *at < 16) return luaL_error(L, "damaged lines string at byte %d", (int)*at + 1);
  *key = get64(p + *at);
  *lineno = get32(p + *at + 8);
  *len = get32(p + *at + 12);
  if (n - *at - 16 < *len) return luaL_error(L, "damaged lines string at byte %d", (int)*at + 1);
  *text = p + *at + 16;
  *at += 16 + *len;
  return 1;
}

/* tally:add_lines(lines)   (counts each line of a minhash.lines string once) */
static int tally_add_lines(lua_State *L)
{
  Tally *t = checktally(L, 1);
  size_t n, at = 0, len;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &n);
  unseal(L, t);
  uint64_t key; uint32_t lineno; const unsigned char *text;
  while (next_line(L, p, n, &at, &key, &lineno, &text, &len)) {
    if (!grow((void **)&t->lines, &t->lines_cap, t->nlines + 1, sizeof(uint64_t)))
      return luaL_error(L, "not enough memory");
    t->lines[t->nlines++] = key;
  }
  return 0;
}

/* minhash.tick(lines, counts) -> integer   (for each line of a minhash.lines string
 * whose key the table counts has (an integer), counts[key] + 1; returns how many
 * were counted: dups' workers watching the lines that were short paragraphs) */
static int minhash_tick(lua_State *L)
{
  size_t n, at = 0, len;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 1, &n);
  luaL_checktype(L, 2, LUA_TTABLE);
  uint64_t key; uint32_t lineno; const unsigned char *text;
  lua_Integer ticked = 0;
  while (next_line(L, p, n, &at, &key, &lineno, &text, &len)) {
    lua_Integer k = (lua_Integer)key;
    if (lua_rawgeti(L, 2, k) == LUA_TNUMBER) {
      lua_Integer c = lua_tointeger(L, -1);
      lua_pushinteger(L, c + 1);
      lua_rawseti(L, 2, k);
      ticked++;
    }
    lua_pop(L, 1);
  }
  lua_pushinteger(L, ticked);
  return 1;
}

/* tally:add_content(keys)   (marks as content each key of a string of 8-byte
 * little-endian keys, string.pack("<i8", key) one after another) */
static int tally_add_content(lua_State *L)
{
  Tally *t = checktally(L, 1);
  size_t n;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &n);
  luaL_argcheck(L, n % 8 == 0, 2, "length not a multiple of 8");
  unseal(L, t);
  if (!grow((void **)&t->content, &t->content_cap, t->ncontent + n / 8, sizeof(uint64_t)))
    return luaL_error(L, "not enough memory");
  for (size_t i = 0; i < n; i += 8) t->content[t->ncontent++] = get64(p + i);
  return 0;
}

/* first index of a[0..n) not below key */
static size_t lower(const uint64_t *a, size_t n, uint64_t key)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* tally:seal([least=1])   (sorts the keys: counts and tests may follow, no more adds;
 * only the lines in least files or more are kept, and only the content keys among
 * them, so that memory after sealing holds the repeated lines alone) */
static int tally_seal(lua_State *L)
{
  Tally *t = checktally(L, 1);
  lua_Integer least = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, least >= 1, 2, "least must be 1 or more");
  if (t->sealed) return 0;
  if (t->nlines > 0) qsort(t->lines, t->nlines, sizeof(uint64_t), cmp_u64);
  if (t->ncontent > 0) qsort(t->content, t->ncontent, sizeof(uint64_t), cmp_u64);
  size_t distinct = 0;
  for (size_t i = 0; i < t->nlines; i++) distinct += i == 0 || t->lines[i] != t->lines[i - 1];
  t->counts = malloc((distinct ? distinct : 1) * sizeof(uint32_t));
  if (!t->counts) return luaL_error(L, "not enough memory");
  size_t out = 0;
  for (size_t i = 0; i < t->nlines;) {       /* runs of equal keys, in place */
    size_t j = i + 1;
    while (j < t->nlines && t->lines[j] == t->lines[i]) j++;
    if ((lua_Integer)(j - i) >= least) {
      t->lines[out] = t->lines[i];
      t->counts[out++] = j - i > UINT32_MAX ? UINT32_MAX : (uint32_t)(j - i);
    }
    i = j;
  }
  t->nlines = out;
  size_t c = 0;
  for (size_t i = 0; i < t->ncontent; i++) {  /* the content keys among the lines kept, once */
    uint64_t key = t->content[i];
    if (c > 0 && t->content[c - 1] == key) continue;
    size_t at = lower(t->lines, t->nlines, key);
    if (at < t->nlines && t->lines[at] == key) t->content[c++] = key;
  }
  t->ncontent = c;
  /* give the room back (large arrays are mapped: shrinking returns their pages) */
  void *q;
  if (t->nlines < t->lines_cap && (q = realloc(t->lines, (t->nlines ? t->nlines : 1) * sizeof(uint64_t)))) {
    t->lines = q; t->lines_cap = t->nlines ? t->nlines : 1;
  }
  if (t->ncontent < t->content_cap && (q = realloc(t->content, (t->ncontent ? t->ncontent : 1) * sizeof(uint64_t)))) {
    t->content = q; t->content_cap = t->ncontent ? t->ncontent : 1;
  }
  t->sealed = 1;
  return 0;
}

static int is_content(const Tally *t, uint64_t key)
{
  size_t i = lower(t->content, t->ncontent, key);
  return i < t->ncontent && t->content[i] == key;
}

static size_t count_of(const Tally *t, uint64_t key)
{
  size_t i = lower(t->lines, t->nlines, key);
  return i < t->nlines && t->lines[i] == key ? t->counts[i] : 0;
}

static void sealed(lua_State *L, Tally *t)
{
  if (!t->sealed) luaL_error(L, "tally is not sealed: seal() first");
}

/* tally:count(key) -> integer   (how many files have the line; 0 when fewer than seal's least) */
static int tally_count(lua_State *L)
{
  Tally *t = checktally(L, 1);
  uint64_t key = (uint64_t)luaL_checkinteger(L, 2);
  sealed(L, t);
  lua_pushinteger(L, (lua_Integer)count_of(t, key));
  return 1;
}

/* tally:content(key) -> boolean   (whether some file has it as content) */
static int tally_content(lua_State *L)
{
  Tally *t = checktally(L, 1);
  uint64_t key = (uint64_t)luaL_checkinteger(L, 2);
  sealed(L, t);
  lua_pushboolean(L, is_content(t, key));
  return 1;
}

/* tally:repeated(lines [, common [, short=40]]) -> array
 * (the lines of a minhash.lines string that two files or more have, flat:
 * {key1, line number1, text1, files1, key2, …}; with common, less boilerplate:
 * the lines content in no file, and those in common files or more shorter than
 * short characters) */
static int tally_repeated(lua_State *L)
{
  Tally *t = checktally(L, 1);
  size_t n, at = 0, len;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &n);
  int filter = !lua_isnoneornil(L, 3);
  lua_Integer common = luaL_optinteger(L, 3, 0), shortlen = luaL_optinteger(L, 4, 40);
  sealed(L, t);
  lua_newtable(L);
  lua_Integer out = 0;
  uint64_t key; uint32_t lineno; const unsigned char *text;
  while (next_line(L, p, n, &at, &key, &lineno, &text, &len)) {
    size_t c = count_of(t, key);
    if (c < 2) continue;
    if (filter) {
      if (!is_content(t, key)) continue;
      long nc = chars(text, len);
      if ((lua_Integer)c >= common && (nc < 0 ? (lua_Integer)len : (lua_Integer)nc) < shortlen) continue;
    }
    lua_pushinteger(L, (lua_Integer)key); lua_rawseti(L, -2, ++out);
    lua_pushinteger(L, (lua_Integer)lineno); lua_rawseti(L, -2, ++out);
    lua_pushlstring(L, (const char *)text, len); lua_rawseti(L, -2, ++out);
    lua_pushinteger(L, (lua_Integer)c); lua_rawseti(L, -2, ++out);
  }
  return 1;
}

/* tally:close()   (frees the keys; also on garbage collection and at the end of a <close> scope) */
static int tally_close(lua_State *L)
{
  Tally *t = luaL_checkudata(L, 1, TALLY_MT);
  free(t->lines); free(t->content); free(t->counts);
  t->lines = t->content = NULL;
  t->counts = NULL;
  t->nlines = t->lines_cap = t->ncontent = t->content_cap = 0;
  t->closed = 1;
  return 0;
}

static int tally_tostring(lua_State *L)
{
  Tally *t = luaL_checkudata(L, 1, TALLY_MT);
  if (t->closed) lua_pushliteral(L, "gisa.minhash.tally (closed)");
  else lua_pushfstring(L, "gisa.minhash.tally (%d lines, %d content keys)", (int)t->nlines, (int)t->ncontent);
  return 1;
}

/* ----------------------------------------------------------- triple list */

/* Triples of 32-bit unsigned integers in one growing array (12 bytes each):
 * the repeated lines' occurrences (line, record, line number) of gisa dups,
 * sorted to group them without a Lua table per occurrence. */
typedef struct {
  uint32_t *v;
  size_t n, cap;     /* triples held, room (in triples) */
  int closed;
} List;

static List *checklist(lua_State *L, int i)
{
  List *t = luaL_checkudata(L, i, LIST_MT);
  if (t->closed) luaL_argerror(L, i, "list is closed");
  return t;
}

/* minhash.list() -> list   (an empty list of triples of integers 0 .. 2^32-1) */
static int minhash_list(lua_State *L)
{
  List *t = lua_newuserdatauv(L, sizeof(List), 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, LIST_MT);
  return 1;
}

static uint32_t check32(lua_State *L, int arg)
{
  lua_Integer x = luaL_checkinteger(L, arg);
  luaL_argcheck(L, x >= 0 && x <= (lua_Integer)UINT32_MAX, arg, "out of range (0 .. 2^32-1)");
  return (uint32_t)x;
}

/* list:add(x, y, z)   (appends a triple) */
static int list_add(lua_State *L)
{
  List *t = checklist(L, 1);
  uint32_t x = check32(L, 2), y = check32(L, 3), z = check32(L, 4);
  if (!grow((void **)&t->v, &t->cap, 3 * (t->n + 1), sizeof(uint32_t)))
    return luaL_error(L, "not enough memory");
  t->v[3 * t->n] = x; t->v[3 * t->n + 1] = y; t->v[3 * t->n + 2] = z;
  t->n++;
  return 0;
}

static int cmp_triple(const void *a, const void *b)
{
  const uint32_t *x = a, *y = b;
  for (int i = 0; i < 3; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* list:sort()   (in order of x, then y, then z) */
static int list_sort(lua_State *L)
{
  List *t = checklist(L, 1);
  if (t->n > 1) qsort(t->v, t->n, 3 * sizeof(uint32_t), cmp_triple);
  return 0;
}

/* list:get(i) -> x, y, z   (the i-th triple, from 1) */
static int list_get(lua_State *L)
{
  List *t = checklist(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= t->n, 2, "index out of range");
  const uint32_t *v = t->v + 3 * (size_t)(i - 1);
  lua_pushinteger(L, v[0]); lua_pushinteger(L, v[1]); lua_pushinteger(L, v[2]);
  return 3;
}

/* #list -> integer   (triples held) */
static int list_len(lua_State *L)
{
  List *t = luaL_checkudata(L, 1, LIST_MT);
  lua_pushinteger(L, (lua_Integer)t->n);
  return 1;
}

/* list:close()   (frees the triples; also on garbage collection and at the end of a <close> scope) */
static int list_close(lua_State *L)
{
  List *t = luaL_checkudata(L, 1, LIST_MT);
  free(t->v);
  t->v = NULL;
  t->n = t->cap = 0;
  t->closed = 1;
  return 0;
}

static int list_tostring(lua_State *L)
{
  List *t = luaL_checkudata(L, 1, LIST_MT);
  if (t->closed) lua_pushliteral(L, "gisa.minhash.list (closed)");
  else lua_pushfstring(L, "gisa.minhash.list (%d triples)", (int)t->n);
  return 1;
}

/* ----------------------------------------------------------------- module */

static const luaL_Reg set_methods[] = {
  {"add", set_add},
  {"get", set_get},
  {"similarity", set_similarity},
  {"candidates", set_candidates},
  {"close", set_close},
  {NULL, NULL}
};

static const luaL_Reg tally_methods[] = {
  {"add_lines", tally_add_lines},
  {"add_content", tally_add_content},
  {"seal", tally_seal},
  {"count", tally_count},
  {"content", tally_content},
  {"repeated", tally_repeated},
  {"close", tally_close},
  {NULL, NULL}
};

static const luaL_Reg list_methods[] = {
  {"add", list_add},
  {"sort", list_sort},
  {"get", list_get},
  {"close", list_close},
  {NULL, NULL}
};

static const luaL_Reg minhash_funcs[] = {
  {"signature", minhash_signature},
  {"key", minhash_key},
  {"squeeze", minhash_squeeze},
  {"join", minhash_join},
  {"content", minhash_content},
  {"lines", minhash_lines},
  {"tick", minhash_tick},
  {"set", minhash_set},
  {"tally", minhash_tally},
  {"list", minhash_list},
  {NULL, NULL}
};

static void metatable(lua_State *L, const char *name, const luaL_Reg *methods,
                      lua_CFunction close, lua_CFunction tostr, lua_CFunction len)
{
  luaL_newmetatable(L, name);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, close); lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, close); lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, tostr); lua_setfield(L, -2, "__tostring");
  if (len) { lua_pushcfunction(L, len); lua_setfield(L, -2, "__len"); }
  lua_pop(L, 1);
}

int luaopen_gisa_minhash(lua_State *L)
{
  metatable(L, SET_MT, set_methods, set_close, set_tostring, set_len);
  metatable(L, TALLY_MT, tally_methods, tally_close, tally_tostring, NULL);
  metatable(L, LIST_MT, list_methods, list_close, list_tostring, list_len);
  luaL_newlib(L, minhash_funcs);
  return 1;
}
