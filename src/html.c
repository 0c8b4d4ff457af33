/*
 * html.c: gisa.htmlparse, the HTML parser glue. libxml2's HTML parser (the
 * tag-soup parser browsers' rules grew from) reads UTF-8 bytes and its SAX
 * events build a compact tree in C: arrays of elements, text nodes and
 * attributes with offsets into one byte buffer, held by one userdata. Lua
 * makes node objects from it only when asked (lua/gisa/html/init.lua), and the
 * walk from the DOM to ordered text blocks runs here over the arrays, with the
 * conventions (class words, tags) passed in as Lua tables by
 * lua/gisa/html/page.lua.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "gisa.h"
#include "utf8.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TREE_MT "gisa.htmlparse.tree"
#define SCRATCH_MT "gisa.htmlparse.scratch"

/* libxml2's tree builder stops a page nested deeper than 256 elements (its
 * xmlParserMaxDepth), dropping the rest of the page; a few hundred unclosed
 * <span>s are enough. Elements opened deeper than MAX_DEPTH are not made at
 * all: their content goes to the element at MAX_DEPTH, and the count of such
 * elements comes back as a warning. This also bounds the walks below. */
#define MAX_DEPTH 200

/* ------------------------------------------------------------------------
 * The tree. Elements are numbered 1..nel in document order (their position,
 * which is also the index select works from); a child or sibling link is an
 * element position (> 0), minus a text node's number (< 0), or 0 for none.
 * ---------------------------------------------------------------------- */

typedef struct {
  int32_t parent;        /* position of the parent element, 0 for the root */
  int32_t first, last;   /* first and last child */
  int32_t next;          /* next sibling */
  int32_t end;           /* position of the last descendant element */
  uint32_t a0, na;       /* its attributes: at[a0 .. a0 + na - 1] */
  uint32_t tag;          /* index in tags */
  uint8_t blocked;       /* a comment since the last child: the next text is a node of its own */
  uint8_t reroot;        /* opened after the root was closed (see sax_start) */
} El;

typedef struct {
  uint32_t off, len;     /* the text in buf */
  int32_t next;
  uint8_t cdata;         /* script or style content: never merged with what follows */
} Txt;

typedef struct {
  uint32_t name, nlen, val, vlen;   /* offsets in buf */
} Attr;

typedef struct {
  const xmlChar *key;    /* the parser's interned name (only while parsing) */
  uint32_t off, len;     /* the name in buf */
} Tag;

/* A run of plain text the parser was shown as one placeholder character (see
 * "Shortcuts" below): the page's bytes src[off .. off + len). */
typedef struct {
  uint32_t off, len;
} Run;

/* A script or style body not shown to the parser: its start tag's '>' is at
 * `gt` in the bytes parsed. */
typedef struct {
  uint32_t gt;
  uint8_t style;
} Cut;

typedef struct {
  El *el;   size_t nel, cap_el;      /* el[0] unused */
  Txt *tx;  size_t ntx, cap_tx;      /* tx[0] unused */
  Attr *at; size_t nat, cap_at;
  char *buf; size_t nbuf, cap_buf;
  Tag *tags; size_t ntags, cap_tags;
  uint32_t *thash; size_t cap_thash; /* tag key -> index + 1, open addressing */
  /* the state of a parse */
  int32_t cur;                       /* the open element text goes to (0: none) */
  int depth;                         /* open elements, as libxml2's tree builder counts them */
  long skipped, flattened;           /* open elements not made (too deep); all such */
  int hidden;                        /* levels inside script, style, noscript, template */
  int keep_text;                     /* the hidden element is a JSON-LD script */
  int oom;
  xmlNode fake, fake_el, fake_text, fake_other;   /* see "Blank text" below */
  /* the shortcuts of a parse: what the parser was not shown, in order */
  const char *src;                   /* the page as given */
  Run *runs; size_t nruns, cap_runs, next_run;
  Cut *cuts; size_t ncuts, cap_cuts, next_cut;
  int missed;                        /* a shortcut was not taken where it was made */
} Tree;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * size);
  if (q == NULL) return 0;
  *p = q;
  *cap = n;
  return 1;
}

static void tree_release(Tree *t)
{
  free(t->el); free(t->tx); free(t->at); free(t->buf); free(t->tags); free(t->thash);
  free(t->runs); free(t->cuts);
  t->el = NULL; t->tx = NULL; t->at = NULL; t->buf = NULL; t->tags = NULL; t->thash = NULL;
  t->runs = NULL; t->cuts = NULL;
  t->nruns = t->cap_runs = t->next_run = t->ncuts = t->cap_cuts = t->next_cut = 0;
  t->nel = t->ntx = t->nat = t->nbuf = t->ntags = 0;
  t->cap_el = t->cap_tx = t->cap_at = t->cap_buf = t->cap_tags = t->cap_thash = 0;
}

/* Append n bytes to buf; its offset, or UINT32_MAX when out of memory. */
static uint32_t put(Tree *t, const void *s, size_t n)
{
  if (t->nbuf + n >= UINT32_MAX || !grow((void **)&t->buf, &t->cap_buf, t->nbuf + n + 1, 1)) {
    t->oom = 1;
    return UINT32_MAX;
  }
  uint32_t off = (uint32_t)t->nbuf;
  if (n) memcpy(t->buf + off, s, n);
  t->nbuf += n;
  return off;
}

static size_t hash_ptr(const void *p)
{
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 20);
}

/* The index of tag `name` (an interned name of the parser), added when new. */
static uint32_t tag_id(Tree *t, const xmlChar *name)
{
  if (t->ntags * 2 + 2 > t->cap_thash) {
    size_t cap = t->cap_thash ? t->cap_thash * 2 : 256;
    uint32_t *h = (uint32_t *)calloc(cap, sizeof *h);
    if (h == NULL) { t->oom = 1; return 0; }
    for (size_t i = 0; i < t->ntags; i++) {
      size_t k = hash_ptr(t->tags[i].key) & (cap - 1);
      while (h[k]) k = (k + 1) & (cap - 1);
      h[k] = (uint32_t)i + 1;
    }
    free(t->thash);
    t->thash = h;
    t->cap_thash = cap;
  }
  size_t k = hash_ptr(name) & (t->cap_thash - 1);
  while (t->thash[k]) {
    if (t->tags[t->thash[k] - 1].key == name) return t->thash[k] - 1;
    k = (k + 1) & (t->cap_thash - 1);
  }
  if (!grow((void **)&t->tags, &t->cap_tags, t->ntags + 1, sizeof(Tag))) { t->oom = 1; return 0; }
  size_t len = strlen((const char *)name);
  uint32_t off = put(t, name, len);
  if (t->oom) return 0;
  Tag *g = &t->tags[t->ntags];
  g->key = name;
  g->off = off;
  g->len = (uint32_t)len;
  t->thash[k] = (uint32_t)++t->ntags;
  return (uint32_t)t->ntags - 1;
}

static void append_child(Tree *t, int32_t parent, int32_t child)
{
  El *p = &t->el[parent];
  if (p->last > 0) t->el[p->last].next = child;
  else if (p->last < 0) t->tx[-p->last].next = child;
  else p->first = child;
  p->last = child;
  p->blocked = 0;
}

/* ------------------------------------------------------------------------
 * Blank text. libxml2 drops a blank run between tags (HTML_PARSE_NOBLANKS)
 * by looking at the tree its SAX handlers build: the open node's last child
 * (a text node keeps the blank, an element mostly does not). No libxml2 tree
 * is built here, so the parser is shown a stand-in open node whose `last`
 * says what the open element's last child is: nothing, a text, an element
 * of that name, or something else. The blank text that comes out is then the
 * same as with libxml2's own tree (tests compare trees of every sample page).
 * ---------------------------------------------------------------------- */

static void show_open(htmlParserCtxtPtr c, Tree *t, xmlNode *last)
{
  t->fake.last = last;
  c->node = t->cur ? &t->fake : NULL;
}

/* ------------------------------------------------------------------------
 * The SAX handlers
 * ---------------------------------------------------------------------- */

static int hidden_tag(const char *s)
{
  switch (s[0]) {
  case 's': return !strcmp(s, "script") || !strcmp(s, "style");
  case 'n': return !strcmp(s, "noscript");
  case 't': return !strcmp(s, "template");
  default: return 0;
  }
}

/* Is this <script> of type application/ld+json (any letter case, blanks ignored)? */
static int jsonld_script(const char *name, const xmlChar **atts)
{
  static const char want[] = "application/ld+json";
  if (strcmp(name, "script") || atts == NULL) return 0;
  for (int i = 0; atts[i]; i += 2) {
    if (strcmp((const char *)atts[i], "type")) continue;
    const xmlChar *v = atts[i + 1];
    if (v == NULL) return 0;
    size_t k = 0;
    for (; *v; v++) {
      unsigned char ch = *v;
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') continue;
      if (ch >= 'A' && ch <= 'Z') ch = (unsigned char)(ch - 'A' + 'a');
      if (k >= sizeof want - 1 || ch != (unsigned char)want[k]) return 0;
      k++;
    }
    return k == sizeof want - 1;
  }
  return 0;
}

/* A script or style start tag: is it the next cut (see "Shortcuts")? The
 * parser stands on the tag's '>' when it reports the tag. DROPS: its text
 * makes no node. */
static void check_cut(htmlParserCtxtPtr c, Tree *t, const xmlChar *name, int drops)
{
  if (t->next_cut >= t->ncuts) return;
  int style = !strcmp((const char *)name, "style");
  if (!style && strcmp((const char *)name, "script")) return;
  xmlParserInputPtr in = c->input;
  if (in == NULL || in->cur == NULL || in->base == NULL) { t->missed = 1; return; }
  size_t off = (size_t)in->consumed + (size_t)(in->cur - in->base);
  Cut *k = &t->cuts[t->next_cut];
  if (off < k->gt) return;   /* a body left in place */
  if (off == k->gt && drops && k->style == style) t->next_cut++;
  else t->missed = 1;
}

static void sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Tree *t = (Tree *)c->_private;
  if (t->oom) return;
  if (t->skipped || t->depth >= MAX_DEPTH) {
    t->skipped++;
    t->flattened++;
    return;
  }
  t->depth++;
  if (t->hidden) {   /* inside script, style, noscript, template: nothing is made */
    t->hidden++;
    if (t->ncuts) check_cut(c, t, name, 1);
    return;
  }
  int reroot = 0;
  if (t->cur == 0 && t->nel > 0) {
    /* an element after the root was closed (the parser implies <html> again
     * for text after </html>): a child of the root, as libxml2's tree builder
     * makes it. (That builder makes it a second top-level element, which a
     * walk from the root never reaches, when a DOCTYPE, comment or PI comes
     * first; here it is part of the page either way: text a browser shows is
     * never dropped.) */
    reroot = 1;
  }
  uint32_t tag = tag_id(t, name);
  if (!grow((void **)&t->el, &t->cap_el, t->nel + 2, sizeof(El)) || t->oom || t->nel >= INT32_MAX - 1) {
    t->oom = 1;
    xmlStopParser(c);
    return;
  }
  int32_t pos = (int32_t)++t->nel;
  El *e = &t->el[pos];
  memset(e, 0, sizeof *e);
  e->parent = reroot ? 1 : t->cur;
  e->end = pos;
  e->tag = tag;
  e->reroot = (uint8_t)reroot;
  e->a0 = (uint32_t)t->nat;
  if (e->parent) append_child(t, e->parent, pos);
  if (atts) {
    for (int i = 0; atts[i]; i += 2) {
      const char *an = (const char *)atts[i], *av = (const char *)atts[i + 1];
      /* as libxml2's tree builder: a boolean attribute without a value has its name */
      if (av == NULL && htmlIsBooleanAttr(atts[i])) av = an;
      if (!grow((void **)&t->at, &t->cap_at, t->nat + 1, sizeof(Attr))) { t->oom = 1; break; }
      size_t nl = strlen(an), vl = av ? strlen(av) : 0;
      Attr *a = &t->at[t->nat];
      a->name = put(t, an, nl);
      a->nlen = (uint32_t)nl;
      a->val = put(t, av ? av : "", vl);
      a->vlen = (uint32_t)vl;
      if (t->oom) break;
      t->nat++;
      t->el[pos].na++;
    }
  }
  if (t->oom) { xmlStopParser(c); return; }
  t->cur = pos;
  if (hidden_tag((const char *)name)) {
    t->hidden = 1;
    t->keep_text = jsonld_script((const char *)name, atts);
    if (t->ncuts) check_cut(c, t, name, !t->keep_text);
  }
  show_open(c, t, NULL);
}

static void sax_end(void *ctx, const xmlChar *name)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Tree *t = (Tree *)c->_private;
  (void)name;
  if (t->oom) return;
  if (t->skipped) {
    t->skipped--;
    return;
  }
  if (t->depth > 0) t->depth--;
  if (t->hidden > 1) {
    t->hidden--;
    return;
  }
  t->hidden = 0;
  if (t->cur == 0) return;
  El *e = &t->el[t->cur];
  e->end = (int32_t)t->nel;
  t->fake_el.name = t->tags[e->tag].key;
  t->cur = e->reroot ? 0 : e->parent;
  if (e->reroot) t->el[1].end = e->end;
  show_open(c, t, &t->fake_el);
}

/* The placeholder of a run: U+E000 (private use), never in a page that has runs. */
#define PH "\xEE\x80\x80"
#define PH_LEN 3

static const xmlChar *find_ph(const xmlChar *p, const xmlChar *e)
{
  while (p + PH_LEN <= e) {
    const xmlChar *q = (const xmlChar *)memchr(p, 0xEE, (size_t)(e - p));
    if (q == NULL || q + PH_LEN > e) return NULL;
    if (q[1] == 0x80 && q[2] == 0x80) return q;
    p = q + 1;
  }
  return NULL;
}

/* Append text ch[0..len) to buf with each placeholder replaced by its run;
 * returns the length appended (contiguous at the end of buf). */
static size_t put_text(Tree *t, const xmlChar *ch, size_t len)
{
  size_t n0 = t->nbuf;
  const xmlChar *p = ch, *e = ch + len, *q;
  while (t->next_run < t->nruns && (q = find_ph(p, e)) != NULL) {
    put(t, p, (size_t)(q - p));
    Run *r = &t->runs[t->next_run++];
    put(t, t->src + r->off, r->len);
    p = q + PH_LEN;
  }
  put(t, p, (size_t)(e - p));
  return t->oom ? 0 : t->nbuf - n0;
}

/* Text no node is made of: its placeholders stand for runs that are dropped too. */
static void skip_runs(Tree *t, const xmlChar *ch, int len)
{
  const xmlChar *p = ch, *e = ch + (len > 0 ? len : 0), *q;
  while (t->next_run < t->nruns && (q = find_ph(p, e)) != NULL) {
    t->next_run++;
    p = q + PH_LEN;
  }
}

static void add_text(htmlParserCtxtPtr c, Tree *t, const xmlChar *ch, int len, int cdata)
{
  if (cdata && t->nruns && len > 0 && find_ph(ch, ch + len)) t->missed = 1;   /* a run inside a script */
  if (t->oom || t->cur == 0 || len < 0 || (t->hidden && (t->hidden > 1 || !t->keep_text))) {
    if (!cdata && t->nruns) skip_runs(t, ch, len);
    return;
  }
  El *e = &t->el[t->cur];
  if (e->last < 0 && !e->blocked && t->tx[-e->last].cdata == cdata) {
    /* as libxml2's tree builder: text after text (script content after script
     * content) is one node */
    Txt *x = &t->tx[-e->last];
    if ((size_t)x->off + x->len != t->nbuf) {   /* not at the end of buf: move it there */
      size_t n = x->len;
      uint32_t off = put(t, NULL, n);
      if (t->oom) { xmlStopParser(c); return; }
      memmove(t->buf + off, t->buf + x->off, n);
      x = &t->tx[-e->last];
      x->off = off;
    }
    size_t n = put_text(t, ch, (size_t)len);
    if (t->oom) { xmlStopParser(c); return; }
    x->len += (uint32_t)n;
  } else {
    if (!grow((void **)&t->tx, &t->cap_tx, t->ntx + 2, sizeof(Txt)) || t->ntx >= INT32_MAX - 1) {
      t->oom = 1;
      xmlStopParser(c);
      return;
    }
    uint32_t off = (uint32_t)t->nbuf;
    size_t n = put_text(t, ch, (size_t)len);
    if (t->oom) { xmlStopParser(c); return; }
    int32_t k = (int32_t)++t->ntx;
    Txt *x = &t->tx[k];
    x->off = off;
    x->len = (uint32_t)n;
    x->next = 0;
    x->cdata = (uint8_t)cdata;
    append_child(t, t->cur, -k);
  }
  show_open(c, t, cdata ? &t->fake_other : &t->fake_text);
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  add_text(c, (Tree *)c->_private, ch, len, 0);
}

static void sax_cdata(void *ctx, const xmlChar *ch, int len)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  add_text(c, (Tree *)c->_private, ch, len, 1);
}

/* A comment is no node, but text on both sides of it stays two nodes. */
static void sax_comment(void *ctx, const xmlChar *value)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Tree *t = (Tree *)c->_private;
  (void)value;
  if (t->cur && t->hidden <= 1) t->el[t->cur].blocked = 1;
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Tree *t = (Tree *)c->_private;
  (void)target; (void)data;
  if (t->cur && t->hidden <= 1) {
    t->el[t->cur].blocked = 1;
    show_open(c, t, &t->fake_other);
  }
}

static void sax_start_document(void *ctx)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  xmlSAX2StartDocument(ctx);   /* the document node holds the DOCTYPE libxml2 looks at */
  show_open(c, (Tree *)c->_private, NULL);
}

/* ------------------------------------------------------------------------
 * The tree userdata
 * ---------------------------------------------------------------------- */

static Tree *check_tree(lua_State *L, int i)
{
  Tree *t = (Tree *)luaL_checkudata(L, i, TREE_MT);
  luaL_argcheck(L, t->el != NULL, i, "tree freed");
  return t;
}

static int32_t check_pos(lua_State *L, Tree *t, int i)
{
  lua_Integer p = luaL_checkinteger(L, i);
  luaL_argcheck(L, p >= 1 && (size_t)p <= t->nel, i, "no such element");
  return (int32_t)p;
}

static int tree_free(lua_State *L)
{
  tree_release((Tree *)luaL_checkudata(L, 1, TREE_MT));
  return 0;
}

static int tree_tostring(lua_State *L)
{
  Tree *t = (Tree *)luaL_checkudata(L, 1, TREE_MT);
  if (t->el) lua_pushfstring(L, "gisa.htmlparse tree (%d elements)", (int)t->nel);
  else lua_pushliteral(L, "gisa.htmlparse tree (freed)");
  return 1;
}

static void push_tag(lua_State *L, Tree *t, int32_t pos)
{
  Tag *g = &t->tags[t->el[pos].tag];
  lua_pushlstring(L, t->buf + g->off, g->len);
}

/* tree:count() -> integer   (elements) */
static int tree_count(lua_State *L)
{
  lua_pushinteger(L, (lua_Integer)check_tree(L, 1)->nel);
  return 1;
}

/* tree:element(pos) -> tag, parent position (0 for the root), last descendant position */
static int tree_element(lua_State *L)
{
  Tree *t = check_tree(L, 1);
  int32_t p = check_pos(L, t, 2);
  push_tag(L, t, p);
  lua_pushinteger(L, t->el[p].parent);
  lua_pushinteger(L, t->el[p].end);
  return 3;
}

/* tree:skeleton() -> parents, tags, lasts   (arrays by position: the
 * parent's position, 0 for the root; the tag name; the position of the last
 * descendant, so that q is inside p when p <= q <= lasts[p]) */
static int tree_skeleton(lua_State *L)
{
  Tree *t = check_tree(L, 1);
  int n = t->nel > 0x3fffffff ? 0x3fffffff : (int)t->nel;
  lua_createtable(L, n, 0);
  lua_createtable(L, n, 0);
  lua_createtable(L, n, 0);
  /* each tag's string once (a page has a few dozen tags and thousands of elements) */
  int top = lua_gettop(L);
  luaL_checkstack(L, (int)(t->ntags > 0x7fff ? 0x7fff : t->ntags) + 4, "too many tags");
  int ntags = t->ntags > 0x7fff ? 0 : (int)t->ntags;
  for (int g = 0; g < ntags; g++) lua_pushlstring(L, t->buf + t->tags[g].off, t->tags[g].len);
  for (int p = 1; p <= n; p++) {
    lua_pushinteger(L, t->el[p].parent);
    lua_rawseti(L, top - 2, p);
    if (ntags) lua_pushvalue(L, top + 1 + (int)t->el[p].tag);
    else push_tag(L, t, p);
    lua_rawseti(L, top - 1, p);
    lua_pushinteger(L, t->el[p].end);
    lua_rawseti(L, top, p);
  }
  lua_settop(L, top);
  return 3;
}

/* tree:attrs(pos) -> table | nil   (nil: the element has none) */
static int tree_attrs(lua_State *L)
{
  Tree *t = check_tree(L, 1);
  El *e = &t->el[check_pos(L, t, 2)];
  if (e->na == 0) return 0;
  lua_createtable(L, 0, (int)e->na);
  for (uint32_t i = 0; i < e->na; i++) {
    Attr *a = &t->at[e->a0 + i];
    lua_pushlstring(L, t->buf + a->name, a->nlen);
    lua_pushlstring(L, t->buf + a->val, a->vlen);
    lua_rawset(L, -3);
  }
  return 1;
}

/* tree:children(pos) -> list | nil   (element positions and text strings, in
 * order; empty texts left out; nil: none) */
static int tree_children(lua_State *L)
{
  Tree *t = check_tree(L, 1);
  El *e = &t->el[check_pos(L, t, 2)];
  int n = 0;
  for (int32_t c = e->first; c; c = c > 0 ? t->el[c].next : t->tx[-c].next) {
    if (c < 0 && t->tx[-c].len == 0) continue;
    if (n == 0) lua_createtable(L, 4, 0);
    if (c > 0) lua_pushinteger(L, c);
    else lua_pushlstring(L, t->buf + t->tx[-c].off, t->tx[-c].len);
    lua_rawseti(L, -2, ++n);
  }
  return n > 0;
}

static int word_sep(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The attribute `name` of element e, or NULL. */
static Attr *attr_of(Tree *t, El *e, const char *name, size_t len)
{
  for (uint32_t i = 0; i < e->na; i++) {
    Attr *a = &t->at[e->a0 + i];
    if (a->nlen == len && !memcmp(t->buf + a->name, name, len)) return a;
  }
  return NULL;
}

/* tree:find(kind, name) -> list of positions, ascending   (kind: "tag",
 * "class" (one of the words of class) or "id") */
static int tree_find(lua_State *L)
{
  static const char *const kinds[] = {"tag", "class", "id", NULL};
  Tree *t = check_tree(L, 1);
  int kind = luaL_checkoption(L, 2, NULL, kinds);
  size_t len;
  const char *name = luaL_checklstring(L, 3, &len);
  lua_newtable(L);
  lua_Integer n = 0;
  if (kind == 0) {
    size_t g = 0;
    for (; g < t->ntags; g++)
      if (t->tags[g].len == len && !memcmp(t->buf + t->tags[g].off, name, len)) break;
    if (g == t->ntags) return 1;
    for (size_t p = 1; p <= t->nel; p++)
      if (t->el[p].tag == g) {
        lua_pushinteger(L, (lua_Integer)p);
        lua_rawseti(L, -2, ++n);
      }
    return 1;
  }
  for (size_t p = 1; p <= t->nel; p++) {
    El *e = &t->el[p];
    if (e->na == 0) continue;
    Attr *a = attr_of(t, e, kind == 1 ? "class" : "id", kind == 1 ? 5 : 2);
    if (a == NULL) continue;
    const char *v = t->buf + a->val, *end = v + a->vlen;
    int hit = 0;
    if (kind == 2) hit = a->vlen == len && !memcmp(v, name, len);
    else
      while (v < end && !hit) {
        while (v < end && word_sep((unsigned char)*v)) v++;
        const char *w = v;
        while (v < end && !word_sep((unsigned char)*v)) v++;
        hit = v > w && (size_t)(v - w) == len && !memcmp(w, name, len);
      }
    if (hit) {
      lua_pushinteger(L, (lua_Integer)p);
      lua_rawseti(L, -2, ++n);
    }
  }
  return 1;
}

/* ------------------------------------------------------------------------
 * Blocks: the visible text in reading order (what lua/gisa/html/page.lua
 * makes lines of). Scratch memory is held by a userdata with __gc, so an
 * error raised while the result is built frees it.
 * ---------------------------------------------------------------------- */

typedef struct {
  char *text; size_t ntext, cap_text;     /* the block being gathered */
  int32_t *kcount;                        /* blocks so far, per element */
  const char **mark;                      /* site rules' mark, per element */
  struct TagInfo *tags;
  struct Word *words; size_t cap_words;   /* class and id words, open addressing */
  char *low; size_t cap_low;              /* a class word lowercased */
} Scratch;

typedef struct TagInfo {
  uint8_t skip, block, heading, br, a, button, span, li, figcaption;
  const char *reason;   /* of tag_reasons */
} TagInfo;

enum { W_CAPTION = 1, W_CRUMB = 2, W_SECTION = 4, W_ACTIVE = 8, W_DECK = 16 };

typedef struct Word {
  const char *s; size_t len;   /* a key of the conventions' tables (held by them) */
  const char *reason;          /* tokens[word] */
  int flags;
} Word;

static int scratch_free(lua_State *L)
{
  Scratch *s = (Scratch *)luaL_checkudata(L, 1, SCRATCH_MT);
  free(s->text); free(s->kcount); free(s->mark); free(s->tags); free(s->words); free(s->low);
  memset(s, 0, sizeof *s);
  return 0;
}

static int scratch_tostring(lua_State *L)
{
  Scratch *s = (Scratch *)luaL_checkudata(L, 1, SCRATCH_MT);
  lua_pushfstring(L, "gisa.htmlparse block walk (%s)", s->words ? "in use" : "freed");
  return 1;
}

static size_t hash_str(const char *s, size_t n)
{
  size_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static Word *word_slot(Scratch *s, const char *w, size_t n)
{
  size_t k = hash_str(w, n) & (s->cap_words - 1);
  while (s->words[k].s && !(s->words[k].len == n && !memcmp(s->words[k].s, w, n)))
    k = (k + 1) & (s->cap_words - 1);
  return &s->words[k];
}

/* The string keys of table `tab` (a field of the conventions at index cfg)
 * into the word table, each with `flag`, or with its value as the reason. */
static void add_words(lua_State *L, Scratch *s, int cfg, const char *field, int flag)
{
  int ty = lua_getfield(L, cfg, field);
  /* the deck words are optional (a caller that gives none marks no deck) */
  if (ty == LUA_TNIL && flag == W_DECK) { lua_pop(L, 1); return; }
  if (ty != LUA_TTABLE) luaL_error(L, "conventions.%s must be a table", field);
  int tab = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, tab)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
      size_t n;
      const char *w = lua_tolstring(L, -2, &n);
      Word *x = word_slot(s, w, n);
      if (!x->s) { x->s = w; x->len = n; }
      if (flag) x->flags |= flag;
      else if (lua_type(L, -1) == LUA_TSTRING && !x->reason) x->reason = lua_tostring(L, -1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);   /* the table stays referenced by cfg, which holds the strings */
}

static size_t count_keys(lua_State *L, int cfg, const char *field)
{
  size_t n = 0;
  if (lua_getfield(L, cfg, field) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) { n++; lua_pop(L, 1); }
  }
  lua_pop(L, 1);
  return n;
}

static int is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

typedef struct {
  const char *reason, *kind;
  int32_t crumb;
  int active, split;
} State;

typedef struct {
  lua_State *L;
  Tree *t;
  Scratch *s;
  int out;               /* stack index of the blocks list */
  lua_Integer nblocks;
  int npieces;
  int space, marks;      /* a blank is pending; the text holds \1 */
  lua_Integer link;
  int32_t cur_el;
  State cur_state;
} Walk;

/* Add n bytes to the block being gathered, cleaned on the way: no-break and
 * ideographic spaces as spaces, each run of blanks as one space (none at the
 * start; one at the end is dropped by flush). */
static void gather(Walk *w, const char *src, size_t n)
{
  /* bytes that need a look: blanks, the first bytes of U+00A0 and U+3000, \1 */
  static const unsigned char special[256] = {
    [1] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, [0xC2] = 1, [0xE3] = 1
  };
  Scratch *s = w->s;
  if (!grow((void **)&s->text, &s->cap_text, s->ntext + n + 2, 1)) luaL_error(w->L, "not enough memory");
  const unsigned char *p = (const unsigned char *)src, *e = p + n;
  char *o = s->text;
  size_t k = s->ntext;
  w->npieces++;
  while (p < e) {
    if (!special[*p]) {
      if (w->space) { o[k++] = ' '; w->space = 0; }
      const unsigned char *q = p + 1;
#ifdef __SSE2__
      /* the end of the run 16 bytes at a time (candidates: bytes up to a
       * space, 0xC2, 0xE3; the table decides). A single space between two
       * bytes that need no look comes out as it is: the run goes on over it. */
      const __m128i sp = _mm_set1_epi8(' '), c2 = _mm_set1_epi8((char)0xC2), e3 = _mm_set1_epi8((char)0xE3);
      while (e - q >= 17) {
        __m128i v = _mm_loadu_si128((const __m128i *)q), v2 = _mm_loadu_si128((const __m128i *)(q + 1));
        __m128i s1 = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, sp), v),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, e3)));
        __m128i s2 = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v2, sp), v2),
                                  _mm_or_si128(_mm_cmpeq_epi8(v2, c2), _mm_cmpeq_epi8(v2, e3)));
        __m128i plain_space = _mm_andnot_si128(s2, _mm_cmpeq_epi8(v, sp));
        int m = _mm_movemask_epi8(_mm_andnot_si128(plain_space, s1));
        if (m) { q += __builtin_ctz((unsigned)m); break; }
        q += 16;
      }
#endif
      while (q < e && !special[*q]) q++;
      memcpy(o + k, p, (size_t)(q - p));
      k += (size_t)(q - p);
      p = q;
      continue;
    }
    if (is_space(*p)) { p++; w->space = k > 0; continue; }
    if (*p == 0xC2 && p + 1 < e && p[1] == 0xA0) { p += 2; w->space = k > 0; continue; }
    if (*p == 0xE3 && p + 2 < e && p[1] == 0x80 && p[2] == 0x80) { p += 3; w->space = k > 0; continue; }
    if (w->space) { o[k++] = ' '; w->space = 0; }
    if (*p == 1) w->marks = 1;
    o[k++] = (char)*p++;
  }
  s->ntext = k;
}

/* The \1 marks between inline parts of the gathered text: no spaces next to
 * them, none at the ends. Returns the new length. */
static size_t unspace_marks(char *o, size_t n)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (o[i] == ' ' && ((i + 1 < n && o[i + 1] == 1) || (m > 0 && o[m - 1] == 1))) continue;
    if (o[i] == 1 && m == 0) continue;   /* none at the start */
    o[m++] = o[i];
  }
  while (m > 0 && o[m - 1] == 1) m--;
  return m;
}

static void flush(Walk *w)
{
  if (w->npieces == 0) return;
  lua_State *L = w->L;
  size_t n = w->s->ntext;
  if (w->marks) n = unspace_marks(w->s->text, n);
  w->s->ntext = 0;
  w->npieces = 0;
  w->space = 0;
  w->marks = 0;
  if (n > 0) {
    int32_t el = w->cur_el;
    int32_t k = ++w->s->kcount[el];
    State *st = &w->cur_state;
    lua_createtable(L, 0, 8);
    lua_pushlstring(L, w->s->text, n);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, el);
    lua_setfield(L, -2, "el");
    lua_pushinteger(L, k);
    lua_setfield(L, -2, "k");
    if (st->reason) { lua_pushstring(L, st->reason); lua_setfield(L, -2, "reason"); }
    if (st->kind) { lua_pushstring(L, st->kind); lua_setfield(L, -2, "kind"); }
    if (st->crumb) { lua_pushinteger(L, st->crumb); lua_setfield(L, -2, "crumb"); }
    lua_pushinteger(L, w->link);
    lua_setfield(L, -2, "link");
    if (st->active) { lua_pushboolean(L, 1); lua_setfield(L, -2, "active"); }
    lua_rawseti(L, w->out, ++w->nblocks);
  }
  w->link = 0;
}

/* Hidden by its attributes: hidden, aria-hidden="true", style display:none. */
static int hidden_el(Tree *t, El *e)
{
  if (attr_of(t, e, "hidden", 6)) return 1;
  Attr *a = attr_of(t, e, "aria-hidden", 11);
  if (a && a->vlen == 4 && !memcmp(t->buf + a->val, "true", 4)) return 1;
  a = attr_of(t, e, "style", 5);
  if (a == NULL) return 0;
  const char *v = t->buf + a->val;
  size_t n = a->vlen;
  for (size_t i = 0; i + 7 <= n; i++) {
    if (strncasecmp(v + i, "display", 7)) continue;
    size_t j = i + 7;
    while (j < n && is_space((unsigned char)v[j])) j++;
    if (j >= n || v[j] != ':') continue;
    j++;
    while (j < n && is_space((unsigned char)v[j])) j++;
    if (j + 4 <= n && !strncasecmp(v + j, "none", 4)) return 1;
  }
  return 0;
}

/* One lowercased class or id word: its reason (the first found) and flags. */
static void look_word(Scratch *s, const char *wd, size_t n, const char **reason, int *flags)
{
  Word *x = word_slot(s, wd, n);
  if (!x->s) return;
  if (!*reason && x->reason) *reason = x->reason;
  *flags |= x->flags;
}

/* What the class and id words of e say (see class_info in page.lua). */
static void class_info(Walk *w, El *e, const char **reason, int *flags)
{
  Tree *t = w->t;
  Scratch *s = w->s;
  *reason = NULL;
  *flags = 0;
  Attr *which[2] = {attr_of(t, e, "class", 5), attr_of(t, e, "id", 2)};
  for (int k = 0; k < 2; k++) {
    Attr *a = which[k];
    if (a == NULL) continue;
    if (!grow((void **)&s->low, &s->cap_low, a->vlen + 1, 1)) luaL_error(w->L, "not enough memory");
    const char *v = t->buf + a->val, *end = v + a->vlen;
    while (v < end) {
      while (v < end && is_space((unsigned char)*v)) v++;
      const char *p0 = v;
      int split = 0;
      while (v < end && !is_space((unsigned char)*v)) {
        unsigned char ch = (unsigned char)*v;
        s->low[v - p0] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        if (ch == '-' || ch == '_') split = 1;
        v++;
      }
      size_t n = (size_t)(v - p0);
      if (n == 0) continue;
      look_word(s, s->low, n, reason, flags);
      if (split) {
        size_t i = 0;
        while (i < n) {
          while (i < n && (s->low[i] == '-' || s->low[i] == '_')) i++;
          size_t j = i;
          while (j < n && s->low[j] != '-' && s->low[j] != '_') j++;
          if (j > i) look_word(s, s->low + i, j - i, reason, flags);
          i = j;
        }
      }
    }
  }
}

static void walk(Walk *w, int32_t node, const State *st, int in_a, int32_t blk, int depth)
{
  Tree *t = w->t;
  Scratch *s = w->s;
  int gap = 0;   /* 1: after an element, 2: after an element and blanks */
  if (depth > MAX_DEPTH + 8) luaL_error(w->L, "page nested too deep");   /* not reached: sax_start bounds it */
  for (int32_t c = t->el[node].first; c; c = c > 0 ? t->el[c].next : t->tx[-c].next) {
    if (c < 0) {
      Txt *x = &t->tx[-c];
      if (x->len == 0) continue;
      const char *p = t->buf + x->off;
      int blank = 1;
      for (uint32_t i = 0; i < x->len && blank; i++) blank = is_space((unsigned char)p[i]);
      gap = (blank && gap > 0) ? 2 : 0;
      if (w->npieces == 0 && blank) continue;   /* whitespace between blocks */
      if (w->npieces == 0) { w->cur_el = blk; w->cur_state = *st; }
      gather(w, p, x->len);
      if (in_a) w->link += x->len;
      continue;
    }
    El *e = &t->el[c];
    TagInfo *ti = &s->tags[e->tag];
    if (ti->br) {
      /* a caption and its credit split by <br> are one caption */
      if (st->kind && !strcmp(st->kind, "caption") && w->npieces > 0) gather(w, " ", 1);
      else flush(w);
      continue;
    }
    if (ti->skip || (e->na > 0 && hidden_el(t, e))) continue;
    /* inline elements set apart by blanks may be lines of their own: marked */
    if (gap == 2 && w->npieces > 0 && !ti->block) gather(w, "\1", 1);
    gap = 1;
    const char *creason = NULL;
    int flags = 0;
    if (e->na > 0) {
      class_info(w, e, &creason, &flags);
      /* schema.org's itemprop="articleBody" names the article's text: its own
       * class words style it (a text-size class "font-size17"), they do not
       * make it page chrome */
      Attr *ip = creason ? attr_of(t, e, "itemprop", 8) : NULL;
      if (ip && ip->vlen == 11 && !memcmp(t->buf + ip->val, "articleBody", 11)) creason = NULL;
    }
    const char *mark = s->mark[c];
    const char *reason = creason ? creason : ti->reason;
    const char *kind = mark;
    int deck = 0;
    if (!kind) {
      if (ti->figcaption || (flags & W_CAPTION)) kind = "caption";
      else if (flags & W_CRUMB) kind = "breadcrumb";
      else if (ti->heading) kind = "heading";
      else if ((flags & W_SECTION) && !st->kind) kind = "section";
      /* a summary box (the article's deck) set in the text: its own lines */
      else if ((flags & W_DECK) && !st->kind) { kind = "deck"; deck = 1; }
    }
    int active = (ti->li || ti->a) && ((flags & W_ACTIVE) || (e->na > 0 && attr_of(t, e, "aria-current", 12)));
    int is_title = mark && !strcmp(mark, "title");
    if (mark && !strcmp(mark, "remove") && !reason) reason = "site-rule";
    State nst = *st;
    if (reason || kind || active) {
      nst.reason = reason ? reason : st->reason;
      nst.kind = kind ? kind : st->kind;
      nst.crumb = kind && !strcmp(kind, "breadcrumb") ? c : st->crumb;
      nst.active = active || st->active;
      nst.split = (reason != NULL || st->split) && !is_title;
      if (kind && (!strcmp(kind, "caption") || !strcmp(kind, "title"))) nst.split = 0;
    }
    /* in page chrome every link and button is a line of its own */
    int block = ti->block || (nst.split && (ti->a || ti->button || ti->span)) || ti->button || mark
                || deck;
    if (block) flush(w);
    else if (w->npieces > 0 && ti->a && e->na > 0) {
      /* an address run into the text before it is a word of its own */
      Attr *h = attr_of(t, e, "href", 4);
      if (h && h->vlen >= 7 && !memcmp(t->buf + h->val, "mailto:", 7)) gather(w, " ", 1);
    }
    walk(w, c, &nst, in_a || ti->a, block ? c : blk, depth + 1);
    if (block) flush(w);
  }
}

static int tag_in(lua_State *L, int cfg, const char *field, const char *tag, size_t len)
{
  lua_getfield(L, cfg, field);
  if (!lua_istable(L, -1)) luaL_error(L, "conventions.%s must be a table", field);
  lua_pushlstring(L, tag, len);
  int r = lua_rawget(L, -2) != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 2);
  return r;
}

/* tree:blocks(conventions, marks) -> list of {text=, el=, k=, reason=, kind=,
 *   crumb=, link=, active=}   (el, crumb: element positions; conventions:
 *   {skip=, block=, heading=, tag_reasons= (tag sets and tag -> reason),
 *   tokens= (class word -> reason), caption=, breadcrumb=, section=, active=,
 *   deck= (class word sets; deck optional: a summary box, its own lines)}; marks: position -> "title" | "remove" | "caption" | …) */
static int tree_blocks(lua_State *L)
{
  Tree *t = check_tree(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  Scratch *s = (Scratch *)lua_newuserdatauv(L, sizeof(Scratch), 0);   /* 4 */
  memset(s, 0, sizeof *s);
  luaL_setmetatable(L, SCRATCH_MT);
  s->kcount = (int32_t *)calloc(t->nel + 1, sizeof(int32_t));
  s->mark = (const char **)calloc(t->nel + 1, sizeof(const char *));
  s->tags = (TagInfo *)calloc(t->ntags + 1, sizeof(TagInfo));
  size_t nw = count_keys(L, 2, "tokens") + count_keys(L, 2, "caption") + count_keys(L, 2, "breadcrumb")
              + count_keys(L, 2, "section") + count_keys(L, 2, "active") + count_keys(L, 2, "deck");
  s->cap_words = 16;
  while (s->cap_words < nw * 2 + 2) s->cap_words *= 2;
  s->words = (Word *)calloc(s->cap_words, sizeof(Word));
  if (!s->kcount || !s->mark || !s->tags || !s->words) return luaL_error(L, "not enough memory");
  for (size_t g = 0; g < t->ntags; g++) {
    const char *tag = t->buf + t->tags[g].off;
    size_t len = t->tags[g].len;
    TagInfo *ti = &s->tags[g];
    ti->skip = (uint8_t)tag_in(L, 2, "skip", tag, len);
    ti->block = (uint8_t)tag_in(L, 2, "block", tag, len);
    ti->heading = (uint8_t)tag_in(L, 2, "heading", tag, len);
    lua_getfield(L, 2, "tag_reasons");
    if (!lua_istable(L, -1)) return luaL_error(L, "conventions.tag_reasons must be a table");
    lua_pushlstring(L, tag, len);
    if (lua_rawget(L, -2) == LUA_TSTRING) ti->reason = lua_tostring(L, -1);   /* held by the table */
    lua_pop(L, 2);
#define IS(s_) (len == sizeof(s_) - 1 && !memcmp(tag, s_, len))
    ti->br = IS("br"); ti->a = IS("a"); ti->button = IS("button"); ti->span = IS("span");
    ti->li = IS("li"); ti->figcaption = IS("figcaption");
#undef IS
  }
  add_words(L, s, 2, "tokens", 0);
  add_words(L, s, 2, "caption", W_CAPTION);
  add_words(L, s, 2, "breadcrumb", W_CRUMB);
  add_words(L, s, 2, "section", W_SECTION);
  add_words(L, s, 2, "active", W_ACTIVE);
  add_words(L, s, 2, "deck", W_DECK);
  lua_pushnil(L);
  while (lua_next(L, 3)) {   /* the marks: strings held by the table */
    if (lua_isinteger(L, -2) && lua_type(L, -1) == LUA_TSTRING) {
      lua_Integer p = lua_tointeger(L, -2);
      if (p >= 1 && (size_t)p <= t->nel) s->mark[p] = lua_tostring(L, -1);
    }
    lua_pop(L, 1);
  }
  lua_newtable(L);   /* 5 */
  Walk w;
  memset(&w, 0, sizeof w);
  w.L = L;
  w.t = t;
  w.s = s;
  w.out = 5;
  State st = {NULL, NULL, 0, 0, 0};
  if (t->nel > 0) {
    w.cur_el = 1;
    walk(&w, 1, &st, 0, 1, 0);
    flush(&w);
  }
  return 1;
}

/* ------------------------------------------------------------------------
 * Shortcuts. libxml2 reads text one character at a time (about 15
 * instructions a byte), and most of a page is plain text and script. One pass
 * over the page before the parse, driven by memchr, makes the bytes the
 * parser is shown:
 *  - a script or style body (not JSON-LD, not starting with '<', no control
 *    bytes) is left out up to its end tag: the parser reads it as script text
 *    up to that tag, and that text makes no node;
 *  - a run of plain text after a '>' and its blanks up to the next '<' (8
 *    bytes or more, no '&', no byte the parser drops, not ending in a blank)
 *    is shown as one placeholder character, and the text handler puts the
 *    run back. For such a run the parser decides as for its placeholder: text
 *    that is not blank, ending at the same '<', all of it delivered (it drops
 *    only a last piece of text that is all blank, and skips blanks only
 *    before text, as after a DOCTYPE or a comment before the root).
 * The handlers check that every shortcut was taken where it was made: a cut
 * body right after its start tag, whose text would make no node; every
 * placeholder as text, in order. When one was not (the pass guessed wrong
 * about a tag, a comment or an attribute value), the page is parsed again as
 * it is: the tree is always the one the page gives.
 * ---------------------------------------------------------------------- */

static int blank_ch(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int alpha_ch(unsigned c) { c |= 0x20; return c >= 'a' && c <= 'z'; }

/* Is s[i] a byte that stops a shortcut: a control but tab, LF and CR; in a run
 * of text also '&' and U+FFFE, U+FFFF (no characters to the parser: dropped)? */
static int stop_byte(const unsigned char *s, size_t i, size_t n, int text)
{
  unsigned c = s[i];
  if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
  if (!text) return 0;
  if (c == '&') return 1;
  return c == 0xEF && i + 2 < n && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF);
}

/* No stop byte in s[0..n): 16 bytes at a time where SSE2 is, then one at a time. */
static int clean_bytes(const unsigned char *s, size_t n, int text)
{
  size_t i = 0;
#ifdef __SSE2__
  const __m128i c20 = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), amp = _mm_set1_epi8(text ? '&' : 0),
                ef = _mm_set1_epi8(text ? (char)0xEF : 0);   /* a NUL stops too */
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i ctl = _mm_andnot_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, c20), v),   /* v < 0x20 */
                                   _mm_set1_epi8(-1));
    ctl = _mm_andnot_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                        _mm_cmpeq_epi8(v, cr)), ctl);
    __m128i any = _mm_or_si128(ctl, _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, ef)));
    if (_mm_movemask_epi8(any)) {
      for (size_t k = i; k < i + 16; k++) if (stop_byte(s, k, n, text)) return 0;
    }
  }
#endif
  for (; i < n; i++) if (stop_byte(s, i, n, text)) return 0;
  return 1;
}

/* Can the text p[0..n) be shown as a placeholder? */
static int plain_run(const unsigned char *p, size_t n)
{
  return n >= 8 && !blank_ch(p[n - 1]) && clean_bytes(p, n, 1);
}

/* The '>' that ends the start tag at p ('<' and a letter): quoted values after
 * '=' may hold '>'. NULL when the page ends first. */
static const unsigned char *tag_end(const unsigned char *p, const unsigned char *e)
{
  int eq = 0;
  for (p++; p < e; p++) {
    unsigned c = *p;
    if (c == '>') return p;
    if (c == '=') { eq = 1; continue; }
    if ((c == '"' || c == '\'') && eq) {
      p = (const unsigned char *)memchr(p + 1, (int)c, (size_t)(e - p - 1));
      if (p == NULL) return NULL;
      eq = 0;
      continue;
    }
    if (!blank_ch(c)) eq = 0;
  }
  return NULL;
}

/* Where the parser ends a script or style body that starts at p: the first
 * "</" and the name in any letter case. NULL: none. */
static const unsigned char *body_end(const unsigned char *p, const unsigned char *e, const char *name, size_t nl)
{
  while ((p = (const unsigned char *)memchr(p, '<', (size_t)(e - p))) != NULL) {
    if ((size_t)(e - p) >= nl + 2 && p[1] == '/' && !strncasecmp((const char *)p + 2, name, nl)) return p;
    p++;
  }
  return NULL;
}

static int has_ci(const unsigned char *p, const unsigned char *e, const char *w, size_t n)
{
  for (; p + n <= e; p++)
    if ((*p | 0x20) == (unsigned char)w[0] && !strncasecmp((const char *)p, w, n)) return 1;
  return 0;
}

/* Make the bytes the parser is shown from s[0..n) into out (n bytes or more);
 * the runs and cuts go to t. Returns their length. */
static size_t shortcuts(Tree *t, const unsigned char *s, size_t n, unsigned char *out)
{
  const unsigned char *e = s + n, *p = s, *from = s;
  unsigned char *o = out;
  int runs = find_ph(s, e) == NULL;
#define COPY_TO(q_) do { memcpy(o, from, (size_t)((q_) - from)); o += (q_) - from; } while (0)
  while ((p = (const unsigned char *)memchr(p, '<', (size_t)(e - p))) != NULL) {
    const unsigned char *gt;
    if (p + 1 < e && alpha_ch(p[1])) {
      gt = tag_end(p, e);
      if (gt == NULL) break;
      const unsigned char *nm = p + 1;
      size_t nl = 0;
      while (nm + nl < gt && alpha_ch(nm[nl])) nl++;
      int style = nl == 5 && !strncasecmp((const char *)nm, "style", 5);
      int script = nl == 6 && !strncasecmp((const char *)nm, "script", 6);
      if ((style || script) && (nm + nl == gt || blank_ch(nm[nl]) || nm[nl] == '/')) {
        const unsigned char *q = body_end(gt + 1, e, style ? "style" : "script", nl);
        if (q == NULL) break;   /* the rest of the page is its text */
        if (q > gt + 1 && gt[1] != '<' && gt[-1] != '/' && !(script && has_ci(p, gt, "ld+json", 7))
            && clean_bytes(gt + 1, (size_t)(q - gt - 1), 0)) {
          if (!grow((void **)&t->cuts, &t->cap_cuts, t->ncuts + 1, sizeof(Cut))) break;
          COPY_TO(gt + 1);
          t->cuts[t->ncuts].gt = (uint32_t)(o - out - 1);
          t->cuts[t->ncuts].style = (uint8_t)style;
          t->ncuts++;
          from = q;
        }
        p = q;
        continue;
      }
    } else if (e - p > 3 && p[1] == '!' && p[2] == '-' && p[3] == '-') {
      const unsigned char *q = (const unsigned char *)memmem(p + 4, (size_t)(e - p - 4), "-->", 3);
      if (q == NULL) break;
      gt = q + 2;
    } else {
      gt = (const unsigned char *)memchr(p + 1, '>', (size_t)(e - p - 1));
      if (gt == NULL) break;
    }
    /* the text after the tag, up to the next '<' */
    const unsigned char *r = gt + 1, *lt = (const unsigned char *)memchr(r, '<', (size_t)(e - r));
    if (lt == NULL) break;
    /* blanks stay: the parser skips some (after a DOCTYPE or comment before the root) */
    while (r < lt && blank_ch(*r)) r++;
    if (runs && plain_run(r, (size_t)(lt - r))) {
      if (!grow((void **)&t->runs, &t->cap_runs, t->nruns + 1, sizeof(Run))) break;
      COPY_TO(r);
      memcpy(o, PH, PH_LEN);
      o += PH_LEN;
      t->runs[t->nruns].off = (uint32_t)(r - s);
      t->runs[t->nruns].len = (uint32_t)(lt - r);
      t->nruns++;
      from = lt;
    }
    p = lt;
  }
  COPY_TO(e);
#undef COPY_TO
  return (size_t)(o - out);
}

/* A new or emptied tree, ready for a parse of len bytes. */
static int tree_init(Tree *t, size_t len)
{
  tree_release(t);
  memset(t, 0, sizeof *t);
  t->fake.type = XML_ELEMENT_NODE;
  t->fake_el.type = XML_ELEMENT_NODE;
  t->fake_text.type = XML_TEXT_NODE;
  t->fake_other.type = XML_CDATA_SECTION_NODE;
  return grow((void **)&t->el, &t->cap_el, len / 64 + 16, sizeof(El)) &&
         grow((void **)&t->buf, &t->cap_buf, len / 2 + 64, 1);
}

/* Parse s[0..len) into t. 0: no parser (out of memory). */
static int run_parser(Tree *t, const char *s, size_t len)
{
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt == NULL) return 0;
  ctxt->_private = t;
  ctxt->sax->startDocument = sax_start_document;
  ctxt->sax->startElement = sax_start;
  ctxt->sax->endElement = sax_end;
  ctxt->sax->characters = sax_text;
  ctxt->sax->cdataBlock = sax_cdata;
  ctxt->sax->comment = sax_comment;
  ctxt->sax->processingInstruction = sax_pi;
  int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
             HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT;
  xmlDocPtr doc = htmlCtxtReadMemory(ctxt, len ? s : "", (int)len, NULL, "UTF-8", opts);
  ctxt->node = NULL;
  htmlFreeParserCtxt(ctxt);
  if (doc) xmlFreeDoc(doc);
  for (size_t g = 0; g < t->ntags; g++) t->tags[g].key = NULL;   /* the parser's names are gone */
  return 1;
}

/* ------------------------------------------------------------------------
 * The module
 * ---------------------------------------------------------------------- */

/* htmlparse.parse(utf8 [, shortcuts]) -> tree [, warning] | nil, message
 *   (tree: see the tree:… functions above; warning: nesting flattened;
 *   shortcuts: false parses every byte, for tests: the tree is the same) */
static int htmlparse_parse(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_argcheck(L, len <= (size_t)0x7fffffff, 1, "page too large (2 GB or more)");
  int fast = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
  lua_settop(L, 1);
  Tree *t = (Tree *)lua_newuserdatauv(L, sizeof(Tree), 0);   /* 2 */
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, TREE_MT);
  if (!tree_init(t, len)) return luaL_error(L, "not enough memory");
  const char *shown = s;
  size_t nshown = len;
  if (fast && len > 0 && memchr(s, 0, len) == NULL &&
      gisa_utf8_validate((const unsigned char *)s, len, NULL) == len) {
    unsigned char *view = (unsigned char *)lua_newuserdatauv(L, len, 0);   /* 3 */
    t->src = s;
    nshown = shortcuts(t, (const unsigned char *)s, len, view);
    if (t->nruns || t->ncuts) shown = (const char *)view;
  }
  if (!run_parser(t, shown, nshown)) return luaL_error(L, "not enough memory");
  if (shown != s && !t->oom && (t->missed || t->next_run != t->nruns || t->next_cut != t->ncuts)) {
    if (!tree_init(t, len) || !run_parser(t, s, len)) return luaL_error(L, "not enough memory");
  }
  lua_settop(L, 2);
  free(t->runs); free(t->cuts);
  t->runs = NULL; t->cuts = NULL;
  t->src = NULL;
  /* elements still open (libxml2 stops at bytes that are not UTF-8 without
   * closing them) end with the page; everything made is in the root */
  for (int32_t p = t->cur; p; p = t->el[p].parent) t->el[p].end = (int32_t)t->nel;
  if (t->nel > 0) t->el[1].end = (int32_t)t->nel;
  if (t->oom) {
    tree_release(t);
    return luaL_error(L, "not enough memory");
  }
  if (t->nel == 0) {
    tree_release(t);
    lua_pushnil(L);
    lua_pushliteral(L, "no HTML content");
    return 2;
  }
  if (t->flattened == 0) return 1;
  lua_pushfstring(L, "%d element%s nested deeper than %d levels flattened into their ancestor",
                  (int)(t->flattened > 0x7fffffff ? 0x7fffffff : t->flattened),
                  t->flattened == 1 ? "" : "s", MAX_DEPTH);
  return 2;
}

/* htmlparse.version() -> string   (libxml2's version) */
static int htmlparse_version(lua_State *L)
{
  lua_pushstring(L, xmlParserVersion);
  return 1;
}

static const luaL_Reg htmlparse_funcs[] = {
  {"parse", htmlparse_parse},
  {"version", htmlparse_version},
  {NULL, NULL}
};

static const luaL_Reg tree_methods[] = {
  {"count", tree_count},
  {"element", tree_element},
  {"attrs", tree_attrs},
  {"children", tree_children},
  {"find", tree_find},
  {"blocks", tree_blocks},
  {"skeleton", tree_skeleton},
  {NULL, NULL}
};

static const luaL_Reg tree_meta[] = {
  {"__gc", tree_free},
  {"__close", tree_free},
  {"__tostring", tree_tostring},
  {NULL, NULL}
};

int luaopen_gisa_htmlparse(lua_State *L)
{
  xmlInitParser();
  if (luaL_newmetatable(L, TREE_MT)) {
    luaL_setfuncs(L, tree_meta, 0);
    luaL_newlib(L, tree_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, SCRATCH_MT)) {
    lua_pushcfunction(L, scratch_free);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, scratch_free);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, scratch_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_newlib(L, htmlparse_funcs);
  return 1;
}
