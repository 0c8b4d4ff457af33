-- gisa.text against the baselines a Lua user would otherwise have, on ~100 MB of
-- Korean text (bench/data/text100.txt, made here from the sample articles in
-- corpus/ that are valid UTF-8, or from a paragraph of our own). Each line is a
-- ratio against a baseline measured in the same run; times are medians.
local b = require "lib"
local text = require "gisa.text"
package.path = "tests/lib/?.lua;" .. package.path
local oracle = require "oracle"   -- utf8proc itself: the baseline
local sys = require "gisa.sys"

local MB = tonumber(os.getenv("TEXT_BENCH_MB") or "100")
local DATA = "bench/data/text" .. MB .. ".txt"

-- our own paragraph, for when corpus/ is absent
local OWN = [[
정부는 올해 경제성장률 전망치를 2.5%에서 2.2%로 낮췄다. 기획재정부 관계자는 "수출 회복이 예상보다 늦어지고 있다"며 "하반기에는 반도체 경기가 살아날 것"이라고 말했다.
한편 AI 연구원들은 GPT-4 같은 대규모 언어모델(LLM)의 R&D 투자를 늘리고 있다. 업계에서는 3년 안에 시장 규모가 1,000억원을 넘을 것으로 본다.
]]

local function make_data()
  local st, size = sys.stat(DATA)
  if st == "file" and size >= MB * 1000000 then return end
  os.execute("mkdir -p bench/data")
  local parts = {}
  if sys.stat("corpus") == "dir" then
    for _, name in ipairs(sys.listdir("corpus")) do
      if name:find("%.txt$") then
        local s = sys.readfile("corpus/" .. name)
        if s and text.valid(s) then parts[#parts + 1] = text.normalize(s, "NFC") end
      end
    end
  end
  if #parts == 0 then parts[1] = OWN end
  local unit = table.concat(parts, "\n")
  local f = assert(io.open(DATA, "wb"))
  local reps = math.ceil(MB * 1000000 / #unit)
  local chunk = unit:rep(math.max(1, math.floor(4000000 / #unit)))
  local written = 0
  while written < reps * #unit do
    f:write(chunk)
    written = written + #chunk
  end
  f:close()
end

make_data()
local _, bytes = sys.stat(DATA)
b.note("data", string.format("%s: %.1f MB", DATA, bytes / 1e6))

-- reading the file
local t_io = b.time(function()
  local f = assert(io.open(DATA, "rb"))
  local s = f:read("a")
  f:close()
  assert(#s == bytes)
end)
local t_map = b.time(function()
  local m = assert(text.map(DATA))
  assert(#m == bytes)
  m:close()
end)
b.report("read 100 MB: text.map vs io.read('a')", t_map, t_io, nil, "(no copy against a copy: not like for like)")
local t_rf = b.time(function() assert(#sys.readfile(DATA) == bytes) end)
b.report("read 100 MB: sys.readfile vs io.read('a')", t_rf, t_io, nil, "(a Lua string: one copy)")
local t_mapvalid = b.time(function()
  local m = assert(text.map(DATA))
  assert(text.valid(m))
  m:close()
end)
local t_iolen = b.time(function()
  local f = assert(io.open(DATA, "rb"))
  local s = f:read("a")
  f:close()
  assert(utf8.len(s))
end)
b.report("read + validate: map+valid vs io.read+utf8.len", t_mapvalid, t_iolen)

local s = sys.readfile(DATA)

-- len / valid
local n_lua = utf8.len(s)
assert(text.len(s) == n_lua)
local t_ulen = b.time(function() utf8.len(s) end)
b.report("len vs utf8.len", b.time(function() text.len(s) end), t_ulen, 3.5)
b.report("valid vs utf8.len", b.time(function() text.valid(s) end), t_ulen, 3.5)

-- classes and width against the Lua loop a user would write
local function lua_hangul(x)
  local h = 0
  for _, c in utf8.codes(x) do
    if c >= 0xAC00 and c <= 0xD7A3 then h = h + 1 end
  end
  return h
end
local function lua_width(x)
  local w = 0
  for _, c in utf8.codes(x) do
    if c < 0x20 or c == 0x7F then
      -- control: no columns
    elseif (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0x1100 and c <= 0x115F) or (c >= 0x2E80 and c <= 0xA4CF)
        or (c >= 0xF900 and c <= 0xFAFF) or (c >= 0xFF00 and c <= 0xFF60) or (c >= 0xFFE0 and c <= 0xFFE6) then
      w = w + 2
    else
      w = w + 1
    end
  end
  return w
end
assert(text.classes(s).hangul >= lua_hangul(s))   -- classes also counts jamo
local t_lh = b.time(function() lua_hangul(s) end)
b.report("classes (8 classes) vs Lua utf8.codes Hangul count", b.time(function() text.classes(s) end), t_lh, 7)
b.report("width vs Lua utf8.codes width loop", b.time(function() text.width(s) end),
  b.time(function() lua_width(s) end), 7)

-- normalization against utf8proc's own
assert(text.normalize(s, "NFC") == s)
b.report("normalize NFC on NFC text vs utf8proc", b.time(function() text.normalize(s, "NFC") end),
  b.time(function() oracle.utf8proc(s, "NFC") end), 10)
local nfd = text.normalize(s, "NFD")
s = nil
collectgarbage("collect")
assert(text.normalize(nfd, "NFC") == oracle.utf8proc(nfd, "NFC"))
b.report(string.format("normalize NFC on NFD text (%.0f MB) vs utf8proc", #nfd / 1e6),
  b.time(function() text.normalize(nfd, "NFC") end), b.time(function() oracle.utf8proc(nfd, "NFC") end), 1.3)
nfd = nil
collectgarbage("collect")
s = sys.readfile(DATA)

-- word frequencies
local function gmatch_counts(x)
  local t = {}
  for w in x:gmatch("%S+") do t[w] = (t[w] or 0) + 1 end
  return t
end
local function iter_counts(x)
  local t = {}
  for w in text.words(x) do t[w] = (t[w] or 0) + 1 end
  return t
end
local t_gm = b.time(function() gmatch_counts(s) end)
b.report("words(s, counts) vs gmatch('%S+') count", b.time(function() text.words(s, {}) end), t_gm, 4)
b.report("for w in words(s) count vs gmatch('%S+') count", b.time(function() iter_counts(s) end), t_gm, nil,
  "(the iterator: one Lua string per word)")
