-- gisa dups: near-duplicate articles or paragraphs, the same story told by
-- several outlets, and exact repeated lines.
--   gisa dups corpus/                      article pairs with Jaccard >= 0.8
--   gisa dups --paragraphs --threshold 0.6 corpus/
--   gisa dups --story corpus/              the same story rewritten (>= 0.25)
--   gisa dups --method simhash corpus/     SimHash (64 bits) instead of MinHash
-- Each text becomes a signature over shingles (gisa.minhash, in C: 32-bit
-- slots in one C array); LSH banding lists the texts that share a band, so
-- only those pairs are compared, never all pairs. Lines that recur across
-- files outside the articles' content (copyright, ADVERTISEMENT, a photo
-- credit) are boilerplate: left out of the texts compared and of the
-- repeated lines.
-- A gisa.run job: each article becomes a compact record (its lines keyed,
-- its signature) in the workers under -j; the report needs the whole corpus
-- (what is boilerplate, which pairs), so records wait in a spill until then.

local gisa = require "gisa"
local A = require "gisa.analysis"
local hash = require "gisa.hash"

-- Each article leaves many short-lived strings (its lines keyed, its text
-- squeezed, its encoded record) and little that lasts: the generational
-- collector spends less on them than the incremental one (about 6% of dups'
-- time on 2,000 generated articles, and a lower peak).
collectgarbage("generational")
local minhash = require "gisa.minhash"
local wire = require "gisa.wire"

local opts, paths = A.parse(arg, {
  name = "dups",
  job = true,
  usage = "gisa dups [options] [PATH…]",
  summary = "Near-duplicate articles (or paragraphs with --paragraphs) by MinHash or\n" ..
    "SimHash over character shingles, with LSH banding; with --story, articles\n" ..
    "that tell the same story in other words (content words shared); and lines\n" ..
    "repeated exactly across the corpus. Pairs come most similar first.",
  options = {
    { "-t", "--threshold", arg = "X", type = "number",
      help = "least similarity of a pair, 0..1 (default 0.8; 0.25 with --story)" },
    { "-p", "--paragraphs", help = "compare paragraphs instead of whole articles" },
    { nil, "--story", help = "same story: exact Jaccard of the sets of content-word shingles (stems, stopwords out)" },
    { "-m", "--method", arg = "NAME", default = "minhash", choices = { "minhash", "simhash" },
      help = "minhash (Jaccard estimate, default) or simhash (1 - Hamming/64)" },
    { "-k", "--hashes", arg = "N", type = "number", help = "MinHash signature length, 2-1024 (default 64; 128 with --story)" },
    { "-s", "--shingle", arg = "N", type = "number",
      help = "characters per shingle, 1-64 (default 5); with --story words per shingle (default 1)" },
    { nil, "--min-chars", arg = "N", type = "number", default = 40,
      help = "skip texts shorter than N characters (default 40)" },
    { nil, "--lines", help = "only exact repeated lines" },
    { nil, "--no-lines", help = "no exact repeated lines" },
    { nil, "--boilerplate", help = "keep boilerplate: compare and list lines that recur outside the content too" },
    { "-w", "--width", arg = "N", type = "number", default = 50, help = "cut texts to N columns in the table" },
  },
  text = "columns: kind (article, paragraph, story, line), similarity, a, b, text\n" ..
    "a and b are FILE, FILE#N (the Nth paragraph of the body, from 1) or FILE:N\n" ..
    "(line N of the file as written: repeated lines are looked for in the files'\n" ..
    "own lines, lines of 10 characters or more).\n" ..
    "A line is boilerplate when it is in two files or more and is not part of the\n" ..
    "content (title or body) of any of them, or when it is shorter than 40 characters\n" ..
    "and in 5 files or more and 1% of the files or more, content or not.",
})

local story = opts.story
if story and (opts.paragraphs or opts.method ~= "minhash") then
  A.usage("--story compares whole articles by MinHash: no --paragraphs or --method simhash", "dups")
end
opts.threshold = opts.threshold or (story and 0.25 or 0.8)
opts.hashes = opts.hashes or (story and 128 or 64)
opts.shingle = opts.shingle or (story and 1 or 5)
if opts.threshold < 0 or opts.threshold > 1 then A.usage("--threshold must be between 0 and 1", "dups") end
if opts.hashes < 2 or opts.hashes > 1024 or opts.hashes % 1 ~= 0 then
  A.usage("--hashes must be a whole number from 2 to 1024", "dups")
end
if opts.shingle < 1 or opts.shingle > 64 or opts.shingle % 1 ~= 0 then
  A.usage("--shingle must be a whole number from 1 to 64", "dups")
end

-- White space squeezed (runs of ASCII space, none at either end), and the
-- length in characters (nil when not UTF-8).
local squeeze = minhash.squeeze

local simhash = opts.method == "simhash"
local k, shingle = opts.hashes, opts.shingle
-- lines as written are read for the repeated lines and to tell boilerplate
local want_lines = not opts.no_lines or not opts.boilerplate
local SHORT = 40   -- a line this short in many files is boilerplate even as content

------------------------------------------------------------------------------
-- Per article: a compact record
------------------------------------------------------------------------------

-- The text the rules read is kept beside its record by wrapping the
-- extraction (in the worker that extracts, under -j): an article's lines as
-- written (a copyright line, a newsletter plug, a byline, whether or not
-- extraction kept them) come from it.
local real_extract = require("gisa.engine").extract
local texts = setmetatable({}, { __mode = "k" })
local function extract_keeping(text, o)
  local r = real_extract(text, o)
  if type(r) == "table" then texts[r] = text end
  return r
end

local function signature(text)
  if simhash then return hash.simhash(text, shingle) end
  return minhash.signature(text, k, shingle)
end

-- The text of an article as compared: title and body, less the paragraphs
-- in DROP (boilerplate), white space squeezed; and its length in characters.
local join = minhash.join
local function compared(title, body, drop)
  local text, n = join(title, body or {}, drop)
  return text, n or #text
end

-- One article's record: a head for the passes over every article, and its
-- title and body apart, read again only where a pair shows its text (or
-- for --story), each encoded by gisa.wire. The head:
--   id       FILE (FILE#N for the Nth record of a crawler dump), as shown
--   lines    its lines as written, keyed (minhash.lines)
--   content  the keys of its title and body paragraphs (8 bytes each)
--   short    {i, key, …}: its body paragraphs shorter than 40 characters, the
--            only ones that can turn out to be boilerplate (see below)
--   sig      the signature of the text compared, as if no paragraph were
--            boilerplate (none when shorter than --min-chars)
--   psig     with --paragraphs, {i, sig, …} for the paragraphs compared
--   gdrop, gsig  in a worker: the short paragraphs it guesses are boilerplate
--            and the signature of the text compared without them (false when
--            shorter than --min-chars); see guess below
local pack = string.pack

-- Which short paragraphs are boilerplate is known only once every file is
-- counted (the files whose lines as written have each line), and an article
-- with boilerplate is compared without it: its signature made again in the
-- report, in the parent, where under -j that was most of the parent's work
-- (an article in three of our generated ones has some). So a worker guesses
-- from the files it has seen: it counts, from the first time a line is a
-- short paragraph, the files whose lines have it, and a short paragraph in
-- GUESS of them so far is taken for boilerplate; the signature without those
-- goes with the record. The report uses it when the guess is the real set of
-- dropped paragraphs, and makes the signature as before when not (the first
-- files a worker sees, a line repeated in a few files only): the output is
-- the same either way. A worker counts at most GUESS_KEYS lines.
local parallel = require "gisa.pipeline.parallel"
local GUESS, GUESS_KEYS = 5, 200000
local seen_short, nseen_short = {}, 0
local tick = minhash.tick
local function guess(r, title, body)
  if not parallel.worker or opts.boilerplate or not r.sig or #r.short == 0 or not r.lines then return end
  local short = r.short
  for j = 2, #short, 2 do
    local key = short[j]
    if not seen_short[key] and nseen_short < GUESS_KEYS then seen_short[key] = 0; nseen_short = nseen_short + 1 end
  end
  tick(r.lines, seen_short)   -- this file's lines (each once: minhash.lines), where watched
  local drop, list
  for j = 1, #short, 2 do
    local i, c = short[j], seen_short[short[j + 1]]
    if c and c >= GUESS and not (drop and drop[i]) then
      drop, list = drop or {}, list or {}
      drop[i] = true; list[#list + 1] = i
    end
  end
  if not drop then return end
  local t, n = compared(title, body, drop)
  table.sort(list)
  r.gdrop, r.gsig = list, n >= opts.min_chars and signature(t) or false
end

local function record(a)
  local file = a.record_no and (a.file .. "#" .. a.record_no) or a.file
  local text = texts[a]
  texts[a] = nil
  local title, body = a.title, a.body or {}
  local r = { id = A.display(file) }
  if want_lines then
    if text then
      r.lines = minhash.lines(text)
    else   -- a record passed through as it was (gisa's own JSON Lines): its blocks, by line
      local out, seen = {}, {}
      for _, b in ipairs(a.blocks or {}) do
        if type(b.text) == "string" then
          local line_text, n = squeeze(b.text)
          if n and n >= 10 then
            local key = minhash.key(line_text)
            if not seen[key] then
              seen[key] = true
              local line = math.tointeger(b.line or 0)
              if not line or line < 0 or line > 0xFFFFFFFF then line = 0 end
              out[#out + 1] = pack("<i8I4s4", key, line, line_text)
            end
          end
        end
      end
      r.lines = table.concat(out)
    end
  end
  r.content, r.short = minhash.content(title, body, SHORT)
  if not (story or opts.lines) then
    if opts.paragraphs then
      local psig = {}
      for i, p in ipairs(body) do
        local t, n = squeeze(p)
        if (n or #t) >= opts.min_chars then psig[#psig + 1] = i; psig[#psig + 1] = signature(t) end
      end
      r.psig = psig
    else
      local t, n = compared(title, body)
      if n >= opts.min_chars then r.sig = signature(t) end
      guess(r, title, body)
    end
  end
  return wire.encode(r), wire.encode({ title or false, body })
end

-- The state: records in input order. In the process that reports they go
-- straight to two spills (A.spill: past a few megabytes, a temporary file);
-- in a worker, or for --partial, into the state's list, {file, head, body}
-- each (the file orders the shares' records when --merge joins them).
-- --partial writes that list in chunks (pieces); --merge spills each share's
-- chunks as they are read, keeping only the files' names, and interleaves
-- the shares' spills in input order when the report reads them.
local heads, bodies = A.spill(), A.spill()
local home
local function new_state() return { recs = {}, inputs = paths } end

local function each(a, s, nr)
  local head, body = record(a)
  if s == home then heads:add(head); bodies:add(body)
  else s.recs[#s.recs + 1] = { a.file, head, body, nr } end
end

local PIECE = 256
local function pieces(s)
  local i = 0
  return function()
    if i >= #s.recs then return nil end
    local chunk = table.move(s.recs, i + 1, math.min(i + PIECE, #s.recs), 1, {})
    i = i + PIECE
    return { recs = chunk, inputs = s.inputs }
  end
end

local function merge(s1, s2, k)
  if gisa.options.merge then
    -- share k's records, in its input order: spilled, their files kept to
    -- interleave the shares (records)
    s1.shares = s1.shares or {}
    local sh = s1.shares[k or #s1.shares + 1]
    if not sh then
      sh = { files = {}, heads = A.spill(), bodies = A.spill() }
      s1.shares[k or #s1.shares + 1] = sh
      s1.before = s1.before or A.walk_order(s2.inputs)
    end
    local files = sh.files
    for _, x in ipairs(s2.recs) do
      files[#files + 1] = x[1]
      sh.heads:add(x[2]); sh.bodies:add(x[3])
    end
  elseif s1 == home then
    for _, x in ipairs(s2.recs) do heads:add(x[2]); bodies:add(x[3]) end
  else
    A.append(s1.recs, s2.recs)
  end
  return s1
end

-- The shares' spilled records (--merge), WHICH = 2 heads or 3 bodies, in
-- input order: at each step the share whose next file comes first in the
-- walk (an earlier share on a tie, as A.merge_in_order does).
local function merged_shares(s, which)
  local its, pos, list = {}, {}, {}
  for k in pairs(s.shares) do list[#list + 1] = k end
  table.sort(list)
  for j, k in ipairs(list) do
    local sh = s.shares[k]
    list[j] = sh
    its[j], pos[j] = (which == 2 and sh.heads or sh.bodies):each(), 1
  end
  local before = s.before
  return function()
    local best
    for j, sh in ipairs(list) do
      local f = sh.files[pos[j]]
      if f and (not best or before(f, list[best].files[pos[best]])) then best = j end
    end
    if not best then return nil end
    pos[best] = pos[best] + 1
    return its[best]()
  end
end

-- The records' heads (WHICH = 2) or bodies (3), in order: the spill's, then
-- the state's own, then the shares' (--merge); each decoded (unless RAW),
-- with its position.
local function records(s, which, raw)
  local from_spill, i, n = (which == 2 and heads or bodies):each(), 0, 0
  local from_shares = s.shares and merged_shares(s, which)
  return function()
    local d = from_spill and from_spill()
    if not d then
      from_spill = nil
      i = i + 1
      d = s.recs[i] and s.recs[i][which]
      if not d and from_shares then d = from_shares() end
    end
    if d then n = n + 1; return raw and d or wire.decode(d), n end
  end
end

------------------------------------------------------------------------------
-- LSH: bands of the signature
------------------------------------------------------------------------------

-- MinHash: b bands of r rows; a pair with Jaccard s shares a band with
-- probability 1-(1-s^r)^b, which rises steeply near (1/b)^(1/r). Pick the
-- split whose knee is at or just below the threshold (favouring recall).
local function bands_for(nslots, threshold)
  local best, bestd
  for r = 1, nslots do
    if nslots % r == 0 then
      local b = nslots // r
      local knee = (1 / b) ^ (1 / r)
      local d = threshold - knee
      if d >= -0.02 and (not bestd or d < bestd) then best, bestd = r, d end
    end
  end
  return nslots // (best or 1), best or 1
end

-- SimHash: within d differing bits, one of d+1 blocks of the 64 is equal
-- (pigeonhole); a bucket key is the 64-bit hash of its block.
local function simhash_keys(sig)
  local keys = {}
  local d = math.floor((1 - opts.threshold) * 64 + 1e-9)
  local blocks = math.min(d + 1, 64)
  local size = 64 // blocks
  for i = 0, blocks - 1 do
    local width = (i == blocks - 1) and (64 - size * i) or size
    local mask = width >= 64 and -1 or ((1 << width) - 1)
    keys[#keys + 1] = hash.hash64(i .. ":" .. ((sig >> (size * i)) & mask))
  end
  return keys
end

------------------------------------------------------------------------------
-- The report: boilerplate, then the pairs and the repeated lines
------------------------------------------------------------------------------

-- Is the worker's guess (a sorted list) the set DROP?
local function same_drop(list, drop)
  local n = 0
  for _ in pairs(drop) do n = n + 1 end
  if n ~= #list then return false end
  for _, i in ipairs(list) do if not drop[i] then return false end end
  return true
end

local function report(s)
  if s.recs[1] and s.recs[1][4] then table.sort(s.recs, function(x, y) return x[4] < y[4] end) end
  -- Pass 1: how many files have each line, and which lines are content.
  local tally <close> = minhash.tally()
  local nfiles = 0
  for r in records(s, 2) do
    nfiles = nfiles + 1
    if r.lines then tally:add_lines(r.lines) end
    tally:add_content(r.content)
  end
  tally:seal(2)   -- only lines in two files or more matter from here

  -- Boilerplate: in two files or more and content in none (the copyright
  -- line, ADVERTISEMENT, a photo credit), or a short line common to many
  -- files (a plug the rules kept in the body). A long paragraph in many
  -- files is a story copied, which is what dups is for. A body paragraph
  -- is content, so only a short one can be boilerplate.
  local common = math.max(5, math.ceil(nfiles / 100))
  local function dropped(r)
    if opts.boilerplate then return nil end
    local drop
    for j = 1, #r.short, 2 do
      if tally:count(r.short[j + 1]) >= common then drop = drop or {}; drop[r.short[j]] = true end
    end
    return drop
  end

  -- The units compared: their ids, signatures (in the C set, or SimHash
  -- integers), and where their texts are: the record (n) and paragraph
  -- (0: the article, less its boilerplate where udrop; -1: its title).
  local set <close> = (not simhash) and minhash.set(k) or nil
  local uid, usig, urec, upara, ustr, udrop = {}, {}, {}, {}, {}, {}
  local function add_unit(id, sig, n, para)
    local u = #uid + 1
    uid[u], urec[u], upara[u] = id, n, para
    if set then set:add(sig) else usig[u] = sig end
  end

  local rows = {}
  local kind = story and "story" or opts.paragraphs and "paragraph" or "article"

  -- Repeated lines: each line (its first place, text and number of other
  -- places) once, and its other places as triples (line, record, line
  -- number) in a C list, not a row table each: a corpus that copies its
  -- paragraphs has many more of them than articles.
  local line_of, lfirst, ltext, lcount = {}, {}, {}, {}
  local occ <close> = minhash.list()
  local ids = {}   -- record -> its id, for the places shown
  local function lines_of(r, n)
    if opts.no_lines or not r.lines then return end
    ids[n] = r.id
    local rep = tally:repeated(r.lines, (not opts.boilerplate) and common or nil, SHORT)
    for x = 1, #rep, 4 do
      local key = rep[x]
      local d = line_of[key]
      if not d then
        d = #lfirst + 1
        line_of[key], lfirst[d], ltext[d], lcount[d] = d, r.id .. ":" .. rep[x + 1], rep[x + 2], 0
      else
        occ:add(d, n, rep[x + 1])
        lcount[d] = lcount[d] + 1
      end
    end
  end

  -- Pass 2: the units, and the repeated lines.
  local sets, sizes = {}, {}   -- --story: each unit's set of content-word shingles
  if story then
    -- each article is the set of its content-word shingles (stems, as freq
    -- --nouns: decided over the whole corpus; stopwords and numbers out);
    -- MinHash over that set finds the candidate pairs, whose similarity is
    -- then the exact Jaccard of the two sets.
    local words_of, vocabulary = {}, {}
    local nextbody = records(s, 3)
    for r, i in records(s, 2) do
      local b = nextbody()
      local drop = dropped(r)
      local parts = { b[1] or "" }
      for j, p in ipairs(b[2]) do
        if not (drop and drop[j]) then parts[#parts + 1] = p end
      end
      words_of[i] = A.words(A.strip_links(table.concat(parts, "\n\n")))
      ids[i] = r.id
      for _, w in ipairs(words_of[i]) do vocabulary[w] = true end
      lines_of(r, i)
    end
    local key = A.keyer({ fold = true, nouns = true, stemmer = A.stemmer(vocabulary) })
    local stop = A.stopwords()
    local n = opts.shingle
    -- the hash family of minhash.signature, over the shingles' 64-bit hashes
    local salt, mul, state = {}, {}, 0x243F6A8885A308D3
    local h64 = hash.hash64
    for m = 1, k do
      state = state + 0x9E3779B97F4A7C15; salt[m] = h64(string.pack("<i8", state))
      state = state + 0x9E3779B97F4A7C15; mul[m] = h64(string.pack("<i8", state)) | 1
    end
    local ult = math.ult
    for x = 1, #ids do
      local words = {}
      for _, w in ipairs(words_of[x]) do
        local kw = key(w)
        if A.content(kw, stop) then words[#words + 1] = kw end
      end
      words_of[x] = nil
      local wset, size = {}, 0
      for j = 1, #words - n + 1 do
        local g = table.concat(words, " ", j, j + n - 1)
        if not wset[g] then wset[g] = true; size = size + 1 end
      end
      if size > 0 then
        local sig = {}
        for m = 1, k do sig[m] = -1 end
        for g in pairs(wset) do
          local h = h64(g)
          for m = 1, k do
            local v = (h ~ salt[m]) * mul[m]
            if ult(v, sig[m]) then sig[m] = v end
          end
        end
        for m = 1, k do sig[m] = pack("<I4", (sig[m] >> 32) & 0xFFFFFFFF) end
        add_unit(ids[x], table.concat(sig), x, -1)
        sets[#uid], sizes[#uid] = wset, size
      end
    end
  else
    -- an article with boilerplate in its body is compared without it: its
    -- body is read (decoded only then) beside its head
    local nextbody = (not opts.lines and not opts.paragraphs) and records(s, 3, true)
    for r, n in records(s, 2) do
      local braw = nextbody and nextbody()
      if not opts.lines then
        local drop = dropped(r)
        if opts.paragraphs then
          for j = 1, #r.psig, 2 do
            local i = r.psig[j]
            if not (drop and drop[i]) then add_unit(r.id .. "#" .. i, r.psig[j + 1], n, i) end
          end
        elseif drop and r.sig then
          local sig
          if r.gdrop and same_drop(r.gdrop, drop) then sig = r.gsig
          else
            local b = wire.decode(braw)
            local text, chars = compared(b[1] or nil, b[2], drop)
            sig = chars >= opts.min_chars and signature(text)
          end
          if sig then add_unit(r.id, sig, n, 0); udrop[#uid] = true end
        elseif r.sig then
          add_unit(r.id, r.sig, n, 0)
        end
      end
      lines_of(r, n)
    end
  end

  -- The pairs that share a band, compared; a row's text (its first text's)
  -- is filled in below.
  local pairs_rows = {}
  local function pair(j, i, sim)
    if sim >= opts.threshold then
      local row = { kind = kind, similarity = sim, a = uid[j], b = uid[i], u = j }
      rows[#rows + 1] = row
      pairs_rows[#pairs_rows + 1] = row
    end
  end
  if simhash then
    local buckets, seen = {}, {}
    for i = 1, #uid do
      for _, key in ipairs(simhash_keys(usig[i])) do
        local bucket = buckets[key]
        if not bucket then bucket = {}; buckets[key] = bucket end
        for _, j in ipairs(bucket) do
          local pk = j * (#uid + 1) + i
          if not seen[pk] then
            seen[pk] = true
            pair(j, i, 1 - hash.hamming(usig[j], usig[i]) / 64)
          end
        end
        bucket[#bucket + 1] = i
      end
    end
  elseif #uid > 1 then
    local b, r = bands_for(k, opts.threshold)
    local c = set:candidates(b, r, (not story) and opts.threshold or nil)
    for x = 1, #c, 3 do
      local j, i, sim = c[x], c[x + 1], c[x + 2]
      if story then   -- exact: |x ∩ y| / |x ∪ y|
        local small, big = j, i
        if sizes[small] > sizes[big] then small, big = big, small end
        local both, bigset = 0, sets[big]
        for g in pairs(sets[small]) do if bigset[g] then both = both + 1 end end
        sim = both / (sizes[j] + sizes[i] - both)
      end
      pair(j, i, sim)
    end
  end
  if set then set:close() end
  sets, sizes = nil, nil

  -- Pass 3, where pairs were found: the texts of their first units, from
  -- the bodies of those records alone (a story shows its title).
  local want = {}   -- record -> {unit, …}
  for _, row in ipairs(pairs_rows) do
    local u = row.u
    if ustr[u] == nil then
      ustr[u] = false
      local w = want[urec[u]]
      if not w then w = {}; want[urec[u]] = w end
      w[#w + 1] = u
    end
  end
  if next(want) then
    local nexthead = records(s, 2, true)
    for braw, n in records(s, 3, true) do
      local hraw = nexthead()
      local w = want[n]
      if w then
        local b = wire.decode(braw)
        for _, u in ipairs(w) do
          local para = upara[u]
          if para < 0 then ustr[u] = b[1] or ""
          elseif para > 0 then ustr[u] = squeeze(b[2][para])
          else ustr[u] = compared(b[1] or nil, b[2], udrop[u] and dropped(wire.decode(hraw))) end
        end
      end
    end
  end
  for _, row in ipairs(pairs_rows) do row.text = ustr[row.u]; row.u = nil end

  table.sort(rows, function(x, y)
    if x.similarity ~= y.similarity then return x.similarity > y.similarity end
    if x.kind ~= y.kind then return x.kind < y.kind end
    if x.a ~= y.a then return x.a < y.a end
    return x.b < y.b
  end)

  -- The line rows, in the order of that sort: lines by their first place,
  -- then their other places; all at similarity 1, after the pairs of 1 of a
  -- kind before "line" and before the rest.
  occ:sort()
  local order, start, at = {}, {}, 1
  for d = 1, #lfirst do order[d], start[d], at = d, at, at + lcount[d] end
  table.sort(order, function(x, y) return lfirst[x] < lfirst[y] end)
  -- a table's text cell as the table makes it (display form, control
  -- characters blanked, cut to --width), made once a line, not once a row:
  -- a line copied into many files has a row for each, and its text is long
  local width = (opts.format == "table" and opts.width > 0) and opts.width or nil
  local shown = function(str) return str end
  if width then
    local twidth, truncate = gisa.text.width, gisa.text.truncate
    shown = function(str)
      if type(str) ~= "string" then return str end
      if not utf8.len(str) then str = A.display(str) end
      if str:find("[\r\n\t]") then str = str:gsub("[\r\n\t]", " ") end
      if twidth(str) > width then str = truncate(str, width) end
      return str
    end
  end
  local function line_rows(emit)
    for _, d in ipairs(order) do
      local places = {}
      for i = start[d], start[d] + lcount[d] - 1 do
        local _, n, line = occ:get(i)
        places[#places + 1] = ids[n] .. ":" .. line
      end
      table.sort(places)
      local a, text = lfirst[d], shown(ltext[d])
      for _, b in ipairs(places) do emit({ kind = "line", similarity = 1.0, a = a, b = b, text = text }) end
    end
  end

  -- The rows are many (a line copied into many files has one for each) and
  -- each is garbage once written, but a batch of them waits to be written
  -- long enough to outlive young collections: the generational collector
  -- kept them until a major collection, when memory had doubled, and what
  -- they held stayed with the allocator's size classes. So the rows are
  -- written after a full collection, with a major collection once memory
  -- has grown a quarter (200,000 articles, -f tsv: peak RSS 260 -> 206 MB,
  -- CPU 79 -> 82 s; the incremental collector with a pause of 110 held
  -- 168 MB but took 117 s, each cycle marking the whole live heap, and with
  -- a pause of 150 it held 282 MB)
  collectgarbage()
  collectgarbage("generational", 20, 25)
  A.output_stream(function(emit)
    local i = 1
    while rows[i] and (rows[i].similarity > 1 or rows[i].similarity == 1 and rows[i].kind < "line") do
      emit(rows[i]); i = i + 1
    end
    line_rows(emit)
    for j = i, #rows do emit(rows[j]) end
  end, { "kind", { key = "similarity", fmt = "%.3f" }, "a", "b", { key = "text", width = width } }, opts)
end

A.run(opts, paths, {
  key = table.concat({ story and "--story" or "", opts.paragraphs and "--paragraphs" or "",
    "-m " .. opts.method, "-k " .. k, "-s " .. shingle, "--min-chars " .. opts.min_chars,
    opts.lines and "--lines" or "", opts.no_lines and "--no-lines" or "",
    opts.boilerplate and "--boilerplate" or "" }, " "),
  opts = { extract = extract_keeping },
  fields = { "file", "record_no", "title", "body", "blocks" },
  state = new_state,
  -- GISA_SHARDS deals the articles to several states here: they stay in
  -- memory and are put back in order by number (see report)
  begin = function(s)
    if not gisa.options.partial and (tonumber(os.getenv("GISA_SHARDS") or "") or 1) <= 1 then home = s end
  end,
  each = each, merge = merge, pieces = pieces, finish = report })
heads:close(); bodies:close()
return A.exit_code()
