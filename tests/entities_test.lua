-- gisa.entities and the entities script: names, titles, organisations.
-- The sentences here are our own; the real articles are read from ../shared.
local t = require "t"
local E = require "gisa.entities"
local gisa = require "gisa"

local function found(text)
  local out = {}
  for _, m in ipairs(E.mentions(text)) do
    out[#out + 1] = m.kind .. ":" .. m.name .. "|" .. (m.title or "") .. "|" .. (m.org or "")
  end
  return out
end

t.test("tokenize: punctuation separates, · marks a list, brackets are kept", function()
  local toks = E.tokenize("[가나일보 김하나·이두리 기자] 교수(한빛대)는")
  local s = {}
  for _, tk in ipairs(toks) do s[#s + 1] = tk.w or ("<" .. tk.sep .. ">") end
  t.eq(table.concat(s, " "), "<(> 가나일보 김하나 <l> 이두리 기자 <)> 교수 <(> 한빛대 <)> 는")
end)

t.test("title words: prefixes, particles, and words that only contain a title", function()
  t.eq({ E._title_of("위원장은") }, { "위원장", "은" })
  t.eq({ E._title_of("공동대표") }, { "공동대표", "" })
  t.eq({ E._title_of("특임교수와") }, { "특임교수", "와" })
  t.eq({ E._title_of("AI연구원장") }, { "AI연구원장", "" })
  t.eq(E._title_of("교수진들과"), nil)
  t.eq(E._title_of("위원회"), nil)
end)

t.test("Korean names: surname list, length, and look-alike words", function()
  t.ok(E._korean_name("김철수"))
  t.ok(E._korean_name("고진"))
  t.ok(E._korean_name("남궁민수"))
  t.ok(not E._korean_name("서울대"), "서울대 is an organisation")
  t.ok(not E._korean_name("이번"), "이번 is a common word")
  t.ok(not E._korean_name("강한"), "강한 is an adjective")
  t.ok(not E._korean_name("도널드"), "도널드 is a foreign given name")
  t.ok(not E._korean_name("정부는"), "a particle on the end")
end)

t.test("name + organisation + title, in the forms news text uses", function()
  t.eq(found("김철수 한빛대 컴퓨터공학부 교수는 말했다"), { "full:김철수|교수|한빛대 컴퓨터공학부" })
  t.eq(found("한빛대 김철수 교수"), { "full:김철수|교수|한빛대" })
  t.eq(found("박영희 가나AI 연구원장은"), { "full:박영희|연구원장|가나AI" })
  t.eq(found("[가나일보 김하나·이두리 기자]"), { "full:김하나|기자|", "full:이두리|기자|" })
  t.eq(found("정리=최세나 기자"), { "full:최세나|기자|" })
end)

t.test("foreign names: given + family before a title, then references", function()
  t.eq(found("존 하트먼 교수는"), { "full:존 하트먼|교수|" })
  t.eq(found("로버트 로페스 나라AI 수석 과학자 겸 한빛대 교수는"),
    { "full:로버트 로페스|수석 과학자|나라AI", "full:로버트 로페스|교수|한빛대" })
  t.eq(found("또 하트먼 교수는"), { "ref:하트먼|교수|" })
  t.eq(found("고 위원장은"), { "ref:고|위원장|" })
end)

t.test("scan: references and bare family names count for the full name", function()
  local a = gisa.extract("제목\n존 하트먼 교수는 발표했다.\n하트먼은 웃었다. 하트먼 교수가 답했다.\n" ..
    "고민준 나라위원회 위원장도 왔다. 고 위원장은 짧게 말했다.", "x.txt")
  local s = E.scan(a)
  local by = {}
  for _, p in ipairs(s.people) do by[p.name] = p end
  t.ok(by["존 하트먼"], "존 하트먼 found")
  t.eq(by["존 하트먼"].count, 3)
  t.eq(by["고민준"].count, 2)
  t.eq(by["고민준"].title, "위원장")
  t.eq(by["고민준"].org, "나라위원회")
end)

t.test("the lists are editable tables: a new title is used at once", function()
  t.eq(found("김철수 한빛대 조교는"), {})
  table.insert(E.titles, "조교")
  local ok, got = pcall(found, "김철수 한빛대 조교는")
  table.remove(E.titles)
  t.ok(ok, got)
  t.eq(got, { "full:김철수|조교|한빛대" })
end)

t.test("the real corpus: 장병탁, 고진, 얀 르쿤 and 배경훈 with their titles", function()
  local dir = t.need_shared()
  local c = E.collector()
  for a in gisa.articles({ dir }) do c:add(a) end
  local by = {}
  for _, r in ipairs(c:result()) do by[r.name] = r end
  local want = { ["장병탁"] = "교수", ["고진"] = "위원장", ["얀 르쿤"] = "교수", ["배경훈"] = "연구원장",
    ["차상균"] = "특임교수", ["제임스 랜데이"] = "소장", ["하정우"] = "센터장", ["이한주"] = "공동대표" }
  for name, title in pairs(want) do
    t.ok(by[name], name .. " is listed")
    t.eq(by[name].title, title, name)
  end
  t.eq(by["고진"].org, "디지털플랫폼정부위원회")
  t.eq(by["장병탁"].org, "서울대 컴퓨터공학부")
  t.ok(by["얀 르쿤"].count >= 10, "르쿤 mentions: " .. by["얀 르쿤"].count)
  t.match(by["배경훈"].articles[1], "004_e3c39ada94fab6db%.txt$")
  -- words that look like names are not people
  for _, bad in ipairs({ "메타", "서울대", "강한", "또 차", "네이버" }) do t.eq(by[bad], nil, bad) end
end)

t.test("the entities script: csv with name, title, org, count, articles", function()
  if not package.searchpath("gisa.analysis", package.path) then t.skip("gisa.analysis not merged yet") end
  local dir = t.need_shared()
  local r = t.gisa({ "entities", "-f", "csv", "--no-reporters", dir })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "^name,title,org,count,articles,titles\r\n")
  t.match(r.out, "\r\n얀 르쿤,교수,")
  t.match(r.out, "\r\n고진,위원장,디지털플랫폼정부위원회,%d+,")
  t.ok(not r.out:find(",기자,", 1, true), "no reporters")
end)

t.test("the sample corpus: the people of corpus/gold.jsonl with their titles", function()
  local json = require "gisa.json"
  local gold = {}
  for line in io.lines(t.root .. "/corpus/gold.jsonl") do
    local g = json.decode(line)
    gold[g.file] = g
  end
  local function close(a, b)  -- 관광정책과장 ~ 과장, 한솔대학교 ~ 한솔대학교 대기과학과
    return a == b or (a and b and (a:find(b, 1, true) or b:find(a, 1, true))) and true or false
  end
  local checked, wrong = 0, {}
  for a in gisa.articles({ t.root .. "/corpus" }) do
    local g = gold[a.file:match("[^/]+$")]
    local text = table.concat(a.body, "\n")
    local s = E.scan(a)
    for _, ge in ipairs(g and g.entities or {}) do
      -- titled people in the text (not credits of broadcast staff)
      if ge.title and text:find(ge.name, 1, true) and not ge.title:find("^영상") then
        checked = checked + 1
        local p = s.by_name[ge.name]
        if not p then
          wrong[#wrong + 1] = a.file .. ": " .. ge.name .. " missing"
        elseif not (close(p.title, ge.title) or (p.titles[ge.title] or 0) > 0) then
          wrong[#wrong + 1] = a.file .. ": " .. ge.name .. " title " .. tostring(p.title) .. " (want " .. ge.title .. ")"
        end
      end
    end
  end
  -- Reporters are in a.authors (not the body) once the rules extract bylines, so
  -- the people checked here are the ones the body names with a title.
  t.ok(checked >= 30, "at least 30 gold people checked, got " .. checked)
  t.eq(wrong, {}, "people missing or with another title")
end)
