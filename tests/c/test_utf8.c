/* test_utf8.c: the shared strict UTF-8 decoder (src/utf8.h). */
#include "unit.h"
#include "utf8.h"

static int dec(const char *s, size_t n, uint32_t *cp)
{
  return gisa_utf8_decode((const unsigned char *)s, n, cp);
}

TEST(utf8_decode_valid)
{
  (void)L;
  uint32_t cp;
  CHECK(dec("A", 1, &cp) == 1 && cp == 0x41);
  CHECK(dec("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);
  CHECK(dec("\xEA\xB0\x80", 3, &cp) == 3 && cp == 0xAC00);          /* 가 */
  CHECK(dec("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
  CHECK(dec("\xF4\x8F\xBF\xBF", 4, &cp) == 4 && cp == 0x10FFFF);
}

TEST(utf8_decode_invalid_maximal_subpart)
{
  (void)L;
  uint32_t cp;
  CHECK(dec("\xC0\x80", 2, &cp) == 0 && cp == 1);          /* overlong */
  CHECK(dec("\xED\xA0\x80", 3, &cp) == 0 && cp == 1);      /* surrogate */
  CHECK(dec("\xE0\x80\x80", 3, &cp) == 0 && cp == 1);      /* overlong 3-byte */
  CHECK(dec("\xEA\xB0", 2, &cp) == 0 && cp == 2);          /* truncated */
  CHECK(dec("\xF0\x9F\x98", 3, &cp) == 0 && cp == 3);
  CHECK(dec("\xF4\x90\x80\x80", 4, &cp) == 0 && cp == 1);  /* > U+10FFFF */
  CHECK(dec("\xFF", 1, &cp) == 0 && cp == 1);
  CHECK(dec("\x80", 1, &cp) == 0 && cp == 1);
}

TEST(utf8_valid_prefix)
{
  (void)L;
  const char *s = "abcdefghij\xEA\xB0\x80xyz\xFF";
  CHECK(gisa_utf8_valid_prefix((const unsigned char *)s, strlen(s)) == 16);
  CHECK(gisa_utf8_valid_prefix((const unsigned char *)"", 0) == 0);
}

TEST(utf8_encode_roundtrip)
{
  (void)L;
  char buf[4];
  uint32_t cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF };
  for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
    uint32_t back;
    int n = gisa_utf8_encode(cps[i], buf);
    CHECK(dec(buf, (size_t)n, &back) == n && back == cps[i]);
  }
}
