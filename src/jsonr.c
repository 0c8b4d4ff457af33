/*
 * jsonr.c: gisa.jsonr, JSON text to Lua values for the crawler-dump readers.
 * One line of a dump is mostly one long string (an article's body): strings
 * are scanned eight bytes at a time for a quote or a backslash and pushed
 * without a copy when they hold no escape, where lua-cjson goes byte by byte
 * (25 us of a 5 KB article's 300, measured: bench/readers_bench.lua). The values
 * are gisa.json.decode's: numbers are floats, null leaves no key in an object
 * and a hole in an array, a null at the top is nil.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"

#define MAX_DEPTH 1000

typedef struct {
  lua_State *L;
  const char *s, *p, *e;   /* the text, the place read, its end */
  const char *err;         /* the first failure, at p */
  int depth;
} Reader;

static int fail(Reader *r, const char *msg)
{
  if (!r->err) r->err = msg;
  return 0;
}

static void skip_space(Reader *r)
{
  const char *p = r->p, *e = r->e;
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  r->p = p;
}

/* The next quote or backslash from p (e if none), eight bytes at a time. */
static const char *special(const char *p, const char *e)
{
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const uint64_t quotes = ones * '"', slashes = ones * '\\';
  while (e - p >= 8) {
    uint64_t w, a, b;
    memcpy(&w, p, 8);
    a = w ^ quotes;
    b = w ^ slashes;
    if (((a - ones) & ~a & highs) | ((b - ones) & ~b & highs)) break;
    p += 8;
  }
  while (p < e && *p != '"' && *p != '\\') p++;
  return p;
}

static int hex4(const char *p, unsigned *v)
{
  unsigned x = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    x <<= 4;
    if (c >= '0' && c <= '9') x |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') x |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') x |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *v = x;
  return 1;
}

static size_t utf8_put(char *o, unsigned cp)
{
  if (cp < 0x80) { o[0] = (char)cp; return 1; }
  if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* A string at p (just after its opening quote), pushed; 0 on bad text. */
static int read_string(Reader *r)
{
  const char *p = r->p, *e = r->e;
  const char *q = special(p, e);
  if (q < e && *q == '"') {            /* no escape: the bytes as they are */
    lua_pushlstring(r->L, p, (size_t)(q - p));
    r->p = q + 1;
    return 1;
  }
  luaL_Buffer b;
  luaL_buffinit(r->L, &b);
  for (;;) {
    if (q >= e) { r->p = e; return fail(r, "a string is not closed"); }
    luaL_addlstring(&b, p, (size_t)(q - p));
    if (*q == '"') { r->p = q + 1; break; }
    /* a backslash */
    if (e - q < 2) { r->p = q; return fail(r, "a string is not closed"); }
    char c = q[1], out[8];
    size_t n = 1;
    p = q + 2;
    switch (c) {
    case '"': case '\\': case '/': out[0] = c; break;
    case 'b': out[0] = '\b'; break;
    case 'f': out[0] = '\f'; break;
    case 'n': out[0] = '\n'; break;
    case 'r': out[0] = '\r'; break;
    case 't': out[0] = '\t'; break;
    case 'u': {
      unsigned cp, lo;
      if (e - p < 4 || !hex4(p, &cp)) { r->p = q; return fail(r, "a \\u escape needs four hex digits"); }
      p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
          r->p = q;
          return fail(r, "a \\u escape of a lone surrogate");
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        r->p = q;
        return fail(r, "a \\u escape of a lone surrogate");
      }
      n = utf8_put(out, cp);
      break;
    }
    default: r->p = q; return fail(r, "an unknown escape in a string");
    }
    luaL_addlstring(&b, out, n);
    q = special(p, e);
  }
  luaL_pushresult(&b);
  return 1;
}

/* A number at p: JSON's grammar, read by strtod (a float, as lua-cjson gives). */
static int read_number(Reader *r)
{
  const char *p = r->p, *e = r->e, *start = p;
  if (p < e && *p == '-') p++;
  if (p < e && *p == '0') p++;
  else if (p < e && *p >= '1' && *p <= '9') { while (p < e && *p >= '0' && *p <= '9') p++; }
  else return fail(r, "expected a value");
  if (p < e && *p == '.') {
    p++;
    if (!(p < e && *p >= '0' && *p <= '9')) { r->p = p; return fail(r, "a digit must follow '.'"); }
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (!(p < e && *p >= '0' && *p <= '9')) { r->p = p; return fail(r, "a digit must follow the exponent"); }
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  char buf[64];
  size_t n = (size_t)(p - start);
  if (n >= sizeof buf) {
    /* a long run of digits: strtod on a copy that ends where the number does */
    char *big = (char *)lua_newuserdatauv(r->L, n + 1, 0);
    memcpy(big, start, n);
    big[n] = '\0';
    double d = strtod(big, NULL);
    lua_pop(r->L, 1);
    lua_pushnumber(r->L, (lua_Number)d);
  } else {
    memcpy(buf, start, n);
    buf[n] = '\0';
    lua_pushnumber(r->L, (lua_Number)strtod(buf, NULL));
  }
  r->p = p;
  return 1;
}

static int read_value(Reader *r);

/* An object or an array at p (just after its bracket), pushed. */
static int read_container(Reader *r, int object)
{
  lua_State *L = r->L;
  if (++r->depth > MAX_DEPTH) { r->p--; return fail(r, "nested too deeply"); }
  luaL_checkstack(L, 4, "nested too deeply");
  lua_newtable(L);
  lua_Integer i = 0;
  char close = object ? '}' : ']';
  skip_space(r);
  if (r->p < r->e && *r->p == close) { r->p++; r->depth--; return 1; }
  for (;;) {
    if (object) {
      skip_space(r);
      if (!(r->p < r->e && *r->p == '"')) return fail(r, "expected a key (a string)");
      r->p++;
      if (!read_string(r)) return 0;
      skip_space(r);
      if (!(r->p < r->e && *r->p == ':')) return fail(r, "expected ':' after a key");
      r->p++;
    }
    i++;
    if (!read_value(r)) return 0;
    if (lua_isnil(L, -1)) lua_pop(L, object ? 2 : 1);   /* null: no key, a hole */
    else if (object) lua_rawset(L, -3);
    else lua_rawseti(L, -2, i);
    skip_space(r);
    if (r->p < r->e && *r->p == ',') { r->p++; continue; }
    if (r->p < r->e && *r->p == close) { r->p++; break; }
    return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  r->depth--;
  return 1;
}

static int literal(Reader *r, const char *word, size_t n)
{
  if ((size_t)(r->e - r->p) < n || memcmp(r->p, word, n) != 0) return fail(r, "expected a value");
  r->p += n;
  return 1;
}

/* Any value at p, pushed (nil for null). */
static int read_value(Reader *r)
{
  skip_space(r);
  if (r->p >= r->e) return fail(r, "expected a value, found the end");
  switch (*r->p) {
  case '"': r->p++; return read_string(r);
  case '{': r->p++; return read_container(r, 1);
  case '[': r->p++; return read_container(r, 0);
  case 't': if (!literal(r, "true", 4)) return 0; lua_pushboolean(r->L, 1); return 1;
  case 'f': if (!literal(r, "false", 5)) return 0; lua_pushboolean(r->L, 0); return 1;
  case 'n': if (!literal(r, "null", 4)) return 0; lua_pushnil(r->L); return 1;
  default: return read_number(r);
  }
}

/* jsonr.decode(s) -> value | nil, message, position   (one JSON text, spaces around it;
 * numbers as floats; null: no key in an object, a hole in an array, nil at the top) */
static int jsonr_decode(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_settop(L, 1);
  Reader r = { L, s, s, s + n, NULL, 0 };
  if (read_value(&r)) {
    skip_space(&r);
    if (r.p == r.e) return 1;
    r.err = "text after the value";
  }
  lua_settop(L, 1);
  lua_pushnil(L);
  lua_pushfstring(L, "invalid JSON at byte %I: %s", (lua_Integer)(r.p - s) + 1, r.err);
  lua_pushinteger(L, (lua_Integer)(r.p - s) + 1);
  return 3;
}

static const luaL_Reg jsonr_funcs[] = {
  {"decode", jsonr_decode},
  {NULL, NULL}
};

int luaopen_gisa_jsonr(lua_State *L)
{
  luaL_newlib(L, jsonr_funcs);
  return 1;
}
