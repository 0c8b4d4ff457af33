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
