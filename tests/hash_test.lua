-- gisa.hash: xxHash64 against a pure-Lua reference at every length path,
-- SimHash and MinHash behaviour on identical, edited and unrelated texts, the
-- MinHash estimate against the true shingle Jaccard, and invalid input.
local t = require "t"
local hash = require "gisa.hash"

-- xxHash64 in Lua 5.4 (integers wrap at 64 bits), from the specification.
local P1, P2, P3, P4, P5 = -7046029288634856825, -4417276706812531889, 1609587929392839161,
  -8796714831421723037, 2870177450012600261
local function rotl(x, r) return (x << r) | (x >> (64 - r)) end
local function round(acc, v) return rotl(acc + v * P2, 31) * P1 end
local function merge(acc, v) return (acc ~ round(0, v)) * P1 + P4 end
local function xxh64(s, seed)
  seed = seed or 0
  local n, p, h = #s, 1, nil
  if n >= 32 then
    local v1, v2, v3, v4 = seed + P1 + P2, seed + P2, seed, seed - P1
    while p + 31 <= n do
      v1 = round(v1, (string.unpack("<i8", s, p)))
      v2 = round(v2, (string.unpack("<i8", s, p + 8)))
      v3 = round(v3, (string.unpack("<i8", s, p + 16)))
      v4 = round(v4, (string.unpack("<i8", s, p + 24)))
      p = p + 32
    end
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
    h = merge(merge(merge(merge(h, v1), v2), v3), v4)
  else
    h = seed + P5
  end
  h = h + n
  while p + 7 <= n do
    h = rotl(h ~ round(0, (string.unpack("<i8", s, p))), 27) * P1 + P4
    p = p + 8
  end
  if p + 3 <= n then
    h = rotl(h ~ (string.unpack("<I4", s, p)) * P1, 23) * P2 + P3
    p = p + 4
  end
  while p <= n do
    h = rotl(h ~ s:byte(p) * P5, 11) * P1
    p = p + 1
  end
  h = (h ~ (h >> 33)) * P2
  h = (h ~ (h >> 29)) * P3
  return h ~ (h >> 32)
end

t.test("hash64: xxHash64 reference vectors", function()
  t.eq(string.format("%016x", hash.hash64("")), "ef46db3751d8e999")
  t.eq(string.format("%016x", hash.hash64("a")), "d24ec4f1a98c6e5b")
  t.eq(string.format("%016x", hash.hash64("abc")), "44bc2cf5ad770999")
  t.eq(string.format("%016x", hash.hash64("Nobody inspects the spammish repetition")), "fbcea83c8a378bf1")
end)

t.test("hash64: agrees with the Lua reference at every length 0-200, with seeds", function()
  local bytes = {}
  for i = 1, 200 do bytes[i] = string.char((i * 37 + 11) % 256) end
  local s = table.concat(bytes)
  for n = 0, 200 do
    local x = s:sub(1, n)
    t.eq(hash.hash64(x), xxh64(x), "length " .. n)
    t.eq(hash.hash64(x, 12345), xxh64(x, 12345), "length " .. n .. " seed")
  end
  t.eq(hash.hash64("오픈소스", -1), xxh64("오픈소스", -1))
  t.eq(hash.hash64("x", 0), hash.hash64("x"))
  t.ok(hash.hash64("x", 1) ~= hash.hash64("x"))
  t.ok(hash.hash64("a\0") ~= hash.hash64("a"), "NUL bytes count")
end)

t.test("hash64: no collisions among 200,000 short keys", function()
  local seen, n = {}, 0
  for i = 1, 200000 do
    local h = hash.hash64("기사" .. i)
    if seen[h] then n = n + 1 end
    seen[h] = true
  end
  t.eq(n, 0)
end)

-- Texts for the similarity tests (our own sentences).
local A = "정부는 오픈소스 소프트웨어 생태계를 키우기 위해 내년부터 3년간 500억원을 투입한다고 "
  .. "밝혔다. 과학기술정보통신부는 공공기관이 오픈소스를 도입할 때 필요한 기술 지원과 교육을 "
  .. "늘리고, 개발자 커뮤니티 활동을 돕는 프로그램도 새로 만든다."
local A2 = A:gsub("3년간", "5년간"):gsub("새로 만든다", "새로 마련한다")
local B = "서울 날씨는 오늘 대체로 맑겠으나 오후 한때 구름이 많아지겠고, 아침 기온은 영하 3도까지 "
  .. "떨어질 것으로 보인다고 기상청이 전했다. 주말에는 전국에 비 소식이 있다."

t.test("simhash: identical, lightly edited and unrelated texts", function()
  t.eq(hash.simhash(A), hash.simhash(A))
  t.eq(math.type(hash.simhash(A)), "integer")
  local near = hash.hamming(hash.simhash(A), hash.simhash(A2))
  local far = hash.hamming(hash.simhash(A), hash.simhash(B))
  t.ok(near <= 10, "edited copy: hamming " .. near)
  t.ok(far >= 20, "unrelated: hamming " .. far)
  t.eq(hash.simhash(""), 0)
  t.ok(hash.simhash(A, 1) ~= hash.simhash(A, 5), "the shingle size matters")
  t.eq(hash.simhash("가나", 3), hash.hash64("가나"), "shorter than a shingle: one shingle")
  t.eq(hash.simhash("가나다", 3), hash.hash64("가나다"), "exactly one shingle")
end)

t.test("hamming counts differing bits", function()
  t.eq(hash.hamming(0, 0), 0)
  t.eq(hash.hamming(0, -1), 64)
  t.eq(hash.hamming(5, 6), 2)
  t.eq(hash.hamming(math.mininteger, 0), 1)
  t.checkerr("number has no integer representation", hash.hamming, 1.5, 0)
end)

t.test("minhash: identical, lightly edited and unrelated texts", function()
  local sa = hash.minhash(A, 128)
  t.eq(#sa, 128)
  t.eq(math.type(sa[1]), "integer")
  t.eq(hash.minhash(A, 128), sa, "deterministic")
  t.eq(hash.jaccard(sa, hash.minhash(A, 128)), 1.0)
  local near = hash.jaccard(sa, hash.minhash(A2, 128))
  local far = hash.jaccard(sa, hash.minhash(B, 128))
  t.ok(near >= 0.7, "edited copy: jaccard " .. near)
  t.ok(far <= 0.1, "unrelated: jaccard " .. far)
  -- a prefix of the signature is the smaller signature (same hash functions)
  local s16 = hash.minhash(A, 16)
  for i = 1, 16 do t.eq(s16[i], sa[i]) end
end)

-- True Jaccard of the character-shingle sets, in Lua.
local function shingle_set(s, w)
  local cs = {}
  for _, c in utf8.codes(s) do cs[#cs + 1] = utf8.char(c) end
  local set = {}
  if #cs > 0 and #cs < w then set[s] = true end
  for i = 1, #cs - w + 1 do set[table.concat(cs, "", i, i + w - 1)] = true end
  return set
end
local function true_jaccard(a, b, w)
  local x, y = shingle_set(a, w), shingle_set(b, w)
  local inter, union = 0, 0
  for k in pairs(x) do union = union + 1; if y[k] then inter = inter + 1 end end
  for k in pairs(y) do if not x[k] then union = union + 1 end end
  return inter / union
end

t.test("minhash: the estimate is within 0.1 of the true shingle Jaccard", function()
  -- pairs built to span the range: shared prefixes of different lengths
  local syl = {}
  for i = 1, 600 do syl[i] = utf8.char(0xAC00 + (i * 7919) % 11172) end
  local base = table.concat(syl, "", 1, 300)
  local other = table.concat(syl, "", 301, 600)
  local pairs_ = {
    { base, base:sub(1, 3 * 270) .. other:sub(1, 3 * 30) },    -- ~0.8
    { base, base:sub(1, 3 * 150) .. other:sub(1, 3 * 150) },   -- ~0.33
    { base, base:sub(1, 3 * 200) },                            -- ~0.67
    { base, other },                                           -- 0
    { A, A2 }, { A, B },
  }
  for i, p in ipairs(pairs_) do
    local tj = true_jaccard(p[1], p[2], 3)
    local est = hash.jaccard(hash.minhash(p[1], 512), hash.minhash(p[2], 512))
    t.ok(math.abs(tj - est) <= 0.1, string.format("pair %d: true %.3f, estimate %.3f", i, tj, est))
  end
  -- and with shingles of one character
  local tj = true_jaccard(A, B, 1)
  local est = hash.jaccard(hash.minhash(A, 512, 1), hash.minhash(B, 512, 1))
  t.ok(math.abs(tj - est) <= 0.1, string.format("1-shingles: true %.3f, estimate %.3f", tj, est))
end)

t.test("minhash and simhash take invalid UTF-8 and NULs without complaint", function()
  local bad = "가\xFF\xFE나\xED\xA0\x80다\0라\xF0\x9F"
  local s1 = hash.minhash(bad, 32)
  t.eq(#s1, 32)
  t.eq(hash.minhash(bad, 32), s1)
  t.ok(hash.jaccard(s1, hash.minhash("가\xFF\xFD나\xED\xA0\x80다\0라\xF0\x9F", 32)) < 1,
    "a changed invalid byte changes the shingles")
  t.eq(math.type(hash.simhash(bad)), "integer")
  for n = 0, 12 do   -- every truncation
    t.eq(#hash.minhash(bad:sub(1, n), 4), 4)
    hash.simhash(bad:sub(1, n), 2)
  end
  t.eq(hash.minhash("", 3), { -1, -1, -1 }, "an empty text: every slot at the maximum")
end)

t.test("misuse raises", function()
  t.checkerr("signature size out of range (1-65536)", hash.minhash, "abc", 0)
  t.checkerr("shingle size out of range (1-64)", hash.minhash, "abc", 4, 0)
  t.checkerr("shingle size out of range (1-64)", hash.simhash, "abc", 65)
  t.checkerr("signatures differ in length", hash.jaccard, { 1, 2 }, { 1 })
  t.checkerr("empty signature", hash.jaccard, {}, {})
  t.checkerr("signature slot 2 is not an integer", hash.jaccard, { 1, "x" }, { 1, 2 })
  t.checkerr("bad argument #1 to 'gisa.hash.hash64' (string expected, got nil)", hash.hash64, nil)
end)
