-- gisa keywords: what each article, or the whole corpus, is about.
--
--   gisa keywords corpus/                      per article: top 10 stems by TF-IDF
--   gisa keywords --reference ref/ corpus/     corpus keywords against a reference
--                                              corpus, by log-likelihood (keyness)
--
-- Per article, a word's score is tf x idf: its count in the article times
-- log(articles / articles containing it), so words common to every article
-- score 0. Against a reference corpus, each word's keyness is Rayson &
-- Garside's two-term log-likelihood G2, with the log ratio (log2 of the ratio of relative
-- frequencies, 0.5 added to a zero count) as its effect size.
-- Words are counted by stem (particles stripped) unless --words is given.

local gisa = require "gisa"
local A = require "gisa.analysis"

local opts, paths = A.parse(arg, {
  name = "keywords",
  usage = "gisa keywords [options] [PATH…]",
  summary = "Per-article keywords by TF-IDF over the corpus, or with --reference the\n" ..
    "corpus's keywords against a reference corpus by log-likelihood.",
  options = {
    { nil, "--reference", arg = "PATH", list = true, help = "reference corpus (repeatable): list corpus keywords by keyness" },
    { "-n", "--top", arg = "N", type = "number", help = "keywords per article (default 10), or in all with --reference (default 30; 0: all)" },
    { nil, "--words", help = "count words as written, not stems" },
    { nil, "--negative", help = "with --reference: also list words rarer than in the reference" },
    { nil, "--min", arg = "N", type = "number", default = 2, help = "with --reference: leave out words seen fewer than N times (default 2)" },
    { nil, "--stopwords", arg = "FILE", help = "stopwords from FILE instead of lua/gisa/stopwords.lua" },
    { nil, "--all", help = "keep stopwords and numbers" },
    { nil, "--case", help = "keep case" },
  },
})

local norm = { fold = not opts.case, nouns = not opts.words }
local stop = opts.all and {} or A.stopwords(opts.stopwords)

-- Each article's words are counted as written first; stems are decided once
-- every word of the corpus (and the reference) is known, with the corpus as
-- evidence (A.stemmer, as freq --nouns), so a word has one stem everywhere.
local vocabulary = {}

local function read(list)
  local docs, ntokens = {}, 0
  for a in A.articles(list) do
    local written, n = gisa.text.words(A.text(a, { links = false }), {})   -- all tokens, stopwords included
    docs[#docs + 1] = { file = a.file, title = a.title, written = written }
    ntokens = ntokens + n
    for w in pairs(written) do vocabulary[w] = true end
  end
  return docs, ntokens
end

local forms = {}   -- key -> a written form to show

-- The counts of one article, by key (stem or word), content words only.
local function counts_of(written)
  if norm.nouns and not norm.stemmer then norm.stemmer = A.stemmer(vocabulary) end
  local counts, shown = A.normalize(written, norm)
  for k in pairs(counts) do
    if not (opts.all or A.content(k, stop)) then counts[k] = nil
    elseif not forms[k] then forms[k] = shown and shown[k] or k end
  end
  return counts
end

------------------------------------------------------------------------------
-- Corpus keywords: keyness against a reference corpus
------------------------------------------------------------------------------

local function corpus_counts(docs)
  local total = {}
  for _, d in ipairs(docs) do A.merge(total, counts_of(d.written)) end
  return total
end

if #opts.reference > 0 then
  local top = opts.top or 30
  local docs, c = read(paths)
  local refs, d = read(opts.reference)
  local na, nb = #docs, #refs
  local target, ref = corpus_counts(docs), corpus_counts(refs)
  if c == 0 or d == 0 then A.usage("keyness needs words in both the corpus and the reference") end
  local rows = {}
  for w, a in pairs(target) do
    if a >= opts.min then
      local b = ref[w] or 0
      local g2, sign = A.keyness(a, b, c, d)
      if sign > 0 or opts.negative then
        local lr = math.log(((a > 0 and a or 0.5) / c) / ((b > 0 and b or 0.5) / d), 2)
        rows[#rows + 1] = { word = forms[w] or w, count = a, ref_count = b, g2 = sign * g2, log_ratio = lr }
      end
    end
  end
  table.sort(rows, function(x, y)
    if x.g2 ~= y.g2 then return x.g2 > y.g2 end
    return x.word < y.word
  end)
  if top > 0 then for i = #rows, top + 1, -1 do rows[i] = nil end end
  for i, r in ipairs(rows) do r.rank = i end
  opts.title = string.format("keyness: %d articles (%d words) against %d reference articles (%d words)",
    na, c, nb, d)
  A.output(rows, { "rank", "word", "count", "ref_count", { key = "g2", fmt = "%.2f" },
    { key = "log_ratio", fmt = "%.2f" } }, opts)
  return A.exit_code()
end

------------------------------------------------------------------------------
-- Per-article keywords: TF-IDF
------------------------------------------------------------------------------

local top = opts.top or 10
local docs = read(paths)
local df = {}
for _, d in ipairs(docs) do
  d.counts, d.written = counts_of(d.written), nil
  for w in pairs(d.counts) do df[w] = (df[w] or 0) + 1 end
end

local n = #docs
local rows = {}
for _, d in ipairs(docs) do
  local scored = {}
  for w, tf in pairs(d.counts) do
    scored[#scored + 1] = { w, tf, tf * math.log(n / df[w]) }
  end
  table.sort(scored, function(x, y)
    if x[3] ~= y[3] then return x[3] > y[3] end
    if x[2] ~= y[2] then return x[2] > y[2] end
    return x[1] < y[1]
  end)
  for i = 1, math.min(top > 0 and top or #scored, #scored) do
    local s = scored[i]
    rows[#rows + 1] = { file = d.file, article = d.file:match("[^/]*$"), title = d.title, rank = i,
      word = forms[s[1]] or s[1], count = s[2], df = df[s[1]], tfidf = s[3] }
  end
end

if opts.format == "table" then
  opts.title = string.format("TF-IDF keywords over %d articles", n)
  A.output(rows, { "article", "rank", "word", "count", "df", { key = "tfidf", fmt = "%.2f" } }, opts)
else
  A.output(rows, { "file", "title", "rank", "word", "count", "df", "tfidf" }, opts)
end
return A.exit_code()
