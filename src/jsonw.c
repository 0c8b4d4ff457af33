/*
 * jsonw.c: gisa.jsonw, the JSON writer under gisa.json.encode. A record is a
 * hundred strings in fifty small tables; writing it from Lua cost a string per
 * value and a sort per object, more than the rules. Here it is one pass into a
 * buffer that lives as long as the function. The output is gisa.json's: keys in
 * a given order, UTF-8 as is, "/" not escaped, empty tables as [].
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"

#define MAX_DEPTH 200

/* ------------------------------------------------------------------------
 * The output buffer: malloc'd, owned by a userdata (its __gc frees it) that is
 * an upvalue of encode, so it is reused from record to record and an error in
 * the middle of a record leaks nothing.
 * ---------------------------------------------------------------------- */

typedef struct {
  char *p;
  size_t n, cap;
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

static char *buf_room(lua_State *L, Buf *b, size_t more)
{
  if (b->cap - b->n < more) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < more) {
      if (cap > ((size_t)-1) / 2) luaL_error(L, "JSON text too large");
      cap *= 2;
    }
    char *p = (char *)realloc(b->p, cap);
    if (!p) luaL_error(L, "not enough memory");
    b->p = p;
    b->cap = cap;
  }
  return b->p + b->n;
}

static void buf_add(lua_State *L, Buf *b, const char *s, size_t len)
{
  memcpy(buf_room(L, b, len), s, len);
  b->n += len;
}

static void buf_char(lua_State *L, Buf *b, char c)
{
  *buf_room(L, b, 1) = c;
  b->n++;
}

/* ------------------------------------------------------------------------
 * Values
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

static void add_string(lua_State *L, Buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  /* at most 6 bytes per input byte, and the quotes */
  if (len > ((size_t)-1) / 6 - 2) luaL_error(L, "JSON text too large");
  char *o = buf_room(L, b, len * 6 + 2), *start = o;
  *o++ = '"';
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  for (size_t i = 0; i < len; i++) {
    /* eight bytes at a time while none needs escaping (below 0x20, '"', '\\', DEL) */
    while (i + 8 <= len) {
      uint64_t w, q, bs, del;
      memcpy(&w, s + i, 8);
      q = w ^ (0x22 * ones); bs = w ^ (0x5C * ones); del = w ^ (0x7F * ones);
      if ((((w - 0x20 * ones) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del))
          & highs) break;
      memcpy(o, s + i, 8);
      o += 8; i += 8;
    }
    if (i >= len) break;
    unsigned char c = (unsigned char)s[i];
    char e = escape_of[c];
    if (!e) { *o++ = (char)c; continue; }
    *o++ = '\\';
    if (e != 'u') { *o++ = e; continue; }
    *o++ = 'u'; *o++ = '0'; *o++ = '0';
    *o++ = hex[c >> 4]; *o++ = hex[c & 15];
  }
  *o++ = '"';
  b->n += (size_t)(o - start);
}

static void add_number(lua_State *L, Buf *b, int i)
{
  char tmp[64];
  int len;
  if (lua_isinteger(L, i)) {
    len = snprintf(tmp, sizeof tmp, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, i));
  } else {
    lua_Number v = lua_tonumber(L, i);
    if (isnan(v) || isinf(v)) len = snprintf(tmp, sizeof tmp, "null");
    else if (v == floor(v) && v > -9007199254740992.0 && v < 9007199254740992.0)
      len = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    else len = snprintf(tmp, sizeof tmp, "%.14g", (double)v);
  }
  buf_add(L, b, tmp, (size_t)len);
}

typedef struct {
  lua_State *L;
  Buf *b;
  int rank;      /* stack index of the rank table: key -> position, or 0 */
} W;

static void add_value(W *w, int i, int depth);

typedef struct {
  const char *s;
  size_t len;
  lua_Integer rank;     /* 0: not ranked (sorted by name after the ranked keys) */
} Key;

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

/* One object member: "key":value, the value at the top of the stack (popped). */
static void add_member(W *w, const char *k, size_t klen, int *sep, int depth)
{
  if (*sep) buf_char(w->L, w->b, ',');
  *sep = 1;
  add_string(w->L, w->b, k, klen);
  buf_char(w->L, w->b, ':');
  add_value(w, lua_gettop(w->L), depth);
  lua_pop(w->L, 1);
}

#define SMALL_KEYS 32

/* The table at T as an object: its string keys, ranked ones first, the rest by name. */
static void add_object(W *w, int t, int depth)
{
  lua_State *L = w->L;
  Key small[SMALL_KEYS], *keys = small;
  size_t n = 0, cap = SMALL_KEYS;
  int holder = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) continue;   /* only string keys are written */
    if (n == cap) {
      Key *more = (Key *)lua_newuserdatauv(L, 2 * cap * sizeof(Key), 0);
      memcpy(more, keys, n * sizeof(Key));
      keys = more;
      cap *= 2;
      /* keep the new array below the key lua_next needs */
      lua_insert(L, -2);
      if (holder) { lua_remove(L, holder); }
      holder = lua_gettop(L) - 1;
    }
    keys[n].s = lua_tolstring(L, -1, &keys[n].len);   /* alive: the table holds it */
    keys[n].rank = 0;
    if (w->rank) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, w->rank) == LUA_TNUMBER) keys[n].rank = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    n++;
  }
  if (n > 1) qsort(keys, n, sizeof(Key), key_cmp);
  buf_char(L, w->b, '{');
  int sep = 0;
  for (size_t i = 0; i < n; i++) {
    lua_pushlstring(L, keys[i].s, keys[i].len);
    lua_rawget(L, t);
    add_member(w, keys[i].s, keys[i].len, &sep, depth);
  }
  buf_char(L, w->b, '}');
  if (holder) lua_remove(L, holder);
}

/* The table at T as keys in the list at ORDER (nil values written as null). */
static void add_ordered(W *w, int t, int order, int depth)
{
  lua_State *L = w->L;
  lua_Unsigned n = lua_rawlen(L, order);
  buf_char(L, w->b, '{');
  int sep = 0;
  for (lua_Unsigned i = 1; i <= n; i++) {
    if (lua_rawgeti(L, order, (lua_Integer)i) != LUA_TSTRING) luaL_error(L, "order: key %d is not a string", (int)i);
    size_t klen;
    const char *k = lua_tolstring(L, -1, &klen);
    lua_pushvalue(L, -1);
    lua_rawget(L, t);
    add_member(w, k, klen, &sep, depth);
    lua_pop(L, 1);
  }
  buf_char(L, w->b, '}');
}

/* The table at T: [] when empty, an array when it has [1] or its first key is a
 * number, else an object (in ORDER when ORDER is not 0). */
static void add_table(W *w, int t, int depth, int order)
{
  lua_State *L = w->L;
  if (depth > MAX_DEPTH) luaL_error(L, "cannot encode: tables nested too deep (a cycle?)");
  luaL_checkstack(L, 8, "tables nested too deep");
  lua_pushnil(L);
  if (!lua_next(L, t)) { buf_add(L, w->b, "[]", 2); return; }
  int numkey = lua_type(L, -2) == LUA_TNUMBER;
  lua_pop(L, 2);
  int one = lua_rawgeti(L, t, 1) != LUA_TNIL;
  lua_pop(L, 1);
  if (!one && !numkey) {
    if (order) add_ordered(w, t, order, depth);
    else add_object(w, t, depth);
    return;
  }
  lua_Unsigned len = lua_rawlen(L, t);
  buf_char(L, w->b, '[');
  for (lua_Unsigned i = 1; i <= len; i++) {
    if (i > 1) buf_char(L, w->b, ',');
    lua_rawgeti(L, t, (lua_Integer)i);
    add_value(w, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  buf_char(L, w->b, ']');
}

static void add_value(W *w, int i, int depth)
{
  lua_State *L = w->L;
  size_t len;
  const char *s;
  switch (lua_type(L, i)) {
  case LUA_TSTRING:
    s = lua_tolstring(L, i, &len);
    add_string(L, w->b, s, len);
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

/* ------------------------------------------------------------------------
 * The functions
 * ---------------------------------------------------------------------- */

/* jsonw.encode(v [, order [, rank]]) -> string   (order: the keys of a top-level
 * object, nil values written as null; rank: key -> position for other objects) */
static int jsonw_encode(lua_State *L)
{
  luaL_checkany(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  Buf *b = (Buf *)lua_touserdata(L, lua_upvalueindex(1));
  W w = { L, b, lua_isnil(L, 3) ? 0 : 3 };
  b->n = 0;
  if (!lua_isnil(L, 2) && lua_type(L, 1) == LUA_TTABLE) add_table(&w, 1, 1, 2);
  else add_value(&w, 1, 0);
  lua_pushlstring(L, b->p, b->n);
  if (b->cap > (1u << 22)) {   /* do not keep a buffer grown by one huge text */
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
  }
  return 1;
}

/* jsonw.quote(s) -> string   (s as a JSON string, with its quotes) */
static int jsonw_quote(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer lb;
  char *o = luaL_buffinitsize(L, &lb, len * 6 + 2), *start = o;
  *o++ = '"';
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char e = escape_of[c];
    if (!e) { *o++ = (char)c; continue; }
    *o++ = '\\';
    if (e != 'u') { *o++ = e; continue; }
    *o++ = 'u'; *o++ = '0'; *o++ = '0';
    *o++ = "0123456789abcdef"[c >> 4]; *o++ = "0123456789abcdef"[c & 15];
  }
  *o++ = '"';
  luaL_pushresultsize(&lb, (size_t)(o - start));
  return 1;
}

static const luaL_Reg jsonw_funcs[] = {
  { "quote", jsonw_quote },
  { NULL, NULL },
};

int luaopen_gisa_jsonw(lua_State *L)
{
  luaL_newlib(L, jsonw_funcs);
  Buf *b = (Buf *)lua_newuserdatauv(L, sizeof(Buf), 0);
  b->p = NULL;
  b->n = b->cap = 0;
  if (luaL_newmetatable(L, BUF)) {
    lua_pushcfunction(L, buf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, jsonw_encode, 1);
  lua_setfield(L, -2, "encode");
  return 1;
}
