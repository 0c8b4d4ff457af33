-- parallel_bench: -j 2 against -j 1 on the same generated articles, in the
-- same run: `extract` (JSON Lines), `-e`, and the shipped analyses, as
-- articles/s at -j 1 and -j 2 and their ratio (target for extract: 1.8x on 2
-- cores). With BENCH_BIG=1 also peak RSS of `extract -j 2` at 50k, 100k and
-- 200k articles (about 1 GB, generated on the fly into bench/data, never
-- committed): memory must not grow with the number of articles.
--   BENCH_N=20000 (articles), BENCH_RUNS (medians; at most 3 here)

local b = require "lib"
local sys = require "gisa.sys"

local format = string.format
local N = tonumber(os.getenv("BENCH_N") or "20000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local runs = math.min(b.runs, 3)

local function corpus(n)
  local data = "./bench/data/gen-" .. n
  if sys.stat(data .. "/d000") ~= "dir" then
    assert(os.execute(format("%s bench/gen.lua %d %s >/dev/null", bin, n, data)), "bench/gen.lua failed")
  end
  return data
end

local data = corpus(N)
b.note("cores", tostring(require("gisa.proc").ncpu()))
local cmds = {
  { "extract", "extract -q %s", 1.8 },
  { "-e (count paragraphs)", "-q -e 'n = (n or 0) + #body' -E 'print(n)' %s" },
  { "stats", "stats -q -f jsonl %s" },
  { "freq --nouns", "freq -q --nouns -f tsv %s" },
  { "timeline", "timeline -q -f tsv %s" },
}
for _, c in ipairs(cmds) do
  local t1 = b.time_cmd(format("%s -j 1 " .. c[2], bin, data), runs)
  local t2 = b.time_cmd(format("%s -j 2 " .. c[2], bin, data), runs)
  b.note(c[1], format("-j 1: %.0f articles/s   -j 2: %.0f articles/s", N / t1, N / t2))
  b.report(c[1] .. " -j 2 vs -j 1", t2, t1, c[3])
end

local function peak(dir)
  local p = io.popen(format("/usr/bin/time -f '%%M' %s extract -q -j 2 %s 2>&1 >/dev/null", bin, dir))
  local out = p:read("a")
  p:close()
  return tonumber(out:match("(%d+)%s*$"))
end

if os.getenv("BENCH_BIG") == "1" then
  local big = corpus(200000)
  -- the first 50 and 100 of the 200 subdirectories are the 50k and 100k corpora
  local dirs = sys.listdir(big)
  local function first(k)
    local l = {}
    for i = 1, k do l[i] = big .. "/" .. dirs[i] end
    return table.concat(l, " ")
  end
  local r50, r100, r200 = peak(first(50)), peak(first(100)), peak(big)
  b.note("peak RSS extract -j 2", format("50k: %d KB  100k: %d KB  200k: %d KB (parent; workers alike)", r50, r100, r200))
  b.report("peak RSS 200k vs 50k (flat: <= 1.1x)", r200, r50 * 1.1, 1.0)
else
  b.note("peak RSS at 50k/100k/200k", "skipped: BENCH_BIG=1 runs it (generates 1 GB)")
end
