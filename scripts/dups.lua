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

local function squeeze(s)
  return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

-- characters, or bytes when the text is not UTF-8
local function length(s) return utf8.len(s) or #s end

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
-- in DROP (boilerplate).
local function parts(title, body, drop)
  local out = { title or "" }
  for i, p in ipairs(body or {}) do
    if not (drop and drop[i]) then out[#out + 1] = p end
  end
  return out
end

-- One article's record, encoded by gisa.wire:
--   id       FILE (FILE#N for the Nth record of a crawler dump), as shown
--   lines    its lines as written, keyed (minhash.lines)
--   content  the keys of its title and body paragraphs (8 bytes each)
--   short    {i, key, …}: its body paragraphs shorter than 40 characters, the
--            only ones that can turn out to be boilerplate (see below)
--   title, body   (body only where it may be compared again or by words)
--   text, sig     the text compared and its signature, as if no paragraph
--            were boilerplate (sig: none when shorter than --min-chars)
--   psig     with --paragraphs, {i, sig, …} for the paragraphs compared
local pack = string.pack
local function record(a)
  local file = a.record_no and (a.file .. "#" .. a.record_no) or a.file
  local text = texts[a]
  texts[a] = nil
  local title, body = a.title, a.body or {}
  local r = { id = A.display(file), title = title or false }
  if want_lines then
    if text then
      r.lines = minhash.lines(text)
    else   -- a record passed through as it was (gisa's own JSON Lines): its blocks, by line
      local out, seen = {}, {}
      for _, b in ipairs(a.blocks or {}) do
        if type(b.text) == "string" then
          local key, n = minhash.key(b.text)
          if n and n >= 10 and not seen[key] then
            seen[key] = true
            local line = math.tointeger(b.line or 0)
            if not line or line < 0 or line > 0xFFFFFFFF then line = 0 end
            out[#out + 1] = pack("<i8I4s4", key, line, squeeze(b.text))
          end
        end
      end
      r.lines = table.concat(out)
    end
  end
  local content, short = {}, {}
  if title then content[1] = pack("<i8", (minhash.key(title))) end
  for i, p in ipairs(body) do
    local key, n = minhash.key(p)
    content[#content + 1] = pack("<i8", key)
    if (n or #squeeze(p)) < SHORT then short[#short + 1] = i; short[#short + 1] = key end
  end
  r.content, r.short = table.concat(content), short
  if story or opts.paragraphs or #short > 0 then r.body = body end
  if story or opts.lines then return wire.encode(r) end
  if opts.paragraphs then
    local psig = {}
    for i, p in ipairs(body) do
      local t = squeeze(p)
      if length(t) >= opts.min_chars then psig[#psig + 1] = i; psig[#psig + 1] = signature(t) end
    end
    r.psig = psig
  else
    local t = squeeze(table.concat(parts(title, body), "\n"))
    r.text = t
    if length(t) >= opts.min_chars then r.sig = signature(t) end
  end
  return wire.encode(r)
end

-- The state: records in input order. In the process that reports they go
-- straight to a spill (A.spill: past a few megabytes, a temporary file); in
-- a worker, or for --partial, into the state's list, {file, record} each
-- (the file orders the shares' records when --merge joins them).
local spill = A.spill()
local home
local function new_state() return { recs = {}, inputs = paths } end

local function each(a, s)
  local rec = record(a)
  if s == home then spill:add(rec) else s.recs[#s.recs + 1] = { a.file, rec } end
end

local function merge(s1, s2)
  if gisa.options.merge then
    A.merge_in_order(s1.recs, s2.recs, function(x) return x[1] end, A.walk_order(s2.inputs))
  elseif s1 == home then
    for _, x in ipairs(s2.recs) do spill:add(x[2]) end
  else
    A.append(s1.recs, s2.recs)
  end
  return s1
end

local function records(s)
  local from_spill, i = spill:each(), 0
  return function()
    local d = from_spill and from_spill()
    if not d then
      from_spill = nil
      i = i + 1
      d = s.recs[i] and s.recs[i][2]
    end
    if d then return wire.decode(d) end
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

local function report(s)
  -- Pass 1: how many files have each line, and which lines are content.
  local tally <close> = minhash.tally()
  local nfiles = 0
  for r in records(s) do
    nfiles = nfiles + 1
    if r.lines then tally:add_lines(r.lines) end
    tally:add_content(r.content)
  end
  tally:seal()

  -- Boilerplate: in two files or more and content in none (the copyright
  -- line, ADVERTISEMENT, a photo credit), or a short line common to many
  -- files (a plug the rules kept in the body). A long paragraph in many
  -- files is a story copied, which is what dups is for. A body paragraph
  -- is content, so only a short one can be boilerplate.
  local common = math.max(5, math.ceil(nfiles / 100))
  local function boilerplate(key, chars)
    if opts.boilerplate then return false end
    local n = tally:count(key)
    return (n >= 2 and not tally:content(key)) or (n >= common and chars < SHORT)
  end
  local function dropped(r)
    if opts.boilerplate then return nil end
    local drop
    for j = 1, #r.short, 2 do
      if tally:count(r.short[j + 1]) >= common then drop = drop or {}; drop[r.short[j]] = true end
    end
    return drop
  end

  -- The units compared: their ids, signatures (in the C set, or SimHash
  -- integers) and texts. The texts wait in an unlinked temporary file
  -- (memory holds where each is); a pair's row reads its text back. In
  -- memory when no temporary file can be made.
  local set <close> = (not simhash) and minhash.set(k) or nil
  local uid, usig, uat, ulen, ustr = {}, {}, {}, {}, {}
  local texts_fh, texts_end = io.tmpfile(), 0
  local function add_unit(id, text, sig)
    local u = #uid + 1
    uid[u] = id
    if set then set:add(sig) else usig[u] = sig end
    if texts_fh then
      texts_fh:seek("set", texts_end)
      texts_fh:write(text)
      uat[u], ulen[u] = texts_end, #text
      texts_end = texts_end + #text
    else
      ustr[u] = text
    end
  end
  local function text_of(u)
    if ustr[u] then return ustr[u] end
    texts_fh:seek("set", uat[u])
    return ulen[u] > 0 and texts_fh:read(ulen[u]) or ""
  end

  local rows = {}
  local kind = story and "story" or opts.paragraphs and "paragraph" or "article"
  local first = {}   -- a repeated line's key -> where it is first
  local function lines_of(r)
    if opts.no_lines or not r.lines then return end
    local rep = tally:repeated(r.lines)
    for x = 1, #rep, 4 do
      local key, line = rep[x], rep[x + 2]
      if not boilerplate(key, utf8.len(line)) then
        local id = r.id .. ":" .. rep[x + 1]
        local f = first[key]
        if not f then first[key] = id
        else rows[#rows + 1] = { kind = "line", similarity = 1.0, a = f, b = id, text = line } end
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
    local words_of, titles, ids, vocabulary = {}, {}, {}, {}
    local i = 0
    for r in records(s) do
      i = i + 1
      words_of[i] = A.words(A.strip_links(table.concat(parts(r.title or nil, r.body, dropped(r)), "\n\n")))
      titles[i], ids[i] = r.title or "", r.id
      for _, w in ipairs(words_of[i]) do vocabulary[w] = true end
      lines_of(r)
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
    for x = 1, i do
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
        add_unit(ids[x], titles[x], table.concat(sig))
        sets[#uid], sizes[#uid] = wset, size
      end
    end
  else
    for r in records(s) do
      if not opts.lines then
        local drop = dropped(r)
        if opts.paragraphs then
          for j = 1, #r.psig, 2 do
            local i = r.psig[j]
            if not (drop and drop[i]) then add_unit(r.id .. "#" .. i, squeeze(r.body[i]), r.psig[j + 1]) end
          end
        else
          local text, sig = r.text, r.sig
          if drop then
            text = squeeze(table.concat(parts(r.title or nil, r.body, drop), "\n"))
            sig = length(text) >= opts.min_chars and signature(text) or nil
          end
          if sig then add_unit(r.id, text, sig) end
        end
      end
      lines_of(r)
    end
  end

  -- The pairs that share a band, compared.
  local function pair(j, i, sim)
    if sim >= opts.threshold then
      rows[#rows + 1] = { kind = kind, similarity = sim, a = uid[j], b = uid[i], text = text_of(j) }
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
  if texts_fh then texts_fh:close() end

  table.sort(rows, function(x, y)
    if x.similarity ~= y.similarity then return x.similarity > y.similarity end
    if x.kind ~= y.kind then return x.kind < y.kind end
    if x.a ~= y.a then return x.a < y.a end
    return x.b < y.b
  end)

  local width = (opts.format == "table" and opts.width > 0) and opts.width or nil
  A.output_stream(function(emit) for _, r in ipairs(rows) do emit(r) end end,
    { "kind", { key = "similarity", fmt = "%.3f" }, "a", "b", { key = "text", width = width } }, opts)
end

A.run(opts, paths, {
  key = table.concat({ story and "--story" or "", opts.paragraphs and "--paragraphs" or "",
    "-m " .. opts.method, "-k " .. k, "-s " .. shingle, "--min-chars " .. opts.min_chars,
    opts.lines and "--lines" or "", opts.no_lines and "--no-lines" or "",
    opts.boilerplate and "--boilerplate" or "" }, " "),
  opts = { extract = extract_keeping },
  state = new_state,
  begin = function(s) if not gisa.options.partial then home = s end end,
  each = each, merge = merge, finish = report })
spill:close()
return A.exit_code()
