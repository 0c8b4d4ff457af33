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
