-- Additions to the generic rules for crawler bodies and outlets without site
-- rules: a lede is not a headline, the `publisher` named from what the text
-- shows (through the publisher directory, rules/publishers.lua), and the
-- directory's outlets known to the byline grammar. A user's DIR/rules/crawl.lua
-- replaces this file; a rule of the same id in any rule file replaces one.
-- docs/rules.md, "Crawler bodies" and "The publisher directory".

local L = require "gisa.rules.lib"
local publishers = require "gisa.engine.publishers"

local find, sub, byte = string.find, string.sub, string.byte

------------------------------------------------------------------------------
-- A lede is not a headline
------------------------------------------------------------------------------

-- Sentence-final endings of news prose before the period: "…했다.", "…밝혔다."
local function ends_prose(t)
  local n = #t
  while n > 0 and (byte(t, n) == 32 or byte(t, n) == 9) do n = n - 1 end
  if byte(t, n) ~= 46 then return false end
  return sub(t, n - 3, n - 1) == "다"
end

-- In a body-only file the first line may be the lede: the text after a
-- dateline byline ("(서울=연합뉴스) 홍길동 기자 = …"), a piece of a collapsed
-- body (gisa.paragraphs), or a sentence of 100+ characters ending "…다.".
local function lede(line, ctx)
  if ctx.rec.title then return nil end
  if line.cut or (line.part and ctx.prev_rule == "byline-prefix") then return true end
  return line.len >= 100 and ends_prose(line.text)
end

------------------------------------------------------------------------------
-- The publisher from what the text shows
------------------------------------------------------------------------------

-- "(서울=연합뉴스)", "[서울=뉴시스]", "【서울=뉴시스】", "[아이뉴스24 홍길동 기자]",
-- "[서울경제]" opening one of the first lines.
local opener = { ["("] = ")", ["["] = "]", ["【"] = "】", ["<"] = ">" }
local function tag_outlet(t, dir)
  local c = sub(t, 1, 1)
  local close = opener[c]
  local from = 2
  if not close then
    c = sub(t, 1, 3)
    close = opener[c]
    from = 4
  end
  if not close then return nil end
  local e = find(t, close, from, true)
  if not e or e - from > 80 then return nil end
  return publishers.from_tag(sub(t, from, e - 1), dir)
end

-- The e-mail domain of an address at the end of the text (a byline a crawler
-- left: "… 홍길동 기자 hong@yna.co.kr").
local function tail_emails(text)
  local tail = sub(text, -200)
  if not find(tail, "@", 1, true) then return {} end
  return L.emails:match(tail) or {}
end

-- Evidence for the outlet, most direct first; two outlets that disagree give
-- none (a wrong outlet is worse than none). What another outlet is credited
-- with inside the article (a photo credit, "…에 따르면", a quoted report) is
-- never read: only the opening tag or dateline, the reporters' own addresses,
-- the address that ends the text and the copyright line.
local function infer(rec, ctx)
  local dir = publishers.directory()
  local found = {}
  local function add(e) if e then found[#found + 1] = e end end
  -- the opening dateline or tag of the first lines
  local seen, lines = 0, ctx.lines
  for i = 1, #lines do
    local l = lines[i]
    if l.len > 0 then
      seen = seen + 1
      local e = tag_outlet(l.text, dir)
      if e then add(e); break end
      if seen >= 4 then break end
    end
  end
  -- a photo credited with a dateline, "사진설명(서울=연합뉴스) …": an outlet that
  -- prints datelines credits its own photos so (another's are "(사진=연합뉴스)")
  local caps = rec.captions
  for i = 1, #caps do
    local t = caps[i].text
    local inner = find(t, "사진설명", 1, true) and t:match("사진설명%s*%(([^%)=]+=[^%)]+)%)")
    local e = inner and publishers.from_tag(inner, dir)
    if e and e.dateline then add(e) end
  end
  for _, a in ipairs(rec.authors) do
    if a.email then add(publishers.lookup(a.email, dir)) end
  end
  for _, m in ipairs(tail_emails(ctx.text)) do add(publishers.lookup(m, dir)) end
  if rec.copyright then add(publishers.from_copyright(rec.copyright, dir)) end
  local one
  for _, e in ipairs(found) do
    if one and one ~= e then return nil end
    one = e
  end
  return one
end

local function publisher(rec, ctx)
  if ctx.site then return end
  if rec.publisher then
    -- an alias or a short name as the directory names it ("한경닷컴" -> 한국경제)
    local e = publishers.lookup(rec.publisher)
    if e then rec.publisher = e.name end
    return
  end
  local e = infer(rec, ctx)
  if e then rec.publisher = e.name end
end

------------------------------------------------------------------------------
-- Pieces glued into one line: bylines, decks, captions
------------------------------------------------------------------------------

local generic = require("gisa.rules.generic").lib
local agencies = generic.lists.photo_agencies

-- The bracket that opens T ("[…]", "(…)", "【…】"): its inside and the byte after it.
local function bracket_at(t, i)
  local c = sub(t, i, i)
  local close, from = opener[c], i + 1
  if not close then c = sub(t, i, i + 2); close = opener[c]; from = i + 3 end
  if not close or c == "<" then return nil end
  local e = find(t, close, from, true)
  if not e or e - from > 80 then return nil end
  return sub(t, from, e - 1), e + #close
end

-- Labels of a credit in brackets: "(사진=…)", "(그래픽=…)".
local credit_labels = { ["사진"] = true, ["사진제공"] = true, ["사진 제공"] = true, ["그래픽"] = true,
  ["자료"] = true, ["출처"] = true, ["제공"] = true, ["이미지"] = true, ["영상"] = true, ["일러스트"] = true,
  ["자료사진"] = true, ["사진·영상"] = true }

-- Is INNER a byline ("홍길동 기자", "마이데일리 = 도쿄(일본) 홍길동 기자",
-- "지디넷코리아=홍길동 기자")? The parse, or nil.
local function byline_inner(inner, ctx)
  local label = inner:match("^%s*([^=:]-)%s*[=:]")
  if label and credit_labels[label] then return nil end
  local by = ctx.set.bylines
  if not by:maybe(inner) then return nil end
  local res = by:parse(inner, ctx.publisher)
  if res and #res.authors > 0 then return res end
  -- "매체=홍길동 기자": the label is the outlet; "사진=홍길동 기자" is a photo
  -- credit (the reporter took the picture), never a byline
  local m, rest = inner:match("^%s*([^=]+)=%s*(.+)$")
  if m then
    res = by:parse(rest, ctx.publisher)
    if res and #res.authors > 0 then
      m = L.trim(m)
      if by:is_media(m, ctx.publisher) or publishers.lookup(m) then res.media = res.media or m end
      return res
    end
  end
  return nil
end

-- "[ 홍길동 기자 ] 본문…", "(지디넷코리아=홍길동 기자)본문…" opening a line in any
-- zone (the generic byline-prefix reads the head's first one): the byline is cut off.
local function byline_bracket(line, ctx)
  local t = line.text
  local inner, after = bracket_at(t, 1)
  if not inner then return nil end
  local res = byline_inner(inner, ctx)
  if not res or after > #t then return nil end
  res.pos = after
  return res
end

-- "신제품 출시 기대감 고조[마이데일리 = 도쿄(일본) 홍길동 기자] 본문…": the text
-- before a byline in brackets inside a line is cut off (a deck in the head, a
-- paragraph in the body); the byline and the rest are read again.
local function before_byline(line, ctx)
  local t = line.text
  local i = 2
  while true do
    local a = find(t, "[%[%(\227]", i)
    if not a then return nil end
    local inner = bracket_at(t, a)
    if inner and byline_inner(inner, ctx) then
      local head = L.trim(sub(t, 1, a - 1))
      if head == "" then return nil end
      if ctx.zone == "head" and not L.final(head) and L.len(head) <= 100 then
        return { pos = a, text = head, deck = true }
      end
      return { pos = a, text = head }
    end
    i = a + 1
  end
end

local function glued_deck(line, ctx)
  local c = ctx.rec.title and before_byline(line, ctx)
  return c and c.deck and c or nil
end

-- "[신제품 출시 기대] 회사가 …했다.": a bracketed deck opening the first
-- paragraph (not an outlet's tag, not a byline, not a series label before a headline).
local function bracket_deck(line, ctx)
  local t = line.text
  if sub(t, 1, 1) ~= "[" then return nil end
  local inner, after = bracket_at(t, 1)
  if not inner or find(inner, "=", 1, true) or L.len(inner) > 40 then return nil end
  local rest = L.trim(sub(t, after))
  if L.len(rest) < 40 or not L.final(rest) then return nil end
  local by = ctx.set.bylines
  if by:is_media(L.trim(inner), ctx.publisher) or publishers.lookup(inner) or byline_inner(inner, ctx) then
    return nil
  end
  return { pos = after, text = L.trim(inner) }
end

-- A credit that ends a caption and runs into the next sentence:
-- "…모습./게티이미지뱅크 카카오는 …", "(사진=회사명)카카오는 …했다.".
local agency_p = L.any(agencies)
local lpeg = require "lpeg"
local credit_label = L.any{ "사진제공", "사진 제공", "사진", "자료", "그래픽", "출처", "제공", "이미지" }
local credit_open = lpeg.P"(" * L.sp ^ 0 * credit_label * L.sp ^ 0 * lpeg.S"=:" * L.sp ^ 0
  * lpeg.C((L.char - lpeg.P")") ^ 1) * lpeg.P")" * lpeg.Cp()
local function glued_credit(line)
  local t = line.text
  -- "(사진=회사명)본문…": a credit before a long finished sentence
  local who, after = credit_open:match(t)
  if who then
    local rest = L.trim(sub(t, after))
    if L.len(rest) >= 40 and L.final(rest) then
      return { pos = after, text = L.trim(sub(t, 1, after - 1)), credit = L.trim((who:gsub("%s*제공$", ""))) }
    end
    return nil
  end
  -- "설명./AGENCY 다음 문장…"
  local i = 1
  while true do
    local a = find(t, "./", i, true)
    if not a then return nil end
    local e = lpeg.match(agency_p * lpeg.Cp(), t, a + 2)
    if e and (byte(t, e) == 32) then
      local rest = L.trim(sub(t, e))
      if L.len(rest) >= 20 and L.final(rest) then
        return { pos = e, text = L.trim(sub(t, 1, e - 1)), credit = sub(t, a + 2, e - 1) }
      end
    end
    i = a + 2
  end
end

-- Captions on a line of their own, in forms the generic rule does not read:
-- "회사명 제공", "/회사명 제공" (a credit under the photo), "| 설명" (a marker).
local function credit_line(line)
  local t = line.text
  local who = t:match("^/?%s*(.-)%s*제공$")
  if who and who ~= "" and not find(who, "[%.%?!]") and L.len(who) <= 20 and select(2, who:gsub("%s", "")) <= 2 then
    return { text = t, credit = who }
  end
  return nil
end
local function bar_caption(line)
  local t = line.text
  if sub(t, 1, 2) == "| " then
    local rest = L.trim(sub(t, 3))
    if rest ~= "" then return { text = rest } end
  end
end

-- A news agency's photo block: "(부산=연합뉴스) 홍길동 기자 = 설명. 2025.7.14
-- [국립해양박물관 제공] id@…": a dateline byline, the photo's date and its
-- source in brackets, perhaps an address. A caption credited to the source.
local function agency_photo(line)
  local t = line.text
  if byte(t, 1) ~= 40 then return nil end
  local e = find(t, ")", 2, true)
  if not e or e > 60 or not find(sub(t, 2, e - 1), "=", 1, true) then return nil end
  if not find(t, "]", e, true) then return nil end
  local src = t:match("%d%d%d%d%.%d%d?%.%d%d?%.?%s*%[([^%]]+)%][^%[%]]*$")
  if not src then return nil end
  src = L.trim((src:gsub("%s*제공$", ""):gsub("^사진%s*", "")))
  return { text = t, credit = src ~= "" and src or nil }
end

-- The title line over an agency photo block (the next line) is its caption.
local function photo_title(line, ctx)
  local nxt = ctx.lines[ctx.i + 1]
  if not (nxt and nxt.fc == "(") or L.final(line.text) then return nil end
  return agency_photo(nxt) and true or nil
end

-- "설명. 사진설명(부산=연합뉴스)": a caption credited with a dateline.
local function dateline_credit(line)
  local t = line.text
  -- a plain find first: a pattern search tries every byte of the line
  local at = find(t, "사진설명", 1, true)
  if not at then return nil end
  local who = t:match("^사진설명%s*%([^=%)]+=%s*([^%)]-)%s*%)", at)
  if who and who ~= "" then return { text = t, credit = who } end
end

-- "심해 아귀 표본.", "홍길동 가나전자 대표.": a short noun phrase with a period,
-- between paragraphs, is a photo's caption: its last word is no verb ending
-- and no word of it ends with a particle (so "다음은 일문일답." is text).
local verb_end = { "다", "요", "죠", "까", "네", "라", "자", "오", "지", "군", "니", "냐", "고", "며", "음" }
local particles = { "은", "는", "이", "가", "을", "를", "의", "와", "과", "에", "로", "도", "서", "만" }
local function ends_with(w, list)
  for i = 1, #list do
    local x = list[i]
    if sub(w, -#x) == x then return true end
  end
  return false
end
local function noun_caption(line)
  local t = line.text
  if byte(t, -1) ~= 46 or byte(t, -2) == 46 then return nil end
  local words = {}
  for w in sub(t, 1, -2):gmatch("%S+") do words[#words + 1] = w end
  if #words < 2 or #words > 5 then return nil end
  for i = 1, #words do
    local w = words[i]
    if not lpeg.match(L.hangul, w) or ends_with(w, particles) then return nil end
  end
  if ends_with(words[#words], verb_end) then return nil end
  return { text = t }
end

-- The longest line the glued-piece rules read (characters): a rule with `has`
-- and no `max` would make every line of every article pay for a needle scan.
local MAXLEN = 300

-- A bracketed byline inside a line holds a role word
-- (the byline grammar's needles: no new word for every line to be scanned for)
local byline_ends = { "기자", "특파원" }
-- the byline grammar's quick test, with the line's needle mask
local function may_byline(ctx, line) return ctx.set.bylines:maybe(line.text, line.mask) end

local rules = {
  { id = "lede", role = "para", when = "head", enter = "body", before = "title", match = lede },
  { id = "byline-bracket", role = "byline", split = true, after = "byline-prefix",
    first = { "[", "(", "【" }, max = 2000, match = byline_bracket, when = may_byline,
    enter = function(ctx) if ctx.zone == "tail" then return "tail" end end },
  -- the rules with `has` side by side before caption-repeat: the dispatch tests
  -- one union of their needles for a line that holds none of them
  { id = "glued-deck", role = "subtitle", split = true, when = "head", before = "caption-repeat",
    has = byline_ends, max = MAXLEN, match = glued_deck },
  { id = "glued-byline", role = "para", split = true, enter = "body", before = "caption-repeat",
    has = byline_ends, max = MAXLEN, match = before_byline },
  { id = "bracket-deck", role = "subtitle", split = true, once = true, when = "head", first = "[",
    before = "dateline-tag", match = bracket_deck },
  { id = "glued-credit", role = "caption", split = true, before = "caption-repeat", max = MAXLEN,
    -- words the caption rule's needles hold already: no new needle to scan for
    has = { "사진", "자료", "그래픽", "출처", "제공", "이미지", "/" },
    match = glued_credit },
  { id = "agency-photo", role = "caption", first = "(", has = "=", before = "byline-prefix", match = agency_photo },
  { id = "photo-title", role = "caption", max = 60, before = "caption-repeat", when = "body",
    match = photo_title },
  { id = "dateline-credit", role = "caption", max = 300, has = "사진", before = "caption-repeat",
    match = dateline_credit },
  { id = "noun-caption", role = "caption", max = 30, min = 4, when = "body", before = "heading",
    match = noun_caption },
  { id = "credit-line", role = "caption", max = 24, before = "caption-repeat", has = "제공", match = credit_line },
  { id = "bar-caption", role = "caption", max = 200, first = "|", before = "caption-repeat", match = bar_caption },
}

-- A site file reads its own layout: `rules = crawl.lib.without(rules)` leaves these
-- rules out of its set (each rule costs every line a test).
local function without(list)
  local out = {}
  for i, r in ipairs(list or {}) do out[i] = r end
  for _, r in ipairs(rules) do out[#out + 1] = { id = r.id, off = true } end
  return out
end

return {
  rules = rules,
  post = { { id = "publisher", run = publisher } },
  lib = { without = without },   -- for site files: their rule lists without these rules
}
