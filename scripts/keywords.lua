-- gisa keywords: what each article, or the whole corpus, is about.
--
--   gisa keywords corpus/                      per article: top 10 stems by TF-IDF
--   gisa keywords --reference ref/ corpus/     corpus keywords against a reference
--                                              corpus, by log-likelihood (keyness)
--
-- Per article, a word's score is tf x idf: its count in the article times
-- log(articles / articles containing it), so words common to every article
-- score 0. Against a reference corpus, each word's keyness is Dunning's G2 (as
-- AntConc's default), with the log ratio (log2 of the ratio of relative
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

-- The counts of one text, by key (stem or word), content words only.
local function counts_of(s, forms_into)
  local written = gisa.text.words(s, {})
  local counts, forms = A.normalize(written, norm)
  for k in pairs(counts) do
    if not (opts.all or A.content(k, stop)) then counts[k] = nil
    elseif forms_into and not forms_into[k] then forms_into[k] = forms and forms[k] or k end
  end
  return counts
end

local forms = {}   -- key -> a written form to show

------------------------------------------------------------------------------
-- Corpus keywords: keyness against a reference corpus
------------------------------------------------------------------------------

local function corpus_counts(list)
  local total, n, narticles = {}, 0, 0
  for a in A.articles(list) do
    narticles = narticles + 1
    local s = A.text(a, { links = false })
    local _, ntok = gisa.text.words(s, {})   -- all tokens, stopwords included
    n = n + ntok
    A.merge(total, counts_of(s, forms))
  end
  return total, n, narticles
end

if #opts.reference > 0 then
  local top = opts.top or 30
  local target, c, na = corpus_counts(paths)
  local ref, d, nb = corpus_counts(opts.reference)
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
local docs, df = {}, {}
for a in A.articles(paths) do
  local counts = counts_of(A.text(a, { links = false }), forms)
  docs[#docs + 1] = { file = a.file, title = a.title, counts = counts }
  for w in pairs(counts) do df[w] = (df[w] or 0) + 1 end
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
