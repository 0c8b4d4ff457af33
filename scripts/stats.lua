-- gisa stats: the size and make-up of a corpus, overall and per publisher.
--
--   gisa stats corpus/                 a table: measures down, publishers across
--   gisa stats --by month corpus/      per month instead
--   gisa stats -f jsonl corpus/        one JSON object per group, "(all)" last
--
-- Articles, characters, words, sentences, paragraphs; the shares of Hangul,
-- Hanja and Latin letters among the non-blank characters; the first and last
-- publication dates; how many articles lack a title, an author or a date.

local gisa = require "gisa"
local A = require "gisa.analysis"

local opts, paths = A.parse(arg, {
  name = "stats",
  usage = "gisa stats [options] [PATH…]",
  summary = "Count articles, characters, words, sentences and paragraphs; the shares of\n" ..
    "Hangul, Hanja and Latin; the date range; articles without title, author or date.",
  options = {
    { nil, "--by", arg = "GROUP", default = "publisher",
      choices = { "publisher", "site", "month", "year", "file", "none" },
      help = "one column per publisher (default), site, month, year or file; none: totals only" },
  },
})

local text = gisa.text

------------------------------------------------------------------------------
-- Per article: a partial result per group (mergeable)
------------------------------------------------------------------------------

local function new_stats()
  return { articles = 0, chars = 0, words = 0, sentences = 0, paragraphs = 0,
    hangul = 0, hanja = 0, latin = 0, nonblank = 0,
    no_title = 0, no_author = 0, no_date = 0 }
end

local function add_article(s, a)
  s.articles = s.articles + 1
  local parts = {}
  if a.title then parts[#parts + 1] = a.title end
  for _, p in ipairs(a.subtitles or {}) do parts[#parts + 1] = p end
  for _, p in ipairs(a.body or {}) do parts[#parts + 1] = p end
  for _, p in ipairs(parts) do
    s.chars = s.chars + (text.len(p) or 0)
    for _ in text.words(p) do s.words = s.words + 1 end
    local c = text.classes(p)
    s.hangul, s.hanja, s.latin = s.hangul + c.hangul, s.hanja + c.hanja, s.latin + c.latin
    s.nonblank = s.nonblank + c.hangul + c.hanja + c.latin + c.digit + c.punct + c.symbol + c.other
  end
  for _, p in ipairs(a.body or {}) do
    s.paragraphs = s.paragraphs + 1
    for _ in text.sentences(p) do s.sentences = s.sentences + 1 end
  end
  if not a.title then s.no_title = s.no_title + 1 end
  if not a.authors or #a.authors == 0 then s.no_author = s.no_author + 1 end
  local day = A.period(a.published, "day")
  if not day then
    s.no_date = s.no_date + 1
  else
    if not s.first or day < s.first then s.first = day end
    if not s.last or day > s.last then s.last = day end
  end
end

local function merge(into, s)
  for k, v in pairs(s) do
    if type(v) == "number" then into[k] = (into[k] or 0) + v end
  end
  if s.first and (not into.first or s.first < into.first) then into.first = s.first end
  if s.last and (not into.last or s.last > into.last) then into.last = s.last end
  return into
end

local groups, names = {}, {}
local function group_of(a)
  if opts.by == "none" then return nil end
  if opts.by == "month" or opts.by == "year" then return A.period(a.published, opts.by) or "(no date)" end
  return a[opts.by] or "(none)"
end

for a in A.articles(paths) do
  local key = group_of(a) or "(all)"
  if not groups[key] then groups[key] = new_stats(); names[#names + 1] = key end
  add_article(groups[key], a)
end

------------------------------------------------------------------------------
-- Report
------------------------------------------------------------------------------

table.sort(names)
local all = new_stats()
for _, k in ipairs(names) do merge(all, groups[k]) end
if opts.by ~= "none" then names[#names + 1] = "(all)"; groups["(all)"] = all end

local function share(s, k) return s.nonblank > 0 and 100 * s[k] / s.nonblank or 0 end

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
return A.exit_code()
