-- gisa.writer: finds a format (a Lua file) and drives it over a run of records.
-- The format interface (docs/formats.md): a module returns a table with
--   write(out, rec, n, opts)   one record, n = 1, 2, …          (required)
--   open(out, opts)            before the first record            (optional)
--   close(out, n, opts)        after the last; n = records written (optional)
--   before(out, n, opts), record(out, rec, opts)   (optional, together) write
--                              split in two: what goes before record n, then
--                              the record's own text (-j workers make that)
--   prepare(rec, opts), write_prepared(out, v, n, opts)   (optional, together)
--                              write split in two: a value made from the record
--                              alone (in -j workers), then record n written from it
-- `out` has :write(…); `opts` is a fresh table for each run (the format may keep
-- its state in it) holding at least `fields` (names, nil for all) and `bom`.

local fields = require "gisa.output.fields"
-- out:write(s), for an io file past its buffer when s is long (one write(2) a record)
local put = require("gisa.jsonw").put

local M = {}

local paths = setmetatable({}, { __mode = "k" })   -- format table -> the file it came from

--- Load a format by name (searched on the search path SP: each -I DIR/formats,
--- GISA_PATH, then the shipped lua/gisa/formats; default: the search path in
--- use) or by a path to a .lua file. Returns the format table and its path, or
--- nil and a message that lists the known formats.
---@param name string
---@param sp? table a gisa.paths object
---@return table|nil format, string path_or_err
function M.load(name, sp)
  if type(name) == "table" then return name, paths[name] or "(table)" end
  sp = sp or require("gisa.pipeline.paths").current()
  local path = name
  if not name:find("/") and not name:find("%.lua$") then
    path = sp and sp:find("formats", name)
    if not path then
      local p = package.searchpath("gisa.formats." .. name, package.path)
      if p then path = p end
    end
    if not path then
      local names = {}
      for _, f in ipairs(sp and sp:list("formats") or {}) do names[#names + 1] = f.name end
      return nil, "unknown format '" .. name .. "' (formats: " .. table.concat(names, ", ") .. ")"
    end
  end
  -- a format sees the globals plus `gisa`, and its own globals stay its own
  local gisa = require "gisa"
  local env = setmetatable({ gisa = gisa }, { __index = _G })
  local chunk, err = loadfile(path, "t", env)
  if not chunk then return nil, err end
  local f = chunk()
  if type(f) ~= "table" or type(f.write) ~= "function" then
    return nil, path .. ": a format must return a table with a write(out, rec, n, opts) function"
  end
  paths[f] = path
  return f, path
end

local Writer = {}
Writer.__index = Writer

--- A writer of FORMAT (a name, a path or a format table) to OUT (anything with
--- :write, io.stdout by default). opts: fields = "a,b" or a list (as --fields),
--- bom = true for a UTF-8 byte order mark, anything else is passed to the format.
---@return table writer with :write(rec) and :close()
function M.new(format, out, opts)
  local f, path = M.load(format)
  if not f then error(path, 2) end
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  local sel
  if o.fields then
    local e
    sel, e = fields.parse(o.fields)
    if not sel then error(e, 2) end
    o.fields = {}
    for i, s in ipairs(sel) do o.fields[i] = s.name end
  end
  out = out or io.stdout
  local w = setmetatable({ format = f, path = path, out = out, opts = o, sel = sel, n = 0, opened = false }, Writer)
  return w
end

function Writer:start()
  if self.opened then return end
  self.opened = true
  if self.opts.bom then self.out:write("\239\187\191") end
  if self.format.open then self.format.open(self.out, self.opts) end
end

-- A runtime error inside a format names the format's file and line (the
-- innermost frame in that file) and the record, whatever the error says;
-- an interrupt (Ctrl-C, SIGTERM) goes on as it is.
local function format_error(path, n, rec)
  return function(e)
    local msg = tostring(e)
    if msg:find("interrupted by SIG%u+") then return e end
    local where = path
    if path and path ~= "(table)" then
      for level = 2, 40 do
        local info = debug.getinfo(level, "Sl")
        if not info then break end
        if info.source == "@" .. path and info.currentline > 0 then
          where = path .. ":" .. info.currentline
          break
        end
      end
    end
    local file = type(rec) == "table" and rec.file
    where = where or "(table)"
    if msg:sub(1, #where + 2) == where .. ": " then msg = msg:sub(#where + 3) end
    local report = string.format("format %s: %s (record %d%s)", where, msg, n,
      file and (": " .. tostring(file)) or "")
    return setmetatable({ report = report }, { __tostring = function(x) return x.report end })
  end
end

--- Write one record.
function Writer:write(rec)
  if not self.opened then self:start() end
  self.n = self.n + 1
  if self.sel then rec = fields.select(rec, self.sel) end
  local ok, err = xpcall(self.format.write, format_error(self.path, self.n, rec), self.out, rec, self.n, self.opts)
  if not ok then error(err, 0) end
end

--- How a format's record text can be made apart from the run: write(out,
--- rec, nil, opts) for a record-only format (format.record_only: jsonl, csv,
--- tsv: the text depends on the record and options only); for a format whose
--- write(out, rec, n, opts) is before(out, n, opts) then record(out, rec,
--- opts) (json, markdown, text: only the separator depends on n), its record.
--- nil for other formats.
local function record_text(f)
  if f.record_only then return f.write end
  local record = f.record
  if type(f.before) == "function" and type(record) == "function" then
    return function(out, rec, _, o) return record(out, rec, o) end
  end
  return nil
end

--- A format whose write(out, rec, n, opts) is write_prepared(out,
--- prepare(rec, opts), n, opts) (html: its sections are numbered): prepare,
--- which a -j worker runs (it gives a value gisa.wire can encode). Else nil.
local function prepared(f)
  if type(f.prepare) == "function" and type(f.write_prepared) == "function" then return f.prepare end
  return nil
end

--- A function that gives one record's text in this writer's format, for
--- formats that can make it apart from the run (see record_text), or what
--- the format prepares from it (see prepared): -j workers make it, the parent
--- writes it with :put. nil for other formats.
function Writer:piece()
  local f = self.format
  local write = record_text(f)
  local prepare = not write and prepared(f)
  if not write and not prepare then return nil end
  local o = {}
  for k, v in pairs(self.opts) do o[k] = v end
  if f.open then f.open(M.buffer(), o) end    -- the options open sets; its header is the parent's
  local sel = self.sel
  if prepare then
    return function(rec)
      if sel then rec = fields.select(rec, sel) end
      return prepare(rec, o)
    end
  end
  local parallel = require "gisa.pipeline.parallel"
  return function(rec)
    if sel then rec = fields.select(rec, sel) end
    -- in a -j worker the text goes into the ring shared with the parent
    -- (gisa.parallel.sink), which the returned channel stands for
    local sink = parallel.sink
    if sink then
      write(sink, rec, nil, o)
      return sink
    end
    local buf = M.buffer()
    write(buf, rec, nil, o)
    return buf:tostring()
  end
end

--- The :piece() function's twin for records made in this process: it writes
--- the record to the writer's output itself (format.write: no string made and
--- copied out) and returns true. nil for the formats :piece() gives nil for.
function Writer:direct()
  local f = self.format
  if not record_text(f) and not prepared(f) then return nil end
  local sel, write, out = self.sel, f.write, self.out
  if not f.record_only then
    -- json, markdown, text, html: write as :write calls it, with the run's own
    -- options (what the format keeps there, html's spills, is close's); an
    -- error names the format's line and the record
    local o, path = self.opts, self.path
    return function(rec)
      if not self.opened then self:start() end
      local n = self.n + 1
      self.n = n
      if sel then rec = fields.select(rec, sel) end
      local ok, err = xpcall(write, format_error(path, n, rec), out, rec, n, o)
      if not ok then error(err, 0) end
      return true
    end
  end
  local o = {}
  for k, v in pairs(self.opts) do o[k] = v end
  if f.open then f.open(M.buffer(), o) end    -- as :piece(): the header is :start()'s
  return function(rec)
    if not self.opened then self:start() end
    self.n = self.n + 1
    if sel then rec = fields.select(rec, sel) end
    write(out, rec, nil, o)
    return true
  end
end

--- Write one record's text made by a :piece() function (a string, or a -j
--- worker's channel giving the text in its ring: gisa.parallel.sink), after
--- what the format puts before record n (format.before); or, for a format
--- that prepares, record n from what it prepared (format.write_prepared).
function Writer:put(text)
  if not self.opened then self:start() end
  local n = self.n + 1
  self.n = n
  local f = self.format
  if not f.record_only then
    if f.before then f.before(self.out, n, self.opts)
    elseif prepared(f) then return f.write_prepared(self.out, text, n, self.opts) end
  end
  put(self.out, text)
end

--- End the run (a format's footer); returns the number of records written.
function Writer:close()
  if not self.opened then self:start() end
  if self.format.close then self.format.close(self.out, self.n, self.opts) end
  self.closed = true
  return self.n
end

--- A string buffer with :write, for writing to a string.
function M.buffer()
  local parts = {}
  return {
    write = function(self, ...)
      for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
      return self
    end,
    -- one part (a record's line from json.write): that string, not a copy
    tostring = function() if #parts == 1 then return parts[1] end return table.concat(parts) end,
  }
end

return M
