/* test_repair.c: enc.repair's fast first pass (survey) against the plain one
 * (repair_pass over the whole text), white-box: enc.c is compiled in here with
 * its luaopen renamed. Random texts are made of the pieces that matter: Latin-1
 * and CP1252 characters alone and side by side, ASCII letters and others, line
 * ends, Hangul, Hanja, bad bytes, and real mojibake of each kind. */
#define luaopen_gisa_enc unit_enc_copy_open
#include "enc.c"
#include "unit.h"

typedef struct Piece { char s[64]; size_t n; } Piece;

enum { MAX_PIECES = 256 };

static void add_piece(Piece *p, int *np, const char *s, size_t n)
{
  if (*np >= MAX_PIECES || n == 0 || n > sizeof p->s) return;
  memcpy(p[*np].s, s, n);
  p[*np].n = n;
  (*np)++;
}

/* Each byte of b[0..n) as the Latin-1 (cp1252 = 0) or CP1252 character that stands for it. */
static void as_latin(Piece *p, int *np, const unsigned char *b, size_t n, int cp1252)
{
  char out[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k + 3 <= sizeof out; i++) {
    uint32_t cp = b[i];
    if (cp1252 && cp >= 0x80 && cp < 0xA0)
      for (uint32_t c = 0x100; c < 0x2200; c++) if (latin_byte(c) == (int)b[i]) { cp = c; break; }
    k += (size_t)gisa_utf8_encode(cp, out + k);
  }
  add_piece(p, np, out, k);
}

/* The pieces: fixed ones, then each word misread in each way repair undoes. */
static int make_pieces(Piece *p, Box *x, lua_State *L)
{
  static const char *const fixed[] = {
    "A", "b", "Zq", " ", ".", "1", "\n", "\n", "\t", "\r", "\"", "(",
    "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\xA6", "\xC2\xB7",
    "\xC3\x97", "\xC3\xA9", "\xC3\x83", "\xC2\xB1", "\xC3\xA2", "\xC3\x80", "\xC3\x9A", "\xC2\xB0",
    "\xE2\x82\xAC", "\xE2\x84\xA2", "\xC3\x82", "\xC2\x80", "\xC2\x9F", "\xC3\xBF", "\xC5\x92",
    "\xCB\x86", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xA0", "\xC3\x87", "\xC3\x91",
    "\xEA\xB0\x80", "\xED\x95\x9C", "\xEB\x8B\xA4", "\xEB\x98\xA0",           /* 가 한 다 똠 */
    "\xE5\x8C\x97", "\xE4\xB8\xAD", "\xE7\xBE\x8E", "\xE9\x9F\x93", "\xE8\xB1\x88", /* 北 中 美 韓 豈 */
    "\xEF\xA4\x80", "\xE3\x90\x80", "\xE3\x80\x8C", "\xE3\x86\x8D", "\xE2\x80\xBB", "\xE2\x96\xB2",
    "\xF0\x9F\x98\x80", "\xE3\x84\xB1", "\xCE\xA9", "\xE2\x91\xA0", "\xEF\xBC\xA1",
    "\x80", "\xC0", "\xFF", "\xE4\xB8", "\xED\xA0\x80", "\xF0\x9F", "\xC3", "\xE2\x80",
  };
  static const char *const words[] = {
    "기자", "한국", "경제", "제미나이", "기술", "공유", "대통령", "서울", "뉴스", "가", "의",
  };
  int np = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) add_piece(p, &np, fixed[i], strlen(fixed[i]));
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    const unsigned char *w = (const unsigned char *)words[i];
    size_t wn = strlen(words[i]);
    add_piece(p, &np, words[i], wn);
    as_latin(p, &np, w, wn, 0);   /* UTF-8 read as Latin-1 or CP1252 */
    as_latin(p, &np, w, wn, 1);
    if (icv(L, x->to949, words[i], wn, &x->bytes)) {   /* CP949 read as Latin-1 or CP1252 */
      unsigned char b[64];
      size_t bn = x->bytes.n < sizeof b ? x->bytes.n : sizeof b;
      memcpy(b, x->bytes.p, bn);
      as_latin(p, &np, b, bn, 0);
      as_latin(p, &np, b, bn, 1);
    }
    if (icv(L, x->from949, words[i], wn, &x->dec))    /* UTF-8 read as CP949 */
      add_piece(p, &np, x->dec.p, x->dec.n);
  }
  return np;
}

static int same_fix(const Fix *a, const Fix *b)
{
  return a->doc_cp == b->doc_cp && a->doc_b == b->doc_b && a->cp == b->cp && a->u8 == b->u8 &&
         a->b == b->b;
}

/* The tables and the box (with its CP949 converters) a repair pass needs, as
 * userdata on L's stack; the box is freed by box_free at the end of a test. */
static Box *repair_box(lua_State *L, Tables **tp)
{
  Tables *t = (Tables *)lua_newuserdatauv(L, sizeof(Tables), 0);
  build_tables(t);
  *tp = t;
  Box *x = (Box *)lua_newuserdatauv(L, sizeof(Box), 0);
  memset(x, 0, sizeof *x);
  x->from949 = iconv_open("UTF-8", "CP949");
  x->to949 = iconv_open("CP949", "UTF-8");
  return x;
}

TEST(repair_survey_equals_full_first_pass)
{
  Tables *t;
  Box *x = repair_box(L, &t);
  CHECK(x->from949 != NO_ICONV && x->to949 != NO_ICONV);
  if (x->from949 == NO_ICONV || x->to949 == NO_ICONV) return;
  Piece pieces[MAX_PIECES];
  int np = make_pieces(pieces, x, L);
  CHECK(np > 100);

  uint64_t seed = 0x9E3779B97F4A7C15ull;
  int differ = 0, found = 0, clean = 0;
  char text[1024];
  for (int round = 0; round < 40000; round++) {
    size_t n = 0;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    int count = 1 + (int)((seed >> 33) % 48);
    for (int k = 0; k < count; k++) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      const Piece *pc = &pieces[(seed >> 33) % (uint64_t)np];
      if (n + pc->n > sizeof text) break;
      memcpy(text + n, pc->s, pc->n);
      n += pc->n;
    }
    Fix fast, full;
    memset(&fast, 0, sizeof fast);
    memset(&full, 0, sizeof full);
    survey(L, t, x, text, n, &fast);
    repair_pass(L, t, x, text, 0, n, &full, 0);
    if (!same_fix(&fast, &full)) {
      if (differ++ < 5) {
        printf("  survey differs (cp %d/%d, b %d/%d) on:", (int)fast.cp, (int)full.cp, (int)fast.b,
               (int)full.b);
        for (size_t i = 0; i < n; i++) printf(" %02X", (unsigned char)text[i]);
        printf("\n");
      }
    }
    if (full.cp + full.b > 0) found++; else clean++;
  }
  CHECK(differ == 0);
  /* both outcomes were tried many times */
  CHECK(found > 1000);
  CHECK(clean > 1000);
  box_free(x);
}

TEST(repair_pairs_of_latin_and_ascii_never_read_as_ks_hangul)
{
  /* what survey's proof takes from CP949: a byte >= 0x80 next to ASCII, or
   * alone, never gives a KS X 1001 syllable */
  Tables *t = (Tables *)lua_newuserdatauv(L, sizeof(Tables), 0);
  build_tables(t);
  iconv_t cd = iconv_open("UTF-8", "CP949");
  CHECK(cd != NO_ICONV);
  if (cd == NO_ICONV) return;
  int ks = 0, read = 0;
  for (unsigned hi = 0x80; hi <= 0xFF; hi++) {
    for (unsigned lo = 0; lo <= 0x80; lo++) {   /* 0x80: hi alone */
      char in[2] = { (char)hi, (char)lo }, out[16], *ip = in, *op = out;
      size_t il = lo == 0x80 ? 1 : 2, ol = sizeof out;
      iconv(cd, NULL, NULL, NULL, NULL);
      if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) continue;
      read++;
      const unsigned char *u = (const unsigned char *)out;
      size_t on = (size_t)(op - out);
      for (size_t i = 0; i < on; ) {
        uint32_t cp;
        int len = gisa_utf8_decode(u + i, on - i, &cp);
        if (len == 0) break;
        if (ks_syllable(t, cp)) ks++;
        i += (size_t)len;
      }
    }
  }
  iconv_close(cd);
  CHECK(read > 1000);   /* the UHC extension rows do read */
  CHECK(ks == 0);
}

/* survey against the full pass on s, and on s misread each way repair undoes:
 * its CP949 bytes and its UTF-8 bytes read as Latin-1 and as CP1252, its UTF-8
 * bytes read as CP949 (where iconv takes them). Returns the texts compared. */
static int compare_readings(lua_State *L, const Tables *t, Box *x, const char *s, size_t n,
                            int *differ)
{
  luaL_Buffer b;
  int compared = 0;
  for (int k = 0; k < 6; k++) {
    const char *text = s;
    size_t tn = n;
    Buf bytes = { NULL, 0, 0 };
    if (k >= 1 && k <= 4) {   /* bytes as Latin-1 (k odd) or CP1252 characters */
      if (k <= 2) {
        if (!icv(L, x->to949, s, n, &x->bytes)) continue;
        buf_add(L, &bytes, x->bytes.p, x->bytes.n);
      } else {
        buf_add(L, &bytes, s, n);
      }
      luaL_buffinit(L, &b);
      for (size_t i = 0; i < bytes.n; i++) {
        uint32_t cp = (unsigned char)bytes.p[i];
        if (k % 2 == 0 && cp >= 0x80 && cp < 0xA0)
          for (uint32_t c = 0x100; c < 0x2200; c++) if (latin_byte(c) == (int)cp) { cp = c; break; }
        char e[4];
        luaL_addlstring(&b, e, (size_t)gisa_utf8_encode(cp, e));
      }
      free(bytes.p);
      luaL_pushresult(&b);
      text = lua_tolstring(L, -1, &tn);
    } else if (k == 5) {
      if (!icv(L, x->from949, s, n, &x->dec)) continue;
      lua_pushlstring(L, x->dec.p, x->dec.n);
      text = lua_tolstring(L, -1, &tn);
    }
    Fix fast, full;
    memset(&fast, 0, sizeof fast);
    memset(&full, 0, sizeof full);
    survey(L, t, x, text, tn, &fast);
    repair_pass(L, t, x, text, 0, tn, &full, 0);
    if (!same_fix(&fast, &full)) (*differ)++;
    compared++;
    if (k >= 1) lua_pop(L, 1);
  }
  return compared;
}

TEST(repair_survey_equals_full_first_pass_on_the_sample_corpus)
{
  Tables *t;
  Box *x = repair_box(L, &t);
  CHECK(x->from949 != NO_ICONV && x->to949 != NO_ICONV);
  if (x->from949 == NO_ICONV || x->to949 == NO_ICONV) return;
  /* the articles of corpus/ as UTF-8 (run from the top of the repository) */
  CHECK(LUA("local sys, enc = require 'gisa.sys', require 'gisa.enc'\n"
            "local out = {}\n"
            "for _, f in ipairs(sys.listdir('corpus') or {}) do\n"
            "  if f:find('%.txt$') then\n"
            "    local s = enc.decode(sys.readfile('corpus/' .. f))\n"
            "    if s then out[#out + 1] = s end\n"
            "  end\n"
            "end\n"
            "return out") == 1);
  int texts = (int)luaL_len(L, -1), compared = 0, differ = 0;
  CHECK(texts >= 16);
  for (int i = 1; i <= texts; i++) {
    lua_rawgeti(L, -1, i);
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    compared += compare_readings(L, t, x, s, n, &differ);
    lua_pop(L, 1);
  }
  CHECK(compared >= 4 * texts);
  CHECK(differ == 0);
  box_free(x);
}
