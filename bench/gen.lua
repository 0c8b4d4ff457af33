-- bench/gen.lua: a large generated corpus from our own samples (corpus/*.txt,
-- never ../shared): each article keeps the page layout of one sample (its head,
-- bylines, captions, copyright and tail lines) with its paragraphs drawn from all
-- samples, its reporter renamed and its dates moved, padded to about 5 KB.
--
--   gisa bench/gen.lua [N=20000] [DIR=bench/data/gen-N]
--
-- Files go 1,000 to a subdirectory (DIR/d000/a000000.txt …). Deterministic.

local sys = require "gisa.sys"
local L = require "gisa.rules.lib"

local N = tonumber(arg[1] or "20000")
local root = arg[0]:match("^(.*)/bench/[^/]*$") or "."
local out = arg[2] or (root .. "/bench/data/gen-" .. N)
local TARGET = 5000        -- bytes per article, on average

math.randomseed(42)
local random, floor, format, concat = math.random, math.floor, string.format, table.concat

-- A paragraph: a long line that ends a sentence and does not open with a tag.
local function is_para(l)
  return #l > 240 and L.final(l) and not l:find("^[%[%(]")
end

-- Only UTF-8 samples: the generator does not decode (the decoder is measured apart).
local samples, pool = {}, {}
local dir = root .. "/corpus"
for _, name in ipairs(sys.listdir(dir) or {}) do
  if name:find("%.txt$") then
    local s = assert(sys.readfile(dir .. "/" .. name))
    if utf8.len(s) and not s:find("\0", 1, true) then
      s = s:gsub("\r\n", "\n")
      local lines = {}
      for l in (s .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
      samples[#samples + 1] = { name = name, lines = lines }
      for _, l in ipairs(lines) do
        -- paragraphs: long lines that end a sentence, not quotes of the head
        if is_para(l) then
          pool[#pool + 1] = l
        end
      end
    end
  end
end
assert(#samples > 0 and #pool > 0, "no UTF-8 samples in " .. dir)

local surnames = { "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황" }
local given = { "민준", "서연", "도윤", "하은", "지호", "수빈", "예준", "지우", "현우", "채원", "준서", "윤서",
  "건우", "다은", "우진", "소율", "태민", "가온", "시우", "나래" }
local function name() return surnames[random(#surnames)] .. given[random(#given)] end

local function new_date(y, sep, m, d)
  return format("%04d%s%02d%s%02d", 2023 + random(0, 2), sep, random(1, 12), sep, random(1, 28))
end

-- One article from sample S: paragraphs swapped for random ones from the pool.
local function article(s)
  local who = name()
  local buf, size = {}, 0
  local paras = 0
  for _, l in ipairs(s.lines) do
    if is_para(l) then
      l = pool[random(#pool)]
      paras = paras + 1
    end
    l = l:gsub("(%d%d%d%d)([%.%-/])(%d%d)%2(%d%d)", new_date)
    -- "홍길동 기자" -> the new reporter (a name: 2-4 characters, none ASCII)
    l = l:gsub("(%S+) 기자", function(w)
      local n = utf8.len(w)
      if n and n >= 2 and n <= 4 and not w:find("[%w%p]") then return who .. " 기자" end
    end)
    buf[#buf + 1] = l
    size = size + #l + 1
  end
  -- pad with more paragraphs (before the last quarter of the lines: the tail)
  local at = math.max(2, floor(#buf * 0.7))
  while size < TARGET * (0.85 + random() * 0.6) do
    local p = pool[random(#pool)]
    table.insert(buf, at, "")
    table.insert(buf, at, p)
    size = size + #p + 2
  end
  return concat(buf, "\n")
end

os.execute("mkdir -p '" .. out .. "'")
local total = 0
local t0 = sys.clock()
for i = 0, N - 1 do
  local sub = format("%s/d%03d", out, i // 1000)
  if i % 1000 == 0 then os.execute("mkdir -p '" .. sub .. "'") end
  local s = samples[i % #samples + 1]
  local text = article(s)
  local f = assert(io.open(format("%s/a%06d.txt", sub, i), "wb"))
  f:write(text)
  f:close()
  total = total + #text
end
io.stderr:write(format("gen: %d articles, %.1f MB, from %d samples (%d paragraphs) in %s (%.1fs)\n",
  N, total / 1e6, #samples, #pool, out, sys.clock() - t0))
