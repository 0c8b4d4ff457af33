-- HTML pages (pages/): the record of every sample page against its gold,
-- key by key, the one-place invariant for every visible block of a page, and
-- the page reader's sniffing (docs/html-rules.md).
local t = require "t"
local cjson = require "cjson"
local gisa = require "gisa"

local has_html = pcall(require, "gisa.html")
local page = require "gisa.html.page"
local reader = require "gisa.readers.html"

local dir = t.root .. "/pages"

local function read_gold(path)
  local f = io.open(path)
  if not f then return nil end
  local out = {}
  for line in f:lines() do
    if line:find("%S") then out[#out + 1] = cjson.decode(line) end
  end
  f:close()
  return out
end

local function lua(v)
  if v == cjson.null then return nil end
  if type(v) == "table" then
    local o = {}
    for k, x in pairs(v) do o[k] = lua(x) end
    return o
  end
  return v
end

-- a source as readers get it
local function source(path)
  return { path = path, bytes = function() return t.read(path) end }
end

local cache = {}
local function record_of(file)
  local path = dir .. "/" .. file
  if not cache[path] then
    local input = assert(reader.read(source(path), {})())
    local rec, trace = page.record(input, { file = path, trace = true })
    cache[path] = { rec = rec, trace = trace, input = input }
  end
  local c = cache[path]
  return c.rec, c.trace, c.input
end

local function has(list, s)
  for _, v in ipairs(list) do if v == s then return true end end
  return false
end

local check = {}
for _, k in ipairs({ "site", "publisher", "title", "section", "published", "modified", "copyright",
  "url", "encoding" }) do
  check[k] = function(rec, want) return t.deepeq(rec[k], want), rec[k] end
end
for _, k in ipairs({ "subtitles", "authors", "captions" }) do
  check[k] = function(rec, want) return t.deepeq(rec[k], want), rec[k] end
end
check.emails = function(rec, want)
  local a, b = {}, {}
  for i, v in ipairs(rec.emails) do a[i] = v end
  for i, v in ipairs(want) do b[i] = v end
  table.sort(a); table.sort(b)
  return t.deepeq(a, b), rec.emails
end
check.crossheads = function(rec, want)
  local got = {}
  for _, b in ipairs(rec.blocks) do if b.type == "heading" then got[#got + 1] = b.text end end
  return t.deepeq(got, want), got
end
check.body_count = function(rec, want) return #rec.body == want, #rec.body end
check.body_first_starts = function(rec, want)
  local b = rec.body[1]
  return b ~= nil and b:sub(1, #want) == want, b and b:sub(1, #want + 20)
end
check.body_include = function(rec, want)
  local missing = {}
  for _, s in ipairs(want) do if not has(rec.body, s) then missing[#missing + 1] = s end end
  return #missing == 0, { missing = missing }
end
check.body_exclude = function(rec, want)
  local bad = {}
  for _, s in ipairs(want) do
    for _, b in ipairs(rec.body) do if b:find(s, 1, true) then bad[#bad + 1] = s end end
  end
  return #bad == 0, { in_body = bad }
end
check.removed_include = function(rec, want)
  local left = {}
  for _, r in ipairs(rec.removed) do
    if r.reason and r.reason ~= "" then left[#left + 1] = r.text end
  end
  local missing = {}
  for _, s in ipairs(want) do
    local hit
    for i, v in ipairs(left) do if v == s then hit = i; break end end
    if hit then table.remove(left, hit) else missing[#missing + 1] = s end
  end
  return #missing == 0, { missing = missing }
end
local IGNORED = { file = true, notes = true }

local gold = read_gold(dir .. "/gold.jsonl")

t.test("html gold: twelve or more pages, one entry per page", function()
  t.ok(gold, dir .. "/gold.jsonl exists")
  local names = {}
  for _, n in ipairs(gisa.sys.listdir(dir)) do
    if n:lower():find("%.html?$") then names[#names + 1] = n end
  end
  table.sort(names)
  t.ok(#names >= 12, "at least 12 pages, got " .. #names)
  t.eq(#gold, #names, "gold entries")
  for i, g in ipairs(gold) do t.eq(g.file, names[i], "entry " .. i) end
end)

for _, g in ipairs(gold or {}) do
  local keys = {}
  for k in pairs(g) do if not IGNORED[k] then keys[#keys + 1] = k end end
  table.sort(keys)
  for _, k in ipairs(keys) do
    t.test("html: " .. g.file .. ": " .. k, function()
      if not has_html then t.skip("needs gisa.html") end
      local c = check[k]
      if not c then error(g.file .. ": unknown gold key '" .. k .. "'", 0) end
      local rec = record_of(g.file)
      local want = lua(g[k])
      local ok, got = c(rec, want)
      if not ok then
        error(string.format("%s: %s: expected %s, got %s", g.file, k, t.show(want), t.show(got)), 0)
      end
    end)
  end
end

------------------------------------------------------------------------------
-- Lossless: every visible block lands in exactly one place
------------------------------------------------------------------------------

local BLOCK = { para = true, heading = true, question = true, answer = true, caption = true,
  note = true, quote = true, speaker = true }
local FIELD = { title = true, subtitle = true, series = true, section = true, publisher = true,
  byline = true, email = true, date = true, copyright = true }

local function squash(s) return (s:gsub("[%s\194\160]", ""):gsub("\227\128\128", "")) end

local function problems(rec, trace, input)
  local out = {}
  local function bad(...) out[#out + 1] = string.format(...) end
  local parts = {}
  for _, e in ipairs(trace) do
    parts[e.n] = parts[e.n] or {}
    table.insert(parts[e.n], e)
  end
  local n = 0
  for raw in (input.text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    local p = parts[n]
    if not p then bad("line %d (%s): in no place", n, raw)
    else
      local joined = ""
      for _, e in ipairs(p) do
        joined = joined .. e.text
        if BLOCK[e.role] then
          local found = false
          for _, b in ipairs(rec.blocks) do if b.line == n and b.type == e.role then found = true end end
          if not found then bad("line %d: role %s but no block", n, e.role) end
        elseif e.role == "removed" then
          local found = false
          for _, r in ipairs(rec.removed) do
            if r.line == n and r.text == e.text and (r.reason or "") ~= "" then found = true end
          end
          if not found then bad("line %d: removed without a reason", n) end
        elseif not FIELD[e.role] then
          bad("line %d: role %s", n, e.role)
        end
      end
      if squash(joined) ~= squash(raw) then bad("line %d: parts %q do not make up %q", n, joined, raw) end
    end
  end
  return out
end

for _, g in ipairs(gold or {}) do
  t.test("html invariant: " .. g.file .. ": every visible block lands in one place", function()
    if not has_html then t.skip("needs gisa.html") end
    local rec, trace, input = record_of(g.file)
    local p = problems(rec, trace, input)
    if #p > 0 then error(g.file .. ":\n  " .. table.concat(p, "\n  "), 0) end
    -- the lines are all the page's visible text, and no text of script,
    -- style, noscript or template
    local html = require "gisa.html"
    local doc = html.parse(t.read(dir .. "/" .. g.file))
    local body = doc:first("body") or doc.root
    t.eq(squash(table.concat(input.paths and (function()
      local ls = {}
      for l in (input.text .. "\n"):gmatch("([^\n]*)\n") do ls[#ls + 1] = l end
      return ls
    end)() or {}, "")), squash(body:text()), g.file .. ": the lines hold the visible text")
    for _, s in ipairs({ "스크립트 안의 글", "템플릿 안의 글", "광고 영역", "추적 픽셀", "dataLayer", "<div" }) do
      t.ok(not input.text:find(s, 1, true), g.file .. ": no '" .. s .. "' in the text")
    end
    -- every line has its DOM path, for --explain
    for _, e in ipairs(trace) do t.ok(input.paths[e.n], g.file .. ": a path for line " .. e.n) end
  end)
end

t.test("html invariant: text after </html> lands in one place, also after a DOCTYPE, comment or PI", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local body = [[<html><head><meta property="og:title" content="항만 무인 크레인 도입"></head><body>
<h1>항만 무인 크레인 도입</h1><div id="article_body"><p>부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p></div>
</body></html>
<p>공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.</p> 끝에 붙은 글 <div>가람일보 홍가람 기자</div>
]]
  for _, head in ipairs({ "", "<!DOCTYPE html>\n", "<!-- saved page -->\n", "<?php echo 1; ?>\n",
    "<!DOCTYPE html>\n<!-- c -->\n" }) do
    local src = head .. body
    local input = page.input(html.parse(src), {})
    local rec, trace = page.record(input, { file = "x", trace = true })
    local p = problems(rec, trace, input)
    if #p > 0 then error(string.format("%q:\n  ", head) .. table.concat(p, "\n  "), 0) end
    for _, s in ipairs({ "공사는 내년까지", "끝에 붙은 글", "홍가람" }) do
      t.ok(input.text:find(s, 1, true), string.format("%q: '%s' is a line", head, s))
    end
    t.deepeq(rec.body, { "부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.",
      "공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.", "끝에 붙은 글" }, string.format("%q", head))
  end
end)

------------------------------------------------------------------------------
-- Sniffing and small cases
------------------------------------------------------------------------------

t.test("html reader: sniff knows pages and fragments, after a PHP or JSP block, not text", function()
  local yes = { "<!DOCTYPE html>\n<html>", "  <html lang=ko>", "<?php include 'a.php'; ?>\n<html>",
    "<%@ page contentType=\"text/html\" %>\n<!doctype html>", "\239\187\191<meta charset=utf-8>",
    "<div class=\"article\">본문</div>", "<p>본문</p>", "<!-- saved -->\n<html>" }
  for _, s in ipairs(yes) do t.ok(reader.sniff(s, "-"), "sniffs " .. s) end
  local no = { "제목\n본문입니다.", "{\"title\": 1}", "", "<?php echo 1;", "a < b" }
  for _, s in ipairs(no) do t.ok(not reader.sniff(s, "-"), "not " .. s) end
  t.deepeq(reader.exts, { "html", "htm", "xhtml" })
end)

t.test("page.kst: metadata times to Korean time", function()
  t.eq(page.kst("2025-02-03T05:20:00Z"), "2025-02-03T14:20:00+09:00")
  t.eq(page.kst("2025-12-31T20:30:00Z"), "2026-01-01T05:30:00+09:00")
  t.eq(page.kst("2025-03-14T09:12:37+09:00"), "2025-03-14T09:12:37+09:00")
  t.eq(page.kst("2025-03-14 09:12"), "2025-03-14T09:12:00+09:00")
  t.eq(page.kst("2024-02-29T01:00:00-05:00"), "2024-02-29T15:00:00+09:00")
  t.eq(page.kst("S1N4"), nil)
  t.eq(page.kst("2025-13-01T00:00"), nil)
end)

t.test("page.credit: the credit of a caption", function()
  t.eq(page.credit("시험하고 있다. /사진=서하람 기자"), "서하람")
  t.eq(page.credit("정부세종청사 전경 [누리통신 자료사진]"), "누리통신")
  t.eq(page.credit("책을 읽고 있다. 가온군 제공"), "가온군")
  t.eq(page.credit("전산실 모습 (사진=행정안전부)"), "행정안전부")
  t.eq(page.credit("사진 설명만 있는 줄"), nil)
end)

------------------------------------------------------------------------------
-- The command line: walk, stdin, --explain, list, site HTML rules, bad pages
------------------------------------------------------------------------------

local function jsonl(out)
  local list = {}
  for line in out:gmatch("[^\n]+") do list[#list + 1] = cjson.decode(line) end
  return list
end

t.test("html cli: a walk reads .html/.htm/.xhtml in any letter case; text files as before", function()
  if not has_html then t.skip("needs gisa.html") end
  local d = t.tmpdir() .. "/walk-html"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local p = t.read(dir .. "/140_mt_port.html")
  t.write(d .. "/a.HTML", p)
  t.write(d .. "/b.Htm", t.read(dir .. "/166_maru_sports.html"))
  t.write(d .. "/c.xhtml", t.read(dir .. "/163_nuri_wire.html"))
  t.write(d .. "/d.txt", "제목입니다\n\n본문 문단입니다.\n")
  local r = t.gisa({ "extract", d })
  t.eq(r.code, 0, r.err)
  local list = jsonl(r.out)
  t.eq(#list, 4, "records")
  t.eq(list[1].site, "mt")
  t.eq(list[1].title, '"배 대신 드론이 간다"…섬 택배 하루 만에')
  t.eq(list[2].section, "축구")
  t.eq(list[3].url, "https://www.nuritong.example/view/AKR20250708041200001")
  t.eq(list[4].title, "제목입니다")
end)

t.test("html cli: HTML on standard input is known by its content, also after a PHP block", function()
  if not has_html then t.skip("needs gisa.html") end
  local r = t.gisa({ "extract", "-" }, t.read(dir .. "/162_gaon_library.html"))
  t.eq(r.code, 0, r.err)
  local rec = jsonl(r.out)[1]
  t.eq(rec.title, "폐교가 마을 도서관으로…주민이 직접 꾸렸다")
  t.eq(rec.published, "2025-06-17T09:00:00+09:00")
  t.eq(#rec.body, 4)
end)

t.test("html cli: --explain shows each block with its DOM path, role and rule", function()
  if not has_html then t.skip("needs gisa.html") end
  local r = t.gisa({ "extract", "--explain", dir .. "/110_hankyung_robot.html" })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "^# [^\n]*110_hankyung_robot%.html  site=hankyung %(한국경제%)  encoding=utf%-8\n")
  t.match(r.out, "\n%s+10  title%s+html:headline%s+[^\n]*h1%.headline%s+물류창고 누비는 협동로봇")
  t.match(r.out, "\n%s+20  caption%s+html:caption%s+[^\n]*figcaption%.figure%-caption ")
  t.match(r.out, "\n%s+21  para%s+para%s+[^\n]*div#articleBody[^\n]*%(line 1%)%s+물류창고 선반 사이를")
  t.match(r.out, "\n%s+29  removed%s+html:related%s+[^\n]*section%.related%-news > ul > li%[1%] > a ")
  -- stdin too
  r = t.gisa({ "extract", "--explain", "-" }, t.read(dir .. "/164_dasom_fragment.html"))
  t.eq(r.code, 0, r.err)
  t.match(r.out, "\n%s+1  caption%s+html:caption%s+div#news_body > div%.photo_center ")
end)

t.test("html cli: gisa list shows the sites with HTML rules", function()
  local r = t.gisa({ "list" })
  t.eq(r.code, 0, r.err)
  for _, s in ipairs({ "hankyung%.com", "fnnews%.com", "zdnet%.co%.kr", "mt%.co%.kr", "edaily%.co%.kr" }) do
    t.match(r.out, "%(html: " .. s .. "%)")
  end
end)

t.test("html cli: a bad html table in a site file stops the run before any page, naming the file", function()
  if not has_html then t.skip("needs gisa.html") end
  local d = t.tmpdir() .. "/html-site"
  os.execute("mkdir -p " .. t.shquote(d .. "/rules/sites"))
  t.write(d .. "/rules/sites/bad.lua", 'return { id = "bad", detect = { "xyzzy" }, html = { body = 5 } }\n')
  local r = t.gisa({ "extract", "-I", d, dir .. "/110_hankyung_robot.html" })
  t.eq(r.code, 1)
  t.eq(r.out, "")
  t.contains(r.err, "rules/sites/bad.lua: html.body: must be a CSS selector (a string)")
  t.write(d .. "/rules/sites/bad.lua", 'return { id = "bad", detect = { "xyzzy" }, html = { title = "h1[" } }\n')
  r = t.gisa({ "extract", "-I", d, dir .. "/110_hankyung_robot.html" })
  t.eq(r.code, 1)
  t.contains(r.err, "rules/sites/bad.lua: html.title: bad selector 'h1['")
end)

t.test("html cli: a user's site file with HTML rules is used for its host", function()
  if not has_html then t.skip("needs gisa.html") end
  local d = t.tmpdir() .. "/html-site2"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/rules/sites"))
  t.write(d .. "/rules/sites/gaon.lua", [[
return {
  id = "gaon", publisher = "가온일보", detect = { "가온일보" },
  html = { detect = { hosts = { "gaon.example" } }, title = "h2.news_title", body = "#news_body_area",
    remove = { "span.writer" } },
}
]])
  local r = t.gisa({ "extract", "-I", d, dir .. "/162_gaon_library.html" })
  t.eq(r.code, 0, r.err)
  local rec = jsonl(r.out)[1]
  t.eq(rec.site, "gaon")
  t.eq(rec.title, "폐교가 마을 도서관으로…주민이 직접 꾸렸다")
  local reason
  for _, x in ipairs(rec.removed) do if x.text == "윤다온 기자" then reason = x.reason end end
  t.eq(reason, "html:site-rule")
end)

t.test("html: bad pages give a clear message and never stop the others", function()
  if not has_html then t.skip("needs gisa.html") end
  local d = t.tmpdir() .. "/bad-html"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  t.write(d .. "/a_empty.html", "")
  t.write(d .. "/b_binary.html", "\0\1\2\3<html>\0\0\255\254" .. string.rep("\0\7", 200))
  t.write(d .. "/c_nobody.html", "<html><head><title>x</title></head></html>")
  t.write(d .. "/d_deep.html", "<html><body>" .. string.rep("<div>", 20000) .. "<p>깊은 곳의 문단입니다.</p>"
    .. string.rep("</div>", 20000) .. "</body></html>")
  t.write(d .. "/e_trunc.html", "<!doctype html><html><body><div id=\"article_body\"><p>잘린 페이지의 첫 문단")
  t.write(d .. "/f_ok.html", t.read(dir .. "/140_mt_port.html"))
  local r = t.gisa({ "extract", d })
  t.eq(r.code, 1, "some input failed")
  t.contains(r.err, "a_empty.html")
  t.contains(r.err, "b_binary.html")
  t.contains(r.err, "c_nobody.html")
  t.contains(r.err, "no visible text")
  local list = jsonl(r.out)
  t.eq(list[#list].site, "mt", "the good page after the bad ones")
  local deep
  for _, rec in ipairs(list) do if rec.file:find("d_deep") then deep = rec end end
  t.ok(deep, "the deep page is read")
  t.eq(deep.title or deep.body[1], "깊은 곳의 문단입니다.")
end)

t.test("docs/html-rules.md: each sh example gives the text block under it", function()
  if not has_html then t.skip("needs gisa.html") end
  local src = assert(t.read(t.root .. "/docs/html-rules.md"))
  local n = 0
  for cmd, want in src:gmatch("```sh\n(.-)```%s*```text\n(.-)```") do
    n = n + 1
    local args = {}
    for w in cmd:gsub("^gisa%s+", ""):gmatch("%S+") do args[#args + 1] = w end
    for i, a in ipairs(args) do
      if a:find("^pages/") then args[i] = t.root .. "/" .. a end
    end
    local r = t.gisa(args)
    t.eq(r.code, 0, r.err)
    t.eq(r.out, want, cmd)
  end
  t.ok(n >= 1, "an example in docs/html-rules.md")
end)

t.test("page: the headline og:title names despite [2보]/(2보), quotes and an outlet suffix; aria-current section", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local doc = html.parse([[<html><head><meta property="og:title" content="[2보] 기준금리 동결…“물가 지켜볼 것” - 가나일보"></head><body>
<nav><ul><li><a href="/">홈</a></li><li><a aria-current="page" href="/eco">경제</a></li></ul></nav>
<div class="hd"><h2>(2보) 기준금리 동결…"물가 지켜볼 것"</h2></div><div id="txt"><p>한국은행이 기준금리를 연 3.0%로 동결했다. 물가 흐름을 더 지켜보겠다는 판단이다.</p><p>가나일보 홍가나 기자</p></div></body></html>]])
  local rec = page.record(page.input(doc, {}), { file = "x" })
  t.eq(rec.title, '(2보) 기준금리 동결…"물가 지켜볼 것"')
  t.eq(rec.section, "경제")
  t.deepeq(rec.authors, { { name = "홍가나", role = "기자" } })
  t.deepeq(rec.body, { "한국은행이 기준금리를 연 3.0%로 동결했다. 물가 흐름을 더 지켜보겠다는 판단이다." })
end)

t.test("page: a Hangul breadcrumb item whole; an articleBody's own class words are no chrome; counters and chrome link labels removed; style classes (font--size-md-18) are no font buttons", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local doc = html.parse([[<html><head><meta property="og:title" content="항만 무인 크레인 도입"></head><body>
<nav class="breadcrumbs"><a href="/">홈</a> › <a href="/local">지역</a></nav>
<h3 class="heading">항만 무인 크레인 도입</h3><ul class="infomation"><li>가람일보 홍가람 기자</li><li>조회수 1,204</li><li>댓글 0</li>
<li><a href="https://www.garam.example/1">기사원문</a></li></ul>
<article id="print_area" class="view-body" itemprop="articleBody"><p>부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p>
<p>공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.</p></article>
<div class="comment-box"><span>댓글 3</span></div></body></html>]])
  local rec = page.record(page.input(doc, {}), { file = "x" })
  t.eq(rec.section, "지역", "not cut at the bytes › shares with 지")
  t.deepeq(rec.body, { "부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.",
    "공사는 내년까지 크레인 운영 인력을 재배치할 계획이다." }, "print_area on the articleBody is no print button")
  local removed = {}
  for _, r in ipairs(rec.removed) do removed[r.text] = r.reason end
  t.eq(removed["조회수 1,204"], "html:counter")
  t.eq(removed["댓글 0"], "html:counter")
  t.eq(removed["댓글 3"], "html:comments", "inside other chrome, its reason stays")
  t.eq(removed["기사원문"], "html:links", "a chrome link label")
  t.deepeq(rec.subtitles, {})
  -- elsewhere the class words still mark chrome (here: a text-size control)
  local doc2 = html.parse([[<html><body><h1>항만 무인 크레인 도입</h1><div class="font-size-controls">글자 크기</div>
<div id="txt"><p>부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p></div></body></html>]])
  local rec2 = page.record(page.input(doc2, {}), { file = "x" })
  t.eq(rec2.removed[1] and rec2.removed[1].reason, "html:share")
  -- utility classes on the text itself style it
  local doc3 = html.parse([[<html><body><h1 class="headline | font--primary">항만 무인 크레인 도입</h1>
<div class="byline"><a class="author | font--size-sm-14" href="/people/x">홍가람 기자</a></div>
<section class="story"><figure><img src="x.jpg"><figcaption class="font--size-sm-14">부두에 선 무인 크레인. /홍가람 기자</figcaption></figure>
<p class="text font--size-md-18">부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p>
<p class="text font--size-md-18">공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.</p></section></body></html>]])
  local rec3 = page.record(page.input(doc3, {}), { file = "x" })
  t.eq(rec3.title, "항만 무인 크레인 도입")
  t.deepeq(rec3.authors, { { name = "홍가람", role = "기자" } })
  t.deepeq(rec3.captions, { { text = "부두에 선 무인 크레인. /홍가람 기자", credit = "홍가람" } })
  t.eq(#rec3.body, 2)
end)

t.test("page: on a flat page (headline, date line and text side by side in <body>) the lines between are the article's", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local doc = html.parse([[<html><head><meta property="og:title" content="항만 무인 크레인 도입"></head><body>
<div class="gnb"><a href="/">홈</a></div>
<h1 class="headline">항만 무인 크레인 도입</h1>
<p class="date">입력 2025.06.12 14:05</p>
<div id="article_body"><p>부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p>
<p>공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.</p><p>홍가람 기자 garam@garam.example</p></div>
<div class="site-info">가람일보 · 부산광역시</div></body></html>]])
  local rec = page.record(page.input(doc, {}), { file = "x" })
  t.eq(rec.published, "2025-06-12T14:05:00+09:00")
  t.eq(#rec.body, 2)
  local removed = {}
  for _, r in ipairs(rec.removed) do removed[r.text] = r.reason end
  t.eq(removed["홈"], "html:nav")
  t.eq(removed["가람일보 · 부산광역시"], "html:page", "after the article: page chrome still")
end)

t.test("page: a portal's og:site_name is not the publisher; buttons are never text; '… 자료사진' credits", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local doc = html.parse([[<html><head><meta property="og:site_name" content="네이버 뉴스">
<meta property="og:title" content="항만 무인 크레인 도입"><meta property="og:article:author" content="가람일보 | 네이버"></head>
<body><div class="head"><h2>항만 무인 크레인 도입</h2><div class="tools"><button>요약</button><button>본문 듣기</button></div></div>
<div id="dic_area"><span class="end_photo"><img src="x.jpg"><em class="img_desc">부두에 선 무인 크레인. 가람일보 자료사진</em></span><br>
부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.<br></div></body></html>]])
  local rec = page.record(page.input(doc, {}), { file = "x" })
  t.eq(rec.publisher, "가람일보")
  t.deepeq(rec.subtitles, {})
  t.deepeq(rec.captions, { { text = "부두에 선 무인 크레인. 가람일보 자료사진", credit = "가람일보" } })
  local removed = {}
  for _, r in ipairs(rec.removed) do removed[#removed + 1] = r.text .. "=" .. r.reason end
  t.deepeq(removed, { "요약=html:share", "본문 듣기=html:share" })
end)

t.test("page: the publisher from the directory: og:site_name aliases, the URL's host; a portal's host, a slogan and an unknown host name none", function()
  if not has_html then t.skip("needs gisa.html") end
  local html = require "gisa.html"
  local function publisher(head, tail)
    local doc = html.parse("<html><head>" .. head .. "</head><body><h1>항만 무인 크레인 도입</h1><div id=\"txt\">"
      .. "<p>부산항만공사는 3일 신항 부두에 원격 조종 크레인 20기를 도입한다고 밝혔다.</p>"
      .. "<p>공사는 내년까지 크레인 운영 인력을 재배치할 계획이다.</p>" .. (tail or "") .. "</div></body></html>")
    return page.record(page.input(doc, {}), { file = "x" }).publisher
  end
  t.eq(publisher('<meta property="og:site_name" content="SBS Biz">'), "SBS Biz", "a directory name, with a blank, not in <title>")
  t.eq(publisher('<meta property="og:site_name" content="MTN">'), "머니투데이방송", "an alias")
  t.eq(publisher('<link rel="canonical" href="https://www.etnews.com/20250303000111">'), "전자신문", "the canonical host")
  t.eq(publisher('<meta property="og:url" content="https://m.news1.kr/articles/5123456">'), "뉴스1", "og:url, a subdomain")
  t.eq(publisher('<meta property="og:site_name" content="바다를 여는 신문"><link rel="canonical" href="https://www.kmib.co.kr/article/view.asp?arcid=1">'),
    "국민일보", "a slogan is no name; the host is")
  t.eq(publisher('<meta property="og:site_name" content="네이버 뉴스"><link rel="canonical" href="https://n.news.naver.com/article/001/0000000001">'),
    nil, "a portal names no outlet")
  t.eq(publisher('<link rel="canonical" href="https://n.news.naver.com/article/001/0000000001">',
    "<p>홍길동 기자 hong@etnews.com</p>"), "전자신문", "on a portal, the reporter's e-mail domain (the line rules)")
  t.eq(publisher('<link rel="canonical" href="https://www.gana.example/1">'), nil, "a host the directory does not know")
  t.eq(publisher('<meta property="og:site_name" content="MTN"><link rel="canonical" href="https://www.etnews.com/1">'),
    "머니투데이방송", "og:site_name before the host")
end)
