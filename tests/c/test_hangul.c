/* test_hangul.c: gisa.hangul and gisa.hash from C, in a bare Lua state:
 * the lazy strip_josa stub (gisa.josa not on package.path at luaopen time),
 * and the xxHash64 reference vectors. */
#include "unit.h"

TEST(hangul_decompose_from_c)
{
  CHECK(LUA("return require('gisa.hangul').decompose('값과 뷁')") == 1);
  CHECK_STR(lua_tostring(L, -1), "ㄱㅏㅂㅅㄱㅗㅏ ㅂㅜㅔㄹㄱ");
  CHECK(LUA("return require('gisa.hangul').compose('ㄷㅏㄹㄱㅏ ㄷㅏㄹㄱ')") == 1);
  CHECK_STR(lua_tostring(L, -1), "달가 닭");
}

TEST(hangul_strip_josa_stub_without_path)
{
  /* nothing on package.path: the stub raises require's own message */
  CHECK(LUA("package.path = './nonexistent/?.lua'\n"
            "local h = require 'gisa.hangul'\n"
            "local ok, err = pcall(h.strip_josa, '정부가')\n"
            "return ok, err") == 2);
  CHECK(!lua_toboolean(L, -2));
  CHECK(strstr(lua_tostring(L, -1), "module 'gisa.josa' not found") != NULL);
}

TEST(hangul_strip_josa_stub_loads_later)
{
  /* gisa.hangul loaded first, the path set afterwards (stock lua5.4 usage) */
  CHECK(LUA("package.path = './nonexistent/?.lua'\n"
            "local h = require 'gisa.hangul'\n"
            "local strip = h.strip_josa\n"
            "package.path = './lua/?.lua'\n"
            "local a, b = strip('정부가')\n"
            "local c, d = strip('고양이')\n"
            "return a, b, c, tostring(d)") == 4);
  CHECK_STR(lua_tostring(L, -4), "정부");
  CHECK_STR(lua_tostring(L, -3), "가");
  CHECK_STR(lua_tostring(L, -2), "고양이");
  CHECK_STR(lua_tostring(L, -1), "nil");
}

TEST(hash_xxh64_reference_vectors)
{
  CHECK(LUA("local h = require 'gisa.hash'\n"
            "return string.format('%016x %016x %016x %016x', h.hash64(''), h.hash64('a'),"
            " h.hash64('abc'), h.hash64('Nobody inspects the spammish repetition'))") == 1);
  CHECK_STR(lua_tostring(L, -1), "ef46db3751d8e999 d24ec4f1a98c6e5b 44bc2cf5ad770999 fbcea83c8a378bf1");
}
