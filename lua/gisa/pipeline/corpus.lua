-- gisa.corpus: from paths on the command line to article records.
-- Expands directories (sorted, recursive), picks a reader for each file
-- (readers/NAME.lua on the search path: by extension, else by content),
-- reads and decodes it, runs extraction on each article it yields, reports
-- each bad file or record without stopping the others, and says at the end
-- what the walk skipped.

local sys = require "gisa.sys"
local enc = require "gisa.enc"
local status = require "gisa.cli.status"
local plain = require("gisa.lines").plain

local byte, find, lower, match = string.byte, string.find, string.lower, string.match
local readfile, repair = sys.readfile, enc.repair

local M = {}

--- Extra name patterns of files read as plain text in a walk (besides the
--- extensions of every reader); files named on the command line are always read.
M.patterns = {}

local DOT = byte(".")

------------------------------------------------------------------------------
-- Readers
------------------------------------------------------------------------------

--- Compression suffixes stripped before a file's extension is looked up.
M.compressed = { gz = "gzip", zst = "zstd", xz = "xz", bz2 = "bzip2" }
--- Archive extensions read like a directory (with gisa.zio).
M.archives = { zip = true, tar = true, tgz = true }

--- Shapes gisa recognises but does not read: extension -> what to tell the user.
M.unread = {
  pdf = "a PDF document, not read (pdftotext makes text of it)",
  doc = "a Word document, not read (save it as text)",
  docx = "a Word document, not read (save it as text)",
  odt = "an OpenDocument text, not read (save it as text)",
  rtf = "an RTF document, not read (save it as text)",
  hwp = "a Hangul (HWP) document, not read (save it as text)",
  hwpx = "a Hangul (HWPX) document, not read (save it as text)",
  xls = "a spreadsheet, not read (save it as CSV)",
  xlsx = "a spreadsheet, not read (save it as CSV)",
  ods = "a spreadsheet, not read (save it as CSV)",
  ppt = "a presentation, not read", pptx = "a presentation, not read",
  png = "an image, not read", jpg = "an image, not read", jpeg = "an image, not read",
  gif = "an image, not read", webp = "an image, not read", bmp = "an image, not read",
  tif = "an image, not read", tiff = "an image, not read",
  mp3 = "audio, not read", mp4 = "a video, not read",
  ["7z"] = "a 7-Zip archive, not read", rar = "a RAR archive, not read",
}

-- The same shapes known by their first bytes (for files of no or another extension).
local MAGIC = {
  { "^%%PDF%-", "pdf" }, { "^\137PNG", "png" }, { "^\255\216\255", "jpg" }, { "^GIF8", "gif" },
  { "^\208\207\017\224", "doc" },   -- OLE: old Office files and HWP 5
}

local function load_reader(path, name)
  local env = setmetatable({ gisa = require "gisa" }, { __index = _G })
  local chunk, err = loadfile(path, "t", env)
  if not chunk then return nil, err end
  local ok, r = pcall(chunk)
  if not ok then return nil, path .. ": " .. tostring(r) end
  if type(r) ~= "table" or type(r.read) ~= "function" or type(r.exts or {}) ~= "table"
      or (r.sniff ~= nil and type(r.sniff) ~= "function") then
    return nil, path .. ": a reader must return a table {name=, exts={…}, sniff=function, read=function}"
  end
  r.name = r.name or name
  r.path = path
  return r
end

-- The shipped readers when there is no search path (the library used from stock lua).
local function shipped_list()
  local p = package.searchpath("gisa.readers.txt", package.path)
  if not p then return {} end
  local dir = p:match("^(.*)/[^/]*$")
  local out = {}
  for _, f in ipairs(sys.listdir(dir) or {}) do
    local name = f:match("^([^.][^/]*)%.lua$")
    if name then out[#out + 1] = { name = name, path = dir .. "/" .. f, root = { kind = "shipped" } } end
  end
  return out
end

local registries = setmetatable({}, { __mode = "k" })

--- The readers on the search path: {list={…}, by_ext={ext=reader}, by_name=,
--- txt=the shipped txt reader or nil when a user's replaces it}. A reader
--- that does not load is reported once and left out.
function M.readers()
  local gisa = require "gisa"
  local key = gisa.paths or M
  local R = registries[key]
  if R then return R end
  local items = gisa.paths and gisa.paths:list("readers") or shipped_list()
  R = { list = {}, by_ext = {}, by_name = {} }
  -- a user's reader claims its extensions before a shipped one does
  table.sort(items, function(a, b)
    local ua, ub = a.root.kind == "user", b.root.kind == "user"
    if ua ~= ub then return ua end
    return a.name < b.name
  end)
  for _, it in ipairs(items) do
    local r, err = load_reader(it.path, it.name)
    if not r then
      status.fail("reader '" .. it.name .. "': " .. err)
    else
      r.shipped = it.root.kind == "shipped"
      R.list[#R.list + 1] = r
      R.by_name[r.name] = r
      for _, e in ipairs(r.exts or {}) do
        e = lower(e)
        if not R.by_ext[e] then R.by_ext[e] = r end
      end
    end
  end
  local txt = R.by_name.txt
  R.txt = txt
  R.fast = txt and txt.shipped and txt or nil   -- today's path: read + extract, nothing between
  registries[key] = R
  return R
end

-- A walk's context: the readers, --ext, and the tally of what was skipped.
local function new_walk(opts)
  local R = M.readers()
  local W = { R = R, skipped = {}, nskipped = 0, hints = 0, files = 0, articles = 0,
    quiet = opts and opts.quiet, txt_ext = R.by_ext.txt }
  local ext = opts and opts.ext
  if type(ext) == "string" then
    local set = {}
    for e in ext:gmatch("[^,%s]+") do set[lower(e:gsub("^%*?%.", ""))] = true end
    W.ext = set
  elseif type(ext) == "table" then
    local set = {}
    for _, e in ipairs(ext) do for x in e:gmatch("[^,%s]+") do set[lower(x:gsub("^%*?%.", ""))] = true end end
    if next(set) then W.ext = set end
  end
  return W
end
M.new_walk = new_walk

-- Split a name into its extension (lower case) and compression suffix:
-- "dump.JSONL.gz" -> "jsonl", "gz". No extension: "", nil.
local SLASH = byte("/")
local lowered = setmetatable({}, { __mode = "k", __index = function(t, e)   -- "TXT" -> "txt", kept
  local l = lower(e); t[e] = l; return l end })
local function last_ext(name, stop)
  for i = stop, 1, -1 do
    local c = byte(name, i)
    if c == DOT then return i < stop and lowered[name:sub(i + 1, stop)] or nil, i
    elseif c == SLASH then return nil end
  end
  return nil
end
local function ext_of(name)
  local n = #name
  local e, dot = last_ext(name, n)
  if not e then return "", nil end
  if M.compressed[e] then
    local inner = last_ext(name, dot - 1)
    return inner or "", e
  end
  return e, nil
end
M.ext_of = ext_of

local function skip(W, name, what)
  local e, z = ext_of(name)
  local key = e ~= "" and ("." .. e .. (z and ("." .. z) or "")) or "(no extension)"
  if what then key = what end
  W.skipped[key] = (W.skipped[key] or 0) + 1
  W.nskipped = W.nskipped + 1
end

--- What to do with a file met in a walk (named = given on the command line):
--- a reader, or "sniff" (decide from its first bytes), or nil (skipped).
local function classify(W, name, path, named)
  if byte(name, 1) == DOT and not named then return nil end
  local e, z = ext_of(name)
  if W.ext and not named then
    if not W.ext[e] and not (z and W.ext[e .. "." .. z]) then skip(W, name); return nil end
    return W.R.by_ext[e] or "sniff", z
  end
  local r = W.R.by_ext[e]
  if r then return r, z end
  if M.archives[e] or (e == "tar" and z) then return "archive", z end
  local hint = M.unread[e]
  if hint then
    W.hints = W.hints + 1
    skip(W, name)
    if named then status.fail(path .. ": " .. hint) else status.warn(path .. ": " .. hint) end
    return nil
  end
  local patterns = M.patterns
  for i = 1, #patterns do
    if find(name, patterns[i]) then return W.R.txt or "sniff", z end
  end
  return "sniff", z
end
M.classify = classify

-- A directory reached a second time (a symlink loop, or two links to one
-- directory) is walked once; `seen` holds the dev:inode of those walked.
local function first_visit(dir, seen)
  local _, _, _, id = sys.stat(dir)
  if id and seen[id] then
    status.warn(dir .. ": directory already walked (a symlink loop?), skipped")
    return false
  end
  if id then seen[id] = true end
  return true
end

-- An entry that cannot be stat'ed (a dangling link): an article that cannot
-- be read is a failed input; anything else is a warning.
local function unreadable(W, name, err)
  local e = ext_of(name)
  if W.R.by_ext[e] then status.fail(err) else status.warn(err) end
end

-- A file the walk reached: an item, or nil when it is skipped. A file whose
-- extension no reader claims is kept for a look at its first bytes ("sniff"),
-- in a walk only when `sniff` (corpus.articles: readers may claim it; the
-- text tools skip it).
local T, X = byte("t"), byte("x")
local function item_of(W, name, p, size, op, sniff)
  -- NAME.txt, by far the most common, without the general look-up
  local d, t1, x, t2 = byte(name, -4, -1)
  if t2 == T and x == X and t1 == T and d == DOT and not W.ext and W.txt_ext then
    return { path = p, size = size, reader = W.txt_ext, op = op }
  end
  local r, z = classify(W, name, p, false)
  if not r then return nil end
  if r == "sniff" and not sniff then skip(W, name); return nil end
  return { path = p, size = size, reader = r, z = z, op = op }
end

local function walk(W, dir, out, seen, op, sniff)
  if not first_visit(dir, seen) then return end
  local names, err = sys.listdir(dir)
  if not names then status.fail(err); return end
  for _, name in ipairs(names) do
    if name:sub(1, 1) ~= "." then
      local p = (dir:sub(-1) == "/" and dir or dir .. "/") .. name
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(W, p, out, seen, op, sniff)
      elseif kind == "file" then out[#out + 1] = item_of(W, name, p, size, op, sniff)
      elseif not kind then unreadable(W, name, size) end
    end
  end
end

-- A PATH given on the command line: always read (its reader by extension, else
-- by content), unless it is of a shape gisa knows it cannot read.
local function operand_item(W, p, size, op)
  local name = p:match("[^/]*$")
  local r, z = classify(W, name, p, true)
  if not r then return nil end
  return { path = p, size = size, reader = r, z = z, op = op, named = true }
end

--- Expand PATHs into a list of {path=, size=, reader=}. Missing paths are
--- reported. opts.ext: the extensions to walk (as --ext); opts.walk: a walk
--- context (corpus.new_walk) whose tally of skipped files is kept; opts.all:
--- keep compressed files and archives too (by default they are skipped and
--- counted: the callers of expand read each file as one text).
---@param paths string[]
function M.expand(paths, opts)
  local W = opts and opts.walk or new_walk(opts)
  local out, seen = {}, {}
  for i, p in ipairs(paths) do
    if p == "-" then
      out[#out + 1] = { path = "-", size = 0, reader = "sniff", op = i, named = true }
    else
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(W, p, out, seen, i, opts and opts.sniff)
      elseif kind then out[#out + 1] = operand_item(W, p, size, i)
      else status.fail(size) end    -- stat's message names the path
    end
  end
  if not (opts and opts.all) then
    local k = 0
    for j = 1, #out do
      local it = out[j]
      out[j] = nil
      if it.z or it.reader == "archive" then skip(W, it.path:match("[^/]*$"))
      else k = k + 1; out[k] = it end
    end
  end
  return out, W
end

-- The files of PATHs, in expand's order, as {path=, size=}: directories are
-- read as the walk reaches them, so memory does not grow with the corpus.
-- Operands that are missing are reported at once (as expand). Unless `sized`,
-- a file the directory listing says is a regular file comes without its size
-- (and without a stat of its own).
local function stream(paths, sized, W, sniff)
  W = W or new_walk()
  local items = {}
  for i, p in ipairs(paths) do
    if p == "-" then
      items[#items + 1] = { path = "-", size = 0, reader = "sniff", op = i, named = true }
    else
      local kind, size = sys.stat(p)
      if kind == "dir" then items[#items + 1] = { dir = p, op = i }
      elseif kind then items[#items + 1] = operand_item(W, p, size, i)
      else status.fail(size) end
    end
  end
  local stack, k, seen, op = {}, 0, {}, nil
  local stat = sys.stat
  local function push(dir)
    if not first_visit(dir, seen) then return end
    local names, kinds = sys.listdir(dir, true)
    if not names then status.fail(kinds); return end
    stack[#stack + 1] = { dir = dir:sub(-1) == "/" and dir or dir .. "/", names = names,
      kinds = kinds, i = 0 }
  end
  return function()
    while true do
      local top = stack[#stack]
      if top then
        local i = top.i + 1
        top.i = i
        local name = top.names[i]
        if not name then
          stack[#stack] = nil
        elseif byte(name, 1) ~= DOT then
          local p = top.dir .. name
          local kind, size = top.kinds[i], nil
          -- a link, or a type the listing does not know, and a size asked for
          if not kind or (sized and kind == "file") then kind, size = stat(p) end
          if kind == "dir" then push(p)
          elseif kind == "file" then
            local it = item_of(W, name, p, size, op, sniff)
            if it then return it end
          elseif not kind then unreadable(W, name, size) end
        end
      else
        k = k + 1
        local it = items[k]
        if not it then return nil end
        op = it.op
        if it.dir then push(it.dir) else return it end
      end
    end
  end
end

--- Iterate over the files of PATHs, in expand's order, as {path=, size=}:
--- directories are read as the walk reaches them, so memory does not grow
--- with the corpus. Operands that are missing are reported at once (as expand).
---@param paths string[]
function M.files(paths, opts)
  return stream(paths, true, opts and opts.walk or new_walk(opts), opts and opts.sniff)
end

--- Lines longer than this are reported (rules and regexps grow slow on them).
M.max_line = 1024 * 1024

local function plural(n, one, many)
  return n == 1 and one or (many or one .. "s")
end

-- The longest line of text: length, line number, byte offset (1-based).
local function longest_line(text)
  local best, bline, bpos, line, pos = 0, 1, 1, 1, 1
  local find = string.find
  while true do
    local nl = find(text, "\n", pos, true)
    local len = (nl or #text + 1) - pos
    if len > best then best, bline, bpos = len, line, pos end
    if not nl then break end
    pos, line = nl + 1, line + 1
  end
  return best, bline, bpos
end

-- Warnings from a decode report; offsets are bytes of the file (1-based).
local function decode_warnings(report, warnings)
  local function w(...) warnings[#warnings + 1] = string.format(...) end
  if report.confidence and report.confidence < 0.5 and not report.mixed then
    w("encoding guessed as %s (confidence %.2f: %s); --encoding NAME sets it",
      report.encoding, report.confidence, report.evidence)
  end
  if report.mixed then
    local m = report.mixed
    w("mixed encodings: %d %s read as %s instead of %s (first at byte %d)", m.lines,
      plural(m.lines, "line"), m.encoding, report.encoding, m.first)
  end
  local bad = report.replaced or 0
  if report.truncated then
    bad = bad - 1
    w("truncated %s character at end of file (byte %d) replaced with U+FFFD", report.encoding,
      report.truncated)
  end
  if bad > 0 then
    w("%d invalid %s byte %s replaced with U+FFFD (first at byte %d)", bad, report.encoding,
      plural(bad, "sequence"), report.first_bad)
  end
  if report.nuls and report.nuls > 0 then
    w("%d NUL %s removed (first at byte %d)", report.nuls, plural(report.nuls, "byte"), report.first_nul)
  end
end

-- The report of a plain file, made without enc.decode: what enc.decode would
-- say of it. Its evidence is asked for rarely and found then, from the bytes
-- a weak table keeps for it (cheaper than a metatable of its own).
local plain_bytes = setmetatable({}, { __mode = "k" })
local plain_meta = { __index = function(r, k)
  if k ~= "evidence" or not plain_bytes[r] then return nil end
  local _, _, evidence = enc.detect(plain_bytes[r])
  r.evidence = evidence
  return evidence
end }

local function plain_report(bytes)
  local r = setmetatable({ encoding = "utf-8", replaced = 0, nuls = 0, bom = false,
    newlines = 0, bytes = #bytes, confidence = 1.0 }, plain_meta)
  plain_bytes[r] = bytes
  return r
end

local NO_OPTS = {}   -- read only, never written

--- Decode the whole content of one file to UTF-8, as M.read does (`path`
--- names it in messages). Returns text, info, or nil, message.
function M.decode(bytes, path, opts)
  opts = opts or NO_OPTS
  local warnings = {}
  local info = { encoding = "utf-8", warnings = warnings, size = #bytes }
  if #bytes == 0 then
    warnings[1] = "empty file"
    return "", info
  end
  local text, report, off
  local encoding = opts.encoding or "auto"
  if encoding == "auto" and plain(bytes) then
    -- valid UTF-8, no BOM, no CR, no control bytes: what enc.decode would return
    -- (detection says utf-8 with confidence 1, nothing to warn of), without
    -- scanning it again
    text, report = bytes, plain_report(bytes)
    info.report = report
  else
    text, report, off = enc.decode(bytes, encoding)
    if not text then
      return nil, string.format("%s: %s; first at byte %d; skipped", path, report, off)
    end
    info.encoding, info.report = report.encoding, report
    decode_warnings(report, warnings)
  end
  if not find(text, "%S") then
    warnings[#warnings + 1] = "no text (only blank lines and spaces)"
    return text, info
  end
  if #text > M.max_line then
    local len, line, pos = longest_line(text)
    if len > M.max_line then
      warnings[#warnings + 1] = string.format(
        "line %d is %d bytes long (starts at byte %d of the decoded text)", line, len, pos)
    end
  end
  local fixed, what = repair(text)
  if what.count > 0 then
    local kinds = {}
    for k, n in pairs(what.kinds) do kinds[#kinds + 1] = k .. ": " .. n end
    table.sort(kinds)
    local lines = {}
    for i = 1, math.min(#what.lines, 5) do lines[i] = tostring(what.lines[i]) end
    if #what.lines > 5 then lines[#lines + 1] = "…" end
    if opts.repair then
      info.warnings[#info.warnings + 1] = string.format("repaired mojibake in %d %s on %s %s (%s)",
        what.count, plural(what.count, "place"), plural(#what.lines, "line"), table.concat(lines, ", "),
        table.concat(kinds, ", "))
      info.repaired = what
      text = fixed
    else
      info.warnings[#info.warnings + 1] = string.format(
        "mojibake on %s %s (%s); --repair " .. (what.lost > 0 and "repairs what can be repaired (bytes were lost)" or "fixes it"), plural(#what.lines, "line"),
        table.concat(lines, ", "), table.concat(kinds, ", "))
    end
  end
  return text, info
end
local decode = M.decode

--- Read one file and decode it to UTF-8.
--- Returns text, info ({encoding=, warnings={…}, report=, repaired=}), or nil, message.
--- opts.encoding: "auto" (default) or a name; opts.repair: apply mojibake repair.
function M.read(path, opts)
  local bytes, err = readfile(path)
  if not bytes then return nil, err end
  return decode(bytes, path, opts)
end

-- Progress on stderr, only when it is a terminal and not --quiet.
local Progress = {}
Progress.__index = Progress

function M.progress(files, opts)
  if opts.quiet or opts.progress == false or not sys.isatty(2) then return nil end
  local total = 0
  for _, f in ipairs(files) do total = total + f.size end
  return setmetatable({ n = #files, done = 0, bytes = 0, total = total,
    t0 = sys.clock(), last = 0 }, Progress)
end

function Progress:step(size)
  self.done, self.bytes = self.done + 1, self.bytes + size
  local now = sys.clock()
  if now - self.last < 0.1 and self.done < self.n then return end
  self.last = now
  local dt = math.max(now - self.t0, 1e-6)
  local rate = self.bytes / dt
  local eta = rate > 0 and (self.total - self.bytes) / rate or 0
  io.stderr:write(string.format("\r\27[K%d/%d files  %.1f MB/s  ETA %d:%02d",
    self.done, self.n, rate / 1e6, eta // 60, math.floor(eta % 60)))
end

function Progress:finish()
  io.stderr:write("\r\27[K")
end

--- Copy --ext, --split and --map from parsed options into gisa.options,
--- checking them (a usage error names the option).
function M.set_options(dst, opts)
  local cli = require "gisa.cli"
  if opts.split then
    local sp = opts.split
    if sp ~= "ff" and sp ~= "blank2" then
      local ok, err = pcall(find, "", sp)
      if not ok then cli.usage_error("--split: bad pattern '" .. sp .. "': " .. tostring(err)) end
    end
    dst.split = sp
  end
  if opts.map then
    local m, err = require("gisa.pipeline.dump").parse_map(opts.map)
    if not m then cli.usage_error(err) end
    dst.map = opts.map
  end
  if opts.ext then dst.ext = opts.ext end
end

------------------------------------------------------------------------------
-- A source: what a reader reads from
------------------------------------------------------------------------------

--- Bytes a source reads at a time (src:lines, src:text_lines).
M.chunk = 1024 * 1024
--- The first bytes a reader's sniff sees.
M.head = 4096

local Src = {}
Src.__index = Src
Src.__name = "gisa.source"

function Src.__tostring(self) return "gisa.source (" .. self.path .. ")" end
function Src:close()
  local fh = self.fh
  self.fh = nil
  if fh and fh ~= io.stdin then fh:close() end
end
Src.__close = Src.close
Src.__gc = Src.close

-- Raw bytes: what was looked at first (the head), then the stream.
function Src:read(n)
  local buf = self.buf
  if buf then
    if #buf > n then self.buf = buf:sub(n + 1); return buf:sub(1, n) end
    self.buf = nil
    if #buf > 0 then return buf end
  end
  local fh = self.fh
  if not fh then return nil end
  local s, err = fh:read(n)
  if s == nil and err then
    -- raised to whoever reads the source: the file reader names the file
    err = tostring(err)
    local p = self.path .. ": "
    if err:sub(1, #p) == p then err = err:sub(#p + 1) end
    error((err:gsub("%(opts%.limit raises it%)", "(corpus.zio_limit raises it)")), 0)
  end
  return s
end

--- The first `n` bytes, left to be read again.
function Src:peek(n)
  local buf = self.buf or ""
  while #buf < n do
    local fh = self.fh
    local s = fh and fh:read(n - #buf)
    if not s then break end
    buf = buf .. s
  end
  self.buf = buf
  return buf:sub(1, n)
end

--- The whole (decompressed) content.
function Src:bytes()
  local parts = {}
  while true do
    local s = self:read(M.chunk)
    if not s then break end
    parts[#parts + 1] = s
  end
  return table.concat(parts)
end

-- Lines of a stream of chunks: `line, lineno`, without "\n" (nor a "\r" before it).
-- A chunk is never copied whole: only a line that runs over a chunk's end is
-- joined from its pieces.
local sub, concat = string.sub, table.concat
local function chunk_lines(next_chunk)
  local cur, pos, lineno, done = "", 1, 0, false
  return function()
    local line
    local nl = find(cur, "\n", pos, true)
    if nl then
      line = sub(cur, pos, nl - 1)
      pos = nl + 1
    else
      local parts = { sub(cur, pos) }
      cur, pos = "", 1
      while not done do
        local s = next_chunk()
        if s == nil then done = true; break end
        nl = find(s, "\n", 1, true)
        if nl then
          parts[#parts + 1] = sub(s, 1, nl - 1)
          cur, pos = s, nl + 1
          break
        end
        parts[#parts + 1] = s
      end
      line = concat(parts)
      if not nl and line == "" then return nil end   -- the end
    end
    lineno = lineno + 1
    if byte(line, -1) == 13 then line = sub(line, 1, -2) end
    return line, lineno
  end
end

--- Lines of the raw bytes, streamed: `for line, lineno in src:lines() do`.
function Src:lines()
  return chunk_lines(function() return self:read(M.chunk) end)
end

--- Lines of the decoded text (UTF-8: the encoding found from the first bytes,
--- or --encoding; CRLF as LF, no BOM, U+FFFD for bad bytes), streamed. What
--- the decoder replaced is reported once, at the end of the source.
function Src:text_lines()
  local conv = enc.open(self.opts.encoding or "auto")
  self.conv = conv
  local last, utf8, whole = false, false, false
  return chunk_lines(function()
    if last then return nil end
    local chunk = self:read(M.chunk)
    -- once the text is found to be UTF-8, a chunk that decoding would return
    -- as it is (whole characters, no CR, no control bytes) skips the copy,
    -- unless the converter holds the start of a character from the last one
    if utf8 and whole and chunk and plain(chunk) then return chunk end
    whole = chunk ~= nil and (byte(chunk, -1) or 0) < 128
    local out, msg, off = conv:convert(chunk or "", chunk == nil)
    if not out then error(string.format("%s; first at byte %d", msg, off), 0) end
    if chunk == nil then
      last = true
      self.encoding = conv:report().encoding
    else
      self.encoding = self.encoding or conv:report().encoding
      utf8 = self.encoding == "utf-8"
    end
    return out
  end)
end

--- Bytes of this source to UTF-8 text: the whole content (src:bytes()) as
--- corpus.read decodes a file (its warnings reported with the file's name),
--- or a piece of it in the source's encoding. Returns text, info.
function Src:decode(bytes)
  local opts = self.opts
  if not self.encoding then
    local text, info = decode(bytes, self.path, opts)
    if not text then error(info, 0) end
    self.encoding = info.encoding
    for _, w in ipairs(info.warnings) do status.warn(self.path .. ": " .. w) end
    return text, info
  end
  if self.encoding == "utf-8" and plain(bytes) then return bytes, { encoding = "utf-8", warnings = {} } end
  local text, report = enc.decode(bytes, self.encoding)
  if not text then error(tostring(report), 0) end
  return text, { encoding = report.encoding, warnings = {}, report = report }
end

-- The source's decode report, as warnings at its end.
local function source_warnings(src)
  local conv = src.conv
  if not conv then return end
  local warnings = {}
  decode_warnings(conv:report(), warnings)
  for _, w in ipairs(warnings) do status.warn(src.path .. ": " .. w) end
  conv:close()
  src.conv = nil
end

local zio_ok, zio = pcall(require, "gisa.zio")
if not zio_ok then zio = nil end

--- Most bytes decompressed from one compressed file or archive, against
--- decompression bombs (nil: gisa.zio's 8 GiB; false: none).
M.zio_limit = nil

--- Open a source on PATH ("-": standard input), decompressing `z` (a
--- compression suffix) when gisa.zio is there. Returns src, or nil, message.
function M.source(path, opts, z)
  local fh, err
  if zio then
    -- zio decompresses by the data's first bytes and passes anything else through
    fh, err = zio.open(path, M.zio_limit ~= nil and { limit = M.zio_limit } or nil)
    if not fh then return nil, tostring(err) end
  elseif z then
    return nil, path .. ": compressed (." .. z .. "), and this gisa has no gisa.zio to read it"
  elseif path == "-" then
    fh = io.stdin
  else
    fh, err = io.open(path, "rb")
    if not fh then return nil, err end
  end
  local name = path:match("[^/]*$")
  if z then name = name:gsub("%.[^.]*$", "") end
  return setmetatable({ path = path, name = name, fh = fh, opts = opts or NO_OPTS }, Src)
end

--- A source on an archive entry's stream; `path` is "ARCHIVE/ENTRY".
function M.entry_source(path, name, stream, opts)
  return setmetatable({ path = path, name = name, fh = stream, opts = opts or NO_OPTS }, Src)
end

------------------------------------------------------------------------------
-- Articles
------------------------------------------------------------------------------

-- Thousands with commas: 2431 -> "2,431".
local function commas(n)
  local s = tostring(n)
  local k
  repeat s, k = s:gsub("^(%d+)(%d%d%d)", "%1,%2") until k == 0
  return s
end

--- The summary line of a walk: "2,431 articles from 2,400 files; 37 files
--- skipped: .pdf 30, .png 7".
function M.summary(W)
  local line = string.format("%s %s from %s %s", commas(W.articles), plural(W.articles, "article"),
    commas(W.files), plural(W.files, "file"))
  if W.nskipped > 0 then
    local keys = {}
    for k in pairs(W.skipped) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if W.skipped[a] ~= W.skipped[b] then return W.skipped[a] > W.skipped[b] end
      local pa, pb = byte(a) == DOT, byte(b) == DOT   -- "(no extension)" after the extensions
      if pa ~= pb then return pa end
      return a < b
    end)
    for i, k in ipairs(keys) do keys[i] = k .. " " .. commas(W.skipped[k]) end
    line = line .. string.format("; %s %s skipped: %s", commas(W.nskipped), plural(W.nskipped, "file"),
      table.concat(keys, ", "))
  end
  return line
end

-- Which reader claims a source, from its first bytes: a reader, or nil and
-- the name of a shape gisa knows it cannot read.
local function sniff(W, src)
  local head = src:peek(M.head)
  for _, m in ipairs(MAGIC) do
    if find(head, m[1]) then return nil, m[2] end
  end
  if find(head, "^PK\3\4") then return nil, "zip" end
  for _, r in ipairs(W.R.list) do
    if r.sniff then
      local ok, yes = pcall(r.sniff, head, src.path)
      if not ok then
        status.fail(string.format("%s: reader '%s' (%s): sniff: %s", src.path, r.name, r.path, tostring(yes)))
      elseif yes then
        return r
      end
    end
  end
  return nil, head == "" and "empty" or nil
end

local NO_LIST = {}

-- The record of one input a reader gave.
local function record_of(input, src, extract_fn, n, multi)
  local rec = input.record
  if rec then
    if type(rec) ~= "table" then return nil, "'record' is not a table" end
    return rec
  end
  local text = input.text
  if type(text) ~= "string" then return nil, "an input needs 'text' (a string) or 'record'" end
  local where = input.where
  if multi then
    -- what corpus.read does for a whole file, for each article of a file of many
    local fixed, what = repair(text)
    if what.count > 0 then
      local warnings = input.warnings or {}
      input.warnings = warnings
      if src.opts.repair then
        text = fixed
        warnings[#warnings + 1] = string.format("repaired mojibake in %d %s", what.count, plural(what.count, "place"))
      else
        warnings[#warnings + 1] = string.format("mojibake on %s %s of the article; --repair %s",
          plural(#what.lines, "line"), table.concat(what.lines, ", ", 1, math.min(#what.lines, 5)),
          (what.lost or 0) > 0 and "repairs what can be repaired (bytes were lost)" or "fixes it")
      end
    end
  end
  local rec = extract_fn(text, { file = src.path,
    encoding = input.encoding or src.encoding or "utf-8", hints = input.hints, where = where,
    site = input.site, no_title = input.no_title, dom_paths = input.paths })
  if multi then
    rec.record_no = where and where.record or n
    rec.line = where and where.line
  end
  local fields = input.fields
  if fields and next(fields) then
    local keys = {}
    for k, v in pairs(fields) do
      rec[k] = v
      keys[#keys + 1] = k
    end
    table.sort(keys)
    rec.source_fields = keys
  elseif multi then
    rec.source_fields = {}
  end
  for k, v in pairs(input.extra or NO_LIST) do
    if rec[k] == nil then rec[k] = v end
  end
  if input.post then input.post(rec) end   -- the reader's last word (readers/html.lua)
  return rec
end
M.record_of = record_of

-- Say where a bad record is: "dump.jsonl:12", "dump.jsonl: record 3".
local function at(src, where, n)
  if type(where) == "table" then
    if where.line then return src.path .. ":" .. where.line end
    if where.record then return src.path .. ": record " .. where.record end
  end
  return n and (src.path .. ": record " .. n) or src.path
end

-- A reader of walk items: open(f) gives an iterator over the records of the
-- file (or archive) f, counting what it finds and skips in the walk context W.
-- found(f) is called for each record given.
local function file_reader(W, opts, extract_fn, progress, found)
  local R = W.R
  local fast = not opts.split and R.fast
  local f                      -- the file (or archive) being read
  local cur, it, n, multi      -- the source being read, its reader's iterator
  local arch                   -- the archive being read: {iter=, s=, ctl=, closing=}

  local function done_source()
    if cur then
      source_warnings(cur)
      cur:close()
    end
    cur, it = nil, nil
  end
  local function not_read(path, hint, named)
    if named then status.fail(path .. ": " .. hint) else status.warn(path .. ": " .. hint) end
    W.hints = W.hints + 1
    skip(W, path:match("[^/]*$"))
    W.files = W.files - 1
  end

  -- Start reading SRC with READER ("sniff": decide from its first bytes).
  local function start(src, reader, named)
    if reader == "sniff" then
      local what
      reader, what = sniff(W, src)
      if not reader then
        if what == "empty" and src.path == "-" then
          status.warn("-: empty input, no article")
          W.files = W.files - 1
        elseif what then
          not_read(src.path, M.unread[what] or ("a " .. what .. " file, not read"), named)
        elseif named or W.ext then
          reader = R.txt
        else
          skip(W, src.path:match("[^/]*$"))
          W.files = W.files - 1
        end
      end
    end
    if not reader then src:close(); return end
    src.reader = reader
    local ok, iter, msg = pcall(reader.read, src, opts)
    if not ok then
      status.fail(string.format("%s: reader '%s' (%s): %s", src.path, reader.name, reader.path, tostring(iter)))
      src:close()
    elseif iter == nil then
      -- not of the reader's shape after all
      if named then status.fail(src.path .. ": " .. tostring(msg))
      else
        local why = tostring(msg)
        why = why:match("^(.-)%s*[(;:]") or why      -- the gist: "no body column"
        skip(W, src.path:match("[^/]*$"), "." .. ext_of(src.path:match("[^/]*$")) .. " (" .. why .. ")")
        W.files = W.files - 1
      end
      src:close()
    elseif type(iter) ~= "function" then
      status.fail(string.format("%s: reader '%s' (%s): read must return an iterator function, not a %s",
        src.path, reader.name, reader.path, type(iter)))
      src:close()
    else
      cur, it, n = src, iter, 0
      multi = not reader.single or opts.split ~= nil
    end
  end

  -- The next entry of the archive: start a source on it.
  local function next_entry()
    local name, entry, err = arch.iter(arch.s, arch.ctl)
    arch.ctl = name
    if name == nil then arch = nil; return end
    local path = f.path .. "/" .. name
    if not entry then status.fail(path .. ": " .. tostring(err)); return end
    local base = name:match("[^/]*$")
    if base == "" then return end
    local r = classify(W, base, path, false)
    if r == "archive" then
      status.warn(path .. ": an archive inside an archive, not read")
      skip(W, base)
      return
    end
    if not r then return end
    W.files = W.files + 1
    start(M.entry_source(path, base, entry, opts), r, false)
  end

  -- Open the file of the walk and start reading it.
  local function next_file()
    local path, reader = f.path, f.reader
    if progress then progress:step(f.size) end
    if reader == "archive" then
      if not zio then
        not_read(path, "an archive; this gisa has no gisa.zio to read it", f.named)
        return
      end
      local iter, st, ctl, closing = zio.entries(path, M.zio_limit ~= nil and { limit = M.zio_limit } or nil)
      if not iter then status.fail(path .. ": " .. tostring(st)); return end
      W.files = W.files - 1          -- its entries count as files
      arch = { iter = iter, s = st, ctl = ctl, closing = closing }
      return
    end
    local src, err = M.source(path, opts, f.z)
    if not src then status.fail(err); return end
    start(src, reader, f.named)
  end

  return function(item)
    f, cur, it, arch = item, nil, nil, nil
    W.files = W.files + 1
    local first = true
    return function()
      while true do
        if it then
          local ok, input, msg, msg_where = pcall(it)
          if not ok then
            status.fail(string.format("%s: reader '%s' (%s): %s", cur.path, cur.reader.name, cur.reader.path,
              tostring(input)))
            done_source()
          elseif input == nil then
            done_source()
          elseif input == false then
            n = n + 1
            status.fail(at(cur, msg_where, n) .. ": " .. tostring(msg))
          elseif type(input) ~= "table" then
            status.fail(string.format("%s: reader '%s' (%s): the iterator returned a %s, not an input table",
              cur.path, cur.reader.name, cur.reader.path, type(input)))
            done_source()
          else
            n = n + 1
            local ok2, rec, err = pcall(record_of, input, cur, extract_fn, n, multi)
            local place = at(cur, input.where, multi and n)
            if input.warnings then
              for _, w in ipairs(input.warnings) do status.warn(place .. ": " .. tostring(w)) end
            end
            if ok2 and rec then found(f); return rec end
            status.fail(place .. ": " .. tostring(ok2 and err or rec))
          end
        elseif arch then
          next_entry()
        elseif first then
          first = false
          local path = f.path
          if f.reader == fast and fast and not f.z and path ~= "-" then
            -- one article a file, as it always was: read, decode, extract
            local text, info = M.read(path, opts)
            if progress then progress:step(f.size) end
            if not text then
              status.fail(info)
            else
              local warnings = info.warnings
              for k = 1, #warnings do status.warn(path .. ": " .. warnings[k]) end
              local ok, rec = pcall(extract_fn, text, { file = path, encoding = info.encoding })
              if ok and rec then found(f); return rec end
              status.fail(path .. ": " .. tostring(rec))
            end
          else
            next_file()
          end
        else
          return nil
        end
      end
    end
  end
end

-- One file named on the command line, or standard input: nothing to share out.
local function single(paths)
  return #paths == 1 and (paths[1] == "-" or sys.stat(paths[1]) == "file")
end

-- A walk item as it crosses to a worker: an array {path, reader's name, op,
-- named, z, size} (no keys to hash on either side), and back into a walk item.
local function item_out(f)
  local r = f.reader
  return { f.path, type(r) == "table" and r.name or r, f.op, f.named or false, f.z or false, f.size or false }
end
local function item_in(W, t)
  local r = t[2]
  if type(r) == "string" and W.R.by_name[r] and r ~= "sniff" and r ~= "archive" then r = W.R.by_name[r] end
  return { path = t[1], reader = r, op = t[3], named = t[4] or nil, z = t[5] or nil, size = t[6] or nil }
end

--- Iterate over the article records of PATHs: `for a in corpus.articles(paths) do`.
--- A file that cannot be read or extracted is reported on stderr and skipped;
--- so is a bad record of a file of many.
--- opts.jobs (-j N) reads and extracts in N worker processes, records still in
--- input order; opts.shard ("K/N", --shard) takes the K-th of N shares of the
--- files. opts.transform(rec) (records_of) is applied where the record is made:
--- in the worker under -j.
---@param paths string[]
---@param opts? {encoding?:string, repair?:boolean, quiet?:boolean, ext?:string, split?:string, map?:string, extract?:function, jobs?:integer, shard?:string}
function M.articles(paths, opts, transform, fold, here)
  opts = opts or {}
  local extract_fn = opts.extract or require("gisa.engine").extract
  if opts.encoding and opts.encoding ~= "auto" then
    local name, err = enc.canonical(opts.encoding)
    if not name then require("gisa.cli").usage_error("--encoding: " .. err) end
  end
  local parallel = require "gisa.pipeline.parallel"
  local jobs = parallel.jobs(opts)
  local shard_k, shard_n
  if opts.shard then
    shard_k, shard_n = parallel.parse_shard(opts.shard)
    if not shard_k then require("gisa.cli").usage_error(shard_n) end
  end
  local W = new_walk(opts)
  -- the progress line needs the total up front; otherwise the files are streamed
  local files, progress, nextf
  local tty = not opts.quiet and opts.progress ~= false and sys.isatty(2)
  if tty then
    files = M.expand(paths, { walk = W, sniff = true, all = true })
    progress = M.progress(files, opts)
  else
    nextf = stream(paths, false, W, true)   -- sizes are for the progress line only
  end
  local per_op = {}            -- PATHs that gave an article
  local i = 0
  local function walk()
    while true do
      i = i + 1
      local f
      if nextf then f = nextf() else f = files[i] end
      if not f or not shard_k or parallel.in_shard(f.path, shard_k, shard_n) then return f end
    end
  end

  local function finish()
    if progress then progress:finish() end
    for k, p in ipairs(paths) do
      if not per_op[k] then
        status.warn(p .. ": no article found" .. (p == "-" and "" or " (`gisa list` shows the readers; --ext chooses extensions)"))
        status.failed = status.failed + 1
      end
    end
    if not opts.quiet and (tty or W.hints > 0 or W.nskipped > 0 and W.articles == 0) then
      io.stderr:write("gisa: ", M.summary(W), "\n")
    end
  end
  local function found(f)
    W.articles = W.articles + 1
    per_op[f.op or 0] = true
  end

  -- A fold: the records of consecutive files go into one state, given as
  -- {state = s, n = records} when `held` is called (and a fresh state begun):
  -- here once at the end; in a worker, for each run of consecutive inputs it
  -- finishes between two messages (gisa.parallel's `hold`), so that the parent
  -- merges a few hundred states, in input order, not one a file.
  local acc, accn = nil, 0
  local function fold_file(it)
    for a in it do
      -- `acc` is read again for each record: a worker may send it mid-file
      if not acc then acc = fold.state() end
      accn = accn + 1
      fold.each(a, acc)
    end
  end
  local function held()
    if not acc then return nil end
    local part = { state = acc, n = accn }
    acc, accn = nil, 0
    return "rec", part
  end

  if jobs <= 1 or single(paths) then
    transform = here or transform
    local open = file_reader(W, opts, extract_fn, progress, found)
    if fold then
      local ended = false
      return function()
        if ended then return nil end
        while true do
          local f = walk()
          if not f then break end
          fold_file(open(f))
        end
        ended = true
        finish()
        local _, part = held()
        return part
      end
    end
    local it
    return function()
      while true do
        if it then
          local r = it()
          if r ~= nil then
            if transform then return transform(r) end
            return r
          end
          it = nil
        end
        local f = walk()
        if not f then finish(); return nil end
        it = open(f)
      end
    end
  end

  -- -j N: the walk here, each file read in a worker with a walk context of its
  -- own (one a worker process, made on its first file) whose tally of each
  -- file comes back to be added to this one: "n" (the articles of one file
  -- read, nothing skipped) or "tally" {files, articles, hints, nskipped, skipped}
  local wopts = setmetatable({ jobs = 1, shard = false, progress = false }, { __index = opts })
  local WW, open, cur_emit
  local function emit_fail(msg) cur_emit("fail", tostring(msg)) end
  local function emit_warn(msg) cur_emit("warn", tostring(msg)) end
  local function work(t, emit)
    cur_emit = emit
    -- set at every input: the parent reads its first inputs with this too
    -- (gisa.parallel's warm) and puts its own back after them
    status.fail, status.warn = emit_fail, emit_warn
    if not WW then
      WW = new_walk(wopts)
      open = file_reader(WW, wopts, extract_fn, nil, function() WW.articles = WW.articles + 1 end)
    end
    WW.files, WW.articles, WW.hints, WW.nskipped = 0, 0, 0, 0
    if fold then
      fold_file(open(item_in(WW, t)))
    else
      for r in open(item_in(WW, t)) do
        if transform then r = transform(r) end
        emit("rec", r)
      end
    end
    if WW.files == 1 and WW.hints == 0 and WW.nskipped == 0 then
      emit("n", WW.articles)
    else
      emit("tally", { WW.files, WW.articles, WW.hints, WW.nskipped, WW.skipped })
      if WW.nskipped > 0 then WW.skipped = {} end
    end
  end
  local items = parallel.walk_items(walk, function(f) return item_out(f) end)
  -- the rules are loaded here, once, and every fork has them: loaded in each
  -- worker instead, they cost each of them what they cost one process (a
  -- file that fails to load fails as before: its message is kept for each file)
  pcall(require("gisa.engine").registry)
  local next_result = parallel.map(jobs, items, work, nil, fold and held or nil)
  return function()
    while true do
      local kind, value, item = next_result()
      if kind == nil then finish(); return nil end
      if kind == "rec" then return value end
      if kind == "warn" then status.warn(value)
      elseif kind == "fail" then status.fail(value)
      elseif kind == "n" then
        W.files, W.articles = W.files + 1, W.articles + value
        if value > 0 then per_op[item[3] or 0] = true end
        if progress then progress:step(item[6] or 0) end
      elseif kind == "tally" then
        W.files, W.articles = W.files + value[1], W.articles + value[2]
        W.hints, W.nskipped = W.hints + value[3], W.nskipped + value[4]
        for k, v in pairs(value[5]) do W.skipped[k] = (W.skipped[k] or 0) + v end
        if value[2] > 0 then per_op[item[3] or 0] = true end
        if progress then progress:step(item[6] or 0) end
      else status.fail(item[1] .. ": " .. tostring(value)) end
    end
  end
end

--- Like articles, but give fn(record) for each record instead of the record:
--- under -j, fn runs in the worker processes (so it must not rely on state of
--- its own kept across records), and its results come back in input order.
--- With `fold` ({state = fn() -> s, each = fn(rec, s)}) instead of fn, give
--- {state = s, n = records} for runs of consecutive files, their records folded
--- into one fresh state (one for all under -j 1; in a worker, one a run of the
--- files it finishes between two messages), to be merged in the order given.
--- HERE, when given, is used instead of fn when no worker runs (-j 1, or a
--- single file): gisa extract's writes the record itself rather than make its text.
---@param paths string[]
---@param opts table|nil
---@param fn? fun(rec: table): any
---@param fold? {state: fun(): any, each: fun(rec: table, s: any)}
---@param here? fun(rec: table): any
function M.map(paths, opts, fn, fold, here)
  return M.articles(paths, opts, fn, fold, here)
end

return M
