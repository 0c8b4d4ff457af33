-- strip_josa against a morpheme-annotated treebank in CoNLL-U (Universal
-- Dependencies Korean, e.g. UD_Korean-GSD's ko_gsd-ud-train.conllu: LEMMA
-- holds the morphemes, 잡스+는, and XPOS their Sejong tags, NNP+JX). The data
-- stays outside the repository: pass the files, or a directory, or set
-- GISA_JOSA_DATA (default /work/josa-data). Use TRAINING data only. The
-- KAIST tag set (UD_Korean-Kaist: 프랑스+의, nq+jcm) is read as well: its
-- n* tags are nominal, f (foreign words), xp* (prefixes) and xsn* (noun
-- suffixes) too, and its j* tags particles (jp, the copula, among them:
-- 서울입니다, nq+jp+ef, is a particle then more and left out).
--
--   ./gisa bench/josa_treebank.lua [FILE.conllu | DIR]... [-v]
--
-- Gold, word by word:
--   * nominal morphemes (NN*, NP, NR, SN, SL, SH, XPN, XSN) then particles
--     (J*) only: the stem is the word's surface up to the end of the nominal
--     morphemes, the particle the rest (예전엔 = 예전 + 엔); words whose
--     surface does not start with their nominal morphemes (걸로 = 것+로) are
--     left out;
--   * no particle at all (nouns, verb and adjective forms, adverbs): the word
--     must come back whole;
--   * anything else (a verb form or adverb followed by a particle: 보기에는,
--     아직도) is left out, and counted.
-- precision = right cuts / cuts made; recall = right cuts / gold particles (a
-- cut is right when stem and particle are both the gold ones).
local hangul = require "gisa.hangul"
local sys = require "gisa.sys"

local verbose = false
local inputs = {}
for _, a in ipairs(arg) do
  if a == "-v" then verbose = true else inputs[#inputs + 1] = a end
end
if #inputs == 0 then inputs[1] = os.getenv("GISA_JOSA_DATA") or "/work/josa-data" end

local files = {}
for _, p in ipairs(inputs) do
  local kind = sys.stat(p)
  if kind == "dir" then
    local names = sys.listdir(p)
    table.sort(names)
    for _, n in ipairs(names) do
      if n:find("%.conllu$") and not n:find("test") then files[#files + 1] = p .. "/" .. n end
    end
  elseif kind == "file" then
    files[#files + 1] = p
  else
    io.stderr:write("josa_treebank: no such file or directory: ", p, "\n")
    os.exit(2)
  end
end
if #files == 0 then
  io.stderr:write("josa_treebank: no .conllu files (training data only) in ", table.concat(inputs, " "), "\n")
  os.exit(2)
end

local function nominal(tag)
  return tag:find("^[Nn]") or tag == "SN" or tag == "SL" or tag == "SH" or tag == "XPN" or tag == "XSN"
    or tag == "f" or tag:find("^xp") or tag:find("^xsn")
end

local function particle(tag)
  return tag:find("^[Jj]") ~= nil
end

local function split(s)
  local out = {}
  for piece in (s .. "+"):gmatch("(.-)%+") do out[#out + 1] = piece end
  return out
end

-- gold(form, lemma, xpos) -> stem, particle|nil   or nil when left out
local function gold(form, lemma, xpos)
  if form == "_" or not form:find("[\xEA-\xED]") then return nil, "not Hangul" end
  local ms, ts = split(lemma), split(xpos)
  if #ms ~= #ts then return nil, "unaligned" end
  local k = #ts + 1
  for i, tg in ipairs(ts) do
    if particle(tg) then k = i; break end
  end
  if k > #ts then return form, nil end                 -- no particle: whole
  for i = 1, k - 1 do
    if not nominal(ts[i]) then return nil, "particle after a non-noun" end
  end
  for i = k, #ts do
    if not particle(ts[i]) then return nil, "particle then more" end
  end
  if k == 1 then return nil, "particle alone" end
  local stem = table.concat(ms, "", 1, k - 1)
  if form:sub(1, #stem) ~= stem or #form == #stem then return nil, "contracted stem" end
  return stem, form:sub(#stem + 1)
end

local tp, fp, fn, words = 0, 0, 0, 0
local left = {}
-- every error counted once more under the classes of issue 18 (counts only,
-- so that a held-out part can be reported by class without reading its words)
local by_class = {}
local function count_class(gs, gp, xpos, p)
  local c
  if gp and not p then
    c = utf8.len(gs) == 1 and "one-syllable noun missed"
      or (utf8.len(gp) > 1 and "stacked or contracted particle missed" or "other particle missed")
  elseif gp then
    c = "wrong stem (cut inside the noun or a wrong particle)"
  else
    local first = xpos:match("^[^+]+")
    c = first:find("^[Nn]") and "bare noun cut" or first:find("^MA") and "adverb cut"
      or first:find("^ma") and "adverb cut"
      or (first:find("^V") or first:find("^X") or first:find("^p") or first:find("^x")) and "verb or adjective form cut"
      or "other word cut"
  end
  by_class[c] = (by_class[c] or 0) + 1
end
local classes = { miss = {}, wrong_stem = {}, cut_whole = {} }
local seen = {}
for _, path in ipairs(files) do
  for line in io.lines(path) do
    if line:find("^%d+\t") then
      local cols = {}
      for c in line:gmatch("[^\t]+") do cols[#cols + 1] = c end
      local form, lemma, xpos = cols[2], cols[3], cols[5]
      if form and lemma and xpos then
        local gs, gp = gold(form, lemma, xpos)
        if not gs then
          left[gp] = (left[gp] or 0) + 1
        else
          words = words + 1
          local s, p = hangul.strip_josa(form)
          local right = s == gs and p == gp
          local class
          if p then
            if right then tp = tp + 1 else
              fp = fp + 1
              class = gp and "wrong_stem" or "cut_whole"
            end
          end
          if gp and not right then
            fn = fn + 1
            class = class or "miss"
          end
          if not right and (p or gp) then count_class(gs, gp, xpos, p) end
          if class and not seen[form] then
            seen[form] = true
            local c = classes[class]
            c[#c + 1] = string.format("%s (gold %s+%s, got %s+%s, %s)", form, gs, gp or "", s, p or "", xpos)
          end
        end
      end
    end
  end
end

local precision, recall = tp / math.max(tp + fp, 1), tp / math.max(tp + fn, 1)
print(string.format("files: %d; words scored: %d; cuts right %d, wrong %d; gold particles missed %d",
  #files, words, tp, fp, fn))
print(string.format("precision %.4f  recall %.4f", precision, recall))
local l = {}
for why, n in pairs(left) do l[#l + 1] = string.format("%s %d", why, n) end
table.sort(l)
print("left out: " .. table.concat(l, ", "))
local cs = {}
for c, n in pairs(by_class) do cs[#cs + 1] = string.format("%s %d", c, n) end
table.sort(cs)
print("errors by class: " .. (#cs > 0 and table.concat(cs, ", ") or "none"))
for _, name in ipairs({ "miss", "wrong_stem", "cut_whole" }) do
  local c = classes[name]
  print(string.format("%s: %d distinct words", name, #c))
  if verbose then for _, e in ipairs(c) do print("  " .. e) end end
end
