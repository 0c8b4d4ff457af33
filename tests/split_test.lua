-- gisa.split: a text cut into word and separator tokens at characters given
-- as data (entities' tokenizer).
local t = require "t"
local split = require "gisa.split"

local KINDS = { [" "] = false, ["\u{3000}"] = false, ["."] = "b", [","] = "b", ["·"] = "l",
  ["("] = "(", [")"] = ")", ["/"] = "/" }
local SEPS = { b = { sep = "b" }, l = { sep = "l" }, ["("] = { sep = "(" }, [")"] = { sep = ")" },
  ["/"] = { sep = "/" } }

local function show(toks)
  local out = {}
  for i, tk in ipairs(toks) do out[i] = tk.w or ("<" .. tk.sep .. ">") end
  return table.concat(out, " ")
end

t.test("splitter:split gives words and separators, runs of a kind in `whole` as one", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local cache = {}
  local toks, added = sp:split("임유경·김연서 기자.. 서울대(SNU)) 교수/ 끝\u{3000}", cache, SEPS)
  t.eq(show(toks), "임유경 <l> 김연서 기자 <b> 서울대 <(> SNU <)> <)> 교수 </> 끝")
  t.eq(added, 7)
  -- words come from the cache, shared between calls; separators from seps
  t.eq(toks[1], cache["임유경"])
  t.eq(toks[2], SEPS.l)
  local again, added2 = sp:split("교수 끝", cache, SEPS)
  t.eq(again[1], toks[11])
  t.eq(added2, 0)
  t.eq(show((sp:split("", cache, SEPS))), "")
  t.eq(show((sp:split(". .", cache, SEPS))), "<b>")
  t.eq(show((sp:split("a-b&c", cache, SEPS))), "a-b&c")
end)

t.test("splitter:split: bad data and misuse", function()
  local sp = split.splitter(KINDS)
  t.eq({ sp:split("가\xff나", {}, SEPS) }, { nil, "invalid UTF-8", 4 })
  t.eq(show((sp:split("a..b", {}, SEPS))), "a <b> <b> b")   -- nothing in `whole`
  t.checkerr("not one character", split.splitter, { ab = "b" })
  t.checkerr("a kind must be a string or false", split.splitter, { a = true })
  t.checkerr("table expected", sp.split, sp, "a", nil, SEPS)
  t.eq(tostring(sp):match("^gisa.split.Splitter"), "gisa.split.Splitter")
end)

t.test("split.pick: the word tokens a scan looks at, plain words left out", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local toks = sp:split("가는 나는 다(라) 마/바 사 아", {}, SEPS)
  -- 가 plain, 나 no answer yet, 다 before "(", 마 before "/", 사 false, 아 plain
  local plain = { ["가는"] = "가", ["다"] = "다", ["라"] = "라", ["마"] = "마", ["바"] = "바", ["사"] = false,
    ["아"] = "아" }
  local function words(picks)
    local out = {}
    for i, k in ipairs(picks) do out[i] = toks[k].w end
    return table.concat(out, " ")
  end
  t.eq(words(split.pick(toks, plain)), "나는 다 마 사")
  t.eq(words(split.pick(toks, plain, {}, {})), "나는 다 마 사")
  -- firsts[w], known[stem], known[w]
  t.eq(words(split.pick(toks, plain, { ["아"] = true }, { ["가"] = true, ["바"] = true })), "가는 나는 다 마 바 사 아")
  t.eq(#split.pick({}, plain), 0)
  t.eq(split.pick({ { sep = "b" }, { w = "가는" } }, {}), { 2 })
  t.checkerr("table expected", split.pick, toks, nil)
  t.checkerr("table expected", split.pick, toks, plain, {}, nil)
end)

t.test("split.heads: words that open a run counted by their memo's answer, the rest returned", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local toks = sp:split("가는 나는. 가는 다·라는", {}, SEPS)
  local counts = { ["가"] = 5 }
  local misses = split.heads(toks, { ["가는"] = { "가", "는" }, ["라는"] = { "라", "는" } }, counts)
  t.eq(counts, { ["가"] = 7, ["라"] = 1 })
  t.eq(misses, { })
  local misses2 = split.heads(sp:split("다 다. 다", {}, SEPS), {}, counts)
  t.eq(misses2, { "다", "다" })
  t.checkerr("table expected", split.heads, toks, {}, nil)
end)

t.test("splitter:split with plain, memo and counts: pick's and heads' answers in the same walk", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local plain = { ["가는"] = "가", ["다"] = "다", ["라"] = "라", ["마"] = "마", ["바"] = "바", ["사"] = false,
    ["아"] = "아" }
  local memo = { ["가는"] = { "가", "는" }, ["라"] = { "라", "" } }
  for _, text in ipairs({ "가는 나는 다(라) 마/바 사 아", "가는. 가는 다·라, 마//바 (사) 아", "", "마(", ". 다 /" }) do
    local cache = {}
    local c1, c2 = { ["가"] = 1 }, { ["가"] = 1 }
    local toks, added, picks, misses = sp:split(text, cache, SEPS, plain, memo, c1)
    local toks2, added2 = sp:split(text, {}, SEPS)
    t.eq(show(toks), show(toks2))
    t.eq(added, added2)
    t.eq(picks, split.pick(toks2, plain))
    t.eq(misses, split.heads(toks2, memo, c2))
    t.eq(c1, c2)
  end
  t.checkerr("table expected", sp.split, sp, "a", {}, SEPS, {}, nil, {})
end)

t.test("split.words: texts as numbered words; picks, heads and tokens as the walks over tokens give them", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local plain = { ["가는"] = "가", ["다"] = "다", ["라"] = "라", ["마"] = "마", ["바"] = "바", ["사"] = false,
    ["아"] = "아", ["나는"] = "나" }
  local texts = { "가는 나는 다(라) 마/바 사 아", "가는. 가는 다·라, 마//바 (사) 아", "", "마(", ". 다 /" }
  local ws = split.words()
  t.eq(ws:reset(), ws)
  local seen = {}
  for i, text in ipairs(texts) do
    local new = ws:split(sp, text)
    -- each word once, the first time it comes
    local plains, stems = {}, {}
    for k, w in ipairs(new) do
      t.ok(not seen[w], w .. " new once"); seen[w] = true
      plains[k] = plain[w] and true or false
      stems[k] = plain[w] or w
    end
    ws:decide(plains, stems)
    local toks = sp:split(text, {}, SEPS)
    t.eq(show(ws:tokens(i, SEPS)), show(toks))
    t.eq(ws:picks(i) or {}, split.pick(toks, plain))
  end
  t.eq(ws:split(sp, "가는 마"), {}, "all decided")
  texts[#texts + 1] = "가는 마"
  -- known words and stems, and the first words of known names
  local known = { ["가"] = true, ["바 사"] = true }
  ws:known(known)
  local toks = sp:split(texts[1], {}, SEPS)
  t.eq(ws:picks(1, true), split.pick(toks, plain, { ["바"] = true }, known))
  t.eq(ws:picks(1, true), { 1, 3, 7, 9, 10 })
  local counts, want, memo = { ["가"] = 1 }, { ["가"] = 1 }, {}
  for w in pairs(seen) do memo[w] = { plain[w] or w } end
  for _, text in ipairs(texts) do split.heads(sp:split(text, {}, SEPS), memo, want) end
  t.eq(ws:heads(counts), counts)
  t.eq(counts, want)
  local fresh = ws:heads()
  want["가"] = want["가"] - 1
  t.eq(fresh, want, "a new table")
  t.eq(counts, { ["가"] = 5, ["다"] = 1, ["라"] = 2, ["마"] = 3, ["바"] = 2, ["사"] = 1, ["아"] = 1 })
  -- the counts kept in C, asked one by one
  local scan = ws:heads(false)
  t.eq(math.type(scan), "integer")
  for w, n in pairs(fresh) do t.eq(ws:count(w, scan), n, w) end
  t.eq(ws:count("가는", scan), nil, "no stem of a word that opens a run")
  t.eq(ws:count("없는", scan), nil, "no such word")
  t.eq(ws:heads(false) ~= scan, true, "each count a number of its own")
  t.eq(ws:count("가", scan), false, "counted again since")
  -- a new scan: no texts, no known words; past max words, none kept
  ws:reset()
  t.checkerr("no such text", ws.picks, ws, 1)
  t.eq(ws:split(sp, "가는"), {})
  t.eq(ws:picks(1, true), nil, "no picks: nil")
  ws:reset(1)
  t.eq(ws:split(sp, "가는"), { "가는" })
  t.eq({ ws:split(sp, "가\255") }, { nil, "invalid UTF-8", 4 })
  t.checkerr("stem 1 is not a string", ws.decide, ws, { true }, {})
  t.match(tostring(ws), "^gisa.split.Words %(")
  getmetatable(ws).__close(ws)
  t.eq(ws:split(sp, "가는"), { "가는" }, "closed: empty again")
end)

t.test("split.words: decided with titles and names, the picks leave out the looks that find nothing", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local ws = split.words()
  local text = "가는 나는 다(라) 마/바 사 아 그는"
  local new = ws:split(sp, text)
  t.eq(new, { "가는", "나는", "다", "라", "마", "바", "사", "아", "그는" })
  -- 사 a title, 그는 a pronoun (not plain, no title), 마 a name: 다 before "(" is no name
  local plains, stems, titles, names = {}, {}, {}, {}
  for k, w in ipairs(new) do
    plains[k] = w ~= "사" and w ~= "그는"
    stems[k] = w == "가는" and "가" or w == "나는" and "나" or w == "그는" and "그" or w
    titles[k] = w == "사"
    names[k] = w == "마"
  end
  ws:decide(plains, stems, titles, names)
  t.eq(ws:picks(1), { 7, 10 }, "first pass: the title, the name before /")
  t.eq(ws:picks(1, true), { 7, 10, 12 }, "with known: the pronoun too")
  ws:known({ ["가"] = true })
  t.eq(ws:picks(1, true), { 1, 7, 10, 12 })
  t.checkerr("table expected", ws.decide, ws, plains, stems, titles, nil)
end)

t.test("split.words: first, the title walk over numbered words and their facts", function()
  -- the flags of entities.lua's F
  local NAME, BOUNDARY, MODIFIER, ORG, TITLE, NO_JOSA, KYEOM, REPORTER = 1, 2, 4, 128, 8192, 1 << 18, 4096, 1 << 16
  local PRONOUN, PRON_JOSA = 1 << 24, 1 << 25
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local ws = split.words()
  local facts = { ["김철수"] = NAME, ["이영희"] = NAME, ["서울대"] = ORG, ["수석"] = MODIFIER,
    ["말했다"] = BOUNDARY, ["겸"] = KYEOM | BOUNDARY, ["교수는"] = TITLE, ["기자"] = TITLE | NO_JOSA | REPORTER }
  local tinfo = { ["교수는"] = { "교수", "는", "교수", false }, ["기자"] = { "기자", "", "기자", false } }
  local function add(text)
    local new = ws:split(sp, text)
    local plains, stems, titles, names, f, ti = {}, {}, {}, {}, {}, {}
    for k, w in ipairs(new) do
      f[k] = facts[w] or 0
      plains[k] = f[k] & (TITLE | PRONOUN) == 0
      stems[k] = w == "그는" and "그" or w
      titles[k] = f[k] & TITLE ~= 0
      names[k] = f[k] & NAME ~= 0
      ti[k] = tinfo[w]
    end
    ws:decide(plains, stems, titles, names, f, ti)
  end
  add("말했다 김철수 서울대 수석 교수는")
  add("김철수·이영희 기자")
  add("김철수 겸 서울대 교수는")
  add("김철수 서울대")
  add("서울대 (공대) 교수는")
  local ms, memo = ws:first(1)
  t.eq(#ms, 1)
  local m = ms[1]
  t.eq({ m.kind, m.name, m.title, m.org, m.josa, m.tok, m.from },
    { "full", "김철수", "수석 교수", "서울대", "는", 5, 2 })
  t.eq(memo[5][1], false)
  t.eq(memo[5][4], m, "the answer holds the mention itself")
  ms = ws:first(2)
  t.eq({ ms[1].name, ms[2].name, ms[1].title, ms[1].org, ms[1].from }, { "김철수", "이영희", "기자", "", 1 })
  t.eq(ws:first(3), false, "겸 in the phrase: Lua reads the text")
  t.eq(ws:first(4), nil, "no title: nothing to look at")
  t.eq(ws:first(5), false, "a bracket in the phrase: Lua")
  t.checkerr("no such text", ws.first, ws, 6)
  -- the second reading: the answered title by its token, pronouns, known names alone
  facts["그는"] = PRONOUN | PRON_JOSA
  add("그는 김철수 서울대 교수는")
  add("이영희 말했다")
  ws:known({ ["김철수"] = true, ["이영희"] = true })
  local ms6, memo6 = ws:first(6)
  t.eq(#ms6, 1)
  local items, bare = ws:second(6, memo6)
  t.eq(#items, 3)
  t.eq({ items[1].kind, items[1].name, items[1].josa, items[1].tok }, { "pron", "그", "는", 1 })
  t.eq({ items[2].kind, items[2].name, items[2].josa, items[2].tok }, { "bare", "김철수", "", 2 })
  t.eq(items[3] == ms6[1], true, "the title answered with a name: the answer's mention itself")
  t.eq(bare, true)
  items, bare = ws:second(7)
  t.eq({ #items, items[1].name, bare }, { 1, "이영희", true })
  t.eq(ws:second(3, {}), false, "a title the first reading did not answer: Lua")
  add("말했다 서울대 교수는")
  local ms8, memo8 = ws:first(8)
  t.eq({ #ms8, memo8[3][1], memo8[3][2] }, { 0, { "서울대" }, "교수" })
  items, bare = ws:second(8, memo8)
  t.eq({ items, bare }, { { 3 }, false }, "an answer with an organisation: its token, for Lua")
end)

t.test("split.words: facts asked of a function when a walk first reads them", function()
  local NAME, BOUNDARY, ORG, TITLE, NO_JOSA, MODIFIER = 1, 2, 128, 8192, 1 << 18, 4
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local facts = { ["김철수"] = NAME, ["이영희"] = NAME, ["서울대"] = ORG, ["수석"] = MODIFIER,
    ["말했다"] = BOUNDARY, ["교수는"] = TITLE, ["기자"] = TITLE | NO_JOSA }
  local tinfo = { ["교수는"] = { "교수", "는", "교수", false }, ["기자"] = { "기자", "", "기자", false } }
  local texts = { "말했다 김철수 서울대 수석 교수는", "가나 다라 마바 사아 자차", "이영희/서울대 기자",
    "가나 이영희(19) 말했다", "가나 김철수/ 다라" }
  -- the same texts decided with every fact given (tables), and with a function
  local asked = {}
  local function ask(w)
    asked[#asked + 1] = w
    return facts[w] or 0, tinfo[w]
  end
  local eager, lazy = split.words(), split.words()
  for _, text in ipairs(texts) do
    local plains, stems, titles, names, f, ti = {}, {}, {}, {}, {}, {}
    local new = eager:split(sp, text)
    t.eq(lazy:split(sp, text), new)
    for k, w in ipairs(new) do
      f[k] = facts[w] or 0
      plains[k] = f[k] & TITLE == 0
      stems[k] = w
      titles[k] = f[k] & TITLE ~= 0
      names[k] = f[k] & NAME ~= 0
      ti[k] = tinfo[w]
    end
    eager:decide(plains, stems, titles, names, f, ti)
    lazy:decide(plains, stems, titles, ask)
  end
  t.eq(asked, { "교수는", "기자" }, "title words at once, the others not yet")
  for i = 1, #texts do
    local want = table.pack(eager:first(i))
    local got = table.pack(lazy:first(i))
    t.eq(got.n, want.n)
    if want[1] then
      t.eq(#got[1], #want[1], "text " .. i)
      for k, m in ipairs(want[1]) do
        t.eq({ got[1][k].name, got[1][k].title, got[1][k].org, got[1][k].tok },
          { m.name, m.title, m.org, m.tok }, "text " .. i)
      end
    else t.eq(got[1], want[1], "text " .. i) end
    t.eq(lazy:picks(i), eager:picks(i), "picks of text " .. i)
  end
  -- read: the words left of each title up to a name (not 말했다 before it),
  -- the words before a "/" or "(" and an age's number; never 가나 다라 … (no
  -- title, no bracket: a text with nothing to look at)
  table.sort(asked)
  t.eq(asked, { "19", "교수는", "기자", "김철수", "서울대", "수석", "이영희" })
  -- facts that are no flags are an error
  local bad = split.words()
  bad:split(sp, "김철수/ 다라")
  bad:decide({ true, true }, { "김철수", "다라" }, { false, false }, function() return "x" end)
  t.checkerr("the facts of a word are not flags", bad.first, bad, 1)
end)

t.test("split.copy: a list's values as they are, for split.same", function()
  local a = {}
  local list = { "교수", "기자", a, 3 }
  local c = split.copy(list)
  t.eq(split.same(list, c), true)
  list[4] = 3.0
  t.eq(split.same(list, c), true, "a number by value")
  list[3] = {}
  t.eq(split.same(list, c), false, "an equal table is not the same value")
  list[3] = a
  list[5] = "씨"
  t.eq(split.same(list, c), false, "longer")
  list[5] = nil
  list[2] = "기" .. ("자"):rep(1)
  t.eq(split.same(list, c), true, "a short string is one value")
  t.eq(split.same({}, split.copy({})), true)
  t.checkerr("table expected", split.copy, "교수")
end)

t.test("split.same: arrays of the same values by identity and the same length", function()
  local a, b = {}, {}
  local list = { "교수", "기자", a }
  t.eq(split.same(list, { "교수", "기자", a }), true)
  t.eq(split.same(list, { "교수", "기자", b }), false, "an equal table is not the same value")
  t.eq(split.same(list, { "교수", "기자" }), false)
  t.eq(split.same(list, { "교수", "기자", a, "씨" }), false)
  t.eq(split.same({}, {}), true)
  t.checkerr("table expected", split.same, list, "교수")
end)

t.test("split.same with a copy of a long list: every entry compared, past runs of 32", function()
  local list, tabs = {}, {}
  for i = 1, 100 do
    tabs[i] = {}
    list[i] = i % 3 == 0 and tabs[i] or i % 3 == 1 and i or ("낱말" .. i)
  end
  local c = split.copy(list)
  t.eq(split.same(list, c), true)
  for _, at in ipairs({ 1, 32, 33, 64, 65, 100 }) do
    local was = list[at]
    list[at] = type(was) == "table" and {} or type(was) == "number" and was + 1 or was .. "!"
    t.eq(split.same(list, c), false, "entry " .. at)
    list[at] = was
    t.eq(split.same(list, c), true, "entry " .. at .. " back")
  end
  list[50] = nil
  t.eq(split.same(list, c), false, "a hole")
  t.checkerr("table expected", split.same, list, split.splitter({}))
end)
