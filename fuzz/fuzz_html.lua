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

return function(page, selector)
  -- the C glue on raw bytes (not UTF-8, NULs and all): a tree or nil, message
  local root, ix = hp.parse(page)
  if root then walk(root, false); check(type(ix) == "table", "index") end

  local doc, info = html.parse(page)
  if not doc then
    check(type(info) == "string", "a message")
    return
  end
  walk(doc.root, true)
  check(utf8.len(doc.root:text()), "text() UTF-8")
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
