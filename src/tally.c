/*
 * tally.c: gisa.tally, counts moved from words to their keys and the best
 * items of a list by weight x count (keywords: an article's hundreds of
 * words summed by stem, ten terms wanted by TF-IDF). Lua gives the counts,
 * the map, the weights and the names as tables and decides what a term is;
 * C only looks up, adds, multiplies and compares, so an article costs no Lua
 * instructions per word. The order of top is Lua's: score, then count (both
 * highest first), then name (as Lua's < compares strings).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"
#include "wordhash.h"

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

/* it into kept[0..*m): with all, every item (sorted at the end); else the
 * best cap in order, by insertion. */
static void keep(Item *kept, lua_Integer *m, lua_Integer cap, int all, const Item *it)
{
  if (all) { kept[(*m)++] = *it; return; }
  if (*m == cap && !before(it, &kept[*m - 1])) return;
  lua_Integer j = *m < cap ? (*m)++ : *m - 1;
  while (j > 0 && before(it, &kept[j - 1])) { kept[j] = kept[j - 1]; j--; }
  kept[j] = *it;
}

/* {id, count, score, …} of kept[0..m), sorted first when all were kept. */
static int push_kept(lua_State *L, Item *kept, lua_Integer m, int all)
{
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
    keep(kept, &m, cap, all, &it);
  }
  return push_kept(L, kept, m, all);
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

/* ------------------------------------------------------------ vocabulary */

/* tally.vocab(): the words of a corpus numbered in C, and each article kept
 * as numbers and counts, so keywords makes no Lua string per word of an
 * article (text.words(s, "pack") gives an article's words as one string).
 * Once every word is known, Lua gives each word's key (stem, content word or
 * not) and form to show; count then sums an article's words into their keys
 * (with document frequencies, totals and each key's form from the first
 * article that has it, as A.normalize chooses it: the form with the highest
 * count in that article, then the least as Lua's < orders strings), and top
 * chooses an article's best keys by TF-IDF (as tally.top). */
#define VOCAB_MT "gisa.tally.vocab"

typedef struct { size_t off; uint32_t len; } Str;

typedef struct {
  char *bytes; size_t blen, bcap;   /* the words', keys' and forms' bytes */
  Str *word; uint32_t *hash;        /* by word number - 1 */
  int64_t *seen;                    /* by word number - 1: the counts add() was given */
  uint32_t nw, wcap;
  uint32_t *slots; size_t nslots;   /* word number (from 1), 0: empty */
  uint32_t *kid_of, *fid_of;        /* by word number - 1, after keys() */
  uint32_t mapped;                  /* the words keys() gave */
  Str *key, *form;                  /* key[kid - 1], form[fid - 1] */
  uint32_t nk, nf;
  int64_t *df, *total, *acc;        /* by kid - 1 */
  uint32_t *form_of;                /* by kid - 1: fid, 0 for none yet */
  double *idf;                      /* by kid - 1, after idf() */
  int64_t *facc;                    /* by fid - 1: scratch for form choice */
  uint32_t *touched;                /* scratch: the kids of one article */
  int closed;
} Vocab;

static void vocab_free(Vocab *v)
{
  free(v->bytes); free(v->word); free(v->hash); free(v->seen); free(v->slots);
  free(v->kid_of); free(v->fid_of); free(v->key); free(v->form);
  free(v->df); free(v->total); free(v->acc); free(v->form_of); free(v->idf);
  free(v->facc); free(v->touched);
  memset(v, 0, sizeof *v);
  v->closed = 1;
}

static Vocab *check_vocab(lua_State *L)
{
  Vocab *v = luaL_checkudata(L, 1, VOCAB_MT);
  if (v->closed) luaL_error(L, "the vocabulary is closed");
  return v;
}

static void *grow(lua_State *L, void *p, size_t n, size_t size)
{
  if (n > SIZE_MAX / size) luaL_error(L, "vocabulary too large");
  void *q = realloc(p, n * size);
  if (!q && n) luaL_error(L, "out of memory");
  return q;
}

static size_t put_bytes(lua_State *L, Vocab *v, const char *s, size_t len)
{
  if (v->blen + len > v->bcap) {
    size_t cap = v->bcap ? v->bcap : 65536;
    while (cap < v->blen + len) cap *= 2;
    v->bytes = grow(L, v->bytes, cap, 1);
    v->bcap = cap;
  }
  size_t off = v->blen;
  memcpy(v->bytes + off, s, len);
  v->blen += len;
  return off;
}

static uint32_t hash_str(const unsigned char *p, size_t n)
{
  uint64_t h = gisa_word_fold(p, n);
  return (uint32_t)(h ^ (h >> 32));
}

/* the number of word s, made when new */
static uint32_t intern(lua_State *L, Vocab *v, const char *s, size_t len)
{
  if (len > UINT32_MAX) luaL_error(L, "a word of %zu bytes", len);
  uint32_t h = hash_str((const unsigned char *)s, len);
  size_t mask = v->nslots - 1, at = h & mask;
  for (;;) {
    uint32_t id = v->slots[at];
    if (!id) break;
    if (v->hash[id - 1] == h && v->word[id - 1].len == len && memcmp(v->bytes + v->word[id - 1].off, s, len) == 0)
      return id;
    at = (at + 1) & mask;
  }
  if (v->nw == UINT32_MAX - 1) luaL_error(L, "vocabulary too large");
  if (v->nw == v->wcap) {
    uint32_t cap = v->wcap ? v->wcap * 2 : 4096;
    v->word = grow(L, v->word, cap, sizeof *v->word);
    v->hash = grow(L, v->hash, cap, sizeof *v->hash);
    v->seen = grow(L, v->seen, cap, sizeof *v->seen);
    v->wcap = cap;
  }
  uint32_t id = ++v->nw;
  v->word[id - 1] = (Str){ put_bytes(L, v, s, len), (uint32_t)len };
  v->hash[id - 1] = h;
  v->seen[id - 1] = 0;
  v->slots[at] = id;
  if ((size_t)v->nw * 2 > v->nslots) {        /* rehash at half full */
    size_t n = v->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots) luaL_error(L, "out of memory");
    for (uint32_t w = 1; w <= v->nw; w++) {
      size_t a = v->hash[w - 1] & (n - 1);
      while (slots[a]) a = (a + 1) & (n - 1);
      slots[a] = w;
    }
    free(v->slots);
    v->slots = slots;
    v->nslots = n;
  }
  return id;
}

static inline int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
  if (*p < end && **p < 0x80) { *out = *(*p)++; return 1; }   /* most are one byte */
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p >= end) return 0;
    unsigned c = *(*p)++;
    v |= (uint64_t)(c & 0x7F) << shift;
    if (!(c & 0x80)) { *out = v; return 1; }
  }
  return 0;
}

/* Varints written straight into a luaL_Buffer, room made a block at a time
 * (not a call a pair). */
typedef struct VarOut { luaL_Buffer b; unsigned char *p, *lim; } VarOut;
#define VAROUT_BLOCK 2048

static void varout_init(lua_State *L, VarOut *o)
{
  luaL_buffinit(L, &o->b);
  o->p = (unsigned char *)luaL_prepbuffsize(&o->b, VAROUT_BLOCK);
  o->lim = o->p + VAROUT_BLOCK;
}

/* room for 20 bytes */
static inline void varout_room(VarOut *o)
{
  if (o->lim - o->p < 20) {
    luaL_addsize(&o->b, (size_t)(o->p - (unsigned char *)luaL_buffaddr(&o->b)) - luaL_bufflen(&o->b));
    o->p = (unsigned char *)luaL_prepbuffsize(&o->b, VAROUT_BLOCK);
    o->lim = o->p + VAROUT_BLOCK;
  }
}

/* two varints (20 bytes at most) */
static inline void add_varints(VarOut *o, uint64_t v, uint64_t w)
{
  varout_room(o);
  unsigned char *p = o->p;
  while (v >= 0x80) { *p++ = (unsigned char)(v | 0x80); v >>= 7; }
  *p++ = (unsigned char)v;
  while (w >= 0x80) { *p++ = (unsigned char)(w | 0x80); w >>= 7; }
  *p++ = (unsigned char)w;
  o->p = p;
}

static void varout_push(VarOut *o)
{
  luaL_addsize(&o->b, (size_t)(o->p - (unsigned char *)luaL_buffaddr(&o->b)) - luaL_bufflen(&o->b));
  luaL_pushresult(&o->b);
}

static int vocab_new(lua_State *L)
{
  Vocab *v = lua_newuserdatauv(L, sizeof *v, 0);
  memset(v, 0, sizeof *v);
  luaL_setmetatable(L, VOCAB_MT);
  v->nslots = 8192;
  v->slots = calloc(v->nslots, sizeof *v->slots);
  if (!v->slots) { v->closed = 1; return luaL_error(L, "out of memory"); }
  return 1;
}

/* The next word of a packed list (text.words(s, "pack"): varint length, the
 * word, varint count) at *p, *p moved past it: 1, or 0 when the list is
 * damaged there (*p where it stopped). */
static int next_packed(const unsigned char **p, const unsigned char *end, const char **w,
                       uint64_t *len, uint64_t *count)
{
  if (!get_varint(p, end, len) || *len > (uint64_t)(end - *p)) return 0;
  *w = (const char *)*p;
  *p += *len;
  return get_varint(p, end, count);
}

/* The words of packed (text.words(s, "pack"), or v:since's list) numbered
 * (new ones made), each word's count added to its total (counts); written as
 * varint word number, varint count (AS_MAP false) or as the numbers alone,
 * 4 bytes each, little-endian (AS_MAP true). */
static int number_packed(lua_State *L, int as_map)
{
  Vocab *v = check_vocab(L);
  size_t n;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 2, &n), *end = p + n;
  VarOut b;
  varout_init(L, &b);
  while (p < end) {
    uint64_t len, count;
    const char *w;
    if (!next_packed(&p, end, &w, &len, &count))
      return luaL_error(L, "damaged word list at byte %d", (int)(n - (size_t)(end - p)));
    uint32_t id = intern(L, v, w, (size_t)len);
    v->seen[id - 1] += (int64_t)count;
    if (as_map) {
      varout_room(&b);
      b.p[0] = (unsigned char)id; b.p[1] = (unsigned char)(id >> 8);
      b.p[2] = (unsigned char)(id >> 16); b.p[3] = (unsigned char)(id >> 24);
      b.p += 4;
    } else {
      add_varints(&b, id, count);
    }
  }
  varout_push(&b);
  return 1;
}

/* v:add(packed) -> numbered: an article's words (text.words(s, "pack")) as
 * varint word number, varint count, each word numbered (new ones made);
 * each word's count is added to its total (counts) */
static int vocab_add(lua_State *L)
{
  return number_packed(L, 0);
}

/* v:size() -> the number of words */
static int vocab_size(lua_State *L)
{
  lua_pushinteger(L, check_vocab(L)->nw);
  return 1;
}

/* v:words() -> {word…} by number */
static int vocab_words(lua_State *L)
{
  Vocab *v = check_vocab(L);
  lua_createtable(L, (int)(v->nw < INT32_MAX ? v->nw : 0), 0);
  for (uint32_t i = 0; i < v->nw; i++) {
    lua_pushlstring(L, v->bytes + v->word[i].off, v->word[i].len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* v:counts() -> {word = total}: each word's counts as add() was given them,
 * summed (the words whose total is 0 left out); a pass of count over every
 * article with each word its own key gives the same totals */
static int vocab_counts(lua_State *L)
{
  Vocab *v = check_vocab(L);
  lua_newtable(L);
  for (uint32_t i = 0; i < v->nw; i++) {
    if (!v->seen[i]) continue;
    lua_pushlstring(L, v->bytes + v->word[i].off, v->word[i].len);
    lua_pushinteger(L, v->seen[i]);
    lua_rawset(L, -3);
  }
  return 1;
}

/* strings t[1..n] into v's bytes; *dst (owned by v, freed by __gc if an
 * error is raised half-way) gets their places */
static void copy_strings(lua_State *L, Vocab *v, int t, Str **dst, uint32_t *n_out, const char *what)
{
  lua_Unsigned n = lua_rawlen(L, t);
  if (n >= UINT32_MAX) luaL_error(L, "too many %s", what);
  *n_out = 0;
  Str *out = *dst = grow(L, *dst, n ? (size_t)n : 1, sizeof *out);
  for (lua_Unsigned i = 0; i < n; i++) {
    lua_rawgeti(L, t, (lua_Integer)i + 1);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (lua_type(L, -1) != LUA_TSTRING || len > UINT32_MAX) luaL_error(L, "%s[%d] is not a string", what, (int)i + 1);
    out[i] = (Str){ put_bytes(L, v, s, len + 1), (uint32_t)len };   /* with its '\0' (str_less) */
    lua_pop(L, 1);
  }
  *n_out = (uint32_t)n;
}

/* v:keys(kid_of, keys, fid_of, forms): for each word number w, its key's
 * number kid_of[w] (0: not counted) and its form's fid_of[w]; keys[kid] and
 * forms[fid] the strings. Resets the counts. */
static int vocab_keys(lua_State *L)
{
  Vocab *v = check_vocab(L);
  for (int i = 2; i <= 5; i++) luaL_checktype(L, i, LUA_TTABLE);
  free(v->df); v->df = NULL;       /* no counting until every array agrees again */
  v->mapped = 0;
  copy_strings(L, v, 3, &v->key, &v->nk, "keys");
  copy_strings(L, v, 5, &v->form, &v->nf, "forms");
  size_t nw = v->nw ? v->nw : 1, nk = v->nk ? v->nk : 1, nf = v->nf ? v->nf : 1;
  v->kid_of = grow(L, v->kid_of, nw, sizeof *v->kid_of);
  v->fid_of = grow(L, v->fid_of, nw, sizeof *v->fid_of);
  for (uint32_t w = 0; w < v->nw; w++) {
    lua_rawgeti(L, 2, (lua_Integer)w + 1);
    lua_rawgeti(L, 4, (lua_Integer)w + 1);
    lua_Integer k = lua_tointeger(L, -2), f = lua_tointeger(L, -1);
    if (k < 0 || k > v->nk) return luaL_error(L, "kid_of[%d] is not a key number", (int)w + 1);
    if (k && (f < 1 || f > v->nf)) return luaL_error(L, "fid_of[%d] is not a form number", (int)w + 1);
    v->kid_of[w] = (uint32_t)k;
    v->fid_of[w] = (uint32_t)f;
    lua_pop(L, 2);
  }
  v->mapped = v->nw;
  free(v->total); free(v->acc); free(v->form_of); free(v->idf); free(v->facc); free(v->touched);
  v->df = calloc(nk, sizeof *v->df);
  v->total = calloc(nk, sizeof *v->total);
  v->acc = calloc(nk, sizeof *v->acc);
  v->form_of = calloc(nk, sizeof *v->form_of);
  v->idf = calloc(nk, sizeof *v->idf);
  v->facc = calloc(nf, sizeof *v->facc);
  v->touched = calloc(nk, sizeof *v->touched);
  if (!v->df || !v->total || !v->acc || !v->form_of || !v->idf || !v->facc || !v->touched)
    return luaL_error(L, "out of memory");
  return 0;
}

static int str_less_at(Vocab *v, Str a, Str b)
{
  return str_less(v->bytes + a.off, a.len, v->bytes + b.off, b.len);
}

/* v:count(numbered) -> keyed: an article's counts by key, varint kid,
 * varint count (in the order of first sight); adds to each key's document
 * frequency and total, and gives a key seen for the first time its form */
static int vocab_count(lua_State *L)
{
  Vocab *v = check_vocab(L);
  size_t n;
  const unsigned char *p0 = (const unsigned char *)luaL_checklstring(L, 2, &n), *end = p0 + n, *p;
  if (!v->df) return luaL_error(L, "count before keys");
  uint32_t nt = 0, pending = 0;
  for (p = p0; p < end;) {
    uint64_t w, c;
    if (!get_varint(&p, end, &w) || !get_varint(&p, end, &c) || w < 1 || w > v->mapped)
      return luaL_error(L, "damaged article at byte %d", (int)(p - p0));
    uint32_t k = v->kid_of[w - 1];
    if (!k) continue;
    if (!v->acc[k - 1]) {
      v->touched[nt++] = k;
      if (!v->form_of[k - 1]) pending++;
    }
    v->acc[k - 1] += (int64_t)c;
  }
  if (pending) {
    /* the forms of the new keys: each form's count in this article */
    for (p = p0; p < end;) {
      uint64_t w = 0, c = 0;
      get_varint(&p, end, &w); get_varint(&p, end, &c);
      uint32_t k = v->kid_of[w - 1];
      if (k && !v->form_of[k - 1]) v->facc[v->fid_of[w - 1] - 1] += (int64_t)c;
    }
    /* best: the highest count, then the least; form_of holds the best so
     * far with its high bit set until every word is seen */
    const uint32_t MARK = 0x80000000u;
    for (p = p0; p < end;) {
      uint64_t w = 0, c = 0;
      get_varint(&p, end, &w); get_varint(&p, end, &c);
      uint32_t k = v->kid_of[w - 1];
      if (!k) continue;
      uint32_t have = v->form_of[k - 1];
      if (have && !(have & MARK)) continue;   /* a form from an earlier article */
      uint32_t f = v->fid_of[w - 1];
      if (!have) { v->form_of[k - 1] = f | MARK; continue; }
      uint32_t g = have & ~MARK;
      if (f == g) continue;
      int64_t cf = v->facc[f - 1], cg = v->facc[g - 1];
      if (cf > cg || (cf == cg && str_less_at(v, v->form[f - 1], v->form[g - 1]))) v->form_of[k - 1] = f | MARK;
    }
    for (p = p0; p < end;) {
      uint64_t w = 0, c = 0;
      get_varint(&p, end, &w); get_varint(&p, end, &c);
      uint32_t k = v->kid_of[w - 1];
      if (k) { v->form_of[k - 1] &= ~MARK; v->facc[v->fid_of[w - 1] - 1] = 0; }
    }
  }
  VarOut b;
  varout_init(L, &b);
  for (uint32_t i = 0; i < nt; i++) {
    uint32_t k = v->touched[i];
    add_varints(&b, k, (uint64_t)v->acc[k - 1]);
    v->df[k - 1]++;
    v->total[k - 1] += v->acc[k - 1];
    v->acc[k - 1] = 0;
  }
  varout_push(&b);
  return 1;
}

/* v:df_add(numbered): an article (from add) added to the document frequency
 * of each of its keys, and nothing else (no totals, no forms, no keyed
 * string): for a job that wants df() alone. acc marks the keys seen. */
static int vocab_df_add(lua_State *L)
{
  Vocab *v = check_vocab(L);
  size_t n;
  const unsigned char *p0 = (const unsigned char *)luaL_checklstring(L, 2, &n), *end = p0 + n, *p;
  if (!v->df) return luaL_error(L, "df_add before keys");
  uint32_t nt = 0;
  int damaged = 0;
  for (p = p0; p < end;) {
    uint64_t w, c;
    if (!get_varint(&p, end, &w) || !get_varint(&p, end, &c) || w < 1 || w > v->mapped) { damaged = 1; break; }
    uint32_t k = v->kid_of[w - 1];
    if (k && !v->acc[k - 1]) { v->acc[k - 1] = 1; v->touched[nt++] = k; }
  }
  for (uint32_t i = 0; i < nt; i++) {
    uint32_t k = v->touched[i];
    if (!damaged) v->df[k - 1]++;
    v->acc[k - 1] = 0;
  }
  if (damaged) return luaL_error(L, "damaged article at byte %d", (int)(p - p0));
  return 0;
}

/* v:idf(n): each counted key's log(n / df) */
static int vocab_idf(lua_State *L)
{
  Vocab *v = check_vocab(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  if (!v->df) return luaL_error(L, "idf before keys");
  for (uint32_t k = 0; k < v->nk; k++)
    v->idf[k] = v->df[k] ? log((double)n / (double)v->df[k]) : 0;
  return 0;
}

/* v:top(keyed, k) -> {kid, count, score, …}: as tally.top with the weights
 * from idf() and the keys as names */
static int vocab_top(lua_State *L)
{
  Vocab *v = check_vocab(L);
  size_t n;
  const unsigned char *p0 = (const unsigned char *)luaL_checklstring(L, 2, &n), *end = p0 + n, *p;
  lua_Integer k = luaL_checkinteger(L, 3);
  if (!v->df) return luaL_error(L, "top before keys");
  lua_Integer m0 = 0;
  for (p = p0; p < end; m0++) {
    uint64_t id, c;
    if (!get_varint(&p, end, &id) || !get_varint(&p, end, &c) || id < 1 || id > v->nk)
      return luaL_error(L, "damaged keyed article at byte %d", (int)(p - p0));
  }
  int all = k <= 0 || k >= m0;
  lua_Integer cap = all ? m0 : k;
  Item *kept = lua_newuserdatauv(L, (size_t)(cap > 0 ? cap : 1) * sizeof(Item), 0);
  lua_Integer m = 0;
  for (p = p0; p < end;) {
    uint64_t id = 0, c = 0;
    get_varint(&p, end, &id); get_varint(&p, end, &c);
    Item it;
    it.id = (lua_Integer)id;
    it.count = (lua_Integer)c;
    it.score = (double)it.count * v->idf[id - 1];
    it.name = v->bytes + v->key[id - 1].off;
    it.len = v->key[id - 1].len;
    keep(kept, &m, cap, all, &it);
  }
  return push_kept(L, kept, m, all);
}

/* v:forms() -> {form…} by kid (the key itself for a key not counted yet) */
static int vocab_forms(lua_State *L)
{
  Vocab *v = check_vocab(L);
  if (!v->df) return luaL_error(L, "forms before keys");
  lua_createtable(L, (int)(v->nk < INT32_MAX ? v->nk : 0), 0);
  for (uint32_t k = 0; k < v->nk; k++) {
    Str s = v->form_of[k] ? v->form[v->form_of[k] - 1] : v->key[k];
    lua_pushlstring(L, v->bytes + s.off, s.len);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/* v:df() -> {df…} by kid */
static int vocab_df(lua_State *L)
{
  Vocab *v = check_vocab(L);
  if (!v->df) return luaL_error(L, "df before keys");
  lua_createtable(L, (int)(v->nk < INT32_MAX ? v->nk : 0), 0);
  for (uint32_t k = 0; k < v->nk; k++) {
    lua_pushinteger(L, v->df[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/* v:totals() -> {key = total} for the keys counted since keys() or the last
 * totals(), which starts them again */
static int vocab_totals(lua_State *L)
{
  Vocab *v = check_vocab(L);
  if (!v->df) return luaL_error(L, "totals before keys");
  lua_newtable(L);
  for (uint32_t k = 0; k < v->nk; k++) {
    if (!v->total[k]) continue;
    lua_pushlstring(L, v->bytes + v->key[k].off, v->key[k].len);
    lua_pushinteger(L, v->total[k]);
    lua_rawset(L, -3);
    v->total[k] = 0;
  }
  return 1;
}

static int vocab_close(lua_State *L)
{
  Vocab *v = luaL_checkudata(L, 1, VOCAB_MT);
  if (!v->closed) vocab_free(v);
  return 0;
}

static int vocab_tostring(lua_State *L)
{
  Vocab *v = luaL_checkudata(L, 1, VOCAB_MT);
  if (v->closed) lua_pushstring(L, "gisa.tally.vocab (closed)");
  else lua_pushfstring(L, "gisa.tally.vocab (%d words, %d keys)", (int)v->nw, (int)v->nk);
  return 1;
}

/* ------------------------------------------- vocabularies of many processes */

/* Under -j each worker numbers its articles' words in a vocabulary of its
 * own; what crosses to the parent is each article as those numbers and the
 * worker's new words once. The parent numbers those words in its vocabulary
 * (learn) and takes an article's numbers to its own (renumber): no word is
 * looked up in the parent an article. */

/* v:since(n) -> packed: the words numbered after n, in order, as
 * text.words(s, "pack") gives words (varint length, the word, varint count),
 * each with count 0 */
static int vocab_since(lua_State *L)
{
  Vocab *v = check_vocab(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0, 2, "word number out of range");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (lua_Integer i = n; i < (lua_Integer)v->nw; i++) {
    Str w = v->word[i];
    unsigned char *q = (unsigned char *)luaL_prepbuffsize(&b, 10), *q0 = q;
    uint64_t len = w.len;
    while (len >= 0x80) { *q++ = (unsigned char)(len | 0x80); len >>= 7; }
    *q++ = (unsigned char)len;
    luaL_addsize(&b, (size_t)(q - q0));
    luaL_addlstring(&b, v->bytes + w.off, w.len);
    luaL_addchar(&b, 0);
  }
  luaL_pushresult(&b);
  return 1;
}

/* v:learn(packed) -> map: the words of packed (v:since's, or
 * text.words(s, "pack")'s) numbered as add() numbers them (new ones made,
 * counts added to their totals); their numbers, 4 bytes each, little-endian */
static int vocab_learn(lua_State *L)
{
  return number_packed(L, 1);
}

/* v:renumber(numbered, map) -> numbered: an article numbered in another
 * vocabulary (varint word number, varint count) with each number w replaced
 * by this one's number of that word, the w-th of map's (learn's maps of that
 * vocabulary's words, in order, joined) */
static int vocab_renumber(lua_State *L)
{
  Vocab *v = check_vocab(L);
  size_t n, nm;
  const unsigned char *p0 = (const unsigned char *)luaL_checklstring(L, 2, &n), *end = p0 + n, *p = p0;
  const unsigned char *map = (const unsigned char *)luaL_checklstring(L, 3, &nm);
  VarOut b;
  varout_init(L, &b);
  while (p < end) {
    uint64_t w, c;
    if (!get_varint(&p, end, &w) || !get_varint(&p, end, &c) || w < 1)
      return luaL_error(L, "damaged article at byte %d", (int)(p - p0));
    if (w > nm / 4) return luaL_error(L, "word %d has no number in the map", (int)w);
    const unsigned char *m = map + 4 * (w - 1);
    uint32_t id = (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
    if (id < 1 || id > v->nw) return luaL_error(L, "word %d has no number in the map", (int)w);
    add_varints(&b, id, c);
  }
  varout_push(&b);
  return 1;
}

static const luaL_Reg vocab_methods[] = {
  {"add", vocab_add},
  {"size", vocab_size},
  {"words", vocab_words},
  {"counts", vocab_counts},
  {"keys", vocab_keys},
  {"count", vocab_count},
  {"df_add", vocab_df_add},
  {"idf", vocab_idf},
  {"top", vocab_top},
  {"forms", vocab_forms},
  {"df", vocab_df},
  {"totals", vocab_totals},
  {"close", vocab_close},
  {"since", vocab_since},
  {"learn", vocab_learn},
  {"renumber", vocab_renumber},
  {NULL, NULL}
};

static const luaL_Reg tally_funcs[] = {
  {"index", tally_index},
  {"vocab", vocab_new},
  {"remap", tally_remap},
  {"top", tally_top},
  {NULL, NULL}
};

int luaopen_gisa_tally(lua_State *L)
{
  luaL_newmetatable(L, VOCAB_MT);
  lua_newtable(L);
  luaL_setfuncs(L, vocab_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, vocab_close); lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, vocab_close); lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, vocab_tostring); lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_newlib(L, tally_funcs);
  return 1;
}
