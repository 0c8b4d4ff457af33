/*
 * fuzz_zio.c: libFuzzer target for gisa.zio. The input is a file (an
 * in-memory one, /proc/self/fd/N of a memfd) read through zio.open in pieces
 * of sizes the first byte picks and walked with zio.entries; invariants that
 * must hold for any input abort the run when broken: no piece is longer than
 * asked, damage is sticky (the same nil, message, offset on every later read),
 * and a plain file comes back byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "gisa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;

static const char *check_code =
  "local zio, path, input, piece = ...\n"
  "local s, err = zio.open(path, { limit = 1 << 24 })\n"
  "assert(s or err:find('a zip archive', 1, true), err)\n"
  "local parts = {}\n"
  "while s do\n"
  "while true do\n"
  "  local b, msg, off = s:read(piece)\n"
  "  if not b then\n"
  "    local b2, msg2, off2 = s:read(piece)\n"
  "    assert(b2 == nil and msg2 == msg and off2 == off, 'damage is not sticky')\n"
  "    if msg then assert(math.type(off) == 'integer' and off >= 0, 'bad offset') end\n"
  "    break\n"
  "  end\n"
  "  assert(#b > 0 and #b <= piece, 'piece longer than asked')\n"
  "  parts[#parts + 1] = b\n"
  "end\n"
  "if s:kind() == nil then assert(table.concat(parts) == input, 'plain file changed') end\n"
  "s:close()\n"
  "break\n"
  "end\n"
  "local it = zio.entries(path, { limit = 1 << 24 })\n"
  "if it then\n"
  "  local n = 0\n"
  "  for name, e in it do\n"
  "    assert(utf8.len(name), 'entry name is not UTF-8')\n"
  "    if e then repeat local b = e:read(piece) until not b end\n"
  "    n = n + 1\n"
  "    if n > 1000 then break end\n"
  "  end\n"
  "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!L) {
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "gisa.zio", luaopen_gisa_zio, 0);
    lua_setglobal(L, "ZIO");
  }
  int fd = memfd_create("fuzz_zio", 0);
  if (fd < 0) abort();
  if (size && write(fd, data, size) != (ssize_t)size) abort();
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  if (luaL_loadstring(L, check_code) != LUA_OK) abort();
  lua_getglobal(L, "ZIO");
  lua_pushstring(L, path);
  lua_pushlstring(L, (const char *)data, size);
  lua_pushinteger(L, size ? 1 + data[0] * 37 : 1);
  if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
    fprintf(stderr, "invariant broken: %s\n", lua_tostring(L, -1));
    abort();
  }
  close(fd);
  lua_gc(L, LUA_GCCOLLECT);
  return 0;
}
