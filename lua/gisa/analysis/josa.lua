-- gisa.josa: the particle (조사) list behind hangul.strip_josa, kept in Lua so
-- that it can be edited: add a particle, an exception or a short stem here and
-- `gisa.hangul.strip_josa` follows. Deliberately conservative: a
-- word is cut only when the particle agrees with the stem (은/을/이 after a
-- final consonant, 는/를/가 after a vowel, 로 after a vowel or ㄹ), the stem is
-- long enough, and no known word straddles the cut (고양이, 결과, 그러나 …).
-- With the lexicon (build/josa_lexicon.tsv, made from hunspell-ko by
-- tools/josa_lexicon.lua) a word that is itself a noun, adverb or verb form is
-- kept whole (전라남도, 실제로, 커다란), the longest stem that is a known noun
-- wins (청와대 + 로, not 청와 + 대로), and a stem that is a verb is not cut
-- (늘어나 + 는). Without it the rules above work alone.
-- strip_josa cuts particles (조사) only, as a treebank tags them: the
-- copula's forms on a noun (것이라고, 대표이며, 철도기관사라는) are a verb
-- form of the noun, not a particle, and come back whole; strip_noun also
-- cuts them, for counting nouns (freq --nouns).
-- Precision and recall are in docs/hangul.md.
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
  -- contracted: 에는 → 엔, 에서는 → 에선, 에게는 → 에겐, 으로는 → 으론, 로서는 → 로선;
  -- 서 for 에서 after a place word (여기서, 가운데서: only after a known noun).
  -- Not 론 for 로는: after a vowel it is far more often the suffix of a
  -- noun (위기론, 사퇴론, 대세론 'the view that …'), which news writes
  -- all the time, than speech's 이대론, 실제론.
  ["엔"] = "*", ["에선"] = "*", ["에겐"] = "*", ["한텐"] = "*", ["으론"] = "C-",
  ["으로선"] = "C-", ["로선"] = "V+", ["서"] = "*", ["서는"] = "*", ["서도"] = "*",
  -- 에 + 로, literary (무대화에로): without it the cut falls inside (무대화에 + 로)
  ["에로"] = "*",
}

-- The copula 이다's commonest forms on a noun (이라는 = 이 + 라는 …): listed in
-- M.particles so that the cut is found where it falls (혁신이라는 is not
-- 혁신이라 + 는), but strip_josa keeps such a word whole; strip_noun cuts it.
-- 이란, 이라도, 이라든지 are auxiliary particles and stay particles.
M.copula = { ["이라는"] = true, ["라는"] = true, ["이라고"] = true, ["라고"] = true, ["이며"] = true }

-- Bound nouns (의존명사) that are also the first part of a particle (밖에,
-- 만큼, 뿐만): a word written apart that starts with one (이 밖에도, 할
-- 만큼의) is that noun and a particle, since a particle never stands alone.
M.bound_nouns = { "밖", "만큼", "뿐" }

-- Stacked particles made of two: a case particle then a topic, additive,
-- genitive or 'only' particle (로서의, 에서와, 만으로, 까지도). The first
-- decides the sound it must follow.
do
  local first = { "으로서", "로서", "으로써", "로써", "으로부터", "로부터", "에게서", "한테서",
    "에서", "에게", "한테", "께서", "께", "에", "으로", "로", "과", "와", "이랑", "랑", "까지", "부터", "처럼", "보다",
    "만큼", "마다", "조차", "마저", "밖에", "만", "대로" }
  local second = { "는", "은", "도", "의", "만", "까지", "처럼", "보다", "부터", "밖에" }
  local vowel_end = function(p)
    local cp = utf8.codepoint(p, utf8.offset(p, -1))
    return (cp - 0xAC00) % 28
  end
  for _, a in ipairs(first) do
    local cond = M.particles[a]
    local t = vowel_end(a)
    for _, b in ipairs(second) do
      local bc = M.particles[b]
      -- the second must agree with the end of the first (로서는, 만은, 에서와, 만으로)
      local ok = bc == "*" or (bc == "C" and t > 0) or (bc == "V" and t == 0)
        or (bc == "C-" and t > 0 and t ~= 8) or (bc == "V+" and (t == 0 or t == 8))
      if ok and a ~= b and not M.particles[a .. b] then M.particles[a .. b] = cond end
    end
  end
  for p, cond in pairs({ ["만으로"] = "*", ["만으로도"] = "*", ["만으로는"] = "*", ["에게로"] = "*",
    ["에서와"] = "*", ["에서나"] = "*", ["으로까지"] = "C-", ["로까지"] = "V+", ["에서조차"] = "*",
    ["과도"] = "C", ["와도"] = "V", ["과는"] = "C", ["와는"] = "V",
    -- 이나 of comparison or choice after an auxiliary (작년만큼이나, 서울까지나)
    ["만큼이나"] = "*", ["처럼이나"] = "*", ["까지나"] = "*", ["부터나"] = "*",
    ["에게나"] = "*", ["한테나"] = "*" }) do
    M.particles[p] = M.particles[p] or cond
  end
end

-- A one-syllable particle needs a stem of at least two characters, except
-- after these one-syllable nouns and pronouns (것이, 등을, 그는 …).
M.short_stems = {}
for w in ([[것 등 수 중 측 집 돈 땅 법 값 말 일 차 물 불 꿈 힘 빛 삶 뒤 앞 속 밖 위 곳 때
  안 팀 점 길 몸 밤 낮 날 달 표 당 뜻 책 글 약 병 상 옷 시 군 산 강 쪽 편 층
  개 명 번 년 월 원 분 초 권 건 예 그 이 저 나 너 내 제 만
]]):gmatch("%S+") do
  M.short_stems[w] = true
end
-- More one-syllable nouns, taken only with the lexicon, which keeps the
-- nouns they would cut whole (회의, 정도, 간의 …).
M.lexicon_short_stems = {}
for w in ([[
  맛 문 옆 밑 끝 곁 틈 칸 줄 벽 창 방 숲 섬 논 밭 꽃 잎 풀 씨 뼈 피 살 털 손 발 눈 귀 코
  목 팔 배 턱 혀 밥 국 떡 빵 술 쌀 콩 잠 땀 빚 몫 꼴 탓 짓 척 공 골 볼 홈 컵 칩 팬 펜
  칼 총 회 판 면 선 격 덕 복 운 정 흥 화 맘 봄 철 해 돌 흙 왕 신 남 북 동 소 닭 곰 뱀 쥐
  벌 용 꿀 암 뇌 혈 폐 간 장 푼 평 톤 숨
]]):gmatch("%S+") do
  M.lexicon_short_stems[w] = true
end
-- ...except these, which are also verb stems before 은/을/는 (입은, 신은, 안은,
-- 감은), or verb forms before 도 and 나 (해도, 가도, 나와, 해나)
M.short_not = {
  ["은"] = { ["입"] = true, ["신"] = true, ["안"] = true, ["남"] = true, ["감"] = true,
    ["참"] = true, ["간"] = true,
    ["숨"] = true },   -- 숨은 (숨다: 숨은 공신); 숨을 쉬다 is the noun
  ["을"] = { ["입"] = true, ["신"] = true, ["안"] = true, ["남"] = true, ["감"] = true,
    ["참"] = true, ["간"] = true },   -- (잠은, 잠을: 잠 'sleep', no verb 잠다)
  ["는"] = { ["해"] = true, ["배"] = true, ["피"] = true,
    ["내"] = true,     -- 내는 is 내다's form: the pronoun takes 나는
    ["쥐"] = true },   -- 쥐는 (쥐다: 주도권을 쥐는) far more than the animal
  ["도"] = { ["해"] = true },
  ["나"] = { ["해"] = true },
  ["와"] = { ["나"] = true },
  ["가"] = { ["해"] = true },
}

-- One-syllable nouns whose ㄹ form is also a verb (구 + 는, not 굴다's 구는):
-- in news these stand alone as the district, province, ministry, thing.
M.l_drop_nouns = { ["구"] = true, ["도"] = true, ["부"] = true, ["거"] = true }

-- Particles that need a longer stem than the rule above (in characters):
-- the 라-forms of the copula would cut 나라는 into 나 + 라는.
M.min_stem = { ["서"] = 2, ["서는"] = 2, ["서도"] = 2, ["라는"] = 2, ["라고"] = 2, ["란"] = 2, ["라도"] = 2, ["라든지"] = 2, ["라든가"] = 2 }

-- Never cut right after these stem endings: they are verb forms
-- (진행하는, 했다는, 발표되는, 하라고).
M.not_after = {
  ["는"] = { ["하"] = true, ["되"] = true, ["다"] = true, ["히"] = true,
    ["시"] = true },   -- the honorific -시- (하시는, 아시는); 도시는 is a known noun
  ["라는"] = { ["하"] = true, ["다"] = true },
  ["라고"] = { ["하"] = true, ["다"] = true },
  ["며"] = { ["하"] = true },
  ["란"] = { ["다"] = true },        -- 커다란, 기다란
  ["서"] = { ["해"] = true, ["어"] = true, ["아"] = true, ["여"] = true },
  ["서는"] = { ["해"] = true, ["어"] = true, ["아"] = true, ["여"] = true },
  ["서도"] = { ["해"] = true, ["어"] = true, ["아"] = true, ["여"] = true },
}

-- Particles that are cut only after a stem the lexicon knows as a noun (서:
-- 여기서, 가운데서, but not 나서, 따라서), and, when the lexicon is there,
-- particles that are also verb endings, not cut after an unknown stem ending
-- in a verb's 아/어 form (있어도, 같아도; 나: 나타나, 모르나).
M.needs_known = { ["서"] = true, ["서는"] = true, ["서도"] = true,
  -- 든지 is as often a verb ending (하든지, 가시든지) as a particle
  ["든지"] = true, ["이든지"] = true }
M.verbal_after_unknown = { ["도"] = true, ["나"] = true, ["야"] = true }
-- Light verbs that make a verb of the noun before them (짜증나다, 보장받다,
-- 발표되다, 진행하다): an unknown stem that is a known noun and one of these is
-- a verb, whatever follows. (내, 당 are left out: 기간내에, 진보당은.)
M.light_verbs = { ["나"] = true, ["되"] = true, ["하"] = true, ["받"] = true,
  ["쉬"] = true, ["짓"] = true }   -- 숨쉬다, 결론짓다
M.connective_ends = {}
-- (데: the concessive -ㄴ데도, -는데도)
for w in ("어 아 여 해 워 와 져 려 쳐 돼 봐 줘 혀 셔 켜 춰 뤄 꿔 놔 써 겨 타 르 하 되 가 오 보 주 두 지 리 기 니 데"):gmatch("%S+") do
  M.connective_ends[w] = true
end

-- A stem ending in a syllable with one of these finals is a verb or adjective
-- (많은, 있는, 좋은, 앉은, 잃은): ㄵ ㄶ ㄾ ㄿ ㅀ ㅆ ㅎ (final indices).
M.verb_finals = { [5] = true, [6] = true, [13] = true, [14] = true, [15] = true,
  [20] = true, [27] = true }

-- Words kept whole when they are the whole word: a short stem plus a
-- particle-like syllable that is really one word (수도, 주가, 제도, 불과);
-- verbs whose stem is also a noun, far commoner as the verb before 는
-- (배우는 of 배우다, not 배우 'actor' + 는; 전하는, 이루는, 하자는; 소중히 여기는).
M.keep_words = {}
for w in ([[
  길이 이의 수도 시도 중도 안도 위도 차도 강도 제도 주가 일과 불과 불만 대만 수만 산도
  그대로 제대로 이대로 그만 이만 상도 점도 번번이 군도 속도 도로
  위해서 대해서 의해서 통해서 관해서 앞서 뒤이어 아니라는 아니라고 아니란 아니라도 아니며
  실제로 주로 새로 서로 절대로 정말로 진짜로 대체로 때로 억지로 함부로 의외로 수시로 날로 너무나
  얼마든지 언제든지 누가
  이기는 튀기는 고치는 거치는 반기는 풍기는 비치는 망치는 뭉치는 내치는 벌이는 잠기는 매기는
  누비는 깜빡이는 박차는 사리는
  배우는 이루는 모이는 부리는 번지는 가두는 건너는 달래는 모시는 부수는 지우는 합치는
  자라는 등지는 내주는 실리는 전하는 취하는 관하는 비하는 상하는 절하는 하자는 여기는
]]):gmatch("%S+") do
  M.keep_words[w] = true
end

-- Word endings that are never cut where the cut would fall inside them:
-- nouns ending in a particle-like syllable (고양이, 신뢰도), adverbs (같이),
-- conjunctions and verb endings (그러나, -지만, -거나, -으므로, -듯이,
-- -ㄹ지라도, -거니와). Each entry also blocks compounds (새끼고양이), so
-- two-syllable entries that are common endings of other words (회의: 국회의,
-- 정의: 과정의) are left out on purpose.
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
  스스로 저절로 그대로 제대로 이대로 정치가 인허가 고유가 저유가 고물가
  같은 받은 얻은 찾은 잡은 맞은 높은 낮은 깊은 늦은 좁은 작은 짧은 젊은 먹은 믿은
  시키는 만드는 모르는 미치는 버리는 불리는 따르는 이르는 부르는 흐르는 오르는 가르치는
  넘치는 느끼는 바꾸는 나누는 키우는 지키는 이끄는 다루는 바라는 치르는 고르는 기르는
  누르는 알리는 늘리는 올리는 열리는 걸리는 들리는 팔리는 살리는 몰리는 밀리는 쓰이는
  놓이는 보이는 줄이는 높이는 지니는 가지는 해치는 마치는 던지는 어지는 워지는 해지는
  뤄지는 생기는 하라는 듯이 지라도 거니와 려니와
]]):gmatch("%S+") do
  M.keep[w] = true
end

-- The lexicon: word -> kind ("n" noun, "b" a noun that is also a verb or
-- adjective stem (입, 신, 다리), "a" adverb, "v" a verb or adjective
-- form listed whole, "s" a verb or adjective stem), read once from
-- build/josa_lexicon.tsv in a checkout, josa_lexicon.tsv in the installed
-- share directory, or the file named by GISA_JOSA_LEXICON ("" for none).
-- M.lexicon_words holds words added by hand on top of it (place names and
-- loanwords that end like a particle, a pronoun hunspell-ko lacks; general
-- vocabulary, never a name).
M.lexicon_words = {}
for w in ([[
  토론토 몬테네그로 교토 나고야 오사카 멕시코 샌디에이고 산티아고 시카고 카이로
  올랜도 도쿄도 홋카이도 가고시마 오키나와 나이로비 콩고 토고 부르키나파소 피지
  레스토랑 카페 바리스타 스파게티 라자냐 티라미수 부리토 타코 망고 아보카도 토마토 감자도
  파스타 피자 과자 떡볶이 순대 김밥 라면 만두 비빔밥 불고기 갈비 삼겹살 막걸리 소주 맥주
  빅데이터 인프라 플랫폼 알고리즘 메타버스 스타트업 유니콘 유튜브 넷플릭스 틱톡 카카오
  위키백과 위키피디아 블록체인 가상화폐 가상자산 스테이블코인 반도체 배터리 디스플레이
  청와대 용산 여의도 강남 세종 부처 국회 정당 야당 여당 검찰 법원 헌재 대법원
  활주로 고속도로 국도 지방도 군도 섬진강 한강 낙동강 영산강 금강 대로 종로 을지로 세종로
  충무로 테헤란로 퇴계로 남대문로 전라남도 전라북도 경상남도 경상북도 충청남도 충청북도
  제주도 울릉도 독도 강화도 거제도 진도 완도 백령도 연평도 여의도 영종도
  누구
]]):gmatch("%S+") do
  M.lexicon_words[w] = "n"
end

-- Words cut as written, though the lexicon also lists them whole (나는
-- 'flying', 내가, 수가 'fee', 말로 'end'): in news they are a pronoun or a
-- one-syllable noun with its particle, most often a bound noun after a verb
-- (성과 중의 하나: 중의 'Buddhist robe' is the rarer reading; 한 적이 있다,
-- 본 적도 없다: the bound noun 적 of experience, not the adverb 적이 or 적도
-- 'equator'). Likewise a noun of two syllables and a particle that the
-- lexicon also lists as a noun in -도 (圖, 徒: 계획 + 도, not 계획도 'plan
-- drawing'; 측면 + 도, 과학 + 도), -의 (儀: 지구 + 의), -로 (~을 필두 +
-- 로), and 세상 + 에 (the interjection 세상에 is rare in news); the
-- pronouns of place with 선, the contracted 서는 (여기선, 어디선).
M.split_words = {}
for w, stem in ([[
  나는=나 내가=내 저는=저 제가=제 너는=너 네가=네 우리는=우리 우리가=우리 저희는=저희
  저희가=저희 그는=그 그가=그 그녀는=그녀 그녀가=그녀
  수가=수 배가=배 적이=적 적도=적 중의=중 측은=측 말로=말 일로=일 이에=이 채로=채 그만의=그
  계획도=계획 구상도=구상 상상도=상상 기사도=기사 과학도=과학 문학도=문학 배치도=배치
  구제도=구제 제작도=제작 가상도=가상 모형도=모형 일기도=일기 최고도=최고 측면도=측면
  전개도=전개 순서도=순서 회로도=회로 가계도=가계 조각도=조각
  지구의=지구 만반의=만반 필두로=필두 세상에=세상
  여기선=여기 거기선=거기 저기선=저기 어디선=어디
]]):gmatch("(%S+)=(%S+)") do
  M.split_words[w] = stem
end

local lexicon_state   -- nil: not read yet; false: none; else the table

local function lexicon_path()
  local env = os.getenv("GISA_JOSA_LEXICON")
  if env then return env ~= "" and env or nil end
  local src = debug.getinfo(1, "S").source
  local root = src:match("^@(.*)/lua/gisa/analysis/josa%.lua$")
  if not root then return nil end
  for _, p in ipairs({ root .. "/build/josa_lexicon.tsv", root .. "/josa_lexicon.tsv" }) do
    local f = io.open(p, "rb")
    if f then f:close(); return p end
  end
  return nil
end

--- The lexicon (word -> kind) or nil when there is none; read once.
function M.lexicon()
  if lexicon_state == nil then
    lexicon_state = false
    local path = lexicon_path()
    local f = path and io.open(path, "rb")
    if f then
      local data = f:read("a")
      f:close()
      -- one "word<TAB>kind" a line, made into the table in C (a fifth of
      -- what a gmatch over the file cost: ~200 M instructions a process)
      lexicon_state = require("gisa.text").pairs(data)
    end
  end
  return lexicon_state or nil
end

--- Which lexicon file M.lexicon() reads (nil: none found).
M.lexicon_file = lexicon_path

-- Derived tables, rebuilt when M.particles is replaced or M.refresh() is
-- called: particle byte lengths (longest first), the longest keep entry in
-- characters, and every proper ending of a keep entry (so that the straddle
-- check runs only when a particle could end one), and the last bytes of
-- every particle's last character (a word ending in none has none to cut).
local lengths, span, tails, built_for, unsure, first_of, ends

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
  unsure = {}
  for p in pairs(M.particles) do
    if p:find("^로") or p == "론" or p:find("^라도") or p == "나"
        or (p:find("^만") and not p:find("^만큼")) then
      unsure[p] = true
    end
  end
  -- each particle's first syllable (서는 -> 서), for the checks of acceptable()
  first_of = {}
  for p in pairs(M.particles) do first_of[p] = sub(p, 1, offset(p, 2) and offset(p, 2) - 1 or #p) end
  ends = {}
  for p in pairs(M.particles) do ends[sub(p, offset(p, -1) or 1)] = true end
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

-- After a known noun of two syllables or more, a keep entry that starts
-- inside the stem does not block the cut: the noun is read whole (통합 + 의,
-- 해결 + 과, 아버지 + 만, 시가지 + 는, 눈높이 + 는, 막걸리 + 는), while
-- an entry that starts the word still does (관심도, 가지는, 하지만), and
-- after an unknown stem every entry does (연구결 + 과, 고객만족 + 도).
-- Numbers always block: 백만, 천만, 십만 after a numeral (수천 + 만, 오십 +
-- 만), not after other syllables (공백 + 만, 춘천 + 만).
M.keep_always = { ["백만"] = true, ["천만"] = true, ["십만"] = true }
M.numerals = {}
for w in ("수 몇 일 이 삼 사 오 육 칠 팔 구 십 백 천 만 억"):gmatch("%S+") do M.numerals[w] = true end

-- ...and a verb ending after a noun whose part before its last syllable is
-- a verb stem (가지 + 만 is 가다's 가지만, 대거 + 나 대다's 대거나).
M.verb_endings = {}
for w in ("지만 거나 으나 므로 더라도"):gmatch("%S+") do M.verb_endings[w] = true end
local function verb_led(stem)
  local lx = M.lexicon()
  if not lx or ulen(stem) < 2 then return false end
  -- (a longer stem too: 이렇 + 지만, though the lexicon lists 이렇지 as a noun)
  local k = lx[sub(stem, 1, offset(stem, -1) - 1)]
  return k == "s" or k == "b"
end

-- Stems ending in a verb form (하지도, 되기를; see acceptable): -기 before
-- any particle, -고 before 도 and 는, -지 before 도, 는, 만, 를 (하지를
-- 않았다; 하지의, 하지에 are the solstice)
M.verb_tails = { ["하기"] = true, ["되기"] = true }
for _, w in ipairs({ "하고", "되고" }) do M.verb_tails[w] = { ["도"] = true, ["는"] = true } end
for _, w in ipairs({ "하지", "되지" }) do
  M.verb_tails[w] = { ["도"] = true, ["는"] = true, ["만"] = true, ["를"] = true }
end

-- Does a keep entry cover the cut between stem and particle? KNOWN: the
-- stem is a known noun of two syllables or more (see M.keep_always).
local function straddles(stem, particle, known)
  local keep = M.keep
  local pn = ulen(particle)
  for b = 1, pn do
    local head = sub(particle, 1, (offset(particle, b + 1) or #particle + 1) - 1)
    if tails[head] then
      for a = 1, span - 1 do
        local at = offset(stem, -a)
        if not at then break end
        local w = sub(stem, at) .. head
        if keep[w] and (not known or at == 1 or (M.verb_endings[w] and verb_led(stem))
            or (M.keep_always[w] and M.numerals[sub(stem, offset(stem, -2), at - 1)])) then
          return true
        end
      end
    end
  end
  return false
end

local function last_syllable(s)
  return sub(s, offset(s, -1))
end

-- The lexicon's kind for a word: the hand list first; a noun that is also a
-- verb stem ("b") counts as a noun ("n") except for one-syllable stems.
local function kind_of(lx, w)
  local k = M.lexicon_words[w] or (lx and lx[w])
  if k == "b" then return "n" end
  return k
end

-- One-syllable particles that no verb ending looks like after a bare verb
-- stem: a one-syllable noun that is also a verb stem (배, 차, 물: 배다,
-- 차다, 물다) takes these (배가, 차를, 물에), and 은/을 after ㄹ (물을, 길은:
-- a ㄹ stem drops its ㄹ before them, 문, 물); not 는, 도, 나 (배는, 차도 are
-- also verb forms).
M.not_verbal = {}
for w in ("이 가 를 의 에 로 과 와 만 께 엔 뿐"):gmatch("%S+") do M.not_verbal[w] = true end

-- Can the syllable S stand for a verb's 아/어 form as it is: no final, and a
-- vowel that takes 아/어 in (ㅏ ㅐ ㅓ ㅔ ㅕ ㅘ ㅙ ㅝ ㅞ: 가, 개, 서, 세, 켜, 봐 …)?
local absorbing = { [0] = true, [1] = true, [4] = true, [5] = true, [6] = true, [9] = true,
  [10] = true, [14] = true, [15] = true }
local function absorbs(syl)
  local cp = codepoint(syl) - 0xAC00
  return cp >= 0 and cp < 11172 and cp % 28 == 0 and absorbing[(cp // 28) % 21] == true
end

-- A one-syllable stem takes a one-syllable particle P when it is a listed
-- noun, or, with the lexicon, a one-syllable noun of the lexicon that is not
-- also a verb stem (항을, 맛이; not 입은, 신을, which are verb forms), or one
-- that is (kind b) before a particle of M.not_verbal (배가, 물을).
local function short_stem(stem, lx, p)
  if M.short_stems[stem] then return true end
  if lx == nil then return false end
  if M.lexicon_short_stems[stem] or lx[stem] == "n" then return true end
  if p and lx[stem] == "b" then
    if M.not_verbal[p] then return true end
    if (p == "은" or p == "을") and last_final(stem) == 8 then return true end
    -- 도 follows a verb's 아/어 form (해도, 가도, 봐도), never a bare stem
    -- that cannot be one: a final consonant (숨도, 죄도 …: 숨어도) or a vowel
    -- that does not take in 아/어 (비도, 쉬도: 비어도, 쉬어도)
    if p == "도" and not absorbs(stem) then return true end
  end
  return false
end

-- Is STEM a noun the lexicon knows: itself, its plural (사람들), a number
-- with a counter (45개, 19세)? One syllable counts only from M.short_stems.
local function known_noun(lx, stem)
  if ulen(stem) < 2 then return short_stem(stem, lx) end
  local k = kind_of(lx, stem)
  if k == "n" then return true end
  -- a verb stem in 들 is no plural (곁들 + 이나, 힘들 + 이나)
  if k == "s" or k == "v" then return false end
  local base = stem:match("^(.+)들$")
  if base and (kind_of(lx, base) == "n" or short_stem(base, lx)) then return true end
  local unit = stem:match("^[%d,.]+(.+)$")
  if unit and (kind_of(lx, unit) == "n" or short_stem(unit, lx)) then return true end
  return false
end

-- KNOWN: the stem is a noun the lexicon knows, which no verb-ending rule
-- (M.not_after: 했다는, 하라고) applies to (바다는, 파라다이스라는).
local function acceptable(word, stem, particle, cond, known, lx)
  if stem == "" then return false end
  local t = last_final(stem)
  if not agrees(cond, t) then return false end
  if t and M.verb_finals[t] then return false end
  local last = last_syllable(stem)
  local na = M.not_after[particle]
  if na and na[last] and not known then return false end
  if t == false and last:find("^%d") and (particle == "만" or particle == "도") then
    return false   -- 300만 = 3 million, 19도 = 19 degrees
  end
  local stem_chars = ulen(stem)
  if ulen(particle) == 1 and stem_chars < 2 and t ~= false then
    if not short_stem(stem, lx, particle) then return false end
    -- a ㄹ verb drops its ㄹ before 는: 아는 (알다), 여는, 우는, 미는;
    -- not the listed short stems (나는, 이는) nor M.l_drop_nouns
    if particle == "는" and t == 0 and lx and not M.short_stems[stem] and not M.l_drop_nouns[stem] then
      local k = lx[utf8.char(codepoint(stem) + 8)]
      if k == "s" or k == "b" then return false end
    end
    local sn = M.short_not[particle]
    if sn and sn[stem] then return false end
  end
  local min = M.min_stem[particle]
  if min and stem_chars < min then return false end
  -- 서 and 도 after a verb stem ending in a consonant and its 아/어 (아
  -- after ㅏ, ㅑ, ㅗ) are the verb's -아서/-어서, -아도/-어도, even when the two
  -- make a noun (남아서, 남아도 of 남다, not 남아 'boy' + 서; 좋아도, 신어도;
  -- not 시리아 + 도, 고아 + 도, 속어 + 도)
  -- verb forms that take particles: 하다's and 되다's -지 (하지도, 진행되지는),
  -- -고 (하고도, 발표하고는) and -기 (하기에, 되기를), and -기 after a past
  -- or future tense (했기에, 있기에); 하지 'summer solstice', 하기 'summer'
  -- are the rarer readings
  if lx and stem_chars >= 2 and (last == "지" or last == "고" or last == "기") then
    local tail2 = sub(stem, offset(stem, -2))
    -- (a longer noun of the lexicon in 하기 stays a noun: 빙하기, 곱하기)
    local vt = M.verb_tails[tail2]
    if vt and (vt == true or vt[particle]) and not (stem_chars >= 3 and kind_of(lx, stem) == "n") then
      return false
    end
    if last == "기" and last_final(sub(stem, 1, -4)) == 20 then return false end
  end
  -- the connective -면서 (이면서도, 가면서도, 내면서도): 서 after a stem in 면
  -- is never 에서's, however the stem reads (이면 'back', 가면 'mask')
  local pfirst = first_of[particle] or sub(particle, 1, 3)
  if pfirst == "서" and last == "면" then return false end
  -- a verb's -아서/-어서 then 는 or 도 (가서는, 타서는, 사서는: a one-syllable
  -- verb stem that takes in 아/어, and 서), not a noun in 서 and the particle
  if lx and (particle == "는" or particle == "도") and stem_chars == 2 and last == "서" then
    local v = sub(stem, 1, -4)
    if (lx[v] == "s" or lx[v] == "b") and absorbs(v) then return false end
  end
  -- 하다's 해서 likewise: 서, 서는, 서도 after a stem in 해 whose 하 form is
  -- a verb stem (대해서는, 위해서도, 심해서: 대하다, 위하다; not 동해 +
  -- 서, the sea, which headlines write 동해서 far less often)
  if lx and pfirst == "서" and last == "해" and stem_chars >= 2 then
    local k = lx[sub(stem, 1, -4) .. "하"]
    if k == "s" or k == "b" or k == "v" then return false end
  end
  -- 와 after a stem whose 오 form is a verb stem is that verb's 아 form
  -- (나와도, 다가와, 건너와도 of 나오다, 다가오다, 건너오다)
  if lx and pfirst == "와" then
    local k = lx[stem .. "오"]
    if k == "s" or k == "b" or k == "v" then return false end
  end
  if lx and (pfirst == "서" or particle == "도") and stem_chars >= 2
      and (last == "아" or last == "어") then
    local v = sub(stem, 1, -4)
    local k = lx[v]
    if k == "s" or k == "b" then
      local cp = codepoint(v, offset(v, -1)) - 0xAC00
      local vowel = (cp // 28) % 21
      if cp >= 0 and cp < 11172 and cp % 28 > 0
          and (last == "아") == (vowel == 0 or vowel == 2 or vowel == 8) then
        return false
      end
    end
  end
  if straddles(stem, particle, known and stem_chars >= 2 and not stem:find("%d")) then return false end
  return true
end

-- Sino-Korean suffixes that make a noun of the noun before them (도로상,
-- 국가간, 기간내, 상승세, 전월세), institutions' among them (경북대, 국방부,
-- 민주당, 경찰청, 위원장, 서울시, 오염수): a second part starting with one is
-- that suffix and a particle (도로상 + 의, 경북대 + 의, 전월세 + 로, 오염수 +
-- 의), not a noun of its own (상의 'jacket', 대의 'cause', 세로 'vertical').
M.noun_suffixes = {}
for w in ([[상 간 내 외 별 적 화 성 권 용 형 식 급 계 측 중 전 후 말 초 단 발 행 산 제
  대 부 당 청 원 장 시 군 구 사 처 국 실 관 소 세 자 수]]):gmatch("%S+") do
  M.noun_suffixes[w] = true
end

-- Is S two nouns of the lexicon, each of two syllables or more (서양 +
-- 사회, 한국 + 사회)?
local function two_nouns(lx, s)
  local n = ulen(s)
  for k = 2, n - 2 do
    local at = offset(s, k + 1)
    if kind_of(lx, sub(s, 1, at - 1)) == "n" and kind_of(lx, sub(s, at)) == "n" then return true end
  end
  return false
end

-- Is WORD two nouns of the lexicon, the second of two syllables or more and
-- not a suffix's (대표회의 = 대표 + 회의; not 도로 + 상의)? Not when the
-- stem before the particle P is itself two such nouns: 서양사회의 reads as
-- 서양사 + 회의 and as 서양 + 사회 + 의, and the particle is far the commoner.
local function compound(lx, word, p)
  local n = ulen(word)
  for k = 1, n - 2 do
    local at = offset(word, k + 1)
    if kind_of(lx, sub(word, 1, at - 1)) == "n" and lx[sub(word, at)] == "n"
        and not M.noun_suffixes[sub(word, at, offset(word, k + 2) - 1)] then
      return not (p and two_nouns(lx, sub(word, 1, #word - #p)))
    end
  end
  return false
end


-- Auxiliary verbs after a verb's 아/어 form (덜어내다, 알려주다, 살펴보다,
-- 늘어가다, 이뤄지다): an unknown stem ending in one of these after such a
-- form is a verb before 는, 도 and 나 (덜어내는, 알려주도, 지켜보나).
M.auxiliaries = {}
for w in ("내 주 보 가 오 지 대 두 놓"):gmatch("%S+") do M.auxiliaries[w] = true end
M.auxiliary_before = { ["는"] = true, ["도"] = true, ["나"] = true }
M.short_auxiliaries = { ["보"] = true, ["내"] = true, ["놓"] = true }

-- Is S (a syllable) a verb's 아/어 form: no final and the vowel ㅓ ㅕ ㅝ
-- (덜어, 알려, 살펴, 이뤄), or one of the 아 forms below? (Other syllables
-- in ㅏ and ㅘ are as often the end of a noun: 투자, 스타화보.)
local connective_vowels = { [4] = true, [6] = true, [14] = true }
M.a_forms = {}
for w in ("아 라 와 봐 놔 해 돼 내 개 새"):gmatch("%S+") do M.a_forms[w] = true end
local function a_form(syl)
  if M.a_forms[syl] then return true end
  local cp = codepoint(syl)
  if cp < 0xAC00 or cp > 0xD7A3 then return false end
  cp = cp - 0xAC00
  return cp % 28 == 0 and connective_vowels[(cp // 28) % 21] == true
end

-- (Also a verb stem of two syllables the lexicon lists after such a form:
-- 흘러 + 나가 + 는, 뛰어 + 들어 ….)
-- (And any one-syllable verb stem of the lexicon but 이 after such a form:
-- 끌어 + 쓰 + 는, 몰아 + 쓰 + 는.)
local function auxiliary_verb(stem, p, lx)
  local n = ulen(stem)
  if not M.auxiliary_before[p] or n < 2 then return false end
  -- two syllables: a one-syllable verb stem that takes in its 아/어, or a
  -- 아/어 form as a_form reads it, and 보, 내 or 놓 (타 + 보 + 는 of 타보다,
  -- 써 + 내 + 는; 가보 'heirloom' is a known noun and never gets here). Not
  -- the other auxiliaries: 파주, 여주, 서대 are places and schools.
  if n == 2 then
    local v, tail = sub(stem, 1, offset(stem, 2) - 1), sub(stem, offset(stem, 2))
    if not M.short_auxiliaries[tail] or not lx then return false end
    local k = lx[v]
    return a_form(v) or ((k == "s" or k == "b") and absorbs(v))
  end
  local last = offset(stem, -1)
  local before = offset(stem, -2)
  local tail = sub(stem, last)
  if a_form(sub(stem, before, last - 1)) then
    if M.auxiliaries[tail] then return true end
    local k = lx and lx[tail]
    if (k == "s" or k == "b") and tail ~= "이" then return true end
  end
  if n < 4 or not lx then return false end
  local third = offset(stem, -3)
  local k = lx[sub(stem, before)]
  return (k == "s" or k == "v") and a_form(sub(stem, third, before - 1))
end

-- Particles whose first syllable is also a verb ending (이기는, 다리도).
local verbal_first = { ["는"] = true, ["은"] = true, ["을"] = true, ["도"] = true, ["나"] = true, ["며"] = true }

-- Is STEM a noun that is also a verb stem (kind b: 가시, 이기) before 든지,
-- far more often the verb ending (가시든지, 하든지) than the particle?
-- (Before 는, 도 such nouns are as often nouns: 차이는, 기대도.)
local function verbal_b(lx, stem, p)
  return lx ~= nil and lx[stem] == "b" and sub(p, -6) == "든지"
end

-- Particles that are also the last syllable of many loanwords and foreign
-- names (아폴로, 메트로, 히어로, 아레나, 오스만): after an unknown stem of
-- two syllables ending in a vowel (or ㄹ, before 로) they are not cut, and a
-- shorter cut is tried (피사로 + 의) or none. A longer unknown stem is most
-- often a compound or a whole loanword (그래픽카드 + 로, 클라우드 + 로).
-- Built by rebuild() as `unsure`: the particles in 로/론, 라도, 나, and 만
-- (not 만큼).
--
-- 나 and 만 end so many names (최유나, 다이애나, 호프만) that after a longer
-- unknown stem ending in a vowel they are cut only when the stem ends in a
-- noun the lexicon knows (세례성사 + 나, 녹차가루 + 만): a noun of LEAST
-- syllables or more (default 2) that is not the whole stem.
local function ends_in_noun(lx, stem, least)
  local n = ulen(stem)
  for k = 1, n - (least or 2) do
    if kind_of(lx, sub(stem, offset(stem, k + 1))) == "n" then return true end
  end
  return false
end

-- Does STEM end in a noun of the lexicon in -가 of three syllables or more
-- (자본가, 전문가: 家, a person)?
local function ends_in_ga_noun(lx, stem)
  return sub(stem, -3) == "가" and ends_in_noun(lx, stem, 3)
end

local function unsure_cut(stem, p, lx)
  if not unsure[p] then return false end
  local n, t = ulen(stem), last_final(stem)
  if n == 2 then return t == 0 or (t == 8 and (p:find("^로") or p == "론") ~= nil) end
  if n > 2 and t == 0 and (p == "나" or p == "만") then return not ends_in_noun(lx, stem) end
  return false
end

local function strip(word)
  if M.particles[word] then
    for _, b in ipairs(M.bound_nouns) do
      if #word > #b and sub(word, 1, #b) == b and M.particles[sub(word, #b + 1)] then
        return b, sub(word, #b + 1)
      end
    end
  end
  -- a particle standing alone (이라는 after a quotation) is not cut in two
  if M.keep_words[word] or M.particles[word] then return word, nil end
  local split = M.split_words[word]
  if split then return split, sub(word, #split + 1) end
  -- no particle ends as the word does: nothing to cut (a long article's
  -- 200,000 distinct numbers with their units, 4가지, 17번째)
  if not ends[sub(word, offset(word, -1) or 1)] then return word, nil end
  local lx = M.lexicon()
  local whole = kind_of(lx, word)
  -- a noun or adverb as it stands (전라남도, 실제로); a verb form too
  -- (커다란, 있어) unless a known noun and a particle make it (그를, 집을)
  if whole == "a" then return word, nil end
  if whole == "n" then
    -- a noun in -가 (家: 투자가, 연구가) whose stem is a noun is read as that
    -- noun and the subject particle, far the commoner in news; 정치가 is kept
    local stem = sub(word, 1, -4)
    if not (sub(word, -3) == "가" and not M.keep[word] and ulen(stem) >= 2
        and kind_of(lx, stem) == "n") then
      return word, nil
    end
  end
  local particles, n = M.particles, #word
  local known_stem, known_p, first_stem, first_p, doubted
  for _, l in ipairs(lengths) do
    if l < n then
      local p = sub(word, n - l + 1)
      local cond = particles[p]
      -- the cut must fall on a character boundary
      if cond and offset(word, 0, n - l + 1) == n - l + 1 then
        local stem = sub(word, 1, n - l)
        -- particles come longest first: the last known stem is the longest
        local vb = verbal_b(lx, stem, p)
        -- 서 after a noun and 에 is 에서 (세상 + 에서, though the lexicon
        -- lists 세상에 'good heavens' too): the longer stem is not taken
        if not vb and (lx or M.needs_known[p]) and known_noun(lx, stem) and acceptable(word, stem, p, cond, true, lx)
            and not (first_of[p] == "서" and sub(stem, -3) == "에" and ulen(stem) >= 3
              and known_noun(lx, sub(stem, 1, -4))) then
          known_stem, known_p = stem, p
        end
        if first_stem == nil and not M.needs_known[p] and acceptable(word, stem, p, cond, false, lx) then
          if lx and unsure_cut(stem, p, lx) then
            -- 만 stacked on another particle after a doubtful stem (앗제 +
            -- 만의): the stem may end in 만 as well (호프만 + 의), so no
            -- shorter cut; a name in 로 takes the shorter one (피사로 + 의)
            if sub(p, 1, 3) == "만" and #p > 3 then doubted = true end
          else
            first_stem, first_p = stem, p
            if vb then first_stem = false end   -- a verb form: no shorter cut either
          end
        end
      end
    end
  end
  -- a 르 verb's form as listed (부를 of 부르다, 모를, 오를) is not a
  -- one-syllable noun and 를 unless that noun is one of the common short
  -- stems (이를, 그를); before 은/을 the noun stays (빚을, 밭을, 숨을)
  -- a verb form listed whole in 나 is the verb's 아/어 form (일어나 of
  -- 일어나다, not 일어 'Japanese' + 나)
  if known_stem and not (whole == "v" and known_p == "를" and ulen(known_stem) == 1
      and not M.short_stems[known_stem]) and not (whole == "v" and known_p == "나") then
    -- a noun that is also a verb stem in 시 before 는 is the verb with the
    -- honorific -시- or the verb itself (가시는, 계시는, 모시는, 적시는)
    if known_p == "는" and lx and lx[known_stem] == "b" and sub(known_stem, -3) == "시" then
      return word, nil
    end
    return known_stem, known_p
  end
  if whole == "v" or not first_stem then return word, nil end
  if doubted then return word, nil end
  if lx then
    -- an unknown stem: not a verb (늘어나 + 는, 있어 + 도, 즐기다 + 가), nor
    -- an adverb, which is as often a verb's stem (내리는, 달리는: 내리다, 달리다)
    local k = kind_of(lx, first_stem)
    if k == "s" or k == "v" or k == "a" then return word, nil end
    -- nor a Sino-Korean word of three syllables or more as it stands (kind
    -- h, from libhangul's hanja list: 한려수도 閑麗水道, not 한려수 + 도): after
    -- a stem no dictionary knows, the whole word that one does know wins
    if whole == "h" then return word, nil end
    -- nor a verb stem that takes in the particle's first syllable (움직 +
    -- 이나 is 움직이 + 나, 받아들 + 이나 is 받아들이 + 나)
    -- (a bare verb stem is no word: 들 + 이 stays cut)
    if #first_p > 3 and kind_of(lx, first_stem .. sub(first_p, 1, 3)) == "s" then return word, nil end
    -- a ㄹ verb drops its ㄹ before 는 (웃도 + 는 of 웃돌다, 만드 + 는 of 만들다)
    if first_p == "는" and last_final(first_stem) == 0
        and kind_of(lx, sub(first_stem, 1, -4) .. utf8.char(codepoint(first_stem, -3) + 8)) == "s" then
      return word, nil
    end
    if first_stem:find("다$") and kind_of(lx, first_stem) == nil then
      local before = sub(first_stem, 1, -4)
      -- 즐기다 + 가, 하다 + 가, 먹다 + 가 (a verb stem that is also a noun: 하,
      -- 먹, 살); 왔다 + 가, 했다 + 는: a past or future tense (ㅆ) before 다;
      -- 한데다 + 가, 는데다 + 가: the connective -ㄴ데다가
      local kb = lx[before]
      if kb == "s" or kb == "b" or last_final(before) == 20 or sub(before, -3) == "데" then
        return word, nil
      end
    end
    -- a compound of two known nouns, the second ending like a particle
    -- (대표 + 회의, not 대표회 + 의): the stem is unknown, the compound is not
    if compound(lx, word, first_p) then return word, nil end
    -- a word whose last two syllables end more nouns of the lexicon than
    -- the stem's last syllable does is a bare noun (설날맞 + 이: -맞이 ends
    -- more nouns than 맞; the lexicon lists such endings as "~맞이", kind e,
    -- made by tools/josa_lexicon.lua)
    if #first_p == 3 and lx["~" .. last_syllable(first_stem) .. first_p] == "e" then
      return word, nil
    end
    -- (not a noun in -가 家 of three syllables or more at the end of the
    -- stem: 출판자본가 + 나, 전문가 + 도)
    if M.verbal_after_unknown[first_p] and M.connective_ends[last_syllable(first_stem)]
        and not ends_in_ga_noun(lx, first_stem) then
      return word, nil
    end
    if auxiliary_verb(first_stem, first_p, lx) then return word, nil end
    -- polite and connective verb endings: -습니다/-ㅂ니다 (좋습니다 + 만),
    -- -면서 (하면서 + 도), -지만 (우울하지만 + 은), -아서/-어서 (해서 + 는,
    -- 먹어서 + 도); the copula's noun form (사람들이기 + 는)
    local e6 = sub(first_stem, -6)
    if e6 == "니다" or e6 == "면서" or e6 == "이기" or e6 == "지만" then return word, nil end
    -- a question quoted (-냐는: 것이냐 + 는, 하느냐 + 는) or a proposal
    -- (-자는 after a verb stem: 즐기자 + 는, 하자 + 는)
    local e3 = sub(first_stem, -3)
    if e3 == "냐" then return word, nil end
    if first_p == "는" and e3 == "자" and ulen(first_stem) >= 2 then
      local v = sub(first_stem, 1, -4)
      local kv = lx[v]
      if kv == "s" or kv == "b" or sub(v, -3) == "하" then return word, nil end
    end
    if (first_p == "는" or first_p == "도") and sub(first_stem, -3) == "서" and ulen(first_stem) >= 2
        and a_form(sub(first_stem, offset(first_stem, -2), -4)) then
      return word, nil
    end
    -- 서 then 는 or 도 after an unknown stem is as often the contracted 서는,
    -- 서도 (드래프트 + 서는) as a noun in 서: cut only after a known noun in
    -- 서 (총비서 + 는, 사업계획서 + 도)
    if (first_p == "는" or first_p == "도") and sub(first_stem, -3) == "서"
        and ulen(first_stem) >= 3 and not ends_in_noun(lx, first_stem) then
      return word, nil
    end
    -- an adverb in -게 and 도 (놀랍게 + 도, 불행하게 + 도: 놀랍다, 불행하다)
    if first_p == "도" and sub(first_stem, -3) == "게" and ulen(first_stem) >= 2 then
      local v = sub(first_stem, 1, -4)
      local kv = lx[v]
      if kv == "s" or kv == "b" or sub(v, -3) == "하" then return word, nil end
    end
    -- a quoted statement's -다라는 (집합이다라 + 는, 했다라 + 는)
    if first_p == "는" and sub(first_stem, -6) == "다라" then return word, nil end
    -- the ending -(으)려는 of intention (지키려 + 는, 먹으려 + 는)
    if first_p == "는" and sub(first_stem, -3) == "려" and ulen(first_stem) >= 2 then
      local v = sub(first_stem, 1, -4)
      local kv = kind_of(lx, v)
      if kv == "s" or lx[v] == "b" or sub(v, -3) == "으" then return word, nil end
    end
    -- a noun and a light verb (짜증나 + 는, 보장받 + 을)
    if ulen(first_stem) >= 2 then
      local at = offset(first_stem, -1)
      local noun = sub(first_stem, 1, at - 1)
      if M.light_verbs[sub(first_stem, at)] and (known_noun(lx, noun) or lx[noun] == "b") then
        return word, nil
      end
    end
  end
  return first_stem, first_p
end

-- The cache entry for WORD: { stem, particle, stem, particle }, strip()'s
-- cut (the copula's forms included: strip_noun) then strip_josa's (without
-- them); or nil, "invalid UTF-8", pos.
local function entry(word, name)
  if type(word) ~= "string" then
    error("bad argument #1 to '" .. name .. "' (string expected, got " .. type(word) .. ")", 3)
  end
  local ok, bad = ulen(word)
  if not ok then return nil, "invalid UTF-8", bad end
  local stem, p = strip(word)
  local e
  -- (a word left whole is kept as false: no table for most of a vocabulary)
  if not p then e = false
  elseif M.copula[p] then e = { stem, p, word, nil } else e = { stem, p, stem, p } end
  if cached >= CACHE_MAX then cache, cached = {}, 0 end
  cache[word] = e
  cached = cached + 1
  return e
end

--- strip_josa(word) -> stem, particle | word, nil | nil, "invalid UTF-8", pos
--- Particles only: a noun with a form of the copula (것이라고) comes back whole.
function M.strip_josa(word)
  if built_for ~= M.particles then rebuild() end
  local e, msg, pos = cache[word]
  if e == nil then
    e, msg, pos = entry(word, "strip_josa")
    if e == nil then return nil, msg, pos end
  end
  if not e then return word, nil end
  return e[3], e[4]
end

--- strip_noun(word) -> stem, ending | word, nil | nil, "invalid UTF-8", pos
--- The noun of a word: strip_josa's cut, and also the copula's forms
--- (것이라고 -> 것, 이라고), for counting nouns.
function M.strip_noun(word)
  if built_for ~= M.particles then rebuild() end
  local e, msg, pos = cache[word]
  if e == nil then
    e, msg, pos = entry(word, "strip_noun")
    if e == nil then return nil, msg, pos end
  end
  if not e then return word, nil end
  return e[1], e[2]
end

--- is_noun(stem [, particle]) -> boolean: is STEM a noun the lexicon (or
--- josa.lexicon_words) knows, with its plural 들 or after a number (45개)?
--- With PARTICLE, a noun that is also a verb stem (이기: 이기다) does not
--- count before a particle that a verb ending looks like (이기는). False
--- without a lexicon.
function M.is_noun(stem, particle)
  local lx = M.lexicon()
  if not lx or type(stem) ~= "string" or not ulen(stem) or stem == "" then return false end
  if particle and lx[stem] == "b" and verbal_first[sub(particle, 1, 3)] then return false end
  return known_noun(lx, stem) == true
end

--- Call after changing M.keep, M.keep_words, M.short_stems, M.not_after,
--- M.verb_finals or M.lexicon_words at run time (a new M.particles table is
--- noticed by itself).
function M.refresh()
  rebuild()
end

return M
