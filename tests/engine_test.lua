-- The rule engine's own house (lua/gisa/engine/): the generated dispatch
-- against the interpreted path (the specification) beyond corpus/, the search
-- path passed down rather than reached for, the phase files' layering, and no
-- test oracle left in the library's API.
local t = require "t"
local extract = require "gisa.engine"
local json, record = require "gisa.output.json", require "gisa.engine.record"
local sys = require "gisa.sys"

-- Each file of FILES extracted by the generated dispatch and by trying the
-- rules one at a time (extract.profile): the same JSON; returns the count.
local function equivalent(files)
  local corpus = require "gisa.pipeline.corpus"
  local n = 0
  for _, f in ipairs(files) do
    local text = corpus.read(f)
    if text and text ~= "" and not text:find("\0", 1, true) then
      local fast = json.encode(extract.extract(text, { file = f }), record.fields)
      extract.profile = {}
      local ok, slow = pcall(extract.extract, text, { file = f })
      extract.profile = nil
      t.ok(ok, slow)
      t.eq(fast, json.encode(slow, record.fields), f)
      n = n + 1
    end
  end
  return n
end

t.test("the generated dispatch gives what the interpreted path gives on ../shared/corpus", function()
  local dir = t.need_shared()
  local files = {}
  for _, name in ipairs(sys.listdir(dir) or {}) do
    if name:find("%.txt$") then files[#files + 1] = dir .. "/" .. name end
  end
  t.ok(equivalent(files) >= 5, "shared articles")
end)

t.slow("the generated dispatch gives what the interpreted path gives on 1,000 generated articles", function()
  local dir = t.tmpdir() .. "/gen-1000"
  if sys.stat(dir .. "/d000") ~= "dir" then
    local r = t.gisa({ t.root .. "/bench/gen.lua", "1000", dir })
    t.eq(r.code, 0, "bench/gen.lua: " .. r.err)
  end
  local files = {}
  for _, name in ipairs(sys.listdir(dir .. "/d000")) do files[#files + 1] = dir .. "/d000/" .. name end
  t.eq(equivalent(files), 1000)
end)

t.test("L.expr: a match function that the dispatch writes in line", function()
  local L = require "gisa.rules.lib"
  local compile = require "gisa.engine.compile"
  local f = L.expr("text == ctx.x")
  t.eq(f({ text = "a" }, { x = "a" }), true)
  t.eq(f({ text = "a" }, { x = "b" }), false)
  t.eq(L.expr_of(f), "text == ctx.x")
  t.eq(L.expr_of(function() end), nil)
  local src = compile.source({ { id = "r", role = "removed", match = f }, { id = "p", role = "para" } }, false)
  t.ok(src:find("v = text == ctx.x", 1, true), src)
  local w = L.when("mask == 3 and ctx.y")
  t.eq(w({ y = 1 }, { text = "", mask = 3 }), 1)
  t.eq(w({ y = 1 }, { text = "", mask = 2 }), false)
  src = compile.source({ { id = "w", role = "removed", when = w }, { id = "p", role = "para" } }, false)
  t.ok(src:find("if (mask == 3 and ctx.y) then", 1, true), src)
end)

t.test("the registry comes from the search path it is given", function()
  local paths = require "gisa.pipeline.paths"
  local fixture = t.root .. "/tests/fixtures/rules"
  local sp = paths.new({ root = t.root }, { fixture })
  local reg = extract.registry(sp)
  local ids = {}
  for _, s in ipairs(reg.sites) do ids[#ids + 1] = s.id end
  t.ok(table.concat(ids, ","):find("gana", 1, true), "the -I directory's site: " .. table.concat(ids, ","))
  local text = t.read(fixture .. "/tests/gana.txt")
  t.eq(extract.extract(text, { file = "gana.txt", paths = sp }).site, "gana")
  -- the search path in use is untouched: without `paths`, no gana
  extract.reset()
  t.eq(extract.extract(text, { file = "gana.txt" }).site, nil)
end)

t.test("the engine's files and the writer do not reach up into the gisa table", function()
  local files = { t.root .. "/lua/gisa/output/writer.lua", t.root .. "/lua/gisa/engine/init.lua" }
  for _, name in ipairs(sys.listdir(t.root .. "/lua/gisa/engine")) do
    files[#files + 1] = t.root .. "/lua/gisa/engine/" .. name
  end
  t.ok(#files >= 10, "engine files")
  for _, f in ipairs(files) do
    local src = t.read(f)
    -- the writer gives formats the gisa table as their environment, nothing more
    local uses = 0
    for _ in src:gmatch('require%s*%(?%s*"gisa"%s*%)?') do uses = uses + 1 end
    t.ok(uses <= (f:find("writer%.lua$") and 1 or 0), f .. " requires gisa")
    for _, p in ipairs({ "gisa%.paths%s*:", "gisa%.paths%s+and", "rawget%(gisa,%s*\"paths\"%)" }) do
      t.ok(not src:find(p), f .. " reads the gisa table's paths (" .. p .. ")")
    end
  end
end)

t.test("a site's detect function is called once per article", function()
  local d = t.tmpdir() .. "/detect-once"
  os.execute("mkdir -p " .. t.shquote(d .. "/rules/sites"))
  t.write(d .. "/rules/sites/counted.lua", [[
local n = 0
return { id = "counted", detect = function(text) n = n + 1; io.stderr:write("detect ", n, "\n"); return false end }
]])
  local f = t.write(t.tmpdir() .. "/detect-once.txt", "제목입니다\n\n본문입니다.\n")
  local r = t.gisa({ "extract", "-I", d, f })
  t.eq(r.code, 0, r.err)
  t.eq(r.err, "detect 1\n")
end)

t.test("test oracles are not part of the library", function()
  t.eq(json.quote_lua, nil)
  t.eq(json.pretty_lua, nil)
  t.eq(require("gisa.text")._utf8proc, nil)
  t.eq(extract.split_lines, nil)
  -- they live in tests/lib
  local oracle = require "oracle"
  t.eq(oracle.quote_lua("a\"b"), json.quote("a\"b"))
  t.eq(oracle.utf8proc("e\204\129"), "\195\169")
end)

t.test("gisa.hangul presents strip_josa from gisa.josa; the C module has none", function()
  t.eq(require("gisa.hangul").strip_josa, require("gisa.analysis.josa").strip_josa)
  t.eq({ require("gisa.hangul").strip_josa("정부가") }, { "정부", "가" })
end)

t.test("dispatch functions: one per list of rules and masking, shared by a registry's sets", function()
  local corpus = require "gisa.pipeline.corpus"
  local compile = require "gisa.engine.compile"
  for _, f in ipairs(corpus.expand({ t.root .. "/corpus" })) do
    local text = corpus.read(f.path)
    if text and text ~= "" then extract.extract(text, { file = f.path }) end
  end
  local reg = extract.registry()
  local sets = { reg.generic }
  for _, s in pairs(reg.sets) do sets[#sets + 1] = s end
  local fn_of, key_of, slots, fns = {}, {}, 0, 0
  for _, set in ipairs(sets) do
    t.eq(set.dispatch, reg.dispatch, "the registry's cache")
    for zone, byz in pairs(set.cls) do
      for b, byb in pairs(byz) do
        for fc, f in pairs(byb) do
          slots = slots + 1
          local key = { tostring(compile.masked(set, b)) }
          for _, r in ipairs(compile.rules_for(set, zone, b, fc)) do key[#key + 1] = tostring(r) end
          key = table.concat(key, " ")
          if not key_of[f] then fns = fns + 1 end
          t.eq(fn_of[key] or f, f, "the same rules: the same function")
          t.eq(key_of[f] or key, key, "one function: one list of rules")
          fn_of[key], key_of[f] = f, key
        end
      end
    end
  end
  t.ok(slots > fns and fns > 0, string.format("%d classifiers, %d functions", slots, fns))
end)

t.test("detection scores the window of a long text as M.score does on the window made as a string", function()
  -- the detect needles are found in the two ends without joining them, and a
  -- site whose pattern signs' literal starts are absent is scored by its plain
  -- signs; both must give what scoring the joined window gives
  local detect = require "gisa.engine.detect"
  local reg = extract.registry()
  local signs = {}
  for _, site in ipairs(reg.sites) do
    if type(site.detect) == "table" then
      for _, x in ipairs(site.detect) do
        local s = type(x) == "string" and x or x.text
        if s then signs[#signs + 1] = s end
      end
    end
  end
  for _, x in ipairs({ "\n머니투데이 홍길동 기자 | ", "\n머니투데이 |", "머니투데이 기자 | " }) do signs[#signs + 1] = x end
  local filler = { "기사 본문 문장입니다. ", "가나다라 ", "\n", "abc ", "홍길동 기자 ", "| " }
  local seed = 4242
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  local w = detect.window
  for i = 1, 300 do
    local parts = {}
    local size = rnd(3) == 1 and rnd(2 * w) or 2 * w + rnd(3000)
    local len = 0
    while len < size do
      local p = rnd(6) == 1 and signs[rnd(#signs)] or filler[rnd(#filler)]
      parts[#parts + 1] = p
      len = len + #p
    end
    local text = table.concat(parts)
    -- a sign right across the join now and then
    if #text > 2 * w and rnd(2) == 1 then
      local s = signs[rnd(#signs)]
      local k = rnd(#s)
      text = text:sub(1, w - k) .. s:sub(1, k) .. text:sub(w + 1, -w - 1) .. s:sub(k + 1) .. text:sub(-w + #s - k)
    end
    local window = #text > 2 * w and text:sub(1, w) .. "\n" .. text:sub(-w) or text
    local hit = reg.detect_needles:mask(window)
    local best, bs = nil, 0
    for _, site in ipairs(reg.sites) do
      local s = detect.score(site, window, nil, hit, reg.detect_bit)
      if s >= site.threshold and s > bs then best, bs = site, s end
    end
    local got, gs = detect.detect(text, nil, reg)
    t.eq(got and got.id, best and best.id, "site " .. i)
    t.eq(gs, bs, "score " .. i)
  end
end)
