-- Generic rules: what a line of any Korean news scrape is. Tried in order for
-- each non-blank line; the first rule that matches gives the line its role.
-- Site files (rules/sites/NAME.lua) and a user's rule files add rules in front
-- of these, replace one by giving its id, or drop one with {id=…, off=true}.
-- Zones: "head" until the first paragraph, "body", then "tail" after the
-- copyright line, a closing byline or a list of other stories.
-- docs/rules.md describes every field of a rule.

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"

local P, S, C, Cg, Ct, Cp, Cc = lpeg.P, lpeg.S, lpeg.C, lpeg.Cg, lpeg.Ct, lpeg.Cp, lpeg.Cc
local sp, eol, char = L.sp, L.eol, L.char
local sp0 = sp ^ 0
-- The rest of the text, to its end: what char ^ 1 matches (L.char takes any
-- byte it cannot read as a character), a byte at a time instead of a choice
-- per character.
local rest1, rest0 = P(1) ^ 1, P(1) ^ 0
local find, sub, byte = string.find, string.sub, string.byte

-- Does t hold the string s? MASK: t's needle mask, when t is a line's text (nil
-- or false otherwise); a needle of the rules (ctx.needle_bit) is then read from
-- it instead of searched for.
local function holds(t, s, mask, ctx)
  local bits = mask and ctx and ctx.needle_bit
  local b = bits and bits[s]
  if b then return mask & b ~= 0 end
  return find(t, s, 1, true) ~= nil
end

------------------------------------------------------------------------------
-- Word lists (a user's rule file can replace a rule to change one)
------------------------------------------------------------------------------

local share_words = {
  "공유", "공유하기", "댓글", "댓글쓰기", "스크랩", "기사 스크랩", "기사스크랩", "프린트", "인쇄",
  "인쇄하기", "글자크기", "글자 크기", "글씨크기", "좋아요", "페이스북", "트위터", "카카오톡",
  "카카오스토리", "네이버밴드", "밴드", "URL복사", "URL 복사", "링크복사", "링크 복사", "기사듣기",
  "북마크", "구독", "구독하기", "닫기", "이메일", "메일보내기", "기사저장", "번역", "가", "가가",
  "텍스트 음성 변환 서비스 사용하기", "음성으로 듣기", "SNS 공유", "공유 닫기", "추천", "목록",
}

local adverts = { "ADVERTISEMENT", "Advertisement", "advertisement", "AD", "광고", "[광고]", "(광고)" }

local related = { "관련기사", "관련 기사", "관련뉴스", "관련 뉴스", "[관련기사]", "[관련 기사]",
  "<관련기사>", "함께 보면 좋은 기사", "추천기사", "추천 기사", "이 기사와 함께 많이 본 뉴스" }

-- Speaker marks of broadcast transcripts.
local transcript_marks = { "[앵커]", "[기자]", "[리포트]", "[앵커 멘트]", "[앵커멘트]", "[기자 멘트]",
  "[기자멘트]", "[앵커 리포트]", "[리포터]", "<앵커>", "<기자>", "<앵커 멘트>", "<리포트>" }

-- Headings of lists of other stories: after them, the article is over.
local story_lists = { "베스트 클릭", "많이 본 뉴스", "가장 많이 본 뉴스", "많이 본 기사",
  "가장 많이 본 기사", "인기기사", "인기 기사", "실시간 인기기사", "주요뉴스", "주요 뉴스",
  "오늘의 주요뉴스", "이 시각 주요뉴스", "이 시각 주요 뉴스", "랭킹뉴스", "최신기사", "최신 기사",
  "포토뉴스", "핫이슈", "오늘의 핫뉴스", "다른 기사 보기", "이 기자의 다른 기사" }

local end_marks = { "(끝)", "<끝>", "/끝/", "[끝]" }

-- Photo agencies a caption may end with: "… /연합뉴스".
local photo_agencies = { "연합뉴스", "뉴스1", "뉴시스", "AP", "AFP", "로이터", "EPA", "신화",
  "게티이미지", "게티이미지뱅크", "셔터스톡", "픽사베이", "AP연합뉴스", "AFP연합뉴스",
  "로이터연합뉴스", "EPA연합뉴스", "게티이미지코리아" }

------------------------------------------------------------------------------
-- Patterns
------------------------------------------------------------------------------

-- A line of nothing but dashes, dots and the like (a separator).
local separator = S"-=_*~·.#|/" + P"ㅡ" + P"—" + P"–" + P"―" + P"━" + P"─" + P"…" + P"■" + P"□"
  + P"◆" + P"◇" + P"●" + P"○"
local separator_line = (separator + sp) ^ 1 * -1
-- The characters a separator line can start with (a trimmed line starts with no blank).
local separator_chars = { "-", "=", "_", "*", "~", "·", ".", "#", "|", "/", "ㅡ", "—", "–", "―", "━", "─",
  "…", "■", "□", "◆", "◇", "●", "○" }

-- Copyright: starts with ⓒ/©/Copyright/저작권자, or says 무단전재 / 재배포 금지.
local copyright_start = sp0 * (P"<" + P"[" + P"(") ^ -1 * sp0 * (P"ⓒ" + P"©" + P"Copyright" + P"copyright"
  + P"COPYRIGHT" + P"(c)" + P"(C)" + P"저작권자" + P"저작권 ©")
local copyright_any = L.find(P"무단전재" + P"무단 전재" + P"무단복제" + P"무단 복제" + P"재배포 금지"
  + P"재배포금지" + P"All rights reserved" + P"all rights reserved" + P"ALL RIGHTS RESERVED")

-- The owner named by a copyright line: "<저작권자 © 누리과학신문, 무단…>" -> 누리과학신문
local owner_word = (char - sp - S",.()<>[]") ^ 1
-- a year after the mark is no owner: "Copyright © 2023 누리과학신문" -> 누리과학신문
local owner_year = L.digit * L.digit * L.digit * L.digit * (sp0 * S"-~" * sp0 * L.digit ^ 1) ^ -1 * sp0 * S",." ^ -1 * sp0
local copyright_owner = P{ (P"ⓒ" + P"©" + P"(c)" + P"(C)") * sp0 * owner_year ^ -1 * C(owner_word) + char * lpeg.V(1) }

-- Photo credits: "(사진=구글)", "[사진=연합뉴스]", "/사진=김휘선 기자 hwijpg@",
-- ". 사진=박범준 기자", "(사진 제공=…)", "/연합뉴스" at the end of a short line.
local credit_labels = { "사진·영상", "사진 제공", "사진제공", "사진", "그래픽", "자료", "출처", "이미지",
  "일러스트", "영상", "캡처", "제공" }
local credit_label = L.any(credit_labels)
-- A line can hold a credit only if it holds one of these (the caption rule's `has`).
local credit_needles = { "/", "사진", "그래픽", "자료", "출처", "이미지", "일러스트", "영상", "캡처", "제공" }
local assign_chars = { "=", ":", "：" }
local assign = sp0 * (P"=" + P":" + P"：") * sp0
local function upto(close) return C((char - close) ^ 1) end
local credit_paren = (P"(" * sp0 * credit_label * assign * upto(P")") * P")"
  + P"[" * sp0 * credit_label * assign * upto(P"]") * P"]"
  + P"<" * sp0 * credit_label * assign * upto(P">") * P">"
  + P"【" * sp0 * credit_label * assign * upto(P"】") * P"】")
local credit_tail = (S"/." + P"·" + sp) * sp0 * credit_label * assign * C((char - eol) ^ 1) * eol
local credit_agency = P"/" * sp0 * C(L.any(photo_agencies)) * eol
local credit_end = credit_paren * eol + credit_tail + credit_agency
-- The credit at the end of the line, or the whole line, or opening the line.
-- A credit opens only at one of these bytes (ASCII, or the lead byte of 【 ·
-- NBSP U+3000, never a continuation byte): the search skips the other bytes in
-- one loop instead of trying credit_end at every character.
local credit_start = S"([</. \t\194\227"
local caption_p = P{ credit_end + (1 - credit_start) ^ 1 * lpeg.V(1) + credit_start * lpeg.V(1) }
local caption_whole = sp0 * credit_label * assign * C((char - eol) ^ 1) * eol
local caption_open = credit_paren * sp0 * #char

-- The credit as a reader names it: "김휘선 기자 hwijpg@" -> "김휘선".
local function clean_credit(c)
  c = L.trim(c)
  local name = c:match("^(.-)%s*기자%s") or c:match("^(.-)%s*기자$")
  if name and name ~= "" then return name end
  name = c:match("^(.-)%s*제공$")
  if name and name ~= "" then return name end
  return c
end

local triangle = (P"▲" + P"△") * sp0 * Cp()

-- A quick test before the grammars, which search the whole line: every credit
-- but "/agency" has a label right before its "=", ":" or "：" (blanks between),
-- and "/agency" ends the line. Most lines that reach the caption rule are long
-- paragraphs with a URL's ":" and "/" and a word like 자료 or 제공, and have
-- neither.
-- The strings of LIST by their last byte: a place can end one of them only if
-- its byte is one of these.
local function by_last_byte(list)
  local t = {}
  for _, x in ipairs(list) do
    local b = byte(x, -1)
    t[b] = t[b] or {}
    t[b][#t[b] + 1] = x
  end
  return t
end
local label_ends, agency_ends = by_last_byte(credit_labels), by_last_byte(photo_agencies)

-- The last byte before position P that is not a blank (L.sp: space, tab, NBSP,
-- U+3000), or 0.
local function before_blanks(t, p)
  local q = p - 1
  while q > 0 do
    local c = byte(t, q)
    if c == 32 or c == 9 then q = q - 1
    elseif c == 0xA0 and byte(t, q - 1) == 0xC2 then q = q - 2
    elseif c == 0x80 and byte(t, q - 1) == 0x80 and byte(t, q - 2) == 0xE3 then q = q - 3
    else break end
  end
  return q
end

-- Does one of the strings of ENDS (by_last_byte) end at byte Q of t?
local function ends_at(t, q, ends)
  local list = q > 0 and ends[byte(t, q)]
  if not list then return false end
  for i = 1, #list do
    local x = list[i]
    local n = #x
    if q >= n and sub(t, q - n + 1, q) == x then return true end
  end
  return false
end

local function may_credit(t, mask, ctx)
  local bits = mask and ctx and ctx.needle_bit    -- holds(t, a, mask, ctx), in line
  for i = 1, #assign_chars do
    local a = assign_chars[i]
    local b = bits and bits[a]
    local p = (not b or mask & b ~= 0) and find(t, a, 1, true)
    while p do
      if ends_at(t, before_blanks(t, p), label_ends) then return true end
      p = find(t, a, p + 1, true)
    end
  end
  return find(t, "/", 1, true) ~= nil and ends_at(t, before_blanks(t, #t + 1), agency_ends)
end

-- The credit the caption grammars find in t (nil when none), without the quick test.
local function credit_of(t)
  return caption_p:match(t) or caption_whole:match(t) or caption_open:match(t)
end

local function caption(line, ctx)
  local t = line.text
  if not may_credit(t, line.mask, ctx) then return nil end
  local c = credit_of(t)
  if not c then return nil end
  local start = triangle:match(t)     -- "▲ 설명 (사진=…)": the marker is not text
  if start then t = sub(t, start) end
  return { text = t, credit = clean_credit(c) }
end

-- Markers of interview questions and answers.
local q_mark = C(P"▷" + P"ㅡ" + P"―" + P"—" + P"Q." + P"Q:" + P"Q :" + P"Q)" + P"문:" + P"문)" + P"[문]")
local a_mark = C(P"A." + P"A:" + P"A :" + P"A)" + P"답:" + P"답)" + P"[답]")
local function marked(mark)
  return Ct(Cg(mark, "marker") * sp0 * Cg(C(rest1), "text"))
end
local question_p = marked(q_mark)
local answer_p = marked(a_mark)
local triangle_p = marked(C(P"▲" + P"△"))

-- "편집자주 | …", "[편집자주] …", "<편집자 주> …", "※ 편집자주: …"
local note_p = Ct(sp0 * (S"[<(" + P"※" + P"■" + P"◆") ^ -1 * sp0 * P"편집자" * sp0 * P"주" * sp0
  * S"]>)" ^ -1 * sp0 * (S"|:" + P"：" + P"ㅣ") ^ -1 * sp0 * Cg(C(rest1), "text"))

-- "[MT리포트-국산AI '골든타임']⑥인터뷰-…": a series label, its part, the rest.
local circled = P"①" + P"②" + P"③" + P"④" + P"⑤" + P"⑥" + P"⑦" + P"⑧" + P"⑨" + P"⑩"
  + P"⑪" + P"⑫" + P"⑬" + P"⑭" + P"⑮" + P"⑯" + P"⑰" + P"⑱" + P"⑲" + P"⑳"
local part = circled + P"<" * L.digit ^ 1 * P">" + P"(" * L.digit ^ 1 * P")" + P"〈" * L.digit ^ 1 * P"〉"
local series_p = Ct(P"[" * Cg(C((char - P"]") ^ 1), "name") * P"]" * sp0
  * Cg(C(part), "part") ^ -1 * sp0 * Cg(C(rest0), "rest"))

-- A line that is one quote: “…” or "…"
local whole_quote = (P"“" * (char - P"”") ^ 1 * P"”" + P"\"" * (char - P"\"") ^ 1 * P"\"") * eol

-- A whole line of e-mail addresses.
local emails_line = sp0 * L.email * (sp0 * (S",;/·") ^ -1 * sp0 * L.email) ^ 0 * eol

-- "▶ 제보하기 tip@…": a contact address with its label
local contact_p = L.find(P"제보" + P"문의" + P"이메일" + P"E-mail" + P"e-mail" + P"Email" + P"메일")
-- Where readers send tips: "제보는 카카오톡 okjebo", "[제보하기] …", "▷ 전화 : 02-…".
local list_mark = P"▶" + P"▷" + P"■" + P"□" + P"◆" + P"◇" + P"※" + P"●" + P"○" + P"·" + P"•" + P"☞"
local tip_channels = { "카카오톡", "카톡", "전화", "이메일", "메일", "문자", "홈페이지", "누리집",
  "유튜브", "팩스", "텔레그램", "인스타그램", "페이스북", "라인", "앱" }
local tip_channel = P(tip_channels[1])
for i = 2, #tip_channels do tip_channel = tip_channel + P(tip_channels[i]) end
local tip_p = sp0 * list_mark ^ -1 * sp0 * (S"[<" + P"【") ^ -1 * sp0 * P"제보"
local tip_channel_p = sp0 * list_mark * sp0 * tip_channel * sp0 * (S":" + P"：")
-- "[인터뷰] 고은비 / 마라톤 참가자"
local interviewee_p = Ct((P"[인터뷰]" + P"<인터뷰>" + P"[인터뷰 녹취]" + P"[녹취]" + P"<녹취>") * sp0
  * Cg(C((char - sp - P"/") ^ 1), "name") * (sp0 * P"/" * sp0 * Cg(C(rest1), "about")) ^ -1 * eol)

-- "[파이낸셜뉴스]" opening the first paragraph (a dateline tag).
local tag_p = (P"[" * C((char - P"]") ^ 1) * P"]" + P"【" * C((char - P"】") ^ 1) * P"】") * sp0 * Cp()

------------------------------------------------------------------------------
-- Helpers for `when` and `match`
------------------------------------------------------------------------------

-- The bytes Lua's %s matches (isspace in the C locale).
local SPACE = { [32] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true }

-- The pieces of s between "|", each without %s at its ends: what
-- (s .. "|"):gmatch("%s*(.-)%s*|") gives, with plain finds.
local function split_bar(s)
  local parts, i, n = {}, 1, #s
  while true do
    local j = find(s, "|", i, true) or n + 1
    local a, b = i, j - 1
    while a <= b and SPACE[byte(s, a)] do a = a + 1 end
    while b >= a and SPACE[byte(s, b)] do b = b - 1 end
    parts[#parts + 1] = sub(s, a, b)
    if j > n then return parts end
    i = j + 1
  end
end

-- s without blanks and "/" at its ends: a piece of "이름 기자 / 입력 …".
local function trim_slash(s)
  local a, b = 1, #s
  while a <= b and (SPACE[byte(s, a)] or byte(s, a) == 47) do a = a + 1 end
  while b >= a and (SPACE[byte(s, b)] or byte(s, b) == 47) do b = b - 1 end
  return sub(s, a, b)
end

-- A byline and its dates on one line with no "|" between them: "홍길동 기자
-- 입력 2023.03.14 16:00", "기사입력 2023.03.14 16:00 / 홍길동 기자". The
-- dates are the longest run at either end that is nothing but dates (the
-- grammar's line test), the rest must parse as a byline. nil otherwise.
local stray_words = { ["오전"] = true, ["오후"] = true, AM = true, PM = true, ["입력"] = true, ["송고"] = true,
  ["등록"] = true }
local function byline_and_dates(t, ctx, mask)
  -- a date of the shipped forms has its year: most lines that fail the
  -- byline have none, and leave here (MASK: t's needle mask, when known)
  if not holds(t, "20", mask, ctx) and not holds(t, "19", mask, ctx) then return nil end
  local dates, bylines = ctx.set.dates, ctx.set.bylines
  local spaces, n = {}, 0
  local i = find(t, " ", 1, true)
  while i do n = n + 1; spaces[n] = i; i = find(t, " ", i + 1, true) end
  for k = 1, n do                              -- dates after the byline
    local j = spaces[k]
    local d = dates:line(trim_slash(sub(t, j + 1)))
    if d then
      local res = bylines:parse(trim_slash(sub(t, 1, j - 1)), ctx.publisher)
      if res then res.dates = d; return res end
      break
    end
  end
  for k = n, 1, -1 do                          -- dates before the byline
    local j = spaces[k]
    local d = dates:line(trim_slash(sub(t, 1, j - 1)))
    if d then
      local res = bylines:parse(trim_slash(sub(t, j + 1)), ctx.publisher)
      if res then res.dates = d; return res end
      return nil
    end
  end
  -- a stray word after the dates ("홍길동 기자 2023.03.14 오후": a time cut
  -- off): the line without it, once
  -- (a line that ends in a digit has none: most dates end so)
  if n > 0 and byte(t, -1) > 57 and stray_words[sub(t, spaces[n] + 1)] then
    return byline_and_dates(sub(t, 1, spaces[n] - 1), ctx)
  end
end

local function short_unfinished(line)
  return not L.final(line.text)
end

-- Is there a paragraph (a finished sentence or a long line) after line I? A
-- deck needs a body under it: "제목\n본문" is a title and a one-line body.
local function body_follows(ctx)
  local last = ctx.last_para_like
  if last == nil then
    last = 0
    local lines = ctx.lines
    for i = #lines, 1, -1 do
      local l = lines[i]
      if l.len > 100 or (l.len > 0 and L.final(l.text)) then last = i; break end
    end
    ctx.last_para_like = last
  end
  return ctx.i < last
end

------------------------------------------------------------------------------
-- The rules, in order
------------------------------------------------------------------------------

local rules = {
  -- Page furniture, wherever it is.
  { id = "share-words", role = "removed", max = 20, match = L.words(share_words) },
  { id = "separator", role = "removed", max = 40, pattern = separator_line, first = separator_chars },
  { id = "advert", role = "removed", max = 20, match = L.words(adverts) },
  { id = "related", role = "removed", max = 20, match = L.words(related) },
  { id = "story-list", role = "removed", max = 20, enter = "tail", match = L.words(story_lists) },
  { id = "end-mark", role = "removed", max = 5, match = L.words(end_marks) },

  -- The copyright line ends the article.
  { id = "copyright", role = "copyright", max = 200, enter = "tail",
    has = { "ⓒ", "©", "opyright", "OPYRIGHT", "(c)", "(C)", "저작권", "무단", "재배포", "ights reserved",
      "IGHTS RESERVED" },
    match = function(line)
      local t = line.text
      if not (copyright_start:match(t) or copyright_any:match(t)) then return nil end
      return { publisher = copyright_owner:match(t) }
    end },

  -- "[이데일리 홍길동 기자] 본문…", "(서울=연합뉴스) 홍길동 기자 = 본문…"
  { id = "byline-prefix", role = "byline", when = "head", split = true, once = true,
    match = function(line, ctx)
      -- the line's first character (fc) spares two string.sub a head line
      local fc = line.fc
      if fc == nil then fc = sub(line.text, 1, 3) == "【" and "【" or sub(line.text, 1, 1) end
      if fc ~= "[" and fc ~= "(" and fc ~= "【" then
        -- holds(line.text, "=", line.mask, ctx), in line: most head lines leave here
        local mask, bits = line.mask, ctx.needle_bit
        local b = mask and bits and bits["="]
        if b then
          if mask & b == 0 then return nil end
        elseif not find(line.text, "=", 1, true) then
          return nil
        end
      end
      local res, pos = ctx.set.bylines:prefix(line.text, ctx.publisher)
      if res then res.pos = pos; return res end
    end },

  -- A byline on a line of its own; in the body it closes the article.
  { id = "byline", role = "byline", max = 100,
    -- a byline names a role (기자, 특파원 …) or gives an address: a quick test first
    -- (Parser:maybe in line: the mask when the set's byline needles are bits)
    when = L.when("ctx.set.bylines.mask and mask and mask & ctx.set.bylines.mask ~= 0"
      .. " or not (ctx.set.bylines.mask and mask) and ctx.set.bylines:maybe(text, mask)"),
    enter = function(ctx) if ctx.zone == "body" then return "tail" end end,
    match = function(line, ctx)
      local t = line.text
      if find(t, "｜", 1, true) then t = t:gsub("｜", "|") end
      if not find(t, "|", 1, true) then
        local res = ctx.set.bylines:parse(t, ctx.publisher)
        if res then return res end
        return byline_and_dates(t, ctx, t == line.text and line.mask)
      end
      local parts, dated = split_bar(t), {}
      local res
      for i = 1, #parts do
        local p = parts[i]
        local d = ctx.set.dates:line(p)
        if d then
          for j = 1, #d do dated[#dated + 1] = d[j] end
        elseif res then
          return nil
        else
          res = ctx.set.bylines:parse(p, ctx.publisher)
          if not res then return nil end
        end
      end
      if res and #dated > 0 then res.dates = dated end
      return res
    end },

  -- a line of e-mail addresses; alone under a one-reporter article, it is theirs
  { id = "email", role = "email", max = 120, has = "@", pattern = emails_line,
    match = function() return { tie = true } end },
  -- "▶ 제보하기 tip@…", "문의: …@…": an address that is nobody's byline
  { id = "contact", role = "email", max = 60, has = "@",
    match = function(line)
      local t = line.text
      if find(t, "@", 1, true) and contact_p:match(t) then return {} end
    end },

  -- "제보는 카카오톡 okjebo", "▷ 전화 : 02-…": how to send a tip, not the article's text
  { id = "tip", role = "removed", max = 60, has = "제보",
    match = function(line) if tip_p:match(line.text) and not L.final(line.text) then return {} end end },
  { id = "tip-channel", role = "removed", max = 60, has = { ":", "：" },
    first = { "▶", "▷", "■", "□", "◆", "◇", "※", "●", "○", "·", "•", "☞" }, pattern = tip_channel_p },

  -- Broadcast transcripts: "[앵커]", "[기자]"; "[인터뷰] 이름 / 소속" before a quote;
  -- the sign-off "한결방송 윤세라입니다."; "영상취재: 민경호 / 영상편집: 하수빈".
  { id = "transcript-mark", role = "removed", max = 12, first = { "[", "<" }, match = L.words(transcript_marks) },
  { id = "interviewee", role = "speaker", max = 60, first = { "[", "<" }, pattern = interviewee_p },
  { id = "signoff", role = "byline", max = 30, has = "입니다",
    enter = function(ctx) if ctx.zone == "body" then return "tail" end end,
    match = function(line, ctx) return ctx.set.bylines:signoff(line.text, ctx.publisher) end },
  { id = "credits", role = "byline", max = 80, has = { ":", "：", "=" },
    match = function(line, ctx) return ctx.set.bylines:credits(line.text) end },

  -- "입력 2023.03.14 16:00", "수정: 2023/12/26 17:19", "2023년 3월 14일 …"
  { id = "dateline", role = "date", max = 120, has = { "19", "20" },
    match = function(line, ctx)
      local d = ctx.set.dates:line(line.text)
      if d then return { dates = d } end
    end },

  -- After the end of the article: other stories, links, site furniture.
  { id = "tail", role = "removed", when = "tail" },

  -- A headline is short: a first line of thousands of characters (a scrape
  -- with no line breaks) is text, not a title.
  { id = "title", role = "title", when = "head", max = 300,
    match = L.expr("not ctx.rec.title") },

  -- The outlet's name on a line of its own.
  { id = "publisher-line", role = "publisher", when = "head", max = 20,
    match = function(line, ctx)
      local t = line.text
      return t == ctx.publisher or ctx.set.bylines.media[t]
    end },

  { id = "editor-note", role = "note", max = 2000, pattern = note_p,
    first = { "편집자", "[", "<", "(", "※", "■", "◆" } },

  -- "[파이낸셜뉴스] 본문…": the outlet's tag is cut from the first paragraph.
  { id = "dateline-tag", role = "removed", split = true, once = true, when = { "head", "body" },
    first = { "[", "【" },
    match = function(line, ctx)
      local c = sub(line.text, 1, 1)
      if c ~= "[" and sub(line.text, 1, 3) ~= "【" then return nil end
      local name, pos = tag_p:match(line.text)
      if not name then return nil end
      -- "[파이낸셜뉴스]", "[새벽일보=안산]", "[베를린=동녘신문]"
      local by = ctx.set.bylines
      for part in (name .. "="):gmatch("%s*(.-)%s*=") do
        if part == ctx.publisher or by:is_media(part, ctx.publisher) then
          return { pos = pos, publisher = part }
        end
      end
    end },

  -- the words of the person a transcript's "[인터뷰]" line named
  { id = "interviewee-quote", role = "quote", first = { "“", "\"" }, prev = "speaker",
    match = function(line, ctx)
      local q = whole_quote:match(line.text)
      if q then return { text = line.text, speaker = ctx.speaker } end
    end },

  -- A caption printed twice is one caption.
  { id = "caption-repeat", role = "removed", max = 300,
    match = L.expr("text == ctx.last_caption") },
  -- a credit gives its label and "=" or ":" (사진=, 자료: …), or is "/agency" at the end
  { id = "caption", role = "caption", max = 300, has = { { "=", ":", "：", "/" }, credit_needles },
    match = caption },

  -- Interviews: ▷질문 / ㅡ질문 ▲답변 / Q. A. / — 질문
  { id = "question", role = "question", enter = "body", pattern = question_p,
    first = { "▷", "ㅡ", "―", "—", "Q", "문", "[" } },
  { id = "answer", role = "answer", enter = "body", pattern = answer_p, first = { "A", "답", "[" } },
  { id = "answer-triangle", role = "answer", enter = "body", pattern = triangle_p, first = { "▲", "△" },
    prev = "question" },
  { id = "question-triangle", role = "question", enter = "body", pattern = triangle_p, first = { "▲", "△" },
    match = function(line, ctx, caps)
      -- "▲질문?" followed by an unmarked answer
      local t = line.text
      if ctx.zone ~= "head" and (sub(t, -1) == "?" or sub(t, -3) == "？") then return caps end
    end },
  { id = "caption-triangle", role = "caption", max = 200, pattern = triangle_p, first = { "▲", "△" },
    match = function(line, ctx, caps)
      local c = caption({ text = caps.text })
      return { text = caps.text, credit = c and c.credit }
    end },
  { id = "answer-after-question", role = "answer", enter = "body", prev = "question" },

  -- The head: series label, subtitles (a repeated block is dropped).
  { id = "series", role = "series", when = "head", max = 120, first = "[",
    match = function(line, ctx)
      if sub(line.text, 1, 1) ~= "[" or not ctx.rec.title then return nil end
      local s = series_p:match(line.text)
      if not s or s.rest == "" or L.final(s.rest) then return nil end
      return { series = s.part and (s.name .. " " .. s.part) or s.name, rest = s.rest }
    end },
  { id = "subtitle-repeat", role = "removed", when = "head",
    match = L.expr("ctx.subtitle_set[text]") },
  { id = "subtitle", role = "subtitle", when = "head", max = 100,
    match = function(line, ctx)
      return ctx.rec.title and short_unfinished(line) and body_follows(ctx)
    end },

  -- The body: crossheads are short lines that do not end a sentence.
  { id = "heading", role = "heading", when = "body", max = 60, match = short_unfinished },
  { id = "answer-continued", role = "answer", prev = "answer",
    when = function(ctx) return not ctx.blank end },
  { id = "para", role = "para", enter = "body", always = true },
}

------------------------------------------------------------------------------
-- After the lines: quotes and who said them
------------------------------------------------------------------------------

-- Quotes and who said them: lua/gisa/analysis/quotes.lua, the same finder as `gisa
-- quotes` (its word lists: lua/gisa/analysis/quotewords.lua). It fills only
-- `quotes`: a job that reads no quotes (gisa.run's `fields`) is spared it.
local quotes = require("gisa.analysis.quotes").record

return {
  rules = rules,
  post = { { id = "quotes", run = quotes, fills = { "quotes" } } },
  -- not read by the engine: helpers for site and user files that build on
  -- these, and the quick test and the grammars it spares (tests/rules_fast_test.lua)
  lib = {
    lists = { share_words = share_words, adverts = adverts, related = related,
      story_lists = story_lists, photo_agencies = photo_agencies },
    caption = caption,
    may_credit = may_credit, credit_of = credit_of, split_bar = split_bar,
  },
}
