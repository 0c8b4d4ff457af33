-- gisa.hangul and gisa.hash on ~20 MB of Korean text (bench/data/hangul20.txt,
-- made here from the lines of our sample articles in corpus/, shuffled, or from
-- a paragraph of our own). Per-word decompose and choseong against pure-Lua
-- versions (utf8.codes + arithmetic) and against gsub with a lookup table;
-- MinHash and SimHash throughput; strip_josa and search rates. Medians.
local b = require "lib"
local hangul = require "gisa.hangul"
local hash = require "gisa.hash"
local sys = require "gisa.sys"

local MB = tonumber(os.getenv("HANGUL_BENCH_MB") or "20")
local DATA = "bench/data/hangul" .. MB .. ".txt"

local OWN = [[
정부는 오픈소스 소프트웨어 생태계를 키우기 위해 내년부터 3년간 500억원을 투입한다고 밝혔다.
과학기술정보통신부 관계자는 "공공기관이 오픈소스를 도입할 때 필요한 기술 지원을 늘리겠다"고 말했다.
업계에서는 인공지능(AI) 반도체 시장이 빠르게 커지면서 개발자들의 수요도 함께 늘어날 것으로 본다.
]]

local function make_data()
  local st, size = sys.stat(DATA)
  if st == "file" and size >= MB * 1000000 then return end
  os.execute("mkdir -p bench/data")
  local lines = {}
  if sys.stat("corpus") == "dir" then
    for _, name in ipairs(sys.listdir("corpus")) do
      if name:find("%.txt$") then
        local s = sys.readfile("corpus/" .. name)
        if s and utf8.len(s) then
          for l in s:gmatch("[^\r\n]+") do
            if l:find("[\xEA-\xED]") then lines[#lines + 1] = l end
          end
        end
      end
    end
  end
  if #lines == 0 then for l in OWN:gmatch("[^\n]+") do lines[#lines + 1] = l end end
  math.randomseed(20)
  local f = assert(io.open(DATA, "wb"))
  local written, buf = 0, {}
  while written < MB * 1000000 do
    for i = 1, 1000 do buf[i] = lines[math.random(#lines)] end
    local chunk = table.concat(buf, "\n") .. "\n"
    f:write(chunk)
    written = written + #chunk
  end
  f:close()
end

make_data()
local s = sys.readfile(DATA)
b.note("data", string.format("%s: %.1f MB", DATA, #s / 1e6))

-- Every word (run of non-space) that holds a Hangul syllable.
local words, nsyl = {}, 0
for w in s:gmatch("%S+") do
  if w:find("[\xEA-\xED]") then words[#words + 1] = w end
end
for _, w in ipairs(words) do
  for _, c in utf8.codes(w) do
    if c >= 0xAC00 and c <= 0xD7A3 then nsyl = nsyl + 1 end
  end
end
b.note("hangul words", string.format("%d words, %d syllables", #words, nsyl))

-- Pure-Lua baselines ----------------------------------------------------------
local CHO = { "ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅉ",
  "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ" }
local JUNG = { "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ",
  "ㅜ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ" }
local JONG = { "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ",
  "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ",
  "ㅍ", "ㅎ" }
local codes, uchar, concat = utf8.codes, utf8.char, table.concat

local function lua_decompose(w)
  local out, n = {}, 0
  for _, c in codes(w) do
    n = n + 1
    if c >= 0xAC00 and c <= 0xD7A3 then
      local x = c - 0xAC00
      out[n] = CHO[x // 588 + 1] .. JUNG[x % 588 // 28 + 1] .. JONG[x % 28 + 1]
    else
      out[n] = uchar(c)
    end
  end
  return concat(out)
end

local function lua_choseong(w)
  local out, n = {}, 0
  for _, c in codes(w) do
    if c >= 0xAC00 and c <= 0xD7A3 then
      n = n + 1
      out[n] = CHO[(c - 0xAC00) // 588 + 1]
    elseif c == 32 then
      n = n + 1
      out[n] = " "
    end
  end
  return concat(out)
end

-- The fastest plain-Lua way we know: gsub over 3-byte sequences with a table
-- holding the answer for all 11,172 syllables (misses are kept as they are).
local DEC, CHOT = {}, {}
for cp = 0xAC00, 0xD7A3 do
  DEC[uchar(cp)] = lua_decompose(uchar(cp))
  CHOT[uchar(cp)] = lua_choseong(uchar(cp))
end
local SYL = "[\xEA-\xED][\x80-\xBF][\x80-\xBF]"
local gsub = string.gsub
local function gsub_decompose(w) return (gsub(w, SYL, DEC)) end

assert(hangul.decompose(words[1]) == lua_decompose(words[1]))
assert(hangul.decompose(words[#words]) == gsub_decompose(words[#words]))

local function per_word(f)
  return function()
    for i = 1, #words do f(words[i]) end
  end
end

local decompose, choseong = hangul.decompose, hangul.choseong
local t_dec = b.time(per_word(decompose))
local t_dec_lua = b.time(per_word(lua_decompose))
local t_dec_gsub = b.time(per_word(gsub_decompose))
b.report("decompose per word vs Lua utf8.codes", t_dec, t_dec_lua, nil,
  string.format("(%.1f M syllables/s; Lua %.1f M)", nsyl / t_dec / 1e6, nsyl / t_dec_lua / 1e6))
b.report("decompose per word vs Lua gsub+table", t_dec, t_dec_gsub, nil,
  string.format("(gsub %.1f M syllables/s)", nsyl / t_dec_gsub / 1e6))

local t_cho = b.time(per_word(choseong))
local t_cho_lua = b.time(per_word(lua_choseong))
b.report("choseong per word vs Lua utf8.codes", t_cho, t_cho_lua, nil,
  string.format("(%.1f M syllables/s; Lua %.1f M)", nsyl / t_cho / 1e6, nsyl / t_cho_lua / 1e6))

-- one call over the whole text
local nsyl_all = 0
for _ in s:gmatch(SYL) do nsyl_all = nsyl_all + 1 end   -- close enough: 3-byte chars
local t_dec_all = b.time(function() decompose(s) end)
local t_dec_all_gsub = b.time(function() gsub(s, SYL, DEC) end)
b.report("decompose whole text vs gsub+table", t_dec_all, t_dec_all_gsub, nil,
  string.format("(%.0f MB/s, %.0f M 3-byte chars/s)", #s / t_dec_all / 1e6, nsyl_all / t_dec_all / 1e6))
local t_cho_all = b.time(function() choseong(s) end)
local t_cho_all_gsub = b.time(function() gsub(gsub(s, SYL, CHOT), "[^\xE3 ]+", "") end)
b.report("choseong whole text vs gsub+table", t_cho_all, t_cho_all_gsub, nil,
  string.format("(%.0f MB/s)", #s / t_cho_all / 1e6))

-- other per-word and whole-text rates (no baseline of ours to compare)
local strip, romanize = hangul.strip_josa, hangul.romanize
local t_strip = b.time(per_word(strip))
b.note("strip_josa per word", string.format("%.2fs median: %.1f M words/s", t_strip, #words / t_strip / 1e6))
local t_rom = b.time(per_word(romanize))
b.note("romanize per word", string.format("%.2fs median: %.1f M syllables/s", t_rom, nsyl / t_rom / 1e6))
local nfound
local t_search = b.time(function() nfound = #hangul.search(s, "ㅇㅍㅅㅅ") end)
b.note("search 'ㅇㅍㅅㅅ' over the text", string.format("%.3fs median: %.0f MB/s, %d matches",
  t_search, #s / t_search / 1e6, nfound))

-- hashing: per article-sized chunk (5 KB), as the dups script would
local chunks = {}
for i = 1, #s, 5000 do
  local j = i + 4999
  while j < #s and s:byte(j + 1) and s:byte(j + 1) >= 0x80 and s:byte(j + 1) < 0xC0 do j = j + 1 end
  chunks[#chunks + 1] = s:sub(i, j)
  if i > #s then break end
end
local minhash, simhash = hash.minhash, hash.simhash
local t_min = b.time(function() for i = 1, #chunks do minhash(chunks[i], 128) end end)
b.note("minhash k=128, 3-char shingles", string.format("%.2fs median: %.1f MB/s", t_min, #s / t_min / 1e6))
local t_sim = b.time(function() for i = 1, #chunks do simhash(chunks[i]) end end)
b.note("simhash, 3-char shingles", string.format("%.2fs median: %.1f MB/s", t_sim, #s / t_sim / 1e6))
local hash64 = hash.hash64
local t_h64 = b.time(function() for i = 1, #chunks do hash64(chunks[i]) end end)
b.note("hash64 (xxHash64)", string.format("%.3fs median: %.0f MB/s", t_h64, #s / t_h64 / 1e6))

-- MinHash against the same algorithm in Lua, on the first 200 KB
local function lua_minhash(text, k)
  local cs = {}
  for _, c in codes(text) do cs[#cs + 1] = uchar(c) end
  local salt, mul, mins = {}, {}, {}
  for i = 1, k do salt[i] = hash64("s" .. i); mul[i] = hash64("m" .. i) | 1; mins[i] = math.maxinteger end
  local ult = math.ult
  for i = 1, #cs - 2 do
    local h = hash64(cs[i] .. cs[i + 1] .. cs[i + 2])
    for j = 1, k do
      local x = (h ~ salt[j]) * mul[j]
      if ult(x, mins[j]) then mins[j] = x end
    end
  end
  return mins
end
local small = {}
for i = 1, 40 do small[i] = chunks[i] end
local small_bytes = 0
for i = 1, #small do small_bytes = small_bytes + #small[i] end
local t_min_small = b.time(function() for i = 1, #small do minhash(small[i], 128) end end)
local t_min_lua = b.time(function() for i = 1, #small do lua_minhash(small[i], 128) end end, 3)
b.report("minhash k=128 vs the same in Lua (200 KB)", t_min_small, t_min_lua, nil,
  string.format("(Lua %.2f MB/s)", small_bytes / t_min_lua / 1e6))
