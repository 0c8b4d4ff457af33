-- The scripting API: gisa.run, gisa.write/writer/render, gisa.table, gisa.fields,
-- json.pretty; in this process and through the real binary.
local t = require "t"
local json = require "gisa.output.json"
local oracle = require "oracle"
local fields = require "gisa.output.fields"
local text = require "gisa.text"

local function sample()
  local d = t.tmpdir() .. "/api-sample"
  os.execute("mkdir -p " .. d)
  t.write(d .. "/1.txt", "첫째 기사 제목\n\n본문 첫 줄입니다.\n")
  t.write(d .. "/2.txt", "둘째 기사 제목\n\n본문입니다.\n둘째 문단입니다.\n")
  t.write(d .. "/3.txt", "셋째 기사\n\n하나.\n둘.\n셋.\n")
  return d
end

local rec = {
  file = "x.txt", title = "제목", body = { "하나", "둘" },
  authors = { { name = "홍길동", role = "기자", email = "hong@example.com" }, { name = "김철수", role = "기자" } },
  qa = { { q = "질문?", a = "답." } }, captions = { { text = "사진 설명 (사진=연합)", credit = "연합" } },
  published = "2024-09-10T14:30:00+09:00",
}

------------------------------------------------------------------------------
-- gisa.run
------------------------------------------------------------------------------

t.test("gisa.run: each sees every article with its number, finish gets the state", function()
  local d = sample()
  local seen = {}
  local a, b = gisa.run{ paths = d, state = function() return { n = 0 } end,
    each = function(art, s, nr) s.n = s.n + #art.body; seen[#seen + 1] = nr .. art.title end,
    finish = function(s, nr) return s.n, nr end }
  t.eq(a, 6); t.eq(b, 3)
  t.eq(seen, { "1첫째 기사 제목", "2둘째 기사 제목", "3셋째 기사" })
end)

t.test("gisa.run with shards deals articles to separate states and merges them", function()
  local d = sample()
  local states = 0
  local got = gisa.run{ paths = { d }, shards = 2,
    state = function() states = states + 1; return { titles = {} } end,
    each = function(art, s) s.titles[#s.titles + 1] = art.title end,
    merge = function(x, y) for _, v in ipairs(y.titles) do x.titles[#x.titles + 1] = v end; return x end,
    finish = function(s) return s.titles end }
  t.eq(states, 2)
  t.eq(got, { "첫째 기사 제목", "셋째 기사", "둘째 기사 제목" }, "1 and 3 in the first state, 2 in the second")
  t.checkerr("shards need a 'merge' function", gisa.run, { paths = d, shards = 2, state = function() return {} end })
  t.checkerr("'each' must be a function", gisa.run, { paths = d, each = 1 })
  t.checkerr("gisa.run needs a table", gisa.run, "x")
end)

t.test("GISA_SHARDS=N runs a job's merge; the answer does not change", function()
  local d = sample()
  local p = t.write(t.tmpdir() .. "/job.lua", [[
gisa.run{ paths = arg, state = function() return { n = 0, parts = 1 } end,
  each = function(a, s) s.n = s.n + #a.body end,
  merge = function(x, y) x.n = x.n + y.n; x.parts = x.parts + y.parts; return x end,
  finish = function(s, nr) print(s.n, nr, s.parts) end }
]])
  t.eq(t.gisa({ "-j", "1", p, d }).out, "6\t3\t1\n")
  t.eq(t.gisa({ p, d }, nil, { GISA_SHARDS = "3" }).out, "6\t3\t3\n")
  -- under -j a worker folds consecutive files into one state (the three files
  -- are one batch of one worker), merged into the parent's: 1 + 1 parts
  t.eq(t.gisa({ "-j", "2", p, d }).out, "6\t3\t2\n")
end)

t.test("-e runs through gisa.run: NR in --end is the number of articles", function()
  local d = sample()
  local r = t.gisa({ "-E", "print(NR)", d })
  t.eq(r.out, "3\n", r.err)
end)

------------------------------------------------------------------------------
-- writing
------------------------------------------------------------------------------

t.test("gisa.write takes a record, a list or an iterator, and a handle or options", function()
  local buf = require("gisa.output.writer").buffer()
  t.eq(gisa.write(rec, "jsonl", buf), 1)
  t.eq(json.decode(buf:tostring()).title, "제목")
  buf = require("gisa.output.writer").buffer()
  t.eq(gisa.write({ rec, rec }, "csv", { out = buf, fields = "title,authors.name" }), 2)
  t.eq(buf:tostring(), "title,authors.name\n제목,홍길동; 김철수\n제목,홍길동; 김철수\n")
  local d = sample()
  buf = require("gisa.output.writer").buffer()
  t.eq(gisa.write(gisa.articles(d), "tsv", { out = buf, fields = { "title", "body.2" } }), 3)
  t.eq(buf:tostring(), "title\tbody.2\n첫째 기사 제목\t\n둘째 기사 제목\t둘째 문단입니다.\n셋째 기사\t둘.\n")
  t.checkerr("unknown field 'nope'", gisa.write, rec, "csv", { out = buf, fields = "nope" })
  t.checkerr("unknown format 'nope'", gisa.write, rec, "nope", buf)
  t.checkerr("expected a record", gisa.write, 42, "csv", buf)
end)

t.test("gisa.write to a file handle and to standard output", function()
  local p = t.tmpdir() .. "/w.md"
  local f = assert(io.open(p, "w"))
  gisa.write(rec, "markdown", f)
  f:close()
  t.match(t.read(p), "^# 제목\n")
  local r = t.gisa({ "-e", "gisa.write(a, 'text', {fields = 'title'})", "-" }, "표준 출력\n")
  t.eq(r.out, "표준 출력\n", r.err)
end)

t.test("gisa.writer writes one record at a time; a format table works too", function()
  local buf = require("gisa.output.writer").buffer()
  local w = gisa.writer("json", buf)
  w:write(rec)
  w:write({ title = "둘" })
  t.eq(w:close(), 2)
  local arr = json.decode(buf:tostring())
  t.eq(#arr, 2); t.eq(arr[2].title, "둘")
  local mine = { write = function(out, r, n, opts) out:write(n, ":", r.title, ":", opts.tag, "\n") end }
  t.eq(gisa.render({ rec, rec }, mine, { tag = "x" }), "1:제목:x\n2:제목:x\n")
end)

t.test("gisa.render of markdown, text and html from one record", function()
  local md = gisa.render(rec, "markdown")
  t.eq(md, "# 제목\n\n홍길동 기자 \\<hong@example.com\\>, 김철수 기자 · 입력 2024-09-10 14:30\n\n하나\n\n둘\n")
  local tx = gisa.render(rec, "text", { fields = "title,qa,captions" })
  t.eq(tx, "제목\n\nQ. 질문?\n\nA. 답.\n\n[사진] 사진 설명 (사진=연합)\n")
  local h = gisa.render(rec, "html", { title = "페이지" })
  t.contains(h, "<title>페이지</title>")
  t.contains(h, '<section class="article" id="a1">\n<h2>제목</h2>')
end)

------------------------------------------------------------------------------
-- fields and json
------------------------------------------------------------------------------

t.test("fields.get follows dotted paths into lists and list items", function()
  t.eq(fields.get(rec, "authors.name"), { "홍길동", "김철수" })
  t.eq(fields.get(rec, "authors.email"), { "hong@example.com", "" }, "one item per author, lined up with the names")
  t.eq(fields.get(rec, "authors.2.name"), "김철수")
  t.eq(fields.get(rec, "body.1"), "하나")
  t.eq(fields.get(rec, "body.9"), nil)
  t.eq(fields.get(rec, "qa.q"), { "질문?" })
  t.eq(fields.get({ authors = {} }, "authors.name"), {})
end)

t.test("fields.parse accepts record fields and their parts, and names the valid ones", function()
  local f = fields.parse(" title , authors.name,body.1 ")
  t.eq(f, { { name = "title", path = { "title" } }, { name = "authors.name", path = { "authors", "name" } },
    { name = "body.1", path = { "body", 1 } } })
  local ok, err = fields.parse("title.x")
  t.eq(ok, nil)
  t.match(err, "^unknown field 'title%.x' %(valid fields: file, encoding, site")
  t.eq(select(2, fields.parse("")), "no fields given (valid fields: " .. table.concat(fields.names(), ", ") .. ")")
  for _, n in ipairs(fields.names()) do t.ok(fields.parse(n), n) end
end)

t.test("fields.cell: the documented text of every kind of value", function()
  t.eq(fields.cell(nil), "")
  t.eq(fields.cell(3), "3"); t.eq(fields.cell(2.0), "2"); t.eq(fields.cell(true), "true")
  t.eq(fields.cell({ "a", "b" }), "a; b")
  t.eq(fields.cell({ "a", "b" }, " | "), "a | b")
  t.eq(fields.cell(rec.authors), "홍길동 기자 <hong@example.com>; 김철수 기자")
  t.eq(fields.cell(rec.qa), "Q. 질문? A. 답.")
  t.eq(fields.cell(rec.captions), "사진 설명 (사진=연합)")
  t.eq(fields.cell({ { text = "설명", credit = "연합" } }), "설명 (연합)")
  t.eq(fields.cell({ { text = "말", speaker = "그" } }), "“말” — 그")
  t.eq(fields.date("2024-09-10T14:30:00+09:00"), "2024-09-10 14:30")
  t.eq(fields.date("2024-09-10T14:30:15Z"), "2024-09-10 14:30:15 UTC")
  t.eq(fields.date("2024-09-10"), "2024-09-10")
end)

t.test("json.quote (gisa.jsonw, in C) equals the pure Lua escaper", function()
  for _, s in ipairs({ "a/b", "\\/", "\\\\//", "/사진=연합/", "탭\t줄\n\r\1\127\"따옴\"", "", "\u{2028}한" }) do
    t.eq(json.quote(s), oracle.quote_lua(s), s)
    t.eq(json.decode(json.quote(s)), s, "round trip " .. s)
  end
  t.eq(json.quote("a/b\\/c"), '"a/b\\\\/c"')
end)

t.test("json.pretty round-trips and keeps record order", function()
  local s = json.pretty(rec, { "title", "authors", "file" })
  t.eq(s, '{\n  "title": "제목",\n  "authors": [\n    {"name": "홍길동", "role": "기자", "email": "hong@example.com"},\n'
    .. '    {"name": "김철수", "role": "기자"}\n  ],\n  "file": "x.txt"\n}')
  t.eq(json.decode(json.pretty(rec)), rec)
  t.eq(json.encode({ { text = "t", type = "para", line = 3 } }), '[{"type":"para","line":3,"text":"t"}]')
end)

------------------------------------------------------------------------------
-- gisa.table
------------------------------------------------------------------------------

t.test("gisa.table aligns Korean by display width, numbers to the right", function()
  local s = gisa.table({ { "한국경제", 3 }, { "MT", 12 }, { "파이낸셜뉴스", 1 } },
    { header = { "매체", "수" }, out = false })
  t.eq(s, "매체          수\n------------  --\n한국경제       3\nMT            12\n파이낸셜뉴스   1\n")
  local widths = {}
  for line in s:gmatch("[^\n]+") do widths[#widths + 1] = text.width(line) end
  t.eq(widths, { 16, 16, 16, 16, 16 })
end)

t.test("gisa.table: maps sort by value, keyed rows take columns, max truncates", function()
  t.eq(gisa.table({ b = 1, a = 1, c = 5 }, { out = false }), "c  5\na  1\nb  1\n")
  local s = gisa.table({ rec, { title = "둘째", authors = {} } }, { columns = { "title", "authors.name" }, out = false })
  t.eq(s, "title  authors.name\n-----  --------------\n제목   홍길동; 김철수\n둘째\n")
  s = gisa.table({ { "아주 긴 제목입니다", "x" } }, { max = 8, out = false })
  t.eq(s, "아주 긴…  x\n")
  t.eq(gisa.table({ { "a", "b", "c" } }, { align = { "left", "center", "right" }, sep = "|", out = false }), "a|b|c\n")
  t.eq(gisa.table({}, { out = false }), "")
  t.checkerr("rows must be a table", gisa.table, "x")
end)

t.test("gisa.table prints to standard output by default", function()
  local r = t.gisa({ "-e", "gisa.table({{title, #body}})", "-" }, "제목\n본문\n")
  t.eq(r.out, "제목  1\n", r.err)
end)
