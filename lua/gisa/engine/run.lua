-- gisa.engine.run: one article through the rules. The text is split into
-- numbered lines (gisa.lines.split, in C), the site is detected, and each
-- non-blank line gets its role from the first rule that matches it, in the
-- current zone (head, body, tail); the role's handler puts it into the record.
-- Two ways to find a line's rule: the generated dispatch (compile.lua, the
-- fast path) and `try`, one rule at a time (the specification, used when
-- profiling and by the equivalence test).

local lpeg = require "lpeg"
local record = require "gisa.engine.record"
local L = require "gisa.rules.lib"
local glines = require "gisa.lines"
local schema = require "gisa.engine.schema"
local has = require "gisa.engine.has"
local compile = require "gisa.engine.compile"
local detect = require "gisa.engine.detect"
local handlers = require "gisa.engine.handlers"
local post = require "gisa.engine.post"

local find, sub, format = string.find, string.sub, string.format
local ulen, trim, match = utf8.len, L.trim, lpeg.match
local clock = os.clock
local H, traced, EMPTY = handlers.H, handlers.traced, compile.EMPTY
local bucket, rules_for, classifier = compile.bucket, compile.rules_for, compile.classifier
local has_test = has.test

local M = {}

--- Settings: `profile` set to a table collects, per rule id,
--- {time=, tries=, hits=} and tries the rules one at a time (bench/).
M.options = { profile = nil }
local options = M.options

--- Try one rule on a line, the interpreted way; returns caps (a table) or nil.
local function try(rule, line, ctx)
  if rule.once and ctx.used[rule.id] then return nil end
  if rule.has_groups and not has_test(rule, line) then return nil end
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
M.try = try

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
  local len = ulen(text) or #text
  return { n = line.n, raw = line.raw, text = text, len = len, part = true, fc = match(first_char, text),
    mask = ctx.needles and len <= ctx.set.mask_max and ctx.needles:mask(text) or nil, cut = line.cut }
end

-- The rule for LINE the slow way, one rule at a time, timing each (profile).
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
  local prof = options.profile
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
      schema.rule_error(rule, "a split rule must give the position where the rest starts (caps.pos > 1)")
    end
    local head, rest = trim(sub(line.text, 1, pos - 1)), trim(sub(line.text, pos))
    apply(rec, rule, part_line(line, head, ctx), caps, ctx)
    used_split = used_split or {}
    used_split[rule.id] = true
    if rest == "" then return end
    line, rule, caps = part_line(line, rest, ctx), nil, nil
  end
end

-- Hints (info.hints[n] = {role=, rule=, path=, caps=, reason=}): the reader of a
-- page knows what some lines are from their markup (a figcaption is a caption,
-- a navigation link is removed); such a line skips the dispatch and goes to its
-- role's handler. Costs nothing when there are no hints.
local function hinted(rec, line, h, ctx)
  local role = h.role
  local handler = H[role]
  if not handler then error(format("line %d: hint with unknown role '%s'", line.n, tostring(role)), 0) end
  -- one rule table per hint rule, role and reason in an article, found by
  -- those three in turn (no key string made a line)
  local cache = ctx.hint_rules
  if not cache then cache = {}; ctx.hint_rules = cache end
  local id, reason = h.rule or "hint", h.reason or ""
  local by_id = cache[id]
  if not by_id then by_id = {}; cache[id] = by_id end
  local by_role = by_id[role]
  if not by_role then by_role = {}; by_id[role] = by_role end
  local rule = by_role[reason]
  if not rule then
    rule = { id = id, role = role, reason = h.reason or h.rule }
    by_role[reason] = rule
  end
  if line.len == 0 then return end
  ctx.rule = rule
  handler(rec, line, h.caps or EMPTY, ctx, rule)
  if h.role ~= "removed" then ctx.prev, ctx.prev_rule = h.role, rule.id end
  if ctx.trace then
    traced(ctx, rule, line)
    ctx.trace[#ctx.trace].path = h.path
  end
end

local function run(rec, lines, text, set, ctx)
  local firsts, cls, bucket_of, used = set.firsts, set.cls, set.bucket_of, ctx.used
  local fast = not options.profile
  local hints = ctx.hints
  for i = 1, #lines do
    local line = lines[i]
    ctx.i = i
    local len = line.len
    if hints and hints[line.n] then
      hinted(rec, line, hints[line.n], ctx)
    elseif len == 0 then
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
  post.run(set, rec, ctx)
end

local lsplit = glines.split
local recover = require("gisa.engine.paragraphs").recover

--- Extract one article with the registry REG. info: {file=, encoding=,
--- trace=bool}. With trace, the second result lists every line part:
--- {n, role, rule, text}.
function M.extract(reg, text, info)
  local rec = record.new(info.file or "-", info.encoding or "utf-8")
  -- (split tells a NUL byte: no search of the text of its own)
  local lines, longest, nul = lsplit(text, reg.needles, reg.mask_max)
  if nul then
    error("binary file (NUL bytes), skipped", 0)
  end
  -- a newline-collapsed crawler body: its long line cut into paragraphs (gisa.paragraphs)
  lines = recover(lines, text, reg.needles, reg.mask_max, longest)
  local site
  if info.site then      -- the reader knows the site (a page's host or markup)
    for _, s in ipairs(reg.sites) do if s.id == info.site then site = s; break end end
  end
  if not site then site = detect.detect(text, lines, reg) end
  local set = compile.set_for(reg, site)
  if site then rec.site, rec.publisher = site.id, site.publisher end
  -- a page that has no headline (its reader says): the rules take no line for one
  if info.no_title then rec.title = "" end
  -- trace is false, not nil, when off: the test of it on every line then
  -- finds the key instead of missing it. The nil fields make room for what
  -- the run sets later (the table is then not grown and rehashed an article).
  local ctx = {
    rec = rec, lines = lines, text = text, set = set, site = site and site.id,
    publisher = site and site.publisher, zone = "head", blank = false, used = {},
    subtitle_set = {}, email_set = {}, trace = info.trace and {} or false, needles = reg.needles,
    needle_bit = reg.needle_bit, at_bit = reg.needle_bit and reg.needle_bit["@"] or false,
    hints = info.hints,
    next = nil, first = nil, i = nil, rule = nil, prev = nil, prev_rule = nil, speaker = nil,
    last_caption = nil, last_para_like = nil,
  }
  ctx.next = next_lines(ctx)
  for i = 1, #lines do if lines[i].len > 0 then ctx.first = i; break end end
  local ok, err = pcall(run, rec, lines, text, set, ctx)
  if not ok then
    local r = ctx.rule
    if r and r.id and not tostring(err):find("^rule '") then
      err = format("rule '%s' (%s): %s", r.id, schema.where(r), tostring(err))
    end
    error(err, 0)
  end
  return rec, ctx.trace or nil
end

return M
