/*
 * fuzz_jsonw.c: libFuzzer target for gisa.jsonw, the JSON writer. The input
 * is read as a small program that builds a Lua value (strings of any bytes,
 * integers up to 2^53, floats, booleans, null, arrays and objects, nested); the value is
 * written compact, pretty (with an indent from the input) and with a key
 * order, and each text must parse with lua-cjson into the same value, and
 * write again to the same text (floats are written with 14 digits, so the
 * second writing is the exact test for them). jsonw.quote must round-trip too.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int luaopen_cjson(lua_State *L);

static lua_State *L;

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

typedef struct { const uint8_t *p; size_t n, i; } In;

static unsigned next(In *in) { return in->i < in->n ? in->p[in->i++] : 0; }

/* Push a string of LEN bytes of the input (fewer at its end). */
static void push_bytes(In *in, size_t len)
{
  if (len > in->n - in->i) len = in->n - in->i;
  lua_pushlstring(L, (const char *)in->p + in->i, len);
  in->i += len;
}

/* Push the value the input describes next. */
static void build(In *in, int depth)
{
  unsigned op = next(in) % 9;
  if (depth > 6 && (op == 4 || op == 5)) op = 0;
  switch (op) {
  case 0: push_bytes(in, next(in) % 40); break;
  case 1: {
    uint64_t u = 0;
    for (int k = 0; k < 8; k++) u = u << 8 | next(in);
    /* within 2^53: cjson reads numbers as doubles, so larger ones come back
     * as floats (written with 14 digits), which is cjson's limit, not ours */
    int64_t v = (int64_t)(u & ((1ull << 53) - 1));
    lua_pushinteger(L, (lua_Integer)(u >> 63 ? -v : v));
    break;
  }
  case 2: {
    uint64_t u = 0;
    double d;
    for (int k = 0; k < 8; k++) u = u << 8 | next(in);
    memcpy(&d, &u, sizeof d);
    lua_pushnumber(L, d);
    break;
  }
  case 3: lua_pushboolean(L, next(in) & 1); break;
  case 4: {
    unsigned n = next(in) % 6;
    lua_createtable(L, (int)n, 0);
    for (unsigned k = 1; k <= n; k++) {
      build(in, depth + 1);
      if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 0); }
      lua_rawseti(L, -2, k);
    }
    break;
  }
  case 5: {
    unsigned n = next(in) % 6;
    lua_createtable(L, 0, (int)n);
    for (unsigned k = 0; k < n; k++) {
      push_bytes(in, next(in) % 12);
      build(in, depth + 1);
      lua_rawset(L, -3);
    }
    break;
  }
  case 6: lua_pushlightuserdata(L, NULL); break;    /* cjson.null */
  case 7: lua_pushinteger(L, (lua_Integer)(int8_t)next(in)); break;
  default: lua_pushnumber(L, (double)(int16_t)(next(in) << 8 | next(in)) / 64.0); break;
  }
}

/* Is the value at A (built) what the value at B (decoded) should be? */
static int same(int a, int b)
{
  a = lua_absindex(L, a), b = lua_absindex(L, b);
  int ta = lua_type(L, a), tb = lua_type(L, b);
  switch (ta) {
  case LUA_TSTRING: {
    size_t na, nb;
    const char *sa = lua_tolstring(L, a, &na), *sb = tb == LUA_TSTRING ? lua_tolstring(L, b, &nb) : NULL;
    return sb && na == nb && memcmp(sa, sb, na) == 0;
  }
  case LUA_TBOOLEAN: return tb == LUA_TBOOLEAN && lua_toboolean(L, a) == lua_toboolean(L, b);
  case LUA_TLIGHTUSERDATA: return tb == LUA_TLIGHTUSERDATA && lua_touserdata(L, b) == NULL;
  case LUA_TNUMBER:
    if (lua_isinteger(L, a)) {
      /* cjson reads numbers as doubles: integers past 2^53 come back rounded */
      return tb == LUA_TNUMBER && lua_tonumber(L, b) == (lua_Number)lua_tointeger(L, a);
    } else {
      lua_Number v = lua_tonumber(L, a);
      if (isnan(v) || isinf(v)) return tb == LUA_TLIGHTUSERDATA && lua_touserdata(L, b) == NULL;
      return tb == LUA_TNUMBER;     /* 14 digits: the text comparison checks the value */
    }
  case LUA_TTABLE: {
    if (tb != LUA_TTABLE) return 0;
    lua_Unsigned n = lua_rawlen(L, a);
    int ok = 1;
    if (n > 0 || lua_rawgeti(L, a, 1) != LUA_TNIL) {
      if (n == 0) lua_pop(L, 1);
      if (lua_rawlen(L, b) != n) return 0;
      for (lua_Unsigned k = 1; ok && k <= n; k++) {
        lua_rawgeti(L, a, (lua_Integer)k);
        lua_rawgeti(L, b, (lua_Integer)k);
        ok = same(-2, -1);
        lua_pop(L, 2);
      }
      return ok;
    }
    lua_pop(L, 1);
    /* an object (or empty): every key of A in B with the same value, and no more keys */
    int ka = 0, kb = 0;
    lua_pushnil(L);
    while (lua_next(L, a)) {
      ka++;
      lua_pushvalue(L, -2);
      lua_rawget(L, b);
      if (ok) ok = same(-2, -1);
      lua_pop(L, 2);
    }
    lua_pushnil(L);
    while (lua_next(L, b)) { kb++; lua_pop(L, 1); }
    return ok && ka == kb;
  }
  default: return 0;
  }
}

/* jsonw[name](args…) in protected mode: 1 result or the error message. */
static int jcall(int mod, const char *name, int nargs)
{
  lua_getfield(L, mod, name);
  lua_insert(L, -nargs - 1);
  return lua_pcall(L, nargs, 1, 0);
}

/* Decode the string at the top with cjson.decode; replaces it with the value. */
static int decode(int cjson)
{
  lua_getfield(L, cjson, "decode");
  lua_insert(L, -2);
  return lua_pcall(L, 1, 1, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (L == NULL) {                          /* the modules stay at 1 and 2 */
    L = luaL_newstate();
    luaL_openlibs(L);
    luaopen_gisa_jsonw(L);                  /* 1 */
    luaopen_cjson(L);                       /* 2 */
  }
  lua_settop(L, 2);
  In in = { data, size, 0 };
  unsigned indent = next(&in) % 4;
  build(&in, 0);                            /* 3: the value */
  int v = 3;

  /* compact */
  lua_pushvalue(L, v);
  check(jcall(1, "encode", 1) == LUA_OK, "encode writes any value built here");
  int text = lua_gettop(L);
  lua_pushvalue(L, text);
  check(decode(2) == LUA_OK, "cjson parses what encode wrote");
  int back = lua_gettop(L);
  check(same(v, back), "the parsed value is the value written");
  lua_pushvalue(L, back);
  check(jcall(1, "encode", 1) == LUA_OK, "encode writes the parsed value");
  check(lua_rawequal(L, -1, text), "writing the parsed value gives the same text");
  lua_settop(L, v);

  /* pretty, with an indent and a step from the input */
  static const char *const steps[] = { "  ", "\t", "    ", "" };
  lua_pushvalue(L, v);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushstring(L, steps[(indent + 1) % 4]);
  lua_pushstring(L, steps[indent]);
  check(jcall(1, "encode", 5) == LUA_OK, "pretty encode writes any value built here");
  lua_pushvalue(L, -1);
  check(decode(2) == LUA_OK, "cjson parses pretty text");
  check(same(v, -1), "the parsed pretty value is the value written");
  lua_settop(L, v);

  /* an object written in a given order: its keys, then one it lacks (null) */
  if (lua_istable(L, v) && lua_rawlen(L, v) == 0) {
    lua_newtable(L);
    int order = lua_gettop(L), k = 0;
    lua_pushnil(L);
    while (lua_next(L, v)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) { lua_pushvalue(L, -1); lua_rawseti(L, order, ++k); }
    }
    lua_pushliteral(L, "\x01missing");
    lua_rawseti(L, order, ++k);
    lua_pushvalue(L, v);
    lua_pushvalue(L, order);
    if (jcall(1, "encode", 2) == LUA_OK) {
      check(decode(2) == LUA_OK, "cjson parses ordered text");
      lua_getfield(L, -1, "\x01missing");
      check(lua_type(L, -1) == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL, "a missing key is null");
    }
    lua_settop(L, v);
  }

  /* quote: any bytes round-trip as a JSON string */
  lua_pushlstring(L, (const char *)data, size);
  int raw = lua_gettop(L);
  lua_pushvalue(L, raw);
  check(jcall(1, "quote", 1) == LUA_OK, "quote takes any string");
  check(decode(2) == LUA_OK, "cjson parses a quoted string");
  check(lua_rawequal(L, -1, raw), "a quoted string parses to itself");
  return 0;
}
