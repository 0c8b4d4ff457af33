-- gisa.tally: counts moved from words to their keys, and the best items by
-- count x weight (keywords' TF-IDF) in the order of a full sort by score,
-- count, then name.
local t = require "t"
local tally = require "gisa.tally"

-- the order by a full sort in Lua, cut to k
local function by_sort(flat, weights, names, k)
  local items = {}
  for x = 1, #flat, 2 do items[#items + 1] = { flat[x], flat[x + 1], flat[x + 1] * weights[flat[x]] } end
  table.sort(items, function(a, b)
    if a[3] ~= b[3] then return a[3] > b[3] end
    if a[2] ~= b[2] then return a[2] > b[2] end
    return names[a[1]] < names[b[1]]
  end)
  local out = {}
  for i = 1, (k > 0 and math.min(k, #items) or #items) do
    local it = items[i]
    out[#out + 1] = it[1]; out[#out + 1] = it[2]; out[#out + 1] = it[3]
  end
  return out
end

t.test("tally.top: the best k by score, then count, then name, as a full sort", function()
  local names = { "나", "가", "다", "라", "마" }
  local weights = { 1.5, 1.5, 0.5, 3.0, 0.0 }
  -- 나 and 가 tie on score and count: the name decides; 라's 3.0 ties 가's 2 x 1.5 with fewer counts
  local flat = { 1, 2, 2, 2, 3, 6, 4, 1, 5, 9 }
  t.eq(tally.top(flat, weights, names, 2), { 3, 6, 3.0, 2, 2, 3.0 })
  t.eq(tally.top(flat, weights, names, 0), by_sort(flat, weights, names, 0))
  t.eq(tally.top(flat, weights, names, 3), by_sort(flat, weights, names, 3))
  t.eq(tally.top(flat, weights, names, 10), by_sort(flat, weights, names, 10))
  t.eq(tally.top({}, weights, names, 5), {})
  -- many items, many ties
  local rnd, x = {}, 7
  local nm, w = {}, {}
  for id = 1, 500 do
    x = (x * 1103515245 + 12345) % 2147483648
    nm[id] = string.format("w%03d", (x >> 8) % 1000) .. id
    w[id] = ((x >> 4) % 5) / 2
    rnd[#rnd + 1] = id; rnd[#rnd + 1] = 1 + (x >> 12) % 4
  end
  for _, k in ipairs({ 1, 10, 499, 500, 0 }) do
    t.eq(tally.top(rnd, w, nm, k), by_sort(rnd, w, nm, k), "k = " .. k)
  end
end)

t.test("tally.top: misuse raises", function()
  t.checkerr("no weight for id 2", tally.top, { 2, 1 }, { 1.0 }, { "a", "b" }, 5)
  t.checkerr("not an integer count", tally.top, { 1, "x" }, { 1.0 }, { "a" }, 5)
  t.checkerr("no name for id 1", tally.top, { 1, 1, 1, 1 }, { 1.0 }, {}, 1)
  t.checkerr("table expected", tally.top, nil, {}, {}, 1)
end)

t.test("tally.remap: counts summed into their keys, false drops, no entry returned", function()
  local into = { ["반도체"] = 1 }
  local left = tally.remap({ ["반도체를"] = 2, ["반도체가"] = 3, ["그리고"] = 4, ["새말"] = 5, ["또"] = 1 },
    { ["반도체를"] = "반도체", ["반도체가"] = "반도체", ["그리고"] = false }, into)
  table.sort(left)
  t.eq(left, { "또", "새말" })
  t.eq(into, { ["반도체"] = 6 })
  t.eq(tally.remap({}, {}, into), {})
  t.checkerr("not an integer", tally.remap, { a = "x" }, {}, {})
  t.checkerr("table expected", tally.remap, {}, nil, {})
end)

t.test("tally.index: document frequencies, numbers for new keys, the flat list", function()
  local df, ids, names = { ["가"] = 2 }, { ["가"] = 1 }, { "가" }
  local flat, n = tally.index({ ["가"] = 5, ["나"] = 7 }, df, ids, names, 1)
  t.eq(n, 2)
  t.eq(df, { ["가"] = 3, ["나"] = 1 })
  t.eq(ids, { ["가"] = 1, ["나"] = 2 })
  t.eq(names, { "가", "나" })
  local got = {}
  for x = 1, #flat, 2 do got[names[flat[x]]] = flat[x + 1] end
  t.eq(got, { ["가"] = 5, ["나"] = 7 })
  t.eq({ tally.index({}, df, ids, names, 2) }, { {}, 2 })
end)

-- the words of a packed list (text.words(s, "pack")) as a table
local function unpack_words(p)
  local out, i = {}, 1
  local function varint()
    local v, shift = 0, 0
    repeat
      local c = p:byte(i); i = i + 1
      v = v | ((c & 0x7F) << shift); shift = shift + 7
    until c < 0x80
    return v
  end
  while i <= #p do
    local len = varint()
    local w = p:sub(i, i + len - 1); i = i + len
    out[w] = varint()
  end
  return out
end

t.test("text.words(s, \"pack\"): the counts of text.words(s, {}) as one string, and the total", function()
  local text = require("gisa").text
  local samples = {
    "", "가 나 가 abc 가나다", "반도체를 반도체가 반도체. AI가 AI를 3.5% 2023.03.14",
    string.rep("오픈소스 소프트웨어 개발자들이 ", 50) .. string.rep("x", 300),
  }
  for _, s in ipairs(samples) do
    local want, wn = text.words(s, {})
    local p, n = text.words(s, "pack")
    t.eq(n, wn)
    t.eq(unpack_words(p), want)
  end
  t.checkerr("pack", text.words, "a", "other")
end)

t.test("tally.vocab: words numbered once, articles summed into keys with forms, df, top and totals", function()
  local text = require("gisa").text
  local v = tally.vocab()
  t.ok(tostring(v):find("0 words", 1, true))
  local d1 = v:add((text.words("반도체를 반도체가 반도체 그리고 AI AI ai", "pack")))
  local d2 = v:add((text.words("반도체 ai 새말", "pack")))
  t.eq(v:size(), 7)
  -- each word's counts as add() had them, summed over the articles
  t.eq(v:counts(), { ["반도체를"] = 1, ["반도체가"] = 1, ["반도체"] = 2, ["그리고"] = 1, AI = 2, ai = 2, ["새말"] = 1 })
  local words = v:words()
  -- keys: 반도체* -> 반도체, AI/ai -> ai (forms as written), 그리고 not counted
  local key_of = { ["반도체를"] = "반도체", ["반도체가"] = "반도체", ["반도체"] = "반도체",
    AI = "ai", ai = "ai", ["새말"] = "새말" }
  local keys, kid, kid_of, fid_of, forms, fid = {}, {}, {}, {}, {}, {}
  for i, w in ipairs(words) do
    local k = key_of[w]
    if k then
      if not kid[k] then keys[#keys + 1] = k; kid[k] = #keys end
      local f = (k == "반도체") and "반도체" or w
      if not fid[f] then forms[#forms + 1] = f; fid[f] = #forms end
      kid_of[i], fid_of[i] = kid[k], fid[f]
    else kid_of[i], fid_of[i] = 0, 0 end
  end
  v:keys(kid_of, keys, fid_of, forms)
  local function counts(keyed)
    local out, i = {}, 1
    local flat = unpack_words((keyed:gsub("(.)(.)", function(a, b) return "\1" .. a .. b end)))
    for k, c in pairs(flat) do out[keys[k:byte()]] = c end
    return out, i
  end
  local k1, k2 = v:count(d1), v:count(d2)
  t.eq((counts(k1)), { ["반도체"] = 3, ai = 3 })
  t.eq((counts(k2)), { ["반도체"] = 1, ai = 1, ["새말"] = 1 })
  local f, df = v:forms(), v:df()
  -- ai's form from the first article: AI twice against ai once
  t.eq(f[kid.ai], "AI")
  t.eq(f[kid["반도체"]], "반도체")
  t.eq(df[kid["반도체"]], 2)
  t.eq(df[kid["새말"]], 1)
  t.eq(v:totals(), { ["반도체"] = 4, ai = 4, ["새말"] = 1 })
  t.eq(v:totals(), {})
  -- top agrees with tally.top over the same weights
  v:idf(2)
  local weights = {}
  for i = 1, #keys do weights[i] = math.log(2 / df[i]) end
  local flat = {}
  for k, c in pairs(counts(k2)) do flat[#flat + 1] = kid[k]; flat[#flat + 1] = c end
  t.eq(v:top(k2, 0), tally.top(flat, weights, keys, 0))
  t.eq(v:top(k2, 1), tally.top(flat, weights, keys, 1))
  t.checkerr("damaged", v.count, v, "\255")
  t.checkerr("damaged", v.add, v, "\5ab")
  -- keys() that fails leaves no counting on arrays that disagree
  t.checkerr("not a key number", v.keys, v, { 99 }, keys, { 1 }, forms)
  t.checkerr("count before keys", v.count, v, k1)
  v:close()
  t.checkerr("closed", v.size, v)
  t.ok(tostring(v):find("closed", 1, true))
end)

t.test("tally.vocab: long articles (numbered and keyed strings past one output block) decode whole", function()
  local text = require("gisa").text
  local v = tally.vocab()
  local words = {}
  for i = 1, 3000 do words[i] = (i % 7 == 0 and "가" or "w") .. i .. string.rep("x", i % 5) end
  local s = table.concat(words, " ") .. " " .. table.concat(words, " ", 1, 100)
  local numbered = v:add((text.words(s, "pack")))
  -- numbered: varint word number, varint count, one pair a distinct word
  local function varints(str)
    local out, i = {}, 1
    while i <= #str do
      local x, shift = 0, 0
      repeat
        local b = str:byte(i); i = i + 1
        x = x | ((b & 0x7F) << shift); shift = shift + 7
      until b < 0x80
      out[#out + 1] = x
    end
    return out
  end
  local flat = varints(numbered)
  t.eq(#flat, 2 * 3000)
  local list = v:words()
  local got = {}
  for k = 1, #flat, 2 do got[list[flat[k]]] = flat[k + 1] end
  for i, w in ipairs(words) do t.eq(got[w], i <= 100 and 2 or 1, w) end
  -- every word its own key: the keyed string has the same pairs by key
  local kid_of, keys, one = {}, {}, {}
  for i, w in ipairs(list) do kid_of[i], keys[i], one[i] = i, w, 1 end
  v:keys(kid_of, keys, one, { "" })
  local keyed = varints(v:count(numbered))
  t.eq(#keyed, 2 * 3000)
  for k = 1, #keyed, 2 do t.eq(keyed[k + 1], got[keys[keyed[k]]]) end
end)

t.test("tally.vocab: df_add gives the document frequencies count gives, and nothing else", function()
  local text = require("gisa").text
  math.randomseed(20261207)
  local pool = {}
  for i = 1, 60 do pool[i] = (i % 3 == 0 and "가" or "w") .. i end
  local docs = {}
  for d = 1, 200 do
    local ws = {}
    for i = 1, math.random(0, 30) do ws[i] = pool[math.random(#pool)] end
    docs[d] = table.concat(ws, " ")
  end
  -- the same articles in two vocabularies: count in one, df_add in the other
  local a, b = tally.vocab(), tally.vocab()
  local na, nb = {}, {}
  for d, s in ipairs(docs) do
    na[d] = a:add((text.words(s, "pack")))
    nb[d] = b:add((text.words(s, "pack")))
  end
  -- keys: every third word not counted, the others by their number mod 7
  local function keys_of(v)
    local kid_of, fid_of, keys = {}, {}, {}
    for i, w in ipairs(v:words()) do
      local x = tonumber(w:match("%d+"))
      kid_of[i], fid_of[i] = x % 3 == 0 and 0 or x % 7 + 1, 1
    end
    for k = 1, 7 do keys[k] = "k" .. k end
    v:keys(kid_of, keys, fid_of, { "" })
  end
  keys_of(a); keys_of(b)
  for d = 1, #docs do a:count(na[d]); b:df_add(nb[d]) end
  t.eq(b:df(), a:df())
  local some = 0
  for _, n in ipairs(a:df()) do some = some + n end
  t.ok(some > 200, "keys in many articles")
  t.eq(b:totals(), {})
  t.checkerr("damaged", b.df_add, b, "\255")
  t.eq(b:df(), a:df(), "a damaged article adds nothing")
  local c = tally.vocab()
  t.checkerr("df_add before keys", c.df_add, c, "")
end)

t.test("tally.vocab: since, learn and renumber take a worker's numbers to the parent's", function()
  -- packed as text.words(s, "pack") makes it: varint length, word, varint count
  local function varint(n)
    local out = {}
    repeat
      local b = n & 0x7F
      n = n >> 7
      out[#out + 1] = string.char(n > 0 and (b | 0x80) or b)
    until n == 0
    return table.concat(out)
  end
  local function pack(list)
    local out = {}
    for i = 1, #list, 2 do out[#out + 1] = varint(#list[i]) .. list[i] .. varint(list[i + 1]) end
    return table.concat(out)
  end
  -- words of every kind: Hangul, ASCII, a 4-byte character, NUL, invalid
  -- UTF-8, the empty word, and a long one
  local pool = { "반도체", "AI", "ai", "𝄞음표", "a\0b", "\255\254", "", string.rep("길", 300), "x" }
  for i = 1, 400 do pool[#pool + 1] = "낱말" .. i end
  local rng = 12345
  local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n + 1 end
  local articles = {}
  for a = 1, 300 do
    local list, seen = {}, {}
    for _ = 1, rand(40) - 1 do                     -- some articles have no word
      local w = pool[rand(#pool)]
      if not seen[w] then seen[w] = true; list[#list + 1] = w; list[#list + 1] = rand(200) end
    end
    articles[a] = pack(list)
  end
  -- the parent at -j 1: every article added in order
  local ref = tally.vocab()
  local want = {}
  for a, p in ipairs(articles) do want[a] = ref:add(p) end
  -- -j 2: runs of 7 articles dealt to two workers in turn, each run's new
  -- words learnt by the parent as the run comes (in input order)
  local parent, workers, sent, maps = tally.vocab(), { tally.vocab(), tally.vocab() }, { 0, 0 }, { {}, {} }
  local got = {}
  for start = 1, #articles, 7 do
    local k = (start // 7) % 2 + 1
    local w, nums = workers[k], {}
    for a = start, math.min(start + 6, #articles) do nums[a] = w:add(articles[a]) end
    local new = w:since(sent[k])
    local map = parent:learn(new)
    t.eq(#map, 4 * (w:size() - sent[k]))
    sent[k] = w:size()
    maps[k][#maps[k] + 1] = map
    local joined = table.concat(maps[k])
    for a = start, math.min(start + 6, #articles) do got[a] = parent:renumber(nums[a], joined) end
  end
  for a = 1, #articles do t.eq(got[a], want[a], "article " .. a) end
  t.eq(parent:words(), ref:words())
  -- since(n) gives the words after n with count 0; learn adds their counts
  t.eq(workers[1]:since(workers[1]:size()), "")
  t.eq(parent:counts(), {})
  local v = tally.vocab()
  t.eq(v:learn(pack({ "가", 2, "나", 3, "가", 1 })), string.pack("<I4I4I4", 1, 2, 1))
  t.eq(v:counts(), { ["가"] = 3, ["나"] = 3 })
  t.eq(v:since(1), pack({ "나", 0 }))
  t.eq(v:renumber(varint(2) .. varint(5), string.pack("<I4I4", 2, 1)), varint(1) .. varint(5))
  t.checkerr("no number in the map", v.renumber, v, varint(3) .. varint(1), string.pack("<I4I4", 2, 1))
  t.checkerr("no number in the map", v.renumber, v, varint(1) .. varint(1), string.pack("<I4", 9))
  t.checkerr("damaged article", v.renumber, v, varint(1), string.pack("<I4", 1))
  t.checkerr("damaged word list", v.learn, v, "\5ab")
  t.checkerr("word number out of range", v.since, v, -1)
  v:close()
  t.checkerr("closed", v.since, v, 0)
end)
