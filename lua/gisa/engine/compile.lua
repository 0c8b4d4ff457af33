-- gisa.engine.compile: a rule set (the generic rules, the user's extensions
-- and one site, merged) and its dispatch. For a zone, a length bucket and a
-- first character, the rules that can match are written out as one generated
-- Lua function, each rule's tests in line, cheapest first. The interpreted
-- path (gisa.engine.run's try) is the specification: the generated function
-- must find the rule it finds (tests/rules_test.lua checks both on the corpus).

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"
local dates = require "gisa.rules.dates"
local bylines = require "gisa.rules.bylines"
local has = require "gisa.engine.has"
local schema = require "gisa.engine.schema"
local handlers = require "gisa.engine.handlers"

local find, format = string.find, string.format
local concat, insert = table.concat, table.insert
local match = lpeg.match

local M = {}

------------------------------------------------------------------------------
-- Merging layers
------------------------------------------------------------------------------

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
        if not placed then schema.rule_error(r, "no rule '" .. anchor .. "' to place it " .. (r.before and "before" or "after")) end
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

local function append(dst, src)
  for _, v in ipairs(src or {}) do dst[#dst + 1] = v end
end

--- A rule set (generic + extensions + one site) with its grammars compiled.
function M.set(base, extras, site, reg)
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
  set.bylines.mask = has.mask(reg, set.bylines.needles)
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
  -- dispatch functions by their rule list, shared by the registry's sets (M.classifier)
  reg.dispatch = reg.dispatch or { fns = {}, serial = setmetatable({}, { __mode = "k" }), n = 0 }
  set.dispatch = reg.dispatch
  set.mask_max = reg.mask_max
  return set
end

--- The rule set of SITE (nil: the generic set), compiled on first use.
function M.set_for(reg, site)
  if not site then return reg.generic end
  local s = reg.sets[site.id]
  if not s then
    s = M.set(reg.base, reg.extras, site, reg)
    reg.sets[site.id] = s
  end
  return s
end

------------------------------------------------------------------------------
-- The generated dispatch
------------------------------------------------------------------------------

local H, traced = handlers.H, handlers.traced

-- caps of a rule that captured nothing (shared, so read-only)
local EMPTY = setmetatable({}, { __newindex = function() error("caps table is read-only", 2) end })
M.EMPTY = EMPTY

-- A rule that is not a split, applied as run.lua's apply() does, with what it
-- does (its handler, once, enter, role) known when this is made: one function
-- per rule, called by the dispatch where the rule matches, with what the rule's
-- tests gave (caps: anything but a table is EMPTY). Written in line,
-- it would be most of the text of every dispatch function that lists the rule,
-- and compiling that text a good part of a short run.
local appliers = setmetatable({}, { __mode = "k" })
local function applier(r)
  local a = appliers[r]
  if a then return a end
  local role, id, once, zone = r.role, r.id, r.once, r.enter_zone
  local own, enter_fn, prev = r.apply ~= nil, r.enter_fn ~= nil, r.role ~= "removed"
  a = function(rec, line, c, ctx, used)
    -- EMPTY and true (most tests' answer) are told apart without a call to type
    if c == true then c = EMPTY elseif c ~= EMPTY and type(c) ~= "table" then c = EMPTY end
    if own then r.apply(rec, line, c, ctx) else H[role](rec, line, c, ctx, r) end
    if once then used[id] = true end
    if enter_fn then
      local z = r.enter_fn(ctx, line)
      if z then ctx.zone = z end
    elseif zone then
      ctx.zone = zone
    end
    if prev then ctx.prev, ctx.prev_rule = role, id end
    if ctx.trace then traced(ctx, r, line) end
    return r, c, true
  end
  appliers[r] = a
  return a
end

-- Pieces of generated text that recur in every function, made once: the name
-- of constant i, the declaration of the first n, a rule id quoted.
local knames = setmetatable({}, { __index = function(t, i)
  local s = "K" .. i
  t[i] = s
  return s
end })
local kdecls = setmetatable({ [0] = "" }, { __index = function(t, n)
  local k = n
  while not rawget(t, k) do k = k - 1 end
  for i = k + 1, n do t[i] = t[i - 1] .. ", K" .. i end
  return t[n]
end })
local quoted = setmetatable({}, { __index = function(t, x)
  local s = format("%q", x)
  t[x] = s
  return s
end })

--- The source of a rule list's dispatch function, and its constants: each
--- rule's tests written in line, cheapest first (free tests, then `when`,
--- `pattern`, `match`), and the rule applied where it matches. The function is
--- classify(line, ctx, text, mask, used, used_split, rec) -> rule, caps[, done].
--- MASKED: every line of the bucket has its needle mask. The constants come in
--- as the chunk's arguments (K, the helpers, then K1, K2 …); LABELLED: name each
--- constant by its rule in a comment (gisa rules --dump), left out when the
--- text is only compiled (less to read).
function M.source(list, masked, labelled)
  local out, consts = {}, {}
  -- constants are locals of the chunk (upvalues of the function: one step to
  -- read), past LOCALS entries of the table K
  local LOCALS = 150
  local labels, n = {}, 0
  -- the label (A .. B) is made only when the text is for reading
  local function const(v, a, b)
    n = n + 1
    consts[n] = v
    if labelled then labels[n] = a .. b end
    if n <= LOCALS then return knames[n] end
    return "K[" .. n .. "]"
  end
  local function emit(s) out[#out + 1] = s end
  emit("return function(line, ctx, text, mask, used, used_split, rec)")
  emit("  local v, c")
  -- A rule that is not a split is applied where it matches (returns rule, caps,
  -- true) by its applier, except the list's last rule, where most lines of a
  -- bucket end (para): that one in line, as its applier would, with no call.
  local function applied(r, R)
    local id = quoted[r.id]
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
  local gate = has.gate
  local open = false   -- inside a run of gated rules, behind the union of their gates
  for k, r in ipairs(list) do
    if not open and gate(r, masked) and list[k + 1] and gate(list[k + 1], masked) then
      local u, j = 0, k
      while list[j] and gate(list[j], masked) do u = u | gate(list[j], masked); j = j + 1 end
      emit(format("  if mask & %d ~= 0 then", u))
      open = j - 1        -- the last rule of the run
    end
    local R = const(r, "rule ", r.id)
    local id = quoted[r.id]
    local conds = {}
    if r.split then conds[#conds + 1] = "not (used_split and used_split[" .. id .. "])" end
    if r.once then conds[#conds + 1] = "not used[" .. id .. "]" end
    has.code(r, masked, conds)
    if r.prev_set then
      local one = next(r.prev_set)
      if next(r.prev_set, one) == nil then conds[#conds + 1] = format("ctx.prev == %q", one)
      else conds[#conds + 1] = const(r.prev_set, r.id, ".prev") .. "[ctx.prev]" end
    end
    if labelled then emit("  -- " .. r.id) end
    -- the free tests; ctx.rule names the rule for an error from here on
    if #conds > 0 then emit("  if " .. concat(conds, " and ") .. " then") else emit("  do") end
    emit("  ctx.rule = " .. R)
    local depth = 1
    if r.when then
      local we = L.expr_of(r.when)     -- L.when: its expression in line
      emit("  if " .. (we and "(" .. we .. ")" or const(r.when, r.id, ".when") .. "(ctx, line)") .. " then")
      depth = depth + 1
    end
    -- SHORT: applied by its applier, which takes what a test gave as it is
    local short = not r.split and k ~= #list
    local A = short and const(applier(r), r.id, " apply")
    local function call(caps) return "return " .. A .. "(rec, line, " .. caps .. ", ctx, used)" end
    local done = r.split and ("return " .. R .. ", c") or short and call("c") or applied(r, R)
    local words = not r.pattern and r.match and L.word_set(r.match)
    local expr = not r.pattern and r.match and L.expr_of(r.match)
    if r.pattern then
      emit("  v = match(" .. const(r.pattern, r.id, ".pattern") .. ", text)")
      emit("  if v ~= nil then")
      depth = depth + 1
      if r.split then
        emit("  if type(v) == 'table' then c = v elseif type(v) == 'number' then c = { pos = v } else c = EMPTY end")
      elseif short and not r.match then
        emit("  " .. call("v"))
      else
        emit("  if type(v) == 'table' then c = v else c = EMPTY end")
      end
      if short and not r.match then
        -- applied above
      elseif r.match then
        emit("  v = " .. const(r.match, r.id, ".match") .. "(line, ctx, c)")
        emit("  if v then if v ~= true and type(v) == 'table' then c = v end " .. done .. " end")
      else
        emit("  " .. done)
      end
    elseif words then
      -- L.words: the line is one of the strings (what calling it would answer)
      local W = const(words, r.id, ".match words")
      if short then emit("  if " .. W .. "[text] then " .. call("EMPTY") .. " end")
      else emit("  if " .. W .. "[text] then c = EMPTY " .. done .. " end") end
    elseif expr then
      -- L.expr: its expression, true or not as calling it would answer (a
      -- true answer that is not a table gives EMPTY caps)
      emit("  v = " .. expr)
      if short then emit("  if v then " .. call("v") .. " end")
      else emit("  if v then if v ~= true and type(v) == 'table' then c = v else c = EMPTY end " .. done .. " end") end
    elseif r.match then
      emit("  v = " .. const(r.match, r.id, ".match") .. "(line, ctx, EMPTY)")
      if short then emit("  if v then " .. call("v") .. " end")
      else emit("  if v then if v ~= true and type(v) == 'table' then c = v else c = EMPTY end " .. done .. " end") end
    else
      emit("  " .. (short and call("EMPTY") or "c = EMPTY " .. done))
    end
    for _ = 1, depth do emit("  end") end
    if open == k then emit("  end"); open = false end
  end
  emit("end")
  local nlocal = math.min(#consts, LOCALS)
  local decl = { "local K, match, find, type, EMPTY, H, traced" }
  if labelled then
    for i = 1, nlocal do
      decl[#decl + 1] = i == 1 and ",\n  K1" or format(",   -- %s\n  K%d", labels[i - 1], i)
    end
  else
    decl[2] = kdecls[nlocal]
  end
  decl[#decl + 1] = labelled and nlocal > 0 and format(" = ...   -- %s\n", labels[nlocal]) or " = ...\n"
  return concat(decl) .. concat(out, "\n"), consts, nlocal
end

------------------------------------------------------------------------------
-- Dispatch compiled ahead
------------------------------------------------------------------------------

-- Compiling the generated text is a good part of a short run, and with the
-- shipped rules the texts are always the same few hundred: `make` writes each
-- one with its compiled chunk (tools/dispatch.lua) to AHEAD.dir (the build/luac
-- of the checkout this file is in): dispatch.bin holds text then chunk, one
-- after another, and dispatch.luac the index, hash64 of a text -> { offset,
-- text length, chunk length }. A chunk is taken only for the very text it was
-- compiled from (compared in full): other rules, an edited rule file or a stale
-- build find no text of theirs and are compiled here, as before.
local hash64 = require("gisa.hash").hash64
M.ahead = {
  dir = (debug.getinfo(1, "S").source:match("^@(.*)/lua/gisa/engine/compile%.lua$") or "?") .. "/build/luac",
  index = nil,   -- the index, loaded on first use (false: there is none)
}
local ahead = M.ahead

--- The chunk compiled ahead from the text SRC, or nil.
function M.compiled_ahead(src)
  local index = ahead.index
  if index == nil then
    index = false
    local f = loadfile(ahead.dir .. "/dispatch.luac", "b")
    local ok, v = false, nil
    if f then ok, v = pcall(f) end
    if ok and type(v) == "table" then index = v end
    ahead.index = index
  end
  local at = index and index[hash64(src)]
  if not at then return nil end
  local file = io.open(ahead.dir .. "/dispatch.bin", "rb")
  if not file then return nil end
  local text, chunk
  if file:seek("set", at[1]) == at[1] then
    text = file:read(at[2])
    chunk = text == src and file:read(at[3])
  end
  file:close()
  return chunk and #chunk == at[3] and load(chunk, "=(rules dispatch)", "b") or nil
end

--- The dispatch function of a rule list (see M.source).
function M.list(list, masked)
  local src, consts, nlocal = M.source(list, masked)
  local chunk = M.compiled_ahead(src) or assert(load(src, "=(rules dispatch)", "t"))
  return chunk(consts, match, find, type, EMPTY, H, traced, table.unpack(consts, 1, nlocal))
end

------------------------------------------------------------------------------
-- Buckets and the cache of dispatch functions
------------------------------------------------------------------------------

--- The bucket of a line length: 1 + the number of cuts below it (memoised).
function M.bucket(set, len)
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

--- The rules of SET that can match a line in ZONE, of bucket B, whose first
--- character is FC ("" for one no rule names), in order (cached).
function M.rules_for(set, zone, b, fc)
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

--- Is every line of bucket B of SET given a needle mask by the splitter?
function M.masked(set, b)
  local hi = set.cuts[b] or math.huge
  return hi <= set.mask_max
end

--- The classifier of a zone, a bucket and a first character (built on first use).
--- Many of these share their rule list with another (of the same set or of
--- another site's): a function is known by its rules (the tables themselves,
--- each numbered once) and whether the bucket is masked, so each is generated
--- and compiled once per registry (a third fewer on our corpus).
function M.classifier(set, zone, b, fc)
  local byb = cache_slot(set.cls, zone, b)
  local cls = byb[fc]
  if cls then return cls end
  local list, masked = M.rules_for(set, zone, b, fc), M.masked(set, b)
  local d = set.dispatch
  local serial, key = d.serial, { masked and "m" or "-" }
  for i, r in ipairs(list) do
    local k = serial[r]
    if not k then d.n = d.n + 1; k = d.n; serial[r] = k end
    key[i + 1] = k
  end
  key = concat(key, ",")
  cls = d.fns[key]
  if not cls then
    cls = M.list(list, masked)
    d.fns[key] = cls
  end
  byb[fc] = cls
  return cls
end

return M
