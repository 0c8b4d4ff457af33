-- gisa.entities: people with their titles and organisations in Korean news text.
-- A person is found where a title word (교수, 위원장, 기자 …) follows a name,
-- perhaps with an organisation between: "장병탁 서울대 컴퓨터공학부 교수",
-- "얀 르쿤 교수", "[이데일리 임유경·김연서 기자]". Later short references
-- ("고 위원장", "르쿤은", "그는") resolve to the full name given in the article.
-- Every list below is a plain Lua table: copy this file into your own
-- modules directory (gisa -I DIR) and edit them to fit your corpus.

local M = {}

--- The scan's walks over every word in C (gisa.split's Words); false: the
--- same walks over Lua token tables (equal output, slower; for tests).
M.c = true

local ulen, ucodes, uchar = utf8.len, utf8.codes, utf8.char
local concat = table.concat
local byte, sub = string.byte, string.sub

------------------------------------------------------------------------------
-- The editable lists
------------------------------------------------------------------------------

--- Title and role words. A word ending in one of these (after a short prefix
--- such as 공동, 특임, 수석) counts as a title: 공동대표, 특임교수, 연구원장.
M.titles = {
  "교수", "명예교수", "특임교수", "겸임교수", "석좌교수", "연구교수",
  "소장", "연구소장", "위원장", "부위원장", "위원", "연구위원", "논설위원",
  "원장", "연구원장", "부원장", "센터장", "본부장", "단장", "실장", "팀장", "국장",
  "부장", "처장", "청장", "총장", "학장", "의장", "이사장", "이사", "대표이사", "대표",
  "회장", "부회장", "사장", "부사장", "전무", "상무", "고문", "총재", "행장",
  "CEO", "CTO", "CFO", "COO", "CSO", "CIO", "CPO",
  "기자", "특파원", "앵커", "장관", "차관", "의원", "대통령", "총리", "시장", "지사",
  "박사", "연구원", "책임연구원", "선임연구원", "수석연구원", "과학자", "연구자",
  "설립자", "창업자", "공동창업자", "아키텍트", "엔지니어", "개발자", "디자이너",
  "변호사", "회계사", "애널리스트", "이코노미스트", "리더", "매니저", "파트너",
  "과장", "예보관", "연구관", "대변인", "책임자", "최고기술책임자", "최고경영자", "기술이사",
  "감독", "코치", "선수", "투수", "타자", "포수", "신인", "배우", "가수", "작가", "씨",
  "군수", "구청장", "도지사", "교육감", "관장", "위원", "교사", "의사", "간호사",
}

--- Titles that may carry any organisation glued in front of them
--- (평택시장, 교통정책과장, 시스템반도체연구소장, 재난안전관리본부장).
M.compound_titles = {
  "과장", "소장", "원장", "부장", "국장", "실장", "팀장", "본부장", "센터장", "연구소장",
  "구청장", "청장", "위원장", "이사장", "회장", "사장", "부사장", "총장", "학장", "처장",
  "단장", "시장", "지사", "군수", "교육감", "예보관", "연구관", "대변인", "위원", "책임자",
  "이사", "관장",
}

--- Title words that are also common nouns (시장 is a mayor and a market,
--- 파트너 a partner at a firm and any partner, 의장 a chair and 이사회 의장 the
--- post): standing alone after a word, with no organisation in the phrase
--- (고향 시장, 기업용 시장, 전략적 파트너), they are the noun, not a person's
--- title. With an organisation (서울시 김하나 시장, 한빛회계법인 파트너 …) or
--- glued to one (평택시장), and in short references (심 시장은), they are titles.
M.ambiguous_titles = { "시장", "파트너", "의장", "리더", "매니저", "고문" }

--- Titles that may come before the name (4번 타자 채우람, 신인 도하진).
M.titles_before = { "선수", "투수", "타자", "포수", "신인", "감독", "코치", "배우", "가수",
  "작가", "과학자", "교수", "박사", "기자", "특파원" }

--- Words that may stand before a title word inside it (공동대표, 특임교수).
M.title_prefixes = {
  "공동", "수석", "책임", "선임", "최고", "특임", "명예", "부", "총괄", "상임",
  "전", "前", "현", "現", "대표", "AI", "연구", "국회", "겸직", "객원", "초빙",
}

--- Organisation endings: a word ending so names an organisation (서울대,
--- 디지털플랫폼정부위원회, LG AI연구원), never a person.
M.org_suffixes = {
  "대학교", "대학원", "대학", "대", "학과", "학부", "시", "구", "군", "연구원", "연구소", "연구센터", "센터", "그룹", "위원회",
  "재단", "협회", "학회", "부", "처", "청", "진흥원", "개발원", "공사", "공단", "은행", "증권", "전자",
  "랩", "硏", "社", "회사", "기업", "정부", "국회", "법원", "병원", "학교", "포럼",
  -- parties (새빛당, 민주당) and boards, councils, assemblies (이사회, 협의회)
  "당", "이사회", "협의회", "의회", "총회", "비대위", "체육회", "연합회", "조합",
}

--- Korean surnames (one syllable each), and the two-syllable ones.
M.surnames = ("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 " ..
  "배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 " ..
  "도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 " ..
  "예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 견 당 화 창")
M.surnames2 = { "남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방" }

--- Common words that look like Korean names (a surname syllable + 1–3 more):
--- general vocabulary only (nouns, adverbs, determiners, verb forms), never a
--- person's name nor a word of one article's quotes; tests/entities_test.lua
--- checks that no gold person of the samples, the trap articles or the real
--- corpus is listed.
M.not_names = ([[
  이번 이는 이를 이런 이와 이후 이미 이에 이어 이제 이상 이하 이용 이유 이전 이날 이들 이해 이익
  정부 정책 정보 정리 정도 정치 정상 정확 정식 정제 전문 전략 전체 전망 전세계 전통 전국 전자 전환
  한국 한편 한계 한번 최근 최고 최초 최대 최소 최신 최종 조선 조성 조사 조직 지난 지금 지원 지역
  지식 지능 현재 현실 현장 하지만 하나 고도 고객 고급 고용 고민 안정 안전 문제 문화 박사 신체
  신규 신뢰 임대 임명 임기 장관 장기 강조 강화 강력 공동 공공 공개 공유 국내 국가 국민 국산 국방
  나라 남성 노화 노력 도입 도전 마련 민간 민감 방안 방식 방한 배치 배경 서울 서비스 성공 성과
  성장 손해 송출 심각 연구 연간 예상 예시 우선 우리 우수 원장 유럽 유연 유용 윤리 인간 인공
  인재 인력 인터뷰 인식 장소 장점 제조 제품 제도 제공 제안 제한 주요 주도 주장 주목 진단 진행
  진출 차기 차별 채용 추진 표시 허상 홍보 황금 구축 구성 구글 기업 기술 기반 기회 기존 기준
  기대 경쟁 경제 경험 경우 계획 공학 과학 교육 구조 금융 명예 모델 모든 반면 반도체 방향
  부분 부문 사업 사용 사람 사회 사례 사실 상황 상호 선도 설계 설립 소프트 수준 시장 시스템
  여러 역량 영향 오픈 오히려 용도 위해 유지 육성 음성 인도 인류 인증 이사 이사장 전무 상무
  주식 차원 채널 천왕 천황 태도 특히 편집 피해 함께 해외 협력 형태 화면 확보 확산 
  남부 동부 서부 북부 명의 모두 예를 지구상 세계 가치 가장 가능 간부 감독 감사 거대 건설
  결국 고려  민관 사이버 상용 석학 소수 소규모 손꼽 송전 신속 심지어 양성 어디
  연계 연합 영국 오늘 옥상 왕국 원래 원칙 유명 이스라엘 인근 장병 전장 전부 정립 조단위
  또 더 각 전 현 총 약 즉 곧 꼭 다시 특히 다만 또한 그 이 저 및 한 두 세 새 옛 첫 뒤 앞 중 등 당시
  이날 오전 오후 지난해 올해 내년 최근 현지 관계자 담당 업계 측 전직 현직 신임 역대
  동안 동시 동료 상대 상당 부터 고졸 신인 선발 시즌 구단 경기 관중
  가진 공정 선배 후배 연속 배짱 상대 영상 편집 촬영 취재 사진 그래픽
]]):gsub("^%s+", "")

--- Words between a name and its title that are parts of the role, not
--- organisations or names (메타 '수석' AI 과학자).
M.modifiers = {
  "수석", "최고", "공동", "전", "현", "前", "現", "특임", "명예", "책임", "선임", "총괄",
  "상임", "비상임", "부", "겸", "및", "신임", "초대", "차기", "당시", "대표",
}

--- Words that are never names: countries, places, and such (checked for
--- foreign names, which have no surname list to help).
M.places = {
  "미국", "중국", "한국", "일본", "영국", "독일", "프랑스", "인도", "대만", "캐나다",
  "호주", "러시아", "유럽", "이스라엘", "싱가포르", "국내", "해외", "글로벌", "국제",
  "서울", "부산", "실리콘밸리", "캘리포니아", "뉴욕", "워싱턴", "베이징", "도쿄",
}

--- Syllables common in transliterated foreign names but rare in Korean given
--- names: a word with one is not taken for a Korean name (도널드, 제임스).
M.foreign_syllables = "드 르 트 크 스 프 브 즈 츠 쉬 퓨 델 턴 먼 슨 튼 렌 엘 켈 클 블 플 그 벤 쿤 랜 데 퍼 터 니 티 샘 존 잭 톰 빌 폴 짐 칼 멜 릭 딘 롤 벨 셀 웰 릴 캐 케 코 쿠 키 피 페 포 푸 텔 톤"

--- Particles and endings that may follow a title or a name.
M.josa = {
  "", "은", "는", "이", "가", "을", "를", "의", "에", "에게", "에게서", "께", "께서", "와", "과",
  "도", "로", "으로", "로서", "으로서", "과의", "와의", "과는", "와는", "만", "님", "님은",
  "님이", "이자", "이며", "인", "이었던", "이라고", "라고", "이던", "측", "측은", "에서",
  "이라는", "라는", "처럼", "까지", "부터", "들", "들은", "들이",
  -- the copula: 변지호 박사다, 김하나 의원이다, 대표였다
  "다", "이다", "였다", "이었다",
}

--- Pronouns that refer to the last person named.
M.pronouns = { "그", "그녀" }

------------------------------------------------------------------------------
-- Small helpers
------------------------------------------------------------------------------

local function set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local function words_set(str)
  local s = {}
  for w in str:gmatch("%S+") do s[w] = true end
  return s
end

-- The lists are read when scan() is called, so edits made after loading count:
-- the tables built from them (and the answers of the word tests kept in them)
-- serve every article until a list changes, which a copy of the lists taken
-- when the tables were built tells: each list (and each of its entries) is
-- compared with its copy, by identity, which makes no string (a join of the
-- lists was 5% of an article's own cost).
local build_tables
local shared_T, shared_copy
local LISTS = { "titles", "compound_titles", "ambiguous_titles", "titles_before", "title_prefixes",
  "org_suffixes", "surnames", "surnames2", "not_names", "modifiers", "places", "foreign_syllables",
  "josa", "pronouns" }
local same, split_copy = require("gisa.split").same, require("gisa.split").copy
local function copy_lists()
  local c = {}
  for i, k in ipairs(LISTS) do
    local v = M[k]
    c[i] = type(v) == "table" and { v, split_copy(v) } or { v }
  end
  return c
end
local function lists_same(c)
  for i = 1, #LISTS do
    local v, ci = M[LISTS[i]], c[i]
    if v ~= ci[1] then return false end
    local entries = ci[2]
    if entries and not same(v, entries) then return false end
  end
  return true
end
local function tables()
  if shared_T and lists_same(shared_copy) then return shared_T end
  shared_T, shared_copy = build_tables(), copy_lists()
  return shared_T
end

function build_tables()
  local by_len = {}
  for _, t in ipairs(M.titles) do by_len[#by_len + 1] = t end
  table.sort(by_len, function(a, b) return #a > #b end)
  local josa = {}
  for _, j in ipairs(M.josa) do josa[#josa + 1] = j end
  table.sort(josa, function(a, b) return #a > #b end)
  local suff = {}
  for _, s in ipairs(M.org_suffixes) do suff[#suff + 1] = s end
  table.sort(suff, function(a, b) return #a > #b end)
  -- the distinct byte lengths of a list, longest first
  local function lens(list)
    local seen, out = {}, {}
    for _, v in ipairs(list) do
      if not seen[#v] then seen[#v] = true; out[#out + 1] = #v end
    end
    table.sort(out, function(a, b) return a > b end)
    return out
  end
  -- each title's place in by_len (the first, for a title listed twice)
  local title_rank = {}
  for i = #by_len, 1, -1 do title_rank[by_len[i]] = i end
  -- the last character of each title when of one byte or three (Hangul);
  -- any_end: some title ends otherwise, or is empty
  local title_ends, any_end = {}, false
  for _, t in ipairs(by_len) do
    local last = ulen(t) and t ~= "" and sub(t, utf8.offset(t, -1))
    if last and (#last == 1 or #last == 3) then title_ends[last] = true else any_end = true end
  end
  -- an ASCII word can hold only ASCII titles and particles (CEO; never 교수):
  -- numbers and codes skip the long lists
  local function ascii(list)
    local out = {}
    for _, v in ipairs(list) do if not v:find("[\128-\255]") then out[#out + 1] = v end end
    return out
  end
  return {
    titles = by_len, title_rank = title_rank, title_lens = lens(by_len), title_ends = title_ends,
    title_any_end = any_end,
    ascii_titles = ascii(by_len), ascii_josa = ascii(josa),
    title_set = set(M.titles), prefixes = set(M.title_prefixes), ambiguous = set(M.ambiguous_titles),
    compound = set(M.compound_titles), before = set(M.titles_before),
    josa = josa, josa_set = set(M.josa), josa_lens = lens(josa), glued_titles = {}, glued_n = 0, suffixes = suff, suffix_set = set(suff), suffix_lens = lens(suff),
    surnames = words_set(M.surnames), surnames2 = set(M.surnames2),
    not_names = words_set(M.not_names), foreign_syllables = words_set(M.foreign_syllables),
    modifiers = set(M.modifiers),
    places = set(M.places), pronouns = set(M.pronouns),
  }
end

--- Iterate over the characters of s: pos, codepoint, char. Bytes that are
--- not UTF-8 come one at a time as U+FFFD, so undecoded input cannot raise.
function M.chars(s)
  local i, n = 1, #s
  local byte, sub, codepoint = string.byte, string.sub, utf8.codepoint
  if utf8.len(s) then
    -- valid UTF-8 (all decoded text): step by the lead byte, no checks per character
    return function()
      if i > n then return nil end
      local pos, b = i, byte(s, i)
      local len = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or 2
      i = i + len
      if len == 1 then return pos, b, sub(s, pos, pos) end
      return pos, codepoint(s, pos), sub(s, pos, i - 1)
    end
  end
  return function()
    if i > n then return nil end
    local pos = i
    local ch = s:match("^[\xC2-\xF4][\x80-\xBF]*", i)
    if ch and #ch <= 4 then
      local ok, c = pcall(utf8.codepoint, ch)
      if ok and utf8.len(ch) == 1 then
        i = i + #ch
        return pos, c, ch
      end
    end
    local b = s:byte(i)
    i = i + 1
    if b < 128 then return pos, b, string.char(b) end
    return pos, 0xFFFD, "\u{FFFD}"
  end
end

local function is_hangul(w)
  if w == "" then return false end
  for _, c in ucodes(w) do
    if c < 0xAC00 or c > 0xD7A3 then return false end
  end
  return true
end

local function has_latin(w) return w:find("[A-Za-z]") ~= nil end

local function syllables(w) return ulen(w) or #w end

local function first_syllable(w)
  local c = utf8.codepoint(w, 1)
  return uchar(c)
end

local function last_cp(w)
  if w == "" then return nil end
  return utf8.codepoint(w, utf8.offset(w, -1))
end

local function batchim(cp)
  return cp and cp >= 0xAC00 and cp <= 0xD7A3 and (cp - 0xAC00) % 28 ~= 0
end

local function ends_with(s, suffix)
  return #s >= #suffix and s:sub(-#suffix) == suffix
end

------------------------------------------------------------------------------
-- Tokens: words, with separators where punctuation stood
------------------------------------------------------------------------------

-- Multi-byte punctuation and what it means between words: "b" a boundary,
-- "l" a list separator (임유경·김연서), "(" and ")" brackets.
local MB = {
  ["·"] = "l", ["ㆍ"] = "l", ["∙"] = "l",
  ["“"] = "b", ["”"] = "b", ["‘"] = "b", ["’"] = "b", ["「"] = "b", ["」"] = "b",
  ["『"] = "b", ["』"] = "b", ["…"] = "b", ["▲"] = "b", ["△"] = "b", ["▷"] = "b",
  ["■"] = "b", ["□"] = "b", ["◆"] = "b", ["◇"] = "b", ["○"] = "b", ["●"] = "b",
  ["※"] = "b", ["→"] = "b", ["〈"] = "b", ["〉"] = "b", ["《"] = "b", ["》"] = "b",
  ["【"] = "b", ["】"] = "b", ["ㅡ"] = "b", ["—"] = "b", ["–"] = "b", ["•"] = "b",
  ["＝"] = "b", ["，"] = "b", ["。"] = "b",
}

-- What each character that cuts a word leaves, for gisa.split: blanks and
-- controls (and U+00A0, U+3000) nothing (false); ASCII punctuation a boundary
-- "b", except - & + (parts of words: AT&T, K-팝) and the brackets and slash;
-- MB's characters their meaning; U+FFFD a boundary. Every other character is
-- part of a word (ª, ㄱ, ｆ).
local KINDS = {}
do
  for b = 0, 127 do
    local ch = string.char(b)
    if b <= 32 then KINDS[ch] = false
    elseif ch:find("%p") and ch ~= "-" and ch ~= "&" and ch ~= "+" then
      KINDS[ch] = (ch == "(" or ch == "[" or ch == "{") and "("
        or (ch == ")" or ch == "]" or ch == "}") and ")" or ch == "/" and "/" or "b"
    end
  end
  for ch, kind in pairs(MB) do KINDS[ch] = kind end
  KINDS["\u{A0}"], KINDS["\u{3000}"], KINDS["\u{FFFD}"] = false, false, "b"
end
-- a run of boundaries, list separators or slashes stands as one; brackets count each
local split = require "gisa.split"
local splitter = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
local pick, heads = split.pick, split.heads

-- Tokens are read-only and shared: one table per word (kept for the next
-- article too, up to CACHE_MAX words) and one per separator, so a long
-- article's millions of tokens cost an array slot each, not a table each.
local SEPS = { b = { sep = "b" }, l = { sep = "l" }, ["("] = { sep = "(" }, [")"] = { sep = ")" },
  ["/"] = { sep = "/" } }
local word_toks, word_toks_n = {}, 0
local function word_tok(w)
  local t = word_toks[w]
  if not t then
    if word_toks_n >= 200000 then word_toks, word_toks_n = {}, 0 end
    t = { w = w }
    word_toks[w] = t
    word_toks_n = word_toks_n + 1
  end
  return t
end

--- Split text into tokens: {w = word} or {sep = "b"|"l"|"("|")"|"/"}. The
--- token tables are shared between texts: read them, do not change them.
function M.tokenize(text)
  -- valid UTF-8 (all decoded text): one pass in C over the bytes, the word
  -- tables taken from (and added to) the shared cache
  local split, added = splitter:split(text, word_toks, SEPS)
  if split then
    word_toks_n = word_toks_n + added
    if word_toks_n >= 200000 then word_toks, word_toks_n = {}, 0 end
    return split
  end
  -- undecoded bytes: character by character, each bad byte a U+FFFD
  local toks = {}
  local cur = {}
  local function flush()
    if #cur > 0 then toks[#toks + 1] = word_tok(concat(cur)); cur = {} end
  end
  local function sep(kind)
    flush()
    local last = toks[#toks]
    if not (last and last.sep == kind and kind ~= "(" and kind ~= ")") then
      toks[#toks + 1] = SEPS[kind]
    end
  end
  local function each_char(s)
    for _, c, ch in M.chars(s) do
      if c <= 32 or c == 0xA0 or c == 0x3000 then
        flush()
      elseif c == 0x28 or c == 0x5B or c == 0x7B then sep("(")
      elseif c == 0x29 or c == 0x5D or c == 0x7D then sep(")")
      elseif c == 0x2F then sep("/")
      elseif c < 128 and ch:find("[%p]") and ch ~= "-" and ch ~= "&" and ch ~= "+" then
        sep("b")
      elseif MB[ch] or c == 0xFFFD then
        sep(MB[ch] or "b")
      else
        cur[#cur + 1] = ch
      end
    end
    flush()
  end
  each_char(text)
  return toks
end

------------------------------------------------------------------------------
-- Word tests
------------------------------------------------------------------------------

-- word -> stem, particle when the word ends in a listed particle that may
-- follow it (은 after a batchim, 는 after none, and so on).
local function split_josa_uncached(T, w)
  -- the word's ends of each particle length, longest first, looked up (of
  -- one length only one particle can match); an ASCII word takes none
  if not w:find("[\128-\255]") then return w, "" end
  local set, n = T.josa_set, #w
  for _, len in ipairs(T.josa_lens) do
    local j = n > len and len > 0 and sub(w, n - len + 1)
    if j and set[j] then
      local stem = sub(w, 1, n - len)
      local cp = last_cp(stem)
      local bat = batchim(cp)
      local okj = true
      if j == "은" or j == "이" or j == "을" or j == "과" or j == "으로" then okj = bat
      elseif j == "는" or j == "가" or j == "를" or j == "와" then okj = not bat and cp ~= nil end
      if okj then return stem, j end
    end
  end
  return w, ""
end

-- The word tests run on every word of every text, two or three times an
-- article, and long articles repeat their words: each answer is kept in the
-- table set T (one per scan), so a 5 MB one-line article takes seconds, not minutes.
-- The answers serve every article while the lists stay the same; a cache past
-- CACHE_MAX words starts again, so memory stays bounded over a large corpus.
local CACHE_MAX = 200000
local function cached(name, f)
  local count = name .. " words"
  -- the table set last used and its answers, kept at hand (T[name] changes
  -- only here)
  local lastT, lastc
  return function(T, w)
    local c = lastc
    if T ~= lastT then
      c = T[name]
      if not c then c = {}; T[name] = c; T[count] = 0 end
      lastT, lastc = T, c
    end
    local hit = c[w]
    if not hit then
      local a, b = f(T, w)
      hit = { a, b }
      if T[count] >= CACHE_MAX then c = {}; T[name] = c; T[count] = 0; lastc = c end
      c[w] = hit
      T[count] = T[count] + 1
    end
    return hit[1], hit[2]
  end
end

local split_josa = cached("split_josa", split_josa_uncached)

local function org_word_uncached(T, w)
  -- the word's ends of each suffix length, looked up (not every suffix tried)
  local set, n = T.suffix_set, #w
  for _, len in ipairs(T.suffix_lens) do
    if n >= len then
      local s = sub(w, n - len + 1)
      -- 서울대, 새빛당; and a suffix of two syllables or more on its own (이사회, 위원회)
      if set[s] and (n > len or (len >= 6 and byte(s, 1) >= 0xE0)) then return true end
    end
  end
  return false
end
local org_word = cached("org_word", org_word_uncached)
M._org_word = function(w) return org_word(tables(), w) end

-- A title word: returns the title (with its prefix) and the particle after it.
-- The answer is decided by the first title (longest first, in T.titles'
-- order) found with a particle (or nothing) after it, at its first such
-- place: found here from the word's end (its particles, then the titles of
-- each length ending there) rather than by searching for every title.
local function first_title(T, w)
  local n, jset, rank, ends, any_end = #w, T.josa_set, T.title_rank, T.title_ends, T.title_any_end
  local best, best_p
  for _, len in ipairs(T.josa_lens) do
    local e = n - len
    -- (a title ends at e only where the character there ends one: most
    -- words have none of the titles' last characters before a particle)
    if e > 0 and jset[sub(w, e + 1)] and (any_end or ends[sub(w, e - 2, e)] or ends[sub(w, e, e)]) then
      for _, tl in ipairs(T.title_lens) do
        local p = e - tl + 1
        if p >= 1 then
          local r = rank[sub(w, p, e)]
          if r and (not best or r < best or (r == best and p < best_p)) then best, best_p = r, p end
        end
      end
    end
  end
  if best then return T.titles[best], best_p end
end

local function title_of_uncached(T, w)
  local t, p = first_title(T, w)
  if not t then return nil end
  local rest = w:sub(p + #t)
  local prefix = w:sub(1, p - 1)
  if prefix == "" then return t, rest end
  if T.compound[t] and (is_hangul(prefix) or has_latin(prefix)) and not prefix:find("[^%w\128-\255]") then
    return prefix .. t, rest
  end
  -- known prefixes, one after another (AI + 연구 + 원장), or Latin letters
  local left, n = prefix, 0
  while left ~= "" and n < 4 do
    local cut = left:match("^%w+") or ""
    if cut == "" then
      for pre in pairs(T.prefixes) do
        if left:sub(1, #pre) == pre and #pre > #cut then cut = pre end
      end
    end
    if cut == "" then break end
    left, n = left:sub(#cut + 1), n + 1
  end
  if left == "" then return prefix .. t, rest end
  return nil
end
local title_of = cached("title_of", title_of_uncached)
M._title_of = function(w) return title_of(tables(), w) end

local VERBISH = words_set("한 된 인 던 운 른 린 는 은 을 를 의 에 와 과 고 며 서 게 면 다 요 지 해 도 로")

-- A Korean full name: surname + given name, 2–4 syllables, no particle.
local function korean_name_uncached(T, w)
  if not is_hangul(w) or T.not_names[w] then return false end
  local n = syllables(w)
  if n < 2 or n > 4 then return false end
  local s2 = n >= 3 and w:sub(1, 6)
  if not (s2 and T.surnames2[s2]) then
    if n == 4 or not T.surnames[first_syllable(w)] then return false end
  end
  if org_word(T, w) or T.title_set[w:sub(4)] then return false end
  if n == 2 and VERBISH[uchar(last_cp(w))] then return false end   -- 강한, 이런
  for _, c in ucodes(w) do
    if T.foreign_syllables[uchar(c)] then return false end
  end
  -- a particle on the end makes it a phrase, not a name (지은 is a name; 정부는 is not)
  local stem, j = split_josa(T, w)
  if j ~= "" and j ~= "이" and syllables(stem) >= 2 then return false end
  if j == "이" and syllables(stem) >= 2 and T.not_names[stem] then return false end
  return true
end
local korean_name = cached("korean_name", korean_name_uncached)
M._korean_name = function(w) return korean_name(tables(), w) end

-- A word that ends a name+org+title phrase when we walk left from the title.
local BOUNDARY_END = words_set("은 는 을 를 의 에 와 과 인 한 된 던 며 서 로 고 게 면 다 요 지 해 적 등")
local function boundary_uncached(T, w)
  if w:find("%d") then return true end
  if w == "겸" or w == "및" or w == "등" then return true end
  if T.modifiers[w] or not is_hangul(w) or org_word(T, w) then return false end
  local _, j = split_josa(T, w)
  if j ~= "" then return true end
  return syllables(w) >= 2 and BOUNDARY_END[uchar(last_cp(w))] and not org_word(T, w) or false
end
local boundary = cached("boundary", boundary_uncached)

-- May these two words be a foreign given name and family name?
local foreign_part = cached("foreign_part", function(T, w)
  return is_hangul(w) and not T.not_names[w] and not T.modifiers[w] and not T.places[w]
    and not org_word(T, w) and not T.title_set[w] and syllables(w) <= 5
end)

------------------------------------------------------------------------------
-- Mentions in one text
------------------------------------------------------------------------------

local function family_of(T, name)
  local last = name:match("(%S+)$")
  if last ~= name then return last end        -- 얀 르쿤 -> 르쿤
  local s2 = sub(name, 1, 6)
  if T.surnames2[s2] and syllables(name) >= 3 then return s2 end
  return first_syllable(name)                  -- 장병탁 -> 장
end
M.family_of = function(name) return family_of(tables(), name) end

-- Mentions of a title in toks at index i; ctx.alone[w] counts words standing
-- alone (for foreign family names).
local title_mentions_people

-- An organisation glued to its title is the organisation and the title:
-- 시스템반도체연구소장 → 시스템반도체연구소 + 소장, 평택시장 → 평택시 + 시장
-- (관광정책과장 stays whole: 관광정책과 names no organisation). Returns the
-- title and the organisation, or nothing.
local function glued_of(T, title)
  local glued, tail_org
  local known_glue = T.glued_titles[title]   -- the answer for this title word, once found
  if known_glue ~= nil then
    if known_glue then glued, tail_org = known_glue[1], known_glue[2] end
  elseif not T.title_set[title] then   -- 연구소장 as a word of its own stays whole
    -- the organisation must end in a suffix of two syllables or more
    -- (연구소, 위원회), or be a city, district or county (시, 구, 군)
    local function names_org(o)
      if not is_hangul(o) then return false end
      for _, sfx in ipairs(T.suffixes) do
        if #o > #sfx and ends_with(o, sfx) then
          return syllables(sfx) >= 2 or sfx == "시" or sfx == "구" or sfx == "군"
        end
      end
      return false
    end
    for b in pairs(T.compound) do
      if #title > #b and ends_with(title, b) and (not glued or #b > #glued) then
        local prefix = title:sub(1, #title - #b)
        if names_org(prefix .. first_syllable(b)) then
          -- one syllable shared: 평택시장 → 평택시 + 시장, 연구소장 → …연구소 + 소장
          glued, tail_org = b, prefix .. first_syllable(b)
        elseif names_org(prefix) then glued, tail_org = b, prefix
        end
      end
    end
    if T.glued_n >= CACHE_MAX then T.glued_titles, T.glued_n = {}, 0 end
    T.glued_titles[title] = glued and { glued, tail_org } or false
    T.glued_n = T.glued_n + 1
  end
  return glued, tail_org
end

-- May STEM, before 의 and a name, be the name of an organisation? One that
-- ends like one (재단의), or a word of two syllables or more that is no
-- common noun of gisa.josa's lexicon, no place and no name (새봄벤처스의).
local function genitive_org(T, stem)
  if not (is_hangul(stem) or has_latin(stem)) or stem:find("[^%w\128-\255]") then return false end
  if org_word(T, stem) then return true end
  if syllables(stem) < 2 or T.not_names[stem] or T.places[stem] or T.modifiers[stem]
    or T.title_set[stem] or korean_name(T, stem) then return false end
  local lx = require("gisa.analysis.josa").lexicon()
  if not lx then return false end
  return lx[stem] == nil and require("gisa.analysis.josa").lexicon_words[stem] == nil
end

-- The organisation named by the words before a title (a list, nearest last):
-- from the first word that ends in an organisation suffix to the end. STRICT:
-- nil unless one does (새빛당 비대위원장, 이사회 의장; not 고향 시장, 기업용
-- 시장); else, for the organisation the scan gave a person, the phrase less
-- its role words when none does (석지원 누리웍스 대표).
local function org_name(T, words, strict)
  local n = #words
  for k = 1, n do
    local w = words[k]
    if byte(w) ~= 40 and org_word(T, w) then   -- (40: "(", a bracketed part)
      local plain = {}
      for m = k, n do
        if byte(words[m]) ~= 40 then plain[#plain + 1] = words[m] end
      end
      return concat(plain, " ")
    end
  end
  if strict then return nil end
  -- role words are no organisation (장태식 전 대통령 비서실장, 수석 AI 과학자),
  -- nor is one common noun (소프트웨어 아키텍트)
  local plain = {}
  for k = 1, n do
    local w = words[k]
    if byte(w) ~= 40 and not T.modifiers[w] and not T.title_set[w] and not T.prefixes[w] then
      plain[#plain + 1] = w
    end
  end
  if #plain == 1 then
    local lx = require("gisa.analysis.josa").lexicon()
    if lx and lx[plain[1]] then return nil end
  end
  return #plain > 0 and concat(plain, " ") or nil
end
M._org_name = function(words, strict) return org_name(tables(), words, strict) end

-- Mentions of a title in toks at index i (people into OUT); when no person
-- holds it and an organisation comes before it, the post of that
-- organisation goes to ctx.orgs (민주당 비대위원장, 이사회 의장).
-- The scan reads each text twice (full names first, then every mention): a
-- title's answer from the first reading is kept (ctx.memos[text][i]: org,
-- post, glued organisation, then the mentions) and taken again in the second
-- (ctx.memo_in), unless its walk met 겸, whose answer depends on the mention
-- before it (the second reading has more of those).
local function title_mentions(T, toks, i, title, josa, ctx, out)
  local before = #out
  local org, post, glued_org
  local got = ctx.memo_in
  got = got and got[i]
  if got then
    org, post, glued_org = got[1], got[2], got[3]
    for k = 4, #got do out[#out + 1] = got[k] end
  else
    ctx.kyeom = false
    org, post, glued_org = title_mentions_people(T, toks, i, title, josa, ctx, out)
    local memos = ctx.memos
    if memos and not ctx.kyeom then
      local rec = { org or false, post or false, glued_org or false, nil }
      for k = before + 1, #out do rec[#rec + 1] = out[k] end
      local m = memos[ctx.memo_t]
      if m then m[i] = rec else memos[ctx.memo_t] = { [i] = rec } end
    end
  end
  -- nobody, or a reference that may resolve to nobody (시민단체 바른미래포럼
  -- 이사장: the scan drops it when it names no person)
  local ref = #out == before + 1 and out[#out].kind == "ref" and out[#out] or nil
  -- (세계시장, 한국시장 with nobody: markets, not 세계시 + 시장)
  if (#out == before or ref) and org and ctx.orgs and not (T.ambiguous[post] and #org == 1 and glued_org) then
    local name = org_name(T, org, true)
    if name and not T.not_names[name] then
      ctx.orgs[#ctx.orgs + 1] = { name = name, title = post, tok = i, ref = ref }
      if ref then ref.in_orgs = true end   -- (the scan tells whether it resolved)
    end
  end
end

function title_mentions_people(T, toks, i, title, josa, ctx, out)
  local org, j, names = { nil, nil, nil, nil }, i - 1, nil
  local glued, tail_org = glued_of(T, title)
  if glued then title = glued end
  local words = 0
  while j >= 1 and words < 6 do
    local tk = toks[j]
    if tk.sep == ")" then
      -- a bracketed part before the title belongs to the organisation
      local k = j - 1
      local inner = {}
      while k >= 1 and toks[k].sep ~= "(" do
        if toks[k].w then table.insert(inner, 1, toks[k].w) end
        k = k - 1
      end
      if k < 1 then break end
      table.insert(org, 1, "(" .. concat(inner, " ") .. ")")
      j = k - 1
    elseif tk.sep then
      break
    else
      local w = tk.w
      local prev = out[#out]
      if w == "겸" then ctx.kyeom = true end
      if w == "겸" and prev and prev.tok == j - 1 and prev.kind ~= "pron" then
        -- 메타 수석 AI 과학자 겸 뉴욕대 교수: the same person's second role
        out[#out + 1] = { kind = prev.kind, name = prev.name, title = title,
          org = concat(org, " "), josa = josa, tok = i, from = prev.from }
        return
      end
      if korean_name(T, w) then
        -- 염태석 한빛 이글스 감독: a two-syllable "name" with a longer one just
        -- before it is part of the organisation
        local left = toks[j - 1]
        if syllables(w) == 2 and left and left.w and syllables(left.w) == 3 and korean_name(T, left.w) then
          table.insert(org, 1, w)
          j = j - 1
          w = left.w
        end
        names = { w }
        -- 임유경·김연서·김응열 기자, 임수빈 김미희 기자
        local k = j - 1
        while k >= 1 do
          if k >= 2 and toks[k].sep == "l" and toks[k - 1].w and korean_name(T, toks[k - 1].w) then
            table.insert(names, 1, toks[k - 1].w); k = k - 2; j = k + 1
          elseif toks[k].w and title == "기자" and korean_name(T, toks[k].w) then
            table.insert(names, 1, toks[k].w); k = k - 1; j = k + 1
          else
            break
          end
        end
        break
      elseif boundary(T, w) then
        break
      end
      table.insert(org, 1, w)
      words = words + 1
      j = j - 1
    end
  end
  -- role words next to the title belong to it (수석 과학자, 전 대통령)
  while #org > 0 and T.modifiers[org[#org]] and org[#org] ~= "겸" and org[#org] ~= "및" do
    title = table.remove(org) .. " " .. title
  end
  if names and #org == 0 then
    -- the organisation before the name: 기상청 배민성 총괄예보관, and in the
    -- genitive (새봄벤처스의 방건우 대표) when it is no common noun the
    -- particle lexicon knows (행사의 …) and no name
    local left = toks[j - 1]
    if left and left.w and org_word(T, left.w) and split_josa(T, left.w) == left.w then org = { left.w }
    elseif left and left.w then
      local stem, jo = split_josa(T, left.w)
      if jo == "의" and genitive_org(T, stem) then org = { stem } end
    end
  end
  if tail_org then org[#org + 1] = tail_org end
  -- a title that is also a common noun, with no organisation: the noun
  local bare_noun = T.ambiguous[title] and #org == 0
  if names then
    if bare_noun then return nil end
    for k = 1, #names do
      local n = names[k]
      out[#out + 1] = { kind = "full", name = n, title = title, org = concat(org, " "),
        josa = josa, tok = i, from = j }
    end
    return
  end
  -- no Korean name: a foreign name (얀 르쿤), or a reference (고 위원장, 르쿤 교수);
  -- clause-opening words (또, 이어) are not part of it
  while org[1] and T.not_names[org[1]] and #org > 1 do table.remove(org, 1); j = j + 1 end
  -- a middle initial: 마크 J. 헤이든 부사장
  local t1, t2, t3 = toks[j], toks[j - 1], toks[j - 2]
  if org[1] and t1 and t1.sep == "b" and t2 and t2.w and t2.w:find("^%u$") and t3 and t3.w
    and foreign_part(T, t3.w) and foreign_part(T, org[1]) then
    local name = t3.w .. " " .. t2.w .. ". " .. org[1]
    out[#out + 1] = { kind = "full", name = name, title = title, org = concat(org, " ", 2),
      josa = josa, tok = i, from = j - 2 }
    return
  end
  local plain = { nil, nil, nil, nil }
  for k = 1, #org do
    local w = org[k]
    if byte(w) ~= 40 then plain[#plain + 1] = w end   -- (not a bracketed part)
  end
  local w1, w2 = plain[1], plain[2]
  if w1 and w2 and w1 == org[1] and w2 == org[2] and foreign_part(T, w1) and foreign_part(T, w2)
    and syllables(w1) <= 4 then
    local rest = table.move(org, 3, #org, 1, {})
    local restx = concat(rest, " ")
    local latin_org = false
    for _, w in ipairs(rest) do
      if has_latin(w) or org_word(T, w) then latin_org = true end
    end
    if T.ambiguous[title] and restx == "" then
      -- 빛가람 클라우드 파트너: a programme's name and the noun, not a person
    elseif #plain == 2 or (ctx.alone[w2] or 0) > 0 or latin_org then
      out[#out + 1] = { kind = "full", name = w1 .. " " .. w2, title = title, org = restx,
        josa = josa, tok = i, from = j + 1 }
      return
    end
  end
  if w1 and w1 == org[1] and is_hangul(w1) then
    local n = syllables(w1)
    local okref = (n == 1 and T.surnames[w1]) or (n >= 2 and foreign_part(T, w1))
    if okref then
      out[#out + 1] = { kind = "ref", name = w1, title = title,
        org = concat(org, " ", 2), josa = josa, tok = i, from = j + 1 }
    end
  end
  return org, title, tail_org
end

-- Is W a plain word (no title, no pronoun)? Its stem, else false; the
-- answer kept in PLAIN, which the scan's loops and gisa.split's walks read.
local function plain_of(T, plain, w)
  local stem = not title_of(T, w) and split_josa(T, w)
  if stem and T.pronouns[stem] then stem = false end
  plain[w] = stem
  T.plain_n = T.plain_n + 1
  return stem
end

local NONE = {}   -- (no known names: read, never written)

-- a bare name that turned out to start a titled phrase is one mention, not two
local function uncover(out)
  local covered, keep = {}, {}
  for n = 1, #out do
    local m = out[n]
    if m.from then for k = m.from, m.tok do covered[k] = true end end
  end
  for n = 1, #out do
    local m = out[n]
    if not (m.kind == "bare" and covered[m.tok]) then keep[#keep + 1] = m end
  end
  return keep
end
local facts_of

--- Person mentions in one text, in order: {kind="full"|"ref"|"bare"|"pron",
--- name, title, org, josa, tok}. `known` maps full names and family names
--- of the article's people to true, for bare mentions such as "르쿤은".
function M.mentions(text, known, ctx, full_only)
  local T = ctx and ctx.T or tables()
  ctx = ctx or { alone = {} }
  if not ctx.alone then ctx.alone = {} end
  known = known or NONE
  local toks = type(text) == "table" and text or M.tokenize(text)
  -- (nil slots and nil fields in a constructor size a table: the appends
  -- and fields set later fit, with no rehash; the scan makes ~100 such a text)
  local out = { nil, nil, nil, nil }
  local skip = 0
  -- the title test's answers looked up here first: it runs on every token
  local title_cache, josa_cache = T.title_of, T.split_josa
  if not (title_cache and josa_cache) then
    title_of(T, "")
    split_josa(T, "")
    title_cache, josa_cache = T.title_of, T.split_josa
  end
  -- the first words of the known names of two words or more
  local firsts = ctx.firsts_of == known and ctx.firsts
  if not firsts and not full_only then
    firsts = {}
    for k in pairs(known) do
      local f = type(k) == "string" and k:match("^(%S+) ")
      if f then firsts[f] = true end
    end
    ctx.firsts, ctx.firsts_of = firsts, known
  end
  -- (within a scan the table is not started again: the scan's first pass
  -- picks against the one it began with, and a long article past CACHE_MAX
  -- words decided every word again in each pass after; the scan starts it
  -- again at the next article)
  local plain = T.plain
  if not plain or (T.plain_n >= CACHE_MAX and not ctx.T) then plain = {}; T.plain, T.plain_n = plain, 0 end
  -- the tokens the loop below would skip at its first test (plain words)
  -- are left out in C, in one call: only the others come here
  local picks
  if full_only then
    -- (the scan's first pass: the picks its tokenizer made, when they were
    -- made against this plain table: words decided since are left again below)
    picks = ctx.pre_plain == plain and ctx.pre_picks or pick(toks, plain)
    ctx.pre_picks = nil
  elseif ctx.pre_picks and ctx.pre_plain == plain then
    -- (the scan's second pass: gisa.split's Words picked with the same known)
    picks = ctx.pre_picks
    ctx.pre_picks = nil
  else picks = pick(toks, plain, firsts, known) end
  if #picks == 0 then return {} end   -- (most texts of an article: no title, no name)
  local bare = false
  local memo_in = ctx.memo_in
  for p = 1, #picks do
    local i = picks[p]
    local tk = toks[i]
    local w = tk.w
    if w and i > skip then
      -- a title the first reading answered (the tests below went the same
      -- way then): its answer again
      if memo_in and memo_in[i] then
        title_mentions(T, toks, i, nil, nil, ctx, out)
        goto next_token
      end
      -- most words: no title, no pronoun (plain[w] is then the stem, else
      -- false), no bracket or slash after them, and (in the second pass) no
      -- word of a known name: nothing below applies to them
      local stem = plain[w]
      if stem == nil then stem = plain_of(T, plain, w) end
      if stem then
        local nxt = toks[i + 1]
        local nsep = nxt and nxt.sep
        if nsep ~= "/" and nsep ~= "(" and (full_only or not (firsts[w] or known[stem] or known[w])) then
          goto next_token
        end
      end
      local hit = title_cache[w]
      local title, josa
      if hit then title, josa = hit[1], hit[2] else title, josa = title_of(T, w) end
      if title and josa == "" and toks[i + 1] and toks[i + 1].sep == "(" then
        -- 아키텍트(CSA)는: the particle comes after the bracket
        local k = i + 2
        while toks[k] and toks[k].sep ~= ")" and k < i + 12 do k = k + 1 end
        local after = toks[k] and toks[k].sep == ")" and toks[k + 1]
        if after and after.w and T.josa_set[after.w] then josa = after.w end
        -- 최고기술책임자(CTO): the short form readers know
        local abbr = toks[i + 2] and toks[i + 2].w
        if abbr and toks[i + 3] and toks[i + 3].sep == ")" and abbr:find("^%u+$") and T.title_set[abbr] then
          title = abbr
        end
      end
      local nxt = toks[i + 1]
      if title and (josa == "로" or josa == "으로" or josa == "로서" or josa == "으로서") then
        -- a role, not a mention: 연구원으로 일하다, 교수로 임명됐다
        title = nil
      elseif title and josa == "" and T.before[title] and nxt and nxt.w
        and (korean_name(T, nxt.w) or korean_name(T, (split_josa(T, nxt.w)))) then
        -- title before the name: 4번 타자 채우람이, 신인 도하진
        local stem, j = split_josa(T, nxt.w)
        if not korean_name(T, stem) then stem, j = nxt.w, "" end
        if syllables(stem) < 3 then goto plain end   -- 선배 포수, 타자 연속: too easily wrong
        out[#out + 1] = { kind = "full", name = stem, title = title, org = "", josa = j,
          tok = i + 1, from = i, before = true, person = nil }
        skip = i + 1
        goto next_token
      end
      ::plain::
      if title then
        title_mentions(T, toks, i, title, josa, ctx, out)
      elseif nxt and nxt.sep == "/" and korean_name(T, tk.w) and i <= 5 and toks[i + 2] then
        -- a broadcast caption: [인터뷰] 한도윤 / 서울시체육회 사무처장
        local words = {}
        for k = i + 2, #toks do
          if not toks[k].w then break end
          words[#words + 1] = toks[k].w
        end
        if #words > 0 and #words <= 5 then
          local role = table.remove(words)
          -- words before the role that name no organisation are part of it
          -- (마라톤 참가자; but 서울시체육회 사무처장)
          while #words > 0 and not org_word(T, words[#words]) and not has_latin(words[#words]) do
            role = table.remove(words) .. " " .. role
          end
          out[#out + 1] = { kind = "full", name = tk.w, title = role, org = concat(words, " "),
            josa = "", tok = i, from = i, caption = true, person = nil }
        end
      elseif nxt and nxt.sep == "(" and korean_name(T, tk.w) and toks[i + 2] and toks[i + 2].w
        and toks[i + 2].w:find("^%d%d?$") and toks[i + 3] and toks[i + 3].sep == ")" then
        -- a name with an age: 도하진(19)이
        local after = toks[i + 4]
        out[#out + 1] = { kind = "full", name = tk.w, org = "",
          josa = after and after.w and T.josa_set[after.w] and after.w or "", tok = i, from = i }
      elseif full_only then
        -- (the scan's first pass: full names only, and no name is known yet)
      else
        local w = tk.w
        local hit = josa_cache[w]
        local stem, j
        if hit then stem, j = hit[1], hit[2] else stem, j = split_josa(T, w) end
        local nw = nxt and nxt.w
        if T.pronouns[stem] and (j == "는" or j == "은" or j == "가" or j == "도" or j == "의") then
          out[#out + 1] = { kind = "pron", name = stem, josa = j, tok = i }
        elseif (firsts[w] or known[stem] or known[w]) and not (nw and title_of(T, nw)) then
          -- (a bare name: only a word of a known name, not before a title)
          -- (a two-word name is known only when its first word is some known name's)
          local two = nw and firsts[w] and (w .. " " .. (split_josa(T, nw)))
          if two and known[two] then
            out[#out + 1] = { kind = "bare", name = two, josa = select(2, split_josa(T, nxt.w)), tok = i + 1 }
            bare = true
            skip = i + 1
          elseif known[stem] and syllables(stem) >= 2 then
            out[#out + 1] = { kind = "bare", name = stem, josa = j, tok = i }
            bare = true
          elseif known[tk.w] and syllables(tk.w) >= 2 then
            out[#out + 1] = { kind = "bare", name = tk.w, josa = "", tok = i }
            bare = true
          end
        end
      end
    end
    ::next_token::
  end
  if not bare then return out end
  return uncover(out)
end

------------------------------------------------------------------------------
-- One article
------------------------------------------------------------------------------

-- add(text, kind) for each text of an article in reading order
local function each_text(a, add)
  add(a.title, "title")
  local list = a.subtitles or NONE
  for k = 1, #list do add(list[k], "subtitle") end
  list = a.blocks or NONE
  for k = 1, #list do
    local b = list[k]
    add(b.text, b.type or "para")
    if b.q then add(b.q, "question") end
    if b.a then add(b.a, "answer") end
  end
  if #list == 0 then
    list = a.body or NONE
    for k = 1, #list do add(list[k], "para") end
  end
  list = a.captions or NONE
  for k = 1, #list do
    local c = list[k]
    add(type(c) == "table" and c.text or c, "caption")
  end
  list = a.authors or NONE
  for k = 1, #list do
    local au = list[k]
    if au.name then add(au.name .. " " .. (au.role or "기자"), "byline") end
  end
end

--- The texts of an article in reading order: title, subtitles, content, captions.
function M.texts(a)
  local out = {}
  each_text(a, function(s, kind) if s and s ~= "" then out[#out + 1] = { text = s, kind = kind } end end)
  return out
end

local Scan = {}
Scan.__index = Scan

local function titles_match(a, b)
  return a and b and (ends_with(a, b) or ends_with(b, a))
end

--- The person a mention stands for (a table from scan.people), or nil.
--- A pronoun resolves to `last`, the person named last before it.
function Scan:resolve(m, last)
  if m.kind == "pron" then return last end
  if m.kind == "full" or m.kind == "bare" then
    local p = self.by_name[m.name]
    if p then return p end
    local c = self.by_family[m.name]
    if c and #c == 1 then return c[1] end
    return nil
  end
  -- a reference: surname or family name with a title
  local cands = self.by_family[m.name] or NONE
  local best
  for k = 1, #cands do
    local p = cands[k]
    for t in pairs(p.titles) do
      if titles_match(t, m.title) then best = best or p end
    end
  end
  if best then return best end
  if #cands == 1 then return cands[1] end
  return nil
end

local function person(scan, name, fam)
  local p = scan.by_name[name]
  if not p then
    p = { name = name, titles = {}, orgs = {}, count = 0, order = #scan.people + 1,
      title = nil, org = nil, mentions_n = nil }
    scan.by_name[name] = p
    scan.people[#scan.people + 1] = p
    fam = fam or family_of(scan.T, name)
    scan.by_family[fam] = scan.by_family[fam] or {}
    table.insert(scan.by_family[fam], p)
    if name:find(" ") then scan.known[fam] = true; scan.ctx.firsts = nil end
    scan.known[name] = true
  end
  return p
end

-- What gisa.split's Words:first reads of a word (its F flags), and for a
-- title word {title, particle, the title less a glued organisation, that
-- organisation or false}: the answers of the word tests title_mentions_people
-- and M.mentions' first pass ask.
local F = { name = 1, boundary = 2, modifier = 4, not_name = 8, foreign = 16, hangul = 32,
  latin = 64, org = 128, org_whole = 256, genitive = 512, surname = 1024, initial = 2048,
  kyeom = 4096, title = 8192, before = 1 << 14, ambiguous = 1 << 15, reporter = 1 << 16,
  role = 1 << 17, no_josa = 1 << 18, stem_name = 1 << 19, josa = 1 << 20, role_josa = 1 << 21,
  abbr = 1 << 22, number = 1 << 23, pronoun = 1 << 24, pron_josa = 1 << 25 }
local PRON_JOSA = { ["는"] = true, ["은"] = true, ["가"] = true, ["도"] = true, ["의"] = true }
local ROLE_JOSA = { ["로"] = true, ["으로"] = true, ["로서"] = true, ["으로서"] = true }
-- (each word's facts are found once while gisa.split's Words keeps it: the
-- tests run here uncached where they can, and only those that may hold for
-- the word's first byte: Hangul, Latin or digits)
function facts_of(T, w, is_title, is_name, stem)
  local f = 0
  local j = sub(w, #stem + 1)
  local b = byte(w)
  local hangul = b >= 0xEA and b <= 0xED and is_hangul(w)   -- (a syllable's lead byte first)
  local org = org_word(T, w)
  if is_name then f = f | F.name end
  -- (boundary's answer, from what is known here: a Hangul word's last
  -- syllable is its last three bytes)
  if w:find("%d") or w == "겸" or w == "및" or w == "등" then f = f | F.boundary
  elseif T.modifiers[w] or not hangul or org then -- (no boundary)
  elseif j ~= "" or #w >= 6 and BOUNDARY_END[sub(w, -3)] then f = f | F.boundary end
  if T.modifiers[w] and w ~= "겸" and w ~= "및" then f = f | F.modifier end
  if T.not_names[w] then f = f | F.not_name end
  if hangul and not T.not_names[w] and not T.modifiers[w] and not T.places[w] and not org
    and not T.title_set[w] and syllables(w) <= 5 then
    f = f | F.foreign   -- (foreign_part's answer)
  end
  if hangul then f = f | F.hangul elseif has_latin(w) then f = f | F.latin end
  if org then f = f | F.org end
  if org and stem == w then f = f | F.org_whole end
  if j == "의" and genitive_org(T, stem) then f = f | F.genitive end
  if T.surnames[w] then f = f | F.surname end
  if b < 0x80 then
    if w:find("^%u$") then f = f | F.initial end
    if w:find("^%u+$") and T.title_set[w] then f = f | F.abbr end
    if w:find("^%d%d?$") then f = f | F.number end
  end
  if w == "겸" then f = f | F.kyeom end
  local sb = byte(stem)
  if stem == w and is_name or stem ~= w and sb and sb >= 0xEA and sb <= 0xED and korean_name(T, stem) then
    f = f | F.stem_name
  end
  if T.josa_set[w] then f = f | F.josa end
  if ROLE_JOSA[w] then f = f | F.role_josa end
  if T.pronouns[stem] then f = f | F.pronoun end
  if PRON_JOSA[j] then f = f | F.pron_josa end
  if not is_title then return f end
  local title, josa = title_of(T, w)
  local glued, tail = glued_of(T, title)
  local final = glued or title
  f = f | F.title
  if T.before[title] then f = f | F.before end
  if T.ambiguous[final] then f = f | F.ambiguous end
  if final == "기자" then f = f | F.reporter end
  if ROLE_JOSA[josa] then f = f | F.role end
  if josa == "" then f = f | F.no_josa end
  return f, { title, josa, final, tail or false }
end

-- One Words for every scan (its answers serve the next articles, until the
-- lists change or it holds CACHE_MAX words), and the function it asks a
-- word's facts of.
local words_dict, words_T, words_ask = split.words(), nil, nil

-- The words of TEXTS that open a run (the first of a text, or after a
-- separator) counted by their stems, as the walks over Lua tokens count them
-- (M.scan's ctx.alone), into COUNTS.
local function count_heads(T, texts, counts)
  split_josa(T, "")   -- (its answers looked up here first)
  for i = 1, #texts do
    local misses = heads(M.tokenize(texts[i]), T.split_josa, counts)
    for k = 1, #misses do
      local stem = split_josa(T, misses[k])
      counts[stem] = (counts[stem] or 0) + 1
    end
  end
end

-- A scan's ctx.alone when the Words counted its texts (Words:heads(false)):
-- each count asked of the Words the first time it is read (a few words a
-- scan are), and kept; once the Words holds other texts (a scan's mentions
-- asked after the next scan), every count from the texts again.
local function alone_of(T, ws, scan, texts)
  local alone = {}
  return setmetatable(alone, { __index = function(_, w)
    local n = ws:count(w, scan)
    if n == false then
      setmetatable(alone, nil)
      local counts = {}
      count_heads(T, texts, counts)
      for k, c in pairs(counts) do alone[k] = c end
      return counts[w]
    end
    alone[w] = n or false
    return n
  end })
end

-- The texts of an article split into words_dict, the words it had no
-- answer for decided here (plain or not, the stem; a word's facts when a
-- walk first reads them: most words of a corpus are new, and most are
-- never read); and the words that open a run counted (by their stems, the
-- counts read through alone_of); nil when a text is no valid UTF-8.
local function words_of(T, texts)
  local ws = words_dict:reset(words_T == T and CACHE_MAX or 0)
  if words_T ~= T then
    words_T = T
    words_ask = function(w)
      -- (a name is Hangul: a long article's numbers skip the test)
      local b = byte(w)
      return facts_of(T, w, title_of(T, w) ~= nil, b >= 0xEA and b <= 0xED and korean_name(T, w),
        (split_josa(T, w)))
    end
  end
  local pronouns = T.pronouns
  for i = 1, #texts do
    local new = ws:split(splitter, texts[i])
    if not new then return nil end
    local n = #new
    if n > 0 then
      local plains, stems, titles = {}, {}, {}
      -- (the tests uncached: the Words keeps their answers)
      for k = 1, n do
        local w = new[k]
        local title = title_of_uncached(T, w) ~= nil
        local stem = split_josa_uncached(T, w)
        plains[k] = not title and not pronouns[stem]
        stems[k], titles[k] = stem, title
      end
      ws:decide(plains, stems, titles, words_ask)
    end
  end
  return ws, alone_of(T, ws, ws:heads(false), texts)
end

local function bump(tab, k)
  if k and k ~= "" then tab[k] = (tab[k] or 0) + 1 end
end

--- Scan an article: people = {{name, title, org, titles={t=n}, orgs={o=n},
--- count}}; orgs = {{name, post, posts={t=n}, count}}, the organisations
--- before a title (a post no person holds: 새빛당 비대위원장, 이사회 의장; or
--- a person's: 서울대 in 장병탁 서울대 교수); scan.mentions(text, last) gives
--- resolved mentions of one text.
function M.scan(a)
  local T = tables()
  -- (the texts alone: a long article's paragraphs need no table each)
  local texts = {}
  each_text(a, function(s) if s and s ~= "" then texts[#texts + 1] = s end end)
  local toks = {}
  local ctx = { T = T, alone = {}, memos = nil, memo_t = nil, memo_in = nil, pre_picks = nil,
    pre_plain = nil, firsts = nil, firsts_of = nil, orgs = nil, kyeom = nil }
  -- words standing alone, not after the word before them in a name: a family
  -- name "stands alone" when it occurs more often than after its given name,
  -- that is when it opens a text or follows punctuation (ctx.alone[stem] > 0)
  local alone = ctx.alone
  split_josa(T, "")   -- (its answers looked up here first)
  local josa_cache = T.split_josa
  -- the first pass's picks are made by the tokenizer, in the same walk
  local plain = T.plain
  if not plain or T.plain_n >= CACHE_MAX then plain = {}; T.plain, T.plain_n = plain, 0 end
  local picks1 = {}
  -- the texts as numbered words in C (gisa.split's Words), each distinct
  -- word decided once: the picks of both passes and the words that open a
  -- run are walks in C, and a text becomes tokens only when it has picks.
  -- (M.c = false, or a text that is no valid UTF-8: the walks below)
  local words, counted
  if M.c then words, counted = words_of(T, texts) end
  if words then ctx.alone, alone = counted, counted end
  for i, x in ipairs(words and {} or texts) do
    -- the words that open a run (in C, with the particle test's kept
    -- answers); those it has no answer for yet, here
    local tk, added, picks, misses = splitter:split(x, word_toks, SEPS, plain, josa_cache, alone)
    if tk then
      word_toks_n = word_toks_n + added
      if word_toks_n >= 200000 then word_toks, word_toks_n = {}, 0 end
      picks1[i] = picks
      -- the new words it picked are decided now, so that the next texts'
      -- walks leave them out when plain (a long article's repeated words)
      for k = 1, #picks do
        local w = tk[picks[k]].w
        if plain[w] == nil then plain_of(T, plain, w) end
      end
    else
      tk = M.tokenize(x)
      misses = heads(tk, josa_cache, alone)
    end
    toks[i] = tk
    for k = 1, #misses do
      local stem = split_josa(T, misses[k])
      josa_cache = T.split_josa
      alone[stem] = (alone[stem] or 0) + 1
    end
  end

  local scan = setmetatable({ people = {}, by_name = {}, by_family = {}, known = {},
    ctx = ctx, T = T, article = a, all = nil, orgs = nil, org_by = nil }, Scan)
  -- pass 1: full names with titles (each title's answer kept for pass 2)
  local memos = {}
  ctx.memos = memos
  for i = 1, #texts do
    local picks = picks1[i]
    local ms, memo
    if words then
      -- (in C when it can: the mentions and each title's answer)
      ms, memo = words:first(i)
      if ms then
        memos[i] = memo
        for k = 1, #ms do
          local m = ms[k]
          if m.kind == "full" then person(scan, m.name) end
        end
        picks = nil
      elseif ms == false then
        picks = words:picks(i)
        if picks then toks[i] = words:tokens(i, SEPS) end
      end
    end
    if not words or picks then   -- (no picks: M.mentions finds nothing)
      ctx.pre_picks, ctx.pre_plain, ctx.memo_t = picks, plain, i
      local ms = M.mentions(toks[i], NONE, ctx, true)
      for k = 1, #ms do
        local m = ms[k]
        if m.kind == "full" then person(scan, m.name) end
      end
    end
    picks1[i] = nil
  end
  ctx.memos, ctx.memo_t = nil, nil
  -- bylined people whose role is not a title word (영상취재, 영상편집): the
  -- byline says they are people, with that role
  local credited = {}
  for _, au in ipairs(a.authors or {}) do
    if type(au.name) == "string" and au.role and au.role ~= "" and not title_of(T, au.role)
      and not scan.by_name[au.name] then
      credited[#credited + 1] = { person(scan, au.name), au.role }
    end
  end
  -- pass 2: every mention, resolved, counted; unresolved foreign references that
  -- recur become people of their own (랜데이 소장 with no given name in the text)
  -- The mentions are kept as the distinct ones (kind, name, title, org, and
  -- whether the title came first: all that the counting reads), in the order
  -- first seen, and the order they came in as the numbers of those (seq): a
  -- long article repeats a few mentions thousands of times. A pronoun counts
  -- nowhere. (A reference's person depends on the titles counted before it,
  -- so they are counted in order.)
  local refs = {}
  local all, all_n, all_at, seq, owns = {}, {}, {}, {}, {}
  scan.all = all
  ctx.orgs = {}
  if words then words:known(scan.known) end
  local none = {}
  for i = 1, #texts do
    ctx.memo_in = memos[i]
    memos[i] = nil
    local ms = none
    if not words then ms = M.mentions(toks[i], scan.known, ctx)
    else
      -- (in C when it can: the mentions in order, a title the first reading
      -- answered as its token's number, its answer taken here)
      local items, bare = words:second(i, ctx.memo_in)
      if items then
        ms = {}
        for k = 1, #items do
          local it = items[k]
          if type(it) == "number" then title_mentions(T, nil, it, nil, nil, ctx, ms)
          else ms[#ms + 1] = it end
        end
        if bare then ms = uncover(ms) end
      elseif items == false then
        local picks = words:picks(i, true)
        if picks then
          ctx.pre_picks, ctx.pre_plain = picks, plain
          ms = M.mentions(toks[i] or words:tokens(i, SEPS), scan.known, ctx)
        end
      end
    end
    toks[i] = nil
    for k = 1, #ms do
      local m = ms[k]
      local kind = m.kind
      -- (only a reference needs resolving here: the loop after counts the others)
      if kind == "ref" and syllables(m.name) >= 2 and not scan:resolve(m) then
        refs[m.name] = (refs[m.name] or 0) + 1
      end
      if kind ~= "pron" then
        local key = kind .. "\0" .. m.name .. "\0" .. (m.title or "\1") .. "\0" .. (m.org or "\1")
          .. (m.before and "\0b" or "\0")
        local at = all_at[key]
        if at then all_n[at] = all_n[at] + 1
        else
          at = #all + 1
          all[at], all_n[at], all_at[key] = m, 1, at
        end
        seq[#seq + 1] = at
        if m.in_orgs then owns[#seq] = m end
      end
    end
  end
  ctx.memo_in = nil
  for name, n in pairs(refs) do
    if n >= 2 then person(scan, name, name) end
  end
  -- each distinct mention's person, found again for a reference only when a
  -- person has gained a title since (version)
  local res, res_v, version = {}, {}, 0
  for pos = 1, #seq do
    local at = seq[pos]
    local m = all[at]
    local p = res[at]
    if p == nil or (res_v[at] ~= version and m.kind == "ref") then
      p = scan:resolve(m) or false
      res[at], res_v[at] = p, version
    end
    local own = owns[pos]
    if own then own.org_ref = p end
    if p then
      p.count = p.count + 1
      -- the full form (관광정책과장, not the later 과장) counts more
      local w = m.kind == "full" and (m.before and 5 or 10) or 1
      local t, titles = m.title, p.titles
      if t then
        local had = titles[t]
        if not had then version = version + 1 end
        titles[t] = (had or 0) + w
      end
      if m.org and m.org ~= "" then p.orgs[m.org] = (p.orgs[m.org] or 0) + w end
      p.mentions_n = (p.mentions_n or 0) + 1
    end
  end
  for at = 1, #all do
    local m = all[at]
    if m.kind ~= "ref" then m.person = res[at] or nil end   -- (a full name's person is one)
  end
  for _, c in ipairs(credited) do
    local p = c[1]
    p.count = p.count + 1
    p.titles[c[2]] = (p.titles[c[2]] or 0) + 10
  end
  local people = scan.people
  for k = 1, #people do
    local p = people[k]
    p.title = M.top(p.titles)
    p.org = M.top(p.orgs)
  end
  -- organisations: before a post no person holds (ctx.orgs), and a person's
  scan.orgs, scan.org_by = {}, {}
  local function org_seen(name, post, n)
    local o = scan.org_by[name]
    if not o then
      o = { name = name, posts = {}, count = 0, post = nil }
      scan.org_by[name] = o
      scan.orgs[#scan.orgs + 1] = o
    end
    o.count = o.count + n
    if post then o.posts[post] = (o.posts[post] or 0) + n end
  end
  local orgs = ctx.orgs
  for k = 1, #orgs do
    local o = orgs[k]
    -- (a reference resolves as its distinct mention did above)
    if not (o.ref and o.ref.org_ref) then org_seen(o.name, o.title, 1) end
  end
  ctx.orgs = nil
  -- m.org -> its organisation's name or false (articles repeat them)
  local org_names = T.org_names
  if not org_names or T.org_names_n >= CACHE_MAX then org_names = {}; T.org_names, T.org_names_n = org_names, 0 end
  for k = 1, #all do
    local m = all[k]
    if m.kind == "full" and m.person and m.org and m.org ~= "" then
      local name = org_names[m.org]
      if name == nil then
        local words = {}
        for w in m.org:gsub("%b()", " "):gmatch("%S+") do words[#words + 1] = w end
        name = org_name(T, words, false) or false
        org_names[m.org] = name
        T.org_names_n = T.org_names_n + 1
      end
      if name then org_seen(name, m.title, all_n[k]) end
    end
  end
  orgs = scan.orgs
  for k = 1, #orgs do orgs[k].post = M.top(orgs[k].posts) end
  return scan
end

--- Resolved mentions in a text of this article: {…, person=}. `last` is the
--- person a pronoun ("그는") stands for.
function Scan:mentions(text, last)
  local ms = M.mentions(text, self.known, self.ctx)
  for _, m in ipairs(ms) do
    local p = self:resolve(m, last)
    if p then m.person = p end
    if p and m.kind ~= "pron" and p.title ~= "기자" and p.title ~= "특파원" then last = p end
  end
  return ms, last
end

--- The key with the highest count (ties: the first in sorted order), or nil.
function M.top(counts)
  local best, bn
  for k, n in pairs(counts) do
    if not best or n > bn or (n == bn and k < best) then best, bn = k, n end
  end
  return best
end

------------------------------------------------------------------------------
-- A corpus: merge the people of many articles
------------------------------------------------------------------------------

--- A collector: c:add(article) per article, c:result() -> sorted rows
--- {name, title, org, count, articles = {file…}, titles = {…}};
--- c:organisations() -> sorted rows {name, post, count, articles, posts = {…}}.
function M.collector()
  local c = { by = {}, list = {}, org_by = {}, org_list = {} }
  function c:add(a)
    local s = M.scan(a)
    for _, o in ipairs(s.orgs) do
      local r = self.org_by[o.name]
      if not r then
        r = { name = o.name, posts = {}, count = 0, articles = {} }
        self.org_by[o.name] = r
        self.org_list[#self.org_list + 1] = r
      end
      r.count = r.count + o.count
      for k, n in pairs(o.posts) do r.posts[k] = (r.posts[k] or 0) + n end
      r.articles[#r.articles + 1] = a.file
    end
    for _, p in ipairs(s.people) do
      if p.count > 0 then
        local r = self.by[p.name]
        if not r then
          r = { name = p.name, titles = {}, orgs = {}, count = 0, articles = {} }
          self.by[p.name] = r
          self.list[#self.list + 1] = r
        end
        r.count = r.count + p.count
        for k, n in pairs(p.titles) do r.titles[k] = (r.titles[k] or 0) + n end
        for k, n in pairs(p.orgs) do r.orgs[k] = (r.orgs[k] or 0) + n end
        r.articles[#r.articles + 1] = a.file
      end
    end
    return s
  end
  function c:result()
    local out = {}
    for _, r in ipairs(self.list) do
      out[#out + 1] = { name = r.name, title = M.top(r.titles), org = M.top(r.orgs),
        count = r.count, articles = r.articles, titles = r.titles }
    end
    table.sort(out, function(x, y)
      if x.count ~= y.count then return x.count > y.count end
      return x.name < y.name
    end)
    return out
  end
  function c:organisations()
    local out = {}
    for _, r in ipairs(self.org_list) do
      out[#out + 1] = { name = r.name, post = M.top(r.posts), count = r.count,
        articles = r.articles, posts = r.posts }
    end
    table.sort(out, function(x, y)
      if x.count ~= y.count then return x.count > y.count end
      return x.name < y.name
    end)
    return out
  end
  return c
end

return M
