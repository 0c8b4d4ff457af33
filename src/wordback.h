/*
 * wordback.h: the word before a position, read backwards: lines.wordback and
 * the compiled quote finder (quote.c) read the subject before a quote by the
 * same cuts, so both take them from here.
 */
#ifndef GISA_WORDBACK_H
#define GISA_WORDBACK_H

#include <stddef.h>

#define GISA_WORD_PARTS 16      /* parts a word glued around "(…)" groups may have */
#define GISA_WORD_GROUP 256     /* the longest "(…)" group looked for */

/* The length of the word cut that ends at s[i - 1] (not before lo): a blank,
 * a comma, "·" or "…"; 0 when s[i - 1] is no cut. */
static inline size_t gisa_cut_before(const unsigned char *s, size_t lo, size_t i)
{
  unsigned c = s[i - 1];
  if (c == ' ' || (c >= '\t' && c <= '\r') || c == ',') return 1;
  if (c == 0xB7 && i >= lo + 2 && s[i - 2] == 0xC2) return 2;
  if (c == 0xA6 && i >= lo + 3 && s[i - 2] == 0x80 && s[i - 3] == 0xE2) return 3;
  return 0;
}

/* Where the balanced "(…)" closed by s[j] starts (not before lo, at most
 * GISA_WORD_GROUP bytes long, so a run of ")" costs a bounded look each), or
 * j + 1 when the ")" closes nothing. */
static inline size_t gisa_group_start(const unsigned char *s, size_t lo, size_t j)
{
  int depth = 1;
  if (j > lo + GISA_WORD_GROUP) lo = j - GISA_WORD_GROUP;
  for (size_t k = j; k > lo; k--) {
    if (s[k - 1] == ')') depth++;
    else if (s[k - 1] == '(' && --depth == 0) return k - 1;
  }
  return j + 1;
}

/* The word's parts, right to left (starts[k]..ends[k]), and where it starts. */
typedef struct {
  size_t starts[GISA_WORD_PARTS], ends[GISA_WORD_PARTS];
  int n;
  size_t start;
} gisa_word;

/* The last word of s[lo..i) into w: words are cut at blanks, commas, "·" and
 * "…", and a balanced "(…)" group is left out, glued to a word or not
 * (도하진(19)는 -> 도하진는). Returns 0 when there is none. */
static inline int gisa_word_back(const unsigned char *s, size_t lo, size_t i, gisa_word *w)
{
  if (i <= lo) return 0;
  int parts = 0;
  size_t end = i;           /* the end of the part being read */
  int inword = 0;
  while (i > lo) {
    size_t c;
    if (s[i - 1] == ')') {
      size_t g = gisa_group_start(s, lo, i - 1);
      if (g <= i - 1) {     /* a group: left out */
        if (inword && end != i) {
          if (parts == GISA_WORD_PARTS) break;
          w->starts[parts] = i; w->ends[parts++] = end;
        }
        i = g;
        end = i;
        continue;
      }
    } else if ((c = gisa_cut_before(s, lo, i)) > 0) {
      if (inword) break;
      i -= c;
      end = i;
      continue;
    }
    inword = 1;
    i--;
  }
  if (!inword) return 0;
  if (end > i && parts < GISA_WORD_PARTS) { w->starts[parts] = i; w->ends[parts++] = end; }
  w->n = parts;
  w->start = i;
  return 1;
}

#endif
