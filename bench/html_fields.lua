-- html_fields: the field score of article records against a hand-written gold, for
-- saved pages kept OUTSIDE the repository (a private study set of real pages: the
-- pages and their gold are never committed). Run it with the directory of pages
-- and the gold file:
--
--   ./gisa bench/html_fields.lua DIR GOLD.jsonl                 # extracts with ./gisa
--   ./gisa bench/html_fields.lua DIR GOLD.jsonl --records R.jsonl   # scores given records
--   GISA=/work/main/gisa ./gisa bench/html_fields.lua DIR GOLD.jsonl   # another build
--
-- The gold has one JSON object a page: file, title, published, modified, authors
-- ([{name, role, email}]), emails, section, publisher, url, captions (texts),
-- copyright, body_first, body_last, body_count. A record is a line of `gisa extract`
-- (its `file` ends with the gold's file name; body, captions as gisa writes them),
-- or of bench/peers/readability_fields.py (file, title, body).
--
-- The score, the same for every page and field: a field scores 1 when the record's
-- value equals the gold's after whitespace normalisation (runs of blanks to one
-- space, trimmed), else 0; a null gold value must be null (or empty) in the record.
--   title, published, modified, section, publisher, url, copyright: the strings.
--   authors: the sorted list of "name|role|email" (a missing email is "").
--   emails: the sorted list.            captions: the set of distinct texts.
--   body_first, body_last: the first and last body entry.   body_count: #body.
-- The page score is the mean over the fields scored; the set score the mean over
-- all page-field pairs. `--fields a,b` scores only those fields (the peers give
-- only title and body). Prints a table: one row a page, one column a field.
local cjson = require "cjson"

local function usage()
  io.stderr:write("usage: gisa bench/html_fields.lua DIR GOLD.jsonl [--records FILE.jsonl] [--fields a,b,...]\n")
  os.exit(2)
end

local dir, goldpath, recpath, fieldlist = arg[1], arg[2], nil, nil
if not dir or not goldpath or dir == "--help" then usage() end
local i = 3
while arg[i] do
  if arg[i] == "--records" then recpath = arg[i + 1]; i = i + 2
  elseif arg[i] == "--fields" then fieldlist = arg[i + 1]; i = i + 2
  else usage() end
end

local FIELDS = { "title", "published", "modified", "authors", "emails", "section", "publisher",
  "url", "captions", "copyright", "body_first", "body_last", "body_count" }
if fieldlist then
  FIELDS = {}
  for f in fieldlist:gmatch("[^,]+") do FIELDS[#FIELDS + 1] = f end
end

local null = cjson.null
local function val(v) if v == null then return nil end return v end

local function norm(s)
  if s == nil or s == null then return nil end
  s = tostring(s):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  if s == "" then return nil end
  return s
end

local function lines(path)
  local f = assert(io.open(path))
  local out = {}
  for l in f:lines() do if l:find("%S") then out[#out + 1] = cjson.decode(l) end end
  f:close()
  return out
end

-- the value of a field, made comparable (a string, or nil)
local view = {}
for _, k in ipairs({ "title", "published", "modified", "section", "publisher", "url", "copyright" }) do
  view[k] = function(r) return norm(val(r[k])) end
end
view.authors = function(r)
  local a = {}
  for _, p in ipairs(val(r.authors) or {}) do
    a[#a + 1] = (norm(val(p.name)) or "") .. "|" .. (norm(val(p.role)) or "") .. "|" .. (norm(val(p.email)) or "")
  end
  table.sort(a)
  return table.concat(a, "\n")
end
view.emails = function(r)
  local a = {}
  for _, e in ipairs(val(r.emails) or {}) do a[#a + 1] = norm(e) end
  table.sort(a)
  return table.concat(a, "\n")
end
view.captions = function(r)
  local set, a = {}, {}
  for _, c in ipairs(val(r.captions) or {}) do
    local t = norm(type(c) == "table" and val(c.text) or c)
    if t and not set[t] then set[t] = true; a[#a + 1] = t end
  end
  table.sort(a)
  return table.concat(a, "\n")
end
local function body(r) return val(r.body) or {} end
view.body_first = function(r) return norm(body(r)[1]) end
view.body_last = function(r) local b = body(r); return norm(b[#b]) end
view.body_count = function(r) return tostring(#body(r)) end
local function gold_view(k, g)
  if k == "body_count" then return val(g.body_count) and string.format("%d", val(g.body_count)) end
  if k == "body_first" or k == "body_last" then return norm(val(g[k])) end
  return view[k](g)
end

-- the records: given, or extracted now by GISA (./gisa by default) in one run
local gold = lines(goldpath)
local recs = {}
if recpath then
  recs = lines(recpath)
else
  local paths = {}
  for _, g in ipairs(gold) do paths[#paths + 1] = "'" .. dir .. "/" .. g.file .. "'" end
  local tmp = os.tmpname()
  local cmd = (os.getenv("GISA") or "./gisa") .. " extract -q -j 1 -o " .. tmp .. " " .. table.concat(paths, " ")
  os.execute(cmd)
  recs = lines(tmp)
  os.remove(tmp)
end
local byfile = {}
for _, r in ipairs(recs) do
  local f = tostring(val(r.file) or ""):match("([^/]*)$")
  byfile[f] = r
end

local total, got = 0, 0
local col = {}
local out = { "page" .. string.rep(" ", 26) }
for _, k in ipairs(FIELDS) do out[#out + 1] = string.format("%-5s", k:sub(1, 5)) end
print(table.concat(out, " ") .. "  score")
local misses = {}
for _, g in ipairs(gold) do
  local r = byfile[g.file] or {}
  local row, n, ok = { string.format("%-30s", g.file:sub(1, 30)) }, 0, 0
  for _, k in ipairs(FIELDS) do
    local want, have = gold_view(k, g), view[k](r)
    if want == "" then want = nil end
    if have == "" then have = nil end
    local hit = want == have
    n, ok = n + 1, ok + (hit and 1 or 0)
    col[k] = (col[k] or 0) + (hit and 1 or 0)
    row[#row + 1] = string.format("%-5s", hit and "1" or "0")
    if not hit then misses[#misses + 1] = string.format("%s %s: want %s | got %s", g.file, k,
      tostring(want):gsub("\n", " ; "):sub(1, 160), tostring(have):gsub("\n", " ; "):sub(1, 160)) end
  end
  total, got = total + n, got + ok
  print(table.concat(row, " ") .. string.format("  %.2f", ok / n))
end
local last = { string.format("%-30s", "all (" .. #gold .. " pages)") }
for _, k in ipairs(FIELDS) do last[#last + 1] = string.format("%-5.2f", col[k] / #gold) end
print(table.concat(last, " ") .. string.format("  %.3f", got / total))
print(string.format("\nfield score %.3f (%d of %d page-fields)", got / total, got, total))
if os.getenv("HTML_FIELDS_MISSES") then
  print("\nmisses:")
  for _, m in ipairs(misses) do print("  " .. m) end
end
