-- readers_bench: the same generated articles read as plain files and as one
-- JSON Lines dump compressed with gzip, both through `gisa extract` in one
-- process (GISA_JOBS=1): the dump must run at >= 0.9x the speed of the plain
-- files, in flat memory. Like with like: each dump line is {"body": the
-- file's whole text}, so the rules run on the same text either way (the title
-- line included) and the ratio is the cost of reading a dump against reading
-- files. CPU time (user + sys) of the child, interleaved runs, the median (the
-- machine is shared: wall time counts the others' work); peak RSS of the same
-- runs. Then a 2 GB JSONL read through corpus.articles with extraction
-- stubbed out (reading alone), its peak RSS against the 100,000-article dump's.
--   BENCH_N=100000 (articles), BENCH_RUNS (at most 3 here), BENCH_BIG=0 skips the 2 GB

local b = require "lib"
local sys = require "gisa.sys"
local json = require "gisa.output.json"

local format = string.format
local N = tonumber(os.getenv("BENCH_N_READERS") or os.getenv("BENCH_N") or "100000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local data = b.corpus(N, bin)
local runs = math.min(b.runs, 3)

local dirs, n = {}, 0
local dump = "bench/data/readers-" .. N .. ".jsonl.gz"
local have = sys.stat(dump) == "file"
-- written through gzip, never as a plain file
local out = not have and assert(io.popen("gzip -6 -c > " .. dump .. ".tmp", "w"))
for _, d in ipairs(sys.listdir(data)) do
  dirs[#dirs + 1] = data .. "/" .. d
  for _, f in ipairs(sys.listdir(data .. "/" .. d)) do
    n = n + 1
    if out then out:write(json.encode({ body = assert(sys.readfile(data .. "/" .. d .. "/" .. f)) }), "\n") end
  end
end
if out then
  assert(out:close(), "gzip failed")
  assert(os.rename(dump .. ".tmp", dump))
end
b.note("corpus", format("%d articles as files (%s) and as %s", n, data, dump))

-- CPU seconds and peak RSS (KiB) of one run of a command, and its output's
-- line count (or, when `first`, its first line).
local function run(cmd, first)
  local tf = os.tmpname()
  local p = io.popen(format("GISA_JOBS=1 /usr/bin/time -f '%%U %%S %%M' -o %s %s 2>/dev/null%s", tf, cmd,
    first and "" or " | wc -l"))
  local lines = first and p:read("l") or tonumber(p:read("a"))
  p:close()
  local f = assert(io.open(tf))
  local u, s, m = f:read("a"):match("([%d.]+) ([%d.]+) (%d+)%s*$")
  f:close()
  os.remove(tf)
  return tonumber(u) + tonumber(s), tonumber(m), lines
end

local function median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

local files_cmd = format("%s extract -q %s", bin, table.concat(dirs, " "))
local gz_cmd = format("%s extract -q %s", bin, dump)
local tf, tg, mf, mg = {}, {}, 0, 0
local lf, lg
for _ = 1, runs do
  local t, m, l = run(files_cmd)
  tf[#tf + 1], mf, lf = t, math.max(mf, m), l
  t, m, l = run(gz_cmd)
  tg[#tg + 1], mg, lg = t, math.max(mg, m), l
end
local files, gz = median(tf), median(tg)
b.note("records", format("plain files %d, .jsonl.gz %d%s", lf, lg, lf == lg and lf == n and "" or "  DIFFER"))
b.note("gisa extract, plain files", format("%.2fs CPU  %.0f articles/s  peak RSS %d KiB", files, n / files, mf))
b.note("gisa extract, one .jsonl.gz", format("%.2fs CPU  %.0f articles/s  peak RSS %d KiB", gz, n / gz, mg))
b.report(".jsonl.gz vs plain files", gz, files, 0.9, "(the same articles, CPU time; target: at least 0.9x)")

------------------------------------------------------------------------------
-- A 2 GB JSONL, streamed: reading alone (extraction stubbed), peak RSS
------------------------------------------------------------------------------

if os.getenv("BENCH_BIG") == "0" then
  b.note("2 GB JSONL", "skipped (BENCH_BIG=0)")
  return
end
local big = "bench/data/readers-2gb.jsonl"
local GB2 = 2 * 1000 ^ 3
if sys.stat(big) ~= "file" or select(2, sys.stat(big)) < GB2 then
  -- the dump's lines again and again, each with an id of its own
  local fo = assert(io.open(big .. ".tmp", "wb"))
  local size, i = 0, 0
  while size < GB2 do
    local zin = assert(io.popen("gzip -dc " .. dump))
    for line in zin:lines() do
      i = i + 1
      local s = '{"id":' .. i .. "," .. line:sub(2) .. "\n"
      fo:write(s)
      size = size + #s
      if size >= GB2 then break end
    end
    zin:close()
  end
  fo:close()
  assert(os.rename(big .. ".tmp", big))
end
local script = os.tmpname()
local fs = assert(io.open(script, "w"))
fs:write([[
local corpus = require "gisa.pipeline.corpus"
local k = 0
for _ in corpus.articles({ arg[1] }, { quiet = true, progress = false,
    extract = function(_, o) return { file = o.file } end }) do k = k + 1 end
print(k)
]])
fs:close()
local tb, mb, kb = run(format("%s %s %s", bin, script, big), true)
local t5, m5 = run(format("%s %s %s", bin, script, dump), true)
os.remove(script)
local _, bigsize = sys.stat(big)
b.note("2 GB JSONL read (extraction stubbed)", format("%.1f GB, %s records, %.1fs CPU (%.0f MB/s); %s: %.1fs",
  bigsize / 1e9, tostring(kb), tb, bigsize / 1e6 / tb, dump, t5))
b.note("2 GB JSONL: flat memory", format("peak RSS %d KiB for 2 GB, %d KiB for the %d-article .jsonl.gz "
  .. "(target: at most 16 MiB more: %s)", mb, m5, n, mb <= m5 + 16 * 1024 and "ok" or "MISSED"))
