-- The fast paths of the shipped rules give what the plain grammars they stand
-- in front of give: L.any as a trie against an ordered choice, the caption
-- rule's quick test against the caption grammars, the e-mail scan that skips
-- runs against the one that steps a character at a time. Each is checked on
-- every line of the sample corpus (and ../shared/corpus when present) and on
-- many random strings made of the pieces these patterns care about.
local t = require "t"
local lpeg = require "lpeg"
local L = require "gisa.rules.lib"
local sys = require "gisa.sys"

local P = lpeg.P

-- Every non-blank line of the .txt files of DIR (corpus/ here; the lines of
-- ../shared/corpus have a test of their own, which skips, saying so, when the
-- directory is absent).
local function corpus_lines(dir)
  local out = {}
  local names = assert(sys.listdir(dir), dir)
  for _, name in ipairs(names) do
    if name:match("%.txt$") then
      for line in (sys.readfile(dir .. "/" .. name) .. "\n"):gmatch("([^\n]*)\n") do
        line = L.trim(line)
        if line ~= "" then out[#out + 1] = line end
      end
    end
  end
  return out
end
local SAMPLE = t.root .. "/corpus"

-- A random string of N pieces from PIECES (seeded: the same strings every run).
local function random_strings(pieces, count, maxn, seed)
  math.randomseed(seed)
  local out = {}
  for i = 1, count do
    local s = {}
    for j = 1, math.random(0, maxn) do s[j] = pieces[math.random(#pieces)] end
    out[i] = table.concat(s)
  end
  return out
end

t.test("L.any is the longest of the strings, as an ordered choice of them", function()
  local function choice(list)
    local sorted = {}
    for i, s in ipairs(list) do sorted[i] = s end
    table.sort(sorted, function(a, b) return #a > #b end)
    local p = P(false)
    for _, s in ipairs(sorted) do p = p + P(s) end
    return p
  end
  local bits = { "a", "b", "ab", "가", "각", "\234", "\176", "x", "" }
  math.randomseed(7)
  local n = 0
  for _ = 1, 1500 do
    local list = random_strings(bits, math.random(0, 8), 4, math.random(1 << 30))
    local a, b = choice(list), L.any(list)
    for _, s in ipairs(random_strings(bits, 8, 6, math.random(1 << 30))) do
      for i = 1, #s + 1 do
        local x, y = a:match(s, i), b:match(s, i)
        if x ~= y then
          t.eq(y, x, ("L.any{%s} on %q at %d"):format(table.concat(list, ","), s, i))
        end
        n = n + 1
      end
    end
  end
  t.ok(n > 50000, "positions compared: " .. n)
  -- the usual cases, by name
  local dl = L.any{ "수정", "최종수정", "입력" }
  t.eq(dl:match("최종수정 2023"), 13)
  t.eq(dl:match("수정일"), 7)
  t.eq(dl:match("최종 수정"), nil)
  t.eq(L.any{}:match("x"), nil)
  t.eq(L.any{ "" }:match("x"), 1)
end)

t.test("the caption quick test passes every line the caption grammars find a credit in", function()
  local G = require("gisa.rules.generic").lib
  local lines = corpus_lines(SAMPLE)
  local pieces = { "사진", "사진 제공", "사진·영상", "제공", "자료", "그래픽", "출처", "이미지", "일러스트",
    "영상", "캡처", "사진제공", "=", ":", "：", " ", "\t", "\194\160", "\227\128\128", "/", ".", "·",
    "(", ")", "[", "]", "<", ">", "【", "】", "▲", "연합뉴스", "AP", "AFP연합뉴스", "게티이미지뱅크",
    "로이터", "김휘선 기자", "hwijpg@", "https://x.example.kr", "행사장", "모습", "12", "\128", "\227" }
  local random = random_strings(pieces, 40000, 9, 42)
  local found, passed = 0, 0
  for _, set in ipairs{ lines, random } do
    for _, s in ipairs(set) do
      local c = G.credit_of(s)
      if c then
        found = found + 1
        if not G.may_credit(s) then t.eq(false, true, ("may_credit(%q) although %q is its credit"):format(s, c)) end
      end
      if G.may_credit(s) then passed = passed + 1 end
    end
  end
  t.ok(found > 1000, "strings with a credit: " .. found)
  -- and it is a test: most strings do not pass it
  t.ok(passed < (#lines + #random) / 2, "strings passed: " .. passed)
  -- the whole caption rule, by name
  t.eq(G.caption({ text = "행사장 모습. /사진=김휘선 기자 hwijpg@" }).credit, "김휘선")
  t.eq(G.caption({ text = "행사장 모습 /연합뉴스" }).credit, "연합뉴스")
  t.eq(G.caption({ text = "행사장 모습 (사진 제공 = 누리과학관)" }).credit, "누리과학관")
  t.eq(G.caption({ text = "자료는 https://x.example.kr 에서 받을 수 있다." }), nil)
end)

local slow_emails = lpeg.Ct((lpeg.C(L.email) + L.char) ^ 0)
-- L.emails against L.email tried at every character, on S; returns the addresses.
local function check_emails(s)
  local a, b = slow_emails:match(s), L.emails:match(s)
  if table.concat(a, " ") ~= table.concat(b, " ") or #a ~= #b then
    t.eq(table.concat(b, " "), table.concat(a, " "), ("addresses in %q"):format(s))
  end
  return a
end

t.test("L.emails finds what trying L.email at every character finds", function()
  local pieces = { "a", "hong", "x.y", "_", "%", "+", "-", ".", "@", "co.kr", "example.com", "kr", "k", "@x.co.kr", "@example.com", "@a.b", "hong@y.kr",
    " ", "가", "기자", "(", ")", "[email protected]", "\128", "\227\128", "1", "Z", "@@", "..", "-x" }
  local n, found = 0, 0
  for _, set in ipairs{ corpus_lines(SAMPLE), random_strings(pieces, 40000, 12, 9) } do
    for _, s in ipairs(set) do
      local a = check_emails(s)
      n, found = n + 1, found + #a
    end
  end
  t.ok(found > 5000, "addresses found: " .. found)
  t.eq(L.emails:match("홍길동 기자 hong@x.co.kr, kim_1@y.com [email protected] hwijpg@"),
    { "hong@x.co.kr", "kim_1@y.com" })
end)

t.test("a rule list without a catch-all: the article fails naming the line", function()
  local d = t.tmpdir() .. "/nocatch"
  os.execute("mkdir -p " .. t.shquote(d .. "/rules"))
  t.write(d .. "/rules/drop.lua", "return { rules = { { id = 'para', off = true }, { id = 'heading', off = true } } }\n")
  local f = t.write(t.tmpdir() .. "/nocatch.txt",
    "제목입니다\n\n본문 첫 문장은 이렇게 길게 이어지고 마침표로 끝납니다. 둘째 문장도 있습니다.\n")
  local r = t.gisa({ "extract", "-I", d, f })
  t.eq(r.code, 1)
  t.contains(r.err, "line 3: no rule matched")
  t.eq(r.out, "")
end)

t.test("a user file of 300 rules: the dispatch (past its 150 local constants) finds what the profiled path finds", function()
  local d = t.tmpdir() .. "/many"
  os.execute("mkdir -p " .. t.shquote(d .. "/rules"))
  local src = { "local lpeg = require 'lpeg'", "local rules = {}" }
  for i = 1, 300 do
    src[#src + 1] = ("rules[#rules + 1] = { id = 'many-%d', role = 'removed', pattern = lpeg.P('잡음%d') * -1, "
      .. "match = function(line) return line.text == '잡음%d' end }"):format(i, i, i)
  end
  src[#src + 1] = "return { rules = rules }"
  t.write(d .. "/rules/many.lua", table.concat(src, "\n") .. "\n")
  local f = t.write(t.tmpdir() .. "/many.txt",
    "제목입니다\n\n잡음7\n잡음299\n본문 첫 문장은 이렇게 길게 이어지고 마침표로 끝납니다.\n잡음300\n")
  local r = t.gisa({ "extract", "-I", d, f })
  t.eq(r.code, 0, r.err)
  local rec = require("cjson").decode(r.out)
  local reasons = {}
  for _, x in ipairs(rec.removed) do reasons[#reasons + 1] = x.reason end
  t.eq(reasons, { "many-7", "many-299", "many-300" })
  t.eq(rec.body, { "본문 첫 문장은 이렇게 길게 이어지고 마침표로 끝납니다." })
end)

-- split_bar against the gmatch pattern it replaced, on S.
local function check_split(G, s)
  local want = {}
  for p in (s .. "|"):gmatch("%s*(.-)%s*|") do want[#want + 1] = p end
  local got = G.split_bar(s)
  if table.concat(got, "\0") ~= table.concat(want, "\0") or #got ~= #want then
    t.eq(got, want, ("split_bar(%q)"):format(s))
  end
end

t.test("split_bar cuts at '|' and trims %s as the gmatch pattern it replaced", function()
  local G = require("gisa.rules.generic").lib
  local pieces = { "|", " ", "\t", "\r", "\v", "\f", "a", "기자", "2023.09.05", "\194\160", "｜", "||" }
  local n = 0
  for _, set in ipairs{ corpus_lines(SAMPLE), random_strings(pieces, 30000, 10, 3) } do
    for _, s in ipairs(set) do
      check_split(G, s)
      n = n + 1
    end
  end
  t.ok(n > 30000, "strings: " .. n)
  t.eq(G.split_bar(" 머니투데이 정지호 기자 | 2023.08.03 05:50 "), { "머니투데이 정지호 기자", "2023.08.03 05:50" })
  t.eq(G.split_bar("|"), { "", "" })
end)

t.test("every shipped rule knows the line of its id, as a search per rule finds it", function()
  local extract = require "gisa.engine"
  local reg = extract.registry()
  -- a plain search per rule: the reference for the one pass over each file
  local function search(src, id)
    local q = id:gsub("%p", "%%%0")
    local pos = src:find("id%s*=%s*[\"']" .. q .. "[\"']")
    if not pos then return nil end
    local n = 1
    for _ in src:sub(1, pos):gmatch("\n") do n = n + 1 end
    return n
  end
  local n = 0
  local function check(list)
    for _, r in ipairs(list or {}) do
      if r.file then
        t.eq(r.line, search(t.read(r.file), r.id), r.file .. ": " .. r.id)
        n = n + 1
      end
    end
  end
  check(reg.base.rules)
  for _, s in ipairs(reg.sites) do check(s.rules) end
  t.ok(n >= 40, "rules checked: " .. n)
end)

t.test("on every line of ../shared/corpus: caption quick test, L.emails and split_bar agree with their grammars", function()
  local lines = corpus_lines(t.need_shared())
  local G = require("gisa.rules.generic").lib
  local credits = 0
  for _, s in ipairs(lines) do
    local c = G.credit_of(s)
    if c then
      credits = credits + 1
      if not G.may_credit(s) then t.eq(false, true, ("may_credit(%q) although %q is its credit"):format(s, c)) end
    end
    check_emails(s)
    check_split(G, s)
  end
  t.ok(#lines > 100, "lines of ../shared/corpus: " .. #lines)
  t.ok(credits >= 1, "lines with a photo credit: " .. credits)
end)
