-- html_bench: saved web pages -> article records. Generates BENCH_HTML_PAGES
-- (2,000) pages of 50-100 KB shaped like real Korean news pages (bench/html_pages.lua:
-- scripts, navigation, related lists; made on the fly, never stored), extracts
-- them on one core (parse, blocks, line rules, metadata) and reports pages/s
-- against the 400 pages/s floor and the Lua memory along the run. Then, on the
-- same first BENCH_HTML_PEER_PAGES (50) pages written to build/bench-html/, the
-- ratio of `gisa extract -j 1` to readability-lxml (Debian python3-readability)
-- and to Mozilla Readability with jsdom (npm, installed by `tools/deps bench`
-- into build/node_modules): per page once started and as whole processes,
-- medians of BENCH_HTML_PEER_RUNS (3) runs. gisa reads the pages
-- BENCH_HTML_GISA_REPEAT (10) times in its run: CPU times come in hundredths
-- of a second, and one pass over the pages takes about a tenth.
local lib = require "lib"
local gen = require "html_pages"
local sys = require "gisa.sys"
local html = require "gisa.html"
local page = require "gisa.html.page"
local extract = require "gisa.engine"

local N = tonumber(os.getenv("BENCH_HTML_PAGES") or "2000")
local PEER_N = tonumber(os.getenv("BENCH_HTML_PEER_PAGES") or "50")
local reg = extract.registry()

-- One page from bytes to record, as `gisa extract` does it; the CPU time of
-- each part added to parts (parse: charset, libxml2 and the Lua tree; blocks:
-- the block walk, hints and metadata; rules: the line rules and post).
local parts = { 0, 0, 0 }
local function one(bytes, i)
  local t0 = sys.cputime()
  local doc = html.parse(bytes)
  local t1 = sys.cputime()
  local input = page.input(doc, { registry = reg })
  local t2 = sys.cputime()
  local rec = page.record(input, { file = "page" .. i .. ".html" })
  local t3 = sys.cputime()
  parts[1], parts[2], parts[3] = parts[1] + (t1 - t0), parts[2] + (t2 - t1), parts[3] + (t3 - t2)
  return rec
end

-- The run: pages made one at a time (their making is not timed), memory read
-- after a full collection at each tenth of the run.
local cpu, bytes, fields = 0, 0, 0
local mem = {}
collectgarbage("collect")
local mem0 = collectgarbage("count")
for i = 1, N do
  local p = gen.page(i)
  bytes = bytes + #p
  local t0 = sys.cputime()
  local rec = one(p, i)
  cpu = cpu + (sys.cputime() - t0)
  if rec.title and #rec.body > 0 then fields = fields + 1 end
  if i % math.max(1, N // 10) == 0 then
    collectgarbage("collect")
    mem[#mem + 1] = collectgarbage("count")
  end
end
local rate = N / cpu
lib.note("html: pages extracted (title and body)", string.format("%d of %d, %.1f MB, avg %.0f KB",
  fields, N, bytes / 1e6, bytes / N / 1024))
-- the floor as a ratio: 1/400 s a page is the baseline
lib.report(string.format("html: %d pages, one core (CPU s)", N), cpu, N / 400, 1.0,
  string.format("%.0f pages/s, floor 400", rate))
lib.note("html: a page's parts (CPU ms)", string.format("parse %.2f, blocks and hints %.2f, line rules %.2f",
  parts[1] / N * 1000, parts[2] / N * 1000, parts[3] / N * 1000))
local lo, hi = math.huge, 0
for _, m in ipairs(mem) do lo, hi = math.min(lo, m), math.max(hi, m) end
lib.note("html: Lua memory along the run", string.format("start %.0f KB, tenths %s KB (spread %.0f KB: %s)",
  mem0, table.concat((function() local t = {} for k, m in ipairs(mem) do t[k] = string.format("%.0f", m) end return t end)(), " "),
  hi - lo, (hi - lo) < 4096 and "flat" or "GROWS"))

------------------------------------------------------------------------------
-- Peers, on the same pages
------------------------------------------------------------------------------

local dir = "build/bench-html"
os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir)
local files = {}
for i = 1, PEER_N do
  local f = string.format("%s/page%04d.html", dir, i)
  local fh = assert(io.open(f, "wb"))
  fh:write(gen.page(i))
  fh:close()
  files[#files + 1] = f
end
local list = table.concat(files, " ")

local cpu_cmd = lib.cpu_cmd

-- Each program runs RUNS times on the pages (alternating with the others) and
-- on the first page alone (its start-up: Lua and the rules, Python and lxml,
-- node and jsdom); medians. The ratio that counts is per page once started
-- (a corpus is thousands of pages a process); whole processes on these pages
-- are reported beside it. gisa runs on one core (-j 1), as the peers do.
local RUNS = tonumber(os.getenv("BENCH_HTML_PEER_RUNS") or "3")
local REPEAT = math.max(1, tonumber(os.getenv("BENCH_HTML_GISA_REPEAT") or "10") // 1)
local progs = {
  { name = "gisa", cmd = "./gisa extract -j 1 -o /dev/null", rep = REPEAT },
  { name = "readability-lxml", check = "/usr/bin/python3 -c 'import readability'",
    cmd = "/usr/bin/python3 bench/peers/readability_lxml.py", target = 10 },
  { name = "Mozilla Readability",
    check = "node -e 'require(\"./build/node_modules/jsdom\"); require(\"./build/node_modules/@mozilla/readability\")'",
    cmd = "node bench/peers/mozilla_readability.js" },
}
local kind = "CPU"
for _, p in ipairs(progs) do
  p.ok = not p.check or os.execute(p.check .. " >/dev/null 2>&1")
  p.whole, p.one = {}, {}
end
for _ = 1, RUNS do
  for _, p in ipairs(progs) do
    if p.ok then
      local t, k = cpu_cmd(p.cmd .. " " .. string.rep(list, p.rep or 1, " "))
      p.whole[#p.whole + 1] = t
      p.one[#p.one + 1] = cpu_cmd(p.cmd .. " " .. files[1])
      if k ~= "CPU" then kind = k end
    end
  end
end
local function median(l)
  table.sort(l)
  return l[(#l + 1) // 2]
end
for _, p in ipairs(progs) do
  if p.ok then
    p.w, p.s = median(p.whole), median(p.one)
    p.pages = PEER_N * (p.rep or 1)
    p.per = math.max(1e-6, (p.w - p.s) / math.max(1, p.pages - 1))
  end
end
local ours = progs[1]
-- gisa's whole process on the PEER_N pages, from its longer run
local ours_w = ours.s + ours.per * (PEER_N - 1)
for i = 2, #progs do
  local p = progs[i]
  if not p.ok then
    lib.note("html: vs " .. p.name, "not run: " .. p.check .. " failed (tools/deps bench installs it)")
  else
    lib.report(string.format("html: vs %s, per page", p.name), ours.per, p.per, p.target,
      string.format("%.2f vs %.2f ms a page once started (start-up %.2f vs %.2f s), %s s, medians of %d",
        ours.per * 1000, p.per * 1000, ours.s, p.s, kind, RUNS))
    lib.note(string.format("html: vs %s, %d pages, whole processes", p.name, PEER_N),
      string.format("%.2f vs %.2f s, %.1fx (%.0f vs %.0f pages/s; gisa's: start-up + %d x its page)", ours_w, p.w,
        p.w / ours_w, PEER_N / ours_w, PEER_N / p.w, PEER_N - 1))
  end
end
os.execute("rm -rf " .. dir)
