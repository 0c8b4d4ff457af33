-- gisa dups: near-duplicate articles or paragraphs, and exact repeated lines.
--   gisa dups corpus/                      article pairs with Jaccard >= 0.8
--   gisa dups --paragraphs --threshold 0.6 corpus/
--   gisa dups --method simhash corpus/     SimHash (64 bits) instead of MinHash
-- Each text becomes a signature over character shingles (gisa.hash, in C);
-- LSH banding puts texts that share a band in one bucket, so only those
-- pairs are compared, never all pairs.

local gisa = require "gisa"
local A = require "gisa.analysis"
local hash = require "gisa.hash"

local opts, paths = A.parse(arg, {
  name = "dups",
  usage = "gisa dups [options] [PATH…]",
  summary = "Near-duplicate articles (or paragraphs with --paragraphs) by MinHash or\n" ..
    "SimHash over character shingles, with LSH banding, and lines repeated\n" ..
    "exactly across the corpus. Pairs come most similar first.",
  options = {
    { "-t", "--threshold", arg = "X", type = "number", default = 0.8,
      help = "least estimated similarity of a pair, 0..1 (default 0.8)" },
    { "-p", "--paragraphs", help = "compare paragraphs instead of whole articles" },
    { "-m", "--method", arg = "NAME", default = "minhash", choices = { "minhash", "simhash" },
      help = "minhash (Jaccard estimate, default) or simhash (1 - Hamming/64)" },
    { "-k", "--hashes", arg = "N", type = "number", default = 64, help = "MinHash signature length (default 64)" },
    { "-s", "--shingle", arg = "N", type = "number", default = 5, help = "characters per shingle (default 5)" },
    { nil, "--min-chars", arg = "N", type = "number", default = 40,
      help = "skip texts shorter than N characters (default 40)" },
    { nil, "--lines", help = "only exact repeated lines" },
    { nil, "--no-lines", help = "no exact repeated lines" },
    { "-w", "--width", arg = "N", type = "number", default = 50, help = "cut texts to N columns in the table" },
  },
  text = "columns: kind (article, paragraph, line), similarity, a, b, text\n" ..
    "a and b are FILE, FILE#N (the Nth paragraph of the body, from 1) or FILE:N\n" ..
    "(line N of the file as written: repeated lines are looked for in the files'\n" ..
    "own lines, boilerplate included, lines of 10 characters or more)",
})

if opts.threshold < 0 or opts.threshold > 1 then A.usage("--threshold must be between 0 and 1", "dups") end
if opts.hashes < 2 or opts.hashes % 1 ~= 0 then A.usage("--hashes must be an integer >= 2", "dups") end
if opts.shingle < 1 or opts.shingle % 1 ~= 0 then A.usage("--shingle must be an integer >= 1", "dups") end

local function squeeze(s)
  return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

------------------------------------------------------------------------------
-- Per article: the units to compare, their signatures, and every line
------------------------------------------------------------------------------

local units = {}     -- {id=, text=, sig=}
local lines = {}     -- normalized line -> {ids…}, one id per file
local line_files = {}  -- normalized line -> {file = true}
local line_order = {}

local function add_line(s, id, file)
  s = squeeze(s)
  if (utf8.len(s) or 0) < 10 then return end
  local l = lines[s]
  if not l then l = {}; lines[s] = l; line_files[s] = {}; line_order[#line_order + 1] = s end
  if line_files[s][file] then return end   -- a line printed twice in one file is not boilerplate
  line_files[s][file] = true
  l[#l + 1] = id
end

local function signature(text)
  if opts.method == "simhash" then return hash.simhash(text, opts.shingle) end
  return hash.minhash(text, opts.hashes, opts.shingle)
end

local function add_unit(id, text)
  text = squeeze(text)
  if (utf8.len(text) or #text) < opts.min_chars then return end
  units[#units + 1] = { id = id, text = text, sig = signature(text) }
end

-- Each file is read once: its lines as written (for repeated lines: the
-- copyright, a newsletter plug, a byline, whether or not extraction kept
-- them), and its record (for articles and paragraphs).
for file, text, encoding in A.files(paths) do
  if not opts.lines then
    local ok, a = pcall(gisa.extract, text, file, encoding)
    if not (ok and a) then
      gisa.status.fail(file .. ": " .. tostring(a))
    else
      local body = a.body or {}
      if opts.paragraphs then
        for i, p in ipairs(body) do add_unit(a.file .. "#" .. i, p) end
      else
        local parts = { a.title or "" }
        for _, p in ipairs(body) do parts[#parts + 1] = p end
        add_unit(a.file, table.concat(parts, "\n"))
      end
    end
  end
  if not opts.no_lines then
    local n = 0
    for line in gisa.text.lines(text) do
      n = n + 1
      add_line(line, file .. ":" .. n, file)
    end
  end
end

------------------------------------------------------------------------------
-- LSH: bands of the signature as bucket keys
------------------------------------------------------------------------------

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
      keys[#keys + 1] = i .. ":" .. ((sig >> (size * i)) & mask)
    end
  else
    local b, r = bands_for(#sig, opts.threshold)
    for i = 0, b - 1 do
      local row = {}
      for j = 1, r do row[j] = sig[i * r + j] end
      keys[#keys + 1] = i .. ":" .. table.concat(row, ",")
    end
  end
  return keys
end

local function similarity(x, y)
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
          rows[#rows + 1] = { kind = opts.paragraphs and "paragraph" or "article",
            similarity = s, a = v.id, b = u.id, text = v.text }
        end
      end
    end
    bucket[#bucket + 1] = i
  end
end

for _, s in ipairs(line_order) do
  local ids = lines[s]
  for k = 2, #ids do
    rows[#rows + 1] = { kind = "line", similarity = 1.0, a = ids[1], b = ids[k], text = s }
  end
end

table.sort(rows, function(x, y)
  if x.similarity ~= y.similarity then return x.similarity > y.similarity end
  if x.kind ~= y.kind then return x.kind < y.kind end
  if x.a ~= y.a then return x.a < y.a end
  return x.b < y.b
end)

local width = (opts.format == "table" and opts.width > 0) and opts.width or nil
A.output(rows, { "kind", { key = "similarity", fmt = "%.3f" }, "a", "b", { key = "text", width = width } }, opts)
return A.exit_code()
