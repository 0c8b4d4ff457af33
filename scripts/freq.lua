-- gisa freq: word frequencies over a corpus (a word list, as AntConc makes).
--
--   gisa freq corpus/                     the 30 most frequent words
--   gisa freq --nouns --top 50 corpus/    stems: 오픈소스를, 오픈소스는 → 오픈소스
--   gisa freq --chars 2 corpus/           character bigrams inside words
--   gisa freq --by month -f csv corpus/   one list per month, for a spreadsheet
--   gisa freq --raw --tokens space big/   plain text files, whitespace tokens (fast)
--
-- How it works, as an example of the API: tokens are counted in C
-- (gisa.text.words(s, counts) for words, gisa.count for whitespace tokens),
-- so only the distinct words reach Lua; everything per word (lowercasing,
-- particle stripping, stopwords, n-grams inside words) then runs once per
-- distinct word, with its count as the weight.

local gisa = require "gisa"
local A = require "gisa.analysis"

local opts, paths = A.parse(arg, {
  name = "freq",
  job = true,
  usage = "gisa freq [options] [PATH…]",
  summary = "Count words (or stems, or character n-grams) and list the most frequent,\n" ..
    "over the title, subtitles and body of each article.",
  options = {
    { "-n", "--top", arg = "N", type = "number", default = 30, help = "list the N most frequent (0: all; default 30)" },
    { nil, "--nouns", help = "count stems: strip particles (오픈소스를, 오픈소스는 → 오픈소스)" },
    { nil, "--chars", arg = "N", type = "number", help = "count character N-grams inside words instead of words" },
    { nil, "--ngrams", arg = "N", type = "number", help = "count word N-grams (sequences of N words in a paragraph)" },
    { nil, "--by", arg = "GROUP", choices = { "site", "publisher", "month", "year", "file" },
      help = "one list per site, publisher, month, year or file" },
    { nil, "--stopwords", arg = "FILE", help = "stopwords from FILE (.lua list, or one word a line) instead of lua/gisa/analysis/stopwords.lua" },
    { nil, "--all", help = "keep stopwords" },
    { nil, "--forms", help = "add a column with the written words counted under each entry" },
    { nil, "--min", arg = "N", type = "number", default = 1, help = "leave out words seen fewer than N times" },
    { nil, "--case", help = "keep case (AI and ai stay apart; default: lowercase)" },
    { nil, "--raw", help = "read files as plain text, without article extraction (fastest)" },
    { nil, "--tokens", arg = "KIND", choices = { "word", "space" }, default = "word",
      help = "word (letters and digits; default) or space (anything between blanks, as awk)" },
  },
  text = "Columns: rank, word, count, per_10k (count per 10,000 tokens of its group).",
})

local fold = not opts.case
local nouns = opts.nouns
if opts.chars and opts.ngrams then A.usage("--chars and --ngrams exclude each other") end
if (opts.chars and opts.chars < 1) or (opts.ngrams and opts.ngrams < 1) then A.usage("N-grams need N >= 1") end
if opts.raw and opts.by and opts.by ~= "file" then A.usage("--raw has no articles: --by " .. opts.by .. " needs them") end
if opts.ngrams and opts.tokens == "space" then A.usage("--ngrams counts words; drop --tokens space") end
if opts.raw and (gisa.options.partial or gisa.options.merge) then
  A.usage("--raw reads files, not articles: it has no --partial or --merge")
end
local stop = not opts.all and A.stopwords(opts.stopwords) or {}

------------------------------------------------------------------------------
-- Per article: add its tokens to the counter of its group
------------------------------------------------------------------------------

-- The state: group key -> {written = word -> count, ngrams =, articles =,
-- ntokens =}, and for --tokens space in one process a C counter (counter=)
-- instead of `written`. Under -j (or --partial) each worker counts its files
-- into tables, and the parent adds them up.
local function group(groups, key, counter)
  local g = groups[key]
  if not g then
    g = { written = {}, ngrams = {}, articles = 0, ntokens = 0,
      counter = counter and opts.tokens == "space" and gisa.count.new(require("gisa.pipeline.parallel").threads()) or nil }
    groups[key] = g
  end
  return g
end

local function group_of(a)
  local by = opts.by
  if not by then return "" end
  if by == "month" or by == "year" then return A.period(a.published, by) or "(no date)" end
  return a[by] or "(none)"
end

-- Word n-grams need the tokens in order, so they are counted in Lua, as
-- written (lowercased); with --nouns they are re-keyed by stem at the end,
-- when the whole corpus's words are known (see stems below).
local function add_ngrams(g, text)
  local n, counts = opts.ngrams, g.ngrams
  if nouns then gisa.text.words(text, g.written) end
  for para in gisa.text.paragraphs(text) do
    local words = A.tokens(para, { fold = fold })
    for i = 1, #words - n + 1 do
      local key = table.concat(words, " ", i, i + n - 1)
      counts[key] = (counts[key] or 0) + 1
      g.ntokens = g.ntokens + 1
    end
  end
end

local function add(g, text)
  g.articles = g.articles + 1
  if opts.ngrams then return add_ngrams(g, text) end
  if g.counter then
    g.counter:add(text)
  elseif opts.tokens == "space" then
    local c <close> = gisa.count.new(1)
    g.ntokens = g.ntokens + c:add(text)
    c:counts(g.written)
  else
    local _, n = gisa.text.words(text, g.written)
    g.ntokens = g.ntokens + n
  end
end

-- Only the C counter (--tokens space) reads a text.map; the word counter wants a string.
local groups_take_maps = opts.tokens == "space" and not opts.ngrams

local function merge(s1, s2)
  for key, g2 in pairs(s2) do
    local g = s1[key]
    if not g then s1[key] = g2
    else
      A.merge(g.written, g2.written); A.merge(g.ngrams, g2.ngrams)
      g.articles, g.ntokens = g.articles + g2.articles, g.ntokens + g2.ntokens
    end
  end
  return s1
end

------------------------------------------------------------------------------
-- Per distinct word: stems, stopwords, character n-grams
------------------------------------------------------------------------------

-- Words are counted as written; here each distinct word gets its key
-- (lowercased: AI, ai → ai; with --nouns its stem) and is shown in its most
-- frequent written form. Stems are decided with the evidence of every word
-- of the corpus (A.stemmer: 오픈소스를 is cut because 오픈소스 and 오픈소스는
-- are seen too; 만드는 is not, 만드 being nowhere), the same for all groups.
-- Whitespace tokens kept as written (--case, no stems, n-grams or forms)
-- need nothing per word in Lua: the top of the list is picked in C and only
-- its rows reach Lua (counter:top), not every distinct token.
local function report(groups)
  local order = {}
  for key in pairs(groups) do order[#order + 1] = key end
  table.sort(order)
  local top_in_c = #order > 0 and groups[order[1]].counter ~= nil and not fold and not nouns and not opts.chars and not opts.forms
  for _, key in ipairs(order) do
    local g = groups[key]
    if g.counter and not top_in_c then
      g.written, g.ntokens = g.counter:counts(), g.counter:total()
      g.counter:close()
    end
  end
  local stem
  if nouns then
    local vocabulary = #order == 1 and groups[order[1]].written or {}
    if #order > 1 then
      for _, key in ipairs(order) do
        for w in pairs(groups[key].written) do vocabulary[w] = true end
      end
    end
    stem = A.stemmer(vocabulary)
  end

  local function finish(g)
    if opts.ngrams then
      if not nouns then return g.ngrams, g.ntokens end
      local counts, words = {}, {}
      for gram, k in pairs(g.ngrams) do
        local n = 0
        for w in gram:gmatch("%S+") do n = n + 1; words[n] = stem(w) end
        local key = table.concat(words, " ", 1, n)
        counts[key] = (counts[key] or 0) + k
      end
      return counts, g.ntokens
    end
    local written, ntokens = g.written, g.ntokens
    local counts, forms, words = A.normalize(written, { fold = fold, nouns = nouns, forms = opts.forms, stemmer = stem })
    for w in pairs(stop) do counts[w] = nil end
    if opts.chars then
      local grams, n, total = {}, opts.chars, 0
      local ngrams = gisa.text.ngrams
      for w, k in pairs(counts) do
        for _, gram in ipairs(ngrams(w, n, "char")) do
          grams[gram] = (grams[gram] or 0) + k
          total = total + k
        end
      end
      return grams, total
    end
    return counts, ntokens, forms, words
  end

  -- The top of a C counter's list, stopwords and words seen fewer than --min
  -- times out: the same rows as A.top over its counts. Returns the rows, the
  -- number of distinct words kept and the number of tokens.
  local function top_of_counter(c)
    local top, min = math.ceil(opts.top), math.ceil(opts.min)
    local nstop = 0
    for _ in pairs(stop) do nstop = nstop + 1 end
    local items, ntypes = c:top(top > 0 and top + nstop or 0, min)
    for w in pairs(stop) do
      if c:get(w) >= min then ntypes = ntypes - 1 end
    end
    if nstop > 0 then
      local kept = {}
      for _, item in ipairs(items) do
        if not stop[item[1]] and (top <= 0 or #kept < top) then kept[#kept + 1] = item end
      end
      items = kept
    end
    local ntokens = c:total()
    c:close()
    return items, ntypes, ntokens
  end

  local rows, ntypes, ntokens_all = {}, 0, 0
  for _, key in ipairs(order) do
    local items, counts, ntokens, shown, words
    if top_in_c then
      local n
      items, n, ntokens = top_of_counter(groups[key].counter)
      ntypes = ntypes + n
    else
      counts, ntokens, shown, words = finish(groups[key])
      for w, k in pairs(counts) do
        if k < opts.min then counts[w] = nil else ntypes = ntypes + 1 end
      end
      items = A.top(counts, opts.top)
    end
    ntokens_all = ntokens_all + ntokens
    for i, item in ipairs(items) do
      rows[#rows + 1] = {
        group = key, rank = i, word = shown and shown[item[1]] or item[1], count = item[2],
        per_10k = ntokens > 0 and item[2] * 10000 / ntokens or 0,
        forms = opts.forms and (words and A.top(words[item[1]]) or { { item[1] } }) or nil,
      }
      if rows[#rows].forms then   -- most frequent first, as written
        for j, f in ipairs(rows[#rows].forms) do rows[#rows].forms[j] = f[1] end
      end
    end
  end

  local columns = { "rank", "word", "count", { key = "per_10k", fmt = "%.1f" } }
  if opts.by then table.insert(columns, 1, { key = "group", title = opts.by }) end
  if opts.forms then columns[#columns + 1] = "forms" end
  local what = opts.chars and (opts.chars .. "-grams") or opts.ngrams and (opts.ngrams .. "-word n-grams")
    or nouns and "stems" or "words"
  local narticles = 0
  for _, g in pairs(groups) do narticles = narticles + g.articles end
  opts.title = string.format("%d %s, %d tokens, %d distinct %s", narticles, opts.raw and "files" or "articles",
    ntokens_all, ntypes, what)
  A.output(rows, columns, opts)
end

------------------------------------------------------------------------------
-- The run
------------------------------------------------------------------------------

if opts.raw then
  local groups = {}
  -- Each file is one text; no extraction. Valid UTF-8 is counted as it is;
  -- anything else is decoded as usual (--encoding, CP949 detection …).
  local as_is = (gisa.options.encoding == "auto" or gisa.options.encoding:lower() == "utf-8")
    and not gisa.options.repair
  for _, f in ipairs(gisa.corpus.expand(paths)) do
    local text, err, map
    if as_is and f.path ~= "-" and groups_take_maps then
      -- whitespace tokens of valid UTF-8 are counted in place: the file is
      -- mapped, not copied into a Lua string
      map, err = gisa.text.map(f.path)
      if map and gisa.text.valid(map) then text = map
      else
        if map then map:close() end
        text, err = gisa.read(f.path)
      end
    elseif as_is and f.path ~= "-" then
      text, err = gisa.sys.readfile(f.path)
      if text and not gisa.text.valid(text) then text, err = gisa.read(f.path) end
    else
      text, err = gisa.read(f.path)
    end
    if not text then gisa.status.fail(err)
    else add(group(groups, opts.by == "file" and f.path or "", true), text) end
    if map then map:close() end
  end
  report(groups)
else
  A.run(opts, paths, { key = table.concat({ opts.by and "--by " .. opts.by or "", opts.case and "--case" or "",
      opts.ngrams and "--ngrams " .. opts.ngrams or "", opts.tokens == "space" and "--tokens space" or "" }, " "),
    fields = A.fields(A.text_fields, "published", opts.by),
    state = function() return {} end,
    each = function(a, groups, nr)
      -- a C counter only where the state stays in this process
      add(group(groups, group_of(a), nr ~= nil and not gisa.options.partial), A.text(a, { links = false }))
    end,
    merge = merge, finish = report })
end
return A.exit_code()

