/*
 * html.c: gisa.htmlparse, the HTML parser glue. libxml2's HTML parser (the
 * tag-soup parser browsers' rules grew from) reads UTF-8 bytes; the parsed
 * document is turned at once into plain Lua tables, one per element and text
 * node, walking the tree with a loop (not recursion), and freed. Charset
 * choice, selectors and the friendly API live in lua/gisa/html/init.lua.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "gisa.h"

#define DOC_MT "gisa.htmlparse.doc"

/* libxml2 stops parsing a page nested deeper than 256 elements (its
 * xmlParserMaxDepth), dropping the rest of the page; a few hundred unclosed
 * <span>s are enough. Elements opened deeper than MAX_DEPTH are therefore not
 * made at all: their content goes to the element at MAX_DEPTH, and the count
 * of such elements comes back as a warning. The tree walk needs no C stack. */
#define MAX_DEPTH 200

/* ------------------------------------------------------------------------
 * The parsed document as a userdata, so that an error raised while the Lua
 * tree is built (out of memory) still frees it.
 * ---------------------------------------------------------------------- */

typedef struct {
  xmlDocPtr doc;
} Doc;

static void doc_release(Doc *d)
{
  if (d->doc) {
    xmlFreeDoc(d->doc);
    d->doc = NULL;
  }
}

static int doc_free(lua_State *L)
{
  doc_release((Doc *)luaL_checkudata(L, 1, DOC_MT));
  return 0;
}

static int doc_tostring(lua_State *L)
{
  Doc *d = (Doc *)luaL_checkudata(L, 1, DOC_MT);
  lua_pushfstring(L, "gisa.htmlparse document (%s)", d->doc ? "parsed" : "freed");
  return 1;
}

/* ------------------------------------------------------------------------
 * The SAX events of elements, flattened below MAX_DEPTH. The parser's own
 * stack of open names keeps start and end events nested, so a count of the
 * elements skipped so far pairs each skipped end with its start.
 * ---------------------------------------------------------------------- */

typedef struct {
  long skipped;   /* open elements not made */
  long flattened; /* elements not made in all */
} Depth;

static void depth_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Depth *d = (Depth *)c->_private;
  if (d->skipped || c->nodeNr >= MAX_DEPTH) {
    d->skipped++;
    d->flattened++;
    return;
  }
  xmlSAX2StartElement(ctx, name, atts);
}

static void depth_end(void *ctx, const xmlChar *name)
{
  htmlParserCtxtPtr c = (htmlParserCtxtPtr)ctx;
  Depth *d = (Depth *)c->_private;
  if (d->skipped) {
    d->skipped--;
    return;
  }
  xmlSAX2EndElement(ctx, name);
}

/* ------------------------------------------------------------------------
 * Building the Lua tree
 * ---------------------------------------------------------------------- */

static int is_text(const xmlNode *n)
{
  return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

static int kept(const xmlNode *n)
{
  return n->type == XML_ELEMENT_NODE || (is_text(n) && n->content && n->content[0]);
}

/* The attribute's value: its one text child, or the concatenation. */
static void push_attr_value(lua_State *L, xmlDocPtr doc, xmlAttrPtr a)
{
  xmlNodePtr c = a->children;
  if (c == NULL) lua_pushliteral(L, "");
  else if (c->next == NULL && c->type == XML_TEXT_NODE && c->content)
    lua_pushstring(L, (const char *)c->content);
  else {
    xmlChar *v = xmlNodeListGetString(doc, c, 1);
    lua_pushstring(L, v ? (const char *)v : "");
    xmlFree(v);
  }
}

/* Push a new element table {tag=, attrs=, children=, parent=} for n, whose
 * parent table is at index `parent` (0: none); metatable at index `mt`; then
 * its children array, or nil when it has none. attrs and children are left
 * out of the table when empty (see node_mt in html.lua). */
static void push_element(lua_State *L, xmlDocPtr doc, xmlNodePtr n, int parent, int mt)
{
  int nchild = 0, nattr = 0;
  for (xmlNodePtr c = n->children; c; c = c->next) nchild += kept(c);
  for (xmlAttrPtr a = n->properties; a; a = a->next) nattr++;
  lua_createtable(L, 0, 2 + (nattr > 0) + (nchild > 0));
  lua_pushstring(L, (const char *)n->name);
  lua_setfield(L, -2, "tag");
  if (parent) {
    lua_pushvalue(L, parent);
    lua_setfield(L, -2, "parent");
  }
  lua_pushvalue(L, mt);
  lua_setmetatable(L, -2);
  if (nattr > 0) {
    lua_createtable(L, 0, nattr);
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
      lua_pushstring(L, (const char *)a->name);
      if (lua_rawget(L, -2) == LUA_TNIL) {   /* a repeated attribute: the first wins */
        lua_pop(L, 1);
        lua_pushstring(L, (const char *)a->name);
        push_attr_value(L, doc, a);
        lua_rawset(L, -3);
      } else
        lua_pop(L, 1);
    }
    lua_setfield(L, -2, "attrs");
  }
  if (nchild > 0) {
    lua_createtable(L, nchild, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "children");
  } else
    lua_pushnil(L);
}

/* Append the value on top of the stack to the array at index `arr`. */
static void append(lua_State *L, int arr)
{
  lua_rawseti(L, arr, (lua_Integer)lua_rawlen(L, arr) + 1);
}

/* The first element among the document's top-level nodes (<html>). */
static xmlNodePtr root_element(xmlDocPtr doc)
{
  for (xmlNodePtr n = doc->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE) return n;
  return NULL;
}

/* ------------------------------------------------------------------------
 * The index select works from: all (elements in document order), last
 * (position -> position of its last descendant), tag, class, id (name ->
 * ascending positions); html.lua maps an element to its position when asked. Script, style, noscript and
 * template elements are in the tree and the index with no children, except
 * the text of a JSON-LD script: what is inside them is never page text.
 * ---------------------------------------------------------------------- */

typedef struct {
  int all, last, tag, cls, id;   /* stack indices of the tables */
  lua_Integer n;
} Index;

static int hidden_tag(const xmlChar *name)
{
  const char *s = (const char *)name;
  switch (s[0]) {
  case 's': return !strcmp(s, "script") || !strcmp(s, "style");
  case 'n': return !strcmp(s, "noscript");
  case 't': return !strcmp(s, "template");
  default: return 0;
  }
}

/* Is n a <script type="application/ld+json"> (any letter case, blanks
 * ignored)? Its text is the only content of a hidden element kept. */
static int jsonld_script(const xmlNode *n)
{
  static const char want[] = "application/ld+json";
  if (strcmp((const char *)n->name, "script")) return 0;
  for (xmlAttrPtr a = n->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, "type")) continue;
    const xmlNode *c = a->children;
    if (!c || c->next || c->type != XML_TEXT_NODE || !c->content) return 0;
    size_t k = 0;
    for (const xmlChar *v = c->content; *v; v++) {
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

/* map[key] (a list, made when missing) gets position i appended. */
static void list_add(lua_State *L, int map, const char *key, size_t len, lua_Integer i)
{
  lua_pushlstring(L, key, len);
  if (lua_rawget(L, map) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 2, 0);
    lua_pushlstring(L, key, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, map);
  }
  lua_pushinteger(L, i);
  append(L, lua_absindex(L, -2));
  lua_pop(L, 1);
}

static int is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Index the element table at stack index el, made from n. */
static void index_element(lua_State *L, Index *ix, xmlNodePtr n, int el)
{
  lua_Integer i = ++ix->n;
  lua_pushvalue(L, el);
  lua_rawseti(L, ix->all, i);
  list_add(L, ix->tag, (const char *)n->name, strlen((const char *)n->name), i);
  if (n->properties == NULL) return;
  lua_getfield(L, el, "attrs");
  size_t len;
  if (lua_getfield(L, -1, "id") == LUA_TSTRING) {
    const char *id = lua_tolstring(L, -1, &len);
    list_add(L, ix->id, id, len, i);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, -1, "class") == LUA_TSTRING) {
    const char *c = lua_tolstring(L, -1, &len), *end = c + len;
    while (c < end) {
      while (c < end && is_space((unsigned char)*c)) c++;
      const char *w = c;
      while (c < end && !is_space((unsigned char)*c)) c++;
      if (c > w) list_add(L, ix->cls, w, (size_t)(c - w), i);
    }
  }
  lua_pop(L, 2);
}

/* Elements in the tree, counted first so the index's tables are made at their size. */
static lua_Integer count_elements(xmlNodePtr root)
{
  lua_Integer count = 0;
  xmlNodePtr n = root;
  while (n) {
    if (n->type == XML_ELEMENT_NODE) count++;
    if (n->type == XML_ELEMENT_NODE && n->children) n = n->children;
    else {
      while (n && n != root && n->next == NULL) n = n->parent;
      if (n == NULL || n == root) break;
      n = n->next;
    }
  }
  return count;
}

/* Build the tree of `root` and its index. The Lua stack holds, for each open
 * element, the element and its children array (nil when it has none): going
 * down pushes two slots, going up pops them, so a child's position is a C
 * counter per level. libxml2's tree is at most MAX_DEPTH + 1 deep (see
 * depth_start), which bounds both. Leaves the root and the index table. */
static void build(lua_State *L, xmlDocPtr doc, xmlNodePtr root, int mt)
{
  Index ix;
  lua_Integer nel = count_elements(root);
  int size = nel > 0x3fffffff ? 0x3fffffff : (int)nel;
  lua_createtable(L, 0, 7);
  int ixt = lua_gettop(L);
  static const char *const names[] = {"all", "last", "tag", "class", "id"};
  int *slots[] = {&ix.all, &ix.last, &ix.tag, &ix.cls, &ix.id};
  for (int k = 0; k < 5; k++) {
    lua_createtable(L, k <= 1 ? size : 0, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, ixt, names[k]);
    *slots[k] = lua_gettop(L);
  }
  ix.n = 0;
  lua_Integer kidn[MAX_DEPTH + 8];       /* children added so far, per level */
  lua_Integer posn[MAX_DEPTH + 8];       /* the open elements' positions, per level */
  int depth = 0;
  xmlNodePtr hidden = NULL;   /* the script/style/… element being walked through */
  int keep_text = 0;          /* its text is kept (JSON-LD) */
  push_element(L, doc, root, 0, mt);
  int base = lua_gettop(L) - 1;          /* the root element */
  index_element(L, &ix, root, base);
  kidn[0] = 0;
  posn[0] = ix.n;
  xmlNodePtr node = root, n = root->children;
  for (;;) {
    int cur = lua_gettop(L) - 1, kids = cur + 1;
    if (n == NULL) {                     /* cur is done: up to its parent */
      lua_pushinteger(L, ix.n);
      lua_rawseti(L, ix.last, posn[depth]);
      if (hidden == node) hidden = NULL;
      if (node == root) break;
      n = node->next;
      node = node->parent;
      lua_pop(L, 2);
      depth--;
      continue;
    }
    if (hidden && (n->type == XML_ELEMENT_NODE || !keep_text)) {
      n = n->next;   /* inside script, style, noscript, template: no elements, no text */
      continue;
    }
    if (n->type == XML_ELEMENT_NODE) {
      if (depth + 1 >= MAX_DEPTH + 8 || !lua_checkstack(L, 8))
        luaL_error(L, "page nested too deep");   /* not reached: depth_start bounds it */
      push_element(L, doc, n, cur, mt);
      index_element(L, &ix, n, cur + 2);
      if (hidden_tag(n->name)) {
        hidden = n;
        keep_text = jsonld_script(n);
      }
      lua_pushvalue(L, cur + 2);
      lua_rawseti(L, kids, ++kidn[depth]);
      posn[depth + 1] = ix.n;
      kidn[++depth] = 0;
      node = n;
      n = n->children;
      continue;
    }
    if (is_text(n) && n->content && n->content[0]) {
      lua_createtable(L, 0, 2);
      lua_pushstring(L, (const char *)n->content);
      lua_setfield(L, -2, "text");
      lua_pushvalue(L, cur);
      lua_setfield(L, -2, "parent");
      lua_pushvalue(L, mt);
      lua_setmetatable(L, -2);
      lua_rawseti(L, kids, ++kidn[depth]);
    }
    n = n->next;
  }
  lua_pushinteger(L, ix.n);
  lua_setfield(L, ixt, "n");
  lua_pushvalue(L, base);
  lua_pushvalue(L, ixt);
  lua_replace(L, ixt + 1);
  lua_replace(L, ixt);
  lua_settop(L, ixt + 1);
}

/* ------------------------------------------------------------------------
 * The module
 * ---------------------------------------------------------------------- */

/* htmlparse.parse(utf8 [, mt]) -> root, index [, warning] | nil, message
 *   (root: the <html> element table, each node with metatable mt, whose
 *   __index must give empty `attrs` and `children` tables for the elements
 *   that lack them; index: see above; warning: nesting flattened) */
static int htmlparse_parse(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  if (lua_isnoneornil(L, 2)) {   /* a plain metatable: empty attrs and children */
    lua_settop(L, 1);
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, 2);
    lua_newtable(L);
    lua_setfield(L, -2, "attrs");
    lua_newtable(L);
    lua_setfield(L, -2, "children");
    lua_setfield(L, -2, "__index");
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
  }
  luaL_argcheck(L, len <= (size_t)0x7fffffff, 1, "page too large (2 GB or more)");
  Doc *d = (Doc *)lua_newuserdatauv(L, sizeof(Doc), 0);   /* 3 */
  d->doc = NULL;
  luaL_setmetatable(L, DOC_MT);
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt == NULL) return luaL_error(L, "not enough memory");
  Depth depth = {0, 0};
  ctxt->_private = &depth;
  ctxt->sax->startElement = depth_start;
  ctxt->sax->endElement = depth_end;
  int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
             HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT;
  d->doc = htmlCtxtReadMemory(ctxt, len ? s : "", (int)len, NULL, "UTF-8", opts);
  htmlFreeParserCtxt(ctxt);
  xmlNodePtr root = d->doc ? root_element(d->doc) : NULL;
  if (root == NULL) {
    doc_release(d);
    lua_pushnil(L);
    lua_pushliteral(L, "no HTML content");
    return 2;
  }
  build(L, d->doc, root, 2);
  doc_release(d);
  if (depth.flattened == 0) return 2;
  lua_pushfstring(L, "%d element%s nested deeper than %d levels flattened into their ancestor",
                  (int)(depth.flattened > 0x7fffffff ? 0x7fffffff : depth.flattened),
                  depth.flattened == 1 ? "" : "s", MAX_DEPTH);
  return 3;
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

static const luaL_Reg doc_meta[] = {
  {"__gc", doc_free},
  {"__close", doc_free},
  {"__tostring", doc_tostring},
  {NULL, NULL}
};

int luaopen_gisa_htmlparse(lua_State *L)
{
  xmlInitParser();
  if (luaL_newmetatable(L, DOC_MT)) luaL_setfuncs(L, doc_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, htmlparse_funcs);
  return 1;
}
