-- gisa.corpus: from paths on the command line to article records.
-- Expands directories (sorted, recursive), reads and decodes each file, runs
-- extraction, and reports each bad file without stopping the others.

local sys = require "gisa.sys"
local enc = require "gisa.enc"
local status = require "gisa.status"
local plain = require("gisa.lines").plain

local byte, find = string.byte, string.find
local readfile, repair = sys.readfile, enc.repair

local M = {}

--- Files whose names match one of these are articles when a directory is walked
--- (files named on the command line are always read).
M.patterns = { "%.txt$" }

local DOT = byte(".")

local function wanted(name)
  if byte(name, 1) == DOT then return false end
  local patterns = M.patterns
  for i = 1, #patterns do
    if find(name, patterns[i]) then return true end
  end
  return false
end

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
local function unreadable(name, err)
  if wanted(name) then status.fail(err) else status.warn(err) end
end

local function walk(dir, out, seen)
  if not first_visit(dir, seen) then return end
  local names, err = sys.listdir(dir)
  if not names then status.fail(err); return end
  for _, name in ipairs(names) do
    if name:sub(1, 1) ~= "." then
      local p = (dir:sub(-1) == "/" and dir or dir .. "/") .. name
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(p, out, seen)
      elseif kind == "file" and wanted(name) then out[#out + 1] = { path = p, size = size }
      elseif not kind then unreadable(name, size) end
    end
  end
end

--- Expand PATHs into a list of {path=, size=}. Missing paths are reported.
---@param paths string[]
function M.expand(paths)
  local out, seen = {}, {}
  for _, p in ipairs(paths) do
    if p == "-" then
      out[#out + 1] = { path = "-", size = 0 }
    else
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(p, out, seen)
      elseif kind then out[#out + 1] = { path = p, size = size }
      else status.fail(size) end    -- stat's message names the path
    end
  end
  return out
end

-- The files of PATHs, in expand's order, as {path=, size=}: directories are
-- read as the walk reaches them, so memory does not grow with the corpus.
-- Operands that are missing are reported at once (as expand). Unless `sized`,
-- a file the directory listing says is a regular file comes without its size
-- (and without a stat of its own).
local function stream(paths, sized)
  local items = {}
  for _, p in ipairs(paths) do
    if p == "-" then
      items[#items + 1] = { path = "-", size = 0 }
    else
      local kind, size = sys.stat(p)
      if kind == "dir" then items[#items + 1] = { dir = p }
      elseif kind then items[#items + 1] = { path = p, size = size }
      else status.fail(size) end
    end
  end
  local stack, k, seen = {}, 0, {}
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
          elseif kind == "file" and wanted(name) then return { path = p, size = size }
          elseif not kind then unreadable(name, size) end
        end
      else
        k = k + 1
        local it = items[k]
        if not it then return nil end
        if it.dir then push(it.dir) else return it end
      end
    end
  end
end

--- Iterate over the files of PATHs, in expand's order, as {path=, size=}:
--- directories are read as the walk reaches them, so memory does not grow
--- with the corpus. Operands that are missing are reported at once (as expand).
---@param paths string[]
function M.files(paths)
  return stream(paths, true)
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

--- Read one file and decode it to UTF-8.
--- Returns text, info ({encoding=, warnings={…}, report=, repaired=}), or nil, message.
--- opts.encoding: "auto" (default) or a name; opts.repair: apply mojibake repair.
function M.read(path, opts)
  opts = opts or NO_OPTS
  local bytes, err = readfile(path)
  if not bytes then return nil, err end
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
        "mojibake on %s %s (%s); --repair fixes it", plural(#what.lines, "line"),
        table.concat(lines, ", "), table.concat(kinds, ", "))
    end
  end
  return text, info
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

-- The records of PATHs read in this process, one file after another.
local function serial_articles(paths, opts)
  local extract = require "gisa.extract"
  if opts.encoding and opts.encoding ~= "auto" then
    local name, err = enc.canonical(opts.encoding)
    if not name then require("gisa.cli").usage_error("--encoding: " .. err) end
  end
  -- the progress line needs the total up front; otherwise the files are streamed
  local files, progress, nextf
  if not opts.quiet and opts.progress ~= false and sys.isatty(2) then
    files = M.expand(paths)
    progress = M.progress(files, opts)
  else
    nextf = stream(paths, false)   -- sizes are for the progress line only
  end
  local i = 0
  return function()
    while true do
      i = i + 1
      local f
      if nextf then f = nextf() else f = files[i] end
      if not f then
        if progress then progress:finish() end
        return nil
      end
      local path = f.path
      local text, info = M.read(path, opts)
      if progress then progress:step(f.size) end
      if not text then
        status.fail(info)
      else
        local warnings = info.warnings
        for k = 1, #warnings do status.warn(path .. ": " .. warnings[k]) end
        local ok, rec = pcall(extract.extract, text, { file = path, encoding = info.encoding })
        if ok and rec then return rec end
        status.fail(path .. ": " .. tostring(rec))
      end
    end
  end
end

-- One file named on the command line, or standard input: nothing to share out.
local function single(paths)
  return #paths == 1 and (paths[1] == "-" or sys.stat(paths[1]) == "file")
end

--- Iterate over the article records of PATHs: `for a in corpus.articles(paths) do`.
--- A file that cannot be read or extracted is reported on stderr and skipped.
--- opts.jobs (-j N) reads and extracts in N worker processes, records still in
--- input order; opts.shard ("K/N", --shard) takes the K-th of N shares of the files.
---@param paths string[]
---@param opts? {encoding?:string, repair?:boolean, quiet?:boolean, jobs?:integer, shard?:string}
function M.articles(paths, opts)
  opts = opts or {}
  local parallel = require "gisa.parallel"
  local n = parallel.jobs(opts)
  if opts.shard or (n > 1 and not single(paths)) then
    return parallel.articles(paths, opts, n, serial_articles, M.files)
  end
  return serial_articles(paths, opts)
end

--- Like articles, but give fn(record) for each record instead of the record:
--- under -j, fn runs in the worker processes (so it must not rely on state of
--- its own kept across records), and its results come back in input order.
--- With `fold` ({state = fn() -> s, each = fn(rec, s)}) instead of fn, give
--- one {state = s, n = records} per file, its records folded into a fresh state.
---@param paths string[]
---@param opts table|nil
---@param fn? fun(rec: table): any
---@param fold? {state: fun(): any, each: fun(rec: table, s: any)}
function M.map(paths, opts, fn, fold)
  opts = opts or {}
  local parallel = require "gisa.parallel"
  local n = parallel.jobs(opts)
  if opts.shard or (n > 1 and not single(paths)) then
    return parallel.articles(paths, opts, n, serial_articles, M.files, fn, fold)
  end
  if fold then
    -- one process: every record into one state, given once
    local given = false
    return function()
      if given then return nil end
      given = true
      local s, k = fold.state(), 0
      for a in serial_articles(paths, opts) do k = k + 1; fold.each(a, s) end
      return { state = s, n = k }
    end
  end
  local it = serial_articles(paths, opts)
  return function()
    local a = it()
    if a ~= nil then return fn(a) end
  end
end

return M
