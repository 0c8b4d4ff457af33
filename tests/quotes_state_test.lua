-- gisa.quotes: a record's quotes and speakers depend on the record alone, not
-- on what the process read before (the finder reuses its tables between
-- articles: -j N must give what -j 1 gives, whose workers have other histories).
-- The sentences and names here are our own.
local t = require "t"
local quotes = require "gisa.analysis.quotes"

-- Each finder: the compiled one, the Lua fast path, the Lua general path.
local FINDERS = {
  { "compiled", true, true, true },
  { "Lua fast path", false, true, true },
  { "Lua general path", false, false, false },
}

local function with(f, fn)
  quotes.c, quotes.fast, quotes.remember = f[2], f[3], f[4]
  local ok, r = pcall(fn)
  quotes.c, quotes.fast, quotes.remember = true, true, true
  if not ok then error(r, 0) end
  return r
end

-- Every field of every quote of rec, one string.
local function quotes_of(rec)
  local out = {}
  for i, q in ipairs(quotes.article(rec)) do
    out[i] = table.concat({ q.text, tostring(q.line), q.speaker or "-", q.title or "-", q.org or "-",
      q.verb or "-", q.how or "-" }, " | ")
  end
  return table.concat(out, "\n")
end

t.test("a title alone at the start of a paragraph names no one, whatever was read before", function()
  -- (the words read before a quote are kept in a reused table: the word
  -- before the first one of the text is none, not one of the last article's)
  local a = { blocks = { { type = "para", line = 1, text = "그러자 존 하트먼 원장은 “시장은 곧 회복될 것”이라고 말했다." } } }
  local b = { blocks = { { type = "para", line = 1, text = "원장은 “예산이 더 필요하다”고 밝혔다." } } }
  for _, f in ipairs(FINDERS) do
    with(f, function()
      local first = quotes_of(b)
      t.eq(quotes.article(a)[1].speaker, "존 하트먼", f[1])
      t.eq(quotes_of(b), first, f[1])
      t.eq(quotes.article(b)[1].speaker, nil, f[1])
    end)
  end
end)

-- Records of the shapes that left state behind: quote marks that never
-- close, quotes inside quotes, names with organisations and titles, foreign
-- names, short references (김 교수는, 이 대표는), titles alone, pronouns,
-- subtitles naming someone. (A small LCG: the same records on every run.)
local function records(n, seed)
  local rng = seed
  local function rand(k) rng = (rng * 1103515245 + 12345) % 2147483648; return rng // 65536 % k + 1 end
  local function pick(l) return l[rand(#l)] end
  local names = { "김민수", "박영희", "이정훈", "최수진", "정하늘", "노경태", "한미래", "서지원", "주민호", "고영배" }
  local foreign = { "존 하트먼", "마리 르클레르", "카를로스 멘데스" }
  local titles = { "교수", "대표", "위원장", "연구원", "이사장", "장관", "원장", "기자" }
  local orgs = { "한빛대", "가나다그룹", "미래재단", "LG AI" }
  local words = { "시장은", "곧", "회복될", "것", "다만", "시간이", "걸린다", "우리는", "더", "노력하겠다",
    "예산이", "필요하다", "오늘", "회의에서" }
  local function subject()
    local r, ti = rand(10), pick(titles)
    if r == 1 then return pick(names) .. " " .. (rand(2) == 1 and pick(orgs) .. " " or "") .. ti .. pick({ "은", "는" }) end
    if r == 2 then return pick(names):sub(1, 3) .. " " .. ti .. pick({ "은", "는", "이" }) end
    if r == 3 then return pick({ "그는", "그녀는" }) end
    if r == 4 then return "이 " .. ti .. "은" end
    if r == 5 then return pick(foreign) .. " " .. ti .. "는" end
    if r == 6 then return pick(foreign):match("(%S+)$") .. "은" end
    if r == 7 then return ti .. "는" end
    if r == 8 then return "" end
    if r == 9 then return pick(words) .. " " .. pick(names) .. "은" end
    return pick(names) .. "은"
  end
  local function text()
    local b = {}
    for _ = 1, rand(6) + 1 do b[#b + 1] = pick(words) end
    return table.concat(b, " ")
  end
  local function sentence()
    local s = subject()
    local inner = text()
    if rand(3) == 1 then   -- a quote inside, closed or not
      inner = inner .. " " .. pick({ "‘", "“", "\"" }) .. text() .. pick({ "’", "”", "\"", "" }) .. " " .. text()
    end
    local close = rand(3) == 1 and "" or pick({ "”고 말했다.", "”라고 밝혔다.", "”며 ", "”고 강조했다. ",
      "\"라고 했다.", "’고 덧붙였다.", "”라고 " .. subject() .. " 말했다." })
    return (s ~= "" and s .. " " or "") .. pick({ "“", "“", "‘", "\"" }) .. inner .. close .. " " ..
      (rand(2) == 1 and pick(words) .. " 말했다." or "")
  end
  local out = {}
  for i = 1, n do
    local blocks = {}
    for k = 1, rand(6) do
      local b = {}
      for _ = 1, rand(4) do b[#b + 1] = sentence() end
      blocks[k] = { type = rand(6) == 1 and "answer" or "para", text = table.concat(b, " "), line = k * 2 }
    end
    out[i] = { blocks = blocks, title = "제목",
      subtitles = rand(3) == 1 and { pick(names) .. " " .. pick(titles) } or nil }
  end
  return out
end

t.test("500 generated records: the same quotes and speakers read again, in reverse, twice in a row", function()
  local recs = records(500, 20261207)
  local n = #recs
  local got = {}
  for _, f in ipairs(FINDERS) do
    with(f, function()
      local first, bad = {}, {}
      for i = 1, n do first[i] = quotes_of(recs[i]) end
      local function check(i, how)
        local s = quotes_of(recs[i])
        if s ~= first[i] and #bad < 5 then
          bad[#bad + 1] = string.format("%s: record %d %s:\n%s\nfirst:\n%s", f[1], i, how, s, first[i])
        end
      end
      for i = n, 1, -1 do check(i, "in reverse") end
      for i = 1, n do check(i, "twice, first"); check(i, "twice, second") end
      for i = 1, n do check((i * 7919) % n + 1, "in another order") end
      t.eq(bad, {})
      got[#got + 1] = first
    end)
  end
  -- and the three finders agree
  local nq, nspeakers = 0, 0
  for i = 1, n do
    t.eq(got[1][i], got[3][i], "record " .. i .. ": compiled against the general path")
    t.eq(got[2][i], got[3][i], "record " .. i .. ": fast path against the general path")
    for _, q in ipairs(quotes.article(recs[i])) do
      nq = nq + 1
      if q.speaker then nspeakers = nspeakers + 1 end
    end
  end
  t.ok(nq >= 1200 and nspeakers >= 600, "quotes compared: " .. nq .. ", with a speaker: " .. nspeakers)
end)
