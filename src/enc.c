/*
 * enc.c: gisa.enc, reading Korean text in whatever encoding it arrives in.
 * Detection (BOMs, strict UTF-8, UTF-16 by its NUL pattern, CP949/EUC-KR scored
 * by common Hangul syllables, ISO-2022-KR, Latin-1/CP1252 last, binary), decoding
 * to clean UTF-8 through glibc's iconv (bad bytes become counted U+FFFD, newlines
 * LF, BOM and NULs removed and reported), a streaming converter userdata, raw
 * iconv conversion, and mojibake repair. docs/encoding.md has the rules.
 */
#include <errno.h>
#include <stddef.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gisa.h"
#include "utf8.h"

#if defined(__SSE2__) && !defined(GISA_UTF8_SIMD)
#include <emmintrin.h>   /* utf8.h has included immintrin.h where it has SIMD */
#endif

#define CONV_MT "gisa.enc.converter"
#define BOX_MT "gisa.enc.repairbox"
#define BOX_KEY "gisa.enc.repairbox.cached"   /* registry: the Box repair reuses */
#define PEND_MAX 16
#define NO_ICONV ((iconv_t)-1)

/* ------------------------------------------------------------------------ */
/* Encoding names                                                           */
/* ------------------------------------------------------------------------ */

/* gisa's names are lowercase; each has the name glibc's iconv knows it by. */
static const struct { const char *alias, *name, *iconv; } names[] = {
  {"utf-8", "utf-8", "UTF-8"},
  {"utf8", "utf-8", "UTF-8"},
  {"utf-16le", "utf-16le", "UTF-16LE"},
  {"utf-16be", "utf-16be", "UTF-16BE"},
  {"utf-16", "utf-16", "UTF-16"},
  {"utf-32le", "utf-32le", "UTF-32LE"},
  {"utf-32be", "utf-32be", "UTF-32BE"},
  {"utf-32", "utf-32", "UTF-32"},
  {"cp949", "cp949", "CP949"},
  {"uhc", "cp949", "CP949"},
  {"ms949", "cp949", "CP949"},
  {"windows-949", "cp949", "CP949"},
  {"x-windows-949", "cp949", "CP949"},
  {"ks-c-5601-1987", "cp949", "CP949"},
  {"euc-kr", "euc-kr", "EUC-KR"},
  {"euckr", "euc-kr", "EUC-KR"},
  {"iso-2022-kr", "iso-2022-kr", "ISO-2022-KR"},
  {"csiso2022kr", "iso-2022-kr", "ISO-2022-KR"},
  {"latin1", "latin1", "ISO-8859-1"},
  {"latin-1", "latin1", "ISO-8859-1"},
  {"iso-8859-1", "latin1", "ISO-8859-1"},
  {"iso8859-1", "latin1", "ISO-8859-1"},
  {"l1", "latin1", "ISO-8859-1"},
  {"cp1252", "cp1252", "CP1252"},
  {"windows-1252", "cp1252", "CP1252"},
  {"ascii", "ascii", "ASCII"},
  {"us-ascii", "ascii", "ASCII"},
  {"johab", "johab", "JOHAB"},
};

typedef struct EncName {
  char name[48];    /* gisa's name: lowercase, "-" for "_" */
  char iconv[48];   /* what iconv_open gets */
} EncName;

/* Fill e from a user's name; raises on a name too long to be real. */
static void enc_name(lua_State *L, const char *s, EncName *e)
{
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof e->name) luaL_error(L, "bad encoding name '%s'", s);
  for (size_t i = 0; i <= n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c == '_') c = '-';
    e->name[i] = c;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(e->name, names[i].alias) == 0) {
      strcpy(e->name, names[i].name);
      strcpy(e->iconv, names[i].iconv);
      return;
    }
  }
  memcpy(e->iconv, s, n + 1);
}

static void enc_set(EncName *e, const char *name)
{
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i].name) == 0) {
      strcpy(e->name, names[i].name);
      strcpy(e->iconv, names[i].iconv);
      return;
    }
  }
}

static int is_utf8(const EncName *e) { return strcmp(e->name, "utf-8") == 0; }

static int unit_of(const EncName *e)
{
  if (strncmp(e->name, "utf-16", 6) == 0) return 2;
  if (strncmp(e->name, "utf-32", 6) == 0) return 4;
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Character classes                                                        */
/* ------------------------------------------------------------------------ */

/* The upvalue every function shares: which of the 11,172 Hangul syllables are
 * among the 2,350 of KS X 1001 (EUC-KR), the syllables in common use. */
typedef struct Tables {
  unsigned char ks[(11172 + 7) / 8];
} Tables;

static int ks_syllable(const Tables *t, uint32_t cp)
{
  if (cp < 0xAC00 || cp > 0xD7A3) return 0;
  cp -= 0xAC00;
  return (t->ks[cp >> 3] >> (cp & 7)) & 1;
}

static int is_syllable(uint32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

static int is_hanja(uint32_t cp)
{
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Characters a Korean text plausibly holds. wide: also Greek, Cyrillic and the
 * rest of the BMP's alphabets (for UTF-16 detection of any text). */
static int plausible(uint32_t c, int wide)
{
  if (c < 0x20) return c == 9 || c == 10 || c == 13 || c == 12;
  if (c < 0x7F) return 1;
  if (c < 0xA0) return 0;
  if (c <= 0x24F) return 1;
  if (wide && c >= 0x370 && c <= 0x52F) return 1;
  if (c >= 0x1100 && c <= 0x11FF) return 1;    /* Hangul jamo */
  if (c >= 0x2000 && c <= 0x2BFF) return c != 0x2028 && c != 0x2029;
  if (c >= 0x3000 && c <= 0x9FFF) return 1;    /* CJK symbols, jamo, enclosed, Hanja */
  if (c >= 0xAC00 && c <= 0xD7A3) return 1;
  if (c >= 0xF900 && c <= 0xFAFF) return 1;
  if (c >= 0xFF00 && c <= 0xFFEF) return 1;
  if (c >= 0x1F000 && c <= 0x1FAFF) return 1;  /* emoji */
  return 0;
}

/* CP949 byte pairs, by what they hold. */
enum { CP_BAD, CP_KS, CP_EXT, CP_SYMBOL, CP_HANJA };

static int cp949_pair(unsigned lead, unsigned trail)
{
  int ks = trail >= 0xA1 && trail <= 0xFE;
  int ext = (trail >= 0x41 && trail <= 0x5A) || (trail >= 0x61 && trail <= 0x7A) ||
            (trail >= 0x81 && trail <= 0xA0);
  if (lead < 0x81 || lead > 0xFE) return CP_BAD;
  if (lead <= 0xA0) return (ks || ext) ? CP_EXT : CP_BAD;   /* UHC extension rows */
  if (ext) return (lead < 0xC6 || (lead == 0xC6 && trail <= 0x52)) ? CP_EXT : CP_BAD;
  if (!ks) return CP_BAD;
  if (lead <= 0xAC) return CP_SYMBOL;
  if (lead <= 0xAF) return CP_BAD;             /* unassigned rows */
  if (lead <= 0xC8) return CP_KS;              /* the 2,350 syllables */
  if (lead == 0xC9 || lead == 0xFE) return CP_BAD;   /* user-defined rows */
  return CP_HANJA;
}

/* ------------------------------------------------------------------------ */
/* Detection                                                                */
/* ------------------------------------------------------------------------ */

#define WINDOW 65536

typedef struct Stats {
  size_t bytes, nul, nul_even, nul_odd, ctrl, c1, c1_undef;
  size_t u8_mb, u8_bad, u8_hangul;
  int u8_cut;          /* the input ends inside a UTF-8 character */
  size_t cp_pairs, cp_ks, cp_ext, cp_sym, cp_hanja, cp_bad;
  size_t first_ctrl;   /* 0-based, or SIZE_MAX */
  int iso2022;
} Stats;

typedef struct Detect {
  const char *name;
  double confidence;
  size_t bad_at;       /* binary: 0-based offset of the first control byte */
  char evidence[200];
} Detect;

/* Control bytes (NULs apart) in s[a..e). Eight bytes at a time while there are none. */
static void scan_bytes(const unsigned char *s, size_t a, size_t e, Stats *st)
{
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  size_t i = a;
  while (i < e) {
    if (i + 8 <= e) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t x = w ^ (0x7F * ones);   /* a zero byte where w has 0x7F */
      if ((((w - 0x20 * ones) & ~w) | ((x - ones) & ~x)) & highs) goto slow;
      i += 8;
      continue;
    }
  slow:
    for (size_t stop = i + 8 < e ? i + 8 : e; i < stop; i++) {
      unsigned b = s[i];
      if (b >= 0x20 && b != 0x7F) continue;
      if (b == 0) {
        st->nul++;
        if (i & 1) st->nul_odd++; else st->nul_even++;
        if (st->first_ctrl == SIZE_MAX) st->first_ctrl = i;
      } else {
        if (b == 9 || b == 10 || b == 11 || b == 12 || b == 13 || b == 0x1B) continue;
        if ((b == 0x0E || b == 0x0F) && st->iso2022) continue;
        st->ctrl++;
        if (st->first_ctrl == SIZE_MAX) st->first_ctrl = i;
      }
    }
  }
  st->bytes += e - a;
}

/* Bytes 80-9F, and those of them CP1252 leaves undefined. */
static void scan_c1(const unsigned char *s, size_t a, size_t e, Stats *st)
{
  for (size_t i = a; i < e; i++) {
    unsigned b = s[i];
    if (b < 0x80 || b >= 0xA0) continue;
    st->c1++;
    if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) st->c1_undef++;
  }
}

static void scan_utf8(const unsigned char *s, size_t a, size_t e, size_t n, Stats *st)
{
  size_t i = a;
  if (a > 0) for (int k = 0; k < 3 && i < e && (s[i] & 0xC0) == 0x80; k++) i++;
  while (i < e) {
    if (s[i] < 0x80) { i++; continue; }
    uint32_t cp;
    int k = gisa_utf8_decode(s + i, e - i, &cp);
    if (k == 0) {
      if (i + cp == e && s[i] >= 0xC2 && s[i] <= 0xF4) {   /* cut by the window or the end */
        if (e == n) st->u8_cut = 1;
        break;
      }
      st->u8_bad++;
      i += cp;
    } else {
      st->u8_mb++;
      if (is_syllable(cp)) st->u8_hangul++;
      i += (size_t)k;
    }
  }
}

static void scan_cp949(const unsigned char *s, size_t a, size_t e, size_t n, Stats *st)
{
  size_t i = a;
  if (a > 0) {   /* resynchronize after a byte that cannot be a trail byte */
    size_t j = a;
    while (j < e && j < a + 64 && s[j] >= 0x41) j++;
    if (j < e && j < a + 64) i = j + 1;
  }
  while (i < e) {
    unsigned b = s[i];
    if (b < 0x80) { i++; continue; }
    if (i + 1 >= e) {
      if (e == n) st->cp_bad++;
      break;
    }
    int k = (b == 0x80 || b == 0xFF) ? CP_BAD : cp949_pair(b, s[i + 1]);
    switch (k) {
    case CP_BAD: st->cp_bad++; i++; continue;
    case CP_KS: st->cp_ks++; break;
    case CP_EXT: st->cp_ext++; break;
    case CP_SYMBOL: st->cp_sym++; break;
    default: st->cp_hanja++; break;
    }
    st->cp_pairs++;
    i += 2;
  }
}

/* Share of plausible characters when s[0..n) is read as UTF-16 (be: big-endian). */
static double utf16_share(const unsigned char *s, size_t n, int be, size_t *units)
{
  size_t good = 0, total = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
    total++;
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
      uint32_t v = be ? (uint32_t)(s[i + 2] << 8 | s[i + 3]) : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
      if (v >= 0xDC00 && v <= 0xDFFF) {
        good += plausible(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), 1);
        i += 2;
        continue;
      }
    }
    good += plausible(u, 1);
  }
  if (units) *units = total;
  return total ? (double)good / (double)total : 0.0;
}

static void set(Detect *d, const char *name, double conf)
{
  d->name = name;
  d->confidence = conf;
}

static void detect_bytes(const unsigned char *s, size_t n, Detect *d)
{
  d->bad_at = 0;
  d->evidence[0] = '\0';
  char *ev = d->evidence;
  size_t evn = sizeof d->evidence;
  if (n == 0) { set(d, "utf-8", 1.0); snprintf(ev, evn, "empty input"); return; }

  /* 1. byte order marks */
  if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0 && n % 4 == 0) {
    set(d, "utf-32le", 1.0); snprintf(ev, evn, "BOM FF FE 00 00"); return;
  }
  if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
    set(d, "utf-32be", 1.0); snprintf(ev, evn, "BOM 00 00 FE FF"); return;
  }
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    set(d, "utf-8", 1.0); snprintf(ev, evn, "BOM EF BB BF"); return;
  }
  if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
    set(d, "utf-16le", 1.0); snprintf(ev, evn, "BOM FF FE"); return;
  }
  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
    set(d, "utf-16be", 1.0); snprintf(ev, evn, "BOM FE FF"); return;
  }

  /* 2. statistics over up to three windows: the head, the middle and the tail */
  Stats st;
  memset(&st, 0, sizeof st);
  st.first_ctrl = SIZE_MAX;
  st.iso2022 = memmem(s, n < 4096 ? n : 4096, "\x1B$)C", 4) != NULL;
  size_t win[3][2];
  int nwin = 1;
  win[0][0] = 0; win[0][1] = n;
  if (n > 3 * WINDOW) {
    nwin = 3;
    win[0][1] = WINDOW;
    win[1][0] = (n / 2) & ~(size_t)3; win[1][1] = win[1][0] + WINDOW;
    win[2][0] = (n - WINDOW) & ~(size_t)3; win[2][1] = n;
  }
  for (int w = 0; w < nwin; w++) {
    scan_bytes(s, win[w][0], win[w][1], &st);
    scan_utf8(s, win[w][0], win[w][1], n, &st);
  }
  if (st.u8_bad > 0)   /* CP949 matters only when UTF-8 fails */
    for (int w = 0; w < nwin; w++) scan_cp949(s, win[w][0], win[w][1], n, &st);

  /* 3. UTF-16 without a BOM: NULs (the high bytes of ASCII) on one parity */
  size_t head = n < WINDOW ? n : WINDOW, units;
  if (st.nul > 0 && st.nul * 50 >= st.bytes) {
    int le = st.nul_odd * 10 >= st.nul * 9, be = st.nul_even * 10 >= st.nul * 9;
    if (le || be) {
      double share = utf16_share(s, head, be, &units);
      if (share >= 0.9) {
        set(d, be ? "utf-16be" : "utf-16le", share);
        snprintf(ev, evn, "no BOM; %zu of %zu NUL bytes at %s offsets; %.1f%% of %zu UTF-16%s "
                 "characters plausible", be ? st.nul_even : st.nul_odd, st.nul,
                 be ? "even" : "odd", 100 * share, units, be ? "BE" : "LE");
        return;
      }
    }
  }

  /* 4. binary: control bytes (NULs among them) in what is not valid text, or a
   * fifth of all bytes. Hangul-only UTF-16 is full of those too. */
  int text_ok = st.u8_bad == 0 || (st.cp_pairs > 0 && st.cp_bad * 50 < st.cp_pairs);
  size_t ctl = st.nul + st.ctrl;
  if ((!text_ok && ctl * 100 > st.bytes) || ctl * 5 > st.bytes) {
    if (n % 2 == 0) {
      size_t u1, u2;
      double le = utf16_share(s, head, 0, &u1), be = utf16_share(s, head, 1, &u2);
      if ((le >= 0.95 || be >= 0.95) && u1 >= 8) {
        int isbe = be > le;
        set(d, isbe ? "utf-16be" : "utf-16le", isbe ? be : le);
        snprintf(ev, evn, "no BOM, few NULs; %.1f%% of %zu UTF-16%s characters plausible",
                 100 * (isbe ? be : le), isbe ? u2 : u1, isbe ? "BE" : "LE");
        return;
      }
    }
    set(d, "binary", 0.9);
    d->bad_at = st.first_ctrl;
    snprintf(ev, evn, "%zu NUL and %zu other control bytes in %zu%s bytes", st.nul, st.ctrl,
             st.bytes, nwin > 1 ? " sampled" : "");
    return;
  }

  /* 5. strict UTF-8 */
  if (st.u8_bad == 0) {
    if (st.iso2022 && st.u8_mb == 0) {
      set(d, "iso-2022-kr", 0.95);
      snprintf(ev, evn, "7-bit with the ESC $ ) C designator");
      return;
    }
    set(d, "utf-8", 1.0);
    if (st.u8_mb == 0) snprintf(ev, evn, "ASCII only%s%s", nwin > 1 ? " (sampled)" : "",
                                st.u8_cut ? "; truncated UTF-8 at the end" : "");
    else snprintf(ev, evn, "valid UTF-8: %zu multibyte characters (%zu Hangul)%s%s", st.u8_mb,
                  st.u8_hangul, nwin > 1 ? " in 3 samples" : "",
                  st.u8_cut ? "; truncated at the end" : "");
    return;
  }

  /* 6. CP949 / EUC-KR, scored by the share of KS X 1001 syllables */
  size_t cp_good = st.cp_pairs;
  double cp_ok = (double)cp_good / (double)(cp_good + st.cp_bad);
  double ks = cp_good ? (double)st.cp_ks / (double)cp_good : 0.0;
  double u8_ok = (double)st.u8_mb / (double)(st.u8_mb + st.u8_bad);
  const char *kname = st.cp_ext ? "cp949" : "euc-kr";
  if (cp_good > 0 && ks >= 0.3 && cp_ok >= 0.98) {
    set(d, kname, (0.5 + 0.5 * ks) * cp_ok);
    snprintf(ev, evn, "not UTF-8; %zu CP949 pairs, %.1f%% of them common (KS X 1001) Hangul "
             "syllables, %zu outside EUC-KR, %zu invalid", cp_good, 100 * ks, st.cp_ext, st.cp_bad);
    return;
  }
  /* both partly valid (mixed encodings?): the one that reads more Hangul leads */
  if (st.u8_mb > 0 && u8_ok >= 0.5 && (st.u8_hangul >= st.cp_ks || ks < 0.3 || cp_ok < 0.5)) {
    set(d, "utf-8", 0.9 * u8_ok);
    snprintf(ev, evn, "mostly UTF-8: %zu multibyte characters, %zu invalid sequences "
             "(mixed encodings?)", st.u8_mb, st.u8_bad);
    return;
  }
  if (cp_good > 0 && ks >= 0.3 && cp_ok >= 0.5) {
    set(d, kname, 0.9 * cp_ok * (0.5 + 0.5 * ks));
    snprintf(ev, evn, "mostly CP949: %zu pairs (%.1f%% common syllables), %zu invalid "
             "(mixed encodings?)", cp_good, 100 * ks, st.cp_bad);
    return;
  }

  /* 7. UTF-16 of text with no ASCII at all */
  if (n % 2 == 0) {
    size_t u1, u2;
    double le = utf16_share(s, head, 0, &u1), be = utf16_share(s, head, 1, &u2);
    if ((le >= 0.95 || be >= 0.95) && u1 >= 8) {
      int isbe = be > le;
      set(d, isbe ? "utf-16be" : "utf-16le", isbe ? be : le);
      snprintf(ev, evn, "no BOM, no NULs; %.1f%% of UTF-16%s characters plausible",
               100 * (isbe ? be : le), isbe ? "BE" : "LE");
      return;
    }
  }

  /* 8. last resort: a single-byte Western encoding */
  for (int w = 0; w < nwin; w++) scan_c1(s, win[w][0], win[w][1], &st);
  if (st.c1 > 0 && st.c1_undef == 0) {
    set(d, "cp1252", 0.3);
    snprintf(ev, evn, "neither UTF-8 (%zu invalid) nor CP949 (%zu invalid); bytes 80-9F "
             "all defined in CP1252", st.u8_bad, st.cp_bad);
  } else {
    set(d, "latin1", 0.3);
    snprintf(ev, evn, "neither UTF-8 (%zu invalid) nor CP949 (%zu invalid); read as Latin-1",
             st.u8_bad, st.cp_bad);
  }
}

/* ------------------------------------------------------------------------ */
/* The converter                                                            */
/* ------------------------------------------------------------------------ */

typedef struct Conv {
  iconv_t cd;           /* NO_ICONV for UTF-8 to UTF-8 (our own decoder) or when closed */
  uint32_t *wide;       /* decode mode: iconv writes code points here (WCHAR_T), we write UTF-8 */
  size_t wcap;
  int own_utf8;         /* source and target are UTF-8 */
  int clean;            /* decode: U+FFFD for bad bytes, LF newlines, no BOM, no NULs */
  int unit;             /* bytes per code unit of the source (1, 2, 4) */
  int autodetect;       /* the source is chosen by detection on the first chunk */
  int closed, started, cr, bom, failed;
  size_t npend;
  unsigned char pend[PEND_MAX];
  lua_Integer offset;   /* input bytes consumed so far */
  lua_Integer replaced, first_bad, nuls, first_nul, newlines, err_off;
  lua_Integer truncated;  /* offset of a character cut by the end of input, or 0 */
  double confidence;
  EncName from, to;
  char err[120];
  char evidence[200];
} Conv;

static void conv_close(Conv *c)
{
  if (c->cd != NO_ICONV) iconv_close(c->cd);
  c->cd = NO_ICONV;
  free(c->wide);
  c->wide = NULL;
  c->wcap = 0;
  c->closed = 1;
}

static int conv_gc(lua_State *L)
{
  conv_close((Conv *)luaL_checkudata(L, 1, CONV_MT));
  return 0;
}

/* A new converter userdata on the stack, not yet set up. */
static Conv *conv_new(lua_State *L)
{
  Conv *c = (Conv *)lua_newuserdatauv(L, sizeof(Conv), 0);
  memset(c, 0, sizeof *c);
  c->cd = NO_ICONV;
  c->unit = 1;
  luaL_setmetatable(L, CONV_MT);
  return c;
}

/* Open the iconv descriptor; raises when iconv knows neither name. In clean
 * mode EUC-KR is read as CP949, its superset, as web browsers do, and iconv
 * decodes to code points (WCHAR_T, glibc's internal UCS-4): writing UTF-8 and
 * tidying in one loop of ours is faster than glibc's own UTF-8 step. */
static void conv_setup(lua_State *L, Conv *c, const EncName *from, const EncName *to, int clean)
{
  if (c->cd != NO_ICONV) iconv_close(c->cd);
  c->cd = NO_ICONV;
  c->from = *from;
  c->to = *to;
  c->clean = clean;
  c->unit = unit_of(from);
  c->own_utf8 = is_utf8(from) && is_utf8(to);
  if (c->own_utf8) return;
  const char *src = (clean && strcmp(from->name, "euc-kr") == 0) ? "CP949" : from->iconv;
  c->cd = iconv_open(clean ? "WCHAR_T" : to->iconv, src);
  if (c->cd == NO_ICONV) {
    iconv_t probe = iconv_open("UTF-8", src);
    if (probe == NO_ICONV) luaL_error(L, "unknown encoding '%s'", from->name);
    iconv_close(probe);
    luaL_error(L, "unknown encoding '%s'", to->name);
  }
}

/* First input NUL at or after in[0] (input offset base), by code unit. */
static lua_Integer find_nul(const Conv *c, const char *in, size_t n)
{
  size_t u = (size_t)c->unit;
  for (size_t i = 0; i + u <= n; i += u) {
    size_t k = 0;
    while (k < u && in[i + k] == 0) k++;
    if (k == u) return c->offset + (lua_Integer)i + 1;
  }
  return c->offset + 1;
}

/* Clean s[0..n) (fresh UTF-8 output) in place; in[0..inlen) is the input it
 * came from, at c->offset. CR and CRLF become LF, a leading BOM and NULs go. */
static size_t tidy(Conv *c, char *s, size_t n, const char *in, size_t inlen)
{
  if (n == 0) return 0;
  char *w = s, *r = s, *end = s + n;
  if (!c->started) {
    c->started = 1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { c->bom = 1; r += 3; }
  }
  if (c->cr && r < end) {     /* the CR ended the last chunk: this LF is its pair */
    if (*r == '\n') r++;
    c->cr = 0;
  }
  while (r < end) {
    char *q = memchr(r, '\r', (size_t)(end - r));
    if (!q) q = end;
    char *z = memchr(r, '\0', (size_t)(q - r));
    if (z) q = z;
    if (w != r) memmove(w, r, (size_t)(q - r));
    w += q - r;
    if (q == end) break;
    if (*q == '\r') {
      *w++ = '\n';
      c->newlines++;
      r = q + 1;
      if (r < end && *r == '\n') r++;
      else if (r == end) c->cr = 1;
    } else {
      if (c->nuls++ == 0) c->first_nul = find_nul(c, in, inlen);
      r = q + 1;
    }
  }
  return (size_t)(w - s);
}

/* Write code points w[0..m) as clean UTF-8 to out (room for 4 bytes each);
 * in[0..inlen) is the input they came from, at c->offset. Returns the length. */
static size_t put_wide(Conv *c, const uint32_t *w, size_t m, char *out, const char *in, size_t inlen)
{
  unsigned char *o = (unsigned char *)out;
  size_t i = 0;
  if (m > 0 && !c->started) {
    c->started = 1;
    if (w[0] == 0xFEFF) { c->bom = 1; i = 1; }
  }
  if (c->cr && i < m) {
    if (w[i] == '\n') i++;
    c->cr = 0;
  }
  for (; i < m; i++) {
    uint32_t cp = w[i];
    if (cp >= 0x80) {
      if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6)); o[1] = (unsigned char)(0x80 | (cp & 0x3F)); o += 2;
      } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12)); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F)); o += 3;
      } else {
        o[0] = (unsigned char)(0xF0 | (cp >> 18)); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        o += 4;
      }
    } else if (cp > '\r' || (cp != '\r' && cp != 0)) {
      *o++ = (unsigned char)cp;
    } else if (cp == '\r') {
      *o++ = '\n';
      c->newlines++;
      if (i + 1 == m) c->cr = 1;
      else if (w[i + 1] == '\n') i++;
    } else {
      if (c->nuls++ == 0) c->first_nul = find_nul(c, in, inlen);
    }
  }
  return (size_t)((char *)o - out);
}

static void add_fffd(Conv *c, luaL_Buffer *b)
{
  luaL_addlstring(b, "\xEF\xBF\xBD", 3);
  c->started = 1;
  c->cr = 0;
  if (c->replaced++ == 0) c->first_bad = c->offset + 1;
}

/* Record a strict-mode error at the current offset; returns (size_t)-1. */
static size_t conv_fail(Conv *c, const char *p, size_t left, int incomplete)
{
  c->failed = 1;
  c->err_off = c->offset + 1;
  if (incomplete) {
    snprintf(c->err, sizeof c->err, "incomplete %s sequence at end of input", c->from.name);
    return (size_t)-1;
  }
  /* invalid input, or a character the target lacks? Decode one character to see. */
  uint32_t cp = 0;
  int ok = 0;
  if (is_utf8(&c->from)) {
    ok = gisa_utf8_decode((const unsigned char *)p, left, &cp) > 0;
  } else {
    iconv_t probe = iconv_open("UTF-32LE", c->from.iconv);
    if (probe != NO_ICONV) {
      char ob[4], *o = ob, *ip = (char *)p;
      size_t ol = 4, il = left < 8 ? left : 8;
      iconv(probe, &ip, &il, &o, &ol);
      if (ol == 0) {
        cp = (uint32_t)((unsigned char)ob[0] | (unsigned char)ob[1] << 8 |
                        (unsigned char)ob[2] << 16 | (unsigned char)ob[3] << 24);
        ok = 1;
      }
      iconv_close(probe);
    }
  }
  if (ok) snprintf(c->err, sizeof c->err, "U+%04X cannot be represented in %s", (unsigned)cp, c->to.name);
  else snprintf(c->err, sizeof c->err, "invalid %s byte sequence", c->from.name);
  return (size_t)-1;
}

/* UTF-8 to UTF-8 with our own strict decoder. Returns the bytes consumed (fewer
 * than n only when !last and the input ends inside a character). */
static size_t proc_utf8(Conv *c, const char *in, size_t n, int last, luaL_Buffer *b)
{
  const unsigned char *s = (const unsigned char *)in;
  size_t i = 0;
  while (i < n) {
    size_t v = gisa_utf8_valid_prefix(s + i, n - i);
    if (v > 0) {
      if (c->clean) {
        char *o = luaL_prepbuffsize(b, v);
        memcpy(o, in + i, v);
        luaL_addsize(b, tidy(c, o, v, in + i, v));
      } else {
        luaL_addlstring(b, in + i, v);
      }
      i += v;
      c->offset += (lua_Integer)v;
      if (i == n) break;
    }
    uint32_t sub;
    gisa_utf8_decode(s + i, n - i, &sub);
    int partial = i + sub == n && s[i] >= 0xC2 && s[i] <= 0xF4;
    if (partial && !last) return i;
    if (!c->clean) return conv_fail(c, in + i, n - i, partial);
    add_fffd(c, b);
    if (partial) c->truncated = c->offset + 1;
    i += sub;
    c->offset += (lua_Integer)sub;
  }
  return n;
}

/* Any source through iconv. Returns the bytes consumed, or (size_t)-1 after a
 * strict-mode error (c->err). The input goes in slices, so that tidy reads
 * output that is still in the cache. */
#define SLICE (256 * 1024)
static size_t proc_iconv(Conv *c, const char *in, size_t n, int last, luaL_Buffer *b)
{
  char *p = (char *)in;
  size_t left = n, room = 0;
  while (left > 0) {
    size_t take = left > SLICE ? SLICE : left, tleft = take;
    if (room < take + take / 2 + 64) room = take + take / 2 + 64;
    char *out, *o, *p0 = p;
    size_t oleft;
    if (c->clean) {   /* code points into c->wide: one per input byte at most */
      room = take * 4 + 64;
      if (c->wcap < room) {
        free(c->wide);
        c->wide = malloc(room);
        c->wcap = c->wide ? room : 0;
        if (!c->wide) luaL_error(b->L, "not enough memory");
      }
      out = o = (char *)c->wide;
      oleft = c->wcap;
    } else {
      out = o = luaL_prepbuffsize(b, room);
      oleft = room;
    }
    size_t r = iconv(c->cd, &p, &tleft, &o, &oleft);
    int e = errno;
    size_t made = (size_t)(o - out), used = (size_t)(p - p0);
    if (c->clean) {
      size_t m = made / 4;
      char *u = luaL_prepbuffsize(b, m * 4 + 4);
      luaL_addsize(b, put_wide(c, c->wide, m, u, p0, used));
    } else {
      luaL_addsize(b, made);
    }
    c->offset += (lua_Integer)used;
    left -= used;
    room = 0;
    if (r != (size_t)-1) continue;
    if (e == E2BIG) { room = 2 * room + tleft * 4 + 64; continue; }
    if (e == EINVAL && tleft < left && used > 0) continue;   /* cut by the slice */
    if (e == EINVAL && !last && left <= PEND_MAX) return n - left;
    if (!c->clean) {
      if (e == EILSEQ || e == EINVAL) return conv_fail(c, p, left, e == EINVAL);
      c->failed = 1;
      c->err_off = c->offset + 1;
      snprintf(c->err, sizeof c->err, "iconv: %s", strerror(e));
      return (size_t)-1;
    }
    add_fffd(c, b);
    if (e == EINVAL && tleft == left) {   /* a truncated character at the end: one U+FFFD */
      c->truncated = c->offset + 1;
      c->offset += (lua_Integer)left;
      left = 0;
      break;
    }
    size_t skip = (size_t)c->unit <= left ? (size_t)c->unit : left;
    p += skip;
    left -= skip;
    c->offset += (lua_Integer)skip;
  }
  if (last) {   /* the shift sequence a stateful target may need */
    char *out = luaL_prepbuffsize(b, 64), *o = out;
    size_t oleft = 64;
    iconv(c->cd, NULL, NULL, &o, &oleft);
    luaL_addsize(b, (size_t)(o - out));
  }
  return n;
}

static size_t proc(Conv *c, const char *in, size_t n, int last, luaL_Buffer *b)
{
  return c->own_utf8 ? proc_utf8(c, in, n, last, b) : proc_iconv(c, in, n, last, b);
}

/* Convert one chunk, joining a character split over the previous one.
 * Returns 0, or -1 after a strict-mode error. */
static int feed(Conv *c, const char *s, size_t n, int last, luaL_Buffer *b)
{
  size_t i = 0;
  if (c->npend > 0) {
    char tmp[PEND_MAX + 32];
    size_t np = c->npend, k = n < 32 ? n : 32;
    memcpy(tmp, c->pend, np);
    memcpy(tmp + np, s, k);
    c->npend = 0;
    size_t used = proc(c, tmp, np + k, last && k == n, b);
    if (used == (size_t)-1) return -1;
    if (used < np + k) {
      if (k == n) {   /* all of this chunk is still one partial character */
        memcpy(c->pend, tmp + used, np + k - used);
        c->npend = np + k - used;
        return 0;
      }
      i = used >= np ? used - np : 0;
    } else {
      i = k;
    }
  }
  size_t used = proc(c, s + i, n - i, last, b);
  if (used == (size_t)-1) return -1;
  if (used < n - i) {
    memcpy(c->pend, s + i + used, n - i - used);
    c->npend = n - i - used;
  }
  return 0;
}

/* The report table of a converter. */
static void push_report(lua_State *L, const Conv *c)
{
  lua_createtable(L, 0, 12);
  lua_pushstring(L, c->from.name); lua_setfield(L, -2, "encoding");
  lua_pushinteger(L, c->replaced); lua_setfield(L, -2, "replaced");
  if (c->replaced) { lua_pushinteger(L, c->first_bad); lua_setfield(L, -2, "first_bad"); }
  lua_pushinteger(L, c->nuls); lua_setfield(L, -2, "nuls");
  if (c->nuls) { lua_pushinteger(L, c->first_nul); lua_setfield(L, -2, "first_nul"); }
  lua_pushboolean(L, c->bom); lua_setfield(L, -2, "bom");
  if (c->truncated) { lua_pushinteger(L, c->truncated); lua_setfield(L, -2, "truncated"); }
  lua_pushinteger(L, c->newlines); lua_setfield(L, -2, "newlines");
  lua_pushinteger(L, c->offset); lua_setfield(L, -2, "bytes");
  if (c->evidence[0]) {
    lua_pushnumber(L, c->confidence); lua_setfield(L, -2, "confidence");
    lua_pushstring(L, c->evidence); lua_setfield(L, -2, "evidence");
  }
}

/* The name decode uses for a detected or given name: UTF-16/32 by their BOM. */
static void resolve_bom(EncName *e, const unsigned char *s, size_t n)
{
  if (strcmp(e->name, "utf-16") == 0)
    enc_set(e, n >= 2 && s[0] == 0xFE && s[1] == 0xFF ? "utf-16be" : "utf-16le");
  else if (strcmp(e->name, "utf-32") == 0)
    enc_set(e, n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE ? "utf-32be" : "utf-32le");
}

/* ------------------------------------------------------------------------ */
/* Lua API: detect, decode, convert, open, canonical                        */
/* ------------------------------------------------------------------------ */

/* enc.detect(bytes) -> name, confidence, evidence   (name "binary" for binary data) */
static int enc_detect(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  Detect d;
  detect_bytes((const unsigned char *)s, n, &d);
  lua_pushstring(L, d.name);
  lua_pushnumber(L, d.confidence);
  lua_pushstring(L, d.evidence);
  return 3;
}

/* Is the line s[0..n) valid in this encoding (UTF-8, or CP949 that reads as Korean)? */
static int line_valid(int utf8, const unsigned char *s, size_t n)
{
  if (utf8) return gisa_utf8_valid_prefix(s, n) == n;
  size_t pairs = 0, ks = 0;
  for (size_t i = 0; i < n; ) {
    if (s[i] < 0x80) { i++; continue; }
    if (i + 1 >= n || s[i] == 0x80 || s[i] == 0xFF) return 0;
    int k = cp949_pair(s[i], s[i + 1]);
    if (k == CP_BAD) return 0;
    pairs++;
    ks += k == CP_KS;
    i += 2;
  }
  return pairs == 0 || ks * 2 >= pairs;   /* Korean, not a stray pair */
}

/* Decode again line by line: a line invalid in c's encoding but valid in the
 * other Korean one (UTF-8 <-> CP949) is read in that one. Pushes the text and
 * leaves the counters in c; returns the number of such lines. */
static lua_Integer decode_mixed(lua_State *L, Conv *c, const char *s, size_t n,
                                lua_Integer *first, const char **other)
{
  int p_utf8 = is_utf8(&c->from);
  EncName sec, u8;
  enc_set(&sec, p_utf8 ? "cp949" : "utf-8");
  enc_set(&u8, "utf-8");
  *other = p_utf8 ? "cp949" : "utf-8";
  Conv *c2 = conv_new(L);
  conv_setup(L, c2, &sec, &u8, 1);
  c2->started = 1;
  if (c->cd != NO_ICONV) iconv(c->cd, NULL, NULL, NULL, NULL);
  c->offset = c->replaced = c->first_bad = c->nuls = c->first_nul = c->newlines = 0;
  c->started = c->cr = c->bom = c->truncated = 0;
  c->npend = 0;
  lua_Integer mixed = 0;
  luaL_Buffer b;
  luaL_buffinitsize(L, &b, n + n / 2 + 16);
  const unsigned char *u = (const unsigned char *)s;
  for (size_t a = 0; a < n; ) {
    const char *nl = memchr(s + a, '\n', n - a);
    size_t e = nl ? (size_t)(nl - s) + 1 : n;
    Conv *use = c;
    if (!line_valid(p_utf8, u + a, e - a) && line_valid(!p_utf8, u + a, e - a)) {
      use = c2;
      if (mixed++ == 0) *first = (lua_Integer)a + 1;
    }
    use->offset = (lua_Integer)a;
    feed(use, s + a, e - a, 1, &b);
    a = e;
  }
  c->offset = (lua_Integer)n;
  c->nuls += c2->nuls;
  c->newlines += c2->newlines;
  if (c2->nuls && (!c->first_nul || c2->first_nul < c->first_nul)) c->first_nul = c2->first_nul;
  luaL_pushresult(&b);
  lua_remove(L, -2);   /* c2 */
  return mixed;
}

/* enc.decode(bytes [, from]) -> text, report | nil, message, offset
 * from: an encoding name or "auto" (the default). The text is UTF-8 with LF
 * newlines, no BOM and no NULs; bad bytes are U+FFFD, counted in the report. */
static int enc_decode(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  const char *fromarg = luaL_optstring(L, 2, "auto");
  const unsigned char *u = (const unsigned char *)s;
  int autodetect = strcmp(fromarg, "auto") == 0;
  EncName from, to;
  Detect d;
  enc_set(&to, "utf-8");
  if (autodetect) {
    detect_bytes(u, n, &d);
    if (strcmp(d.name, "binary") == 0) {
      lua_pushnil(L);
      lua_pushfstring(L, "binary data: %s", d.evidence);
      lua_pushinteger(L, (lua_Integer)d.bad_at + 1);
      return 3;
    }
    enc_set(&from, d.name);
  } else {
    enc_name(L, fromarg, &from);
    resolve_bom(&from, u, n);
  }
  Conv *c = conv_new(L);   /* index 3 */
  conv_setup(L, c, &from, &to, 1);
  if (autodetect) {
    c->confidence = d.confidence;
    memcpy(c->evidence, d.evidence, sizeof c->evidence);
  }
  if (c->own_utf8 && gisa_utf8_valid_prefix(u, n) == n && !memchr(s, '\r', n) &&
      !memchr(s, '\0', n) && !(n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)) {
    c->offset = (lua_Integer)n;
    lua_pushvalue(L, 1);   /* already clean: no copy */
  } else {
    luaL_Buffer b;
    luaL_buffinitsize(L, &b, n + n / 2 + 16);
    feed(c, s, n, 1, &b);
    luaL_pushresult(&b);
  }
  lua_Integer mixed = 0, mixed_first = 0;
  const char *other = NULL;
  if (autodetect && c->replaced > 0 &&
      (is_utf8(&from) || !strcmp(from.name, "cp949") || !strcmp(from.name, "euc-kr"))) {
    lua_pop(L, 1);
    mixed = decode_mixed(L, c, s, n, &mixed_first, &other);
  }
  push_report(L, c);
  if (mixed > 0) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, other); lua_setfield(L, -2, "encoding");
    lua_pushinteger(L, mixed); lua_setfield(L, -2, "lines");
    lua_pushinteger(L, mixed_first); lua_setfield(L, -2, "first");
    lua_setfield(L, -2, "mixed");
  }
  conv_close(c);
  return 2;
}

/* enc.convert(s, from, to) -> string | nil, message, offset   (any iconv conversion, strict) */
static int enc_convert(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  EncName from, to;
  enc_name(L, luaL_checkstring(L, 2), &from);
  enc_name(L, luaL_checkstring(L, 3), &to);
  Conv *c = conv_new(L);
  conv_setup(L, c, &from, &to, 0);
  luaL_Buffer b;
  luaL_buffinitsize(L, &b, n + n / 2 + 16);
  if (feed(c, s, n, 1, &b) < 0) {
    conv_close(c);
    lua_pushnil(L);
    lua_pushstring(L, c->err);
    lua_pushinteger(L, c->err_off);
    return 3;
  }
  luaL_pushresult(&b);
  conv_close(c);
  return 1;
}

/* enc.canonical(name) -> name | nil, message   (gisa's name for an encoding iconv knows) */
static int enc_canonical(lua_State *L)
{
  EncName e;
  const char *s = luaL_checkstring(L, 1);
  if (strcmp(s, "auto") == 0) { lua_pushstring(L, "auto"); return 1; }
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof e.name) {
    lua_pushnil(L);
    lua_pushfstring(L, "unknown encoding '%s'", s);
    return 2;
  }
  enc_name(L, s, &e);
  iconv_t cd = iconv_open("UTF-8", e.iconv);
  if (cd == NO_ICONV) {
    lua_pushnil(L);
    lua_pushfstring(L, "unknown encoding '%s'", s);
    return 2;
  }
  iconv_close(cd);
  lua_pushstring(L, e.name);
  return 1;
}

/* enc.open(from [, to = "utf-8" [, mode]]) -> converter
 * mode "decode" (the default when to is utf-8: what decode does, chunk by chunk)
 * or "strict" (plain iconv; bad data ends the stream with nil, message, offset).
 * from may be "auto" in decode mode: detection runs on the first chunk. */
static int enc_open(lua_State *L)
{
  const char *fromarg = luaL_checkstring(L, 1);
  EncName from, to;
  enc_name(L, luaL_optstring(L, 2, "utf-8"), &to);
  const char *mode = luaL_optstring(L, 3, is_utf8(&to) ? "decode" : "strict");
  int clean = strcmp(mode, "decode") == 0;
  luaL_argcheck(L, clean || strcmp(mode, "strict") == 0, 3, "mode must be 'decode' or 'strict'");
  luaL_argcheck(L, !clean || is_utf8(&to), 3, "decode mode converts to utf-8 only");
  int autodetect = strcmp(fromarg, "auto") == 0;
  luaL_argcheck(L, !autodetect || clean, 1, "'auto' needs decode mode");
  Conv *c = conv_new(L);
  if (autodetect) {
    c->autodetect = 1;
    c->clean = 1;
    c->from = to;
    c->to = to;
    strcpy(c->from.name, "auto");
  } else {
    enc_name(L, fromarg, &from);
    conv_setup(L, c, &from, &to, clean);
  }
  return 1;
}

static Conv *check_open(lua_State *L)
{
  Conv *c = (Conv *)luaL_checkudata(L, 1, CONV_MT);
  if (c->closed) luaL_error(L, "attempt to use a closed converter");
  return c;
}

/* converter:convert(chunk [, last]) -> string | nil, message, offset
 * A character split between chunks is joined; last = true ends the stream. */
static int conv_convert(lua_State *L)
{
  Conv *c = check_open(L);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  int last = lua_toboolean(L, 3);
  if (c->failed) {
    lua_pushnil(L);
    lua_pushstring(L, c->err);
    lua_pushinteger(L, c->err_off);
    return 3;
  }
  if (c->autodetect) {
    if (n == 0 && !last) { lua_pushliteral(L, ""); return 1; }
    Detect d;
    EncName from, to = c->to;
    detect_bytes((const unsigned char *)s, n, &d);
    if (strcmp(d.name, "binary") == 0) {
      c->failed = 1;
      c->err_off = (lua_Integer)d.bad_at + 1;
      snprintf(c->err, sizeof c->err, "binary data: %.100s", d.evidence);
      lua_pushnil(L);
      lua_pushstring(L, c->err);
      lua_pushinteger(L, c->err_off);
      return 3;
    }
    enc_set(&from, d.name);
    conv_setup(L, c, &from, &to, 1);
    c->autodetect = 0;
    c->confidence = d.confidence;
    memcpy(c->evidence, d.evidence, sizeof c->evidence);
  }
  luaL_Buffer b;
  luaL_buffinitsize(L, &b, n + n / 2 + 16);
  if (feed(c, s, n, last, &b) < 0) {
    lua_pushnil(L);
    lua_pushstring(L, c->err);
    lua_pushinteger(L, c->err_off);
    return 3;
  }
  luaL_pushresult(&b);
  return 1;
}

/* converter:report() -> {encoding, replaced, first_bad, nuls, first_nul, bom, truncated, newlines, bytes}
 * (offsets are 1-based bytes of the input; first_bad, first_nul, truncated only when there are any) */
static int conv_report(lua_State *L)
{
  Conv *c = (Conv *)luaL_checkudata(L, 1, CONV_MT);
  push_report(L, c);
  return 1;
}

/* converter:close()   (also __close and __gc) */
static int conv_closem(lua_State *L)
{
  conv_close((Conv *)luaL_checkudata(L, 1, CONV_MT));
  return 0;
}

/* tostring(converter) -> "gisa.enc converter (cp949 -> utf-8)" */
static int conv_tostring(lua_State *L)
{
  Conv *c = (Conv *)luaL_checkudata(L, 1, CONV_MT);
  if (c->closed) lua_pushliteral(L, "gisa.enc converter (closed)");
  else lua_pushfstring(L, "gisa.enc converter (%s -> %s, %s)", c->from.name, c->to.name,
                       c->clean ? "decode" : "strict");
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Mojibake repair                                                          */
/* ------------------------------------------------------------------------ */

/* The byte a character stands for when bytes were mis-read as Latin-1 or
 * CP1252 (C1 controls stand for themselves, as Windows and WHATWG map the
 * bytes CP1252 leaves undefined), or -1. */
static int latin_byte(uint32_t cp)
{
  if (cp < 0x100) return (int)cp;
  switch (cp) {
  case 0x20AC: return 0x80; case 0x201A: return 0x82; case 0x0192: return 0x83;
  case 0x201E: return 0x84; case 0x2026: return 0x85; case 0x2020: return 0x86;
  case 0x2021: return 0x87; case 0x02C6: return 0x88; case 0x2030: return 0x89;
  case 0x0160: return 0x8A; case 0x2039: return 0x8B; case 0x0152: return 0x8C;
  case 0x017D: return 0x8E; case 0x2018: return 0x91; case 0x2019: return 0x92;
  case 0x201C: return 0x93; case 0x201D: return 0x94; case 0x2022: return 0x95;
  case 0x2013: return 0x96; case 0x2014: return 0x97; case 0x02DC: return 0x98;
  case 0x2122: return 0x99; case 0x0161: return 0x9A; case 0x203A: return 0x9B;
  case 0x0153: return 0x9C; case 0x017E: return 0x9E; case 0x0178: return 0x9F;
  default: return -1;
  }
}

typedef struct Buf { char *p; size_t n, cap; } Buf;

/* What repair holds: two iconv descriptors and scratch buffers, freed by __gc. */
typedef struct Box {
  iconv_t from949, to949;
  Buf out, bytes, dec;
} Box;

static void box_free(Box *x)
{
  if (x->from949 != NO_ICONV) iconv_close(x->from949);
  if (x->to949 != NO_ICONV) iconv_close(x->to949);
  x->from949 = x->to949 = NO_ICONV;
  free(x->out.p); free(x->bytes.p); free(x->dec.p);
  x->out.p = x->bytes.p = x->dec.p = NULL;
}

static int box_gc(lua_State *L)
{
  box_free((Box *)luaL_checkudata(L, 1, BOX_MT));
  return 0;
}

static void buf_need(lua_State *L, Buf *b, size_t extra)
{
  if (b->n + extra <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + extra) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) luaL_error(L, "not enough memory");
  b->p = p;
  b->cap = cap;
}

static void buf_add(lua_State *L, Buf *b, const char *s, size_t n)
{
  if (n == 0) return;   /* b->p may still be NULL, and memcpy(NULL, …, 0) is undefined */
  buf_need(L, b, n);
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

/* Strict conversion of s[0..n) through cd into dst (cleared first); 0 on failure,
 * with dst holding what came before it and *rest (when given) the bytes left. */
static int icv_rest(lua_State *L, iconv_t cd, const char *s, size_t n, Buf *dst, size_t *rest)
{
  dst->n = 0;
  iconv(cd, NULL, NULL, NULL, NULL);
  char *p = (char *)s;
  size_t left = n;
  while (left > 0) {
    buf_need(L, dst, left * 2 + 16);
    char *o = dst->p + dst->n;
    size_t oleft = dst->cap - dst->n;
    size_t r = iconv(cd, &p, &left, &o, &oleft);
    dst->n = (size_t)(o - dst->p);
    if (r == (size_t)-1 && errno != E2BIG) { if (rest) *rest = errno == EINVAL ? left : 0; return 0; }
  }
  return 1;
}

static int icv(lua_State *L, iconv_t cd, const char *s, size_t n, Buf *dst)
{
  return icv_rest(L, cd, s, n, dst, NULL);
}

/* What a piece of UTF-8 text holds. */
typedef struct Count { int ks, ext, hanja, other, bad; } Count;

static void count_text(const Tables *t, const char *s, size_t n, Count *k)
{
  memset(k, 0, sizeof *k);
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n; ) {
    uint32_t cp;
    int len = gisa_utf8_decode(u + i, n - i, &cp);
    if (len == 0) { k->bad++; i += cp; continue; }
    i += (size_t)len;
    if (cp < 0x80) continue;
    /* Greek and Cyrillic as KS X 1001 has them (row A5: Δ, α, Ω; row AC: Д) are
     * Korean-text material: science and world news write them (Δ우울한 …) */
    if (cp == 0xFFFD || !plausible(cp, (cp >= 0x391 && cp <= 0x3C9) || (cp >= 0x401 && cp <= 0x451))) k->bad++;
    else if (is_syllable(cp)) { if (ks_syllable(t, cp)) k->ks++; else k->ext++; }
    else if (is_hanja(cp)) k->hanja++;
    else k->other++;
  }
}

/* Per-run tallies of the two readings of Latin-1-looking text; lost and left:
 * segments of an applied run read with a lost byte, or left as they were. */
typedef struct Run { int segs, cp_ok, cp_h, cp_x, cp_o, u8_ok, u8_h, lost, left; } Run;

enum { FIX_NONE, FIX_CP, FIX_U8 };

static int is_letter(unsigned c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* The next segment of run s[*pos..e): from a non-ASCII character over non-ASCII
 * characters and ASCII letters (a CP949 trail byte may be one). */
static int next_seg(const char *s, size_t e, size_t *pos, size_t *sa, size_t *se)
{
  size_t i = *pos;
  while (i < e && (unsigned char)s[i] < 0x80) i++;
  if (i >= e) { *pos = e; return 0; }
  *sa = i;
  while (i < e) {
    unsigned c = (unsigned char)s[i];
    if (c < 0x80) { if (!is_letter(c)) break; i++; }
    else if (c < 0xE0) i += 2;
    else if (c < 0xF0) i += 3;
    else i += 4;
  }
  *se = i;
  *pos = i;
  return 1;
}

/* The bytes a segment of Latin-1/CP1252 characters stood for. */
static void seg_bytes(lua_State *L, const char *s, size_t a, size_t e, Buf *bytes)
{
  bytes->n = 0;
  buf_need(L, bytes, e - a);
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = a; i < e; ) {
    uint32_t cp;
    int len = gisa_utf8_decode(u + i, e - i, &cp);
    i += (size_t)len;   /* runs hold only valid characters */
    bytes->p[bytes->n++] = (char)latin_byte(cp);
  }
}

/* Read one segment both ways and tally the readings in r. With apply_kind set,
 * append that reading to x->out (or the segment as it was, when it fails). */
static void try_seg(lua_State *L, const Tables *t, Box *x, const char *s, size_t a, size_t e,
                    Run *r, int apply_kind)
{
  Count k;
  seg_bytes(L, s, a, e, &x->bytes);
  r->segs++;
  if (apply_kind == FIX_NONE || apply_kind == FIX_CP) {
    size_t rest = 0;
    int ok = icv_rest(L, x->from949, x->bytes.p, x->bytes.n, &x->dec, &rest);
    /* a byte already lost: a lead byte whose trail became the '?' after the
     * segment. What came before it is read; the '?' stays for the character. */
    int lost = !ok && rest == 1 && s[e] == '?';
    if (ok || lost) {
      count_text(t, x->dec.p, x->dec.n, &k);
      if (k.bad == 0) {
        r->cp_ok++; r->cp_h += k.ks; r->cp_x += k.ext; r->cp_o += k.hanja + k.other;
        if (apply_kind == FIX_CP) {
          buf_add(L, &x->out, x->dec.p, x->dec.n);
          r->lost += lost;
          return;
        }
      }
    }
  }
  if (apply_kind == FIX_NONE || apply_kind == FIX_U8) {
    const unsigned char *b = (const unsigned char *)x->bytes.p;
    if (gisa_utf8_valid_prefix(b, x->bytes.n) == x->bytes.n) {
      count_text(t, x->bytes.p, x->bytes.n, &k);
      int multi = 0;
      for (size_t i = 0; i < x->bytes.n; i++) if (b[i] >= 0x80) { multi = 1; break; }
      if (k.bad == 0 && multi) {
        r->u8_ok++; r->u8_h += k.ks + k.ext;
        if (apply_kind == FIX_U8) { buf_add(L, &x->out, x->bytes.p, x->bytes.n); return; }
      }
    }
  }
  if (apply_kind != FIX_NONE) {   /* left as it was */
    buf_add(L, &x->out, s + a, e - a);
    r->left++;
  }
}

/* Which reading of a run to apply. doc: the document has a clearly repaired
 * CP949 run, so weaker runs (a lone Hanja, one syllable) may follow it. */
static int run_choice(const Run *r, int doc)
{
  int strong_cp = r->cp_h >= 2 && 3 * r->cp_x <= r->cp_h && 2 * (r->segs - r->cp_ok) <= r->cp_ok;
  int weak_cp = doc && r->cp_ok >= 1 && r->cp_x == 0 && r->cp_h + r->cp_o >= 1 &&
                r->cp_ok * 2 >= r->segs;
  int strong_u8 = r->u8_ok >= 1 && r->u8_ok * 2 >= r->segs;
  if (strong_cp && r->cp_h > r->u8_h) return FIX_CP;
  if (strong_u8 && (r->u8_h > 0 || !weak_cp)) return FIX_U8;
  if (strong_cp || weak_cp) return FIX_CP;
  return FIX_NONE;
}

/* UTF-8 that was read as CP949: the segment's CP949 bytes as UTF-8, if that is
 * valid and far more Korean. Appends the repair to x->out when apply. */
static int try_b(lua_State *L, const Tables *t, Box *x, const char *s, size_t a, size_t e,
                 int doc, int apply)
{
  const unsigned char *u = (const unsigned char *)s;
  int hanja = 0;
  for (size_t i = a; i < e; ) {
    uint32_t cp;
    i += (size_t)gisa_utf8_decode(u + i, e - i, &cp);
    if (is_hanja(cp)) { hanja = 1; break; }
  }
  if (!hanja) return 0;   /* the UTF-8 of Hangul read as CP949 always shows Hanja */
  if (!icv(L, x->to949, s + a, e - a, &x->bytes)) return 0;
  if (gisa_utf8_valid_prefix((const unsigned char *)x->bytes.p, x->bytes.n) != x->bytes.n) return 0;
  Count in, out;
  count_text(t, s + a, e - a, &in);
  count_text(t, x->bytes.p, x->bytes.n, &out);
  if (out.bad) return 0;
  /* valid UTF-8 from CP949 bytes is a coincidence clean text all but never meets */
  int ok = out.hanja == 0 && out.ext == 0 && out.ks >= in.ks && (out.ks >= 2 || (doc && out.ks >= 1));
  if (ok && apply) buf_add(L, &x->out, x->bytes.p, x->bytes.n);
  return ok;
}

typedef struct Fix {
  int doc_cp, doc_b;          /* strong evidence seen in the first pass */
  lua_Integer cp, u8, b;      /* runs repaired, by kind */
  lua_Integer lost;           /* segments of repaired runs not read back whole */
  lua_Integer first;          /* byte offset (1-based) of the first repair */
  lua_Integer lines, last_line;
  int lines_idx;              /* stack index of the lines table, or 0 */
} Fix;

static void note(lua_State *L, Fix *f, lua_Integer line, size_t at)
{
  if (!f->first) f->first = (lua_Integer)at + 1;
  if (f->lines_idx && line != f->last_line) {
    lua_pushinteger(L, line);
    lua_rawseti(L, f->lines_idx, ++f->lines);
    f->last_line = line;
  }
}

/* One pass over s[start..n): start is 0 or just after a line's LF, where no run
 * is open. apply = 0: count strong runs only; 1: write x->out (start is 0). */
static void repair_pass(lua_State *L, const Tables *t, Box *x, const char *s, size_t start,
                        size_t n, Fix *f, int apply)
{
  const unsigned char *u = (const unsigned char *)s;
  lua_Integer line = 1;
  size_t i = start, copied = start;
  x->out.n = 0;
  while (i < n) {
    unsigned c = u[i];
    if (c < 0x80) { if (c == '\n') line++; i++; continue; }
    uint32_t cp;
    int len = gisa_utf8_decode(u + i, n - i, &cp);
    if (len == 0) { i += cp; continue; }
    if (latin_byte(cp) >= 0) {
      /* a run of Latin-1/CP1252 characters (and ASCII) within the line */
      size_t a = i, e = i;
      while (e < n && u[e] != '\n') {
        int l2 = gisa_utf8_decode(u + e, n - e, &cp);
        if (l2 == 0 || latin_byte(cp) < 0) break;
        e += (size_t)l2;
      }
      Run r;
      memset(&r, 0, sizeof r);
      size_t pos = a, sa, se;
      while (next_seg(s, e, &pos, &sa, &se)) try_seg(L, t, x, s, sa, se, &r, FIX_NONE);
      int kind = run_choice(&r, apply && f->doc_cp);
      if (!apply) {
        if (kind == FIX_CP) f->doc_cp = 1;
        if (kind != FIX_NONE) f->cp += 1;
      } else if (kind != FIX_NONE) {
        buf_add(L, &x->out, s + copied, a - copied);
        Run r2;
        memset(&r2, 0, sizeof r2);
        size_t p2 = a, from = a;
        while (next_seg(s, e, &p2, &sa, &se)) {
          buf_add(L, &x->out, s + from, sa - from);
          try_seg(L, t, x, s, sa, se, &r2, kind);
          from = se;
        }
        buf_add(L, &x->out, s + from, e - from);
        copied = e;
        f->lost += r2.lost + r2.left;
        if (kind == FIX_CP) f->cp++; else f->u8++;
        note(L, f, line, a);
      }
      i = e;
      continue;
    }
    /* a run of other non-ASCII characters: perhaps UTF-8 read as CP949 */
    size_t a = i, e = i;
    while (e < n && u[e] >= 0x80) {
      int l2 = gisa_utf8_decode(u + e, n - e, &cp);
      if (l2 == 0) break;
      e += (size_t)l2;
    }
    if (!apply) {
      if (try_b(L, t, x, s, a, e, 0, 0)) { f->doc_b = 1; f->b++; }
    } else {
      size_t mark = x->out.n;
      buf_add(L, &x->out, s + copied, a - copied);
      if (try_b(L, t, x, s, a, e, f->doc_b, 1)) {
        copied = e;
        f->b++;
        note(L, f, line, a);
      } else {
        x->out.n = mark;
      }
    }
    i = e;
  }
  if (apply) buf_add(L, &x->out, s + copied, n - copied);
}

/* The first pass at speed. Almost every text holds nothing to repair, and most
 * of its characters provably cannot count: only the lines where one might are
 * given to repair_pass, which tallies them exactly as a pass over all of s
 * would (runs never cross a LF, so each line is a pass of its own).
 *
 * A character can count only if it is
 * - a Hanja: a run of other characters is tried as UTF-8 read as CP949 only
 *   when it holds one (try_b);
 * - a Latin-1/CP1252 character followed by another in a Latin run. A run whose
 *   segments never hold two non-ASCII characters side by side reads as
 *   neither: its UTF-8 reading is invalid (each byte >= 0x80 stands between
 *   ASCII bytes, where valid UTF-8 has none) and its CP949 reading holds no KS
 *   syllable (those need a trail byte >= 0xA1, so a second non-ASCII
 *   character), while a run is strong only with two KS syllables or a UTF-8
 *   reading (run_choice without doc, as the first pass calls it).
 * Both start with a lead byte of 0xC2 or more other than a Hangul syllable's
 * (0xEA-0xED), and every lead byte starts a character in repair_pass's walk
 * (an invalid sequence it skips holds continuation bytes after its first). */

/* The first byte of u[i..n) that is 0xC0 or more but not EA-ED, or n: 32
 * bytes at a time with AVX2 where the CPU has it (avx2 is 1; chosen at run
 * time, as utf8.h does), 16 with SSE2, the rest one at a time. */
#ifdef GISA_UTF8_SIMD
__attribute__((target("avx2")))
static size_t next_lead_avx2(const unsigned char *u, size_t i, size_t n)
{
  const __m256i c0 = _mm256_set1_epi8((char)0xC0), ea = _mm256_set1_epi8((char)0xEA),
                three = _mm256_set1_epi8(3);
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(u + i));
    __m256i high = _mm256_cmpeq_epi8(_mm256_max_epu8(v, c0), v);          /* v >= 0xC0 */
    __m256i d = _mm256_sub_epi8(v, ea);
    __m256i hangul = _mm256_cmpeq_epi8(_mm256_min_epu8(d, three), d);     /* v - 0xEA <= 3 */
    unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(hangul, high));
    if (m) return i + (size_t)__builtin_ctz(m);
  }
  return i;
}
#endif

static size_t next_lead(const unsigned char *u, size_t i, size_t n, int avx2)
{
#ifdef GISA_UTF8_SIMD
  if (avx2) i = next_lead_avx2(u, i, n);
#else
  (void)avx2;
#endif
#ifdef __SSE2__
  const __m128i c0 = _mm_set1_epi8((char)0xC0), ea = _mm_set1_epi8((char)0xEA),
                three = _mm_set1_epi8(3);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    __m128i high = _mm_cmpeq_epi8(_mm_max_epu8(v, c0), v);
    __m128i d = _mm_sub_epi8(v, ea);
    __m128i hangul = _mm_cmpeq_epi8(_mm_min_epu8(d, three), d);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(hangul, high));
    if (m) return i + (size_t)__builtin_ctz(m);
  }
#endif
  for (; i < n; i++)
    if (u[i] >= 0xC0 && (u[i] < 0xEA || u[i] > 0xED)) return i;
  return n;
}

/* Whether the valid character that ends at u[o] is a Latin-1/CP1252 one (1),
 * another non-ASCII one (0), or there is none (-1: ASCII, a bad byte, the start). */
static int latin_before(const unsigned char *u, size_t o, size_t *start)
{
  for (size_t back = 2; back <= 4 && back <= o; back++) {
    uint32_t cp;
    if (u[o - back] >= 0xC2 && gisa_utf8_decode(u + o - back, back, &cp) == (int)back) {
      *start = o - back;
      return latin_byte(cp) >= 0;
    }
  }
  return -1;
}

/* The first byte of every Latin-1/CP1252 character but ASCII. */
static int latin_lead(unsigned c)
{
  return c == 0xC2 || c == 0xC3 || c == 0xC5 || c == 0xC6 || c == 0xCB || c == 0xE2;
}

/* Whether the character at lead byte u[p] may count (see above). Most are
 * told by their first bytes, and by the first byte after them. */
static int lead_matters(const unsigned char *u, size_t p, size_t n)
{
  unsigned c = u[p];
  uint32_t cp;
  if (c >= 0xE3) {   /* Hanja: U+3400-9FFF (E3 90 … E9 BF BF), U+F900-FAFF (EF A4-AB) */
    if ((c > 0xE9 && c != 0xEF) || p + 1 >= n) return 0;
    unsigned c1 = u[p + 1];
    if ((c == 0xE3 && c1 < 0x90) || (c == 0xEF && (c1 < 0xA4 || c1 > 0xAB))) return 0;
    return gisa_utf8_decode(u + p, n - p, &cp) == 3 && is_hanja(cp);
  }
  /* a Latin character followed by another: when valid, the one at p is as
   * long as its first byte says, and the next starts right after it */
  size_t q = p + (c == 0xE2 ? 3 : 2);
  if (!latin_lead(c) || q >= n || !latin_lead(u[q])) return 0;
  if (gisa_utf8_decode(u + p, n - p, &cp) == 0 || latin_byte(cp) < 0) return 0;
  if (gisa_utf8_decode(u + q, n - q, &cp) == 0 || latin_byte(cp) < 0) return 0;
  /* two side by side: harmless within a run of other characters, which a
   * non-Latin character before them starts (looked for a few characters back) */
  for (int k = 0; k < 8; k++) {
    int r = latin_before(u, p, &p);
    if (r <= 0) return r < 0;
  }
  return 1;
}

/* The first pass of enc.repair: what repair_pass(…, 0, n, f, 0) tallies in f. */
static void survey(lua_State *L, const Tables *t, Box *x, const char *s, size_t n, Fix *f)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, done = 0;   /* s[0..done) is tallied: whole lines */
#ifdef GISA_UTF8_SIMD
  int avx2 = __builtin_cpu_supports("avx2");
#else
  int avx2 = 0;
#endif
  while ((i = next_lead(u, i, n, avx2)) < n) {
    if (!lead_matters(u, i, n)) { i++; continue; }
    const unsigned char *lf = memrchr(u + done, '\n', i - done);
    size_t a = lf ? (size_t)(lf - u) + 1 : done;
    lf = memchr(u + i, '\n', n - i);
    done = i = lf ? (size_t)(lf - u) + 1 : n;
    repair_pass(L, t, x, s, a, i, f, 0);
  }
}

/* enc.repair(s) -> text, report{count, kinds = {[kind] = n}, lines = {…}, first}
 * Kinds: "cp949-as-latin1" (CP949/EUC-KR read as Latin-1 or CP1252),
 * "utf8-as-latin1" (double-encoded UTF-8), "utf8-as-cp949". Clean text comes
 * back unchanged (the same string) with count 0. */
static int enc_repair(lua_State *L)
{
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  const Tables *t = (const Tables *)lua_touserdata(L, lua_upvalueindex(1));
  lua_settop(L, 1);
  /* the converters and buffers are opened once per Lua state and kept in the
   * registry (freed by __gc): opening two converters cost more than most texts */
  Box *x;
  if (lua_getfield(L, LUA_REGISTRYINDEX, BOX_KEY) == LUA_TUSERDATA) {   /* index 2 */
    x = (Box *)lua_touserdata(L, 2);
  } else {
    lua_pop(L, 1);
    x = (Box *)lua_newuserdatauv(L, sizeof(Box), 0);
    memset(x, 0, sizeof *x);
    x->from949 = x->to949 = NO_ICONV;
    luaL_setmetatable(L, BOX_MT);
    x->from949 = iconv_open("UTF-8", "CP949");
    x->to949 = iconv_open("CP949", "UTF-8");
    if (x->from949 == NO_ICONV || x->to949 == NO_ICONV)
      return luaL_error(L, "iconv cannot convert CP949 on this system");
    lua_pushvalue(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, BOX_KEY);
  }
  Fix f;
  memset(&f, 0, sizeof f);
  survey(L, t, x, s, n, &f);
  lua_newtable(L);   /* lines: index 3 */
  if (f.cp + f.b > 0) {
    memset(&f.cp, 0, sizeof f - offsetof(Fix, cp));
    f.lines_idx = 3;
    repair_pass(L, t, x, s, 0, n, &f, 1);
  } else {
    f.cp = f.u8 = f.b = 0;
  }
  lua_Integer count = f.cp + f.u8 + f.b;
  if (count > 0) lua_pushlstring(L, x->out.p, x->out.n);
  else lua_pushvalue(L, 1);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, count); lua_setfield(L, -2, "count");
  lua_createtable(L, 0, count > 0 ? 3 : 0);   /* kinds: empty for clean text, as most is */
  if (f.cp) { lua_pushinteger(L, f.cp); lua_setfield(L, -2, "cp949-as-latin1"); }
  if (f.u8) { lua_pushinteger(L, f.u8); lua_setfield(L, -2, "utf8-as-latin1"); }
  if (f.b) { lua_pushinteger(L, f.b); lua_setfield(L, -2, "utf8-as-cp949"); }
  lua_setfield(L, -2, "kinds");
  lua_pushvalue(L, 3); lua_setfield(L, -2, "lines");
  if (f.first) { lua_pushinteger(L, f.first); lua_setfield(L, -2, "first"); }
  lua_pushinteger(L, count > 0 ? f.lost : 0); lua_setfield(L, -2, "lost");
  return 2;
}

/* ------------------------------------------------------------------------ */
/* The module                                                               */
/* ------------------------------------------------------------------------ */

static const luaL_Reg enc_funcs[] = {
  {"detect", enc_detect},
  {"decode", enc_decode},
  {"convert", enc_convert},
  {"repair", enc_repair},
  {"open", enc_open},
  {"canonical", enc_canonical},
  {NULL, NULL}
};

static const luaL_Reg conv_methods[] = {
  {"convert", conv_convert},
  {"report", conv_report},
  {"close", conv_closem},
  {NULL, NULL}
};

static const luaL_Reg conv_meta[] = {
  {"__gc", conv_gc},
  {"__close", conv_gc},
  {"__tostring", conv_tostring},
  {NULL, NULL}
};

/* The KS X 1001 syllables: what EUC-KR's rows B0-C8 decode to. */
static void build_tables(Tables *t)
{
  memset(t, 0, sizeof *t);
  iconv_t cd = iconv_open("UTF-32LE", "EUC-KR");
  if (cd == NO_ICONV) return;
  for (unsigned lead = 0xB0; lead <= 0xC8; lead++) {
    for (unsigned trail = 0xA1; trail <= 0xFE; trail++) {
      char in[2] = { (char)lead, (char)trail }, out[4], *p = in, *o = out;
      size_t il = 2, ol = 4;
      if (iconv(cd, &p, &il, &o, &ol) == (size_t)-1 || ol != 0) continue;
      uint32_t cp = (uint32_t)((unsigned char)out[0] | (unsigned char)out[1] << 8 |
                               (unsigned char)out[2] << 16);
      if (is_syllable(cp)) { cp -= 0xAC00; t->ks[cp >> 3] |= (unsigned char)(1u << (cp & 7)); }
    }
  }
  iconv_close(cd);
}

int luaopen_gisa_enc(lua_State *L)
{
  luaL_newmetatable(L, CONV_MT);
  luaL_setfuncs(L, conv_meta, 0);
  luaL_newlib(L, conv_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, BOX_MT);
  lua_pushcfunction(L, box_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newlibtable(L, enc_funcs);
  Tables *t = (Tables *)lua_newuserdatauv(L, sizeof(Tables), 0);
  build_tables(t);
  luaL_setfuncs(L, enc_funcs, 1);
  return 1;
}
