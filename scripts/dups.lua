-- gisa dups: near-duplicate articles or paragraphs, the same story told by
-- several outlets, and exact repeated lines.
--   gisa dups corpus/                      article pairs with Jaccard >= 0.8
--   gisa dups --paragraphs --threshold 0.6 corpus/
--   gisa dups --story corpus/              the same story rewritten (>= 0.25)
--   gisa dups --method simhash corpus/     SimHash (64 bits) instead of MinHash
-- Each text becomes a signature over shingles (gisa.hash, in C); LSH banding
-- puts texts that share a band in one bucket, so only those pairs are
-- compared, never all pairs. Lines that recur across files outside the
-- articles' content (copyright, ADVERTISEMENT, a photo credit) are
-- boilerplate: left out of the texts compared and of the repeated lines.

local gisa = require "gisa"
local A = require "gisa.analysis"
local hash = require "gisa.hash"
local wire = require "gisa.wire"

local opts, paths = A.parse(arg, {
  name = "dups",
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

------------------------------------------------------------------------------
-- Per article: the units to compare and every line
------------------------------------------------------------------------------

-- The records, in input order, as compared: file, title and body encoded by
-- gisa.wire in a spill (A.spill: past a few megabytes, a temporary file), so
-- that the records of a large corpus are not all held at once.
local records, nfiles = A.spill(), 0
local function each_record()
  local next_rec = records:each()
  return function()
    local d = next_rec()
    if not d then return nil end
    local r = wire.decode(d)
    return { file = r[1], title = r[2] or nil, body = r[3] }
  end
end
local lines = {}     -- normalized line -> {ids…}, one id per file
local line_files = {}  -- normalized line -> number of files
local line_order = {}
local content = {}   -- normalized line -> true when some file has it as title or body

local function add_line(s, id, file, seen)
  s = squeeze(s)
  if (utf8.len(s) or 0) < 10 then return end
  if seen[s] then return end   -- a line printed twice in one file is not a repeat
  seen[s] = true
  local l = lines[s]
  if not l then l = {}; lines[s] = l; line_files[s] = 0; line_order[#line_order + 1] = s end
  line_files[s] = line_files[s] + 1
  l[#l + 1] = id
end

-- Each article is read once: its lines as written (a copyright line, a
-- newsletter plug, a byline, whether or not extraction kept them) and its
-- record (for articles and paragraphs, and to tell content from boilerplate).
-- Articles come through the readers, so a crawler dump (JSON Lines, CSV …) is
-- many articles, each named FILE#N (its record number); the text the rules
-- read is kept beside its record by wrapping the extraction (one process: -j
-- would extract in workers).
local real_extract = require("gisa.engine").extract
local texts = setmetatable({}, { __mode = "k" })
local function extract_keeping(text, o)
  local r = real_extract(text, o)
  if type(r) == "table" then texts[r] = text end
  return r
end
for a in A.articles(paths, { jobs = 1, extract = extract_keeping }) do
  local file = a.record_no and (a.file .. "#" .. a.record_no) or a.file
  local text = texts[a]
  texts[a] = nil
  nfiles = nfiles + 1
  records:add(wire.encode({ file, a.title or false, a.body or {} }))
  if a.title then content[squeeze(a.title)] = true end
  for _, p in ipairs(a.body or {}) do content[squeeze(p)] = true end
  if not opts.no_lines or not opts.boilerplate then
    local n, seen = 0, {}
    if text then
      for line in gisa.text.lines(text) do
        n = n + 1
        add_line(line, A.display(file) .. ":" .. n, file, seen)
      end
    else   -- a record passed through as it was (gisa's own JSON Lines): its blocks, by line
      for _, b in ipairs(a.blocks or {}) do
        if type(b.text) == "string" then add_line(b.text, A.display(file) .. ":" .. (math.tointeger(b.line or 0) or b.line or "?"), file, seen) end
      end
    end
  end
end

-- Boilerplate: in two files or more and content in none (the copyright
-- line, ADVERTISEMENT, a photo credit), or a short line common to many files
-- (a plug the rules kept in the body). A long paragraph in many files is a
-- story copied, which is what dups is for.
local common = math.max(5, math.ceil(nfiles / 100))
local function boilerplate(s)
  if opts.boilerplate then return false end
  local n = line_files[s] or 0
  return (n >= 2 and not content[s]) or (n >= common and (utf8.len(s) or #s) < 40)
end

local units = {}     -- {id=, text=, sig=, set=}

-- The texts of the units wait in an unlinked temporary file (memory holds
-- where each is); a pair's row reads its text back. In memory when no
-- temporary file can be made.
local texts_fh = io.tmpfile()
local texts_end = 0
local function keep_text(text)
  if not texts_fh then return text end
  texts_fh:seek("set", texts_end)
  texts_fh:write(text)
  local at = texts_end
  texts_end = texts_end + #text
  return { at, #text }
end
local function text_of(u)
  local t = u.text
  if type(t) == "string" then return t end
  texts_fh:seek("set", t[1])
  return t[2] > 0 and texts_fh:read(t[2]) or ""
end

local function signature(text)
  if opts.method == "simhash" then return hash.simhash(text, opts.shingle) end
  return hash.minhash(text, opts.hashes, opts.shingle)
end

local function add_unit(id, text)
  text = squeeze(text)
  if (utf8.len(text) or #text) < opts.min_chars then return end
  units[#units + 1] = { id = id, text = keep_text(text), sig = signature(text) }
end

-- The text of an article as compared: title and body, boilerplate out.
local function parts_of(a)
  local parts = { a.title or "" }
  for _, p in ipairs(a.body or {}) do
    if not boilerplate(squeeze(p)) then parts[#parts + 1] = p end
  end
  return parts
end

-- --story: each article is the set of its content-word shingles (stems, as
-- freq --nouns: decided over the whole corpus; stopwords and numbers out);
-- MinHash over that set finds the candidate pairs, whose similarity is then
-- the exact Jaccard of the two sets.
local story_sets
if story then
  local texts, vocabulary = {}, {}
  local i = 0
  for r in each_record() do
    i = i + 1
    texts[i] = A.words(A.strip_links(table.concat(parts_of(r), "\n\n")))
    for _, w in ipairs(texts[i]) do vocabulary[w] = true end
  end
  local key = A.keyer({ fold = true, nouns = true, stemmer = A.stemmer(vocabulary) })
  local stop = A.stopwords()
  local k, n = opts.hashes, opts.shingle
  -- the hash family of gisa.hash.minhash: fixed salts, so runs agree
  local salt, mul, state = {}, {}, 0x243F6A8885A308D3
  local h64 = hash.hash64
  for i = 1, k do
    state = state + 0x9E3779B97F4A7C15; salt[i] = h64(string.pack("<i8", state))
    state = state + 0x9E3779B97F4A7C15; mul[i] = h64(string.pack("<i8", state)) | 1
  end
  local ult = math.ult
  story_sets = {}
  i = 0
  for r in each_record() do
    i = i + 1
    local words = {}
    for _, w in ipairs(texts[i]) do
      local kw = key(w)
      if A.content(kw, stop) then words[#words + 1] = kw end
    end
    local set, size = {}, 0
    for j = 1, #words - n + 1 do
      local g = table.concat(words, " ", j, j + n - 1)
      if not set[g] then set[g] = true; size = size + 1 end
    end
    if size > 0 then
      local sig = {}
      for m = 1, k do sig[m] = -1 end
      for g in pairs(set) do
        local h = h64(g)
        for m = 1, k do
          local x = (h ~ salt[m]) * mul[m]
          if ult(x, sig[m]) then sig[m] = x end
        end
      end
      units[#units + 1] = { id = A.display(r.file), text = r.title or "", sig = sig,
        set = set, size = size }
    end
  end
elseif not opts.lines then
  for a in each_record() do
    if opts.paragraphs then
      for i, p in ipairs(a.body or {}) do
        if not boilerplate(squeeze(p)) then add_unit(A.display(a.file) .. "#" .. i, p) end
      end
    else
      add_unit(A.display(a.file), table.concat(parts_of(a), "\n"))
    end
  end
end

------------------------------------------------------------------------------
-- LSH: bands of the signature as bucket keys
------------------------------------------------------------------------------

-- A bucket key is the 64-bit hash of its band's text (an integer key costs
-- less than a string); a collision only adds a pair that is then compared.

-- MinHash: b bands of r rows; a pair with Jaccard s shares a band with
-- probability 1-(1-s^r)^b, which rises steeply near (1/b)^(1/r). Pick the
-- split whose knee is at or just below the threshold (favouring recall).
local function bands_for(k, threshold)
  local best, bestd
  for r = 1, k do
    if k % r == 0 then
      local b = k // r
      local knee = (1 / b) ^ (1 / r)
      local d = threshold - knee
      if d >= -0.02 and (not bestd or d < bestd) then best, bestd = r, d end
    end
  end
  return k // (best or 1), best or 1
end

local function band_keys(sig)
  local keys = {}
  if opts.method == "simhash" then
    -- pigeonhole: within d differing bits, one of d+1 blocks is equal
    local d = math.floor((1 - opts.threshold) * 64 + 1e-9)
    local blocks = math.min(d + 1, 64)
    local size = 64 // blocks
    for i = 0, blocks - 1 do
      local width = (i == blocks - 1) and (64 - size * i) or size
      local mask = width >= 64 and -1 or ((1 << width) - 1)
      keys[#keys + 1] = hash.hash64(i .. ":" .. ((sig >> (size * i)) & mask))
    end
  else
    local b, r = bands_for(#sig, opts.threshold)
    for i = 0, b - 1 do
      local row = {}
      for j = 1, r do row[j] = sig[i * r + j] end
      keys[#keys + 1] = hash.hash64(i .. ":" .. table.concat(row, ","))
    end
  end
  return keys
end

local function similarity(x, y)
  if x.set then   -- exact: |x ∩ y| / |x ∪ y|
    local both = 0
    local small, big = x, y
    if small.size > big.size then small, big = big, small end
    for g in pairs(small.set) do if big.set[g] then both = both + 1 end end
    return both / (x.size + y.size - both)
  end
  if opts.method == "simhash" then return 1 - hash.hamming(x.sig, y.sig) / 64 end
  return hash.jaccard(x.sig, y.sig)
end

local rows = {}
local buckets, seen = {}, {}
for i, u in ipairs(units) do
  for _, key in ipairs(band_keys(u.sig)) do
    local bucket = buckets[key]
    if not bucket then bucket = {}; buckets[key] = bucket end
    for _, j in ipairs(bucket) do
      local pk = j * (#units + 1) + i
      if not seen[pk] then
        seen[pk] = true
        local v = units[j]
        local s = similarity(v, u)
        if s >= opts.threshold then
          rows[#rows + 1] = { kind = story and "story" or opts.paragraphs and "paragraph" or "article",
            similarity = s, a = v.id, b = u.id, text = text_of(v) }
        end
      end
    end
    bucket[#bucket + 1] = i
  end
end

if not opts.no_lines then
  for _, s in ipairs(line_order) do
    local ids = lines[s]
    if not boilerplate(s) then
      for k = 2, #ids do
        rows[#rows + 1] = { kind = "line", similarity = 1.0, a = ids[1], b = ids[k], text = s }
      end
    end
  end
end

table.sort(rows, function(x, y)
  if x.similarity ~= y.similarity then return x.similarity > y.similarity end
  if x.kind ~= y.kind then return x.kind < y.kind end
  if x.a ~= y.a then return x.a < y.a end
  return x.b < y.b
end)

local width = (opts.format == "table" and opts.width > 0) and opts.width or nil
A.output_stream(function(emit) for _, r in ipairs(rows) do emit(r) end end,
  { "kind", { key = "similarity", fmt = "%.3f" }, "a", "b", { key = "text", width = width } }, opts)
return A.exit_code()
