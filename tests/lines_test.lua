-- gisa.lines: an article cut into trimmed, numbered lines with needle masks (C).
local t = require "t"
local lines = require "gisa.lines"

t.test("split: numbered lines, raw without CR, text trimmed (NBSP, U+3000), length in characters", function()
  local ls = lines.split("  제목 \r\n\n\194\160본문 끝.\227\128\128\nlast")
  t.eq(#ls, 4)
  t.eq(ls[1].n, 1); t.eq(ls[1].raw, "  제목 "); t.eq(ls[1].text, "제목"); t.eq(ls[1].len, 2)
  t.eq(ls[2].raw, ""); t.eq(ls[2].text, ""); t.eq(ls[2].len, 0); t.eq(ls[2].fc, nil, "a blank line: n, raw, text, len only")
  t.eq(ls[3].text, "본문 끝."); t.eq(ls[3].len, 5); t.eq(ls[3].fc, "본")
  t.eq(ls[4].text, "last"); t.eq(ls[4].fc, "l")
  t.eq(ls[1].mask, nil, "no mask without a needle set")
  t.eq(#lines.split(""), 0)
  t.eq(#lines.split("a\n"), 1, "a final LF ends the last line")
  local bad = lines.split("\255ab")[1]
  t.eq(bad.len, 3, "not UTF-8: bytes")
  t.eq(bad.fc, "", "no first character")
end)

t.test("needles: the mask holds bit i-1 when the text holds the i-th needle", function()
  local ns = lines.needles({ "@", "기자", "ⓒ", "무단전재" })
  t.eq(ns:count(), 4)
  t.eq(ns:mask("홍길동 기자 hong@x.kr"), 3)
  t.eq(ns:mask("ⓒ 무단전재"), 12)
  t.eq(ns:mask("무단"), 0, "a needle cut off at the end does not count")
  t.eq(ns:mask(""), 0)
  local ls = lines.split("a@b\n기자", ns)
  t.eq(lines.split("a@b\n기자", ns, 2)[1].mask, nil, "no mask past maxlen")
  t.eq(ls[1].mask, 1); t.eq(ls[2].mask, 2)
end)

t.test("needles: misuse raises", function()
  local many = {}
  for i = 1, 65 do many[i] = "n" .. i end
  t.checkerr("more than 64 needles", lines.needles, many)
  t.checkerr("strings of 1 to 63 bytes", lines.needles, { "" })
  t.checkerr("strings of 1 to 63 bytes", lines.needles, { string.rep("x", 64) })
end)

t.test("plain: valid UTF-8 without BOM or control bytes (tab and LF allowed)", function()
  t.eq(lines.plain("기사\tbody\n"), true)
  t.eq(lines.plain(""), true)
  t.eq(lines.plain("a\r\nb"), false, "CR")
  t.eq(lines.plain("\239\187\191x"), false, "BOM")
  t.eq(lines.plain("abcdefgh\0"), false, "NUL")
  t.eq(lines.plain("abc\127"), false, "DEL")
  t.eq(lines.plain("\27$)C"), false, "ESC")
  t.eq(lines.plain("가\255"), false, "not UTF-8")
end)

t.test("corpus.read of plain UTF-8 skips decoding and reports what enc.decode reports", function()
  local corpus = require "gisa.corpus"
  local enc = require "gisa.enc"
  local dir = t.tmpdir()
  local s = "제목\n\n본문 “인용” 끝.\n"
  t.write(dir .. "/a.txt", s)
  local text, info = corpus.read(dir .. "/a.txt")
  local _, want = enc.decode(s)
  t.eq(text, s)
  for _, k in ipairs({ "encoding", "replaced", "nuls", "bom", "newlines", "bytes", "confidence", "evidence" }) do
    t.eq(info.report[k], want[k], k)
  end
  t.eq(#info.warnings, 0)
end)

t.test("quotes: each opener to its closer, the first 'after' word at the end, openers without a closer passed over", function()
  local marks = { { "“", "”", { "라고", "고" } }, { "\"", "\"" } }
  local s = "그는 “가자”고 했다. “” 빈 것, \"ok\" 끝 “열린"
  local q = lines.quotes(s, marks)
  t.eq(#q, 2, "two quotes")
  t.eq(q[1][1], s:find("“", 1, true), "pos of the first opener")
  t.eq(q[1][2], "가자")
  t.eq(q[1][3], "고", "the first after word that follows")
  t.eq(q[1][4], select(2, s:find("”", 1, true)) + 1, "stop: the byte after the closer")
  t.eq(q[2][2], "ok")
  t.eq(q[2][3], false, "a mark without after words")
  t.eq(#lines.quotes("없음", marks), 0)
  t.eq(lines.quotes("“a”라고", { { "“", "”", { "라", "라고" } } })[1][3], "라", "after words in order, not longest")
  t.checkerr("non-empty", lines.quotes, "x", { { "", "”" } })
end)
