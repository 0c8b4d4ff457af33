-- gisa.extract: raw article text -> article record, by the rule pipeline.
-- text -> lines (numbered) -> site detection from the text itself -> each line
-- gets a role from the first rule that matches it -> the role's handler puts
-- the line into a field, a block or `removed`. Rules are data (docs/rules.md):
-- lua/gisa/rules/generic.lua, lua/gisa/rules/sites/NAME.lua, and a user's
-- DIR/rules/*.lua and DIR/rules/sites/*.lua found on the search path.

local lpeg = require "lpeg"
local record = require "gisa.record"
local L = require "gisa.rules.lib"
local dates = require "gisa.rules.dates"
local bylines = require "gisa.rules.bylines"
local glines = require "gisa.lines"
local recover = require("gisa.paragraphs").recover

local find, sub, byte, gmatch, format = string.find, string.sub, string.byte, string.gmatch, string.format
local concat, insert = table.concat, table.insert
local ulen, trim, match = utf8.len, L.trim, lpeg.match

local M = {}

--- Set to a table to collect, per rule id, {time=, tries=, hits=} (bench/).
M.profile = nil
local clock = os.clock

--- Block types whose text makes up `body`.
M.body_types = { para = true, heading = true, question = true, answer = true, quote = true }

--- Every role a rule may give, and where a line with that role goes.
M.roles = {
  title = "field title", subtitle = "field subtitles", series = "field series",
  section = "field section", publisher = "field publisher", byline = "field authors",
  email = "field emails", date = "fields published/modified", copyright = "field copyright",
  para = "block para", heading = "block heading", question = "block question + qa",
  answer = "block answer + qa", caption = "block caption + captions", note = "block note",
  quote = "block quote", speaker = "block speaker", removed = "removed",
}

-- Names in lua/gisa/rules/ that are libraries, not rule sets.
local CORE = { generic = true, dates = true, bylines = true, lib = true, publishers = true }

------------------------------------------------------------------------------
-- Loading rule files
------------------------------------------------------------------------------

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

-- The line where rule ID is defined in SRC (for messages), or nil: where
-- `id = "ID"` (or 'ID') first appears. Searching the file once per rule, and
-- counting its lines each time, was most of the start-up time; the ids of a
-- file are found in one pass and kept (a file's text is loaded once).
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

local function rule_line(src, id)
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

local function where(rule)
  if not rule.file then return "built in" end
  return rule.line and (rule.file .. ":" .. rule.line) or rule.file
end
M.where = where

local function rule_error(rule, msg)
  error(format("rule '%s' (%s): %s", tostring(rule.id), where(rule), msg), 0)
end

local ZONES = { head = true, body = true, tail = true }

-- Check and compile one rule from FILE (its source SRC gives line numbers).
local function prepare(r, file, src)
  if type(r) ~= "table" then error(file .. ": a rule must be a table, not " .. type(r), 0) end
  local rule = {}
  for k, v in pairs(r) do rule[k] = v end
  rule.file, rule.line = file, rule_line(src, r.id)
  if type(r.id) ~= "string" or r.id == "" then
    error(format("%s: a rule needs an id (a string), got %s", file, tostring(r.id)), 0)
  end
  if r.off then return rule end
  if not M.roles[r.role] then rule_error(rule, "unknown role '" .. tostring(r.role) .. "'") end
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
      if not M.roles[x] then rule_error(rule, "prev: unknown role '" .. x .. "'") end
      rule.prev_set[x] = true
    end
  end
  if type(r.enter) == "function" then rule.enter_fn, rule.enter_zone = r.enter, nil
  else rule.enter_zone = r.enter end
  if r.has ~= nil then
    -- has: words (any of them), or a list of such lists (one of each)
    if type(r.has) == "table" and type(r.has[1]) == "table" then
      rule.has_groups = {}
      for i, g in ipairs(r.has) do rule.has_groups[i] = words("has", g) end
    else
      rule.has_groups = { words("has", r.has) }
    end
  end
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

-- Run a rule file; it returns a table ({rules=…} or a site).
local function load_rules_file(path)
  local chunk, err = loadfile(path, "t")
  if not chunk then error(err, 0) end
  local ok, v = pcall(chunk)
  if not ok then error(tostring(v), 0) end
  if type(v) ~= "table" then error(path .. ": a rule file must return a table", 0) end
  return v, readfile(path)
end

-- Merge rule list ADD into BASE (both prepared): same id replaces in place,
-- `off = true` removes, `before`/`after` = id places, otherwise new rules go
-- in front of the base ones (in their own order).
local function merge(base, add)
  local out = {}
  for i, r in ipairs(base) do out[i] = r end
  local front = 0
  for _, r in ipairs(add) do
    local at
    for i, b in ipairs(out) do if b.id == r.id then at = i; break end end
    if at then
      if r.off then table.remove(out, at) else out[at] = r end
    elseif not r.off then
      local anchor = r.before or r.after
      local placed = false
      if anchor then
        for i, b in ipairs(out) do
          if b.id == anchor then insert(out, r.before and i or i + 1, r); placed = true; break end
        end
        if not placed then rule_error(r, "no rule '" .. anchor .. "' to place it " .. (r.before and "before" or "after")) end
      else
        front = front + 1
        insert(out, front, r)
      end
    end
  end
  return out
end

local function merge_by_id(base, add)
  local out, at = {}, {}
  for i, f in ipairs(base) do out[i] = f; at[f.id] = i end
  for _, f in ipairs(add or {}) do
    if at[f.id] then out[at[f.id]] = f else out[#out + 1] = f; at[f.id] = #out end
  end
  return out
end

local function prepare_list(list, file, src, what)
  local out = {}
  if list == nil then return out end
  if type(list) ~= "table" then error(file .. ": " .. what .. " must be a list of rules", 0) end
  for i, r in ipairs(list) do out[i] = prepare(r, file, src) end
  return out
end

local function append(dst, src)
  for _, v in ipairs(src or {}) do dst[#dst + 1] = v end
end

-- A rule set (generic + extensions + one site) with its grammars compiled.
local function compile_set(base, extras, site, reg)
  local rules = base.rules
  local forms, labels = dates.forms, { published = {}, modified = {} }
  for k, v in pairs(dates.labels) do append(labels[k], v) end
  local roles, media, post = {}, {}, base.post
  append(roles, bylines.roles); append(media, bylines.media)
  local layers = {}
  append(layers, extras)
  if site then layers[#layers + 1] = site end
  local custom_dates, custom_bylines = false, false
  for _, layer in ipairs(layers) do
    rules = merge(rules, layer.rules)
    if layer.dates then forms = merge_by_id(forms, layer.dates); custom_dates = true end
    if layer.date_labels then
      for k, v in pairs(layer.date_labels) do labels[k] = labels[k] or {}; append(labels[k], v) end
      custom_dates = true
    end
    if layer.byline_roles then append(roles, layer.byline_roles); custom_bylines = true end
    if layer.media then append(media, layer.media); custom_bylines = true end
    if layer.post then post = merge_by_id(post, layer.post) end
  end
  local set = { rules = rules, post = post, site = site }
  set.dates = custom_dates and dates.compile(forms, labels) or dates.default
  set.bylines = custom_bylines and bylines.compile({ roles = roles, media = media }) or bylines.default
  set.bylines.mask = M.needle_mask(reg, set.bylines.needles)
  -- Dispatch: for a zone, a length bucket and a first character, the rules
  -- that can match, in order (built on first use). Buckets are cut at every
  -- rule's max and min, so a bucket's lines pass or fail a rule's limits alike.
  local cuts, seen, firsts = {}, {}, {}
  for _, r in ipairs(rules) do
    for _, v in ipairs({ r.max, r.min and (r.min - 1) }) do
      if v and not seen[v] then seen[v] = true; cuts[#cuts + 1] = v end
    end
    for c in pairs(r.first_chars or {}) do firsts[c] = true end
  end
  table.sort(cuts)
  set.cuts, set.firsts, set.lists, set.bucket_of, set.cls = cuts, firsts, {}, {}, {}
  set.mask_max = reg.mask_max
  return set
end

-- The rules of one list as one Lua function, generated: each rule's tests in
-- line, only the ones it has (once, has, when, pattern, match), constants for
-- its needle mask and id. A line then costs a few comparisons per rule instead
-- of a dozen table lookups. classify(line, ctx, text, mask, used, used_split)
-- -> rule, caps or nil. MASKED: every line of the bucket has its needle mask.
-- caps of a rule that captured nothing (shared, so read-only)
local EMPTY = setmetatable({}, { __newindex = function() error("caps table is read-only", 2) end })
local H = {}   -- the role handlers (below)

-- Note a line's role in the trace (--explain).
local function traced(ctx, rule, line)
  ctx.trace[#ctx.trace + 1] = { n = line.n, role = rule.role, rule = rule.id, text = line.part and line.text or line.raw,
    cut = line.cut }
end

-- The source of a rule list's dispatch function, and its constants: each rule's
-- tests written in line, cheapest first (free tests, then `when`, `pattern`,
-- `match`), and the rule applied where it matches.
local function compile_list(list, masked)
  local out, consts = {}, {}
  -- constants are locals of the chunk (upvalues of the function: one step to
  -- read), past LOCALS entries of the table K
  local LOCALS = 150
  local function const(v)
    consts[#consts + 1] = v
    if #consts <= LOCALS then return "K" .. #consts end
    return "K[" .. #consts .. "]"
  end
  local function emit(s) out[#out + 1] = s end
  emit("return function(line, ctx, text, mask, used, used_split, rec)")
  emit("  local v, c")
  -- A rule that is not a split is applied here, as apply() would, with what it
  -- does known now (its handler, once, enter, role): returns rule, caps, true.
  local function applied(r, R)
    local id = format("%q", r.id)
    local o = {}
    if r.apply then o[#o + 1] = R .. ".apply(rec, line, c, ctx)"
    else o[#o + 1] = format("H[%q](rec, line, c, ctx, %s)", r.role, R) end
    if r.once then o[#o + 1] = "used[" .. id .. "] = true" end
    if r.enter_fn then
      o[#o + 1] = "v = " .. R .. ".enter_fn(ctx, line) if v then ctx.zone = v end"
    elseif r.enter_zone then
      o[#o + 1] = format("ctx.zone = %q", r.enter_zone)
    end
    if r.role ~= "removed" then o[#o + 1] = format("ctx.prev, ctx.prev_rule = %q, %s", r.role, id) end
    o[#o + 1] = "if ctx.trace then traced(ctx, " .. R .. ", line) end"
    o[#o + 1] = "return " .. R .. ", c, true"
    return concat(o, " ")
  end
  -- a rule's gate: the mask of its first `has` list, when the line has a mask
  local function gate(r)
    local hm = r.has_masks and r.has_masks[1]
    return masked and hm or nil
  end
  local open = false   -- inside a run of gated rules, behind the union of their gates
  for k, r in ipairs(list) do
    if not open and gate(r) and list[k + 1] and gate(list[k + 1]) then
      local u, j = 0, k
      while list[j] and gate(list[j]) do u = u | gate(list[j]); j = j + 1 end
      emit(format("  if mask & %d ~= 0 then", u))
      open = j - 1        -- the last rule of the run
    end
    local R = const(r)
    local id = format("%q", r.id)
    local conds = {}
    if r.split then conds[#conds + 1] = "not (used_split and used_split[" .. id .. "])" end
    if r.once then conds[#conds + 1] = "not used[" .. id .. "]" end
    for g, has in ipairs(r.has_groups or {}) do
      local hm = r.has_masks[g]
      if hm and masked then
        conds[#conds + 1] = format("mask & %d ~= 0", hm)
      else
        local fs = {}
        for _, x in ipairs(has) do fs[#fs + 1] = "find(text, " .. format("%q", x) .. ", 1, true)" end
        local any = "(" .. concat(fs, " or ") .. ")"
        if hm then any = format("(mask and mask & %d ~= 0 or not mask and %s)", hm, any) end
        conds[#conds + 1] = any
      end
    end
    if r.prev_set then
      local one = next(r.prev_set)
      if next(r.prev_set, one) == nil then conds[#conds + 1] = format("ctx.prev == %q", one)
      else conds[#conds + 1] = const(r.prev_set) .. "[ctx.prev]" end
    end
    emit("  -- " .. r.id)
    -- the free tests; ctx.rule names the rule for an error from here on
    if #conds > 0 then emit("  if " .. concat(conds, " and ") .. " then") else emit("  do") end
    emit("  ctx.rule = " .. R)
    local depth = 1
    if r.when then
      emit("  if " .. const(r.when) .. "(ctx, line) then")
      depth = depth + 1
    end
    local done = r.split and ("return " .. R .. ", c") or applied(r, R)
    local words = not r.pattern and r.match and L.word_set(r.match)
    if r.pattern then
      emit("  v = match(" .. const(r.pattern) .. ", text)")
      emit("  if v ~= nil then")
      depth = depth + 1
      if r.split then
        emit("  if type(v) == 'table' then c = v elseif type(v) == 'number' then c = { pos = v } else c = EMPTY end")
      else
        emit("  if type(v) == 'table' then c = v else c = EMPTY end")
      end
      if r.match then
        emit("  v = " .. const(r.match) .. "(line, ctx, c)")
        emit("  if v then if v ~= true and type(v) == 'table' then c = v end " .. done .. " end")
      else
        emit("  " .. done)
      end
    elseif words then
      -- L.words: the line is one of the strings (what calling it would answer)
      emit("  if " .. const(words) .. "[text] then c = EMPTY " .. done .. " end")
    elseif r.match then
      emit("  v = " .. const(r.match) .. "(line, ctx, EMPTY)")
      emit("  if v then if v ~= true and type(v) == 'table' then c = v else c = EMPTY end " .. done .. " end")
    else
      emit("  c = EMPTY " .. done)
    end
    for _ = 1, depth do emit("  end") end
    if open == k then emit("  end"); open = false end
  end
  emit("end")
  local decl = { "local K, match, find, type, EMPTY, H, traced = ..." }
  for i = 1, math.min(#consts, LOCALS) do decl[#decl + 1] = format("local K%d = K[%d]", i, i) end
  local src = concat(decl, "\n") .. "\n" .. concat(out, "\n")
  local chunk = assert(load(src, "=(rules dispatch)", "t"))
  return chunk(consts, match, find, type, EMPTY, H, traced)
end

-- The bucket of a line length: 1 + the number of cuts below it (memoised).
local function bucket(set, len)
  local b = set.bucket_of[len]
  if b then return b end
  local cuts = set.cuts
  b = 1
  for i = 1, #cuts do
    if len > cuts[i] then b = i + 1 else break end
  end
  if len < 4096 then set.bucket_of[len] = b end
  return b
end

-- The table of a zone and a bucket in CACHE (set.lists or set.cls), made on first use.
local function cache_slot(cache, zone, b)
  local byz = cache[zone]
  if not byz then byz = {}; cache[zone] = byz end
  local byb = byz[b]
  if not byb then byb = {}; byz[b] = byb end
  return byb
end

local function rules_for(set, zone, b, fc)
  local byb = cache_slot(set.lists, zone, b)
  local list = byb[fc]
  if list then return list end
  local cuts = set.cuts
  local lo = b > 1 and cuts[b - 1] + 1 or 0
  local hi = cuts[b] or math.huge
  list = {}
  for _, r in ipairs(set.rules) do
    if (not r.zones or r.zones[zone]) and (not r.max or hi <= r.max) and (not r.min or lo >= r.min)
        and (not r.first_chars or r.first_chars[fc]) then
      list[#list + 1] = r
    end
  end
  byb[fc] = list
  return list
end

-- The classifier of a zone, a bucket and a first character (built on first use).
local function classifier(set, zone, b, fc)
  local byb = cache_slot(set.cls, zone, b)
  local cls = byb[fc]
  if cls then return cls end
  local hi = set.cuts[b] or math.huge
  cls = compile_list(rules_for(set, zone, b, fc), hi <= set.mask_max)
  byb[fc] = cls
  return cls
end

local function paths_object()
  local ok, gisa = pcall(require, "gisa")
  if ok and rawget(gisa, "paths") then return gisa.paths end
  -- used as a plain library: only the shipped rules, next to this file
  local here = package.searchpath("gisa.rules.generic", package.path)
  if not here then return nil end
  local root = here:gsub("/lua/gisa/rules/generic%.lua$", "")
  return require("gisa.paths").new({ root = root }, {})
end

-- A set of at most 64 needles (plain strings under 64 bytes), each with its
-- bit: need(x) adds x once; list holds them in order, bit maps x to its bit.
local function needle_set()
  local list, bit = {}, {}
  local function need(x)
    if type(x) == "string" and x ~= "" and #x < 64 and not bit[x] and #list < 64 then
      list[#list + 1] = x
      bit[x] = 1 << (#list - 1)
    end
  end
  return list, bit, need
end

-- The `has` words of every rule (and the byline test's words) as one needle
-- set: lines are split with a mask of the needles each holds, and a rule's
-- `has` becomes one AND. Past 64 needles, the rest are found with string.find.
local function index_needles(reg)
  local list, bit, need = needle_set()
  local layers = { reg.base }
  append(layers, reg.extras)
  append(layers, reg.sites)
  for _, layer in ipairs(layers) do
    for _, r in ipairs(layer.rules or {}) do
      for _, g in ipairs(r.has_groups or {}) do
        for _, x in ipairs(g) do need(x) end
      end
    end
  end
  for _, x in ipairs(bylines.default.needles) do need(x) end
  for _, layer in ipairs(layers) do
    for _, x in ipairs(layer.byline_roles or {}) do need(x) end
  end
  reg.needles, reg.needle_bit = glines.needles(list), bit
  -- lines longer than every rule with `has` get no mask (byline tests: 100)
  local maxlen = 100
  for _, layer in ipairs(layers) do
    for _, r in ipairs(layer.rules or {}) do
      if r.has_groups then
        r.has_masks = {}
        for i, g in ipairs(r.has_groups) do r.has_masks[i] = M.needle_mask(reg, g) or false end
        maxlen = math.max(maxlen, r.max or math.maxinteger)
      end
    end
  end
  reg.mask_max = maxlen
end

--- The mask of the needles in LIST (a rule's `has`), or nil when one is not in
--- the registry's set.
function M.needle_mask(reg, list)
  local m = 0
  for _, x in ipairs(list) do
    local b = reg.needle_bit[x]
    if not b then return nil end
    m = m | b
  end
  return m
end

local index_detect   -- below, with site detection

local function load_all(paths)
  local reg = { sites = {}, extras = {}, sets = {} }
  local gpath = paths and paths:find("rules", "generic")
  if not gpath then
    gpath = package.searchpath("gisa.rules.generic", package.path)
  end
  local g, src = load_rules_file(gpath)
  reg.base = { rules = prepare_list(g.rules, gpath, src, "rules"), post = {} }
  for _, p in ipairs(g.post or {}) do reg.base.post[#reg.base.post + 1] = p end
  if paths then
    for _, it in ipairs(paths:list("rules")) do
      if not CORE[it.name] then
        local e, esrc = load_rules_file(it.path)
        reg.extras[#reg.extras + 1] = {
          rules = prepare_list(e.rules, it.path, esrc, "rules"), post = e.post, dates = e.dates,
          date_labels = e.date_labels, byline_roles = e.byline_roles, media = e.media, file = it.path,
        }
      end
    end
    for _, it in ipairs(paths:list("sites")) do
      local s, ssrc = load_rules_file(it.path)
      local site = {
        id = s.id or it.name, publisher = s.publisher, file = it.path, detect = s.detect or {},
        threshold = s.threshold or 1, rules = prepare_list(s.rules, it.path, ssrc, "rules"),
        post = s.post, dates = s.dates, date_labels = s.date_labels, byline_roles = s.byline_roles,
        media = s.media,
      }
      if type(site.detect) ~= "table" and type(site.detect) ~= "function" then
        error(it.path .. ": detect must be a list or a function(text, lines)", 0)
      end
      if type(site.detect) == "table" then
        for i, d in ipairs(site.detect) do
          if type(d) == "table" and d.pattern then
            local ok, p = pcall(L.find, d.pattern)
            if not ok then error(format("%s: detect[%d]: bad pattern: %s", it.path, i, tostring(p)), 0) end
            d.compiled = p
          end
        end
      end
      reg.sites[#reg.sites + 1] = site
    end
  end
  index_needles(reg)
  index_detect(reg)
  reg.generic = compile_set(reg.base, reg.extras, nil, reg)
  return reg
end

local cache = { paths = false }

--- The loaded rules for the current search path (loaded once, then cached).
function M.registry()
  local paths = paths_object()
  if cache.paths ~= paths or not cache.reg then
    cache.paths, cache.reg, cache.err = paths, nil, nil
    local ok, reg = pcall(load_all, paths)
    if not ok then cache.err = reg else cache.reg = reg end
  end
  if cache.err then error(cache.err, 0) end
  return cache.reg
end

--- Forget loaded rules (tests; after changing rule files in one process).
function M.reset() cache.paths, cache.reg, cache.err = false, nil, nil end

------------------------------------------------------------------------------
-- Site detection
------------------------------------------------------------------------------

-- The literal start of a detect sign's Lua pattern (plain find is fast), or false.
local function literal_of(x)
  local lit = x.literal
  if lit == nil then
    lit = x.find:match("^[^%^%$%(%)%%%.%[%]%*%+%-%?]+") or false
    if lit and #lit < #x.find and x.find:sub(#lit + 1, #lit + 1):match("[%*%-%?]") then
      lit = lit:sub(1, -2)       -- "ab*": the b is optional
    end
    x.literal = lit
  end
  return lit
end

-- Does TEXT hold the plain string X? With `has` (the mask of the registry's
-- detect needles in TEXT) and X among them, one AND.
local function holds(text, x, has, bits)
  local b = has and bits[x]
  if b then return has & b ~= 0 end
  return find(text, x, 1, true) ~= nil
end

-- All sites' plain signs (and the literal starts of their patterns) as one
-- needle set: the text is scanned once, not once per sign.
function index_detect(reg)
  local list, bit, need = needle_set()
  for _, site in ipairs(reg.sites) do
    if type(site.detect) == "table" then
      for _, x in ipairs(site.detect) do
        if type(x) == "string" then need(x)
        elseif type(x) == "table" and x.text then need(x.text)
        elseif type(x) == "table" and x.find then need(literal_of(x)) end
      end
    end
  end
  reg.detect_needles, reg.detect_bit = glines.needles(list), bit
  -- each site's signs in their order: a plain sign as its bit and weight
  -- (scored with one AND), anything else as it is
  for _, site in ipairs(reg.sites) do
    if type(site.detect) == "table" then
      local bits, weights = {}, {}
      for i, x in ipairs(site.detect) do
        local t = type(x) == "string" and x or type(x) == "table" and x.text or nil
        if t and bit[t] then bits[i], weights[i] = bit[t], type(x) == "table" and x.weight or 1
        else bits[i], weights[i] = false, x end
      end
      site.detect_bits, site.detect_weights = bits, weights
    end
  end
end

local function score(site, text, lines, has, bits)
  local d = site.detect
  if type(d) == "function" then return tonumber(d(text, lines)) or (d(text, lines) and 1 or 0) end
  local s = 0
  local dbits, dweights = site.detect_bits, site.detect_weights
  for i = 1, #d do
    local x = d[i]
    local b = has and dbits and dbits[i]
    if b then
      if has & b ~= 0 then s = s + dweights[i] end
    elseif type(x) == "string" then
      if holds(text, x, has, bits) then s = s + 1 end
    elseif type(x) == "function" then
      local v = x(text, lines)
      if v then s = s + (tonumber(v) or 1) end
    elseif x.text then
      if holds(text, x.text, has, bits) then s = s + (x.weight or 1) end
    elseif x.find then
      local lit = literal_of(x)
      if lit and lit ~= "" and not holds(text, lit, has, bits) then
        -- the literal start is nowhere: no match
      elseif not lit or lit == "" then
        if find(text, x.find) then s = s + (x.weight or 1) end
      else
        local i = 1
        while true do
          local at = find(text, lit, i, true)
          if not at then break end
          x.anchored = x.anchored or "^" .. x.find
          if find(text, x.anchored, at) then s = s + (x.weight or 1); break end
          i = at + 1
        end
      end
    elseif x.compiled then
      if match(x.compiled, text) then s = s + (x.weight or 1) end
    end
  end
  return s
end

--- How much of a long text detection reads: its start and its end (a site's
--- signs — tags, bylines, date lines, copyright — are there, not mid-article).
M.detect_window = 2500

--- The site whose `detect` scores highest on TEXT (at least its threshold), or nil.
function M.detect(text, lines, reg)
  reg = reg or M.registry()
  local w = M.detect_window
  if w and #text > 2 * w then text = sub(text, 1, w) .. "\n" .. sub(text, -w) end
  local best, bs = nil, 0
  local has = reg.detect_needles and reg.detect_needles:mask(text)
  for _, site in ipairs(reg.sites) do
    local s = score(site, text, lines, has, reg.detect_bit)
    if s >= site.threshold and s > bs then best, bs = site, s end
  end
  return best, bs
end

local function set_for(reg, site)
  if not site then return reg.generic end
  local s = reg.sets[site.id]
  if not s then
    s = compile_set(reg.base, reg.extras, site, reg)
    reg.sets[site.id] = s
  end
  return s
end

------------------------------------------------------------------------------
-- Role handlers: where a line with each role goes
------------------------------------------------------------------------------

M.handlers = H

local function add_email(rec, ctx, e)
  if ctx.email_set[e] then return end
  ctx.email_set[e] = true
  rec.emails[#rec.emails + 1] = e
end

local email_scan = L.emails
local function scan_emails(rec, ctx, s)
  if not find(s, "@", 1, true) then return end
  local list = match(email_scan, s)
  for i = 1, #list do add_email(rec, ctx, list[i]) end
end

local function add_author(rec, a)
  local authors = rec.authors
  for i = 1, #authors do
    local b = authors[i]
    if b.name == a.name then
      b.role = b.role or a.role
      b.email = b.email or a.email
      return
    end
  end
  rec.authors[#rec.authors + 1] = { name = a.name, role = a.role, email = a.email }
end

local function block(rec, ctx, t, text, line)
  local b = { type = t, text = text, line = line.n }
  local blocks = rec.blocks
  blocks[#blocks + 1] = b
  if M.body_types[t] then local body = rec.body; body[#body + 1] = text end
  if find(text, "@", 1, true) then scan_emails(rec, ctx, text) end
  return b
end

local function remove(rec, line, text, reason)
  rec.removed[#rec.removed + 1] = { line = line.n, text = text, reason = reason }
end
M.remove = remove

function H.title(rec, line, caps, ctx, rule)
  if rec.title then return H.subtitle(rec, line, caps, ctx, rule) end
  rec.title = caps.text or line.text
end

function H.subtitle(rec, line, caps, ctx, rule)
  local t = caps.text or line.text
  if ctx.subtitle_set[t] then return remove(rec, line, line.raw, rule.id .. ":repeated") end
  ctx.subtitle_set[t] = true
  rec.subtitles[#rec.subtitles + 1] = t
end

function H.series(rec, line, caps, ctx, rule)
  if not rec.series then rec.series = caps.series or line.text end
  if caps.rest and caps.rest ~= "" then
    H.subtitle(rec, line, { text = caps.rest }, ctx, rule)
  end
end

function H.section(rec, line, caps)
  if not rec.section then rec.section = caps.section or caps.text or line.text end
end

function H.publisher(rec, line, caps)
  if not rec.publisher then rec.publisher = caps.publisher or caps.text or line.text end
end

function H.byline(rec, line, caps, ctx)
  local res = caps.authors and caps or ctx.set.bylines:parse(caps.text or line.text, ctx.publisher)
  if not res then return end
  local authors, emails = res.authors, res.emails
  for i = 1, #authors do add_author(rec, authors[i]) end
  if emails then for i = 1, #emails do add_email(rec, ctx, emails[i]) end end
  if res.media and not rec.publisher then rec.publisher = res.media end
  if res.dates then dates.assign(rec, res.dates) end
end

function H.email(rec, line, caps, ctx)
  local t = caps.text or line.text
  scan_emails(rec, ctx, t)
  -- an address alone on its line, in an article with one reporter, is theirs
  local a = rec.authors[1]
  if caps.tie and #rec.authors == 1 and not a.email then
    local list = match(email_scan, t)
    if #list == 1 then a.email = list[1] end
  end
end

function H.date(rec, line, caps, ctx)
  local list = caps.dates or ctx.set.dates:scan(caps.text or line.text)
  dates.assign(rec, list)
  if caps.section and not rec.section then rec.section = caps.section end
end

function H.copyright(rec, line, caps, ctx, rule)
  if rec.copyright then return remove(rec, line, line.raw, rule.id .. ":again") end
  rec.copyright = caps.text or line.text
  if not rec.publisher and caps.publisher then rec.publisher = caps.publisher end
end

function H.para(rec, line, caps, ctx) block(rec, ctx, "para", caps.text or line.text, line) end
function H.heading(rec, line, caps, ctx) block(rec, ctx, "heading", caps.text or line.text, line) end
function H.quote(rec, line, caps, ctx)
  block(rec, ctx, "quote", caps.text or line.text, line).speaker = caps.speaker
end

function H.speaker(rec, line, caps, ctx)
  local b = block(rec, ctx, "speaker", caps.text or line.text, line)
  b.name, b.about = caps.name, caps.about
  ctx.speaker = caps.name
end
function H.note(rec, line, caps, ctx) block(rec, ctx, "note", caps.text or line.text, line) end

function H.question(rec, line, caps, ctx)
  local t = caps.text or line.text
  rec.qa[#rec.qa + 1] = { q = t }
  local b = block(rec, ctx, "question", t, line)
  b.qa, b.marker = #rec.qa, caps.marker
end

function H.answer(rec, line, caps, ctx)
  local t = caps.text or line.text
  local qa = rec.qa[#rec.qa]
  if not qa or (qa.a and ctx.prev ~= "answer") then
    qa = {}; rec.qa[#rec.qa + 1] = qa
  end
  qa.a = qa.a and (qa.a .. "\n" .. t) or t
  local b = block(rec, ctx, "answer", t, line)
  b.qa, b.marker = #rec.qa, caps.marker
end

function H.caption(rec, line, caps, ctx)
  local t = caps.text or line.text
  local c = { text = t, credit = caps.credit }
  rec.captions[#rec.captions + 1] = c
  block(rec, ctx, "caption", t, line).credit = caps.credit
  ctx.last_caption = line.text
end

function H.removed(rec, line, caps, ctx, rule)
  remove(rec, line, caps.removed or (line.part and line.text or line.raw), rule.reason or rule.id)
  -- a dateline tag names the outlet
  if caps.publisher and not rec.publisher then rec.publisher = caps.publisher end
end

------------------------------------------------------------------------------
-- The pipeline
------------------------------------------------------------------------------

-- Split TEXT into numbered lines: {n=, raw=, text= (trimmed), len= (chars),
-- fc= (first character), mask= (the registry's needles it holds)}; in C.
local lsplit = glines.split
local function split_lines(text, needles)
  return lsplit(text, needles)
end
M.split_lines = split_lines

-- Try one rule on a line; returns caps (a table) or nil.
local function try(rule, line, ctx)
  if rule.once and ctx.used[rule.id] then return nil end
  local groups = rule.has_groups
  if groups then
    local lm = line.mask
    for g = 1, #groups do
      local hm = rule.has_masks[g]
      if hm and lm then
        if lm & hm == 0 then return nil end
      else
        local has, t, hit = groups[g], line.text, false
        for i = 1, #has do
          if find(t, has[i], 1, true) then hit = true; break end
        end
        if not hit then return nil end
      end
    end
  end
  if rule.prev_set and not rule.prev_set[ctx.prev] then return nil end
  if rule.when and not rule.when(ctx, line) then return nil end
  local caps = EMPTY
  if rule.pattern then
    local v = match(rule.pattern, line.text)
    if v == nil then return nil end
    if type(v) == "table" then caps = v elseif rule.split and type(v) == "number" then caps = { pos = v } end
  end
  if rule.match then
    local v = rule.match(line, ctx, caps)
    if not v then return nil end
    if type(v) == "table" then caps = v end
  end
  return caps
end

local function next_lines(ctx)
  -- the k-th non-blank line after the current one
  return function(k)
    k = k or 1
    local lines, i = ctx.lines, ctx.i
    while true do
      i = i + 1
      local l = lines[i]
      if not l then return nil end
      if l.len > 0 then
        k = k - 1
        if k == 0 then return l end
      end
    end
  end
end

local function apply(rec, rule, line, caps, ctx)
  ctx.rule = rule
  if rule.apply then rule.apply(rec, line, caps, ctx)
  else H[rule.role](rec, line, caps, ctx, rule) end
  if rule.once then ctx.used[rule.id] = true end
  local z = rule.enter_zone
  if rule.enter_fn then z = rule.enter_fn(ctx, line) end
  if z then ctx.zone = z end
  if rule.role ~= "removed" then ctx.prev, ctx.prev_rule = rule.role, rule.id end
  if ctx.trace then traced(ctx, rule, line) end
end

-- A part of LINE that a split rule left: classified again as a line.
local first_char = lpeg.C(lpeg.R("\0\127", "\194\244") * lpeg.R("\128\191") ^ 0) + lpeg.Cc("")
local function part_line(line, text, ctx)
  return { n = line.n, raw = line.raw, text = text, len = ulen(text) or #text, part = true,
    fc = match(first_char, text), mask = ctx.needles and ctx.needles:mask(text) }
end

-- The rule for LINE the slow way, one rule at a time, timing each (M.profile).
local function profiled(list, line, ctx, used_split, prof)
  for k = 1, #list do
    local r = list[k]
    if not (used_split and r.split and used_split[r.id]) then
      ctx.rule = r
      local t0 = clock()
      local caps = try(r, line, ctx)
      local p = prof[r.id] or { time = 0, tries = 0, hits = 0 }
      prof[r.id] = p
      p.time, p.tries = p.time + (clock() - t0), p.tries + 1
      if caps then p.hits = p.hits + 1; return r, caps end
    end
  end
end

-- The rest of a line after a split rule, or a line when profiling: rule by
-- rule, split parts classified again (what the generated dispatch does not do).
local function run_line(rec, line, ctx, set, rule, caps, used_split)
  local prof = M.profile
  local firsts, cls, bucket_of, used = set.firsts, set.cls, set.bucket_of, ctx.used
  while true do
    if not rule then
      local fc = line.fc
      if not firsts[fc] then fc = "" end
      local zone, len = ctx.zone, line.len
      local b = bucket_of[len] or bucket(set, len)
      local done
      if prof then
        rule, caps = profiled(rules_for(set, zone, b, fc), line, ctx, used_split, prof)
      else
        local byz = cls[zone]
        local byb = byz and byz[b]
        local f = byb and byb[fc] or classifier(set, zone, b, fc)
        rule, caps, done = f(line, ctx, line.text, line.mask, used, used_split, rec)
      end
      if done then return end
      if not rule then
        error(format("line %d: no rule matched (the rule list must end with one that always matches)", line.n), 0)
      end
    end
    if not rule.split then
      apply(rec, rule, line, caps, ctx)
      return
    end
    local pos = caps.pos
    if type(pos) ~= "number" or pos <= 1 then
      rule_error(rule, "a split rule must give the position where the rest starts (caps.pos > 1)")
    end
    local head, rest = trim(sub(line.text, 1, pos - 1)), trim(sub(line.text, pos))
    apply(rec, rule, part_line(line, head, ctx), caps, ctx)
    used_split = used_split or {}
    used_split[rule.id] = true
    if rest == "" then return end
    line, rule, caps = part_line(line, rest, ctx), nil, nil
  end
end

local function run(rec, lines, text, set, ctx)
  local firsts, cls, bucket_of, used = set.firsts, set.cls, set.bucket_of, ctx.used
  local fast = not M.profile
  for i = 1, #lines do
    local line = lines[i]
    ctx.i = i
    local len = line.len
    if len == 0 then
      ctx.blank = true
      if ctx.trace then ctx.trace[#ctx.trace + 1] = { n = line.n, role = "blank", rule = "-", text = line.raw } end
    else
      -- the common case in line: a dispatch function finds the rule and applies it
      local rule, caps, done
      if fast then
        local fc = line.fc
        if not firsts[fc] then fc = "" end
        local byz = cls[ctx.zone]
        local byb = byz and byz[bucket_of[len] or bucket(set, len)]
        local f = byb and byb[fc]
        if f then
          rule, caps, done = f(line, ctx, line.text, line.mask, used, nil, rec)
          if not rule then
            error(format("line %d: no rule matched (the rule list must end with one that always matches)", line.n), 0)
          end
        end
      end
      if not done then run_line(rec, line, ctx, set, rule, caps, nil) end
      ctx.blank = false
    end
  end
  local post = set.post
  if post then
    for i = 1, #post do
      local p = post[i]
      ctx.rule = p
      p.run(rec, ctx)
    end
  end
end

--- Extract one article. info: {file=, encoding=, trace=bool}. With trace, the
--- second result lists every line part: {n, role, rule, text}.
---@param text string UTF-8 text
---@param info {file:string, encoding:string, trace?:boolean}
---@return gisa.Article, table?
function M.extract(text, info)
  info = info or {}
  local reg = M.registry()
  local rec = record.new(info.file or "-", info.encoding or "utf-8")
  if find(text, "\0", 1, true) then
    error("binary file (NUL bytes), skipped", 0)
  end
  local lines = lsplit(text, reg.needles, reg.mask_max)
  -- a newline-collapsed crawler body: its long line cut into paragraphs (gisa.paragraphs)
  lines = recover(lines, text, reg.needles)
  local site = M.detect(text, lines, reg)
  local set = set_for(reg, site)
  if site then rec.site, rec.publisher = site.id, site.publisher end
  local ctx = {
    rec = rec, lines = lines, text = text, set = set, site = site and site.id,
    publisher = site and site.publisher, zone = "head", blank = false, used = {},
    subtitle_set = {}, email_set = {}, trace = info.trace and {} or nil, needles = reg.needles,
  }
  ctx.next = next_lines(ctx)
  for i = 1, #lines do if lines[i].len > 0 then ctx.first = i; break end end
  local ok, err = pcall(run, rec, lines, text, set, ctx)
  if not ok then
    local r = ctx.rule
    if r and r.id and not tostring(err):find("^rule '") then
      err = format("rule '%s' (%s): %s", r.id, where(r), tostring(err))
    end
    error(err, 0)
  end
  return rec, ctx.trace
end

return M
