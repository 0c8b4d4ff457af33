/*
 * count.c: gisa.count, whitespace-token counting for `freq --tokens space`
 * (the tokens awk's fields and Python's str.split() give). Counting tokens one
 * by one in Lua costs a string and a table update per token; here they are
 * counted in a C hash table that persists across texts (many files), and only
 * the distinct tokens reach Lua. Words (letters and digits) are counted by
 * gisa.text.words(s, counts), which owns the definition of a word.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gisa.h"
#include "textmap.h"

/* ------------------------------------------------------------------------
 * A hash table of byte strings with counts, in malloc'd memory; a Lua-owned
 * counter is a userdata whose __gc frees it (so an error while pushing
 * results to Lua leaks nothing). The slots hold a hash tag and an index
 * into the entries, which are in order of first appearance: the frequent
 * tokens come first and share a few cache lines, and a probe reads 8 bytes.
 * ---------------------------------------------------------------------- */

typedef struct {
  uint64_t w0, w1;     /* the key's first 16 bytes, as key_make reads them */
  lua_Integer count;
  const char *key;     /* in the arena */
  size_t len;
} Entry;

typedef struct { uint32_t tag, idx; } Slot;   /* idx 0: empty, else entry idx-1 */

typedef struct Block { struct Block *next; size_t used, size; char data[]; } Block;

typedef struct {
  Slot *slots;         /* open addressing, linear probing; cap is a power of two */
  size_t cap;
  Entry *ents;
  size_t n, ents_cap;
  Block *arena;        /* the keys: copied when first seen, so texts may go */
  lua_Integer tokens;  /* all tokens added */
  int threads;         /* threads for a long text (1: none) */
} Counter;

/* A token being looked up: its bytes, its first 16 bytes as two words and
 * its hash. A token of at most 16 bytes (most are) is compared as two words
 * and a length, without memcmp or reading the arena. */
typedef struct {
  const char *s;
  size_t n;
  uint64_t w0, w1, h;
} Key;

#define COUNTER "gisa.count.Counter"

static void counter_free(Counter *c)
{
  free(c->slots); c->slots = NULL;
  free(c->ents); c->ents = NULL;
  c->cap = c->n = c->ents_cap = 0;
  while (c->arena) { Block *b = c->arena; c->arena = b->next; free(b); }
}

static int counter_init(Counter *c)
{
  memset(c, 0, sizeof *c);
  c->cap = 1024;
  c->slots = (Slot *)calloc(c->cap, sizeof(Slot));
  c->ents_cap = 512;
  c->ents = (Entry *)malloc(c->ents_cap * sizeof(Entry));
  if (!c->slots || !c->ents) { counter_free(c); return 0; }
  c->threads = 1;
  return 1;
}

static Counter *check_counter(lua_State *L, int i)
{
  Counter *c = (Counter *)luaL_checkudata(L, i, COUNTER);
  luaL_argcheck(L, c->slots != NULL, i, "counter is closed");
  return c;
}

static uint64_t load8(const char *s) { uint64_t w; memcpy(&w, s, 8); return w; }
static uint32_t load4(const char *s) { uint32_t w; memcpy(&w, s, 4); return w; }

/* 64-bit hash of a long token over 8-byte chunks (a multiply-xorshift mix);
 * the tail is read with one overlapping load (n > 16 here). */
static uint64_t hash_bytes(const char *s, size_t n)
{
  const uint64_t K = 0x9E3779B97F4A7C15ull;
  const char *end = s + n;
  uint64_t h = n * K;
  while (n >= 8) {
    h = (h ^ load8(s)) * K;
    h ^= h >> 29;
    s += 8; n -= 8;
  }
  if (n) {
    h = (h ^ load8(end - 8)) * K;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

/* The 128-bit product of a and b folded to 64 bits (wyhash's mixing). */
static uint64_t mum(uint64_t a, uint64_t b)
{
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Fill k for token s[0..n). The two words are the same for the same bytes
 * and length and are read with overlapping loads, never past s + n and
 * never byte by byte (byte stores then a wide load stall the CPU). */
static void key_make(Key *k, const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  uint64_t a, b;
  if (n >= 16) { a = load8(s); b = load8(s + 8); }
  else if (n >= 8) { a = load8(s); b = load8(s + n - 8); }
  else if (n >= 4) { a = ((uint64_t)load4(s) << 32) | load4(s + n - 4); b = 0; }
  else if (n > 0) { a = ((uint64_t)u[0] << 16) | ((uint64_t)u[n >> 1] << 8) | u[n - 1]; b = 0; }
  else a = b = 0;
  k->s = s; k->n = n; k->w0 = a; k->w1 = b;
  k->h = n <= 16 ? mum(a ^ 0xA0761D6478BD642Full, b ^ 0xE7037ED1A0B428DBull ^ n)
                 : hash_bytes(s, n);
}

static int counter_grow(Counter *c)
{
  size_t ncap = c->cap * 2;
  Slot *ns = (Slot *)calloc(ncap, sizeof(Slot));
  if (!ns) return 0;
  for (size_t k = 0; k < c->n; k++) {
    Key key;
    key_make(&key, c->ents[k].key, c->ents[k].len);
    size_t j = key.h & (ncap - 1);
    while (ns[j].idx) j = (j + 1) & (ncap - 1);
    ns[j].tag = (uint32_t)(key.h >> 32);
    ns[j].idx = (uint32_t)(k + 1);
  }
  free(c->slots);
  c->slots = ns;
  c->cap = ncap;
  return 1;
}

static const char *arena_copy(Counter *c, const char *s, size_t n)
{
  Block *b = c->arena;
  if (!b || b->size - b->used < n) {
    size_t size = n > 65536 ? n : 65536;
    b = (Block *)malloc(sizeof(Block) + size);
    if (!b) return NULL;
    b->next = c->arena; b->used = 0; b->size = size;
    c->arena = b;
  }
  char *p = b->data + b->used;
  memcpy(p, s, n);
  b->used += n;
  return p;
}

/* The entry of token k, or NULL (and *at = its free slot). */
static Entry *counter_find(const Counter *c, const Key *k, size_t *at)
{
  size_t mask = c->cap - 1, i = k->h & mask;
  uint32_t tag = (uint32_t)(k->h >> 32);
  for (;;) {
    Slot sl = c->slots[i];
    if (!sl.idx) { if (at) *at = i; return NULL; }
    if (sl.tag == tag) {
      Entry *e = &c->ents[sl.idx - 1];
      if (e->w0 == k->w0 && e->w1 == k->w1 && e->len == k->n
          && (k->n <= 16 || memcmp(e->key + 16, k->s + 16, k->n - 16) == 0))
        return e;
    }
    i = (i + 1) & mask;
  }
}

/* Add cnt to the count of token k, copying it when new.
 * Returns 0 when out of memory. */
static int counter_add(Counter *c, const Key *k, lua_Integer cnt)
{
  size_t at;
  Entry *e = counter_find(c, k, &at);
  if (e) { e->count += cnt; return 1; }
  if (c->n == c->ents_cap) {
    if (c->n >= UINT32_MAX - 1) return 0;
    Entry *ne = (Entry *)realloc(c->ents, c->ents_cap * 2 * sizeof(Entry));
    if (!ne) return 0;
    c->ents = ne;
    c->ents_cap *= 2;
  }
  const char *s = arena_copy(c, k->s, k->n);
  if (!s) return 0;
  c->ents[c->n] = (Entry){ k->w0, k->w1, cnt, s, k->n };
  c->slots[at].tag = (uint32_t)(k->h >> 32);
  c->slots[at].idx = (uint32_t)(++c->n);
  if (c->n * 2 > c->cap) return counter_grow(c);
  return 1;
}

/* ------------------------------------------------------------------------
 * Tokenizer: runs of non-blank bytes; long texts are cut at blanks into
 * parts counted by worker threads, each into its own table, then merged.
 * ---------------------------------------------------------------------- */

/* ASCII whitespace, as awk's default field splitting and str.split() see it
 * in ASCII text. */
static const unsigned char is_space[256] = {
  ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

#ifdef __SSE2__
#include <emmintrin.h>
/* Bit i set when p[i] is blank, for the 16 bytes from p. */
static unsigned blank_mask16(const unsigned char *p)
{
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  __m128i sp = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
  __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('\t'));        /* \t \n \v \f \r -> 0..4 */
  __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d);
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(sp, ctl));
}
#endif

/* The end of the non-blank run from p (p < end): 16 bytes a step where the
 * text allows, byte by byte in its last 16 bytes. */
static const unsigned char *token_end(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
  while (end - p >= 16) {
    unsigned m = blank_mask16(p);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  while (p < end && !is_space[*p]) p++;
  return p;
}

static int count_space(Counter *c, const char *s, size_t len, lua_Integer *ntok)
{
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  lua_Integer n = 0;
  while (p < end) {
    while (p < end && is_space[*p]) p++;
    if (p >= end) break;
    const unsigned char *start = p;
    p = token_end(p, end);
    Key k;
    key_make(&k, (const char *)start, (size_t)(p - start));
    if (!counter_add(c, &k, 1)) return 0;
    n++;
  }
  *ntok += n;
  return 1;
}

#define MAX_THREADS 8
#define PART_MIN ((size_t)8 << 20)   /* below 8 MB a part is not worth a thread */

typedef struct {
  Counter c;
  const char *s;
  size_t len;
  lua_Integer ntok;
  int ok;
} Part;

static void *part_run(void *arg)
{
  Part *p = (Part *)arg;
  p->ok = count_space(&p->c, p->s, p->len, &p->ntok);
  return NULL;
}

/* Count s[0..len) into c, in up to c->threads threads. Returns 0 when out of
 * memory (nothing of Lua is touched here: the caller raises). */
static int count_text(Counter *c, const char *s, size_t len, lua_Integer *ntok)
{
  int nparts = c->threads;
  if ((size_t)nparts > len / PART_MIN) nparts = (int)(len / PART_MIN);
  if (nparts <= 1) return count_space(c, s, len, ntok);
  Part parts[MAX_THREADS];
  pthread_t tids[MAX_THREADS];
  int started[MAX_THREADS] = { 0 };
  size_t from = 0;
  for (int i = 0; i < nparts; i++) {   /* cut after a blank, so no token is split */
    size_t to = i == nparts - 1 ? len : len / (size_t)nparts * (size_t)(i + 1);
    while (to < len && !is_space[(unsigned char)s[to]]) to++;
    parts[i].s = s + from; parts[i].len = to - from; parts[i].ntok = 0; parts[i].ok = 0;
    from = to;
  }
  int ok = 1;
  for (int i = 1; i < nparts; i++) {
    if (!counter_init(&parts[i].c)) { ok = 0; break; }
    started[i] = pthread_create(&tids[i], NULL, part_run, &parts[i]) == 0;
    if (!started[i]) part_run(&parts[i]);   /* no thread: count it here */
  }
  if (ok) ok = count_space(c, parts[0].s, parts[0].len, ntok);
  for (int i = 1; i < nparts; i++) {
    if (started[i]) pthread_join(tids[i], NULL);
    if (!parts[i].c.slots) continue;
    if (ok && parts[i].ok) {
      *ntok += parts[i].ntok;
      for (size_t k = 0; ok && k < parts[i].c.n; k++) {
        Entry *e = &parts[i].c.ents[k];
        Key key;
        key_make(&key, e->key, e->len);
        ok = counter_add(c, &key, e->count);
      }
    } else {
      ok = 0;
    }
    counter_free(&parts[i].c);
  }
  return ok;
}

/* ------------------------------------------------------------------------
 * Lua functions
 * ---------------------------------------------------------------------- */

/* Add the tokens of the text (a string or a text.map) at index si to c;
 * raises when out of memory. */
static lua_Integer add_text(lua_State *L, Counter *c, int si)
{
  size_t len;
  const char *s = (const char *)gisa_checktext(L, si, &len);
  lua_Integer ntok = 0;
  if (!count_text(c, s, len, &ntok)) luaL_error(L, "not enough memory");
  c->tokens += ntok;
  return ntok;
}

/* Add every count of c into the table at index t. */
static void push_counts(lua_State *L, Counter *c, int t)
{
  for (size_t i = 0; i < c->n; i++) {
    Entry *e = &c->ents[i];
    lua_pushlstring(L, e->key, e->len);
    lua_pushvalue(L, -1);
    lua_Integer old = lua_rawget(L, t) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    lua_pushinteger(L, old + e->count);
    lua_rawset(L, t);
  }
}

/* Does entry a come before entry b in a frequency list: count descending,
 * then the bytes ascending (a prefix first), as Lua's < orders strings in
 * the C locale and A.top breaks ties. */
static int entry_before(const Entry *a, const Entry *b)
{
  if (a->count != b->count) return a->count > b->count;
  size_t n = a->len < b->len ? a->len : b->len;
  int d = memcmp(a->key, b->key, n);
  return d ? d < 0 : a->len < b->len;
}

static int entry_cmp(const void *x, const void *y)
{
  const Entry *a = *(const Entry *const *)x, *b = *(const Entry *const *)y;
  return entry_before(a, b) ? -1 : entry_before(b, a) ? 1 : 0;
}

/* Sift h[i] down a heap of k entries whose root is the last in order. */
static void heap_down(const Entry **h, size_t k, size_t i)
{
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, w = i;
    if (l < k && entry_before(h[w], h[l])) w = l;
    if (r < k && entry_before(h[w], h[r])) w = r;
    if (w == i) return;
    const Entry *t = h[i]; h[i] = h[w]; h[w] = t;
    i = w;
  }
}

/* Put into h (room for cap) the entries of c counted at least min times,
 * in frequency-list order: all of them, or the first cap when fewer fit (a
 * heap keeps the best seen so far, its root the worst of them). Returns how
 * many were put; *nmin: how many entries have count >= min. */
static size_t counter_select(const Counter *c, const Entry **h, size_t cap,
                             lua_Integer min, size_t *nmin)
{
  size_t k = 0, m = 0;
  for (size_t i = 0; i < c->n; i++) {
    const Entry *e = &c->ents[i];
    if (e->count < min) continue;
    m++;
    if (k < cap) {
      h[k++] = e;
      if (k == cap && cap < c->n)
        for (size_t j = k / 2; j-- > 0;) heap_down(h, k, j);
    } else if (cap > 0 && entry_before(e, h[0])) {
      h[0] = e;
      heap_down(h, k, 0);
    }
  }
  if (k > 1) qsort(h, k, sizeof *h, entry_cmp);
  *nmin = m;
  return k;
}

static int counter_gc(lua_State *L)
{
  counter_free((Counter *)luaL_checkudata(L, 1, COUNTER));
  return 0;
}

static Counter *counter_new(lua_State *L, int threads)
{
  Counter *c = (Counter *)lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, COUNTER);
  if (!counter_init(c)) luaL_error(L, "not enough memory");
  c->threads = threads;
  return c;
}

/* The default number of threads: the module's field `threads` when it is a
 * number in range (gisa -j N sets it, so that N processes do not each start a
 * thread per CPU), else the online CPUs, at most MAX_THREADS. The module
 * table is upvalue 1 of the module's functions. */
static int default_threads(lua_State *L)
{
  if (lua_getfield(L, lua_upvalueindex(1), "threads") == LUA_TNUMBER) {
    lua_Integer t = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (t >= 1 && t <= MAX_THREADS) return (int)t;
  } else {
    lua_pop(L, 1);
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* count.new([threads]) -> counter   (token counts kept in C; a text of many
 * megabytes is counted by up to `threads` threads, default: count.threads,
 * else the CPUs) */
static int count_new(lua_State *L)
{
  lua_Integer t = lua_isnoneornil(L, 1) ? default_threads(L) : luaL_checkinteger(L, 1);
  luaL_argcheck(L, t >= 1 && t <= MAX_THREADS, 1, "threads out of range (1 to 8)");
  counter_new(L, (int)t);
  return 1;
}

/* counter:add(s) -> ntokens   (counts the runs of non-blank bytes of s) */
static int counter_add_lua(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  lua_pushinteger(L, add_text(L, c, 2));
  return 1;
}

/* counter:counts([into]) -> table   (token -> count, added into `into` if given) */
static int counter_counts(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_createtable(L, 0, (int)(c->n < 1000000 ? c->n : 1000000));
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
  }
  push_counts(L, c, 2);
  return 1;
}

/* counter:top([n [, min]]) -> {{token, count}, ...}, ntypes
 * (the n most frequent tokens seen at least min times, default all and 1;
 * count descending, then bytes ascending, as analysis.top orders them;
 * ntypes: how many distinct tokens were seen at least min times) */
static int counter_top(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  lua_Integer n = luaL_optinteger(L, 2, 0), min = luaL_optinteger(L, 3, 1);
  size_t cap = n > 0 && (size_t)n < c->n ? (size_t)n : c->n, nmin;
  lua_settop(L, 1);
  /* the selection lives in a userdata: freed by the GC if a push raises */
  const Entry **h = (const Entry **)lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *h, 0);
  size_t k = counter_select(c, h, cap, min, &nmin);
  lua_createtable(L, (int)(k < INT32_MAX ? k : INT32_MAX), 0);
  for (size_t i = 0; i < k; i++) {
    lua_createtable(L, 2, 0);
    lua_pushlstring(L, h[i]->key, h[i]->len);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, h[i]->count);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_pushinteger(L, (lua_Integer)nmin);
  return 2;
}

/* counter:get(token) -> count   (0 when never seen) */
static int counter_get(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  Key k;
  key_make(&k, s, n);
  Entry *e = counter_find(c, &k, NULL);
  lua_pushinteger(L, e ? e->count : 0);
  return 1;
}

/* counter:total() -> ntokens, ntypes */
static int counter_total(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  lua_pushinteger(L, c->tokens);
  lua_pushinteger(L, (lua_Integer)c->n);
  return 2;
}

/* counter:close()   (frees the memory now; also done by the GC and <close>) */
static int counter_close(lua_State *L)
{
  counter_free((Counter *)luaL_checkudata(L, 1, COUNTER));
  return 0;
}

/* tostring(counter) -> "gisa.count.Counter (N tokens, M types)" */
static int counter_tostring(lua_State *L)
{
  Counter *c = (Counter *)luaL_checkudata(L, 1, COUNTER);
  if (!c->slots) lua_pushliteral(L, "gisa.count.Counter (closed)");
  else lua_pushfstring(L, "gisa.count.Counter (%I tokens, %I types)", c->tokens, (lua_Integer)c->n);
  return 1;
}

/* count.tokens(s [, counts]) -> counts, ntokens
 * (adds each whitespace token's count to counts[token]; a new table when nil) */
static int count_tokens(lua_State *L)
{
  luaL_checkstring(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_newtable(L);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
  }
  Counter *c = counter_new(L, default_threads(L));   /* index 3, freed by the GC on error */
  lua_Integer ntok = add_text(L, c, 1);
  push_counts(L, c, 2);
  counter_free(c);
  lua_pushvalue(L, 2);
  lua_pushinteger(L, ntok);
  return 2;
}

static const luaL_Reg counter_methods[] = {
  {"add",    counter_add_lua},
  {"counts", counter_counts},
  {"get",    counter_get},
  {"top",    counter_top},
  {"total",  counter_total},
  {"close",  counter_close},
  {NULL, NULL}
};

static const luaL_Reg count_funcs[] = {
  {"new",   count_new},
  {"tokens", count_tokens},
  {NULL, NULL}
};

int luaopen_gisa_count(lua_State *L)
{
  luaL_newmetatable(L, COUNTER);
  luaL_newlib(L, counter_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, counter_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, counter_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, counter_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_newlibtable(L, count_funcs);
  lua_pushvalue(L, -1);
  luaL_setfuncs(L, count_funcs, 1);     /* the module table as their upvalue */
  return 1;
}
