-- gisa.analysis.quotewords: the word lists the quote finder (gisa.analysis.quotes) decides by.
-- Conventions of Korean news writing and general vocabulary only, never a
-- person's name. To extend them, put a file `quotewords.lua` in a directory of
-- the search path (-I DIR or GISA_PATH) that returns a table of extra entries
-- ({ verbs = { "반박했다" }, titles = { "조합장" } }) or a function that edits
-- these lists in place (function(w) w.titles[#w.titles + 1] = "조합장" end);
-- to replace them, copy this file to DIR/gisa/analysis/quotewords.lua and edit it.

local M = {}

--- Quote marks, tried in this order at each position: open, close and the
--- words after the closing mark that make the quote reported speech
--- (“…”라고, “…”며). A single-quoted span (‘…’) names a term unless a
--- quoting ending follows it directly.
M.marks = {
  { "“", "”", after = { "이라고", "라고", "이라며", "라며", "이라면서", "라면서", "이라는", "라는",
    "고", "며", "면서", "는" } },
  { "\"", "\"", after = { "이라고", "라고", "이라며", "라며", "이라면서", "라면서", "이라는", "라는",
    "고", "며", "면서", "는" } },
  { "‘", "’", after = { "이라고", "라고", "이라며", "라며", "고 ", "며 " } },
}

--- Endings after a closing mark that join the quote to the next one in the
--- sentence (“…”며 “…”고 말했다): the next one's verb is this one's too.
M.chains = { "이라며", "라며", "이라면서", "라면서", "며", "면서" }

--- Subject particles: the speaker before a quote is a phrase ending in one.
M.particles = { "은", "는", "이", "가", "도", "께서" }

--- Pronouns: the speaker is the last person named.
M.pronouns = { "그", "그녀", "이들" }

--- Demonstratives before a title (이 대표는): the last person with that title.
M.demonstratives = { "이", "그", "해당" }

--- Reporting verbs. The verb of a quote is the first word ending in 다 after
--- it in its sentence when it is one of these (two-word ones as written), else
--- none: “…”라고 말했다 has one, “…”는 계획이다 has none.
M.verbs = {
  "말했다", "밝혔다", "강조했다", "전했다", "덧붙였다", "설명했다", "지적했다", "주장했다",
  "했다", "말한다", "밝힌다", "강조한다", "설명한다", "지적한다", "주장한다", "한다",
  "내다봤다", "봤다", "전망했다", "예상했다", "평가했다", "분석했다", "진단했다", "경고했다",
  "당부했다", "요청했다", "촉구했다", "제언했다", "제안했다", "조언했다", "소개했다",
  "언급했다", "답했다", "답변했다", "물었다", "반문했다", "반박했다", "해명했다", "토로했다",
  "털어놨다", "털어놓았다", "꼬집었다", "비판했다", "우려했다", "자신했다", "약속했다",
  "다짐했다", "말했습니다", "밝혔습니다", "했습니다", "전했습니다", "설명했습니다",
  "웃었다", "못 박았다", "선을 그었다", "입을 모았다", "귀띔했다", "부연했다", "역설했다",
  "발표했다", "공지했다", "보도했다", "알렸다", "적었다", "썼다", "확인했다", "인정했다",
}

--- Titles and roles written after a name (김민수 교수). A word that ends in
--- one of `compound_titles` is a title too (평택시장, 관광정책과장).
M.titles = {
  "교수", "명예교수", "특임교수", "겸임교수", "석좌교수", "연구교수", "부교수", "조교수",
  "소장", "연구소장", "위원장", "부위원장", "위원", "연구위원", "논설위원", "수석위원",
  "원장", "연구원장", "부원장", "센터장", "본부장", "단장", "실장", "팀장", "국장",
  "부장", "처장", "청장", "총장", "학장", "의장", "이사장", "이사", "대표이사", "대표",
  "공동대표", "회장", "부회장", "사장", "부사장", "전무", "상무", "고문", "총재", "행장",
  "CEO", "CTO", "CFO", "COO", "CSO", "CIO", "CPO", "CSA",
  "기자", "특파원", "앵커", "장관", "차관", "의원", "대통령", "총리", "시장", "지사",
  "박사", "연구원", "책임연구원", "선임연구원", "수석연구원", "과학자", "연구자",
  "설립자", "창업자", "공동창업자", "아키텍트", "엔지니어", "개발자", "디자이너",
  "변호사", "회계사", "애널리스트", "이코노미스트", "매니저", "파트너",
  "과장", "예보관", "연구관", "대변인", "책임자", "최고기술책임자", "최고경영자", "기술이사",
  "감독", "코치", "선수", "투수", "타자", "포수", "배우", "가수", "작가", "씨",
  "군수", "구청장", "도지사", "교육감", "관장", "교사", "의사", "간호사", "참가자",
  "사무처장", "사무총장", "총괄", "주무관", "사무관", "서기관", "경감", "경위", "판사", "검사",
}

--- Titles that may carry an organisation glued in front (평택시장,
--- 교통정책과장, 시스템반도체연구소장, 재난안전관리본부장).
M.compound_titles = {
  "과장", "소장", "원장", "부장", "국장", "실장", "팀장", "본부장", "센터장", "연구소장",
  "구청장", "청장", "위원장", "이사장", "회장", "사장", "부사장", "총장", "학장", "처장",
  "단장", "시장", "지사", "군수", "교육감", "예보관", "연구관", "대변인", "책임자",
  "이사", "관장", "대표", "교수", "연구원",
}

--- Korean surnames (one syllable each), and the two-syllable ones. A Korean
--- name is a surname and one or two syllables more (황보윤: three).
M.surnames = ("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 " ..
  "배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 " ..
  "도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 " ..
  "예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 견 당 화 창")
M.surnames2 = { "남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방" }

--- Endings that make a word an organisation, not a name (한빛대, 안산시).
M.org_suffixes = { "대", "시", "군", "구", "청", "부", "처", "과", "팀", "실", "국", "단", "회",
  "소", "당", "사", "관" }

--- Syllables that Korean given names do not use but transcribed foreign words
--- do (이글스, 하트먼): a word with one is not a Korean name.
M.foreign_syllables = "드 르 트 크 스 프 브 즈 츠 쉬 퓨 턴 먼 슨 튼 렌 켈 클 블 플 쿤 " ..
  "랜 퍼 샘 잭 톰 빌 폴 짐 칼 멜 릭 딘 롤 벨 셀 웰 릴 캐 쿠 키 피 페 푸 텔 톤 겔 카"

--- Words shaped like a Korean name (a surname and two syllables) that are
--- common words: time, place and linking words that start a sentence.
M.not_names = {
  "이번", "이날", "이후", "이에", "이어", "이를", "이와", "이상", "이미", "이제", "이전", "이곳",
  "지난", "지금", "최근", "최대", "최고", "정부", "한편", "한국", "한때", "전날", "전문가",
  "오늘", "오는", "오후", "오전", "당시", "당초", "주요", "주최", "조사", "방문", "반면",
  "동안", "동시", "공동", "공식", "관계자", "현장", "현재", "기존", "기업", "김장", "우선",
  "특히", "다만", "또한", "실제", "결국", "앞서", "이어서", "그러나", "하지만", "경기",
}

--- Words that mark an interview's questions (the answers are the words of
--- the person interviewed, named in the subtitles).
M.interview_types = { answer = true }

return M
