-- A job's `fields` (gisa.run) and the post passes that fill only other
-- fields: the quote finder runs only for jobs that read `quotes`, in this
-- process, in the workers under -j and for the shipped analyses; what each
-- job sees of the fields it reads does not change.
local t = require "t"

local ARTICLE = "반도체 공장 짓는다\n\n" ..
  "김하늘 대표는 \"내년에는 공장을 두 곳 더 짓겠다\"고 말했다.\n" ..
  "회사는 올해 매출이 늘었다고 밝혔다.\n"

local function sample()
  local d = t.tmpdir() .. "/fields-sample"
  os.execute("mkdir -p " .. d)
  t.write(d .. "/1.txt", ARTICLE)
  t.write(d .. "/2.txt", "둘째 기사 제목\n\n본문입니다.\n")
  return d
end

-- The quotes each article had when `each` saw it, and its titles (-j 1: the
-- whole record, whatever the fields).
local function seen(fields)
  local got = {}
  gisa.run{ paths = sample(), fields = fields, opts = { jobs = 1 },
    each = function(a) got[#got + 1] = (a.title or "?") .. ":" .. #a.quotes end }
  return table.concat(got, " ")
end

t.test("gisa.run: a job whose fields leave out quotes is spared the quote finder", function()
  t.eq(seen(nil), "반도체 공장 짓는다:1 둘째 기사 제목:0", "no fields: every field")
  t.eq(seen({ "title", "quotes" }), "반도체 공장 짓는다:1 둘째 기사 제목:0")
  t.eq(seen({ "title", "body" }), "반도체 공장 짓는다:0 둘째 기사 제목:0", "quotes stays an empty list")
  -- after the job, and for gisa.extract inside one, every pass runs again
  local a = gisa.articles(sample(), { jobs = 1 })()
  t.eq(#a.quotes, 1, "gisa.articles after the job")
  local inner
  gisa.run{ paths = sample(), fields = { "title" }, opts = { jobs = 1 },
    each = function() inner = inner or #gisa.extract(ARTICLE).quotes end }
  t.eq(inner, 1, "gisa.extract within each")
  t.checkerr("gisa.run: 'fields' must be a list of record fields", gisa.run, { paths = sample(), fields = "title" })
  t.checkerr("gisa.run: 'fields' must be a list of record fields", gisa.run, { paths = sample(), fields = { 1 } })
end)

-- A job that counts the quotes its articles have, reading FIELDS.
local JOB = [[
local fields = os.getenv("JOB_FIELDS")
local list = {}
for f in (fields or ""):gmatch("[^,]+") do list[#list + 1] = f end
gisa.run{ paths = arg, fields = fields and list or nil,
  state = function() return { n = 0, q = 0 } end,
  each = function(a, s) s.n = s.n + 1; s.q = s.q + #a.quotes end,
  merge = function(x, y) x.n = x.n + y.n; x.q = x.q + y.q; return x end,
  finish = function(s) print(s.n, s.q) end }
]]

t.test("under -j the workers honour a job's fields; --partial and --merge too", function()
  local job = t.write(t.tmpdir() .. "/fields-job.lua", JOB)
  local all = t.gisa({ "-q", "-j", "1", job, "corpus/" })
  t.eq(all.code, 0, all.err)
  local n, q = all.out:match("^(%d+)\t(%d+)\n$")
  t.ok(tonumber(q) > 0, "the samples have quotes: " .. all.out)
  for _, j in ipairs({ "1", "3" }) do
    t.eq(t.gisa({ "-q", "-j", j, job, "corpus/" }, nil, { JOB_FIELDS = "title,quotes" }).out, all.out, "-j " .. j)
    t.eq(t.gisa({ "-q", "-j", j, job, "corpus/" }, nil, { JOB_FIELDS = "title,body" }).out, n .. "\t0\n", "-j " .. j)
  end
  local part = t.tmpdir() .. "/fields-part"
  local r = t.sh("JOB_FIELDS=body " .. t.shquote(t.bin) .. " -q -j 2 --partial " .. t.shquote(job) .. " corpus/ > " .. part)
  t.eq(r.code, 0, r.err)
  t.eq(t.gisa({ "--merge", job, part }, nil, { JOB_FIELDS = "body" }).out, n .. "\t0\n")
end)

-- An extension whose post pass says on standard error that it ran; it fills
-- `quotes`, as the quote finder does.
local function probe()
  local d = t.tmpdir() .. "/fields-inc"
  os.execute("mkdir -p " .. d .. "/rules")
  t.write(d .. "/rules/probe.lua", [[
return { post = { { id = "probe", fills = { "quotes" },
  run = function(rec) io.stderr:write("PROBE RAN\n") end } } }
]])
  return d
end

t.test("the shipped analyses that read no quotes run no pass that fills them, at -j 1 and -j 2", function()
  local inc = probe()
  local quiet = {
    { "stats" }, { "stats", "--by", "publisher" }, { "freq" }, { "freq", "--nouns" }, { "timeline" },
    { "kwic", "반도체" }, { "collocates", "반도체" }, { "keywords" }, { "dups" }, { "entities" },
    { "-e", "print(title)" },
  }
  for _, j in ipairs({ "1", "2" }) do
    for _, cmd in ipairs(quiet) do
      local args = { "-I", inc, "-j", j }
      for _, a in ipairs(cmd) do args[#args + 1] = a end
      args[#args + 1] = "corpus/"
      local r = t.gisa(args)
      t.eq(r.code, 0, table.concat(cmd, " ") .. ": " .. r.err)
      t.ok(not r.err:find("PROBE RAN"), table.concat(cmd, " ") .. " -j " .. j .. " ran the pass")
    end
    -- those that read them do
    for _, cmd in ipairs({ { "quotes" }, { "extract" }, { "-e", "print(#quotes)" }, { "report", "-o", "/dev/null" } }) do
      local args = { "-I", inc, "-j", j }
      for _, a in ipairs(cmd) do args[#args + 1] = a end
      args[#args + 1] = "corpus/031_zdnet_library.txt"
      local r = t.gisa(args)
      t.contains(r.err, "PROBE RAN", table.concat(cmd, " ") .. " -j " .. j)
    end
  end
end)

t.test("a post pass's fills must be a list of record fields", function()
  local d = t.tmpdir() .. "/fields-bad"
  os.execute("mkdir -p " .. d .. "/rules")
  t.write(d .. "/rules/bad.lua", [[
return { post = { { id = "odd", fills = "quotes", run = function() end } } }
]])
  local r = t.gisa({ "extract", "-I", d, "corpus/031_zdnet_library.txt" })
  t.eq(r.code, 1)
  t.contains(r.err, d .. "/rules/bad.lua: post 'odd': fills must be a list of record fields")
end)
