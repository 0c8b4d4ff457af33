-- dates_reference: the date grammar written the plain way, the oracle that
-- gisa.rules.dates is checked against (tests/dates_test.lua). The shipped
-- grammar is tuned for speed; this one builds each date with a Ct of named
-- groups, a `/ tonumber` per field, the labels as one longest-first choice and
-- string.format, so a mistake in the tuning shows as a difference. It returns
-- a function that builds a module shaped like gisa.rules.dates (fields,
-- forms, labels, compile, default, iso).

local lpeg = require "lpeg"

local function reference()
  local L = require "gisa.rules.lib"
  local P, S, C, Ct, Cg, Cc = lpeg.P, lpeg.S, lpeg.C, lpeg.Ct, lpeg.Cg, lpeg.Cc
  local format, tonumber = string.format, tonumber

  local D = {}

  local sp, digit = L.sp, L.digit
  local sp0 = sp ^ 0

  ------------------------------------------------------------------------------
  -- Pieces a form is made of
  ------------------------------------------------------------------------------

  -- MIN to MAX digits (LPeg's p^n means "at least n", so the MIN are spelled out)
  local function num(name, min, max)
    local p = P(true)
    for _ = 1, min do p = p * digit end
    if max > min then p = p * digit ^ -(max - min) end
    return Cg(p / tonumber, name)
  end

  local f = {}
  f.y = num("y", 4, 4)
  f.m = num("m", 1, 2)
  f.d = num("d", 1, 2)
  f.H = num("H", 1, 2)
  f.M = num("M", 2, 2)
  f.S = num("S", 2, 2) * (P"." * digit ^ 1) ^ -1
  f.weekday = sp0 * (P"(" + P"[") * L.hangul * (P")" + P"]")
  f.ampm_before = Cg(P"오전" * Cc"am" + P"오후" * Cc"pm" + P"AM" * Cc"am" + P"PM" * Cc"pm"
    + P"새벽" * Cc"am" + P"밤" * Cc"pm", "ampm") * sp0
  f.ampm_after = sp0 * Cg((P"AM" + P"am" + P"a.m.") * Cc"am" + (P"PM" + P"pm" + P"p.m.") * Cc"pm", "ampm")
  f.tz = sp0 * Cg(
    (P"(KST)" + P"KST") * Cc"+09:00"
    + (P"(GMT)" + P"(UTC)" + P"GMT" + P"UTC" + P"Z") * Cc"+00:00"
    + C(S"+-" * digit * digit * P":" ^ -1 * digit * digit) / function(s)
        s = s:gsub(":", ""); return s:sub(1, 3) .. ":" .. s:sub(4, 5) end, "tz")
  D.fields = f

  local dsep = sp0 * S".-/" * sp0
  local time_colon = f.ampm_before ^ -1 * f.H * P":" * f.M * (P":" * f.S) ^ -1 * f.ampm_after ^ -1
  local time_kor = f.ampm_before ^ -1 * f.H * sp0 * P"시" * (sp0 * f.M * sp0 * P"분") ^ -1
    * (sp0 * f.S * sp0 * P"초") ^ -1
  local time = time_colon + time_kor + P"(" * sp0 * (time_colon + time_kor) * sp0 * P")"

  ------------------------------------------------------------------------------
  -- The forms, tried in order (first match wins)
  ------------------------------------------------------------------------------

  D.forms = {
    { id = "iso", pattern = f.y * P"-" * f.m * P"-" * f.d * P"T" * f.H * P":" * f.M
        * (P":" * f.S) ^ -1 * f.tz ^ -1 },
    -- 2023.03.14 16:00 · 2023-09-05 오후 2:30 · 2023/12/26 17:07 · 2023. 3. 14. 오후 4:00
    { id = "ymd", pattern = f.y * dsep * f.m * dsep * f.d * (sp0 * P".") ^ -1 * f.weekday ^ -1
        * (sp0 * time) ^ -1 * f.tz ^ -1 },
    -- 2023년 3월 14일 16시 00분 · 2023년 3월 14일(화) 오후 4:00
    { id = "korean", pattern = f.y * sp0 * P"년" * sp0 * f.m * sp0 * P"월" * sp0 * f.d * sp0 * P"일"
        * f.weekday ^ -1 * (sp0 * time) ^ -1 * f.tz ^ -1 },
  }

  --- Labels before a date, and which field each one fills.
  D.labels = {
    published = { "기사입력", "송고시간", "최초입력", "최초 입력", "입력시간", "입력일", "입력", "등록일", "등록",
      "작성일", "작성", "게재일", "게재", "승인", "발행일", "발행", "송고", "Posted", "Published" },
    modified = { "최종수정", "최종 수정", "수정시간", "수정일", "수정", "업데이트", "갱신",
      "Updated", "Modified" },
  }

  ------------------------------------------------------------------------------
  -- Compiling a grammar from forms and labels
  ------------------------------------------------------------------------------

  local function iso(t)
    local y, m, d = t.y, t.m, t.d
    if not (y and m and d) or m < 1 or m > 12 or d < 1 or d > 31 then return nil end
    if not t.H then return format("%04d-%02d-%02d", y, m, d) end
    local H, M, S2 = t.H, t.M or 0, t.S or 0
    if t.ampm == "pm" and H < 12 then H = H + 12 elseif t.ampm == "am" and H == 12 then H = 0 end
    if H > 23 or M > 59 or S2 > 60 then return nil end
    return format("%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, H, M, S2, t.tz or "+09:00")
  end
  D.iso = iso

  local G = {}
  G.__index = G

  --- Build a grammar: forms (list of {id, pattern}) and labels ({published=, modified=}).
  function D.compile(forms, labels)
    forms, labels = forms or D.forms, labels or D.labels
    local kind = {}
    local names = {}
    for k, list in pairs(labels) do
      for _, s in ipairs(list) do kind[s] = k; names[#names + 1] = s end
    end
    local form = P(false)
    for _, fm in ipairs(forms) do form = form + L.compile(fm.pattern) end
    local label = Cg(C(L.any(names)), "label") * sp0 * (S":：" + P"ㅣ") ^ -1 * sp0
    local item = Ct(label ^ -1 * P"[" ^ -1 * form * P"]" ^ -1)
    local gap = (sp + S"|·,/" + P"ㅣ" + P"｜") ^ 1
    local g = setmetatable({ kind = kind }, G)
    g.item = item
    g.scan_p = Ct((item + L.char) ^ 0)
    g.line_p = Ct(sp0 * P"(" ^ -1 * item * (gap ^ -1 * item) ^ 0 * P")" ^ -1 * L.eol)
    g.start_p = sp0 * item * lpeg.Cp()
    return g
  end

  local function finish(g, list)
    local out = {}
    for _, t in ipairs(list) do
      local v = iso(t)
      if v then out[#out + 1] = { iso = v, label = t.label, kind = t.label and g.kind[t.label] } end
    end
    return out
  end

  --- Every date in s: list of {iso=, label=, kind="published"|"modified"|nil}.
  function G:scan(s)
    return finish(self, self.scan_p:match(s))
  end

  --- The dates when s is nothing but dates (with labels and separators), else nil.
  function G:line(s)
    local list = self.line_p:match(s)
    if not list then return nil end
    local out = finish(self, list)
    if #out == 0 then return nil end
    return out
  end

  --- Fill rec.published / rec.modified from a list of dates: labelled ones where
  --- their label says, unlabelled ones published first, then modified.
  function D.assign(rec, dates)
    for _, dt in ipairs(dates) do
      local k = dt.kind
      if not k then k = rec.published and "modified" or "published" end
      if rec[k] == nil then rec[k] = dt.iso end
    end
  end

  --- The grammar of the shipped forms and labels.
  D.default = D.compile()
  return D
end

return reference
