-- gisa.engine.schema: what a rule may say, checked before any article is read.
-- prepare(r, file, src) turns a rule as written (docs/rules.md) into the rule
-- the engine runs: its pattern compiled, its `when` zones as a set, its `has`
-- as groups, its `first` as first characters, its file and line for messages.

local L = require "gisa.rules.lib"
local has = require "gisa.engine.has"

local find, sub, gmatch, format = string.find, string.sub, string.gmatch, string.format

local M = {}

--- Every role a rule may give, and where a line with that role goes.
M.roles = {
  title = "field title", subtitle = "field subtitles", series = "field series",
  section = "field section", publisher = "field publisher", byline = "field authors",
  email = "field emails", date = "fields published/modified", copyright = "field copyright",
  para = "block para", heading = "block heading", question = "block question + qa",
  answer = "block answer + qa", caption = "block caption + captions", note = "block note",
  quote = "block quote", speaker = "block speaker", removed = "removed",
}

M.zones = { head = true, body = true, tail = true }

------------------------------------------------------------------------------
-- Where a rule is written (for messages)
------------------------------------------------------------------------------

-- The line where rule ID is defined in SRC, or nil: where `id = "ID"` (or
-- 'ID') first appears. The ids of a file are found in one pass and kept (a
-- file's text is loaded once), not searched for once per rule.
local id_lines = {}   -- src -> {id -> line}
local function ids_of(src)
  local map = {}
  local pos, line, counted = 1, 1, 1
  while true do
    local at, e = find(src, "id%s*=%s*[\"']", pos)
    if not at then break end
    -- the value, up to the next quote (an id with a quote in it is looked for apart)
    local close = find(src, "[\"']", e + 1)
    if close then
      local v = sub(src, e + 1, close - 1)
      if map[v] == nil then
        while true do
          local nl = find(src, "\n", counted, true)
          if not nl or nl >= at then break end
          line, counted = line + 1, nl + 1
        end
        map[v] = line
      end
    end
    pos = at + 1
  end
  return map
end

--- The line of rule ID in the file text SRC, or nil.
function M.rule_line(src, id)
  if not src or type(id) ~= "string" then return nil end
  local map = id_lines[src]
  if not map then map = ids_of(src); id_lines[src] = map end
  if map[id] then return map[id] end
  if not find(id, "[\"']") then return nil end
  local q = id:gsub("%p", "%%%0")
  local pos = find(src, "id%s*=%s*[\"']" .. q .. "[\"']")
  if not pos then return nil end
  local n = 1
  for _ in gmatch(sub(src, 1, pos), "\n") do n = n + 1 end
  return n
end

--- "file:line" of a rule, or "built in".
function M.where(rule)
  if not rule.file then return "built in" end
  return rule.line and (rule.file .. ":" .. rule.line) or rule.file
end

--- Raise "rule 'id' (file:line): MSG".
function M.rule_error(rule, msg)
  error(format("rule '%s' (%s): %s", tostring(rule.id), M.where(rule), msg), 0)
end

------------------------------------------------------------------------------
-- The keys a rule, a rule file and a site file may have
------------------------------------------------------------------------------

--- The keys of a rule (docs/rules.md, "A rule").
M.rule_keys = {
  id = true, role = true, pattern = true, match = true, when = true, max = true, min = true,
  first = true, has = true, prev = true, once = true, split = true, enter = true, reason = true,
  apply = true, before = true, after = true, off = true, always = true,
}
--- The tests a rule selects lines by: a rule with none of them must say `always = true`.
M.selectors = { "pattern", "match", "when", "has", "first", "prev", "max", "min" }
--- The keys of a rule file (DIR/rules/NAME.lua, rules/generic.lua).
M.file_keys = {
  rules = true, post = true, dates = true, date_labels = true, byline_roles = true, media = true,
  lib = true,
}
--- The keys of a site file: a rule file's, and these.
M.site_keys = { id = true, publisher = true, detect = true, threshold = true, html = true }
for k in pairs(M.file_keys) do M.site_keys[k] = true end
--- The keys of a post pass and of a detect sign given as a table.
M.post_keys = { id = true, run = true, fills = true }
M.sign_keys = { text = true, find = true, pattern = true, weight = true }

local distance = require("gisa.cli").distance

--- Is T a list of names (strings), such as a post pass's `fills`?
function M.names(t)
  if type(t) ~= "table" then return false end
  for k, v in pairs(t) do
    if math.type(k) ~= "integer" or type(v) ~= "string" then return false end
  end
  return true
end

--- The known key closest to KEY (at most 2 edits, and fewer than half of it), or nil.
function M.suggest(key, known)
  if type(key) ~= "string" then return nil end
  local best, bd
  for k in pairs(known) do
    local d = distance(key, k)
    if d <= 2 and d < #key / 2 + 1 and (not bd or d < bd or d == bd and k < best) then best, bd = k, d end
  end
  return best
end

-- The message for unknown key K among KNOWN.
local function unknown(k, known)
  local s = M.suggest(k, known)
  local name = type(k) == "string" and ("'" .. k .. "'") or ("[" .. tostring(k) .. "]")
  return "unknown key " .. name .. (s and (" (did you mean '" .. s .. "'?)") or "")
end

-- The keys of T not in KNOWN, sorted (string keys; integer keys of a list are
-- not keys a user spelled).
local function unknown_keys(t, known)
  local bad = {}
  for k in pairs(t) do
    if not known[k] and math.type(k) ~= "integer" then bad[#bad + 1] = k end
  end
  table.sort(bad, function(a, b) return tostring(a) < tostring(b) end)
  return bad
end

-- The line of `KEY =` in SRC (its first appearance at the start of a line), or nil.
local function key_line(src, key)
  if not src or type(key) ~= "string" then return nil end
  local pos = find(src, "\n[ \t]*" .. key:gsub("%p", "%%%0") .. "[ \t]*=")
  if not pos then return nil end
  local n = 2
  for _ in gmatch(sub(src, 1, pos - 1), "\n") do n = n + 1 end
  return n
end

--- Check the top-level keys of a rule file (SITE: a site file) returned as T
--- from FILE (its text SRC): an unknown key raises "FILE:LINE: unknown key …".
function M.check_file(t, file, src, site)
  local known = site and M.site_keys or M.file_keys
  local bad = unknown_keys(t, known)[1]
  if bad ~= nil then
    local line = key_line(src, bad)
    error(format("%s%s: %s in a %s file", file, line and (":" .. line) or "", unknown(bad, known),
      site and "site" or "rule"), 0)
  end
  for i, p in ipairs(type(t.post) == "table" and t.post or {}) do
    if type(p) ~= "table" or type(p.run) ~= "function" then
      error(format("%s: post[%d] must be a table {id=, run=function(rec, ctx)}", file, i), 0)
    end
    bad = unknown_keys(p, M.post_keys)[1]
    if bad ~= nil then
      error(format("%s: post '%s': %s", file, tostring(p.id), unknown(bad, M.post_keys)), 0)
    end
    if p.fills ~= nil and not M.names(p.fills) then
      error(format("%s: post '%s': fills must be a list of record fields", file, tostring(p.id)), 0)
    end
  end
  if site then
    for k, want in pairs({ id = "string", publisher = "string", threshold = "number" }) do
      if t[k] ~= nil and type(t[k]) ~= want then
        local line = key_line(src, k)
        error(format("%s%s: %s must be a %s, not %s", file, line and (":" .. line) or "", k, want, type(t[k])), 0)
      end
    end
  end
  if site and type(t.detect) == "table" then
    for i, d in ipairs(t.detect) do
      bad = type(d) == "table" and unknown_keys(d, M.sign_keys)[1]
      if bad then error(format("%s: detect[%d]: %s", file, i, unknown(bad, M.sign_keys)), 0) end
    end
  end
end

------------------------------------------------------------------------------
-- One rule
------------------------------------------------------------------------------

local rule_error, ROLES, ZONES = M.rule_error, M.roles, M.zones

--- Check and prepare one rule from FILE (its source SRC gives line numbers).
function M.prepare(r, file, src)
  if type(r) ~= "table" then error(file .. ": a rule must be a table, not " .. type(r), 0) end
  local rule = {}
  for k, v in pairs(r) do rule[k] = v end
  rule.file, rule.line = file, M.rule_line(src, r.id)
  if type(r.id) ~= "string" or r.id == "" then
    error(format("%s: a rule needs an id (a string), got %s", file, tostring(r.id)), 0)
  end
  local bad = unknown_keys(r, M.rule_keys)[1]
  if bad ~= nil then rule_error(rule, unknown(bad, M.rule_keys)) end
  if r.off then return rule end
  if not ROLES[r.role] then
    local sug = M.suggest(r.role, ROLES)
    rule_error(rule, "unknown role '" .. tostring(r.role) .. "'" .. (sug and (" (did you mean '" .. sug .. "'?)") or ""))
  end
  -- a rule that selects no lines matches every line it is tried on: only a
  -- catch-all (the generic `para` rule) is meant to, and says so
  local selects
  for _, k in ipairs(M.selectors) do
    if r[k] ~= nil then selects = k; break end
  end
  if r.always ~= nil and r.always ~= true then rule_error(rule, "always must be true (or left out)") end
  if r.always and selects then
    rule_error(rule, "always = true, but it also selects lines by '" .. selects .. "'")
  end
  if not selects and not r.always then
    rule_error(rule, "selects no lines (no " .. table.concat(M.selectors, ", ")
      .. "): it would match every line; say always = true if that is meant")
  end
  rule.always = r.pattern == nil and r.match == nil and r.when == nil or nil
  if r.pattern ~= nil then
    local ok, p = pcall(L.compile, r.pattern)
    if not ok then rule_error(rule, "bad pattern: " .. tostring(p):gsub("^.-:%d+: ", "")) end
    rule.pattern = p
  end
  if r.match ~= nil and type(r.match) ~= "function" then
    rule_error(rule, "match must be a function(line, ctx, caps)")
  end
  local w = r.when
  if type(w) == "string" then w = { w } end
  if type(w) == "table" then
    local set = {}
    for _, z in ipairs(w) do
      if not ZONES[z] then rule_error(rule, "when: unknown zone '" .. tostring(z) .. "' (head, body, tail)") end
      set[z] = true
    end
    rule.zones, rule.when = set, nil
  elseif w ~= nil and type(w) ~= "function" then
    rule_error(rule, "when must be a zone name, a list of them, or a function(ctx, line)")
  end
  if r.enter ~= nil and type(r.enter) ~= "function" and not ZONES[r.enter] then
    rule_error(rule, "enter: unknown zone '" .. tostring(r.enter) .. "'")
  end
  if r.apply ~= nil and type(r.apply) ~= "function" then
    rule_error(rule, "apply must be a function(rec, line, caps, ctx)")
  end
  local function words(k, v)
    if type(v) == "string" then v = { v } end
    if type(v) ~= "table" or #v == 0 then rule_error(rule, k .. " must be a string or a list of strings") end
    for _, x in ipairs(v) do
      if type(x) ~= "string" or x == "" then rule_error(rule, k .. " must hold non-empty strings") end
    end
    return v
  end
  if r.first ~= nil then rule.first = words("first", r.first) end
  if r.prev ~= nil then
    rule.prev_set = {}
    for _, x in ipairs(words("prev", r.prev)) do
      if not ROLES[x] then rule_error(rule, "prev: unknown role '" .. x .. "'") end
      rule.prev_set[x] = true
    end
  end
  if type(r.enter) == "function" then rule.enter_fn, rule.enter_zone = r.enter, nil
  else rule.enter_zone = r.enter end
  if r.has ~= nil then rule.has_groups = has.groups(r.has, words) end
  if rule.first then
    -- dispatch is by the first UTF-8 character of the line
    rule.first_chars = {}
    for _, x in ipairs(rule.first) do rule.first_chars[x:match("^[%z\1-\127\194-\244][\128-\191]*")] = true end
  end
  for _, k in ipairs({ "max", "min" }) do
    if r[k] ~= nil and math.type(r[k]) ~= "integer" then rule_error(rule, k .. " must be an integer") end
  end
  return rule
end

--- Prepare a list of rules (the `rules` of a file); nil is an empty list.
function M.prepare_list(list, file, src, what)
  local out = {}
  if list == nil then return out end
  if type(list) ~= "table" then error(file .. ": " .. what .. " must be a list of rules", 0) end
  for i, r in ipairs(list) do out[i] = M.prepare(r, file, src) end
  return out
end

return M
