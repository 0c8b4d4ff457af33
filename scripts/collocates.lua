-- gisa collocates: the words that occur near a term, ranked by how much more
-- often than chance (log-likelihood G2 and mutual information).
--
--   gisa collocates 오픈소스 corpus/            within 5 words either side
--   gisa collocates --window 3 --nouns AI corpus/
--   gisa collocates --sort mi --min 3 AI corpus/
--
-- The term matches a word as written or its stem (오픈소스 matches 오픈소스를).
-- Counting follows Evert (2008, surface co-occurrence): the windows of an
-- article are joined into one span (their union, the term's own tokens left
-- out, cut at the article's edges), and each token in that span counts once,
-- however many windows hold it. For a collocate seen O times in the span,
-- F times in the corpus of N words, and a span of R tokens in all:
--   MI = log2(O / E), E = R * F / N         (at most log2(N / R), as O <= F)
--   G2 over the 2x2 table [O, R - O; F - O, N - R - F + O], no cell negative
-- The sign column is - when the collocate is rarer near the term than elsewhere.
-- docs/analysis.md has the definitions in full.

local gisa = require "gisa"
local A = require "gisa.analysis"

local opts, operands = A.parse(arg, {
  name = "collocates",
  job = true,
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
    { nil, "--stopwords", arg = "FILE", help = "stopwords from FILE instead of lua/gisa/analysis/stopwords.lua" },
    { nil, "--all", help = "keep stopwords and numbers" },
    { nil, "--case", help = "keep case" },
  },
  inputs = false,
})

local term = table.remove(operands, 1)
if not term or term == "" then A.usage("give a TERM") end
-- `gisa collocates corpus/`: the TERM was forgotten, and the path taken for it
if #operands == 0 and term:find("[/.]") and require("gisa").sys.stat(term) then
  A.usage("no TERM: '" .. term .. "' is a file or directory (give the TERM first: gisa collocates TERM PATH…; " ..
    "to look for that text, add a path after it or - for standard input)")
end
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

-- The state: the counts of every word (freq), of the words near the term
-- (near, left, right), and the totals. A worker counts its files; the parent
-- adds the counts up, and the report scores them against the whole corpus.
local function state()
  return { freq = {}, near = {}, left = {}, right = {}, ntokens = 0, nodes = 0, spanned = 0 }
end
local is_node_cache = {}
local function is_node(k)
  local v = is_node_cache[k]
  if v == nil then
    v = k == target or A.stem(k) == target or A.stem(k) == target_stem and target_stem ~= target
    is_node_cache[k] = v
  end
  return v
end

local key_cache = {}   -- word as written -> key (the corpus's vocabulary), looked up without a call

local function each(a, st)
  local freq, near, left, right = st.freq, st.near, st.left, st.right
  local words = A.words(A.text(a, { links = false }))
  local n = #words
  local keys, at, node_at = {}, {}, {}
  for i = 1, n do
    local wd = words[i]
    local k = key_cache[wd]
    if not k then k = key_of(wd); key_cache[wd] = k end
    keys[i] = k
    freq[k] = (freq[k] or 0) + 1
    local node = is_node_cache[k]
    if node == nil then node = is_node(k) end
    if node then at[#at + 1] = i; node_at[i] = true end
  end
  st.ntokens = st.ntokens + n
  st.nodes = st.nodes + #at
  -- the union of the windows, in order: each token once, on the side of
  -- the nearest occurrence of the term (right of the earlier one on a tie)
  local done = 0   -- the last position already counted
  for x, i in ipairs(at) do
    local nxt = at[x + 1]
    for j = math.max(1, i - w, done + 1), math.min(n, i + w) do
      if not node_at[j] then
        local c = keys[j]
        near[c] = (near[c] or 0) + 1
        st.spanned = st.spanned + 1
        if j < i or (nxt and nxt - j < j - i) then left[c] = (left[c] or 0) + 1
        else right[c] = (right[c] or 0) + 1 end
      end
      done = j
    end
  end
end

local function merge(s1, s2)
  A.merge(s1.freq, s2.freq); A.merge(s1.near, s2.near)
  A.merge(s1.left, s2.left); A.merge(s1.right, s2.right)
  s1.ntokens, s1.nodes, s1.spanned = s1.ntokens + s2.ntokens, s1.nodes + s2.nodes, s1.spanned + s2.spanned
  return s1
end

local function report(st)
  local freq, near, left, right = st.freq, st.near, st.left, st.right
  local ntokens, nodes, spanned = st.ntokens, st.nodes, st.spanned
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

  -- statistics and ranking

  local N, R = ntokens, spanned
  local rows = {}
  for c, o in pairs(near) do
    if o >= opts.min and (opts.all or A.content(c, stop)) and not is_node(c) then
      local f = freq[c]
      local o12, o21 = R - o, f - o
      local o22 = N - R - o21
      -- each token is counted once, so no cell can be negative: if one is, the
      -- counting above is wrong, and a clamped table would hide it
      assert(o12 >= 0 and o21 >= 0 and o22 >= 0, "collocates: a negative cell in the table of " .. c)
      rows[#rows + 1] = {
        word = c, count = o, left = left[c] or 0, right = right[c] or 0, freq = f,
        mi = A.mi(o, R, f, N), ll = A.g2(o, o12, o21, o22),
        sign = o * N >= R * f and "+" or "-",
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

  opts.title = string.format("%s: %d occurrences in %d words, window %d either side (%d words in the windows)",
    term, nodes, ntokens, w, spanned)
  A.output(rows, { "rank", "word", "count", "left", "right", "freq",
    { key = "mi", fmt = "%.2f" }, { key = "ll", fmt = "%.2f" }, "sign" }, opts)
end

A.run(opts, paths, { key = table.concat({ term, "--window", w, opts.case and "--case" or "" }, " "),
  fields = A.text_fields,
  state = state, each = each, merge = merge, finish = report })
return A.exit_code()
