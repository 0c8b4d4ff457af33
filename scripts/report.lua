-- gisa report: one self-contained HTML file about a corpus.
--   gisa report -o report.html corpus/
-- Sections: overview (counts, shares, dates), publishers and timeline (inline
-- SVG charts), top terms, a concordance (KWIC) per top term, people with
-- their titles, quotes with their speakers, and a page per article. A term
-- links to its concordance lines, a concordance line to the paragraph of its
-- article. No script, no network: CSS and SVG are inline, so the file opens
-- anywhere and can be mailed as is.
--
-- A gisa.run job: `each` keeps counters and, per article, what the report
-- shows of it (its words with their counts, its paragraphs, its quotes),
-- encoded by gisa.wire; the parent numbers the words in C (gisa.tally.vocab),
-- spills each part to an unlinked temporary file of its own (A.spill) and
-- writes the page as it goes. The first
-- --max-articles articles (default 1000) are embedded in the page; past them,
-- concordance lines, people and quotes link to the article's file instead,
-- so the page's size is bounded whatever the corpus.

local gisa = require "gisa"
local A = require "gisa.analysis"
local entities = require "gisa.analysis.entities"
local wire = require "gisa.wire"

-- Each article leaves much short-lived garbage (its record, the entity
-- finder's tokens, its encoded parts) and little that lasts, and so do the
-- passes of finish: the generational collector spends less on it than the
-- incremental one.
collectgarbage("generational")

local opts, paths = A.parse(arg, {
  name = "report",
  job = true,
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
    { nil, "--max-articles", arg = "N", type = "number", default = 1000,
      help = "embed the first N articles (default 1000); past them, link to each article's file" },
  },
})

local concat, format = table.concat, string.format
local MAX = opts.max_articles
if MAX < 0 or MAX % 1 ~= 0 then A.usage("--max-articles must be a whole number, 0 or more", "report") end

------------------------------------------------------------------------------
-- Text helpers
------------------------------------------------------------------------------

-- The five characters of HTML markup as entities (gisa.text.escape_html, in
-- C: most text has none of them and comes back as it is)
local escape_html = gisa.text.escape_html
local function esc(s)
  if type(s) ~= "string" then s = tostring(s or "") end
  return escape_html(s)
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
-- Per article: what the report needs, kept small (the job's state)
------------------------------------------------------------------------------

-- The state: the counters of stats (A.measure), publishers, months, people
-- (as gisa.entities' collector keeps them) and quotes counted; and docs: per
-- article, encoded, {file, title, publisher, date, author names, subtitles,
-- false, false, false, #body, #rows, #html}, then its body (for the
-- concordance), its rows in the quotes table and its section in the page,
-- both made where the article was read (in a -j worker: see article_html),
-- none past --max-articles in the parent, which shows none of those; then
-- its distinct words with their counts (text.words' "pack" string), in input
-- order. The parent's own state numbers each article's words in C as it
-- comes (gisa.tally.vocab, as keywords does: the corpus's words once each)
-- and moves the article's head, body, rows, section and numbered words each
-- into a spill of their own, so that a pass reads only the parts it needs
-- (unless --partial, which writes the docs as they are). Docs of an older
-- layout (no #html: the quotes as four values a quote, or a table a quote)
-- have their rows and section made in the parent. `all` is only for docs of
-- an older layout, whose words came without counts: their words' counts
-- (what the packed words cannot give).
local encode, decode = wire.encode, wire.decode
local vocab = require("gisa.tally").vocab()
local roots = setmetatable({}, { __mode = "k" })
local spills = setmetatable({}, { __mode = "k" })

local function state()
  return { totals = A.counters(), all = {}, pubs = {}, months = {}, people = {}, nquotes = 0, docs = {} }
end

-- The page's parts of one article that do not depend on its number (the
-- number is known only in the parent, once the articles before it are):
-- lists of strings that table.concat(list, n) joins into the page's text.
-- Its section (title, meta line, subtitles, a paragraph each):
-- (the end of a paragraph's id made once a number, up to a long article's:
-- no integer formatted a paragraph)
local para_id = setmetatable({}, { __index = function(t, i)
  local v = "-p" .. i .. '">'
  if i <= 4096 then t[i] = v end
  return v
end })
local function article_html(file, title, publisher, date, names, subtitles, body)
  local top = { '"><h3>', esc(title or A.display(file)), '</h3><p class="meta">',
    esc(publisher or "(unknown publisher)"), " · ", esc(date or "no date"),
    #names > 0 and (" · " .. esc(concat(names, ", "))) or "", " · <code>", esc(A.display(file)), "</code></p>" }
  for _, st in ipairs(subtitles) do top[#top + 1] = "<p><em>" .. esc(st) .. "</em></p>" end
  local n = #body
  top[#top + 1] = n > 0 and '<p id="art-' or "</article>\n"
  local out = { '<article class="doc" id="art-', concat(top) }
  for i = 1, n do
    out[i + 2] = para_id[i] .. escape_html(body[i]) .. (i < n and '</p><p id="art-' or "</p></article>\n")
  end
  return out
end

-- and its rows in the quotes table (FLAT: speaker, title, verb, text a
-- quote), each ending with the link to the article; none when no quotes
local function quote_rows(flat, title, file)
  local n = #flat // 4
  if n == 0 then return {} end
  local link = '">' .. esc(title or A.display(file)) .. "</a></td></tr>"
  local out = {}
  for k = 1, n do
    local at = 4 * k
    local speaker, ptitle, verb = flat[at - 3], flat[at - 2], flat[at - 1]
    out[k] = (k > 1 and link or "") .. "<tr><td>" .. escape_html(speaker or "?") ..
      (ptitle and (' <span class="q">' .. escape_html(ptitle) .. "</span>") or "") .. "</td><td>" ..
      escape_html(verb or "") ..
      "</td><td><blockquote>“" .. esc(flat[at]) .. '”</blockquote></td><td><a href="#art-'
  end
  out[n + 1] = link
  return out
end

-- an article's head, body (encoded) and its words (PACKED, numbered here)
-- into the root's spills; when it is embedded, its quote rows and section
-- (lists, or encoded in a doc) joined by its number, the page's text; the
-- titles of the embedded articles kept
local function keep(s, head, body, rows, html, packed, file, title)
  local sp = spills[s]
  if not sp then
    -- (the five share the memory one spill would hold: GISA_SPILL_KB, 1 MB)
    local kb = tonumber(os.getenv("GISA_SPILL_KB") or "") or 1024
    sp = { heads = A.spill(kb * 128), bodies = A.spill(kb * 256), rows = A.spill(kb * 128),
      html = A.spill(kb * 384), words = A.spill(kb * 128), n = 0, titles = {}, idx_of = {}, shown_quotes = 0 }
    spills[s] = sp
  end
  sp.heads:add(head)
  sp.bodies:add(body)
  sp.words:add(vocab:add(packed))
  local n = sp.n + 1
  sp.n = n
  if n <= MAX then
    if type(rows) == "string" then rows, html = decode(rows), decode(html) end
    if #rows > 0 then
      sp.rows:add(concat(rows, n))
      sp.shown_quotes = sp.shown_quotes + #rows - 1
    end
    sp.html:add(concat(html, n))
    sp.titles[n] = title or A.display(file)
    sp.idx_of[file] = n
  end
end

-- a varint as text.words(s, "pack") writes them
local function varint(n)
  local out = {}
  while n >= 128 do out[#out + 1] = string.char(n % 128 + 128); n = n // 128 end
  out[#out + 1] = string.char(n)
  return concat(out)
end

-- A doc of an older layout (words a list, with no counts; or body, quotes
-- and words inside the head) in this one: its words packed with a count of 1
-- each, taken back from S's `all`, which has their true counts.
local function old_words(s, list)
  local all, out = s.all, {}
  for i, w in ipairs(list) do
    out[i] = varint(#w) .. w .. "\1"
    all[w] = (all[w] or 0) - 1
  end
  return concat(out)
end

-- A doc's quotes of an older layout (a table each) as the flat list.
local function flat_quotes(list)
  if type(list[1]) ~= "table" then return list end
  local out = {}
  for k, q in ipairs(list) do
    local at = 4 * (k - 1)
    out[at + 1], out[at + 2], out[at + 3], out[at + 4] = q[1], q[2], q[3], q[4]
  end
  return out
end

local function settle(s)
  if not roots[s] or gisa.options.partial then return end
  for _, d in ipairs(s.docs) do
    local t, at = decode(d)
    local lb, words, body, rows, html = t[10], nil, nil, nil, nil
    if lb then
      local qat = at + lb
      local hat = qat + t[11]
      local wat = hat + (t[12] or 0)
      words = decode(d, wat)
      if type(words) == "table" then words = old_words(s, words) end
      body = d:sub(at, qat - 1)
      if t[12] then
        rows, html = d:sub(qat, hat - 1), d:sub(hat, wat - 1)
      else
        rows, html = decode(d, qat), decode(body)
      end
    else
      words = old_words(s, t[8] or decode(d, at))
      body, rows, html = encode(t[7]), t[9], t[7]
    end
    if not t[12] then   -- (an older layout: its quotes and body as they were)
      rows = quote_rows(flat_quotes(rows), t[2] or nil, t[1])
      html = article_html(t[1], t[2] or nil, t[3] or nil, t[4] or nil, t[5], t[6], html)
    end
    keep(s, d:sub(1, at - 1), body, rows, html, words, t[1], t[2] or nil)
  end
  s.docs = {}
end

-- people: name -> {name, titles, orgs, count, articles = {file…}, more}, as
-- entities.collector adds them; the files of the first --max-articles
-- articles a person is in are kept, the others only counted (more)
local CAP = math.max(MAX, 1)
local function add_people(by, a)
  local scan = entities.scan(a)
  for _, p in ipairs(scan.people) do
    if p.count > 0 then
      local r = by[p.name]
      if not r then
        r = { name = p.name, titles = {}, orgs = {}, count = 0, articles = {}, more = 0 }
        by[p.name] = r
      end
      r.count = r.count + p.count
      for k, n in pairs(p.titles) do r.titles[k] = (r.titles[k] or 0) + n end
      for k, n in pairs(p.orgs) do r.orgs[k] = (r.orgs[k] or 0) + n end
      if #r.articles < CAP then r.articles[#r.articles + 1] = a.file else r.more = r.more + 1 end
    end
  end
  return scan
end

-- The person of the scan a quote's speaker names: the speaker is a full name
-- (고영배), or a phrase that opens with one (고영배 물빛축제추진위원회 위원장).
local function speaker_person(scan, speaker)
  local by = scan.by_name
  local p = by[speaker]
  if p then return p end
  -- the longest name before a blank of the phrase (a few blanks, not every person)
  local best
  for at in speaker:gmatch("() ") do
    best = by[speaker:sub(1, at - 1)] or best
  end
  return best
end

local function each(a, s)
  -- the counters of stats, and the words as freq counts them (gisa.text.words
  -- over A.text without addresses), from one pass over the text
  local _, packed = A.measure(s.totals, a, true)
  local p = a.publisher or a.site or "(unknown)"
  s.pubs[p] = (s.pubs[p] or 0) + 1
  local date = A.period(a.published, "day")
  if date then
    local m = date:sub(1, 7)
    s.months[m] = (s.months[m] or 0) + 1
  end
  local scan = add_people(s.people, a)
  -- the record's quotes (the extraction's quote finder), their speaker's
  -- title from the people of the article
  -- (a flat list: a long article's thousands of quotes need no table each)
  local root = roots[s] and not gisa.options.partial
  local qs, nq = {}, 0
  local shown = not (root and (spills[s] and spills[s].n or 0) >= MAX)
  if not shown then
    nq = #(a.quotes or qs)   -- (past --max-articles: counted, not shown)
  else
    local persons = {}   -- (each speaker's answer, once an article)
    for _, q in ipairs(a.quotes or {}) do
      local speaker, title = q.speaker, nil
      local p = speaker and persons[speaker]
      if speaker and p == nil then p = speaker_person(scan, speaker) or false; persons[speaker] = p end
      if p then speaker, title = p.name, p.title end
      local at = 4 * nq
      qs[at + 1], qs[at + 2], qs[at + 3], qs[at + 4] = speaker or false, title or false, q.verb or false, q.text or false
      nq = nq + 1
    end
  end
  s.nquotes = s.nquotes + nq
  local names = {}
  for _, au in ipairs(a.authors or {}) do names[#names + 1] = au.name end
  -- its quote rows and section as the page shows them (unless past
  -- --max-articles here); in a worker's docs the body, rows and section
  -- follow the head, each encoded on its own (their sizes in the head), so
  -- that the parent decodes only the parts it keeps
  local publisher = a.publisher or a.site
  local body, rows, html = encode(a.body or {}), nil, nil
  if shown then
    rows = quote_rows(qs, a.title, a.file)
    html = article_html(a.file, a.title, publisher, date, names, a.subtitles or {}, a.body or {})
  end
  if root then
    local head = encode({ a.file, a.title or false, publisher or false, date or false,
      names, a.subtitles or {}, false, false, false, #body, 0, 0 })
    keep(s, head, body, rows, html, packed, a.file, a.title)
  else
    rows, html = encode(rows or {}), encode(html or {})
    local head = encode({ a.file, a.title or false, publisher or false, date or false,
      names, a.subtitles or {}, false, false, false, #body, #rows, #html })
    s.docs[#s.docs + 1] = head .. body .. rows .. html .. encode(packed)
  end
end

local function merge(s1, s2)
  if gisa.options.merge then roots[s1] = true end
  A.merge_counters(s1.totals, s2.totals)
  A.merge(s1.all, s2.all); A.merge(s1.pubs, s2.pubs); A.merge(s1.months, s2.months)
  for name, r2 in pairs(s2.people) do
    local r = s1.people[name]
    if not r then s1.people[name] = r2
    else
      r.count = r.count + r2.count
      A.merge(r.titles, r2.titles); A.merge(r.orgs, r2.orgs)
      for _, f in ipairs(r2.articles) do
        if #r.articles < CAP then r.articles[#r.articles + 1] = f else r.more = r.more + 1 end
      end
      r.more = r.more + r2.more
    end
  end
  s1.nquotes = s1.nquotes + s2.nquotes
  table.move(s2.docs, 1, #s2.docs, #s1.docs + 1, s1.docs)
  settle(s1)
  return s1
end

-- The articles of the root state, in order, as tables (idx = their number),
-- with their bodies.
local function docs_of(s)
  settle(s)
  local sp = spills[s]
  if not sp then return function() return nil end end
  local next_head, next_body, i = sp.heads:each(), sp.bodies:each(), 0
  return function()
    local d = next_head()
    if not d then return nil end
    local t = decode(d)
    i = i + 1
    local file = t[1]
    return { idx = i, path = file, title = t[2] or A.display(file), body = decode(next_body()) }
  end
end

-- A link to an article's file (past --max-articles): its path as given, each
-- byte outside the unreserved set and "/" percent-encoded.
local function file_href(path)
  return (path:gsub("[^%w%-%._~/]", function(c) return format("%%%02X", c:byte()) end))
end

------------------------------------------------------------------------------
-- The report
------------------------------------------------------------------------------

local report

local function finish(s)
  local totals = s.totals
  -- Past the articles, what stays (the state, the page's figures) is small:
  -- one full collection leaves only that (the last articles' records, old
  -- by now, wait for a major collection: a long article's hundreds of MB),
  -- and the passes below make short-lived garbage, which the generational
  -- collector keeps from piling up.
  collectgarbage()

  -- Corpus-level figures, once every word of the corpus is known (in C, as
  -- numbers): each word's count (the corpus's counts as written, summed by
  -- vocab:add as the articles came), then stems (A.normalize, as freq
  -- --nouns), then the document frequency of each key, a pass of
  -- vocab:df_add over the articles' numbered words.
  settle(s)
  local sp = spills[s]
  local N = sp and sp.n or 0
  local words = vocab:words()
  local all = vocab:counts()
  for w, n in pairs(s.all) do all[w] = (all[w] or 0) + n end
  -- (one form for every key: no form is shown from the vocabulary, and
  -- vocab:df_add counts document frequencies alone)
  local one = {}
  for i = 1, #words do one[i] = 1 end
  local norm = { fold = true, nouns = true, stemmer = A.stemmer(all) }
  local counts, shown = A.normalize(all, norm)
  local key_of = norm.key_of or A.keyer(norm)
  local kid_of, keys, kid_by = {}, {}, {}
  for i = 1, #words do
    local k = key_of(words[i])
    local kid = kid_by[k]
    if not kid then kid = #keys + 1; keys[kid] = k; kid_by[k] = kid end
    kid_of[i] = kid
  end
  words, all = nil, nil
  vocab:keys(kid_of, keys, one, { "" })
  if sp then for numbered in sp.words:each() do vocab:df_add(numbered) end end
  local dfs = vocab:df()
  local titles, idx_of = sp and sp.titles or {}, sp and sp.idx_of or {}
  for w in pairs(STOP) do counts[w] = nil end

  -- The best --terms terms, in order (count, then form), kept as they come:
  -- most words are no better than the last one kept, one comparison each
  -- (not a sort of every word's table)
  local terms, NONE = {}, {}   -- (NONE: no stopwords for A.content, STOP went before)
  local cap = opts.terms
  for w, n in pairs(counts) do
    local form = shown[w] or w
    local m = #terms
    local last = terms[m]
    -- a term worth a concordance appears in more than one article, or often
    if (m < cap or (last and (n > last[2] or (n == last[2] and form < last[1]))))
        and (n >= 4 or dfs[kid_by[w]] >= 2) and ulen(form) >= 2 and A.content(w, NONE) and not NOT_TERMS[w] then
      local j = m < cap and m + 1 or m
      while j > 1 and (n > terms[j - 1][2] or (n == terms[j - 1][2] and form < terms[j - 1][1])) do
        terms[j] = terms[j - 1]
        j = j - 1
      end
      terms[j] = { form, n, dfs[kid_by[w]] }
    end
  end

  local publist = {}
  for p, n in pairs(s.pubs) do publist[#publist + 1] = { p, n } end
  table.sort(publist, function(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] < y[1] end)

  local months = s.months
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

  -- Concordance lines of each top term, each pointing at its paragraph: one
  -- pass over the articles, until every term has its lines. The titles and
  -- files of the articles they point at are kept (at most terms x lines).
  local kwic, need, linked = {}, 0, {}
  for ti = 1, #terms do kwic[ti] = {} end
  need = #terms
  for a in docs_of(s) do
    if need == 0 then break end
    for ti, t in ipairs(terms) do
      local lines = kwic[ti]
      if #lines < opts.lines then
        for pi, p in ipairs(a.body) do
          if #lines >= opts.lines then break end   -- (not the rest of a long article's paragraphs)
          local from = 1
          while #lines < opts.lines do
            local i, j = p:find(t[1], from, true)
            if not i then break end
            lines[#lines + 1] = { art = a.idx, para = pi,
              left = tail(p:sub(1, i - 1), opts.context), key = p:sub(i, j),
              right = head(p:sub(j + 1), opts.context) }
            linked[a.idx] = { title = a.title, path = a.path }
            from = j + 1
          end
        end
        if #lines >= opts.lines then need = need - 1 end
      end
    end
  end

  local people = {}
  for _, r in pairs(s.people) do
    people[#people + 1] = { name = r.name, title = entities.top(r.titles), org = entities.top(r.orgs),
      count = r.count, articles = r.articles, more = r.more }
  end
  table.sort(people, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.name < y.name
  end)

  report(s, {
    N = N, totals = totals, terms = terms, publist = publist, monthlist = monthlist,
    first_date = first_date, last_date = last_date, kwic = kwic, linked = linked,
    titles = titles, idx_of = idx_of, people = people,
  })
  if sp then for _, k in ipairs({ "heads", "bodies", "rows", "html", "words" }) do sp[k]:close() end end
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

report = function(s, r)
  local N, totals, terms, kwic, people = r.N, r.totals, r.terms, r.kwic, r.people
  local first_date, last_date = r.first_date, r.last_date
  local fh = A.stream(opts)
  -- the page is written as it is made, in blocks
  -- (the values taken as a table: select(i, ...) and tostring on each
  -- string cost two calls a value, and a quote's row has eleven)
  local out, nout, size = {}, 0, 0
  local function w(...)
    local vs = { ... }
    for i = 1, select("#", ...) do
      local v = vs[i]
      if type(v) ~= "string" then v = tostring(v) end
      nout = nout + 1
      out[nout] = v
      size = size + #v
    end
    if size > (1 << 16) then fh:write(concat(out, "", 1, nout)); out, nout, size = {}, 0, 0 end
  end
  -- one string (the rows of a long article's paragraphs and quotes)
  -- (a string of 64 KB or more is written as it is, after what waits)
  local function w1(v)
    if #v >= (1 << 16) then
      if nout > 0 then fh:write(concat(out, "", 1, nout)); out, nout, size = {}, 0, 0 end
      fh:write(v)
      return
    end
    nout = nout + 1
    out[nout] = v
    size = size + #v
    if size > (1 << 16) then fh:write(concat(out, "", 1, nout)); out, nout, size = {}, 0, 0 end
  end
  -- a link to article I (paragraph PARA): inside the page when it is
  -- embedded, else to its file; TITLE and PATH when it is not embedded
  -- (an embedded article's link without a paragraph is made once: people
  -- and quotes repeat it; so is a file's link without a title: the people
  -- of an article past --max-articles repeat it)
  local links, file_links, nfile_links = {}, {}, 0
  local function art_link(i, para, title, path)
    if i and i <= MAX then
      if para then return format('<a href="#art-%d-p%d">%s</a>', i, para, esc(r.titles[i])) end
      local l = links[i]
      if not l then l = format('<a href="#art-%d">%s</a>', i, esc(r.titles[i])); links[i] = l end
      return l
    end
    if title then return format('<a class="file" href="%s">%s</a>', esc(file_href(path)), esc(title)) end
    local l = file_links[path]
    if not l then
      l = format('<a class="file" href="%s">%s</a>', esc(file_href(path)), esc(A.display(path)))
      if nfile_links >= 10000 then file_links, nfile_links = {}, 0 end
      file_links[path], nfile_links = l, nfile_links + 1
    end
    return l
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
    { share("hanja"), "Hanja" }, { share("latin"), "Latin" }, { #people, "people" },
    { s.nquotes, "quotes" } }) do
    w('<div class="card"><b>', esc(c[1]), "</b><span>", c[2], "</span></div>")
  end
  w("</div>")
  w('<div class="grid"><div><h3>Publishers</h3>', hbars(r.publist, "chart-publishers", 560), "</div>")
  w('<div><h3>Timeline (articles per month)</h3>')
  if #r.monthlist > 0 then w(columns(r.monthlist, "chart-timeline")) else w("<p>No dates found.</p>") end
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
      local target = l.art <= MAX and format('href="#art-%d-p%d"', l.art, l.para)
        or format('href="%s"', esc(file_href(r.linked[l.art].path)))
      local a = r.linked[l.art]
      w(format('<tr><td class="l">%s</td><td class="k"><a class="line" %s>%s</a></td>' ..
        '<td class="r">%s</td><td>%s</td></tr>', esc(l.left), target, esc(l.key), esc(l.right),
        art_link(l.art, l.para, a.title, a.path)))
    end
    w("</table>")
  end
  w("</section>\n")

  -- People
  w('<section id="people"><h2>People</h2><table><tr><th>name</th><th>title</th><th>organisation</th>' ..
    '<th>mentions</th><th>articles</th></tr>')
  local list = {}   -- (reused: a table grown once)
  for _, p in ipairs(people) do
    w("<tr><td>", esc(p.name), "</td><td>", esc(p.title), "</td><td>", esc(p.org), '</td><td class="n">',
      p.count, "</td><td>")
    -- (a person's links written as one string: up to --max-articles of them)
    local idx_of, arts = r.idx_of, p.articles
    for k = 1, #arts do list[k] = art_link(idx_of[arts[k]], nil, nil, arts[k]) end
    local n = #arts
    if p.more > 0 then n = n + 1; list[n] = format("… %d more", p.more) end
    w1(concat(list, "<br>", 1, n))
    w1("</td></tr>")
  end
  w("</table></section>\n")

  -- Quotes: those of the embedded articles
  w('<section id="quotes"><h2>Quotes</h2><table><tr><th>speaker</th><th>verb</th><th>quote</th><th>article</th></tr>')
  local sp = spills[s]
  local shown_quotes = sp and sp.shown_quotes or 0
  if sp then for rows in sp.rows:each() do w1(rows) end end
  w("</table>")
  if shown_quotes < s.nquotes then
    w(format('<p class="more">%d more quotes in the articles past the first %d (--max-articles).</p>',
      s.nquotes - shown_quotes, MAX))
  end
  w("</section>\n")

  -- Articles
  w('<section id="articles"><h2>Articles</h2>')
  if sp then for html in sp.html:each() do w1(html) end end
  if N > MAX then
    w(format('<p class="more">%d more articles are not embedded (--max-articles %d): the concordance, ' ..
      "people and quotes link to their files.</p>\n", N - MAX, MAX))
  end
  w("</section>\n</main>\n</body>\n</html>\n")
  fh:write(concat(out, "", 1, nout))
  fh:flush()
  if opts.output and opts.output ~= "-" then
    fh:close()
    if not gisa.options.quiet then
      io.stderr:write(format("gisa report: %s (%d articles, %d terms, %d people, %d quotes)\n",
        opts.output, N, #terms, #people, s.nquotes))
    end
  end
end

A.run(opts, paths, {
  state = state,
  begin = function(s) roots[s] = true end,
  each = each,
  merge = merge,
  finish = finish,
})
return A.exit_code()
