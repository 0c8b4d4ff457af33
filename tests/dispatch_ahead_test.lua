-- The rule dispatch compiled ahead (gisa.engine.compile, "Dispatch compiled
-- ahead"; made by `make` with tools/dispatch.lua): a compiled chunk is taken
-- only for the very text it was compiled from, and the build's index holds
-- every text the shipped rules generate.
local t = require "t"
local engine = require "gisa.engine"
local compile = require "gisa.engine.compile"
local schema = require "gisa.engine.schema"
local hash64 = require("gisa.hash").hash64

local ahead = compile.ahead

-- Run FN with the dispatch compiled ahead read from DIR, then as before.
local function with_dir(dir, fn)
  local saved_dir, saved_index = ahead.dir, ahead.index
  ahead.dir, ahead.index = dir, nil
  local ok, err = pcall(fn)
  ahead.dir, ahead.index = saved_dir, saved_index
  if not ok then error(err, 0) end
end

-- A build of our own in DIR: for each {text, chunk text}, the TEXT indexed with
-- the compiled chunk of CHUNK_SRC; STORED replaces the text written (a stale entry).
local function build(dir, entries)
  local bin, index, at = {}, {}, 0
  for _, e in ipairs(entries) do
    local stored = e.stored or e.text
    local chunk = string.dump(assert(load(e.chunk, "=(rules dispatch)")))
    if e.cut then chunk = chunk:sub(1, e.cut) end
    bin[#bin + 1] = stored .. chunk
    index[#index + 1] = string.format("[%d] = { %d, %d, %d },", hash64(e.text), at, #stored, e.len or #chunk)
    at = at + #stored + #chunk
  end
  t.write(dir .. "/dispatch.bin", table.concat(bin))
  t.write(dir .. "/dispatch.luac", string.dump(load("return {" .. table.concat(index) .. "}")))
end

-- A rule list of the generic set, its dispatch text and whether it is masked.
local function some_list()
  local set = engine.registry().generic
  local b = #set.cuts + 1
  local list, masked = compile.rules_for(set, "body", b, ""), compile.masked(set, b)
  return list, compile.source(list, masked), masked
end

local SENTINEL = 'return function() return "ahead" end'

t.test("a chunk compiled ahead is used for the text it was compiled from", function()
  local dir = t.tmpdir() .. "/ahead1"
  os.execute("mkdir -p " .. t.shquote(dir))
  local list, src, masked = some_list()
  build(dir, { { text = src, chunk = SENTINEL } })
  with_dir(dir, function()
    t.eq(compile.list(list, masked)(), "ahead")
  end)
end)

t.test("a stale, cut or missing entry is not used: the text is compiled as before", function()
  local dir = t.tmpdir() .. "/ahead2"
  os.execute("mkdir -p " .. t.shquote(dir))
  local list, src, masked = some_list()
  local function compiled_here()
    t.eq(type(compile.list(list, masked)), "function")
    t.eq(compile.compiled_ahead(src), nil)
  end
  -- the stored text differs in its last byte (its hash is the real text's)
  build(dir, { { text = src, stored = src:sub(1, -2) .. "x", chunk = SENTINEL } })
  with_dir(dir, compiled_here)
  -- the chunk is cut short
  build(dir, { { text = src, chunk = SENTINEL, cut = 10 } })
  with_dir(dir, compiled_here)
  -- the index says the chunk is longer than the file holds
  build(dir, { { text = src, chunk = SENTINEL, len = 100000 } })
  with_dir(dir, compiled_here)
  -- no index at all
  with_dir(t.tmpdir() .. "/no-such-dir", compiled_here)
end)

t.test("the build's index holds every dispatch text of the shipped rules", function()
  if not io.open(ahead.dir .. "/dispatch.luac") then t.skip("no build/luac/dispatch.luac (make makes it)") end
  if os.getenv("GISA_PATH") then t.skip("GISA_PATH adds rules the build did not see") end
  local reg = engine.registry()
  local sets = { reg.generic }
  for _, site in ipairs(reg.sites) do sets[#sets + 1] = compile.set_for(reg, site) end
  local n = 0
  for _, set in ipairs(sets) do
    local fcs = { "" }
    for c in pairs(set.firsts) do fcs[#fcs + 1] = c end
    for zone in pairs(schema.zones) do
      for b = 1, #set.cuts + 1 do
        for _, fc in ipairs(fcs) do
          local src = compile.source(compile.rules_for(set, zone, b, fc), compile.masked(set, b))
          t.ok(compile.compiled_ahead(src), "compiled ahead: " .. zone .. " " .. b .. " " .. fc)
          n = n + 1
        end
      end
    end
  end
  t.ok(n > 100, "texts checked: " .. n)
end)
