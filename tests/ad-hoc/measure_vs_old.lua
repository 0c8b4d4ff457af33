-- A.strip_links and A.measure on many generated articles, printed: run with the
-- old binary and the new one and compare (not part of tests/run.lua).
--   /work/main/gisa tests/ad-hoc/measure_vs_old.lua > old.txt
--   ./gisa tests/ad-hoc/measure_vs_old.lua > new.txt && cmp old.txt new.txt
local A = require "gisa.analysis"
local frags = { "정부는", "반도체", " ", " ", "\n", "다. ", "AI", "GPT-4", "3.5", "\0", "😀", "漢字", "é",
  "\u{3000}", "“", "”", "…", "http", "https", "://", "www", "www.", ".", "-", "+", "_", "%", "@", "a", "Z9",
  "kr", "com", "/", "?", "=", "(", ")", "[", "]", "<", ">", "\"", "'", "\t", "\r", "ex-ample", "mail",
  "\u{10FFFF}", "가", "Dr. ", "?! ", "1,000", "\x7F" }
local seed = 12345
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local function para()
  local p = {}
  for i = 1, rnd(30) - 1 do p[i] = frags[rnd(#frags)] end
  return table.concat(p)
end
local out = {}
for round = 1, 20000 do
  local s = para()
  out[#out + 1] = string.format("%q", A.strip_links(s))
  if round % 4 == 0 then
    local a = { title = rnd(5) > 1 and para() or nil, subtitles = {}, body = {}, authors = {} }
    for i = 1, rnd(3) - 1 do a.subtitles[i] = para() end
    for i = 1, rnd(10) - 1 do a.body[i] = para() end
    local c, written = A.measure(A.counters(), a)
    local keys = {}
    for w, n in pairs(written) do keys[#keys + 1] = w .. "=" .. n end
    table.sort(keys)
    local _, packed = A.measure(A.counters(), a, true)
    out[#out + 1] = string.format("%d %d %d %d %d %d %d %d %d %q %d", c.chars, c.words, c.sentences,
      c.paragraphs, c.hangul, c.hanja, c.latin, c.nonblank, c.no_title, table.concat(keys, " "), #packed)
  end
end
io.write(table.concat(out, "\n"), "\n")
