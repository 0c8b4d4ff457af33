-- gisa stats: the size and make-up of a corpus, overall and per publisher.
--
--   gisa stats corpus/                 a table: measures down, publishers across
--   gisa stats --by month corpus/      per month instead
--   gisa stats -f jsonl corpus/        one JSON object per group, "(all)" last
--
-- Articles, characters, words, sentences, paragraphs; the shares of Hangul,
-- Hanja and Latin letters among the non-blank characters; the first and last
-- publication dates; how many articles lack a title, an author or a date.
-- Every measure is defined once, in gisa.analysis (A.measure).

local A = require "gisa.analysis"

local opts, paths = A.parse(arg, {
  name = "stats",
  job = true,
  usage = "gisa stats [options] [PATH…]",
  summary = "Count articles, characters, words, sentences and paragraphs; the shares of\n" ..
    "Hangul, Hanja and Latin; the date range; articles without title, author or date.",
  options = {
    { nil, "--by", arg = "GROUP", default = "publisher",
      choices = { "publisher", "site", "month", "year", "file", "none" },
      help = "one column per publisher (default), site, month, year or file; none: totals only" },
  },
})

------------------------------------------------------------------------------
-- Per article: a partial result per group (mergeable)
------------------------------------------------------------------------------

-- The counters are gisa.analysis's (A.measure), which freq, keywords,
-- timeline and report use too: every command gives the same numbers.
local new_stats, add_article, merge = A.counters, A.measure, A.merge_counters

local function group_of(a)
  if opts.by == "none" then return nil end
  if opts.by == "month" or opts.by == "year" then return A.period(a.published, opts.by) or "(no date)" end
  return A.display(a[opts.by]) or "(none)"
end

-- The state: group -> counters. Under -j each worker counts its files, and
-- the parent adds the counters up (docs/scale.md).
local function each(a, groups)
  local key = group_of(a) or "(all)"
  local c = groups[key]
  if not c then c = new_stats(); groups[key] = c end
  add_article(c, a, true)   -- (the words packed in one string: stats wants only their number)
end

local function merge_groups(g1, g2)
  for key, c in pairs(g2) do
    if g1[key] then merge(g1[key], c) else g1[key] = c end
  end
  return g1
end

------------------------------------------------------------------------------
-- Report
------------------------------------------------------------------------------

local function report(groups)
  local names = {}
  for k in pairs(groups) do names[#names + 1] = k end
  table.sort(names)
  local all = new_stats()
  for _, k in ipairs(names) do merge(all, groups[k]) end
  if opts.by ~= "none" then names[#names + 1] = "(all)"; groups["(all)"] = all end

  local share = A.share

  -- One row per group for machines; measures down and groups across for people.
  local fields = {
    { "articles", "articles" }, { "chars", "characters" }, { "words", "words" },
    { "sentences", "sentences" }, { "paragraphs", "paragraphs" },
    { "hangul_pct", "Hangul %" }, { "hanja_pct", "Hanja %" }, { "latin_pct", "Latin %" },
    { "first", "first date" }, { "last", "last date" },
    { "no_title", "without title" }, { "no_author", "without author" }, { "no_date", "without date" },
  }

  local rows = {}
  for _, name in ipairs(names) do
    local s = groups[name]
    local r = { group = name }
    for _, f in ipairs(fields) do r[f[1]] = s[f[1]] end
    r.hangul_pct, r.hanja_pct, r.latin_pct = share(s, "hangul"), share(s, "hanja"), share(s, "latin")
    rows[#rows + 1] = r
  end

  if opts.format == "table" then
    local cols, trows = { { key = "measure", title = "" } }, {}
    for i, r in ipairs(rows) do cols[#cols + 1] = { key = i, title = r.group, fmt = "%.1f", align = "right" } end
    for _, f in ipairs(fields) do
      local tr = { measure = f[2] }
      for i, r in ipairs(rows) do tr[i] = r[f[1]] end
      trows[#trows + 1] = tr
    end
    A.output(trows, cols, opts)
  else
    local cols = { { key = "group", title = opts.by } }
    for _, f in ipairs(fields) do cols[#cols + 1] = f[1] end
    A.output(rows, cols, opts)
  end
end

A.run(opts, paths, { key = "--by " .. opts.by, fields = A.fields(A.measure_fields, opts.by),
  state = function() return {} end, each = each, merge = merge_groups, finish = report })
return A.exit_code()
