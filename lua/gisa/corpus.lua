-- gisa.corpus: from paths on the command line to article records.
-- Expands directories (sorted, recursive), reads and decodes each file, runs
-- extraction, and reports each bad file without stopping the others.

local sys = require "gisa.sys"
local enc = require "gisa.enc"
local status = require "gisa.status"

local M = {}

--- Files whose names match one of these are articles when a directory is walked
--- (files named on the command line are always read).
M.patterns = { "%.txt$" }

local function wanted(name)
  if name:sub(1, 1) == "." then return false end
  for _, p in ipairs(M.patterns) do
    if name:find(p) then return true end
  end
  return false
end

local function walk(dir, out)
  local names, err = sys.listdir(dir)
  if not names then status.fail(err); return end
  for _, name in ipairs(names) do
    if name:sub(1, 1) ~= "." then
      local p = (dir:sub(-1) == "/" and dir or dir .. "/") .. name
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(p, out)
      elseif kind == "file" and wanted(name) then out[#out + 1] = { path = p, size = size } end
    end
  end
end

--- Expand PATHs into a list of {path=, size=}. Missing paths are reported.
---@param paths string[]
function M.expand(paths)
  local out = {}
  for _, p in ipairs(paths) do
    if p == "-" then
      out[#out + 1] = { path = "-", size = 0 }
    else
      local kind, size = sys.stat(p)
      if kind == "dir" then walk(p, out)
      elseif kind then out[#out + 1] = { path = p, size = size }
      else status.fail(size) end    -- stat's message names the path
    end
  end
  return out
end

--- Read one file and decode it to UTF-8.
--- Returns text, info ({encoding=, warnings={…}}), or nil, message.
function M.read(path, opts)
  opts = opts or {}
  local bytes, err = sys.readfile(path)
  if not bytes then return nil, err end
  local info = { encoding = "utf-8", warnings = {}, size = #bytes }
  if #bytes == 0 then
    info.warnings[#info.warnings + 1] = "empty file"
    return "", info
  end
  if enc.decode then
    local from = opts.encoding
    if from == "auto" then from = nil end
    local text, report, off = enc.decode(bytes, from)
    if not text then
      return nil, report .. (off and (" at byte " .. off) or "")
    end
    info.encoding = report.encoding
    if report.replaced and report.replaced > 0 then
      info.warnings[#info.warnings + 1] = string.format(
        "%d invalid byte sequence%s replaced with U+FFFD (first at byte %d)",
        report.replaced, report.replaced == 1 and "" or "s", report.first_bad or 0)
    end
    if report.nuls and report.nuls > 0 then
      info.warnings[#info.warnings + 1] = string.format("%d NUL byte%s", report.nuls,
        report.nuls == 1 and "" or "s")
    end
    bytes = text
  else
    bytes = bytes:gsub("\r\n?", "\n")
  end
  if opts.repair and enc.repair then
    local fixed, what = enc.repair(bytes)
    if what and what.count and what.count > 0 then
      info.warnings[#info.warnings + 1] = string.format("repaired mojibake in %d place%s",
        what.count, what.count == 1 and "" or "s")
      info.repaired = what
      bytes = fixed
    end
  end
  return bytes, info
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

--- Iterate over the article records of PATHs: `for a in corpus.articles(paths) do`.
--- A file that cannot be read or extracted is reported on stderr and skipped.
---@param paths string[]
---@param opts? {encoding?:string, repair?:boolean, quiet?:boolean}
function M.articles(paths, opts)
  opts = opts or {}
  local extract = require "gisa.extract"
  local files = M.expand(paths)
  local progress = M.progress(files, opts)
  local i = 0
  return function()
    while true do
      i = i + 1
      local f = files[i]
      if not f then
        if progress then progress:finish() end
        return nil
      end
      local text, info = M.read(f.path, opts)
      if progress then progress:step(f.size) end
      if not text then
        status.fail(info)
      else
        for _, w in ipairs(info.warnings) do status.warn(f.path .. ": " .. w) end
        local ok, rec = pcall(extract.extract, text, { file = f.path, encoding = info.encoding })
        if ok and rec then return rec end
        status.fail(f.path .. ": " .. tostring(rec))
      end
    end
  end
end

return M
