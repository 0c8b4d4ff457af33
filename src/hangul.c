/*
 * hangul.c: gisa.hangul, Hangul arithmetic in C: syllables to jamo and back
 * (es-hangul's disassemble/assemble), initial consonants (choseong), batchim,
 * particle choice (josa), Revised Romanization and choseong search.
 * Particle stripping (strip_josa) is not here: it is an editable word list in
 * Lua (lua/gisa/analysis/josa.lua), which the gisa library presents as hangul.strip_josa.
 * Bad data (invalid UTF-8) returns nil, message, byte position; misuse raises.
 */
#include <stdint.h>
#include <string.h>

#include "gisa.h"
#include "utf8.h"

/* ---------------------------------------------------------------- tables */

#define SBASE   0xAC00u   /* 가 */
#define SCOUNT  11172u
#define NCOUNT  588u      /* 21 vowels x 28 finals */
#define TCOUNT  28u
#define CBASE   0x3131u   /* ㄱ, first compatibility consonant */
#define CLAST   0x314Eu   /* ㅎ */
#define VBASE   0x314Fu   /* ㅏ, first compatibility vowel */
#define VLAST   0x3163u   /* ㅣ */

#define IS_SYL(c)   ((uint32_t)(c) - SBASE < SCOUNT)
#define IS_CONS(c)  ((uint32_t)(c) - CBASE <= CLAST - CBASE)
#define IS_VOWEL(c) ((uint32_t)(c) - VBASE <= VLAST - VBASE)

/* The 19 initials as compatibility jamo. */
static const uint16_t CHO_CP[19] = {
  0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145,
  0x3146, 0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E
};

/* The 28 finals (0 = none) as compatibility jamo. */
static const uint16_t JONG_CP[28] = {
  0, 0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313A,
  0x313B, 0x313C, 0x313D, 0x313E, 0x313F, 0x3140, 0x3141, 0x3142, 0x3144, 0x3145,
  0x3146, 0x3147, 0x3148, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E
};

/* Each compatibility consonant (U+3131..U+314E): its initial index (-1: not
 * an initial), final index (-1: not a final), and its two halves when it is
 * a double final that decompose splits (ㄳ = ㄱ + ㅅ). */
typedef struct { int8_t cho, jong; uint16_t a, b; } consinfo;
static const consinfo CONS[30] = {
  {0, 1, 0, 0},             /* ㄱ */
  {1, 2, 0, 0},             /* ㄲ */
  {-1, 3, 0x3131, 0x3145},  /* ㄳ */
  {2, 4, 0, 0},             /* ㄴ */
  {-1, 5, 0x3134, 0x3148},  /* ㄵ */
  {-1, 6, 0x3134, 0x314E},  /* ㄶ */
  {3, 7, 0, 0},             /* ㄷ */
  {4, -1, 0, 0},            /* ㄸ */
  {5, 8, 0, 0},             /* ㄹ */
  {-1, 9, 0x3139, 0x3131},  /* ㄺ */
  {-1, 10, 0x3139, 0x3141}, /* ㄻ */
  {-1, 11, 0x3139, 0x3142}, /* ㄼ */
  {-1, 12, 0x3139, 0x3145}, /* ㄽ */
  {-1, 13, 0x3139, 0x314C}, /* ㄾ */
  {-1, 14, 0x3139, 0x314D}, /* ㄿ */
  {-1, 15, 0x3139, 0x314E}, /* ㅀ */
  {6, 16, 0, 0},            /* ㅁ */
  {7, 17, 0, 0},            /* ㅂ */
  {8, -1, 0, 0},            /* ㅃ */
  {-1, 18, 0x3142, 0x3145}, /* ㅄ */
  {9, 19, 0, 0},            /* ㅅ */
  {10, 20, 0, 0},           /* ㅆ */
  {11, 21, 0, 0},           /* ㅇ */
  {12, 22, 0, 0},           /* ㅈ */
  {13, -1, 0, 0},           /* ㅉ */
  {14, 23, 0, 0},           /* ㅊ */
  {15, 24, 0, 0},           /* ㅋ */
  {16, 25, 0, 0},           /* ㅌ */
  {17, 26, 0, 0},           /* ㅍ */
  {18, 27, 0, 0},           /* ㅎ */
};

/* Compound vowels (jung index) split into two basic ones; 0xFF = basic.
 * ㅐ ㅔ ㅒ ㅖ stay whole, as in es-hangul. */
static const uint8_t VSPLIT[21][2] = {
  {0xFF, 0}, {0xFF, 0}, {0xFF, 0}, {0xFF, 0}, {0xFF, 0}, {0xFF, 0}, {0xFF, 0},
  {0xFF, 0}, {0xFF, 0},
  {8, 0},    /* ㅘ = ㅗ ㅏ */
  {8, 1},    /* ㅙ = ㅗ ㅐ */
  {8, 20},   /* ㅚ = ㅗ ㅣ */
  {0xFF, 0},
  {0xFF, 0},
  {13, 4},   /* ㅝ = ㅜ ㅓ */
  {13, 5},   /* ㅞ = ㅜ ㅔ */
  {13, 20},  /* ㅟ = ㅜ ㅣ */
  {0xFF, 0}, {0xFF, 0},
  {18, 20},  /* ㅢ = ㅡ ㅣ */
  {0xFF, 0},
};

/* Two basic vowels (jung indices) -> compound index, or -1. */
static int vowel_join(int a, int b)
{
  if (a == 8) return b == 0 ? 9 : b == 1 ? 10 : b == 20 ? 11 : -1;
  if (a == 13) return b == 4 ? 14 : b == 5 ? 15 : b == 20 ? 16 : -1;
  if (a == 18) return b == 20 ? 19 : -1;
  return -1;
}

/* Two basic consonants (compatibility code points) -> double final index, or -1. */
static int final_join(uint32_t a, uint32_t b)
{
  for (int j = 0; j < 30; j++)
    if (CONS[j].a == a && CONS[j].b == b) return CONS[j].jong;
  return -1;
}

/* Split one code point into basic compatibility jamo (es-hangul's disassemble):
 * a syllable, a compatibility jamo, or a modern conjoining jamo (U+1100 block,
 * as in NFD text). Returns how many were stored in out[0..4], or 0 when c is
 * something else (kept as is by the callers). */
static int jamo_split(uint32_t c, uint32_t out[5])
{
  int n = 0;
  if (IS_SYL(c)) {
    uint32_t s = c - SBASE, v = (s % NCOUNT) / TCOUNT, t = s % TCOUNT;
    out[n++] = CHO_CP[s / NCOUNT];
    if (VSPLIT[v][0] == 0xFF) out[n++] = VBASE + v;
    else { out[n++] = VBASE + VSPLIT[v][0]; out[n++] = VBASE + VSPLIT[v][1]; }
    if (t) {
      const consinfo *ci = &CONS[JONG_CP[t] - CBASE];
      if (ci->a) { out[n++] = ci->a; out[n++] = ci->b; }
      else out[n++] = JONG_CP[t];
    }
    return n;
  }
  if (IS_CONS(c)) {
    const consinfo *ci = &CONS[c - CBASE];
    if (ci->a) { out[0] = ci->a; out[1] = ci->b; return 2; }
    out[0] = c;
    return 1;
  }
  if (IS_VOWEL(c)) {
    uint32_t v = c - VBASE;
    if (VSPLIT[v][0] == 0xFF) { out[0] = c; return 1; }
    out[0] = VBASE + VSPLIT[v][0]; out[1] = VBASE + VSPLIT[v][1];
    return 2;
  }
  if (c >= 0x1100 && c <= 0x1112) { out[0] = CHO_CP[c - 0x1100]; return 1; }
  if (c >= 0x1161 && c <= 0x1175) return jamo_split(VBASE + (c - 0x1161), out);
  if (c >= 0x11A8 && c <= 0x11C2) return jamo_split(JONG_CP[c - 0x11A7], out);
  return 0;
}

/* Push nil, "invalid UTF-8", pos (1-based) and return 3. */
static int bad_utf8(lua_State *L, size_t i)
{
  lua_pushnil(L);
  lua_pushliteral(L, "invalid UTF-8");
  lua_pushinteger(L, (lua_Integer)i + 1);
  return 3;
}

static void add_cp(luaL_Buffer *b, uint32_t c)
{
  char buf[4];
  luaL_addlstring(b, buf, (size_t)gisa_utf8_encode(c, buf));
}

/* ------------------------------------------------------ decompose, compose */

/* Every compatibility jamo is U+3131..U+3163, three bytes in UTF-8. */
static inline char *put_jamo(char *p, uint32_t c)
{
  p[0] = (char)0xE3;
  p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
  p[2] = (char)(0x80 | (c & 0x3F));
  return p + 3;
}

/* Input is processed in blocks, each written straight into the buffer: one
 * input byte gives at most 5 output bytes (a 3-byte syllable, 5 jamo). */
#define BLOCK 4096

/* hangul.decompose(s) -> string | nil, msg, pos   (값 -> ㄱㅏㅂㅅ; other chars kept) */
static int hangul_decompose(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  size_t i = 0;
  luaL_buffinit(L, &b);
  while (i < n) {
    size_t stop = n - i > BLOCK ? i + BLOCK : n;
    char *out = luaL_prepbuffsize(&b, (stop - i) * 5 + 8), *p = out;
    while (i < stop) {
      unsigned c0 = s[i];
      if (c0 < 0x80) { *p++ = (char)c0; i++; continue; }
      uint32_t c;
      int k;
      /* syllables (U+AC00..U+D7A3, lead bytes EA..ED): the common case */
      if (c0 >= 0xEA && c0 <= 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
          (s[i + 2] & 0xC0) == 0x80 && (c0 != 0xED || s[i + 1] < 0xA0) &&
          IS_SYL(c = ((c0 & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu))) {
        uint32_t x = c - SBASE, v = (x % NCOUNT) / TCOUNT, t = x % TCOUNT;
        p = put_jamo(p, CHO_CP[x / NCOUNT]);
        if (VSPLIT[v][0] == 0xFF) p = put_jamo(p, VBASE + v);
        else { p = put_jamo(p, VBASE + VSPLIT[v][0]); p = put_jamo(p, VBASE + VSPLIT[v][1]); }
        if (t) {
          const consinfo *ci = &CONS[JONG_CP[t] - CBASE];
          if (ci->a) { p = put_jamo(p, ci->a); p = put_jamo(p, ci->b); }
          else p = put_jamo(p, JONG_CP[t]);
        }
        i += 3;
        continue;
      }
      k = gisa_utf8_decode(s + i, n - i, &c);
      if (k == 0) return bad_utf8(L, i);
      uint32_t jm[5];
      int m = jamo_split(c, jm);
      if (m == 0) { memcpy(p, s + i, (size_t)k); p += k; }
      else for (int q = 0; q < m; q++) p = put_jamo(p, jm[q]);
      i += (size_t)k;
    }
    luaL_addsize(&b, (size_t)(p - out));
  }
  luaL_pushresult(&b);
  return 1;
}

/* compose reads the text as a stream of basic jamo (syllables already in the
 * text are split first, so 방ㅇ + ㅔ gives 방에) with a lookahead of three. */
enum { J_OTHER = 0, J_JAMO = 1, J_PAIR1 = 2, J_PAIR2 = 4 };
typedef struct {
  const unsigned char *s;
  size_t n, i;
  uint32_t q[8];
  uint8_t fl[8];
  int head, count;
} jstream;

/* Make sure at least k+1 items are queued (or the input is exhausted). */
static void js_fill(jstream *st, int k)
{
  while (st->count <= k && st->i < st->n) {
    uint32_t c, jm[5];
    int len = gisa_utf8_decode(st->s + st->i, st->n - st->i, &c);
    if (len == 0) { c = 0xFFFD; len = 1; }   /* not reached: input is validated */
    int m = jamo_split(c, jm);
    int tail = (st->head + st->count) & 7;
    if (m == 0) {
      st->q[tail] = c; st->fl[tail] = J_OTHER; st->count++;
    } else {
      /* a lone double consonant (ㄳ) is remembered so that it can come back whole */
      int pair = m == 2 && IS_CONS(c);
      for (int x = 0; x < m; x++) {
        int at = (st->head + st->count) & 7;
        st->q[at] = jm[x];
        st->fl[at] = (uint8_t)(J_JAMO | (pair ? (x == 0 ? J_PAIR1 : J_PAIR2) : 0));
        st->count++;
      }
    }
    st->i += (size_t)len;
  }
}

static uint32_t js_peek(jstream *st, int k, int *flags)
{
  js_fill(st, k);
  if (k >= st->count) { *flags = -1; return 0; }
  *flags = st->fl[(st->head + k) & 7];
  return st->q[(st->head + k) & 7];
}

static void js_drop(jstream *st, int k)
{
  st->head = (st->head + k) & 7;
  st->count -= k;
}

#define JS_CONS(c, f)  ((f) > 0 && IS_CONS(c))
#define JS_VOWEL(c, f) ((f) > 0 && IS_VOWEL(c))

/* hangul.compose(s) -> string | nil, msg, pos   (ㄱㅏㅂㅅ -> 값, ㄷㅏㄹㄱㅏ -> 달가) */
static int hangul_compose(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  size_t ok = gisa_utf8_valid_prefix(s, n);
  if (ok < n) return bad_utf8(L, ok);
  luaL_Buffer b;
  jstream st;
  memset(&st, 0, sizeof st);
  st.s = s; st.n = n;
  luaL_buffinit(L, &b);
  for (;;) {
    int f0, f1, f2;
    uint32_t c0 = js_peek(&st, 0, &f0);
    if (f0 < 0) break;
    if (JS_CONS(c0, f0)) {
      uint32_t c1 = js_peek(&st, 1, &f1);
      if (JS_VOWEL(c1, f1) && CONS[c0 - CBASE].cho >= 0) {
        /* initial + vowel (+ second vowel) (+ final or double final) */
        int cho = CONS[c0 - CBASE].cho, v = (int)(c1 - VBASE), t = 0;
        js_drop(&st, 2);
        uint32_t c2 = js_peek(&st, 0, &f2);
        if (JS_VOWEL(c2, f2) && vowel_join(v, (int)(c2 - VBASE)) >= 0) {
          v = vowel_join(v, (int)(c2 - VBASE));
          js_drop(&st, 1);
        }
        uint32_t d0 = js_peek(&st, 0, &f0);
        if (JS_CONS(d0, f0) && CONS[d0 - CBASE].jong >= 0) {
          uint32_t d1 = js_peek(&st, 1, &f1);
          if (!JS_VOWEL(d1, f1)) {   /* a consonant before a vowel starts the next syllable */
            int dj = JS_CONS(d1, f1) ? final_join(d0, d1) : -1;
            uint32_t d2 = js_peek(&st, 2, &f2);
            if (dj >= 0 && !JS_VOWEL(d2, f2)) { t = dj; js_drop(&st, 2); }
            else { t = CONS[d0 - CBASE].jong; js_drop(&st, 1); }
          }
        }
        add_cp(&b, SBASE + ((uint32_t)cho * 21 + (uint32_t)v) * TCOUNT + (uint32_t)t);
        continue;
      }
      /* a lone consonant; a double one that came in whole goes out whole */
      if ((f0 & J_PAIR1) && (f1 & J_PAIR2) && f1 > 0) {
        int f2b;
        uint32_t c2 = js_peek(&st, 2, &f2b);
        int dj = final_join(c0, c1);
        if (dj >= 0 && !JS_VOWEL(c2, f2b)) {
          add_cp(&b, JONG_CP[dj]);
          js_drop(&st, 2);
          continue;
        }
      }
      add_cp(&b, c0);
      js_drop(&st, 1);
      continue;
    }
    if (JS_VOWEL(c0, f0)) {   /* a lone vowel, joined with the next one when they make one */
      int v = (int)(c0 - VBASE);
      js_drop(&st, 1);
      uint32_t c1 = js_peek(&st, 0, &f1);
      if (JS_VOWEL(c1, f1) && vowel_join(v, (int)(c1 - VBASE)) >= 0) {
        v = vowel_join(v, (int)(c1 - VBASE));
        js_drop(&st, 1);
      }
      add_cp(&b, VBASE + (uint32_t)v);
      continue;
    }
    add_cp(&b, c0);
    js_drop(&st, 1);
  }
  luaL_pushresult(&b);
  return 1;
}

/* ----------------------------------------------------- choseong, batchim */

/* White space as JavaScript's \s (es-hangul's getChoseong keeps it). */
static int is_space(uint32_t c)
{
  return (c >= 9 && c <= 13) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* hangul.choseong(s) -> string | nil, msg, pos
 * (initials of syllables; consonant jamo and spaces kept; the rest dropped) */
static int hangul_choseong(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  size_t i = 0;
  luaL_buffinit(L, &b);
  while (i < n) {
    size_t stop = n - i > BLOCK ? i + BLOCK : n;
    char *out = luaL_prepbuffsize(&b, (stop - i) + 8), *p = out;   /* never longer than the input */
    while (i < stop) {
      unsigned c0 = s[i];
      uint32_t c;
      if (c0 < 0x80) {
        if (c0 == ' ' || (c0 >= 9 && c0 <= 13)) *p++ = (char)c0;
        i++;
        continue;
      }
      int k = gisa_utf8_decode(s + i, n - i, &c);
      if (k == 0) return bad_utf8(L, i);
      if (IS_SYL(c)) p = put_jamo(p, CHO_CP[(c - SBASE) / NCOUNT]);
      else if (IS_CONS(c) || is_space(c)) { memcpy(p, s + i, (size_t)k); p += k; }
      else if (c >= 0x1100 && c <= 0x1112) p = put_jamo(p, CHO_CP[c - 0x1100]);
      i += (size_t)k;
    }
    luaL_addsize(&b, (size_t)(p - out));
  }
  luaL_pushresult(&b);
  return 1;
}

/* Decode the last character of s[0..n). Returns its start, or -1 when the
 * tail is not valid UTF-8 (*bad = 0-based offset of the first bad byte). */
static long last_char(const unsigned char *s, size_t n, uint32_t *c, size_t *bad)
{
  size_t start = n - 1;
  while (start > 0 && n - start < 4 && (s[start] & 0xC0) == 0x80) start--;
  int k = gisa_utf8_decode(s + start, n - start, c);
  if (k > 0 && (size_t)k == n - start) return (long)start;
  *bad = k > 0 ? start + (size_t)k : start;
  return -1;
}

/* hangul.has_batchim(s [, kind]) -> boolean | nil   (of the last character; nil
 * when it is not a Hangul syllable; kind "single", "double" or a final jamo "ㄹ") */
static int hangul_has_batchim(lua_State *L)
{
  size_t n, kl = 0;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const char *kind = luaL_optlstring(L, 2, NULL, &kl);
  int want = 0;   /* 0 any, 1 single, 2 double, 3 a given final */
  int want_t = 0;
  if (kind) {
    uint32_t kc;
    if (strcmp(kind, "single") == 0) want = 1;
    else if (strcmp(kind, "double") == 0) want = 2;
    else if (kl == 3 && gisa_utf8_decode((const unsigned char *)kind, kl, &kc) == 3 &&
             IS_CONS(kc) && CONS[kc - CBASE].jong > 0) {
      want = 3; want_t = CONS[kc - CBASE].jong;
    } else
      return luaL_argerror(L, 2, "expected \"single\", \"double\" or a final consonant");
  }
  if (n == 0) { lua_pushnil(L); return 1; }
  uint32_t c;
  size_t bad;
  if (last_char(s, n, &c, &bad) < 0) return bad_utf8(L, bad);
  if (!IS_SYL(c)) { lua_pushnil(L); return 1; }
  int t = (int)((c - SBASE) % TCOUNT);
  int dbl = t && CONS[JONG_CP[t] - CBASE].a != 0;
  switch (want) {
  case 0: lua_pushboolean(L, t != 0); break;
  case 1: lua_pushboolean(L, t != 0 && !dbl); break;
  case 2: lua_pushboolean(L, dbl); break;
  default: lua_pushboolean(L, t == want_t); break;
  }
  return 1;
}

/* ------------------------------------------------------------------- josa */

/* How the end of a word sounds, for particle choice. */
enum { END_UNKNOWN = -1, END_VOWEL = 0, END_BATCHIM = 1, END_RIEUL = 2 };

/* A final (jong index) as a josa class. */
static int end_of_final(int t)
{
  return t == 0 ? END_VOWEL : t == 8 ? END_RIEUL : END_BATCHIM;
}

/* Number as read in Sino-Korean: the last non-zero digit, or the unit that
 * its trailing zeros make (10 십, 100 백, 1000 천, 10^4 만, 10^8 억, 10^12 조, 10^16 경).
 * s[0..n) ends with an ASCII digit. */
static int end_of_number(const unsigned char *s, size_t n)
{
  /* digits read one by one: 영 일 이 삼 사 오 육 칠 팔 구 */
  static const int8_t DIGIT[10] = {
    END_BATCHIM, END_RIEUL, END_VOWEL, END_BATCHIM, END_VOWEL,
    END_VOWEL, END_BATCHIM, END_RIEUL, END_RIEUL, END_VOWEL
  };
  size_t i = n, zeros = 0;
  int last = -1;
  while (i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') || s[i - 1] == ',')) {
    i--;
    if (s[i] == ',') continue;
    if (s[i] == '0' && last < 0) zeros++;
    else if (last < 0) last = s[i] - '0';
  }
  /* after a decimal point every digit is read on its own: 3.10 -> 삼 점 일영 */
  if (i >= 2 && s[i - 1] == '.' && s[i - 2] >= '0' && s[i - 2] <= '9')
    return DIGIT[s[n - 1] - '0'];
  if (last < 0 || zeros == 0) return DIGIT[last < 0 ? 0 : last];
  if (zeros == 1) return END_BATCHIM;                 /* 십 */
  if (zeros == 2) return END_BATCHIM;                 /* 백 */
  if (zeros <= 7) return END_BATCHIM;                 /* 천, 만 */
  if (zeros <= 11) return END_BATCHIM;                /* 억 */
  if (zeros <= 15) return END_VOWEL;                  /* 조 */
  if (zeros <= 19) return END_BATCHIM;                /* 경 */
  return END_VOWEL;                                   /* 해 */
}

/* Latin letters: an acronym or a final capital is read as its letter name
 * (L 엘, M 엠, N 엔, R 알 end in a consonant); a lower-case word by its
 * usual Korean transcription (-m, -n, -ng, -l(e), -ne, -me, vowel + k/p/t/b,
 * -ck, -ic end in a consonant; -s, -x, -d, -r, -e, … in a vowel). */
static int end_of_latin(const unsigned char *s, size_t n)
{
  unsigned c = s[n - 1];
  if (c >= 'A' && c <= 'Z')
    return c == 'L' || c == 'R' ? END_RIEUL : c == 'M' || c == 'N' ? END_BATCHIM : END_VOWEL;
  if (n == 1 || !((s[n - 2] | 0x20) >= 'a' && (s[n - 2] | 0x20) <= 'z')) {
    /* a single lower-case letter: its name */
    return c == 'l' || c == 'r' ? END_RIEUL : c == 'm' || c == 'n' ? END_BATCHIM : END_VOWEL;
  }
  unsigned p = s[n - 2] | 0x20;
#define VOWELISH(x) ((x) == 'a' || (x) == 'e' || (x) == 'i' || (x) == 'o' || (x) == 'u')
  switch (c) {
  case 'm': case 'n': return END_BATCHIM;             /* Amazon, program */
  case 'g': return p == 'n' ? END_BATCHIM : END_VOWEL; /* Samsung; blog */
  case 'l': return END_RIEUL;                          /* email */
  case 'e':
    if (p == 'l') return END_RIEUL;                    /* Google, Apple */
    if (p == 'n' || p == 'm') return END_BATCHIM;      /* iPhone, game */
    return END_VOWEL;                                  /* site, code */
  case 'k': return VOWELISH(p) || p == 'c' ? END_BATCHIM : END_VOWEL;  /* Facebook, click */
  case 'p': case 't': case 'b':
    return VOWELISH(p) || p == c ? END_BATCHIM : END_VOWEL;            /* app, robot, web; Microsoft */
  case 'c': return p == 'i' ? END_BATCHIM : END_VOWEL;                 /* music */
  default: return END_VOWEL;                           /* Android, Tesla, data, user */
  }
#undef VOWELISH
}

/* How s[0..n) ends: skips closing quotes and white space, and a final
 * parenthesis (국제통화기금(IMF)은 follows 금). */
static int word_end(const unsigned char *s, size_t n)
{
  while (n > 0) {
    uint32_t c;
    size_t bad;
    long st = last_char(s, n, &c, &bad);
    if (st < 0) return END_UNKNOWN;
    if (c == ')' || c == 0xFF09) {   /* skip back to the matching '(' */
      int depth = 0;
      size_t i = n;
      while (i > 0) {
        long p = last_char(s, i, &c, &bad);
        if (p < 0) return END_UNKNOWN;
        if (c == ')' || c == 0xFF09) depth++;
        else if ((c == '(' || c == 0xFF08) && --depth == 0) { i = (size_t)p; break; }
        i = (size_t)p;
      }
      if (depth != 0 || i == 0) return END_UNKNOWN;
      n = i;
      continue;
    }
    if (c == '"' || c == '\'' || c == ']' || c == 0x2019 || c == 0x201D || c == 0x300B ||
        c == 0x3009 || c == 0x300D || c == 0x300F || c == 0x3011 || c == 0xFF3D || is_space(c)) {
      n = (size_t)st;
      continue;
    }
    if (IS_SYL(c)) return end_of_final((int)((c - SBASE) % TCOUNT));
    if (IS_CONS(c)) return c == 0x3139 ? END_RIEUL : END_BATCHIM;   /* 리을; 기역, 니은 … */
    if (IS_VOWEL(c)) return END_VOWEL;
    if (c >= '0' && c <= '9') return end_of_number(s, n);
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      size_t i = n;   /* the run of letters */
      while (i > 0 && ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')) i--;
      return end_of_latin(s + i, n - i);
    }
    if (c == '%') return END_VOWEL;   /* 퍼센트 */
    return END_UNKNOWN;
  }
  return END_UNKNOWN;
}

/* Known pairs: the form after a final consonant, then the one after a vowel.
 * Any "이X/X" and "으X/X" pair works without being listed. */
static const char *const PAIRS[][2] = {
  {"은", "는"}, {"이", "가"}, {"을", "를"}, {"과", "와"}, {"으로", "로"},
  {"아", "야"}, {"이에요", "예요"}, {"이었", "였"}, {"이었다", "였다"},
  {"이어서", "여서"}, {"이여", "여"}, {"이에", "예"},
  {NULL, NULL}
};

/* Split the "A/B" argument into the batchim form and the vowel form. */
static void josa_forms(lua_State *L, int arg, const char **bf, size_t *bl,
                       const char **vf, size_t *vl)
{
  size_t n;
  const char *p = luaL_checklstring(L, arg, &n);
  const char *slash = memchr(p, '/', n);
  if (!slash) {   /* one form: find its partner */
    for (int i = 0; PAIRS[i][0]; i++)
      for (int side = 0; side < 2; side++)
        if (strlen(PAIRS[i][side]) == n && memcmp(PAIRS[i][side], p, n) == 0) {
          *bf = PAIRS[i][0]; *bl = strlen(*bf);
          *vf = PAIRS[i][1]; *vl = strlen(*vf);
          return;
        }
    /* 이나, 으로서 …: the prefix 이/으 marks the batchim form */
    if (n > 3 && (memcmp(p, "이", 3) == 0 || memcmp(p, "으", 3) == 0)) {
      *bf = p; *bl = n; *vf = p + 3; *vl = n - 3;
      return;
    }
    luaL_argerror(L, arg, lua_pushfstring(L, "unknown particle '%s'", p));
    return;
  }
  const char *a = p, *b = slash + 1;
  size_t al = (size_t)(slash - p), blen = n - al - 1;
  if (al == 0 || blen == 0 || memchr(b, '/', blen))
    luaL_argerror(L, arg, "expected two particles such as \"은/는\"");
  for (int i = 0; PAIRS[i][0]; i++) {
    const char *x = PAIRS[i][0], *y = PAIRS[i][1];
    size_t xl = strlen(x), yl = strlen(y);
    if (xl == al && yl == blen && !memcmp(x, a, al) && !memcmp(y, b, blen)) goto ab;
    if (xl == blen && yl == al && !memcmp(x, b, blen) && !memcmp(y, a, al)) goto ba;
  }
  if (al == blen + 3 && memcmp(a + 3, b, blen) == 0 &&
      (memcmp(a, "이", 3) == 0 || memcmp(a, "으", 3) == 0)) goto ab;
  if (blen == al + 3 && memcmp(b + 3, a, al) == 0 &&
      (memcmp(b, "이", 3) == 0 || memcmp(b, "으", 3) == 0)) goto ba;
  luaL_argerror(L, arg, lua_pushfstring(L, "unknown particle pair '%s'", p));
  return;
ab:
  *bf = a; *bl = al; *vf = b; *vl = blen;
  return;
ba:
  *bf = b; *bl = blen; *vf = a; *vl = al;
}

/* Push the particle for word (at 1) and forms (at 2). */
static void josa_push(lua_State *L, const unsigned char *w, size_t n)
{
  const char *bf = "", *vf = "";
  size_t bl = 0, vl = 0;
  josa_forms(L, 2, &bf, &bl, &vf, &vl);
  int e = word_end(w, n);
  int eu = bl >= 3 && memcmp(bf, "으", 3) == 0;   /* 으로: ㄹ takes the vowel form */
  if (e == END_RIEUL) e = eu ? END_VOWEL : END_BATCHIM;
  if (e == END_BATCHIM) { lua_pushlstring(L, bf, bl); return; }
  if (e == END_VOWEL) { lua_pushlstring(L, vf, vl); return; }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (bl == vl + 3 && memcmp(bf + 3, vf, vl) == 0) {   /* (으)로, (이)나 */
    luaL_addchar(&b, '(');
    luaL_addlstring(&b, bf, 3);
    luaL_addchar(&b, ')');
    luaL_addlstring(&b, vf, vl);
  } else {                                              /* 은(는) */
    luaL_addlstring(&b, bf, bl);
    luaL_addchar(&b, '(');
    luaL_addlstring(&b, vf, vl);
    luaL_addchar(&b, ')');
  }
  luaL_pushresult(&b);
}

/* hangul.josa_pick(word, "은/는") -> particle   ("은(는)" when the end cannot be read) */
static int hangul_josa_pick(lua_State *L)
{
  size_t n;
  const unsigned char *w = (const unsigned char *)luaL_checklstring(L, 1, &n);
  josa_push(L, w, n);
  return 1;
}

/* hangul.josa(word, "은/는") -> word .. particle */
static int hangul_josa(lua_State *L)
{
  size_t n;
  const unsigned char *w = (const unsigned char *)luaL_checklstring(L, 1, &n);
  josa_push(L, w, n);
  lua_pushvalue(L, 1);
  lua_insert(L, -2);
  lua_concat(L, 2);
  return 1;
}

/* --------------------------------------------------------------- romanize */

static const char *const RR_INIT[19] = {
  "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"
};
static const char *const RR_VOWEL[21] = {
  "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
  "wo", "we", "wi", "yu", "eu", "ui", "i"
};
/* Final sounds: the seven a final consonant is pronounced as. */
enum { F_NONE, F_K, F_N, F_T, F_L, F_M, F_P, F_NG };
static const char *const RR_CODA[8] = { "", "k", "n", "t", "l", "m", "p", "ng" };
static const uint8_t REP[28] = {
  F_NONE, F_K, F_K, F_K, F_N, F_N, F_N, F_T, F_L, F_K, F_M, F_L, F_L, F_L, F_P, F_L,
  F_M, F_P, F_P, F_T, F_T, F_NG, F_T, F_T, F_K, F_T, F_P, F_T
};
/* Before a vowel (initial ㅇ): what stays (a final sound) and what moves to
 * the next syllable (an initial index; -1 nothing, -2 dropped: ㅎ). */
static const int8_t LIA_STAY[28] = {
  F_NONE, F_NONE, F_NONE, F_K, F_NONE, F_N, F_NONE, F_NONE, F_NONE, F_L, F_L, F_L, F_L,
  F_L, F_L, F_NONE, F_NONE, F_NONE, F_P, F_NONE, F_NONE, F_NG, F_NONE, F_NONE, F_NONE,
  F_NONE, F_NONE, F_NONE
};
static const int8_t LIA_MOVE[28] = {
  -1, 0, 1, 9, 2, 12, 2, 3, 5, 0, 6, 7, 9, 16, 17, 5, 6, 7, 9, 9, 10, -1, 12, 14, 15,
  16, 17, -2
};

/* The boundary between a syllable with final t and the next with initial
 * ci and vowel vi: sets the previous coda and the next onset as romanized. */
static void rr_boundary(int t, int ci, int vi, const char **coda, const char **onset)
{
  *coda = RR_CODA[REP[t]];
  *onset = RR_INIT[ci];
  if (t == 0) return;
  if (ci == 11) {                          /* liaison: 한국어 hangugeo, 닭이 dalgi */
    int mv = LIA_MOVE[t];
    *coda = RR_CODA[LIA_STAY[t]];
    if (mv == -1) { *onset = ""; return; }
    if (mv == -2) { *onset = ""; return; }   /* 좋아 joa */
    if (vi == 20 && (mv == 3 || mv == 16)) mv = mv == 3 ? 12 : 14;   /* 굳이 guji, 같이 gachi */
    *onset = RR_INIT[mv];
    return;
  }
  int f = REP[t];
  if (t == 27 || t == 6 || t == 15) {      /* ㅎ, ㄶ, ㅀ */
    int base = t == 27 ? F_NONE : t == 6 ? F_N : F_L;
    if (ci == 0 || ci == 3 || ci == 12) {  /* aspiration: 좋다 jota, 않고 anko */
      *coda = RR_CODA[base];
      *onset = RR_INIT[ci == 0 ? 15 : ci == 3 ? 16 : 14];
      return;
    }
    if (ci == 9) { *coda = RR_CODA[base]; return; }              /* 좋소 joso */
    if (ci == 2) {                                              /* 놓는 nonneun, 싫네 sille */
      *coda = base == F_L ? "l" : "n";
      *onset = base == F_L ? "l" : "n";
      return;
    }
    f = base == F_NONE ? F_T : base;
    *coda = RR_CODA[f];
  }
  if (ci == 5) {                           /* ㄹ after a final */
    switch (f) {
    case F_L: case F_N: *coda = "l"; *onset = "l"; return;   /* 신라 silla, 달력 dallyeok */
    case F_M: *onset = "n"; return;                          /* 심리 simni */
    case F_NG: *onset = "n"; return;                         /* 종로 jongno */
    case F_K: *coda = "ng"; *onset = "n"; return;            /* 독립 dongnip */
    case F_T: *coda = "n"; *onset = "n"; return;
    case F_P: *coda = "m"; *onset = "n"; return;             /* 협력 hyeomnyeok */
    default: return;
    }
  }
  if (ci == 2 || ci == 6) {                /* nasalization: 국물 gungmul, 합니다 hamnida */
    if (f == F_K) *coda = "ng";
    else if (f == F_T) *coda = "n";
    else if (f == F_P) *coda = "m";
    else if (f == F_L && ci == 2) *onset = "l";              /* 설날 seollal */
  }
}

/* hangul.romanize(s) -> string | nil, msg, pos
 * (Revised Romanization, lower case; sound changes inside runs of syllables) */
static int hangul_romanize(lua_State *L)
{
  size_t n;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  size_t i = 0;
  int prev_t = -1;   /* final of the syllable just before, -1 when none */
  luaL_buffinit(L, &b);
  while (i < n) {
    uint32_t c;
    int k = gisa_utf8_decode(s + i, n - i, &c);
    if (k == 0) return bad_utf8(L, i);
    if (IS_SYL(c)) {
      uint32_t x = c - SBASE;
      int ci = (int)(x / NCOUNT), vi = (int)((x % NCOUNT) / TCOUNT);
      const char *coda = "", *onset = RR_INIT[ci];
      if (prev_t >= 0) rr_boundary(prev_t, ci, vi, &coda, &onset);
      luaL_addstring(&b, coda);
      luaL_addstring(&b, onset);
      luaL_addstring(&b, RR_VOWEL[vi]);
      prev_t = (int)(x % TCOUNT);
    } else {
      if (prev_t >= 0) luaL_addstring(&b, RR_CODA[REP[prev_t]]);
      prev_t = -1;
      luaL_addlstring(&b, (const char *)s + i, (size_t)k);
    }
    i += (size_t)k;
  }
  if (prev_t >= 0) luaL_addstring(&b, RR_CODA[REP[prev_t]]);
  luaL_pushresult(&b);
  return 1;
}

/* ----------------------------------------------------------------- search */

/* Does text character c match query character q? A consonant jamo that can
 * be an initial matches any syllable with that initial (and itself). */
static int search_match(uint32_t q, uint32_t c)
{
  if (q == c) return 1;
  if (IS_CONS(q) && IS_SYL(c)) {
    int cho = CONS[q - CBASE].cho;
    return cho >= 0 && (uint32_t)cho == (c - SBASE) / NCOUNT;
  }
  return 0;
}

/* hangul.search(text, query) -> array of {start, stop} | nil, msg, pos
 * (byte ranges, non-overlapping, where query matches; ㅇㅍㅅㅅ finds 오픈소스) */
static int hangul_search(lua_State *L)
{
  size_t n, qn;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
  const unsigned char *qs = (const unsigned char *)luaL_checklstring(L, 2, &qn);
  luaL_argcheck(L, qn > 0, 2, "empty query");
  size_t ok = gisa_utf8_valid_prefix(s, n);
  if (ok < n) return bad_utf8(L, ok);
  ok = gisa_utf8_valid_prefix(qs, qn);
  if (ok < qn) {
    lua_pushnil(L);
    lua_pushliteral(L, "invalid UTF-8 in query");
    lua_pushinteger(L, (lua_Integer)ok + 1);
    return 3;
  }
  /* the query as code points (at most qn of them), in a userdata */
  uint32_t *q = (uint32_t *)lua_newuserdatauv(L, qn * sizeof(uint32_t), 0);
  size_t m = 0;
  for (size_t j = 0; j < qn; ) {
    int k = gisa_utf8_decode(qs + j, qn - j, &q[m++]);
    j += (size_t)k;
  }
  lua_newtable(L);
  lua_Integer count = 0;
  size_t i = 0;
  while (i < n) {
    uint32_t c;
    int k = gisa_utf8_decode(s + i, n - i, &c);
    if (!search_match(q[0], c)) { i += (size_t)k; continue; }
    size_t p = i + (size_t)k, x = 1;
    while (x < m && p < n) {
      uint32_t d;
      int kk = gisa_utf8_decode(s + p, n - p, &d);
      if (!search_match(q[x], d)) break;
      p += (size_t)kk;
      x++;
    }
    if (x == m) {
      lua_createtable(L, 2, 0);
      lua_pushinteger(L, (lua_Integer)i + 1); lua_rawseti(L, -2, 1);
      lua_pushinteger(L, (lua_Integer)p);     lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, ++count);
      i = p;
    } else
      i += (size_t)k;
  }
  return 1;
}

static const luaL_Reg hangul_funcs[] = {
  {"decompose", hangul_decompose},
  {"compose", hangul_compose},
  {"choseong", hangul_choseong},
  {"has_batchim", hangul_has_batchim},
  {"josa", hangul_josa},
  {"josa_pick", hangul_josa_pick},
  {"romanize", hangul_romanize},
  {"search", hangul_search},
  {NULL, NULL}
};

int luaopen_gisa_hangul(lua_State *L)
{
  luaL_newlib(L, hangul_funcs);
  return 1;
}
