/* test_hangul.c: gisa.hangul and gisa.hash from C, in a bare Lua state:
 * no strip_josa in C (it is Lua's, gisa.josa),
 * and the xxHash64 reference vectors. */
#include "unit.h"

TEST(hangul_decompose_from_c)
{
  CHECK(LUA("return require('gisa.hangul').decompose('값과 뷁')") == 1);
  CHECK_STR(lua_tostring(L, -1), "ㄱㅏㅂㅅㄱㅗㅏ ㅂㅜㅔㄹㄱ");
  CHECK(LUA("return require('gisa.hangul').compose('ㄷㅏㄹㄱㅏ ㄷㅏㄹㄱ')") == 1);
  CHECK_STR(lua_tostring(L, -1), "달가 닭");
}

TEST(hangul_has_no_lua_up_call)
{
  /* strip_josa is Lua's (gisa.josa): the C module neither has nor loads it */
  CHECK(LUA("package.path = './nonexistent/?.lua'\n"
            "local h = require 'gisa.hangul'\n"
            "return h.strip_josa == nil, package.loaded['gisa.analysis.josa'] == nil") == 2);
  CHECK(lua_toboolean(L, -2));
  CHECK(lua_toboolean(L, -1));
}

TEST(hash_xxh64_reference_vectors)
{
  CHECK(LUA("local h = require 'gisa.hash'\n"
            "return string.format('%016x %016x %016x %016x', h.hash64(''), h.hash64('a'),"
            " h.hash64('abc'), h.hash64('Nobody inspects the spammish repetition'))") == 1);
  CHECK_STR(lua_tostring(L, -1), "ef46db3751d8e999 d24ec4f1a98c6e5b 44bc2cf5ad770999 fbcea83c8a378bf1");
}
