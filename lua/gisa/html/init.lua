-- gisa.html: a small read-only DOM for saved web pages. html.parse decides the
-- charset (the bytes decide; BOM and <meta charset> are hints), decodes through
-- gisa.enc, and has libxml2's HTML parser (gisa.htmlparse, src/html.c) build a
-- compact tree in C; the Lua node tables are made from it when first reached
-- (a page's extraction touches a few hundred of its thousands of nodes).
-- Selectors (a CSS subset) are compiled here with LPeg into matcher functions;
-- an index per document (elements by tag, class and id, in document order,
-- answered by the C tree) keeps select fast. docs/html.md is the reference.

local hp = require "gisa.htmlparse"
local enc = require "gisa.enc"
local gtext = require "gisa.text"
local squeeze = gtext.squeeze
local lpeg = require "lpeg"
local cjson = require "cjson.safe"

local find, gsub, lower, sub, byte, gmatch = string.find, string.gsub, string.lower, string.sub,
  string.byte, string.gmatch
local concat, sort = table.concat, table.sort
local type, pairs, setmetatable, rawget, rawset = type, pairs, setmetatable, rawget, rawset
-- gisa.text.len: the same count as utf8.len, validated 64 bytes at a time
local ulen = gtext.len

local M = {}

------------------------------------------------------------------------------
-- Nodes
------------------------------------------------------------------------------

--- Methods of every node (elements and text nodes share one metatable).
local Node = {}
-- Elements without attributes or children share this empty table, so it must
-- stay empty.
local EMPTY = setmetatable({}, {
  __newindex = function() error("gisa.html: an empty attrs/children table is shared and read-only", 2) end,
  __metatable = false,
})
Node.attrs, Node.children = EMPTY, EMPTY

-- An element's document: element node -> {tree=, nodes= (position -> node),
-- pos= (node -> position)}. Text nodes and nodes a script made have none.
local owner = setmetatable({}, { __mode = "k" })

local element   -- (st, position) -> the element node, made on the first need

-- attrs and children are made on the first read and then kept in the node.
local function lazy(n, k)
  if k == "attrs" or k == "children" then
    local st = owner[n]
    if not st then return EMPTY end
    local p = st.pos[n]
    local v
    if k == "attrs" then
      v = st.tree:attrs(p) or EMPTY
    else
      v = st.tree:children(p) or EMPTY
      for i = 1, #v do
        local c = v[i]
        if type(c) == "number" then v[i] = element(st, c)
        else v[i] = setmetatable({ text = c, parent = n }, M.node_mt) end
      end
    end
    rawset(n, k, v)
    return v
  end
  return Node[k]
end

local node_mt = {
  __index = lazy,
  __name = "gisa.html.Node",
  __tostring = function(n)
    if n.tag == nil then return "text " .. string.format("%q", sub(n.text, 1, 40)) end
    local a = n.attrs
    return "<" .. n.tag .. (a.id and ("#" .. a.id) or "") .. (a.class and ("." .. gsub(a.class, "%s+", ".")) or "") .. ">"
  end,
}
M.node_mt = node_mt

function element(st, p)
  local nodes = st.nodes
  local n = nodes[p]
  if n then return n end
  -- the ancestors not made yet, then each made from the top down (no recursion)
  local tree, chain = st.tree, {}
  local q = p
  while q > 0 and not nodes[q] do
    local tag, parent = tree:element(q)
    chain[#chain + 1] = q
    chain[#chain + 1] = tag
    q = parent
  end
  local up = q > 0 and nodes[q] or nil
  for i = #chain - 1, 1, -2 do
    local pos = chain[i]
    up = setmetatable({ tag = chain[i + 1], parent = up }, node_mt)
    nodes[pos] = up
    st.pos[up] = pos
    owner[up] = st
  end
  return up
end
M.Node = Node

--- The value of attribute `name` (case-insensitive), or nil.
function Node:attr(name)
  local a = self.attrs
  if not a then return nil end
  return a[name] or a[lower(name)]
end

--- True when the class attribute holds `c` as one of its words.
function Node:has_class(c)
  local cls = self.attrs and self.attrs.class
  if not cls or c == "" or find(c, "%s") then return false end
  local i, j = find(cls, c, 1, true)
  while i do
    local before, after = byte(cls, i - 1), byte(cls, j + 1)
    if (not before or before <= 32) and (not after or after <= 32) then return true end
    i, j = find(cls, c, j + 1, true)
  end
  return false
end

-- Elements whose content is never text.
local hidden = { script = true, style = true, noscript = true, template = true }
M.hidden = hidden
-- Elements that end a line in the text: text() puts a space at their edges.
local block = {}
for t in gmatch("address article aside blockquote br caption dd div dl dt fieldset figcaption figure footer "
  .. "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul", "%S+") do
  block[t] = true
end
M.block = block


--- The element's text: its descendant text nodes in order, whitespace
--- collapsed to single spaces and trimmed; a space at the edges of block
--- elements and <br>; nothing from script, style, noscript and template.
function Node:text()
  local up = self.parent
  while up do
    if hidden[up.tag] then return "" end
    up = up.parent
  end
  if self.tag == nil then return self.text end
  if hidden[self.tag] then return "" end
  local out, n = {}, 0
  -- an explicit stack (children, index, block?) per level: no recursion on deep pages
  local kids, i, isblock = self.children, 0, false
  local stack, depth = {}, 0
  while true do
    i = i + 1
    local c = kids[i]
    if c == nil then
      if depth == 0 then break end
      if isblock then n = n + 1; out[n] = " " end
      local d = depth * 3
      kids, i, isblock = stack[d - 2], stack[d - 1], stack[d]
      depth = depth - 1
    else
      local tag = c.tag
      if tag == nil then
        n = n + 1; out[n] = c.text
      elseif not hidden[tag] then
        local b = block[tag]
        if b then n = n + 1; out[n] = " " end
        if c.children[1] then
          depth = depth + 1
          local d = depth * 3
          stack[d - 2], stack[d - 1], stack[d] = kids, i, isblock
          kids, i, isblock = c.children, 0, b or false
        end
      end
    end
  end
  -- gisa.text.squeeze: Unicode white space (&nbsp; too) collapsed and trimmed, in C
  return squeeze(concat(out))
end

-- Index of `n` among the element siblings with its tag, and whether there are several.
local function sibling_index(n)
  local p = n.parent
  if not p then return 1, false end
  local k, total, tag = 0, 0, n.tag
  for _, c in ipairs(p.children) do
    if c.tag == tag then
      total = total + 1
      if c == n then k = total end
    end
  end
  return k, total > 1
end

local function step(n)
  local s = n.tag
  local a = n.attrs
  if a.id and a.id ~= "" then
    s = s .. "#" .. a.id
  elseif a.class then
    local c = a.class:match("%S+")
    if c then s = s .. "." .. c end
  end
  local k, several = sibling_index(n)
  if several then s = s .. "[" .. k .. "]" end
  return s, a.id and a.id ~= ""
end

--- Where the node is: `div#article_body > p[3]`, from the nearest element
--- with an id (or from the root); a text node gives its element's path.
function Node:path()
  local n = self
  if n.tag == nil then n = n.parent end
  local parts = {}
  while n do
    local s, has_id = step(n)
    parts[#parts + 1] = s
    if has_id then break end
    n = n.parent
  end
  local out = {}
  for i = #parts, 1, -1 do out[#out + 1] = parts[i] end
  return concat(out, " > ")
end

------------------------------------------------------------------------------
-- The element index of a document, made by gisa.htmlparse with the tree:
-- all[i] elements in document order, last[i] = the position of its last
-- descendant, tag/class/id: name -> ascending positions; pos[el] = i is made
-- here on the first need (selecting inside an element other than the root).
------------------------------------------------------------------------------

local indexes = setmetatable({}, { __mode = "k" })   -- root element -> index

-- The index of a document's tree: all[i] (made on the first need), last[i],
-- and tag/class/id lists asked of the C tree once per name.
local function make_index(st)
  local tree = st.tree
  local n = tree:count()
  local ix = { n = n, st = st }
  st.index = ix
  ix.all = setmetatable({}, { __index = function(_, p)
    if math.type(p) == "integer" and p >= 1 and p <= n then return element(st, p) end
  end })
  ix.last = setmetatable({}, { __index = function(t, p)
    if math.type(p) ~= "integer" or p < 1 or p > n then return nil end
    local _, _, e = tree:element(p)
    rawset(t, p, e)
    return e
  end })
  for _, kind in ipairs({ "tag", "class", "id" }) do
    ix[kind] = setmetatable({}, { __index = function(t, name)
      if type(name) ~= "string" then return nil end
      local l = tree:find(kind, name)
      rawset(t, name, l)
      return l
    end })
  end
  return ix
end

-- The position of element el in its index (nil: a node added after the parse).
local function pos_of(ix, el)
  return ix.st.pos[el]
end

local function index_of(node)
  local root = node
  while root.parent do root = root.parent end
  local ix = indexes[root]
  if not ix then error("gisa.html: the node is not part of a page html.parse made", 3) end
  return ix
end

------------------------------------------------------------------------------
-- Selectors: compiled with LPeg into {compounds, combinators}, then matchers
------------------------------------------------------------------------------

local P, R, S, C, Ct, Cc, Cg = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Ct, lpeg.Cc, lpeg.Cg
local ws = S(" \t\n\r\f") ^ 0
local ws1 = S(" \t\n\r\f") ^ 1
local ident = (R("az", "AZ", "09") + S("-_") + R("\128\255") + P("\\") * 1) ^ 1
local function unescape(s) return (gsub(s, "\\(.)", "%1")) end
local name = C(ident) / unescape
local quoted = P('"') * C((P("\\") * 1 + (1 - S('"\\'))) ^ 0) * P('"')
  + P("'") * C((P("\\") * 1 + (1 - S("'\\"))) ^ 0) * P("'")
local value = quoted / unescape + C((P("\\") * 1 + (1 - S("]\"' \t\n\r\f\\"))) ^ 1) / unescape
local op = C(P("*=") + P("^=") + P("$=") + P("~=") + P("|=") + P("="))
local attrsel = P("[") * ws * Ct(Cg(name / lower, "name") * ws * (Cg(op, "op") * ws * Cg(value, "value") * ws) ^ -1) * P("]")
-- A compound keeps every class and attribute test: parse them into lists.
local part = P("#") * Cc("id") * name
  + P(".") * Cc("class") * name
  + Cc("attr") * attrsel
local compound2 = Ct((Cc("tag") * (name / lower) + Cc("any") * C("*")) * part ^ 0 + part ^ 1)
local combinator = ws * C(">") * ws + ws1 * Cc(" ")
local complex = Ct(compound2 * (combinator * compound2) ^ 0)
local list = ws * Ct(complex * (ws * P(",") * ws * complex) ^ 0) * ws * -1

-- {kind, value, kind, value …} from compound2 into a test table.
local function shape(flat)
  local c = { classes = {}, attrs = {} }
  local i, nparts = 1, 0
  while flat[i] do
    local kind, v = flat[i], flat[i + 1]
    if kind == "tag" then c.tag = v
    elseif kind == "any" then c.any = true
    elseif kind == "id" then c.id = v
    elseif kind == "class" then c.classes[#c.classes + 1] = v
    else c.attrs[#c.attrs + 1] = v end
    nparts = nparts + 1
    i = i + 2
  end
  return c, nparts
end

local attr_tests = {
  ["="] = function(v, want) return v == want end,
  ["*="] = function(v, want) return want ~= "" and find(v, want, 1, true) ~= nil end,
  ["^="] = function(v, want) return want ~= "" and sub(v, 1, #want) == want end,
  ["$="] = function(v, want) return want ~= "" and sub(v, -#want) == want end,
  ["~="] = function(v, want)
    for w in gmatch(v, "%S+") do if w == want then return true end end
    return false
  end,
  ["|="] = function(v, want) return v == want or sub(v, 1, #want + 1) == want .. "-" end,
}

local function match_compound(el, c)
  if c.tag and el.tag ~= c.tag then return false end
  local a = el.attrs
  if c.id and a.id ~= c.id then return false end
  local classes = c.classes
  for i = 1, #classes do
    if not Node.has_class(el, classes[i]) then return false end
  end
  local tests = c.attrs
  for i = 1, #tests do
    local t = tests[i]
    local v = a[t.name]
    if v == nil then return false end
    if t.op and not attr_tests[t.op](v, t.value) then return false end
  end
  return true
end

-- Does `el` match the complex selector sel (compounds 1..k, combinators
-- between them) ending at compound k? Right to left; a descendant step tries
-- the ancestors nearest first, and needs no backtracking when no '>' is to its left.
local function match_at(sel, k, el)
  if not match_compound(el, sel[k]) then return false end
  if k == 1 then return true end
  local comb = sel.combs[k - 1]
  if comb == ">" then
    local p = el.parent
    return p ~= nil and match_at(sel, k - 1, p)
  end
  local p = el.parent
  local greedy = sel.greedy[k - 1]
  while p do
    if match_compound(p, sel[k - 1]) then
      if match_at(sel, k - 1, p) then return true end
      if greedy then return false end
    end
    p = p.parent
  end
  return false
end

local MAX_PARTS = 32

local cache = setmetatable({}, { __mode = "v" })
local ncached = 0

--- Compile a selector list: an array of complex selectors, each an array of
--- compounds with `combs`. A bad selector raises an error naming it.
local function compile(css, level)
  local hit = cache[css]
  if hit then return hit end
  if type(css) ~= "string" then
    error("gisa.html: selector must be a string, got " .. type(css), level + 1)
  end
  local parsed = list:match(css)
  if not parsed then error("gisa.html: bad selector '" .. css .. "'", level + 1) end
  local out = {}
  for i, cx in ipairs(parsed) do
    local sel = { combs = {}, greedy = {} }
    local j = 1
    while cx[j] do
      local flat = cx[j]
      local c, nparts = shape(flat)
      if nparts == 0 then error("gisa.html: bad selector '" .. css .. "' (an empty part)", level + 1) end
      sel[#sel + 1] = c
      if cx[j + 1] then sel.combs[#sel] = cx[j + 1] end
      j = j + 2
    end
    if #sel > MAX_PARTS then
      error("gisa.html: selector '" .. css .. "' has more than " .. MAX_PARTS .. " parts", level + 1)
    end
    local child_left = false
    for k = 1, #sel - 1 do
      sel.greedy[k] = not child_left
      if sel.combs[k] == ">" then child_left = true end
    end
    out[i] = sel
  end
  if ncached > 500 then cache = setmetatable({}, { __mode = "v" }); ncached = 0 end
  cache[css] = out
  ncached = ncached + 1
  return out
end
--- Check and compile a selector list (cached): raises "gisa.html: bad selector '…'"
--- naming it, for rule files that want to fail before any page is read.
function M.compile(css) return compile(css, 2) end

-- First position in the sorted list `l` greater than `p`.
local function after(l, p)
  local lo, hi = 1, #l + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if l[mid] > p then hi = mid else lo = mid + 1 end
  end
  return lo
end

local NONE = {}

-- The candidate positions for a complex selector: from its last compound.
local function candidates(ix, sel)
  local c = sel[#sel]
  if c.id then return ix.id[c.id] or NONE end
  if c.classes[1] then return ix.class[c.classes[1]] or NONE end
  if c.tag then return ix.tag[c.tag] or NONE end
  return nil   -- every element
end

-- Matches of compiled selectors among positions lo+1..hi of the index, in
-- document order, each once; stop after the first when `one`.
local function run(ix, sels, lo, hi, one)
  local all = ix.all
  local out = {}
  if #sels == 1 then
    local sel = sels[1]
    local k = #sel
    local cand = candidates(ix, sel)
    if cand then
      for j = after(cand, lo), #cand do
        local p = cand[j]
        if p > hi then break end
        local el = all[p]
        if match_at(sel, k, el) then
          out[#out + 1] = el
          if one then break end
        end
      end
    else
      for p = lo + 1, hi do
        local el = all[p]
        if match_at(sel, k, el) then
          out[#out + 1] = el
          if one then break end
        end
      end
    end
    return out
  end
  local hits, seen = {}, {}
  for _, sel in ipairs(sels) do
    local k = #sel
    local cand = candidates(ix, sel)
    if cand then
      for j = after(cand, lo), #cand do
        local p = cand[j]
        if p > hi then break end
        if not seen[p] and match_at(sel, k, all[p]) then
          seen[p] = true; hits[#hits + 1] = p
          if one then break end
        end
      end
    else
      for p = lo + 1, hi do
        if not seen[p] and match_at(sel, k, all[p]) then
          seen[p] = true; hits[#hits + 1] = p
          if one then break end
        end
      end
    end
  end
  sort(hits)
  if one then hits[2] = nil; for i = 3, #hits do hits[i] = nil end end
  for i, p in ipairs(hits) do out[i] = all[p] end
  return out
end

--- The descendant elements of this element matching `css`, in document order.
function Node:select(css)
  local sels = compile(css, 2)
  if self.tag == nil then return {} end
  local ix = index_of(self)
  local p = pos_of(ix, self)
  if not p then return {} end   -- a node added after the index was built
  return run(ix, sels, p, ix.last[p] or p, false)
end

--- The first descendant element matching `css`, or nil.
function Node:first(css)
  local sels = compile(css, 2)
  if self.tag == nil then return nil end
  local ix = index_of(self)
  local p = pos_of(ix, self)
  if not p then return nil end
  return run(ix, sels, p, ix.last[p] or p, true)[1]
end

--- Does this element match `css`?
function Node:matches(css)
  if self.tag == nil then return false end
  for _, sel in ipairs(compile(css, 2)) do
    if match_at(sel, #sel, self) then return true end
  end
  return false
end

------------------------------------------------------------------------------
-- Documents
------------------------------------------------------------------------------

local Doc = {}
M.Doc = Doc
local doc_mt = {
  __name = "gisa.html.Document",
  __index = function(d, k)
    if k == "title" then
      if rawget(d, "_title_done") then return nil end
      local t = d.root:first("head > title") or d.root:first("title")   -- not an <svg>'s <title>
      local v = t and t:text() or nil
      rawset(d, "_title_done", true)
      if v then rawset(d, "title", v) end
      return v
    end
    return Doc[k]
  end,
  __tostring = function(d) return "gisa.html document (" .. tostring(d.encoding) .. ")" end,
}

--- Every element of the page matching `css` (the root included), in document order.
function Doc:select(css)
  local sels = compile(css, 2)
  local ix = index_of(self.root)
  return run(ix, sels, 0, ix.n, false)
end

--- The first element of the page matching `css`, or nil.
function Doc:first(css)
  local sels = compile(css, 2)
  local ix = index_of(self.root)
  return run(ix, sels, 0, ix.n, true)[1]
end

--- Every <meta> name=, property= and itemprop= (lowercased) with its content;
--- the first of a name wins.
function Doc:metas()
  local m = rawget(self, "_metas")
  if m then return m end
  m = {}
  -- read from the C tree: no node is made for the page's many <meta>s
  local st = index_of(self.root).st
  local tree = st.tree
  for _, p in ipairs(st.index.tag.meta) do
    local a = tree:attrs(p) or EMPTY
    local content = a.content
    if content then
      local name, property, itemprop = a.name, a.property, a.itemprop
      if name then name = lower(name); if m[name] == nil then m[name] = content end end
      if property then property = lower(property); if m[property] == nil then m[property] = content end end
      if itemprop then itemprop = lower(itemprop); if m[itemprop] == nil then m[itemprop] = content end end
    end
  end
  rawset(self, "_metas", m)
  return m
end

--- The content of the first <meta name=|property=|itemprop= `name`> (any letter case), or nil.
function Doc:meta(name)
  if type(name) ~= "string" then error("gisa.html: meta name must be a string, got " .. type(name), 2) end
  return self:metas()[lower(name)]
end

-- JSON null as nil, everywhere (cjson gives a light userdata).
local null = cjson.null
local function strip_nulls(v)
  if type(v) ~= "table" then return v end
  local stack = { v }
  while #stack > 0 do
    local t = stack[#stack]
    stack[#stack] = nil
    for k, x in pairs(t) do
      if x == null then t[k] = nil
      elseif type(x) == "table" then stack[#stack + 1] = x end
    end
  end
  return v
end

-- The text of a JSON-LD block made decodable: HTML comment and CDATA wrappers
-- off; raw control characters (line breaks inside strings) as spaces.
local function ld_clean(s)
  s = gsub(s, "^%s*<!%-%-", "")
  s = gsub(s, "%-%->%s*$", "")
  s = gsub(s, "^%s*//%s*<!%[CDATA%[", "")
  s = gsub(s, "//%s*%]%]>%s*$", "")
  return s
end

--- The JSON-LD objects of the page, decoded: arrays and @graph flattened,
--- JSON null as nil. A block that does not decode is skipped, with a warning
--- (the second result, also added to doc.warnings).
function Doc:jsonld()
  local cached = rawget(self, "_jsonld")
  if cached then return cached, rawget(self, "_jsonld_warnings") end
  local out = {}
  local warnings = {}
  local st = index_of(self.root).st
  local tree = st.tree
  for i, p in ipairs(st.index.tag.script) do
    local a = tree:attrs(p)
    local ty = a and a.type
    local el = ty and lower((gsub(ty, "%s", ""))) == "application/ld+json" and element(st, p)
    if el then
      local parts = {}
      for _, c in ipairs(el.children) do if c.text then parts[#parts + 1] = c.text end end
      local src = ld_clean(concat(parts))
      local v, err = cjson.decode(src)
      if v == nil and err then
        v, err = cjson.decode((gsub(src, "%c", " ")))
      end
      if type(v) ~= "table" then
        warnings[#warnings + 1] = string.format("JSON-LD block %d (%s) skipped: %s", i, el:path(),
          err or "not an object")
      else
        strip_nulls(v)
        local queue = (v[1] ~= nil or next(v) == nil) and v or { v }
        for _, o in ipairs(queue) do
          if type(o) == "table" then
            if type(o["@graph"]) == "table" then
              for _, g in ipairs(o["@graph"]) do
                if type(g) == "table" then out[#out + 1] = g end
              end
            else
              out[#out + 1] = o
            end
          end
        end
      end
    end
  end
  rawset(self, "_jsonld", out)
  rawset(self, "_jsonld_warnings", warnings)
  for _, w in ipairs(warnings) do self.warnings[#self.warnings + 1] = w end
  return out, warnings
end

------------------------------------------------------------------------------
-- Charset and parse
------------------------------------------------------------------------------

-- Encodings that read ASCII-compatible bytes the same way, in families:
-- a page declared in one and read in another of its family is not wrong.
local family = {
  ["utf-8"] = "utf-8", cp949 = "korean", ["euc-kr"] = "korean", ["iso-2022-kr"] = "korean",
  latin1 = "latin", cp1252 = "latin",
  ["utf-16le"] = "utf-16", ["utf-16be"] = "utf-16", ["utf-32le"] = "utf-32", ["utf-32be"] = "utf-32",
}

--- The charset a page declares: a BOM, else <meta charset> or http-equiv in the
--- first 4 KB... 16 KB. Returns the name as written (lowercased) and how.
function M.declared(bytes)
  local b1, b2, b3 = byte(bytes, 1, 3)
  if b1 == 0xEF and b2 == 0xBB and b3 == 0xBF then return "utf-8", "bom" end
  if b1 == 0xFF and b2 == 0xFE then return "utf-16le", "bom" end
  if b1 == 0xFE and b2 == 0xFF then return "utf-16be", "bom" end
  local head = lower(sub(bytes, 1, 16384))
  local pos = 1
  while true do
    -- "<meta" and a blank or '/': a plain find (memchr) and a look at the byte after
    local i = find(head, "<meta", pos, true)
    if not i then return nil end
    local j = i + 5
    local c = byte(head, j)
    while not (c == 32 or c == 47 or (c and c >= 9 and c <= 13)) do
      i = find(head, "<meta", i + 1, true)
      if not i then return nil end
      j = i + 5
      c = byte(head, j)
    end
    local k = find(head, ">", j, true) or #head
    local tag = sub(head, j, k)
    local cs = tag:match("charset%s*=%s*[\"']?%s*([%w_%-%.:]+)")
    if cs then
      if tag:find("http%-equiv") then return cs, "http-equiv" end
      return cs, "meta"
    end
    pos = k + 1
  end
end

-- Decode `bytes`: text, info or nil, message, offset. Warnings go to info.warnings.
local function decode(bytes, opts)
  local warnings = {}
  local info = { warnings = warnings }
  local declared, how = M.declared(bytes)
  local canon = declared and enc.canonical(declared)
  info.declared = canon or declared
  if declared and not canon then
    warnings[#warnings + 1] = "the page declares an unknown charset '" .. declared .. "' (" .. how .. ")"
  end
  local text, rep, off
  if opts.encoding and opts.encoding ~= "auto" then
    local name = enc.canonical(opts.encoding)
    if not name then error("gisa.html.parse: unknown encoding '" .. tostring(opts.encoding) .. "'", 3) end
    text, rep, off = enc.decode(bytes, name)
  else
    -- most pages are valid UTF-8 without NULs: no decoding to do (libxml2 reads CR and CRLF)
    local nchars = ulen(bytes)
    if nchars and not find(bytes, "\0", 1, true) then
      text = byte(bytes, 1) == 0xEF and sub(bytes, 1, 3) == "\239\187\191" and sub(bytes, 4) or bytes
      rep = { encoding = "utf-8", ascii = nchars == #bytes }
    else
      text, rep, off = enc.decode(bytes, "auto")
      if rep and rep.evidence and find(rep.evidence, "ASCII only", 1, true) then rep.ascii = true end
    end
    if text and canon and family[rep.encoding] ~= (family[canon] or canon) and not rep.ascii then
      -- (ASCII bytes read the same in any charset a page may declare)
      if (rep.confidence or 1) < 0.5 and family[canon] ~= "utf-16" and family[canon] ~= "utf-32" then
        -- detection is guessing (latin1): the declaration decides
        local t2, r2 = enc.decode(bytes, canon)
        if t2 then
          text, rep = t2, r2
        end
      else
        warnings[#warnings + 1] = string.format("the page declares %s (%s) but its bytes are %s; read as %s",
          canon, how, rep.encoding, rep.encoding)
      end
    end
  end
  if not text then return nil, rep, off end
  info.encoding = rep.encoding
  if rep.replaced and rep.replaced > 0 then
    warnings[#warnings + 1] = string.format("%d invalid %s byte sequence%s replaced with U+FFFD (the first at byte %d)",
      rep.replaced, rep.encoding, rep.replaced == 1 and "" or "s", rep.first_bad or 0)
  end
  if rep.nuls and rep.nuls > 0 then
    warnings[#warnings + 1] = string.format("%d NUL byte%s removed (the first at byte %d)", rep.nuls,
      rep.nuls == 1 and "" or "s", rep.first_nul or 0)
  end
  if rep.mixed then
    warnings[#warnings + 1] = string.format("mixed encodings: %d line%s read as %s instead of %s (first at byte %d)",
      rep.mixed.lines, rep.mixed.lines == 1 and "" or "s", rep.mixed.encoding, rep.encoding, rep.mixed.first)
  end
  if rep.truncated then
    warnings[#warnings + 1] = string.format("the page ends inside a character (byte %d)", rep.truncated)
  end
  return text, info
end

-- Remove <% … %> and <?php … ?> blocks (an unclosed one stays); plain finds
-- only, as most pages have none.
local function strip_server_code(text)
  if not find(text, "<%", 1, true) and not find(text, "<?php", 1, true) then return text, 0 end
  local out, n, pos = {}, 0, 1
  while true do
    local a = find(text, "<%", pos, true)
    local b = find(text, "<?php", pos, true)
    local i, close = a, "%>"
    if not a or (b and b < a) then i, close = b, "?>" end
    if not i then break end
    local _, j = find(text, close, i + 2, true)
    if not j then break end
    out[#out + 1] = sub(text, pos, i - 1)
    n = n + 1
    pos = j + 1
  end
  if n == 0 then return text, 0 end
  out[#out + 1] = sub(text, pos)
  return concat(out), n
end

--- Parse a page: its raw bytes in any charset. Returns a document and info
--- {encoding=, declared=, warnings={…}}, or nil, message, offset for bytes that
--- are no page at all (empty, binary). opts.encoding forces the charset.
---@param bytes string
---@param opts? {encoding?: string}
function M.parse(bytes, opts)
  if type(bytes) ~= "string" then
    error("gisa.html.parse: expected the page as a string, got " .. type(bytes), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("gisa.html.parse: options must be a table, got " .. type(opts), 2)
  end
  opts = opts or {}
  if not find(bytes, "%S") then return nil, "empty page", 1 end
  local text, info, off = decode(bytes, opts)
  if not text then return nil, info, off end
  -- server-side code left in a saved page (a JSP or PHP block before <html>)
  -- would otherwise be text; libxml2 ends <?php … ?> at its first '>'
  local stripped
  text, stripped = strip_server_code(text)
  if stripped > 0 then
    info.warnings[#info.warnings + 1] = string.format("%d server-side code block%s (<%% %%>, <?php ?>) removed",
      stripped, stripped == 1 and "" or "s")
  end
  local tree, cut = hp.parse(text)
  if not tree then return nil, cut, 1 end
  local st = { tree = tree, nodes = {}, pos = {} }
  local ix = make_index(st)
  local root = element(st, 1)
  indexes[root] = ix
  if cut then info.warnings[#info.warnings + 1] = cut end
  info.elements = ix.n
  local doc = setmetatable({ root = root, encoding = info.encoding, declared = info.declared,
    warnings = info.warnings, info = info }, doc_mt)
  return doc, info
end

--- The metatable of nodes, for code that builds its own nodes.
M.node_mt = node_mt

--- The visible text of a page as ordered blocks, walked in C (src/html.c,
--- tree:blocks): gisa.html.page's front end. conventions: the tag and class
--- word tables (see page.lua); marks: element -> "title" | "remove" | ….
--- Each block's el and crumb are element positions (see M.skeleton).
function M.blocks(doc, conventions, marks)
  local st = index_of(doc.root).st
  local m = {}
  for node, mark in pairs(marks) do
    local p = st.pos[node]
    if p then m[p] = mark end
  end
  return st.tree:blocks(conventions, m)
end

--- The shape of a page by element positions (1 = the root, in document
--- order), for code that walks many elements without making their nodes:
--- {parent = {[pos] = parent position, 0 for the root}, tag = {[pos] = tag},
--- last = {[pos] = position of its last descendant} (q is inside p when
--- p <= q <= last[p]),
--- node = function(pos) -> element node, pos = function(node) -> position or nil,
--- attrs = function(pos) -> the element's attributes or nil (no node is made)}.
function M.skeleton(doc)
  local st = index_of(doc.root).st
  local sk = st.skeleton
  if sk then return sk end
  local parent, tag, last = st.tree:skeleton()
  sk = { parent = parent, tag = tag, last = last,
    node = function(p) return element(st, p) end,
    pos = function(node) return st.pos[node] end,
    attrs = function(p) return st.tree:attrs(p) end }
  st.skeleton = sk
  return sk
end

return M
