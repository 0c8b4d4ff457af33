-- bench/dups_recall.lua: how often the band search of gisa dups finds a pair near
-- its threshold. Texts of 600 characters from a generated corpus, each with a
-- copy edited in 3 to 24 places; for each band of true Jaccard (5-character
-- shingles, computed here) the share of pairs whose MinHash estimate reaches the
-- threshold, and the share found (sharing a band and reaching it).
--   gisa bench/dups_recall.lua [THRESHOLD=0.8] [K=64] [DIR=bench/data/gen-20000/d000]
-- (bench/gen.lua makes DIR.)
local minhash = require "gisa.minhash"
local gisa = require "gisa"
local k, w = tonumber(arg[2] or 64), 5
local t = tonumber(arg[1] or 0.8)
local function bands_for(nslots, threshold)
  local best, bestd
  for r = 1, nslots do
    if nslots % r == 0 then
      local b = nslots // r
      local d = threshold - (1 / b) ^ (1 / r)
      if d >= -0.02 and (not bestd or d < bestd) then best, bestd = r, d end
    end
  end
  return nslots // (best or 1), best or 1
end
local b, r = bands_for(k, t)
local bases = {}
for a in gisa.articles({ arg[3] or "bench/data/gen-20000/d000" }, { jobs = 1, quiet = true }) do
  local s = minhash.squeeze(table.concat(a.body, "\n"))
  if utf8.len(s) > 600 then bases[#bases + 1] = s:sub(1, utf8.offset(s, 601) - 1) end
  if #bases >= 400 then break end
end
local function shingles(s)
  local set, cs = {}, {}
  for _, c in utf8.codes(s) do cs[#cs + 1] = utf8.char(c) end
  for i = 1, #cs - w + 1 do set[table.concat(cs, "", i, i + w - 1)] = true end
  return set
end
local function jaccard(x, y)
  local both, nx, ny = 0, 0, 0
  for g in pairs(x) do nx = nx + 1; if y[g] then both = both + 1 end end
  for _ in pairs(y) do ny = ny + 1 end
  return both / (nx + ny - both)
end
local seed = 1
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local stats = {}
for trial = 1, 6 do
  for _, base in ipairs(bases) do
    local cs = {}
    for _, c in utf8.codes(base) do cs[#cs + 1] = utf8.char(c) end
    local edits = rnd(12) + trial * 2
    for _ = 1, edits do cs[rnd(#cs)] = "X" end
    local copy = table.concat(cs)
    local J = jaccard(shingles(base), shingles(copy))
    local set = minhash.set(k)
    set:add(minhash.signature(base, k, w)); set:add(minhash.signature(copy, k, w))
    local est = set:similarity(1, 2)
    local found = #set:candidates(b, r, t) > 0
    local bin = math.floor(J * 20) / 20
    local s = stats[bin] or { n = 0, est = 0, found = 0 }
    stats[bin] = s
    s.n = s.n + 1
    if est >= t then s.est = s.est + 1 end
    if found then s.found = s.found + 1 end
  end
end
print(string.format("k=%d t=%.2f: %d bands of %d", k, t, b, r))
local keys = {}
for bin in pairs(stats) do keys[#keys + 1] = bin end
table.sort(keys)
for _, bin in ipairs(keys) do
  local s = stats[bin]
  local J = bin + 0.025
  local p = 1 - (1 - J ^ r) ^ b
  print(string.format("J %.2f-%.2f  pairs %4d  estimate>=t %5.1f%%  found %5.1f%%  (1-(1-J^r)^b at mid %.2f)", bin, bin + 0.05, s.n, 100 * s.est / s.n, 100 * s.found / s.n, p))
end
