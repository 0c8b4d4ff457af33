/* test_text.c: the fast UTF-8 validator (src/utf8.h) against the plain decoder,
 * and gisa.text through the C API where a Lua test cannot reach. */
#include <stdlib.h>
#include "unit.h"
#include "utf8.h"

/* the reference: the scalar decoder alone */
static size_t ref_validate(const unsigned char *s, size_t n, size_t *chars)
{
  *chars = 0;
  return gisa_utf8_scan(s, 0, n, chars);
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 8) & 0xFFFFFF;
}

/* bytes chosen to hit every table entry: ASCII, continuations of each range,
 * every kind of lead, and the never-valid bytes */
static const unsigned char interesting[] = {
  0x00, 0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
  0xE0, 0xE1, 0xEA, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF
};

static int same(const unsigned char *s, size_t n)
{
  size_t c1, c2 = 0;
  size_t a = ref_validate(s, n, &c1);
  size_t b = gisa_utf8_validate(s, n, &c2);
  if (a != b || c1 != c2) {
    printf("  validate mismatch on %zu bytes: ref %zu/%zu, fast %zu/%zu\n", n, a, c1, b, c2);
    return 0;
  }
  return 1;
}

TEST(utf8_validate_matches_scalar_random)
{
  (void)L;
  static unsigned char buf[400];
  const char *ko = "\xEA\xB0\x80\xEB\x82\x98 \xEB\x8B\xA4\xEB\x9D\xBC";   /* 가나 다라 */
  int bad = 0;
  for (int iter = 0; iter < 200000 && !bad; iter++) {
    size_t n = rnd() % sizeof buf;
    /* mostly valid text with a few random bytes, so errors land at every offset */
    for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)ko[i % 13];
    int flips = (int)(rnd() % 4);
    for (int f = 0; f < flips && n; f++)
      buf[rnd() % n] = interesting[rnd() % sizeof interesting];
    if (!same(buf, n)) bad = 1;
  }
  CHECK(!bad);
}

TEST(utf8_validate_every_short_sequence_at_every_offset)
{
  (void)L;
  static unsigned char buf[200];
  int bad = 0;
  size_t ni = sizeof interesting;
  for (size_t a = 0; a < ni && !bad; a++)
    for (size_t b = 0; b < ni && !bad; b++)
      for (size_t c = 0; c < ni && !bad; c++) {
        size_t d = (a * 7 + b * 3 + c) % ni;
        for (size_t off = 56; off < 72 && !bad; off++) {
          memset(buf, 'x', sizeof buf);
          buf[off] = interesting[a]; buf[off + 1] = interesting[b];
          buf[off + 2] = interesting[c]; buf[off + 3] = interesting[d];
          if (!same(buf, sizeof buf) || !same(buf, off + 2) || !same(buf, off + 4)) bad = 1;
        }
      }
  CHECK(!bad);
}

TEST(utf8_validate_counts_and_positions)
{
  (void)L;
  static unsigned char buf[1000];
  size_t chars;
  /* 300 Hangul syllables (900 bytes), valid */
  for (int i = 0; i < 300; i++) memcpy(buf + 3 * i, "\xED\x95\x9C", 3);
  CHECK(gisa_utf8_validate(buf, 900, &chars) == 900 && chars == 300);
  /* a truncated syllable at the very end */
  CHECK(gisa_utf8_validate(buf, 899, &chars) == 897 && chars == 299);
  /* a surrogate in the third chunk */
  memcpy(buf + 150, "\xED\xA0\x80", 3);
  CHECK(gisa_utf8_validate(buf, 900, &chars) == 150 && chars == 50);
  /* an overlong NUL after ASCII */
  memset(buf, 'a', 200); buf[130] = 0xC0; buf[131] = 0x80;
  CHECK(gisa_utf8_validate(buf, 200, &chars) == 130 && chars == 130);
  /* NUL bytes are valid */
  memset(buf, 0, 200);
  CHECK(gisa_utf8_validate(buf, 200, &chars) == 200 && chars == 200);
}

#ifdef GISA_UTF8_SIMD
/* the machine may pick AVX2: check the SSSE3 chunks give the same answers */
TEST(utf8_validate_ssse3_equals_avx2)
{
  (void)L;
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("ssse3")) return;
  static unsigned char buf[512];
  int bad = 0;
  for (int iter = 0; iter < 100000 && !bad; iter++) {
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)"\xEA\xB0\x80 a\xC3\xA9"[i % 7];
    int flips = (int)(rnd() % 3);
    for (int f = 0; f < flips; f++) buf[rnd() % sizeof buf] = interesting[rnd() % sizeof interesting];
    size_t c1 = 0, c2 = 0;
    size_t a = gisa_u8_chunks_ssse3(buf, sizeof buf, &c1);
    size_t b = gisa_u8_chunks_avx2(buf, sizeof buf, &c2);
    if (a != b || c1 != c2) { bad = 1; printf("  ssse3 %zu/%zu avx2 %zu/%zu\n", a, c1, b, c2); }
  }
  CHECK(!bad);
}
#endif

int gisa_text_pushview(lua_State *L, const void *p, size_t n);

/* a view of C memory works as text and is never unmapped or freed by Lua */
TEST(text_view_of_c_memory)
{
  const char *src = "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 abc.  ";   /* 한국어 abc.  */
  size_t n = strlen(src);
  char *buf = malloc(n);                  /* exactly n bytes: no NUL after them */
  memcpy(buf, src, n);
  gisa_text_pushview(L, buf, n);
  lua_setglobal(L, "v");
  CHECK(LUA("local text = require 'gisa.text'\n"
            "local c = text.words(v, {})\n"
            "return text.len(v), text.squeeze(v), text.trim(v), c.abc, #v, v:string(1, 3)") == 6);
  CHECK(lua_tointeger(L, -6) == 10);
  CHECK_STR(lua_tostring(L, -5), "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 abc.");
  CHECK_STR(lua_tostring(L, -4), "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 abc.");
  CHECK(lua_tointeger(L, -3) == 1);
  CHECK(lua_tointeger(L, -2) == (lua_Integer)n);
  CHECK_STR(lua_tostring(L, -1), "\xED\x95\x9C");
  lua_settop(L, 0);
  lua_pushnil(L);
  lua_setglobal(L, "v");
  lua_gc(L, LUA_GCCOLLECT);
  free(buf);
}
