-- formats_bench: the cost of writing records against the cost of making them.
-- On the generated corpus (bench/gen.lua, BENCH_N=20000 articles):
-- 1. the real command: `gisa extract -q DIR` (jsonl) against the same run with a
--    format that writes nothing; the difference is the cost of writing. CPU
--    seconds (user+sys, medians), since the machine is shared and wall time
--    drifts. Target (issue 6): under 20% of the extraction, extraction/write >= 5.
-- 2. for reference, every shipped format on the first 5,000 records in this
--    process, streamed in chunks of 500 as a run holds them.

local b = require "lib"
local sys = require "gisa.sys"
local corpus = require "gisa.pipeline.corpus"
local extract = require "gisa.engine"
local writer = require "gisa.output.writer"

local format = string.format
local N = tonumber(os.getenv("BENCH_N") or "20000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local data = b.corpus(N, bin)
local runs = math.min(b.runs, 3)

local files = {}
for _, d in ipairs(sys.listdir(data)) do
  for _, f in ipairs(sys.listdir(data .. "/" .. d)) do files[#files + 1] = data .. "/" .. d .. "/" .. f end
end

------------------------------------------------------------------------------
-- 1. The command: jsonl against a format that writes nothing
------------------------------------------------------------------------------

local null = os.tmpname() .. ".lua"
local f = assert(io.open(null, "w"))
f:write("return { write = function() end }\n")
f:close()

local function cpu(cmd)
  local ts = {}
  for i = 1, runs do
    local p = io.popen(format("/usr/bin/time -f '%%U %%S' %s 2>&1 >/dev/null", cmd))
    local out = p:read("a"); p:close()
    local u, s = out:match("([%d.]+) ([%d.]+)%s*$")
    ts[i] = tonumber(u) + tonumber(s)
  end
  table.sort(ts)
  return ts[(runs + 1) // 2]
end

local dirs = {}
for _, d in ipairs(sys.listdir(data)) do dirs[#dirs + 1] = data .. "/" .. d end
local all = table.concat(dirs, " ")
local t_null = cpu(format("%s extract -q -f %s %s", bin, null, all))
local t_jsonl = cpu(format("%s extract -q %s", bin, all))
os.remove(null)
local t_write = math.max(t_jsonl - t_null, 1e-3)
b.note("gisa extract, no output (CPU)", format("%.2fs  %.0f articles/s", t_null, #files / t_null))
b.note("gisa extract -> jsonl (CPU)", format("%.2fs", t_jsonl))
b.report("jsonl write vs extraction (target < 20%)", t_write, t_null, 5.0,
  format("(write = %.1f%% of extraction)", t_write / t_null * 100))

------------------------------------------------------------------------------
-- 2. Every format, in this process, on the first 5,000 records
------------------------------------------------------------------------------

local M = math.min(#files, 5000)
local CHUNK = 500
local sink = assert(io.open("/dev/null", "w"))

local function pass(formats)
  local t_ex, t_w = 0, {}
  local ws = {}
  for i, fm in ipairs(formats) do ws[i] = writer.new(fm[1], sink, fm[2]); t_w[i] = 0 end
  for first = 1, M, CHUNK do
    local recs = {}
    local t0 = sys.clock()
    for i = first, math.min(first + CHUNK - 1, M) do
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
local t_ex, ws = pass(formats)
b.note("in-process extraction", format("%d articles  %.2fs", M, t_ex))
for k, fm in ipairs(formats) do
  local name = fm[1] .. (fm[2] and (" --fields " .. fm[2].fields) or "")
  b.note(name .. " write", format("%.2fs  %.1f%% of extraction", ws[k], ws[k] / t_ex * 100))
end
sink:close()
