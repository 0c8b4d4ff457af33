---@meta gisa.html
-- Annotations of gisa.html (lua/gisa/html/init.lua over the C module gisa.htmlparse,
-- src/html.c) for the Lua language server. Not loaded at run time.
-- Reference: docs/html.md. Bad data returns nil, message, offset; misuse raises.

---@class gisa.html
local html = {}

---@class gisa.html.Info
---@field encoding string what the bytes were decoded from: "utf-8", "cp949", "euc-kr", …
---@field declared? string the charset the page declares (BOM, <meta charset>, http-equiv)
---@field warnings string[] what was wrong and what was done about it
---@field elements integer elements in the index (those outside script, style, noscript, template)

---@class gisa.html.Node
---@field tag? string lowercase tag name ("div"); nil for a text node
---@field text? string a text node's text (entities decoded); elements have the method text() instead
---@field attrs table<string, string> attributes, lowercase names (elements)
---@field children gisa.html.Node[] child elements and text nodes, comments dropped (elements)
---@field parent? gisa.html.Node the parent element (nil for the root)
local Node = {}

---The value of attribute `name` (any letter case), or nil.
---@param name string
---@return string?
function Node:attr(name) end

---True when the class attribute holds `c` as one of its words.
---@param c string
---@return boolean
function Node:has_class(c) end

---Descendant text, whitespace collapsed and trimmed; a space at the edges of
---block elements and <br>; never the content of script, style, noscript, template.
---@return string
function Node:text() end

---Where the node is: `div#article_body > p[3]`, from the nearest element with an id.
---@return string
function Node:path() end

---Descendant elements matching a CSS selector, in document order. A bad selector raises.
---@param css string
---@return gisa.html.Node[]
function Node:select(css) end

---The first descendant element matching `css`, or nil.
---@param css string
---@return gisa.html.Node?
function Node:first(css) end

---Does this element match `css`?
---@param css string
---@return boolean
function Node:matches(css) end

---@class gisa.html.Document
---@field root gisa.html.Node the <html> element
---@field title? string the <title> text
---@field encoding string
---@field declared? string
---@field warnings string[]
---@field info gisa.html.Info
local Doc = {}

---Every element of the page matching `css` (the root included), in document order.
---@param css string
---@return gisa.html.Node[]
function Doc:select(css) end

---@param css string
---@return gisa.html.Node?
function Doc:first(css) end

---The content of the first <meta name=|property=|itemprop= name> (any letter case), or nil.
---@param name string
---@return string?
function Doc:meta(name) end

---Every meta name/property/itemprop (lowercased) with its content; the first wins.
---@return table<string, string>
function Doc:metas() end

---The JSON-LD objects, decoded (arrays and @graph flattened, null as nil), and the
---warnings of blocks that did not decode.
---@return table[] objects, string[] warnings
function Doc:jsonld() end

---Parse a page from its raw bytes in any charset. nil, message, offset when
---the bytes are no page (empty, binary).
---@param bytes string
---@param opts? {encoding?: string}
---@return gisa.html.Document|nil doc, gisa.html.Info|string info, integer? offset
function html.parse(bytes, opts) end

---Check and compile a selector list (cached); a bad one raises an error naming it.
---@param css string
---@return table compiled
function html.compile(css) end

---The charset a page declares (BOM, <meta charset>, http-equiv in the first 16 KB) and how.
---@param bytes string
---@return string? name, "bom"|"meta"|"http-equiv"|nil how
function html.declared(bytes) end

---@class gisa.html.Block
---@field text string the block's text, blanks collapsed
---@field el integer the position of its block element (see html.skeleton)
---@field k integer its line within that element (<br>-split text)
---@field reason? string page chrome: the class word's or tag's reason (nav, share, related …)
---@field kind? string caption, breadcrumb, heading, section, or a site rule's mark
---@field crumb? integer the position of its breadcrumb element
---@field link integer bytes of its text inside <a>
---@field active? boolean inside an active menu item

---The visible text of a page as ordered blocks, walked in C (gisa.html.page's
---front end). conventions: {skip=, block=, heading=, tag_reasons=, tokens=,
---caption=, breadcrumb=, section=, active=}; marks: element node -> mark.
---@param doc gisa.html.Document
---@param conventions table
---@param marks table<gisa.html.Node, string>
---@return gisa.html.Block[]
function html.blocks(doc, conventions, marks) end

---@class gisa.html.Skeleton
---@field parent integer[] the parent's position (0 for the root), by position
---@field tag string[] the tag, by position
---@field last integer[] the position of the last descendant (q inside p: p <= q <= last[p])
---@field node fun(pos: integer): gisa.html.Node the element node (made on the first need)
---@field pos fun(node: gisa.html.Node): integer? an element node's position

---The shape of a page by element positions (1 = the root, document order).
---@param doc gisa.html.Document
---@return gisa.html.Skeleton
function html.skeleton(doc) end

return html
