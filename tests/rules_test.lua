-- The rule API: the date and byline grammars, user rule directories (a new
-- site in one file, replacing a shipped rule by id, extending the grammars),
-- errors that name the rule and its file, generic rules on other publishers'
-- styles, and the command line around extraction (--explain, empty, binary).
local t = require "t"
local extract = require "gisa.engine"
local dates = require "gisa.rules.dates"
local bylines = require "gisa.rules.bylines"
local L = require "gisa.rules.lib"
local cjson = require "cjson"

local function rec_of(text)
  return extract.extract(text, { file = "test.txt" })
end

local function extract_json(args, stdin, env)
  local r = t.gisa(args, stdin, env)
  local recs = {}
  for line in r.out:gmatch("[^\n]+") do recs[#recs + 1] = cjson.decode(line) end
  return recs, r
end

------------------------------------------------------------------------------
-- The date grammar
------------------------------------------------------------------------------

local date_cases = {
  { "입력 2023.03.14 16:00", "2023-03-14T16:00:00+09:00", "published" },
  { "수정: 2023/12/26 17:19", "2023-12-26T17:19:00+09:00", "modified" },
  { "2023-09-05 오후 2:30", "2023-09-05T14:30:00+09:00", nil },
  { "2023년 3월 14일 16시 00분", "2023-03-14T16:00:00+09:00", nil },
  { "기사입력 2023-03-14 16:00", "2023-03-14T16:00:00+09:00", "published" },
  { "승인 2023.03.14 16:00", "2023-03-14T16:00:00+09:00", "published" },
  { "최종수정 2023.03.14 17:05:09", "2023-03-14T17:05:09+09:00", "modified" },
  { "업데이트 2024.03.14. 17:30", "2024-03-14T17:30:00+09:00", "modified" },
  { "2023. 3. 14. 오전 12:05", "2023-03-14T00:05:00+09:00", nil },
  { "2023년 3월 14일(화) 오후 4:00", "2023-03-14T16:00:00+09:00", nil },
  { "송고시간2024-03-14 16:00", "2024-03-14T16:00:00+09:00", "published" },
  { "2024-03-14T07:00:00Z", "2024-03-14T07:00:00+00:00", nil },
  { "입력 2024.03.14 16:00 (GMT)", "2024-03-14T16:00:00+00:00", "published" },
  { "등록 2024.03.14", "2024-03-14", "published" },
}

t.test("dates: every form in the issue becomes ISO 8601 with +09:00", function()
  for _, c in ipairs(date_cases) do
    local d = dates.default:line(c[1])
    t.ok(d, "not a date line: " .. c[1])
    t.eq(d[1].iso, c[2], c[1])
    t.eq(d[1].kind, c[3], c[1] .. " (kind)")
  end
end)

t.test("dates: two dates on a line fill published and modified", function()
  local rec = {}
  local zd = "입력 :2023/12/26 17:07\194\160\194\160수정: 2023/12/26 17:19"
  dates.assign(rec, dates.default:line(zd))
  t.eq(rec.published, "2023-12-26T17:07:00+09:00")
  t.eq(rec.modified, "2023-12-26T17:19:00+09:00")
  rec = {}
  dates.assign(rec, dates.default:line("등록 2024-03-14 16:00수정 2024-03-14 17:30"))
  t.eq({ rec.published, rec.modified }, { "2024-03-14T16:00:00+09:00", "2024-03-14T17:30:00+09:00" })
end)

t.test("dates: impossible dates and prose are not date lines", function()
  t.eq(dates.default:line("2023.13.40 16:00"), nil)
  t.eq(dates.default:line("2023.03.14 25:00"), nil)
  t.eq(dates.default:line("그는 2023.03.14 발표했다"), nil)
  t.eq(#dates.default:scan("그는 2023.03.14 발표했다"), 1)
end)

t.test("dates: a user form and label extend the grammar", function()
  local lpeg = require "lpeg"
  local f = dates.fields
  -- "20240520-0915": fixed-width fields, since f.m and f.d take one or two digits
  local D2 = lpeg.R"09" * lpeg.R"09" / tonumber
  local forms = { { id = "compact", pattern = f.y * lpeg.Cg(D2, "m") * lpeg.Cg(D2, "d") * lpeg.P"-"
    * lpeg.Cg(D2, "H") * f.M } }
  for _, x in ipairs(dates.forms) do table.insert(forms, x) end
  local g = dates.compile(forms, { published = { "보도" }, modified = { "고침" } })
  local d = g:line("보도 20240520-0915 고침 2024.05.20 11:40")
  t.ok(d, "the user's form must match")
  t.eq(d[1].iso, "2024-05-20T09:15:00+09:00")
  t.eq(d[2].kind, "modified")
end)

------------------------------------------------------------------------------
-- The byline grammar
------------------------------------------------------------------------------

local function names(res)
  if not res then return nil end
  local out = {}
  for _, a in ipairs(res.authors) do
    out[#out + 1] = a.name .. "/" .. (a.role or "-") .. (a.email and ("/" .. a.email) or "")
  end
  return table.concat(out, ",")
end

t.test("bylines: every form in the issue", function()
  local p = bylines.default
  local cases = {
    { "홍길동 기자", "홍길동/기자" },
    { "홍길동·김철수 기자", "홍길동/기자,김철수/기자" },
    { "정리=홍길동 기자", "홍길동/기자" },
    { "서울=연합뉴스 홍길동 기자", "홍길동/기자" },
    { "홍길동 특파원", "홍길동/특파원" },
    { "홍길동 기자 hong@x.co.kr", "홍길동/기자/hong@x.co.kr" },
    { "홍길동 (hong@x.co.kr)", "홍길동/-/hong@x.co.kr" },
    { "hong@x.co.kr 홍길동 김철수 기자", "홍길동/기자/hong@x.co.kr,김철수/기자" },
    { "정리=김인엽 기자 [email protected]", "김인엽/기자" },
    { "홍길동 선임 기자", "홍길동/선임기자" },
    { "홍길동기자", "홍길동/기자" },
    { "이데일리 임유경·김연서·김응열 기자", "임유경/기자,김연서/기자,김응열/기자" },
  }
  for _, c in ipairs(cases) do t.eq(names(p:parse(c[1])), c[2], c[1]) end
  t.eq(p:parse("이데일리 홍길동 기자").media, "이데일리")
end)

t.test("bylines: prose, titles and outlet names are not bylines", function()
  local p = bylines.default
  for _, s in ipairs({ "장병탁 교수", "파이낸셜뉴스", "다음은 일문일답", "공유", "홍길동",
      "기자", "고진 디지털플랫폼정부위원회 위원장", "hwijpg@" }) do
    t.eq(p:parse(s), nil, s)
  end
end)

t.test("bylines: at the start of a paragraph", function()
  local p = bylines.default
  local cases = {
    { "[이데일리 홍길동·김철수 기자] 본문이다.", "홍길동/기자,김철수/기자", "본문이다." },
    { "(서울=연합뉴스) 홍길동 기자 = 본문이다.", "홍길동/기자", "본문이다." },
    { "[서울=뉴시스]홍길동 기자 = 본문이다.", "홍길동/기자", "본문이다." },
  }
  for _, c in ipairs(cases) do
    local res, pos = p:prefix(c[1])
    t.eq(names(res), c[2], c[1])
    t.eq(c[1]:sub(pos), c[3], c[1])
  end
  t.eq(select(2, p:prefix("(서울=연합뉴스) 홍길동 기자 = 본문이다.")) and
    p:prefix("(서울=연합뉴스) 홍길동 기자 = 본문이다.").media, "연합뉴스")
  t.eq(p:prefix("[파이낸셜뉴스] 본문"), nil)
  t.eq(p:prefix("(사진=구글) 본문"), nil)
end)

t.test("e-mail: placeholders and cut-off addresses are not addresses", function()
  local e = L.find(L.email)
  t.ok(e:match("연락 hong@x.co.kr 주세요"))
  t.eq(e:match("정리=김인엽 기자 [email protected]"), nil)
  t.eq(e:match("/사진=김휘선 기자 hwijpg@"), nil)
end)

t.test("e-mail: an address that ends a sentence is found without its period", function()
  t.eq(L.emails:match("제보는 hong@x.co.kr. 기다립니다"), { "hong@x.co.kr" })
  t.eq(L.emails:match("문의: kim-1@news.example.com."), { "kim-1@news.example.com" })
  t.eq(L.emails:match("a@b..com a@b.c1 a@b.com-x"), {})
  local rec = rec_of("제목\n\n본문입니다. 제보는 hong@x.co.kr.\n")
  t.eq(rec.emails, { "hong@x.co.kr" })
end)

------------------------------------------------------------------------------
-- Generic rules on other publishers' styles (our own text)
------------------------------------------------------------------------------

t.test("generic: a wire-service article (dateline byline, e-mail line, <저작권자>)", function()
  local rec = rec_of(table.concat({
    "정부, 내년 반도체 연구개발 예산 20% 늘린다",
    "",
    "송고시간2024-03-14 16:00",
    "",
    "(세종=연합뉴스) 홍길동 기자 = 정부가 내년 반도체 연구개발 예산을 올해보다 20% 늘리기로 했다.",
    "",
    "과학기술정보통신부는 14일 이런 내용을 담은 계획을 발표했다.",
    "",
    "hong@yna.co.kr",
    "",
    "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
    "",
  }, "\n"))
  t.eq(rec.site, nil)
  t.eq(rec.title, "정부, 내년 반도체 연구개발 예산 20% 늘린다")
  t.eq(rec.published, "2024-03-14T16:00:00+09:00")
  -- the address alone on its line under a one-reporter article is the reporter's
  t.eq(rec.authors, { { name = "홍길동", role = "기자", email = "hong@yna.co.kr" } })
  t.eq(rec.emails, { "hong@yna.co.kr" })
  t.eq(rec.publisher, "연합뉴스")
  t.eq(rec.body, { "정부가 내년 반도체 연구개발 예산을 올해보다 20% 늘리기로 했다.",
    "과학기술정보통신부는 14일 이런 내용을 담은 계획을 발표했다." })
  t.eq(rec.copyright, "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>")
end)

t.test("generic: how to send a tip is removed, not a heading or a question", function()
  local rec = rec_of(table.concat({
    "정부, 내년 예산 5% 늘린다",
    "",
    "정부가 내년 예산을 올해보다 5% 늘리기로 했다.",
    "",
    "▷ 전화 통화로 확인한 내용은 무엇인가.",
    "",
    "제보는 카카오톡 abcjebo",
    "▷ 카카오톡 : '한결제보' 검색",
    "▶ 전화：02-123-4567",
    "",
    "제보는 지난달 접수됐다.",
    "김민수 기자",
  }, "\n"))
  local removed = {}
  for _, x in ipairs(rec.removed) do removed[#removed + 1] = x.reason .. "=" .. x.text end
  t.eq(removed, { "tip=제보는 카카오톡 abcjebo", "tip-channel=▷ 카카오톡 : '한결제보' 검색",
    "tip-channel=▶ 전화：02-123-4567" })
  -- a question that names a channel without a colon, and a sentence about a tip, stay text
  t.eq(rec.body, { "정부가 내년 예산을 올해보다 5% 늘리기로 했다.", "전화 통화로 확인한 내용은 무엇인가.",
    "제보는 지난달 접수됐다." })
  t.eq(rec.authors, { { name = "김민수", role = "기자" } })
end)

t.test("generic: a byline and its dates on one line with no bar between them", function()
  local function head(line)
    return rec_of(table.concat({
      "반도체 수출 석 달째 증가",
      "",
      line,
      "",
      "반도체 수출이 석 달 연속 늘었다. 업계는 하반기에도 증가세가 이어질 것으로 본다.",
      "",
    }, "\n"))
  end
  local cases = {
    { "이수정 기자 입력 2023.03.14 16:00", "이수정", "2023-03-14T16:00:00+09:00" },
    { "입력 2023.03.14 16:00 김민호 기자", "김민호", "2023-03-14T16:00:00+09:00" },
    { "기사입력 2023.03.14 16:00 / 김민호 기자", "김민호", "2023-03-14T16:00:00+09:00" },
    { "김수정 기자 2023.03.14 16:00", "김수정", "2023-03-14T16:00:00+09:00" },
    { "김수정 기자 입력 2023.03.14 16:00 수정 2023.03.15 09:00", "김수정", "2023-03-14T16:00:00+09:00",
      "2023-03-15T09:00:00+09:00" },
  }
  for _, c in ipairs(cases) do
    local rec = head(c[1])
    t.eq(rec.authors, { { name = c[2], role = "기자" } }, c[1])
    t.eq(rec.published, c[3], c[1])
    t.eq(rec.modified, c[4], c[1])
    t.eq(rec.subtitles, {}, c[1])
  end
  -- words between the byline and the date: not a byline line
  local rec = head("김민호 기자 그리고 2023.03.14")
  t.eq(rec.authors, {})
  t.eq(rec.published, nil)
end)

t.test("generic: a stray word after a byline's date, a year in the copyright, credits in brackets or set apart by blanks", function()
  local function page(head, tail)
    return rec_of(table.concat({
      "반도체 수출 석 달째 증가",
      head,
      "",
      "반도체 수출이 석 달 연속 늘었다. 업계는 하반기에도 증가세가 이어질 것으로 본다.",
      "",
      tail,
      "",
    }, "\n"))
  end
  -- "홍길동 기자 2023.03.14 오후": the time cut off after 오후; a byline and its date
  local rec = page("홍길동 기자 2023.03.14 오후", "")
  t.eq(rec.authors, { { name = "홍길동", role = "기자" } })
  t.eq(rec.published, "2023-03-14")
  t.eq(rec.subtitles, {})
  -- "Copyright © 2023 X": the owner is X, not the year
  rec = page("", "Copyright © 2023 한빛일보. All rights reserved.")
  t.eq(rec.publisher, "한빛일보")
  rec = page("", "ⓒ 2019-2023 한빛일보")
  t.eq(rec.publisher, "한빛일보")
  -- broadcast credits in brackets, or with blanks only between them: a byline, no caption
  for _, line in ipairs({ "(영상편집:김하늘/그래픽:이바다)", "[영상편집:김하늘/그래픽:이바다]",
      "촬영기자:김하늘 영상편집:이바다" }) do
    rec = page("", line)
    t.eq(#rec.captions, 0, line)
    t.eq(#rec.authors, 2, line)
  end
end)

t.test("dates: a label starts a word, so a name holding 수정 is no 'modified' label", function()
  local D = require "gisa.rules.dates"
  local l = D.default:scan("하수정 2023.03.14 16:00")
  t.eq(#l, 1)
  t.eq(l[1].kind, nil)
  l = D.default:scan("수정 2023.03.15 09:00")
  t.eq(l[1].kind, "modified")
  l = D.default:scan("입력 2023.03.14 16:00 최종수정2023.03.15 09:00")
  t.eq(l[1].kind, "published")
  t.eq(l[2].kind, "modified")
  -- inside a word, a label with its colon still counts (a section glued to it)
  l = D.default:scan("컴퓨팅입력 :2024/06/11 10:12    수정: 2024/06/11 14:48")
  t.eq(l[1].kind, "published")
  t.eq(l[2].kind, "modified")
end)

t.test("generic: a daily's page (입력/업데이트 line, closing byline with address)", function()
  local rec = rec_of(table.concat({
    "동네 서점 3곳 중 1곳, 5년 새 문 닫았다",
    "온라인 판매 늘고 임대료 올라",
    "입력 2024.03.14. 16:00 업데이트 2024.03.14. 17:30",
    "글자크기",
    "공유",
    "전국의 동네 서점이 5년 사이 3분의 1 가까이 줄어든 것으로 나타났다.",
    "한 서점 주인은 \"손님이 절반으로 줄었다\"고 말했다.",
    "김영희 기자 younghee@daily.example.com",
    "많이 본 뉴스",
    "다른 기사 제목 하나",
    "다른 기사 제목 둘",
  }, "\n"))
  t.eq(rec.title, "동네 서점 3곳 중 1곳, 5년 새 문 닫았다")
  t.eq(rec.subtitles, { "온라인 판매 늘고 임대료 올라" })
  t.eq(rec.published, "2024-03-14T16:00:00+09:00")
  t.eq(rec.modified, "2024-03-14T17:30:00+09:00")
  t.eq(rec.authors, { { name = "김영희", role = "기자", email = "younghee@daily.example.com" } })
  t.eq(rec.emails, { "younghee@daily.example.com" })
  t.eq(#rec.body, 2)
  t.eq(#rec.removed, 5)
  t.eq(rec.quotes[1] and rec.quotes[1].text, "손님이 절반으로 줄었다")
  t.eq(rec.quotes[1] and rec.quotes[1].speaker, nil, "an unnamed person (한 서점 주인): no name")
end)

t.test("generic: interviews in Q./A. and — forms", function()
  local rec = rec_of(table.concat({
    "\"작은 도서관이 마을을 바꾼다\"",
    "",
    "이순신 관장 인터뷰",
    "",
    "마을 도서관을 10년째 운영하는 이순신 관장을 만났다.",
    "",
    "Q. 도서관을 연 계기는.",
    "A. 아이들이 책 읽을 곳이 없었습니다.",
    "그래서 집 한 칸을 내줬죠.",
    "",
    "— 앞으로의 계획은?",
    "",
    "▲ 분관을 두 곳 더 열 생각입니다.",
    "",
    "박영수 기자",
  }, "\n"))
  t.eq(#rec.qa, 2)
  t.eq(rec.qa[1], { q = "도서관을 연 계기는.", a = "아이들이 책 읽을 곳이 없었습니다.\n그래서 집 한 칸을 내줬죠." })
  t.eq(rec.qa[2], { q = "앞으로의 계획은?", a = "분관을 두 곳 더 열 생각입니다." })
  t.eq(rec.authors, { { name = "박영수", role = "기자" } })
end)

t.test("generic: captions with credits in their usual forms", function()
  local rec = rec_of(table.concat({
    "제목입니다",
    "첫 문단입니다.",
    "시민들이 광장을 걷고 있다. [사진=연합뉴스]",
    "새로 문을 연 도서관 내부 모습. /사진=홍길동 기자 hong@",
    "▲ 개관식에서 인사하는 관장 (사진 제공=가나구청)",
    "다음 문단입니다.",
  }, "\n"))
  t.eq(rec.captions, {
    { text = "시민들이 광장을 걷고 있다. [사진=연합뉴스]", credit = "연합뉴스" },
    { text = "새로 문을 연 도서관 내부 모습. /사진=홍길동 기자 hong@", credit = "홍길동" },
    { text = "개관식에서 인사하는 관장 (사진 제공=가나구청)", credit = "가나구청" },
  })
  t.eq(rec.body, { "첫 문단입니다.", "다음 문단입니다." })
  t.eq(rec.emails, {})
end)

t.test("generic: a two-line text is a title and a one-line body", function()
  local rec = rec_of("제목\n본문\n")
  t.eq(rec.title, "제목")
  t.eq(rec.subtitles, {})
  t.eq(rec.body, { "본문" })
end)

t.test("extraction leaves no globals behind", function()
  local before = {}
  for k in pairs(_G) do before[k] = true end
  rec_of("제목\n\n본문입니다.\n")
  for k in pairs(_G) do t.ok(before[k], "new global " .. tostring(k)) end
end)

------------------------------------------------------------------------------
-- User rule directories
------------------------------------------------------------------------------

local fixture = t.root .. "/tests/fixtures/rules"
local gana = fixture .. "/tests/gana.txt"

t.test("a new site from one user file (-I DIR): the docs example", function()
  local doc = t.read(t.root .. "/docs/rules.md")
  local site = t.read(fixture .. "/rules/sites/gana.lua")
  t.ok(doc and doc:find(site, 1, true), "docs/rules.md must show rules/sites/gana.lua exactly as tested")
  t.ok(doc:find(t.read(gana), 1, true), "docs/rules.md must show the example article exactly as tested")
  local recs, r = extract_json({ "extract", "-I", fixture, gana })
  t.eq(r.code, 0, r.err)
  local a = recs[1]
  t.eq(a.site, "gana")
  t.eq(a.publisher, "가나일보")
  t.eq(a.section, "과학")
  t.eq(a.title, "달 뒷면 토양에서 물 분자 확인…\"기지 건설 앞당길 것\"")
  t.eq(a.authors, { { name = "한별", role = "과학전문위원", email = "hanbyul@ganailbo.example" } })
  t.eq(a.published, "2024-05-20T09:15:00+09:00")
  t.eq(a.modified, "2024-05-20T11:40:00+09:00")
  t.eq(#a.body, 2)
  t.eq(a.removed[1].reason, "gana-app-banner")
  t.eq(a.copyright, "© 가나일보 All rights reserved")
end)

t.test("the same site file found through GISA_PATH", function()
  local recs, r = extract_json({ "extract", gana }, nil, { GISA_PATH = fixture })
  t.eq(r.code, 0, r.err)
  t.eq(recs[1].site, "gana")
  -- and without it, the generic rules do what they can
  recs = extract_json({ "extract", gana })
  t.eq(recs[1].site, cjson.null)
  t.eq(recs[1].section, cjson.null)
end)

t.test("gisa list shows shipped and user sites", function()
  local r = t.gisa({ "list", "-I", fixture })
  t.eq(r.code, 0, r.err)
  for _, s in ipairs({ "edaily", "fnnews", "hankyung", "mt", "zdnet", "gana" }) do
    t.match(r.out, "\n  " .. s .. " ")
  end
end)

local function user_dir(name, files)
  local d = t.tmpdir() .. "/" .. name
  os.execute("mkdir -p " .. t.shquote(d .. "/rules/sites"))
  for path, text in pairs(files) do t.write(d .. "/" .. path, text) end
  return d
end

local article = "제목입니다\n\n첫 문단입니다.\n\nADVERTISEMENT\n\n광고\n\n둘째 문단입니다.\n"

t.test("a user rule with the id of a shipped one replaces it", function()
  local d = user_dir("replace", {
    ["rules/local.lua"] = [[
local L = require "gisa.rules.lib"
return { rules = {
  { id = "advert", role = "removed", match = L.words{ "광고" } },
} }
]] })
  local f = t.write(t.tmpdir() .. "/ad.txt", article)
  local recs, r = extract_json({ "extract", "-I", d, f })
  t.eq(r.code, 0, r.err)
  local removed = {}
  for _, x in ipairs(recs[1].removed) do removed[#removed + 1] = x.text .. "=" .. x.reason end
  t.eq(removed, { "광고=advert" })
  -- ADVERTISEMENT is now an ordinary (heading) line
  t.eq(recs[1].body, { "첫 문단입니다.", "ADVERTISEMENT", "둘째 문단입니다." })
  -- and without the user dir the shipped rule removes both
  recs = extract_json({ "extract", f })
  t.eq(#recs[1].removed, 2)
end)

t.test("a user rule file can drop a shipped rule and place its own", function()
  local d = user_dir("place", {
    ["rules/local.lua"] = [[
return { rules = {
  { id = "advert", off = true },
  { id = "shout", role = "removed", before = "heading", pattern = "'ADVERTISEMENT'" },
} }
]] })
  local f = t.write(t.tmpdir() .. "/ad2.txt", article)
  local r = t.gisa({ "extract", "--explain", "-I", d, f })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "\n%s+5  removed%s+shout%s+ADVERTISEMENT\n")
  t.match(r.out, "\n%s+7  heading%s+heading%s+광고\n")
end)

t.test("has: a list of lists needs one word of each list", function()
  local d = user_dir("hasgroups", {
    ["rules/local.lua"] = [[
return { rules = {
  { id = "both", role = "removed", has = { { "사과", "배" }, { "상자" } } },
} }
]] })
  local text = "제목입니다\n\n사과 상자\n\n사과 바구니\n\n배 상자 하나\n\n상자만 있다\n"
  local f = t.write(t.tmpdir() .. "/has.txt", text)
  local recs, r = extract_json({ "extract", "-I", d, f })
  t.eq(r.code, 0, r.err)
  local removed = {}
  for _, x in ipairs(recs[1].removed) do removed[#removed + 1] = x.text .. "=" .. x.reason end
  t.eq(removed, { "사과 상자=both", "배 상자 하나=both" })
  -- a group that is not a list of strings is reported with the rule
  local d2 = user_dir("hasbad", { ["rules/local.lua"] = [[
return { rules = { { id = "oops", role = "removed", has = { { "a" }, { 1 } } } } }
]] })
  r = t.gisa({ "extract", "-I", d2, f })
  t.eq(r.code, 1)
  t.match(r.err, "rule 'oops'.-has must hold non%-empty strings")
end)

t.test("the generated dispatch gives what trying the rules one by one gives", function()
  -- extract.profile switches to the plain loop (one rule at a time, timed)
  local files = {}
  for _, name in ipairs(require("gisa.sys").listdir(t.root .. "/corpus")) do
    if name:find("%.txt$") then files[#files + 1] = t.root .. "/corpus/" .. name end
  end
  t.ok(#files >= 10, "sample articles")
  local json, record = require "gisa.output.json", require "gisa.engine.record"
  for _, f in ipairs(files) do
    local text = require("gisa.pipeline.corpus").read(f)
    local fast = json.encode(extract.extract(text, { file = f }), record.fields)
    extract.profile = {}
    local ok, slow = pcall(extract.extract, text, { file = f })
    extract.profile = nil
    t.ok(ok, slow)
    t.eq(fast, json.encode(slow, record.fields), f)
  end
end)

-- L.final and L.trim written in plain Lua: the reference the C versions (gisa.lines) are checked against.
local byte, sub = string.byte, string.sub
-- Closing marks that may follow a sentence's final punctuation.
local closers = { ["”"] = true, ["\""] = true, ["’"] = true, ["'"] = true, [")"] = true,
  ["」"] = true, ["』"] = true, ["]"] = true, [">"] = true, ["》"] = true }

--- Does s end a sentence: ".", "!", "?" or "。" (not "..", "…"), perhaps inside quotes?
local function final_lua(s)
  local e = #s
  while e > 0 do
    local b = byte(s, e)
    if b < 128 then
      local c = sub(s, e, e)
      if closers[c] then e = e - 1
      elseif c == "." then return byte(s, e - 1) ~= 46
      elseif c == "!" or c == "?" then return true
      elseif c == " " then e = e - 1
      else return false end
    else
      local s0 = e
      while s0 > 1 and byte(s, s0) >= 128 and byte(s, s0) < 192 do s0 = s0 - 1 end
      local c = sub(s, s0, e)
      if closers[c] then e = s0 - 1
      elseif c == "。" or c == "？" or c == "！" then return true
      else return false end
    end
  end
  return false
end


--- Trim blanks (also NBSP and U+3000) at both ends.
local function trim_lua(s)
  local i, j = 1, #s
  while true do
    local b = byte(s, i)
    if b == 32 or b == 9 or b == 13 then i = i + 1
    elseif b == 194 and byte(s, i + 1) == 160 then i = i + 2
    elseif b == 227 and byte(s, i + 1) == 128 and byte(s, i + 2) == 128 then i = i + 3
    else break end
  end
  while j >= i do
    local b = byte(s, j)
    if b == 32 or b == 9 or b == 13 then j = j - 1
    elseif b == 160 and byte(s, j - 1) == 194 then j = j - 2
    elseif b == 128 and byte(s, j - 1) == 128 and byte(s, j - 2) == 227 then j = j - 3
    else break end
  end
  if i == 1 and j == #s then return s end
  return sub(s, i, j)
end


t.test("L.final and L.trim (C) answer as the Lua they replaced, on every case", function()
  local pieces = { "", " ", "  ", "\t", "\r", "\194\160", "\227\128\128", ".", "..", "…", "!", "?", "。", "？",
    "！", "”", "’", "\"", "'", ")", "]", ">", "」", "』", "》", "다", "a", "1", "\128", "\194", "\227\128",
    "\227", "。”", ".)", "x.", "요?", "\0" }
  local n = 0
  -- every string of up to three pieces
  for _, a in ipairs(pieces) do
    for _, b in ipairs(pieces) do
      for _, c in ipairs(pieces) do
        local s = a .. b .. c
        t.eq(L.final(s), final_lua(s), "final " .. string.format("%q", s))
        t.eq(L.trim(s), trim_lua(s), "trim " .. string.format("%q", s))
        n = n + 1
      end
    end
  end
  t.ok(n > 50000, n)
  for line in t.read(t.root .. "/corpus/011_hankyung_festival.txt"):gmatch("[^\n]+") do
    t.eq(L.final(line), final_lua(line), line)
    t.eq(L.trim(line), trim_lua(line), line)
  end
end)

t.test("bylines.is_name (by bytes) agrees with the B.name grammar", function()
  -- syllables at the edges of 가..힣, a jamo, a letter, a digit, Hanja, a stray byte
  local chars = { "가", "각", "힣", "힤", "\234\175\191", "ㄱ", "A", "1", "韓", "\237\159\191", "\128\128\128",
    "\234\176" }
  local n = 0
  local function check(w)
    t.eq(bylines.is_name(w), bylines.name:match(w) ~= nil, string.format("%q", w))
    n = n + 1
  end
  for _, a in ipairs(chars) do
    check(a)
    for _, b in ipairs(chars) do
      check(a .. b)
      for _, c in ipairs(chars) do
        check(a .. b .. c)
        for _, d in ipairs(chars) do check(a .. b .. c .. d); check(a .. b .. c .. d .. "가") end
      end
    end
  end
  t.ok(n > 40000, n)
end)

t.test("bylines: a line parsed again is answered from the parser's memo, a copy each time, the memo bounded", function()
  local p = bylines.compile()
  local a = p:parse("홍길동·김철수 기자 hong@x.co.kr", "가나일보")
  t.eq(p.memo_n, 1)
  t.eq(a.authors, { { name = "홍길동", role = "기자" }, { name = "김철수", role = "기자" } })
  t.eq(a.emails, { "hong@x.co.kr" })
  -- what a caller adds to or changes in its answer is not in the next one
  a.dates, a.authors[1].email, a.emails[2] = { "2023" }, "x@y.kr", "z@y.kr"
  local b = p:parse("홍길동·김철수 기자 hong@x.co.kr", "가나일보")
  t.eq(p.memo_n, 1, "read once")
  t.ok(b ~= a and b.authors ~= a.authors and b.authors[1] ~= a.authors[1] and b.emails ~= a.emails)
  t.eq(b, { authors = { { name = "홍길동", role = "기자" }, { name = "김철수", role = "기자" } },
    emails = { "hong@x.co.kr" }, labels = {}, placeholder = false })
  -- the publisher is part of what the answer depends on
  t.eq(p:parse("가나상사 홍길동 기자", "가나상사").media, "가나상사")
  local other = p:parse("가나상사 홍길동 기자", "다른곳")
  t.ok(other and other.media == nil, "another publisher: another answer")
  t.eq(p:parse("오늘 날씨는 맑다", "가나상사"), nil)
  t.eq(p:parse("오늘 날씨는 맑다", "가나상사"), nil, "no byline: remembered too")
  t.eq(p.memo_n, 4)
  local long = string.rep("가", 100) .. " 홍길동 기자"
  t.eq(p:parse(long), bylines.compile():parse(long))
  t.eq(p.memo_n, 4, "a long line is read, not kept")
  for i = 1, 5000 do p:parse("줄 " .. i) end
  t.ok(p.memo_n < 5000, "forgotten past its bound: " .. p.memo_n)
  t.eq(p:parse("홍길동 기자").authors, { { name = "홍길동", role = "기자" } })
end)

t.test("bylines.tokenize without an address (gisa.lines.tokens, C) gives the grammar's tokens", function()
  -- B.tokens is the grammar with every alternative; with no "@" and no "[email"
  -- in a line its address and placeholder cannot match, and it gives as a list
  -- of pairs what tokenize gives flat. Separators (one and several bytes,
  -- their bytes alone), blanks, "=", words, stray and cut bytes, NUL, 4-byte.
  local pieces = { "홍길동", "기자", "가나일보", " ", "\t", "·", "ㆍ", "・", "、", "【", "】", "｜", "|", ",", "/",
    "(", ")", "[", "]", "<", ">", "=", "\194\160", "\227\128\128", "A", "b1", "\128", "\183", "\255", "\234\176",
    "😀", "\0", "\194", "\227\128", "\240\159\152", "서울=", "email" }
  local n = 0
  local function check(s)
    local flat = {}
    for _, tk in ipairs(bylines.tokens:match(s)) do flat[#flat + 1] = tk[1]; flat[#flat + 1] = tk[2] end
    t.eq(bylines.tokenize(s), flat, string.format("%q", s))
    n = n + 1
  end
  check("")
  for _, a in ipairs(pieces) do
    check(a)
    for _, b in ipairs(pieces) do
      check(a .. b)
      for _, c in ipairs(pieces) do check(a .. b .. c) end
    end
  end
  local seed = 12345
  for _ = 1, 3000 do
    local parts = {}
    for k = 1, 1 + seed % 9 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      parts[k] = pieces[1 + seed % #pieces]
    end
    check(table.concat(parts))
  end
  check("[서울=뉴시스]홍길동 기자 = 본문")
  check("정리=홍길동·김철수 기자 | 2023.09.05")
  t.ok(n > 50000, n)
end)

t.test("a broken user rule fails with its file, line and name", function()
  local d = user_dir("broken", {
    ["rules/sites/foo.lua"] = "return {\n  id = \"foo\",\n  detect = { \"FOO\" },\n  rules = {\n"
      .. "    { id = \"fine\", role = \"removed\", pattern = \"'x'\" },\n"
      .. "    { id = \"byline\", role = \"byline\",\n      pattern = \"'[' (\" },\n  },\n}\n" })
  local f = t.write(t.tmpdir() .. "/foo.txt", article)
  local r = t.gisa({ "extract", "-I", d, f, f })
  t.eq(r.code, 1)
  t.contains(r.err, "rule 'byline' (" .. d .. "/rules/sites/foo.lua:6): bad pattern")
  local _, count = r.err:gsub("bad pattern", "")
  t.eq(count, 1, "reported once, not once per article")
  t.eq(r.out, "")
  -- used as a library, extraction raises the same message
  r = t.gisa({ "-I", d, "-e", "print(title)", f })
  t.eq(r.code, 1)
  t.contains(r.err, "foo.txt: rule 'byline' (" .. d .. "/rules/sites/foo.lua:6): bad pattern")
  local d2 = user_dir("badrole", {
    ["rules/x.lua"] = "return { rules = {\n\n  { id = 'oops', role = 'headline' },\n} }\n" })
  r = t.gisa({ "extract", "-I", d2, f })
  t.eq(r.code, 1)
  t.contains(r.err, "rule 'oops' (" .. d2 .. "/rules/x.lua:3): unknown role 'headline'")
  local d3 = user_dir("syntax", { ["rules/sites/bad.lua"] = "return {\n  id = 'bad',,\n}\n" })
  r = t.gisa({ "extract", "-I", d3, f })
  t.eq(r.code, 1)
  t.contains(r.err, d3 .. "/rules/sites/bad.lua:2:")
end)

t.test("a rule that raises: the article and rule are reported, the others processed, exit 1", function()
  local d = user_dir("raises", {
    ["rules/boom.lua"] = "return { rules = {\n  { id = 'boom', role = 'removed',\n"
      .. "    match = function(line)\n      if line.text == 'BOOM' then error('kaboom') end\n    end },\n} }\n" })
  local dir = t.tmpdir() .. "/raises-in"
  os.execute("mkdir -p " .. t.shquote(dir))
  t.write(dir .. "/a.txt", "첫 기사\n\nBOOM\n")
  t.write(dir .. "/b.txt", "둘째 기사\n\n본문입니다.\n")
  local recs, r = extract_json({ "extract", "-I", d, dir })
  t.eq(r.code, 1)
  t.eq(#recs, 1)
  t.eq(recs[1].title, "둘째 기사")
  t.contains(r.err, dir .. "/a.txt: rule 'boom' (" .. d .. "/rules/boom.lua:2): ")
  t.contains(r.err, "kaboom")
end)

------------------------------------------------------------------------------
-- The command line around extraction
------------------------------------------------------------------------------

t.test("an empty file gives a record with no title and a warning", function()
  local f = t.write(t.tmpdir() .. "/empty.txt", "")
  local recs, r = extract_json({ "extract", f })
  t.eq(r.code, 0, r.err)
  t.eq(#recs, 1)
  t.eq(recs[1].title, cjson.null)
  t.eq(recs[1].body, {})
  t.contains(r.err, "warning")
  t.contains(r.err, "empty")
end)

t.test("a blank-only file also gives a record with no title", function()
  local rec = rec_of("\n  \n\194\160\n")
  t.eq(rec.title, nil)
  t.eq(#rec.removed + #rec.blocks, 0)
end)

t.test("a binary file is reported and skipped", function()
  local dir = t.tmpdir() .. "/bin-in"
  os.execute("mkdir -p " .. t.shquote(dir))
  t.write(dir .. "/a.txt", "\0\1\2\3PNG\0\0\255\254 binary junk\0")
  t.write(dir .. "/b.txt", "기사 제목\n\n본문입니다.\n")
  local recs, r = extract_json({ "extract", dir })
  t.eq(r.code, 1)
  t.eq(#recs, 1)
  t.eq(recs[1].title, "기사 제목")
  t.contains(r.err, dir .. "/a.txt")
  t.contains(r.err, "binary")
end)

t.test("--explain prints every line: number, role, rule, text", function()
  local text = "IT 인터넷/SNS\n\n제목입니다\n\n[파이낸셜뉴스] 본문입니다.\n\nfnSurvey\n"
  local f = t.write(t.tmpdir() .. "/explain.txt", text)
  local r = t.gisa({ "extract", "--explain", f })
  t.eq(r.code, 0, r.err)
  local rows = {}
  for line in r.out:gmatch("[^\n]+") do rows[#rows + 1] = line end
  t.match(rows[1], "^# .*explain%.txt  site=fnnews %(파이낸셜뉴스%)")
  t.eq(#rows, 1 + 7 + 1)       -- header, 7 lines, line 5 in two parts
  t.match(rows[2], "^%s+1  section%s+fn%-section%s+IT 인터넷/SNS$")
  t.match(rows[3], "^%s+2  blank%s+%-$")
  t.match(rows[6], "^%s+5  removed%s+dateline%-tag%s+%[파이낸셜뉴스%]$")
  t.match(rows[7], "^%s+5  para%s+para%s+본문입니다%.$")
  t.match(rows[9], "^%s+7  removed%s+fn%-survey%s+fnSurvey$")
end)

t.test("--explain writes whole articles in input order under -j (workers do not interleave)", function()
  local one = t.gisa({ "extract", "--explain", "-j", "1", t.root .. "/corpus" })
  local three = t.gisa({ "extract", "--explain", "-j", "3", t.root .. "/corpus" })
  t.eq(one.code, 0, one.err)
  t.eq(three.code, one.code)
  t.eq(three.out, one.out)
  t.eq(three.err, one.err)
end)

t.test("records carry every field of docs/record.md, lists as []", function()
  local recs, r = extract_json({ "extract", "-" }, "제목\n\n본문입니다.\n")
  t.eq(r.code, 0, r.err)
  local doc = t.read(t.root .. "/docs/record.md")
  for _, k in ipairs(require("gisa.engine.record").fields) do
    t.ok(recs[1][k] ~= nil, "field " .. k .. " missing from the JSON")
    t.contains(doc, "| " .. k .. " |", "docs/record.md documents " .. k)
  end
end)

t.test("a first line of thousands of characters is body text, not the title", function()
  local long = string.rep("가나다라 마바사. ", 400)
  local r = extract.extract(long .. "\n", { file = "long.txt" })
  t.eq(r.title, nil)
  t.eq(#r.body, 1)
  r = extract.extract("짧은 제목\n\n" .. long .. "\n", { file = "long.txt" })
  t.eq(r.title, "짧은 제목")
end)
