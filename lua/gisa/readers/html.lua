-- readers/html.lua: saved web pages and article fragments (.html, .htm, .xhtml,
-- or HTML on standard input, recognised by its first bytes). The page is parsed
-- (gisa.html), its visible blocks become the lines of one article for the
-- Korean line rules, with hints from the markup, and its metadata fills what
-- the visible text leaves out (gisa.page, docs/html-rules.md).

local find, lower, sub = string.find, string.lower, string.sub

-- Markup that opens a page or a fragment, after blanks, a BOM, comments and a
-- PHP/JSP/ASP block left in front of it.
local OPENERS = { "<!doctype html", "<html", "<head", "<meta", "<body", "<div", "<p>", "<p ",
  "<article", "<section", "<table", "<title", "<!--", "<span", "<figure", "<h1", "<h2", "<h3" }

local function sniff(head)
  if type(head) ~= "string" then return false end
  local s = lower(sub(head, 1, 4096))
  local i = 1
  if sub(s, 1, 3) == "\239\187\191" then i = 4 end
  -- server code left in the saved file: skip the block
  while true do
    local a = find(s, "%S", i)
    if not a then return false end
    local two = sub(s, a, a + 1)
    if two == "<?" or two == "<%" then
      local close = two == "<?" and "?>" or "%>"
      local e = find(s, close, a + 2, true)
      if not e then return false end
      i = e + 2
    else
      i = a
      break
    end
  end
  for _, o in ipairs(OPENERS) do
    if sub(s, i, i + #o - 1) == o then return true end
  end
  return false
end

local function read(src, opts)
  local done = false
  return function()
    if done then return nil end
    done = true
    local html = require "gisa.html"
    local bytes, err = src:bytes()
    if not bytes then return false, err end
    if #bytes == 0 then return false, "empty file" end
    local ok, doc, info = pcall(html.parse, bytes, opts and opts.encoding and opts.encoding ~= "auto"
      and { encoding = opts.encoding } or nil)
    if not ok then return false, tostring(doc) end
    if not doc then return false, tostring(info) end
    local reg
    local rok, r = pcall(function() return require("gisa.engine").registry() end)
    if rok then reg = r end
    -- gisa.page loaded at the first page, not at every start-up (text runs)
    local input = require("gisa.html.page").input(doc, { registry = reg })
    input.encoding = info and info.encoding or "utf-8"
    input.warnings = info and info.warnings or {}
    if not input.text:find("%S") then
      input.warnings[#input.warnings + 1] = "no visible text (a page without a body, or only markup)"
    end
    -- the url the page states is a source field (written with the record)
    input.fields = { url = input.extra.url }
    input.extra.url = nil
    return input
  end
end

return {
  name = "html",
  exts = { "html", "htm", "xhtml" },
  single = true,   -- one page, one article
  sniff = sniff,
  read = read,
}
