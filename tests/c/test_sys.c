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
