-- Bounded memory (issue 16 item 4) and keywords/report as gisa.run jobs:
-- -j 3 gives what -j 1 gives; --partial on three shares merged gives what one
-- run gives; the html format and the spilling analyses keep their peak
-- resident memory flat when the corpus doubles; report --max-articles bounds
-- the page; kwic's lines in input order are streamed, not held.
local t = require "t"

local function run(args) return t.gisa(args) end

-- {A…, LIST…, B…} flattened: the words of a command around a case's options.
local function words(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then for _, x in ipairs(v) do out[#out + 1] = x end
    else out[#out + 1] = v end
  end
  return out
end

-- The sample articles in three directories (so three shares in input order).
local made = 0
local function corpus()
  made = made + 1
  local d = t.tmpdir() .. "/memory-corpus-" .. made
  os.execute("mkdir -p " .. d .. "/1 " .. d .. "/2 " .. d .. "/3 && cp corpus/0[0-2]*.txt " .. d ..
    "/1/ && cp corpus/0[3-5]*.txt " .. d .. "/2/ && cp corpus/0[6-9]*.txt " .. d .. "/3/")
  return d
end

local cases = {
  { "keywords" }, { "keywords", "-f", "tsv", "--words", "-n", "3" }, { "keywords", "-f", "json" },
  { "keywords", "--reference", "corpus/010_hankyung_semiconductor.txt", "--min", "1" },
  { "report", "--terms", "8", "--lines", "4" }, { "report", "--max-articles", "2" },
}

t.test("keywords and report: -j 3 gives what -j 1 gives", function()
  local d = corpus()
  for _, c in ipairs(cases) do
    local opt = { table.unpack(c, 2) }
    local one = run(words(c[1], "-q", "-j", "1", opt, d))
    local three = run(words(c[1], "-q", "-j", "3", opt, d))
    local name = table.concat(c, " ")
    t.eq(one.code, 0, name .. ": " .. one.err)
    t.ok(#one.out > 200, name .. ": a report")
    t.eq(three.out, one.out, name)
    t.eq(three.code, one.code, name)
  end
end)

t.test("keywords and report: --partial on three shares, then --merge, is one run", function()
  local d = corpus()
  for _, c in ipairs(cases) do
    local name = table.concat(c, " ")
    local opt = { table.unpack(c, 2) }
    local one = run(words(c[1], "-q", "-j", "1", opt, d))
    local parts = {}
    for i = 1, 3 do
      parts[i] = d .. "/" .. c[1] .. i .. ".part"
      local r = run(words(c[1], "-q", "-j", tostring(i), "--partial", "-o", parts[i], opt, d .. "/" .. i))
      t.eq(r.code, 0, name .. " share " .. i .. ": " .. r.err)
      t.match(t.read(parts[i]), "^GISA%-PARTIAL 2\n", name .. " share " .. i)
    end
    local merged = run(words(c[1], "-q", "--merge", opt, parts))
    t.eq(merged.code, 0, name .. ": " .. merged.err)
    t.eq(merged.out, one.out, name)
  end
  -- --shard shares hold the same articles, in another order
  local one = run{ "keywords", "-q", "-f", "tsv", "-j", "1", d }
  local parts = {}
  for i = 1, 3 do
    parts[i] = d .. "/s" .. i .. ".part"
    local r = run{ "keywords", "-q", "-f", "tsv", "--shard", i .. "/3", "--partial", "-o", parts[i], d }
    t.eq(r.code, 0, r.err)
  end
  local merged = run{ "keywords", "-q", "-f", "tsv", "--merge", parts[1], parts[2], parts[3] }
  local function sorted(s)
    local lines = {}
    for l in s:gmatch("[^\n]+") do lines[#lines + 1] = l end
    table.sort(lines)
    return table.concat(lines, "\n")
  end
  t.eq(sorted(merged.out), sorted(one.out), "--shard: the same rows")
  -- a state of another command is refused
  local r = run{ "report", "-q", "--merge", parts[1] }
  t.eq(r.code, 1)
  t.contains(r.err, "a partial state of 'keywords', not of 'report'")
end)

t.test("kwic in input order streams its lines through a spill: what the held lines give", function()
  local d = corpus()
  for _, f in ipairs{ "table", "jsonl" } do
    for _, opt in ipairs{ {}, { "-n", "5", "-w" } } do
      local name = "kwic -f " .. f .. " " .. table.concat(opt, " ")
      -- the lines held in memory: --partial keeps them in the state, --merge reports them
      local part = d .. "/kwic.part"
      local r = run(words("kwic", "-q", "-j", "1", "-f", f, opt, "--partial", "-o", part, "반도체", d))
      t.eq(r.code, 0, name .. ": " .. r.err)
      local held = run(words("kwic", "-q", "-f", f, opt, "--merge", "반도체", part))
      t.ok(#held.out > 100, name .. ": lines")
      -- streamed, with a 1 KiB budget: the temporary file is used
      for _, j in ipairs{ "1", "3" } do
        local streamed = t.gisa(words("kwic", "-q", "-j", j, "-f", f, opt, "반도체", d), nil, { GISA_SPILL_KB = "1" })
        t.eq(streamed.out, held.out, name .. " -j " .. j)
        t.eq(streamed.code, 0, name .. " -j " .. j)
      end
    end
  end
end)

t.test("report --max-articles: the first N embedded, the others linked to their files", function()
  local d = corpus()
  local r = run{ "report", "-q", "--max-articles", "3", d }
  t.eq(r.code, 0, r.err)
  local n = select(2, r.out:gsub('<article class="doc"', ""))
  t.eq(n, 3, "embedded articles")
  t.match(r.out, '<p class="more">%d+ more articles are not embedded %(%-%-max%-articles 3%)')
  t.match(r.out, '<a class="file" href="[^"#]+%.txt">')
  local all = run{ "report", "-q", d }
  t.ok(#r.out < #all.out, "smaller page")
  r = run{ "report", "-q", "--max-articles", "-1", d }
  t.eq(r.code, 2)
  t.contains(r.err, "'--max-articles' needs a whole number >= 0")
end)

-- Peak resident memory (KiB) of a gisa command and its workers, by Python's
-- resource module (python3 is a test dependency).
local function peak(args)
  local q = {}
  for i, a in ipairs(args) do q[i] = t.shquote(a) end
  -- a small spill budget, so that 600 articles already spill
  local r = t.sh("GISA_SPILL_KB=256 python3 -c 'import resource,subprocess,sys; " ..
    "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL); " ..
    "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' " ..
    t.shquote(t.root .. "/gisa") .. " " .. table.concat(q, " "))
  local code, kb = r.out:match("^(%-?%d+) (%d+)")
  t.eq(tonumber(code), 0, table.concat(args, " ") .. ": " .. r.err)
  return tonumber(kb)
end

t.slow("memory stays flat: html, keywords and report at n and 2n articles", function()
  if t.sh("command -v python3").code ~= 0 then t.skip("no python3 (tools/deps test)") end
  local base = t.tmpdir()
  local dirs = {}
  for _, n in ipairs{ 600, 1200 } do
    dirs[n] = base .. "/memory-gen-" .. n
    local r = run{ "bench/gen.lua", tostring(n), dirs[n] }
    t.eq(r.code, 0, r.err)
  end
  local out = base .. "/memory-out"
  local commands = {
    { "extract", "-f", "html", "-o", out },
    { "keywords", "-f", "tsv", "-o", out },
    { "report", "--max-articles", "100", "-o", out },
  }
  for _, c in ipairs(commands) do
    local opt = { table.unpack(c, 2) }
    local a = peak(words(c[1], "-q", "-j", "1", opt, dirs[600]))
    local b = peak(words(c[1], "-q", "-j", "1", opt, dirs[1200]))
    -- today's growth was 20 MB (html) and 40 MB (keywords) per 1,000 articles;
    -- flat allows what the vocabulary and allocator noise add
    t.ok(b - a < 6000, string.format("%s: %d KiB at 600 articles, %d KiB at 1,200", c[1], a, b))
  end
end)
