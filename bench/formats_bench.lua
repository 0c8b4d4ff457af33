-- formats_bench: the cost of writing records against the cost of making them.
-- On the generated corpus (bench/gen.lua, BENCH_N=20000 articles), extraction
-- (read + decode + rules) is timed in this process, then the same records are
-- written through gisa's writers (the path `gisa extract -f NAME` takes) to
-- /dev/null. Target (issue 6): jsonl costs under 20% of the extraction time,
-- i.e. extraction / write >= 5. The other formats are reported for reference.

local b = require "lib"
local sys = require "gisa.sys"
local corpus = require "gisa.corpus"
local extract = require "gisa.extract"
local writer = require "gisa.writer"

local format = string.format
local N = tonumber(os.getenv("BENCH_N") or "20000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local data = "bench/data/gen-" .. N
local runs = math.min(b.runs, 3)

if sys.stat(data .. "/d000") ~= "dir" then
  assert(os.execute(format("%s bench/gen.lua %d %s", bin, N, data)), "bench/gen.lua failed")
end
local files = {}
for _, d in ipairs(sys.listdir(data)) do
  for _, f in ipairs(sys.listdir(data .. "/" .. d)) do files[#files + 1] = data .. "/" .. d .. "/" .. f end
end

-- Records are made and written in chunks of 500, as a streaming run holds only
-- a few at a time (20,000 records held at once would make the collector, not the
-- writer, the cost). Each pass times extraction and writing apart; medians of passes.
local CHUNK = 500
local sink = assert(io.open("/dev/null", "w"))

local function pass(formats)
  local t_ex, t_w = 0, {}
  local ws = {}
  for i, f in ipairs(formats) do ws[i] = writer.new(f[1], sink, f[2]); t_w[i] = 0 end
  for first = 1, #files, CHUNK do
    local recs = {}
    local t0 = sys.clock()
    for i = first, math.min(first + CHUNK - 1, #files) do
      local text, info = corpus.read(files[i], { encoding = "auto" })
      recs[#recs + 1] = extract.extract(text, { file = files[i], encoding = info.encoding })
    end
    t_ex = t_ex + (sys.clock() - t0)
    for k, w in ipairs(ws) do
      t0 = sys.clock()
      for i = 1, #recs do w:write(recs[i]) end
      t_w[k] = t_w[k] + (sys.clock() - t0)
    end
  end
  for k, w in ipairs(ws) do
    local t0 = sys.clock(); w:close(); t_w[k] = t_w[k] + (sys.clock() - t0)
  end
  return t_ex, t_w
end

local formats = { { "jsonl" }, { "json" }, { "csv" }, { "tsv" }, { "markdown" }, { "text" }, { "html" },
  { "csv", { fields = "title,published,authors.name" } } }
local exs, ws = {}, {}
for r = 1, runs do
  local e, w = pass(formats)
  exs[r] = e
  for k, v in ipairs(w) do ws[k] = ws[k] or {}; ws[k][r] = v end
end
local function median(t) table.sort(t); return t[(#t + 1) // 2] end
local t_extract = median(exs)
b.note("extraction (read+decode+rules)", format("%d articles  %.2fs  %.0f articles/s", #files, t_extract,
  #files / t_extract))
local t_jsonl = median(ws[1])
b.report("jsonl write vs extraction (target < 20%)", t_jsonl, t_extract, 5.0,
  format("(write = %.1f%% of extraction)", t_jsonl / t_extract * 100))
for k = 2, #formats do
  local f = formats[k]
  local t = median(ws[k])
  local name = f[1] .. (f[2] and (" --fields " .. f[2].fields) or "")
  b.note(name .. " write", format("%.2fs  %.1f%% of extraction", t, t / t_extract * 100))
end
sink:close()
