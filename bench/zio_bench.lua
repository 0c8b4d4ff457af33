-- zio_bench: big files and compressed dumps. sys.readfile on a ~100 MB file
-- and on 5 KB articles against io.read("a"); gisa.zio decompressing a JSON
-- Lines dump of 100,000 generated articles (bench/gen.lua's, five times over)
-- against zcat, with flat memory; and, once corpus reads JSON Lines (the
-- readers' work), reading those articles from the .jsonl.gz against the same
-- articles as plain files (target >= 0.9x). Medians of BENCH_RUNS, interleaved.
local b = require "lib"
local sys = require "gisa.sys"
local zio = require "gisa.zio"
local json = require "gisa.output.json"

local format = string.format
local MB = 1024 * 1024
local dir = "bench/data"
local gen = dir .. "/gen-20000"
local N = tonumber(os.getenv("ZIO_BENCH_N") or "100000")
local jsonl = format("%s/zio-%d.jsonl", dir, N)
local gz = jsonl .. ".gz"

-- The contenders run interleaved, one run of each per round (the machine is shared).
local function interleaved(fns, clock)
  clock = clock or sys.clock
  for _, f in ipairs(fns) do f() end   -- warm-up
  local ts = {}
  for k = 1, #fns do ts[k] = {} end
  for i = 1, b.runs do
    for k, f in ipairs(fns) do
      collectgarbage("collect")
      local t0 = clock()
      f()
      ts[k][i] = clock() - t0
    end
  end
  local med = {}
  for k = 1, #fns do table.sort(ts[k]); med[k] = ts[k][(b.runs + 1) // 2] end
  return table.unpack(med)
end

------------------------------------------------------------------------------
-- sys.readfile: one big file, then articles
------------------------------------------------------------------------------

local big = dir .. "/enc_utf8_70mb.txt"   -- made by enc_bench; else made here
if sys.stat(big) ~= "file" then
  big = dir .. "/zio-big.txt"
  if sys.stat(big) ~= "file" then
    local f = assert(io.open(big, "wb"))
    local unit = assert(sys.readfile("corpus/010_hankyung_semiconductor.txt"))
    for _ = 1, (100 * MB) // #unit do f:write(unit) end
    f:close()
  end
end
local _, bigsize = sys.stat(big)
local t_big, t_big_io = interleaved({
  function() return sys.readfile(big) end,
  function() local f = io.open(big, "rb"); local s = f:read("a"); f:close(); return s end,
})
b.report(format("sys.readfile %.0f MB vs io.read('a')", bigsize / MB), t_big, t_big_io, 1.0,
  format("%.0f MB/s", bigsize / t_big / MB))

local articles = {}
if sys.stat(gen .. "/d000") == "dir" then
  for _, f in ipairs(sys.listdir(gen .. "/d000")) do articles[#articles + 1] = gen .. "/d000/" .. f end
end
if #articles > 0 then
  local t_small, t_small_io = interleaved({
    function() for i = 1, #articles do sys.readfile(articles[i]) end end,
    function() for i = 1, #articles do local f = io.open(articles[i], "rb"); f:read("a"); f:close() end end,
  }, sys.cputime)
  b.report(format("sys.readfile %d articles vs io.read('a')", #articles), t_small, t_small_io, 1.0,
    format("%.2f us/article (CPU)", t_small / #articles * 1e6))
else
  b.note("sys.readfile articles", "skipped: " .. gen .. " is absent (BENCH=extract makes it)")
end

------------------------------------------------------------------------------
-- gisa.zio: a .jsonl.gz of N articles against zcat
------------------------------------------------------------------------------

if sys.stat(gen .. "/d019") ~= "dir" then
  b.note("zio", "skipped: " .. gen .. " is absent (BENCH=extract makes it)")
  return
end
if sys.stat(gz) ~= "file" then
  -- the 20,000 generated articles, five times over, as a crawler dump would hold them
  local texts = {}
  for _, d in ipairs(sys.listdir(gen)) do
    for _, f in ipairs(sys.listdir(gen .. "/" .. d)) do texts[#texts + 1] = assert(sys.readfile(gen .. "/" .. d .. "/" .. f)) end
  end
  local out = assert(io.open(jsonl, "wb"))
  for i = 1, N do
    local text = texts[(i - 1) % #texts + 1]
    local title = text:match("^[^\n]*")
    out:write(json.encode({ id = i, title = title, body = text:sub(#title + 2) }), "\n")
  end
  out:close()
  assert(os.execute(format("gzip -6 -c %s > %s.tmp && mv %s.tmp %s", jsonl, gz, gz, gz)), "gzip failed")
end
local _, plainsize = sys.stat(jsonl)
local _, gzsize = sys.stat(gz)
b.note("zio: input", format("%s, %d articles, %.0f MB (%.0f MB gzipped)", gz, N, plainsize / MB, gzsize / MB))

-- resident memory now, in KiB (sys.maxrss is the peak, which the set-up has raised)
local function rss()
  local f = io.open("/proc/self/status")
  local kb = f and f:read("a"):match("VmRSS:%s*(%d+)")
  if f then f:close() end
  return tonumber(kb) or 0
end

local peak = 0
local function drain(path)
  local s <close> = assert(zio.open(path))
  local n, k = 0, 0
  while true do
    local piece = s:read(1024 * 1024)
    if not piece then return n end
    n = n + #piece
    k = k + 1
    if k % 64 == 0 then local r = rss(); if r > peak then peak = r end end
  end
end

collectgarbage("collect")
local rss0 = rss()
local t_zio, t_zcat, t_plain = interleaved({
  function() assert(drain(gz) == plainsize) end,
  function() os.execute("zcat " .. gz .. " > /dev/null") end,
  function() assert(drain(jsonl) == plainsize) end,
})
local grown = math.max(peak - rss0, 0) / 1024
b.report("zio: .jsonl.gz read in 1 MB pieces vs zcat", t_zio, t_zcat, 0.9,
  format("%.0f MB/s decompressed; peak memory grew %.0f MB", plainsize / t_zio / MB, grown))
b.report("zio: .jsonl.gz vs the plain .jsonl, both through zio", t_zio, t_plain, nil,
  format("plain %.0f MB/s", plainsize / t_plain / MB))
b.note("zio: flat memory", format("peak grew %.0f MB while reading %.0f MB (target <= 64 MB: %s)",
  grown, 2 * plainsize / MB * (b.runs + 1), grown <= 64 and "ok" or "MISSED"))

------------------------------------------------------------------------------
-- Reading alone (extraction stubbed): articles from the .jsonl.gz against the
-- same as plain files. The whole run with extraction is readers_bench's.
------------------------------------------------------------------------------

local corpus = require "gisa.pipeline.corpus"
local extract = require "gisa.engine"
local status = require "gisa.cli.status"
local probe = dir .. "/zio-probe.jsonl"
do
  local f = assert(io.open(probe, "wb"))
  f:write('{"title":"가","body":"나"}\n{"title":"다","body":"라"}\n')
  f:close()
end
local real, quiet = extract.extract, status.quiet
extract.extract = function(_, o) return { file = o.file } end
status.quiet = true
local function count(paths)
  local n = 0
  for _ in corpus.articles(paths, { quiet = true, progress = false }) do n = n + 1 end
  return n
end
local ok, probed = pcall(count, { probe })
if not ok or probed ~= 2 then
  b.note("reading alone: .jsonl.gz vs plain files",
    "not measured: corpus does not read JSON Lines yet (the readers' work); coordinator: "
    .. "rerun BENCH=zio_bench after merging it")
else
  local dirs = {}
  for _, d in ipairs(sys.listdir(gen)) do dirs[#dirs + 1] = gen .. "/" .. d end
  local t_files, t_dump = interleaved({
    function() assert(count(dirs) == 20000) end,
    function() assert(count({ gz }) == N) end,
  }, sys.cputime)
  -- per article: the dump holds N articles, the directory 20,000
  b.report(format("reading alone (rules stubbed): %d articles from .jsonl.gz vs plain files", N), t_dump / N, t_files / 20000,
    0.9, format("%.1f us/article from the dump, %.1f from files (CPU)", t_dump / N * 1e6, t_files / 20000 * 1e6))
end
extract.extract, status.quiet = real, quiet
