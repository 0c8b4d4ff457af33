-- bench/quotes_bench: the quote finder (lua/gisa/analysis/quotes.lua and its
-- compiled pass, src/quote.c) on generated
-- articles and on the inputs that were once quadratic (issue 16).
--   - `gisa quotes` over BENCH_QUOTES_N generated articles (bench/gen.lua, from
--     our samples: ~15 quotes an article), articles/s against `gisa extract`
--     of the same files (gisa quotes lists the record's quotes: the finder
--     runs once an article, in extraction), target >= 2,000 articles/s on one
--     core (run with GISA_JOBS=1 for one core);
--   - the quotes post pass alone, in this process: µs per article (CPU), and
--     the same with the Lua finder alone;
--   - `gisa quotes` on one article of 200,000 lines (target < 10 s);
--   - the quotes of one paragraph of 20,000 short references to someone named
--     nowhere (linear: the searches that found no one are remembered);
--   - `gisa extract` on one paragraph with 40,000 unclosed “ (linear: well
--     under a second where it took 4.5 s).
-- Numbers on a shared machine are noisy: compare ratios from one run.

local b = require "lib"
local sys = require "gisa.sys"
local gisa = require "gisa"
local quotes = require "gisa.analysis.quotes"

local format = string.format
local N = tonumber(os.getenv("BENCH_QUOTES_N") or "2000")
local bin = os.getenv("GISA_BIN") or "./gisa"
local data = b.corpus(N, bin)
local runs = math.min(b.runs, 3)


-- the commands, as a user runs them
local t_quotes = b.time_cmd(format("%s quotes -q -f tsv %s", bin, data), runs)
local t_extract = b.time_cmd(format("%s extract -q %s", bin, data), runs)
b.report(format("gisa quotes, %d articles (vs extract)", N), t_quotes, t_extract, nil,
  format("%.0f articles/s (target >= 2,000)", N / t_quotes))

-- the post pass alone, on records already extracted
local recs = {}
for a in gisa.articles({ data }) do
  recs[#recs + 1] = { blocks = a.blocks, title = a.title, subtitles = a.subtitles }
end
local nq = 0
for _, r in ipairs(recs) do nq = nq + #quotes.record(r) ; r.quotes = nil end
local function post_pass()
  for _, r in ipairs(recs) do r.quotes = nil; quotes.record(r) end
end
local cpu = b.cputime(post_pass, runs)
b.note("quotes post pass (CPU, in process)", format("%.1f µs/article, %.2f µs/quote (%d quotes)",
  cpu / #recs * 1e6, cpu / nq * 1e6, nq))
-- the same with the Lua finder alone (the compiled pass, gisa.quote, off)
quotes.c = false
local cpu_lua = b.cputime(post_pass, runs)
quotes.c = true
b.note("quotes post pass, Lua alone (quotes.c = false)", format("%.1f µs/article (compiled: %.2fx)",
  cpu_lua / #recs * 1e6, cpu_lua / cpu))

-- one long article: 200,000 lines, a quarter of them quoting someone
local long = "bench/data/quotes-long-200k.txt"
if sys.stat(long) ~= "file" then
  local f = assert(io.open(long, "w"))
  f:write("긴 기사\n\n")
  for i = 1, 50000 do
    f:write("김민수 교수는 “오늘도 일이 많다”고 말했다.\n그는 “", i, "번째 말이다”라고 덧붙였다.\n",
      "정부는 예산을 늘렸다.\n“열린 따옴표 열린 따옴표\n")
  end
  f:close()
end
local t_long = b.time_cmd(format("%s quotes -q -f tsv %s", bin, long), 1)
b.note("gisa quotes, one article of 200,000 lines", format("%.2f s (target < 10 s) %s", t_long,
  t_long < 10 and "ok" or "MISSED"))

-- one paragraph of 20,000 short references to someone named nowhere (주 위원장은
-- “…”): each search of earlier text that found no one is remembered with how
-- far it read, so the paragraph is read once, not once a quote (it took 32 s)
do
  local para = string.rep("주 위원장은 “가 나 다라 마바 사아”라고 말했다. ", 20000)
  local rec = { blocks = { { type = "para", text = para, line = 1 } } }
  local t0 = os.clock()
  local n = #quotes.article(rec)
  b.note("quotes of one paragraph of 20,000 short references named nowhere",
    format("%.3f s CPU (%d quotes)", os.clock() - t0, n))
end

-- one paragraph with 40,000 unclosed opening marks
local open = "bench/data/quotes-unclosed-40k.txt"
if sys.stat(open) ~= "file" then
  local f = assert(io.open(open, "w"))
  f:write("제목\n\n", string.rep("김 교수는 “말 ", 40000), "\n")
  f:close()
end
local t_open = b.time_cmd(format("%s extract -q %s", bin, open), 1)
b.note("gisa extract, 40,000 unclosed “ in a paragraph", format("%.2f s", t_open))
