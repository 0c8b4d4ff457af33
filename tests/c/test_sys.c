/* test_sys.c: gisa.sys through the Lua API. */
#include "unit.h"

TEST(sys_listdir_sorted)
{
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "os.execute('rm -rf /tmp/gisa-unit-ls && mkdir -p /tmp/gisa-unit-ls && "
            "touch /tmp/gisa-unit-ls/b /tmp/gisa-unit-ls/a /tmp/gisa-unit-ls/C')\n"
            "local l = s.listdir('/tmp/gisa-unit-ls')\n"
            "os.execute('rm -rf /tmp/gisa-unit-ls')\n"
            "return table.concat(l, ',')") == 1);
  CHECK_STR(lua_tostring(L, -1), "C,a,b");
}

TEST(sys_readfile_errors)
{
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "local v, err = s.readfile('/nonexistent/x')\n"
            "return tostring(v) .. '|' .. err") == 1);
  CHECK_STR(lua_tostring(L, -1), "nil|/nonexistent/x: No such file or directory");
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "local v, err = s.readfile('/tmp')\n"
            "return err") == 1);
  CHECK_STR(lua_tostring(L, -1), "/tmp: is a directory");
}

TEST(sys_readfile_sizes)
{
  /* each side of the buffer readfile tries first, and far beyond it */
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "local p = os.tmpname()\n"
            "local bad = {}\n"
            "for _, n in ipairs({0, 1, 5000, 32767, 32768, 32769, 65536, 300001}) do\n"
            "  local t = {}\n"
            "  for i = 1, n do t[i] = string.char((i * 7 + i // 251) % 256) end\n"
            "  local want = table.concat(t)\n"
            "  local f = assert(io.open(p, 'wb')); f:write(want); f:close()\n"
            "  if s.readfile(p) ~= want then bad[#bad + 1] = n end\n"
            "end\n"
            "os.remove(p)\n"
            "return table.concat(bad, ',')") == 1);
  CHECK_STR(lua_tostring(L, -1), "");
}

TEST(sys_stat_id)
{
  /* "dev:inode", as stat(1) prints them */
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "local p = io.popen('stat -c %d:%i /tmp')\n"
            "local want = p:read('l'); p:close()\n"
            "local kind, _, _, id = s.stat('/tmp')\n"
            "return kind .. ' ' .. tostring(id == want) .. ' ' .. id") == 1);
  const char *got = lua_tostring(L, -1);
  CHECK(got && strncmp(got, "dir true ", 9) == 0);
}

TEST(sys_listdir_kinds)
{
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "os.execute('rm -rf /tmp/gisa-unit-lk && mkdir -p /tmp/gisa-unit-lk/d && "
            "touch /tmp/gisa-unit-lk/f && ln -s f /tmp/gisa-unit-lk/l && mkfifo /tmp/gisa-unit-lk/p')\n"
            "local names, kinds = s.listdir('/tmp/gisa-unit-lk', true)\n"
            "local one = select('#', s.listdir('/tmp/gisa-unit-lk'))\n"
            "os.execute('rm -rf /tmp/gisa-unit-lk')\n"
            "local out = {}\n"
            "for i, n in ipairs(names) do out[i] = n .. '=' .. tostring(kinds[i]) end\n"
            "return table.concat(out, ',') .. ' ' .. one") == 1);
  CHECK_STR(lua_tostring(L, -1), "d=dir,f=file,l=false,p=other 1");
}

TEST(sys_readfile_big)
{
  /* files of megabytes are mapped: each side of that size, and from a pipe */
  CHECK(LUA("local s = require 'gisa.sys'\n"
            "local p = os.tmpname()\n"
            "local bad = {}\n"
            "local unit = {}\n"
            "for i = 1, 4096 do unit[i] = string.char((i * 13 + i // 7) % 256) end\n"
            "unit = table.concat(unit)\n"
            "for _, n in ipairs({4 * 1048576 - 1, 4 * 1048576, 4 * 1048576 + 1, 9 * 1048576 + 7}) do\n"
            "  local want = unit:rep(n // #unit + 1):sub(1, n)\n"
            "  local f = assert(io.open(p, 'wb')); f:write(want); f:close()\n"
            "  if s.readfile(p) ~= want then bad[#bad + 1] = n end\n"
            "  os.execute('rm -f ' .. p .. '.fifo && mkfifo ' .. p .. '.fifo && (cat ' .. p .. ' > ' .. p .. '.fifo &)')\n"
            "  if s.readfile(p .. '.fifo') ~= want then bad[#bad + 1] = 'fifo' .. n end\n"
            "  os.remove(p .. '.fifo')\n"
            "end\n"
            "os.remove(p)\n"
            "return table.concat(bad, ',')") == 1);
  CHECK_STR(lua_tostring(L, -1), "");
}
