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
