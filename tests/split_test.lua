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
