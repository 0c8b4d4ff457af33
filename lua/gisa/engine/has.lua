-- gisa.engine.has: the `has` test of a rule, in one place. A rule's `has` is a
-- list of words (the line holds one of them) or a list of such lists (one of
-- each). Every rule's words, and the words the byline test looks for, make one
-- needle set: the C splitter (gisa.lines.split) gives each line a mask of the
-- needles it holds, so a `has` list becomes one AND. A word past the 64 needles
-- a set holds is found with string.find. This file reads a rule's `has`,
-- builds the needle set, tests a line the interpreted way and writes the same
-- test as code for the generated dispatch.

local glines = require "gisa.lines"
local bylines = require "gisa.rules.bylines"

local find, format, concat = string.find, string.format, table.concat

local M = {}

--- A rule's `has` as a list of groups (each a list of words): WORDS(key, v)
--- checks one list and returns it.
function M.groups(has, words)
  if type(has) == "table" and type(has[1]) == "table" then
    local groups = {}
    for i, g in ipairs(has) do groups[i] = words("has", g) end
    return groups
  end
  return { words("has", has) }
end

-- A set of at most 64 needles (plain strings under 64 bytes), each with its
-- bit: need(x) adds x once; list holds them in order, bit maps x to its bit.
function M.needle_set()
  local list, bit = {}, {}
  local function need(x)
    if type(x) == "string" and x ~= "" and #x < 64 and not bit[x] and #list < 64 then
      list[#list + 1] = x
      bit[x] = 1 << (#list - 1)
    end
  end
  return list, bit, need
end

--- The mask of the needles in LIST (a rule's `has`), or nil when one is not in
--- the registry's set.
function M.mask(reg, list)
  local m = 0
  for _, x in ipairs(list) do
    local b = reg.needle_bit[x]
    if not b then return nil end
    m = m | b
  end
  return m
end

--- Index the registry's needles: every rule's `has` words, then the byline
--- test's words (bylines.default.needles and each layer's byline_roles: the
--- byline rule's quick test, Parser:maybe, reads line.mask). Sets reg.needles
--- (for gisa.lines.split), reg.needle_bit, each rule's has_masks and
--- reg.mask_max (lines longer than every rule with `has` get no mask).
function M.index(reg, layers)
  local list, bit, need = M.needle_set()
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
  -- the byline test reads lines of up to 100 characters
  local maxlen = 100
  for _, layer in ipairs(layers) do
    for _, r in ipairs(layer.rules or {}) do
      if r.has_groups then
        r.has_masks = {}
        for i, g in ipairs(r.has_groups) do r.has_masks[i] = M.mask(reg, g) or false end
        -- a rule without `max` that reads only lines opening with its `first`
        -- characters sees few long lines: on those its `has` is a plain find,
        -- instead of a needle scan of every long line of every article
        if r.max or not r.first_chars then maxlen = math.max(maxlen, r.max or math.maxinteger) end
      end
    end
  end
  reg.mask_max = maxlen
end

--- Does LINE pass RULE's `has` (the interpreted test, the specification)?
function M.test(rule, line)
  local groups = rule.has_groups
  local lm = line.mask
  for g = 1, #groups do
    local hm = rule.has_masks[g]
    if hm and lm then
      if lm & hm == 0 then return false end
    else
      local has, t, hit = groups[g], line.text, false
      for i = 1, #has do
        if find(t, has[i], 1, true) then hit = true; break end
      end
      if not hit then return false end
    end
  end
  return true
end

--- A rule's gate in generated code: the mask of its first `has` list, when
--- every line of the list being compiled has a mask (MASKED), else nil.
function M.gate(rule, masked)
  local hm = rule.has_masks and rule.has_masks[1]
  return masked and hm or nil
end

--- The generated code of RULE's `has` test: one condition per group, added to
--- CONDS (Lua expressions over `mask` and `text`).
function M.code(rule, masked, conds)
  for g, has in ipairs(rule.has_groups or {}) do
    local hm = rule.has_masks[g]
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
end

return M
