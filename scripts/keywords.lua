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
-- A gisa.run job: `each` keeps an article's words (one string made in C:
-- each distinct word and its count) numbered in C (gisa.tally.vocab; under
-- -j in each worker's vocabulary, whose new words cross once and are
-- numbered again in the parent's), `merge` appends them in input order, and
-- the report reads them twice, document frequencies first, then scores. Past a
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
-- An article's words as written are one string made in C (text.words(s,
-- "pack"): each distinct word and its count), never a Lua string a word.
-- The state: docs = {encoded {file, title, packed}…} in input order, and
-- ntokens. The parent's own state (`root`) numbers each article's words in
-- C as it comes (gisa.tally.vocab: the corpus's words, once each) and moves
-- the article, as word numbers and counts, into a spill; except for
-- --partial, which writes the words themselves.
local roots = setmetatable({}, { __mode = "k" })
local spills = setmetatable({}, { __mode = "k" })
local tally = require "gisa.tally"
local parallel = require "gisa.pipeline.parallel"
local vocab = tally.vocab()

-- Under -j (not --partial), a worker numbers its articles' words in a
-- vocabulary of its own (made at its first article), so the parent looks up
-- no word an article: a state then holds `wid` (the worker's name), its
-- articles as {file, title, numbered, wid} in that worker's numbers, and the
-- words the worker numbered since its last state (`new`, from number
-- `from` + 1). The parent learns each worker's numbers as its states come
-- (vocab:learn: the parent's numbers of the worker's words from `from` + 1,
-- 4 bytes each) and takes an article's to its own (vocab:renumber) when it
-- reads it back, once every state is in. (The parent's numbers are in
-- first-seen order as at -j 1, but no output depends on them.)
local wvocab, wid, wsent = nil, nil, 0
local maps = {}     -- wid -> {[from] = map of the words from + 1 …}, then the maps joined

local function map_of(w)
  local m = maps[w]
  if type(m) == "string" then return m end
  local starts = {}
  for from in pairs(m) do starts[#starts + 1] = from end
  table.sort(starts)
  local parts, at = {}, 0
  for i, from in ipairs(starts) do
    if from ~= at then error("keywords: the words of worker " .. w .. " are not all in (" .. at .. ")", 0) end
    parts[i] = m[from]
    at = at + #m[from] // 4
  end
  m = table.concat(parts)
  maps[w] = m
  return m
end

local function state() return { docs = {}, ntokens = 0 } end

-- an article's {file, title, words} into the root's spill, numbered
local function keep(s, file, title, packed)
  local sp = spills[s]
  if not sp then sp = A.spill(); spills[s] = sp end
  sp:add(encode({ file, title, vocab:add(packed) }))
end

local function settle(s)
  if not roots[s] or gisa.options.partial then return end
  for _, d in ipairs(s.docs) do
    local t = decode(d)
    keep(s, t[1], t[2], t[3])
  end
  s.docs = {}
end

local function each(a, s)
  local packed, n = gisa.text.words(A.text(a, { links = false }), "pack")   -- all tokens, stopwords included
  s.ntokens = s.ntokens + n
  if roots[s] and not gisa.options.partial then keep(s, a.file, a.title or false, packed)
  elseif parallel.worker and not gisa.options.partial then
    if not wvocab then
      wvocab = tally.vocab()
      wid = string.format("%d:%.9f", gisa.sys.getpid(), gisa.sys.clock())
    end
    local numbered = wvocab:add(packed)
    local size = wvocab:size()
    s.wid = wid
    if size > wsent then
      if not s.new then s.new, s.from = {}, wsent end
      s.new[#s.new + 1] = wvocab:since(wsent)
      wsent = size
    end
    s.docs[#s.docs + 1] = encode({ a.file, a.title or false, numbered, wid })
  else s.docs[#s.docs + 1] = encode({ a.file, a.title or false, packed }) end
end

-- A worker's new words (a state's `new`) into the parent's vocabulary.
local function learn(s)
  local m = maps[s.wid]
  if not m then m = {}; maps[s.wid] = m end
  m[s.from] = vocab:learn(table.concat(s.new))
end

local function merge(s1, s2)
  if gisa.options.merge then roots[s1] = true end
  s1.ntokens = s1.ntokens + s2.ntokens
  if s2.new and roots[s1] then learn(s2) end
  if s2.wid and roots[s1] and #s1.docs == 0 then
    -- a worker's articles, numbered: into the spill as they came
    local sp = spills[s1]
    if not sp then sp = A.spill(); spills[s1] = sp end
    for _, d in ipairs(s2.docs) do sp:add(d) end
    return s1
  end
  table.move(s2.docs, 1, #s2.docs, #s1.docs + 1, s1.docs)
  settle(s1)
  return s1
end

-- The documents of a state, in order: file, title, its words as numbered.
local function docs_of(s)
  settle(s)
  local sp = spills[s]
  if not sp then return function() return nil end end
  local next_doc = sp:each()
  return function()
    local d = next_doc()
    if not d then return nil end
    local t = decode(d)
    if t[4] then return t[1], t[2] or nil, vocab:renumber(t[3], map_of(t[4])) end
    return t[1], t[2] or nil, t[3]
  end
end

local function count_docs(s)
  local n = 0
  for _ in docs_of(s) do n = n + 1 end
  return n
end

-- Every word's key (stem or word, lowercased unless --case; none for a
-- word that is not a content word) and form to show (its stem as written),
-- given to the vocabulary once every word is known; then vocab:count sums
-- an article's words into their keys in C (each key's form from the first
-- article that has it, as A.normalize chooses it).
local key_by_id
local function decide_keys()
  local words = vocab:words()
  local vocabulary = {}
  for i = 1, #words do vocabulary[words[i]] = true end
  if norm.nouns then norm.stemmer = A.stemmer(vocabulary) end
  local key_of = A.keyer({ fold = norm.fold, nouns = norm.nouns, stemmer = norm.stemmer })
  local stem = norm.nouns and norm.stemmer or nil
  local kid_of, keys, kid_by_key = {}, {}, {}
  local fid_of, forms, fid_by_form = {}, {}, {}
  local content = {}
  for i = 1, #words do
    local w = words[i]
    local k = key_of(w)
    local c = content[k]
    if c == nil then c = opts.all or A.content(k, stop); content[k] = c end
    if c then
      local kid = kid_by_key[k]
      if not kid then kid = #keys + 1; keys[kid] = k; kid_by_key[k] = kid end
      local f = stem and stem(w) or w
      local fid = fid_by_form[f]
      if not fid then fid = #forms + 1; forms[fid] = f; fid_by_form[f] = fid end
      kid_of[i], fid_of[i] = kid, fid
    else
      kid_of[i], fid_of[i] = 0, 0
    end
  end
  vocab:keys(kid_of, keys, fid_of, forms)
  key_by_id = keys
end

------------------------------------------------------------------------------
-- Corpus keywords: keyness against a reference corpus
------------------------------------------------------------------------------

local function corpus_counts(s)
  for _, _, numbered in docs_of(s) do vocab:count(numbered) end
  return vocab:totals()
end

local function keyness(s)
  local top = opts.top or 30
  -- the reference is read here, in the parent, after the corpus
  local r = state()
  roots[r] = true
  for a in A.articles(opts.reference) do each(a, r) end
  local c, d = s.ntokens, r.ntokens
  local na, nb = count_docs(s), count_docs(r)
  decide_keys()
  local target, ref = corpus_counts(s), corpus_counts(r)
  local form_of = {}
  for kid, f in ipairs(vocab:forms()) do form_of[key_by_id[kid]] = f end
  if c == 0 or d == 0 then A.usage("keyness needs words in both the corpus and the reference") end
  local rows = {}
  for w, a in pairs(target) do
    if a >= opts.min then
      local b = ref[w] or 0
      local g2, sign = A.keyness(a, b, c, d)
      if sign > 0 or opts.negative then
        local lr = math.log(((a > 0 and a or 0.5) / c) / ((b > 0 and b or 0.5) / d), 2)
        rows[#rows + 1] = { word = form_of[w] or w, count = a, ref_count = b, g2 = sign * g2, log_ratio = lr }
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
-- same as sorting them all and cutting, done in C (vocab:top) since an
-- article has hundreds of terms and wants ten.
local function tfidf(s)
  local top = opts.top or 10
  decide_keys()
  -- first pass: document frequencies (and each key's form, in input order);
  -- each article's counts by key go to a second spill as key numbers and
  -- counts, so the second pass does not count again
  local n = 0
  local keyed = A.spill()
  for file, title, numbered in docs_of(s) do
    n = n + 1
    keyed:add(encode({ file, title or false, vocab:count(numbered) }))
  end
  local sp = spills[s]
  if sp then sp:close(); spills[s] = nil end
  s.docs = {}
  -- second pass: the scores, each article's rows as they are made
  vocab:idf(n)
  local forms, df = vocab:forms(), vocab:df()
  local want = math.tointeger(top) or math.ceil(top)
  local function produce(emit)
    for d in keyed:each() do
      local t = decode(d)
      local file, title = t[1], t[2] or nil
      local best = vocab:top(t[3], want)
      local article = best[1] and file:match("[^/]*$")
      for i = 1, #best // 3 do
        local id, tf, sc = best[3 * i - 2], best[3 * i - 1], best[3 * i]
        emit({ file = file, article = article, title = title, rank = i,
          word = forms[id], count = tf, df = df[id], tfidf = sc })
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
  fields = A.fields(A.text_fields, "file"),
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
