/*
 * quote.c: gisa.quote, the quote finder (lua/gisa/analysis/quotes.lua)
 * compiled to C. A finder is built once from the word lists of
 * gisa.analysis.quotewords (marks, verbs, titles, particles, surnames …, as a
 * user extended them). finder:block(s) reads one block and gives what
 * quotes.lua's block pass gives: each quote's text and positions, its verb and
 * the shape of its subject. finder:scan(blocks, …) reads an article as
 * quotes.lua's M.scan does: the blocks' quotes and the speaker decisions over
 * quotes.lua's tables of the people named, the searches of earlier text
 * included; a quote of any other shape is handed back to the Lua code, the
 * definition, through a callback. tests/quotes_test.lua checks both ways agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gisa.h"
#include "wordback.h"

#define FINDER "gisa.quote.Finder"
#define MAX_MARKS 16
#define MAX_AFTER 32
#define MARK_SIZE 32        /* bytes of a mark or a word after one, and one more */
#define WORD_MAX 1024       /* a longer word is handed back */
#define WINDOW 150          /* quotes.lua's WINDOW */
#define NCAND 13            /* words read for a subject candidate (quotes.lua's cand) */
#define STRIDE 13           /* values out for each quote */

/* The first place of needle[0..m) in h[0..n), or NULL: memmem's answer. Korean
 * needles are a few syllables and the texts a paragraph: 16 places at a time
 * are tested on the needle's first and last bytes (SSE2), then compared. */
static const unsigned char *find_bytes(const unsigned char *h, size_t n, const void *needle, size_t m)
{
  const unsigned char *nd = needle;
  if (m == 0) return h;
  if (m > n) return NULL;
  size_t i = 0, last = n - m;       /* places 0 .. last */
#ifdef __SSE2__
  if (m >= 2) {
    const __m128i f = _mm_set1_epi8((char)nd[0]), l = _mm_set1_epi8((char)nd[m - 1]);
    for (; i + 16 <= last + 1; i += 16) {
      __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(h + i));
      __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(h + i + m - 1));
      unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, f), _mm_cmpeq_epi8(b, l)));
      while (mask) {
        unsigned k = (unsigned)__builtin_ctz(mask);
        if (memcmp(h + i + k + 1, nd + 1, m - 2) == 0) return h + i + k;
        mask &= mask - 1;
      }
    }
  }
#endif
  for (; i <= last; i++)
    if (h[i] == nd[0] && memcmp(h + i, nd, m) == 0) return h + i;
  return NULL;
}

/* ------------------------------------------------------------------------
 * Sets of byte strings (open addressing, the strings in one pool)
 * ---------------------------------------------------------------------- */

typedef struct {
  uint32_t *slot;           /* 0 empty, else 1 + index of the entry */
  uint32_t *off, *len;      /* the entries, in the finder's pool */
  uint32_t n, cap, mask, maxlen;
} Set;

enum { S_VERBS, S_VERB_LAST, S_TITLES, S_PRONOUNS, S_DEMONSTRATIVES, S_SURNAMES, S_SURNAMES2,
  S_ORG, S_FOREIGN, S_NOT_NAMES, S_CHAINS, S_COUNT };

typedef struct { unsigned char s[MARK_SIZE]; size_t len; } Mark;

/* A few bytes to look for (up to 4 by SSE2, more by a table), with their
 * 16-byte patterns made once (bytes: userdata is not 16-byte aligned). */
typedef struct {
  int n;
  unsigned char in[256];
  unsigned char v[4][16];
} Bytes;

static void bytes_add(Bytes *set, unsigned char x)
{
  if (set->in[x]) return;
  set->in[x] = 1;
  if (set->n < 4) {
    set->n++;
    memset(set->v[set->n - 1], x, 16);
    for (int k = set->n; k < 4; k++) memset(set->v[k], set->v[0][0], 16);
  } else set->n = 5;
}

/* The first i' in [i, hi) where s holds a byte of set, or hi: 16 bytes at a
 * time (the text between marks is most of a paragraph). */
static size_t next_of(const unsigned char *s, size_t i, size_t hi, const Bytes *set)
{
#ifdef __SSE2__
  if (set->n >= 1 && set->n <= 4) {
    const __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)set->v[0]),
      v1 = _mm_loadu_si128((const __m128i *)(const void *)set->v[1]),
      v2 = _mm_loadu_si128((const __m128i *)(const void *)set->v[2]),
      v3 = _mm_loadu_si128((const __m128i *)(const void *)set->v[3]);
    for (; i + 16 <= hi; i += 16) {
      __m128i p = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
      unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(p, v0), _mm_cmpeq_epi8(p, v1)),
        _mm_or_si128(_mm_cmpeq_epi8(p, v2), _mm_cmpeq_epi8(p, v3))));
      if (m) return i + (size_t)__builtin_ctz(m);
    }
  }
#endif
  while (i < hi && !set->in[s[i]]) i++;
  return i;
}

typedef struct {
  char *pool;
  size_t pool_len, pool_cap;
  Set set[S_COUNT];
  /* lists tried in order, longest first: particles, compound titles */
  uint32_t *poff[2], *plen[2];
  uint32_t pn[2];
  unsigned char plast[2][256];  /* the last bytes of their words (any: 1 for all, an empty word) */
  int nmarks;
  Mark open[MAX_MARKS], close[MAX_MARKS], after[MAX_MARKS][MAX_AFTER];
  int nafter[MAX_MARKS];
  void *reader;                 /* a Reader, the scratch of finder:block (one Lua state uses it) */
  void *mention;                /* a Mention, what finder:scan's search of earlier text found */
  void *reader2;                /* a Reader for those searches */
  void *tail;                   /* a Tail, the words a pronoun's search reads */
  void *memo;                   /* a Memo, the searches of the article that found no one */
  void *vals;                   /* a Vals, block_pass's numbers for each quote of a block */
  Bytes first;                  /* bytes that start an opening mark */
  Bytes stop;                   /* bytes that end a sentence before a blank */
} Finder;

static uint32_t hash_bytes(const unsigned char *p, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void *grow(lua_State *L, void *p, size_t size)
{
  void *q = realloc(p, size);
  if (!q) luaL_error(L, "gisa.quote: out of memory");
  return q;
}

/* The pool offset of a copy of p[0..n). */
static uint32_t pool_add(lua_State *L, Finder *F, const char *p, size_t n)
{
  if (n > 0xFFFFFFu) luaL_error(L, "gisa.quote: a word of %d bytes or more", 0xFFFFFF);
  if (F->pool_len + n > F->pool_cap) {
    size_t cap = F->pool_cap ? F->pool_cap * 2 : 4096;
    while (cap < F->pool_len + n) cap *= 2;
    F->pool = grow(L, F->pool, cap);
    F->pool_cap = cap;
  }
  memcpy(F->pool + F->pool_len, p, n);
  F->pool_len += n;
  return (uint32_t)(F->pool_len - n);
}

static int set_has(const Finder *F, const Set *S, const unsigned char *p, size_t n)
{
  if (S->n == 0 || n > S->maxlen) return 0;
  uint32_t h = hash_bytes(p, n) & S->mask;
  for (;;) {
    uint32_t e = S->slot[h];
    if (e == 0) return 0;
    e--;
    if (S->len[e] == n && memcmp(F->pool + S->off[e], p, n) == 0) return 1;
    h = (h + 1) & S->mask;
  }
}

static void set_rehash(lua_State *L, Set *S, const Finder *F, uint32_t cap)
{
  uint32_t *slot = calloc(cap, sizeof *slot);
  if (!slot) luaL_error(L, "gisa.quote: out of memory");
  free(S->slot);
  S->slot = slot;
  S->mask = cap - 1;
  for (uint32_t e = 0; e < S->n; e++) {
    uint32_t h = hash_bytes((const unsigned char *)F->pool + S->off[e], S->len[e]) & S->mask;
    while (S->slot[h]) h = (h + 1) & S->mask;
    S->slot[h] = e + 1;
  }
}

static void set_add(lua_State *L, Finder *F, Set *S, const char *p, size_t n)
{
  if (set_has(F, S, (const unsigned char *)p, n)) return;
  if (S->n == S->cap) {
    uint32_t cap = S->cap ? S->cap * 2 : 16;
    S->off = grow(L, S->off, cap * sizeof *S->off);
    S->len = grow(L, S->len, cap * sizeof *S->len);
    S->cap = cap;
  }
  uint32_t off = pool_add(L, F, p, n);
  S->off[S->n] = off;
  S->len[S->n] = (uint32_t)n;
  S->n++;
  if (n > S->maxlen) S->maxlen = (uint32_t)n;
  set_rehash(L, S, F, S->cap * 2);     /* slots: twice the entries */
}

/* ------------------------------------------------------------------------
 * Building a finder from the word lists
 * ---------------------------------------------------------------------- */

/* The strings of the array at idx (ipairs order; other values are never a word). */
static void add_list(lua_State *L, Finder *F, Set *S, int idx, const char *name)
{
  if (lua_getfield(L, idx, name) != LUA_TTABLE)
    luaL_error(L, "gisa.quote: the word list '%s' must be a table", name);
  for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
    size_t n;
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *p = lua_tolstring(L, -1, &n);
      set_add(L, F, S, p, n);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
}

static int blank(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The words of the string at idx's field name, cut at white space. */
static void add_words(lua_State *L, Finder *F, Set *S, int idx, const char *name)
{
  if (lua_getfield(L, idx, name) != LUA_TSTRING)
    luaL_error(L, "gisa.quote: the word list '%s' must be a string", name);
  size_t n;
  const char *p = lua_tolstring(L, -1, &n);
  for (size_t i = 0; i < n;) {
    while (i < n && blank((unsigned char)p[i])) i++;
    size_t j = i;
    while (j < n && !blank((unsigned char)p[j])) j++;
    if (j > i) set_add(L, F, S, p + i, j - i);
    i = j;
  }
  lua_pop(L, 1);
}

/* A list tried in order, longest first (quotes.lua sorts it so). */
static void add_sorted(lua_State *L, Finder *F, int which, int idx, const char *name)
{
  if (lua_getfield(L, idx, name) != LUA_TTABLE)
    luaL_error(L, "gisa.quote: the word list '%s' must be a table", name);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  F->poff[which] = grow(L, F->poff[which], (size_t)(n + 1) * sizeof(uint32_t));
  F->plen[which] = grow(L, F->plen[which], (size_t)(n + 1) * sizeof(uint32_t));
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) != LUA_TSTRING) luaL_error(L, "gisa.quote: '%s' must hold strings", name);
    size_t len;
    const char *p = lua_tolstring(L, -1, &len);
    uint32_t off = pool_add(L, F, p, len);
    uint32_t k = F->pn[which]++;
    while (k > 0 && F->plen[which][k - 1] < len) {      /* insertion: longest first */
      F->poff[which][k] = F->poff[which][k - 1];
      F->plen[which][k] = F->plen[which][k - 1];
      k--;
    }
    F->poff[which][k] = off;
    F->plen[which][k] = (uint32_t)len;
    if (len == 0) memset(F->plast[which], 1, 256);
    else F->plast[which][(unsigned char)p[len - 1]] = 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void get_mark(lua_State *L, Mark *m, const char *what)
{
  size_t len = 0;
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
  if (!s || len == 0 || len >= MARK_SIZE)
    luaL_error(L, "gisa.quote: %s must be a non-empty string of at most %d bytes", what, MARK_SIZE - 1);
  memcpy(m->s, s, len);
  m->len = len;
  lua_pop(L, 1);
}

static void add_marks(lua_State *L, Finder *F, int idx)
{
  if (lua_getfield(L, idx, "marks") != LUA_TTABLE) luaL_error(L, "gisa.quote: 'marks' must be a table");
  int n = (int)lua_rawlen(L, -1);
  if (n < 1 || n > MAX_MARKS) luaL_error(L, "gisa.quote: 1 to %d marks", MAX_MARKS);
  for (int k = 0; k < n; k++) {
    if (lua_rawgeti(L, -1, k + 1) != LUA_TTABLE)
      luaL_error(L, "gisa.quote: a mark must be a table {open, close [, after]}");
    lua_rawgeti(L, -1, 1);
    get_mark(L, &F->open[k], "a mark's open");
    lua_rawgeti(L, -1, 2);
    get_mark(L, &F->close[k], "a mark's close");
    if (lua_getfield(L, -1, "after") == LUA_TTABLE) {
      int na = (int)lua_rawlen(L, -1);
      if (na > MAX_AFTER) luaL_error(L, "gisa.quote: more than %d words after a mark", MAX_AFTER);
      for (int w = 0; w < na; w++) {
        lua_rawgeti(L, -1, w + 1);
        get_mark(L, &F->after[k][w], "a word after a mark");
      }
      F->nafter[k] = na;
    } else if (!lua_isnil(L, -1))
      luaL_error(L, "gisa.quote: a mark's after must be an array of strings");
    lua_pop(L, 2);
    bytes_add(&F->first, F->open[k].s[0]);
  }
  F->nmarks = n;
  bytes_add(&F->stop, '.');
  bytes_add(&F->stop, '?');
  bytes_add(&F->stop, '!');
  lua_pop(L, 1);
}

static size_t reader_size(void);
static size_t mention_size(void);
static size_t tail_size(void);
static size_t memo_size(void);

/* block_pass's numbers for a quote (the values 2-5 and 7-11 of finder:block,
 * kept in C: finder:scan reads them here, and puts them in the Lua table only
 * for a quote it hands back) */
typedef struct {
  lua_Integer open, after, mark, said, ts, te, blo, shape, lend;
  size_t tfrom, tlen;           /* the text: s[tfrom .. tfrom + tlen) */
  int verb;                     /* V_NONE, V_SPAN s[vfrom .. vfrom + vlen), V_TWO (in out only) */
  size_t vfrom, vlen;
} QVal;
typedef struct { QVal *v; size_t cap; } Vals;

static Finder *check_finder(lua_State *L)
{
  return luaL_checkudata(L, 1, FINDER);
}

/* __gc, __close: free what the finder holds (twice is harmless) */
static int finder_gc(lua_State *L)
{
  Finder *F = luaL_checkudata(L, 1, FINDER);
  free(F->pool);
  for (int k = 0; k < S_COUNT; k++) {
    free(F->set[k].slot); free(F->set[k].off); free(F->set[k].len);
  }
  for (int k = 0; k < 2; k++) { free(F->poff[k]); free(F->plen[k]); }
  free(F->reader);
  free(F->mention);
  free(F->reader2);
  free(F->tail);
  if (F->vals) free(((Vals *)F->vals)->v);
  free(F->vals);
  free(F->memo);
  memset(F, 0, sizeof *F);
  return 0;
}

/* __tostring */
static int finder_tostring(lua_State *L)
{
  Finder *F = check_finder(L);
  lua_pushfstring(L, "gisa.quote.Finder (%d marks, %d verbs, %d titles): %p", F->nmarks,
    (int)F->set[S_VERBS].n, (int)F->set[S_TITLES].n, (void *)F);
  return 1;
}

/* quote.finder(words) -> finder   (words: the lists of gisa.analysis.quotewords) */
static int quote_finder(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  Finder *F = lua_newuserdatauv(L, sizeof *F, 0);
  memset(F, 0, sizeof *F);
  luaL_setmetatable(L, FINDER);       /* from here __gc frees what is made */
  F->reader = grow(L, NULL, reader_size());
  F->mention = grow(L, NULL, mention_size());
  F->reader2 = grow(L, NULL, reader_size());
  F->tail = grow(L, NULL, tail_size());
  F->memo = grow(L, NULL, memo_size());
  F->vals = grow(L, NULL, sizeof(Vals));
  memset(F->vals, 0, sizeof(Vals));
  memset(F->memo, 0, memo_size());
  add_marks(L, F, 1);
  add_list(L, F, &F->set[S_VERBS], 1, "verbs");
  add_list(L, F, &F->set[S_TITLES], 1, "titles");
  add_list(L, F, &F->set[S_PRONOUNS], 1, "pronouns");
  add_list(L, F, &F->set[S_DEMONSTRATIVES], 1, "demonstratives");
  add_list(L, F, &F->set[S_SURNAMES2], 1, "surnames2");
  add_list(L, F, &F->set[S_ORG], 1, "org_suffixes");
  add_list(L, F, &F->set[S_NOT_NAMES], 1, "not_names");
  add_list(L, F, &F->set[S_CHAINS], 1, "chains");
  add_words(L, F, &F->set[S_SURNAMES], 1, "surnames");
  add_words(L, F, &F->set[S_FOREIGN], 1, "foreign_syllables");
  add_sorted(L, F, 0, 1, "particles");
  add_sorted(L, F, 1, 1, "compound_titles");
  /* the last word of each verb of two words or more (못 박았다: 박았다) */
  const Set *V = &F->set[S_VERBS];
  for (uint32_t e = 0; e < V->n; e++) {
    uint32_t len = V->len[e];
    if (len == 0) continue;
    size_t end = len;     /* quotes.lua: match(v, "%s(%S+)$") */
    while (end > 0 && blank((unsigned char)F->pool[V->off[e] + end - 1])) end--;
    if (end < len) continue;            /* ends in a blank: no match */
    size_t b = end;
    while (b > 0 && !blank((unsigned char)F->pool[V->off[e] + b - 1])) b--;
    if (b == 0) continue;               /* one word */
    char word[WORD_MAX];
    if (end - b > sizeof word) continue;
    memcpy(word, F->pool + V->off[e] + b, end - b);   /* (the pool may move) */
    set_add(L, F, &F->set[S_VERB_LAST], word, end - b);
  }
  return 1;
}

/* ------------------------------------------------------------------------
 * Words (as quotes.lua reads them)
 * ---------------------------------------------------------------------- */

typedef struct { unsigned char b[WORD_MAX]; size_t len; int big; } Word;

/* The last word of s[lo..i) into w (lines.wordback: parenthesis groups left
 * out), its start in *start; 0 when there is none. */
static int word_back(const unsigned char *s, size_t lo, size_t i, Word *w, size_t *start)
{
  gisa_word p;
  if (!gisa_word_back(s, lo, i, &p)) return 0;
  w->len = 0;
  w->big = 0;
  for (int k = p.n - 1; k >= 0; k--) {
    size_t n = p.ends[k] - p.starts[k];
    if (w->len + n > WORD_MAX) { w->big = 1; w->len += n; continue; }
    memcpy(w->b + w->len, s + p.starts[k], n);
    w->len += n;
  }
  *start = p.start;
  return 1;
}

/* The Hangul syllables of w (quotes.lua's SYLLABLES pattern, byte for byte),
 * or -1 when it has anything else. */
static int syllables(const unsigned char *w, size_t n)
{
  if (n == 0) return -1;
  size_t i = 0;
  while (i < n) {
    unsigned b = w[i];
    if (i + 3 > n) return -1;
    if (b == 0xEA) { if (w[i + 1] < 0xB0) return -1; }
    else if (b == 0xED) { if (w[i + 1] > 0x9E) return -1; }
    else if (b != 0xEB && b != 0xEC) return -1;
    i += 3;
  }
  return (int)(n / 3);
}

/* A string literal and its length */
typedef struct { const char *s; size_t n; } Lit;
#define LIT(x) { x, sizeof x - 1 }

static int ends_with(const unsigned char *w, size_t n, const char *e, size_t m)
{
  return n > m && memcmp(w + n - m, e, m) == 0;
}

/* quotes.lua's korean_name_of: 0 no, 1 a name, 2 a two-syllable one ("short") */
static int korean_name(const Finder *F, const unsigned char *w, size_t n)
{
  int k = syllables(w, n);
  if (k < 2 || k > 4 || set_has(F, &F->set[S_NOT_NAMES], w, n)) return 0;
  int ok = 0;
  if (set_has(F, &F->set[S_SURNAMES2], w, 6) && k >= 3) ok = 1;
  else if (set_has(F, &F->set[S_SURNAMES], w, 3)) ok = k == 3 ? 1 : k == 2 ? 2 : 0;
  if (!ok) return 0;
  for (size_t i = 3; i < n; i += 3)
    if (set_has(F, &F->set[S_FOREIGN], w + i, 3)) return 0;
  if (set_has(F, &F->set[S_ORG], w + n - 3, 3)) return 0;
  return ok;
}

/* The length of the subject particle w ends in (w longer), or 0. */
static size_t particle(const Finder *F, const unsigned char *w, size_t n)
{
  if (n == 0 || !F->plast[0][w[n - 1]]) return 0;   /* (most words end in no particle) */
  for (uint32_t k = 0; k < F->pn[0]; k++)
    if (ends_with(w, n, F->pool + F->poff[0][k], F->plen[0][k])) return F->plen[0][k];
  return 0;
}

static int is_title(const Finder *F, const unsigned char *w, size_t n)
{
  if (set_has(F, &F->set[S_TITLES], w, n)) return 1;
  if (n == 0 || !F->plast[1][w[n - 1]]) return 0;
  for (uint32_t k = 0; k < F->pn[1]; k++) {
    uint32_t m = F->plen[1][k];
    if (m < n && (m == 0 || (unsigned char)F->pool[F->poff[1][k] + m - 1] == w[n - 1])
        && memcmp(w + n - m, F->pool + F->poff[1][k], m) == 0) return 1;
  }
  return 0;
}

/* quotes.lua's ends_clause */
static int ends_clause(const unsigned char *w, size_t n)
{
  static const Lit ends[] = { LIT("의"), LIT("에"), LIT("를"), LIT("을"), LIT("에서"), LIT("는"), LIT("은") };
  for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
    if (ends_with(w, n, ends[k].s, ends[k].n)) return 1;
  if (n >= 1 && (w[n - 1] == '.' || w[n - 1] == '!' || w[n - 1] == '?')) return 1;
  return n >= 3 && memcmp(w + n - 3, "다", 3) == 0;
}

/* ------------------------------------------------------------------------
 * The verb after a quote (quotes.lua's FIRST_DA and verb_in)
 * ---------------------------------------------------------------------- */

static int da_at(const unsigned char *s, size_t x, size_t end)
{
  return x + 3 <= end && s[x] == 0xEB && s[x + 1] == 0x8B && s[x + 2] == 0xA4;
}

/* DA_END at x: 다, then bytes of .,!?)]"' and of ” ’, then a blank or the end */
static int da_end(const unsigned char *s, size_t x, size_t end)
{
  if (!da_at(s, x, end)) return 0;
  size_t y = x + 3;
  while (y < end && memchr(".,!?)]\"'\xE2\x80\x9D\x99", s[y], 12)) y++;
  return y == end || blank(s[y]);
}

static int halt(const unsigned char *s, size_t x, size_t end)
{
  unsigned c = s[x];
  if (c == '"') return 1;
  if (c == 0xE2) return x + 3 <= end && s[x + 1] == 0x80 && (s[x + 2] == 0x9C || s[x + 2] == 0x98);
  if (c == '.' || c == '!' || c == '?') return x + 1 < end && blank(s[x + 1]);
  return c == 0xEB && da_end(s, x, end);
}

/* What a byte may be to FIRST_DA: part of a word, a blank, or the first byte
 * of a halt (halt decides: " “ ‘ always, .!? before a blank, 다 ending a word) */
enum { B_WORD, B_BLANK, B_HALT };
static const unsigned char da_class[256] = {
  ['\t'] = B_BLANK, ['\n'] = B_BLANK, ['\v'] = B_BLANK, ['\f'] = B_BLANK, ['\r'] = B_BLANK,
  [' '] = B_BLANK, ['"'] = B_HALT, ['.'] = B_HALT, ['!'] = B_HALT, ['?'] = B_HALT,
  [0xE2] = B_HALT, [0xEB] = B_HALT,
};

/* The end of the word at x in s[..end): the first blank, halt or end. */
static size_t word_end(const unsigned char *s, size_t x, size_t end)
{
  for (;;) {
    while (x < end && da_class[s[x]] == B_WORD) x++;
    if (x < end && da_class[s[x]] == B_HALT && !halt(s, x, end)) { x++; continue; }
    return x;
  }
}

/* FIRST_DA matched at ts over s[..end): the start of the word and its 다.
 * (words and the blanks after them are passed over until a word ends in no
 * blank: at a halt, which must be its 다, or at the end) */
static int first_da(const unsigned char *s, size_t ts, size_t end, size_t *start, size_t *da)
{
  size_t pos = ts, q;
  for (;;) {
    q = word_end(s, pos, end);
    size_t r = q;
    while (r < end && da_class[s[r]] == B_BLANK) r++;
    if (r == q) break;
    pos = r;
  }
  if (q >= end || !da_end(s, q, end)) return 0;
  *start = pos;
  *da = q;
  return 1;
}

/* What verb_of found: no verb, a verb in the text (its start and length), or
 * one of two words (못 박았다) made in a buffer */
enum { V_NONE, V_SPAN, V_TWO };

/* The reporting verb after a quote, in s[ts..te) (n = #s): V_SPAN (*from,
 * *len), V_TWO (two[0..*len)) or V_NONE. */
static int verb_of(const Finder *F, const unsigned char *s, size_t n, size_t ts, size_t te,
  size_t *from, size_t *len, unsigned char two[WORD_MAX])
{
  size_t start, p;
  if (!first_da(s, ts, n, &start, &p)) return V_NONE;
  if (p + 3 > te && te < n) {       /* past the window: as if the text ended there */
    if (!first_da(s, ts, te, &start, &p)) return V_NONE;
  }
  size_t vlen = p + 3 - start;
  if (set_has(F, &F->set[S_VERBS], s + start, vlen)) {
    *from = start;
    *len = vlen;
    return V_SPAN;
  }
  if (!set_has(F, &F->set[S_VERB_LAST], s + start, vlen)) return V_NONE;
  if (start == 0 || start - 1 < ts) return V_NONE;
  size_t j = start - 1;             /* the word before, as quotes.lua reads it */
  while (j >= ts && blank(s[j])) { if (j == 0 || j == ts) return V_NONE; j--; }
  size_t i = j;
  while (i > ts && !blank(s[i - 1])) i--;
  size_t tl = j + 1 - i + 1 + vlen;
  if (tl > F->set[S_VERBS].maxlen || tl > WORD_MAX) return V_NONE;
  memcpy(two, s + i, j + 1 - i);
  two[j + 1 - i] = ' ';
  memcpy(two + j + 2 - i, s + start, vlen);
  if (!set_has(F, &F->set[S_VERBS], two, tl)) return V_NONE;
  *len = tl;
  return V_TWO;
}

/* ------------------------------------------------------------------------
 * The quotes of a block
 * ---------------------------------------------------------------------- */

/* quotes.lua's long_enough: 6 characters (utf8.len, strict), bytes when invalid */
static int long_enough(const unsigned char *q, size_t n)
{
  if (n < 6) return 0;
  if (n > 20) return 1;
  static const uint32_t limits[] = { ~(uint32_t)0, 0x80, 0x800, 0x10000u, 0x200000u, 0x4000000u };
  size_t chars = 0;
  for (size_t i = 0; i < n; chars++) {
    unsigned c = q[i];
    uint32_t res = 0;
    if (c < 0x80) { i++; continue; }
    int count = 0;
    for (; c & 0x40; c <<= 1) {
      unsigned cc = i + (size_t)count + 1 < n ? q[i + (size_t)count + 1] : 0;
      count++;
      if ((cc & 0xC0) != 0x80) return 1;        /* invalid: bytes, n >= 6 */
      res = (res << 6) | (cc & 0x3F);
    }
    if (count > 5) return 1;
    res |= ((uint32_t)(c & 0x7F) << (count * 5));
    if (res > 0x7FFFFFFFu || res < limits[count]) return 1;
    if (res > 0x10FFFFu || (res >= 0xD800u && res <= 0xDFFFu)) return 1;
    i += (size_t)count + 1;
  }
  return chars >= 6;
}

/* Subject shapes (out value 10) */
enum { K_NAMED = 1, K_PRONOUN, K_SHORT, K_LAST, K_NONE, K_PLAIN, K_LATER, K_BACK };

typedef struct {
  const unsigned char *a, *b;   /* a name or a surname (NULL: none), a title */
  size_t alen, blen;
  int c;                        /* an org (K_NAMED), a demonstrative (K_SHORT) */
  const unsigned char *org;
  size_t orglen;
} Shape;

/* quotes.lua's first_subject over s[lo..hi): K_NAMED (a name, b title, c org
 * or none), K_PRONOUN, K_SHORT (a surname or none, b title, c demonstrative),
 * 0 (another shape) or K_BACK (a word too long to read here). The words are
 * copied into ws[0..2]. */
static int first_subject(const Finder *F, const unsigned char *s, size_t lo, size_t hi, Word *ws,
  Shape *sh)
{
  size_t st, st2, st3;
  Word *w1 = &ws[0], *w2 = &ws[1], *w3 = &ws[2];
  if (!word_back(s, lo, hi, w1, &st)) return 0;
  if (w1->big) return K_BACK;
  size_t p = particle(F, w1->b, w1->len);
  if (!p) return 0;
  size_t blen = w1->len - p;
  if (set_has(F, &F->set[S_PRONOUNS], w1->b, blen)) return K_PRONOUN;
  if (!is_title(F, w1->b, blen)) return 0;
  if (!word_back(s, lo, st, w2, &st2)) return 0;
  if (w2->big) return K_BACK;
  int ok = korean_name(F, w2->b, w2->len);
  sh->b = w1->b; sh->blen = blen;
  if (ok == 1) {
    sh->a = w2->b; sh->alen = w2->len; sh->c = 0;
    return K_NAMED;
  }
  if (w2->len == 3) {
    if (ok || syllables(w2->b, 3) != 1) return 0;
    int sur = set_has(F, &F->set[S_SURNAMES], w2->b, 3);
    sh->a = sur ? w2->b : NULL; sh->alen = sur ? 3 : 0;
    sh->c = set_has(F, &F->set[S_DEMONSTRATIVES], w2->b, 3);
    return K_SHORT;
  }
  if (ends_clause(w2->b, w2->len)) return 0;
  if (!word_back(s, lo, st2, w3, &st3)) return 0;
  if (w3->big) return K_BACK;
  if (korean_name(F, w3->b, w3->len) != 1) return 0;
  sh->a = w3->b; sh->alen = w3->len;
  sh->c = 1; sh->org = w2->b; sh->orglen = w2->len;
  return K_NAMED;
}

/* The words of s[lo..pos) read right to left as they are needed (quotes.lua's
 * candidates and fetch): w[0] is the last word. */
#define NWORDS (NCAND + 6)
typedef struct {
  const unsigned char *s;
  size_t lo, pos;
  int n, end;
  Word w[NWORDS];
  unsigned char org[WORD_MAX];    /* the words between a name and its title */
  size_t orglen;
} Reader;

static size_t reader_size(void) { return sizeof(Reader); }

/* Is word j read (or there to read)? */
static int reader_get(Reader *r, int j)
{
  while (r->n <= j) {
    size_t st;
    if (r->end || r->n == NWORDS || !word_back(r->s, r->lo, r->pos, &r->w[r->n], &st)) {
      r->end = 1;
      return 0;
    }
    r->pos = st;
    r->n++;
  }
  return 1;
}

/* quotes.lua's org_word: Latin (LG, AI) or a Hangul word ending like an organisation */
static int org_word(const Finder *F, const Word *w)
{
  size_t i = 0;
  while (i < w->len) {
    unsigned c = w->b[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '&'))
      break;
    i++;
  }
  if (w->len > 0 && i == w->len) return 1;
  return syllables(w->b, w->len) >= 2 && set_has(F, &F->set[S_ORG], w->b + w->len - 3, 3);
}

#define K_OTHER 100       /* a candidate of a shape the fast path does not decide */

/* quotes.lua's cand(c, 1) and describe over the words of s[lo..hi): the first
 * word in a subject particle among the last NCAND and what it says, when it
 * is a pronoun, a surname and title (K_SHORT: a surname word or none in
 * sh->a, the title in sh->b, c demonstrative) or a name before its title
 * (K_NAMED: name a, title b, org in r->org when c); K_OTHER for a candidate
 * that names no one by these shapes (a bare name, a family name, none), 0
 * for no candidate, K_BACK for the rest (a foreign name, a title alone: the
 * Lua code reads those) and for a word too long to read here. */
static int first_candidate(const Finder *F, Reader *r, Shape *sh)
{
  int k = -1;
  size_t p = 0;
  for (int j = 0; j < NCAND && reader_get(r, j); j++) {
    if (r->w[j].big) return K_BACK;
    if ((p = particle(F, r->w[j].b, r->w[j].len)) > 0) { k = j; break; }
  }
  if (k < 0) return 0;
  const Word *head = &r->w[k];
  size_t blen = head->len - p;
  if (set_has(F, &F->set[S_PRONOUNS], head->b, blen)) return K_PRONOUN;
  if (!is_title(F, head->b, blen)) return K_OTHER;
  sh->b = head->b; sh->blen = blen;
  if (reader_get(r, k + 1)) {
    const Word *prev = &r->w[k + 1];
    if (prev->big) return K_BACK;
    if (prev->len == 3 && syllables(prev->b, 3) == 1) {
      /* 노 연구원, 이 대표: the last person with that surname (or title) */
      int sur = set_has(F, &F->set[S_SURNAMES], prev->b, 3);
      sh->a = sur ? prev->b : NULL; sh->alen = sur ? 3 : 0;
      sh->c = set_has(F, &F->set[S_DEMONSTRATIVES], prev->b, 3);
      return K_SHORT;
    }
  }
  /* name_before: names of three syllables or more first, then of two */
  for (int pass = 1; pass <= 2; pass++) {
    for (int i = k + 1; i <= k + 4; i++) {
      if (!reader_get(r, i)) break;
      const Word *w = &r->w[i];
      if (w->big) return K_BACK;
      if (w->len == 3 && syllables(w->b, 3) == 1) break;
      int kn = korean_name(F, w->b, w->len);
      if ((kn == 1 || (kn == 2 && pass == 2)) && (pass == 1 || i == k + 1 || org_word(F, &r->w[i - 1]))) {
        sh->a = w->b; sh->alen = w->len;
        sh->c = i > k + 1;
        r->orglen = 0;
        for (int j = i - 1; j > k; j--) {     /* the words between, left to right */
          const Word *o = &r->w[j];
          if (r->orglen + o->len + 1 > sizeof r->org) return K_BACK;
          if (r->orglen) r->org[r->orglen++] = ' ';
          memcpy(r->org + r->orglen, o->b, o->len);
          r->orglen += o->len;
        }
        return K_NAMED;
      }
      if (ends_clause(w->b, w->len)) break;
    }
  }
  return K_BACK;
}

/* quotes.lua's clause_end over 1-based positions: the 1-based 다, or 0. */
static size_t clause_end(const unsigned char *s, size_t n, size_t ts1, size_t te1)
{
  const unsigned char *hit;
  size_t from = ts1;                /* find(s, "다", ts + 1): 0-based ts */
  size_t lim = te1 < n ? te1 : n;   /* (a 다 past te is never the one: look no further) */
  while (from + 3 <= lim && (hit = find_bytes(s + from, lim - from, "다", 3)) != NULL) {
    size_t p0 = (size_t)(hit - s);
    if (p0 + 4 > te1) return 0;
    unsigned b0 = s[p0 - 1], b1 = s[p0 + 3];
    if (!blank(b0) && (blank(b1) || b1 == '.' || b1 == ',')) return p0 + 1;
    from = p0 + 3;
  }
  return 0;
}

/* quotes.lua's ONE_WORD at 1-based ts: the 1-based position after the first
 * word, or 0; read up to 0-based lim at most (a word that reaches it goes on
 * past it: lim + 1 is given), so each quote reads a bounded stretch. */
static size_t one_word(const unsigned char *s, size_t n, size_t ts1, size_t lim)
{
  size_t i = ts1 - 1;
  if (lim < n) n = lim;
  while (i < n && blank(s[i])) i++;
  size_t j = i;
  while (j < n) {
    unsigned c = s[j];
    if (blank(c) || c == ',' || c == '(' || c == ')') break;
    if (c == 0xC2 && j + 1 < n && s[j + 1] == 0xB7) break;
    if (c == 0xE2 && j + 2 < n && s[j + 1] == 0x80 && s[j + 2] == 0xA6) break;
    j++;
  }
  return j > i ? j + 1 : 0;
}

static void push_span(lua_State *L, const unsigned char *p, size_t n)
{
  lua_pushlstring(L, (const char *)p, n);
}

/* Quote qv's verb (verb_of's V_NONE or V_SPAN) pushed: the string, or false */
static void push_verb(lua_State *L, const unsigned char *s, const QVal *qv)
{
  if (qv->verb == V_SPAN) push_span(L, s + qv->vfrom, qv->vlen);
  else lua_pushboolean(L, 0);
}

/* The quotes of block s taken for the record (line: s is a quote line, where
 * every quote that fits is taken), STRIDE values each in out from out[1]:
 * text, open, after, mark, said (the index of the word after the closing
 * mark, 0: none), verb or false, ts, te (the window after the quote, 1-based),
 * blo (where the words before it start, 0: none), shape, and a, b, c by the
 * shape: K_NAMED name, title, org or false; K_SHORT surname or false, title,
 * demonstrative; K_LATER the end of the text read after it for a subject.
 * marks: how many quotes the scan found (taken or not); taken is -1 when
 * there is none and no quote mark opens the block (nothing to read there).
 * The numbers are kept in F->vals (put_vals writes them out); the text and
 * the verb go to out only with put (finder:scan pushes them from s, where
 * QVal says), but a verb of two words always. */
static lua_Integer block_pass(lua_State *L, const Finder *F, const unsigned char *s, size_t n,
  int line, int out, int put, lua_Integer *nmarks)
{
  unsigned char two[WORD_MAX];
  Word ws[3];
  Reader *rd = (Reader *)F->reader;   /* (too big for the stack: 18 KB) */
  lua_Integer taken = 0, marks = 0;
  size_t closer[MAX_MARKS], searched[MAX_MARKS];
  for (int k = 0; k < F->nmarks; k++) closer[k] = searched[k] = (size_t)-1;
  size_t i = 0, sent = 0, seen = 0;
  size_t prev_after = 0;            /* 1-based, 0: none */
  /* the scan (lines.quotemarks) one quote ahead: the next opening is needed */
  size_t q_open = 0, q_from = 0, q_to = 0, q_stop = 0, q_sent = 0;
  int q_mark = 0, q_said = 0, have = 0;
  for (;;) {
    /* find the next quote */
    int found = 0;
    size_t n_open = 0, n_from = 0, n_to = 0, n_stop = 0, n_sent = 0;
    int n_mark = 0, n_said = 0;
    while (i < n) {
      i = next_of(s, i, n, &F->first);
      if (i >= n) break;
      int k = 0;
      while (k < F->nmarks && !(F->open[k].len <= n - i && memcmp(s + i, F->open[k].s, F->open[k].len) == 0))
        k++;
      if (k == F->nmarks) { i++; continue; }
      size_t from = i + F->open[k].len, to;
      if (searched[k] != (size_t)-1 && searched[k] <= from && closer[k] >= from) to = closer[k];
      else {
        const Mark *c = &F->close[k];
        to = n;
        if (from < n && n - from >= c->len) {
          const unsigned char *h = find_bytes(s + from, n - from, c->s, c->len);
          if (h) to = (size_t)(h - s);
        }
        searched[k] = from;
        closer[k] = to;
      }
      if (to == n || to == from) { i = from; continue; }
      for (;;) {                    /* the sentence the mark is in */
        size_t x = next_of(s, seen, i, &F->stop);
        if (x >= i) { seen = i; break; }    /* (no stop before i: not read again) */
        size_t y = x + 1;
        for (;;) {
          if (y < n && (s[y] == ' ' || s[y] == '\t')) y++;
          else if (y + 1 < n && s[y] == 0xC2 && s[y + 1] == 0xA0) y += 2;
          else if (y + 2 < n && s[y] == 0xE3 && s[y + 1] == 0x80 && s[y + 2] == 0x80) y += 3;
          else break;
        }
        if (y > x + 1) {
          if (y > i) break;
          sent = y;
        }
        seen = x + 1;
      }
      size_t stop = to + F->close[k].len;
      int said = 0;
      for (int w = 0; w < F->nafter[k] && !said; w++) {
        const Mark *aw = &F->after[k][w];
        if (aw->len <= n - stop && s[stop] == aw->s[0] && memcmp(s + stop, aw->s, aw->len) == 0)
          said = w + 1;
      }
      n_open = i + 1; n_from = from + 1; n_to = to; n_stop = stop + 1; n_sent = sent + 1;
      n_mark = k + 1; n_said = said;
      found = 1;
      i = stop;
      break;
    }
    if (have) {
      /* quote q, the next one (when found) known: quotes.lua's block_quotes */
      marks++;
      int opens = q_open == 1;
      const unsigned char *sp = NULL;
      if ((q_said || opens || line) && q_to >= q_from)
        sp = memchr(s + q_from - 1, ' ', q_to + 1 - q_from);
      if (sp && long_enough(s + q_from - 1, q_to + 1 - q_from)) {
        lua_Integer o = taken * STRIDE;
        Vals *vs = (Vals *)F->vals;
        if ((size_t)taken == vs->cap) {
          size_t cap = vs->cap ? 2 * vs->cap : 64;
          vs->v = grow(L, vs->v, cap * sizeof(QVal));
          vs->cap = cap;
        }
        QVal *qv = &vs->v[taken];
        taken++;
        qv->tfrom = q_from - 1;
        qv->tlen = q_to + 1 - q_from;
        if (put) { push_span(L, s + qv->tfrom, qv->tlen); lua_rawseti(L, out, o + 1); }
        qv->open = (lua_Integer)q_open;
        qv->after = (lua_Integer)q_stop;
        qv->mark = q_mark;
        qv->said = q_said;
        size_t ts = 0, te = 0;
        if (q_said) {
          ts = q_stop + F->after[q_mark - 1][q_said - 1].len;
          te = q_stop + WINDOW;
          if (found && n_open - 1 < te) te = n_open - 1;
          if (te > n) te = n;
          qv->verb = verb_of(F, s, n, ts - 1, te, &qv->vfrom, &qv->vlen, two);
        } else qv->verb = V_NONE;
        if (qv->verb == V_TWO) { push_span(L, two, qv->vlen); lua_rawseti(L, out, o + 6); }
        else if (put) { push_verb(L, s, qv); lua_rawseti(L, out, o + 6); }
        qv->ts = (lua_Integer)ts;
        qv->te = (lua_Integer)te;
        size_t lo = q_sent;
        if (prev_after > lo) lo = prev_after;
        size_t blo = 0;
        int shape = 0;
        Shape sh;
        memset(&sh, 0, sizeof sh);
        if (q_open > 1 && lo < q_open) {
          if (lo + WINDOW < q_open) lo = q_open - WINDOW;
          blo = lo;
          shape = first_subject(F, s, lo - 1, q_open - 1, ws, &sh);
          if (shape == 0) {
            rd->s = s; rd->lo = lo - 1; rd->pos = q_open - 1; rd->n = rd->end = 0;
            shape = first_candidate(F, rd, &sh);
            if (shape == K_NAMED && sh.c) { sh.org = rd->org; sh.orglen = rd->orglen; }
          }
        }
        if (shape == 0 || shape == K_OTHER) {   /* no subject decided before: what comes after */
          size_t lend = 0;
          if (q_said) {
            size_t m = clause_end(s, n, ts, te);
            if (m) {
              size_t w = one_word(s, n, ts, m + 2);
              if (!(w && w > m + 2)) lend = m + 2;
            }
          }
          if (lend) { shape = K_LATER; sh.alen = lend; }
          else if (!opens && shape == 0) shape = blo ? K_NONE : K_LAST;
          else shape = K_PLAIN;
        }
        qv->blo = (lua_Integer)blo;
        qv->shape = shape;
        qv->lend = 0;
        if (shape == K_NAMED) {
          push_span(L, sh.a, sh.alen); lua_rawseti(L, out, o + 11);
          push_span(L, sh.b, sh.blen); lua_rawseti(L, out, o + 12);
          if (sh.c) push_span(L, sh.org, sh.orglen); else lua_pushboolean(L, 0);
          lua_rawseti(L, out, o + 13);
        } else if (shape == K_SHORT) {
          if (sh.a) push_span(L, sh.a, sh.alen); else lua_pushboolean(L, 0);
          lua_rawseti(L, out, o + 11);
          push_span(L, sh.b, sh.blen); lua_rawseti(L, out, o + 12);
          lua_pushboolean(L, sh.c); lua_rawseti(L, out, o + 13);
        } else if (shape == K_LATER) {
          qv->lend = (lua_Integer)sh.alen;
        }
      }
      prev_after = q_stop;
    }
    if (!found) break;
    q_open = n_open; q_from = n_from; q_to = n_to; q_stop = n_stop; q_sent = n_sent;
    q_mark = n_mark; q_said = n_said;
    have = 1;
  }
  /* no quote, and none opening the block to run on (“ is E2 80 9C): -1 */
  if (marks == 0 && !(n >= 1 && s[0] == '"') && !(n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x9C))
    taken = -1;
  *nmarks = marks;
  return taken;
}

/* Quote k's numbers (QVal) into out, where block_pass left its strings;
 * with put (block_pass's was not) its text and verb too, from s. */
static void put_vals(lua_State *L, const Finder *F, const unsigned char *s, int out, lua_Integer k, int put)
{
  const QVal *qv = &((const Vals *)F->vals)->v[k - 1];
  lua_Integer o = STRIDE * (k - 1);
  if (put) {
    push_span(L, s + qv->tfrom, qv->tlen); lua_rawseti(L, out, o + 1);
    if (qv->verb != V_TWO) { push_verb(L, s, qv); lua_rawseti(L, out, o + 6); }
  }
  lua_pushinteger(L, qv->open); lua_rawseti(L, out, o + 2);
  lua_pushinteger(L, qv->after); lua_rawseti(L, out, o + 3);
  lua_pushinteger(L, qv->mark); lua_rawseti(L, out, o + 4);
  lua_pushinteger(L, qv->said); lua_rawseti(L, out, o + 5);
  lua_pushinteger(L, qv->ts); lua_rawseti(L, out, o + 7);
  lua_pushinteger(L, qv->te); lua_rawseti(L, out, o + 8);
  lua_pushinteger(L, qv->blo); lua_rawseti(L, out, o + 9);
  lua_pushinteger(L, qv->shape); lua_rawseti(L, out, o + 10);
  if (qv->shape == K_LATER) { lua_pushinteger(L, qv->lend); lua_rawseti(L, out, o + 11); }
}

/* finder:block(s, line, out) -> taken, marks   (block_pass's values in out) */
static int finder_block(lua_State *L)
{
  const Finder *F = check_finder(L);
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &n);
  int line = lua_toboolean(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  lua_Integer marks;
  lua_Integer taken = block_pass(L, F, s, n, line, 4, 1, &marks);
  for (lua_Integer k = 1; k <= taken; k++) put_vals(L, F, s, 4, k, 0);
  lua_pushinteger(L, taken);
  lua_pushinteger(L, marks);
  return 2;
}

/* ------------------------------------------------------------------------
 * The quotes of an article (quotes.lua's M.scan)
 * ---------------------------------------------------------------------- */

/* The stack slots of finder:scan */
enum { A_F = 1, A_BLOCKS, A_R, A_PEOPLE, A_INTER, A_SLOW, A_SPAN, A_COUT, A_SUBS,
  A_TEXT, A_LINE, A_VERB, A_PERSON, A_TITLE, A_HOW, A_BLOCK, A_CHAIN, A_LIST, A_BYNAME,
  A_CARRY, A_LAST, A_PENDING, A_INTERVIEWEE, A_KTYPE, A_KTEXT, A_KLINE, A_KNAME, A_KTITLE, A_KORG,
  A_KSURNAME, A_KFAMILY, A_EARLIER, A_TOP };

/* t[key] pushed, its type: t a stack index from the bottom, key a key slot
 * (A_KTYPE ..: the blocks and people are plain tables, read raw by keys
 * pushed once a scan) */
static int get_k(lua_State *L, int t, int key)
{
  lua_pushvalue(L, key);
  return lua_rawget(L, t);
}

/* t[key] = the value at v (t, v stack indexes from the bottom) */
static void set_k(lua_State *L, int t, int key, int v)
{
  lua_pushvalue(L, key);
  lua_pushvalue(L, v);
  lua_rawset(L, t);
}

static int is_space(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Does the string at idx equal lit? */
static int str_is(lua_State *L, int idx, const char *lit, size_t n)
{
  size_t len;
  const char *p = lua_tolstring(L, idx, &len);
  return p && len == n && memcmp(p, lit, n) == 0;
}

/* People:add(name, title, org) for a Korean name (quotes.lua's People:add on
 * its tables: by_name and list, newest last): the person pushed. name, title
 * and org are stack indexes (org 0: none). */
static void people_add(lua_State *L, int name, int title, int org, int foreign)
{
  lua_pushvalue(L, name);
  if (lua_rawget(L, A_BYNAME) == LUA_TTABLE) {
    int p = lua_gettop(L);
    if (title) {
      if (get_k(L, p, A_KTITLE) == LUA_TNIL) set_k(L, p, A_KTITLE, title);
      lua_pop(L, 1);
    }
    if (org) {
      if (get_k(L, p, A_KORG) == LUA_TNIL) set_k(L, p, A_KORG, org);
      lua_pop(L, 1);
    }
    lua_Integer nl = (lua_Integer)lua_rawlen(L, A_LIST);
    lua_rawgeti(L, A_LIST, nl);
    int newest = lua_rawequal(L, -1, p);
    lua_pop(L, 1);
    if (newest) return;
    /* move p to the end (table.remove then append) */
    for (lua_Integer i = nl; i >= 1; i--) {
      lua_rawgeti(L, A_LIST, i);
      int is = lua_rawequal(L, -1, p);
      lua_pop(L, 1);
      if (is) {
        for (lua_Integer j = i; j < nl; j++) {
          lua_rawgeti(L, A_LIST, j + 1);
          lua_rawseti(L, A_LIST, j);
        }
        lua_pushnil(L);
        lua_rawseti(L, A_LIST, nl);
        nl--;
        break;
      }
    }
    lua_pushvalue(L, p);
    lua_rawseti(L, A_LIST, nl + 1);
    return;
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 4);
  int p = lua_gettop(L);
  set_k(L, p, A_KNAME, name);
  if (title) set_k(L, p, A_KTITLE, title);
  if (org) set_k(L, p, A_KORG, org);
  size_t len;
  const char *nm = lua_tolstring(L, name, &len);
  if (!foreign) {
    lua_pushvalue(L, A_KSURNAME);
    lua_pushlstring(L, nm, len < 3 ? len : 3);
    lua_rawset(L, p);
  } else {
    /* family: name:match("(%S+)$") */
    size_t e = len;
    while (e > 0 && is_space((unsigned char)nm[e - 1])) e--;
    if (e == len) {
      size_t b0 = e;
      while (b0 > 0 && !is_space((unsigned char)nm[b0 - 1])) b0--;
      lua_pushvalue(L, A_KFAMILY);
      lua_pushlstring(L, nm + b0, e - b0);
      lua_rawset(L, p);
    }
  }
  lua_pushvalue(L, name);
  lua_pushvalue(L, p);
  lua_rawset(L, A_BYNAME);
  lua_pushvalue(L, p);
  lua_rawseti(L, A_LIST, (lua_Integer)lua_rawlen(L, A_LIST) + 1);
}

/* People:by_surname(surname, title): the last person with the surname and
 * the title, else the last with the surname; pushed, or 0 (nothing pushed). */
static int people_by_surname(lua_State *L, int surname, int title)
{
  lua_Integer any = 0;
  for (lua_Integer i = (lua_Integer)lua_rawlen(L, A_LIST); i >= 1; i--) {
    if (lua_rawgeti(L, A_LIST, i) != LUA_TTABLE) luaL_error(L, "people.list[%d] must be a table", (int)i);
    int p = lua_gettop(L);
    get_k(L, p, A_KSURNAME);
    int same = lua_rawequal(L, -1, surname);
    lua_pop(L, 1);
    if (same) {
      get_k(L, p, A_KTITLE);
      int t = lua_rawequal(L, -1, title);
      lua_pop(L, 1);
      if (t) return 1;
      if (!any) any = i;
    }
    lua_pop(L, 1);
  }
  if (!any) return 0;
  lua_rawgeti(L, A_LIST, any);
  return 1;
}

/* quotes.lua's spanning_text: the text of a block that opens a quote and
 * never closes it, when long enough to be one; its start and length. */
static int spanning(const unsigned char *s, size_t n, size_t *from)
{
  size_t o;
  if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x9C) o = 3;
  else if (n >= 1 && s[0] == '"') o = 1;
  else return 0;
  if (find_bytes(s, n, "\xE2\x80\x9D", 3)) return 0;
  if (n > o && memchr(s + o, '"', n - o)) return 0;
  if (!memchr(s + o, ' ', n - o) || !long_enough(s + o, n - o)) return 0;
  *from = o;
  return 1;
}

/* quotes.lua's add: one more quote into R (values at text, verb, who, title,
 * how: stack indexes; line, the block's line, at line); a speaker ends the
 * wait of the ledes before it. */
static void add_quote(lua_State *L, lua_Integer *n, lua_Integer *npending, int text, int line,
  int verb, lua_Integer bi, int who, int title, int how)
{
  lua_Integer k = ++*n;
  lua_pushvalue(L, text); lua_rawseti(L, A_TEXT, k);
  lua_pushvalue(L, line); lua_rawseti(L, A_LINE, k);
  if (verb) lua_pushvalue(L, verb); else lua_pushnil(L);
  lua_rawseti(L, A_VERB, k);
  lua_pushinteger(L, bi); lua_rawseti(L, A_BLOCK, k);
  if (title) lua_pushvalue(L, title); else lua_pushnil(L);
  lua_rawseti(L, A_TITLE, k);
  lua_pushnil(L); lua_rawseti(L, A_CHAIN, k);
  if (who && lua_toboolean(L, who)) {
    if (title && lua_toboolean(L, title)) {
      if (!lua_istable(L, who)) luaL_error(L, "a speaker must be a table");
      if (get_k(L, who, A_KTITLE) == LUA_TNIL || !lua_toboolean(L, -1)) set_k(L, who, A_KTITLE, title);
      lua_pop(L, 1);
    }
    lua_pushvalue(L, who); lua_replace(L, A_LAST);
    lua_pushvalue(L, who); lua_rawseti(L, A_PERSON, k);
    if (how) lua_pushvalue(L, how); else lua_pushnil(L);
    lua_rawseti(L, A_HOW, k);
    for (lua_Integer i = *npending; i >= 1; i--) {
      lua_rawgeti(L, A_PENDING, i);
      lua_Integer at = lua_tointeger(L, -1);
      lua_pop(L, 1);
      lua_pushvalue(L, who); lua_rawseti(L, A_PERSON, at);
    }
    *npending = 0;
  } else {
    lua_pushnil(L); lua_rawseti(L, A_PERSON, k);
    if (how && str_is(L, how, "lede", 4)) {
      lua_pushvalue(L, how); lua_rawseti(L, A_HOW, k);
      lua_pushinteger(L, k); lua_rawseti(L, A_PENDING, ++*npending);
    } else {
      lua_pushnil(L); lua_rawseti(L, A_HOW, k);
    }
  }
}

/* ------------------------------------------------------------------------
 * A short reference's search of earlier text (quotes.lua's find_earlier for
 * a surname and title: 주 위원장은 -> 주하람 위원장, named before)
 * ---------------------------------------------------------------------- */

/* quotes.lua's bare: w without trailing .,!? and one ending (the first of
 * ENDINGS it ends in); the length left. */
static size_t bare_len(const unsigned char *w, size_t n)
{
  static const Lit endings[] = { LIT("에게서"), LIT("이었다"), LIT("와의"), LIT("과의"), LIT("에게"),
    LIT("께서"), LIT("으로"), LIT("이다"), LIT("였다"), LIT("은"), LIT("는"), LIT("이"), LIT("가"),
    LIT("을"), LIT("를"), LIT("의"), LIT("와"), LIT("과"), LIT("도"), LIT("다"), LIT("로"), LIT("께") };
  while (n > 0 && (w[n - 1] == '.' || w[n - 1] == ',' || w[n - 1] == '!' || w[n - 1] == '?')) n--;
  for (size_t k = 0; k < sizeof endings / sizeof endings[0]; k++)
    if (ends_with(w, n, endings[k].s, endings[k].n)) return n - endings[k].n;
  return n;
}

/* What a search found: a name, its title as the text writes it, an organisation. */
typedef struct {
  unsigned char name[WORD_MAX], title[WORD_MAX], org[WORD_MAX];
  size_t namelen, titlelen, orglen;
  int org_set;
} Mention;

/* quotes.lua's at_word for a surname and title over the words of the reader
 * (the word at a hit first): 1 found (into m), 0 not, -1 unsure (a word too
 * long to read here). */
static int at_word_short(const Finder *F, Reader *r, const unsigned char *sur, size_t slen,
  const unsigned char *title, size_t tlen, Mention *m)
{
  const Word *w0 = &r->w[0];
  if (w0->big) return -1;
  size_t blen = bare_len(w0->b, w0->len);
  if (!is_title(F, w0->b, blen)) return 0;
  if (title && !(tlen <= blen && memcmp(w0->b + blen - tlen, title, tlen) == 0)) return 0;
  reader_get(r, 5);
  int top = r->n - 1 < 4 ? r->n - 1 : 4;    /* name_before's words: ws[k-1] .. ws[max(first, k-4)] */
  int found = 0;
  for (int pass = 1; pass <= 2 && !found; pass++) {
    for (int i = 1; i <= top; i++) {
      const Word *w = &r->w[i];
      if (w->big) return -1;
      if (w->len == 3 && syllables(w->b, 3) == 1) break;
      int kn = korean_name(F, w->b, w->len);
      if ((kn == 1 || (kn == 2 && pass == 2)) && (pass == 1 || i == 1 || org_word(F, &r->w[i - 1]))) {
        found = i;
        break;
      }
      if (ends_clause(w->b, w->len)) break;
    }
  }
  if (!found) return 0;
  const Word *nw = &r->w[found];
  if (nw->len < slen || memcmp(nw->b, sur, slen) != 0) return 0;
  memcpy(m->name, nw->b, nw->len); m->namelen = nw->len;
  memcpy(m->title, w0->b, blen); m->titlelen = blen;
  m->orglen = 0;
  m->org_set = found > 1;
  for (int j = found - 1; j >= 1; j--) {
    const Word *o = &r->w[j];
    if (m->orglen + o->len + 1 > sizeof m->org) return -1;
    if (m->orglen) m->org[m->orglen++] = ' ';
    memcpy(m->org + m->orglen, o->b, o->len);
    m->orglen += o->len;
  }
  return 1;
}

static size_t mention_size(void) { return sizeof(Mention); }


/* quotes.lua's look for a surname and title (title NULL: any) at each place
 * needle occurs in text[start..n): the mention at the last hit that names one, 1
 * (into m), 0 none, -1 unsure. */
static int look_short(const Finder *F, Reader *r, const unsigned char *text, size_t n, size_t start,
  const unsigned char *needle, size_t nlen, const unsigned char *sur, size_t slen,
  const unsigned char *title, size_t tlen, Mention *m)
{
  int got = 0;
  for (size_t i = start; i + nlen <= n && nlen > 0;) {
    const unsigned char *h = find_bytes(text + i, n - i, needle, nlen);
    if (!h) break;
    size_t p = (size_t)(h - text);
    i = p + nlen;
    size_t lo = p > 100 ? p - 100 : 0;
    /* (a short reference's full name starts with its surname: none before the hit, no mention) */
    size_t se = p + slen - 1 < n ? p + slen - 1 : n;
    if (!(slen > 0 && se > lo && find_bytes(text + lo, se - lo, sur, slen))) continue;
    size_t e = p + nlen;
    while (e < n && !is_space(text[e])) e++;
    r->s = text; r->lo = lo; r->pos = e; r->n = r->end = 0;
    if (!reader_get(r, 1)) continue;
    int k = at_word_short(F, r, sur, slen, title, tlen, m);
    if (k < 0) return -1;
    if (k > 0) got = 1;     /* (the last hit that names one wins: later hits are read after) */
  }
  return got;
}

/* A search of earlier text that found no one (quotes.lua's `failed`): the
 * block and quote position it stopped at and, for each needle in that block,
 * where the hits read whole end (read), the first hit from `from` on (at,
 * NO_HIT for none) and whether the block held the needle before the quote. A
 * later search for the same surname and title in the same block reads only
 * the hits from `read` on: a paragraph of 주 위원장은 … quotes with 주 named
 * nowhere is read once, not once a quote. Kept for one finder:scan. */
#define NO_HIT ((size_t)-1)
#define MEMO_N 16
#define MEMO_KEY 64
typedef struct { int set, seen; size_t read, from, at; } Left;
typedef struct {
  size_t klen;
  unsigned char key[MEMO_KEY];
  lua_Integer b, u;
  Left left[2];               /* the title, "(title)" */
} MemoEntry;
typedef struct { MemoEntry e[MEMO_N]; int n, next; } Memo;
static size_t memo_size(void) { return sizeof(Memo); }

static MemoEntry *memo_get(Memo *M, const unsigned char *key, size_t klen)
{
  for (int i = 0; i < M->n; i++)
    if (M->e[i].klen == klen && memcmp(M->e[i].key, key, klen) == 0) return &M->e[i];
  return NULL;
}

/* Where the hits of needle read whole in s[0..lim) end: a blank follows them
 * inside lim (a hit's words are read up to the next blank). */
static size_t read_upto(const unsigned char *s, size_t lim, size_t nlen)
{
  size_t w = lim;
  while (w > 0 && !is_space(s[w - 1])) w--;
  if (w == 0) return 0;
  w--;                                   /* the last blank before lim */
  return w + 1 >= nlen ? w + 1 - nlen : 0;
}

/* Does s[0..n) hold needle starting before lim? */
static int holds(const unsigned char *s, size_t n, const unsigned char *needle, size_t nlen, size_t lim)
{
  if (lim + nlen - 1 < n) n = lim + nlen - 1;    /* (a hit starting before lim ends there) */
  const unsigned char *h = nlen <= n ? find_bytes(s, n, needle, nlen) : NULL;
  return h && (size_t)(h - s) < lim;
}

/* The texts a search of earlier text reads, last first: the blocks from i
 * down to stop (bylines and blocks with no text passed over), then the
 * article's subtitles (A_SUBS). */
typedef struct { lua_Integer i, stop, sub; } Earlier;

/* What a block is to those searches, read once a scan (A_EARLIER: one entry
 * a block, from 1): searches for many quotes read the same blocks back. */
enum { EB_UNREAD = 0, EB_TEXT, EB_SKIP, EB_UNSURE };
typedef struct { const unsigned char *s; size_t n; int state; } EarlierBlock;
typedef struct { lua_Integer nb; EarlierBlock b[1]; } EarlierCache;

/* Block i as earlier_next reads it: EB_TEXT (s, n: the string stays anchored
 * by its block), EB_SKIP (no text, or a byline) or EB_UNSURE. */
static int earlier_block(lua_State *L, lua_Integer i, const unsigned char **s, size_t *n)
{
  if (lua_rawgeti(L, A_BLOCKS, i) != LUA_TTABLE) { lua_pop(L, 1); return EB_UNSURE; }
  int b = lua_gettop(L);
  int t = get_k(L, b, A_KTEXT);
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) { lua_pop(L, 2); return EB_SKIP; }
  if (t != LUA_TSTRING) { lua_pop(L, 2); return EB_UNSURE; }
  get_k(L, b, A_KTYPE);
  int byline = str_is(L, -1, "byline", 6);
  lua_pop(L, 1);
  *s = (const unsigned char *)lua_tolstring(L, -1, n);
  lua_pop(L, 2);
  return byline ? EB_SKIP : EB_TEXT;
}

/* The next of those texts: 1 with s and n set (the string stays anchored by
 * its block or list), 0 at the end, -1 for a shape the compiled finder does
 * not read (the Lua search decides). */
static int earlier_next(lua_State *L, Earlier *it, const unsigned char **s, size_t *n)
{
  EarlierCache *c = (EarlierCache *)lua_touserdata(L, A_EARLIER);
  while (it->i >= it->stop) {
    lua_Integer i = it->i--;
    int st;
    if (c && i >= 1 && i <= c->nb) {
      EarlierBlock *e = &c->b[i - 1];
      if (e->state == EB_UNREAD) e->state = earlier_block(L, i, &e->s, &e->n);
      st = e->state;
      *s = e->s; *n = e->n;
    } else {
      st = earlier_block(L, i, s, n);
    }
    if (st == EB_UNSURE) return -1;
    if (st == EB_TEXT) return 1;
  }
  if (lua_type(L, A_SUBS) != LUA_TTABLE) return lua_isnil(L, A_SUBS) ? 0 : -1;
  int t = lua_rawgeti(L, A_SUBS, ++it->sub);
  if (t == LUA_TNIL) { lua_pop(L, 1); return 0; }
  if (t != LUA_TSTRING) { lua_pop(L, 1); return -1; }
  *s = (const unsigned char *)lua_tolstring(L, -1, n);
  lua_pop(L, 1);
  return 1;
}

/* One search of quotes.lua's find_earlier for a surname (and title: NULL
 * any) at each place needle occurs, from block bi before byte upto (1-based:
 * the quote's opening): the text before it in its block, then up to 8 blocks
 * back (no bylines), then the subtitles. 1 found (m), 0 none, -1 unsure (the
 * Lua search decides); *seen: a text searched held the needle. With mn (what
 * a search of this block that found no one left, see Memo) only the block's
 * hits from mn->read on are read, and no other text (again); what this search
 * leaves goes to *got. */
static int search_short(lua_State *L, const Finder *F, lua_Integer bi, lua_Integer upto,
  const unsigned char *needle, size_t nlen, const unsigned char *sur, size_t slen,
  const unsigned char *title, size_t tlen, Mention *m, int *seen, int again, const Left *mn, Left *got)
{
  Reader *r = (Reader *)F->reader2;
  *seen = 0;
  got->set = 0;
  if (upto > 1) {
    lua_rawgeti(L, A_BLOCKS, bi);
    lua_getfield(L, -1, "text");
    size_t n;
    const unsigned char *s = (const unsigned char *)lua_tolstring(L, -1, &n);
    lua_pop(L, 2);        /* (the block holds the string) */
    size_t lim = (size_t)upto - 1 < n ? (size_t)upto - 1 : n;
    size_t start = 0, from = NO_HIT, at = NO_HIT;
    if (mn && mn->set) {
      start = mn->read;
      *seen = mn->seen;
      if (start >= mn->from && (mn->at == NO_HIT || mn->at >= start)) { from = mn->from; at = mn->at; }
    }
    if (from == NO_HIT) {
      from = start;
      const unsigned char *h = start + nlen <= n ? find_bytes(s + start, n - start, needle, nlen) : NULL;
      at = h ? (size_t)(h - s) : NO_HIT;
    }
    if (at != NO_HIT && at < (size_t)upto - 1) {
      *seen = 1;
      int k = look_short(F, r, s, lim, start, needle, nlen, sur, slen, title, tlen, m);
      if (k) return k;
    }
    got->set = 1;
    got->seen = *seen;
    got->read = read_upto(s, lim, nlen);
    got->from = from;
    got->at = at;
  }
  if (again) return 0;
  lua_Integer stop = bi - 8 > 1 ? bi - 8 : 1;
  Earlier it = { bi - 1, stop, 0 };
  const unsigned char *s;
  size_t n;
  int e;
  while ((e = earlier_next(L, &it, &s, &n)) > 0) {
    if (!holds(s, n, needle, nlen, n)) continue;
    *seen = 1;
    int k = look_short(F, r, s, n, 0, needle, nlen, sur, slen, title, tlen, m);
    if (k) return k;
  }
  return e;
}

/* quotes.lua's find_earlier(surname, title): the title as written, then as
 * the short form of another ("(title)": 최고기술책임자(CTO)). A search that
 * found no one is remembered (Memo): made again in the same block, it reads
 * only what it has not read. */
static int find_short(lua_State *L, const Finder *F, lua_Integer bi, lua_Integer upto,
  const unsigned char *sur, size_t slen, const unsigned char *title, size_t tlen, Mention *m)
{
  Memo *M = (Memo *)F->memo;
  unsigned char key[MEMO_KEY];
  size_t klen = slen + 1 + tlen;
  MemoEntry *e = NULL;
  if (klen <= MEMO_KEY) {
    memcpy(key, sur, slen);
    key[slen] = 0;
    memcpy(key + slen + 1, title, tlen);
    e = memo_get(M, key, klen);
  }
  int again = 0;
  if (e && e->b == bi) {
    if (upto <= e->u) return 0;
    again = 1;
  }
  const Left *mn = again ? e->left : NULL;
  Left got[2];
  got[1].set = 0;
  int seen;
  int k = search_short(L, F, bi, upto, title, tlen, sur, slen, title, tlen, m, &seen, again,
    mn ? &mn[0] : NULL, &got[0]);
  if (!k && seen) {
    unsigned char needle[WORD_MAX + 2];
    if (tlen > WORD_MAX) return -1;
    needle[0] = '(';
    memcpy(needle + 1, title, tlen);
    needle[tlen + 1] = ')';
    k = search_short(L, F, bi, upto, needle, tlen + 2, sur, slen, NULL, 0, m, &seen, again,
      mn ? &mn[1] : NULL, &got[1]);
  }
  if (k || klen > MEMO_KEY) return k;
  if (!e) {
    e = &M->e[M->next];
    M->next = (M->next + 1) % MEMO_N;
    if (M->n < MEMO_N) M->n++;
    e->klen = klen;
    memcpy(e->key, key, klen);
    e->left[0].set = e->left[1].set = 0;
  } else if (e->b != bi) {
    e->left[0].set = e->left[1].set = 0;
  }
  e->b = bi;
  e->u = upto;
  for (int j = 0; j < 2; j++)
    if (got[j].set) e->left[j] = got[j];
  return 0;
}

/* quotes.lua's later_of: the end (1-based) of the words after the quote up to
 * its verb to read for a subject (“…”라고 김 교수는 말했다), or 0; ts, te 1-based. */
static size_t later_end(const unsigned char *s, size_t n, size_t ts, size_t te)
{
  size_t m = clause_end(s, n, ts, te);
  if (!m) return 0;
  size_t w = one_word(s, n, ts, m + 2);
  return w && w > m + 2 ? 0 : m + 2;
}

/* ------------------------------------------------------------------------
 * The general reading of a subject (quotes.lua's subject_in over cand,
 * describe and resolve) for the kinds decided here; any other is handed back
 * ---------------------------------------------------------------------- */

/* People:by_family(f) / People:by_title(t): pushed, or 0 (nothing pushed).
 * field: the key slot A_KFAMILY or A_KTITLE. */
static int people_by(lua_State *L, int field, const unsigned char *v, size_t vlen)
{
  for (lua_Integer i = (lua_Integer)lua_rawlen(L, A_LIST); i >= 1; i--) {
    if (lua_rawgeti(L, A_LIST, i) != LUA_TTABLE) luaL_error(L, "people.list[%d] must be a table", (int)i);
    get_k(L, lua_gettop(L), field);
    size_t n;
    const char *x = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
    int same = x && n == vlen && memcmp(x, v, n) == 0;
    lua_pop(L, 1);
    if (same) return 1;
    lua_pop(L, 1);
  }
  return 0;
}

/* quotes.lua's foreign_part: an initial (J.), a syllable that is no surname,
 * or a word with a syllable Korean names do not use. */
static int foreign_part(const Finder *F, const Word *w)
{
  if (w->len == 2 && w->b[0] >= 'A' && w->b[0] <= 'Z' && w->b[1] == '.') return 1;
  int n = syllables(w->b, w->len);
  if (n < 1 || set_has(F, &F->set[S_NOT_NAMES], w->b, w->len)) return 0;
  if (n == 1) return !set_has(F, &F->set[S_SURNAMES], w->b, 3);
  for (size_t i = 0; i < w->len; i += 3)
    if (set_has(F, &F->set[S_FOREIGN], w->b + i, 3)) return 1;
  return 0;
}

/* quotes.lua's foreign_word: the last word of a foreign name (헤이든): an
 * initial, or 2 to 6 Hangul syllables that are no common word and no Korean
 * name of three (a surname and two syllables Korean names use). */
static int foreign_word(const Finder *F, const Word *w)
{
  if (w->len == 2 && w->b[0] >= 'A' && w->b[0] <= 'Z' && w->b[1] == '.') return 1;
  int n = syllables(w->b, w->len);
  if (n < 2 || n > 6 || set_has(F, &F->set[S_NOT_NAMES], w->b, w->len)) return 0;
  return !(set_has(F, &F->set[S_SURNAMES], w->b, 3) && n == 3
    && !set_has(F, &F->set[S_FOREIGN], w->b + 3, 3) && !set_has(F, &F->set[S_FOREIGN], w->b + 6, 3));
}

/* quotes.lua's at_word for a family name (르쿤 -> 얀 르쿤): the foreign name
 * ending in it, into m->name; 1, 0 or -1 (unsure). */
static int at_word_family(const Finder *F, Reader *r, const unsigned char *fam, size_t flen, Mention *m)
{
  const Word *w0 = &r->w[0];
  if (w0->big) return -1;
  size_t blen = bare_len(w0->b, w0->len);
  if (!((w0->len == flen && memcmp(w0->b, fam, flen) == 0) || (blen == flen && memcmp(w0->b, fam, flen) == 0)))
    return 0;
  reader_get(r, 5);
  int i = 1;
  while (i < r->n && i <= 5) {
    if (r->w[i].big) return -1;
    if (!foreign_part(F, &r->w[i])) break;
    i++;
  }
  /* words 1 .. i-1 are the name's first words (i <= 4: k - i <= 4) */
  if (i == 1 || i > 4) return 0;
  m->namelen = 0;
  for (int j = i - 1; j >= 1; j--) {
    const Word *o = &r->w[j];
    if (m->namelen + o->len + 1 + flen > sizeof m->name) return -1;
    memcpy(m->name + m->namelen, o->b, o->len);
    m->namelen += o->len;
    m->name[m->namelen++] = ' ';
  }
  memcpy(m->name + m->namelen, fam, flen);
  m->namelen += flen;
  return 1;
}

/* quotes.lua's look for a family name: 1 (m), 0, -1. */
static int look_family(const Finder *F, Reader *r, const unsigned char *text, size_t n,
  const unsigned char *fam, size_t flen, Mention *m)
{
  int got = 0;
  for (size_t i = 0; i + flen <= n && flen > 0;) {
    const unsigned char *h = find_bytes(text + i, n - i, fam, flen);
    if (!h) break;
    size_t p = (size_t)(h - text);
    i = p + flen;
    size_t lo = p > 100 ? p - 100 : 0;
    size_t e = p + flen;
    while (e < n && !is_space(text[e])) e++;
    r->s = text; r->lo = lo; r->pos = e; r->n = r->end = 0;
    if (!reader_get(r, 1)) continue;
    int k = at_word_family(F, r, fam, flen, m);
    if (k < 0) return -1;
    if (k > 0) got = 1;
  }
  return got;
}

/* quotes.lua's find_earlier(nil, nil, family): 1 (m), 0, -1. */
static int find_family(lua_State *L, const Finder *F, Reader *r, lua_Integer bi, lua_Integer upto,
  const unsigned char *fam, size_t flen, Mention *m)
{
  if (bi > 0 && upto > 1) {
    lua_rawgeti(L, A_BLOCKS, bi);
    lua_getfield(L, -1, "text");
    if (lua_type(L, -1) != LUA_TSTRING) { lua_pop(L, 2); return -1; }
    size_t n;
    const unsigned char *s = (const unsigned char *)lua_tolstring(L, -1, &n);
    lua_pop(L, 2);
    if (holds(s, n, fam, flen, (size_t)upto - 1)) {
      size_t lim = (size_t)upto - 1 < n ? (size_t)upto - 1 : n;
      int k = look_family(F, r, s, lim, fam, flen, m);
      if (k) return k;
    }
  }
  lua_Integer from = bi > 0 ? bi : (lua_Integer)lua_rawlen(L, A_BLOCKS) + 1;
  lua_Integer stop = (bi > 0 ? bi : 1) - 8 > 1 ? (bi > 0 ? bi : 1) - 8 : 1;
  Earlier it = { from - 1, stop, 0 };
  const unsigned char *s;
  size_t n;
  int e;
  while ((e = earlier_next(L, &it, &s, &n)) > 0) {
    if (!holds(s, n, fam, flen, n)) continue;
    int k = look_family(F, r, s, n, fam, flen, m);
    if (k) return k;
  }
  return e;
}

/* A pronoun's search (quotes.lua's find_earlier(nil)): the last 300 bytes of
 * the text before upto in block bi, without parenthesis groups (%b()), cut
 * into words at blanks, commas, · and … (words_of) */
#define PRO_BYTES 300
#define PRO_WORDS (PRO_BYTES / 2 + 2)
typedef struct {
  unsigned char b[PRO_BYTES];
  size_t n, nw;
  size_t off[PRO_WORDS], len[PRO_WORDS];
} Tail;

static size_t tail_size(void) { return sizeof(Tail); }

static size_t cut_at(const unsigned char *s, size_t n, size_t i)
{
  unsigned c = s[i];
  if (is_space(c) || c == ',') return 1;
  if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xB7) return 2;
  if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0xA6) return 3;
  return 0;
}

static void tail_words(Tail *t, const unsigned char *s, size_t n)
{
  if (n > PRO_BYTES) { s += n - PRO_BYTES; n = PRO_BYTES; }
  t->n = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '(') {          /* %b(): the group to its balancing ')', if any */
      size_t j = i, depth = 1;
      while (++j < n) {
        if (s[j] == ')') { if (--depth == 0) break; }
        else if (s[j] == '(') depth++;
      }
      if (j < n) { i = j + 1; continue; }
    }
    t->b[t->n++] = s[i++];
  }
  t->nw = 0;
  for (size_t i = 0; i < t->n;) {
    size_t c = cut_at(t->b, t->n, i);
    if (c) { i += c; continue; }
    size_t j = i;
    while (j < t->n && !cut_at(t->b, t->n, j)) j++;
    if (t->nw < PRO_WORDS) { t->off[t->nw] = i; t->len[t->nw] = j - i; t->nw++; }
    i = j;
  }
}

static Word *tail_word(Tail *t, size_t k, Word *w)
{
  memcpy(w->b, t->b + t->off[k], t->len[k]);
  w->len = t->len[k];
  w->big = 0;
  return w;
}

static int find_short(lua_State *L, const Finder *F, lua_Integer bi, lua_Integer upto,
  const unsigned char *sur, size_t slen, const unsigned char *title, size_t tlen, Mention *m);

/* The person a search of earlier text found (m: name, title and org, if
 * any), added to the article's people and pushed (People:add's person). */
static void push_found(lua_State *L, const Mention *m)
{
  lua_pushlstring(L, (const char *)m->name, m->namelen);
  lua_pushlstring(L, (const char *)m->title, m->titlelen);
  if (m->org_set) lua_pushlstring(L, (const char *)m->org, m->orglen);
  else lua_pushboolean(L, 0);
  int nm = lua_gettop(L) - 2;
  people_add(L, nm, nm + 1, m->org_set ? nm + 2 : 0, 0);
  lua_replace(L, nm);
  lua_settop(L, nm);
}

/* quotes.lua's find_earlier(nil) for a pronoun with no one named yet: the
 * person the last mentions before it name (a name and title, or a surname and
 * title named earlier). Pushes who and returns 1; 0 none; -1 unsure. */
static int find_pronoun(lua_State *L, const Finder *F, lua_Integer bi, lua_Integer upto)
{
  if (!(bi > 0 && upto > 1)) return 0;
  Tail *t = (Tail *)F->tail;
  Mention *m = (Mention *)F->mention;
  lua_rawgeti(L, A_BLOCKS, bi);
  lua_getfield(L, -1, "text");
  if (lua_type(L, -1) != LUA_TSTRING) { lua_pop(L, 2); return -1; }
  size_t n;
  const unsigned char *s = (const unsigned char *)lua_tolstring(L, -1, &n);
  lua_pop(L, 2);
  tail_words(t, s, (size_t)upto - 1 < n ? (size_t)upto - 1 : n);
  for (size_t k = t->nw; k >= 2; k--) {       /* 1-based k as quotes.lua's ws */
    size_t wk = k - 1;
    const unsigned char *w = t->b + t->off[wk];
    size_t blen = bare_len(w, t->len[wk]);
    if (!is_title(F, w, blen)) continue;
    /* name_before(ws, k, 1) */
    size_t at = 0;
    size_t lo = k > 4 ? k - 4 : 1;
    for (int pass = 1; pass <= 2 && !at; pass++) {
      for (size_t i = k - 1; i >= lo; i--) {
        const unsigned char *x = t->b + t->off[i - 1];
        size_t xl = t->len[i - 1];
        if (xl == 3 && syllables(x, 3) == 1) break;
        int kn = korean_name(F, x, xl);
        Word nx;
        if ((kn == 1 || (kn == 2 && pass == 2)) && (pass == 1 || i == k - 1 || org_word(F, tail_word(t, i, &nx)))) {
          at = i;
          break;
        }
        if (ends_clause(x, xl)) break;
      }
    }
    if (at) {
      lua_pushlstring(L, (const char *)t->b + t->off[at - 1], t->len[at - 1]);
      lua_pushlstring(L, (const char *)w, blen);
      int org = 0;
      if (at < k - 1) {
        luaL_Buffer B;
        luaL_buffinit(L, &B);
        for (size_t x = at + 1; x <= k - 1; x++) {
          luaL_addlstring(&B, (const char *)t->b + t->off[x - 1], t->len[x - 1]);
          if (x < k - 1) luaL_addchar(&B, ' ');
        }
        luaL_pushresult(&B);
        org = lua_gettop(L);
      }
      int nm = org ? org - 2 : lua_gettop(L) - 1;
      people_add(L, nm, nm + 1, org, 0);
      lua_replace(L, nm);
      lua_settop(L, nm);
      return 1;
    }
    /* a surname and title (서 대표는): the person they name, searched in turn */
    size_t plen = t->len[wk - 1];
    if (set_has(F, &F->set[S_SURNAMES], t->b + t->off[wk - 1], plen)) {
      unsigned char sur[PRO_BYTES], ti[PRO_BYTES];
      memcpy(sur, t->b + t->off[wk - 1], plen);
      memcpy(ti, w, blen);
      int q = find_short(L, F, bi, upto, sur, plen, ti, blen, m);
      if (q < 0) return -1;
      if (q > 0) {
        push_found(L, m);
        return 1;
      }
      /* tail_words' buffer was not touched by the search: go on */
    }
  }
  return 0;
}

enum { SUB_NONE, SUB_FALSE, SUB_WHO, SUB_BACK };

/* The words w[from] .. w[to] of r (from > to: read right to left) pushed
 * left to right, joined by blanks. */
static void push_words(lua_State *L, const Reader *r, int from, int to)
{
  luaL_Buffer B;
  luaL_buffinit(L, &B);
  for (int x = from; x >= to; x--) {
    luaL_addlstring(&B, (const char *)r->w[x].b, r->w[x].len);
    if (x > to) luaL_addchar(&B, ' ');
  }
  luaL_pushresult(&B);
}

/* quotes.lua's describe and resolve for a title at r->w[j] (its base blen
 * bytes long) with no Korean name before it: a foreign name, transcribed
 * words just before the title (마크 J. 헤이든 부사장은), an organisation maybe
 * between (카를로스 멘데스 한결대 초빙교수); one word is a family name, the
 * person named before in full (people, then the earlier text) or a new one.
 * SUB_WHO (who, title pushed) or SUB_BACK (a title alone: nothing changed). */
static int foreign_subject(lua_State *L, const Finder *F, Reader *r, Reader *r2, int j, size_t blen,
  lua_Integer cur, lua_Integer upto)
{
  int D = 0;              /* the words before the title read (describe's lo: at most 5) */
  while (D < 5 && reader_get(r, j + D + 1)) {
    if (r->w[j + D + 1].big) return SUB_BACK;
    D++;
  }
  if (D == 0) return SUB_BACK;
  int last = 1;
  while (last < D && last < 3 && org_word(F, &r->w[j + last])) last++;
  int i = last;
  if (foreign_word(F, &r->w[j + last])) {
    i++;
    while (i <= D && foreign_part(F, &r->w[j + i])) i++;
  }
  if (i == last) return SUB_BACK;         /* a title alone: the Lua code reads it */
  const Word *head = &r->w[j];
  if (i == last + 1) {
    /* one word: a family name named before in full? */
    const Word *fam = &r->w[j + last];
    if (people_by(L, A_KFAMILY, fam->b, fam->len)) {
      lua_pushlstring(L, (const char *)head->b, blen);
      return SUB_WHO;
    }
    Mention *m = (Mention *)F->mention;
    int q = find_family(L, F, r2, cur, upto, fam->b, fam->len, m);
    if (q < 0) return SUB_BACK;
    if (q > 0) {
      lua_pushlstring(L, (const char *)m->name, m->namelen);
      int nm = lua_gettop(L);
      people_add(L, nm, 0, 0, 1);
      lua_replace(L, nm);
      lua_pushlstring(L, (const char *)head->b, blen);
      return SUB_WHO;
    }
    lua_pushlstring(L, (const char *)fam->b, fam->len);
  } else {
    push_words(L, r, j + i - 1, j + last);
  }
  int nm = lua_gettop(L);
  lua_pushlstring(L, (const char *)head->b, blen);
  int org = 0;
  if (last > 1) { push_words(L, r, j + last - 1, j + 1); org = nm + 2; }
  people_add(L, nm, nm + 1, org, 1);
  lua_replace(L, nm);           /* who, title */
  lua_settop(L, nm + 1);
  return SUB_WHO;
}

/* quotes.lua's subject_in over the words of reader r (cur, upto: where the
 * reading stands, for the searches of earlier text). SUB_WHO pushes who and
 * the title as written (or nil), *pronoun set for a pronoun; SUB_FALSE: a
 * subject that is no person; SUB_NONE: none; SUB_BACK: a shape read by the
 * Lua code (nothing was changed). The reader is the finder's; the search of
 * earlier text uses a second one. */
static int subject_general(lua_State *L, const Finder *F, Reader *r, Reader *r2, lua_Integer cur,
  lua_Integer upto, int *pronoun)
{
  Mention *m = (Mention *)F->mention;
  *pronoun = 0;
  int k = 0;
  for (;;) {
    int j = -1;
    size_t p = 0;
    for (; k <= NCAND - 1; k++) {
      if (!reader_get(r, k)) { k = NCAND; break; }
      if (r->w[k].big) return SUB_BACK;
      if ((p = particle(F, r->w[k].b, r->w[k].len)) > 0) { j = k; k++; break; }
    }
    if (j < 0) return SUB_NONE;
    const Word *head = &r->w[j];
    size_t blen = head->len - p;
    int stop = p == 3 && (memcmp(head->b + blen, "은", 3) == 0 || memcmp(head->b + blen, "는", 3) == 0);
    if (set_has(F, &F->set[S_PRONOUNS], head->b, blen)) {
      lua_Integer nl = (lua_Integer)lua_rawlen(L, A_LIST);
      int q = 1;
      if (nl > 0) lua_rawgeti(L, A_LIST, nl);
      else q = find_pronoun(L, F, cur, upto);
      if (q < 0) return SUB_BACK;
      if (q > 0) {
        lua_pushnil(L);
        *pronoun = 1;
        return SUB_WHO;
      }
      if (stop) return SUB_FALSE;
      continue;
    }
    if (is_title(F, head->b, blen)) {
      if (reader_get(r, j + 1)) {
        const Word *prev = &r->w[j + 1];
        if (prev->big) return SUB_BACK;
        if (prev->len == 3 && syllables(prev->b, 3) == 1) {
          int sur = set_has(F, &F->set[S_SURNAMES], prev->b, 3);
          int dem = set_has(F, &F->set[S_DEMONSTRATIVES], prev->b, 3);
          int found = 0;
          if (sur) {
            lua_pushlstring(L, (const char *)prev->b, 3);
            lua_pushlstring(L, (const char *)head->b, blen);
            if (people_by_surname(L, lua_gettop(L) - 1, lua_gettop(L))) found = 1;
            else {
              int q = find_short(L, F, cur, upto, prev->b, 3, head->b, blen, m);
              if (q < 0) { lua_pop(L, 2); return SUB_BACK; }
              if (q > 0) {
                push_found(L, m);
                found = 1;
              }
            }
            if (found) {        /* surname, title, who -> who, title */
              lua_remove(L, -3);
              lua_insert(L, -2);
              return SUB_WHO;
            }
            lua_pop(L, 2);
          }
          if (dem) {
            if (people_by(L, A_KTITLE, head->b, blen)) {
              lua_pushlstring(L, (const char *)head->b, blen);
              return SUB_WHO;
            }
            return SUB_BACK;    /* (find_earlier(nil, title)) */
          }
          return SUB_FALSE;     /* a title: the search stops */
        }
      }
      /* a name before the title (name_before over the reader) */
      int at = 0;
      for (int pass = 1; pass <= 2 && !at; pass++) {
        for (int i = j + 1; i <= j + 4; i++) {
          if (!reader_get(r, i)) break;
          const Word *w = &r->w[i];
          if (w->big) return SUB_BACK;
          if (w->len == 3 && syllables(w->b, 3) == 1) break;
          int kn = korean_name(F, w->b, w->len);
          if ((kn == 1 || (kn == 2 && pass == 2)) && (pass == 1 || i == j + 1 || org_word(F, &r->w[i - 1]))) {
            at = i;
            break;
          }
          if (ends_clause(w->b, w->len)) break;
        }
      }
      if (!at) return foreign_subject(L, F, r, r2, j, blen, cur, upto);
      const Word *nw = &r->w[at];
      lua_pushlstring(L, (const char *)nw->b, nw->len);
      lua_pushlstring(L, (const char *)head->b, blen);
      int org = 0;
      if (at > j + 1) {
        luaL_Buffer B;
        luaL_buffinit(L, &B);
        for (int x = at - 1; x > j; x--) {
          luaL_addlstring(&B, (const char *)r->w[x].b, r->w[x].len);
          if (x > j + 1) luaL_addchar(&B, ' ');
        }
        luaL_pushresult(&B);
        org = lua_gettop(L);
      }
      int nm = org ? org - 2 : lua_gettop(L) - 1;
      people_add(L, nm, nm + 1, org, 0);
      lua_replace(L, nm);           /* who, title */
      lua_settop(L, nm + 1);
      return SUB_WHO;
    }
    if (korean_name(F, head->b, blen) == 1) {
      /* a bare name: the person */
      lua_pushlstring(L, (const char *)head->b, blen);
      int nm = lua_gettop(L);
      people_add(L, nm, 0, 0, 0);
      lua_replace(L, nm);
      lua_pushnil(L);
      return SUB_WHO;
    }
    if (syllables(head->b, blen) > 0) {
      /* a family name (르쿤은), or a word that names no one */
      if (people_by(L, A_KFAMILY, head->b, blen)) { lua_pushnil(L); return SUB_WHO; }
      int q = find_family(L, F, r2, cur, upto, head->b, blen, m);
      if (q < 0) return SUB_BACK;
      if (q > 0) {
        lua_pushlstring(L, (const char *)m->name, m->namelen);
        int nm = lua_gettop(L);
        people_add(L, nm, 0, 0, 1);
        lua_replace(L, nm);
        lua_pushnil(L);
        return SUB_WHO;
      }
    }
    if (stop) return SUB_FALSE;
  }
}

/* quotes.lua's around: in s, where 이렇게/이같이 stands in its first sentence
 * (*cut, 1-based, 0: none), and where its last sentence starts when that
 * holds no quote mark (*tail, 0-based, or (size_t)-1: none). */
static void around(const unsigned char *s, size_t n, size_t *cut, size_t *tail)
{
  size_t first_end = n;     /* 1-based */
  for (size_t i = 0; i + 4 <= n;) {
    const unsigned char *h = find_bytes(s + i, n - i, "\xEB\x8B\xA4.", 4);
    if (!h) break;
    size_t p = (size_t)(h - s);
    if (p + 4 < n && is_space(s[p + 4])) { first_end = p + 4; break; }
    i = p + 1;
  }
  *cut = 0;
  static const char *const words[] = { "이렇게", "이같이" };
  for (int w = 0; w < 2 && !*cut; w++) {
    const unsigned char *h = find_bytes(s, n, words[w], 9);
    if (h && (size_t)(h - s) + 1 + 8 <= first_end) *cut = (size_t)(h - s) + 1;
  }
  size_t last = 0;          /* 1-based: the last .?! before a blank, read from the end */
  for (size_t x = n >= 2 ? n - 1 : 0; x-- > 0;)
    if ((s[x] == '.' || s[x] == '?' || s[x] == '!') && is_space(s[x + 1])) { last = x + 1; break; }
  size_t y = 0;
  if (last > 0) {
    y = last;
    while (y < n && is_space(s[y])) y++;
  }
  *tail = y;
  for (size_t x = y; x < n; x++) {
    if (s[x] == '"' || (s[x] == 0xE2 && x + 2 < n && s[x + 1] == 0x80 && (s[x + 2] == 0x9C || s[x + 2] == 0x98))) {
      *tail = (size_t)-1;
      break;
    }
  }
}

enum { ST_WHO, ST_FALSE, ST_LEDE, ST_BACK };

/* quotes.lua's standalone(bi, carried, spans) for a quote standing alone at
 * the start of block bi: ST_WHO pushes who and how; ST_LEDE: nil, "lede";
 * ST_FALSE; ST_BACK (nothing changed). */
static int standalone(lua_State *L, const Finder *F, lua_Integer bi, int carried, int spans,
  lua_Integer *cur, lua_Integer *upto)
{
  Reader *r = (Reader *)F->reader;
  Reader *r2 = (Reader *)F->reader2;
  if (str_is(L, carried, "lede", 4)) return ST_LEDE;
  if (lua_toboolean(L, carried)) {
    lua_pushvalue(L, carried);
    lua_pushliteral(L, "continued");
    return ST_WHO;
  }
  int pronoun;
  if (!spans) {
    int top = lua_gettop(L);
    const unsigned char *s = NULL;
    size_t n = 0;
    if (lua_rawgeti(L, A_BLOCKS, bi + 1) == LUA_TTABLE) {
      lua_getfield(L, -1, "type");
      if (str_is(L, -1, "para", 4) && lua_getfield(L, -2, "text") == LUA_TSTRING)
        s = (const unsigned char *)lua_tolstring(L, -1, &n);
    }
    lua_settop(L, top);       /* (the block holds the string) */
    {
      if (s) {
        size_t cut, tail;
        around(s, n, &cut, &tail);
        if (cut) {
          r->s = s; r->lo = 0; r->pos = cut - 1; r->n = r->end = 0;
          int q = subject_general(L, F, r, r2, bi + 1, (lua_Integer)cut, &pronoun);
          if (q == SUB_BACK) return ST_BACK;
          *cur = bi + 1; *upto = (lua_Integer)cut;
          if (q == SUB_WHO) {
            lua_pop(L, 1);
            lua_pushliteral(L, "next");
            return ST_WHO;
          }
          return ST_FALSE;
        }
      }
    }
  }
  int top = lua_gettop(L);
  const unsigned char *s = NULL;
  size_t n = 0;
  if (bi > 1 && lua_rawgeti(L, A_BLOCKS, bi - 1) == LUA_TTABLE) {
    lua_getfield(L, -1, "type");
    if (str_is(L, -1, "para", 4) && lua_getfield(L, -2, "text") == LUA_TSTRING)
      s = (const unsigned char *)lua_tolstring(L, -1, &n);
  }
  lua_settop(L, top);
  {
    if (s) {
      size_t cut, tail;
      around(s, n, &cut, &tail);
      if (tail != (size_t)-1) {
        r->s = s; r->lo = tail; r->pos = n; r->n = r->end = 0;
        int q = subject_general(L, F, r, r2, bi - 1, (lua_Integer)n + 1, &pronoun);
        if (q == SUB_BACK) return ST_BACK;
        *cur = bi - 1; *upto = (lua_Integer)n + 1;
        if (q == SUB_WHO) {
          lua_pop(L, 1);
          lua_pushliteral(L, "intro");
          return ST_WHO;
        }
      }
    }
  }
  if (lua_isnil(L, A_LAST)) return ST_LEDE;
  return ST_FALSE;
}

/* quotes.lua's speaker_of for a quote of block bi (text s) read by the
 * general reading: the words before it (from blo, 1-based; 0: none), then
 * those after it up to its verb (ts..lend, 1-based; lend 0: none), then the
 * last speaker unless it opens the block. Pushes who, title, how and returns
 * 1, or returns 0 (nothing pushed or changed): handed back. */
static int speaker_general(lua_State *L, const Finder *F, const unsigned char *s, lua_Integer bi,
  lua_Integer open, lua_Integer after, lua_Integer blo, lua_Integer ts, lua_Integer lend, int opens,
  lua_Integer *cur, lua_Integer *upto)
{
  Reader *r = (Reader *)F->reader, *r2 = (Reader *)F->reader2;
  int pronoun, q = SUB_NONE;
  lua_Integer c = *cur, u = *upto;
  if (blo > 0) {
    r->s = s; r->lo = (size_t)blo - 1; r->pos = (size_t)open - 1; r->n = r->end = 0;
    q = subject_general(L, F, r, r2, bi, open, &pronoun);
    if (q == SUB_BACK) return 0;
    c = bi; u = open;
    if (q == SUB_WHO) {
      if (pronoun) lua_pushliteral(L, "pronoun"); else lua_pushliteral(L, "subject");
      *cur = c; *upto = u;
      return 1;
    }
  }
  if (lend > 0) {
    r->s = s; r->lo = (size_t)ts - 1; r->pos = (size_t)lend; r->n = r->end = 0;
    int q2 = subject_general(L, F, r, r2, bi, after, &pronoun);
    if (q2 == SUB_BACK) return 0;
    c = bi; u = after;
    if (q2 == SUB_WHO) {
      lua_pushliteral(L, "after");
      *cur = c; *upto = u;
      return 1;
    }
  }
  *cur = c; *upto = u;
  if (q == SUB_FALSE) { lua_pushboolean(L, 0); lua_pushnil(L); lua_pushnil(L); return 1; }
  if (!opens) {
    lua_pushvalue(L, A_LAST);
    lua_pushnil(L);
    if (lua_toboolean(L, -2)) lua_pushliteral(L, "last"); else lua_pushnil(L);
    return 1;
  }
  lua_pushnil(L); lua_pushnil(L); lua_pushnil(L);
  return 1;
}

/* quotes.lua's speaker_of for a quote line whose block names its speaker
 * (b.speaker): the person, and the title the speaker line before it gives
 * ("[인터뷰] 이름 / 소속 직함": its last word when a title), pushed with
 * "caption": 1; 0 (nothing pushed) when the block names none or the role
 * holds a parenthesis (quotes.lua reads it). */
static int caption(lua_State *L, const Finder *F, int b, lua_Integer bi)
{
  int top = lua_gettop(L);
  size_t sn;
  if (lua_getfield(L, b, "speaker") != LUA_TSTRING || (lua_tolstring(L, -1, &sn), sn == 0)) {
    lua_settop(L, top);
    return 0;
  }
  int speaker = top + 1;
  const unsigned char *w = NULL;
  size_t wn = 0;
  if (bi > 1 && lua_rawgeti(L, A_BLOCKS, bi - 1) == LUA_TTABLE) {
    int prev = lua_gettop(L);
    lua_getfield(L, prev, "type");
    if (str_is(L, -1, "speaker", 7)) {
      if (lua_getfield(L, prev, "text") != LUA_TSTRING) { lua_settop(L, top); return 0; }
      size_t n;
      const unsigned char *t = (const unsigned char *)lua_tolstring(L, -1, &n);
      const unsigned char *sl = memchr(t, '/', n);
      if (sl) {
        size_t lo = (size_t)(sl - t) + 1, hi = n;
        while (lo < hi && is_space(t[lo])) lo++;
        while (hi > lo && is_space(t[hi - 1])) hi--;
        if (memchr(t + lo, '(', hi - lo)) { lua_settop(L, top); return 0; }
        /* the last word: cut at blanks, commas, · and … */
        size_t e = hi;
        for (;;) {
          size_t c = e > lo ? gisa_cut_before(t, lo, e) : 0;
          if (e > lo && c) e -= c; else break;
        }
        size_t st = e;
        while (st > lo && !gisa_cut_before(t, lo, st)) st--;
        if (e > st) { w = t + st; wn = e - st; }
      }
    }
  }
  int ti = 0;
  if (w && is_title(F, w, wn)) {
    lua_pushlstring(L, (const char *)w, wn);
    ti = lua_gettop(L);
  }
  people_add(L, speaker, ti, 0, 0);
  int who = lua_gettop(L);
  if (ti) lua_pushvalue(L, ti); else lua_pushnil(L);
  lua_pushliteral(L, "caption");
  for (int j = 0; j < 3; j++) lua_copy(L, who + j, top + 1 + j);   /* who, title, how at top + 1 .. */
  lua_settop(L, top + 3);
  return 1;
}

/* The state a call back into quotes.lua (A_SPAN, A_SLOW) carries on and
 * gives back: the quote carried over, the person current (cur: 0 none) and
 * where the text read for them ends, and the last person named (A_LAST). */
static void push_state(lua_State *L, int carried, lua_Integer cur, lua_Integer upto)
{
  lua_pushvalue(L, carried);
  if (cur) lua_pushinteger(L, cur); else lua_pushnil(L);
  if (cur) lua_pushinteger(L, upto); else lua_pushnil(L);
  lua_pushvalue(L, A_LAST);
}

/* cur and upto as the call gave them back (its last two results, popped). */
static void take_state(lua_State *L, lua_Integer *cur, lua_Integer *upto)
{
  *cur = lua_isnil(L, -2) ? 0 : lua_tointeger(L, -2);
  *upto = lua_isnil(L, -1) ? 0 : lua_tointeger(L, -1);
  lua_pop(L, 2);
}

/* finder:scan(blocks, R, people, interview, slow, span, cout) -> n | nil, bi
 * quotes.lua's M.scan over the blocks of a record: R's arrays (text, line,
 * verb, person, title, how, block, chain) filled from 1 to n. The speaker of
 * a quote of the common shapes (a name and title, a pronoun, a surname and
 * title named already, the last speaker's) is decided here over people (a
 * quotes.lua People); any other is handed back: slow(bi, k, carried, cur,
 * upto, last) -> who, title, how, cur, upto runs quotes.lua's reading of the
 * k-th quote of block bi (its values in cout, as finder:block gives them);
 * span(bi, carried, cur, upto, last) -> who, how, cur, upto reads a quote that
 * runs over paragraphs. nil, bi: block bi's text is not a string. */
static int finder_scan(lua_State *L)
{
  const Finder *F = check_finder(L);
  luaL_checktype(L, A_BLOCKS, LUA_TTABLE);
  luaL_checktype(L, A_R, LUA_TTABLE);
  luaL_checktype(L, A_PEOPLE, LUA_TTABLE);
  luaL_checktype(L, A_INTER, LUA_TTABLE);
  luaL_checktype(L, A_SLOW, LUA_TFUNCTION);
  luaL_checktype(L, A_SPAN, LUA_TFUNCTION);
  luaL_checktype(L, A_COUT, LUA_TTABLE);
  lua_settop(L, A_SUBS);
  static const char *const arrays[] = { "text", "line", "verb", "person", "title", "how", "block", "chain" };
  for (int k = 0; k < 8; k++)
    if (lua_getfield(L, A_R, arrays[k]) != LUA_TTABLE) luaL_error(L, "R.%s must be a table", arrays[k]);
  if (lua_getfield(L, A_PEOPLE, "list") != LUA_TTABLE) luaL_error(L, "people.list must be a table");
  if (lua_getfield(L, A_PEOPLE, "by_name") != LUA_TTABLE) luaL_error(L, "people.by_name must be a table");
  lua_pushnil(L);                 /* A_CARRY */
  lua_pushnil(L);                 /* A_LAST */
  lua_newtable(L);                /* A_PENDING */
  lua_pushnil(L);                 /* A_INTERVIEWEE: whom the article's interview answers are from */
  int interviewee_known = 0;      /* (quotes.lua's S.inter, once its first answer is handed back) */
  lua_pushliteral(L, "type");     /* A_KTYPE .. A_KLINE: a block's keys, for rawget */
  lua_pushliteral(L, "text");
  lua_pushliteral(L, "line");
  lua_pushliteral(L, "name");     /* A_KNAME .. A_KFAMILY: a person's */
  lua_pushliteral(L, "title");
  lua_pushliteral(L, "org");
  lua_pushliteral(L, "surname");
  lua_pushliteral(L, "family");
  lua_Integer nb = (lua_Integer)lua_rawlen(L, A_BLOCKS);
  {                               /* A_EARLIER: the blocks as the searches of earlier text read them */
    size_t nbz = nb > 0 ? (size_t)nb : 1;
    if (nbz > ((size_t)-1 - sizeof(EarlierCache)) / sizeof(EarlierBlock)) luaL_error(L, "too many blocks");
    EarlierCache *c = (EarlierCache *)lua_newuserdatauv(L, sizeof(EarlierCache) + (nbz - 1) * sizeof(EarlierBlock), 0);
    memset(c, 0, sizeof(EarlierCache) + (nbz - 1) * sizeof(EarlierBlock));
    c->nb = nb;
  }
  luaL_checkstack(L, 40, "gisa.quote");
  lua_Integer n = 0, npending = 0, cur = 0, upto = 0;   /* (cur 0: nil) */
  ((Memo *)F->memo)->n = 0;       /* (the searches remembered are this article's) */
  ((Memo *)F->memo)->next = 0;
  for (lua_Integer bi = 1; bi <= nb; bi++) {
    lua_settop(L, A_TOP - 1);
    lua_rawgeti(L, A_BLOCKS, bi);
    int b = lua_gettop(L);                      /* A_TOP */
    if (!lua_istable(L, b)) luaL_error(L, "block %d: a block must be a table", (int)bi);
    lua_pushvalue(L, A_KTYPE);
    lua_rawget(L, b);
    int is_quote = str_is(L, -1, "quote", 5);
    int quoted = is_quote || str_is(L, -1, "para", 4) || str_is(L, -1, "answer", 6);
    if (!quoted) continue;
    int kind = b + 1;
    lua_pushvalue(L, A_KTEXT);
    if (lua_rawget(L, b) != LUA_TSTRING) {
      lua_pushnil(L);
      lua_pushinteger(L, bi);
      return 2;
    }
    size_t len;
    const unsigned char *s = (const unsigned char *)lua_tolstring(L, -1, &len);
    lua_pushvalue(L, A_KLINE);
    lua_rawget(L, b);
    int line = b + 3;
    lua_Integer marks;
    lua_Integer taken = block_pass(L, F, s, len, is_quote, A_COUT, 0, &marks);
    if (taken < 0) { lua_pushnil(L); lua_replace(L, A_CARRY); continue; }
    lua_Integer block_first = n + 1;
    lua_pushvalue(L, A_CARRY);
    int carried = lua_gettop(L);                /* b + 4 */
    lua_pushnil(L); lua_replace(L, A_CARRY);
    lua_pushvalue(L, kind);
    lua_rawget(L, A_INTER);
    int interview = lua_toboolean(L, -1);
    lua_pop(L, 1);
    size_t from;
    if (spanning(s, len, &from)) {
      int go = 0;
      if (str_is(L, kind, "para", 4)) {
        if (lua_rawgeti(L, A_BLOCKS, bi + 1) == LUA_TTABLE) {
          lua_getfield(L, -1, "type");
          if (str_is(L, -1, "para", 4) && lua_getfield(L, -2, "text") == LUA_TSTRING) {
            size_t nl;
            const unsigned char *t = (const unsigned char *)lua_tolstring(L, -1, &nl);
            go = (nl >= 3 && t[0] == 0xE2 && t[1] == 0x80 && t[2] == 0x9C) || (nl >= 1 && t[0] == '"');
          }
        }
      }
      lua_settop(L, carried);
      if (go) {
        lua_pushlstring(L, (const char *)s + from, len - from);
        int text = lua_gettop(L);
        int st = standalone(L, F, bi, carried, 1, &cur, &upto);
        if (st == ST_LEDE) { lua_pushnil(L); lua_pushliteral(L, "lede"); }
        else if (st == ST_FALSE) { lua_pushboolean(L, 0); lua_pushnil(L); }
        else if (st == ST_BACK) {
          lua_pushvalue(L, A_SPAN);
          lua_pushinteger(L, bi);
          push_state(L, carried, cur, upto);
          lua_call(L, 5, 4);
          take_state(L, &cur, &upto);
        }
        int who = text + 1, how = text + 2;
        add_quote(L, &n, &npending, text, line, 0, bi, who, 0, how);
        if (lua_toboolean(L, who)) lua_pushvalue(L, who);
        else if (str_is(L, how, "lede", 4)) lua_pushvalue(L, how);
        else lua_pushnil(L);
        lua_replace(L, A_CARRY);
        lua_settop(L, carried);
      }
    }
    for (lua_Integer k = 1; k <= taken; k++) {
      lua_settop(L, carried);
      lua_Integer o = STRIDE * (k - 1);
      const QVal *qv = &((const Vals *)F->vals)->v[k - 1];
      push_span(L, s + qv->tfrom, qv->tlen);
      int text = carried + 1;
      lua_Integer open = qv->open, mark = qv->mark, said = qv->said;
      int opens = open == 1;
      int verb = 0;
      if (said && qv->verb != V_NONE) {
        if (qv->verb == V_SPAN) push_span(L, s + qv->vfrom, qv->vlen);
        else lua_rawgeti(L, A_COUT, o + 6);
        verb = lua_gettop(L);
      }
      lua_Integer shape = qv->shape;
      int fast = !is_quote && !(opens && interview);
      int who = 0, title = 0, how = 0;
      int cap = is_quote ? caption(L, F, b, bi) : 0;
      if (cap) {
        /* a quote line with its speaker: quotes.lua's caption (pushed who, title, how) */
        who = lua_gettop(L) - 2; title = who + 1; how = who + 2;
      } else if (!is_quote && opens && interview && interviewee_known) {
        lua_pushvalue(L, A_INTERVIEWEE);
        who = lua_gettop(L);
        lua_pushliteral(L, "interview");
        how = who + 1;
      } else if (fast && shape == K_NAMED) {
        lua_rawgeti(L, A_COUT, o + 11);
        int name = lua_gettop(L);
        lua_rawgeti(L, A_COUT, o + 12);
        title = name + 1;
        lua_rawgeti(L, A_COUT, o + 13);
        int org = lua_toboolean(L, -1) ? name + 2 : 0;
        cur = bi; upto = open;
        people_add(L, name, title, org, 0);
        who = lua_gettop(L);
        lua_pushliteral(L, "subject");
        how = who + 1;
      } else if (fast && shape == K_PRONOUN && lua_rawlen(L, A_LIST) > 0) {
        cur = bi; upto = open;
        lua_rawgeti(L, A_LIST, (lua_Integer)lua_rawlen(L, A_LIST));
        who = lua_gettop(L);
        lua_pushliteral(L, "pronoun");
        how = who + 1;
      } else if (fast && (shape == K_LAST || shape == K_NONE)) {
        if (shape == K_NONE) { cur = bi; upto = open; }
        lua_pushvalue(L, A_LAST);
        who = lua_gettop(L);
        if (lua_toboolean(L, who)) { lua_pushliteral(L, "last"); how = who + 1; }
      } else {
        int found = 0;
        if (fast && (shape == K_SHORT || shape == K_PRONOUN || shape == K_LATER || shape == K_BACK
            || (shape == K_PLAIN && !opens))) {
          /* the general reading of the words before and after it */
          lua_Integer blo = qv->blo, after = qv->after, ts = qv->ts, te = qv->te;
          lua_Integer lend = 0;
          if (shape == K_LATER) lend = qv->lend;
          else if ((shape == K_SHORT || shape == K_PRONOUN || shape == K_BACK) && said)
            lend = (lua_Integer)later_end(s, len, (size_t)ts, (size_t)te);
          lua_settop(L, verb ? verb : text);
          int base = lua_gettop(L);
          if (speaker_general(L, F, s, bi, open, after, blo, ts, lend, opens, &cur, &upto)) {
            who = base + 1; title = base + 2; how = base + 3;
            found = 1;
          }
        } else if (fast && shape == K_PLAIN && opens) {
          lua_settop(L, verb ? verb : text);
          int base = lua_gettop(L);
          found = 1;
          if (said) { /* no one before it, no words after it: no speaker */ }
          else {
            /* a quote standing alone at the start of its block */
            switch (standalone(L, F, bi, carried, 0, &cur, &upto)) {
            case ST_WHO: who = base + 1; how = base + 2; break;
            case ST_LEDE: lua_pushnil(L); lua_pushliteral(L, "lede"); who = base + 1; how = base + 2; break;
            case ST_FALSE: break;
            default: found = 0; lua_settop(L, base);
            }
          }
        }
        if (!found) {
          /* any other shape: quotes.lua reads it */
          lua_settop(L, verb ? verb : text);
          int base = lua_gettop(L);
          put_vals(L, F, s, A_COUT, k, 1);
          lua_pushvalue(L, A_SLOW);
          lua_pushinteger(L, bi);
          lua_pushinteger(L, k);
          push_state(L, carried, cur, upto);
          lua_call(L, 6, 5);
          take_state(L, &cur, &upto);
          who = base + 1; title = base + 2; how = base + 3;
          if (!is_quote && opens && interview && str_is(L, how, "interview", 9)) {
            lua_pushvalue(L, who);
            lua_replace(L, A_INTERVIEWEE);
            interviewee_known = 1;
          }
        }
      }
      if (opens && !said && k == 1) { lua_pushnil(L); lua_replace(L, A_CARRY); }
      add_quote(L, &n, &npending, text, line, verb, bi, who, title, how);
      if (said) {
        const Mark *w = &F->after[mark - 1][said - 1];
        if (set_has(F, &F->set[S_CHAINS], w->s, w->len)) {
          lua_pushboolean(L, 1);
          lua_rawseti(L, A_CHAIN, n);
        }
      }
    }
    /* a chain (“…”며 “…”고 말했다) shares the verb of the quote it runs into */
    for (lua_Integer i = n - 1; i >= block_first; i--) {
      int chain = lua_rawgeti(L, A_CHAIN, i) != LUA_TNIL;
      int noverb = lua_rawgeti(L, A_VERB, i) == LUA_TNIL;
      lua_pop(L, 2);
      if (chain && noverb) {
        lua_rawgeti(L, A_VERB, i + 1);
        lua_rawseti(L, A_VERB, i);
      }
    }
  }
  lua_pushinteger(L, n);
  return 1;
}

/* quote.records(R, n, out) -> out
 * The record's quotes from M.scan's arrays: {text, speaker, title, org, line,
 * verb} for quotes 1..n of R appended to out. */
static int quote_records(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  static const char *const arrays[] = { "text", "line", "verb", "person", "title" };
  for (int k = 0; k < 5; k++)
    if (lua_getfield(L, 1, arrays[k]) != LUA_TTABLE) luaL_error(L, "R.%s must be a table", arrays[k]);
  enum { TEXT = 4, LINE, VERB, PERSON, TITLE, K_TEXT, K_SPEAKER, K_NAME, K_TITLE, K_ORG, K_LINE, K_VERB };
  /* the keys pushed once: rawget and rawset by them cost no C-string look-up a field */
  lua_pushliteral(L, "text");
  lua_pushliteral(L, "speaker");
  lua_pushliteral(L, "name");
  lua_pushliteral(L, "title");
  lua_pushliteral(L, "org");
  lua_pushliteral(L, "line");
  lua_pushliteral(L, "verb");
  luaL_checkstack(L, 8, "gisa.quote");
  lua_Integer at = (lua_Integer)lua_rawlen(L, 3);
  for (lua_Integer i = 1; i <= n; i++) {
    int p = lua_rawgeti(L, PERSON, i) != LUA_TNIL && lua_toboolean(L, -1);
    int person = lua_gettop(L);
    lua_createtable(L, 0, p ? 6 : 4);
    int q = person + 1;
    lua_pushvalue(L, K_TEXT); lua_rawgeti(L, TEXT, i); lua_rawset(L, q);
    if (p) {
      if (!lua_istable(L, person)) luaL_error(L, "R.person[%d] must be a table", (int)i);
      lua_pushvalue(L, K_SPEAKER); lua_pushvalue(L, K_NAME); lua_rawget(L, person); lua_rawset(L, q);
      lua_pushvalue(L, K_TITLE);
      lua_pushvalue(L, K_TITLE);
      if (lua_rawget(L, person) == LUA_TNIL || !lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        lua_rawgeti(L, TITLE, i);
      }
      lua_rawset(L, q);
      lua_pushvalue(L, K_ORG); lua_pushvalue(L, K_ORG); lua_rawget(L, person); lua_rawset(L, q);
    } else {
      lua_pushvalue(L, K_TITLE); lua_rawgeti(L, TITLE, i); lua_rawset(L, q);
    }
    lua_pushvalue(L, K_LINE); lua_rawgeti(L, LINE, i); lua_rawset(L, q);
    lua_pushvalue(L, K_VERB); lua_rawgeti(L, VERB, i); lua_rawset(L, q);
    lua_rawseti(L, 3, at + i);
    lua_settop(L, K_VERB);
  }
  lua_settop(L, 3);
  return 1;
}

static const luaL_Reg finder_methods[] = {
  { "block", finder_block },
  { "scan", finder_scan },
  { NULL, NULL },
};

static const luaL_Reg quote_funcs[] = {
  { "finder", quote_finder },
  { "records", quote_records },
  { NULL, NULL },
};

int luaopen_gisa_quote(lua_State *L)
{
  if (luaL_newmetatable(L, FINDER)) {
    luaL_newlib(L, finder_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, finder_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, finder_gc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, finder_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_newlib(L, quote_funcs);
  return 1;
}
