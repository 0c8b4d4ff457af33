/*
 * sys.c: gisa.sys, the few operating-system services the Lua library needs and
 * stock Lua lacks: fast whole-file reads, sorted directory listings, file
 * types and sizes, isatty, a monotonic clock, the process id.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gisa.h"

/* Push nil, "path: strerror(errno)" and return 2: the data-error convention. */
static int push_errno(lua_State *L, const char *path)
{
  int e = errno;
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", path, strerror(e));
  return 2;
}

/* A file of megabytes is mapped and copied once into its string: reading it
 * into a buffer first (luaL_Buffer) costs a second copy and a second block of
 * fresh memory for the kernel to zero, which together took longer than the
 * copy that is needed. The mapping is held by a userdata while the string is
 * made (that may raise), and unmapped by its __gc if it does. */
#define MAP_MIN (4u << 20)
#define MAPPING_MT "gisa.sys.mapping"

typedef struct Mapping { void *p; size_t n; } Mapping;

static int mapping_gc(lua_State *L)
{
  Mapping *m = (Mapping *)luaL_checkudata(L, 1, MAPPING_MT);
  if (m->p) munmap(m->p, m->n);
  m->p = NULL;
  return 0;
}

/* Push the n bytes of regular file fd as a string; 0 when it cannot be mapped
 * (the caller then reads it). */
static int push_mapped(lua_State *L, int fd, size_t n)
{
  Mapping *m = (Mapping *)lua_newuserdatauv(L, sizeof(Mapping), 0);
  m->p = NULL;
  if (luaL_newmetatable(L, MAPPING_MT)) {
    lua_pushcfunction(L, mapping_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) { lua_pop(L, 1); return 0; }
  m->p = p;
  m->n = n;
  struct stat st;   /* cut since the fstat: reading past its end would raise SIGBUS */
  if (fstat(fd, &st) != 0 || (size_t)st.st_size < n) { lua_pop(L, 1); return 0; }
#ifdef MADV_SEQUENTIAL
  madvise(p, n, MADV_SEQUENTIAL);
#endif
  lua_pushlstring(L, (const char *)p, n);
  munmap(p, n);
  m->p = NULL;
  lua_remove(L, -2);
  return 1;
}

/* Read what is left of fd into a Lua string that starts with head[0..got):
 * size_hint is the file size when known (one read into a buffer of that size,
 * no copies beyond the final one). */
static int read_rest(lua_State *L, int fd, const char *head, size_t got, size_t size_hint,
                     const char *path)
{
  luaL_Buffer b;
  size_t want = size_hint > got ? size_hint : got;
  char *p = luaL_buffinitsize(L, &b, want);
  memcpy(p, head, got);
  while (got < want) {
    ssize_t n = read(fd, p + got, want - got);
    if (n < 0) { if (errno == EINTR) continue; return push_errno(L, path); }
    if (n == 0) break;
    got += (size_t)n;
  }
  luaL_addsize(&b, got);
  if (got < want) { luaL_pushresult(&b); return 1; }
  for (;;) {   /* the rest (a file that grew, or a pipe) */
    p = luaL_prepbuffsize(&b, 65536);
    ssize_t n = read(fd, p, 65536);
    if (n < 0) { if (errno == EINTR) continue; return push_errno(L, path); }
    if (n == 0) break;
    luaL_addsize(&b, (size_t)n);
  }
  luaL_pushresult(&b);
  return 1;
}

/* sys.readfile(path) -> string | nil, message      ("-" reads standard input) */
static int sys_readfile(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  int std = strcmp(path, "-") == 0;
  const char *name = std ? "(stdin)" : path;
  int fd = std ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return push_errno(L, path);
  /* An article fits in a buffer on the C stack: read to the end there and
   * copied once into its string, with no fstat (a directory's read fails with
   * EISDIR). A longer file goes on with its size from fstat. read_rest raises
   * only when out of memory; the fd is then lost, as in liolib. */
  char head[32768];
  size_t got = 0;
  int r;
  for (;;) {
    ssize_t n = read(fd, head + got, sizeof head - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EISDIR && !std) {
      close(fd);
      lua_pushnil(L);
      lua_pushfstring(L, "%s: is a directory", path);
      return 2;
    }
    if (n < 0) { r = push_errno(L, name); break; }
    if (n == 0) { lua_pushlstring(L, head, got); r = 1; break; }
    got += (size_t)n;
    if (got == sizeof head) {
      struct stat st;
      size_t hint = !std && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
      if (hint >= MAP_MIN && push_mapped(L, fd, hint)) { r = 1; break; }
      r = read_rest(L, fd, head, got, hint, name);
      break;
    }
  }
  if (!std) close(fd);
  return r;
}

/* A directory entry while listing: its name (in a Lua string) and d_type. */
typedef struct Entry { const char *name; unsigned char type; } Entry;

static int cmp_entries(const void *a, const void *b)
{
  return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

/* sys.listdir(path [, kinds]) -> {name…} sorted bytewise, without . and ..
 * [, {kind…}] | nil, message   (kinds: also what each entry is as the listing
 * tells it, "file", "dir" or "other", or false for a symbolic link or an
 * unknown type, for which only stat knows; a walk then stats only those) */
static int sys_listdir(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  int kinds = lua_toboolean(L, 2);
  lua_settop(L, 1);
  DIR *d = opendir(path);
  if (d == NULL) return push_errno(L, path);
  /* names and types go into Lua tables first (no malloc held across a raise) */
  lua_newtable(L);   /* 2: names */
  lua_newtable(L);   /* 3: types */
  int n = 0;
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    lua_pushstring(L, e->d_name);
    lua_rawseti(L, 2, ++n);
    lua_pushinteger(L, e->d_type);
    lua_rawseti(L, 3, n);
  }
  closedir(d);
  /* sort by pointers into the Lua strings, kept alive by the table */
  Entry *v = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *v, 0);
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, 2, i + 1);
    v[i].name = lua_tostring(L, -1);
    lua_rawgeti(L, 3, i + 1);
    v[i].type = (unsigned char)lua_tointeger(L, -1);
    lua_pop(L, 2);
  }
  qsort(v, (size_t)n, sizeof *v, cmp_entries);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, v[i].name);
    lua_rawseti(L, -2, i + 1);
  }
  if (!kinds) return 1;
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    switch (v[i].type) {
    case DT_REG: lua_pushliteral(L, "file"); break;
    case DT_DIR: lua_pushliteral(L, "dir"); break;
    case DT_LNK: case DT_UNKNOWN: lua_pushboolean(L, 0); break;
    default: lua_pushliteral(L, "other"); break;
    }
    lua_rawseti(L, -2, i + 1);
  }
  return 2;
}

/* sys.stat(path) -> "file"|"dir"|"other", size, mtime, id ("dev:inode", the same for every path to one file) | nil, message */
static int sys_stat(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (stat(path, &st) != 0) return push_errno(L, path);
  if (S_ISREG(st.st_mode)) lua_pushliteral(L, "file");
  else if (S_ISDIR(st.st_mode)) lua_pushliteral(L, "dir");
  else lua_pushliteral(L, "other");
  lua_pushinteger(L, (lua_Integer)st.st_size);
  lua_pushinteger(L, (lua_Integer)st.st_mtime);
  /* "dev:inode" as "%I:%I" would write it, by hand: the walk stats every file,
   * and lua_pushfstring's %I goes through snprintf */
  char id[48], *p = id + sizeof id;
  lua_Integer part[2] = { (lua_Integer)st.st_ino, (lua_Integer)st.st_dev };
  for (int k = 0; k < 2; k++) {
    uint64_t v = part[k] < 0 ? 0 - (uint64_t)part[k] : (uint64_t)part[k];
    do *--p = (char)('0' + v % 10); while ((v /= 10) != 0);
    if (part[k] < 0) *--p = '-';
    if (k == 0) *--p = ':';
  }
  lua_pushlstring(L, p, (size_t)(id + sizeof id - p));
  return 4;
}

/* sys.isatty(fd) -> boolean */
static int sys_isatty(lua_State *L)
{
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

/* sys.clock() -> seconds (float, monotonic) */
static int sys_clock(lua_State *L)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec * 1e-9);
  return 1;
}

/* sys.cputime() -> seconds of CPU used by this process (float) */
static int sys_cputime(lua_State *L)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec * 1e-9);
  return 1;
}

/* sys.getpid() -> integer */
static int sys_getpid(lua_State *L)
{
  lua_pushinteger(L, (lua_Integer)getpid());
  return 1;
}

/* sys.maxrss() -> peak resident set size in KiB (from /proc/self/status) */
static int sys_maxrss(lua_State *L)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  lua_Integer kb = -1;
  if (f) {
    while (fgets(line, sizeof line, f))
      if (strncmp(line, "VmHWM:", 6) == 0) { kb = strtoll(line + 6, NULL, 10); break; }
    fclose(f);
  }
  lua_pushinteger(L, kb);
  return 1;
}

static const luaL_Reg sys_funcs[] = {
  {"readfile", sys_readfile},
  {"listdir",  sys_listdir},
  {"stat",     sys_stat},
  {"isatty",   sys_isatty},
  {"clock",    sys_clock},
  {"cputime",  sys_cputime},
  {"getpid",   sys_getpid},
  {"maxrss",   sys_maxrss},
  {NULL, NULL}
};

int luaopen_gisa_sys(lua_State *L)
{
  luaL_newlib(L, sys_funcs);
  return 1;
}
