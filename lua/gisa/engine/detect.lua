-- gisa.engine.detect: which site an article comes from, read from the text
-- itself. A site's `detect` is a list of signs (plain strings, {text=,
-- weight=}, {find=LUA PATTERN}, {pattern=LPEG/re}, functions) or one
-- function(text, lines); the site whose signs score highest, at least its
-- threshold, wins. Every site's plain signs make one needle set, so the text
-- is scanned once, not once per sign.

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"
local glines = require "gisa.lines"
local has = require "gisa.engine.has"

local find, sub, format, match = string.find, string.sub, string.format, lpeg.match

local M = {}

--- How much of a long text detection reads: its start and its end (a site's
--- signs — tags, bylines, date lines, copyright — are there, not mid-article).
M.window = 2500

--- Check a site file's `detect` and compile its LPeg signs; FILE names it in errors.
function M.prepare(site, file)
  if type(site.detect) ~= "table" and type(site.detect) ~= "function" then
    error(file .. ": detect must be a list or a function(text, lines)", 0)
  end
  if type(site.detect) == "table" then
    for i, d in ipairs(site.detect) do
      if type(d) == "table" and d.pattern then
        local ok, p = pcall(L.find, d.pattern)
        if not ok then error(format("%s: detect[%d]: bad pattern: %s", file, i, tostring(p)), 0) end
        d.compiled = p
      end
    end
  end
end

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

-- Does TEXT hold the plain string X? With `hit` (the mask of the registry's
-- detect needles in TEXT) and X among them, one AND.
local function holds(text, x, hit, bits)
  local b = hit and bits[x]
  if b then return hit & b ~= 0 end
  return find(text, x, 1, true) ~= nil
end

--- All sites' plain signs (and the literal starts of their patterns) as one
--- needle set; each site's signs as bits and weights (reg.detect_needles, …).
function M.index(reg)
  local list, bit, need = has.needle_set()
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
      -- when every other sign is a Lua pattern whose literal start is a
      -- needle, a text holding none of those starts is scored by its plain
      -- signs alone (M.detect): the bits of those starts, else false
      local gate = 0
      for i, x in ipairs(site.detect) do
        if not bits[i] then
          local lit = type(x) == "table" and x.find and literal_of(x)
          if lit and lit ~= "" and bit[lit] then gate = gate | bit[lit] else gate = false; break end
        end
      end
      local all = 0
      for i = 1, #bits do all = all | (bits[i] or 0) end
      site.detect_gate, site.detect_memo, site.detect_all = gate, {}, all
    end
  end
end

--- SITE's score on TEXT (LINES: the split lines; HIT: the detect needle mask).
function M.score(site, text, lines, hit, bits)
  local d = site.detect
  if type(d) == "function" then
    local v = d(text, lines)
    return tonumber(v) or (v and 1 or 0)
  end
  local s = 0
  local dbits, dweights = site.detect_bits, site.detect_weights
  for i = 1, #d do
    local x = d[i]
    local b = hit and dbits and dbits[i]
    if b then
      if hit & b ~= 0 then s = s + dweights[i] end
    elseif type(x) == "string" then
      if holds(text, x, hit, bits) then s = s + 1 end
    elseif type(x) == "function" then
      local v = x(text, lines)
      if v then s = s + (tonumber(v) or 1) end
    elseif x.text then
      if holds(text, x.text, hit, bits) then s = s + (x.weight or 1) end
    elseif x.find then
      local lit = literal_of(x)
      if lit and lit ~= "" and not holds(text, lit, hit, bits) then
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

-- M.score of a site whose signs that are not plain strings cannot match
-- (detect_gate): the weights of its plain signs in HIT, added in M.score's
-- order, kept per set of its signs found.
local function plain_score(site, hit)
  local memo = site.detect_memo
  local s = memo[hit]
  if s then return s end
  s = 0
  local dbits, dweights = site.detect_bits, site.detect_weights
  for i = 1, #site.detect do
    local b = dbits[i]
    if b and hit & b ~= 0 then s = s + dweights[i] end
  end
  memo[hit] = s
  return s
end

--- The site of REG whose `detect` scores highest on TEXT (at least its
--- threshold), or nil; and its score.
function M.detect(text, lines, reg)
  local w = M.window
  local needles, hit, window = reg.detect_needles, nil, nil
  if w and #text > 2 * w then
    -- the needles of the window are found without making it; it is made
    -- when a sign must read it
    if needles and math.type(w) == "integer" and w > 0 then hit = needles:mask(text, w)
    else window = sub(text, 1, w) .. "\n" .. sub(text, -w) end
  else
    window = text
  end
  if needles and not hit then hit = needles:mask(window) end
  local best, bs = nil, 0
  local sites = reg.sites
  for i = 1, #sites do
    local site = sites[i]
    local gate, s = hit and site.detect_gate
    if gate and hit & gate == 0 then
      local h = hit & site.detect_all
      s = site.detect_memo[h] or plain_score(site, h)
    else
      window = window or sub(text, 1, w) .. "\n" .. sub(text, -w)
      s = M.score(site, window, lines, hit, reg.detect_bit)
    end
    if s >= site.threshold and s > bs then best, bs = site, s end
  end
  return best, bs
end

return M
