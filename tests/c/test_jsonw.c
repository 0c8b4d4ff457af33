/* test_jsonw.c: the JSON writer built with its portable scanner (what a machine
 * without SSE2 runs) writes the same text as the module built for this one. */
#define JSONW_PORTABLE 1
#define luaopen_gisa_jsonw luaopen_jsonw_portable
#include "jsonw.c"
#undef luaopen_gisa_jsonw
#include "unit.h"

int luaopen_gisa_jsonw(lua_State *L);

TEST(jsonw_portable_scanner_mask)
{
  (void)L;
  char block[16];
  for (int c = 0; c < 256; c++) {
    for (int at = 0; at < 16; at += 5) {
      memset(block, 'a', sizeof block);
      block[at] = (char)c;
      unsigned want = escape_of[c] ? 1u << at : 0;
      CHECK(escape_mask16(block) == want);
    }
  }
  memcpy(block, "\"x\\y\x1f\x7f\x80\xff abcdefgh", 16);
  CHECK(escape_mask16(block) == (1u | 4u | 16u | 32u));
}

TEST(jsonw_portable_same_text)
{
  luaL_requiref(L, "gisa.jsonw", luaopen_gisa_jsonw, 0);
  luaL_requiref(L, "jsonw_portable", luaopen_jsonw_portable, 0);
  lua_pop(L, 2);
  int n = LUA(
    "local a, b = require 'gisa.jsonw', require 'jsonw_portable'\n"
    "local bad = 0\n"
    "for len = 0, 70 do\n"
    "  for c = 0, 255 do\n"
    "    for _, at in ipairs({ 1, 15, 16, 17, 32, 33, len }) do\n"
    "      if at >= 1 and at <= len then\n"
    "        local s = ('\\u{AC00}x'):rep(len):sub(1, len - 1)\n"
    "        s = s:sub(1, at - 1) .. string.char(c) .. s:sub(at)\n"
    "        if a.quote(s) ~= b.quote(s) then bad = bad + 1 end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local v = { text = 'a\"b\\n', type = 'para', line = 3, list = { 1.5, true, 'x' } }\n"
    "local rank = { type = 1, text = 2 }\n"
    "if a.encode(v, nil, rank) ~= b.encode(v, nil, rank) then bad = bad + 1 end\n"
    "if a.encode(v, nil, rank, '', '  ') ~= b.encode(v, nil, rank, '', '  ') then bad = bad + 1 end\n"
    "return bad, b.encode(v, nil, rank)");
  CHECK(n == 2);
  if (n == 2) {
    CHECK(lua_tointeger(L, -2) == 0);
    CHECK_STR(lua_tostring(L, -1), "{\"type\":\"para\",\"text\":\"a\\\"b\\n\",\"line\":3,\"list\":[1.5,true,\"x\"]}");
  }
}
