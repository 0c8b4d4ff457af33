-- One set of counters: stats, freq, keywords, timeline and report give the
-- same numbers on corpus/ (the same tokens, sentences, characters, shares of
-- Hangul and dates: gisa.analysis's A.measure and A.normalize), and the
-- numbers are those of a count made here from the records.
local t = require "t"
local cjson = require "cjson.safe"

local CORPUS = t.root .. "/corpus"

local function run(args)
  local r = t.gisa(args)
  t.eq(r.code, 0, table.concat(args, " ") .. ": " .. r.err)
  return r.out
end

local function jsonl(args)
  local rows = {}
  for line in run(args):gmatch("[^\n]+") do rows[#rows + 1] = assert(cjson.decode(line), line) end
  return rows
end

local cache
local function numbers()
  if cache then return cache end
  local n = {}
  n.stats = jsonl({ "stats", "--by", "none", "-f", "jsonl", CORPUS })[1]
  for k, v in pairs(n.stats) do   -- cjson reads every number as a float
    if type(v) == "number" and math.tointeger(v) then n.stats[k] = math.tointeger(v) end
  end
  n.freq_title = run({ "freq", "-n", "1", CORPUS }):match("^[^\n]*")
  n.nouns = {}
  for _, r in ipairs(jsonl({ "freq", "--nouns", "-n", "0", "-f", "jsonl", CORPUS })) do n.nouns[r.word] = r.count end
  n.keyness_title = run({ "keywords", "--reference", CORPUS, "-n", "1", CORPUS }):match("^[^\n]*")
  n.timeline_title = run({ "timeline", "--by", "month", CORPUS }):match("^[^\n]*")
  n.timeline = jsonl({ "timeline", "--by", "month", "-f", "jsonl", CORPUS })
  n.months = jsonl({ "stats", "--by", "month", "-f", "jsonl", CORPUS })
  local out = t.tmpdir() .. "/agree.html"
  run({ "report", "-q", "-o", out, CORPUS })
  n.html = t.read(out)
  cache = n
  return n
end

t.test("stats counts what a count made here from the records gives", function()
  local s = numbers().stats
  -- the definitions of docs/analysis.md, recomputed from gisa's library
  local gisa = require "gisa"
  local A = require "gisa.analysis"
  local words, sentences, chars, articles, undated = 0, 0, 0, 0, 0
  for a in gisa.articles({ CORPUS }) do
    articles = articles + 1
    for _ in gisa.text.words(A.text(a, { links = false })) do words = words + 1 end
    for _, p in ipairs(a.body) do for _ in gisa.text.sentences(p) do sentences = sentences + 1 end end
    local parts = { a.title, table.unpack(a.subtitles) }
    for _, p in ipairs(a.body) do parts[#parts + 1] = p end
    for _, p in ipairs(parts) do chars = chars + utf8.len(p) end
    if not a.published then undated = undated + 1 end
  end
  t.eq({ s.articles, s.words, s.sentences, s.chars, s.no_date }, { articles, words, sentences, chars, undated })
  t.eq({ s.articles, s.words, s.sentences, s.chars, s.paragraphs }, { 21, 4366, 359, 17947, 181 },
    "the sample corpus's figures (change with the corpus or the extraction)")
end)

t.test("freq, keywords and timeline give stats' numbers", function()
  local n = numbers()
  local s = n.stats
  t.eq(n.freq_title:match("^(%d+) articles, (%d+) tokens"), tostring(s.articles))
  t.eq(select(2, n.freq_title:match("^(%d+) articles, (%d+) tokens")), tostring(s.words), n.freq_title)
  t.eq(n.keyness_title:match("^keyness: (%d+) articles %((%d+) words%)"), tostring(s.articles))
  t.eq(select(2, n.keyness_title:match("^keyness: (%d+) articles %((%d+) words%)")), tostring(s.words), n.keyness_title)
  t.eq(n.timeline_title, string.format("%d dated articles per month (%d without a date)",
    s.articles - s.no_date, s.no_date))
  local per = {}
  for _, r in ipairs(n.months) do if r.group ~= "(all)" and r.group ~= "(no date)" then per[r.group] = r.articles end end
  for _, r in ipairs(n.timeline) do
    t.eq(r.articles, per[r.period] or 0, "timeline and stats --by month agree on " .. r.period)
  end
  t.eq(n.timeline[1].period, s.first:sub(1, 7))
  t.eq(n.timeline[#n.timeline].period, s.last:sub(1, 7))
end)

t.test("report shows stats' numbers and freq --nouns' counts", function()
  local n = numbers()
  local s, html = n.stats, n.html
  local cards = {}
  for v, k in html:gmatch('<div class="card"><b>([^<]*)</b><span>([^<]*)</span>') do cards[k] = v end
  t.eq({ cards.articles, cards.paragraphs, cards.sentences, cards.words, cards.characters },
    { tostring(s.articles), tostring(s.paragraphs), tostring(s.sentences), tostring(s.words), tostring(s.chars) })
  t.eq(cards.Hangul, string.format("%.1f%%", s.hangul_pct))
  t.eq(cards.Latin, string.format("%.1f%%", s.latin_pct))
  t.contains(html, "<p>" .. s.articles .. " articles · " .. s.first .. " – " .. s.last .. "</p>",
    "the date range is the published dates'")
  t.eq(html:find("from the text", 1, true), nil, "no date taken from body text")
  local terms = 0
  for word, count in html:gmatch('class="term" href="#kwic%-%d+">([^<]*) <small>(%d+) ·') do
    terms = terms + 1
    t.eq(tonumber(count), n.nouns[word], "term " .. word .. ": report and freq --nouns")
  end
  t.ok(terms >= 10, "the report lists its top terms (" .. terms .. ")")
end)

t.test("A.measure's words are the tokens it returns as written (report counts terms from them)", function()
  local gisa = require "gisa"
  local A = require "gisa.analysis"
  local c, sum = A.counters(), 0
  for a in gisa.articles({ CORPUS }) do
    local before = c.words
    local _, written = A.measure(c, a)
    local n = 0
    for _, k in pairs(written) do n = n + k end
    t.eq(n, c.words - before, a.file)
    local again = gisa.text.words(A.text(a, { links = false }), {})
    t.eq(written, again, a.file)
    sum = sum + n
  end
  t.ok(sum > 1000)
end)
