-- gisa.josa: the particle (조사) list behind hangul.strip_josa, kept in Lua so
-- that it can be edited: add a particle, an exception or a short stem here and
-- `gisa.hangul.strip_josa` follows. Deliberately conservative: a
-- word is cut only when the particle agrees with the stem (은/을/이 after a
-- final consonant, 는/를/가 after a vowel, 로 after a vowel or ㄹ), the stem is
-- long enough, and no known word straddles the cut (고양이, 결과, 그러나 …).
-- Precision and recall on tests/fixtures/josa_words.tsv are in docs/hangul.md.
-- The gisa library presents M.strip_josa as gisa.hangul.strip_josa (init.lua);
-- this file needs nothing from the C module.

local M = {}

local codepoint, offset, ulen = utf8.codepoint, utf8.offset, utf8.len
local sub = string.sub

-- Each particle with the sound it must follow:
--   C   a final consonant (batchim)      V   a vowel (no batchim)
--   C-  a final consonant other than ㄹ  V+  a vowel or ㄹ (the 으로/로 rule)
--   *   anything
-- Stacked particles (에서는, 으로도) are listed whole: the longest match wins.
M.particles = {
  -- subject, topic, object, genitive
  ["이"] = "C", ["가"] = "V", ["은"] = "C", ["는"] = "V", ["을"] = "C", ["를"] = "V",
  ["의"] = "*",
  -- place, direction, person, means
  ["에"] = "*", ["에서"] = "*", ["에게"] = "*", ["에게서"] = "*", ["께"] = "*",
  ["께서"] = "*", ["한테"] = "*", ["한테서"] = "*",
  ["으로"] = "C-", ["로"] = "V+", ["으로서"] = "C-", ["로서"] = "V+",
  ["으로써"] = "C-", ["로써"] = "V+", ["으로부터"] = "C-", ["로부터"] = "V+",
  -- with, and
  ["과"] = "C", ["와"] = "V", ["이랑"] = "C", ["랑"] = "V",
  -- auxiliaries
  ["도"] = "*", ["만"] = "*", ["까지"] = "*", ["부터"] = "*", ["조차"] = "*",
  ["마저"] = "*", ["밖에"] = "*", ["처럼"] = "*", ["보다"] = "*", ["만큼"] = "*",
  ["마다"] = "*", ["대로"] = "*", ["뿐"] = "*", ["뿐만"] = "*",
  ["이나"] = "C", ["나"] = "V", ["이든지"] = "C", ["든지"] = "V",
  ["이라도"] = "C", ["라도"] = "V", ["이야말로"] = "C", ["야말로"] = "V",
  -- quotation and the copula's commonest forms on nouns
  ["이라는"] = "C", ["라는"] = "V", ["이라고"] = "C", ["라고"] = "V",
  ["이란"] = "C", ["란"] = "V", ["이라든지"] = "C", ["라든지"] = "V",
  ["이라든가"] = "C", ["라든가"] = "V",
  ["이며"] = "*",   -- 대표이며: the copula keeps its 이 after a vowel too
  -- stacked
  ["에는"] = "*", ["에도"] = "*", ["에만"] = "*", ["에의"] = "*",
  ["에서는"] = "*", ["에서도"] = "*", ["에서만"] = "*", ["에서의"] = "*", ["에서부터"] = "*",
  ["에게는"] = "*", ["에게도"] = "*", ["에게만"] = "*", ["께서는"] = "*", ["한테는"] = "*",
  ["으로는"] = "C-", ["로는"] = "V+", ["으로도"] = "C-", ["로도"] = "V+",
  ["으로만"] = "C-", ["로만"] = "V+", ["으로의"] = "C-", ["로의"] = "V+",
  ["과는"] = "C", ["와는"] = "V", ["과도"] = "C", ["와도"] = "V", ["과의"] = "C", ["와의"] = "V",
  ["까지는"] = "*", ["까지도"] = "*", ["까지의"] = "*", ["까지만"] = "*",
  ["부터는"] = "*", ["부터의"] = "*", ["부터도"] = "*",
  ["만은"] = "*", ["만이"] = "*", ["만을"] = "*", ["만의"] = "*",
  ["만큼은"] = "*", ["만큼의"] = "*", ["보다는"] = "*", ["보다도"] = "*", ["조차도"] = "*",
}

-- A one-syllable particle needs a stem of at least two characters, except
-- after these one-syllable nouns and pronouns (것이, 등을, 그는 …).
M.short_stems = {}
for w in ([[것 등 수 중 측 집 돈 땅 법 값 말 일 차 물 불 꿈 힘 빛 삶 뒤 앞 속 밖 위 곳 때
  안 팀 점 길 몸 밤 낮 날 달 표 당 뜻 책 글 약 병 상 옷 시 군 산 강 쪽 편 층
  개 명 번 년 월 원 분 초 권 건 예 그 이 저 나 너 내 제]]):gmatch("%S+") do
  M.short_stems[w] = true
end

-- Particles that need a longer stem than the rule above (in characters):
-- the 라-forms of the copula would cut 나라는 into 나 + 라는.
M.min_stem = { ["라는"] = 2, ["라고"] = 2, ["란"] = 2, ["라도"] = 2, ["라든지"] = 2, ["라든가"] = 2 }

-- Never cut right after these stem endings: they are verb forms
-- (진행하는, 했다는, 발표되는, 하라고).
M.not_after = {
  ["는"] = { ["하"] = true, ["되"] = true, ["다"] = true, ["히"] = true },
  ["라는"] = { ["하"] = true, ["다"] = true },
  ["라고"] = { ["하"] = true, ["다"] = true },
  ["며"] = { ["하"] = true },
}

-- A stem ending in a syllable with one of these finals is a verb or adjective
-- (많은, 있는, 좋은, 앉은, 잃은): ㄵ ㄶ ㄾ ㄿ ㅀ ㅆ ㅎ (final indices).
M.verb_finals = { [5] = true, [6] = true, [13] = true, [14] = true, [15] = true,
  [20] = true, [27] = true }

-- Words kept whole when they are the whole word: a short stem plus a
-- particle-like syllable that is really one word (수도, 주가, 제도, 불과).
M.keep_words = {}
for w in ([[
  길이 이의 수도 시도 중도 안도 위도 차도 강도 제도 주가 일과 불과 불만 대만 수만 산도
  그대로 제대로 이대로 그만 이만 상도 점도 번번이 군도 속도 도로
]]):gmatch("%S+") do
  M.keep_words[w] = true
end

-- Word endings that are never cut where the cut would fall inside them:
-- nouns ending in a particle-like syllable (고양이, 신뢰도), adverbs (같이),
-- conjunctions and verb endings (그러나, -지만, -거나, -으므로). Each entry
-- also blocks compounds (새끼고양이), so two-syllable entries that are common
-- endings of other words (회의: 국회의, 정의: 과정의) are left out on purpose.
M.keep = {}
for w in ([[
  고양이 어린이 원숭이 호랑이 놀이 높이 넓이 깊이 먹이 젊은이 늙은이 지은이 옮긴이
  쌍둥이 막둥이 달팽이 지팡이 쟁이 잡이 같이 똑같이 깨끗이 일일이 틈틈이 곰곰이
  샅샅이 낱낱이 겹겹이 없이 굳이 오롯이 버젓이 느긋이 따뜻이 아무래도
  결과 주의 합의 협의 논의 창의
  신뢰도 만족도 인지도 의존도 선호도 완성도 중요도 집중도 관심도 투명도 난이도 민감도
  기여도 활용도 성숙도 숙련도 충성도 이해도 체감도 경기도 강원도 제주도 충청도 전라도
  경상도 울릉도 한반도 가속도 고속도로
  백만 천만 십만 비만 충만 항만
  그러나 하지만 지만 그러면 그런데 그래서 그러므로 므로 거나 으나 더라도 하려는 되려는
  우리나라 나아가 들어가 이어가 살아가 넘어가 올라가 내려가 돌아가 따라가 앞서가
  스스로 저절로 그대로 제대로 이대로 정치가
  같은 받은 얻은 찾은 잡은 맞은 높은 낮은 깊은 늦은 좁은 작은 짧은 젊은 먹은 믿은
  시키는 만드는 모르는 미치는 버리는 불리는 따르는 이르는 부르는 흐르는 오르는 가르치는
  넘치는 느끼는 바꾸는 나누는 키우는 지키는 이끄는 다루는 바라는 치르는 고르는 기르는
  누르는 알리는 늘리는 올리는 열리는 걸리는 들리는 팔리는 살리는 몰리는 밀리는 쓰이는
  놓이는 보이는 줄이는 높이는 지니는 가지는 해치는 마치는 던지는 어지는 워지는 해지는
  뤄지는 생기는 하라는
]]):gmatch("%S+") do
  M.keep[w] = true
end

-- Derived tables, rebuilt when M.particles is replaced or M.refresh() is
-- called: particle byte lengths (longest first), the longest keep entry in
-- characters, and every proper ending of a keep entry (so that the straddle
-- check runs only when a particle could end one).
local lengths, span, tails, built_for

-- Results for words seen before: corpora repeat their words. Bounded.
local cache, cached, CACHE_MAX = {}, 0, 200000

local function rebuild()
  local seen, ls = {}, {}
  for p in pairs(M.particles) do
    if not seen[#p] then seen[#p] = true; ls[#ls + 1] = #p end
  end
  table.sort(ls, function(a, b) return a > b end)
  span, tails = 1, {}
  for w in pairs(M.keep) do
    local l = ulen(w) or #w
    if l > span then span = l end
    for i = 2, l do tails[sub(w, offset(w, i))] = true end
  end
  lengths, built_for = ls, M.particles
  cache, cached = {}, 0
end

-- Final (0-27) of the last character of s when it is a Hangul syllable,
-- else false (Latin, digits …), or nil when s is empty.
local function last_final(s)
  if s == "" then return nil end
  local cp = codepoint(s, offset(s, -1))
  if cp >= 0xAC00 and cp <= 0xD7A3 then return (cp - 0xAC00) % 28 end
  return false
end

local function agrees(cond, t)
  if cond == "*" then return true end
  if t == false then return true end   -- after Latin or digits: AI가, 3월에 … take as written
  if cond == "C" then return t > 0 end
  if cond == "V" then return t == 0 end
  if cond == "C-" then return t > 0 and t ~= 8 end
  if cond == "V+" then return t == 0 or t == 8 end
  return false
end

-- Does a keep entry cover the cut between stem and particle?
local function straddles(stem, particle)
  local keep = M.keep
  local pn = ulen(particle)
  for b = 1, pn do
    local head = sub(particle, 1, (offset(particle, b + 1) or #particle + 1) - 1)
    if tails[head] then
      for a = 1, span - 1 do
        local at = offset(stem, -a)
        if not at then break end
        if keep[sub(stem, at) .. head] then return true end
      end
    end
  end
  return false
end

local function acceptable(word, stem, particle, cond)
  if stem == "" then return false end
  local t = last_final(stem)
  if not agrees(cond, t) then return false end
  if t and M.verb_finals[t] then return false end
  local last = sub(stem, offset(stem, -1))
  local na = M.not_after[particle]
  if na and na[last] then return false end
  if particle == "만" and t == false and last:find("^%d") then return false end   -- 300만 = 3 million
  local stem_chars = ulen(stem)
  if ulen(particle) == 1 and stem_chars < 2 and not M.short_stems[stem] and t ~= false then
    return false
  end
  local min = M.min_stem[particle]
  if min and stem_chars < min then return false end
  if straddles(stem, particle) then return false end
  return true
end

local function strip(word)
  -- a particle standing alone (이라는 after a quotation) is not cut in two
  if M.keep_words[word] or M.particles[word] then return word, nil end
  local particles, n = M.particles, #word
  for _, l in ipairs(lengths) do
    if l < n then
      local p = sub(word, n - l + 1)
      local cond = particles[p]
      -- the cut must fall on a character boundary
      if cond and offset(word, 0, n - l + 1) == n - l + 1 then
        local stem = sub(word, 1, n - l)
        if acceptable(word, stem, p, cond) then return stem, p end
      end
    end
  end
  return word, nil
end

--- strip_josa(word) -> stem, particle | word, nil | nil, "invalid UTF-8", pos
function M.strip_josa(word)
  if built_for ~= M.particles then rebuild() end
  local hit = cache[word]
  if hit then return hit[1], hit[2] end
  if type(word) ~= "string" then
    error("bad argument #1 to 'strip_josa' (string expected, got " .. type(word) .. ")", 2)
  end
  local ok, bad = ulen(word)
  if not ok then return nil, "invalid UTF-8", bad end
  local stem, p = strip(word)
  if cached >= CACHE_MAX then cache, cached = {}, 0 end
  cache[word] = { stem, p }
  cached = cached + 1
  return stem, p
end

--- Call after changing M.keep, M.keep_words, M.short_stems, M.not_after or
--- M.verb_finals at run time (a new M.particles table is noticed by itself).
function M.refresh()
  rebuild()
end

return M
