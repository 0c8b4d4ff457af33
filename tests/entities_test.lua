-- gisa.entities and the entities script: names, titles, organisations.
-- The sentences here are our own; the real articles are read from ../shared.
local t = require "t"
local E = require "gisa.analysis.entities"
local gisa = require "gisa"
local sys = require "gisa.sys"

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
  t.eq({ E._title_of("CEO는") }, { "CEO", "는" })
  -- a title added whose last character is neither ASCII nor Hangul (the
  -- look-up by the titles' last characters must still find it)
  local titles = E.titles
  E.titles = { "교수", "셰프é", "파트너𝒜" }
  t.eq({ E._title_of("수석셰프é는") }, { "수석셰프é", "는" })
  t.eq({ E._title_of("파트너𝒜가") }, { "파트너𝒜", "가" })
  t.eq({ E._title_of("교수가") }, { "교수", "가" })
  t.eq(E._title_of("셰프는"), nil)
  E.titles = titles
  t.eq(E._title_of("수석셰프é는"), nil)
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

-- The scan counts a text's repeated mentions from the distinct ones, in the
-- order they came: a reference resolves by the titles counted before it, so
-- one that comes before its person's titled full name (two people share the
-- surname) is not counted, and the same reference after it is.
t.test("scan: a reference counts by the titles counted before it, however often it repeats", function()
  local a = gisa.extract("제목\n오 대표는 말을 아꼈다.\n오세린 누리전자 대표가 나섰다. 오준호 한빛대 교수도 왔다.\n" ..
    "오 대표는 웃었다.\n오 대표는 다시 말했다.\n오 교수는 답했다.", "x.txt")
  local s = E.scan(a)
  local by = {}
  for _, p in ipairs(s.people) do by[p.name] = p end
  t.eq(by["오세린"].count, 3, "the full name and the two references after it")
  t.eq(by["오준호"].count, 2)
  t.eq(by["오세린"].title, "대표")
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

-- People found against a hand-written gold: corpus/gold.jsonl (the samples'
-- entities) and tests/fixtures/people/gold.jsonl (fictional articles with the
-- traps of issue 18: a party before a title, 이사회 의장, 기업용 시장, 전략적
-- 파트너, 고향 시장, a programme's name before 파트너, 대통령 near a name).
-- Every gold person must be found with the gold title exactly; precision and
-- recall are printed and held to floors just under the measured 1.000.
local function against_gold(dir, gold_file, key)
  local json = require "gisa.output.json"
  local gold = {}
  for line in io.lines(gold_file) do
    local g = json.decode(line)
    gold[g.file] = g[key]
  end
  local tp, fp, missing, wrong, extra = 0, 0, {}, {}, {}
  for a in gisa.articles({ dir }) do
    local f = a.file:match("[^/]+$")
    local want = {}
    for _, g in ipairs(gold[f] or {}) do want[g.name] = g end
    local s = E.scan(a)
    for _, p in ipairs(s.people) do
      local g = want[p.name]
      if g then
        tp = tp + 1
        if g.title and p.title ~= g.title then
          wrong[#wrong + 1] = f .. ": " .. p.name .. " title " .. tostring(p.title) .. " (gold " .. g.title .. ")"
        end
        for _, t2 in ipairs(g.titles or {}) do
          if not p.titles[t2] then wrong[#wrong + 1] = f .. ": " .. p.name .. " lacks the title " .. t2 end
        end
      else
        fp = fp + 1
        extra[#extra + 1] = f .. ": " .. p.name .. " (" .. tostring(p.title) .. ")"
      end
    end
    for name in pairs(want) do
      if not s.by_name[name] then missing[#missing + 1] = f .. ": " .. name end
    end
  end
  local precision, recall = tp / math.max(tp + fp, 1), tp / math.max(tp + #missing, 1)
  io.stderr:write(string.format("    people (%s): %d found of %d gold, %d not in the gold: precision %.3f, recall %.3f\n",
    dir:match("[^/]+$"), tp, tp + #missing, fp, precision, recall))
  return { precision = precision, recall = recall, missing = missing, wrong = wrong, extra = extra, tp = tp }
end

t.test("the sample corpus: every person of corpus/gold.jsonl, with the gold title", function()
  local r = against_gold(t.root .. "/corpus", t.root .. "/corpus/gold.jsonl", "entities")
  t.eq(r.missing, {}, "gold people not found")
  t.eq(r.wrong, {}, "people with another title than the gold's")
  t.ok(r.tp >= 64, "gold people checked: " .. r.tp)
  t.ok(r.precision >= 0.98, "precision " .. r.precision .. "; not people: " .. table.concat(r.extra, ", "))
  t.ok(r.recall >= 0.98, "recall " .. r.recall)
end)

t.test("trap articles: parties, boards, markets and partners before a title are not people", function()
  local dir = t.root .. "/tests/fixtures/people"
  local r = against_gold(dir, dir .. "/gold.jsonl", "people")
  t.eq(r.missing, {}, "gold people not found")
  t.eq(r.wrong, {}, "people with another title than the gold's")
  t.eq(r.extra, {}, "found but not people")
  t.eq(r.tp, 9)
end)

t.test("no person is a stoplist entry: M.not_names holds no gold or real-corpus name", function()
  local json = require "gisa.output.json"
  local names = {}
  for _, f in ipairs({ t.root .. "/corpus/gold.jsonl", t.root .. "/tests/fixtures/people/gold.jsonl" }) do
    for line in io.lines(f) do
      local g = json.decode(line)
      for _, p in ipairs(g.entities or g.people or {}) do names[#names + 1] = p.name end
    end
  end
  local stop = {}
  for w in E.not_names:gmatch("%S+") do stop[w] = true end
  for _, n in ipairs(names) do t.eq(stop[n], nil, n .. " is in M.not_names") end
  for _, n in ipairs({ "우원식", "구하라" }) do t.eq(stop[n], nil, n .. ", a real person, is in M.not_names") end
  -- and the word forms of one article's quotes are not there either
  for _, w in ipairs({ "하진이", "형들" }) do t.eq(stop[w], nil, w) end
end)

t.test("the real corpus: 우원식 국회의장 is found once no stoplist hides him", function()
  local dir = t.need_shared()
  local c = E.collector()
  for a in gisa.articles({ dir }) do c:add(a) end
  local by = {}
  for _, r in ipairs(c:result()) do by[r.name] = r end
  t.ok(by["우원식"], "우원식 is listed")
  t.eq(by["우원식"] and by["우원식"].title, "국회의장")
end)

t.test("grammar: glued organisations, copula, byline roles, caption roles", function()
  t.eq(found("심규원 평택시장은"), { "full:심규원|시장|평택시" })
  t.eq(found("윤태오 한누리대 시스템반도체연구소장"), { "full:윤태오|소장|한누리대 시스템반도체연구소" })
  t.eq(found("문은정 춘천시 관광정책과장은"), { "full:문은정|관광정책과장|춘천시" })
  t.eq(found("한국인 과학자 변지호 박사다"), { "full:변지호|과학자|", "full:변지호|박사|" })
  t.eq(found("새빛당 비대위원장에 오하람 의원이"), { "full:오하람|의원|" })
  t.eq(found("고향 시장에 들렀다"), {})
  t.eq(found("서울시 김하나 시장은"), { "full:김하나|시장|서울시" })
  t.eq(found("두 회사는 전략적 파트너 관계를"), {})
  local a = gisa.extract("제목\n\n본문 문단이다.\n", "x.txt")
  a.authors = { { name = "민경호", role = "영상취재" } }
  local s = E.scan(a)
  t.eq(s.by_name["민경호"] and s.by_name["민경호"].title, "영상취재", "a bylined role that is no title word")
end)

-- Organisations: what comes before a title and is no name. The trap articles'
-- gold (tests/fixtures/people/orgs.jsonl, written before the rules) is met
-- exactly: every organisation with every post, and nothing else.
local function orgs_of(dir)
  local c = E.collector()
  for a in gisa.articles({ dir }) do c:add(a) end
  return c:organisations(), c
end

t.test("organisations on the trap articles: every gold one with its posts, nothing else", function()
  local json = require "gisa.output.json"
  local dir = t.root .. "/tests/fixtures/people"
  local want = {}
  for line in io.lines(dir .. "/orgs.jsonl") do
    local g = json.decode(line)
    for _, o in ipairs(g.organisations) do
      local posts = {}
      for _, p in ipairs(o.posts) do posts[#posts + 1] = p end
      table.sort(posts)
      want[#want + 1] = o.name .. " [" .. table.concat(posts, ",") .. "]"
    end
  end
  table.sort(want)
  local got = {}
  for _, r in ipairs(orgs_of(dir)) do
    local posts = {}
    for p in pairs(r.posts) do posts[#posts + 1] = p end
    table.sort(posts)
    got[#got + 1] = r.name .. " [" .. table.concat(posts, ",") .. "]"
  end
  table.sort(got)
  t.eq(got, want)
end)

t.test("organisations on the samples: the gold people's organisations, and no person", function()
  local json = require "gisa.output.json"
  local rows = orgs_of(t.root .. "/corpus")
  local have, names = {}, {}
  for _, r in ipairs(rows) do have[r.name] = r end
  local found, missing = 0, {}
  for line in io.lines(t.root .. "/corpus/gold.jsonl") do
    local g = json.decode(line)
    for _, p in ipairs(g.entities or {}) do
      names[p.name] = true
      local title = type(p.title) == "string" and p.title or ""
      if type(p.org) == "string" and title ~= "기자" and title ~= "특파원" and not title:find("^영상") then
        local ok = have[p.org] ~= nil
        for name in pairs(have) do
          if name:sub(1, #p.org + 1) == p.org .. " " then ok = true end
        end
        if ok then found = found + 1 else missing[#missing + 1] = g.file .. ": " .. p.org end
      end
    end
  end
  -- measured 34 of 38: the misses are a foreign company in brackets (스탠리 에너지(…)의),
  -- two non-UTF-8 or foreign-name phrases, and 안산시 관광과 (과 is no organisation ending)
  io.stderr:write(string.format("    organisations (corpus): %d of %d gold people's organisations\n",
    found, found + #missing))
  t.ok(found >= 34, "found " .. found .. "; missing: " .. table.concat(missing, ", "))
  for name in pairs(have) do t.eq(names[name], nil, name .. " is a person, not an organisation") end
  t.eq(have["들녘로보틱스"] and have["들녘로보틱스"].post, "대표")
  t.eq(have["기상청"] and have["기상청"].count, 2)
end)

t.test("the entities script: --orgs reports organisations (csv: name, post, count, articles, posts)", function()
  local r = t.gisa({ "entities", "--orgs", "-f", "csv", t.root .. "/tests/fixtures/people" })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "^name,post,count,articles,posts\r\n")
  t.match(r.out, "\r\n새빛당,비대위원장,2,[^\r\n]*01_party%.txt,비대위원장\r\n")
  t.ok(not r.out:find("고향", 1, true) and not r.out:find("기업용", 1, true), "markets are no organisations")
  local p = t.gisa({ "entities", "-f", "csv", t.root .. "/tests/fixtures/people" })
  t.match(p.out, "^name,title,org,count,articles,titles\r\n", "people as before without --orgs")
end)

t.test("organisations on the real corpus: a committee, a university; no market (세계시장)", function()
  local dir = t.need_shared()
  local have = {}
  for _, r in ipairs(orgs_of(dir)) do have[r.name] = r end
  t.eq(have["디지털플랫폼정부위원회"] and have["디지털플랫폼정부위원회"].post, "위원장")
  t.ok(have["서울대 컴퓨터공학부"], "서울대 컴퓨터공학부")
  t.eq(have["세계시"], nil)
  t.eq(have["한국시"], nil)
  t.eq(have["AI"], nil, "a role word is no organisation")
end)

t.test("the lists are read at every scan: the answers kept for later articles follow an edit, and its undoing", function()
  -- the tables and word answers serve article after article; an edit of a
  -- list (here one in place, the same length) must still be seen at once
  local a = { title = "김철수 한빛대 조교는 말했다", body = {} }
  local function people() local l = {} for _, p in ipairs(E.scan(a).people) do l[#l + 1] = p.name .. "|" .. p.title end return l end
  t.eq(people(), {})
  local i = #E.titles
  local was = E.titles[i]
  E.titles[i] = "조교"
  local ok, got = pcall(people)
  E.titles[i] = was
  t.ok(ok, got)
  t.eq(got, { "김철수|조교" })
  t.eq(people(), {}, "the list restored, the title is gone again")
end)

t.test("tokenize: blanks, controls, Unicode spaces, - & + inside words, U+FFFD and invalid bytes", function()
  local function toks(s)
    local out = {}
    for _, tk in ipairs(E.tokenize(s)) do out[#out + 1] = tk.w or ("<" .. tk.sep .. ">") end
    return table.concat(out, " ")
  end
  t.eq(toks("R&D 1+1 e-스포츠"), "R&D 1+1 e-스포츠")
  t.eq(toks("가\u{A0}나\u{3000}다\1라\127마"), "가 나 다 라\127마", "DEL is no blank")
  t.eq(toks("가.. ,나 “다” 라\u{FFFD}마"), "가 <b> 나 <b> 다 <b> 라 <b> 마")
  t.eq(toks("가/나 (다) 「라」"), "가 </> 나 <(> 다 <)> <b> 라 <b>")
  t.eq(toks("가\255나·다"), "가 <b> 나 <l> 다", "a byte that is not UTF-8 cuts like U+FFFD")
  -- tokens are shared: the same word is the same (read-only) table
  local x, y = E.tokenize("반도체 반도체")
  t.ok(x[1] == x[2], "one table per word")
end)

t.test("scan is linear in the length of one article (Lua instructions, not time: the machine is shared)", function()
  local para = "장병탁 서울대 교수는 “반도체 설계 인력이 부족하다”고 말했다. 장 교수는 기업과 대학의 협력을 강조했다."
  local function cost(n)
    local body = {}
    for i = 1, n do body[i] = para .. " " .. i end
    local a = { title = "제목", body = body }
    local count = 0
    debug.sethook(function() count = count + 1 end, "", 1000)
    local s = E.scan(a)
    debug.sethook()
    t.eq(s.people[1].count, 2 * n + 0, "every mention counted")
    return count
  end
  cost(200)   -- answers of the word tests kept from here on
  local c1, c4 = cost(2000), cost(8000)
  t.ok(c4 < 4.6 * c1, string.format("4x the paragraphs: %.2fx the instructions", c4 / c1))
end)

-- Everything a scan gives (people, organisations, and each text's resolved
-- mentions after it, as report asks for them), as one string.
local function scan_dump(a)
  local s = E.scan(a)
  local out = {}
  local function counts(tab)
    local l = {}
    for k, n in pairs(tab) do l[#l + 1] = k .. "=" .. n end
    table.sort(l)
    return table.concat(l, ",")
  end
  for _, p in ipairs(s.people) do
    out[#out + 1] = table.concat({ "p", p.name, p.title or "", p.org or "", p.count, counts(p.titles),
      counts(p.orgs) }, "|")
  end
  for _, o in ipairs(s.orgs) do
    out[#out + 1] = table.concat({ "o", o.name, o.post or "", o.count, counts(o.posts) }, "|")
  end
  -- the distinct mentions counted, every field (the first reading's own tables)
  for _, m in ipairs(s.all) do
    local ks = {}
    for k, v in pairs(m) do
      if k ~= "person" and k ~= "org_ref" then ks[#ks + 1] = k .. "=" .. tostring(v) end
    end
    table.sort(ks)
    out[#out + 1] = "a " .. table.concat(ks, " ")
  end
  local last
  for _, x in ipairs(E.texts(a)) do
    local ms
    ms, last = s:mentions(x.text, last)
    for _, m in ipairs(ms) do
      out[#out + 1] = table.concat({ "m", m.kind, m.name, m.title or "", m.org or "", m.josa or "",
        m.tok, m.person and m.person.name or "" }, "|")
    end
  end
  return table.concat(out, "\n")
end

-- the scan with its walks in C (E.c) and over Lua token tables: the same
local function same_scans(articles)
  local n = 0
  for _, a in ipairs(articles) do
    E.c = false
    local ok, want = pcall(scan_dump, a)
    E.c = true
    t.ok(ok, want)
    local got = scan_dump(a)
    if got ~= want then
      t.eq(got, want, "scan of " .. tostring(a.file))
      return n
    end
    n = n + 1
  end
  return n
end

t.test("the scan's walks in C (gisa.split's Words) give what the Lua walks give", function()
  local arts = {}
  for _, dir in ipairs({ t.root .. "/corpus", t.root .. "/tests/fixtures/people" }) do
    for a in gisa.articles({ dir }, { quiet = true }) do arts[#arts + 1] = a end
  end
  local f = io.open(t.root .. "/../shared/corpus/gold.jsonl")
  if f then
    f:close()
    for a in gisa.articles({ t.root .. "/../shared/corpus" }, { quiet = true }) do arts[#arts + 1] = a end
  end
  -- one long article of every sample's paragraphs, twice (the answers kept
  -- from the first), and a text that is no valid UTF-8 (the Lua walks)
  local long = { title = "긴 기사", body = {} }
  for _, a in ipairs(arts) do
    for _, s in ipairs(a.body or {}) do long.body[#long.body + 1] = s end
  end
  arts[#arts + 1] = long
  arts[#arts + 1] = long
  arts[#arts + 1] = { title = "김철수 한빛대 교수\255", body = { "김 교수는 말했다." } }
  t.eq(same_scans(arts), #arts)
  -- a scan's mentions asked after the next scan (its Words then holds other
  -- texts: the counts of the words that open a run found again)
  -- (마크 헤이든 is a name before 누리웍스's post as 헤이든 also opens a run;
  -- with no such run, 마크 is a reference)
  local foreign = { title = "얀 르쿤 교수 인터뷰", body = { "얀 르쿤 교수는 말했다. 르쿤은 웃었다.",
    "마크 헤이든 누리웍스 부사장은 답했다. 헤이든, 그는 웃었다." } }
  local function mentions_of(s)
    local out = {}
    for _, x in ipairs(E.texts(foreign)) do
      for _, m in ipairs(s:mentions(x.text)) do
        out[#out + 1] = table.concat({ m.kind, m.name, m.title or "", m.org or "", m.person and m.person.name or "" }, "|")
      end
    end
    return out
  end
  E.c = false
  local want = mentions_of(E.scan(foreign))
  E.c = true
  t.ok(table.concat(want, "\n"):find("full|마크 헤이든|부사장|누리웍스|마크 헤이든", 1, true), table.concat(want, "\n"))
  local s2 = E.scan(foreign)
  E.scan(arts[1])
  t.eq(mentions_of(s2), want)
  -- generated articles (bench/gen.lua: our samples' paragraphs in new layouts)
  local dir = t.tmpdir() .. "/entities-gen-300"
  if sys.stat(dir .. "/d000") ~= "dir" then
    local r = t.gisa({ t.root .. "/bench/gen.lua", "300", dir })
    t.eq(r.code, 0, "bench/gen.lua: " .. r.err)
  end
  local gen = {}
  for a in gisa.articles({ dir }, { quiet = true }) do gen[#gen + 1] = a end
  t.eq(same_scans(gen), 300)
  -- the same articles with every word new (bench/vocab_gen.lua: random
  -- syllables, the particles, titles and surnames kept): the facts the walks
  -- ask for the words they read
  local vocab = dir .. "-vocab"
  if sys.stat(vocab .. "/d000") ~= "dir" then
    local r = t.gisa({ t.root .. "/bench/vocab_gen.lua", dir, vocab })
    t.eq(r.code, 0, "bench/vocab_gen.lua: " .. r.err)
  end
  local new = {}
  for a in gisa.articles({ vocab }, { quiet = true }) do new[#new + 1] = a end
  t.eq(same_scans(new), 300)
end)

t.test("the first reading in C (Words:first) gives what the Lua walk gives, on phrases of every shape", function()
  -- random texts of names, titles (glued, bracketed, with particles), organisations,
  -- modifiers, 겸, separators, captions, ages, middle initials, titles before names
  local pool = {
    "김철수", "이영희", "박민", "장병탁", "남궁민수", "얀", "르쿤", "마크", "J", "헤이든", "도널드",
    "교수", "교수는", "교수로", "교수가", "기자", "기자는", "대표", "대표(CEO)는", "CEO", "CTO",
    "최고기술책임자", "위원장", "위원장은", "시장", "시장은", "평택시장", "연구소장", "시스템반도체연구소장",
    "서울대", "한빛전자", "새봄벤처스의", "재단의", "행사의", "이사회", "의장", "파트너", "수석", "전", "공동",
    "겸", "및", "등", "또", "이어", "19", "45", "2024년", "고", "심", "장", "그는", "그녀는", "선수", "타자",
    "신인", "도하진", "채우람이", "감독", "한빛", "이글스", "·", "/", "(", ")", ".", ",", "“", "”", "[", "]",
    "…", "는", "은", "의", "AI", "LG", "연구원", "기상청", "배민성", "총괄예보관", "민주당", "비대위원장",
    "바른미래포럼", "이사장", "을", "말했다", "밝혔다", "에서", "인터뷰", "사무처장", "마라톤", "참가자",
  }
  local function pick(list) return list[math.random(#list)] end
  local shapes = {
    function() return pick(pool) .. " / " .. pick(pool) .. " " .. pick(pool) end,
    function() return "도하진(" .. pick({ "19", "45", "7", "123", "x" }) .. ")" .. pick({ "이", "", " 말했다", "은" }) end,
    function() return pick({ "마크", "얀", "김철수", "또" }) .. " " .. pick({ "J.", "J", "K.", "j." }) .. " "
      .. pick({ "헤이든", "르쿤", "이어" }) .. " " .. pick({ "부사장", "교수", "시장", "파트너" }) end,
    function() return pick({ "4번 타자", "신인", "감독", "기자", "교수", "선수" }) .. " "
      .. pick({ "채우람이", "도하진", "김민", "남궁민수는", "르쿤" }) end,
    function() return pick({ "최고기술책임자", "대표", "아키텍트", "교수", "시장" }) .. "("
      .. pick({ "CTO", "CEO", "CSA", "AI", "전 서울대" }) .. ")" .. pick({ "는", "", "로", "으로서", "가" }) end,
    function() return pick({ "[인터뷰] ", "", "▲ " }) .. pick({ "한도윤", "김철수", "르쿤" }) .. " / "
      .. pick({ "서울시체육회 사무처장", "마라톤 참가자", "LG AI 연구원", "한빛전자 수석 연구원 교수 기자 대표" }) end,
    function() return "임유경·김연서·" .. pick({ "김응열", "르쿤", "이사회" }) .. " " .. pick({ "기자", "교수", "기자는" }) end,
    function() return pick({ "메타 수석 AI 과학자 겸 뉴욕대 교수", "서울대 (컴퓨터공학부) 교수", "평택시장은",
      "랜데이 소장", "고 위원장", "시민단체 바른미래포럼 이사장" }) end,
  }
  local function text()
    local ws = {}
    if math.random() < 0.6 then ws[1] = pick(shapes)() end
    for _ = 1, math.random(1, 14) do
      local w = pick(pool)
      if math.random() < 0.1 then w = w .. pick(pool) end
      ws[#ws + 1] = w
    end
    local glue = math.random() < 0.5 and " " or ""
    local out = {}
    for _, w in ipairs(ws) do
      out[#out + 1] = w
      out[#out + 1] = math.random() < 0.8 and " " or glue
    end
    return table.concat(out)
  end
  math.randomseed(16)
  local arts = {}
  for k = 1, 1500 do
    local a = { file = "shape-" .. k, title = text(), body = {}, captions = {}, authors = {} }
    for p = 1, math.random(1, 8) do a.body[p] = text() end
    if math.random() < 0.3 then a.captions[1] = text() end
    if math.random() < 0.3 then a.authors[1] = { name = "김철수", role = pick({ "기자", "영상편집" }) } end
    arts[k] = a
  end
  t.eq(same_scans(arts), #arts)
end)
