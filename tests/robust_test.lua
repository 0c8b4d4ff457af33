-- Robustness: every command and shipped script over a directory of nasty input
-- (empty, binary, invalid UTF-8, NULs, CP949, UTF-16 without BOM, a 5 MB line,
-- 200,000 lines, a symlink loop, an unreadable file …) next to two good articles.
-- Each bad file is named on stderr with a reason; the good articles come out
-- whole; no data problem gives a traceback; exit status 1 when input failed.
local t = require "t"
local enc = require "gisa.enc"

local GOOD1 = "010_hankyung_semiconductor.txt"
local GOOD2 = "041_mt_transport.txt"

local root_user = (function()
  local p = io.popen("id -u"); local u = p:read("l"); p:close()
  return u == "0"
end)()

local KOREAN = "서울 시내 도서관이 주말 개관 시간을 늘린다. 시민들의 반응은 뜨겁다.\n"

-- The nasty directory, built once per run.
local nasty
local function nasty_dir()
  if nasty then return nasty end
  local d = t.tmpdir() .. "/nasty"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/deep/a/b/c/d/e/f/g/h"))
  os.execute("cp " .. t.shquote(t.root .. "/corpus/" .. GOOD1) .. " " .. t.shquote(t.root .. "/corpus/" .. GOOD2)
    .. " " .. t.shquote(d .. "/"))
  t.write(d .. "/empty.txt", "")
  t.write(d .. "/blank.txt", "  \n\t\n   \r\n\n")
  -- random bytes with NULs behind a PNG header, and an ELF header
  local rnd = {}
  local x = 12345
  for i = 1, 4096 do
    x = (x * 1103515245 + 12345) % 2147483648
    rnd[i] = string.char((x >> 16) % 256)
  end
  rnd = table.concat(rnd)
  t.write(d .. "/image.txt", "\137PNG\r\n\26\n\0\0\0\rIHDR" .. rnd)
  t.write(d .. "/elf.txt", "\127ELF\2\1\1\0\0\0\0\0\0\0\0\0" .. rnd:sub(1, 2000))
  -- invalid UTF-8 in the middle: byte offset 1 + #prefix
  t.write(d .. "/badutf8.txt", "도서관 주말 개관\n\n" .. KOREAN .. "깨진 \255\254 바이트가 있다.\n" .. KOREAN)
  -- a character cut short at the end of the file
  t.write(d .. "/truncated.txt", "잘린 글자 기사\n\n" .. KOREAN .. "마지막 글자" .. ("한"):sub(1, 2))
  t.write(d .. "/nuls.txt", "널 바이트 기사\n\n서울\0 시내\0 도서관이 주말에 문을 연다.\n" .. KOREAN)
  t.write(d .. "/cp949.txt", assert(enc.convert("씨피 기사 제목\n\n" .. KOREAN .. KOREAN, "utf-8", "cp949")))
  t.write(d .. "/utf16.txt", assert(enc.convert("유티에프 기사 제목\n\n" .. KOREAN .. KOREAN, "utf-8", "utf-16le")))
  t.write(d .. "/hugeline.txt", string.rep("가나다라마바사 ", 5 * 1024 * 1024 // 22))
  local lines = {}
  for i = 1, 200000 do lines[i] = "줄 " .. i end
  t.write(d .. "/manylines.txt", table.concat(lines, "\n") .. "\n")
  t.write(d .. "/titleonly.txt", "제목만 있는 기사\n")
  t.write(d .. "/longpara.txt", "긴 문단 기사\n\n" .. string.rep("가", 10000) .. "\n\n짧은 문단.\n")
  t.write(d .. "/deep/a/b/c/d/e/f/g/h/deep.txt", "깊은 곳의 기사\n\n" .. KOREAN)
  t.write(d .. "/locked.txt", "잠긴 기사\n\n" .. KOREAN)
  os.execute("chmod 000 " .. t.shquote(d .. "/locked.txt"))
  t.write(d .. "/notes.md", "# not an article\n")
  t.write(d .. "/data.bin", rnd)
  nasty = d
  return d
end


-- Byte offsets the messages must give (1-based, of the file).
local BAD_AT = #("도서관 주말 개관\n\n" .. KOREAN .. "깨진 ") + 1
local TRUNC_AT = #("잘린 글자 기사\n\n" .. KOREAN .. "마지막 글자") + 1
local NUL_AT = #("널 바이트 기사\n\n서울") + 1

local function path(name) return nasty_dir() .. "/" .. name end

-- What every run over the nasty directory must say on stderr, and not say.
local function check_stderr(r, what)
  local err = r.err
  t.eq(r.code, 1, what .. ": exit status (stderr: " .. err:sub(1, 2000) .. ")")
  t.ok(not err:find("stack traceback", 1, true), what .. ": a traceback for bad data:\n" .. err:sub(1, 2000))
  t.ok(not err:find("%.lua:%d+:"), what .. ": a Lua error position for bad data:\n" .. err:sub(1, 2000))
  t.contains(err, "gisa: " .. path("elf.txt") .. ": binary data: 16 NUL and ", what)
  t.contains(err, "first at byte 1; skipped", what)
  t.contains(err, "gisa: " .. path("image.txt") .. ": binary data: ", what)
  if not r.quiet_warnings then
    t.contains(err, path("badutf8.txt") .. ": 2 invalid utf-8 byte sequences replaced with U+FFFD (first at byte "
      .. BAD_AT .. ")", what)
    t.contains(err, path("truncated.txt") .. ": truncated utf-8 character at end of file (byte " .. TRUNC_AT .. ")", what)
    t.contains(err, path("nuls.txt") .. ": 2 NUL bytes removed (first at byte " .. NUL_AT .. ")", what)
    t.contains(err, path("empty.txt") .. ": empty file", what)
    t.contains(err, path("blank.txt") .. ": no text (only blank lines and spaces)", what)
    t.contains(err, path("hugeline.txt") .. ": line 1 is " .. #t.read(path("hugeline.txt")) .. " bytes long", what)
  end
  if not root_user then t.contains(err, path("locked.txt") .. ": Permission denied", what) end
  -- good files, other encodings and the rest are not complained about
  for _, ok in ipairs({ GOOD1, GOOD2, "cp949.txt", "utf16.txt", "manylines.txt", "longpara.txt", "titleonly.txt",
    "deep.txt", "notes.md", "data.bin" }) do
    t.ok(not err:find("/" .. ok, 1, true), what .. ": " .. ok .. " reported:\n" .. err:sub(1, 2000))
  end
end

local function python(code, input)
  local f = t.tmpdir() .. "/robust-py-in"
  t.write(f, input)
  return t.sh("python3 -c " .. t.shquote(code) .. " " .. t.shquote(f))
end

local json = require "gisa.output.json"

local function decode_lines(s)
  local out = {}
  for line in s:gmatch("[^\n]+") do out[#out + 1] = json.decode(line) end
  return out
end

-- The records of the nasty run, by file name (last path part).
local extracted
local function nasty_records()
  if extracted then return extracted end
  local r = t.gisa({ "extract", nasty_dir() })
  check_stderr(r, "extract")
  local by = {}
  for _, rec in ipairs(decode_lines(r.out)) do by[rec.file:match("[^/]+$")] = rec end
  extracted = { r = r, by = by }
  return extracted
end

t.test("extract: bad files are named with a reason, the rest come out whole", function()
  local x = nasty_records()
  local by = x.by
  -- the two good articles are exactly what they are when read alone
  for _, name in ipairs({ GOOD1, GOOD2 }) do
    local alone = t.gisa({ "extract", t.root .. "/corpus/" .. name })
    t.eq(alone.code, 0, alone.err)
    local want = json.decode(alone.out)
    t.ok(by[name], name .. " missing")
    want.file = by[name].file
    t.eq(by[name], want, name)
  end
  t.eq(by["cp949.txt"].encoding, "euc-kr")
  t.eq(by["cp949.txt"].title, "씨피 기사 제목")
  t.eq(by["utf16.txt"].encoding, "utf-16le")
  t.eq(by["utf16.txt"].title, "유티에프 기사 제목")
  t.eq(by["nuls.txt"].body[1], "서울 시내 도서관이 주말에 문을 연다.")
  t.contains(by["badutf8.txt"].body[2], "깨진 \u{FFFD}\u{FFFD} 바이트가")
  t.match(by["truncated.txt"].body[2], "마지막 글자\u{FFFD}$")
  t.eq(by["titleonly.txt"].title, "제목만 있는 기사")
  t.eq(by["titleonly.txt"].body, {})
  t.eq(by["longpara.txt"].body, { string.rep("가", 10000), "짧은 문단." })
  t.eq(#by["manylines.txt"].body + 1, 200000, "manylines: every line but the title in the body")
  t.eq(by["deep.txt"].title, "깊은 곳의 기사")
  t.eq(by["empty.txt"].title, nil)
  t.eq(by["blank.txt"].title, nil)
  t.eq(by["elf.txt"], nil); t.eq(by["image.txt"], nil)
  t.eq(by["notes.md"], nil); t.eq(by["data.bin"], nil)
  local n = 0
  for _ in pairs(by) do n = n + 1 end
  t.eq(n, root_user and 15 or 14, "records")
  local py = python("import json,sys\nn=0\nfor l in open(sys.argv[1]): json.loads(l); n+=1\nprint(n)", x.r.out)
  t.eq(py.out, n .. "\n", "jsonl for python3: " .. py.err)
end)

local function good_titles(out, what)
  t.contains(out, "설계 인력이 곧 반도체 주권", what)
  t.contains(out, "새벽 2시에도 버스가 온다", what)
end

t.slow("extract: every format survives the nasty directory", function()
  local n = 0
  for _ in pairs(nasty_records().by) do n = n + 1 end
  for _, f in ipairs({ "json", "csv", "tsv", "markdown", "text", "html" }) do
    local r = t.gisa({ "extract", "-f", f, nasty_dir() })
    check_stderr(r, "extract -f " .. f)
    good_titles(r.out, f)
    if f == "json" then
      local py = python("import json,sys\nprint(len(json.load(open(sys.argv[1]))))", r.out)
      t.eq(py.out, n .. "\n", "json for python3: " .. py.err)
    elseif f == "csv" or f == "tsv" then
      local py = python("import csv,sys\ncsv.field_size_limit(1<<30)\n" ..
        "rows=list(csv.reader(open(sys.argv[1],newline=''),delimiter=" .. (f == "csv" and "','" or "'\\t'") .. "))\n" ..
        "print(len(rows), len(set(len(r) for r in rows)))", r.out)
      t.eq(py.out, (n + 1) .. " 1\n", f .. " for python3: " .. py.err)
    end
  end
end)

t.test("-e: one line per good article, bad files named", function()
  local r = t.gisa({ "-e", "if file:find('/0%d%d_') then print(a.title) end", nasty_dir() })
  check_stderr(r, "-e")
  t.eq(r.out, "“설계 인력이 곧 반도체 주권…10년 안에 3만명 키워야”\n"
    .. "새벽 2시에도 버스가 온다…서울 심야 자율주행버스 3개 노선으로 확대\n")
end)

-- Each script's machine output over the two good files alone must appear, row
-- for row, in its output over the nasty directory (per-article scripts).
local function rows_of(out)
  local set = {}
  for _, rec in ipairs(decode_lines(out)) do
    for k, v in pairs(rec) do if type(v) == "string" then rec[k] = v:gsub("^.*/", "") end end
    set[json.encode(rec)] = true
  end
  return set
end

local SCRIPTS = {
  { "stats" }, { "freq" }, { "keywords" }, { "kwic", "반도체" }, { "collocates", "반도체" },
  -- dups with --boilerplate: the short line shared by most files here is boilerplate by default
  { "quotes", per_article = true }, { "entities" }, { "dups", "--boilerplate" }, { "timeline", per_article = true },
}

for _, s in ipairs(SCRIPTS) do
  t.slow("gisa " .. s[1] .. " over the nasty directory", function()
    local args = { table.unpack(s) }
    table.insert(args, 2, "-f"); table.insert(args, 3, "jsonl")
    args[#args + 1] = nasty_dir()
    local r = t.gisa(args)
    check_stderr(r, s[1])
    local py = python("import json,sys\nfor l in open(sys.argv[1]): json.loads(l)\nprint('ok')", r.out)
    t.eq(py.out, "ok\n", s[1] .. " jsonl for python3: " .. py.err)
    t.ok(#r.out > 0, s[1] .. ": no output")
    if s.per_article or s[1] == "kwic" then
      local good = { table.unpack(args, 1, #args - 1) }
      good[#good + 1] = t.root .. "/corpus/" .. GOOD1
      good[#good + 1] = t.root .. "/corpus/" .. GOOD2
      local g = t.gisa(good)
      t.eq(g.code, 0, g.err)
      local have = rows_of(r.out)
      local n = 0
      for row in pairs(rows_of(g.out)) do
        n = n + 1
        t.ok(have[row], s[1] .. ": row of the good articles missing: " .. row)
      end
      t.ok(n > 0, s[1] .. ": no rows for the good articles")
    end
  end)
end

t.slow("gisa report over the nasty directory", function()
  local out = t.tmpdir() .. "/robust-report.html"
  local r = t.gisa({ "report", "-o", out, nasty_dir() })
  check_stderr(r, "report")
  local html = t.read(out)
  t.ok(html and html:find("</html>", 1, true), "report written whole")
  good_titles(html, "report")
end)

t.slow("gisa recode over the nasty directory", function()
  local out = t.tmpdir() .. "/robust-recode"
  local r = t.gisa({ "recode", "-o", out, nasty_dir() })
  r.quiet_warnings = true
  check_stderr(r, "recode")
  t.eq(t.read(out .. "/" .. GOOD1), t.read(t.root .. "/corpus/" .. GOOD1))
  t.eq(t.read(out .. "/cp949.txt"), "씨피 기사 제목\n\n" .. KOREAN .. KOREAN)
  t.eq(t.read(out .. "/utf16.txt"), "유티에프 기사 제목\n\n" .. KOREAN .. KOREAN)
  t.eq(t.read(out .. "/nuls.txt"), "널 바이트 기사\n\n서울 시내 도서관이 주말에 문을 연다.\n" .. KOREAN)
  t.eq(t.read(out .. "/elf.txt"), nil, "binary file not written")
  t.eq(t.read(out .. "/deep/a/b/c/d/e/f/g/h/deep.txt"), "깊은 곳의 기사\n\n" .. KOREAN)
end)

t.test("every script: usage errors exit 2 with a one-line hint", function()
  local names = { "stats", "freq", "keywords", "kwic", "collocates", "quotes", "entities", "dups",
    "timeline", "report", "recode" }
  for _, name in ipairs(names) do
    local r = t.gisa({ name, "--no-such-option", nasty_dir() })
    t.eq(r.code, 2, name)
    t.eq(r.err, "gisa: unknown option '--no-such-option'\nTry 'gisa " .. name .. " --help' for more information.\n", name)
  end
  for _, name in ipairs({ "freq", "keywords", "collocates", "entities" }) do
    for _, bad in ipairs({ "-3", "x", "1.5", "1e999" }) do
      local r = t.gisa({ name, "--top", bad, "반도체", nasty_dir() })
      t.eq(r.code, 2, name .. " --top " .. bad)
      t.match(r.err, "^gisa: option '%-%-top' needs a [^\n]*'" .. bad:gsub("%p", "%%%0") .. "'\nTry 'gisa "
        .. name .. " %-%-help' for more information%.\n$", name)
    end
    local r = t.gisa({ name, "--top" })
    t.eq(r.code, 2, name .. " --top with no value")
    t.eq(r.err, "gisa: option '--top' needs N\nTry 'gisa " .. name .. " --help' for more information.\n")
  end
  local r = t.gisa({ "kwic", "--width", "1e308", "반도체", nasty_dir() })
  t.eq(r.code, 2, r.err)
end)

t.test("a script's own error names its line and exits 1", function()
  local f = t.write(t.tmpdir() .. "/robust-bad.lua", "local x = 1\nlocal y = 2\nlocal z = nil + y\n")
  local r = t.gisa({ f })
  t.eq(r.code, 1)
  t.match(r.err, "^gisa: " .. f:gsub("%p", "%%%0") .. ":3: attempt to perform arithmetic on a nil value")
  r = t.gisa({ "-e", "local x = 1\nlocal y = 2\nerror('boom')", t.root .. "/corpus/" .. GOOD1 })
  t.eq(r.code, 1)
  t.match(r.err, "^gisa: %-e:3: boom %(article 1: [^\n]*" .. GOOD1:gsub("%p", "%%%0") .. "%)\n", "names the article")
end)

t.test("a directory symlink loop and a dangling link", function()
  local d = t.tmpdir() .. "/robust-loop"
  os.execute("rm -rf " .. d .. " && mkdir -p " .. d .. "/sub && ln -s .. " .. d .. "/sub/up && ln -s nowhere.txt "
    .. d .. "/dangling.txt")
  t.write(d .. "/sub/one.txt", "하나뿐인 기사\n\n" .. KOREAN)
  local r = t.gisa({ "-e", "print(file)", d })
  t.ok(not r.err:find("traceback", 1, true), r.err)
  t.eq(select(2, r.out:gsub("one%.txt", "")), 1, "the article under the loop is read once")
  t.contains(r.err, d .. "/dangling.txt: No such file or directory")
  t.contains(r.err, "warning: " .. d .. "/sub/up: directory already walked (a symlink loop?), skipped")
  t.eq(r.code, 1)
end)

t.test("table output of a 10,000-character word (freq, keywords)", function()
  -- padding every row to the long word's width once made these quadratic
  for _, name in ipairs({ "freq", "keywords" }) do
    local r = t.gisa({ name, path("longpara.txt") })
    t.eq(r.code, 0, name .. ": " .. r.err)
    t.contains(r.out, string.rep("가", 10000), name)
    t.ok(not r.out:find(" \n"), name .. ": trailing blanks")
  end
end)
