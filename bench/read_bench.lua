-- read_bench: what gisa does per article outside extraction and the output, on
-- the first 3,000 articles of the generated corpus (bench/data/gen-20000, made
-- by extract_bench): the walk, sys.readfile, lines.plain, enc.repair's check,
-- corpus.read as a whole (target: no slower than io.open+read('a') alone) and the gisa.articles
-- iterator with extraction replaced by a trivial record (target: <= 5 us more
-- than corpus.read). Times are CPU time (sys.cputime), medians of BENCH_RUNS.

local b = require "lib"
local sys = require "gisa.sys"
local enc = require "gisa.enc"
local corpus = require "gisa.pipeline.corpus"
local status = require "gisa.cli.status"
local plain = require("gisa.lines").plain

local format = string.format
local data = "./bench/data/gen-20000"
if sys.stat(data .. "/d002") ~= "dir" then
  b.note("read_bench", "skipped: " .. data .. " is absent (BENCH=extract makes it)")
  return
end
local dirs = { data .. "/d000", data .. "/d001", data .. "/d002" }
local files = {}
for _, d in ipairs(dirs) do
  for _, f in ipairs(sys.listdir(d)) do files[#files + 1] = d .. "/" .. f end
end
local N = #files

-- CPU seconds of fn(), median of b.runs after a warm-up
local function cpu(fn) return (b.cputime(fn)) end

local function us(t) return format("%6.2f us/article", t / N * 1e6) end

-- reading first, while the heap is small as in a real run (the texts kept for
-- the pieces below would make the collector's work the measure)
local t_io = cpu(function()
  for i = 1, N do local f = io.open(files[i], "rb"); f:read("a"); f:close() end
end)
local t_read = cpu(function() for i = 1, N do sys.readfile(files[i]) end end)
local t_walk = cpu(function() for _ in corpus.files(dirs) do end end)
local t_corpus = cpu(function() for i = 1, N do corpus.read(files[i]) end end)

local extract = require "gisa.engine"
local real = extract.extract
extract.extract = function(_, o) return { file = o.file } end
local quiet = status.quiet
status.quiet = true
local t_iter = cpu(function() for _ in corpus.articles(dirs, { quiet = true, progress = false }) do end end)
extract.extract, status.quiet = real, quiet

local texts = {}
for i = 1, N do texts[i] = sys.readfile(files[i]) end
local t_plain = cpu(function() for i = 1, N do plain(texts[i]) end end)
local t_repair = cpu(function() for i = 1, N do enc.repair(texts[i]) end end)
texts = nil

b.note("articles", format("%d (%s … d002)", N, dirs[1]))
b.note("sys.readfile", us(t_read))
b.note("lines.plain", us(t_plain))
b.note("enc.repair (clean text)", us(t_repair))
b.note("corpus.files (walk, with sizes)", us(t_walk))
b.note("corpus.read", us(t_corpus))
b.note("articles (trivial extract) - read", us(t_iter - t_corpus))
b.report("sys.readfile vs io.open+read('a')", t_read, t_io, 1.0)
-- corpus.read does all of io.open+read("a") does and more (the walk's entry,
-- the encoding check, the lines): it must still cost no more than that alone.
-- (It was once held to a constant 10 us, which measured the file system.)
b.report("corpus.read vs io.open+read('a')", t_corpus, t_io, 1.0)
b.report("articles iterator vs read + 5 us/article", t_iter, t_corpus + N * 5e-6, 1.0)
