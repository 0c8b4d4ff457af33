/* test_zio.c: gisa.zio through the Lua API, on gzip data made here with zlib. */
#include <stdlib.h>
#include <zlib.h>
#include "unit.h"

/* Write n bytes of text gzipped (level 6) to path; returns the compressed size. */
static long write_gz(const char *path, const char *text, size_t n)
{
  gzFile f = gzopen(path, "wb6");
  if (!f) return -1;
  gzwrite(f, text, (unsigned)n);
  gzclose(f);
  FILE *g = fopen(path, "rb");
  if (!g) return -1;
  fseek(g, 0, SEEK_END);
  long size = ftell(g);
  fclose(g);
  return size;
}

TEST(zio_gzip_roundtrip_and_truncation)
{
  size_t n = 300000;
  char *text = malloc(n);
  for (size_t i = 0; i < n; i++) text[i] = (char)("가나다 라마\n"[i % 16]);
  const char *path = "/tmp/gisa-unit-zio.gz";
  long size = write_gz(path, text, n);
  CHECK(size > 0);
  lua_pushlstring(L, text, n);
  lua_setglobal(L, "want");
  free(text);
  CHECK(LUA("local zio = require 'gisa.zio'\n"
            "local s <close> = assert(zio.open('/tmp/gisa-unit-zio.gz'))\n"
            "local t = {}\n"
            "for piece in function() return s:read(4096) end do t[#t + 1] = piece end\n"
            "return table.concat(t) == want, s:kind(), s:read()") == 3);
  CHECK(lua_toboolean(L, -3));
  CHECK_STR(lua_tostring(L, -2), "gzip");
  CHECK(lua_isnil(L, -1));
  /* cut in the middle: data first, then the offset of the end */
  CHECK(LUA("local zio = require 'gisa.zio'\n"
            "local f = io.open('/tmp/gisa-unit-zio.gz', 'rb'); local all = f:read('a'); f:close()\n"
            "f = io.open('/tmp/gisa-unit-zio.gz', 'wb'); f:write(all:sub(1, #all // 2)); f:close()\n"
            "local s = assert(zio.open('/tmp/gisa-unit-zio.gz'))\n"
            "local got = 0\n"
            "while true do\n"
            "  local b, msg, off = s:read(1000)\n"
            "  if not b then os.remove('/tmp/gisa-unit-zio.gz'); return got > 0, msg, off == #all // 2 end\n"
            "  got = got + #b\n"
            "end") == 3);
  CHECK(lua_toboolean(L, -3));
  CHECK(strncmp(lua_tostring(L, -2), "truncated gzip stream at byte ", 30) == 0);
  CHECK(lua_toboolean(L, -1));
}

TEST(zio_tostring_and_close)
{
  CHECK(LUA("local zio = require 'gisa.zio'\n"
            "local s = assert(zio.open('/dev/null'))\n"
            "local a = tostring(s)\n"
            "local eof = s:read()\n"
            "s:close()\n"
            "return a .. '|' .. tostring(eof) .. '|' .. tostring(s)") == 1);
  CHECK_STR(lua_tostring(L, -1),
            "gisa.zio stream (plain, /dev/null)|nil|gisa.zio stream (closed, /dev/null)");
}
