-- gisa.quotes: the one quote finder. The record's `quotes` (the post pass of
-- rules/generic.lua) and `gisa quotes` both come from M.find: direct quotes in
-- the paragraphs, answers and quote lines of an article, each with its speaker
-- (the name as the article writes it: `고 위원장은` is 고영배, named earlier),
-- title and reporting verb. C finds the marks and sentence cuts
-- (lines.quotemarks); every decision is here, by the lists of gisa.analysis.quotewords.

local lines = require "gisa.lines"
local cquote = require "gisa.quote"
local records = cquote.records
local lpeg = require "lpeg"

local M = {}

--- The fast path: the common shapes before and after a quote decided from a
--- few words (first_subject) instead of the general reading of candidates.
--- Both give the same quotes (tests/quotes_test.lua runs both and compares);
--- false runs only the general path.
M.fast = true

--- The compiled finder: the per-block pass (the quotes of a block, their
--- verbs and the common shapes of their subjects) run by gisa.quote, built
--- from the same word lists; a quote of another shape is handed back to the
--- Lua code below, which stays the definition (tests/quotes_test.lua runs both
--- and compares). false runs only the Lua code; so does M.fast = false.
M.c = true

--- A search of earlier text that found no one is remembered for the article
--- (its block, how far it read): made again, it reads only the text it has not
--- read. false reads all of it each time (tests/quotes_test.lua compares).
M.remember = true

local find, sub, byte, match, gmatch = string.find, string.sub, string.byte, string.match, string.gmatch
local ulen = utf8.len

------------------------------------------------------------------------------
-- The word lists, made into sets once
------------------------------------------------------------------------------

--- The lists (lua/gisa/analysis/quotewords.lua, with a `quotewords.lua` of the search
--- path applied): edit them, then call M.reload().
M.words = require "gisa.analysis.quotewords"

local T   -- the sets, made on first use

--- Apply an extension: a table of lists to append to, or a function editing M.words.
function M.extend(ext, where)
  if type(ext) == "function" then ext(M.words)
  elseif type(ext) == "table" then
    for k, list in pairs(ext) do
      local to = M.words[k]
      if type(to) ~= "table" or type(list) ~= "table" then
        error((where or "quotewords") .. ": unknown list '" .. tostring(k) .. "'", 2)
      end
      for _, w in ipairs(list) do to[#to + 1] = w end
    end
  else
    error((where or "quotewords") .. ": must return a table or a function", 2)
  end
  T = nil
end

-- A user's quotewords.lua on the search path SP (a gisa.pipeline.paths; the
-- one in use when none is given), applied once.
local function user_extension(sp)
  sp = sp or require("gisa.pipeline.paths").current()
  if not sp then return end
  local file = package.searchpath("quotewords", sp:package_path())
  if not file then return end
  local chunk, err = loadfile(file)
  if not chunk then error(err, 0) end
  M.extend(chunk(), file)
end
local extended = false

local function set(list)
  local s = {}
  for _, w in ipairs(list) do s[w] = true end
  return s
end

local function tables()
  if T then return T end
  if not extended then extended = true; user_extension() end
  local W = M.words
  local t = {
    marks = {}, after = {}, chains = set(W.chains), particles = {},
    pronouns = set(W.pronouns), demonstratives = set(W.demonstratives), verbs = set(W.verbs),
    titles = set(W.titles), compound = {}, surnames = {}, surnames2 = {},
    org_suffixes = set(W.org_suffixes), foreign = {}, not_names = set(W.not_names),
    interview = W.interview_types or { answer = true },
  }
  for i, m in ipairs(W.marks) do
    t.marks[i] = { m[1], m[2], after = m.after }
    t.after[i] = m.after or {}
  end
  t.scan = lines.quotemarks(t.marks)
  t.finder = cquote.finder(W)
  t.block = t.finder.block
  t.verb_last = {}
  for v in pairs(t.verbs) do
    local last = match(v, "%s(%S+)$")
    if last then t.verb_last[last] = true end
  end
  -- particles longest first, so 께서 is tried before 서
  for _, p in ipairs(W.particles) do t.particles[#t.particles + 1] = p end
  table.sort(t.particles, function(a, b) return #a > #b end)
  for _, w in ipairs(W.compound_titles) do t.compound[#t.compound + 1] = w end
  table.sort(t.compound, function(a, b) return #a > #b end)
  for s in gmatch(W.surnames, "%S+") do t.surnames[s] = true end
  for _, s in ipairs(W.surnames2) do t.surnames2[s] = true end
  for s in gmatch(W.foreign_syllables, "%S+") do t.foreign[s] = true end
  T = t
  return t
end

--- Make the sets again from M.words (after editing the lists).
function M.reload() T = nil end

--- Apply the `quotewords.lua` of search path SP (a gisa.pipeline.paths) now,
--- instead of the one in use at the first quote found.
function M.use_paths(sp)
  extended = true
  user_extension(sp)
end

-- f(t, w) remembered for each word w (news repeats its words; the memory is
-- bounded and emptied when full, and made again when the lists change).
-- f returns one value (false and nil both read as nil).
local function memo(f)
  local known, n, of = {}, 0, nil
  return function(t, w)
    if of ~= t then known, n, of = {}, 0, t end
    local r = known[w]
    if r == nil then
      r = f(t, w) or false
      if n >= 50000 then known, n = {}, 0 end
      known[w] = r
      n = n + 1
    end
    return r or nil
  end
end

-- The same for an f of two values (the second remembered beside the first).
local function memo2(f)
  local known, second, n, of = {}, {}, 0, nil
  return function(t, w)
    if of ~= t then known, second, n, of = {}, {}, 0, t end
    local r = known[w]
    if r == nil then
      local b
      r, b = f(t, w)
      r = r or false
      if n >= 50000 then known, second, n = {}, {}, 0 end
      known[w], second[w] = r, b
      n = n + 1
    end
    if r then return r, second[w] end
    return nil
  end
end

------------------------------------------------------------------------------
-- Words: titles, names, pronouns
------------------------------------------------------------------------------

-- A Hangul syllable, U+AC00..U+D7A3 (EA B0 80 .. ED 9E A3), by its first
-- two bytes; a word of them, to its end, gives the position after it.
local R = lpeg.R
local SYLLABLE = lpeg.P"\234" * R"\176\255" * 1 + R"\235\236" * 2 + lpeg.P"\237" * R"\0\158" * 1
local SYLLABLES = SYLLABLE ^ 1 * -1 * lpeg.Cp()

-- The syllables of a Hangul word (3 bytes each), or nil when it has others.
local function hangul_syllables(w)
  local e = SYLLABLES:match(w)
  return e and (e - 1) // 3 or nil
end

-- The title a word is (교수, 평택시장 as 시장's compound), or nil.
local title_of = memo(function(t, w)
  if t.titles[w] then return w end
  for _, c in ipairs(t.compound) do
    if #w > #c and sub(w, -#c) == c then return w end
  end
  return nil
end)

-- Is w a Korean name as news writes one: a surname and one or two syllables
-- (two-syllable surnames: and one or two more), none of them foreign-only,
-- not a common word, not ending like an organisation?
local korean_name_of = memo(function(t, w)
  local n = hangul_syllables(w)
  if not n or n < 2 or n > 4 or t.not_names[w] then return false end
  local ok
  if t.surnames2[sub(w, 1, 6)] and n >= 3 then ok = true
  elseif t.surnames[sub(w, 1, 3)] then ok = n == 3 or (n == 2 and "short") end
  if not ok then return false end
  for i = 4, #w, 3 do
    if t.foreign[sub(w, i, i + 2)] then return false end
  end
  if t.org_suffixes[sub(w, -3)] then return false end
  return ok
end)

local function korean_name(t, w, short_ok)
  local ok = korean_name_of(t, w)
  return ok == true or (ok == "short" and short_ok and true) or false
end

-- A word of a foreign name as Korean news transcribes it (헤이든, 카타리나, J.).
local foreign_word = memo(function(t, w)
  if find(w, "^%u%.$") then return true end
  local n = hangul_syllables(w)
  if not n or n < 2 or n > 6 or t.not_names[w] then return false end
  return not (t.surnames[sub(w, 1, 3)] and n == 3 and not t.foreign[sub(w, 4, 6)]
    and not t.foreign[sub(w, 7, 9)])
end)

-- A word before the last of a foreign name: an initial (J.), a syllable that
-- is no surname (얀), or a word with a syllable Korean names do not use.
local foreign_part = memo(function(t, w)
  if find(w, "^%u%.$") then return true end
  local n = hangul_syllables(w)
  if not n or t.not_names[w] then return false end
  if n == 1 then return not t.surnames[w] end
  for i = 1, #w, 3 do
    if t.foreign[sub(w, i, i + 2)] then return true end
  end
  return false
end)

-- The words of s (split at blanks), without a parenthesis group glued to a
-- word (도하진(19), 최고기술책임자(CTO)): it says the age or the acronym.
-- (commas, · and … cut words as blanks do)
local CUT = lpeg.S(" \t\n\v\f\r,") + lpeg.P"·" + lpeg.P"…"
local WORDS = lpeg.Ct((CUT ^ 0 * lpeg.C((1 - CUT) ^ 1)) ^ 0)

local function words_of(s)
  if find(s, "(", 1, true) then s = s:gsub("%b()", "") end
  return WORDS:match(s)
end


-- Endings a word of running text may carry after a name or title (박사다.,
-- 대표를, 대표와의), longest first.
local ENDINGS = { "에게서", "이었다", "와의", "과의", "에게", "께서", "으로", "이다", "였다",
  "은", "는", "이", "가", "을", "를", "의", "와", "과", "도", "다", "로", "께" }

-- w without trailing punctuation and one ending.
local function bare(w)
  w = w:gsub("[%.,!?]+$", "")
  for _, e in ipairs(ENDINGS) do
    if #w > #e and sub(w, -#e) == e then return sub(w, 1, -#e - 1) end
  end
  return w
end

local bare_of = memo(function(_, w) return bare(w) end)

-- Does w end in one of the byte strings of list?
local function ends_in(w, list)
  for _, e in ipairs(list) do
    if #w > #e and sub(w, -#e) == e then return true end
  end
  return false
end
local CLAUSE_ENDS = { "의", "에", "를", "을", "에서", "는", "은" }

-- Does w end a clause or a sentence (an ending above, ".", "!", "?", 다)?
local ends_clause = memo(function(_, w)
  return ends_in(w, CLAUSE_ENDS) or find(w, "[%.!?]$") ~= nil or sub(w, -3) == "다"
end)

-- The particle w ends in, and w without it.
local strip_particle = memo2(function(t, w)
  for _, p in ipairs(t.particles) do
    if #w > #p and sub(w, -#p) == p then return sub(w, 1, -#p - 1), p end
  end
  return nil
end)

-- An organisation's word: it ends like one (한결대, 산업통상부) or is Latin (LG).
local org_word = memo(function(t, w)
  if find(w, "^[%w%-&]+$") then return true end
  local n = hangul_syllables(w)
  return n ~= nil and n >= 2 and t.org_suffixes[sub(w, -3)] ~= nil
end)

-- The words of s[lo..hi] are read right to left as they are needed
-- (lines.wordback), numbered down from TOP: ws[TOP] is the last one.
local TOP = 1000000
local wordback = lines.wordback

-- (c: a table to reuse, read by then; its old words past the first are
-- never read: fetch marks the end of the words)
local function candidates(t, s, lo, hi, c)
  if not c then return { s = s, lo = lo, pos = hi, top = TOP + 1, ws = {}, k = TOP, klo = TOP - 12, t = t, n = 0 } end
  c.s, c.lo, c.pos, c.top, c.k, c.t, c.n = s, lo, hi, TOP + 1, TOP, t, 0
  return c
end

-- Read the words of c down to index j (or to the first); the lowest index read.
local function fetch(c, j)
  local top = c.top
  if top <= j then return top end
  local ws, s, lo, pos = c.ws, c.s, c.lo, c.pos
  while top > j and pos >= lo do
    local w, start = wordback(s, lo, pos)
    if not w then pos = lo - 1; ws[top - 1] = nil; break end
    top = top - 1
    ws[top] = w
    pos = start - 1
  end
  -- (the text read to its start: the word before the first is none, not one
  -- left from the text read before)
  if pos < lo then ws[top - 1] = nil end
  c.top, c.pos = top, pos
  return top
end

-- The index of the Korean name before the title at ws[k] (with organisation
-- words between: 배경훈 LG AI 연구원장), or nil: names of three syllables or
-- more first, then of two (고진 디지털플랫폼정부위원회 위원장); the search stops
-- at a lone syllable (고 위원장) and at the end of a clause or sentence.
-- (c: the words' reader when ws is one: words are read as the search goes)
local function name_before(t, ws, k, first, c)
  for pass = 1, 2 do
    for i = k - 1, c and k - 4 or math.max(first or 1, k - 4), -1 do
      if c and i < c.top and fetch(c, i) > i then break end
      local w = ws[i]
      if #w == 3 and hangul_syllables(w) == 1 then break end
      -- a two-syllable name only right before the title or an organisation
      if korean_name(t, w, pass == 2) and (pass == 1 or i == k - 1 or org_word(t, ws[i + 1])) then
        return i
      end
      if ends_clause(t, w) then break end
    end
  end
  return nil
end

------------------------------------------------------------------------------
-- People of one article
------------------------------------------------------------------------------

-- The people named so far, newest last: {name, title, org, surname, family}.
local People = {}
People.__index = People

local function new_people() return setmetatable({ list = {}, by_name = {} }, People) end

function People:add(name, title, org, foreign)
  local p = self.by_name[name]
  local l = self.list
  if p then
    if title and not p.title then p.title = title end
    if org and not p.org then p.org = org end
    if l[#l] == p then return p end   -- the newest already (most quotes follow their speaker's)
  else
    p = { name = name, title = title, org = org,
      surname = not foreign and sub(name, 1, 3) or nil,
      family = foreign and name:match("(%S+)$") or nil }
    self.by_name[name] = p
  end
  -- newest last: move p to the end
  for i = #l, 1, -1 do if l[i] == p then table.remove(l, i); break end end
  l[#l + 1] = p
  return p
end

-- The last person with this surname (and this title when one has it).
function People:by_surname(s, title)
  local any
  for i = #self.list, 1, -1 do
    local p = self.list[i]
    if p.surname == s then
      if not title or p.title == title then return p end
      any = any or p
    end
  end
  return any
end

function People:by_family(f)
  for i = #self.list, 1, -1 do
    local p = self.list[i]
    if p.family == f then return p end
  end
  return nil
end

function People:by_title(title)
  for i = #self.list, 1, -1 do
    if self.list[i].title == title then return self.list[i] end
  end
  return nil
end

function People:last() return self.list[#self.list] end

------------------------------------------------------------------------------
-- The person a subject phrase names
------------------------------------------------------------------------------

-- What the words ws[1..k] say, k being the word before the particle (without
-- it): a description of the person, made from the words alone (so it can be
-- remembered for the text): {kind = "pronoun" | "short" (surname, title,
-- demonstrative) | "name" (name, title, org, foreign) | "family" (family,
-- title, org) | "title" (title) | "bare" (name) | "none"}.
local function describe(t, ws, k, c)
  local head = ws[k]
  if t.pronouns[head] then return { kind = "pronoun" } end
  local title = title_of(t, head)
  if title then
    fetch(c, k - 1)
    local prev = ws[k - 1]
    if prev and #prev == 3 and not korean_name(t, prev) and hangul_syllables(prev) == 1 then
      -- 노 연구원, 이 대표: the last person with that surname (or title)
      return { kind = "short", surname = t.surnames[prev] and prev or nil, title = title,
        demonstrative = t.demonstratives[prev] }
    end
    -- a name before the title, the words between its organisation
    local i = name_before(t, ws, k, nil, c)
    if i then
      return { kind = "name", name = ws[i], title = title,
        org = i < k - 1 and table.concat(ws, " ", i + 1, k - 1) or nil }
    end
    local lo = math.max(fetch(c, k - 5), k - 5)
    -- a foreign name: transcribed words just before the title (마크 J. 헤이든)
    -- (an organisation may stand between: 카를로스 멘데스 한결대 초빙교수)
    local last = k - 1
    while last > lo and last > k - 3 and org_word(t, ws[last]) do last = last - 1 end
    i = last
    if ws[i] and foreign_word(t, ws[i]) then
      i = i - 1
      while i >= lo and foreign_part(t, ws[i]) do i = i - 1 end
    end
    if i < last then
      local org = last < k - 1 and table.concat(ws, " ", last + 1, k - 1) or nil
      if i == last - 1 then   -- one word: a family name named before in full?
        return { kind = "family", family = ws[last], title = title, org = org }
      end
      return { kind = "name", name = table.concat(ws, " ", i + 1, last), title = title, org = org,
        foreign = true }
    end
    -- a title alone (공동 창업자는): the last person with that title
    return { kind = "title", title = title }
  end
  if korean_name(t, head) then return { kind = "bare", name = head } end
  if hangul_syllables(head) then return { kind = "family", family = head, bare = true } end
  return { kind = "none" }
end

-- The description cand(c, 1) makes of the words before a quote, for the
-- shapes most quotes have, from at most three words read right to left:
-- NAME [ORG] TITLE은 (name_before's first pass at its first two words), 그는,
-- 주 위원장은; nil when the words are of another shape (the general path
-- decides those). e: the quote's reused tables.
local PRONOUN, PRONOUN_D = {}, { kind = "pronoun" }

-- What a word before a quote says alone: the title before its subject
-- particle, PRONOUN, or nil.
local head_of = memo(function(t, w)
  local base = strip_particle(t, w)
  if not base then return false end
  if t.pronouns[base] then return PRONOUN end
  return title_of(t, base) or false
end)

local function first_subject(t, s, lo, pos, e)
  local w1, st = wordback(s, lo, pos)
  if not w1 then return nil end
  local title = head_of(t, w1)
  if not title then return nil end
  if title == PRONOUN then return PRONOUN_D end
  local w2, st2 = wordback(s, lo, st - 1)
  if not w2 then return nil end
  local ok = korean_name_of(t, w2)
  local d = e.nd
  if ok == true then
    d.name, d.org = w2, nil
  elseif #w2 == 3 then
    -- a lone syllable: a surname or a demonstrative (주 위원장은, 이 대표는)
    if ok or hangul_syllables(w2) ~= 1 then return nil end
    d = e.sd
    d.surname, d.demonstrative = t.surnames[w2] and w2 or nil, t.demonstratives[w2]
  else
    -- one word of an organisation between the name and the title
    if ends_clause(t, w2) then return nil end
    local w3 = wordback(s, lo, st2 - 1)
    if not w3 or korean_name_of(t, w3) ~= true then return nil end
    d.name, d.org = w3, w2
  end
  d.title = title
  return d
end

-- The person a description names in this article, or false.
local function resolve(d, people, find_earlier)
  local kind = d.kind
  if kind == "name" then return people:add(d.name, d.title, d.org, d.foreign) end
  if kind == "pronoun" then return people:last() or find_earlier(nil) or false end
  if kind == "short" then
    local p = d.surname and (people:by_surname(d.surname, d.title) or find_earlier(d.surname, d.title))
    if not p and d.demonstrative then p = people:by_title(d.title) or find_earlier(nil, d.title) end
    return p or false
  end
  if kind == "family" then
    local p = people:by_family(d.family) or find_earlier(nil, nil, d.family)
    if p then return p end
    if d.bare then return false end
    return people:add(d.family, d.title, d.org, true)
  end
  if kind == "title" then return people:by_title(d.title) or false end
  if kind == "bare" then return people:add(d.name) end
  return false
end

-- The candidate subjects of the text s (before a quote, or after one up to
-- its verb), right to left: each word ending in a subject particle, with its
-- description and whether the search stops there when it names no one (a
-- topic in 은/는: the sentence is about something else; a title no one
-- holds: 한 기자가). Made on demand: c[i] is described when first asked for
-- (cand(c, i)); most quotes need only the first.
-- The i-th candidate of c, or nil when it has fewer.
local function cand(c, i)
  while c.n < i do
    local ws, k, t = c.ws, c.k, c.t
    local d
    while k >= c.klo and not d do
      if fetch(c, k) > k then k = c.klo - 1; break end
      local base, p = strip_particle(t, ws[k])
      if base then
        ws[k] = base
        d = describe(t, ws, k, c)
        d.stop = p == "은" or p == "는" or (d.kind ~= "none" and d.title ~= nil and true) or nil
      end
      k = k - 1
    end
    c.k = k
    if not d then return nil end
    c.n = c.n + 1
    c[c.n] = d
  end
  return c[i]
end

-- The subject of s: person, title as written, how; false for a subject that
-- is no person; nil when there is none.
local function subject_in(c, people, find_earlier)
  for i = 1, 13 do
    local d = cand(c, i)
    if not d then break end
    local who = resolve(d, people, find_earlier)
    if who then return who, d.title, d.kind == "pronoun" and "pronoun" or d.kind end
    if d.stop then return false end
  end
  return nil
end

-- The reporting verb at the start of s (the text after a quote and its
-- ending): the first word in 다, when it is a reporting verb.
-- (positions in s throughout: no copies of its head)
local function blank(b) return b == 32 or (b >= 9 and b <= 13) end

-- Where the 다 of the first "%S다[%s%.,]" of s[ts..te] is, or nil.
local function clause_end(s, ts, te)
  local p = find(s, "다", ts + 1, true)
  while p and p + 3 <= te do
    local b0, b1 = byte(s, p - 1), byte(s, p + 3)
    if not blank(b0) and (blank(b1) or b1 == 46 or b1 == 44) then return p end
    p = find(s, "다", p + 3, true)
  end
  return nil
end

-- The position after the first word of s from a position (blanks before it
-- skipped; words cut as lines.wordback cuts them, "(" too), or nil.
local ONE_WORD = lpeg.S" \t\n\v\f\r" ^ 0
  * (1 - lpeg.S" \t\n\v\f\r,()" - lpeg.P"·" - lpeg.P"…") ^ 1 * lpeg.Cp()

-- The first word of a text ending in 다 (only punctuation may follow it;
-- 다만, 다시 go on), when no quote mark or sentence end comes before it:
-- the position where that word starts and the position of its 다.
local BLANK = lpeg.S" \t\n\v\f\r"
local DA_END = lpeg.P"다" * lpeg.S".,!?)]\"'\226\128\157\153" ^ 0 * (BLANK + -1)
local HALT = DA_END + lpeg.P"“" + lpeg.P"\"" + lpeg.P"‘" + lpeg.S".!?" * BLANK
local IN_WORD = 1 - BLANK - HALT
local FIRST_DA = (IN_WORD ^ 0 * BLANK ^ 1) ^ 0 * lpeg.Cp() * IN_WORD ^ 0 * #DA_END * lpeg.Cp()

-- The reporting verb at the start of s (the text after a quote and its
-- ending): the first word in 다, when it is a reporting verb.
local function verb_in(t, s, ts, te)
  local start, p = FIRST_DA:match(s, ts)
  if not start then return nil end
  -- (past the window: read as if the text ended there)
  if p + 2 > te and te < #s then return verb_in(t, sub(s, ts, te), 1, te - ts + 1) end
  local v = sub(s, start, p + 2)
  if t.verbs[v] then return v end
  -- a verb of two words (못 박았다): the word before
  if not t.verb_last[v] then return nil end
  local j = start - 1
  while j >= ts and blank(byte(s, j)) do j = j - 1 end
  if j < ts then return nil end
  local i = j
  while i > ts and not blank(byte(s, i - 1)) do i = i - 1 end
  local two = sub(s, i, j) .. " " .. v
  if t.verbs[two] then return two end
  return nil
end

------------------------------------------------------------------------------
-- The quotes of an article
------------------------------------------------------------------------------

local QUOTED = { para = true, answer = true, quote = true }
local block_quotes, around
local WINDOW = 150   -- bytes looked at around a quote for its speaker and verb

-- Has t at least 6 characters (bytes when it is not UTF-8)?
local function long_enough(q)
  local n = #q
  if n < 6 then return false end
  if n > 20 then return true end
  return (ulen(q) or n) >= 6
end

-- The person interviewed: the first name and title in the subtitles or title.
local function interviewee(t, rec, people, find_family)
  local texts = {}
  for _, s in ipairs(rec.subtitles or {}) do texts[#texts + 1] = s end
  if rec.title then texts[#texts + 1] = rec.title end
  for _, s in ipairs(texts) do
    local ws = words_of(s)
    for k = 2, #ws do
      local ti = title_of(t, ws[k])
      if ti and ti ~= "기자" then
        local i = name_before(t, ws, k)
        if i then
          return people:add(ws[i], ti, i < k - 1 and table.concat(ws, " ", i + 1, k - 1) or nil)
        end
        -- a foreign family name before the organisation (랜데이 스탠퍼드대 소장):
        -- the full name from the article's text
        for j = math.max(1, k - 3), k - 1 do
          local w = ws[j]
          if foreign_word(t, w) and not t.org_suffixes[sub(w, -3)] then
            local p = find_family(w)
            if p then p.title = p.title or ti; return p end
            return people:add(w, ti, nil, true)
          end
        end
      end
    end
  end
  return nil
end

-- Earlier text of the article, searched on demand for the full name of a
-- short reference (변 박사 -> 변지호 박사, 르쿤 -> 얀 르쿤) or, for a pronoun,
-- the last name and title: at most `BACK` blocks back, text before `upto` in
-- the current one.
local BACK = 8

-- The mention the last word of ws makes, as a search wants it: {name,
-- title, org, foreign}, or {surname, title} for a short reference (서 대표는,
-- which a pronoun's search resolves in turn), or nil.
-- (c: the words' reader when ws is one, read on need: see `fetch`)
local function at_word(t, ws, k, surname, title, family, c)
  local base = bare_of(t, ws[k])
  local first = 1
  if family then
    if ws[k] == family or base == family then
      if c then first = fetch(c, k - 5) end
      local i = k - 1
      while i >= first and foreign_part(t, ws[i]) do i = i - 1 end
      if i < k - 1 and k - i <= 4 then
        local nxt = ws[k + 1] and title_of(t, bare_of(t, ws[k + 1]))
        return { name = table.concat(ws, " ", i + 1, k - 1) .. " " .. family, title = nxt, foreign = true }
      end
    end
    return nil
  end
  local ti = title_of(t, base)
  if not ti or (title and sub(ti, -#title) ~= title) then return nil end
  if c then first = fetch(c, k - 5) end
  local i = name_before(t, ws, k, first)
  if i and (not surname or sub(ws[i], 1, #surname) == surname) then
    return { name = ws[i], title = ti, org = i < k - 1 and table.concat(ws, " ", i + 1, k - 1) or nil }
  end
  local prev = ws[k - 1]
  if not surname and prev and t.surnames[prev] then return { surname = prev, title = ti } end
  return nil
end

local looked = candidates(nil, "", 1, 0)   -- the words at a hit, read at once

-- The mentions in text[1..limit] (limit: #text when nil), the last first (at each place the
-- needle occurs from `start` on, from the last; with no needle, in the last 300 bytes).
local function look(t, text, surname, title, family, needle, start, limit)
  limit = limit or #text
  local found = {}
  if not needle then
    local ws = words_of(sub(text, limit > 300 and limit - 299 or 1, limit))
    for k = #ws, 2, -1 do
      local d = at_word(t, ws, k, surname, title, family)
      if d then
        found[#found + 1] = d
        if not d.surname then break end
      end
    end
  else
    local hits, i, last = {}, start or 1, limit - #needle + 1
    while true do
      local p = find(text, needle, i, true)
      if not p or p > last then break end
      hits[#hits + 1] = p
      i = p + #needle
    end
    for h = #hits, 1, -1 do
      local p = hits[h]
      local lo = math.max(1, p - 100)
      -- (a short reference's full name starts with its surname: none before the hit, no mention)
      local x = not surname or family or find(sub(text, lo, p + #surname - 2), surname, 1, true)
      local d
      if x then
        local e = find(text, "%s", p + #needle)
        if not e or e > limit then e = limit + 1 end
        local c = candidates(t, text, lo, e - 1, looked)
        d = fetch(c, TOP - 1) <= TOP - 1 and at_word(t, c.ws, TOP, surname, title, family, c) or nil
      end
      if d then
        found[#found + 1] = d
        if not d.surname then break end
      end
    end
  end
  return found
end

-- Where a search of text[1..limit] for needle that found no one leaves off: the
-- hits before it were read whole (a blank after them, inside the limit), so a
-- later search of the same text further on reads only the hits from there.
local function read_upto(text, limit, nlen)
  local w = limit
  while w >= 1 and not blank(byte(text, w)) do w = w - 1 end
  return w - nlen + 1 > 1 and w - nlen + 1 or 1
end

-- The article being read (M.scan reads one at a time): where its reading
-- stands (`cur`, the block, `upto`, the position in it), the people named,
-- the last speaker, the quotes waiting for the next one; made once, reused.
local S = { pending = {} }

local function earlier_finder(t, rec, people)
  local blocks = rec.blocks
  local cur, upto
  local f
  -- the person a mention names
  local function person(found)
    for i = 1, #found do
      local d = found[i]
      if not d.surname then return people:add(d.name, d.title, d.org, d.foreign) end
      local p = f(d.surname, d.title)
      if p then return p end
    end
    return nil
  end
  -- only texts holding the needle are read; with no needle (a pronoun) only
  -- the text just before the quote in its own block
  -- (blocks down to `lo` only, and the subtitles unless `again`).
  -- mn: what a search of the same block for the same needle that found no one
  -- left (read: the hits before it were read; from, at: the first hit from
  -- `from` on, false for none; seen: the block held the needle before its quote),
  -- and into `got` goes this search's, for the next.
  -- Returns the person, or nil and whether any text held the needle.
  local function search(surname, title, family, needle, lo, again, mn, got)
    local b = cur
    local seen = false
    if b and upto and upto > 1 then
      local text = blocks[b].text
      local limit = upto - 1
      if not needle then
        seen = true
        local p = person(look(t, text, surname, title, family, nil, 1, limit))
        if p then return p end
      else
        local start, from, at = 1, nil, nil
        if mn then
          start, seen = mn.read, mn.seen
          if start >= mn.from and (not mn.at or mn.at >= start) then from, at = mn.from, mn.at end
        end
        if not from then from, at = start, find(text, needle, start, true) or false end
        if at and at < upto then
          seen = true
          local p = person(look(t, text, surname, title, family, needle, start, limit))
          if p then return p end
        end
        if got then
          got.read, got.from, got.at, got.seen = read_upto(text, limit, #needle), from, at, seen
        end
      end
    end
    if not needle then return nil, seen end
    for i = (b or #blocks + 1) - 1, math.max(lo or 1, (b or 1) - BACK), -1 do
      local x = blocks[i]
      if x and x.text and x.type ~= "byline" and find(x.text, needle, 1, true) then
        seen = true
        local p = person(look(t, x.text, surname, title, family, needle))
        if p then return p end
      end
    end
    if again then return nil, seen end
    local subs = rec.subtitles
    if subs then
      for i = 1, #subs do
        local x = subs[i]
        if find(x, needle, 1, true) then
          seen = true
          local p = person(look(t, x, surname, title, family, needle))
          if p then return p end
        end
      end
    end
    return nil, seen
  end
  -- the title as written first (한 CTO), then as the short form of another
  -- (한미래 … 최고기술책임자(CTO)). A search that found no one is made again
  -- only over the text read since: the blocks after the one it stopped in,
  -- and in that block the hits after those it read (a paragraph of 주
  -- 위원장은 … with 주 named nowhere is read once, not once a quote).
  local failed = {}   -- key -> {b = block, u = upto, left = {[needle] = what search left}}
  f = function(surname, title, family)
    cur, upto = S.cur, S.upto
    if not (surname or title or family) then
      return search(nil, nil, nil, nil)
    end
    local key = (surname or "") .. "\0" .. (title or "") .. "\0" .. (family or "")
    -- (a search for a title alone finds short mentions, 이 대표, resolved by
    -- searches of their own that read up to the quote: it is made whole each time)
    local m = M.remember and (surname or family) and failed[key]
    local lo, again
    if m then
      if cur == m.b and (upto or 0) <= m.u then return nil end
      lo, again = m.b, true
      if cur ~= m.b then m = nil end    -- (another block: this one is read whole)
    end
    local needle = family or title
    local left = m and m.left
    local got1, got2 = {}, nil
    local p, seen = search(surname, title, family, needle, lo, again, left and left[needle], got1)
    -- (a text with "(title)" holds the title: no second search where none did)
    local pneedle
    if not p and title and surname and (seen or needle ~= title) then
      pneedle, got2 = "(" .. title .. ")", {}
      p = search(surname, nil, nil, pneedle, lo, again, left and left[pneedle], got2)
    end
    if not p then
      local n = m or { left = {} }
      n.b, n.u = cur or 0, upto or 0
      if got1.read then n.left[needle] = got1 end
      if got2 and got2.read then n.left[pneedle] = got2 end
      failed[key] = n
    end
    return p
  end
  -- a family name anywhere in the article (for the person an interview is with)
  local function family(name)
    for i = 1, #blocks do
      local x = blocks[i]
      if x.text and find(x.text, name, 1, true) then
        local p = person(look(t, x.text, nil, nil, name, name))
        if p then return p end
      end
    end
    return nil
  end
  return f, family
end

-- The searches of earlier text for the article being read, made on first need
-- (most articles name their speakers in full and never search).
local function find_earlier(surname, title, family)
  local f = S.earlier
  if not f then
    f, S.family = earlier_finder(S.t, S.rec, S.people)
    S.earlier = f
  end
  return f(surname, title, family)
end

local function find_family(name)
  if not S.earlier then find_earlier(nil) end
  return S.family(name)
end

-- What a block's text says about its quotes, whoever's article it is in:
-- for each quote its text, where it opens and closes, the ending after it,
-- its verb, and the candidate subjects before it in its sentence and after
-- it up to its verb. Remembered for each text (news repeats its paragraphs;
-- bounded), so only the resolution of names runs per article.
local NONE = {}

-- The text of a block that opens a quote and never closes it (the quote may
-- run on into the next paragraph), when it is long enough to be one; or nil.
local function spanning_text(s)
  local b1 = byte(s, 1)
  if b1 ~= 0x22 and b1 ~= 0xE2 then return nil end   -- (“ is E2 80 9C)
  local open = sub(s, 1, 3) == "“" and "“" or b1 == 0x22 and "\"" or nil
  if not open or find(s, "”", 1, true) or find(s, "\"", #open + 1, true) then return nil end
  local text = sub(s, #open + 1)
  if find(text, " ", 1, true) and long_enough(text) then return text end
  return nil
end

-- The candidate subjects after quote e of s up to its verb (“…”라고 김 교수는
-- 말했다), or false when there are none; made when a quote needs them.
local function later_of(t, s, e, fast_path)
  local ts = e.ts
  local m = clause_end(s, ts, e.te)
  if not m then return false end
  -- one word up to its 다 (고 말했다) has no subject particle: no candidate
  local w = fast_path and ONE_WORD:match(s, ts)
  if w and w > m + 2 then return false end
  return candidates(t, s, ts, m + 2, e.lc)
end

-- How quote e of s is decided: its subject candidates before it (from lo, or
-- none), and the shape the fast path knows: named, pronoun, short (a surname
-- named already), last (no subject before or after) or none; else the
-- candidates after it up to its verb (later) for the general reading.
local function decide(t, s, e, lo, fast_path)
  local d
  if lo then
    e.before = candidates(t, s, lo, e.open - 1, e.bc)
    if fast_path then d = first_subject(t, s, lo, e.open - 1, e) end
    if not d then d = cand(e.before, 1) end
  end
  -- most quotes name their speaker before them in full (or as 그는, 주
  -- 위원장은), or go on from the last speaker's: those are decided
  -- without a search
  local kind = d and d.kind
  if kind == "name" then e.named = d
  elseif kind == "pronoun" then e.pronoun = true
  elseif kind == "short" then e.short = d.surname and d
  else
    if e.said then e.later = later_of(t, s, e, fast_path) end
    if not e.later and not e.opens then
      -- no subject before or after: the last speaker's
      if not e.before then e.last = true elseif fast_path and not d then e.none = true end
    end
  end
end

local scanned = {}   -- the scan's positions, one table reused (read at once)
-- The quotes of the block being read, and their tables, reused for the next
-- block (M.scan reads them before it asks for the next block's).
local taken = { n = 0 }

-- The quotes of s taken for the record (in a quote line, `line`, every quote
-- that fits): {text, open, after, said, opens, verb, chain, before (the
-- candidates before it in its sentence), later (the text after it up to its
-- verb, parsed on need), and how the fast path decides it: named, pronoun or
-- last}, and `span`; NONE when s holds no quote mark.
-- A quote's reused tables.
local function new_entry(t, s)
  return { bc = candidates(t, s, 1, 0), lc = candidates(t, s, 1, 0), nd = { kind = "name" },
    sd = { kind = "short" } }
end

-- block_quotes by the compiled finder (gisa.quote): the same quotes, with
-- the shapes it decides set as decide sets them, and decide run here for a
-- quote it hands back (shape 8).
local cout = {}   -- its values, 13 a quote, one table reused (read at once)
local SHAPE_NAMED, SHAPE_PRONOUN, SHAPE_SHORT, SHAPE_LAST, SHAPE_NONE, SHAPE_PLAIN, SHAPE_LATER =
  1, 2, 3, 4, 5, 6, 7
M.handed_back = 0   -- quotes the compiled scan handed back to the Lua code (a count for measuring)

-- Entry e from the k-th quote of the compiled finder's values (cout).
local function entry_c(t, s, k, e)
  local out = cout
  local o = 13 * (k - 1)
  local open, said = out[o + 2], out[o + 5]
  said = said > 0 and t.after[out[o + 4]][said] or nil
  e.text, e.open, e.after, e.said, e.opens = out[o + 1], open, out[o + 3], said, open == 1
  e.verb, e.chain, e.before, e.later, e.named, e.pronoun, e.last, e.short, e.none = nil, nil, nil,
    nil, nil, nil, nil, nil, nil
  if said then
    e.verb = out[o + 6] or nil
    e.chain = t.chains[said]
    e.ts, e.te = out[o + 7], out[o + 8]
  end
  local lo = out[o + 9]
  local shape = out[o + 10]
  e.blo = lo > 0 and lo or nil   -- (the candidates before it made when speaker_of needs them)
  if shape == SHAPE_NAMED then
    local d = e.nd
    d.name, d.title, d.org = out[o + 11], out[o + 12], out[o + 13] or nil
    e.named = d
  elseif shape == SHAPE_PRONOUN then
    e.pronoun = true
  elseif shape == SHAPE_SHORT then
    local d = e.sd
    d.surname, d.title, d.demonstrative = out[o + 11] or nil, out[o + 12], out[o + 13] or nil
    e.short = d.surname and d
  elseif shape == SHAPE_LATER then
    e.later = candidates(t, s, e.ts, out[o + 11], e.lc)
  elseif shape == SHAPE_LAST or shape == SHAPE_NONE or shape == SHAPE_PLAIN then
    if said then e.later = false end
    if shape == SHAPE_LAST then e.last = true elseif shape == SHAPE_NONE then e.none = true end
  else
    e.blo = nil
    decide(t, s, e, lo > 0 and lo or nil, true)
  end
  return e
end

function block_quotes(t, s, line)
  local fast_path = M.fast
  local n = t.scan(s, scanned)
  if n == 0 then
    -- no quote, unless one opens the block and runs on (“ is E2 80 9C)
    local b1, b2, b3 = byte(s, 1, 3)
    if not (b1 == 0x22 or (b1 == 0xE2 and b2 == 0x80 and b3 == 0x9C)) then return NONE end
  end
  local buf = scanned
  local c = taken
  local nc = 0
  local prev_after = 0
  for k = 0, n - 1 do
    local o = 7 * k
    local open, from, to, after, mark, said = buf[o + 1], buf[o + 2], buf[o + 3], buf[o + 4],
      buf[o + 5], buf[o + 7]
    said = said > 0 and t.after[mark][said] or nil
    local opens = open == 1
    -- a quote has a space and 6 characters; a paragraph's or an answer's is
    -- followed by a quoting ending or opens the block
    local sp = (said or opens or line) and find(s, " ", from, true)
    if sp and sp <= to then
      local text = sub(s, from, to)
      if long_enough(text) then
        nc = nc + 1
        local e = c[nc]
        if not e then e = new_entry(t, s); c[nc] = e end
        e.text, e.open, e.after, e.said, e.opens = text, open, after, said, opens
        e.verb, e.chain, e.before, e.later, e.named, e.pronoun, e.last, e.short, e.none, e.blo = nil, nil,
          nil, nil, nil, nil, nil, nil, nil, nil
        if said then
          local ts = after + #said
          local te = after + WINDOW
          -- stop at the next quote: its words are its own
          local nxt = buf[o + 8]
          if nxt and k + 1 < n and nxt - 1 < te then te = nxt - 1 end
          if te > #s then te = #s end
          e.verb = verb_in(t, s, ts, te)
          e.chain = t.chains[said]
          e.ts, e.te = ts, te
        end
        local lo = buf[o + 6]
        if prev_after > lo then lo = prev_after end
        if open > 1 and lo < open then
          if lo < open - WINDOW then lo = open - WINDOW end
        else
          lo = nil
        end
        decide(t, s, e, lo, fast_path)
      end
    end
    prev_after = after
  end
  c.n = nc
  c.span = spanning_text(s)
  return c
end

-- What a paragraph says to the quote standing alone next to it, remembered
-- for each text (bounded): `cut`, where 이렇게/이같이 stands in its first
-- sentence (X는 이렇게 말했다), and `lead`, the text before it; `tail`, its
-- last sentence when that holds no quote mark (X는 긴 당부를 남겼다.).

function around(s)
  -- the first sentence: up to the first "다." before a blank
  local first_end = #s
  local p = find(s, "다.", 1, true)
  while p do
    local b = byte(s, p + 4)
    if b and blank(b) then first_end = p + 3; break end
    p = find(s, "다.", p + 1, true)
  end
  local cut = find(s, "이렇게", 1, true)
  if cut and cut + 8 > first_end then cut = nil end
  if not cut then
    cut = find(s, "이같이", 1, true)
    if cut and cut + 8 > first_end then cut = nil end
  end
  -- the last sentence: after the last ".", "?" or "!" before blanks
  local last = 0
  for i = 1, 3 do
    local c = i == 1 and "." or i == 2 and "?" or "!"
    local x = find(s, c, last + 1, true)
    while x do
      local b = byte(s, x + 1)
      if b and blank(b) then last = x end
      x = find(s, c, x + 1, true)
    end
  end
  local tail = s
  if last > 0 then
    local y = last + 1
    while y <= #s and blank(byte(s, y)) do y = y + 1 end
    tail = sub(s, y)
  end
  if find(tail, "“", 1, true) or find(tail, "\"", 1, true) or find(tail, "‘", 1, true) then tail = nil end
  return { cut = cut, lead = cut and sub(s, 1, cut - 1), tail = tail }
end

-- The result of M.scan, made once and reused (M.scan reads one article at a
-- time; its callers copy what they keep before the next).
local R = { text = {}, line = {}, verb = {}, person = {}, title = {}, how = {}, block = {}, chain = {},
  n = 0 }

local r_text, r_line, r_verb, r_person, r_title, r_how, r_block, r_chain = R.text, R.line, R.verb,
  R.person, R.title, R.how, R.block, R.chain
local pending = S.pending   -- the ledes waiting for the next speaker (their indexes)

-- One more quote: its speaker found (or not) by how; a speaker ends the wait
-- of the ledes before it.
local function add(text, line, verb, bi, who, title, how)
  local n = R.n + 1
  R.n = n
  r_text[n], r_line[n], r_verb[n], r_block[n], r_title[n], r_chain[n] = text, line, verb, bi, title, nil
  if who then
    if title and not who.title then who.title = title end
    S.last = who
    r_person[n], r_how[n] = who, how
    if pending[1] then
      for i = #pending, 1, -1 do r_person[pending[i]] = who; pending[i] = nil end
    end
  else
    r_person[n] = nil
    if how == "lede" then
      r_how[n] = "lede"
      pending[#pending + 1] = n
    else
      r_how[n] = nil
    end
  end
end

-- A quote standing alone at the start of block bi ("“…”" as a paragraph):
-- the rest of a quote running over paragraphs; else the person the next
-- paragraph names as its speaker (X는 이렇게 말했다); else the subject of
-- the sentence introducing it (X는 긴 당부를 남겼다.), when that sentence
-- quotes no one; else, before anyone is quoted, the article's lede: the
-- next person quoted. Returns person, how or nil, "lede" or false.
local function standalone(bi, carried, spans)
  if carried == "lede" then return nil, "lede" end
  if carried then return carried, "continued" end
  local t, blocks, people = S.t, S.rec.blocks, S.people
  local nb, pb = blocks[bi + 1], blocks[bi - 1]
  if not spans and nb and nb.type == "para" and type(nb.text) == "string" then
    local x = around(nb.text)
    local cut = x.cut
    if cut then
      S.cur, S.upto = bi + 1, cut
      local who = subject_in(candidates(t, x.lead, 1, #x.lead), people, find_earlier)
      if who then return who, "next" end
      return false
    end
  end
  if pb and pb.type == "para" and type(pb.text) == "string" then
    local tail = around(pb.text).tail
    if tail then
      S.cur, S.upto = bi - 1, #pb.text + 1
      local who = subject_in(candidates(t, tail, 1, #tail), people, find_earlier)
      if who then return who, "intro" end
    end
  end
  if S.last == nil then return nil, "lede" end
  return false
end

-- The speaker of quote e in block b (index bi, of type kind): who, title, how.
local function speaker_of(t, e, b, bi, kind, carried)
  local people = S.people
  local who, title, how
  local opens = e.opens
  if kind == "quote" and b.speaker and b.speaker ~= "" then
    local prevb = S.rec.blocks[bi - 1]
    local role = prevb and prevb.type == "speaker" and prevb.text:match("/%s*(.-)%s*$")
    local rws = role and words_of(role)
    local ti = rws and rws[#rws] and title_of(t, rws[#rws])
    return people:add(b.speaker, ti, nil), ti, "caption"
  elseif opens and t.interview[kind] then
    local inter = S.inter
    if inter == false then inter = interviewee(t, S.rec, people, find_family); S.inter = inter end
    return inter, nil, "interview"
  end
  if not e.before and e.blo then e.before = candidates(t, b.text, e.blo, e.open - 1, e.bc) end
  if e.before then
    S.cur, S.upto = bi, e.open
    who, title, how = subject_in(e.before, people, find_earlier)
    if who then how = how == "pronoun" and "pronoun" or "subject" end
  end
  local later = e.later
  if later == nil and e.said then later = later_of(t, b.text, e, M.fast) end
  if not who and later then
    -- “…”라고 김 교수는 말했다: the subject after the ending
    S.cur, S.upto = bi, e.after
    local w2, t2 = subject_in(later, people, find_earlier)
    if w2 then who, title, how = w2, t2, "after" end
  end
  if who == nil and not opens then
    who = S.last
    how = who and "last" or nil
  end
  if who == nil and opens and not e.said then
    who, how = standalone(bi, carried)
  end
  return who, title, how
end

-- The speaker of quote e in block b: the shapes the fast path knows, else
-- speaker_of's reading.
local function speaker(t, e, b, bi, kind, carried)
  local people = S.people
  local d = e.named
  local fast = kind ~= "quote" and not (e.opens and t.interview[kind])
  if fast and d then
    S.cur, S.upto = bi, e.open
    return people:add(d.name, d.title, d.org, d.foreign), d.title, "subject"
  elseif fast and e.pronoun and people.list[1] then
    S.cur, S.upto = bi, e.open
    local l = people.list
    return l[#l], nil, "pronoun"
  elseif fast and e.last then
    local who = S.last
    return who, nil, who and "last" or nil
  elseif fast and e.none then
    S.cur, S.upto = bi, e.open
    local who = S.last
    return who, nil, who and "last" or nil
  elseif fast and e.short and people.list[1]
    and people:by_surname(e.short.surname, e.short.title) then
    S.cur, S.upto = bi, e.open
    return people:by_surname(e.short.surname, e.short.title), e.short.title, "subject"
  end
  return speaker_of(t, e, b, bi, kind, carried)
end

-- The compiled scan (finder:scan) hands back the quotes of other shapes and
-- the quotes that run over paragraphs: read here, where the article's reading
-- stands as it left it (cur, upto, last), which it gets back.
local slow_entry
local function slow(bi, k, carried, cur, upto, last)
  M.handed_back = M.handed_back + 1
  S.cur, S.upto, S.last = cur, upto, last
  local t = S.t
  local b = S.rec.blocks[bi]
  local s = b.text
  local e = slow_entry
  if not e then e = new_entry(t, s); slow_entry = e end
  entry_c(t, s, k, e)
  local who, title, how = speaker(t, e, b, bi, b.type, carried)
  return who, title, how, S.cur, S.upto
end

local function span_c(bi, carried, cur, upto, last)
  M.handed_back = M.handed_back + 1
  S.cur, S.upto, S.last = cur, upto, last
  local who, how = standalone(bi, carried, true)
  return who, how, S.cur, S.upto
end

--- The quotes of a record's blocks, in reading order: parallel arrays
--- `text`, `line`, `verb`, `person` ({name, title, org}), `title`, `how`,
--- `block` (the block's index), and `n`. `rec` is the record (its title and
--- subtitles name the person an interview is with). The arrays are reused by
--- the next call: copy what you keep.
---@param rec {blocks: table[], title?: string, subtitles?: string[]}
function M.scan(rec)
  local t = T or tables()
  local blocks = rec.blocks
  local people = new_people()
  S.t, S.rec, S.people, S.cur, S.upto, S.earlier, S.family = t, rec, people, nil, nil, nil, nil
  S.last, S.inter = nil, false
  if M.fast and M.c then
    local n, bad = t.finder:scan(blocks, R, people, t.interview, slow, span_c, cout, rec.subtitles)
    if not n then error("block " .. bad .. ": text must be a string", 2) end
    R.n = n
    return R
  end
  for i = #pending, 1, -1 do pending[i] = nil end
  R.n = 0
  local verb_, chain_ = r_verb, r_chain
  local carry           -- the speaker of a quote running on into the next block

  for bi = 1, #blocks do
    local b = blocks[bi]
    local kind = b.type
    if QUOTED[kind] then
      local s = b.text
      if type(s) ~= "string" then error("block " .. bi .. ": text must be a string", 2) end
      local c = block_quotes(t, s, kind == "quote")
      if c ~= NONE then
        local block_first = R.n + 1
        local carried = carry
        carry = nil
        -- a quote over paragraphs: this one opens and never closes, the next
        -- opens again (Korean papers close only the last paragraph's)
        local span = c.span
        if span then
          local nb = blocks[bi + 1]
          if kind ~= "para" or not nb or nb.type ~= "para" or type(nb.text) ~= "string"
            or not (sub(nb.text, 1, 3) == "“" or byte(nb.text, 1) == 0x22) then
            span = nil
          end
        end
        if span then
          local who, how = standalone(bi, carried, true)
          add(span, b.line, nil, bi, who, nil, how)
          carry = who or (how == "lede" and "lede") or nil
        end
        for k = 1, c.n do
          local e = c[k]
          do
            local who, title, how = speaker(t, e, b, bi, kind, carried)
            if e.opens and not e.said and k == 1 then carry = nil end
            add(e.text, b.line, e.verb, bi, who or nil, title, how)
            chain_[R.n] = e.chain
          end
        end
        -- a chain (“…”며 “…”고 말했다) shares the verb of the quote it runs into
        for i = R.n - 1, block_first, -1 do
          if chain_[i] and not verb_[i] then verb_[i] = verb_[i + 1] end
        end
      else
        carry = nil
      end
    end
  end
  return R
end

--- The record's quotes post pass: rec.quotes gets {text, speaker, title,
--- org, line, verb} for each quote M.scan finds (what `gisa quotes` lists).
function M.record(rec)
  local R = M.scan(rec)
  if M.fast and M.c then
    rec.quotes = records(R, R.n, rec.quotes or {})
    return rec.quotes
  end
  local out = rec.quotes or {}
  local at = #out
  local text, line, verb, person, title = R.text, R.line, R.verb, R.person, R.title
  for i = 1, R.n do
    local p = person[i]
    if p then
      out[at + i] = { text = text[i], speaker = p.name, title = p.title or title[i], org = p.org,
        line = line[i], verb = verb[i] }
    else
      out[at + i] = { text = text[i], title = title[i], line = line[i], verb = verb[i] }
    end
  end
  rec.quotes = out
  return out
end

--- The quotes of an article for `gisa quotes` and scripts: a list of {quote,
--- text, speaker, title, org, verb, line, how}; speaker, title and org are nil
--- when no one is named.
---@param a gisa.Article|{blocks: table[]}
function M.article(a)
  local R = M.scan(a)
  local out = {}
  for i = 1, R.n do
    local p = R.person[i]
    out[i] = { quote = R.text[i], text = R.text[i], speaker = p and p.name or nil,
      title = p and p.title or R.title[i] or nil, org = p and p.org or nil, verb = R.verb[i],
      line = R.line[i], how = p and R.how[i] or nil }
  end
  return out
end

M.find = M.article

return M
