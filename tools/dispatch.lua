-- Build step: the generated rule dispatch of the shipped rules, compiled ahead
-- for gisa.engine.compile (see "Dispatch compiled ahead" there).
--
--   ./gisa tools/dispatch.lua OUTDIR
--
-- Every text the rules of the search path in use can generate (each site's
-- set and the generic one; each zone, length bucket and first character) is
-- compiled and written with its chunk to OUTDIR/dispatch.bin, and the index
-- (hash64 of a text -> offset, text length, chunk length) to OUTDIR/dispatch.luac.
local engine = require "gisa.engine"
local compile = require "gisa.engine.compile"
local schema = require "gisa.engine.schema"
local hash64 = require("gisa.hash").hash64

local outdir = arg[1]
if not outdir then
  io.stderr:write("usage: gisa tools/dispatch.lua OUTDIR\n")
  os.exit(2)
end

local reg = engine.registry()
local sets = { reg.generic }
for _, site in ipairs(reg.sites) do sets[#sets + 1] = compile.set_for(reg, site) end
local zones = {}
for z in pairs(schema.zones) do zones[#zones + 1] = z end
table.sort(zones)

local texts, seen = {}, {}
for _, set in ipairs(sets) do
  local fcs = { "" }
  for c in pairs(set.firsts) do fcs[#fcs + 1] = c end
  table.sort(fcs)
  for _, zone in ipairs(zones) do
    for b = 1, #set.cuts + 1 do
      for _, fc in ipairs(fcs) do
        local src = compile.source(compile.rules_for(set, zone, b, fc), compile.masked(set, b))
        if not seen[src] then seen[src] = true; texts[#texts + 1] = src end
      end
    end
  end
end

local index, at, hashes = {}, 0, {}
local bin = assert(io.open(outdir .. "/dispatch.bin.tmp", "wb"))
for _, src in ipairs(texts) do
  local h = hash64(src)
  if hashes[h] then
    hashes[h] = false       -- two texts, one hash: neither is kept (both compile at run time)
  elseif hashes[h] == nil then
    local chunk = string.dump(assert(load(src, "=(rules dispatch)", "t")))
    assert(bin:write(src, chunk))
    hashes[h] = string.format("[%d] = { %d, %d, %d },", h, at, #src, #chunk)
    at = at + #src + #chunk
  end
end
assert(bin:close())
for _, line in pairs(hashes) do if line then index[#index + 1] = line end end
table.sort(index)
local idx = string.dump(assert(load("return {\n" .. table.concat(index, "\n") .. "\n}", "=(dispatch index)", "t")))
local f = assert(io.open(outdir .. "/dispatch.luac.tmp", "wb"))
assert(f:write(idx))
assert(f:close())
assert(os.rename(outdir .. "/dispatch.bin.tmp", outdir .. "/dispatch.bin"))
assert(os.rename(outdir .. "/dispatch.luac.tmp", outdir .. "/dispatch.luac"))
io.stderr:write(string.format("dispatch: %d texts, %d bytes -> %s\n", #index, at, outdir))
