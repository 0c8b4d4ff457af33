/*
 * utf8.h: one strict UTF-8 decoder shared by the C modules.
 * Strict as in Unicode 15 table 3-7 (no overlongs, no surrogates, max U+10FFFF),
 * which is also what Lua's utf8 library accepts in its default (strict) mode.
 */
#ifndef GISA_UTF8_H
#define GISA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s[0..n). Returns its length (1-4) and stores it in
 * *cp, or returns 0 when s does not start with a valid sequence; then *cp is
 * the length of the maximal invalid subpart (W3C/WHATWG: at least 1). */
static inline int gisa_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  unsigned c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2 || c > 0xF4) { *cp = 1; return 0; }
  if (c < 0xE0) {
    if (n < 2 || (s[1] & 0xC0) != 0x80) { *cp = 1; return 0; }
    *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  {
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (n < 2 || s[1] < lo || s[1] > hi) { *cp = 1; return 0; }
    if (c < 0xF0) {
      if (n < 3 || (s[2] & 0xC0) != 0x80) { *cp = 2; return 0; }
      *cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      return 3;
    }
    if (n < 3 || (s[2] & 0xC0) != 0x80) { *cp = 2; return 0; }
    if (n < 4 || (s[3] & 0xC0) != 0x80) { *cp = 3; return 0; }
    *cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
  }
}

/* Encode cp (<= 0x10FFFF) into buf; returns the length. */
static inline int gisa_utf8_encode(uint32_t cp, char *buf)
{
  if (cp < 0x80) { buf[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    buf[0] = (char)(0xC0 | (cp >> 6)); buf[1] = (char)(0x80 | (cp & 0x3F)); return 2;
  }
  if (cp < 0x10000) {
    buf[0] = (char)(0xE0 | (cp >> 12)); buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  buf[0] = (char)(0xF0 | (cp >> 18)); buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); buf[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ---- Validation at speed -------------------------------------------------
 * gisa_utf8_validate checks whole 64-byte chunks with SIMD where the CPU has it
 * (x86-64 with AVX2 or SSSE3, chosen at run time), by the lookup method of
 * Keiser & Lemire, "Validating UTF-8 in less than one instruction per byte"
 * (2021). The scalar decoder above then does the tail, and finds the exact
 * place of an error: it alone decides every position we report. */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GISA_UTF8_SIMD 1
#include <immintrin.h>

/* one bit for each kind of bad byte pair */
enum {
  GISA_U8_TOO_SHORT = 1 << 0, GISA_U8_TOO_LONG = 1 << 1, GISA_U8_OVERLONG3 = 1 << 2,
  GISA_U8_TOO_LARGE = 1 << 3, GISA_U8_SURROGATE = 1 << 4, GISA_U8_OVERLONG2 = 1 << 5,
  GISA_U8_TOO_LARGE1000 = 1 << 6, GISA_U8_OVERLONG4 = 1 << 6, GISA_U8_TWO_CONTS = 1 << 7,
  GISA_U8_CARRY = GISA_U8_TOO_SHORT | GISA_U8_TOO_LONG | GISA_U8_TWO_CONTS,
  GISA_U8_BIG = GISA_U8_CARRY | GISA_U8_TOO_LARGE | GISA_U8_TOO_LARGE1000,
  GISA_U8_CONT = GISA_U8_TOO_LONG | GISA_U8_OVERLONG2 | GISA_U8_TWO_CONTS
};
/* tables indexed by the previous byte's high nibble, its low nibble, and the
 * current byte's high nibble; a pair is bad when the three share a bit */
#define GISA_U8_B(x) ((char)(x))   /* a table byte (0x80 does not fit a signed char) */
#define GISA_U8_T1 \
  GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TOO_LONG), \
  GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TOO_LONG), \
  GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TOO_LONG), GISA_U8_B(GISA_U8_TWO_CONTS), \
  GISA_U8_B(GISA_U8_TWO_CONTS), GISA_U8_B(GISA_U8_TWO_CONTS), GISA_U8_B(GISA_U8_TWO_CONTS), \
  GISA_U8_B(GISA_U8_TOO_SHORT | GISA_U8_OVERLONG2), GISA_U8_B(GISA_U8_TOO_SHORT), \
  GISA_U8_B(GISA_U8_TOO_SHORT | GISA_U8_OVERLONG3 | GISA_U8_SURROGATE), \
  GISA_U8_B(GISA_U8_TOO_SHORT | GISA_U8_TOO_LARGE | GISA_U8_TOO_LARGE1000 | GISA_U8_OVERLONG4)
#define GISA_U8_T2 \
  GISA_U8_B(GISA_U8_CARRY | GISA_U8_OVERLONG3 | GISA_U8_OVERLONG2 | GISA_U8_OVERLONG4), \
  GISA_U8_B(GISA_U8_CARRY | GISA_U8_OVERLONG2), GISA_U8_B(GISA_U8_CARRY), \
  GISA_U8_B(GISA_U8_CARRY), GISA_U8_B(GISA_U8_CARRY | GISA_U8_TOO_LARGE), \
  GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG), \
  GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG), \
  GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG | GISA_U8_SURROGATE), \
  GISA_U8_B(GISA_U8_BIG), GISA_U8_B(GISA_U8_BIG)
#define GISA_U8_T3 \
  GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), \
  GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), \
  GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), \
  GISA_U8_B(GISA_U8_CONT | GISA_U8_OVERLONG3 | GISA_U8_TOO_LARGE1000 | GISA_U8_OVERLONG4), \
  GISA_U8_B(GISA_U8_CONT | GISA_U8_OVERLONG3 | GISA_U8_TOO_LARGE), \
  GISA_U8_B(GISA_U8_CONT | GISA_U8_SURROGATE | GISA_U8_TOO_LARGE), \
  GISA_U8_B(GISA_U8_CONT | GISA_U8_SURROGATE | GISA_U8_TOO_LARGE), \
  GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), GISA_U8_B(GISA_U8_TOO_SHORT), \
  GISA_U8_B(GISA_U8_TOO_SHORT)

/* Error bits of the 16 bytes `in` that follow the 16 bytes `prev`. */
__attribute__((target("ssse3")))
static inline __m128i gisa_u8_check16(__m128i in, __m128i prev)
{
  const __m128i t1 = _mm_setr_epi8(GISA_U8_T1), t2 = _mm_setr_epi8(GISA_U8_T2),
                t3 = _mm_setr_epi8(GISA_U8_T3), nib = _mm_set1_epi8(0x0F);
  __m128i p1 = _mm_alignr_epi8(in, prev, 15);
  __m128i sc = _mm_and_si128(
      _mm_and_si128(_mm_shuffle_epi8(t1, _mm_and_si128(_mm_srli_epi16(p1, 4), nib)),
                    _mm_shuffle_epi8(t2, _mm_and_si128(p1, nib))),
      _mm_shuffle_epi8(t3, _mm_and_si128(_mm_srli_epi16(in, 4), nib)));
  /* a byte two or three after a 3- or 4-byte lead must be a continuation */
  __m128i m23 = _mm_or_si128(
      _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8((char)(0xE0 - 0x80))),
      _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8((char)(0xF0 - 0x80))));
  return _mm_xor_si128(_mm_and_si128(m23, _mm_set1_epi8((char)0x80)), sc);
}

/* Continuation bytes (0x80..0xBF) in 16 bytes. */
__attribute__((target("ssse3,popcnt")))
static inline size_t gisa_u8_conts16(__m128i v)
{
  return (size_t)__builtin_popcount(
      (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64))));
}

/* Whole 64-byte chunks of s[0..n) while each is valid; returns the start of the
 * first chunk not accepted and adds the continuation bytes before it to *conts.
 * A sequence left open at the returned position is not checked. */
__attribute__((target("ssse3,popcnt")))
static size_t gisa_u8_chunks_ssse3(const unsigned char *s, size_t n, size_t *conts)
{
  __m128i prev = _mm_setzero_si128();
  size_t i = 0, c = 0;
  for (; i + 64 <= n; i += 64) {
    __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
    __m128i d = _mm_loadu_si128((const __m128i *)(s + i + 32));
    __m128i e = _mm_loadu_si128((const __m128i *)(s + i + 48));
    __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(d, e));
    if (_mm_movemask_epi8(any) == 0) {          /* all ASCII: only the seam */
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(gisa_u8_check16(a, prev), _mm_setzero_si128()))
          != 0xFFFF) break;
    } else {
      __m128i err = _mm_or_si128(_mm_or_si128(gisa_u8_check16(a, prev), gisa_u8_check16(b, a)),
                                 _mm_or_si128(gisa_u8_check16(d, b), gisa_u8_check16(e, d)));
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) != 0xFFFF) break;
      c += gisa_u8_conts16(a) + gisa_u8_conts16(b) + gisa_u8_conts16(d) + gisa_u8_conts16(e);
    }
    prev = e;
  }
  *conts += c;
  return i;
}

/* The same with 32-byte AVX2 registers (two per chunk). */
__attribute__((target("avx2,popcnt")))
static inline __m256i gisa_u8_check32(__m256i in, __m256i prev)
{
  const __m256i t1 = _mm256_setr_epi8(GISA_U8_T1, GISA_U8_T1),
                t2 = _mm256_setr_epi8(GISA_U8_T2, GISA_U8_T2),
                t3 = _mm256_setr_epi8(GISA_U8_T3, GISA_U8_T3), nib = _mm256_set1_epi8(0x0F);
  __m256i sh = _mm256_permute2x128_si256(prev, in, 0x21);   /* prev.hi : in.lo */
  __m256i p1 = _mm256_alignr_epi8(in, sh, 15);
  __m256i sc = _mm256_and_si256(
      _mm256_and_si256(_mm256_shuffle_epi8(t1, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
                       _mm256_shuffle_epi8(t2, _mm256_and_si256(p1, nib))),
      _mm256_shuffle_epi8(t3, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib)));
  __m256i m23 = _mm256_or_si256(
      _mm256_subs_epu8(_mm256_alignr_epi8(in, sh, 14), _mm256_set1_epi8((char)(0xE0 - 0x80))),
      _mm256_subs_epu8(_mm256_alignr_epi8(in, sh, 13), _mm256_set1_epi8((char)(0xF0 - 0x80))));
  return _mm256_xor_si256(_mm256_and_si256(m23, _mm256_set1_epi8((char)0x80)), sc);
}

__attribute__((target("avx2,popcnt")))
static size_t gisa_u8_chunks_avx2(const unsigned char *s, size_t n, size_t *conts)
{
  __m256i prev = _mm256_setzero_si256();
  const __m256i c64 = _mm256_set1_epi8(-64);
  size_t i = 0, c = 0;
  for (; i + 64 <= n; i += 64) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(s + i + 32));
    if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
      __m256i err = gisa_u8_check32(a, prev);
      if (!_mm256_testz_si256(err, err)) break;
    } else {
      __m256i err = _mm256_or_si256(gisa_u8_check32(a, prev), gisa_u8_check32(b, a));
      if (!_mm256_testz_si256(err, err)) break;
      c += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(c64, a)))
         + (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(c64, b)));
    }
    prev = b;
  }
  *conts += c;
  return i;
}
#endif

/* The scalar loop: validates s[i..n) and counts code points into *nchars;
 * returns n, or the offset of the first invalid sequence. */
static inline size_t gisa_utf8_scan(const unsigned char *s, size_t i, size_t n, size_t *nchars)
{
  size_t k = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      while (i + 8 <= n) {
        uint64_t w;
        __builtin_memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8; k += 8;
      }
      while (i < n && s[i] < 0x80) { i++; k++; }
      continue;
    }
    uint32_t cp;
    int len = gisa_utf8_decode(s + i, n - i, &cp);
    if (len == 0) break;
    i += (size_t)len; k++;
  }
  *nchars += k;
  return i < n ? i : n;
}

/* Length of the longest valid prefix of s[0..n) (n when all is valid); when
 * nchars is not NULL, stores the number of code points in that prefix. */
static inline size_t gisa_utf8_validate(const unsigned char *s, size_t n, size_t *nchars)
{
  size_t i = 0, chars = 0;
#ifdef GISA_UTF8_SIMD
  if (n >= 64) {
    size_t conts = 0;
    if (__builtin_cpu_supports("avx2")) i = gisa_u8_chunks_avx2(s, n, &conts);
    else if (__builtin_cpu_supports("ssse3")) i = gisa_u8_chunks_ssse3(s, n, &conts);
    chars = i - conts;
    /* back to the start of a character the chunks left open: at most 3 bytes,
     * and a lead whose sequence ends before i was complete */
    if (i > 0) {
      size_t j = i;
      while (j > 0 && i - j < 3 && (s[j - 1] & 0xC0) == 0x80) j--;
      if (j > 0 && s[j - 1] >= 0xC0) {
        unsigned c = s[j - 1];
        size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (j - 1 + want > i) { i = j - 1; chars--; }
      }
    }
  }
#endif
  i = gisa_utf8_scan(s, i, n, &chars);
  if (nchars) *nchars = chars;
  return i;
}

/* Length of the longest valid UTF-8 prefix of s[0..n). */
static inline size_t gisa_utf8_valid_prefix(const unsigned char *s, size_t n)
{
  return gisa_utf8_validate(s, n, NULL);
}

#endif
