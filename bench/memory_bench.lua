-- memory_bench: peak resident memory (GNU time's %M: the process and its
-- workers) of extract in every format and of each shipped analysis, on the
-- generated corpus at three sizes, each twice the last but one: memory must
-- not grow with the number of articles (target: the largest within 1.1x of
-- the smallest), except dups, which keeps a signature an article: its target
-- is 256 MB at 200,000 articles (measured, or projected from the sizes run;
-- the projection runs low: 152 MB from 5k-20k, 195 MB measured on
-- 2026-12-07; 259 MB measured at cbd5788, 206 MB once the rows are written
-- after a full collection, 2026-12-08). Single process (-j 1), so the figure
-- is one Lua state's.
--   default: 5k, 10k and 20k articles (the first 5, 10, 20 subdirectories of
--            bench/data/gen-20000, which parallel_bench makes too)
--   BENCH_BIG=1: 50k, 100k and 200k (bench/data/gen-200000, about 1 GB, made
--            on the fly once and reused, never committed)
-- report (quotes and entities of every article: its time is theirs) runs at
-- 1k, 2k and 4k articles in both cases. BENCH_CMDS=kwic,stats (the first word
-- of a row's name) measures only those.

local b = require "lib"
local sys = require "gisa.sys"

local format = string.format
local bin = os.getenv("GISA_BIN") or "./gisa"

local function corpus(n) return b.corpus(n, bin) end

if sys.stat("/usr/bin/time") ~= "file" then
  b.note("peak RSS", "skipped: no /usr/bin/time (tools/deps bench installs Debian's time)")
  return
end

local big = os.getenv("BENCH_BIG") == "1"
local root = corpus(big and 200000 or 20000)
local unit = 1000                       -- articles per subdirectory (bench/gen.lua)
local dirs = sys.listdir(root)
table.sort(dirs)

-- the first n articles: the first n / 1000 subdirectories
local function first(n)
  local l = {}
  for i = 1, n // unit do l[i] = root .. "/" .. dirs[i] end
  return table.concat(l, " ")
end

local out = os.tmpname()
local function peak(cmd, n)
  local p = io.popen(format("/usr/bin/time -f '%%M' %s %s -o %s %s 2>&1 >/dev/null", bin, cmd, out, first(n)))
  local text = p:read("a")
  p:close()
  return tonumber(text:match("(%d+)%s*$"))
end

local sizes = big and { 50000, 100000, 200000 } or { 5000, 10000, 20000 }
local cmds = {
  { "extract -f jsonl", "extract -q -j 1 -f jsonl" },
  { "extract -f json", "extract -q -j 1 -f json" },
  { "extract -f html", "extract -q -j 1 -f html" },
  { "extract -f markdown", "extract -q -j 1 -f markdown" },
  { "extract -f text", "extract -q -j 1 -f text" },
  { "stats", "stats -q -j 1 -f tsv" },
  { "freq --nouns", "freq -q -j 1 --nouns -f tsv" },
  { "timeline", "timeline -q -j 1 -f tsv" },
  { "kwic", "kwic -q -j 1 -f tsv 반도체" },
  { "keywords", "keywords -q -j 1 -f tsv" },
  { "dups", "dups -q -j 1 -f tsv", nil, "signatures" },
  { "report", "report -q -j 1", { 1000, 2000, 4000 } },
}
local only
if os.getenv("BENCH_CMDS") then
  only = {}
  for name in os.getenv("BENCH_CMDS"):gmatch("[^,]+") do only[name] = true end
end
for _, c in ipairs(cmds) do
  if only and not only[c[1]:match("^%S+")] and not only[c[1]] then goto next end
  local at = c[3] or sizes
  local kb = {}
  for i, n in ipairs(at) do kb[i] = peak(c[2], n) end
  if kb[1] and kb[3] then
    b.note("peak RSS " .. c[1], format("%dk: %d KB  %dk: %d KB  %dk: %d KB", at[1] // 1000, kb[1],
      at[2] // 1000, kb[2], at[3] // 1000, kb[3]))
    if c[4] == "signatures" then
      -- dups keeps one signature an article by design: its goal is a bound
      -- at 200,000 articles (256 MB, issue 16), projected from the growth
      -- between the smallest and the largest size when the run is smaller
      local at200 = kb[3] + (kb[3] - kb[1]) / (at[3] - at[1]) * (200000 - at[3])
      b.report(format("peak RSS %s at 200k%s vs 256 MB", c[1],
        at[3] == 200000 and "" or format(" (projected from %dk-%dk)", at[1] // 1000, at[3] // 1000)),
        at200, 256 * 1024, 1.0)
    else
      b.report(format("peak RSS %s %dk vs %dk (flat: <= 1.1x)", c[1], at[3] // 1000, at[1] // 1000),
        kb[3], kb[1] * 1.1, 1.0)
    end
  else
    b.note("peak RSS " .. c[1], "failed: " .. c[2])
  end
  ::next::
end
os.remove(out)
