-- Unicode's own conformance files against gisa.text: every line of
-- NormalizationTest.txt (all four forms, the c1..c5 invariants, and the
-- character-by-character part 1 rule for every other code point) and every case
-- of GraphemeBreakTest.txt. Debian's unicode-data package holds both.
local t = require "t"
local text = require "gisa.text"

local NORM = "/usr/share/unicode/NormalizationTest.txt.bz2"
local GRAPH = "/usr/share/unicode/auxiliary/GraphemeBreakTest.txt"

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function decode_field(f)
  local cps = {}
  for h in f:gmatch("%x+") do cps[#cps + 1] = tonumber(h, 16) end
  return text.char(table.unpack(cps))
end

local function hex(s)
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = string.format("%04X", c) end
  return table.concat(out, " ")
end

local function read_norm()
  if not exists(NORM) then t.skip(NORM .. " is absent (apt-get install unicode-data)") end
  local p = assert(io.popen("bzcat " .. t.shquote(NORM)))
  local data = p:read("a")
  p:close()
  if #data < 1000 then t.skip("bzcat could not read " .. NORM) end
  return data
end

t.slow("NormalizationTest.txt: every line, four forms, c1..c5 invariants", function()
  local data = read_norm()
  local N = text.normalize
  local lines, failures = 0, {}
  local function check(got, want, what, line)
    if got ~= want and #failures < 10 then
      failures[#failures + 1] = string.format("%s: got %s want %s  (line: %s)", what, hex(got), hex(want), line)
    end
  end
  for line in data:gmatch("[^\n]+") do
    if not line:find("^[#@]") then
      local f1, f2, f3, f4, f5 = line:match("^([^;]*);([^;]*);([^;]*);([^;]*);([^;]*);")
      local c = { decode_field(f1), decode_field(f2), decode_field(f3), decode_field(f4), decode_field(f5) }
      lines = lines + 1
      for i = 1, 3 do
        check(N(c[i], "NFC"), c[2], "NFC(c" .. i .. ")", line)
        check(N(c[i], "NFD"), c[3], "NFD(c" .. i .. ")", line)
      end
      for i = 4, 5 do
        check(N(c[i], "NFC"), c[4], "NFC(c" .. i .. ")", line)
        check(N(c[i], "NFD"), c[5], "NFD(c" .. i .. ")", line)
      end
      for i = 1, 5 do
        check(N(c[i], "NFKC"), c[4], "NFKC(c" .. i .. ")", line)
        check(N(c[i], "NFKD"), c[5], "NFKD(c" .. i .. ")", line)
      end
      -- the fast check must agree with the forms
      for i = 1, 5 do
        local want = { NFC = i <= 3 and c[2] or c[4], NFD = i <= 3 and c[3] or c[5], NFKC = c[4], NFKD = c[5] }
        for form, w in pairs(want) do
          local is = text.is_normalized(c[i], form)
          if is ~= (c[i] == w) and #failures < 10 then
            failures[#failures + 1] = string.format("is_normalized(c%d, %s) = %s (line: %s)", i, form,
              tostring(is), line)
          end
        end
      end
    end
  end
  t.eq(#failures, 0, table.concat(failures, "\n"))
  t.ok(lines > 19000, "expected every line, read " .. lines)
end)

t.slow("NormalizationTest.txt part 1: every code point not listed is its own normal form", function()
  local data = read_norm()
  local part1 = data:match("@Part1.-\n(.-)@Part2")
  local listed = {}
  for h in part1:gmatch("\n?(%x+);") do listed[tonumber(h, 16)] = true end
  t.ok(next(listed), "part 1 parsed")
  local N, ch = text.normalize, text.char
  local bad, checked = {}, 0
  for cp = 0, 0x10FFFF do
    if not listed[cp] and (cp < 0xD800 or cp > 0xDFFF) then
      local s = ch(cp)
      checked = checked + 1
      if N(s, "NFC") ~= s or N(s, "NFD") ~= s or N(s, "NFKC") ~= s or N(s, "NFKD") ~= s then
        if #bad < 10 then bad[#bad + 1] = string.format("U+%04X", cp) end
      end
    end
  end
  t.eq(#bad, 0, "not invariant: " .. table.concat(bad, " "))
  t.ok(checked > 1000000, "checked " .. checked)
end)

t.slow("GraphemeBreakTest.txt: every case", function()
  if not exists(GRAPH) then t.skip(GRAPH .. " is absent (apt-get install unicode-data)") end
  local cases, failures = 0, {}
  for line in io.lines(GRAPH) do
    local rule = line:gsub("#.*", "")
    if rule:find("%S") then
      cases = cases + 1
      -- "÷ 0020 × 0308 ÷ 0020 ÷": the expected clusters
      local want, cur, s = {}, {}, {}
      for tok in rule:gmatch("%S+") do
        if tok == "÷" then
          if #cur > 0 then want[#want + 1] = table.concat(cur); cur = {} end
        elseif tok ~= "×" then
          local c = text.char(tonumber(tok, 16))
          cur[#cur + 1] = c
          s[#s + 1] = c
        end
      end
      local got = {}
      for _, g in text.graphemes(table.concat(s)) do got[#got + 1] = g end
      if not t.deepeq(got, want) and #failures < 10 then
        local gh = {}
        for i, g in ipairs(got) do gh[i] = hex(g) end
        failures[#failures + 1] = rule .. "  got: " .. table.concat(gh, " | ")
      end
    end
  end
  t.eq(#failures, 0, table.concat(failures, "\n"))
  t.ok(cases >= 600, "expected every case, read " .. cases)
end)
