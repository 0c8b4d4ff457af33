-- gisa.minhash: signatures against gisa.hash.minhash (their top 32 bits), the
-- squeezed keys against Lua's gsub and utf8.len, lines() against text.lines,
-- the LSH candidates against every pair compared, the line tally's counts, the
-- triple list, and misuse.
local t = require "t"
local minhash = require "gisa.minhash"
local hash = require "gisa.hash"
local text = require "gisa.text"

local function squeeze(s) return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

-- A deterministic stream of texts: Hangul, Latin, spaces, newlines, bad bytes.
local function texts(n)
  local pieces = { "반도체", " ", "수출이", "\n", "늘었다.", "\t", "AI", "  ", "기자", "\r\n", "HBM",
    "\xff", "경제", "\r", "", "6~8개가", "o", "e\xcc\x81" }
  local out, seed = {}, 7
  for i = 1, n do
    local parts = {}
    for _ = 1, (i * 7) % 40 + 1 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      parts[#parts + 1] = pieces[seed % #pieces + 1]
    end
    out[i] = table.concat(parts)
  end
  return out
end

t.test("minhash.signature: the top 32 bits of gisa.hash.minhash, any k and shingle", function()
  for _, s in ipairs(texts(60)) do
    for _, k in ipairs({ 1, 7, 8, 13, 64, 128 }) do
      for _, w in ipairs({ 1, 3, 5 }) do
        local sig, ref = minhash.signature(s, k, w), hash.minhash(s, k, w)
        t.eq(#sig, 4 * k)
        for i = 1, k do
          if string.unpack("<I4", sig, 4 * i - 3) ~= (ref[i] >> 32) then
            error(string.format("slot %d of k=%d shingle=%d differs for %q", i, k, w, s))
          end
        end
      end
    end
  end
  t.eq(minhash.signature("", 4), string.rep("\xff", 16), "an empty text: every slot the largest value")
  -- more shingles than one block of hashes (256)
  local long = string.rep("가나다라마바사아자차카타파하", 100)
  local sig, ref = minhash.signature(long, 64, 5), hash.minhash(long, 64, 5)
  for i = 1, 64 do t.eq(string.unpack("<I4", sig, 4 * i - 3), ref[i] >> 32) end
end)

t.test("minhash.key and squeeze: Lua's %s squeezed, utf8.len, xxHash64 of the result", function()
  for _, s in ipairs(texts(200)) do
    local sq = squeeze(s)
    local got, n = minhash.squeeze(s)
    t.eq(got, sq)
    t.eq(n, utf8.len(sq))
    local key, n2 = minhash.key(s)
    t.eq(key, hash.hash64(sq))
    t.eq(n2, n)
  end
  t.eq(select(2, minhash.key("\xed\xa0\x80abc")), nil, "a surrogate is not UTF-8, as for utf8.len")
end)

t.test("minhash.join: the title and the body less DROP, joined by newlines and squeezed", function()
  local list = texts(120)
  for i = 1, #list - 6, 3 do
    local title = (i % 4 == 0) and false or (i % 4 == 1) and nil or list[i]
    local body = { list[i + 1], list[i + 2], list[i + 3], list[i + 4] }
    for _, drop in ipairs({ nil, {}, { [2] = true }, { [1] = true, [4] = true, [3] = false } }) do
      local parts = { title or "" }
      for j, p in ipairs(body) do if not (drop and drop[j]) then parts[#parts + 1] = p end end
      local sq = squeeze(table.concat(parts, "\n"))
      local got, n = minhash.join(title, body, drop)
      t.eq(got, sq)
      t.eq(n, utf8.len(sq))
    end
  end
  t.eq({ minhash.join(nil, {}) }, { "", 0 })
  t.eq(minhash.join("제목", { "하나", 2, nil, "넷" }), "제목 하나 2", "the items up to the first nil, numbers as text")
end)

t.test("minhash.lines: each new line of 10 characters or more, squeezed, with its number", function()
  for _, s in ipairs(texts(80)) do
    local want, seen, n = {}, {}, 0
    for line in text.lines(s) do
      n = n + 1
      local sq = squeeze(line)
      local len = utf8.len(sq)
      if len and len >= 3 and not seen[sq] then
        seen[sq] = true
        want[#want + 1] = string.pack("<i8I4s4", hash.hash64(sq), n, sq)
      end
    end
    t.eq(minhash.lines(s, 3), table.concat(want))
  end
  local L = minhash.lines("짧은 줄\r\n  열 글자가 넘는 첫째 줄입니다  \n\n열 글자가   넘는 첫째 줄입니다\rthe third line, long enough\n")
  local got, at = {}, 1
  while at <= #L do
    local _, n, s
    _, n, s, at = string.unpack("<i8I4s4", L, at)
    got[#got + 1] = n .. " " .. s
  end
  t.eq(got, { "2 열 글자가 넘는 첫째 줄입니다", "5 the third line, long enough" })
end)

t.test("minhash.content: keys of title and body, and the short paragraphs", function()
  local keys, short = minhash.content("제목", { "  짧은 문단 ", string.rep("긴 문단입니다 ", 10), "\xff\xfe" })
  t.eq(#keys, 32)
  t.eq(string.unpack("<i8", keys, 1), hash.hash64("제목"))
  t.eq(string.unpack("<i8", keys, 9), hash.hash64("짧은 문단"))
  t.eq(short, { 1, hash.hash64("짧은 문단"), 3, hash.hash64("\xff\xfe") })
  keys, short = minhash.content(false, {})
  t.eq(keys, "")
  t.eq(short, {})
  t.checkerr("body item 1 is not a string", minhash.content, nil, { 1 })
end)

t.test("set:candidates: exactly the pairs sharing a band, with the estimate; threshold", function()
  local list = texts(120)
  -- near copies, so that some pairs share bands
  for i = 1, 40 do list[#list + 1] = list[i] .. " 덧붙인 말" end
  local k, b, r = 32, 8, 4
  local set <close> = minhash.set(k)
  local sigs = {}
  for i, s in ipairs(list) do sigs[i] = minhash.signature(s, k, 3); t.eq(set:add(sigs[i]), i) end
  t.eq(#set, #list)
  local want = {}
  for i = 2, #list do
    for j = 1, i - 1 do
      local share = false
      for band = 0, b - 1 do
        if sigs[i]:sub(band * r * 4 + 1, (band + 1) * r * 4) == sigs[j]:sub(band * r * 4 + 1, (band + 1) * r * 4) then share = true end
      end
      if share then
        local same = 0
        for x = 1, k do if sigs[i]:sub(4 * x - 3, 4 * x) == sigs[j]:sub(4 * x - 3, 4 * x) then same = same + 1 end end
        want[#want + 1] = j; want[#want + 1] = i; want[#want + 1] = same / k
      end
    end
  end
  t.ok(#want > 40 * 3, "near copies are candidates")
  t.eq(set:candidates(b, r), want)
  local high = {}
  for x = 1, #want, 3 do
    if want[x + 2] >= 0.9 then table.move(want, x, x + 2, #high + 1, high) end
  end
  t.eq(set:candidates(b, r, 0.9), high)
  t.eq(set:similarity(1, 121), want[3] and set:similarity(1, 121))
  t.eq(set:get(5), sigs[5])
  t.match(tostring(set), "^gisa.minhash.set %(k=32, 160 signatures%)$")
  t.checkerr("signature of 4 bytes, expected 128", set.add, set, "abcd")
  t.checkerr("bands * rows exceed the signature size", set.candidates, set, 8, 5)
  t.checkerr("index out of range", set.get, set, 0)
  set:close()
  t.checkerr("signature set is closed", set.add, set, sigs[1])
  t.eq(#minhash.set(4):candidates(1, 4), 0, "no signatures, no pairs")
end)

t.test("tally: files per line, content, repeated lines less boilerplate", function()
  local a = minhash.lines("저작권자 무단 전재 및 재배포 금지\n공통 문단이 여기에 있습니다 길게\n첫 기사만의 줄입니다 열 글자\n")
  local b = minhash.lines("저작권자 무단 전재 및 재배포 금지\n공통 문단이 여기에 있습니다 길게\n")
  local tally <close> = minhash.tally()
  tally:add_lines(a); tally:add_lines(b)
  tally:add_content(string.pack("<i8", minhash.key("공통 문단이 여기에 있습니다 길게")))
  t.checkerr("tally is not sealed", tally.count, tally, 1)
  tally:seal()
  t.checkerr("tally is sealed", tally.add_lines, tally, a)
  t.eq(tally:count(minhash.key("저작권자 무단 전재 및 재배포 금지")), 2)
  t.eq(tally:count(minhash.key("첫 기사만의 줄입니다 열 글자")), 1)
  t.eq(tally:content(minhash.key("공통 문단이 여기에 있습니다 길게")), true)
  t.eq(tally:content(minhash.key("저작권자 무단 전재 및 재배포 금지")), false)
  local rep = tally:repeated(a)
  t.eq(#rep, 8, "two lines in both files")
  t.eq({ rep[2], rep[3], rep[4] }, { 1, "저작권자 무단 전재 및 재배포 금지", 2 })
  -- with common = 5: the line content in no file is boilerplate; the other stays
  rep = tally:repeated(a, 5)
  t.eq({ rep[2], rep[3] }, { 2, "공통 문단이 여기에 있습니다 길게" })
  t.eq(#rep, 4)
  -- with common = 2 a content line shorter than 40 characters is boilerplate too
  t.eq(#tally:repeated(a, 2), 0)
  t.checkerr("damaged lines string", tally.repeated, tally, "short")
  t.match(tostring(tally), "^gisa.minhash.tally %(3 lines, 1 content keys%)$", "each line once")
  -- sealed with least = 2: only the repeated lines (and content among them) are kept
  local two <close> = minhash.tally()
  two:add_lines(a); two:add_lines(b)
  two:add_content(string.pack("<i8i8", minhash.key("첫 기사만의 줄입니다 열 글자"), minhash.key("공통 문단이 여기에 있습니다 길게")))
  two:seal(2)
  t.match(tostring(two), "^gisa.minhash.tally %(2 lines, 1 content keys%)$")
  t.eq(two:count(minhash.key("첫 기사만의 줄입니다 열 글자")), 0)
  t.eq(two:count(minhash.key("공통 문단이 여기에 있습니다 길게")), 2)
  t.eq(two:content(minhash.key("공통 문단이 여기에 있습니다 길게")), true)
  t.eq(#two:repeated(a), 8)
  t.checkerr("least must be 1 or more", minhash.tally().seal, minhash.tally(), 0)
end)

t.test("list: triples sorted, got back", function()
  local l <close> = minhash.list()
  l:add(2, 1, 9); l:add(1, 5, 0); l:add(2, 0, 4); l:add(4294967295, 0, 0)
  t.eq(#l, 4)
  l:sort()
  local got = {}
  for i = 1, #l do got[i] = { l:get(i) } end
  t.eq(got, { { 1, 5, 0 }, { 2, 0, 4 }, { 2, 1, 9 }, { 4294967295, 0, 0 } })
  t.checkerr("out of range", l.add, l, -1, 0, 0)
  t.checkerr("index out of range", l.get, l, 5)
  l:close()
  t.eq(tostring(l), "gisa.minhash.list (closed)")
end)

t.test("minhash: misuse raises", function()
  t.checkerr("signature size out of range", minhash.signature, "abc", 0)
  t.checkerr("signature size out of range", minhash.signature, "abc", 1025)
  t.checkerr("shingle size out of range", minhash.signature, "abc", 4, 65)
  t.checkerr("signature size out of range", minhash.set, 2000)
  t.checkerr("negative length", minhash.lines, "abc", -1)
  t.checkerr("body item 2 is not a string", minhash.join, "t", { "a", {} })
  t.checkerr("table expected", minhash.join, "t", "body")
end)

t.test("minhash.tick: the watched keys of a text's lines counted once a file", function()
  local texts = {
    "",
    "열 글자가 넘는 첫째 줄입니다\n열 글자가 넘는 첫째 줄입니다\n둘째 줄도 열 글자가 넘어요\n",
    "둘째 줄도 열 글자가 넘어요\n\0 NUL이 든 줄도 열 글자가 넘고\n\255\254 잘못된 바이트 열 글자 넘게\n",
    "𝄞 네 바이트 글자로 시작하는 줄\n" .. string.rep("아주 긴 줄 ", 5000) .. "\n짧은 줄\n",
  }
  for i = 1, 200 do texts[#texts + 1] = string.format("줄 번호 %d 번째 문장입니다\n공통으로 들어가는 줄입니다\n", i % 37) end
  local watched, want = {}, {}
  -- watch every other key met, and one no text has
  local n = 0
  for _, s in ipairs(texts) do
    local lines, at = minhash.lines(s), 1
    while at <= #lines do
      local key, _, len = string.unpack("<i8I4I4", lines, at)
      at = at + 16 + len
      n = n + 1
      if n % 2 == 0 and not watched[key] then watched[key], want[key] = 0, 0 end
    end
  end
  watched[12345], want[12345] = 0, 0
  local total = 0
  for _, s in ipairs(texts) do
    local lines, at, got = minhash.lines(s), 1, 0
    while at <= #lines do
      local key, _, len = string.unpack("<i8I4I4", lines, at)
      at = at + 16 + len
      if want[key] then want[key] = want[key] + 1; got = got + 1 end
    end
    t.eq(minhash.tick(lines, watched), got)
    total = total + got
  end
  t.eq(watched, want)
  t.ok(total > 200, "keys were counted")
  t.eq(minhash.tick("", {}), 0)
  t.checkerr("damaged lines string", minhash.tick, "\1\2\3", {})
  t.checkerr("table expected", minhash.tick, "", nil)
end)
