-- gisa.rules.bylines: the byline grammar. Reads who wrote an article, in the
-- forms Korean sites print: "홍길동 기자", "[매체 홍길동·김철수 기자]",
-- "매체 홍길동 기자 | 2023.09.05 14:30", "정리=홍길동 기자", "서울=연합뉴스 홍길동
-- 기자", "홍길동 특파원", "홍길동 기자 hong@x.co.kr", "홍길동 (hong@x.co.kr)",
-- "hong@x.co.kr 홍길동 김철수 기자", and the same at the start of a paragraph
-- ("(서울=연합뉴스) 홍길동 기자 = 본문…", "[이데일리 홍길동 기자] 본문…").
--
-- A line is cut into tokens (an LPeg grammar; gisa.lines.tokens in C for a line
-- with no address) and read left to right: media names, "X=" labels, person
-- names, role words, e-mail addresses; a parser remembers its answers. A user extends the word
-- lists from a rule file: `byline_roles = { "사진부장" }`, `media = { "가나일보" }`.

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"
-- (a C module: without it, a bare Lua, the LPeg grammar alone)
local glines = select(2, pcall(require, "gisa.lines"))
if type(glines) ~= "table" then glines = nil end

local P, S, C, Ct, Cc, Cp = lpeg.P, lpeg.S, lpeg.C, lpeg.Ct, lpeg.Cc, lpeg.Cp
local find, sub, byte, ulen = string.find, string.sub, string.byte, utf8.len

local B = {}

--- Role words that make a name a byline (longest match is used).
B.roles = {
  "기자", "특파원", "선임기자", "수석기자", "전문기자", "객원기자", "인턴기자", "수습기자",
  "대기자", "사진기자", "영상기자", "논설위원", "논설실장", "논설주간", "편집위원", "편집국장",
  "편집장", "에디터", "칼럼니스트", "통신원", "리포터", "앵커", "PD", "기자단",
}

--- Words written before a role word as part of it ("선임 기자").
B.role_modifiers = { "선임", "수석", "전문", "객원", "인턴", "수습", "사진", "영상", "취재" }

--- Outlets; also any word ending in one of B.media_suffixes.
B.media = {
  "연합뉴스", "뉴시스", "뉴스1", "머니투데이", "이데일리", "파이낸셜뉴스", "한국경제", "한경닷컴",
  "매일경제", "서울경제", "아시아경제", "헤럴드경제", "조선일보", "중앙일보", "동아일보", "한겨레",
  "경향신문", "한국일보", "국민일보", "세계일보", "서울신문", "문화일보", "지디넷코리아", "전자신문",
  "디지털타임스", "노컷뉴스", "오마이뉴스", "프레시안", "데일리안", "뉴스핌", "아이뉴스24", "블로터",
  "머니S", "비즈니스워치", "조선비즈", "이투데이", "아주경제", "뉴데일리", "시사저널", "더팩트",
  "뉴스웨이", "데일리한국", "쿠키뉴스", "미디어오늘", "디지털데일리", "테크M", "바이라인네트워크",
  "KBS", "MBC", "SBS", "YTN", "JTBC", "MBN", "TV조선", "채널A", "연합뉴스TV", "ZDNet", "지디넷",
  "한경", "MT", "fn", "AP", "AFP", "로이터",
}
B.media_suffixes = { "뉴스", "일보", "신문", "경제", "데일리", "투데이", "닷컴", "방송", "미디어",
  "타임스", "저널", "비즈", "TV", "24", "통신", "스포츠" }

--- Labels of broadcast credits: "영상취재: 민경호 / 영상편집: 하수빈".
B.credit_labels = { "영상취재", "영상편집", "촬영기자", "촬영", "편집", "그래픽", "취재", "영상",
  "구성", "연출", "CG", "리포터", "진행" }

------------------------------------------------------------------------------
-- Tokens
------------------------------------------------------------------------------

local sp = L.sp
local hangul = L.hangul
-- S takes bytes: the multi-byte marks here stand for their bytes, so a
-- separator starts at any of those bytes, or a blank.
local sep_bytes = "·,/、()[]<>【】|｜ㆍ"
local sepchar = sp + S(sep_bytes) + P"ㆍ" + P"・"
-- sepchar matches exactly where one of these bytes is (NBSP, U+3000, ㆍ and ・
-- start with a byte of sep_bytes): a byte set, which LPeg tests in one step
local word = (L.char - S(sep_bytes .. " \t=")) ^ 1
local label_stops = "=[]()<>|,"
local labelword = (L.char - sp - S(label_stops)) ^ 1
local tok = Ct(Cc"placeholder" * C(L.email_placeholder))
  + Ct(Cc"email" * C(L.email))
  + Ct(Cc"label" * C(labelword) * P"=")
--- A line's tokens: a list of {kind, text}, kind "word", "email", "label" or "placeholder".
B.tokens = Ct((tok + sepchar + Ct(Cc"word" * C(word)) + P"=" + L.char) ^ 0)

-- The same tokens as one flat list (kind1, text1, kind2, text2 …), by a grammar
-- without the alternatives that cannot match s: no "@" (no address), no "="
-- (no label), no "[email" (no placeholder). Most bylines need none of them.
local flat_grammars = {}
local function flat_grammar(key)
  local g = flat_grammars[key]
  if g then return g end
  local alts = P(false)
  if key & 4 ~= 0 then alts = alts + Cc"placeholder" * C(L.email_placeholder) end
  if key & 1 ~= 0 then alts = alts + Cc"email" * C(L.email) end
  if key & 2 ~= 0 then alts = alts + Cc"label" * C(labelword) * P"=" end
  g = Ct((alts + sepchar + Cc"word" * C(word) + P"=" + L.char) ^ 0)
  flat_grammars[key] = g
  return g
end

-- Without an address or a placeholder, the same tokens by gisa.lines.tokens,
-- which reads the grammar's byte sets (sepchar's, word's and labelword's) in
-- C: half the lines read here, and most of what reading them cost. Its
-- separators are the blanks and the bytes of sep_bytes: the multi-byte marks
-- that sepchar also names start with one of those bytes (checked here).
local ltokens = glines and glines.tokens
for _, m in ipairs({ "ㆍ", "・" }) do
  if not find(sep_bytes, sub(m, 1, 1), 1, true) then ltokens = nil end
end

local function tokenize(s)
  local key = (find(s, "@", 1, true) and 1 or 0) | (find(s, "=", 1, true) and 2 or 0)
    | (find(s, "[email", 1, true) and 4 or 0)
  if ltokens and key & 5 == 0 then return ltokens(s, sep_bytes, key ~= 0 and label_stops or nil) end
  return (flat_grammars[key] or flat_grammar(key)):match(s)
end
B.tokenize = tokenize

--- A person's name: 2 to 4 Hangul syllables.
B.name = hangul * hangul * hangul ^ -2 * -1

-- Is w a name (B.name: 2 to 4 syllables 가..힣)? Read from its bytes, all
-- fetched by one string.byte: cheaper than an LPeg call for these short words.
local function syllable(a, b, c)
  -- U+AC00..U+D7A3: EA B0..BF xx, EB xx xx, EC xx xx, ED 80..9D xx, ED 9E 80..A3
  if not (b and c and b >= 128 and b < 192 and c >= 128 and c < 192) then return false end
  if a == 234 then return b >= 176 end
  if a == 235 or a == 236 then return true end
  if a == 237 then return b < 158 or (b == 158 and c <= 163) end
  return false
end
local function is_name(w)
  local n = #w
  if n ~= 6 and n ~= 9 and n ~= 12 then return false end
  local a1, b1, c1, a2, b2, c2, a3, b3, c3, a4, b4, c4 = byte(w, 1, n)
  -- the commonest syllables (lead byte EB or EC) are told in line, the rest by syllable()
  return ((a1 == 235 or a1 == 236) and b1 >= 128 and b1 < 192 and c1 >= 128 and c1 < 192 or syllable(a1, b1, c1))
    and ((a2 == 235 or a2 == 236) and b2 >= 128 and b2 < 192 and c2 >= 128 and c2 < 192 or syllable(a2, b2, c2))
    and (n < 9 or (a3 == 235 or a3 == 236) and b3 >= 128 and b3 < 192 and c3 >= 128 and c3 < 192
      or syllable(a3, b3, c3))
    and (n < 12 or (a4 == 235 or a4 == 236) and b4 >= 128 and b4 < 192 and c4 >= 128 and c4 < 192
      or syllable(a4, b4, c4))
end
B.is_name = is_name

local Parser = {}
Parser.__index = Parser

--- Build a parser from word lists (defaults: B.roles, B.media …).
function B.compile(o)
  o = o or {}
  local self = setmetatable({}, Parser)
  self.roles = {}
  for _, r in ipairs(o.roles or B.roles) do self.roles[r] = true end
  self.modifiers = {}
  for _, r in ipairs(o.role_modifiers or B.role_modifiers) do self.modifiers[r] = true end
  self.media = {}
  for _, m in ipairs(o.media or B.media) do self.media[m] = true end
  -- a quick test: a byline line holds a role word or an address. Plain finds of
  -- a few needles ("기자" covers 선임기자, 사진기자 …) beat one LPeg search of
  -- many alternatives, which LPeg tries one by one at every byte.
  local rl = { "@", "입니다" }
  for r in pairs(self.roles) do rl[#rl + 1] = r end
  table.sort(rl, function(a, b) return #a < #b or (#a == #b and a < b) end)
  local needles = {}
  for _, r in ipairs(rl) do
    local covered = false
    for _, n in ipairs(needles) do if find(r, n, 1, true) then covered = true; break end end
    if not covered then needles[#needles + 1] = r end
  end
  self.needles = needles
  self.suffixes = o.media_suffixes or B.media_suffixes
  self.credit_labels = o.credit_labels or B.credit_labels
  return self
end

--- Could s be a byline (does it hold a role word or an address)? Cheap.
--- `mask`: the line's needle mask (line.mask), when the rules set self.mask.
function Parser:maybe(s, mask)
  if mask and self.mask then return mask & self.mask ~= 0 end
  local needles = self.needles
  for i = 1, #needles do
    if find(s, needles[i], 1, true) then return true end
  end
  return false
end

local NONE = {}

-- The role words by their last byte, each list in the order pairs() gives
-- (which role wins when two end a word stays as it was): a word is compared
-- with the few roles that can end it, not all of them.
local function by_last(self)
  local t = self.roles_by_last
  if not t then
    t = {}
    for r in pairs(self.roles) do
      local b = byte(r, -1)
      t[b] = t[b] or {}
      t[b][#t[b] + 1] = r
    end
    self.roles_by_last = t
  end
  return t
end

-- Does w end with a role word (and have something before it)?
function Parser:role_end(w)
  local list = (self.roles_by_last or by_last(self))[byte(w, -1)] or NONE
  for i = 1, #list do
    local r = list[i]
    if #w > #r and sub(w, -#r) == r then return r end
  end
end

-- "홍길동기자": a name glued to its role word -> name, role.
function Parser:glued(w)
  local list = (self.roles_by_last or by_last(self))[byte(w, -1)] or NONE
  for i = 1, #list do
    local r = list[i]
    if #w > #r and sub(w, -#r) == r then
      local n = sub(w, 1, -#r - 1)
      if is_name(n) then return n, r end
    end
  end
end

-- The media suffixes by their last byte (as by_last for roles).
local function suffixes_by_last(self)
  local t = self.suffixes_by_last
  if not t then
    t = {}
    for _, s in ipairs(self.suffixes) do
      local b = byte(s, -1)
      t[b] = t[b] or {}
      t[b][#t[b] + 1] = s
    end
    self.suffixes_by_last = t
  end
  return t
end

function Parser:is_media(w, publisher)
  if self.media[w] or w == publisher then return true end
  local list = (self.suffixes_by_last or suffixes_by_last(self))[byte(w, -1)]
  if not list or (ulen(w) or #w) < 3 then return false end
  local n = #w
  for i = 1, #list do
    local s = list[i]
    if n > #s and find(w, s, n - #s + 1, true) then return true end
  end
  return false
end

------------------------------------------------------------------------------
-- Reading a byline
------------------------------------------------------------------------------

-- "[매체 = 도쿄(일본) 홍길동 기자]": a word with a Hangul "(…)" glued to it,
-- followed by more words, is a place (city and country), not two names. By
-- plain finds and byte loops: parse reads many lines that hold a "(".
local hangul_word = L.hangul ^ 1 * -1
local function hangul_only(w)
  return #w >= 6 and lpeg.match(hangul_word, w) ~= nil
end
local STOP = { [32] = true, [9] = true, [40] = true, [41] = true, [91] = true, [93] = true, [61] = true }
local function unplace(s)
  local out, from, i = nil, 1, 1
  while true do
    local p = find(s, "(", i, true)
    if not p then break end
    local q = find(s, ")", p + 1, true)
    if not q then break end
    i = p + 1
    local c = byte(s, q + 1)
    if (c == 32 or c == 9) and q - p <= 19 and hangul_only(sub(s, p + 1, q - 1)) then
      local a = p
      while a > 1 and not STOP[byte(s, a - 1)] do a = a - 1 end
      if a < p and p - a <= 18 and hangul_only(sub(s, a, p - 1)) then
        out = out or {}
        out[#out + 1] = sub(s, from, a - 1)
        from, i = q + 1, q + 1
      end
    end
  end
  if not out then return s end
  out[#out + 1] = sub(s, from)
  return table.concat(out)
end

-- "홍길동 기자hong@x.co.kr": an address glued to the word before it (a Hangul
-- character's last byte right before the address's first) gets a blank.
local ATEXT = {}
for c = 0, 255 do
  local ch = string.char(c)
  ATEXT[c] = ch:match("[%w._%%+-]") ~= nil
end
local function unglue(s)
  local out, from, i = nil, 1, 1
  while true do
    local p = find(s, "@", i, true)
    if not p then break end
    local a = p
    while a > 1 and ATEXT[byte(s, a - 1)] do a = a - 1 end
    local c = a > 1 and byte(s, a - 1)
    if a < p and c and c >= 128 and c < 192 then
      out = out or {}
      out[#out + 1] = sub(s, from, a - 1)
      out[#out + 1] = " "
      from = a
    end
    i = p + 1
  end
  if not out then return s end
  out[#out + 1] = sub(s, from)
  return table.concat(out)
end

--- Read s as a byline. Returns {authors={{name,role,email}…}, emails={…},
--- media=, labels={…}, placeholder=bool} or nil when s is not a byline.
--- `publisher` (the site's name) counts as a media name.
-- A line that is no byline as it stands may be one with a place taken out or
-- a glued address cut off ("홍길동 기자hong@…"): read it once more then.
local function again(self, s, publisher)
  if not find(s, "@", 1, true) then return nil end
  local u = unglue(unplace(s))
  if u == s then return nil end
  return self:parse(u, publisher)
end

local function parse(self, s, publisher)
  local toks = tokenize(s)
  -- emails and labels are made at their first item (most lines read here are
  -- no byline, most bylines have neither)
  local authors, emails, labels = {}, nil, nil
  local group = {}            -- authors waiting for their role word
  local pending               -- an e-mail written before the names it belongs to
  local last                  -- the author the last closed group was (when it was one)
  local media, placeholder, has_role, tied = nil, false, false, false
  local modifier
  for i = 1, #toks, 2 do
    local kind, w = toks[i], toks[i + 1]
    if kind == "placeholder" then
      placeholder = true
    elseif kind == "email" then
      emails = emails or {}
      emails[#emails + 1] = w
      local g1 = group[1]
      if #group == 1 and not g1.email then g1.email = w; tied = true
      elseif #group == 0 and last and not last.email then last.email = w; tied = true; last = nil
      elseif #group == 0 then pending = w
      end
    elseif kind == "label" then
      labels = labels or {}
      labels[#labels + 1] = w
      if #authors > 0 or #group > 0 then return again(self, s, publisher) end
    else
      local n1, r1
      if not self.roles[w] then
        if #group > 0 then
          -- after names, "국제부선임기자" is one role word, not a name glued to 기자
          if self:role_end(w) then r1 = w end
        else
          n1, r1 = self:glued(w)
        end
      end
      if self.roles[w] or n1 or r1 then
        if n1 then
          local a = { name = n1 }
          if pending then a.email = pending; pending = nil; tied = true end
          authors[#authors + 1] = a; group[#group + 1] = a
          w = r1
        end
        if #group == 0 then return again(self, s, publisher) end
        local role = modifier and (modifier .. (r1 or w)) or (r1 or w)
        for k = 1, #group do group[k].role = role end
        has_role = true
        last = #group == 1 and group[1] or nil
        group, modifier = {}, nil
      elseif self.modifiers[w] and #group > 0 and toks[i + 3] and self.roles[toks[i + 3]] then
        modifier = w
      elseif #authors == 0 and not media and self:is_media(w, publisher) then
        media = w
      elseif #authors == 0 and media and not is_name(w) then
        media = media .. " " .. w          -- a sub-brand: "이데일리 스타in"
      elseif is_name(w) and not self:is_media(w, publisher) then
        local a = { name = w }
        if pending then a.email = pending; pending = nil; tied = true end
        authors[#authors + 1] = a; group[#group + 1] = a
      else
        return again(self, s, publisher)
      end
    end
  end
  if #authors == 0 or not (has_role or tied) then return again(self, s, publisher) end
  if #group > 0 and not tied then return again(self, s, publisher) end   -- names left without a role word
  -- "도쿄(일본) 홍길동 기자": a place read as names, unless taken out
  if #authors > 1 and find(s, "(", 1, true) then
    local u = unplace(s)
    if u ~= s then
      local res = self:parse(u, publisher)
      if res then return res end
    end
  end
  return { authors = authors, emails = emails or {}, media = media, labels = labels or {},
    placeholder = placeholder }
end

-- A parser's answers, by publisher and line: the same lines come back article
-- after article (a desk's reporters, the same photo credits and page
-- furniture), and each is read once. Bounded: forgotten at MEMO_MAX lines.
-- Each call gets a copy of its own (callers add dates, a position, a media).
-- Only lines of up to MEMO_LEN bytes are kept (bylines are short), so the
-- memo stays under a megabyte whatever a caller hands the parser.
local MEMO_MAX, MEMO_LEN = 4096, 240
local function copy(r)
  local authors, from = {}, r.authors
  for i = 1, #from do
    local a = from[i]
    authors[i] = { name = a.name, role = a.role, email = a.email }
  end
  local emails, labels = r.emails, r.labels
  return { authors = authors, emails = table.move(emails, 1, #emails, 1, {}), media = r.media,
    labels = table.move(labels, 1, #labels, 1, {}), placeholder = r.placeholder }
end

function Parser:parse(s, publisher)
  if #s > MEMO_LEN then return parse(self, s, publisher) end
  local memo = self.memo
  if not memo or self.memo_n >= MEMO_MAX then memo = {}; self.memo, self.memo_n = memo, 0 end
  local by = memo[publisher or false]
  if not by then by = {}; memo[publisher or false] = by end
  local r = by[s]
  if r == nil then
    r = parse(self, s, publisher) or false
    by[s] = r
    self.memo_n = self.memo_n + 1
  end
  return r and copy(r) or nil
end

-- The head of a paragraph that is a byline: "[…]", "(…)", or "… = ".
local bracket = P"[" * C((L.char - P"]") ^ 1) * P"]" + P"【" * C((L.char - P"】") ^ 1) * P"】"
  + P"(" * C((L.char - P")") ^ 1) * P")"
local bracket_head = bracket * sp ^ 0 * Cp()
local eq_head = C((L.char - P"=" - P"[" - P"(") ^ 1) * P"=" * sp ^ 0 * Cp()

--- A byline at the start of a paragraph: returns the parse (as :parse) and the
--- byte position where the paragraph's own text starts, or nil.
function Parser:prefix(s, publisher)
  local res, pos, media
  local inner, p1 = bracket_head:match(s)
  if inner then
    res = self:parse(inner, publisher)
    if res then return res, p1 end
    -- "[서울=뉴시스]홍길동 기자 = …", "(서울=연합뉴스) 홍길동 기자 = …"
    local toks = tokenize(inner)
    if #toks == 0 or toks[1] ~= "label" then return nil end
    local m = toks[3] == "word" and toks[4]
    if m and self:is_media(m, publisher) then media = m end
    pos = p1
  end
  local head, p2 = eq_head:match(s, pos or 1)
  if not head or (ulen(head) or #head) > 40 then return nil end
  res = self:parse(head, publisher)
  if res and #res.authors > 0 then
    res.media = res.media or media
    return res, p2
  end
  return nil
end

-- "영상취재: 민경호 / 영상편집: 하수빈" -> {{name="민경호", role="영상취재"}, …}
-- (also "(영상편집:하수빈/그래픽:민경호)" in brackets, and labelled names
-- set apart by blanks only: "촬영기자:민경호 영상편집:하수빈")
local credit_sep = sp ^ 0 * (S"/,|" + P"·") * sp ^ 0 + sp ^ 1
function Parser:credits(s)
  if not self.credit_p then
    local close = S")]" ^ -1 * sp ^ 0 * L.eol
    local item = Ct(C(L.any(self.credit_labels)) * sp ^ 0 * (P":" + P"：" + P"=") * sp ^ 0
      * C(hangul * hangul * hangul ^ -2) * #(credit_sep + close))
    self.credit_p = Ct(sp ^ 0 * (P"(" * item * (credit_sep * item) ^ 0 * P")"
      + P"[" * item * (credit_sep * item) ^ 0 * P"]" + item * (credit_sep * item) ^ 0) * sp ^ 0 * L.eol)
  end
  local list = self.credit_p:match(s)
  if not list then return nil end
  local authors = {}
  for i, x in ipairs(list) do authors[i] = { name = x[2], role = x[1] } end
  return { authors = authors, emails = {}, labels = {} }
end

-- "한결방송 윤세라입니다.": a broadcast reporter's sign-off.
local nameish = hangul - P"입니다"
local signoff = C((L.char - sp) ^ 1) * sp ^ 1 * C(nameish * nameish * nameish ^ -2) * P"입니다" * P"." ^ -1 * L.eol
function Parser:signoff(s, publisher)
  local media, name = signoff:match(s)
  if not media or not self:is_media(media, publisher) then return nil end
  return { authors = { { name = name } }, emails = {}, labels = {}, media = media }
end

--- The default parser (shipped word lists).
B.default = B.compile()

return B
