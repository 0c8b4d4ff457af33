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
--
-- A gisa.run job: `each` keeps an article's words as written (encoded by
-- gisa.wire, a compact string), `merge` appends them in input order, and the
-- report reads them twice, document frequencies first, then scores. Past a
-- few megabytes the parent keeps them in a temporary file (A.spill), so
-- memory grows with the vocabulary, not with the number of articles; rows are
-- written as they are made (A.output_stream).

local gisa = require "gisa"
local A = require "gisa.analysis"
local wire = require "gisa.wire"

local opts, paths = A.parse(arg, {
  name = "keywords",
  job = true,
  usage = "gisa keywords [options] [PATH…]",
  summary = "Per-article keywords by TF-IDF over the corpus, or with --reference the\n" ..
    "corpus's keywords against a reference corpus by log-likelihood.",
  options = {
    { nil, "--reference", arg = "PATH", list = true, help = "reference corpus (repeatable): list corpus keywords by keyness" },
    { "-n", "--top", arg = "N", type = "number", help = "keywords per article (default 10), or in all with --reference (default 30; 0: all)" },
    { nil, "--words", help = "count words as written, not stems" },
    { nil, "--negative", help = "with --reference: also list words rarer than in the reference" },
    { nil, "--min", arg = "N", type = "number", default = 2, help = "with --reference: leave out words seen fewer than N times (default 2)" },
    { nil, "--stopwords", arg = "FILE", help = "stopwords from FILE instead of lua/gisa/analysis/stopwords.lua" },
    { nil, "--all", help = "keep stopwords and numbers" },
    { nil, "--case", help = "keep case" },
  },
})

local norm = { fold = not opts.case, nouns = not opts.words }
local stop = opts.all and {} or A.stopwords(opts.stopwords)
local encode, decode = wire.encode, wire.decode

------------------------------------------------------------------------------
-- Per article: its words as written (the job's state)
------------------------------------------------------------------------------

-- Each article's words are counted as written first; stems are decided once
-- every word of the corpus (and the reference) is known, with the corpus as
-- evidence (A.stemmer, as freq --nouns), so a word has one stem everywhere.
-- The state: docs = {encoded {file, title, written}…} in input order,
-- vocabulary = word -> true, ntokens. The parent's own state (`root`) moves
-- its docs into a spill as they come, except for --partial, which writes them.
local roots = setmetatable({}, { __mode = "k" })
local spills = setmetatable({}, { __mode = "k" })

local function state() return { docs = {}, vocabulary = {}, ntokens = 0 } end

local function settle(s)
  if not roots[s] or gisa.options.partial then return end
  local sp = spills[s]
  if not sp then sp = A.spill(); spills[s] = sp end
  for _, d in ipairs(s.docs) do sp:add(d) end
  s.docs = {}
end

local function each(a, s)
  local written, n = gisa.text.words(A.text(a, { links = false }), {})   -- all tokens, stopwords included
  s.docs[#s.docs + 1] = encode({ a.file, a.title or false, written })
  s.ntokens = s.ntokens + n
  local v = s.vocabulary
  for w in pairs(written) do v[w] = true end
  if #s.docs >= 256 then settle(s) end
end

local function merge(s1, s2)
  if gisa.options.merge then roots[s1] = true end
  table.move(s2.docs, 1, #s2.docs, #s1.docs + 1, s1.docs)
  local v = s1.vocabulary
  for w in pairs(s2.vocabulary) do v[w] = true end
  s1.ntokens = s1.ntokens + s2.ntokens
  if #s1.docs >= 256 then settle(s1) end
  return s1
end

-- The documents of a state, in order: file, title, written.
local function docs_of(s)
  settle(s)
  local sp = spills[s]
  local next_doc
  if sp then next_doc = sp:each()
  else
    local i = 0
    next_doc = function() i = i + 1; return s.docs[i] end
  end
  return function()
    local d = next_doc()
    if not d then return nil end
    local t = decode(d)
    return t[1], t[2] or nil, t[3]
  end
end

local function count_docs(s)
  local n = 0
  for _ in docs_of(s) do n = n + 1 end
  return n
end

local forms = {}   -- key -> a written form to show
local content = {}  -- key -> is it a content word (A.content), once per key

-- The counts of one article, by key (stem or word), content words only, as
-- A.normalize and A.content make them (counts_slow); once every key of the
-- article has its form, one cached lookup a word does the same (key_or_not:
-- written word -> its key, or false for no content word).
local key_or_not, key_of = {}, nil
local remap = require("gisa.tally").remap
local function counts_slow(written)
  local counts, shown = A.normalize(written, norm)
  for k in pairs(counts) do
    local c = content[k]
    if c == nil then c = opts.all or A.content(k, stop); content[k] = c end
    if not c then counts[k] = nil
    elseif not forms[k] then forms[k] = shown and shown[k] or k end
  end
  return counts
end

local function counts_of(written)
  if norm.nouns and not norm.stemmer then norm.stemmer = A.stemmer(norm.vocabulary) end
  if not key_of then key_of = A.keyer({ fold = norm.fold, nouns = norm.nouns, stemmer = norm.stemmer }) end
  -- the words with a key already summed in C; the others' keys decided here
  local counts = {}
  local fresh = remap(written, key_or_not, counts)
  for i = 1, #fresh do
    local w = fresh[i]
    local k = key_of(w)
    local c = content[k]
    if c == nil then c = opts.all or A.content(k, stop); content[k] = c end
    if not c then k = false end
    key_or_not[w] = k
    if k then
      -- a key seen for the first time takes its form from this article
      if not forms[k] then return counts_slow(written) end
      counts[k] = (counts[k] or 0) + written[w]
    end
  end
  return counts
end

------------------------------------------------------------------------------
-- Corpus keywords: keyness against a reference corpus
------------------------------------------------------------------------------

local function corpus_counts(s)
  local total = {}
  for _, _, written in docs_of(s) do A.merge(total, counts_of(written)) end
  return total
end

local function keyness(s)
  local top = opts.top or 30
  -- the reference is read here, in the parent, after the corpus
  local r = state()
  roots[r] = true
  for a in A.articles(opts.reference) do each(a, r) end
  for w in pairs(r.vocabulary) do s.vocabulary[w] = true end
  norm.vocabulary, r.vocabulary = s.vocabulary, nil
  local c, d = s.ntokens, r.ntokens
  local na, nb = count_docs(s), count_docs(r)
  local target, ref = corpus_counts(s), corpus_counts(r)
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
  for i, row in ipairs(rows) do row.rank = i end
  opts.title = string.format("keyness: %d articles (%d words) against %d reference articles (%d words)",
    na, c, nb, d)
  A.output(rows, { "rank", "word", "count", "ref_count", { key = "g2", fmt = "%.2f" },
    { key = "log_ratio", fmt = "%.2f" } }, opts)
end

------------------------------------------------------------------------------
-- Per-article keywords: TF-IDF
------------------------------------------------------------------------------

-- An article's best `top` terms (every one when top <= 0), in order: by
-- score, then count (highest first), then key (as < orders strings); the
-- same as sorting them all and cutting, done in C (gisa.tally) since an
-- article has hundreds of terms and wants ten.
local tally_top, tally_index = require("gisa.tally").top, require("gisa.tally").index
local log = math.log

local function tfidf(s)
  local top = opts.top or 10
  norm.vocabulary = s.vocabulary
  -- first pass: document frequencies (and each key's form, in input order)
  -- (each article's counts by key go to a second spill, so the second pass
  -- does not normalize again; as key numbers and counts, {id, count, …}, so
  -- reading them back makes no strings)
  local df, n = {}, 0
  local id_of, key_by_id, nid = {}, {}, 0
  local keyed = A.spill()
  for file, title, written in docs_of(s) do
    n = n + 1
    -- (in C: df[key] + 1, and each key's number and count into flat)
    local flat
    flat, nid = tally_index(counts_of(written), df, id_of, key_by_id, nid)
    keyed:add(encode({ file, title or false, flat }))
  end
  id_of = nil
  local sp = spills[s]
  if sp then sp:close(); spills[s] = nil end
  s.docs = {}
  -- second pass: the scores, each article's rows as they are made
  local idf = {}   -- by key number
  for id = 1, nid do idf[id] = log(n / df[key_by_id[id]]) end
  local want = math.tointeger(top) or math.ceil(top)
  local function produce(emit)
    for d in keyed:each() do
      local t = decode(d)
      local file, title, flat = t[1], t[2] or nil, t[3]
      local best = tally_top(flat, idf, key_by_id, want)
      for i = 1, #best // 3 do
        local w, tf, sc = key_by_id[best[3 * i - 2]], best[3 * i - 1], best[3 * i]
        emit({ file = file, article = file:match("[^/]*$"), title = title, rank = i,
          word = forms[w] or w, count = tf, df = df[w], tfidf = sc })
      end
    end
  end
  if opts.format == "table" then
    opts.title = string.format("TF-IDF keywords over %d articles", n)
    A.output_stream(produce, { "article", "rank", "word", "count", "df", { key = "tfidf", fmt = "%.2f" } }, opts)
  else
    A.output_stream(produce, { "file", "title", "rank", "word", "count", "df", "tfidf" }, opts)
  end
  keyed:close()
end

------------------------------------------------------------------------------
-- The run
------------------------------------------------------------------------------

A.run(opts, paths, {
  -- the state is the words as written whatever the options (they all act in
  -- the report), so partial states of any keywords run merge
  state = state,
  begin = function(s) roots[s] = true end,
  each = each,
  merge = merge,
  finish = function(s)
    if #opts.reference > 0 then keyness(s) else tfidf(s) end
    local sp = spills[s]
    if sp then sp:close() end
  end,
})
return A.exit_code()
