-- readers_bench: the same generated articles read as plain files and as one
-- JSON Lines dump compressed with gzip ({"body": text} a line, so the rules do
-- the same work): `gisa extract` on the .jsonl.gz must run at >= 0.9x the
-- speed of the plain files, in flat memory (peak RSS of the dump against the
-- plain files). Wall time of the whole command, medians of BENCH_RUNS (at most 3).
--   BENCH_N=20000 (articles; the corpus of extract_bench), BENCH_RUNS

local b = require "lib"
local sys = require "gisa.sys"
local json = require "gisa.json"

local format = string.format
local N = tonumber(os.getenv("BENCH_N") or "20000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local data = "bench/data/gen-" .. N
local runs = math.min(b.runs, 3)

if sys.stat(data .. "/d000") ~= "dir" then
  assert(os.execute(format("%s bench/gen.lua %d %s", bin, N, data)), "bench/gen.lua failed")
end
local dirs, n = {}, 0
local dump = "bench/data/readers-" .. N .. ".jsonl"
local have = sys.stat(dump .. ".gz") == "file"
local out = not have and assert(io.open(dump, "wb"))
for _, d in ipairs(sys.listdir(data)) do
  dirs[#dirs + 1] = data .. "/" .. d
  for _, f in ipairs(sys.listdir(data .. "/" .. d)) do
    n = n + 1
    if out then out:write(json.encode({ body = assert(sys.readfile(data .. "/" .. d .. "/" .. f)) }), "\n") end
  end
end
if out then
  out:close()
  assert(os.execute("gzip -f " .. dump), "gzip failed")
end
b.note("corpus", format("%d articles as files (%s) and as %s.gz", n, data, dump))

local all = table.concat(dirs, " ")
local files = b.time_cmd(format("%s extract -q %s", bin, all), runs)
local gz = b.time_cmd(format("%s extract -q %s.gz", bin, dump), runs)
b.note("gisa extract, plain files", format("%.2fs  %.0f articles/s", files, n / files))
b.note("gisa extract, one .jsonl.gz", format("%.2fs  %.0f articles/s", gz, n / gz))
b.report(".jsonl.gz vs plain files", gz, files, 0.9, "(the same articles; target: at least 0.9x)")

local function peak_kb(paths)
  local p = io.popen(format("/usr/bin/time -f '%%M' %s extract -q %s 2>&1 >/dev/null", bin, paths))
  local s = p:read("a"); p:close()
  return tonumber(s:match("(%d+)%s*$"))
end
local rf, rg = peak_kb(all), peak_kb(dump .. ".gz")
b.note("peak RSS", format("plain files %s KiB; .jsonl.gz %s KiB", tostring(rf), tostring(rg)))
