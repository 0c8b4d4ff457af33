-- gisa report: one self-contained HTML file about a corpus.
--   gisa report -o report.html corpus/
-- Sections: overview (counts, shares, dates), publishers and timeline (inline
-- SVG charts), top terms, a concordance (KWIC) per top term, people with
-- their titles, quotes with their speakers, and a page per article. A term
-- links to its concordance lines, a concordance line to the paragraph of its
-- article. No script, no network: CSS and SVG are inline, so the file opens
-- anywhere and can be mailed as is.

local gisa = require "gisa"
local A = require "gisa.analysis"
local entities = require "gisa.entities"
local quotes = require "gisa.quotes"

local opts, paths = A.parse(arg, {
  name = "report",
  usage = "gisa report [-o FILE] [options] [PATH…]",
  summary = "Write one self-contained HTML report (inline CSS and SVG, no network):\n" ..
    "overview, publishers, timeline, top terms with their concordance lines,\n" ..
    "people, quotes, and a section per article, all linked.",
  output = false,
  options = {
    { "-o", "--output", arg = "FILE", help = "write to FILE (default: standard output)" },
    { nil, "--title", arg = "TEXT", default = "gisa corpus report", help = "the report's title" },
    { nil, "--terms", arg = "N", type = "number", default = 20, help = "top terms with a concordance (default 20)" },
    { nil, "--lines", arg = "N", type = "number", default = 25, help = "concordance lines per term (default 25)" },
    { nil, "--context", arg = "N", type = "number", default = 28, help = "characters of context each side (default 28)" },
  },
})

local concat, format = table.concat, string.format

------------------------------------------------------------------------------
-- Text helpers (plain Lua: the report must work on any gisa build)
------------------------------------------------------------------------------

local function esc(s)
  return (tostring(s or ""):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["'"] = "&#39;" }))
end

local function ulen(s) return utf8.len(s) or #s end

-- UTF-8-safe cuts: the last n characters of s, the first n characters of s.
local function tail(s, n)
  local len = utf8.len(s)
  if not len then return s:sub(-n * 3) end
  if len <= n then return s end
  return s:sub(utf8.offset(s, len - n + 1))
end
local function head(s, n)
  local len = utf8.len(s)
  if not len then return s:sub(1, n * 3) end
  if len <= n then return s end
  return s:sub(1, utf8.offset(s, n + 1) - 1)
end

-- Terms are counted as freq --nouns counts them (the same tokens, stems decided
-- with the whole corpus as evidence, the same stopwords), so a term's count
-- here is its count there; these words, which a report's term list does not
-- want, are left out of the list (not out of the counts).
local STOP = A.stopwords()
local NOT_TERMS = {}
for w in ([[
  없이 같은 다른 있도록 있습니다 합니다 됩니다 했습니다 있다고 따르면 사진 기자 무단전재 재배포 금지
  지금 이런 이상
]]):gmatch("%S+") do NOT_TERMS[w] = true end

------------------------------------------------------------------------------
-- Per article: what the report needs, kept small
------------------------------------------------------------------------------

local arts = {}
local df, vocabulary = {}, {}
local people = entities.collector()
local all_quotes = {}
-- the counters of stats (gisa.analysis: A.measure), not a second set
local totals = A.counters()

for a in A.articles(paths) do
  local idx = #arts + 1
  local body = a.body or {}
  A.measure(totals, a)
  local art = { idx = idx, path = a.file, file = A.display(a.file), title = a.title or A.display(a.file),
    publisher = a.publisher or a.site, date = A.period(a.published, "day"), authors = a.authors or {},
    body = body, subtitles = a.subtitles or {} }
  arts[idx] = art
  -- the words as freq counts them: gisa.text.words over A.text without addresses
  local written = gisa.text.words(A.text(a, { links = false }), {})
  for w in pairs(written) do vocabulary[w] = true end
  art.written = written
  people:add(a)
  for _, q in ipairs(quotes.article(a)) do
    q.art = idx
    all_quotes[#all_quotes + 1] = q
  end
end

------------------------------------------------------------------------------
-- Corpus-level figures
------------------------------------------------------------------------------

-- Stems once every word of the corpus is known: counts (A.normalize, as freq
-- --nouns) and document frequency.
local stem = A.stemmer(vocabulary)
local all = {}
for _, art in ipairs(arts) do
  local counts = A.normalize(art.written, { fold = true, nouns = true, stemmer = stem })
  for w in pairs(counts) do df[w] = (df[w] or 0) + 1 end
  A.merge(all, art.written)
  art.written = nil
end
local counts, shown = A.normalize(all, { fold = true, nouns = true, stemmer = stem })
for w in pairs(STOP) do counts[w] = nil end

local N = #arts
local terms = {}
for w, n in pairs(counts) do
  local form = shown[w] or w
  -- a term worth a concordance appears in more than one article, or often
  if (df[w] >= 2 or n >= 4) and ulen(form) >= 2 and A.content(w, {}) and not NOT_TERMS[w] then
    terms[#terms + 1] = { form, n, df[w] }
  end
end
table.sort(terms, function(x, y)
  if x[2] ~= y[2] then return x[2] > y[2] end
  return x[1] < y[1]
end)
for i = #terms, opts.terms + 1, -1 do terms[i] = nil end

local pubs = {}
for _, a in ipairs(arts) do
  local p = a.publisher or "(unknown)"
  pubs[p] = (pubs[p] or 0) + 1
end
local publist = {}
for p, n in pairs(pubs) do publist[#publist + 1] = { p, n } end
table.sort(publist, function(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] < y[1] end)

local months = {}
for _, a in ipairs(arts) do
  if a.date then
    local m = a.date:sub(1, 7)
    months[m] = (months[m] or 0) + 1
  end
end
local first_date, last_date = totals.first, totals.last
local monthlist = {}
if first_date then
  -- every month in the range, empty ones too, so the time axis is honest
  local y, m = tonumber(first_date:sub(1, 4)), tonumber(first_date:sub(6, 7))
  local ly, lm = tonumber(last_date:sub(1, 4)), tonumber(last_date:sub(6, 7))
  local guard = 0
  while (y < ly or (y == ly and m <= lm)) and guard < 600 do
    local key = format("%04d-%02d", y, m)
    monthlist[#monthlist + 1] = { key, months[key] or 0 }
    m = m + 1
    if m > 12 then m, y = 1, y + 1 end
    guard = guard + 1
  end
end

-- Concordance lines of each top term, each pointing at its paragraph.
local kwic = {}
for ti, t in ipairs(terms) do
  local lines = {}
  for _, a in ipairs(arts) do
    for pi, p in ipairs(a.body) do
      local s = 1
      while #lines < opts.lines do
        local i, j = p:find(t[1], s, true)
        if not i then break end
        lines[#lines + 1] = { art = a.idx, para = pi,
          left = tail(p:sub(1, i - 1), opts.context), key = p:sub(i, j),
          right = head(p:sub(j + 1), opts.context) }
        s = j + 1
      end
    end
  end
  kwic[ti] = lines
end

------------------------------------------------------------------------------
-- SVG charts
------------------------------------------------------------------------------

local function hbars(items, id, w)
  w = w or 560
  local bh, gap, lw = 22, 6, 170
  local max = 0
  for _, it in ipairs(items) do if it[2] > max then max = it[2] end end
  local h = #items * (bh + gap) + gap
  local out = { format('<svg id="%s" class="chart" role="img" xmlns="http://www.w3.org/2000/svg" ' ..
    'width="%d" height="%d" viewBox="0 0 %d %d">', id, w, h, w, h) }
  for i, it in ipairs(items) do
    local y = gap + (i - 1) * (bh + gap)
    local bw = max > 0 and math.floor((w - lw - 50) * it[2] / max + 0.5) or 0
    local label = esc(it[1])
    local bar = format('<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="#3b6ea8"><title>%s: %d</title></rect>',
      lw, y, math.max(bw, 1), bh, label, it[2])
    if it.href then bar = format('<a href="%s">%s</a>', it.href, bar) end
    out[#out + 1] = format('<text x="%d" y="%d" text-anchor="end" class="lbl">%s</text>%s' ..
      '<text x="%d" y="%d" class="val">%d</text>', lw - 8, y + 16, label, bar, lw + bw + 6, y + 16, it[2])
  end
  out[#out + 1] = "</svg>"
  return concat(out)
end

local function columns(items, id)
  local h, top, bottom = 220, 20, 48
  -- fit the chart in its column: narrower bars when there are many months
  local slot = math.max(math.min(44, 520 // math.max(#items, 1)), 6)
  local bw, gap = math.max(slot - 8, 4), math.min(8, slot - 4)
  local max = 0
  for _, it in ipairs(items) do if it[2] > max then max = it[2] end end
  local w = math.max(#items * (bw + gap) + gap + 30, 200)
  local out = { format('<svg id="%s" class="chart" role="img" xmlns="http://www.w3.org/2000/svg" ' ..
    'width="%d" height="%d" viewBox="0 0 %d %d">', id, w, h, w, h) }
  local base = h - bottom
  out[#out + 1] = format('<line x1="24" y1="%d" x2="%d" y2="%d" stroke="#999"/>', base, w - 4, base)
  for i, it in ipairs(items) do
    local x = 30 + (i - 1) * (bw + gap)
    local bh = max > 0 and math.floor((base - top) * it[2] / max + 0.5) or 0
    out[#out + 1] = format('<rect x="%d" y="%d" width="%d" height="%d" fill="#c0603a"><title>%s: %d</title></rect>',
      x, base - bh, bw, bh, esc(it[1]), it[2])
    if it[2] > 0 then
      out[#out + 1] = format('<text x="%d" y="%d" text-anchor="middle" class="val">%d</text>', x + bw // 2, base - bh - 4, it[2])
    end
    out[#out + 1] = format('<text x="%d" y="%d" text-anchor="end" class="lbl" transform="rotate(-45 %d %d)">%s</text>',
      x + bw // 2 + 4, base + 14, x + bw // 2 + 4, base + 14, esc(it[1]))
  end
  out[#out + 1] = "</svg>"
  return concat(out)
end

------------------------------------------------------------------------------
-- HTML
------------------------------------------------------------------------------

local CSS = [[
:root { --ink:#1d2430; --mute:#5b6574; --line:#d9dee6; --accent:#3b6ea8; --bg:#fbfaf7; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.6 "Noto Sans CJK KR","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic","NanumGothic",sans-serif;
  color:var(--ink); background:var(--bg); }
header { background:#1d2430; color:#fff; padding:22px 32px; }
header h1 { margin:0; font-size:24px; }
header p { margin:4px 0 0; color:#c6cfdb; }
nav { position:sticky; top:0; background:#fff; border-bottom:1px solid var(--line); padding:8px 32px; z-index:1; }
nav a { margin-right:16px; color:var(--accent); text-decoration:none; font-weight:600; }
main { padding:8px 32px 48px; max-width:1180px; }
section { margin:28px 0; }
h2 { border-bottom:2px solid var(--ink); padding-bottom:4px; font-size:20px; }
h3 { font-size:16px; margin:18px 0 6px; }
a { color:var(--accent); }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:130px; }
.card b { display:block; font-size:22px; }
.card span { color:var(--mute); font-size:13px; }
.grid { display:grid; grid-template-columns:1fr 1fr; gap:24px; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
th { background:#eef1f5; font-size:13px; }
td.n { text-align:right; font-variant-numeric:tabular-nums; }
.terms a { display:inline-block; margin:3px 4px; padding:2px 10px; border-radius:14px; background:#e7eef7;
  text-decoration:none; }
.terms a small { color:var(--mute); }
table.kwic { table-layout:fixed; }
table.kwic td { font-size:14px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
table.kwic td:nth-child(1) { width:34%; } table.kwic td:nth-child(2) { width:10%; text-align:center; }
table.kwic td:nth-child(3) { width:34%; } table.kwic td:nth-child(4) { width:22%; }
table.kwic td.l { text-align:right; color:var(--mute); overflow:hidden; max-width:380px; }
table.kwic td.k { font-weight:700; color:#b0402a; }
table.kwic td.r { color:var(--mute); overflow:hidden; max-width:380px; }
.chart text.lbl { font-size:12px; fill:#1d2430; }
.chart text.val { font-size:11px; fill:#5b6574; }
article.doc { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 20px 14px; margin:16px 0; }
article.doc .meta { color:var(--mute); font-size:13px; }
article.doc p:target { background:#fff4c2; }
blockquote { margin:0; }
.q { color:var(--mute); }
]]

local out = {}
local function w(...) for i = 1, select("#", ...) do out[#out + 1] = select(i, ...) end end

local function art_link(i, para)
  local a = arts[i]
  local href = para and format("#art-%d-p%d", i, para) or format("#art-%d", i)
  return format('<a href="%s">%s</a>', href, esc(a.title))
end

w('<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n',
  '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
  '<meta name="generator" content="gisa report">\n',
  "<title>", esc(opts.title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n")
w("<header><h1>", esc(opts.title), "</h1><p>", N, " articles",
  first_date and (" · " .. first_date .. " – " .. last_date) or "", "</p></header>\n")
w('<nav><a href="#overview">Overview</a><a href="#terms">Terms</a><a href="#kwic">Concordance</a>',
  '<a href="#people">People</a><a href="#quotes">Quotes</a><a href="#articles">Articles</a></nav>\n<main>\n')

-- Overview
local function share(class) return totals.nonblank > 0 and format("%.1f%%", A.share(totals, class)) or "–" end
w('<section id="overview"><h2>Overview</h2><div class="cards">')
for _, c in ipairs({ { N, "articles" }, { totals.paragraphs, "paragraphs" }, { totals.sentences, "sentences" },
  { totals.words, "words" }, { totals.chars, "characters" }, { share("hangul"), "Hangul" },
  { share("hanja"), "Hanja" }, { share("latin"), "Latin" }, { #people:result(), "people" },
  { #all_quotes, "quotes" } }) do
  w('<div class="card"><b>', esc(c[1]), "</b><span>", c[2], "</span></div>")
end
w("</div>")
w('<div class="grid"><div><h3>Publishers</h3>', hbars(publist, "chart-publishers", 560), "</div>")
w('<div><h3>Timeline (articles per month)</h3>')
if #monthlist > 0 then w(columns(monthlist, "chart-timeline")) else w("<p>No dates found.</p>") end
w("</div></div></section>\n")

-- Terms
w('<section id="terms"><h2>Top terms</h2>')
local bars = {}
for i, t in ipairs(terms) do bars[i] = { t[1], t[2], href = "#kwic-" .. i } end
w(hbars(bars, "chart-terms", 700), '<p class="terms">')
for i, t in ipairs(terms) do
  w(format('<a class="term" href="#kwic-%d">%s <small>%d · %d art.</small></a>', i, esc(t[1]), t[2], t[3]))
end
w("</p></section>\n")

-- Concordance
w('<section id="kwic"><h2>Concordance</h2>')
for i, t in ipairs(terms) do
  w(format('<h3 id="kwic-%d">%s <small>(%d)</small></h3><table class="kwic">', i, esc(t[1]), t[2]))
  for _, l in ipairs(kwic[i]) do
    w(format('<tr><td class="l">%s</td><td class="k"><a class="line" href="#art-%d-p%d">%s</a></td>' ..
      '<td class="r">%s</td><td>%s</td></tr>', esc(l.left), l.art, l.para, esc(l.key), esc(l.right),
      art_link(l.art, l.para)))
  end
  w("</table>")
end
w("</section>\n")

-- People
w('<section id="people"><h2>People</h2><table><tr><th>name</th><th>title</th><th>organisation</th>' ..
  '<th>mentions</th><th>articles</th></tr>')
local idx_of = {}
for _, a in ipairs(arts) do idx_of[a.path] = a.idx end
for _, p in ipairs(people:result()) do
  local links = {}
  for _, f in ipairs(p.articles) do links[#links + 1] = art_link(idx_of[f]) end
  w("<tr><td>", esc(p.name), "</td><td>", esc(p.title), "</td><td>", esc(p.org), '</td><td class="n">',
    p.count, "</td><td>", concat(links, "<br>"), "</td></tr>")
end
w("</table></section>\n")

-- Quotes
w('<section id="quotes"><h2>Quotes</h2><table><tr><th>speaker</th><th>verb</th><th>quote</th><th>article</th></tr>')
for _, q in ipairs(all_quotes) do
  w("<tr><td>", esc(q.speaker or "?"), q.title and (' <span class="q">' .. esc(q.title) .. "</span>") or "",
    "</td><td>", esc(q.verb), "</td><td><blockquote>“", esc(q.quote), "”</blockquote></td><td>",
    art_link(q.art), "</td></tr>")
end
w("</table></section>\n")

-- Articles
w('<section id="articles"><h2>Articles</h2>')
for _, a in ipairs(arts) do
  local names = {}
  for _, au in ipairs(a.authors) do names[#names + 1] = au.name end
  w(format('<article class="doc" id="art-%d"><h3>%s</h3><p class="meta">', a.idx, esc(a.title)),
    esc(a.publisher or "(unknown publisher)"), " · ", esc(a.date or "no date"),
    #names > 0 and (" · " .. esc(concat(names, ", "))) or "", " · <code>", esc(a.file), "</code></p>")
  for _, s in ipairs(a.subtitles) do w("<p><em>", esc(s), "</em></p>") end
  for pi, p in ipairs(a.body) do w(format('<p id="art-%d-p%d">', a.idx, pi), esc(p), "</p>") end
  w("</article>\n")
end
w("</section>\n</main>\n</body>\n</html>\n")

local html = concat(out)
if opts.output and opts.output ~= "-" then
  local fh, err = io.open(opts.output, "wb")
  if not fh then A.usage("cannot write " .. opts.output .. ": " .. tostring(err), "report") end
  fh:write(html)
  fh:close()
  if not gisa.options.quiet then
    io.stderr:write(format("gisa report: %s (%d articles, %d terms, %d people, %d quotes)\n",
      opts.output, N, #terms, #people:result(), #all_quotes))
  end
else
  io.stdout:write(html)
end
return A.exit_code()
