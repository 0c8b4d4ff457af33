-- Readers (lua/gisa/readers/): every corpus shape gisa reads, on generated
-- files of fictional articles, and every bad input: a broken CSV quote, a line
-- that is not JSON, a reader that raises, files of shapes gisa cannot read,
-- a PATH with no article, empty standard input, a big JSONL in flat memory.
local t = require "t"
local json = require "gisa.output.json"

local function dir(name)
  local d = t.tmpdir() .. "/readers-" .. name
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  return d
end

local function records(out)
  local list = {}
  for line in out:gmatch("[^\n]+") do list[#list + 1] = assert(json.decode(line), line) end
  return list
end

-- A fictional article: a headline and paragraphs of general news vocabulary.
local SUBJ = { "시는", "구청은", "교육청은", "연구진은", "협회는", "위원회는" }
local WHAT = { "버스 노선을 개편한다", "도서관 개방 시간을 늘린다", "공원 조명을 바꾼다",
  "급식 식단을 새로 짠다", "자전거 도로를 넓힌다", "야간 진료를 확대한다" }
local function article(i)
  local s, w = SUBJ[i % #SUBJ + 1], WHAT[(i * 7) % #WHAT + 1]
  return {
    title = string.format("%s 계획 발표 %d", w:gsub(" .*", ""), i),
    body = string.format("%s 다음달부터 %s고 %d일 밝혔다.\n관계자는 \"주민 의견을 반영했다\"고 말했다.\n이번 조치는 %d개 지역에서 먼저 시행된다.",
      s, w, i % 28 + 1, i % 9 + 2),
    date = string.format("2019.%02d.%02d.", i % 12 + 1, i % 28 + 1),
    press = "가상일보",
    url = "https://news.example.com/a/" .. i,
  }
end

local function csv_quote(s)
  if s:find('[,"\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

------------------------------------------------------------------------------
-- JSON Lines
------------------------------------------------------------------------------

t.test("jsonl: a crawler dump's columns become title, published, publisher, url; the rules run on the body", function()
  local d = dir("jsonl")
  local a = article(1)
  a.author = "홍길동 기자"
  a.body = a.body .. "\n홍길동 기자 hong@example.com"
  t.write(d .. "/dump.jsonl", json.encode(a) .. "\n" .. json.encode(article(2)) .. "\n")
  local r = t.gisa({ "extract", d .. "/dump.jsonl" })
  t.eq(r.code, 0, r.err)
  local recs = records(r.out)
  t.eq(#recs, 2)
  local x = recs[1]
  t.eq(x.file, d .. "/dump.jsonl")
  t.eq(x.record_no, 1)
  t.eq(x.line, 1)
  t.eq(x.title, a.title)
  t.eq(x.published, "2019-02-02")
  t.eq(x.publisher, "가상일보")
  t.eq(x.url, "https://news.example.com/a/1")
  t.eq(x.authors, { { name = "홍길동", role = "기자" } })
  t.eq(x.emails, { "hong@example.com" })       -- found by the rules in the body
  t.eq(x.source_fields, { "authors", "published", "publisher", "title", "url" })
  t.eq(x.body[1], a.body:match("^[^\n]*"))
  t.eq(#x.body, 3)
  t.eq(recs[2].line, 2)
  -- keys in record order, record_no and line after file, url after modified
  t.match(r.out, '^{"file":"[^"]*","record_no":1,"line":1,"encoding":"utf%-8",')
  t.match(r.out, '"modified":null,"url":"https://news.example.com/a/1","blocks"')
  t.match(r.out, '"source_fields":%["authors","published","publisher","title","url"%]}\n')
end)

t.test("jsonl: a line that is not JSON is reported with its number, the other lines are read, exit 1", function()
  local d = dir("jsonl-bad")
  t.write(d .. "/dump.ndjson", json.encode(article(1)) .. "\n{\"title\": broken\n\n" .. json.encode(article(3)) .. "\n")
  local r = t.gisa({ "extract", d .. "/dump.ndjson" })
  t.eq(r.code, 1)
  t.eq(#records(r.out), 2)
  t.match(r.err, "dump%.ndjson:2: not a JSON object: invalid JSON at byte 11: expected a value\n")
  t.eq(records(r.out)[2].line, 4)
end)

t.test("jsonl: gisa's own records pass through unchanged (extract | extract - is idempotent)", function()
  local d = dir("idem")
  local lines = {}
  for i = 1, 5 do lines[i] = json.encode(article(i)) end
  t.write(d .. "/dump.jsonl", table.concat(lines, "\n") .. "\n")
  local r1 = t.gisa({ "extract", d .. "/dump.jsonl" })
  t.eq(r1.code, 0, r1.err)
  local r2 = t.gisa({ "extract", "-" }, r1.out)
  t.eq(r2.code, 0, r2.err)
  t.eq(r2.out, r1.out)
  t.write(d .. "/out.jsonl", r1.out)
  local r3 = t.gisa({ "extract", d .. "/out.jsonl" })
  t.eq(r3.out, r1.out)
  -- records of one-article text files too
  local c = t.gisa({ "extract", t.root .. "/corpus/010_hankyung_semiconductor.txt" })
  local r4 = t.gisa({ "extract", "-" }, c.out)
  t.eq(r4.out, c.out)
end)

t.test("jsonl: a dump with no body column is not read: named, it fails saying so; in a walk, it is skipped", function()
  local d = dir("nobody")
  t.write(d .. "/meta.jsonl", '{"id": 1, "views": 30}\n')
  local r = t.gisa({ "extract", d .. "/meta.jsonl" })
  t.eq(r.code, 1)
  t.contains(r.err, "meta.jsonl: no body column (columns: id, views); --map body=NAME names it")
  r = t.gisa({ "extract", "--map", "body=views", d .. "/meta.jsonl" })
  t.eq(r.code, 0, r.err)
  t.eq(#records(r.out), 1)
end)

------------------------------------------------------------------------------
-- CSV, TSV, JSON
------------------------------------------------------------------------------

t.test("csv: RFC 4180 (quoted newlines, commas, \"\" escapes), a BOM, Korean column names", function()
  local d = dir("csv")
  local a = article(4)
  local rows = { "\239\187\191제목,본문,작성일,언론사,링크" }
  rows[2] = table.concat({ csv_quote(a.title), csv_quote(a.body), a.date, a.press, a.url }, ",")
  rows[3] = "짧은 기사,\"한 줄, 쉼표 있는 \"\"본문\"\"\",2019-06-27 10:31,가상신문,"
  t.write(d .. "/dump.csv", table.concat(rows, "\r\n") .. "\r\n")
  local r = t.gisa({ "extract", d .. "/dump.csv" })
  t.eq(r.code, 0, r.err)
  local recs = records(r.out)
  t.eq(#recs, 2)
  t.eq(recs[1].title, a.title)
  t.eq(#recs[1].body, 3)
  t.eq(recs[1].line, 2)
  t.eq(recs[2].line, 5)              -- the first row's body ran over three lines
  t.eq(recs[2].body, { "한 줄, 쉼표 있는 \"본문\"" })
  t.eq(recs[2].published, "2019-06-27T10:31:00+09:00")
  t.eq(recs[2].url, nil)
  t.eq(recs[2].source_fields, { "published", "publisher", "title" })
end)

t.test("csv: a broken quote at row 10,000 is reported with its line; the rows after it are read", function()
  local d = dir("csv-broken")
  local parts = { "title,date,press,url,body" }
  for i = 1, 12000 do
    local a = article(i)
    local body = i == 10000 and '"이 본문은 따옴표가 닫히지 않는다' or csv_quote(a.body)
    parts[#parts + 1] = table.concat({ csv_quote(a.title), a.date, a.press, a.url, body }, ",")
  end
  t.write(d .. "/big.csv", table.concat(parts, "\n") .. "\n")
  -- row 10,000 starts on line 1 + 3 * 9,999 + 1 (each body is three lines)
  local r = t.gisa({ "-e", "n = (n or 0) + 1; last = a.title", "-E", "print(n, last)", d .. "/big.csv" })
  t.eq(r.code, 1)
  t.eq(r.out, "11999\t" .. article(12000).title .. "\n")
  t.match(r.err, "big%.csv:29999: a quote is not closed %(the row is skipped")
  local n = 0
  for _ in r.err:gmatch("gisa: ") do n = n + 1 end
  t.eq(n, 1, r.err)
end)

t.test("csv: CP949 bytes are decoded; --map by position reads a file with no header row", function()
  local d = dir("csv-cp949")
  local enc = require "gisa.enc"
  local text = "2019.06.27.,가상일보,버스 노선 개편,시는 버스 노선을 바꾼다고 밝혔다.\n" ..
    "2019.06.28.,가상신문,도서관 개방,구청은 도서관 개방 시간을 늘린다.\n"
  t.write(d .. "/dump.csv", assert(enc.convert(text, "utf-8", "cp949")))
  local r = t.gisa({ "extract", "--map", "date=1,press=2,title=3,body=4", d .. "/dump.csv" })
  t.eq(r.code, 0, r.err)
  local recs = records(r.out)
  t.eq(#recs, 2)
  t.ok(recs[1].encoding == "cp949" or recs[1].encoding == "euc-kr", recs[1].encoding)
  t.eq(recs[1].title, "버스 노선 개편")
  t.eq(recs[2].publisher, "가상신문")
  t.eq(recs[2].published, "2019-06-28")
  t.eq(recs[2].line, 2)
  -- by name, overriding the common names
  t.write(d .. "/named.csv", "헤드,내용물,언론사\n제목 하나,본문 한 줄,가상일보\n")
  r = t.gisa({ "extract", "--map", "title=헤드,body=내용물", d .. "/named.csv" })
  t.eq(r.code, 0, r.err)
  t.eq(records(r.out)[1].title, "제목 하나")
  t.eq(records(r.out)[1].publisher, "가상일보")
  r = t.gisa({ "extract", "--map", "nope=1", d .. "/named.csv" })
  t.eq(r.code, 2)
  t.contains(r.err, "--map: unknown field 'nope'")
end)

t.test("tsv and json: the same columns, a JSON array or an object holding one", function()
  local d = dir("tsv-json")
  local a, b = article(5), article(6)
  t.write(d .. "/dump.tsv", "title\tbody\tpubDate\tmedia\n" .. a.title .. "\t" .. a.body:gsub("\n", " ") ..
    "\tThu, 27 Jun 2019 10:31:00 +0900\t가상일보\n")
  t.write(d .. "/dump.json", json.encode({ a, b }))
  t.write(d .. "/wrapped.json", '{"total": 1,\n "data": [' .. json.encode(b) .. "]}\n")
  local r = t.gisa({ "extract", d .. "/dump.tsv", d .. "/dump.json", d .. "/wrapped.json" })
  t.eq(r.code, 0, r.err)
  local recs = records(r.out)
  t.eq(#recs, 4)
  t.eq(recs[1].published, "2019-06-27T10:31:00+09:00")
  t.eq(recs[1].title, a.title)
  t.eq(recs[3].title, b.title)
  t.eq(recs[3].record_no, 2)
  t.eq(recs[3].line, nil)
  t.eq(recs[4].url, b.url)
end)

------------------------------------------------------------------------------
-- Many articles in one text file
------------------------------------------------------------------------------

t.test("--split ff, blank2 and a separator pattern: one record per article, with its line", function()
  local d = dir("split")
  local a1 = "첫 기사 제목\n\n첫 기사 본문입니다.\n"
  local a2 = "둘째 기사 제목\n\n둘째 기사 본문입니다.\n"
  t.write(d .. "/ff.txt", a1 .. "\f" .. a2)
  t.write(d .. "/blank.txt", a1 .. "\n\n" .. a2)
  t.write(d .. "/marked.txt", "===== 1 =====\n" .. a1 .. "===== 2 =====\n" .. a2)
  local want = { { "첫 기사 제목", 1 }, { "둘째 기사 제목", 4 } }
  for _, c in ipairs({ { "ff", "ff.txt" }, { "blank2", "blank.txt", 6 }, { "^=====", "marked.txt", 6, 2 } }) do
    local r = t.gisa({ "-e", "print(title, a.record_no, a.line)", "--split", c[1], d .. "/" .. c[2] })
    t.eq(r.code, 0, r.err)
    t.eq(r.out, string.format("%s\t1\t%d\n%s\t2\t%d\n", want[1][1], c[4] or 1, want[2][1], c[3] or want[2][2]), c[1])
  end
  local r = t.gisa({ "extract", "--split", "[", d .. "/ff.txt" })
  t.eq(r.code, 2)
  t.contains(r.err, "--split: bad pattern '['")
end)

------------------------------------------------------------------------------
-- The walk
------------------------------------------------------------------------------

t.test("walk: extensions in any letter case, files of no extension sniffed, others counted; --ext chooses", function()
  local d = dir("walk")
  local enc = require "gisa.enc"
  t.write(d .. "/기사.TXT", assert(enc.convert("대문자 확장자 기사\n\n본문입니다.\n", "utf-8", "cp949")))
  t.write(d .. "/dump.CSV", "title,body\n표 기사,표 본문\n")
  t.write(d .. "/export", json.encode(article(7)) .. "\n")
  t.write(d .. "/notes.md", "# notes\n")
  local r = t.gisa({ "-e", "print(title)", d })
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "표 기사\n" .. article(7).title .. "\n대문자 확장자 기사\n")
  t.eq(r.err, "")
  r = t.gisa({ "-e", "print(title)", "--ext", "md,TXT", d })
  t.eq(r.out, "# notes\n대문자 확장자 기사\n")
  -- recode walks the same way
  r = t.gisa({ "recode", d })
  t.eq(r.code, 0, r.err)
  t.contains(r.out, "대문자 확장자 기사")
  t.contains(r.err, ".md 1")
end)

t.test("walk: shapes gisa cannot read are named with a hint and counted in the summary", function()
  local d = dir("hints")
  t.write(d .. "/a.txt", "제목\n\n본문\n")
  t.write(d .. "/notes.docx", "PK\3\4 not really")
  t.write(d .. "/scan.pdf", "%PDF-1.4")
  t.write(d .. "/photo.png", "\137PNG\r\n")
  t.write(d .. "/scan2", "%PDF-1.7 no extension")
  local r = t.gisa({ "extract", d })
  t.eq(r.code, 0, r.err)
  t.contains(r.err, "notes.docx: a Word document, not read")
  t.contains(r.err, "scan.pdf: a PDF document, not read")
  t.contains(r.err, "scan2: a PDF document, not read")
  t.match(r.err, "gisa: 1 article from 1 file; 4 files skipped: .docx 1, .pdf 1, .png 1, %(no extension%) 1\n$")
  r = t.gisa({ "extract", "-q", d })
  t.eq(r.err, "")
  r = t.gisa({ "extract", d .. "/notes.docx" })
  t.eq(r.code, 1)
  t.contains(r.err, "notes.docx: a Word document, not read")
end)

t.test("a PATH that yields no article is a warning and exit 1; empty standard input is no article", function()
  local d = dir("none")
  t.write(d .. "/readme.md", "nothing\n")
  local r = t.gisa({ "extract", d })
  t.eq(r.code, 1)
  t.contains(r.err, "gisa: warning: " .. d .. ": no article found")
  t.contains(r.err, "0 articles from 0 files; 1 file skipped: .md 1")
  r = t.gisa({ "extract", "-" }, "")
  t.eq(r.code, 1)
  t.eq(r.out, "")
  t.contains(r.err, "-: empty input, no article")
  r = t.gisa({ "-e", "n = (n or 0) + 1", "-E", "print(n)" }, "")
  t.eq(r.out, "nil\n")
end)

------------------------------------------------------------------------------
-- Readers on the search path
------------------------------------------------------------------------------

t.test("a user's reader: found with -I, listed by gisa list; one that raises names file and reader, others read", function()
  local d = dir("user")
  os.execute("mkdir -p " .. t.shquote(d .. "/lib/readers"))
  t.write(d .. "/lib/readers/memo.lua", [[
return {
  name = "memo",
  exts = { "memo" },
  read = function(src, opts)
    local text = src:decode(src:bytes())
    if text:find("BOOM") then error("cannot read this memo") end
    local done = false
    return function()
      if done then return nil end
      done = true
      local title, body = text:match("^(.-)\n(.*)$")
      return { text = body, fields = { title = title, section = "메모" } }
    end
  end,
}
]])
  t.write(d .. "/a.memo", "메모 제목\n메모 본문입니다.\n")
  t.write(d .. "/b.memo", "BOOM\n")
  t.write(d .. "/c.txt", "텍스트 제목\n\n본문\n")
  local r = t.gisa({ "-e", "print(title, section)", "-I", d .. "/lib", d })
  t.eq(r.code, 1)
  t.eq(r.out, "메모 제목\t메모\n텍스트 제목\tnil\n")
  t.contains(r.err, "b.memo: reader 'memo' (" .. d .. "/lib/readers/memo.lua): " .. d ..
    "/lib/readers/memo.lua:6: cannot read this memo")
  r = t.gisa({ "list", "-I", d .. "/lib" })
  t.match(r.out, "readers:\n.*memo%s+" .. d:gsub("%p", "%%%0") .. "/lib/readers/memo%.lua")
end)

t.test("a missing -I or GISA_PATH directory is a warning, and gisa list marks it", function()
  local r = t.gisa({ "list", "-I", "/no/such/gisa-dir" })
  t.eq(r.code, 0)
  t.contains(r.err, "gisa: warning: /no/such/gisa-dir: no such directory (-I); not searched")
  t.contains(r.out, "/no/such/gisa-dir  (-I)  MISSING: no such directory")
  r = t.gisa({ "list" }, nil, { GISA_PATH = "/no/such/path-dir" })
  t.contains(r.err, "/no/such/path-dir: no such directory (GISA_PATH)")
end)

t.test("no PATH on a terminal: analyses and -e say so and exit 2 (no sample-corpus default)", function()
  if not t.sh("command -v script").out:find("script") then t.skip("script(1) is not installed") end
  for _, cmd in ipairs({ "freq", "-e 'print(title)'", "extract" }) do
    local r = t.sh("script -qec " .. t.shquote(t.shquote(t.bin) .. " " .. cmd) .. " /dev/null")
    t.eq(r.code, 2, cmd .. ": " .. r.out)
    t.contains(r.out, "no input: give a PATH", cmd)
  end
end)

------------------------------------------------------------------------------
-- A big dump in flat memory
------------------------------------------------------------------------------

t.test("jsonl: a 50 MB dump is streamed (peak memory as for a 5 MB one)", function()
  -- AddressSanitizer keeps freed memory in quarantine: its peak says nothing of ours
  if os.getenv("GISA_BIN") then t.skip("peak memory is measured on the normal build (make test)") end
  local d = dir("big")
  local function gen(path, mb)
    local f = assert(io.open(path, "wb"))
    local size, i = 0, 0
    local filler = string.rep("이 문장은 기사의 길이를 채우기 위한 일반적인 문장이다. ", 40)
    while size < mb * 1e6 do
      i = i + 1
      local a = article(i)
      a.body = a.body .. "\n" .. filler
      local line = json.encode(a) .. "\n"
      f:write(line)
      size = size + #line
    end
    f:close()
    return i
  end
  local n5, n50 = gen(d .. "/small.jsonl", 5), gen(d .. "/big.jsonl", 50)
  local code = "-e"
  local function peak(path)
    local r = t.gisa({ code, "n = (n or 0) + 1", "-E", "print(n, gisa.sys.maxrss())", path })
    t.eq(r.code, 0, r.err)
    local n, kb = r.out:match("^(%d+)\t(%d+)")
    return tonumber(n), tonumber(kb)
  end
  local a, ka = peak(d .. "/small.jsonl")
  local b, kb = peak(d .. "/big.jsonl")
  t.eq(a, n5)
  t.eq(b, n50)
  t.ok(kb < ka + 20 * 1024, string.format("peak %d KiB for 50 MB, %d KiB for 5 MB", kb, ka))
end)

------------------------------------------------------------------------------
-- Compressed files and archives (gisa.zio)
------------------------------------------------------------------------------

local function need(tool)
  if t.sh("command -v " .. tool).code ~= 0 then t.skip(tool .. " is not installed (tools/deps test)") end
end

t.test(".gz: any shape compressed reads as the plain file does (dump.jsonl.gz, 기사.txt.gz, -)", function()
  need("gzip")
  local d = dir("gz")
  local lines = {}
  for i = 1, 20 do lines[i] = json.encode(article(i)) end
  t.write(d .. "/dump.jsonl", table.concat(lines, "\n") .. "\n")
  t.write(d .. "/a.txt", "압축된 기사 제목\n\n본문 첫 줄입니다.\n")
  local plain = t.gisa({ "extract", d .. "/dump.jsonl", d .. "/a.txt" })
  os.execute("gzip -k " .. t.shquote(d .. "/dump.jsonl") .. " " .. t.shquote(d .. "/a.txt"))
  os.execute("mkdir -p " .. t.shquote(d .. "/z") .. " && mv " .. t.shquote(d) .. "/*.gz " .. t.shquote(d .. "/z/"))
  os.execute("mv " .. t.shquote(d .. "/z/a.txt.gz") .. " " .. t.shquote(d .. "/z/A.TXT.GZ"))
  local r = t.gisa({ "extract", d .. "/z" })
  t.eq(r.code, 0, r.err)
  local want = plain.out:gsub(d:gsub("%p", "%%%0") .. "/dump%.jsonl", d .. "/z/dump.jsonl.gz")
    :gsub(d:gsub("%p", "%%%0") .. "/a%.txt", d .. "/z/A.TXT.GZ")
  -- the walk sorts bytewise: A.TXT.GZ before dump.jsonl.gz
  local recs, wrecs = records(r.out), records(want)
  t.eq(#recs, 21)
  t.eq(recs[1], wrecs[21])
  for k = 1, 20 do t.eq(recs[k + 1], wrecs[k]) end
  -- standard input compressed
  r = t.sh(t.shquote(t.bin) .. " extract - < " .. t.shquote(d .. "/z/dump.jsonl.gz"))
  t.eq(#records(r.out), 20)
end)

t.test(".gz truncated: the articles before the damage are kept, the error names the offset", function()
  need("gzip")
  local d = dir("gz-trunc")
  local lines = {}
  local filler = string.rep("가나다라마바사아자차카타파하 ", 200)
  for i = 1, 300 do local a = article(i); a.body = a.body .. "\n" .. filler; lines[i] = json.encode(a) end
  t.write(d .. "/dump.jsonl", table.concat(lines, "\n") .. "\n")
  os.execute("gzip " .. t.shquote(d .. "/dump.jsonl"))
  local whole = t.read(d .. "/dump.jsonl.gz")
  t.write(d .. "/cut.jsonl.gz", whole:sub(1, #whole // 2))
  local r = t.gisa({ "-e", "n = (n or 0) + 1", "-E", "print(n)", d .. "/cut.jsonl.gz" })
  t.eq(r.code, 1)
  local n = tonumber(r.out)
  t.ok(n and n > 0 and n < 300, r.out)
  t.match(r.err, "cut%.jsonl%.gz: reader 'jsonl' %([^)]*%): [^\n]*truncated gzip stream at byte %d+")
end)

t.test(".zip and .tar.gz are read like directories; entries named ARCHIVE/ENTRY", function()
  need("zip"); need("tar")
  local d = dir("zip")
  os.execute("mkdir -p " .. t.shquote(d .. "/in/sub"))
  t.write(d .. "/in/b.txt", "둘째 기사\n\n본문\n")
  t.write(d .. "/in/sub/a.csv", "title,body\n표 기사,표 본문\n")
  t.write(d .. "/in/notes.md", "메모\n")
  os.execute("cd " .. t.shquote(d .. "/in") .. " && zip -qr ../c.zip b.txt sub notes.md && tar czf ../c.tar.gz b.txt sub notes.md")
  for _, a in ipairs({ "c.zip", "c.tar.gz" }) do
    local r = t.gisa({ "-e", "print(a.file, title)", d .. "/" .. a })
    t.eq(r.code, 0, r.err)
    local got = {}
    for l in r.out:gmatch("[^\n]+") do got[#got + 1] = l end
    table.sort(got)
    t.eq(got, { d .. "/" .. a .. "/b.txt\t둘째 기사", d .. "/" .. a .. "/sub/a.csv\t표 기사" }, a)
  end
end)

t.test("a dump's article in mojibake is reported, and --repair repairs it", function()
  local d = dir("moj")
  local enc = require "gisa.enc"
  local body = "시는 다음달부터 버스 노선을 바꾼다고 밝혔다."
  local moj = enc.convert(enc.convert(body, "utf-8", "cp949"), "latin1", "utf-8")
  t.write(d .. "/moj.jsonl", json.encode({ title = "제목", body = moj }) .. "\n")
  local r = t.gisa({ "-e", "print(body[1])", d .. "/moj.jsonl" })
  t.eq(r.out, moj .. "\n")
  t.contains(r.err, "moj.jsonl:1: mojibake on line 3 of the article; --repair fixes it")
  r = t.gisa({ "-e", "print(body[1])", "--repair", d .. "/moj.jsonl" })
  t.eq(r.out, body .. "\n")
  t.contains(r.err, "moj.jsonl:1: repaired mojibake in 1 place")
end)

t.test("a decompression bomb: the articles before the limit kept, the file and the limit named, other files read", function()
  need("gzip")
  local d = dir("bomb")
  local lines = {}
  local filler = string.rep("가나다라마바사아자차카타파하 ", 200)
  for i = 1, 60 do local a = article(i); a.body = a.body .. "\n" .. filler; lines[i] = json.encode(a) end
  t.write(d .. "/big.jsonl", table.concat(lines, "\n") .. "\n")
  t.write(d .. "/small.jsonl", lines[1] .. "\n")
  os.execute("gzip " .. t.shquote(d .. "/big.jsonl") .. " " .. t.shquote(d .. "/small.jsonl"))
  t.write(d .. "/count.lua", [[
local corpus = require "gisa.pipeline.corpus"
corpus.zio_limit = 100000
local n = 0
for _ in corpus.articles({ ... }) do n = n + 1 end
print(n)
]])
  local r = t.gisa({ d .. "/count.lua", d .. "/big.jsonl.gz", d .. "/small.jsonl.gz" })
  t.eq(r.code, 1)
  local n = tonumber(r.out)
  t.ok(n and n > 1 and n < 61, r.out)   -- some of big's, then small's one
  t.contains(r.err, d .. "/big.jsonl.gz: reader 'jsonl' (")
  t.contains(r.err, "): more than 100000 bytes decompressed, the limit against decompression bombs "
    .. "(corpus.zio_limit raises it)")
end)

t.test(".zst, .xz, .bz2: a dump compressed any way reads as the plain one", function()
  local d = dir("zkinds")
  local lines = {}
  for i = 1, 5 do lines[i] = json.encode(article(i)) end
  t.write(d .. "/dump.csv", "title,body\n" .. table.concat((function()
    local rows = {}
    for i = 1, 5 do local a = article(i); rows[i] = a.title .. ',"' .. a.body:gsub('"', '""') .. '"' end
    return rows
  end)(), "\n") .. "\n")
  local plain = t.gisa({ "extract", d .. "/dump.csv" })
  t.eq(plain.code, 0, plain.err)
  local tried = 0
  for _, z in ipairs({ { "zstd", "zst", "zstd -q -k" }, { "xz", "xz", "xz -k" }, { "bzip2", "bz2", "bzip2 -k" } }) do
    if t.sh("command -v " .. z[1]).code == 0 then
      tried = tried + 1
      os.execute(z[3] .. " " .. t.shquote(d .. "/dump.csv"))
      local r = t.gisa({ "extract", d .. "/dump.csv." .. z[2] })
      t.eq(r.code, 0, r.err)
      t.eq(r.out, (plain.out:gsub("dump%.csv\"", "dump.csv." .. z[2] .. "\"")), z[2])
    end
  end
  if tried == 0 then t.skip("none of zstd, xz, bzip2 is installed") end
end)
