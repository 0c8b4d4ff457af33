/* test_plain.c: lines.plain on texts long enough for its vector paths (64-byte
 * blocks, AVX2 or 16-byte vectors, then the byte loop), with the one byte that
 * makes a text not plain at every position. */
#include "unit.h"
#include "gisa.h"

TEST(plain_every_control_byte_at_every_position)
{
  luaL_requiref(L, "gisa.lines", luaopen_gisa_lines, 0);   /* the harness does not preload it */
  lua_pop(L, 1);
  CHECK(LUA("local plain = require('gisa.lines').plain\n"
            "local base = ('기사 본문\\t한 줄.\\n'):rep(12)   -- 288 bytes, tabs and LFs\n"
            "assert(#base > 200)\n"
            "local bad = {}\n"
            "if not plain(base) then bad[#bad + 1] = 'base' end\n"
            "local ctrl = { 0, 1, 8, 11, 12, 13, 27, 31, 127 }\n"
            "for pos = 1, #base do\n"
            "  for _, c in ipairs(ctrl) do\n"
            "    local s = base:sub(1, pos - 1) .. string.char(c) .. base:sub(pos)\n"
            "    if plain(s) then bad[#bad + 1] = pos .. ':' .. c end\n"
            "  end\n"
            "  for _, c in ipairs({ 9, 10, 32, 126 }) do\n"
            "    local s = base:sub(1, pos - 1) .. string.char(c) .. base:sub(pos)\n"
            "    local want = utf8.len(s) ~= nil\n"
            "    if plain(s) ~= want then bad[#bad + 1] = pos .. ':' .. c .. '?' end\n"
            "  end\n"
            "end\n"
            "if plain('\\xEF\\xBB\\xBF' .. base) then bad[#bad + 1] = 'BOM' end\n"
            "if plain(base .. '\\xFF') then bad[#bad + 1] = 'not UTF-8' end\n"
            "return table.concat(bad, ' ')") == 1);
  CHECK_STR(lua_tostring(L, -1), "");
}
