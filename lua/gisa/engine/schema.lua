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
  if r.off then return rule end
  if not ROLES[r.role] then rule_error(rule, "unknown role '" .. tostring(r.role) .. "'") end
  if r.pattern == nil and r.match == nil and r.when == nil then
    -- a rule with none of them matches every line it is tried on (e.g. the last `para` rule)
    rule.always = true
  end
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
