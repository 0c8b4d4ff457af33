/*
 * wire.c: gisa.wire, a compact binary encoding of Lua values, for records and
 * partial job states that cross process boundaries (-j workers, --partial
 * files). It carries nil, booleans, integers, floats, strings and tables
 * (nested, without cycles); a function, userdata or thread is an error that
 * names the key path where it was found. Decoding checks every length against
 * the input, so damaged data gives nil, message, position, never a crash.
 *
 * A value is a tag byte and its payload:
 *   0 nil  1 false  2 true
 *   3 integer: zigzag varint          4 float: 8 bytes, little-endian IEEE 754
 *   5 string: varint length, bytes
 *   6 table: varint n, varint m, n array values (keys 1..n), m key/value pairs
 *   7 string again: varint k, the k-th (from 0) string of REF_MIN bytes or
 *     more written before in the same value. A record's body repeats the text
 *     of its blocks (the same Lua strings), and its keys recur in every block:
 *     each is sent and decoded once (a record of 13.6 KB is 7.9 KB so).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"

enum { T_NIL, T_FALSE, T_TRUE, T_INT, T_FLOAT, T_STR, T_TABLE, T_REF };

/* Strings this long or longer are numbered as they are written, and written
 * again as a reference when the same string (the same Lua object: for short
 * strings, which Lua interns, the same text) recurs. A reference is no
 * shorter than a 1-byte string, but decodes without hashing it again. */
#define REF_MIN 2

/* The table of strings written (by address) is kept between calls up to
 * this many slots. */
#define KEEP_SLOTS 4096

/* The encoding buffer is kept between calls up to this size. */
#define KEEP_BUF (1u << 20)

/* Nesting deeper than this is refused both ways (C stack, Lua stack). */
#define MAX_DEPTH 200

/* ---------------------------------------------------------------- encoding */

/* The output buffer is a userdata owning malloc'd memory, so an error raised
 * half-way (a function in the state) frees it through __gc. */
typedef struct {
  unsigned char *p;
  size_t len, cap;
  /* the strings of REF_MIN bytes or more written so far in this value: an
   * open-addressing table from the string's address to its number */
  const void **key;
  uint32_t *num;
  size_t slots, used;
} Buf;

static int buf_gc(lua_State *L)
{
  Buf *b = (Buf *)lua_touserdata(L, 1);
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  free(b->key);
  free(b->num);
  b->key = NULL;
  b->num = NULL;
  b->slots = b->used = 0;
  return 0;
}

static int buf_tostring(lua_State *L)
{
  Buf *b = (Buf *)lua_touserdata(L, 1);
  lua_pushfstring(L, "gisa.wire.buf (%I bytes kept)", (lua_Integer)b->cap);
  return 1;
}

static unsigned char *buf_room(lua_State *L, Buf *b, size_t n)
{
  if (b->cap - b->len < n) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
      if (cap > ((size_t)-1) / 2) luaL_error(L, "wire.encode: value too large");
      cap *= 2;
    }
    unsigned char *p = realloc(b->p, cap);
    if (!p) luaL_error(L, "wire.encode: out of memory");
    b->p = p;
    b->cap = cap;
  }
  return b->p + b->len;
}

static void put_byte(lua_State *L, Buf *b, unsigned char c)
{
  *buf_room(L, b, 1) = c;
  b->len++;
}

static void put_varint(lua_State *L, Buf *b, uint64_t v)
{
  unsigned char *p = buf_room(L, b, 10);
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  b->len += n;
}

static void put_bytes(lua_State *L, Buf *b, const char *s, size_t n)
{
  memcpy(buf_room(L, b, n), s, n);
  b->len += n;
}

/* An encoding in progress: the buffer, and for each level of nesting the
 * table being written (to find a cycle without a table of those seen) and the
 * key that leads to it (for messages, formatted only when there is an error:
 * the key's stack index, or 0 and an array index). */
typedef struct {
  Buf *b;
  const void *anc[MAX_DEPTH + 1];
  int key[MAX_DEPTH + 1];
  lua_Integer ikey[MAX_DEPTH + 1];
} Enc;

/* Raise an error naming the key path from the root down to level `depth`. */
static void path_error(lua_State *L, Enc *e, int depth, const char *what)
{
  luaL_Buffer pb;
  luaL_checkstack(L, 4, "wire.encode: nesting too deep");
  luaL_buffinit(L, &pb);
  for (int i = 1; i <= depth; i++) {
    if (e->key[i] == 0)
      lua_pushfstring(L, i == 1 ? "key [%I]" : "[%I]", (LUAI_UACINT)e->ikey[i]);
    else if (lua_type(L, e->key[i]) == LUA_TSTRING)
      lua_pushfstring(L, i == 1 ? "key '%s'" : ".%s", lua_tostring(L, e->key[i]));
    else if (lua_isinteger(L, e->key[i]))
      lua_pushfstring(L, i == 1 ? "key [%I]" : "[%I]", (LUAI_UACINT)lua_tointeger(L, e->key[i]));
    else
      lua_pushfstring(L, i == 1 ? "key [%s]" : "[%s]", luaL_typename(L, e->key[i]));
    luaL_addvalue(&pb);
  }
  luaL_pushresult(&pb);
  const char *p = lua_tostring(L, -1);
  luaL_error(L, "wire.encode: %s at %s cannot cross processes", what, *p ? p : "the top level");
}

static void encode(lua_State *L, Enc *e, int idx, int depth);

static void encode_table(lua_State *L, Enc *e, int idx, int depth)
{
  Buf *b = e->b;
  if (depth >= MAX_DEPTH) path_error(L, e, depth, "a table nested too deep");
  luaL_checkstack(L, 8, "wire.encode: nesting too deep");
  /* a cycle is a table that is one of its own ancestors; the same table
   * twice side by side is written twice */
  const void *self = lua_topointer(L, idx);
  for (int i = 0; i < depth; i++)
    if (e->anc[i] == self) path_error(L, e, depth, "a table cycle");
  e->anc[depth] = self;

  lua_Integer n = 0;
  while (lua_rawgeti(L, idx, n + 1) != LUA_TNIL) {
    lua_pop(L, 1);
    n++;
  }
  lua_pop(L, 1);
  put_byte(L, b, T_TABLE);
  put_varint(L, b, (uint64_t)n);
  /* the number of other keys goes here: one byte, written once they are
   * (the bytes after it moved along in the rare table of 128 or more), so the
   * keys are walked once */
  size_t mpos = b->len;
  put_byte(L, b, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    e->key[depth + 1] = 0;
    e->ikey[depth + 1] = i;
    encode(L, e, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  uint64_t m = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int v = lua_gettop(L), k = v - 1;
    if (n > 0 && lua_isinteger(L, k)) {
      lua_Integer ki = lua_tointeger(L, k);
      if (ki >= 1 && ki <= n) { lua_pop(L, 1); continue; }
    }
    e->key[depth + 1] = k;
    encode(L, e, k, depth + 1);
    encode(L, e, v, depth + 1);
    lua_pop(L, 1);
    m++;
  }
  if (m < 0x80) {
    b->p[mpos] = (unsigned char)m;
    return;
  }
  unsigned char vb[10];
  size_t vn = 0;
  while (m >= 0x80) {
    vb[vn++] = (unsigned char)(m | 0x80);
    m >>= 7;
  }
  vb[vn++] = (unsigned char)m;
  buf_room(L, b, vn - 1);
  memmove(b->p + mpos + vn, b->p + mpos + 1, b->len - mpos - 1);
  memcpy(b->p + mpos, vb, vn);
  b->len += vn - 1;
}

static size_t ref_slot(Buf *b, const void *k)
{
  size_t h = ((uintptr_t)k >> 4) * (size_t)0x9E3779B97F4A7C15u;
  size_t mask = b->slots - 1;
  size_t i = (h >> 16) & mask;
  while (b->key[i] && b->key[i] != k) i = (i + 1) & mask;
  return i;
}

static void ref_grow(lua_State *L, Buf *b)
{
  size_t slots = b->slots ? b->slots * 2 : 256;
  const void **key = calloc(slots, sizeof *key);
  uint32_t *num = malloc(slots * sizeof *num);
  if (!key || !num) {
    free(key);
    free(num);
    luaL_error(L, "wire.encode: out of memory");
  }
  const void **okey = b->key;
  uint32_t *onum = b->num;
  size_t oslots = b->slots;
  b->key = key;
  b->num = num;
  b->slots = slots;
  for (size_t i = 0; i < oslots; i++)
    if (okey[i]) {
      size_t j = ref_slot(b, okey[i]);
      b->key[j] = okey[i];
      b->num[j] = onum[i];
    }
  free(okey);
  free(onum);
}

static void encode_string(lua_State *L, Enc *e, int idx)
{
  Buf *b = e->b;
  size_t n;
  const char *s = lua_tolstring(L, idx, &n);
  if (n >= REF_MIN) {
    if ((b->used + 1) * 4 > b->slots * 3) ref_grow(L, b);
    size_t i = ref_slot(b, s);
    if (b->key[i]) {
      put_byte(L, b, T_REF);
      put_varint(L, b, b->num[i]);
      return;
    }
    if (b->used < UINT32_MAX) {
      b->key[i] = s;
      b->num[i] = (uint32_t)b->used++;
    }
  }
  put_byte(L, b, T_STR);
  put_varint(L, b, n);
  put_bytes(L, b, s, n);
}

static void encode(lua_State *L, Enc *e, int idx, int depth)
{
  Buf *b = e->b;
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
    put_byte(L, b, T_NIL);
    break;
  case LUA_TBOOLEAN:
    put_byte(L, b, lua_toboolean(L, idx) ? T_TRUE : T_FALSE);
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      uint64_t u = (uint64_t)lua_tointeger(L, idx);
      put_byte(L, b, T_INT);
      put_varint(L, b, (u << 1) ^ (uint64_t)-(int64_t)(u >> 63));
    } else {
      double d = (double)lua_tonumber(L, idx);
      uint64_t u;
      unsigned char *p;
      memcpy(&u, &d, 8);
      put_byte(L, b, T_FLOAT);
      p = buf_room(L, b, 8);
      for (int i = 0; i < 8; i++) p[i] = (unsigned char)(u >> (8 * i));
      b->len += 8;
    }
    break;
  case LUA_TSTRING:
    encode_string(L, e, idx);
    break;
  case LUA_TTABLE:
    encode_table(L, e, lua_absindex(L, idx), depth);
    break;
  default: {
    const char *what = lua_typename(L, lua_type(L, idx));
    path_error(L, e, depth, lua_pushfstring(L, "a %s", what));
  }
  }
}

/* wire.encode(value) -> string   (raises for a function, userdata, thread or cycle) */
static int wire_encode(lua_State *L)
{
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  /* one buffer, upvalue 1, kept from call to call: a worker encodes frames of
   * tens of kilobytes one after another, and growing a new buffer for each
   * cost reallocations and page faults */
  Enc e;
  e.b = (Buf *)lua_touserdata(L, lua_upvalueindex(1));
  e.b->len = 0;
  if (e.b->used > 0) {                /* a previous call raised half-way */
    memset(e.b->key, 0, e.b->slots * sizeof *e.b->key);
    e.b->used = 0;
  }
  encode(L, &e, 1, 0);
  lua_pushlstring(L, (const char *)e.b->p, e.b->len);
  if (e.b->cap > KEEP_BUF) {          /* a huge state once: not kept */
    free(e.b->p);
    e.b->p = NULL;
    e.b->cap = 0;
  }
  e.b->len = 0;
  if (e.b->slots > KEEP_SLOTS) {
    free(e.b->key);
    free(e.b->num);
    e.b->key = NULL;
    e.b->num = NULL;
    e.b->slots = 0;
  } else if (e.b->used > 0) {
    memset(e.b->key, 0, e.b->slots * sizeof *e.b->key);
  }
  e.b->used = 0;
  return 1;
}

/* ---------------------------------------------------------------- decoding */

typedef struct {
  const unsigned char *s;
  size_t len, pos;
  const char *err;          /* the first problem found, at err_pos */
  size_t err_pos;
  int refs;                 /* stack index of the table of strings read (T_REF) */
  lua_Integer nrefs;
} Reader;

static int bad(Reader *r, const char *msg)
{
  if (!r->err) {
    r->err = msg;
    r->err_pos = r->pos;
  }
  return 0;
}

static int get_varint(Reader *r, uint64_t *out)
{
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->pos >= r->len) return bad(r, "truncated number");
    unsigned char c = r->s[r->pos++];
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *out = v;
      return 1;
    }
  }
  return bad(r, "number too long");
}

/* Push the value at r->pos; 0 (and nothing pushed) on damaged data. */
static int decode(lua_State *L, Reader *r, int depth)
{
  if (depth > MAX_DEPTH) return bad(r, "tables nested too deep");
  if (!lua_checkstack(L, 4)) return bad(r, "tables nested too deep");
  if (r->pos >= r->len) return bad(r, "truncated value");
  size_t start = r->pos;
  unsigned char tag = r->s[r->pos++];
  uint64_t n, m;
  switch (tag) {
  case T_NIL: lua_pushnil(L); return 1;
  case T_FALSE: lua_pushboolean(L, 0); return 1;
  case T_TRUE: lua_pushboolean(L, 1); return 1;
  case T_INT:
    if (!get_varint(r, &n)) return 0;
    lua_pushinteger(L, (lua_Integer)((n >> 1) ^ (uint64_t)-(int64_t)(n & 1)));
    return 1;
  case T_FLOAT: {
    uint64_t u = 0;
    double d;
    if (r->len - r->pos < 8) return bad(r, "truncated number");
    for (int i = 0; i < 8; i++) u |= (uint64_t)r->s[r->pos + i] << (8 * i);
    r->pos += 8;
    memcpy(&d, &u, 8);
    lua_pushnumber(L, (lua_Number)d);
    return 1;
  }
  case T_STR:
    if (!get_varint(r, &n)) return 0;
    if (n > r->len - r->pos) return bad(r, "truncated string");
    lua_pushlstring(L, (const char *)r->s + r->pos, (size_t)n);
    r->pos += (size_t)n;
    if (n >= REF_MIN) {
      lua_pushvalue(L, -1);
      lua_rawseti(L, r->refs, ++r->nrefs);
    }
    return 1;
  case T_REF:
    if (!get_varint(r, &n)) return 0;
    if (n >= (uint64_t)r->nrefs) {
      r->pos = start;
      return bad(r, "reference to a string not read");
    }
    lua_rawgeti(L, r->refs, (lua_Integer)n + 1);
    return 1;
  case T_TABLE:
    if (!get_varint(r, &n) || !get_varint(r, &m)) return 0;
    /* every value takes at least one byte: counts past the end are damage */
    if (n > r->len - r->pos || m > (r->len - r->pos) / 2) return bad(r, "truncated table");
    lua_createtable(L, n > 1 << 20 ? 1 << 20 : (int)n, m > 1 << 20 ? 1 << 20 : (int)m);
    for (uint64_t i = 1; i <= n; i++) {
      if (!decode(L, r, depth + 1)) { lua_pop(L, 1); return 0; }
      lua_rawseti(L, -2, (lua_Integer)i);
    }
    for (uint64_t i = 0; i < m; i++) {
      if (!decode(L, r, depth + 1)) { lua_pop(L, 1); return 0; }
      if (lua_isnil(L, -1) || (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1))) {
        lua_pop(L, 2);
        return bad(r, "invalid table key");
      }
      if (!decode(L, r, depth + 1)) { lua_pop(L, 2); return 0; }
      lua_rawset(L, -3);
    }
    return 1;
  default:
    r->pos = start;
    return bad(r, "unknown value tag");
  }
}

/* wire.decode(s [, pos]) -> value, nextpos | nil, message, position   (bad data) */
static int wire_decode(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer pos = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, pos >= 1 && (size_t)pos <= len + 1, 2, "position out of bounds");
  lua_settop(L, 2);
  lua_newtable(L);                    /* index 3: the strings read, for T_REF */
  Reader r = { (const unsigned char *)s, len, (size_t)pos - 1, NULL, 0, 3, 0 };
  if (decode(L, &r, 0)) {
    lua_pushinteger(L, (lua_Integer)r.pos + 1);
    return 2;
  }
  luaL_pushfail(L);
  lua_pushstring(L, r.err ? r.err : "damaged data");
  lua_pushinteger(L, (lua_Integer)r.err_pos + 1);
  return 3;
}

static const luaL_Reg wire_funcs[] = {
  { "encode", wire_encode },
  { "decode", wire_decode },
  { NULL, NULL }
};

int luaopen_gisa_wire(lua_State *L)
{
  if (luaL_newmetatable(L, "gisa.wire.buf")) {
    lua_pushcfunction(L, buf_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, buf_gc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, buf_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_newlibtable(L, wire_funcs);
  Buf *b = (Buf *)lua_newuserdatauv(L, sizeof(Buf), 0);   /* the encoder's buffer */
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, "gisa.wire.buf");
  luaL_setfuncs(L, wire_funcs, 1);
  return 1;
}
