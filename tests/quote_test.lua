-- gisa.quote: the quote finder's per-block pass compiled to C (the finder
-- itself, its equality with the Lua definition, is tests/quotes_test.lua's).
local t = require "t"
local quote = require "gisa.quote"
local words = require "gisa.analysis.quotewords"

local finder = quote.finder(words)

-- The values finder:block gives, one table a quote.
local function block(s, line)
  local out = {}
  local n, marks = finder:block(s, line, out)
  local qs = {}
  for k = 0, n - 1 do qs[#qs + 1] = { table.unpack(out, 13 * k + 1, 13 * k + 13) } end
  return qs, marks
end

t.test("a finder is built from the word lists, once", function()
  t.ok(tostring(finder):find("^gisa.quote.Finder %(3 marks, %d+ verbs, %d+ titles%)"), tostring(finder))
  t.eq({ finder:block("", false, {}) }, { -1, 0 }, "no quote and no mark opening the block: -1")
  t.eq({ finder:block("“열린 채", false, {}) }, { 0, 0 }, "a mark opens it: 0 (a quote may run on)")
end)

t.test("block: a quote with its verb and a name and title before it", function()
  local s = "김민수 한빛대 교수는 “오늘은 길게 말하겠다”고 말했다."
  local qs, marks = block(s)
  t.eq(marks, 1)
  local q = qs[1]
  t.eq(q[1], "오늘은 길게 말하겠다")
  t.eq(s:sub(q[2], q[2] + 2), "“")
  t.eq(q[6], "말했다", "the verb")
  t.eq({ q[10], q[11], q[12], q[13] }, { 1, "김민수", "교수", "한빛대" }, "named: name, title, org")
end)

t.test("block: a pronoun, a surname and title, no subject, the text after the quote", function()
  t.eq(block("그는 “이것은 긴 인용이다”라고 밝혔다.")[1][10], 2, "그는: a pronoun")
  local q = block("주 위원장은 “이것은 긴 인용이다”라고 밝혔다.")[1]
  t.eq({ q[10], q[11], q[12], q[13] }, { 3, "주", "위원장", false }, "주 위원장은: a surname and title")
  t.eq(block("“이것은 긴 인용이다”라고 밝혔다.")[1][10], 6, "opens the block, nothing after: plain")
  t.eq(block("또 “이것은 긴 인용이다”라고 밝혔다.")[1][10], 5, "no candidate before: none")
  local s = "“이것은 긴 인용이다”라고 김 교수는 말했다."
  q = block(s)[1]
  t.eq({ q[10], s:sub(q[11] - 8, q[11]) }, { 7, "말했다" }, "the text after it, up to its verb")
  q = block("김민수 한빛대 AI 교수는 “이것은 긴 인용이다”라고 밝혔다.")[1]
  t.eq({ q[10], q[11], q[12], q[13] }, { 1, "김민수", "교수", "한빛대 AI" }, "a name read past two words")
  q = block("그 회사 윤 대표가 “이것은 긴 인용이다”라고 밝혔다.")[1]
  t.eq({ q[10], q[11], q[12] }, { 3, "윤", "대표" })
  t.eq(block("회사 직원들이 “이것은 긴 인용이다”라고 밝혔다.")[1][10], 6, "no one named: plain")
  t.eq(block("카를로스 멘데스 교수는 “이것은 긴 인용이다”라고 밝혔다.")[1][10], 8,
    "a foreign name: handed back")
end)

t.test("block: short quotes, quotes with no space, and terms in ‘…’ are not taken", function()
  local qs, marks = block("그는 “짧다”고 했다. ‘긴 용어 하나’를 썼다. “띄어쓰기가없는인용”이라고 했다.")
  t.eq({ #qs, marks }, { 0, 3 })
  t.eq(#block("“짧은 것도 되나”", true), 1, "a quote line takes any quote with a space")
end)

t.test("block: linear in the text (40,000 unclosed openers, 40,000 quotes with no 다)", function()
  local function time(s)
    local t0 = os.clock()
    finder:block(s, false, {})
    return os.clock() - t0
  end
  local small = time(("“"):rep(4000) .. "말")
  local big = time(("“"):rep(40000) .. "말")
  t.ok(big < 0.5 and big < 40 * small + 0.05, string.format("unclosed: %.3f s against %.3f s", big, small))
  local n = select(1, finder:block(("김 교수는 “가 나 다라 마바”고말 "):rep(40000), false, {}))
  t.eq(n, 40000)
  small = time(("그 회사는 “가 나 다라 마바”고말"):rep(4000))
  big = time(("그 회사는 “가 나 다라 마바”고말"):rep(40000))
  t.ok(big < 2 and big < 40 * small + 0.05, string.format("glued quotes: %.3f s against %.3f s", big, small))
end)

t.test("block: bad bytes and words longer than it reads are handled, positions inside the text", function()
  local long = ("가"):rep(2000)
  local s = long .. "는 “이것은 긴 인용이다”고 " .. long .. "다. \255\254 “\255 \128\128\128\128”라고"
  local qs = block(s)
  t.eq(#qs, 2)
  for _, q in ipairs(qs) do
    t.ok(q[2] >= 1 and q[3] <= #s + 1 and (q[9] == 0 or q[9] < q[2]), "positions inside the text")
  end
  t.eq(qs[2][1], "\255 \128\128\128\128", "invalid UTF-8: 6 bytes or more is long enough")
end)

t.test("misuse raises", function()
  t.checkerr("bad argument #1", quote.finder, nil)
  t.checkerr("the word list 'verbs' must be a table", quote.finder, { marks = { { "“", "”" } } })
  t.checkerr("1 to 16 marks", quote.finder, { marks = {} })
  t.checkerr("a mark's open must be a non-empty string", quote.finder, { marks = { { "", "”" } } })
  t.checkerr("bad argument #2", finder.block, finder, nil, false, {})
  t.checkerr("bad argument #4", finder.block, finder, "가", false, nil)
  t.checkerr("gisa.quote.Finder expected", finder.block, {}, "가", false, {})
end)
