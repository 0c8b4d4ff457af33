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

local quote_marks = { { "“", "”", { "라고", "고" } }, { "\"", "\"", { "라고", "고" } },
  { "‘", "’", { "라고" } } }
local quotes = lines.quoter{ marks = quote_marks, particles = { "은", "는", "이", "가" },
  pronouns = { "그", "그녀" }, closed = { "”", "\"" }, stops = ".?!" }

-- the quotes of one block of text s as {text, speaker or false} pairs
local function found(s, kind, speaker)
  local qs = {}
  for k, q in ipairs(quotes({ { type = kind or "para", text = s, line = 7, speaker = speaker } })) do
    t.eq(q.line, 7, "the block's line")
    qs[k] = { q.text, q.speaker or false }
  end
  return qs
end

t.test("quoter: reported speech only, each opener to its closer, openers without a closer passed over", function()
  local s = "김 교수는 “이제 시작이다”라고 말했다. “” 빈 것, \"오늘 끝났다\" 보도, “가자 이제 모두\"고 “열린"
  t.eq(found(s), { { "이제 시작이다", "김 교수" } }, "“…”라고; \"…\" with no quotative; “…\" is not a pair")
  t.eq(found("\"a\"라고 \"가나다 라마\"라고"), { { "가나다 라마", false } }, "1 word and 1 character: dropped")
  t.eq(found("“다섯 글자”고 “여섯 글자다”고"), { { "여섯 글자다", false } }, "6 characters at least")
  t.eq(found("“ab cd”고 “abc de”고"), { { "abc de", false } }, "characters, not bytes")
  t.eq(found("“ab \255\255\255\255”고"), { { "ab \255\255\255\255", false } }, "bytes when not UTF-8")
  t.eq(found("없음"), {})
  t.eq(found(""), {})
end)

t.test("quoter: which blocks, and how each kind reads", function()
  t.eq(found("“우리가 이긴다” 그 말."), { { "우리가 이긴다", false } }, "a quote opening the block")
  t.eq(found("앞 “우리가 이긴다” 그 말."), {}, "not at the start: needs a quotative")
  t.eq(found("앞 “우리가 이긴다” 그 말.", "quote"), { { "우리가 이긴다", false } }, "a quote line: every quote")
  t.eq(found("김 교수는 “우리가 이긴다”고", "quote", "박 위원"), { { "우리가 이긴다", "박 위원" } },
    "a quote line's speaker before the subject")
  t.eq(found("“우리가 이긴다”고", "heading"), {}, "other blocks have no quotes")
  local qs = quotes({
    { type = "para", text = "김 교수는 “우리가 이긴다”고 말했다.", line = 1 },
    { type = "answer", text = "“우리는 진다”라고 봅니다.", line = 2 },
    { type = "para", text = "“다시 말하지만 이긴다”고 했다. 그는 “역시 이긴다”고", line = 3 },
    { type = "para", text = "이어 “마지막 말이다”라고", line = 4 },
  })
  t.eq(#qs, 5)
  t.eq(qs[2].speaker, nil, "an answer's opening quote: the interviewee, not named")
  t.eq(qs[3].speaker, nil, "a paragraph's opening quote: no speaker")
  t.eq(qs[4].speaker, "김 교수", "a pronoun: the last speaker")
  t.eq(qs[5].speaker, "김 교수", "no subject: the last speaker")
  t.eq({ qs[1].line, qs[5].line }, { 1, 4 })
  local out = { "kept" }
  t.eq(quotes({ { type = "para", text = "“우리가 이긴다” 그 말.", line = 1 } }, out), out, "appended to out")
  t.eq(out[1], "kept")
  t.eq(out[2].text, "우리가 이긴다")
end)

t.test("quoter: the subject ends in a particle, after the sentence start, a closed quote and a comma", function()
  local q = "“말이 여기 있다”고"
  t.eq(found("배경훈 LG AI 연구원장은 " .. q)[1][2], "배경훈 LG AI 연구원장")
  t.eq(found("첫 문장이다. 그러자 김 교수가 " .. q)[1][2], "그러자 김 교수", "after the last stop and blank")
  t.eq(found("3.5배 늘자 김 교수가 " .. q)[1][2], "3.5배 늘자 김 교수", "a stop without a blank ends nothing")
  t.eq(found("이에 대해, 홍길동 교수는 " .. q)[1][2], "홍길동 교수", "after the last comma")
  t.eq(found("박 씨는 “앞의 말이 있다”고 이 교수는 " .. q)[2][2], "고 이 교수",
    "after the closed quote (its quotative stays)")
  t.eq(found("박 씨는 \"앞의 말이 있다\"고 이 교수는 " .. q)[2][2], "고 이 교수",
    "after a straight closed quote")
  t.eq(found("김 교수의 " .. q)[1][2], false, "no subject particle")
  t.eq(found("는 " .. q)[1][2], false, "a particle alone is no subject")
  t.eq(found("첫 문장. , 는 " .. q)[1][2], false, "nothing left after the comma")
  t.eq(found("“앞의 ‘말’ 여기”며 ‘가나 다라’, \"말\"이 " .. q)[2][2], false, "a quote mark left in it")
  t.eq(found("그녀는\194\160" .. q)[1][2], false, "blanks: NBSP; a pronoun with no speaker before it")
  t.eq(found("박\227\128\128교수\227\128\128는 " .. q)[1][2], "박\227\128\128교수", "U+3000: trimmed at the ends only")
end)

t.test("quoter: misuse raises", function()
  t.checkerr("a mark's open must be a non-empty string", lines.quoter, { marks = { { "", "”" } } })
  t.checkerr("marks must be a table", lines.quoter, {})
  t.checkerr("a mark must be a table", lines.quoter, { marks = { "“" } })
  t.checkerr("particles must be a non-empty string of at most 31 bytes", lines.quoter,
    { marks = {}, particles = { ("가"):rep(11) } })
  local many = {}
  for k = 1, 17 do many[k] = { "“", "”" } end
  t.checkerr("more than 16 marks", lines.quoter, { marks = many })
  t.checkerr("stops must be a string", lines.quoter, { marks = {}, stops = 1 })
  t.checkerr("bad argument #1", quotes, nil)
  t.checkerr("block 1: text must be a string", quotes, { { type = "para" } })
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
