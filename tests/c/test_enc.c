/* test_enc.c: gisa.enc through the Lua API, as the C host sees it. */
#include "unit.h"

static int lua_true(lua_State *L, int *fails_, const char *code)
{
  int n = unit_lua(L, fails_, code);
  int ok = n >= 1 && lua_toboolean(L, -n);
  if (n > 0) lua_pop(L, n);
  return ok;
}
#define TRUE_(code) lua_true(L, fails_, code)

TEST(enc_detect_boms_and_utf8)
{
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\xFF\\xFEa\\0')) == 'utf-16le'"));
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\xFE\\xFF\\0a')) == 'utf-16be'"));
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\xEF\\xBB\\xBFabc')) == 'utf-8'"));
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\xFF\\xFE\\0\\0a\\0\\0\\0')) == 'utf-32le'"));
  CHECK(TRUE_("local e = require 'gisa.enc'; local n, c, ev = e.detect('한국어 기사') "
              "return n == 'utf-8' and c == 1 and ev:find('valid UTF%-8') ~= nil"));
}

TEST(enc_detect_cp949_and_euckr)
{
  /* 기사 제목 in EUC-KR; 똠 (8C 63) is only in CP949 */
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\xB1\\xE2\\xBB\\xE7 \\xC1\\xA6\\xB8\\xF1')) == 'euc-kr'"));
  CHECK(TRUE_("local e = require 'gisa.enc'; return (e.detect('\\x8C\\x63\\xB9\\xE6 \\xB1\\xE2\\xBB\\xE7')) == 'cp949'"));
}

TEST(enc_decode_report)
{
  CHECK(TRUE_("local e = require 'gisa.enc'; local s, r = e.decode('a\\r\\nb\\xFFc', 'utf-8') "
              "return s == 'a\\nb\\u{FFFD}c' and r.replaced == 1 and r.first_bad == 5 and r.newlines == 1"));
  CHECK(TRUE_("local e = require 'gisa.enc'; local s, r = e.decode('\\xB0\\xA1\\0\\xB3', 'cp949') "
              "return s == '가\\u{FFFD}' and r.nuls == 1 and r.first_nul == 3 and r.truncated == 4"));
  CHECK(TRUE_("local e = require 'gisa.enc'; local s, m, off = e.decode('\\0\\1\\2\\3\\4\\5\\6\\7') "
              "return s == nil and m:find('^binary data') and off == 1"));
}

TEST(enc_convert_errors)
{
  CHECK(TRUE_("local e = require 'gisa.enc'; local s, m, off = e.convert('ab©', 'utf-8', 'euc-kr') "
              "return s == nil and m == 'U+00A9 cannot be represented in euc-kr' and off == 3"));
  CHECK(TRUE_("local e = require 'gisa.enc'; return not pcall(e.convert, 'a', 'no-such', 'utf-8')"));
}

TEST(enc_converter_gc_and_close)
{
  /* many converters left to the collector: __gc closes each iconv handle */
  CHECK(TRUE_("local e = require 'gisa.enc'; for i = 1, 2000 do local h = e.open('cp949'); "
              "h:convert('\\xB0') end collectgarbage() return true"));
  CHECK(TRUE_("local e = require 'gisa.enc'; local h = e.open('cp949'); "
              "local a = h:convert('\\xB0'); local b = h:convert('\\xA1', true); h:close(); "
              "return a == '' and b == '가' and tostring(h):find('closed') ~= nil"));
}

TEST(enc_repair_basic)
{
  CHECK(TRUE_("local e = require 'gisa.enc'; local s, r = e.repair('Á¦¹Ì³ªÀÌ ±â¼ú') "
              "return s == '제미나이 기술' and r.count == 1 and r.kinds['cp949-as-latin1'] == 1"));
  CHECK(TRUE_("local e = require 'gisa.enc'; local x = '깨끗한 글 café'; local s, r = e.repair(x) "
              "return rawequal(s, x) and r.count == 0"));
}
