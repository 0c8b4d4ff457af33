-- gisa.count: whitespace-token counting in C, from a string or a text.map.
local t = require "t"
local count = require "gisa.count"
local text = require "gisa.text"

local sample = "오픈소스 모델을 공개했다.\n오픈소스 모델 \t AI\r\nAI  ai 끝"

local function counts_of(v)
  local c = count.new()
  c:add(v)
  local r, n = c:counts(), c:total()
  c:close()
  return r, n
end

t.test("counter:add counts whitespace tokens, as awk's fields and str.split() do", function()
  local r, n = counts_of(sample)
  t.eq(n, 9)
  t.eq(r, { ["오픈소스"] = 2, ["모델을"] = 1, ["공개했다."] = 1, ["모델"] = 1, AI = 2, ai = 1, ["끝"] = 1 })
end)

t.test("counter:add takes a file mapped by text.map and counts the same", function()
  local path = t.tmpdir() .. "/count.txt"
  t.write(path, sample)
  local m = assert(text.map(path))
  local r, n = counts_of(m)
  m:close()
  t.eq({ r, n }, { counts_of(sample) })
  t.checkerr("map is closed", counts_of, m)
end)

t.test("counter:top picks the most frequent in C: count descending, then bytes ascending", function()
  local c = count.new()
  c:add("b a c a b a d d dd d\0 \xea\xb0\x80 \xea\xb0\x80 AI ai ai")
  local function rows(...)
    local items, ntypes = c:top(...)
    local out = {}
    for i, it in ipairs(items) do out[i] = it[1] .. "=" .. it[2] end
    return table.concat(out, " "), ntypes
  end
  -- ties: "AI" < "ai" < "b" < "d" (< "d\0" < "dd": a prefix comes first) < "가"
  t.eq({ rows() }, { "a=3 ai=2 b=2 d=2 가=2 AI=1 c=1 d\0=1 dd=1", 9 })
  t.eq({ rows(3) }, { "a=3 ai=2 b=2", 9 })
  t.eq({ rows(0, 2) }, { "a=3 ai=2 b=2 d=2 가=2", 5 }, "min 2")
  t.eq({ rows(2, 3) }, { "a=3", 1 })
  t.eq({ rows(100, 4) }, { "", 0 })
  c:close()
  t.checkerr("counter is closed", c.top, c)
end)

t.test("counter:top orders as analysis.top does, on many ties", function()
  local A = require "gisa.analysis"
  local words = {}
  for i = 1, 3000 do words[i] = string.format("w%d", (i * 7919) % 1000) end
  local s = table.concat(words, " ")
  local c = count.new()
  c:add(s)
  local want = A.top(c:counts(), 50)
  local got, ntypes = c:top(50)
  t.eq(got, want)
  t.eq(ntypes, 1000)
  c:close()
end)

-- Reference: the same tokens split in Lua (blanks: \t \n \v \f \r and space).
local function lua_counts(s)
  local r, n = {}, 0
  for w in s:gmatch("[^ \t\n\v\f\r]+") do r[w] = (r[w] or 0) + 1; n = n + 1 end
  return r, n
end

t.test("counter:add agrees with a Lua split on random texts (all blanks, near-blank bytes, long tokens)", function()
  -- blanks, bytes next to them (\b \x0e \x1f !), NUL, NEL/NBSP bytes (not blanks here), Hangul
  local alphabet = { " ", "\t", "\n", "\v", "\f", "\r", "\b", "\x0e", "\x1f", "!", "\0",
    "\xc2\x85", "\xc2\xa0", "a", "b", "가", "나", "x" }
  math.randomseed(7)
  for round = 1, 200 do
    local parts = {}
    for i = 1, math.random(0, 120) do
      local ch = alphabet[math.random(#alphabet)]
      if math.random(8) == 1 then ch = ch:rep(math.random(1, 40)) end   -- long runs: tokens > 16 bytes
      parts[i] = ch
    end
    local s = table.concat(parts)
    local want, wn = lua_counts(s)
    local got, gn = counts_of(s)
    t.eq({ got, gn }, { want, wn }, "round " .. round .. ": " .. string.format("%q", s))
  end
end)

t.test("tokens that share their first 16 bytes, or differ only in length, stay apart", function()
  local a = ("오픈소스"):rep(3)            -- 36 bytes
  local s = table.concat({ a, a .. "x", a .. "y", a:sub(1, 16), a:sub(1, 15), a:sub(1, 17), a, "abcdefgh", "abcdefgh\0" }, " ")
  t.eq({ counts_of(s) }, { lua_counts(s) })
end)
