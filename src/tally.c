/*
 * tally.c: gisa.tally, counts moved from words to their keys and the best
 * items of a list by weight x count (keywords: an article's hundreds of
 * words summed by stem, ten terms wanted by TF-IDF). Lua gives the counts,
 * the map, the weights and the names as tables and decides what a term is;
 * C only looks up, adds, multiplies and compares, so an article costs no Lua
 * instructions per word. The order of top is Lua's: score, then count (both
 * highest first), then name (as Lua's < compares strings).
 */
#include <stdlib.h>
#include <string.h>

#include "gisa.h"

typedef struct {
  lua_Integer id, count;
  double score;
  const char *name;
  size_t len;
} Item;

/* a < b as Lua compares strings (strcoll, chunk by chunk past '\0') */
static int str_less(const char *a, size_t la, const char *b, size_t lb)
{
  for (;;) {
    int c = strcoll(a, b);
    if (c != 0) return c < 0;
    size_t za = strlen(a), zb = strlen(b);
    if (zb == lb) return 0;            /* b ends: a is not less */
    if (za == la) return 1;            /* a ends first */
    za++; zb++;
    a += za; la -= za; b += zb; lb -= zb;
  }
}

/* does x come before y? */
static int before(const Item *x, const Item *y)
{
  if (x->score != y->score) return x->score > y->score;
  if (x->count != y->count) return x->count > y->count;
  return str_less(x->name, x->len, y->name, y->len);
}

static int compare(const void *a, const void *b)
{
  const Item *x = a, *y = b;
  return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

/* tally.top(flat, weights, names, k) -> {id, count, score, …}
 * flat = {id, count, id, count, …}: each id's score is count * weights[id];
 * the best k (every one when k <= 0) in order, as a flat list of
 * id, count, score. Ties in score go to the larger count, then to the name
 * names[id] that Lua's < puts first. */
static int tally_top(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_Integer k = luaL_checkinteger(L, 4);
  lua_settop(L, 4);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1) / 2;
  int all = k <= 0 || k >= n;     /* every one: sorted at the end */
  lua_Integer cap = all ? n : k;
  /* kept: the best so far, in order (a scratch userdata: nothing to free) */
  Item *kept = lua_newuserdatauv(L, (size_t)(cap > 0 ? cap : 1) * sizeof(Item), 0);
  lua_Integer m = 0;
  for (lua_Integer x = 0; x < n; x++) {
    Item it;
    lua_rawgeti(L, 1, 2 * x + 1);
    lua_rawgeti(L, 1, 2 * x + 2);
    int isnum;
    it.id = lua_tointegerx(L, -2, &isnum);
    if (!isnum) return luaL_error(L, "flat[%d] is not an integer id", (int)(2 * x + 1));
    it.count = lua_tointegerx(L, -1, &isnum);
    if (!isnum) return luaL_error(L, "flat[%d] is not an integer count", (int)(2 * x + 2));
    lua_pop(L, 2);
    lua_rawgeti(L, 2, it.id);
    if (!lua_isnumber(L, -1)) return luaL_error(L, "no weight for id %d", (int)it.id);
    it.score = (double)it.count * lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (m == cap && cap > 0 && (it.score < kept[m - 1].score
        || (it.score == kept[m - 1].score && it.count < kept[m - 1].count))) continue;
    /* the name is needed only now; names[id] stays in the table (anchored) */
    lua_rawgeti(L, 3, it.id);
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "no name for id %d", (int)it.id);
    it.name = lua_tolstring(L, -1, &it.len);
    lua_pop(L, 1);
    if (!all) {
      if (m == cap && !before(&it, &kept[m - 1])) continue;
      lua_Integer j = m < cap ? m++ : m - 1;
      while (j > 0 && before(&it, &kept[j - 1])) { kept[j] = kept[j - 1]; j--; }
      kept[j] = it;
    } else kept[m++] = it;
  }
  if (all) qsort(kept, (size_t)m, sizeof(Item), compare);
  lua_createtable(L, (int)(3 * m), 0);
  for (lua_Integer i = 0; i < m; i++) {
    lua_pushinteger(L, kept[i].id);
    lua_rawseti(L, -2, 3 * i + 1);
    lua_pushinteger(L, kept[i].count);
    lua_rawseti(L, -2, 3 * i + 2);
    lua_pushnumber(L, kept[i].score);
    lua_rawseti(L, -2, 3 * i + 3);
  }
  return 1;
}

/* tally.remap(counts, map, into) -> {word…}
 * For each word = n of counts: into[map[word]] += n, nothing when
 * map[word] is false; the words map has no entry for are returned (in no
 * set order) for the caller to decide. Counts must be integers. */
static int tally_remap(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lua_newtable(L);                          /* 4: the words with no entry */
  lua_Integer nm = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {                  /* 5: word, 6: n */
    int isnum;
    lua_Integer n = lua_tointegerx(L, 6, &isnum);
    if (!isnum) return luaL_error(L, "the count of a word is not an integer");
    lua_pushvalue(L, 5);
    int t = lua_rawget(L, 2);               /* 7: key */
    if (t == LUA_TNIL) {
      lua_pushvalue(L, 5);
      lua_rawseti(L, 4, ++nm);
    } else if (!(t == LUA_TBOOLEAN && !lua_toboolean(L, 7))) {
      lua_pushvalue(L, 7);
      lua_rawget(L, 3);
      lua_Integer have = lua_tointeger(L, -1);
      lua_pop(L, 1);
      lua_pushinteger(L, have + n);
      lua_rawset(L, 3);                     /* into[key] = have + n */
      lua_settop(L, 6);
    }
    lua_settop(L, 5);
  }
  return 1;
}

/* tally.index(counts, df, ids, names, n) -> flat, n
 * For each key = count of counts: df[key] += 1, and flat gets its number
 * ids[key] and count ({id, count, …}); a key with no number yet takes n + 1
 * (ids[key] and names[n + 1] set, n increased). Returns flat and the new n. */
static int tally_index(lua_State *L)
{
  for (int i = 1; i <= 4; i++) luaL_checktype(L, i, LUA_TTABLE);
  lua_Integer nid = luaL_checkinteger(L, 5);
  lua_settop(L, 4);
  lua_createtable(L, 0, 0);                 /* 5: flat */
  lua_Integer m = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {                  /* 6: key, 7: count */
    lua_pushvalue(L, 6);
    lua_pushvalue(L, 6);
    lua_rawget(L, 2);
    lua_Integer d = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushinteger(L, d + 1);
    lua_rawset(L, 2);                       /* df[key] = d + 1 */
    lua_pushvalue(L, 6);
    lua_Integer id;
    if (lua_rawget(L, 3) == LUA_TNIL) {     /* 8: ids[key] */
      id = ++nid;
      lua_pushvalue(L, 6);
      lua_pushinteger(L, id);
      lua_rawset(L, 3);
      lua_pushvalue(L, 6);
      lua_rawseti(L, 4, id);
    } else id = lua_tointeger(L, 8);
    lua_pushinteger(L, id);
    lua_rawseti(L, 5, ++m);
    lua_pushvalue(L, 7);
    lua_rawseti(L, 5, ++m);
    lua_settop(L, 6);
  }
  lua_pushinteger(L, nid);
  return 2;
}

static const luaL_Reg tally_funcs[] = {
  {"index", tally_index},
  {"remap", tally_remap},
  {"top", tally_top},
  {NULL, NULL}
};

int luaopen_gisa_tally(lua_State *L)
{
  luaL_newlib(L, tally_funcs);
  return 1;
}
