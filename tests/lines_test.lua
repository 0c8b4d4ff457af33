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

t.test("split: its second result is the longest run without a LF, a CR counted", function()
  t.eq(select(2, lines.split("ab\r\nabcd\n\nxyz")), 4)
  t.eq(select(2, lines.split("ab\r\nabc\n")), 3)
  t.eq(select(2, lines.split("")), 0)
  t.eq(select(3, lines.split("a\0b\nc")), true, "its third: a NUL byte in the text")
  t.eq(select(3, lines.split("ab\nc")), false)
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

t.test("needles: a needle's first syllable alone, or its first two cut off at the end, is no hit", function()
  -- the scan looks at the first six bytes of a needle of six or more before comparing
  local ns = lines.needles({ "기자", "이데일리", "ⓒ", "씨" })
  t.eq(ns:mask("기사 기록 이데 이데일"), 0)
  t.eq(ns:mask("기사 기자"), 1)
  t.eq(ns:mask("기자"), 1, "a needle that is the whole text")
  t.eq(ns:mask("이데일리"), 2)
  t.eq(ns:mask("이데일리기"), 2)
  t.eq(ns:mask("기"), 0)
  t.eq(ns:mask("ⓒ씨"), 12, "needles of one character")
  t.eq(ns:mask("김씨 기자"), 9)
end)

t.test("needles: the mask is what plain finds say, in valid text and in text cut mid-character", function()
  -- needles of every shape the scan treats apart: ASCII, two-byte (©), Hangul,
  -- a three-byte symbol (ⓒ), a four-byte one, and some starting with a newline
  local list = { "@", "=", "©", "ⓒ", "기자", "무단전재", "입력 :", "\n머니투데이 ", "😀x", "ab", "이데일리" }
  -- and a set with needles that are parts of a character (the first two bytes
  -- of 가, a continuation byte of 기)
  local parts_list = { "@", "\234\176", "\184\176", "기자" }
  -- and one of long needles only (detection's signs), scanned at sampled
  -- positions: shortest 6 bytes (step 3) with longer ones, newlines, a
  -- needle inside another, and a last needle of 63 bytes
  local long_list = { "기자", "입력 :", "\n머니투데이 ", "이데일리", "데일리", "무단전재", "😀xab", "©ⓒ기",
    string.rep("a", 62) .. "b" }
  local sets = { { lines.needles(list), list }, { lines.needles(parts_list), parts_list },
    { lines.needles(long_list), long_list } }
  local alphabet = { "기", "자", "무", "단", "전", "재", "입", "력", " ", ":", "@", "=", "©", "ⓒ", "\n", "머니투데이",
    "😀", "x", "a", "b", "이데일리", "가", "\194\160", string.rep("a", 40), "데일리" }
  local seed = 12345
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  for _ = 1, 400 do
    local parts = {}
    for k = 1, rnd(30) do parts[k] = alphabet[rnd(#alphabet)] end
    local s = table.concat(parts)
    -- a window cut at any byte, as detection cuts a long text
    local cut = s:sub(rnd(#s + 1), -1):sub(1, rnd(#s + 1))
    -- and bad bytes inside: a stray byte, two ends joined as detection joins them
    local joined = s:sub(1, rnd(#s + 1)) .. "\n" .. s:sub(-rnd(#s + 1))
    for _, x in ipairs({ s, cut, "\255" .. s, s:sub(2), s .. "\255" .. s, joined, cut .. s }) do
      for _, set in ipairs(sets) do
        local want = 0
        for i, nd in ipairs(set[2]) do
          if x:find(nd, 1, true) then want = want | (1 << (i - 1)) end
        end
        t.eq(set[1]:mask(x), want, x)
        -- a window of the ends, as detection reads a long text, without the string
        local w = rnd(#x + 1) - 1
        local win = w > 0 and #x > 2 * w and x:sub(1, w) .. "\n" .. x:sub(-w) or x
        t.eq(set[1]:mask(x, w), set[1]:mask(win), "window " .. w)
        -- and each line's mask from split (valid lines go a character at a time)
        -- and its length: characters when it is UTF-8 (in a valid text they are
        -- counted, not decoded), else bytes
        for _, l in ipairs(lines.split(x, set[1])) do
          t.eq(l.len, utf8.len(l.text) or #l.text, l.text)
          local lw = 0
          for i, nd in ipairs(set[2]) do
            if l.text:find(nd, 1, true) then lw = lw | (1 << (i - 1)) end
          end
          if l.text ~= "" then t.eq(l.mask, lw, l.text) end
        end
      end
    end
  end
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
  local corpus = require "gisa.pipeline.corpus"
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

local scan = lines.quotemarks{ { "“", "”", after = { "이라고", "라고", "고" } }, { "\"", "\"" },
  { "‘", "’" } }

-- the quotes of s as {open, first, last, after, mark, sentence start, said} lists
local function marks(s)
  local out, buf = {}, {}
  for k = 0, scan(s, buf) - 1 do
    out[#out + 1] = { table.unpack(buf, 7 * k + 1, 7 * k + 7) }
  end
  return out
end

t.test("quotemarks: each opener to its closer; empty and unclosed ones passed over", function()
  local s = "김 교수는 “이제”라고 했다. “” 빈 것, \"끝\" 보도, “열린"
  local m = marks(s)
  t.eq(#m, 2)
  local open, from, to, after, mark = table.unpack(m[1])
  t.eq({ s:sub(open, from - 1), s:sub(from, to), s:sub(after, after + 5), mark }, { "“", "이제", "라고", 1 })
  t.eq(s:sub(m[2][2], m[2][3]), "끝")
  t.eq(m[2][5], 2)
  t.eq({ m[1][7], m[2][7] }, { 2, 0 }, "the word after the closing mark: 라고 (the first that fits), none")
  t.eq(marks(""), {})
  t.eq(marks("없음"), {})
  t.eq(#marks("“안 ‘겹친’ 말”고"), 1, "marks inside a quote are part of it")
end)

t.test("quotemarks: the sentence a quote is in starts after a stop and a blank", function()
  local s = "첫 문장이다. 김 교수는 “말”고 3.5배 “둘”고"
  local m = marks(s)
  t.eq(s:sub(m[1][6], m[1][6] + 2), "김")
  t.eq(m[2][6], m[1][6], "3.5 is no sentence end")
  t.eq(marks("가. \194\160나 “말”")[1][6], 8, "NBSP is a blank")
end)

t.test("quotemarks: linear in the text (40,000 unclosed openers, 40,000 closed quotes)", function()
  local open = ("“"):rep(40000) .. "말"
  t.eq(scan(open), 0)
  local closed = ("“가 나”고 "):rep(40000)
  t.eq(scan(closed, {}), 40000)
  -- no sentence stop anywhere: the text before each quote is read once
  local function time(n)
    local t0 = os.clock()
    scan(("“가 나”고말"):rep(n), {})
    return os.clock() - t0
  end
  local small, big = time(4000), time(40000)
  t.ok(big < 40 * small + 0.05, string.format("no stops: %.3f s against %.3f s", big, small))
end)

t.test("quotemarks: misuse raises", function()
  t.checkerr("a mark's open must be a non-empty string", lines.quotemarks, { { "", "”" } })
  t.checkerr("a mark must be a table", lines.quotemarks, { "“" })
  t.checkerr("1 to 16 marks", lines.quotemarks, {})
  t.checkerr("a word after a mark must be a non-empty string", lines.quotemarks, { { "“", "”", after = { "" } } })
  local many = {}
  for k = 1, 17 do many[k] = { "“", "”" } end
  t.checkerr("1 to 16 marks", lines.quotemarks, many)
  t.checkerr("too many stop bytes", lines.quotemarks, { { "“", "”" } }, "123456789")
  t.checkerr("bad argument #1", scan, nil)
end)

-- the words of s[lo..pos] read right to left with lines.wordback
local function back(s, lo, pos)
  local out = {}
  while true do
    local w, start = lines.wordback(s, lo, pos)
    if not w then break end
    out[#out + 1] = w .. "@" .. start
    pos = start - 1
  end
  return table.concat(out, " ")
end

t.test("wordback: words right to left, cut at blanks, commas, · and …", function()
  t.eq(back("김민수 한빛대, 교수는 “", 1, #"김민수 한빛대, 교수는 "), "교수는@22 한빛대@11 김민수@1")
  t.eq(back("가·나…다", 1, #"가·나…다"), "다@12 나@6 가@1")
  t.eq(back("  \t", 1, 3), "")
  t.eq(back("", 1, 0), "")
  t.eq(back("가나 다라", 4, 10), "다@8 나@4", "only s[lo..pos]")
  t.eq(back("가나 다라", 8, 13), "다라@8")
end)

t.test("wordback: a parenthesis group is left out, glued or alone", function()
  t.eq(back("도하진(19)는 (주) 김(a(b))씨", 1, #"도하진(19)는 (주) 김(a(b))씨"), "김씨@24 도하진는@1")
  t.eq(back("x)y (z", 1, 6), "(z@5 x)y@1", "unbalanced marks are letters")
  local many = ("가)"):rep(20000)
  local w = lines.wordback(many, 1, #many)
  t.eq(#w, #many, "a run of unmatched ) reads in bounded looks")
end)

t.test("wordback: misuse raises", function()
  t.checkerr("position out of bounds", lines.wordback, "abc", 0, 2)
  t.checkerr("position out of bounds", lines.wordback, "abc", 1, 9)
end)

t.test("table: an empty table with room for items and fields; misuse raises", function()
  local x = lines.table(32, 4)
  t.eq(next(x), nil)
  t.eq(#x, 0)
  for i = 1, 40 do x[#x + 1] = i end
  t.eq(#x, 40)
  t.eq(x[40], 40)
  t.eq(next(lines.table(0)), nil)
  t.checkerr("size out of range", lines.table, -1)
  t.checkerr("size out of range", lines.table, 1, 1 << 30)
  -- a record's empty lists (made this way) are still written as []
  local rec = require("gisa.engine.record").new("a.txt", "utf-8")
  t.eq(require("gisa.output.json").encode(rec.blocks), "[]")
  t.eq(rec.title, nil)
end)

t.test("split after plain: the text plain passed is not checked again, and the others still are", function()
  local good = string.rep("가나다 라마\n", 30) .. "끝"
  local bad = string.rep("가나다 라마\n", 30) .. "\255끝"
  local function lens(ls) local o = {} for i, l in ipairs(ls) do o[i] = l.len .. ":" .. (l.fc or "-") end return table.concat(o, " ") end
  local fresh_good, fresh_bad = lens(lines.split(good)), lens(lines.split(bad))
  t.eq(lines.plain(good), true)
  t.eq(lens(lines.split(good)), fresh_good)
  t.eq(lens(lines.split(bad)), fresh_bad, "another string is checked")
  t.eq(lines.split(bad)[31].len, 4, "its bad line counted in bytes")
  t.eq(lines.plain(bad), false)
  t.eq(lens(lines.split(bad)), fresh_bad, "a string plain refused is checked")
  t.eq(lens(lines.split(good)), fresh_good)
end)
