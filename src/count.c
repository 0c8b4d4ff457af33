/*
 * count.c: gisa.count, the hot loop of word frequency lists. Counting tokens
 * one by one in Lua costs a table lookup and a string per token; here the
 * tokens of a whole text are counted in a C hash table over the text's own
 * bytes, and only the distinct words reach Lua. Tokens are words (runs of
 * letters, marks and digits, as gisa.text.words) or whitespace-separated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "gisa.h"
#include "utf8.h"

/* ------------------------------------------------------------------------
 * A hash table of byte strings with counts, in malloc'd memory owned by a
 * userdata box whose __gc frees it (so an error while pushing results to Lua
 * leaks nothing).
 * ---------------------------------------------------------------------- */

typedef struct {
  const char *key;     /* into the text being counted, or into the arena */
  size_t len;
  uint64_t hash;
  lua_Integer count;
} Entry;

typedef struct Block { struct Block *next; size_t used, size; char data[]; } Block;

typedef struct {
  Entry *slots;        /* open addressing, linear probing; key == NULL is empty */
  size_t cap, n;       /* cap is a power of two */
  Block *arena;        /* the keys: copied when first seen, so texts may go */
  char *scratch;       /* one folded token */
  size_t scratch_cap;
  lua_Integer tokens;  /* all tokens added */
} Counter;

#define COUNTER "gisa.count.Counter"

static void counter_free(Counter *c)
{
  free(c->slots); c->slots = NULL;
  c->cap = c->n = 0;
  while (c->arena) { Block *b = c->arena; c->arena = b->next; free(b); }
  free(c->scratch); c->scratch = NULL;
  c->scratch_cap = 0;
}

static Counter *check_counter(lua_State *L, int i)
{
  Counter *c = (Counter *)luaL_checkudata(L, i, COUNTER);
  luaL_argcheck(L, c->slots != NULL, i, "counter is closed");
  return c;
}

/* 64-bit hash over 8-byte chunks (a multiply-xorshift mix; tokens are short).
 * The tail is read with overlapping loads, never byte by byte: byte stores
 * followed by a wide load stall the CPU (store forwarding fails). */
static uint64_t load_tail(const char *s, size_t n, size_t total)
{
  uint64_t w = 0;
  if (total >= 8) { memcpy(&w, s + n - 8, 8); return w; }   /* overlaps the last chunk */
  if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, s, 4); memcpy(&b, s + n - 4, 4);
    return ((uint64_t)a << 32) | b;
  }
  return ((uint64_t)(unsigned char)s[0] << 16) | ((uint64_t)(unsigned char)s[n >> 1] << 8)
    | (unsigned char)s[n - 1];
}

static uint64_t hash_bytes(const char *s, size_t n)
{
  const uint64_t K = 0x9E3779B97F4A7C15ull;
  size_t total = n;
  uint64_t h = n * K;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * K;
    h ^= h >> 29;
    s += 8; n -= 8;
  }
  if (n) {
    h = (h ^ load_tail(s, n, total)) * K;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

static int counter_grow(Counter *c)
{
  size_t ncap = c->cap * 2;
  Entry *ns = (Entry *)calloc(ncap, sizeof(Entry));
  if (!ns) return 0;
  for (size_t i = 0; i < c->cap; i++) {
    Entry *e = &c->slots[i];
    if (!e->key) continue;
    size_t j = e->hash & (ncap - 1);
    while (ns[j].key) j = (j + 1) & (ncap - 1);
    ns[j] = *e;
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

/* Count one token (copied when new). Returns 0 when out of memory. */
static int counter_add(Counter *c, const char *s, size_t n)
{
  uint64_t h = hash_bytes(s, n);
  size_t mask = c->cap - 1, i = h & mask;
  for (;;) {
    Entry *e = &c->slots[i];
    if (!e->key) break;
    if (e->hash == h && e->len == n && memcmp(e->key, s, n) == 0) { e->count++; return 1; }
    i = (i + 1) & mask;
  }
  if (!(s = arena_copy(c, s, n))) return 0;
  if (n == 0) s = "";   /* key == NULL marks an empty slot */
  Entry *e = &c->slots[i];
  e->key = s; e->len = n; e->hash = h; e->count = 1;
  if (++c->n * 2 > c->cap) return counter_grow(c);
  return 1;
}

/* ------------------------------------------------------------------------
 * Tokenizers
 * ---------------------------------------------------------------------- */

/* ASCII whitespace, as awk's default field splitting and str.split() see it
 * in ASCII text. */
static const unsigned char is_space[256] = {
  ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

static int count_space(Counter *c, const char *s, size_t len, lua_Integer *ntok)
{
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  lua_Integer n = 0;
  while (p < end) {
    while (p < end && is_space[*p]) p++;
    if (p >= end) break;
    const unsigned char *start = p;
    while (p < end && !is_space[*p]) p++;
    if (!counter_add(c, (const char *)start, (size_t)(p - start))) return 0;
    n++;
  }
  *ntok += n;
  return 1;
}

/* A word character: a letter, a mark or a number (general categories L*, M*, N*). */
static int is_word_cp(uint32_t cp)
{
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp >= 0xAC00 && cp <= 0xD7A3) return 1;   /* Hangul syllables */
  switch (utf8proc_category((utf8proc_int32_t)cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    return 1;
  default:
    return 0;
  }
}

static uint32_t fold_cp(uint32_t cp)
{
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xAC00 && cp <= 0xD7A3) return cp;
  return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

static int scratch_reserve(Counter *c, size_t n)
{
  if (n <= c->scratch_cap) return 1;
  size_t cap = c->scratch_cap ? c->scratch_cap : 256;
  while (cap < n) cap *= 2;
  char *p = (char *)realloc(c->scratch, cap);
  if (!p) return 0;
  c->scratch = p; c->scratch_cap = cap;
  return 1;
}

/* Add a word token s[0..n); lowercased first when `fold` (the scan saw a
 * character that lowercasing changes). */
static int add_word(Counter *c, const char *s, size_t n, int fold)
{
  if (!fold) return counter_add(c, s, n);
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t o = 0;
  if (!scratch_reserve(c, n * 2 + 8)) return 0;   /* tolower never needs more than 2x */
  while (p < end) {
    uint32_t cp;
    int k = gisa_utf8_decode(p, (size_t)(end - p), &cp);   /* valid: the scan checked */
    o += (size_t)gisa_utf8_encode(fold_cp(cp), c->scratch + o);
    p += k;
  }
  return counter_add(c, c->scratch, o);
}

static int count_words(Counter *c, const char *s, size_t len, int fold, lua_Integer *ntok)
{
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  const unsigned char *start = NULL;
  lua_Integer n = 0;
  int upper = 0;
  while (p < end) {
    uint32_t cp;
    int k, word;
    unsigned b0 = *p;
    if (b0 < 0x80) {
      k = 1;
      word = (b0 >= 'a' && b0 <= 'z') || (b0 >= '0' && b0 <= '9');
      if (!word && b0 >= 'A' && b0 <= 'Z') word = upper = 1;
    } else if (b0 >= 0xEA && b0 <= 0xED && end - p >= 3 && (p[1] & 0xC0) == 0x80
               && (p[2] & 0xC0) == 0x80
               && (cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu),
                   cp >= 0xAC00 && cp <= 0xD7A3)) {
      k = 3; word = 1;   /* a Hangul syllable: the common case, decoded inline */
    } else {
      k = gisa_utf8_decode(p, (size_t)(end - p), &cp);
      if (k == 0) { k = (int)cp; word = 0; }   /* an invalid sequence ends a word */
      else {
        word = is_word_cp(cp);
        if (word && fold && fold_cp(cp) != cp) upper = 1;
      }
    }
    if (word) {
      if (!start) start = p;
    } else if (start) {
      if (!add_word(c, (const char *)start, (size_t)(p - start), fold && upper)) return 0;
      n++;
      start = NULL;
      upper = 0;
    }
    p += k;
  }
  if (start) {
    if (!add_word(c, (const char *)start, (size_t)(p - start), fold && upper)) return 0;
    n++;
  }
  *ntok += n;
  return 1;
}

/* ------------------------------------------------------------------------
 * Lua functions
 * ---------------------------------------------------------------------- */

static const char *const units[] = { "word", "space", NULL };

/* Add the tokens of s to c; raises on misuse or when out of memory. */
static lua_Integer add_text(lua_State *L, Counter *c, int si, int ui, int fi)
{
  size_t len;
  const char *s = luaL_checklstring(L, si, &len);
  int unit = luaL_checkoption(L, ui, "word", units);
  int fold = lua_toboolean(L, fi);
  lua_Integer ntok = 0;
  int ok = unit == 1 ? count_space(c, s, len, &ntok) : count_words(c, s, len, fold, &ntok);
  if (!ok) luaL_error(L, "not enough memory");
  c->tokens += ntok;
  return ntok;
}

/* Add every count of c into the table at index t. */
static void push_counts(lua_State *L, Counter *c, int t)
{
  for (size_t i = 0; i < c->cap; i++) {
    Entry *e = &c->slots[i];
    if (!e->key) continue;
    lua_pushlstring(L, e->key, e->len);
    lua_pushvalue(L, -1);
    lua_Integer old = lua_rawget(L, t) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    lua_pushinteger(L, old + e->count);
    lua_rawset(L, t);
  }
}

static int counter_gc(lua_State *L)
{
  counter_free((Counter *)luaL_checkudata(L, 1, COUNTER));
  return 0;
}

static Counter *counter_new(lua_State *L)
{
  Counter *c = (Counter *)lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, COUNTER);
  c->slots = (Entry *)calloc(1024, sizeof(Entry));
  if (!c->slots) luaL_error(L, "not enough memory");
  c->cap = 1024;
  return c;
}

/* count.new() -> counter   (a table of token counts kept in C) */
static int count_new(lua_State *L)
{
  counter_new(L);
  return 1;
}

/* counter:add(s [, unit="word"|"space" [, fold=false]]) -> ntokens
 * (word: runs of letters, marks, digits; space: runs of non-blank bytes;
 * fold lowercases words first) */
static int counter_add_lua(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  lua_pushinteger(L, add_text(L, c, 2, 3, 4));
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

/* counter:get(token) -> count   (0 when never seen) */
static int counter_get(lua_State *L)
{
  Counter *c = check_counter(L, 1);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  uint64_t h = hash_bytes(s, n);
  size_t mask = c->cap - 1, i = h & mask;
  lua_Integer count = 0;
  for (;;) {
    Entry *e = &c->slots[i];
    if (!e->key) break;
    if (e->hash == h && e->len == n && memcmp(e->key, s, n) == 0) { count = e->count; break; }
    i = (i + 1) & mask;
  }
  lua_pushinteger(L, count);
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

/* count.words(s [, counts [, unit="word"|"space" [, fold=false]]]) -> counts, ntokens
 * (adds each token's count to counts[token]; a new table when counts is nil) */
static int count_words_lua(lua_State *L)
{
  luaL_checkstring(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 4);
    lua_newtable(L);
    lua_replace(L, 2);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
  }
  lua_settop(L, 4);
  Counter *c = counter_new(L);                 /* index 5, freed by the GC on error */
  lua_Integer ntok = add_text(L, c, 1, 3, 4);
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
  {"total",  counter_total},
  {"close",  counter_close},
  {NULL, NULL}
};

static const luaL_Reg count_funcs[] = {
  {"new",   count_new},
  {"words", count_words_lua},
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
  luaL_newlib(L, count_funcs);
  return 1;
}
