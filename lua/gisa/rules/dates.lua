-- gisa.rules.dates: the date grammar. Turns the dates Korean news pages print
-- ("입력 2023.03.14 16:00", "수정: 2023/12/26 17:19", "2023-09-05 오후 2:30",
-- "2023년 3월 14일 16시 00분", "기사입력 …", "승인 …") into ISO 8601 with +09:00.
--
-- A user extends it from a rule file (DIR/rules/NAME.lua or a site file) with
--   dates = { { id = "my-form", pattern = P … } },          -- new forms, by id
--   date_labels = { published = { "보도" }, modified = { "고침" } },
-- A form is an LPeg pattern that leaves named group captures y, m, d and
-- optionally H, M, S, ampm ("am"/"pm"), tz ("+09:00"); D.fields helps build them.

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"

local P, S, C, Ct, Cg, Cc = lpeg.P, lpeg.S, lpeg.C, lpeg.Ct, lpeg.Cg, lpeg.Cc
local format, tonumber, byte, match = string.format, tonumber, string.byte, lpeg.match

local D = {}

local sp, digit = L.sp, L.digit
local sp0 = sp ^ 0

------------------------------------------------------------------------------
-- Pieces a form is made of
------------------------------------------------------------------------------

-- MIN to MAX digits (LPeg's p^n means "at least n", so the MIN are spelled out)
local function digits(min, max)
  local p = P(true)
  for _ = 1, min do p = p * digit end
  if max > min then p = p * digit ^ -(max - min) end
  return p
end

-- The fields are written once and built twice (shipped below): with named
-- group captures (D.fields, D.forms: what a user composes forms from) and,
-- for the shipped forms, as the same values in a fixed order for one function
-- capture per date, which costs far less than a table per date. Numbers are
-- captured as their digits (a `/ tonumber` is a Lua call from LPeg per field).
local function pieces(named)
  local function field(name, p) if named then return Cg(p, name) end return p end
  -- what an absent optional part leaves: nothing when named, else n nils
  local function none(n)
    if named then return P(true) end
    return Cc(table.unpack({}, 1, n))
  end
  local f = {}
  f.y = field("y", C(digits(4, 4)))
  f.m = field("m", C(digits(1, 2)))
  f.d = field("d", C(digits(1, 2)))
  f.H = field("H", C(digits(1, 2)))
  f.M = field("M", C(digits(2, 2)))
  f.S = field("S", C(digits(2, 2))) * (P"." * digit ^ 1) ^ -1
  f.weekday = sp0 * (P"(" + P"[") * L.hangul * (P")" + P"]")
  f.ampm_before = field("ampm", P"오전" * Cc"am" + P"오후" * Cc"pm" + P"AM" * Cc"am" + P"PM" * Cc"pm"
    + P"새벽" * Cc"am" + P"밤" * Cc"pm") * sp0
  f.ampm_after = sp0 * field("ampm", (P"AM" + P"am" + P"a.m.") * Cc"am" + (P"PM" + P"pm" + P"p.m.") * Cc"pm")
  f.tz = sp0 * field("tz",
    (P"(KST)" + P"KST") * Cc"+09:00"
    + (P"(GMT)" + P"(UTC)" + P"GMT" + P"UTC" + P"Z") * Cc"+00:00"
    + C(S"+-" * digit * digit * P":" ^ -1 * digit * digit) / function(s)
        s = s:gsub(":", ""); return s:sub(1, 3) .. ":" .. s:sub(4, 5) end)

  -- In order, the values are y, m, d, ampm before the time, H, M, S, ampm
  -- after it, tz (the one after wins, as the later named group does in a table).
  local dsep = sp0 * S".-/" * sp0
  local ab = f.ampm_before + none(1)
  local time_colon = ab * f.H * P":" * f.M * (P":" * f.S + none(1)) * (f.ampm_after + none(1))
  local time_kor = ab * f.H * sp0 * P"시" * (sp0 * f.M * sp0 * P"분" + none(1))
    * (sp0 * f.S * sp0 * P"초" + none(1)) * none(1)
  local time = time_colon + time_kor + P"(" * sp0 * (time_colon + time_kor) * sp0 * P")"

  -- Each form is f.y and the rest: the grammar tries a run of shipped forms
  -- as y * (rest + rest …), reading the year once.
  local rests = {
    P"-" * f.m * P"-" * f.d * P"T" * none(1) * f.H * P":" * f.M * (P":" * f.S + none(1)) * none(1)
      * f.tz ^ -1,
    -- 2023.03.14 16:00 · 2023-09-05 오후 2:30 · 2023/12/26 17:07 · 2023. 3. 14. 오후 4:00
    -- (a look first at what follows the blanks: most dates go on with a time)
    dsep * f.m * dsep * f.d * (#(sp0 * S".([") * (sp0 * P".") ^ -1 * f.weekday ^ -1) ^ -1
      * (sp0 * time + none(5)) * f.tz ^ -1,
    -- 2023년 3월 14일 16시 00분 · 2023년 3월 14일(화) 오후 4:00
    sp0 * P"년" * sp0 * f.m * sp0 * P"월" * sp0 * f.d * sp0 * P"일" * f.weekday ^ -1 * (sp0 * time + none(5))
      * f.tz ^ -1,
  }
  local forms = {}
  for i, id in ipairs{ "iso", "ymd", "korean" } do forms[i] = { id = id, pattern = f.y * rests[i] } end
  return f, forms, rests
end

local f
f, D.forms = pieces(true)
D.fields = f

------------------------------------------------------------------------------
-- The forms, tried in order (first match wins)
------------------------------------------------------------------------------

-- (D.forms above: iso "2024-03-14T07:00:00Z", ymd "2023.03.14 16:00", korean
-- "2023년 3월 14일 16시 00분".) Their twins leaving values in order, by pattern:
-- D.compile uses a twin wherever a list holds a shipped form's pattern.
local twin, year = {}, C(digits(4, 4))
do
  local _, _, rests = pieces(false)
  for i, fm in ipairs(D.forms) do twin[fm.pattern] = rests[i] end
end

--- Labels before a date, and which field each one fills.
D.labels = {
  published = { "기사입력", "송고시간", "최초입력", "최초 입력", "입력시간", "입력일", "입력", "등록일", "등록",
    "작성일", "작성", "게재일", "게재", "승인", "발행일", "발행", "송고", "Posted", "Published" },
  modified = { "최종수정", "최종 수정", "수정시간", "수정일", "수정", "업데이트", "갱신",
    "Updated", "Modified" },
}

------------------------------------------------------------------------------
-- ISO 8601 text of the fields
------------------------------------------------------------------------------

-- The general way, with tonumber and string.format: for whatever a user's form
-- leaves (numbers or digit strings), and to reject impossible dates.
local function iso_slow(y, m, d, H, M, S2, ampm, tz)
  m, d = m and tonumber(m), d and tonumber(d)
  if not (y and m and d) or m < 1 or m > 12 or d < 1 or d > 31 then return nil end
  y = tonumber(y)
  if not y then return nil end
  if not H then return format("%04d-%02d-%02d", y, m, d) end
  H, M, S2 = tonumber(H), M and tonumber(M) or 0, S2 and tonumber(S2) or 0
  if not (H and M and S2) then return nil end
  if ampm == "pm" and H < 12 then H = H + 12 elseif ampm == "am" and H == 12 then H = 0 end
  if H > 23 or M > 59 or S2 > 60 then return nil end
  return format("%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, H, M, S2, tz or "+09:00")
end

-- The usual values (digit strings, one or two wide, and small integers) to
-- their zero-padded text when in range: one lookup checks and converts a
-- field, where string.format costs a snprintf per conversion.
local function texts(lo, hi)
  local t = {}
  for i = lo, hi do
    local s = format("%02d", i)
    t[i] = s; t[s] = s; t[tostring(i)] = s
  end
  return t
end
local months, days, minutes, seconds = texts(1, 12), texts(1, 31), texts(0, 59), texts(0, 60)
local hour, two = {}, {}
for i = 0, 99 do
  hour[i] = i; hour[tostring(i)] = i; hour[format("%02d", i)] = i
  two[i] = format("%02d", i)
end
-- A year's text ("%04d"), remembered for four-digit strings and small
-- integers (at most ~21,000 entries).
local years = setmetatable({}, { __index = function(cache, v)
  local n = tonumber(v)
  if n == nil or n ~= n // 1 then return nil end
  local s = format("%04d", n)
  if s == v or (n >= 0 and n <= 9999) then cache[v] = s end
  return s
end })

-- The ISO text of the fields (numbers or digit strings), or nil when they are
-- no date (month 13, hour 24).
local function iso_of(y, m, d, H, M, S2, ampm, tz)
  local ys, ms, ds = y and years[y], months[m], days[d]
  if ys and ms and ds then
    if not H then return ys .. "-" .. ms .. "-" .. ds end
    local h, Ms, Ss = hour[H], not M and "00" or minutes[M], not S2 and "00" or seconds[S2]
    if h and Ms and Ss and (tz == nil or type(tz) == "string") then
      if ampm == "pm" then
        if h < 12 then h = h + 12 end
      elseif ampm == "am" and h == 12 then
        h = 0
      end
      if h > 23 then return nil end
      return ys .. "-" .. ms .. "-" .. ds .. "T" .. two[h] .. ":" .. Ms .. ":" .. Ss .. (tz or "+09:00")
    end
  end
  return iso_slow(y, m, d, H, M, S2, ampm, tz)
end

--- The ISO 8601 text of a table of fields (y, m, d, H, M, S, ampm, tz: numbers
--- or digit strings), or nil when they are no date.
function D.iso(t)
  return iso_of(t.y, t.m, t.d, t.H, t.M, t.S, t.ampm, t.tz)
end

------------------------------------------------------------------------------
-- Compiling a grammar from forms and labels
------------------------------------------------------------------------------

-- The strings as a byte trie: the longest one that matches, as L.any's
-- longest-first choice, but trying only the strings that share the bytes so
-- far (a choice of ~30 labels at every date costs more than the date).
local function trie(list)
  local by, ends = {}, false
  for _, s in ipairs(list) do
    if s == "" then ends = true
    else
      local b = s:sub(1, 1)
      if not by[b] then by[b] = {}; by[#by + 1] = b end
      local rest = by[b]
      rest[#rest + 1] = s:sub(2)
    end
  end
  table.sort(by)
  local p = P(false)
  for _, b in ipairs(by) do p = p + P(b) * trie(by[b]) end
  if ends then p = p + P(true) end
  return p
end

-- What a line of the shipped forms can start with, for a test before the
-- grammar (a call to LPeg costs more than most lines take to fail): blanks,
-- "(", "[", a digit, or the first three bytes of a label (its first Hangul
-- syllable). A set of bytes and of b1 << 16 | b2 << 8 | b3; nil when anything
-- may start a date (an empty label).
local function first_bytes(names)
  local set = {}
  for _, c in ipairs{ " ", "\t", "\194", "\227", "(", "[", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" } do
    set[byte(c)] = true
  end
  for _, s in ipairs(names) do
    local b1, b2, b3 = byte(s, 1, 3)
    if not b1 then return nil end
    if b3 then set[b1 << 16 | b2 << 8 | b3] = true else set[b1] = true end
  end
  return set
end

--- Build a grammar: forms (list of {id, pattern}) and labels ({published=, modified=}).
function D.compile(forms, labels)
  forms, labels = forms or D.forms, labels or D.labels
  local kind = {}
  local names = {}
  for k, list in pairs(labels) do
    for _, s in ipairs(list) do kind[s] = k; names[#names + 1] = s end
  end
  local any = trie(names)
  local after = sp0 * (S":：" + P"ㅣ") ^ -1 * sp0
  local label = C(any) * after + Cc(nil)
  -- a label glued to the end of a word ("컴퓨팅입력 :2024/06/11") only with its colon
  local label_c = C(any) * sp0 * (S":：" + P"ㅣ") * sp0
  -- A date of the shipped forms: iso_of's quick path written out (this runs
  -- for every date read, and a Lua call costs as much as the lookups).
  local function date(lab, y, m, d, ab, H, M, S2, aa, tz)
    local ys, ms, ds = years[y], months[m], days[d]
    local v
    if ys and ms and ds then
      if not H then
        v = ys .. "-" .. ms .. "-" .. ds
      else
        local h, Ms, Ss = hour[H], not M and "00" or minutes[M], not S2 and "00" or seconds[S2]
        local ampm = aa or ab
        if ampm == "pm" then
          if h < 12 then h = h + 12 end
        elseif ampm == "am" and h == 12 then
          h = 0
        end
        if h > 23 or not Ms or not Ss then return end
        v = ys .. "-" .. ms .. "-" .. ds .. "T" .. two[h] .. ":" .. Ms .. ":" .. Ss .. (tz or "+09:00")
      end
    else
      v = iso_slow(y, m, d, H, M, S2, aa or ab, tz)
      if not v then return end
    end
    return { iso = v, label = lab, kind = lab and kind[lab] }
  end
  -- A user's form leaves named groups in a table (with the label, which the
  -- form may even set), read field by field.
  local function user(t)
    local lab = t.label
    local v = iso_of(t.y, t.m, t.d, t.H, t.M, t.S, t.ampm, t.tz)
    if v then return { iso = v, label = lab, kind = lab and kind[lab] } end
  end
  -- Forms in order: runs of shipped ones share one function capture, a user's
  -- form is an alternative of its own (label^-1 * x + label^-1 * y is
  -- label^-1 * (x + y), since a label matches the same whatever follows).
  local item, item_c, run, all_shipped = P(false), P(false), nil, true
  local function flush()
    if run then
      item = item + (label * P"[" ^ -1 * year * run * P"]" ^ -1) / date
      item_c = item_c + (label_c * P"[" ^ -1 * year * run * P"]" ^ -1) / date
      run = nil
    end
  end
  for _, fm in ipairs(forms) do
    local fast = twin[fm.pattern]
    if fast then run = run and run + fast or fast
    else
      all_shipped = false
      flush()
      item = item + Ct((Cg(C(any), "label") * after) ^ -1 * P"[" ^ -1 * L.compile(fm.pattern)
        * P"]" ^ -1) / user
      item_c = item_c + Ct(Cg(C(any), "label") * sp0 * (S":：" + P"ㅣ") * sp0 * P"[" ^ -1
        * L.compile(fm.pattern) * P"]" ^ -1) / user
    end
  end
  flush()
  local gap = (sp + S"|·,/" + P"ㅣ" + P"｜") ^ 1
  local g = { kind = kind }
  -- a label starts a word: inside a word (past a Hangul character that starts
  -- no date) only a label with its colon is one ("컴퓨팅입력 :…"), so a name
  -- like 하수정 holds no "수정" label
  local scan_p = Ct((item + L.hangul * (item_c + L.hangul) ^ 0 + L.char) ^ 0)
  local line_p = Ct(sp0 * P"(" ^ -1 * item * (gap ^ -1 * item) ^ 0 * P")" ^ -1 * L.eol)
  -- What a line can start with when every form is a shipped one (a digit):
  -- most lines fail this test, which costs less than a call to LPeg.
  local first = all_shipped and first_bytes(names)
  -- The methods are closures in the grammar itself: a call through the
  -- metatable and field reads cost as much as the test above.
  --- Every date in s: list of {iso=, label=, kind="published"|"modified"|nil}.
  function g.scan(_, s)
    return match(scan_p, s)
  end
  --- The dates when s is nothing but dates (with labels and separators), else nil.
  function g.line(_, s)
    if first then
      local b1, b2, b3 = byte(s, 1, 3)
      if not b1 or not (first[b1] or b3 and first[b1 << 16 | b2 << 8 | b3]) then return nil end
    end
    local list = match(line_p, s)
    if not list or list[1] == nil then return nil end
    return list
  end
  return g
end

--- Fill rec.published / rec.modified from a list of dates: labelled ones where
--- their label says, unlabelled ones published first, then modified.
function D.assign(rec, dates)
  for i = 1, #dates do
    local dt = dates[i]
    local k = dt.kind
    if not k then k = rec.published and "modified" or "published" end
    if rec[k] == nil then rec[k] = dt.iso end
  end
end

--- The grammar of the shipped forms and labels.
D.default = D.compile()

return D
