/*
 * zio.c: gisa.zio, compressed files and archives as byte streams. One call
 * opens a file of any kind (gzip, zstd, xz, bzip2 or plain) as a stream read in
 * pieces, so readers have one code path and never hold a whole dump in memory;
 * zip and tar archives are walked entry by entry. Single streams go through
 * zlib, libzstd, liblzma and libbz2 directly (exact damage offsets, concatenated
 * members, no copy between layers); archives through libarchive.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "gisa.h"
#include "utf8.h"

#define STREAM_MT "gisa.zio.stream"
#define ARCHIVE_MT "gisa.zio.archive"
#define IN_SIZE (256 * 1024)              /* compressed bytes read from the file at a time */
#define DEFAULT_LIMIT ((lua_Integer)8 << 30)   /* 8 GiB decompressed, see docs/zio.md */
#define DEFAULT_READ 65536

enum { K_PLAIN, K_GZIP, K_ZSTD, K_XZ, K_BZIP2, K_ZIP, K_TAR, K_ENTRY };
static const char *const kind_names[] = { NULL, "gzip", "zstd", "xz", "bzip2", "zip", "tar", NULL };

/* ------------------------------------------------------------------------ */
/* Magic bytes                                                              */
/* ------------------------------------------------------------------------ */

static int kind_of(const unsigned char *h, size_t n)
{
  if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) return K_GZIP;
  if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0) return K_ZSTD;
  if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0) return K_XZ;
  if (n >= 4 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1' && h[3] <= '9') return K_BZIP2;
  if (n >= 4 && h[0] == 'P' && h[1] == 'K' &&
      ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6) || (h[2] == 7 && h[3] == 8)))
    return K_ZIP;
  if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0) return K_TAR;
  return K_PLAIN;
}

/* zio.kind(head) -> "gzip"|"zstd"|"xz"|"bzip2"|"zip"|"tar"|nil   (from the first bytes; tar needs 262) */
static int zio_kind(lua_State *L)
{
  size_t n;
  const char *h = luaL_checklstring(L, 1, &n);
  const char *k = kind_names[kind_of((const unsigned char *)h, n)];
  if (k) lua_pushstring(L, k);
  else lua_pushnil(L);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Streams                                                                  */
/* ------------------------------------------------------------------------ */

struct Archive;

typedef struct Stream {
  int kind;                /* K_* */
  int fd, own;             /* own: close fd at the end (not standard input) */
  int closed, ready;       /* ready: the decoder below is initialised */
  int eof_in;              /* the file gave all it has */
  int ended;               /* the data ended well */
  int failed;              /* err holds the damage; reads return it */
  int err_no;              /* errno of a failed read */
  unsigned char *in;       /* compressed bytes in[pos..len) not yet consumed */
  size_t pos, len;
  lua_Integer in_off;      /* file offset of in[0] */
  char *out;               /* the piece handed to Lua */
  size_t out_cap;
  lua_Integer produced, limit;   /* limit 0: none */
  lua_Integer err_off;
  size_t zret;             /* zstd: 0 when a frame ended and is flushed */
  union { z_stream z; ZSTD_DStream *zs; lzma_stream x; bz_stream bz; } d;
  /* entry streams: the archive (kept alive by the user value) and its entry number */
  struct Archive *arc;
  lua_Integer gen;
  char err[200];
} Stream;

static void decoder_end(Stream *s)
{
  if (!s->ready) return;
  switch (s->kind) {
  case K_GZIP: inflateEnd(&s->d.z); break;
  case K_ZSTD: ZSTD_freeDStream(s->d.zs); break;
  case K_XZ: lzma_end(&s->d.x); break;
  case K_BZIP2: BZ2_bzDecompressEnd(&s->d.bz); break;
  default: break;
  }
  s->ready = 0;
}

static void stream_close(Stream *s)
{
  decoder_end(s);
  if (s->own && s->fd >= 0) close(s->fd);
  s->fd = -1;
  free(s->in);
  free(s->out);
  s->in = NULL;
  s->out = NULL;
  s->closed = 1;
}

static int decoder_init(Stream *s)
{
  int ok = 0;
  memset(&s->d, 0, sizeof s->d);
  switch (s->kind) {
  case K_GZIP: ok = inflateInit2(&s->d.z, 15 + 16) == Z_OK; break;
  case K_ZSTD: ok = (s->d.zs = ZSTD_createDStream()) != NULL; s->zret = 1; break;
  case K_XZ: {
    lzma_stream init = LZMA_STREAM_INIT;
    s->d.x = init;
    ok = lzma_stream_decoder(&s->d.x, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
    break;
  }
  case K_BZIP2: ok = BZ2_bzDecompressInit(&s->d.bz, 0, 0) == BZ_OK; break;
  default: return 1;
  }
  s->ready = ok;
  return ok;
}

static void fail(Stream *s, lua_Integer off, const char *msg)
{
  s->failed = 1;
  s->err_off = off;
  snprintf(s->err, sizeof s->err, "%s", msg);
}

/* More compressed bytes into in[] once it is used up; 0 at the end of the
 * file or on a read error (then failed). Appends when keep is set (the head). */
static int refill(Stream *s, int keep)
{
  if (s->eof_in) return 0;
  if (!keep) {
    s->in_off += (lua_Integer)s->len;
    s->pos = s->len = 0;
  }
  for (;;) {
    ssize_t n = read(s->fd, s->in + s->len, IN_SIZE - s->len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      char msg[160];
      s->err_no = errno;
      snprintf(msg, sizeof msg, "read error at byte %lld: %s", (long long)(s->in_off + (lua_Integer)s->len),
               strerror(s->err_no));
      fail(s, s->in_off + (lua_Integer)s->len, msg);
      s->eof_in = 1;
      return 0;
    }
    if (n == 0) { s->eof_in = 1; return 0; }
    s->len += (size_t)n;
    return 1;
  }
}

static const char *kind_label(int kind) { return kind_names[kind] ? kind_names[kind] : "plain"; }

static void truncated(Stream *s)
{
  char msg[120];
  lua_Integer off = s->in_off + (lua_Integer)s->len;
  snprintf(msg, sizeof msg, "truncated %s stream at byte %lld of the compressed file", kind_label(s->kind),
           (long long)off);
  fail(s, off, msg);
}

static void damaged(Stream *s, lua_Integer off, const char *why)
{
  char msg[200];
  snprintf(msg, sizeof msg, "damaged %s stream at byte %lld of the compressed file: %s", kind_label(s->kind),
           (long long)off, why ? why : "invalid data");
  fail(s, off, msg);
}

/* After a gzip or bzip2 member: another member follows (magic bytes), or zero
 * padding, or the end; anything else is damage. Returns 1 when a member follows. */
static int next_member(Stream *s)
{
  for (;;) {
    while (s->pos < s->len && s->in[s->pos] == 0) s->pos++;   /* tape padding */
    if (s->pos == s->len) {
      if (!refill(s, 0)) { if (!s->failed) s->ended = 1; return 0; }
      continue;
    }
    if (s->len - s->pos < 4 && !s->eof_in) {   /* the magic may be split by the read */
      memmove(s->in, s->in + s->pos, s->len - s->pos);
      s->in_off += (lua_Integer)s->pos;
      s->len -= s->pos;
      s->pos = 0;
      if (refill(s, 1)) continue;
    }
    int k = kind_of(s->in + s->pos, s->len - s->pos);
    if (k == s->kind && (k == K_GZIP || k == K_BZIP2)) return 1;
    char msg[160];
    lua_Integer off = s->in_off + (lua_Integer)s->pos;
    snprintf(msg, sizeof msg, "trailing garbage after the %s stream at byte %lld of the compressed file",
             kind_label(s->kind), (long long)off);
    fail(s, off, msg);
    return 0;
  }
}

static size_t fill_gzip(Stream *s, char *dst, size_t n)
{
  z_stream *z = &s->d.z;
  size_t got = 0;
  while (got < n && !s->ended && !s->failed) {
    if (s->pos == s->len && !refill(s, 0)) {
      if (!s->failed) truncated(s);
      break;
    }
    z->next_in = s->in + s->pos;
    z->avail_in = (uInt)(s->len - s->pos);
    z->next_out = (Bytef *)dst + got;
    z->avail_out = (uInt)(n - got > UINT32_MAX ? UINT32_MAX : n - got);
    uInt out0 = z->avail_out;
    int r = inflate(z, Z_NO_FLUSH);
    got += out0 - z->avail_out;
    s->pos = s->len - z->avail_in;
    if (r == Z_STREAM_END) {
      if (next_member(s)) inflateReset(z);
    } else if (r != Z_OK && r != Z_BUF_ERROR) {
      damaged(s, s->in_off + (lua_Integer)s->pos, z->msg);
    }
  }
  return got;
}

static size_t fill_zstd(Stream *s, char *dst, size_t n)
{
  size_t got = 0;
  while (got < n && !s->ended && !s->failed) {
    if (s->pos == s->len && !refill(s, 0)) {
      if (s->failed) break;
      if (s->zret == 0) s->ended = 1;
      else truncated(s);
      break;
    }
    ZSTD_inBuffer in = { s->in, s->len, s->pos };
    ZSTD_outBuffer out = { dst, n, got };
    size_t r = ZSTD_decompressStream(s->d.zs, &out, &in);
    got = out.pos;
    s->pos = in.pos;
    if (ZSTD_isError(r)) damaged(s, s->in_off + (lua_Integer)s->pos, ZSTD_getErrorName(r));
    else s->zret = r;
  }
  return got;
}

static size_t fill_xz(Stream *s, char *dst, size_t n)
{
  lzma_stream *x = &s->d.x;
  size_t got = 0;
  while (got < n && !s->ended && !s->failed) {
    if (s->pos == s->len) refill(s, 0);
    if (s->failed) break;
    x->next_in = s->in + s->pos;
    x->avail_in = s->len - s->pos;
    x->next_out = (uint8_t *)dst + got;
    x->avail_out = n - got;
    size_t out0 = x->avail_out;
    lzma_ret r = lzma_code(x, s->eof_in ? LZMA_FINISH : LZMA_RUN);
    got += out0 - x->avail_out;
    s->pos = s->len - x->avail_in;
    if (r == LZMA_STREAM_END) s->ended = 1;
    else if (r == LZMA_BUF_ERROR && s->eof_in) truncated(s);
    else if (r != LZMA_OK && r != LZMA_BUF_ERROR) {
      const char *why = r == LZMA_DATA_ERROR ? "compressed data is corrupt"
                      : r == LZMA_FORMAT_ERROR ? "not in the .xz format"
                      : r == LZMA_MEM_ERROR ? "out of memory"
                      : r == LZMA_OPTIONS_ERROR ? "unsupported options" : "decoder error";
      if (r == LZMA_DATA_ERROR && s->eof_in && s->pos == s->len) truncated(s);
      else damaged(s, s->in_off + (lua_Integer)s->pos, why);
    }
  }
  return got;
}

static size_t fill_bzip2(Stream *s, char *dst, size_t n)
{
  bz_stream *bz = &s->d.bz;
  size_t got = 0;
  while (got < n && !s->ended && !s->failed) {
    if (s->pos == s->len && !refill(s, 0)) {
      if (!s->failed) truncated(s);
      break;
    }
    size_t room = n - got > UINT32_MAX ? UINT32_MAX : n - got;
    bz->next_in = (char *)s->in + s->pos;
    bz->avail_in = (unsigned)(s->len - s->pos);
    bz->next_out = dst + got;
    bz->avail_out = (unsigned)room;
    int r = BZ2_bzDecompress(bz);
    got += room - bz->avail_out;
    s->pos = s->len - bz->avail_in;
    if (r == BZ_STREAM_END) {
      if (next_member(s)) {
        BZ2_bzDecompressEnd(bz);
        memset(bz, 0, sizeof *bz);
        if (BZ2_bzDecompressInit(bz, 0, 0) != BZ_OK) { s->ready = 0; damaged(s, s->in_off, "out of memory"); }
      }
    } else if (r != BZ_OK) {
      damaged(s, s->in_off + (lua_Integer)s->pos,
              r == BZ_MEM_ERROR ? "out of memory" : "compressed data is corrupt");
    }
  }
  return got;
}

static size_t fill_plain(Stream *s, char *dst, size_t n)
{
  size_t got = 0;
  if (s->pos < s->len) {   /* the head read to find the kind */
    got = s->len - s->pos < n ? s->len - s->pos : n;
    memcpy(dst, s->in + s->pos, got);
    s->pos += got;
  }
  while (got < n && !s->eof_in) {
    ssize_t r = read(s->fd, dst + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      char msg[160];
      lua_Integer off = s->produced + (lua_Integer)got;
      snprintf(msg, sizeof msg, "read error at byte %lld: %s", (long long)off, strerror(errno));
      fail(s, off, msg);
      break;
    }
    if (r == 0) { s->eof_in = 1; break; }
    got += (size_t)r;
  }
  if (s->eof_in && s->pos == s->len && !s->failed) s->ended = 1;
  return got;
}

static Stream *check_stream(lua_State *L)
{
  Stream *s = (Stream *)luaL_checkudata(L, 1, STREAM_MT);
  if (s->closed) luaL_error(L, "attempt to use a closed stream");
  return s;
}

static const char *stream_name(lua_State *L, int idx)
{
  lua_getiuservalue(L, idx, 1);
  const char *p = lua_tostring(L, -1);
  lua_pop(L, 1);   /* the user value keeps the string alive */
  return p ? p : "?";
}

/* "8 GiB", "100 MiB" or "12345 bytes" */
static void push_size(lua_State *L, lua_Integer n)
{
  if (n >= ((lua_Integer)1 << 30) && n % ((lua_Integer)1 << 30) == 0) lua_pushfstring(L, "%I GiB", n >> 30);
  else if (n >= ((lua_Integer)1 << 20) && n % ((lua_Integer)1 << 20) == 0) lua_pushfstring(L, "%I MiB", n >> 20);
  else lua_pushfstring(L, "%I bytes", n);
}

static size_t fill_entry(lua_State *L, Stream *s, char *dst, size_t n);

/* stream:read([n = 65536]) -> bytes (up to n) | nil at the end | nil, message, offset on damage
 * The bytes before the damage come first; the damage is then returned on every read. */
static int stream_read(lua_State *L)
{
  Stream *s = check_stream(L);
  lua_Integer want = luaL_optinteger(L, 2, DEFAULT_READ);
  luaL_argcheck(L, want > 0, 2, "size must be positive");
  size_t n = (size_t)want;
  if (s->limit > 0 && s->kind != K_PLAIN && s->produced + want > s->limit)
    n = (size_t)(s->limit - s->produced) + 1;   /* one byte more shows the limit crossed */
  if (s->out_cap < n) {
    char *p = (char *)realloc(s->out, n);
    if (p == NULL) return luaL_error(L, "not enough memory");
    s->out = p;
    s->out_cap = n;
  }
  size_t got = 0;
  if (!s->failed && !s->ended) {
    switch (s->kind) {
    case K_GZIP: got = fill_gzip(s, s->out, n); break;
    case K_ZSTD: got = fill_zstd(s, s->out, n); break;
    case K_XZ: got = fill_xz(s, s->out, n); break;
    case K_BZIP2: got = fill_bzip2(s, s->out, n); break;
    case K_ENTRY: got = fill_entry(L, s, s->out, n); break;
    default: got = fill_plain(s, s->out, n); break;
    }
  }
  if (s->limit > 0 && s->kind != K_PLAIN && s->produced + (lua_Integer)got > s->limit && !s->failed) {
    got = (size_t)(s->limit - s->produced);
    push_size(L, s->limit);
    const char *msg = lua_pushfstring(L, "%s: more than %s decompressed, the limit against decompression "
                                      "bombs (opts.limit raises it)", stream_name(L, 1), lua_tostring(L, -1));
    lua_Integer off = s->kind == K_ENTRY ? s->produced + (lua_Integer)got : s->in_off + (lua_Integer)s->pos;
    fail(s, off, msg);
    lua_pop(L, 2);
  }
  s->produced += (lua_Integer)got;
  if (got > 0) {
    lua_pushlstring(L, s->out, got);
    return 1;
  }
  lua_pushnil(L);
  if (!s->failed) return 1;
  lua_pushstring(L, s->err);
  lua_pushinteger(L, s->err_off);
  return 3;
}

/* stream:kind() -> "gzip"|"zstd"|"xz"|"bzip2"|nil   (nil: plain, or an archive entry) */
static int stream_kind(lua_State *L)
{
  Stream *s = (Stream *)luaL_checkudata(L, 1, STREAM_MT);
  const char *k = kind_names[s->kind];
  if (k) lua_pushstring(L, k);
  else lua_pushnil(L);
  return 1;
}

/* stream:close()   (also __close and __gc; closing twice is allowed) */
static int stream_closem(lua_State *L)
{
  stream_close((Stream *)luaL_checkudata(L, 1, STREAM_MT));
  return 0;
}

/* tostring(stream) -> "gisa.zio stream (gzip, dump.jsonl.gz)" */
static int stream_tostring(lua_State *L)
{
  Stream *s = (Stream *)luaL_checkudata(L, 1, STREAM_MT);
  const char *name = stream_name(L, 1);
  if (s->closed) lua_pushfstring(L, "gisa.zio stream (closed, %s)", name);
  else if (s->kind == K_ENTRY) lua_pushfstring(L, "gisa.zio entry (%s)", name);
  else lua_pushfstring(L, "gisa.zio stream (%s, %s)", kind_label(s->kind), name);
  return 1;
}

/* A new stream userdata on the stack, named by the string at index name. */
static Stream *stream_new(lua_State *L, int name)
{
  name = lua_absindex(L, name);
  Stream *s = (Stream *)lua_newuserdatauv(L, sizeof(Stream), 2);
  memset(s, 0, sizeof *s);
  s->fd = -1;
  luaL_setmetatable(L, STREAM_MT);
  lua_pushvalue(L, name);
  lua_setiuservalue(L, -2, 1);
  return s;
}

/* The limit from opts.limit: integer bytes (0 or false: none); default 8 GiB. */
static lua_Integer opt_limit(lua_State *L, int idx)
{
  if (lua_isnoneornil(L, idx)) return DEFAULT_LIMIT;
  luaL_checktype(L, idx, LUA_TTABLE);
  int t = lua_getfield(L, idx, "limit");
  lua_Integer limit = DEFAULT_LIMIT;
  if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) limit = 0;
  else if (t != LUA_TNIL) {
    int isint;
    limit = lua_tointegerx(L, -1, &isint);
    if (!isint || limit < 0) luaL_argerror(L, idx, "opts.limit must be a non-negative integer or false");
  }
  lua_pop(L, 1);
  return limit;
}

static int push_errno(lua_State *L, const char *path, int e)
{
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", path, strerror(e));
  return 2;
}

/* zio.open(path [, opts]) -> stream | nil, message
 * path "-" is standard input. gzip, zstd, xz and bzip2 data (by its magic
 * bytes, whatever the name) is decompressed; anything else passes through.
 * opts.limit: most bytes to decompress (default 8 GiB; 0 or false: no limit). */
static int zio_open(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  lua_Integer limit = opt_limit(L, 2);
  int std = strcmp(path, "-") == 0;
  lua_settop(L, 1);
  if (std) lua_pushliteral(L, "(stdin)");
  else lua_pushvalue(L, 1);
  Stream *s = stream_new(L, 2);
  s->limit = limit;
  s->in = (unsigned char *)malloc(IN_SIZE);
  if (s->in == NULL) return luaL_error(L, "not enough memory");
  s->fd = std ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  if (s->fd < 0) { int e = errno; stream_close(s); return push_errno(L, path, e); }
  s->own = !std;
  /* the head, for the magic bytes: a pipe may give it in pieces */
  while (s->len < 6 && refill(s, 1)) {}
  if (s->failed) {
    int e = s->err_no;
    stream_close(s);
    if (e == EISDIR) { lua_pushnil(L); lua_pushfstring(L, "%s: is a directory", path); return 2; }
    return push_errno(L, path, e);
  }
  s->kind = kind_of(s->in, s->len);
  if (s->kind == K_TAR) s->kind = K_PLAIN;   /* a tar file's bytes are its stream */
  if (s->kind == K_ZIP) {
    stream_close(s);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: a zip archive holds several files: read them with zio.entries", path);
    return 2;
  }
  if (!decoder_init(s)) {
    stream_close(s);
    return luaL_error(L, "not enough memory for a %s decoder", kind_names[s->kind]);
  }
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Archives                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct Archive {
  struct archive *a;
  lua_Integer gen;         /* the number of the current entry */
  lua_Integer produced, limit;
  int done;
  int pending;             /* the first header, read by zio.entries to know the format */
  int pending_r;
  struct archive_entry *pending_e;
  iconv_t cd;              /* CP949 -> UTF-8 for names, opened when first needed */
  locale_t utf8;           /* libarchive converts names to the locale's charset: UTF-8 here */
} Archive;

#define NO_ICONV ((iconv_t)-1)

static void archive_close(Archive *x)
{
  if (x->a) archive_read_free(x->a);
  x->a = NULL;
  if (x->cd != NO_ICONV) iconv_close(x->cd);
  x->cd = NO_ICONV;
  if (x->utf8) freelocale(x->utf8);
  x->utf8 = (locale_t)0;
  x->done = 1;
}

static int archive_gc(lua_State *L)
{
  archive_close((Archive *)luaL_checkudata(L, 1, ARCHIVE_MT));
  return 0;
}

static int archive_tostring(lua_State *L)
{
  Archive *x = (Archive *)luaL_checkudata(L, 1, ARCHIVE_MT);
  lua_getiuservalue(L, 1, 1);
  lua_pushfstring(L, "gisa.zio archive (%s%s)", x->a ? "" : "closed, ", lua_tostring(L, -1));
  return 1;
}

static size_t fill_entry(lua_State *L, Stream *s, char *dst, size_t n)
{
  Archive *x = s->arc;
  if (x->a == NULL || x->gen != s->gen) {
    lua_getiuservalue(L, 1, 1);
    luaL_error(L, "entry '%s' read after the iteration moved on", lua_tostring(L, -1));
  }
  if (x->limit > 0 && x->produced + (lua_Integer)n > x->limit) n = (size_t)(x->limit - x->produced) + 1;
  size_t got = 0;
  while (got < n) {
    la_ssize_t r = archive_read_data(x->a, dst + got, n - got);
    if (r == 0) { s->ended = 1; break; }
    if (r < 0) {
      char msg[200];
      snprintf(msg, sizeof msg, "damaged entry at byte %lld of its data: %s",
               (long long)(s->produced + (lua_Integer)got), archive_error_string(x->a) ? archive_error_string(x->a)
                                                                             : "read error");
      fail(s, s->produced + (lua_Integer)got, msg);
      break;
    }
    got += (size_t)r;
  }
  if (x->limit > 0 && x->produced + (lua_Integer)got > x->limit && !s->failed) {
    got = (size_t)(x->limit - x->produced);
    lua_getiuservalue(L, 1, 2);
    lua_getiuservalue(L, -1, 1);   /* the archive's path */
    push_size(L, x->limit);
    const char *msg = lua_pushfstring(L, "%s: more than %s decompressed, the limit against decompression "
                                      "bombs (opts.limit raises it)", lua_tostring(L, -2), lua_tostring(L, -1));
    fail(s, s->produced + (lua_Integer)got, msg);
    lua_pop(L, 4);
  }
  x->produced += (lua_Integer)got;
  return got;
}

/* The entry name as UTF-8: as stored when valid UTF-8, else read as CP949 (zip
 * files made on Korean Windows), a byte neither explains becoming U+FFFD. */
static void push_name(lua_State *L, Archive *x, const char *raw)
{
  size_t n = strlen(raw);
  if (gisa_utf8_valid_prefix((const unsigned char *)raw, n) == n) { lua_pushlstring(L, raw, n); return; }
  if (x->cd == NO_ICONV) x->cd = iconv_open("UTF-8", "CP949");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)raw[i];
    if (c < 0x80) { luaL_addchar(&b, (char)c); i++; continue; }
    char out[8], *in = (char *)raw + i, *o = out;
    size_t il = i + 1 < n ? 2 : 1, ol = sizeof out;
    if (x->cd != NO_ICONV && iconv(x->cd, &in, &il, &o, &ol) != (size_t)-1 && il == 0) {
      luaL_addlstring(&b, out, (size_t)(o - out));
      i += 2;
    } else {
      if (x->cd != NO_ICONV) iconv(x->cd, NULL, NULL, NULL, NULL);
      luaL_addstring(&b, "\xEF\xBF\xBD");
      i++;
    }
  }
  luaL_pushresult(&b);
}

static const char *entry_raw_name(struct archive_entry *e)
{
  const char *p = archive_entry_pathname(e);
  if (p == NULL) p = archive_entry_pathname_utf8(e);
  return p;
}

/* The next header, with names read in a UTF-8 locale for this thread only:
 * in the C locale libarchive drops every name it would have to convert. */
static int next_header(Archive *x, struct archive_entry **e)
{
  locale_t old = x->utf8 ? uselocale(x->utf8) : (locale_t)0;
  int r = archive_read_next_header(x->a, e);
  if (x->utf8) uselocale(old);
  return r;
}

/* The iterator of zio.entries: upvalue 1 the archive userdata. */
static int entries_next(lua_State *L)
{
  Archive *x = (Archive *)luaL_checkudata(L, lua_upvalueindex(1), ARCHIVE_MT);
  if (x->done || x->a == NULL) return 0;
  x->gen++;
  for (;;) {
    struct archive_entry *e = NULL;
    int r;
    if (x->pending) { r = x->pending_r; e = x->pending_e; x->pending = 0; }
    else r = next_header(x, &e);
    if (r == ARCHIVE_EOF) { archive_close(x); return 0; }
    const char *raw = e ? entry_raw_name(e) : NULL;
    if (r == ARCHIVE_FATAL || r < ARCHIVE_WARN) {
      const char *why = archive_error_string(x->a);
      lua_Integer off = (lua_Integer)archive_filter_bytes(x->a, -1);
      if (raw && r != ARCHIVE_FATAL) push_name(L, x, raw);
      else {
        lua_getiuservalue(L, lua_upvalueindex(1), 1);
      }
      lua_pushnil(L);
      if (r == ARCHIVE_FATAL) {
        lua_pushfstring(L, "damaged archive near byte %I: %s; the entries after it are not read", off,
                        why ? why : "read error");
        archive_close(x);
      } else {
        lua_pushfstring(L, "damaged entry: %s", why ? why : "read error");
      }
      return 3;
    }
    if (archive_entry_filetype(e) != AE_IFREG || raw == NULL) continue;
    push_name(L, x, raw);
    if (archive_entry_is_encrypted(e)) {
      lua_pushnil(L);
      lua_pushliteral(L, "encrypted entry, not read");
      return 3;
    }
    Stream *s = stream_new(L, -1);
    s->kind = K_ENTRY;
    s->arc = x;
    s->gen = x->gen;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setiuservalue(L, -2, 2);   /* the stream keeps its archive alive */
    return 2;
  }
}

/* zio.entries(path [, opts]) -> iterator of name, stream | nil, message
 * The regular files of a zip or tar archive (compressed or not) in archive
 * order; an entry's stream is read before the next step. A damaged entry
 * gives name, nil, message, and iteration goes on. The fourth value closes the
 * archive when a generic for ends early. */
static int zio_entries(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  lua_Integer limit = opt_limit(L, 2);
  lua_settop(L, 1);
  Archive *x = (Archive *)lua_newuserdatauv(L, sizeof(Archive), 1);
  memset(x, 0, sizeof *x);
  x->cd = NO_ICONV;
  x->limit = limit;
  x->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  luaL_setmetatable(L, ARCHIVE_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  x->a = archive_read_new();
  if (x->a == NULL) return luaL_error(L, "not enough memory");
  archive_read_support_filter_all(x->a);
  archive_read_support_format_zip(x->a);
  archive_read_support_format_tar(x->a);
  int std = strcmp(path, "-") == 0;
  int r = archive_read_open_filename(x->a, std ? NULL : path, 65536);
  if (r == ARCHIVE_OK) {   /* the format is known at the first header */
    x->pending = 1;
    x->pending_r = next_header(x, &x->pending_e);
    r = x->pending_r == ARCHIVE_FATAL && archive_format(x->a) == 0 ? ARCHIVE_FATAL : ARCHIVE_OK;
  }
  if (r != ARCHIVE_OK) {
    const char *why = archive_error_string(x->a);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: not a zip or tar archive (%s)", std ? "(stdin)" : path, why ? why : "unreadable");
    archive_close(x);
    return 2;
  }
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, entries_next, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, 2);
  return 4;
}

/* archive:close() via the for loop's closing value */
static int archive_closem(lua_State *L)
{
  archive_close((Archive *)luaL_checkudata(L, 1, ARCHIVE_MT));
  return 0;
}

/* ------------------------------------------------------------------------ */

static const luaL_Reg zio_funcs[] = {
  {"kind", zio_kind},
  {"open", zio_open},
  {"entries", zio_entries},
  {NULL, NULL}
};

static const luaL_Reg stream_methods[] = {
  {"read", stream_read},
  {"kind", stream_kind},
  {"close", stream_closem},
  {NULL, NULL}
};

static const luaL_Reg stream_meta[] = {
  {"__gc", stream_closem},
  {"__close", stream_closem},
  {"__tostring", stream_tostring},
  {NULL, NULL}
};

static const luaL_Reg archive_meta[] = {
  {"__gc", archive_gc},
  {"__close", archive_closem},
  {"__tostring", archive_tostring},
  {NULL, NULL}
};

int luaopen_gisa_zio(lua_State *L)
{
  luaL_newmetatable(L, STREAM_MT);
  luaL_setfuncs(L, stream_meta, 0);
  luaL_newlib(L, stream_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, ARCHIVE_MT);
  luaL_setfuncs(L, archive_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, zio_funcs);
  return 1;
}
