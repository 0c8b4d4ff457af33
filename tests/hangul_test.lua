-- gisa.hangul: every syllable against an independent Lua reference, the
-- documented examples, edge cases (empty, invalid UTF-8, NULs, lone and
-- archaic jamo, NFD input), josa choice, romanization, choseong search, and
-- strip_josa's precision and recall on tests/fixtures/josa_words.tsv.
local t = require "t"
local hangul = require "gisa.hangul"

local uchar, codes = utf8.char, utf8.codes

-- The reference: es-hangul's disassembly tables, written out as strings.
local CHO = { "ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅉ",
  "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ" }
local JUNG = { "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ",
  "ㅜ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ" }
local JONG = { "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ",
  "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ",
  "ㅍ", "ㅎ" }

local function parts(cp)
  local s = cp - 0xAC00
  return s // 588 + 1, (s % 588) // 28 + 1, s % 28 + 1
end

t.test("all 11,172 syllables: decompose, compose round trip, choseong, has_batchim", function()
  local bad = {}
  for cp = 0xAC00, 0xD7A3 do
    local syl = uchar(cp)
    local l, v, f = parts(cp)
    local want = CHO[l] .. JUNG[v] .. JONG[f]
    local d = hangul.decompose(syl)
    if d ~= want then bad[#bad + 1] = syl .. " decompose " .. tostring(d) end
    if hangul.compose(d) ~= syl then bad[#bad + 1] = syl .. " compose " .. tostring(hangul.compose(d)) end
    if hangul.choseong(syl) ~= CHO[l] then bad[#bad + 1] = syl .. " choseong" end
    if hangul.has_batchim(syl) ~= (f > 1) then bad[#bad + 1] = syl .. " has_batchim" end
    if hangul.has_batchim(syl, "ㄹ") ~= (f == 9) then bad[#bad + 1] = syl .. " has_batchim ㄹ" end
    if hangul.has_batchim(syl, "double") ~= (#JONG[f] == 6) then bad[#bad + 1] = syl .. " double" end
    if hangul.has_batchim(syl, "single") ~= (#JONG[f] == 3) then bad[#bad + 1] = syl .. " single" end
    if #bad > 5 then break end
  end
  t.eq(bad, {}, "syllables that disagree with the reference")
end)

t.test("all 11,172 syllables: josa choice (은/는, 이/가, 을/를, 과/와, 으로/로)", function()
  local bad = {}
  for cp = 0xAC00, 0xD7A3 do
    local w = "가" .. uchar(cp)
    local f = (cp - 0xAC00) % 28
    local b = f ~= 0
    local want = {
      ["은/는"] = b and "은" or "는", ["이/가"] = b and "이" or "가",
      ["을/를"] = b and "을" or "를", ["와/과"] = b and "과" or "와",
      ["으로/로"] = (b and f ~= 8) and "으로" or "로",
    }
    for pair, p in pairs(want) do
      local got = hangul.josa_pick(w, pair)
      if got ~= p then bad[#bad + 1] = w .. " " .. pair .. " -> " .. tostring(got) end
    end
    if hangul.josa(w, "은/는") ~= w .. want["은/는"] then bad[#bad + 1] = w .. " josa" end
    if #bad > 5 then break end
  end
  t.eq(bad, {}, "josa choices that disagree with the reference")
end)

t.test("decompose: es-hangul's examples, other characters kept", function()
  t.eq(hangul.decompose("값"), "ㄱㅏㅂㅅ")
  t.eq(hangul.decompose("과"), "ㄱㅗㅏ")
  t.eq(hangul.decompose("뷁"), "ㅂㅜㅔㄹㄱ")
  t.eq(hangul.decompose("ㄲ"), "ㄲ")                 -- a double initial is one jamo
  t.eq(hangul.decompose("ㄳ"), "ㄱㅅ")               -- a double final is split
  t.eq(hangul.decompose("ㅘ"), "ㅗㅏ")
  t.eq(hangul.decompose("ㅐ"), "ㅐ")
  t.eq(hangul.decompose("AI 반도체, 2025!"), "AI ㅂㅏㄴㄷㅗㅊㅔ, 2025!")
  t.eq(hangul.decompose(""), "")
  t.eq(hangul.decompose("가\0나"), "ㄱㅏ\0ㄴㅏ")
end)

t.test("decompose: NFD input (conjoining jamo) gives the same jamo as NFC", function()
  -- 값 in NFD: U+1100 U+1161 U+11B9
  t.eq(hangul.decompose(uchar(0x1100, 0x1161, 0x11B9)), "ㄱㅏㅂㅅ")
  t.eq(hangul.compose(uchar(0x1100, 0x1161, 0x11B9)), "값")
  t.eq(hangul.compose(uchar(0x1112, 0x1161, 0x11AB, 0x1100, 0x116E, 0x11A8)), "한국")
end)

t.test("archaic jamo and other scripts are kept as they are", function()
  local arae_a = uchar(0x318D)          -- ㆍ (compatibility arae-a)
  local bansiot = uchar(0x317F)         -- ㅿ
  local old = uchar(0x1100, 0x119E)     -- ᄀ + ᆞ (conjoining arae-a)
  t.eq(hangul.decompose(arae_a .. bansiot), arae_a .. bansiot)
  t.eq(hangul.compose(arae_a .. bansiot), arae_a .. bansiot)
  t.eq(hangul.decompose(old), "ㄱ" .. uchar(0x119E))
  t.eq(hangul.decompose(uchar(0xA960)), uchar(0xA960))   -- Hangul Jamo Extended-A
  t.eq(hangul.decompose("漢字 ㄱ"), "漢字 ㄱ")
  t.eq(hangul.choseong(arae_a .. "가"), "ㄱ")
end)

t.test("compose: typed jamo become syllables, as an IME does", function()
  t.eq(hangul.compose("ㄱㅏㅂㅅ"), "값")
  t.eq(hangul.compose("ㅇㅏㄴㄴㅕㅇ"), "안녕")
  t.eq(hangul.compose("ㄱㅗㅏ"), "과")
  t.eq(hangul.compose("ㄷㅏㄹㄱㅏ"), "달가")       -- ㄱ moves to the next syllable
  t.eq(hangul.compose("ㄷㅏㄺ"), "닭")
  t.eq(hangul.compose("ㄷㅏㄹㄱ"), "닭")
  t.eq(hangul.compose("ㄷㅏㄹㄱㅇㅣ"), "닭이")
  t.eq(hangul.compose("ㅂㅜㅔㄹㄱ"), "뷁")
  t.eq(hangul.compose("방ㅇㅔ"), "방에")            -- jamo after a syllable attach to it
  t.eq(hangul.compose("ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ, world"), "안녕하세요, world")
  t.eq(hangul.compose("ㄸㅏㄸㅏ"), "따따")           -- ㄸ cannot be a final
  t.eq(hangul.compose("ㄱㅏㄸ"), "가ㄸ")
end)

t.test("compose: lone jamo", function()
  t.eq(hangul.compose("ㅇㅍㅅㅅ"), "ㅇㅍㅅㅅ")       -- a choseong string stays one
  t.eq(hangul.compose("ㄱㅅ"), "ㄱㅅ")
  t.eq(hangul.compose("ㄳ"), "ㄳ")                    -- a double consonant typed whole stays whole
  t.eq(hangul.compose("ㅗㅏ"), "ㅘ")                  -- lone vowels join
  t.eq(hangul.compose("ㅏㅏ"), "ㅏㅏ")
  t.eq(hangul.compose("ㅎ"), "ㅎ")
  t.eq(hangul.compose(""), "")
  t.eq(hangul.compose("a\0b"), "a\0b")
end)

t.test("compose(decompose(s)) == s for random syllable text", function()
  math.randomseed(42)
  for _ = 1, 50 do
    local buf = {}
    for i = 1, 200 do
      local r = math.random()
      if r < 0.1 then buf[i] = " "
      elseif r < 0.3 then buf[i] = uchar(0xC544 + math.random(0, 20) * 28)   -- 아-row: ㅇ initials
      else buf[i] = uchar(math.random(0xAC00, 0xD7A3)) end
    end
    local s = table.concat(buf)
    t.eq(hangul.compose(hangul.decompose(s)), s)
  end
end)

t.test("choseong: es-hangul's getChoseong", function()
  t.eq(hangul.choseong("오픈소스"), "ㅇㅍㅅㅅ")
  t.eq(hangul.choseong("대한 민국"), "ㄷㅎ ㅁㄱ")
  t.eq(hangul.choseong("띄어 쓰기"), "ㄸㅇ ㅆㄱ")
  t.eq(hangul.choseong("LG전자, 2025년"), "ㅈㅈ ㄴ")   -- the comma is dropped, the space kept
  t.eq(hangul.choseong("ㄱ나\t다\n"), "ㄱㄴ\tㄷ\n")
  t.eq(hangul.choseong(uchar(0x1112, 0x1161, 0x11AB)), "ㅎ")   -- NFD 한
  t.eq(hangul.choseong(""), "")
end)

t.test("has_batchim: last character only; nil when it is not a syllable", function()
  t.eq(hangul.has_batchim("서울"), true)
  t.eq(hangul.has_batchim("부산"), true)
  t.eq(hangul.has_batchim("사과"), false)
  t.eq(hangul.has_batchim("AI"), nil)
  t.eq(hangul.has_batchim("사과!"), nil)
  t.eq(hangul.has_batchim(""), nil)
  t.eq(hangul.has_batchim("서울", "ㄹ"), true)
  t.eq(hangul.has_batchim("부산", "ㄹ"), false)
  t.eq(hangul.has_batchim("닭", "double"), true)
  t.eq(hangul.has_batchim("닭", "single"), false)
  t.eq(hangul.has_batchim("밖", "single"), true)     -- ㄲ is one letter
  t.checkerr("expected \"single\", \"double\" or a final consonant", hangul.has_batchim, "가", "x")
  t.checkerr("expected \"single\", \"double\" or a final consonant", hangul.has_batchim, "가", "ㄸ")
end)

t.test("josa: particle pairs, the ㄹ rule for 으로, either order", function()
  t.eq(hangul.josa("서울", "으로/로"), "서울로")
  t.eq(hangul.josa("집", "으로/로"), "집으로")
  t.eq(hangul.josa("학교", "으로/로"), "학교로")
  t.eq(hangul.josa("서울", "로/으로"), "서울로")
  t.eq(hangul.josa("오픈소스", "은/는"), "오픈소스는")
  t.eq(hangul.josa("정부", "이/가"), "정부가")
  t.eq(hangul.josa("위원장", "가/이"), "위원장이")
  t.eq(hangul.josa("사과", "을/를"), "사과를")
  t.eq(hangul.josa("책", "와/과"), "책과")
  t.eq(hangul.josa("빵", "이나/나"), "빵이나")
  t.eq(hangul.josa("커피", "이나/나"), "커피나")
  t.eq(hangul.josa("동생", "이랑/랑"), "동생이랑")
  t.eq(hangul.josa("철수", "아/야"), "철수야")
  t.eq(hangul.josa("영숙", "아/야"), "영숙아")
  t.eq(hangul.josa("학생", "이에요/예요"), "학생이에요")
  t.eq(hangul.josa("의사", "이에요/예요"), "의사예요")
  t.eq(hangul.josa("교수", "으로서/로서"), "교수로서")
  t.eq(hangul.josa("교사", "이라고/라고"), "교사라고")
  t.eq(hangul.josa_pick("물", "으로부터/로부터"), "로부터")
  -- one form given: its partner is known
  t.eq(hangul.josa_pick("서울", "는"), "은")
  t.eq(hangul.josa_pick("서울", "으로"), "로")
  t.eq(hangul.josa_pick("바다", "이나"), "나")
end)

t.test("josa: digits are read in Sino-Korean, with their units", function()
  local cases = {
    { "1", "은" }, { "2", "는" }, { "3", "은" }, { "4", "는" }, { "5", "는" }, { "6", "은" },
    { "7", "은" }, { "8", "은" }, { "9", "는" }, { "0", "은" }, { "10", "은" }, { "20", "은" },
    { "100", "은" }, { "1000", "은" }, { "10000", "은" }, { "1000000000000", "는" },
    { "2025", "는" }, { "1,000", "은" }, { "3.5", "는" }, { "3.10", "은" }, { "GPT-4", "는" },
    { "50%", "는" },
  }
  for _, c in ipairs(cases) do t.eq(hangul.josa_pick(c[1], "은/는"), c[2], c[1]) end
  t.eq(hangul.josa("1", "으로/로"), "1로")     -- 일: ㄹ takes 로
  t.eq(hangul.josa("3", "으로/로"), "3으로")
end)

t.test("josa: Latin letters, parentheses, quotes, unreadable ends", function()
  t.eq(hangul.josa_pick("AI", "은/는"), "는")
  t.eq(hangul.josa_pick("LG", "이/가"), "가")
  t.eq(hangul.josa_pick("CNN", "은/는"), "은")
  t.eq(hangul.josa_pick("URL", "을/를"), "을")
  t.eq(hangul.josa_pick("URL", "으로/로"), "로")
  t.eq(hangul.josa_pick("Google", "은/는"), "은")
  t.eq(hangul.josa_pick("iPhone", "을/를"), "을")
  t.eq(hangul.josa_pick("Android", "은/는"), "는")
  t.eq(hangul.josa_pick("Facebook", "이/가"), "이")
  t.eq(hangul.josa_pick("Microsoft", "은/는"), "는")
  t.eq(hangul.josa_pick("OpenAI", "은/는"), "는")
  t.eq(hangul.josa_pick("국제통화기금(IMF)", "은/는"), "은")
  t.eq(hangul.josa_pick("‘오픈소스’", "을/를"), "를")
  t.eq(hangul.josa_pick("「서울」", "으로/로"), "로")
  t.eq(hangul.josa_pick("漢字", "은/는"), "은(는)")
  t.eq(hangul.josa_pick("", "이/가"), "이(가)")
  t.eq(hangul.josa_pick("★", "으로/로"), "(으)로")
  t.eq(hangul.josa_pick("★", "이나/나"), "(이)나")
end)

t.test("josa: misuse raises", function()
  t.checkerr("unknown particle pair '에/에서'", hangul.josa, "집", "에/에서")
  t.checkerr("expected two particles such as \"은/는\"", hangul.josa, "집", "은/")
  t.checkerr("unknown particle '께'", hangul.josa_pick, "집", "께")
  t.checkerr("bad argument #1 to 'gisa.hangul.josa' (string expected, got nil)", hangul.josa, nil, "은/는")
end)

t.test("romanize: Revised Romanization with sound changes at syllable boundaries", function()
  local cases = {
    { "종로", "jongno" }, { "신라", "silla" }, { "한국", "hanguk" }, { "좋다", "jota" },
    { "서울", "seoul" }, { "부산", "busan" }, { "대한민국", "daehanminguk" },
    { "왕십리", "wangsimni" }, { "백마", "baengma" }, { "해돋이", "haedoji" },
    { "같이", "gachi" }, { "압구정", "apgujeong" }, { "낙동강", "nakdonggang" },
    { "한국어", "hangugeo" }, { "닭이", "dalgi" }, { "독립", "dongnip" }, { "협력", "hyeomnyeok" },
    { "설날", "seollal" }, { "국물", "gungmul" }, { "합니다", "hamnida" }, { "의정부", "uijeongbu" },
    { "희망", "huimang" }, { "않고", "anko" }, { "좋아", "joa" }, { "울산", "ulsan" },
    { "제주", "jeju" }, { "광화문", "gwanghwamun" }, { "묵호", "mukho" }, { "집현전", "jiphyeonjeon" },
    { "별내", "byeollae" }, { "대관령", "daegwallyeong" }, { "옥천", "okcheon" },
    { "오픈소스 AI", "opeunsoseu AI" }, { "", "" },
  }
  for _, c in ipairs(cases) do t.eq(hangul.romanize(c[1]), c[2], c[1]) end
end)

t.test("search: choseong and mixed queries give byte ranges", function()
  local text = "오픈소스 소프트웨어와 오픈 소스"
  t.eq(hangul.search(text, "ㅇㅍㅅㅅ"), { { 1, 12 } })
  t.eq(hangul.search(text, "오ㅍ소ㅅ"), { { 1, 12 } })
  t.eq(hangul.search(text, "ㅇㅍ ㅅㅅ"), { { 33, 45 } })       -- spaces only when the query has them
  t.eq(hangul.search(text, "ㅅ"), { { 7, 9 }, { 10, 12 }, { 14, 16 }, { 40, 42 }, { 43, 45 } })
  t.eq(hangul.search(text, "소프트웨어"), { { 14, 28 } })
  t.eq(hangul.search(text, "ㄱㄱ"), {})
  t.eq(text:sub(33, 45), "오픈 소스")
  t.eq(hangul.search("ㅋㅋㅋ", "ㅋ"), { { 1, 3 }, { 4, 6 }, { 7, 9 } })   -- a jamo matches itself
  t.eq(hangul.search("AI 연구원, ai", "AI ㅇ"), { { 1, 6 } })
  t.eq(hangul.search("ㅅㅅㅅ", "ㅅㅅ"), { { 1, 6 } })                     -- non-overlapping
  t.eq(hangul.search("", "ㅇ"), {})
  t.checkerr("empty query", hangul.search, "가", "")
end)

t.test("invalid UTF-8 is bad data: nil, message, byte position", function()
  for _, f in ipairs { "decompose", "compose", "choseong", "romanize" } do
    t.eq({ hangul[f]("가\xFF나") }, { nil, "invalid UTF-8", 4 }, f)
    t.eq({ hangul[f]("\xED\xA0\x80") }, { nil, "invalid UTF-8", 1 }, f .. " surrogate")
    t.eq({ hangul[f]("ab\xC0\xAF") }, { nil, "invalid UTF-8", 3 }, f .. " overlong")
    t.eq({ hangul[f]("가\xEA\xB0") }, { nil, "invalid UTF-8", 4 }, f .. " truncated")
  end
  t.eq({ hangul.has_batchim("가\xFF") }, { nil, "invalid UTF-8", 4 })
  t.eq({ hangul.has_batchim("\xEA\xB0") }, { nil, "invalid UTF-8", 1 })
  t.eq({ hangul.search("오픈\xFF", "ㅇ") }, { nil, "invalid UTF-8", 7 })
  t.eq({ hangul.search("오픈", "ㅇ\xFF") }, { nil, "invalid UTF-8 in query", 4 })
  t.eq({ hangul.strip_josa("정부\xFF가") }, { nil, "invalid UTF-8", 7 })
  -- josa reads only the end: an unreadable end gives the two-form answer
  t.eq(hangul.josa_pick("\xFF", "은/는"), "은(는)")
end)

t.test("misuse raises with the function's name", function()
  t.checkerr("bad argument #1 to 'gisa.hangul.decompose' (string expected, got no value)", hangul.decompose)
  t.checkerr("bad argument #1 to 'gisa.hangul.compose' (string expected, got table)", hangul.compose, {})
  t.checkerr("bad argument #2 to 'gisa.hangul.search' (string expected, got no value)", hangul.search, "가")
  t.checkerr("bad argument #1 to 'strip_josa' (string expected, got nil)", hangul.strip_josa, nil)
end)

-- strip_josa --------------------------------------------------------------

local function fixture()
  local rows = {}
  for line in io.lines(t.root .. "/tests/fixtures/josa_words.tsv") do
    if not line:find("^#") and line ~= "" then
      local w, s, p = line:match("^([^\t]+)\t([^\t]+)\t([^\t]*)$")
      assert(w, "bad fixture line: " .. line)
      rows[#rows + 1] = { word = w, stem = s, particle = p ~= "" and p or nil }
    end
  end
  return rows
end

-- Thresholds documented in docs/hangul.md (measured without the lexicon: precision 0.998,
-- recall 0.994; with it 1.000 and 1.000, tests/josa_test.lua).
local MIN_PRECISION, MIN_RECALL = 0.99, 0.99

t.test("strip_josa: precision and recall on the hand-checked word list", function()
  local rows = fixture()
  t.ok(#rows >= 250, "the fixture has at least 250 rows (" .. #rows .. ")")
  local tp, fp, fn = 0, 0, 0
  local wrong = {}
  for _, r in ipairs(rows) do
    local stem, p = hangul.strip_josa(r.word)
    local right = stem == r.stem and p == r.particle
    if p then
      if right then tp = tp + 1 else fp = fp + 1; wrong[#wrong + 1] = r.word end
    end
    if r.particle and not right then fn = fn + 1 end
    if not p then t.eq(stem, r.word, "no particle: the word comes back whole") end
  end
  local precision, recall = tp / (tp + fp), tp / (tp + fn)
  t.ok(precision >= MIN_PRECISION, string.format("precision %.3f < %.2f (wrong: %s)", precision,
    MIN_PRECISION, table.concat(wrong, " ")))
  t.ok(recall >= MIN_RECALL, string.format("recall %.3f < %.2f", recall, MIN_RECALL))
end)

t.test("strip_josa: conservative on words that merely end like a particle", function()
  for _, w in ipairs { "고양이", "나라", "사과", "학교", "결과", "하지만", "그러나", "같이",
    "스스로", "진행하는", "했다는", "있는", "많은", "수도", "주가", "300만", "민주주의" } do
    t.eq({ hangul.strip_josa(w) }, { w }, w)
  end
  t.eq({ hangul.strip_josa("오픈소스를") }, { "오픈소스", "를" })
  t.eq({ hangul.strip_josa("대학교에서") }, { "대학교", "에서" })
  t.eq({ hangul.strip_josa("위원장은") }, { "위원장", "은" })
  t.eq({ hangul.strip_josa("서울로") }, { "서울", "로" })
  t.eq({ hangul.strip_josa("고양이가") }, { "고양이", "가" })
  t.eq({ hangul.strip_josa("AI가") }, { "AI", "가" })
  t.eq({ hangul.strip_josa("") }, { "" })
  t.eq({ hangul.strip_josa("가") }, { "가" })
end)

t.test("strip_josa follows edits to the particle list in gisa.josa", function()
  local josa = require "gisa.analysis.josa"
  t.eq(hangul.strip_josa, josa.strip_josa, "the same function")
  t.eq({ hangul.strip_josa("정부요") }, { "정부요" })
  local saved = josa.particles
  local copy = {}
  for k, v in pairs(saved) do copy[k] = v end
  copy["요"] = "*"
  josa.particles = copy
  local ok, err = pcall(function()
    t.eq({ hangul.strip_josa("정부요") }, { "정부", "요" })
  end)
  josa.particles = saved
  assert(ok, err)
  t.eq({ hangul.strip_josa("정부요") }, { "정부요" })
end)

t.test("requiring gisa.hangul leaves _G alone", function()
  local before = {}
  for k in pairs(_G) do before[k] = true end
  package.loaded["gisa.hangul"], package.loaded["gisa.analysis.josa"] = nil, nil
  local h = require "gisa.hangul"
  t.eq(type(h.strip_josa), "function")
  for k in pairs(_G) do t.ok(before[k], "new global " .. tostring(k)) end
end)
