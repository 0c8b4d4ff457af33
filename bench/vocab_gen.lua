-- bench/vocab_gen.lua: a corpus with a huge vocabulary, from a generated one
-- (bench/gen.lua's): every article's words made new, as a real corpus's are
-- new to a scan that has seen a few thousand articles. Each Hangul word of a
-- line of 40 bytes or more gets random syllables in place of its own (with
-- probability SHARE), keeping its particle, a title (entities' list: 교수,
-- 연구소장), and a name's surname (the given name made new: 김뷁쏭), so the
-- articles keep the shape the rules read: names before titles, particles.
--
--   gisa bench/vocab_gen.lua SRC DIR [SHARE=1] [SEED=7]
--
-- Deterministic for a SEED. The measure of a scan's worst case: words that
-- no Words nor table of answers has met.

local sys = require "gisa.sys"
local E = require "gisa.analysis.entities"

local src, out = assert(arg[1], "usage: vocab_gen.lua SRC DIR [SHARE] [SEED]"), assert(arg[2], "no DIR")
local SHARE = tonumber(arg[3] or "1")
math.randomseed(tonumber(arg[4] or "7"))
local random, char, concat = math.random, utf8.char, table.concat

local titles, surnames = {}, {}
for _, t in ipairs(E.titles) do titles[t] = true end
for s in E.surnames:gmatch("%S+") do surnames[s] = true end
local PARTICLE = {}
for p in ("은 는 이 가 을 를 의 에 도 로 와 과 다"):gmatch("%S+") do PARTICLE[p] = true end

local function syllable() return char(0xAC00 + random(0, 11171)) end

-- a title word, glued or not (연구소장, 교수)
local function has_title(core)
  for t in pairs(titles) do
    if core:sub(-#t) == t then return true end
  end
  return false
end

-- a run of Hangul syllables made new
local function new_run(syl)
  if #syl < 2 or random() >= SHARE then return concat(syl) end
  local n = #syl
  if n >= 3 and PARTICLE[syl[n]] then n = n - 1 end
  if has_title(concat(syl, "", 1, n)) then return concat(syl) end
  for k = surnames[syl[1]] and n == 3 and 2 or 1, n do syl[k] = syllable() end
  return concat(syl)
end

-- a word's Hangul runs made new (“설계 -> “뛣녀)
local function new_word(w)
  local parts, run = {}, {}
  for _, c in utf8.codes(w) do
    if c >= 0xAC00 and c <= 0xD7A3 then run[#run + 1] = char(c)
    else
      if #run > 0 then parts[#parts + 1] = new_run(run); run = {} end
      parts[#parts + 1] = char(c)
    end
  end
  if #run > 0 then parts[#parts + 1] = new_run(run) end
  return concat(parts)
end

local function walk(dir, rel)
  for _, name in ipairs(sys.listdir(dir) or {}) do
    local path, to = dir .. "/" .. name, out .. rel .. "/" .. name
    if sys.stat(path) == "dir" then
      os.execute("mkdir -p '" .. to .. "'")
      walk(path, rel .. "/" .. name)
    else
      local s = assert(sys.readfile(path))
      s = s:gsub("[^\n]+", function(l)
        if #l >= 40 then return (l:gsub("%S+", new_word)) end
      end)
      local f = assert(io.open(to, "wb"))
      f:write(s)
      f:close()
    end
  end
end

os.execute("mkdir -p '" .. out .. "'")
walk(src, "")
