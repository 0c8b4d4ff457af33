/*
 * main.c: the gisa host. It creates the Lua state, preloads the C modules
 * (gisa.text, .hangul, .enc, .sys, .hash, .minhash, .count, .jsonw, .jsonr, .lines, .zio, .wire,
 * .proc, .htmlparse, .split, .tally, .quote) and LPeg/cjson, finds the Lua library, and hands the command line
 * to lua/gisa/cli/main.lua, which does the rest.
 * The shape is lua.c's: set-up inside a protected call with a traceback handler.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

#ifndef GISA_VERSION
#define GISA_VERSION "0.0.0"
#endif
#ifndef GISA_SHAREDIR
#define GISA_SHAREDIR "/usr/local/share/gisa"
#endif

int luaopen_lpeg(lua_State *L);
int luaopen_cjson(lua_State *L);
int luaopen_cjson_safe(lua_State *L);

static lua_State *global_L = NULL;   /* only for the signal handler, as in lua.c */

/* ------------------------------------------------------------------------
 * The allocator. Extraction makes and drops some thousand small Lua objects
 * per article (line tables, strings, captures); from malloc they cost about a
 * tenth of the run. Objects of up to POOL_MAX bytes (a paragraph of Korean,
 * 100 to 300 characters, is a string of 300 to 900 bytes, and a line's raw and
 * text are two) come from free lists by size class, carved from 64 KB chunks; Lua gives the old size on every free
 * and resize, so a block needs no header. Freed blocks are reused, never
 * returned, so memory stays at the peak of live small objects. Sanitizer
 * builds use malloc alone, so that AddressSanitizer sees every object.
 * ---------------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define GISA_SYSTEM_ALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GISA_SYSTEM_ALLOC 1
#endif
#endif

#ifndef GISA_SYSTEM_ALLOC

#define POOL_STEP 16
#define POOL_MAX 1024
#define POOL_CLASSES (POOL_MAX / POOL_STEP)
#define POOL_CHUNK (64 * 1024)

typedef struct PoolChunk {
  struct PoolChunk *next;
  void *pad;                      /* blocks start 16 bytes in, 16-aligned */
} PoolChunk;

#define BIG_SLOTS 4
#define BIG_KEEP ((size_t)512 << 20)

typedef struct {
  void *free[POOL_CLASSES + 1];   /* free blocks of class c (c * 16 bytes); each holds the next */
  char *cur, *end;                /* what is left of the newest chunk */
  PoolChunk *chunks;
  struct { void *p; size_t n; } big[BIG_SLOTS];   /* freed huge blocks kept for reuse */
} Pool;

static size_t pool_class(size_t n)
{
  return n <= POOL_MAX ? (n + POOL_STEP - 1) / POOL_STEP : 0;
}

static void *pool_get(Pool *p, size_t c)
{
  void *b = p->free[c];
  if (b) {
    p->free[c] = *(void **)b;
    return b;
  }
  size_t size = c * POOL_STEP;
  if ((size_t)(p->end - p->cur) < size) {   /* the rest of the chunk (< POOL_MAX) is left unused */
    PoolChunk *ch = (PoolChunk *)malloc(POOL_CHUNK);
    if (!ch) return NULL;
    ch->next = p->chunks;
    p->chunks = ch;
    p->cur = (char *)(ch + 1);
    p->end = (char *)ch + POOL_CHUNK;
  }
  b = p->cur;
  p->cur += size;
  return b;
}

static void pool_put(Pool *p, void *b, size_t c)
{
  *(void **)b = p->free[c];
  p->free[c] = b;
}

/* A block of megabytes (a whole file, a decoded text) is written once from
 * end to end right after it is made: ask for transparent huge pages, so that
 * filling it takes one page fault per 2 MB instead of one per 4 KB, which
 * otherwise costs more than the copy itself (the kernel's default on Debian
 * is huge pages only where asked for). */
#define HUGE_BLOCK (4u << 20)
static void *advise_huge(void *b, size_t n)
{
#ifdef MADV_HUGEPAGE
  if (b && n >= HUGE_BLOCK) {
    uintptr_t a = ((uintptr_t)b + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
    uintptr_t e = ((uintptr_t)b + n) & ~(uintptr_t)((2u << 20) - 1);
    if (e > a) madvise((void *)a, e - a, MADV_HUGEPAGE);
  }
#endif
  return b;
}

/* Huge blocks (a whole file, its decoded text, the buffer it was made in)
 * come and go in the same few sizes file after file. malloc returns each to
 * the kernel, which must zero the next one page by page, and zeroing took
 * longer than converting the text. Up to BIG_SLOTS freed blocks (BIG_KEEP
 * bytes in all) are kept and handed out again for requests of at least half
 * their size; n is what Lua asked for (the block may be larger). */
static void *big_get(Pool *p, size_t n)
{
  int best = -1;
  for (int i = 0; i < BIG_SLOTS; i++)
    if (p->big[i].p && p->big[i].n >= n && p->big[i].n / 2 <= n &&
        (best < 0 || p->big[i].n < p->big[best].n)) best = i;
  if (best < 0) return advise_huge(malloc(n), n);
  void *b = p->big[best].p;
  p->big[best].p = NULL;
  return b;
}

static void big_release(Pool *p)
{
  for (int i = 0; i < BIG_SLOTS; i++) {
    free(p->big[i].p);
    p->big[i].p = NULL;
  }
}

static void big_put(Pool *p, void *b, size_t n)
{
  size_t total = n;
  int slot = -1, small = -1;
  for (int i = 0; i < BIG_SLOTS; i++) {
    if (!p->big[i].p) { slot = i; continue; }
    total += p->big[i].n;
    if (small < 0 || p->big[i].n < p->big[small].n) small = i;
  }
  if (slot < 0 && p->big[small].n < n) {   /* full: the smallest makes room */
    total -= p->big[small].n;
    free(p->big[small].p);
    p->big[small].p = NULL;
    slot = small;
  }
  if (slot < 0 || total > BIG_KEEP) { free(b); return; }
  p->big[slot].p = b;
  p->big[slot].n = n;
}

/* pool_alloc's cases other than a small block freed or taken from its free
 * list: kept out of line, so that those two, most of the calls, save no
 * registers and call nothing. */
static __attribute__((noinline)) void *pool_alloc_rest(Pool *p, void *ptr, size_t osize, size_t nsize)
{
  size_t oc = ptr ? pool_class(osize) : 0, nc = pool_class(nsize);
  if (nsize == 0) {
    if (ptr) {
      if (oc) pool_put(p, ptr, oc);
      else if (osize >= HUGE_BLOCK) big_put(p, ptr, osize);
      else free(ptr);
    }
    return NULL;
  }
  if (ptr && oc == nc) return nc ? ptr : advise_huge(realloc(ptr, nsize), nsize);
  void *nb = nc ? pool_get(p, nc) : nsize >= HUGE_BLOCK ? big_get(p, nsize) : malloc(nsize);
  if (!nb && !nc) {   /* out of memory: the kept blocks go first */
    big_release(p);
    nb = malloc(nsize);
  }
  if (!nb) {
    /* Lua counts on shrinking never failing: keep the block, resized by
     * realloc to the class size so it can later serve that class */
    return ptr && nsize <= osize && !oc ? realloc(ptr, nc * POOL_STEP) : NULL;
  }
  if (ptr) {
    memcpy(nb, ptr, osize < nsize ? osize : nsize);
    if (oc) pool_put(p, ptr, oc);
    else free(ptr);
  }
  return nb;
}

/* lua_Alloc: osize is the block's size when ptr is not NULL (a type tag otherwise). */
static void *pool_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
  Pool *p = (Pool *)ud;
  if (nsize == 0) {
    if (ptr && osize - 1 < POOL_MAX) {       /* a small block freed (not one of 0 bytes) */
      pool_put(p, ptr, pool_class(osize));
      return NULL;
    }
  } else if (!ptr && nsize <= POOL_MAX) {
    size_t c = pool_class(nsize);
    void *b = p->free[c];
    if (b) {                                  /* a small block from its free list */
      p->free[c] = *(void **)b;
      return b;
    }
  }
  return pool_alloc_rest(p, ptr, osize, nsize);
}

static void pool_close(Pool *p)
{
  big_release(p);
  while (p->chunks) {
    PoolChunk *next = p->chunks->next;
    free(p->chunks);
    p->chunks = next;
  }
}

static int panic(lua_State *L)
{
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "gisa: PANIC: unprotected error in call to Lua API (%s)\n", msg ? msg : "?");
  return 0;   /* then abort, as Lua does */
}

/* Warnings as luaL_newstate has them: off until "@on", "Lua warning: " on
 * stderr, a message in pieces (tocont) ended by its last piece. */
static void warn_off(void *ud, const char *msg, int tocont);
static void warn_cont(void *ud, const char *msg, int tocont);

static int warn_control(lua_State *L, const char *msg, int tocont)
{
  if (tocont || *msg++ != '@') return 0;
  if (strcmp(msg, "off") == 0) lua_setwarnf(L, warn_off, L);
  else if (strcmp(msg, "on") == 0) lua_setwarnf(L, warn_cont, L);
  return 1;
}

static void warn_off(void *ud, const char *msg, int tocont)
{
  warn_control((lua_State *)ud, msg, tocont);
}

static void warn_more(void *ud, const char *msg, int tocont)
{
  lua_State *L = (lua_State *)ud;
  fputs(msg, stderr);
  if (tocont) lua_setwarnf(L, warn_more, L);
  else {
    fputs("\n", stderr);
    lua_setwarnf(L, warn_cont, L);
  }
}

static void warn_cont(void *ud, const char *msg, int tocont)
{
  if (warn_control((lua_State *)ud, msg, tocont)) return;
  fputs("Lua warning: ", stderr);
  warn_more(ud, msg, tocont);
}

/* A new Lua state on the pool (luaL_newstate's, with our allocator). */
static lua_State *new_state(Pool *pool)
{
  lua_State *L = lua_newstate(pool_alloc, pool);
  if (L) {
    lua_atpanic(L, panic);
    lua_setwarnf(L, warn_off, L);
  }
  return L;
}
#endif /* GISA_SYSTEM_ALLOC */

/* On Ctrl-C (SIGINT), SIGTERM or SIGHUP, ask Lua to raise "interrupted by
 * SIGxxx" at the next instruction, so that cleanups run (a half-written -o
 * file is removed) and main.lua exits quietly with 128 + the signal's number.
 * One hook per signal: a hook has no argument, and the signal is no state to
 * keep in a global. The message has no position: it is not the code's fault. */
static void lstop_raise(lua_State *L, const char *msg)
{
  lua_sethook(L, NULL, 0, 0);
  lua_pushstring(L, msg);
  lua_error(L);
}
static void lstop_int(lua_State *L, lua_Debug *ar) { (void)ar; lstop_raise(L, "interrupted by SIGINT"); }
static void lstop_term(lua_State *L, lua_Debug *ar) { (void)ar; lstop_raise(L, "interrupted by SIGTERM"); }
static void lstop_hup(lua_State *L, lua_Debug *ar) { (void)ar; lstop_raise(L, "interrupted by SIGHUP"); }

static void laction(int sig)
{
  signal(sig, SIG_DFL);   /* a second signal kills the process */
  lua_Hook hook = sig == SIGTERM ? lstop_term : sig == SIGHUP ? lstop_hup : lstop_int;
  lua_sethook(global_L, hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* Message handler: the error message plus a traceback. */
static int msghandler(lua_State *L)
{
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Directory holding the running binary, from /proc/self/exe. */
static void push_exedir(lua_State *L)
{
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) { lua_pushliteral(L, "."); return; }
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (slash == buf) slash[1] = '\0';
  else if (slash) *slash = '\0';
  lua_pushstring(L, buf);
}

static int file_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ------------------------------------------------------------------------
 * Compiled modules. `make` writes each file of the shipped library,
 * ROOT/lua/X.lua, compiled (string.dump, debug information kept) to
 * ROOT/build/luac/X.luac: parsing the thirty modules an extraction requires
 * is a good part of a short run. A searcher before Lua's own takes the
 * compiled file only where it is what the source would give: the module is
 * the file package.path finds (a user's copy earlier on the path wins), the
 * compiled file is newer than it (an edited source is read again) and was
 * compiled from that very path (the chunk's name, which every error and
 * traceback shows). Anything else returns nothing and Lua's searcher reads
 * the source as before.
 * ---------------------------------------------------------------------- */

/* The modification time of PATH in nanoseconds, or -1. */
static long long mtime_ns(const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0) return -1;
  return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

/* Push the compiled chunk of PATH and return 1; or return 0, the stack as it
 * was, when there is none to take. LIB is ROOT/lua/, OUT is ROOT/build/luac/. */
static int push_compiled(lua_State *L, const char *path, const char *lib, const char *out)
{
  size_t libn = strlen(lib), pathn = strlen(path);
  if (pathn <= libn + 4 || strncmp(path, lib, libn) != 0 || strcmp(path + pathn - 4, ".lua") != 0) return 0;
  int top = lua_gettop(L);
  const char *compiled = lua_pushfstring(L, "%s%s", out, path + libn);
  lua_pushliteral(L, "c");
  lua_concat(L, 2);              /* X.lua -> X.luac */
  compiled = lua_tostring(L, -1);
  long long src_t = mtime_ns(path), out_t = mtime_ns(compiled);
  if (src_t < 0 || out_t <= src_t || luaL_loadfilex(L, compiled, "b") != LUA_OK) {
    lua_settop(L, top);
    return 0;
  }
  lua_Debug ar;
  lua_pushvalue(L, -1);
  lua_getinfo(L, ">S", &ar);
  if (ar.source[0] != '@' || strcmp(ar.source + 1, path) != 0) {
    lua_settop(L, top);
    return 0;
  }
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
  return 1;
}

/* searcher(name) -> loader, path | nothing   (upvalues: ROOT/lua/, ROOT/build/luac/) */
static int search_compiled(lua_State *L)
{
  const char *name = luaL_checkstring(L, 1);
  const char *lib = lua_tostring(L, lua_upvalueindex(1));
  const char *out = lua_tostring(L, lua_upvalueindex(2));
  lua_getglobal(L, "package");
  if (lua_getfield(L, -1, "searchpath") != LUA_TFUNCTION) return 0;
  lua_pushstring(L, name);
  if (lua_getfield(L, -3, "path") != LUA_TSTRING) return 0;
  lua_call(L, 2, 1);
  const char *path = lua_tostring(L, -1);   /* stays on the stack */
  if (!path || !push_compiled(L, path, lib, out)) return 0;
  lua_pushstring(L, path);
  return 2;
}

/* compiled.loadfile(path) -> function | nil   (the shipped library's file PATH
 * compiled by make, when it may be taken for the source; upvalues as above) */
static int compiled_loadfile(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  const char *lib = lua_tostring(L, lua_upvalueindex(1));
  const char *out = lua_tostring(L, lua_upvalueindex(2));
  if (!push_compiled(L, path, lib, out)) lua_pushnil(L);
  return 1;
}

/* The module gisa.compiled (upvalues as above): for the rule files, which are
 * loaded by path, not required. */
static int open_compiled(lua_State *L)
{
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushcclosure(L, compiled_loadfile, 2);
  lua_setfield(L, -2, "loadfile");
  return 1;
}

/* Put search_compiled second in package.searchers (after the preload one),
 * and gisa.compiled in package.preload: LIB is ROOT/lua/, OUT ROOT/build/luac/. */
static void add_compiled(lua_State *L, const char *lib, const char *out)
{
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchers");
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = n; i >= 2; i--) {
    lua_rawgeti(L, -1, i);
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushstring(L, lib);
  lua_pushstring(L, out);
  lua_pushcclosure(L, search_compiled, 2);
  lua_rawseti(L, -2, 2);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushstring(L, lib);
  lua_pushstring(L, out);
  lua_pushcclosure(L, open_compiled, 2);
  lua_setfield(L, -2, "gisa.compiled");
  lua_pop(L, 3);
}

static void preload(lua_State *L, const char *name, lua_CFunction f)
{
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* pmain(argc, argv): everything that may raise runs in here. */
static int pmain(lua_State *L)
{
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);

  luaL_openlibs(L);
  preload(L, "lpeg", luaopen_lpeg);
  preload(L, "cjson", luaopen_cjson);
  preload(L, "cjson.safe", luaopen_cjson_safe);
  preload(L, "gisa.text", luaopen_gisa_text);
  preload(L, "gisa.hangul", luaopen_gisa_hangul);
  preload(L, "gisa.enc", luaopen_gisa_enc);
  preload(L, "gisa.sys", luaopen_gisa_sys);
  preload(L, "gisa.hash", luaopen_gisa_hash);
  preload(L, "gisa.minhash", luaopen_gisa_minhash);
  preload(L, "gisa.count", luaopen_gisa_count);
  preload(L, "gisa.jsonw", luaopen_gisa_jsonw);
  preload(L, "gisa.jsonr", luaopen_gisa_jsonr);
  preload(L, "gisa.lines", luaopen_gisa_lines);
  preload(L, "gisa.zio", luaopen_gisa_zio);
  preload(L, "gisa.wire", luaopen_gisa_wire);
  preload(L, "gisa.proc", luaopen_gisa_proc);
  preload(L, "gisa.htmlparse", luaopen_gisa_htmlparse);
  preload(L, "gisa.split", luaopen_gisa_split);
  preload(L, "gisa.tally", luaopen_gisa_tally);
  preload(L, "gisa.quote", luaopen_gisa_quote);

  /* The shipped library: the checkout the binary sits in (its directory, or
   * up to two levels above it for build/asan/gisa), so edits take effect
   * without installing; else the share dir installed beside the binary's bin/
   * (a relocated or DESTDIR-staged install), else the configured one. */
  push_exedir(L);
  const char *exedir = lua_tostring(L, -1);
  const char *root = GISA_SHAREDIR;
  int checkout = 0;
  for (int up = 0; up <= 2 && !checkout; up++) {
    const char *dir = up == 0 ? exedir : lua_pushfstring(L, "%s%s", exedir, up == 1 ? "/.." : "/../..");
    checkout = file_exists(lua_pushfstring(L, "%s/lua/gisa/cli/main.lua", dir));
    lua_pop(L, 1);
    if (checkout) {   /* the string stays on the stack, so root stays valid */
      char real[PATH_MAX];
      root = realpath(dir, real) ? lua_pushstring(L, real) : dir;
    }
  }
  if (!checkout) {   /* installed: PREFIX/bin/gisa next to PREFIX/share/gisa, wherever PREFIX is */
    const char *rel = lua_pushfstring(L, "%s/../share/gisa", exedir);
    char real[PATH_MAX];
    if (file_exists(lua_pushfstring(L, "%s/lua/gisa/cli/main.lua", rel)) && realpath(rel, real))
      root = lua_pushstring(L, real);
  }
  const char *mainlua = lua_pushfstring(L, "%s/lua/gisa/cli/main.lua", root);
  if (!file_exists(mainlua))
    return luaL_error(L, "cannot find the gisa Lua library (looked for %s)", mainlua);

  /* package.path: the library first, then Lua's own (for re.lua). */
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/lua/?.lua;%s/lua/?/init.lua;", root, root);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  const char *lib = lua_pushfstring(L, "%s/lua/", root);
  const char *out = lua_pushfstring(L, "%s/build/luac/", root);
  add_compiled(L, lib, out);

  if (!push_compiled(L, mainlua, lib, out) && luaL_loadfile(L, mainlua) != LUA_OK) return lua_error(L);

  /* main.lua receives (args, host) and returns the exit status. */
  lua_createtable(L, argc, 0);
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i);
  }
  lua_createtable(L, 0, 6);
  lua_pushstring(L, argv[0]);        lua_setfield(L, -2, "argv0");
  lua_pushstring(L, root);           lua_setfield(L, -2, "root");
  lua_pushvalue(L, 3);               lua_setfield(L, -2, "exedir");
  lua_pushboolean(L, checkout);      lua_setfield(L, -2, "checkout");
  lua_pushliteral(L, GISA_SHAREDIR); lua_setfield(L, -2, "sharedir");
  lua_pushliteral(L, GISA_VERSION);  lua_setfield(L, -2, "version");
  lua_call(L, 2, 1);
  return 1;
}

int main(int argc, char **argv)
{
#ifdef GISA_SYSTEM_ALLOC
  lua_State *L = luaL_newstate();
#else
  static Pool pool;
  lua_State *L = new_state(&pool);
#endif
  if (L == NULL) {
    fprintf(stderr, "gisa: cannot create Lua state: not enough memory\n");
    return 1;
  }
  global_L = L;
  signal(SIGINT, laction);
  signal(SIGTERM, laction);
  signal(SIGHUP, laction);
  lua_pushcfunction(L, msghandler);
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  int status = lua_pcall(L, 2, 1, 1);
  int code;
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "gisa: %s\n", msg ? msg : "(no message)");
    code = 1;
  } else if (lua_isinteger(L, -1)) {
    code = (int)lua_tointeger(L, -1);
  } else {
    code = lua_toboolean(L, -1) || lua_isnil(L, -1) ? 0 : 1;
  }
  fflush(stdout);
  if (ferror(stdout) && errno != EPIPE) {
    fprintf(stderr, "gisa: error writing standard output\n");
    code = code ? code : 1;
  }
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  lua_close(L);
#ifndef GISA_SYSTEM_ALLOC
  pool_close(&pool);
#endif
  return code;
}
