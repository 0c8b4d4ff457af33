-- fuzz_html.lua: the checks fuzz_html.c runs on each input (a page, and a
-- selector after a NUL). Any error raised here is a finding.
local html = require "gisa.html"
local hp = require "gisa.htmlparse"

local SELECTORS = { "*", "p", "div p", "div > p", "#a", ".b", "[href]", "a[href^=http]", "[class*=cap]",
  "h1, h2, .title", "body > * > p", "script", "meta" }

local function check(ok, what)
  if not ok then error("invariant broken: " .. what, 2) end
end

-- Every node: parent links right, tags lowercase, text valid UTF-8 (the input
-- of html.parse always is), attrs and children tables.
local function walk(root, utf8_ok)
  local stack, n = { root }, 0
  while #stack > 0 do
    local el = table.remove(stack)
    n = n + 1
    check(type(el.tag) == "string" and not el.tag:find("%u"), "tag lowercase")
    check(type(el.attrs) == "table" and type(el.children) == "table", "attrs and children tables")
    for k, v in pairs(el.attrs) do
      check(type(k) == "string" and type(v) == "string", "attribute strings")
      if utf8_ok then check(utf8.len(v), "attribute value UTF-8") end
    end
    for _, c in ipairs(el.children) do
      check(c.parent == el, "parent link")
      if c.tag then stack[#stack + 1] = c
      else
        check(type(c.text) == "string" and c.text ~= "", "text node text")
        if utf8_ok then check(utf8.len(c.text), "text UTF-8") end
      end
    end
  end
  return n
end

-- Results of a select: elements of the index, in document order, each once.
local function check_results(doc, list, css)
  local ix_pos = {}
  local all = doc:select("*")
  for i, el in ipairs(all) do ix_pos[el] = i end
  local last = 0
  for _, el in ipairs(list) do
    local p = ix_pos[el]
    check(p and p > last, "select '" .. css .. "': document order without duplicates")
    check(el:matches(css), "select '" .. css .. "': each result matches")
    last = p
  end
end

-- Conventions for the C block walk, of the shape gisa.html.page passes.
local CONV = { skip = { script = true, style = true, head = true, img = true }, block = { p = true, div = true,
  li = true, td = true, h1 = true }, heading = { h1 = 1, h2 = 2 }, tag_reasons = { nav = "nav", aside = "related" },
  tokens = { nav = "nav", share = "share", ad = "ad" }, caption = { caption = true, desc = true },
  breadcrumb = { breadcrumb = true }, section = { section = true }, active = { on = true, active = true } }

-- The C tree as such: positions in document order, parents first, each
-- element's descendants up to its last; children and the skeleton agree;
-- blocks are trimmed, non-empty and name an element.
local function check_tree(tree)
  local n = tree:count()
  check(n >= 1, "the root")
  local parents, tags, lasts = tree:skeleton()
  for p = 1, n do
    local tag, parent, last = tree:element(p)
    check(tag == tags[p] and parent == parents[p] and last == lasts[p], "skeleton agrees with element()")
    check(parent < p and (p == 1) == (parent == 0), "parents come first")
    check(last >= p and last <= n, "last descendant in range")
    if parent > 0 then check(last <= lasts[parent], "inside the parent") end
    for _, c in ipairs(tree:children(p) or {}) do
      if type(c) == "number" then check(parents[c] == p, "a child's parent")
      else check(type(c) == "string" and c ~= "", "text child") end
    end
    local a = tree:attrs(p)
    if a then for k, v in pairs(a) do check(type(k) == "string" and type(v) == "string", "attribute strings") end end
  end
  for _, kind in ipairs({ "tag", "class", "id" }) do
    local prev = 0
    for _, p in ipairs(tree:find(kind, kind == "tag" and "div" or "a")) do
      check(p > prev and p <= n, "find: ascending positions")
      prev = p
    end
  end
  for _, b in ipairs(tree:blocks(CONV, { [2] = "remove", [3] = "caption" })) do
    check(b.text ~= "" and not b.text:find("^%s") and not b.text:find("%s$"), "block text trimmed")
    check(b.el >= 1 and b.el <= n and b.k >= 1 and b.link >= 0, "block element")
  end
end

return function(page, selector)
  -- the C glue on raw bytes (not UTF-8, NULs and all): a tree or nil, message
  local tree = hp.parse(page)
  if tree then check_tree(tree) end

  local doc, info = html.parse(page)
  if not doc then
    check(type(info) == "string", "a message")
    return
  end
  walk(doc.root, true)
  check(utf8.len(doc.root:text()), "text() UTF-8")
  for _, b in ipairs(html.blocks(doc, CONV, {})) do check(utf8.len(b.text), "block text UTF-8") end
  local sk = html.skeleton(doc)
  check(sk.node(1) == doc.root and sk.pos(doc.root) == 1, "skeleton nodes")
  local _ = doc.title
  doc:metas()
  doc:jsonld()
  for _, w in ipairs(doc.warnings) do check(type(w) == "string", "warnings are strings") end
  local els = doc:select("*")
  for i = 1, math.min(#els, 50) do
    local p = els[i]:path()
    check(type(p) == "string" and p ~= "", "path")
    els[i]:text()
  end
  for _, css in ipairs(SELECTORS) do
    local list = doc:select(css)
    check_results(doc, list, css)
    check(doc:first(css) == list[1], "first is the first of select")
  end
  if selector then
    local ok, list = pcall(doc.select, doc, selector)
    if ok then
      check_results(doc, list, selector)
      if els[2] then els[2]:select(selector) end
    else
      check(tostring(list):find("gisa.html: ", 1, true), "only gisa.html's own errors: " .. tostring(list))
    end
  end
end
