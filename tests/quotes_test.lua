-- gisa.quotes and the quotes script: quote finding, speakers, verbs.
-- The sentences here are our own; the real articles are read from ../shared.
local t = require "t"
local quotes = require "gisa.analysis.quotes"
local gisa = require "gisa"

local function article(text)
  return gisa.extract(text, "test.txt")
end

local function speakers(qs)
  local out = {}
  for i, q in ipairs(qs) do out[i] = q.speaker or "?" end
  return out
end

t.test("parts: curly, straight and mixed marks; nested single quotes stay inside", function()
  local p = quotes.parts("그는 “첫째 ‘용어’ 말”이라며 \"둘째 말\"고 했다. “섞인 닫기\"라고")
  local qs = {}
  for _, x in ipairs(p) do if x.kind == "quote" then qs[#qs + 1] = x.s end end
  t.eq(qs, { "첫째 ‘용어’ 말", "둘째 말", "섞인 닫기" })
end)

t.test("parts: a single-quoted term is text unless speech follows it", function()
  local p = quotes.parts("정부는 ‘디지털 전략’을 내놨다. 그는 ‘이제 시작’이라고 말했다.")
  local qs = {}
  for _, x in ipairs(p) do if x.kind == "quote" then qs[#qs + 1] = x.s end end
  t.eq(qs, { "이제 시작" })
end)

t.test("parts: an unclosed double quote runs to the end of the paragraph", function()
  local p = quotes.parts("김민수 교수는 “첫 문단은 여기서 끝나지 않습니다.")
  t.eq(p[#p].kind, "quote")
  t.eq(p[#p].unclosed, true)
  t.eq(p[#p].s, "첫 문단은 여기서 끝나지 않습니다.")
end)

t.test("quotative_of: 라고, 며, 고 and chains", function()
  t.eq({ quotes.quotative_of("라고 말했다") }, { "라고" })
  t.eq({ quotes.quotative_of("며 “") }, { "며", true })
  t.eq({ quotes.quotative_of("이라면서도 ") }, { "이라면서도", true })
  t.eq({ quotes.quotative_of("고 강조했다.") }, { "고" })
  t.eq(quotes.quotative_of("고객이 늘었다"), nil)
  t.eq(quotes.quotative_of("를 꼽았다"), nil)
end)

t.test("speaker before the quote, chained quotes share the verb", function()
  local qs = quotes.article(article("제목\n김철수 한국대 교수는 “시장은 곧 회복될 것”이라며 “다만 시간이 걸린다”고 내다봤다."))
  t.eq(speakers(qs), { "김철수", "김철수" })
  t.eq(qs[1].title, "교수")
  t.eq(qs[1].org, "한국대")
  t.eq(qs[1].verb, "내다봤다")
  t.eq(qs[2].verb, "내다봤다")
  t.eq(qs[1].quotative, "이라며")
end)

t.test("surname + title resolves to the full name given earlier", function()
  local qs = quotes.article(article("제목\n박영희 미래기술재단 이사장은 어제 기자들과 만났다.\n" ..
    "박 이사장은 \"예산이 더 필요하다\"라고 강조했다."))
  t.eq(speakers(qs), { "박영희" })
  t.eq(qs[1].title, "이사장")
  t.eq(qs[1].verb, "강조했다")
end)

t.test("speaker after the quote: “…”라고 X는 말했다", function()
  local qs = quotes.article(article("제목\n“협력이 답입니다”라고 이민호 가나다그룹 대표는 말했다."))
  t.eq(speakers(qs), { "이민호" })
  t.eq(qs[1].how, "after")
  t.eq(qs[1].verb, "말했다")
end)

t.test("pronoun and a quote with no subject take the last speaker", function()
  local qs = quotes.article(article("제목\n최수진 한빛연구원 원장은 발표를 마쳤다. 그는 \"데이터가 핵심\"이라고 말했다. " ..
    "이어 \"인력도 중요하다\"고 덧붙였다.\n다음 문단에서 그는 \"마지막 말\"이라고 했다."))
  t.eq(speakers(qs), { "최수진", "최수진", "최수진" })
  t.eq(qs[1].how, "pronoun")
  t.eq(qs[2].how, "paragraph")
  t.eq(qs[2].verb, "덧붙였다")
end)

t.test("foreign names: given + family, then the family name alone", function()
  local qs = quotes.article(article("제목\n존 하트먼 교수는 새 모델을 공개했다.\n" ..
    "하트먼은 \"모두에게 열려 있어야 한다\"고 말했다.\n하트먼 교수는 \"곧 공개한다\"고 밝혔다."))
  t.eq(speakers(qs), { "존 하트먼", "존 하트먼" })
  t.eq(qs[2].verb, "밝혔다")
end)

t.test("interview answers belong to the person interviewed", function()
  local a = article("제목\n정하늘 다온대 교수 인터뷰\n▷무엇을 연구하나요.\n“언어 모델을 연구합니다.”\n" ..
    "▷다음 계획은.\n“더 작은 모델을 만들 겁니다.”")
  local qs = quotes.article(a)
  t.eq(speakers(qs), { "정하늘", "정하늘" })
  t.eq(qs[1].how, "interview")
end)

t.test("quoted terms and headlines without a speaker are left out unless --all", function()
  local a = article("제목\n정부는 “규제 샌드박스”를 넓힌다고 밝혔다.\n관련 기사: \"주가 급등\" 소식")
  t.eq(#quotes.article(a), 0)
  t.ok(#quotes.article(a, { all = true }) >= 2)
end)

------------------------------------------------------------------------------
-- The real corpus (../shared/corpus, never copied here)
------------------------------------------------------------------------------

local function shared_article(name)
  local dir = t.need_shared()
  for a in gisa.articles({ dir .. "/" .. name }) do return a end
end

t.test("004 (edaily): seven quotes with the right speakers and verbs", function()
  local qs = quotes.article(shared_article("004_e3c39ada94fab6db.txt"))
  t.eq(speakers(qs), { "배경훈", "배경훈", "김홍석", "김홍석", "하정우", "하정우", "이한주" })
  local verbs = {}
  for i, q in ipairs(qs) do verbs[i] = q.verb end
  t.eq(verbs, { "내다봤다", "내다봤다", "말했다", "말했다", "강조했다", "강조했다", "제언했다" })
  t.eq(qs[1].title, "연구원장")
  t.eq(qs[1].org, "LG AI")
end)

t.test("003 (mt): every quote is 고진's, through 고 위원장 and 그는", function()
  local qs = quotes.article(shared_article("003_75988839ddd49065.txt"))
  t.ok(#qs >= 8, "at least 8 quotes, got " .. #qs)
  for i, q in ipairs(qs) do t.eq(q.speaker, "고진", "quote " .. i) end
end)

t.test("002 (zdnet): 르쿤 and 그는 resolve to 얀 르쿤; crossheads stay unattributed", function()
  local qs = quotes.article(shared_article("002_3bf831abcdfefac3.txt"))
  local n = 0
  for _, q in ipairs(qs) do
    if q.speaker then
      t.eq(q.speaker, "얀 르쿤")
      n = n + 1
    end
  end
  t.ok(n >= 15, "at least 15 attributed quotes, got " .. n)
end)

t.test("000 (hankyung): interview answers are 랜데이's, the interviewer's remarks 차상균's", function()
  local qs = quotes.article(shared_article("000_824cc6262e9da4d9.txt"))
  local by = {}
  for _, q in ipairs(qs) do if q.speaker then by[q.speaker] = (by[q.speaker] or 0) + 1 end end
  t.ok((by["제임스 랜데이"] or 0) >= 15, "랜데이 answers: " .. tostring(by["제임스 랜데이"]))
  t.eq(by["차상균"], 3)
end)

-- until part A's gisa.analysis is merged from main
local function need_analysis()
  if not package.searchpath("gisa.analysis", package.path) then t.skip("gisa.analysis not merged yet") end
end

t.test("the quotes script: jsonl rows with article, speaker, verb", function()
  need_analysis()
  local dir = t.need_shared()
  local r = t.gisa({ "quotes", "-f", "jsonl", dir .. "/004_e3c39ada94fab6db.txt" })
  t.eq(r.code, 0, r.err)
  local json = require "gisa.output.json"
  local rows = {}
  for line in r.out:gmatch("[^\n]+") do rows[#rows + 1] = json.decode(line) end
  t.eq(#rows, 7)
  t.eq(rows[1].speaker, "배경훈")
  t.eq(rows[7].verb, "제언했다")
  t.match(rows[1].article, "004_e3c39ada94fab6db%.txt$")
end)

t.test("the quotes script: --help and --speaker", function()
  need_analysis()
  local r = t.gisa({ "quotes", "--help" })
  t.eq(r.code, 0)
  t.match(r.out, "^usage: gisa quotes")
  local dir = t.need_shared()
  r = t.gisa({ "quotes", "-f", "tsv", "--speaker", "하정우", dir .. "/004_e3c39ada94fab6db.txt" })
  t.eq(r.code, 0, r.err)
  local n = 0
  for line in r.out:gmatch("[^\n]+") do n = n + 1 end
  t.eq(n, 3, "header + 2 quotes")
end)

t.test("the sample corpus: speakers of the quotes in corpus/gold.jsonl", function()
  local json = require "gisa.output.json"
  local gold = {}
  for line in io.lines(t.root .. "/corpus/gold.jsonl") do
    local g = json.decode(line)
    gold[g.file] = g
  end
  local checked, wrong = 0, {}
  for a in gisa.articles({ t.root .. "/corpus" }) do
    local g = gold[a.file:match("[^/]+$")]
    local text = table.concat(a.body, "\n")
    local qs = quotes.article(a)
    for _, gq in ipairs(g and g.quotes or {}) do
      -- a file not yet decodable (CP949, UTF-16 before gisa.enc) has no such text
      if text:find(gq.starts, 1, true) then
        local found
        for _, q in ipairs(qs) do
          if q.quote:gsub("^%s+", ""):sub(1, #gq.starts) == gq.starts then found = q; break end
        end
        checked = checked + 1
        if not found or found.speaker ~= gq.speaker then
          wrong[#wrong + 1] = a.file .. ": " .. gq.starts .. " -> " .. tostring(found and found.speaker)
            .. " (want " .. gq.speaker .. ")"
        end
      end
    end
  end
  t.ok(checked >= 20, "at least 20 gold quotes checked, got " .. checked)
  t.eq(wrong, {}, "quotes with a wrong or no speaker")
end)

------------------------------------------------------------------------------
-- The extraction's quotes post-pass (rules/generic.lua, with lines.quoter in C)
-- against the Lua it replaced, kept here as the reference: the same quotes
-- and the same speaker strings on every block of the corpora and on generated
-- tricky text.
------------------------------------------------------------------------------

local reference_quotes
do
  local lpeg = require "lpeg"
  local L = require "gisa.rules.lib"
  local find, sub = string.find, string.sub

  local quotative = { "이라고", "라고", "이라며", "라며", "이라면서", "라면서", "이라는", "라는", "고", "며",
    "면서", "는" }
  local strict_quotative = { "이라고", "라고", "이라며", "라며", "고 ", "며 " }
  local quote_marks = { { "“", "”", quotative }, { "\"", "\"", quotative }, { "‘", "’", strict_quotative } }

  -- what lines.quotes did in C: at an opener, the text up to its closer
  local function quotes_scan(s)
    local out, i = {}, 1
    while i <= #s do
      local m
      for _, mk in ipairs(quote_marks) do
        if sub(s, i, i + #mk[1] - 1) == mk[1] then m = mk; break end
      end
      if not m then
        i = i + 1
      else
        local from = i + #m[1]
        local a, b = find(s, m[2], from, true)
        if not a or a == from then
          i = from
        else
          local word = false
          for _, w in ipairs(m[3]) do
            if sub(s, b + 1, b + #w) == w then word = w; break end
          end
          out[#out + 1] = { i, sub(s, from, a - 1), word, b + 1 }
          i = b + 1
        end
      end
    end
    return out
  end

  local function after_last(s, needle)
    local at, i = nil, 1
    while true do
      local a, b = find(s, needle, i, true)
      if not a then break end
      at, i = b + 1, b + 1
    end
    if not at then return nil end
    return (s:match("^%s*()", at))
  end

  local pronouns = { ["그"] = true, ["그녀"] = true, ["이어"] = true, ["또"] = true, ["그러면서"] = true,
    ["이들"] = true }
  local subject_particles = { ["은"] = true, ["는"] = true, ["이"] = true, ["가"] = true }

  local function speaker_before(s)
    s = L.trim(s)
    if #s <= 3 or not subject_particles[sub(s, -3)] then return nil end
    local subj = sub(s, 1, -4)
    local comma = after_last(subj, ",")
    if comma then subj = sub(subj, comma) end
    subj = L.trim(subj)
    if subj == "" or find(subj, "”", 1, true) or find(subj, "\"", 1, true) then return nil end
    return subj
  end

  local to_stop = L.skip_to(".?!")
  local blanks = L.sp ^ 1 * lpeg.Cp()
  local function sentence_start(s, pos, st)
    local from, i = st.from, st.i
    while true do
      local a = to_stop:match(s, i)
      if a >= pos then st.from, st.i = from, i; return from end
      local b = blanks:match(s, a + 1)
      if b then
        if b > pos then st.from, st.i = from, i; return from end
        from = b
      end
      i = a + 1
    end
  end

  local QUOTED_BLOCKS = { para = true, answer = true, quote = true }

  function reference_quotes(rec)
    rec.quotes = rec.quotes or {}
    local last
    for _, b in ipairs(rec.blocks) do
      local text = b.text
      if QUOTED_BLOCKS[b.type] and (find(text, "“", 1, true) or find(text, "\"", 1, true)
          or find(text, "‘", 1, true)) then
        local st = { i = 1, from = 1 }
        for _, q in ipairs(quotes_scan(text)) do
          local pos, qt, after = q[1], q[2], q[3]
          local opens = pos == 1
          if (after or opens or b.type == "quote") and find(qt, " ", 1, true)
              and (utf8.len(qt) or #qt) >= 6 then
            local sp_
            if b.type == "quote" and b.speaker then
              sp_ = b.speaker
            elseif not opens then
              local from = sentence_start(text, pos, st)
              local before = sub(text, from, pos - 1)
              local cut = after_last(before, "”") or after_last(before, "\"")
              sp_ = speaker_before(cut and sub(before, cut) or before)
              if sp_ and pronouns[sp_] then sp_ = last end
            end
            if sp_ then last = sp_ end
            if b.type == "answer" and opens then sp_ = nil end
            rec.quotes[#rec.quotes + 1] = { text = qt, speaker = sp_ or (not opens and last or nil), line = b.line }
          end
        end
      end
    end
  end
end

local post_quotes
for _, p in ipairs(require("gisa.rules.generic").post) do
  if p.id == "quotes" then post_quotes = p.run end
end

-- Both passes over the blocks of one record; the first difference, or nil.
local function differ(blocks, label)
  local want, got = { blocks = blocks }, { blocks = blocks }
  reference_quotes(want)
  post_quotes(got, {})
  if #got.quotes ~= #want.quotes then
    return string.format("%s: %d quotes, want %d", label, #got.quotes, #want.quotes)
  end
  for i, w in ipairs(want.quotes) do
    local g = got.quotes[i]
    if g.text ~= w.text or g.speaker ~= w.speaker or g.line ~= w.line then
      return string.format("%s: quote %d is {%q, %s, %s}, want {%q, %s, %s}", label, i, g.text,
        tostring(g.speaker), tostring(g.line), w.text, tostring(w.speaker), tostring(w.line))
    end
  end
  return nil, #want.quotes
end

local function corpus_differences(dir)
  local bad, nq, narticles = {}, 0, 0
  for a in gisa.articles({ dir }) do
    local msg, n = differ(a.blocks, a.file)
    if msg then bad[#bad + 1] = msg else nq = nq + n end
    narticles = narticles + 1
  end
  return bad, nq, narticles
end

t.test("post-pass = the Lua reference on every block of the sample corpus", function()
  local bad, nq, narticles = corpus_differences(t.root .. "/corpus")
  t.eq(bad, {})
  t.ok(narticles >= 15 and nq >= 50, "articles and quotes compared: " .. narticles .. ", " .. nq)
end)

t.test("post-pass = the Lua reference on every block of the real corpus", function()
  local bad, nq = corpus_differences(t.need_shared())
  t.eq(bad, {})
  t.ok(nq >= 20, "quotes compared: " .. nq)
end)

t.test("post-pass = the Lua reference on 1,000 generated records of tricky text", function()
  -- fragments that meet every branch: the marks (alone, paired, cut in half),
  -- quotatives, particles, pronouns, commas, sentence stops, every kind of
  -- blank, ASCII white space, bytes that are not UTF-8
  local marks = { "“", "”", "\"", "‘", "’", "\226\128", "'", "「" }
  local saying = { "라고", "이라며", "고", "며", "면서", "는", "고 ", "며 ", "라는", "이라면서", "을", "" }
  local words = {
    "은", "는", "이", "가", "은 ", "는 ", "이 ", "가 ", "의 ",
    "그", "그녀", "이어", "또", "그러면서", "이들", "그는 ", "그녀는 ", "이어 ", "또 ", "이들은 ",
    "김 교수", "배경훈 LG AI 연구원장", "홍길동", "A씨", "abc", "x", "말", "이제 시작이다", "오늘은 맑다",
    ",", ", ", ",\t", ".", ". ", "?", "? ", "!", "! ", "3.5", "...",
    " ", "  ", "\t", "\194\160", "\227\128\128", "\r", "\n", "\v", "\f",
    "\255", "\128", "\237\160\128", "\192\128", "\194", "\160", "\227\128",
  }
  local kinds = { "para", "para", "para", "answer", "quote", "heading" }
  local speakers = { false, "진행자", "그", "" }
  local rng = 20240611
  local function rand(n)   -- a small LCG: the same records on every run and build
    rng = (rng * 1103515245 + 12345) % 2147483648
    return rng // 65536 % n + 1
  end
  local function pick(list) return list[rand(#list)] end
  local function fragments(buf, n)
    for _ = 1, n do buf[#buf + 1] = rand(8) == 1 and pick(marks) or pick(words) end
  end
  -- a block: sentences of [subject words] [opener quote closer quotative] [words]
  local function block()
    local buf = {}
    for _ = 1, rand(4) do
      fragments(buf, rand(6) - 1)
      local open = rand(4)
      local m = ({ { "“", "”" }, { "\"", "\"" }, { "‘", "’" }, { "“", "\"" } })[open]
      buf[#buf + 1] = m[1]
      fragments(buf, rand(6) - 1)
      buf[#buf + 1] = " "
      fragments(buf, rand(6))
      buf[#buf + 1] = m[2]
      buf[#buf + 1] = pick(saying)
      fragments(buf, rand(5) - 1)
    end
    return table.concat(buf)
  end
  local bad, nq, nspeakers = {}, 0, 0
  for r = 1, 1000 do
    local blocks = {}
    for k = 1, rand(8) do
      local kind = pick(kinds)
      blocks[k] = { type = kind, text = block(), line = k * 2,
        speaker = kind == "quote" and pick(speakers) or nil }
    end
    local msg, n = differ(blocks, "record " .. r)
    if msg then bad[#bad + 1] = msg else nq = nq + n end
    local want = { blocks = blocks }
    reference_quotes(want)
    for _, q in ipairs(want.quotes) do if q.speaker then nspeakers = nspeakers + 1 end end
  end
  t.eq(bad, {})
  t.ok(nq >= 3000 and nspeakers >= 1000, "quotes compared: " .. nq .. ", with a speaker: " .. nspeakers)
end)
