-- -j N and --shard K/N: the output of every format, of -e and of every shipped
-- analysis is the same with 3 workers as with one; shares are disjoint and
-- together are the whole; a worker that dies is reported with its file and the
-- rest is still read; messages and exit status do not depend on -j.
local t = require "t"

local function run(args, env) return t.gisa(args, nil, env) end

-- A corpus of our samples plus files that warn and fail, in nested directories.
local made = 0
local function corpus()
  made = made + 1
  local d = t.tmpdir() .. "/c" .. made
  os.execute("mkdir -p " .. d .. "/a/b " .. d .. "/z && cp corpus/*.txt " .. d .. "/a/ && cp corpus/0[1-3]*.txt " .. d .. "/a/b/")
  t.write(d .. "/z/empty.txt", "")
  t.write(d .. "/z/binary.txt", "abc\0def\n")
  os.execute("ln -s /nonexistent/x " .. d .. "/z/dangling.txt")
  t.write(d .. "/z/latin.txt", "caf\233 au lait\n")
  return d
end

-- An -I directory (under the test's tmpdir) whose rule kills its own process
-- on a line "KILL THIS WORKER"
local function crash_rules(name)
  local inc = t.tmpdir() .. "/" .. name
  os.execute("mkdir -p " .. inc .. "/rules")
  t.write(inc .. "/rules/crash.lua", [[
local sys = require "gisa.sys"
return { rules = { { id = "crash", role = "removed", match = function(line)
  if line.text == "KILL THIS WORKER" then os.execute("kill -KILL " .. sys.getpid()) end
end } } }
]])
  return inc
end

t.test("extract: every format is the same with -j 3 as with -j 1", function()
  local d = corpus()
  for _, f in ipairs{ "jsonl", "csv", "tsv", "json", "markdown", "html", "text" } do
    local one = run{ "extract", "-j", "1", "-f", f, d }
    local three = run{ "extract", "-j", "3", "-f", f, d }
    t.eq(three.out, one.out, "format " .. f)
    t.eq(three.err, one.err, "messages of format " .. f)
    t.eq(three.code, one.code, "exit status of format " .. f)
    t.eq(one.code, 1, "the dangling link fails")
  end
  local sel = { "extract", "-f", "csv", "--fields", "title,authors.name", "--bom" }
  local a = run{ sel[1], "-j", "1", table.unpack(sel, 2) }
  local b = run{ sel[1], "-j", "3", table.unpack(sel, 2) }
  t.eq(b.out, a.out, "--fields and --bom")
end)

t.test("the shared articles extract the same with -j 2", function()
  local shared = t.need_shared()
  local one = run{ "extract", "-j", "1", "corpus/", shared }
  local two = run{ "extract", "-j", "2", "corpus/", shared }
  t.eq(two.out, one.out)
  t.eq(one.code, 0)
end)

-- Past gisa.parallel.warm_min inputs the parent reads the first warm ones
-- itself before it starts the workers: their records, messages (a file that
-- warns, one that fails, among them) and counts still come out in their place.
t.test("many inputs: the ones the parent reads first come out in their place", function()
  local d = t.tmpdir() .. "/many"
  local files = {}
  local ls = io.popen("ls corpus/*.txt")
  for f in ls:lines() do files[#files + 1] = f end
  ls:close()
  os.execute("mkdir -p " .. d .. "/a")
  local cmd = {}
  for i = 1, 270 do
    cmd[#cmd + 1] = string.format("cp %s %s/a/%03d.txt", files[(i - 1) % #files + 1], d, i)
  end
  os.execute(table.concat(cmd, " && "))
  -- warnings from reading, early and late, and a failure of the walk
  t.write(d .. "/a/003x.txt", "")
  t.write(d .. "/a/010x.txt", "abc\0def\n")
  t.write(d .. "/a/011x.txt", "caf\233 au lait\n")
  t.write(d .. "/a/200x.txt", "")
  os.execute("ln -s /nonexistent/x " .. d .. "/a/005x.txt")
  local e = "n = (n or 0) + 1; if NR % 37 == 0 then print(NR, file, title) end"
  for _, args in ipairs{ { "extract" }, { "stats" }, { "-e", e, "-E", "print(n)" } } do
    local one = { table.unpack(args) }; one[#one + 1] = "-j"; one[#one + 1] = "1"; one[#one + 1] = d
    local two = { table.unpack(args) }; two[#two + 1] = "-j"; two[#two + 1] = "2"; two[#two + 1] = d
    local r1, r2 = run(one), run(two)
    local what = table.concat(args, " ")
    t.eq(r2.out, r1.out, what)
    t.eq(r2.err, r1.err, what .. " messages")
    t.eq(r2.code, r1.code, what .. " exit status")
    t.eq(r1.code, 1, what .. ": the dangling link fails")
    t.contains(r1.err, "010x.txt: 1 NUL byte removed", what)
  end
end)

t.test("-e and GISA_JOBS: same output, articles in order", function()
  local d = corpus()
  local code = "n = (n or 0) + 1; print(NR, file, title)"
  local one = run{ "-j", "1", "-e", code, "-E", "print(n)", d }
  local three = run({ "-e", code, "-E", "print(n)", d }, { GISA_JOBS = "3" })
  t.eq(three.out, one.out)
  t.eq(three.err, one.err)
  t.contains(one.out, "\n" .. (select(2, one.out:gsub("\n", "")) - 1) .. "\n", "the count at the end")
end)

t.test("-e: only the fields CODE names cross from the workers; any other use of `a` sends all", function()
  local d = corpus()
  local cases = {
    { "print(NR, title, #body, a.site, article.publisher)" },
    { "print(#a.subtitles, a . copyright)" },
    -- `a` used whole: every field, so pairs sees the record of -j 1
    { "local k = {} for f in pairs(a) do k[#k + 1] = f end table.sort(k) print(table.concat(k, ','))" },
    { "print(_ENV.title, rawget(_ENV, 'x'))" },
    { "print(qa and #qa, n)", "n = 0", "print('end', n)" },
  }
  for _, c in ipairs(cases) do
    local args = { "-e", c[1] }
    if c[2] then args[#args + 1] = "-B"; args[#args + 1] = c[2] end
    if c[3] then args[#args + 1] = "-E"; args[#args + 1] = c[3] end
    args[#args + 1] = d
    local one = run{ "-j", "1", table.unpack(args) }
    local three = run{ "-j", "3", table.unpack(args) }
    t.eq(three.out, one.out, c[1])
    t.eq(three.err, one.err, c[1])
  end
end)

t.test("every shipped analysis gives the same report with -j 3", function()
  local d = corpus()
  local cases = {
    { "stats" }, { "stats", "--by", "month" }, { "freq", "--top", "30" }, { "freq", "--nouns", "--top", "30" },
    { "freq", "--tokens", "space", "--case", "--top", "0" }, { "freq", "--ngrams", "2", "--by", "publisher" },
    { "freq", "--chars", "2", "--forms" }, { "keywords" },
    { "kwic", "반도체" }, { "kwic", "--sort", "left", "의" }, { "collocates", "반도체" },
    { "collocates", "--nouns", "--min", "1", "--top", "0", "의" }, { "quotes" }, { "quotes", "--speaker", "백승아" },
    { "entities" }, { "dups" }, { "timeline" }, { "timeline", "--split", "publisher", "--by", "day" },
    { "report", "-o", "-" },
  }
  for _, c in ipairs(cases) do
    local a = { table.unpack(c) }; a[#a + 1] = "-f"; a[#a + 1] = "jsonl"
    if c[1] == "report" then a = { "report", "-o", "-" } end
    local one = { table.unpack(a) }; table.insert(one, 2, "-j"); table.insert(one, 3, "1"); one[#one + 1] = d
    local three = { table.unpack(a) }; table.insert(three, 2, "-j"); table.insert(three, 3, "3"); three[#three + 1] = d
    local r1, r3 = run(one), run(three)
    t.eq(r3.out, r1.out, table.concat(c, " "))
    t.eq(r3.code, r1.code, table.concat(c, " ") .. " exit status")
    t.eq(r3.err, r1.err, table.concat(c, " ") .. " messages")
    t.ok(#r1.out > 0, table.concat(c, " ") .. " printed something")
  end
end)

-- The analyses that run as gisa.run jobs: three shares' partial states merge
-- into the report of one run over everything (the shared articles too, when
-- they are there: more people, quotes and dates to add up).
t.test("every analysis job: --partial on three shares, then --merge, is one run", function()
  local d = corpus()
  local gold = io.open(t.shared .. "/corpus/gold.jsonl")
  local shared = gold and t.shared .. "/corpus" or nil
  if gold then gold:close() end
  local cases = {
    { "stats" }, { "stats", "--by", "month" }, { "freq" }, { "freq", "--nouns", "--top", "0" },
    { "freq", "--tokens", "space", "--case" }, { "freq", "--ngrams", "2" }, { "kwic", "반도체" },
    { "collocates", "--min", "1", "반도체" }, { "quotes" }, { "entities" },
    { "timeline", "--split", "publisher" },
  }
  local dir = t.tmpdir()
  for n, c in ipairs(cases) do
    local what = table.concat(c, " ")
    local inputs = { d, shared }
    local one = { table.unpack(c) }
    table.insert(one, 2, "-q")
    one[#one + 1] = "-f"; one[#one + 1] = "jsonl"
    for _, p in ipairs(inputs) do one[#one + 1] = p end
    one = run(one)
    local parts = {}
    for k = 1, 3 do
      parts[k] = dir .. "/" .. n .. "-" .. k .. ".part"
      local args = { table.unpack(c) }
      table.insert(args, 2, "-q"); table.insert(args, 3, "--partial")
      table.insert(args, 4, "--shard"); table.insert(args, 5, k .. "/3")
      table.insert(args, 6, "-o"); table.insert(args, 7, parts[k])
      for _, p in ipairs(inputs) do args[#args + 1] = p end
      local r = run(args)
      t.eq(r.out, "", what .. ": the partial state goes to -o")
      t.ok(t.read(parts[k]):sub(1, 15) == "GISA-PARTIAL 2\n", what .. ": share " .. k .. " wrote a partial state")
    end
    local m = { table.unpack(c) }
    table.insert(m, 2, "--merge")
    m[#m + 1] = "-f"; m[#m + 1] = "jsonl"
    for k = 1, 3 do m[#m + 1] = parts[k] end
    local merged = run(m)
    t.eq(merged.err, "", what .. ": no message")
    t.eq(merged.code, 0, what .. ": exit status")
    t.eq(merged.out, one.out, what .. ": merged shares = one run")
    t.ok(#one.out > 0, what .. " printed something")
  end
  -- a state of another analysis, or of the same one with other options, is refused
  local r = run{ "stats", "--merge", dir .. "/3-1.part" }
  t.eq(r.code, 1); t.contains(r.err, "a partial state of 'freq', not of 'stats --by publisher'")
  r = run{ "freq", "--case", "--merge", dir .. "/3-1.part" }
  t.eq(r.code, 1); t.contains(r.err, "a partial state of 'freq', not of 'freq --case'")
  t.ok(not r.err:find("traceback", 1, true), "the refusal is a message, not a crash")
  r = run{ "freq", "--raw", "--partial", d }
  t.eq(r.code, 2); t.contains(r.err, "--raw reads files, not articles")
end)

t.test("--shard K/N: disjoint shares that make up the whole", function()
  local d = corpus()
  local whole = run{ "extract", "-q", "-j", "1", d }
  local seen, total = {}, 0
  for k = 1, 3 do
    local r = run{ "extract", "-q", "--shard", k .. "/3", "-j", (k == 2 and "2" or "1"), d }
    for line in r.out:gmatch("[^\n]+") do
      t.ok(not seen[line], "a record in two shares")
      seen[line] = true
      total = total + 1
    end
  end
  local n = 0
  for line in whole.out:gmatch("[^\n]+") do n = n + 1; t.ok(seen[line], "a record in no share") end
  t.eq(total, n, "records in the shares")
  -- stable: the same share twice is the same output
  t.eq(run{ "extract", "-q", "--shard", "2/3", d }.out, run{ "extract", "-q", "--shard", "2/3", d }.out)
end)

t.test("usage errors: --shard 3/2, --shard x, -j 0", function()
  local r = run{ "extract", "--shard", "3/2", "corpus/" }
  t.eq(r.code, 2); t.contains(r.err, "--shard 3/2: K must be between 1 and N")
  r = run{ "extract", "--shard", "x", "corpus/" }
  t.eq(r.code, 2); t.contains(r.err, "--shard needs K/N (for example 2/8), not 'x'")
  r = run{ "stats", "-j", "0", "corpus/" }
  t.eq(r.code, 2); t.contains(r.err, "option '-j' needs a whole number >= 1, not 0")
  r = run({ "extract", "corpus/" }, { GISA_JOBS = "many" })
  t.eq(r.code, 0); t.contains(r.err, "GISA_JOBS=many is not a whole number >= 1")
end)

t.test("a worker that dies is reported with its file; the others are read", function()
  local d = corpus()
  local inc = crash_rules("inc")
  t.write(d .. "/a/b/zz_crash.txt", "제목\n\nKILL THIS WORKER\n")
  local r = run{ "extract", "-q", "-j", "2", "-I", inc, d }
  t.eq(r.code, 1)
  t.match(r.err, "zz_crash%.txt: worker process died %(signal 9%) while on this input")
  local ok = run{ "extract", "-q", "-j", "1", d }
  local n_all = select(2, ok.out:gsub("\n", ""))
  local n = select(2, r.out:gsub("\n", ""))
  t.eq(n, n_all - 1, "every other article is still extracted")
end)

t.test("a worker told to stop (SIGTERM) stops, even inside a pcall of the code it runs", function()
  local dir = t.tmpdir() .. "/stop"
  os.execute("mkdir -p " .. dir)
  -- four items, two a worker; the first sends a large result at once (a
  -- flush), the others spin in a pcall for 2 s and leave a file when the
  -- pcall caught the signal that closing the workers sends them
  t.write(dir .. "/job.lua", [[
local parallel = require "gisa.pipeline.parallel"
local sys = require "gisa.sys"
local dir = arg[1]
parallel.batch = 2
local i = 0
local next_result, close = parallel.map(2, function() i = i + 1; if i <= 4 then return i end end,
  function(item, emit)
    if item == 1 then emit("big", ("x"):rep(100000)); return end
    local ok, err = pcall(function() local t0 = os.clock(); while os.clock() - t0 < 2 do end end)
    if not ok then
      local f = io.open(dir .. "/caught." .. sys.getpid(), "w")
      f:write(tostring(err)); f:close()
    end
  end)
local kind = next_result()
close()
print(kind)
]])
  local r = run{ dir .. "/job.lua", dir }
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "big\n")
  local p = io.popen("ls " .. dir)
  local left = p:read("a"); p:close()
  t.eq(left, "job.lua\n", "no worker went on after the signal")
end)

t.test("the parent sleeps until the worker on the next input in order sends, not at every message", function()
  local dir = t.tmpdir() .. "/owner"
  os.execute("mkdir -p " .. dir)
  -- worker 1 has inputs 1-4 and spends 0.3 s on the first; worker 2 has 5-8
  -- and sends a message for each. Until the first result, the parent waits
  -- (a proc.ready without a timeout) on worker 1 alone: woken by each message
  -- of worker 2 instead, it would also hand it more of the 40 inputs.
  t.write(dir .. "/job.lua", [[
local parallel = require "gisa.pipeline.parallel"
local proc = require "gisa.proc"
parallel.batch, parallel.ahead, parallel.flush_inputs = 1, 4, 1
local waits, real = 0, proc.ready
proc.ready = function(list, timeout)
  if not timeout or timeout < 0 then waits = waits + 1 end
  return real(list, timeout)
end
local i = 0
local next_result = parallel.map(2, function() i = i + 1; if i <= 40 then return i end end,
  function(item, emit)
    if item == 1 then local t0 = os.clock(); while os.clock() - t0 < 0.3 do end end
    emit("n", item)
  end)
local got, first = {}, nil
for _, v in next_result do got[#got + 1] = v; first = first or waits end
print(table.concat(got, " ", 1, 10), #got, first)
]])
  local r = run{ dir .. "/job.lua" }
  t.eq(r.code, 0, r.err)
  local order, n, waits = r.out:match("^(.-)\t(%d+)\t(%d+)\n$")
  t.eq(order, "1 2 3 4 5 6 7 8 9 10")
  t.eq(n, "40")
  t.ok(tonumber(waits) <= 2, "the parent slept " .. tostring(waits) .. " times before the first result, not once a message of worker 2")
end)

-- A job with each/merge/finish: titles per site and paragraphs in order.
local JOB = [[
gisa.run{ paths = arg,
  state = function() return { n = 0, sites = {}, titles = {} } end,
  each = function(a, s)
    s.n = s.n + 1
    local k = a.site or "-"
    s.sites[k] = (s.sites[k] or 0) + #a.body
    s.titles[#s.titles + 1] = a.title or "?"
  end,
  merge = function(x, y)
    x.n = x.n + y.n
    for k, v in pairs(y.sites) do x.sites[k] = (x.sites[k] or 0) + v end
    for _, t in ipairs(y.titles) do x.titles[#x.titles + 1] = t end
    return x
  end,
  finish = function(s, nr)
    local keys = {}
    for k in pairs(s.sites) do keys[#keys + 1] = k end
    table.sort(keys)
    print(s.n, nr)
    for _, k in ipairs(keys) do print(k, s.sites[k]) end
    print(table.concat(s.titles, "|"))
  end }
]]

t.test("gisa.run: each in workers, states merged in input order; --partial and --merge", function()
  local d = corpus()
  local job = t.tmpdir() .. "/job" .. made .. ".lua"
  t.write(job, JOB)
  local one = run{ "-j", "1", job, d }
  t.eq(one.code, 1, "the dangling link fails")
  local three = run{ "-j", "3", job, d }
  t.eq(three.out, one.out, "-j 3")
  t.eq(three.err, one.err, "-j 3 messages")
  -- three shares written as partial states, then merged: the report of one run
  -- (titles in share order, so only the counts are compared in order)
  local parts = {}
  for k = 1, 3 do
    local part = t.tmpdir() .. "/part" .. made .. "-" .. k
    local r = t.sh(t.shquote(t.bin) .. " -q --partial --shard " .. k .. "/3 " .. t.shquote(job) .. " " .. t.shquote(d) .. " > " .. part)
    t.eq(r.code, 1, "share " .. k .. " (the dangling link is in every share's walk)")
    parts[k] = part
  end
  local merged = run{ "--merge", job, parts[1], parts[2], parts[3] }
  t.eq(merged.code, 0, merged.err)
  local function head(s) return (s:gsub("\n[^\n]*\n$", "\n")) end
  t.eq(head(merged.out), head(one.out), "counts of the merged shares")
  local titles = {}
  for tt in one.out:match("([^\n]*)\n$"):gmatch("[^|]+") do titles[#titles + 1] = tt end
  local mt = {}
  for tt in merged.out:match("([^\n]*)\n$"):gmatch("[^|]+") do mt[#mt + 1] = tt end
  table.sort(titles); table.sort(mt)
  t.eq(mt, titles, "every title once")
  -- refused: another job's state, a damaged file, not a partial state
  local other = t.tmpdir() .. "/other" .. made .. ".lua"
  t.write(other, JOB)
  local r = run{ "--merge", other, parts[1] }
  t.eq(r.code, 1)
  t.contains(r.err, "a partial state of '" .. job .. "', not of '" .. other .. "'")
  local bad = t.tmpdir() .. "/bad" .. made
  t.write(bad, (t.read(parts[1]):sub(1, 40)))
  r = run{ "--merge", job, bad }
  t.eq(r.code, 1); t.match(r.err, "damaged partial state %(truncated")
  r = run{ "--merge", job, job }
  t.eq(r.code, 1); t.contains(r.err, "not a partial state written by gisa --partial")
  r = run{ "--merge", job, t.tmpdir() }
  t.eq(r.code, 1); t.contains(r.err, t.tmpdir() .. ": Is a directory"); t.ok(not r.err:find("traceback"), r.err)
  r = run{ "--partial", "-e", "print(1)", "corpus/" }
  t.eq(r.code, 2); t.contains(r.err, "--partial and --merge need a job with 'state' and 'merge' functions")
end)

-- A job whose state is written in pieces: one frame a title, merged one at a
-- time; merge is told which file each piece came from.
local PIECES_JOB = [[
gisa.run{ paths = arg,
  state = function() return { titles = {}, from = {} } end,
  each = function(a, s) s.titles[#s.titles + 1] = a.title or "?" end,
  pieces = function(s)
    local i = 0
    return function()
      i = i + 1
      if s.titles[i] then return { titles = { s.titles[i] }, from = {} } end
    end
  end,
  merge = function(x, y, k)
    for _, t in ipairs(y.titles) do x.titles[#x.titles + 1] = t; x.from[#x.from + 1] = k or 0 end
    return x
  end,
  finish = function(s, nr) print(nr, #s.titles, table.concat(s.from, ",")) end }
]]

t.test("--partial writes a state in pieces; --merge reads them one at a time, with the file's position", function()
  local job = t.tmpdir() .. "/pieces.lua"
  t.write(job, PIECES_JOB)
  local parts, counts = {}, {}
  for k = 1, 2 do
    parts[k] = t.tmpdir() .. "/pieces-" .. k .. ".part"
    local r = t.sh(t.shquote(t.bin) .. " -q --partial --shard " .. k .. "/2 " .. t.shquote(job) .. " corpus/ > " .. parts[k])
    t.eq(r.code, 0, r.err)
    counts[k] = run{ "-q", "--shard", k .. "/2", "-e", "", "-E", "print(NR)", "corpus/" }.out:match("%d+")
  end
  local r = run{ "--merge", job, parts[1], parts[2] }
  t.eq(r.code, 0, r.err)
  local from = {}
  for k = 1, 2 do for _ = 1, tonumber(counts[k]) do from[#from + 1] = k end end
  local n = tonumber(counts[1]) + tonumber(counts[2])
  t.eq(r.out, n .. "\t" .. n .. "\t" .. table.concat(from, ",") .. "\n")
  -- the end frame is missing: refused, not taken for a smaller state
  local cut = t.tmpdir() .. "/pieces-cut.part"
  local data = t.read(parts[1])
  t.write(cut, data:sub(1, -5))
  r = run{ "--merge", job, cut }
  t.eq(r.code, 1); t.contains(r.err, cut .. ": damaged partial state (truncated at byte " .. (#data - 4) .. ")")
  -- a partial state of the earlier layout names its version
  t.write(cut, "GISA-PARTIAL 1\n" .. data:sub(16))
  r = run{ "--merge", job, cut }
  t.eq(r.code, 1); t.contains(r.err, "a partial state in another layout (GISA-PARTIAL 1)")
end)

t.test("threads: gisa.count starts one thread in a worker, cores / N in the parent of N", function()
  local d = corpus()
  local job = t.tmpdir() .. "/threads.lua"
  t.write(job, [[
gisa.run{ paths = arg,
  state = function() return { t = {} } end,
  each = function(a, s)
    s.t[#s.t + 1] = tostring(require("gisa.count").threads) .. "/" .. require("gisa.pipeline.parallel").threads()
  end,
  merge = function(a, b) for _, x in ipairs(b.t) do a.t[#a.t + 1] = x end; return a end,
  finish = function(s) print(s.t[1], s.t[#s.t]) end }
]])
  local r = run{ "-q", "-j", "2", job, d }
  t.eq(r.out, "1/1\t1/1\n", "count.threads and parallel.threads() in the workers")
  local ncpu = require("gisa.proc").ncpu()
  r = run{ "-q", "-j", "1", job, d }
  t.eq(r.out, "nil/" .. ncpu .. "\tnil/" .. ncpu .. "\n", "one process: every core (count.threads unset)")
  local count = require "gisa.count"
  local saved = count.threads
  count.threads = 1
  local c = count.new()
  t.eq(c:add(("가 나 "):rep(100000)), 200000, "counts with the default taken from count.threads")
  c:close()
  count.threads = saved
end)

t.test("-j 3 on an input with no article, or ending in files the walk skips, ends as -j 1 does (no wait on idle workers)", function()
  local empty = t.tmpdir() .. "/no-article"
  os.execute("mkdir -p " .. empty)
  local tail = t.tmpdir() .. "/skips-last"
  os.execute("mkdir -p " .. tail)
  t.write(tail .. "/a.txt", "제목\n\n본문입니다.\n")
  t.write(tail .. "/z.txt", "")                 -- empty: a warning, no article
  for _, dir in ipairs({ empty, tail }) do
    for _, args in ipairs({ { "extract", "-o", "/dev/null" }, { "extract" }, { "freq" } }) do
      local function run(j)
        local cmd = { "timeout", "-s", "KILL", "30", t.bin, "-j", j }
        for _, a in ipairs(args) do cmd[#cmd + 1] = a end
        cmd[#cmd + 1] = dir
        for i, a in ipairs(cmd) do cmd[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
        return t.sh(table.concat(cmd, " "))
      end
      local one, three = run("1"), run("3")
      t.ok(three.code ~= 137, "-j 3 " .. table.concat(args, " ") .. " " .. dir .. " hung")
      t.eq(three.code, one.code)
      t.eq(three.out, one.out)
      t.eq(three.err, one.err)
    end
  end
end)

-- A fold: under -j a worker folds the articles of consecutive files into one
-- state, sent with the last of them, so the parent merges a few states, not
-- one a file; merged in input order, messages in place, and a worker that
-- dies loses no state of a file it reported done (nor counts one twice).
local FOLD_JOB = [[
local merges = 0
gisa.run{ paths = arg,
  state = function() return { n = 0, titles = {} } end,
  each = function(a, s)
    s.n = s.n + 1
    s.titles[#s.titles + 1] = a.title or "?"
  end,
  merge = function(x, y)
    merges = merges + 1
    x.n = x.n + y.n
    for _, t in ipairs(y.titles) do x.titles[#x.titles + 1] = t end
    return x
  end,
  finish = function(s, nr)
    print("merges", merges)
    print(s.n, nr)
    print(table.concat(s.titles, "|"))
  end }
]]

t.test("gisa.run folds consecutive files into one state in a worker: few merges, input order, messages in place", function()
  local d = t.tmpdir() .. "/fold"
  for k = 0, 5 do os.execute("mkdir -p " .. d .. "/d" .. k) end
  for i = 1, 600 do
    local sub = d .. "/d" .. ((i - 1) // 100)
    if i % 97 == 0 then t.write(sub .. string.format("/%04d.txt", i), "")     -- a warning in its place
    else t.write(sub .. string.format("/%04d.txt", i), "기사 " .. i .. " 제목\n\n본문 " .. i .. "입니다.\n") end
  end
  local job = t.tmpdir() .. "/fold.lua"
  t.write(job, FOLD_JOB)
  local one = run{ "-j", "1", job, d }
  local function rest(s) return (s:gsub("^merges\t%d+\n", "")) end
  local function merges(s) return tonumber(s:match("^merges\t(%d+)\n")) end
  t.ok(one.out:find("기사 1 제목|기사 2 제목|", 1, true), "titles in input order")
  for _, j in ipairs{ "2", "3" } do
    local r = run{ "-j", j, job, d }
    t.eq(rest(r.out), rest(one.out), "-j " .. j)
    t.eq(r.err, one.err, "-j " .. j .. " messages")
    t.eq(r.code, one.code)
    t.ok(merges(r.out) < 100, "-j " .. j .. ": " .. tostring(merges(r.out)) .. " merges for 600 files")
  end
  -- the last state of a fold is sent before the worker waits: a small input too
  local small = run{ "-j", "2", job, d .. "/d0" }
  t.eq(rest(small.out), rest(run{ "-j", "1", job, d .. "/d0" }.out), "99 files at -j 2")

  -- a worker killed on one file: that file is reported, every other is counted once
  local foldinc = crash_rules("foldinc")
  t.write(d .. "/d3/0350b.txt", "제목\n\nKILL THIS WORKER\n")
  local r = run{ "-q", "-j", "2", "-I", foldinc, job, d }
  t.eq(r.code, 1)
  t.match(r.err, "0350b%.txt: worker process died %(signal 9%) while on this input")
  os.remove(d .. "/d3/0350b.txt")
  local want = run{ "-q", "-j", "1", job, d }
  t.eq(rest(r.out), rest(want.out), "every other file's articles, once each, in order")
end)
