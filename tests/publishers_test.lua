-- The publisher directory (lua/gisa/rules/publishers.lua, gisa.publishers) and
-- the `publisher` the rules name from what a text shows: lookups by name,
-- alias, domain, URL and address; a user's directory merged over the shipped
-- one (the docs/rules.md example); precision first: an outlet credited or
-- quoted inside another's article is not its publisher.
local t = require "t"
local P = require "gisa.engine.publishers"
local extract = require "gisa.engine"

local function rec_of(text) return extract.extract(text, { file = "test.txt" }) end

t.test("the directory: 60+ outlets of every kind, each with a name and a web domain, no name twice", function()
  local dir = P.directory()
  t.ok(#dir.outlets >= 60, "outlets: " .. #dir.outlets)
  local kinds, names = {}, {}
  for _, o in ipairs(dir.outlets) do
    t.ok(not names[o.name], "one entry per name: " .. o.name)
    names[o.name] = true
    kinds[o.kind] = (kinds[o.kind] or 0) + 1
    t.ok(#o.web > 0, o.name .. " has a web domain")
  end
  for _, k in ipairs({ "agency", "national", "economic", "broadcast", "it", "online", "regional" }) do
    t.ok((kinds[k] or 0) >= 3, "at least 3 outlets of kind " .. k)
  end
end)

t.test("lookup: names, aliases, domains, subdomains, URLs and e-mail addresses", function()
  t.eq(P.name("MTN"), "머니투데이방송")
  t.eq(P.name("mtn"), "머니투데이방송", "Latin names in any case")
  t.eq(P.name("한경닷컴"), "한국경제")
  t.eq(P.name("SBS Biz"), "SBS Biz")
  t.eq(P.name("sbsbiz"), "SBS Biz")
  t.eq(P.name("yna.co.kr"), "연합뉴스")
  t.eq(P.name("www.hankyung.com"), "한국경제")
  t.eq(P.name("https://news.kbs.co.kr/news/view.do?ncd=1"), "KBS")
  t.eq(P.name("hong@yna.co.kr"), "연합뉴스")
  t.eq(P.name("biz.sbs.co.kr"), "SBS Biz", "the longest known domain wins")
  t.eq(P.name("sbs.co.kr"), "SBS")
  t.eq(P.name("hong@example.co.kr"), nil)
  t.eq(P.name("co.kr"), nil)
  t.eq(P.name(""), nil)
  t.eq(P.name("가나다"), nil)
  t.checkerr("string expected", P.lookup, nil)
end)

t.test("from_tag and from_copyright: datelines, tags, copyright lines; a photo credit names no publisher", function()
  t.eq(P.from_tag("서울=연합뉴스").name, "연합뉴스")
  t.eq(P.from_tag("서울경제").name, "서울경제")
  t.eq(P.from_tag("아이뉴스24 홍길동 기자").name, "아이뉴스24")
  t.eq(P.from_tag("세종=뉴스1").name, "뉴스1")
  t.eq(P.from_tag("사진=연합뉴스"), nil, "a credit")
  t.eq(P.from_tag("단독"), nil)
  t.eq(P.from_copyright("ⓒ 마이데일리").name, "마이데일리")
  t.eq(P.from_copyright("<저작권자 © 서울경제, 무단 전재 및 재배포 금지>").name, "서울경제")
  t.eq(P.from_copyright("Copyright ⓒ 스포츠조선 All rights reserved").name, "스포츠조선")
  t.eq(P.from_copyright("ⓒ 한경닷컴, 무단전재 및 재배포 금지").name, "한국경제")
  t.eq(P.from_copyright("무단전재 및 재배포 금지"), nil)
end)

t.test("publisher from a crawler body: dateline, tag, reporters' address, the address ending the text", function()
  local body = "가나전자가 새 공장을 지었다고 밝혔다. 회사는 내년부터 생산을 시작한다."
  t.eq(rec_of("(서울=연합뉴스) 홍길동 기자 = " .. body .. "\n").publisher, "연합뉴스")
  t.eq(rec_of("【서울=뉴시스】홍길동 기자 = " .. body .. "\n").publisher, "뉴시스")
  t.eq(rec_of("[서울경제] " .. body .. "\n").publisher, "서울경제")
  t.eq(rec_of(body .. "\n\n홍길동 기자 hong@etnews.com\n").publisher, "전자신문")
  t.eq(rec_of(body .. " 홍길동 기자 hong@ddaily.co.kr\n").publisher, "디지털데일리")
  t.eq(rec_of(body .. "\n\nⓒ 한경닷컴, 무단전재 및 재배포 금지\n").publisher, "한국경제", "the directory's name")
end)

t.test("publisher: precision first: credited and quoted outlets, and evidence that disagrees, give none", function()
  local body = "가나전자가 새 공장을 지었다고 밝혔다. 회사는 내년부터 생산을 시작한다."
  t.eq(rec_of("(사진=연합뉴스) 공장 전경\n\n" .. body .. "\n").publisher, nil, "a photo credit")
  t.eq(rec_of(body .. " 머니투데이방송(MTN)에 따르면 경쟁사도 준비 중이다.\n").publisher, nil, "a source")
  t.eq(rec_of("공장 전경 /연합뉴스\n\n" .. body .. "\n").publisher, nil, "an agency photo")
  t.eq(rec_of("[서울경제] " .. body .. "\n\n홍길동 기자 hong@etnews.com\n").publisher, nil, "two outlets")
  t.eq(rec_of(body .. "\n\n홍길동 기자 hong@gmail.example\n").publisher, nil, "an unknown domain")
end)

t.test("publisher from a dateline used as a photo's credit, 사진설명(도시=매체): a caption, and the outlet", function()
  local body = "가나전자가 새 공장을 지었다고 밝혔다.\n\n회사는 내년부터 생산을 시작한다.\n"
  local rec = rec_of("가나전자 새 공장 준공\n\n" .. body .. "\n사진설명(부산=뉴시스) 가나전자 부산 공장의 생산 라인.\n")
  t.eq(rec.publisher, "뉴시스")
  t.eq(#rec.captions, 1)
  t.eq(rec.captions[1].credit, "뉴시스")
  t.eq(rec_of("가나전자 새 공장 준공\n\n" .. body .. "\n사진설명(부산=뉴시스) 가나전자 부산 공장.\n\n"
    .. "홍길동 기자 hong@etnews.com\n").publisher, nil, "evidence that disagrees")
  t.eq(rec_of("가나전자 새 공장 준공\n\n" .. body .. "\n사진설명(사진=뉴시스) 가나전자 부산 공장.\n").publisher,
    nil, "a credit label, not a place")
end)

-- The docs/rules.md example of a user's directory, run as written.
t.test("a user's DIR/rules/publishers.lua is merged over the shipped one (the docs/rules.md example)", function()
  local doc = assert(t.read(t.root .. "/docs/rules.md"))
  local code = doc:match("```lua\n(%-%- DIR/rules/publishers%.lua\n.-)```")
  t.ok(code, "the example is in docs/rules.md")
  local d = t.tmpdir() .. "/pubdir"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/rules"))
  t.write(d .. "/rules/publishers.lua", code)
  local f = t.write(d .. "/a.txt", "(서울=가나일보) 홍길동 기자 = 가나전자가 새 공장을 지었다고 밝혔다. 회사는 내년부터 생산한다.\n")
  local r = t.gisa({ "-I", d, "-e", [[
local P = require "gisa.engine.publishers"
print(publisher, P.name("hong@ganailbo.example"), P.name("연합"), P.name("MTN"), #P.directory().outlets)]], f })
  t.eq(r.code, 0, r.err)
  local n = #P.directory().outlets
  t.eq(r.out, "가나일보\t가나일보\t연합뉴스\t머니투데이방송\t" .. (n + 1) .. "\n")
  -- and without the directory, the shipped one only
  r = t.gisa({ "-e", [[print(require("gisa.engine.publishers").name("가나일보"))]], f })
  t.eq(r.out, "nil\n")
end)

t.test("a broken user directory is an error that names its file", function()
  local d = t.tmpdir() .. "/pubbad"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/rules"))
  t.write(d .. "/rules/publishers.lua", "return { outlets = { { kind = 'x' } } }\n")
  local r = t.gisa({ "-I", d, "-e", [[print(require("gisa.engine.publishers").name("MTN"))]], "-" }, "제목\n\n본문이다.\n")
  t.ok(r.code ~= 0, "fails")
  t.contains(r.err, "publishers.lua")
  t.contains(r.err, "outlet 1 needs a name")
end)
