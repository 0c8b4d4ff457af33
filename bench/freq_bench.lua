-- bench/freq_bench: `gisa freq` against mawk and Python counting the same
-- tokens of ~100 MB of text, side by side in one run (medians of BENCH_RUNS).
--
-- Data: $GISA_BENCH_TEXT (a file) if set, else bench/data/freq-100mb.txt,
-- built once from corpus/*.txt: the UTF-8 articles repeated, with the numbers
-- of each copy changed so that the vocabulary grows as a real corpus's does.
--
-- Targets (issue 7): freq >= 2x mawk '{for(i=1;i<=NF;i++)c[$i]++}' and >= 10x
-- Python's collections.Counter(text.split()), counting whitespace tokens
-- (`freq --raw --tokens space --case --all`: exactly the tokens awk counts).
-- Word mode (letters and digits, lowercased, stopwords out: what freq does by
-- default) is reported against the same baselines, without a target.

local b = require "lib"
local sys = require "gisa.sys"

local SIZE = tonumber(os.getenv("GISA_BENCH_MB") or "100") * 1000 * 1000

local function sh(cmd)
  local p = io.popen(cmd)
  local out = p:read("a")
  p:close()
  return out
end

local function have(cmd)
  return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") == true
end

-- Build the data file unless it is there with the right size.
local function data_file()
  local env = os.getenv("GISA_BENCH_TEXT")
  if env then return env end
  os.execute("mkdir -p bench/data")
  local path = "bench/data/freq-100mb.txt"
  local kind, size = sys.stat(path)
  if kind == "file" and size >= SIZE then return path end
  local texts = {}
  for _, name in ipairs(sys.listdir("corpus") or {}) do
    if name:find("%.txt$") then
      local s = sys.readfile("corpus/" .. name)
      if s and utf8.len(s) then texts[#texts + 1] = s:gsub("\r\n?", "\n") end   -- UTF-8 files only
    end
  end
  assert(#texts > 0, "bench: no UTF-8 articles in corpus/")
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  local written, copy = 0, 0
  while written < SIZE do
    copy = copy + 1
    for _, s in ipairs(texts) do
      local t = s:gsub("%d+", function(d) return tostring((tonumber(d) or 0) + copy % 997) end)
      f:write(t, "\n")
      written = written + #t + 1
    end
  end
  f:close()
  assert(os.rename(tmp, path))
  return path
end

local file = data_file()
local _, bytes = sys.stat(file)
local q = "'" .. file:gsub("'", "'\\''") .. "'"
local gisa_bin = "./gisa"
b.note("freq: data", string.format("%s, %.1f MB, %s tokens (wc -w)", file, bytes / 1e6,
  sh("wc -w < " .. q):match("%d+")))

-- Same tokens, same counts: awk's top 5 must be ours.
local ours_top = sh(gisa_bin .. " freq --raw --tokens space --case --all -n 5 -f tsv " .. q)
local awk_top = sh("mawk '{for(i=1;i<=NF;i++)c[$i]++} END{for(w in c) print c[w] \"\\t\" w}' " .. q ..
  " | sort -k1,1nr -k2,2 | head -5")
local a_counts, o_counts = {}, {}
for n, w in awk_top:gmatch("(%d+)\t([^\n]+)") do a_counts[#a_counts + 1] = w .. "=" .. n end
for w, n in ours_top:gmatch("\n%d+\t([^\t]+)\t(%d+)") do o_counts[#o_counts + 1] = w .. "=" .. n end
local same = table.concat(a_counts, " ") == table.concat(o_counts, " ")
b.note("freq: top 5 equal to mawk's", same and ("yes: " .. table.concat(o_counts, " "))
  or ("NO: ours " .. table.concat(o_counts, " ") .. " / mawk " .. table.concat(a_counts, " ")))

-- mawk and Python count on one core: so does gisa for the ratios (taskset -c 0
-- leaves gisa.count one CPU, hence one thread); its figure on every core is
-- given beside them, not as a ratio.
local one_core = have("taskset") and "taskset -c 0 " or ""
local ours_space = b.time_cmd(one_core .. gisa_bin .. " freq --raw --tokens space --case --all -n 20 -f tsv " .. q)
local ours_words = b.time_cmd(one_core .. gisa_bin .. " freq --raw -n 20 -f tsv " .. q)
local ours_all_cores = b.time_cmd(gisa_bin .. " freq --raw --tokens space --case --all -n 20 -f tsv " .. q)
b.note("freq: cores", one_core ~= "" and string.format("ratios on one core (taskset -c 0); on %d cores (gisa.count's threads): %.0f MB/s",
  require("gisa.proc").ncpu(), bytes / 1e6 / ours_all_cores) or "taskset missing: gisa.count used every core, the baselines one")
local mawk = have("mawk") and b.time_cmd("mawk '{for(i=1;i<=NF;i++)c[$i]++}' " .. q)
local py = have("python3") and b.time_cmd("python3 -c 'import collections,sys; " ..
  "collections.Counter(open(sys.argv[1], encoding=\"utf-8\").read().split())' " .. q)

if mawk then
  b.report("freq --raw --tokens space vs mawk", ours_space, mawk, 2, "same tokens")
  b.report("freq --raw (words) vs mawk", ours_words, mawk, nil, "words, lowercased, stopwords")
else
  b.note("freq vs mawk", "skipped: mawk is not installed")
end
if py then
  b.report("freq --raw --tokens space vs python Counter", ours_space, py, 10, "same tokens")
  b.report("freq --raw (words) vs python Counter", ours_words, py, nil, "words, lowercased, stopwords")
else
  b.note("freq vs python", "skipped: python3 is not installed")
end
b.note("freq: throughput", string.format("%.0f MB/s (space tokens), %.0f MB/s (words)",
  bytes / 1e6 / ours_space, bytes / 1e6 / ours_words))
