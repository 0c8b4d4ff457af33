-- The date grammar (gisa.rules.dates) against a plain formulation of it
-- (tests/lib/dates_reference.lua): the same dates from G:line and G:scan, deep-equal, on
-- every line of corpus/, ../shared/corpus and thousands of generated articles,
-- and on hand-made dates in every form docs/rules.md lists and near-misses.
-- Then a user's forms and labels, and D.iso.
local t = require "t"
local lpeg = require "lpeg"
local dates = require "gisa.rules.dates"
local sys = require "gisa.sys"

-- The reference (tests/lib/dates_reference.lua): the same grammar written the
-- plain way; every result of gisa.rules.dates must equal its result.
local old = require("dates_reference")()
local new = dates

-- Both grammars on s, line and scan: equal results, or the case that differs.
local function same(og, ng, s, what)
  local a, b = og:line(s), ng:line(s)
  if not t.deepeq(a, b) then
    t.eq(b, a, (what or "") .. " line " .. string.format("%q", s))
  end
  a, b = og:scan(s), ng:scan(s)
  if not t.deepeq(a, b) then
    t.eq(b, a, (what or "") .. " scan " .. string.format("%q", s))
  end
end

-- Lines of a file: raw, and decoded when it is in another encoding.
local function add_lines(set, bytes)
  local text = bytes
  if not utf8.len(bytes) then
    local dec = require("gisa.enc").decode(bytes)
    if dec then text = dec end
  end
  for _, s in ipairs(text == bytes and { bytes } or { bytes, text }) do
    for l in (s .. "\n"):gmatch("([^\n]*)\n") do
      l = l:gsub("\r$", "")
      set[l] = true
      -- the parts of a byline line between bars, as the byline rule reads them
      if l:find("|", 1, true) then
        for p in (l .. "|"):gmatch("%s*(.-)%s*|") do set[p] = true end
      end
    end
  end
end

local function lines_of_dir(dir, set, limit)
  local n = 0
  local function walk(d)
    for _, name in ipairs(sys.listdir(d) or {}) do
      if limit and n >= limit then return end
      local p = d .. "/" .. name
      if sys.isdir and sys.isdir(p) or (not name:find("%.") and sys.listdir(p)) then
        walk(p)
      elseif name:find("%.txt$") or name:find("%.html?$") then
        local bytes = sys.readfile(p)
        if bytes then add_lines(set, bytes); n = n + 1 end
      end
    end
  end
  walk(dir)
  return n
end

-- Compare on every line of the set; how many lines, and how many were dates.
local function compare_set(set, what)
  local n, dated = 0, 0
  for s in pairs(set) do
    same(old.default, new.default, s, what)
    n = n + 1
    if old.default:line(s) then dated = dated + 1 end
  end
  t.ok(dated > 0, what .. ": some lines are dates")
  return n
end

------------------------------------------------------------------------------
-- Real and generated lines
------------------------------------------------------------------------------

t.test("dates: the same as the reference grammar on every line of corpus/", function()
  local set = {}
  t.ok(lines_of_dir(t.root .. "/corpus", set) >= 10, "corpus/ has articles")
  t.ok(compare_set(set, "corpus/") > 100)
end)

t.test("dates: the same as the reference grammar on every line of ../shared/corpus", function()
  local dir = t.need_shared()
  local set = {}
  t.ok(lines_of_dir(dir, set) >= 5)
  compare_set(set, "shared")
end)

t.slow("dates: the same as the reference grammar on the lines of 3,000 generated articles", function()
  local dir = t.root .. "/bench/data/gen-20000"
  if not sys.listdir(dir) then
    dir = t.tmpdir() .. "/gen-3000"
    local r = t.gisa({ t.root .. "/bench/gen.lua", "3000", dir })
    t.eq(r.code, 0, "bench/gen.lua: " .. r.err)
  end
  local set = {}
  t.eq(lines_of_dir(dir, set, 3000), 3000)
  t.ok(compare_set(set, "generated") > 3000)
end)

------------------------------------------------------------------------------
-- Hand-made dates: every form, label and separator, and near-misses
------------------------------------------------------------------------------

local prefixes = { "", " ", "(", "[", "\194\160", "\227\128\128", "그는 ", "\t" }
local labels = { "", "입력 ", "입력", "입력: ", "입력 :", "수정：", "수정:", "기사입력 ", "최종 수정 ",
  "최종수정", "최초 입력 ", "최초입력", "Posted ", "Published: ", "Updated ", "Modified:",
  "송고시간", "송고 ", "입력ㅣ", "입력 ㅣ ", "보도 ", "고침 ", "수정일 : ", "등록일", "입 력 ",
  "업데이트 ", "승인: ", "게재 ", "발행일", "작성 ", "갱신 " }
local days = { "2023.03.14", "2023-3-4", "2023/12/26", "2023. 3. 14.", "2023.03.14.", "2023 . 03 . 14",
  "2023년 3월 14일", "2023년3월14일", "2023 년 03 월 04 일", "2024-03-14T07:00:00Z",
  "2024-03-14T07:00", "2024-03-14T07:00:00+0900", "2024-03-14T07:00:00.123-05:00", "2024-03-14T24:00",
  "2023.13.14", "2023.00.10", "2023.12.32", "2023.12.00", "2023.02.30", "23.03.14", "20233.03.14",
  "2023.3", "0000.01.01", "9999.12.31", "2023-12-31T23:59:60Z", "2023-12-31T23:59:61", "2023.1.1" }
local weekdays = { "", "(화)", " (화)", "[화]", "(Tue)", " (일)" }
local times = { "", " 16:00", " 4:05", " 16:00:09", " 16:00:60", " 16:00:61", " 24:00", " 23:59", " 00:00",
  " 12:30 AM", " 12:30 PM", " 12:30PM", " 0:30 am", " 11:30 p.m.", " 1:15 a.m.", " 오전 12:05",
  " 오후 12시", " 오후 12:00", " 오후 2:30", " 새벽 3시 20분", " 밤 11시", " 밤 12시", " 16시", " 16시 00분",
  " 16시 5분", " 16시 00분 30초", " 16시 61분", " (16:00)", " ( 오후 4:00 )", " 25:00", " 13:61",
  " 오후 2:30 PM", " PM 2:30", " AM 12:01", "16:00", " 16:00:09.5", " 16:0", " 99:99", " 9:99:99",
  " 오후 13:00", " 오전 0시" }
local zones = { "", " KST", "(KST)", " (GMT)", " UTC", "Z", " +09:00", " -0500", "+0530", " (UTC)", " GMT" }
local trails = { "", " ", "  수정 2023.03.15 10:00", " · 수정: 2023-03-15", " | 고침 2024.01.01",
  " 발표했다", ")", " ]", "]", "\194\160", "|", " / 2023.01.02", ",2023.01.02 10:00", "ㅣ수정 2023.1.2",
  "｜수정 2023.1.2", "\227\128\128" }

t.test("dates: the same as the reference grammar on every form with every time", function()
  for _, d in ipairs(days) do
    for _, w in ipairs(weekdays) do
      for _, tm in ipairs(times) do same(old.default, new.default, d .. w .. tm) end
    end
    for _, z in ipairs(zones) do same(old.default, new.default, d .. " 16:00" .. z) end
  end
end)

t.slow("dates: the same as the reference grammar on 30,000 combinations of labels, forms and trails", function()
  local lists = { prefixes, labels, days, weekdays, times, zones, trails }
  local seed = 12345
  local function pick(list)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return list[seed % #list + 1]
  end
  for _ = 1, 30000 do
    local parts = {}
    for i, list in ipairs(lists) do parts[i] = pick(list) end
    same(old.default, new.default, table.concat(parts))
  end
end)

t.test("dates: the same as the reference grammar on odd lines", function()
  local cases = { "", " ", "   ", "\t", "\194\160", "2", "20", "2023", "2023.", "2023.03", "입력", "입력 ",
    "수정:", "(", ")", "()", "[]", "(2023.03.14)", "[2023.03.14]", "(입력 2023.03.14)", "입력 [2023.03.14]",
    "2023.03.14 2023.03.15", "2023.03.14수정2023.03.15", "2023.03.14,2023.03.15", "2023.03.14··2023.03.15",
    "\194\1832023.03.14", "2023.03.14\194", "\2392023.03.14", "입력\1882023.03.14", "입력\1542023.03.14",
    "수정ㅣ2023.03.14", "입력\239\188\1542023.03.14", string.rep("2023.03.14 ", 200),
    string.rep("가", 5000), string.rep("2", 5000), "\255\254\253", "2023.03.14\0", "1. 1 \"월급\"",
    "2026년 하반기 가동 목표", "20일 발표", "2023.03.14 16:00 KST KST", "2023.03.14 16:00 +09",
    "2023.03.14 오후", "2023.03.14 오후 ", "2023-03-14T16:00:00", "2023-03-14T16:00:00.5Z" }
  for _, s in ipairs(cases) do same(old.default, new.default, s) end
end)

------------------------------------------------------------------------------
-- A user's forms and labels
------------------------------------------------------------------------------

-- The same user forms built from each module's own fields (the old fields
-- leave numbers, the new ones digits).
local function user_grammar(D, where)
  local P, R, Cg = lpeg.P, lpeg.R, lpeg.Cg
  local f = D.fields
  local D2 = R"09" * R"09" / tonumber
  local compact = { id = "compact", pattern = f.y * Cg(D2, "m") * Cg(D2, "d") * P"-" * Cg(D2, "H") * f.M }
  local bang = { id = "bang", pattern = D.forms[2].pattern * P"!" }
  local dotted = { id = "dotted", pattern = f.d * P"/" * f.m * P"/" * f.y * (P" " * f.H * P"h" * f.M) ^ -1
    * f.tz ^ -1 }
  local forms = {}
  for _, x in ipairs(D.forms) do forms[#forms + 1] = x end
  table.insert(forms, where, compact)
  table.insert(forms, 1, bang)
  forms[#forms + 1] = dotted
  return D.compile(forms, { published = { "보도", "입력" }, modified = { "고침", "수정" }, other = { "Date:" } })
end

t.test("dates: a user's forms and labels read as the reference grammar reads them", function()
  local lines = { "보도 20240520-0915 고침 2024.05.20 11:40", "20240520-0915", "2024.05.20 11:40!",
    "입력 2024.05.20 11:40", "Date: 14/03/2024 07h05 UTC", "14/03/2024", "31/13/2024", "보도20241320-0915",
    "고침 2024년 5월 20일 오후 3시", "입력 2024-05-20T09:15:00Z", "보도 20240520-2515", "Date:2024.05.20" }
  for where = 1, 4 do
    local og, ng = user_grammar(old, where), user_grammar(new, where)
    for _, s in ipairs(lines) do same(og, ng, s, "user form at " .. where) end
    for _, d in ipairs(days) do
      for _, tm in ipairs(times) do same(og, ng, "보도 " .. d .. tm) end
    end
  end
  -- labels alone, on the shipped forms
  local og = old.compile(old.forms, { published = { "보도" }, modified = { "고침", "정정 보도" } })
  local ng = new.compile(new.forms, { published = { "보도" }, modified = { "고침", "정정 보도" } })
  for _, s in ipairs{ "보도 2024.05.20 09:15 고침 2024.05.20 11:40", "정정 보도 2024.05.20", "입력 2024.05.20",
    "정정 2024.05.20", "보도:2024.05.20" } do
    same(og, ng, s)
  end
end)

t.test("dates: a user's form may leave digits as strings, as `re` named groups do", function()
  local g = dates.compile({ { id = "slash", pattern = "{:d: %d%d :} '/' {:m: %d%d :} '/' {:y: %d^4 :}" } },
    dates.labels)
  local d = g:line("입력 14/03/2024")
  t.eq(d, { { iso = "2024-03-14", label = "입력", kind = "published" } })
  t.eq(g:line("입력 14/13/2024"), nil)
end)

t.test("dates: D.iso as the reference iso on numbers, and the same on digit strings", function()
  local seed = 7
  local function r(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  end
  local ys = { 0, 5, 999, 2023, 9999, 12345 }
  for _ = 1, 20000 do
    local f = { y = ys[r(#ys) + 1], m = r(14), d = r(33) }
    if r(4) > 0 then
      f.H = r(26)
      if r(3) > 0 then f.M = r(62) end
      if r(3) == 0 then f.S = r(62) end
      local a = r(4)
      f.ampm = a == 1 and "am" or a == 2 and "pm" or nil
      if r(5) == 0 then f.tz = "+00:00" end
    end
    local want = old.iso(f)
    t.eq(new.iso(f), want, "numbers")
    local s = {}
    for k, v in pairs(f) do s[k] = v end
    for _, k in ipairs{ "y", "m", "d", "H", "M", "S" } do
      if type(s[k]) == "number" then s[k] = string.format(k == "y" and "%04d" or "%02d", s[k]) end
    end
    t.eq(new.iso(s), want, "digit strings")
  end
end)
