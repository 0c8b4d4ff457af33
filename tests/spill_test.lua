-- gisa.analysis' spill (strings kept in memory up to a budget, then in a
-- temporary file read back in blocks) and its streamed table, whose cells a
-- column repeats are made once: what comes back is what went in.
local t = require "t"
local A = require "gisa.analysis"

t.test("a spill gives back every string in order, from memory and from its file, as often as asked", function()
  math.randomseed(3)
  -- short strings (read from the file in blocks, a few longer than a block)
  -- and long ones (read one at a time: 1 KiB or more on average)
  for _, case in ipairs({ { 1, 500 }, { 100, 500 }, { 70000, 500 }, { 1 << 20, 500 }, { 1, 97 }, { 70000, 97 } }) do
    local budget, every = case[1], case[2]
    local sp = A.spill(budget)
    local want = {}
    for i = 1, 1500 do
      -- empty strings, short ones, and some longer than the 64 KiB read at once
      local n = i % every == 0 and math.random(60000, 200000) or math.random(0, 300)
      want[i] = string.rep(string.char(65 + i % 26), n) .. (i % 5 == 0 and "" or tostring(i))
      sp:add(want[i])
    end
    for pass = 1, 2 do
      local k = 0
      for s in sp:each() do
        k = k + 1
        if s ~= want[k] then t.eq(#s, #want[k], "budget " .. budget .. ", string " .. k) end
      end
      t.eq(k, #want, "budget " .. budget .. ", pass " .. pass)
    end
    sp:add("tail")
    local k, last = 0, nil
    for s in sp:each() do k, last = k + 1, s end
    t.eq(k, #want + 1); t.eq(last, "tail")
    sp:close()
  end
end)

-- Rows that repeat cells down a column (1 and 1.0, -0.0 and 0.0 are not the
-- same cell), a cell cut to its column, one with a tab, a file name that is
-- not UTF-8: the table as gisa 14aa83c wrote it.
local ROWS = {
  { kind = "line", n = 1, a = "가나다.txt:3", text = "같은 줄\t탭" },
  { kind = "line", n = 1.0, a = "가나다.txt:3", text = "같은 줄\t탭" },
  { kind = "line", n = 2, a = "b.txt", text = "아주 긴 문장이 여기에 있어서 잘려야 합니다 아주 긴 문장" },
  { kind = "pair", n = 0.5, a = "b.txt", text = "아주 긴 문장이 여기에 있어서 잘려야 합니다 아주 긴 문장" },
  { kind = "pair", n = -0.0, a = "\xff\xfe.txt", text = "" },
  { kind = "pair", n = 0.0, a = "\xff\xfe.txt" },
}
local COLS = { "kind", { key = "n", fmt = "%.2f" }, "a", { key = "text", width = 12 } }
local TABLE = "kind      n  a             text\n" ..
  "────  ─────  ────────────  ────────────\n" ..
  "line      1  가나다.txt:3  같은 줄 탭\n" ..
  "line   1.00  가나다.txt:3  같은 줄 탭\n" ..
  "line      2  b.txt         아주 긴 문…\n" ..
  "pair   0.50  b.txt         아주 긴 문…\n" ..
  "pair  -0.00  \\xFF\\xFE.txt\n" ..
  "pair   0.00  \\xFF\\xFE.txt\n"

t.test("a table with cells repeated down a column: render and output_stream write it as before", function()
  t.eq(A.render(ROWS, COLS, { format = "table" }), TABLE)
  local p = t.tmpdir() .. "/stream-table.txt"
  A.output_stream(function(emit) for _, r in ipairs(ROWS) do emit(r) end end, COLS, { format = "table", output = p })
  t.eq(t.read(p), TABLE)
end)
