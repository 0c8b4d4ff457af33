-- gisa collocates: the words that occur near a term, ranked by how much more
-- often than chance (log-likelihood G2 and mutual information, as AntConc).
--
--   gisa collocates 오픈소스 corpus/            within 5 words either side
--   gisa collocates --window 3 --nouns AI corpus/
--   gisa collocates --sort mi --min 3 AI corpus/
--
-- The term matches a word as written or its stem (오픈소스 matches 오픈소스를).
-- Statistics, for a collocate seen O times within the windows, F times in
-- the corpus of N words, the term seen T times and a span of S = 2 x window:
--   MI = log2(O / E), E = T * S * F / N
--   G2 over the 2x2 table [O, T*S - O; F - O, N - T*S - F + O]
-- The sign column is - when the collocate is rarer near the term than elsewhere.

local gisa = require "gisa"
local A = require "gisa.analysis"

local opts, operands = A.parse(arg, {
  name = "collocates",
  usage = "gisa collocates [options] TERM [PATH…]",
  summary = "List the words within a window around TERM, with their counts on each side,\n" ..
    "ranked by log-likelihood (default) or mutual information.",
  options = {
    { nil, "--window", arg = "N", type = "number", default = 5, help = "words on each side (default 5)" },
    { nil, "--nouns", help = "count collocates by stem (생태계를, 생태계의 → 생태계)" },
    { nil, "--sort", arg = "KEY", default = "ll", choices = { "ll", "mi", "count" },
      help = "rank by ll (log-likelihood, default), mi or count" },
    { nil, "--min", arg = "N", type = "number", default = 2, help = "leave out collocates seen fewer than N times near TERM (default 2)" },
    { "-n", "--top", arg = "N", type = "number", default = 30, help = "list N collocates (0: all; default 30)" },
    { nil, "--stopwords", arg = "FILE", help = "stopwords from FILE instead of lua/gisa/stopwords.lua" },
    { nil, "--all", help = "keep stopwords and numbers" },
    { nil, "--case", help = "keep case" },
  },
  inputs = false,
})

local term = table.remove(operands, 1)
if not term or term == "" then A.usage("give a TERM") end
local paths = A.inputs(operands, "collocates")
local w = opts.window
if w < 1 then A.usage("--window needs N >= 1") end
local stop = opts.all and {} or A.stopwords(opts.stopwords)
local fold = not opts.case

------------------------------------------------------------------------------
-- Per article: tokens, then the window around each occurrence of the term
------------------------------------------------------------------------------

local lower = gisa.text.lower
local target = fold and lower(term) or term
local target_stem = A.stem(target)
local key_of = A.keyer({ fold = fold })          -- as written, lowercased

local freq, near, left, right = {}, {}, {}, {}
local ntokens, nodes = 0, 0
local is_node_cache = {}
local function is_node(k)
  local v = is_node_cache[k]
  if v == nil then
    v = k == target or A.stem(k) == target or A.stem(k) == target_stem and target_stem ~= target
    is_node_cache[k] = v
  end
  return v
end

for a in A.articles(paths) do
  local words = A.words(A.text(a, { links = false }))
  local n = #words
  local keys = {}
  for i = 1, n do
    keys[i] = key_of(words[i])
    freq[keys[i]] = (freq[keys[i]] or 0) + 1
  end
  local colls = keys
  ntokens = ntokens + n
  for i = 1, n do
    if is_node(keys[i]) then
      nodes = nodes + 1
      for j = math.max(1, i - w), math.min(n, i + w) do
        if j ~= i then
          local c = colls[j]
          near[c] = (near[c] or 0) + 1
          if j < i then left[c] = (left[c] or 0) + 1 else right[c] = (right[c] or 0) + 1 end
        end
      end
    end
  end
end

-- With --nouns, collocates count by stem: every count above is a sum over
-- tokens, so the written forms' counts are merged by stem now, when the whole
-- corpus is known and can be the evidence for each cut (A.stemmer, as freq).
if opts.nouns then
  local stem = A.stemmer(freq)
  local function by_stem(t)
    local out = {}
    for k, v in pairs(t) do
      local s = stem(k)
      out[s] = (out[s] or 0) + v
    end
    return out
  end
  freq, near, left, right = by_stem(freq), by_stem(near), by_stem(left), by_stem(right)
end

------------------------------------------------------------------------------
-- Statistics and ranking
------------------------------------------------------------------------------

local span = 2 * w
local slots = nodes * span
local rows = {}
for c, o in pairs(near) do
  if o >= opts.min and (opts.all or A.content(c, stop)) and not is_node(c) then
    local f = freq[c]
    local o12 = math.max(slots - o, 0)
    local o21 = math.max(f - o, 0)
    local o22 = math.max(ntokens - o - o12 - o21, 0)
    local expected = slots * f / ntokens
    rows[#rows + 1] = {
      word = c, count = o, left = left[c] or 0, right = right[c] or 0, freq = f,
      mi = A.mi(o, nodes, f, ntokens, span), ll = A.g2(o, o12, o21, o22),
      sign = o >= expected and "+" or "-",
    }
  end
end
local by = opts.sort
table.sort(rows, function(x, y)
  local a, b = x[by] or -math.huge, y[by] or -math.huge
  if a ~= b then return a > b end
  if x.count ~= y.count then return x.count > y.count end
  return x.word < y.word
end)
if opts.top > 0 then for i = #rows, opts.top + 1, -1 do rows[i] = nil end end
for i, r in ipairs(rows) do r.rank = i end

opts.title = string.format("%s: %d occurrences in %d words, window %d either side", term, nodes, ntokens, w)
A.output(rows, { "rank", "word", "count", "left", "right", "freq",
  { key = "mi", fmt = "%.2f" }, { key = "ll", fmt = "%.2f" }, "sign" }, opts)
return A.exit_code()
