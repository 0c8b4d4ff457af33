/*
 * count.c: gisa.count, whitespace-token counting for `freq --tokens space`
 * (the tokens awk's fields and Python's str.split() give). Counting tokens one
 * by one in Lua costs a string and a table update per token; here they are
 * counted in a C hash table that persists across texts (many files), and only
 * the distinct tokens reach Lua. Words (letters and digits) are counted by
 * gisa.text.words(s, counts), which owns the definition of a word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"

/* ------------------------------------------------------------------------
 * A hash table of byte strings with counts, in malloc'd memory owned by a
 * userdata box whose __gc frees it (so an error while pushing results to Lua
 * leaks nothing).
 * ---------------------------------------------------------------------- */

typedef struct {
  const char *key;     /* in the arena; NULL marks an empty slot */
  size_t len;
  uint64_t hash;
  lua_Integer count;
} Entry;

typedef struct Block { struct Block *next; size_t used, size; char data[]; } Block;

typedef struct {
  Entry *slots;        /* open addressing, linear probing; key == NULL is empty */
  size_t cap, n;       /* cap is a power of two */
  Block *arena;        /* the keys: copied when first seen, so texts may go */
  lua_Integer tokens;  /* all tokens added */
} Counter;

#define COUNTER "gisa.count.Counter"

static void counter_free(Counter *c)
{
  free(c->slots); c->slots = NULL;
  c->cap = c->n = 0;
  while (c->arena) { Block *b = c->arena; c->arena = b->next; free(b); }
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

/* ------------------------------------------------------------------------
 * Lua functions
 * ---------------------------------------------------------------------- */

/* Add the tokens of the string at index si to c; raises when out of memory. */
static lua_Integer add_text(lua_State *L, Counter *c, int si)
{
  size_t len;
  const char *s = luaL_checklstring(L, si, &len);
  lua_Integer ntok = 0;
  if (!count_space(c, s, len, &ntok)) luaL_error(L, "not enough memory");
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
  Counter *c = counter_new(L);                 /* index 3, freed by the GC on error */
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
  luaL_newlib(L, count_funcs);
  return 1;
}
