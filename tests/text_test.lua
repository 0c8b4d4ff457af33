-- gisa.text: unit tests of every function, side by side with Lua's utf8 library
-- on generated valid and invalid strings, and the malformed-input cases
-- (overlong forms, surrogates, truncated sequences, 0xFF, NUL).
local t = require "t"
local text = require "gisa.text"
local oracle = require "oracle"

local INV = "invalid UTF-8"

-- Fragments to build test strings from: valid characters of every length, and
-- every kind of malformed sequence.
local valid_frags = { "a", "Z", " ", "\0", "\x7F", "é", "\u{7FF}", "\u{800}", "한", "국", "\u{D7FF}",
  "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}", "\r\n", "." }
local bad_frags = {
  "\xC0\x80", "\xC1\xBF",                 -- overlong 2-byte
  "\xE0\x80\x80", "\xE0\x9F\xBF",         -- overlong 3-byte
  "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF", -- overlong 4-byte
  "\xED\xA0\x80", "\xED\xBF\xBF",         -- surrogates
  "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", -- past U+10FFFF
  "\xFF", "\xFE", "\xF8\x88\x80\x80\x80", -- never valid
  "\xEA\xB0", "\xF0\x9F\x98", "\xC3",     -- truncated
  "\x80", "\xBF",                         -- stray continuation
}

local function gen(rng, nbad)
  local parts = {}
  for i = 1, rng(0, 12) do parts[i] = valid_frags[rng(1, #valid_frags)] end
  for _ = 1, nbad do table.insert(parts, rng(1, #parts + 1), bad_frags[rng(1, #bad_frags)]) end
  return table.concat(parts)
end

local function pack(...) return { n = select("#", ...), ... } end

-- the outcome of a call: values, or the reason inside "bad argument #k to 'f' (reason)"
local function outcome(f, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return { table.unpack(r, 2, r.n) } end
  local msg = tostring(r[2])
  return { err = msg:match("%((.*)%)$") or msg:gsub("^.-:%d+: ", "") }
end

t.test("side by side with utf8: len, offset, codepoint, char on generated strings", function()
  math.randomseed(20240601)
  local rng = math.random
  local checked = 0
  for iter = 1, 4000 do
    local s = gen(rng, iter % 3 == 0 and rng(1, 2) or 0)
    t.eq(outcome(text.len, s), outcome(utf8.len, s), "len " .. string.format("%q", s))
    for _ = 1, 4 do
      local i, j = rng(-#s - 2, #s + 2), rng(-#s - 2, #s + 2)
      t.eq(outcome(text.len, s, i, j), outcome(utf8.len, s, i, j), ("len(%q, %d, %d)"):format(s, i, j))
      local n = rng(-4, 4)
      t.eq(outcome(text.offset, s, n, i), outcome(utf8.offset, s, n, i), ("offset(%q, %d, %d)"):format(s, n, i))
      t.eq(outcome(text.offset, s, n), outcome(utf8.offset, s, n), ("offset(%q, %d)"):format(s, n))
      local want = outcome(utf8.codepoint, s, i, j)
      local got = outcome(text.codepoint, s, i, j)
      if want.err == "invalid UTF-8 code" then
        -- utf8 raises on bad data; gisa returns nil, "invalid UTF-8", pos
        t.eq(got[1], nil, ("codepoint(%q, %d, %d)"):format(s, i, j))
        t.eq(got[2], INV)
        t.eq(type(got[3]), "number")
      else
        t.eq(got, want, ("codepoint(%q, %d, %d)"):format(s, i, j))
      end
      checked = checked + 1
    end
  end
  for _ = 1, 2000 do
    local cps = {}
    for k = 1, rng(0, 5) do
      local c = rng(0, 0x10FFFF)
      if c >= 0xD800 and c <= 0xDFFF then c = c - 0x800 end
      cps[k] = c
    end
    t.eq(text.char(table.unpack(cps)), utf8.char(table.unpack(cps)))
  end
  t.ok(checked == 16000)
end)

t.test("side by side with utf8: codes, chars and valid agree; bad data is rejected", function()
  math.randomseed(7)
  local rng = math.random
  for iter = 1, 3000 do
    local s = gen(rng, iter % 2 == 0 and 1 or 0)
    local n, bad = utf8.len(s)
    local ok, firstbad = text.valid(s)
    t.eq(ok, n ~= nil, "valid " .. string.format("%q", s))
    t.eq(firstbad, bad)
    local got, gotc = {}, {}
    local okc, err = pcall(function() for p, c in text.codes(s) do got[#got + 1] = { p, c } end end)
    local okh = pcall(function() for p, ch in text.chars(s) do gotc[#gotc + 1] = { p, utf8.codepoint(ch) } end end)
    if n then
      local want = {}
      for p, c in utf8.codes(s) do want[#want + 1] = { p, c } end
      t.ok(okc and okh, "codes failed on valid input: " .. tostring(err))
      t.eq(got, want, "codes " .. string.format("%q", s))
      t.eq(gotc, want, "chars " .. string.format("%q", s))
    else
      -- strict: Lua 5.4.4's codes() lets a stray continuation byte through; gisa never does
      t.ok(not okc and not okh, "codes accepted " .. string.format("%q", s))
      t.match(err, "invalid UTF%-8 at position %d+")
    end
  end
end)

t.test("sub agrees with string.sub over utf8.offset on valid strings", function()
  math.randomseed(99)
  local rng = math.random
  for _ = 1, 3000 do
    local s = gen(rng, 0)
    local n = utf8.len(s)
    local i, j = rng(-n - 2, n + 1), rng(-n - 2, n + 2)
    -- reference: character positions resolved like string.sub, then bytes
    local ri = i < 0 and math.max(n + i + 1, 1) or math.max(i, 1)
    local rj = j < 0 and n + j + 1 or math.min(j, n)
    local want = ri > rj and "" or s:sub(utf8.offset(s, ri), utf8.offset(s, rj + 1) - 1)
    t.eq(text.sub(s, i, j), want, ("sub(%q, %d, %d)"):format(s, i, j))
  end
end)

t.test("code points: exact values and error messages", function()
  t.eq(text.len("한국어 abc"), 7)
  t.eq(text.len(""), 0)
  t.eq({ text.len("ab\xFFcd") }, { nil, 3 })
  t.eq(text.len("한국어", 4), 2)
  t.eq({ text.len("한국어", 2) }, { nil, 2 })     -- a continuation byte, as utf8.len
  t.checkerr("initial position out of bounds", text.len, "abc", 5)
  t.checkerr("final position out of bounds", text.len, "abc", 1, 4)
  t.eq(text.sub("한국어abc", 2, 4), "국어a")
  t.eq(text.sub("한국어", -2), "국어")
  t.eq(text.sub("한국어", 4), "")
  t.eq(text.sub("한국어", 2, 100), "국어")
  t.eq(text.sub("한국어", 0), "한국어")
  t.checkerr("position out of bounds", text.sub, "abc", 9)
  t.eq({ text.sub("ab\xC0\x80", 1, 4) }, { nil, INV, 3 })
  t.eq(text.sub("ab\xC0\x80", 1, 2), "ab")       -- only what it reads must be valid
  t.eq({ text.sub("ab\xC0\x80", -1) }, { nil, INV, 3 })
  t.eq(text.offset("한국어", 2), 4)
  t.eq(text.offset("한국어", -1), 7)
  t.eq(text.offset("한국어", 0, 5), 4)
  t.eq(text.offset("한국어", 5), nil)
  t.checkerr("initial position is a continuation byte", text.offset, "한국어", 1, 2)
  t.checkerr("position out of bounds", text.offset, "abc", 1, 5)
  t.eq({ text.codepoint("한국어", 1, -1) }, { 0xD55C, 0xAD6D, 0xC5B4 })
  t.eq({ text.codepoint("가", 1, 1) }, { 0xAC00 })   -- a character that runs past j
  t.eq({ text.codepoint("a\xED\xA0\x80", 1, -1) }, { nil, INV, 2 })
  t.checkerr("out of bounds", text.codepoint, "abc", 0)
  t.checkerr("out of bounds", text.codepoint, "abc", 1, 4)
  t.eq(text.char(0xD55C, 0x41, 0), "한A\0")
  t.eq(text.char(), "")
  t.checkerr("value out of range", text.char, 0xD800)
  t.checkerr("value out of range", text.char, 0x110000)
  t.checkerr("value out of range", text.char, -1)
  local got = {}
  for p, c in text.chars("a한😀") do got[#got + 1] = p .. "=" .. c end
  t.eq(got, { "1=a", "2=한", "5=😀" })
end)

t.test("valid and clean: maximal subparts become U+FFFD", function()
  t.eq(text.valid("한국어"), true)
  t.eq({ text.valid("ab\xC0\x80") }, { false, 3 })
  t.eq({ text.valid("\xED\xA0\x80") }, { false, 1 })
  t.eq({ text.valid("abc\xEA\xB0") }, { false, 4 })
  t.eq({ text.valid("\0\0\xFF") }, { false, 3 })
  t.eq({ text.clean("ok") }, { "ok", 0 })
  -- the W3C/WHATWG examples: C0 80 is two errors, a truncated E2 82 one
  t.eq({ text.clean("a\xC0\x80b\xE2\x82") }, { "a\u{FFFD}\u{FFFD}b\u{FFFD}", 3 })
  t.eq({ text.clean("\xF0\x9F\x98x") }, { "\u{FFFD}x", 1 })
  t.eq({ text.clean("\xED\xA0\x80") }, { "\u{FFFD}\u{FFFD}\u{FFFD}", 3 })
  t.eq({ text.clean("\xF4\x90\x80\x80") }, { ("\u{FFFD}"):rep(4), 4 })
  t.eq({ text.clean("a\xFFb", "?") }, { "a?b", 1 })
  t.eq({ text.clean("a\xFF\xFEb", "") }, { "ab", 2 })
  -- long text: the fast validator hands over to the exact decoder
  local long = ("한국어 텍스트 "):rep(100)
  t.eq({ text.clean(long .. "\xFF" .. long) }, { long .. "\u{FFFD}" .. long, 1 })
  t.eq({ text.valid(long .. "\xEA\xB0") }, { false, #long + 1 })
end)

t.test("normalize and is_normalized: fast paths and Hangul", function()
  local s = "한국어 텍스트 abc"
  t.eq(text.normalize(s), s)
  t.eq(text.is_normalized(s), true)
  local nfd = text.normalize(s, "NFD")
  t.eq(#nfd, #s + 8 * 3 + 3, "6 syllables with 3 jamo and 3 with 2, of 3 bytes each")
  t.eq(text.is_normalized(nfd, "NFD"), true)
  t.eq(text.is_normalized(nfd, "NFC"), false)
  t.eq(text.normalize(nfd, "NFC"), s)
  t.eq(text.normalize("\u{1100}\u{1161}\u{11A8}", "NFC"), "각")
  t.eq(text.normalize("가\u{11A8}", "NFC"), "각")             -- LV + T
  t.eq(text.normalize("각\u{11A8}", "NFC"), "각\u{11A8}")     -- LVT + T does not compose
  t.eq(text.normalize("\u{1161}\u{11A8}", "NFC"), "\u{1161}\u{11A8}")
  t.eq(text.normalize("e\u{301}", "NFC"), "é")
  t.eq(text.normalize("é", "NFD"), "e\u{301}")
  t.eq(text.normalize("a\u{301}\u{316}", "NFD"), "a\u{316}\u{301}")  -- canonical order
  t.eq(text.normalize("\u{212B}", "NFC"), "Å")                -- a singleton
  t.eq(text.normalize("ｱ①ﬁ", "NFKC"), "ア1fi")
  t.eq(text.normalize("ㄱ", "NFKC"), "\u{1100}")
  t.eq(text.normalize("", "NFD"), "")
  t.eq({ text.normalize("a\xFF", "NFC") }, { nil, INV, 2 })
  t.eq({ text.normalize("가\xFF", "NFD") }, { nil, INV, 4 })
  t.eq({ text.is_normalized("\xC0\x80") }, { nil, INV, 1 })
  t.checkerr("invalid option 'NFX'", text.normalize, "a", "NFX")
  -- against utf8proc itself on mixed strings
  math.randomseed(3)
  local pool = { "가", "\u{1100}", "\u{1161}", "\u{11A8}", "e", "\u{301}", "\u{316}", "Å", "\u{212B}",
    "ｱ", "①", " ", "a", "\u{F900}", "\u{0958}", "\u{1E0A}", "\u{323}", "ᄀ", "ᅡ" }
  for _ = 1, 3000 do
    local p = {}
    for k = 1, math.random(1, 10) do p[k] = pool[math.random(#pool)] end
    local x = table.concat(p)
    for _, form in ipairs { "NFC", "NFD", "NFKC", "NFKD" } do
      t.eq(text.normalize(x, form), oracle.utf8proc(x, form), form .. " of " .. string.format("%q", x))
    end
  end
end)

t.test("case: lower, upper, fold, equal_fold", function()
  t.eq(text.lower("ÀBC한국 ΣΑ"), "àbc한국 σα")
  t.eq(text.upper("abc한국 straße"), "ABC한국 STRAẞE")
  t.eq(text.fold("Straße ǅ ﬁ"), "strasse ǆ fi")
  local k = "한국어"
  t.eq(rawequal(text.lower(k), k), true)
  t.eq(text.equal_fold("STRASSE", "straße"), true)
  t.eq(text.equal_fold("Hello", "hellO"), true)
  t.eq(text.equal_fold("Hello", "Help"), false)
  t.eq(text.equal_fold("한국", text.normalize("한국", "NFD")), true)   -- canonical equivalence
  t.eq(text.equal_fold("Å", "\u{212B}"), true)
  t.eq(text.equal_fold("ǅ", "ǆ"), true)
  t.eq({ text.lower("A\xFF") }, { nil, INV, 2 })
  t.eq({ text.equal_fold("a", "\xFF") }, { nil, INV, 1 })
end)

t.test("width, truncate, pad", function()
  t.eq(text.width("한국어 abc"), 10)
  t.eq(text.width("ｱＡ"), 3)                         -- halfwidth katakana 1, fullwidth A 2
  t.eq(text.width("e\u{301}"), 1)
  t.eq(text.width(text.normalize("한국", "NFD")), 4)  -- conjoining jamo count once
  t.eq(text.width("…·"), 2)
  t.eq(text.width("…·", 2), 4)
  t.eq(text.width("a\tb\0"), 2)
  t.eq(text.width("😀"), 2)
  t.checkerr("ambiguous width must be 1 or 2", text.width, "a", 3)
  t.eq({ text.width("a\xFF") }, { nil, INV, 2 })
  t.eq(text.truncate("한국어 텍스트", 20), "한국어 텍스트")
  t.eq(text.truncate("한국어 텍스트", 8), "한국어 …")
  t.eq(text.truncate("한국어 텍스트", 7), "한국어…")
  t.eq(text.truncate("한국어 텍스트", 6), "한국…")
  t.eq(text.truncate("한국어", 3, ""), "한")
  t.eq(text.truncate("abcdef", 4, "..."), "a...")
  t.eq(text.truncate("abcdef", 2, "..."), "ab")       -- no room for the ellipsis
  t.eq(text.truncate("👨‍👩‍👧 family", 3), "…")   -- a cluster is never split
  t.checkerr("columns must not be negative", text.truncate, "a", -1)
  t.eq(text.pad("한", 5), "한   ")
  t.eq(text.pad("한", 5, "right"), "   한")
  t.eq(text.pad("한", 5, "center"), " 한  ")
  t.eq(text.pad("한국어", 4), "한국어")
  t.checkerr("invalid option 'middle'", text.pad, "a", 3, "middle")
end)

t.test("graphemes: emoji, flags, jamo sequences stay whole", function()
  local got = {}
  local nfd = text.normalize("한글", "NFD")
  for p, g in text.graphemes("a🇰🇷e\u{301}👨‍👩‍👧" .. nfd .. "\r\n") do got[#got + 1] = p .. ":" .. g end
  t.eq(got, { "1:a", "2:🇰🇷", "10:e\u{301}", "13:👨‍👩‍👧", "31:" .. text.sub(nfd, 1, 3),
    "40:" .. text.sub(nfd, 4, 6), "49:\r\n" })
  t.checkerr("invalid UTF-8 at position 2", function() for _ in text.graphemes("a\xFF") do end end)
end)

t.test("category and classes", function()
  t.eq(text.category("A"), "Lu")
  t.eq(text.category("한"), "Lo")
  t.eq(text.category(0x3000), "Zs")
  t.eq(text.category(0x301), "Mn")
  t.eq(text.category(0x378), "Cn")
  t.checkerr("value out of range", text.category, 0x110000)
  t.checkerr("empty string", text.category, "")
  t.eq({ text.category("\xFF") }, { nil, INV, 1 })
  t.eq(text.classes("한국 漢字 abc 123 !? ₩ ㅋ é\u{3000}Ω\u{200B}"),
    { hangul = 3, hanja = 2, latin = 4, digit = 3, space = 9, punct = 2, symbol = 1, other = 1 })
  t.eq(text.classes(""), { hangul = 0, hanja = 0, latin = 0, digit = 0, space = 0, punct = 0, symbol = 0, other = 0 })
  t.eq({ text.classes("가\xED\xA0\x80") }, { nil, INV, 4 })
end)

t.test("trim and squeeze: Unicode and zero-width spaces", function()
  t.eq(text.trim("\u{3000} 가 나 \u{200B}\n"), "가 나")
  t.eq(text.trim("\u{A0}\u{FEFF}x\u{2009}"), "x")
  local s = "no spaces"
  t.eq(rawequal(text.trim(s), s), true)
  t.eq(text.trim(" \t\r\n "), "")
  t.eq(text.trim("a\xFF "), "a\xFF")                   -- bad bytes are kept, not space
  t.eq(text.squeeze("  a \u{A0}\u{200B} b\t\nc  "), "a b c")
  t.eq(text.squeeze("가\u{3000}\u{3000}나\u{200D}다"), "가 나 다")
  t.eq(rawequal(text.squeeze(s), s), true)
  t.eq(text.squeeze(""), "")
end)

t.test("pairs: a table of key<TAB>value lines", function()
  t.eq(text.pairs("# 주석\tx\n가\tn\n\tz\n나\t\n다\tb\r\n홀로\n가\tv"),
    { ["가"] = "v", ["나"] = "", ["다"] = "b" })
  t.eq(text.pairs(""), {})
  t.eq(text.pairs("a=1\nb=2=3\n", "="), { a = "1", b = "2=3" })
  t.eq(pcall(text.pairs, "a,b", ",,"), false)
  -- the same table as a gmatch over the lines, on 5,000 generated ones
  local seed, lines, want = 7, {}, {}
  for i = 1, 5000 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local k = "w" .. seed // 65536 % 3000
    local v = ("nbv"):sub(i % 3 + 1, i % 3 + 1)
    lines[#lines + 1] = k .. "\t" .. v
  end
  local s = table.concat(lines, "\n") .. "\n"
  for k, v in s:gmatch("([^\t\n]+)\t(%a)\n") do want[k] = v end
  t.eq(text.pairs(s), want)
end)

t.test("lines and paragraphs", function()
  local got = {}
  for l, p in text.lines("a\r\nb\rc\n\nd") do got[#got + 1] = p .. ":" .. l end
  t.eq(got, { "1:a", "4:b", "6:c", "8:", "9:d" })
  got = {}
  for l in text.lines("x\n") do got[#got + 1] = l end
  t.eq(got, { "x" })
  got = {}
  for l in text.lines("") do got[#got + 1] = l end
  t.eq(got, {})
  got = {}
  for l in text.lines(("0123456789\r"):rep(3)) do got[#got + 1] = l end
  t.eq(got, { "0123456789", "0123456789", "0123456789" })
  got = {}
  for para, p in text.paragraphs("\n\n첫 줄\n둘째 줄\n \u{3000}\n\n셋째\r\n넷째\r\n\r\n") do got[#got + 1] = p .. ":" .. para end
  t.eq(got, { "3:첫 줄\n둘째 줄", "28:셋째\r\n넷째" })
end)

-- (each case also checks that text.sentences(s, "count") is how many the iterator gives)
local function sentences(s)
  local out = {}
  for x in text.sentences(s) do out[#out + 1] = x end
  t.eq(text.sentences(s, "count"), #out, "count of " .. s)
  return out
end

t.test("sentences: the count's pass over runs that end nothing gives the iterator's count", function()
  -- (text.sentences(s, "count") passes over valid text's runs of bytes that
  -- start no terminator and no line break whole; the iterator decodes them)
  local pieces = { "다", "요", ".", "?", "!", "…", "。", "．", "？", "！", "‼", "⁇", "｡", " ", "\n", "\r",
    "그", "3", "Dr", "U", "S", "”", "’", ")", "»", "」", "a", "가", "“", "·", "\u{3000}", "٣", "e.g",
    "\t", "정부는 성장률을 낮췄다", "\255", "\226\128" }
  math.randomseed(16)
  local function iterated(s)
    local n = 0
    for _ in text.sentences(s) do n = n + 1 end
    return n
  end
  for _ = 1, 20000 do
    local parts = {}
    for i = 1, math.random(0, 30) do parts[i] = pieces[math.random(#pieces)] end
    local s = table.concat(parts)
    local ok1, a = pcall(text.sentences, s, "count")
    local ok2, b = pcall(iterated, s)
    if not ok2 then b = b:gsub("^.-:%d+: ", "") end
    if ok1 ~= ok2 or a ~= b then t.eq({ ok1, a }, { ok2, b }, ("%q"):format(s)) end
  end
end)

t.test("sentences: Korean endings, quotes, numbers, abbreviations, addresses", function()
  t.eq(sentences("정부는 성장률을 2.5%로 낮췄다. 수출이 늦어지고 있어요. 왜일까? 놀랍다!"),
    { "정부는 성장률을 2.5%로 낮췄다.", "수출이 늦어지고 있어요.", "왜일까?", "놀랍다!" })
  t.eq(sentences('그는 "좋다."라고 말했다. "정말 그럴까요?" 기자가 물었다.'),
    { '그는 "좋다."라고 말했다.', '"정말 그럴까요?"', "기자가 물었다." })
  t.eq(sentences("“수출이 회복됐다.” 그는 덧붙였다… 그리고 떠났다."),
    { "“수출이 회복됐다.”", "그는 덧붙였다…", "그리고 떠났다." })
  t.eq(sentences("GPT-3.5와 GPT-4는 3.14% 차이다. 버전 1.2.3도 있다."),
    { "GPT-3.5와 GPT-4는 3.14% 차이다.", "버전 1.2.3도 있다." })
  t.eq(sentences("2024. 3. 15. 오후 발표했다. 다음은 1. 첫째"),
    { "2024. 3. 15. 오후 발표했다.", "다음은 1. 첫째" })
  t.eq(sentences("미국(U.S.) 정부와 Dr. Kim은 e.g. 이런 예를 들었다. 끝."),
    { "미국(U.S.) 정부와 Dr. Kim은 e.g. 이런 예를 들었다.", "끝." })
  t.eq(sentences("문의는 hong.gd@example.co.kr 또는 https://www.example.com/a?b=1&c=2!x 로 하면 된다. 끝"),
    { "문의는 hong.gd@example.co.kr 또는 https://www.example.com/a?b=1&c=2!x 로 하면 된다.", "끝" })
  t.eq(sentences("연락처는 hong@example.com. 다음 소식이다."), { "연락처는 hong@example.com.", "다음 소식이다." })
  t.eq(sentences("했다.그러나 달랐다"), { "했다.", "그러나 달랐다" })
  t.eq(sentences("정말?!  그래요...  네"), { "정말?!", "그래요...", "네" })
  t.eq(sentences("제목 줄\n본문 첫 문장이다. 둘째\r\n\n"), { "제목 줄", "본문 첫 문장이다.", "둘째" })
  t.eq(sentences("(사진=연합뉴스)"), { "(사진=연합뉴스)" })
  t.eq(sentences("  \n "), {})
  t.checkerr("invalid UTF-8 at position 6", sentences, "다. \xFF")
  t.checkerr("invalid UTF-8 at position 6", text.sentences, "다. \xFF", "count")
  t.checkerr('"count" or none', text.sentences, "다.", "pack")
end)

local function words(s)
  local out = {}
  for w, p in text.words(s) do out[#out + 1] = w .. "@" .. p end
  return out
end

t.test("words: the documented rule for mixed tokens", function()
  t.eq(words("AI연구원 R&D GPT-4 3.5"), { "AI연구원@1", "R&D@13", "GPT-4@17", "3.5@23" })
  t.eq(words("1,000원과 1,2와 12,3456"), { "1,000원과@1", "1@13", "2와@15", "12@20", "3456@23" })
  t.eq(words("서울-부산 K-팝 COVID-19 AT&T 한&미"), { "서울@1", "부산@8", "K-팝@15", "COVID-19@21", "AT&T@30",
    "한&미@35" })
  t.eq(words("don't ‘반도체’가 O'Reilly"), { "don't@1", "반도체@10", "가@22", "O'Reilly@26" })
  t.eq(words("GPT-3.5는 e-mail: hong@example.com"), { "GPT-3.5는@1", "e-mail@12", "hong@20", "example@25",
    "com@33" })
  t.eq(words("한·미 -3 a- -b ㅋㅋ e\u{301}t\u{e9} 漢字"), { "한@1", "미@6", "3@11", "a@13", "b@17", "ㅋㅋ@19",
    "e\u{301}t\u{e9}@26", "漢字@33" })
  t.eq(words("!!! ... "), {})
  t.checkerr("invalid UTF-8 at position 4", words, "가\xFF")
end)

t.test("words into a frequency table", function()
  local counts, total = text.words("a b a 가 가 가, R&D!", { a = 10 })
  t.eq(counts, { a = 12, b = 1, ["가"] = 3, ["R&D"] = 1 })
  t.eq(total, 7)
  -- many distinct words: the table grows, and agrees with the iterator
  local parts = {}
  for i = 1, 5000 do parts[i] = "낱말" .. (i % 1500) end
  local s = table.concat(parts, " ")
  local want = {}
  for w in text.words(s) do want[w] = (want[w] or 0) + 1 end
  t.eq((text.words(s, {})), want)
  t.checkerr("counts table holds a string for 'x'", text.words, "x", { x = "no" })
  local long = ("a"):rep(17 * 1024 * 1024)        -- longer than a table entry holds
  local c = text.words(long .. " b " .. long, { b = 1 })
  t.eq(c[long], 2)
  t.eq(c.b, 2)
  t.checkerr("invalid UTF-8 at position 3", text.words, "ab\xFF", {})
end)

t.test("ngrams over words and characters", function()
  t.eq(text.ngrams("가 나 다 라", 2), { "가 나", "나 다", "다 라" })
  t.eq(text.ngrams("가 나", 3), {})
  t.eq(text.ngrams("가, 나! 다", 1), { "가", "나", "다" })
  t.eq(text.ngrams("한국  어", 2, "char"), { "한국", "국 ", " 어" })
  t.eq(text.ngrams(" 👍🏽a ", 2, "char"), { "👍🏽a" })
  t.checkerr("n out of range", text.ngrams, "a", 0)
  t.checkerr("invalid option 'byte'", text.ngrams, "a", 1, "byte")
  t.eq({ text.ngrams("a\xFF", 1, "char") }, { nil, INV, 2 })
end)

t.test("map: a mapped file works wherever a string does", function()
  local dir = t.tmpdir() .. "/map"   -- its own directory: the rm -rf below must not take t.tmpdir()
  os.execute("mkdir -p " .. t.shquote(dir))
  local path = dir .. "/m.txt"
  local body = "첫 문장이다. 둘째 문장이다.\n\n한국어 abc\n"
  t.write(path, body)
  local m = assert(text.map(path))
  t.eq(#m, #body)
  t.eq(m:string(), body)
  t.eq(m:string(1, 3), "첫")
  t.match(tostring(m), "^gisa%.text%.map %(%d+ bytes%)$")
  t.eq(text.len(m), text.len(body))
  t.eq(text.valid(m), true)
  t.eq(text.normalize(m), body)
  t.eq(text.classes(m), text.classes(body))
  local got = {}
  for x in text.sentences(m) do got[#got + 1] = x end
  t.eq(got, { "첫 문장이다.", "둘째 문장이다.", "한국어 abc" })
  t.eq((text.words(m, {})), (text.words(body, {})))
  m:close()
  m:close()
  t.checkerr("map is closed", text.len, m)
  t.eq(tostring(m), "gisa.text.map (closed)")
  t.write(dir .. "/empty", "")
  local e = assert(text.map(dir .. "/empty"))
  t.eq(text.len(e), 0)
  t.eq(e:string(), "")
  local v, err = text.map(dir .. "/nope")
  t.eq(v, nil)
  t.eq(err, dir .. "/nope: No such file or directory")
  v, err = text.map(dir)
  t.eq(err, dir .. ": Is a directory")
  v, err = text.map("/dev/null")
  t.eq(err, "/dev/null: not a regular file (read it with gisa.sys.readfile)")
  os.execute("rm -rf " .. t.shquote(dir))
end)

t.test("malformed input in every function that reads text", function()
  -- bad data: nil, "invalid UTF-8", position; iterators raise
  local cases = { ["\xC0\xAF"] = 1, ["a\xE0\x80\x80"] = 2, ["ab\xED\xA0\x80"] = 3, ["\xF4\x90\x80\x80"] = 1,
    ["가\xEA\xB0"] = 4, ["\xFF"] = 1, ["\0\0\xFE"] = 3, ["\x80"] = 1 }
  for s, pos in pairs(cases) do
    local what = string.format("%q", s)
    t.eq({ text.valid(s) }, { false, pos }, what)
    for _, f in ipairs { "normalize", "is_normalized", "lower", "upper", "fold", "width", "classes" } do
      t.eq({ text[f](s) }, { nil, INV, pos }, f .. " " .. what)
    end
    t.eq({ text.truncate(s, 0) }, { nil, INV, pos }, "truncate " .. what)
    t.eq({ text.pad(s, 10) }, { nil, INV, pos }, "pad " .. what)
    t.eq({ text.ngrams(s, 1, "char") }, { nil, INV, pos }, "ngrams " .. what)
    for _, f in ipairs { "codes", "chars", "graphemes", "sentences", "words" } do
      t.checkerr("invalid UTF-8 at position " .. pos, function() for _ in text[f](s) do end end)
    end
    local cleaned, n = text.clean(s)
    t.eq(text.valid(cleaned), true)
    t.ok(n >= 1)
  end
  -- NUL is a character like any other
  t.eq(text.len("a\0b"), 3)
  t.eq(text.normalize("\0가\0"), "\0가\0")
  t.eq(text.upper("a\0b"), "A\0B")
end)

t.test("the module leaves _G alone and says its Unicode version", function()
  local before = {}
  for k in pairs(_G) do before[k] = true end
  package.loaded["gisa.text"] = nil
  local again = require "gisa.text"
  for k in pairs(_G) do t.ok(before[k], "new global " .. tostring(k)) end
  t.eq(again.unicode_version, "15.0.0")
end)

t.test("long text: the block fast paths agree with per-character answers", function()
  math.randomseed(11)
  local pool = { "한", "국", "가", "힣", "\u{D77F}", "\u{D780}", "\u{AC00}", "\u{ABFF}", "漢", "\u{4E00}",
    "\u{4DC0}", "\u{9FFF}", "a", "Z", "0", " ", "\t", "\n", ".", "$", "~", "`", "\0", "\x7F", "“", "…", "é",
    "ㅋ", "\u{3000}", "😀", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{301}" }
  for _ = 1, 40 do
    local p = {}
    for k = 1, math.random(50, 400) do
      -- long runs of the common characters, so that whole blocks take the fast paths
      p[k] = math.random() < 0.9 and pool[math.random(1, 16)] or pool[math.random(#pool)]
    end
    local s = table.concat(p)
    local want = { hangul = 0, hanja = 0, latin = 0, digit = 0, space = 0, punct = 0, symbol = 0, other = 0 }
    local w = 0
    for _, ch in text.chars(s) do
      for k, v in pairs(text.classes(ch)) do want[k] = want[k] + v end
      w = w + text.width(ch)
    end
    t.eq(text.classes(s), want, "classes of " .. string.format("%q", s))
    t.eq(text.width(s), w)
    for _, form in ipairs { "NFC", "NFKC", "NFD" } do
      t.eq(text.normalize(s, form), oracle.utf8proc(s, form), form)
      t.eq(text.is_normalized(s, form), oracle.utf8proc(s, form) == s, form)
    end
    local n = 0
    for _ in text.chars(s) do n = n + 1 end
    t.eq(text.len(s), n)
  end
end)

t.test("words into a table: the chunked fast path counts what the iterator sees", function()
  math.randomseed(5)
  -- mostly what the 64-byte chunks take whole, now and then what they leave to the slow way
  local simple = { "정부는", "반도체", "수출이", "늘었다", "AI연구원", "R&D", "GPT-4", "3.5", "1,000원", "don't",
    "O’Reilly", "‘반도체’가", "“인용”", "…", "·", "서울-부산", "했다.그러나", "K-pop", "a.b", "x,y", "&", "-", ".",
    ",", "'", "’", "가", "나", "12", "ab", "\u{D77F}", "\u{AC00}", "Z9", "다'", "'다", "a’", "’b" }
  local complex = { "e\u{301}", "😀", "漢字", "ㅋㅋ", "—", "\u{D7A3}", "\u{ABFF}", "\u{D780}", "é", "\u{3000}" }
  local seps = { " ", " ", " ", "\n", ", ", ". ", "“", "”", "‘", "’", "·", "…", "", "  ", "\t", "(", ")", "-", "." }
  for round = 1, 80 do
    local p = {}
    for k = 1, math.random(20, 300) do
      p[#p + 1] = math.random() < 0.03 and complex[math.random(#complex)] or simple[math.random(#simple)]
      p[#p + 1] = seps[math.random(#seps)]
    end
    if round % 3 == 0 then p[#p + 1] = ("가"):rep(math.random(20, 40)) end   -- words longer than a chunk
    local s = table.concat(p)
    local want, n = {}, 0
    for w in text.words(s) do want[w] = (want[w] or 0) + 1; n = n + 1 end
    local got, total = text.words(s, {})
    t.eq(got, want, "counts of " .. string.format("%q", s))
    t.eq(total, n)
  end
end)

t.test("strip_links: web and e-mail addresses become one space each", function()
  local cases = {
    { "see https://example.com/a?b=1 now", "see   now" },
    { "기사 http://news.kr/x에서", "기사  " },                 -- bytes up to white space: Hangul too
    { "(https://a.kr/b) done", "( ) done" },
    { "git+ssh://host/x", " " },
    { "1http://x.y z", "1  z" },                                -- from the first letter
    { "://alone 12://x", "://alone 12://x" },                   -- no letter before
    { "www.example.co.kr/page 참고", "  참고" },
    { "awww.x.y", "a " },
    { "www.nodot and www..x", "www.nodot and www..x" },
    { "문의: kim.reporter@news.co.kr 기자", "문의:   기자" },
    { "a@b.c. end", " . end" },                                 -- up to the last letter or digit
    { "@x.kr and x@ and x@y and x@y.", "@x.kr and x@ and x@y and x@y." },
    { "user+tag%1@mail-srv.example.org", " " },
    { "first a@b.kr\n\nsecond https://x.kr", "first  \n\nsecond  " },
    { "", "" }, { "plain 텍스트", "plain 텍스트" }, { "\0www.a.b\0", "\0 " },   -- (NUL is no white space)
  }
  for _, c in ipairs(cases) do t.eq(text.strip_links(c[1]), c[2], string.format("%q", c[1])) end
end)

t.test("escape_html: the five markup characters as entities, every other byte as it is", function()
  local cases = {
    { "", "" }, { "plain 텍스트", "plain 텍스트" },
    { [[a<b>&"c'd]], "a&lt;b&gt;&amp;&quot;c&#39;d" },
    { "&amp;", "&amp;amp;" },                                  -- (escaped again: no entity is kept)
    { "“인용” 'x' \0\xFF<", "“인용” &#39;x&#39; \0\xFF&lt;" },  -- bytes: any text
    { string.rep("가", 40) .. "&", string.rep("가", 40) .. "&amp;" },   -- past the first 16 bytes
  }
  for _, c in ipairs(cases) do t.eq(text.escape_html(c[1]), c[2], string.format("%q", c[1])) end
  t.eq(text.escape_html(12), "12")
  t.checkerr("string expected, got table", text.escape_html, {})
  -- the same as a gsub over each byte, on strings of the five, Hangul, ASCII
  -- and bytes of every value, of every length around the 16-byte steps
  local ENT = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
  local frags = { "&", "<", ">", '"', "'", "a", " ", "한", "\0", "\xFF", "x&y", "&lt;" }
  math.randomseed(20261207)
  for _ = 1, 3000 do
    local parts = {}
    for i = 1, math.random(0, 40) do
      parts[i] = math.random(4) == 1 and string.char(math.random(0, 255)) or frags[math.random(#frags)]
    end
    local str = table.concat(parts)
    t.eq(text.escape_html(str), (str:gsub("[&<>\"']", ENT)), string.format("%q", str))
  end
end)

-- the counts measure gives, made with the functions it stands for
local function measured(title, subtitles, body, how)
  local parts = {}
  if title then parts[#parts + 1] = title end
  for _, p in ipairs(subtitles or {}) do parts[#parts + 1] = p end
  for _, p in ipairs(body or {}) do parts[#parts + 1] = p end
  local s = table.concat(parts, "\n\n")
  local k = text.classes(s)
  if not k then return nil end
  local chars = 0
  for _, p in ipairs(parts) do chars = chars + text.len(p) end
  local words, n = text.words(text.strip_links(s), how)
  local sentences = 0
  for _, p in ipairs(body or {}) do sentences = sentences + text.sentences(p, "count") end
  return { words, n, chars, k.hangul, k.hanja, k.latin, chars - (k.space - 2 * math.max(#parts - 1, 0)),
    sentences, #(body or {}) }
end

t.test("measure: the counts of len, classes, words (addresses blanked) and sentences, in one pass", function()
  math.randomseed(11)
  local frags = { "정부는", "반도체", " ", " ", "\n", "다. ", "했다.그러나", "AI", "GPT-4", "3.5", "1,000원", "\0",
    "😀", "漢字", "é", "\u{3000}", "“인용”", "…", "https://a.kr/x", " www.b.com ", "k@c.kr", "@", "://", "Dr. ",
    "?! ", "\t", "", "\u{10FFFF}", "\u{D7A3}", "ㅋ", "e\u{301}", "-", "." }
  local function para()
    local p = {}
    for i = 1, math.random(0, 40) do p[i] = frags[math.random(#frags)] end
    return table.concat(p)
  end
  for round = 1, 400 do
    local title = math.random() < 0.8 and para() or nil
    local subs, body = {}, {}
    for i = 1, math.random(0, 2) do subs[i] = para() end
    for i = 1, math.random(0, 12) do body[i] = para() end
    if round % 50 == 0 then body[#body + 1] = ("가나 "):rep(3000) .. "www.x.kr" end   -- a grown word table
    local sb = math.random() < 0.3 and nil or subs
    for _, how in ipairs({ "pack", {} }) do
      local want = measured(title, sb, body, how == "pack" and how or {})
      local got = { text.measure(title, sb, body, how) }
      t.eq(got, want, string.format("round %d %q", round, tostring(title)))
    end
  end
  t.eq({ text.measure(nil, nil, nil) }, { {}, 0, 0, 0, 0, 0, 0, 0, 0 })
  t.eq({ text.measure("a", {}, { "b. c." }, { a = 1 }) }, { { a = 2, b = 1, c = 1 }, 3, 6, 0, 0, 3, 5, 1, 1 })
end)

t.test("measure: bad data and misuse", function()
  t.eq({ text.measure("ab", { "c\xFF" }) }, { nil, INV, 6 })     -- the position in the parts joined
  t.eq({ text.measure(nil, nil, { "ok", "\xC3" }) }, { nil, INV, 5 })
  t.checkerr('a table or "pack"', text.measure, "a", nil, nil, "packed")
  t.checkerr("a part of the article is a table, not a string", text.measure, {}, nil, nil)
  t.checkerr("table expected, got string", text.measure, nil, "sub", nil)
  -- the word table kept between calls stays right after an error and after growth
  t.checkerr("counts table holds a string for 'x'", text.words, "x y", { x = "no" })
  t.eq((text.words("x y x", {})), { x = 2, y = 1 })
  local big = {}
  for i = 1, 5000 do big[i] = "w" .. i end
  local c, n = text.words(table.concat(big, " "), {})
  t.eq(n, 5000); t.eq(c.w4999, 1)
  t.eq((text.words("x y x", {})), { x = 2, y = 1 })
  t.eq(select(2, text.measure(nil, nil, { "x y x" }, "pack")), 3)
end)
