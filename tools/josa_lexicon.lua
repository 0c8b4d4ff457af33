-- Build step: turn hunspell-ko's dictionary (Debian package hunspell-ko,
-- /usr/share/hunspell/ko.dic; MPL-1.1 / GPL-2+ / LGPL-2.1+) into the compact
-- word list gisa.josa reads (build/josa_lexicon.tsv: word TAB kind, NFC).
--
--   ./gisa tools/josa_lexicon.lua [ko.dic [out.tsv [hanja.txt]]]
--
-- hanja.txt (Debian package libhangul-data, /usr/share/libhangul/hanja/
-- hanja.txt; BSD-3) lists Sino-Korean words with their hanja (한려수도:閑麗水道:):
-- those of three syllables or more that hunspell-ko lacks and that end like a
-- particle are written as kind h, a noun known to be one word (see gisa.josa:
-- such a word is not cut after a stem the lexicon does not know). Optional:
-- without it (a missing file, or "") the lexicon is hunspell-ko's alone.
--
-- ko.dic stores words in conjoining jamo (NFD) with numbered flag aliases
-- (ko.aff's AF lines); what the aliases mean was read off the dictionary:
--   10, 25            common and proper nouns (받침 / no 받침)
--   8 9 12-14 16-18 20 21 24 27-29 (and none)   pronouns, bound nouns, counters, numerals
--   67                adverbs (실제로, 너무나, 스스로)
--   2 3 4             verb and adjective forms listed whole (나타나, 커다란, 있어)
--   other, ending 다  verb and adjective lemmas (늘어나다: its stem 늘어나)
-- Kinds written: n noun, a adverb, v verb form (whole word), s verb stem;
-- e, an ending that makes a bare noun (below); h, a Sino-Korean word from
-- hanja.txt (above).
-- A word takes the first kind in that order, except that a noun which is
-- also a verb or adjective stem (입 of 입다, 튀기 of 튀기다) is written b. Verb forms are kept only when
-- they end like a particle (the only ones strip_josa could cut), or are the
-- 아/어 forms (flag 2) that take 도, 서, 야 as verb endings (있어도).
local text = require "gisa.text"
local josa = require "gisa.analysis.josa"

local src = arg[1] or "/usr/share/hunspell/ko.dic"
local out = arg[2] or "build/josa_lexicon.tsv"
local hanja = arg[3] or "/usr/share/libhangul/hanja/hanja.txt"

local NOUN = {}
for f in ("8 9 10 12 13 14 16 17 18 20 21 24 25 27 28 29"):gmatch("%d+") do NOUN[f] = true end
local ADVERB = { ["67"] = true }
local FORM = { ["2"] = true, ["3"] = true, ["4"] = true }
local RANK = { n = 1, a = 2, v = 3, s = 4 }

local f, err = io.open(src, "rb")
if not f then
  io.stderr:write("josa_lexicon: ", err, "\n")
  os.exit(1)
end
local kind, verb_stem = {}, {}
local function put(w, k)
  if k == "s" then verb_stem[w] = true end
  local old = kind[w]
  if not old or RANK[k] < RANK[old] then kind[w] = k end
end
local ends = {}
for p in pairs(josa.particles) do ends[p] = true end
local function ends_like_particle(w)
  local n = utf8.len(w)
  for i = 2, n do
    if ends[w:sub(utf8.offset(w, i))] then return true end
  end
  return false
end

local first = true
for line in f:lines() do
  if first then first = false else
    local w, flags = line:match("^([^/]+)/?(.*)$")
    if w then
      w = text.normalize(w, "NFC") or w
      if flags == "" then flags = "none" end
      for fl in flags:gmatch("[^,]+") do
        if NOUN[fl] or fl == "none" then put(w, "n")
        elseif ADVERB[fl] then put(w, "a")
        elseif fl == "2" then put(w, "v")     -- 있어, 같아: 있어도 is a verb form
        elseif FORM[fl] then
          if ends_like_particle(w) then put(w, "v") end
        elseif w:find("다$") and #w > 3 then
          if ends_like_particle(w) then put(w, "v") end
          put(w:sub(1, -4), "s")
        end
      end
    end
  end
end
f:close()

local words = {}
for w, k in pairs(kind) do
  words[#words + 1] = w
  if k == "n" and verb_stem[w] then kind[w] = "b" end
end
-- Endings that make a bare noun (see gisa.josa, strip): xy, a syllable and
-- a one-syllable particle, that ends at least two nouns of three syllables or
-- more, and at least as many as x ends nouns of two syllables or more
-- (맞이, 뱅이: 설날맞이 is a noun, not 설날맞 + 이), written as "~xy TAB e".
local end1, end2 = {}, {}
for w, k in pairs(kind) do
  if k == "n" then
    local n = utf8.len(w) or 0
    if n >= 2 then
      local x = w:sub(utf8.offset(w, -1))
      end1[x] = (end1[x] or 0) + 1
      if n >= 3 then
        local xy = w:sub(utf8.offset(w, -2))
        end2[xy] = (end2[xy] or 0) + 1
      end
    end
  end
end
for xy, a in pairs(end2) do
  local x = xy:sub(1, utf8.offset(xy, 2) - 1)
  local y = xy:sub(#x + 1)
  if #y == 3 and josa.particles[y] and a >= 2 and a >= (end1[x] or 0) then
    kind["~" .. xy] = "e"
    words[#words + 1] = "~" .. xy
  end
end
-- Sino-Korean words (kind h): whole Hangul words of three syllables or more,
-- read as they are (hanja.txt is NFC), that the dictionary above lacks.
local nh = 0
local hf = hanja ~= "" and io.open(hanja, "rb")
if hf then
  for line in hf:lines() do
    local w = line:match("^([^#:][^:]*):")
    if w and not kind[w] and (utf8.len(w) or 0) >= 3 and not w:find("[^\xEA-\xED\x80-\xBF]")
        and ends_like_particle(w) then
      kind[w] = "h"
      words[#words + 1] = w
      nh = nh + 1
    end
  end
  hf:close()
end
table.sort(words)
local o = assert(io.open(out .. ".tmp", "wb"))
o:write("# gisa.josa lexicon, made by tools/josa_lexicon.lua from ", src,
  " (hunspell-ko; MPL-1.1/GPL-2+/LGPL-2.1+)",
  nh > 0 and (" and " .. hanja .. " (libhangul-data; BSD-3)") or "", "\n")
for _, w in ipairs(words) do o:write(w, "\t", kind[w], "\n") end
o:close()
assert(os.rename(out .. ".tmp", out))
io.stderr:write(string.format("josa_lexicon: %d words (%d from %s) -> %s\n", #words, nh,
  nh > 0 and hanja or "no hanja list", out))
