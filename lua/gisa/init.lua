-- gisa: the library every gisa script sees as the global `gisa`.
-- Submodules load on first use: gisa.text, gisa.enc, gisa.json, gisa.corpus …

local status = require "gisa.cli.status"

local gisa = {
  version = "0.0.0",
  --- Options that apply to reading articles, set from the command line.
  options = { encoding = "auto", repair = false, quiet = false },
  status = status,
}

local lazy = {
  text = "gisa.text", hangul = "gisa.hangul", enc = "gisa.enc", sys = "gisa.sys", hash = "gisa.hash", count = "gisa.count", wire = "gisa.wire", proc = "gisa.proc",
  json = "gisa.output.json", cli = "gisa.cli", corpus = "gisa.pipeline.corpus", record = "gisa.engine.record",
  fields = "gisa.output.fields",
  html = "gisa.html",
}

-- gisa.hangul is the C module (src/hangul.c) plus strip_josa, which is Lua's:
-- the editable particle list of gisa.josa. The C module holds no Lua; the
-- library adds the function when the module is first required.
local function with_josa(m)
  if type(m) == "table" and m.strip_josa == nil then m.strip_josa = require("gisa.analysis.josa").strip_josa end
  return m
end
if package.loaded["gisa.hangul"] then
  with_josa(package.loaded["gisa.hangul"])
elseif package.preload["gisa.hangul"] then
  local open = package.preload["gisa.hangul"]
  package.preload["gisa.hangul"] = function(...) return with_josa(open(...)) end
end

setmetatable(gisa, {
  __index = function(t, k)
    local m = lazy[k]
    if m then
      local v = require(m)
      if k == "hangul" then with_josa(v) end
      rawset(t, k, v)
      return v
    end
  end,
})

local function merged(opts)
  if not opts then return gisa.options end
  return setmetatable(opts, { __index = gisa.options })
end

--- Iterate over the articles of any mix of files, directories and "-":
--- `for a in gisa.articles(arg) do … end`. Bad files are reported and skipped.
---@param paths string[]|string
---@param opts? table
---@return fun(): gisa.Article?
function gisa.articles(paths, opts)
  if type(paths) == "string" then paths = { paths } end
  local list = {}
  for i = 1, #paths do list[i] = paths[i] end   -- arg has arg[0], arg[-1]…: only 1..n
  return gisa.corpus.articles(list, merged(opts))
end

--- Call fn(article) for each article; the per-article half of a script.
---@param paths string[]|string
---@param fn fun(a: gisa.Article)
function gisa.each(paths, fn, opts)
  for a in gisa.articles(paths, opts) do fn(a) end
end

--- Read one file: its UTF-8 text and {encoding=, warnings=}, or nil, message.
function gisa.read(path, opts)
  return gisa.corpus.read(path, merged(opts))
end

--- Turn UTF-8 text into an article record.
---@return gisa.Article
function gisa.extract(text, file, encoding)
  -- every post pass: the `fields` of a job being run are about its articles, not these
  local post, info = require "gisa.engine.post", { file = file or "-", encoding = encoding or "utf-8" }
  local wanted = post.wanted
  if not wanted then return require("gisa.engine").extract(text, info) end
  post.wanted = nil
  local ok, rec = pcall(require("gisa.engine").extract, text, info)
  post.wanted = wanted
  if not ok then error(rec, 0) end
  return rec
end

------------------------------------------------------------------------------
-- The per-article callback and the final report
------------------------------------------------------------------------------

--- Run a job over the articles of `paths`, keeping the per-article part (`each`)
--- apart from the report (`finish`), so that the per-article part can later run
--- on several cores:
---   gisa.run{ paths = arg,
---     state  = function() return {n = 0} end,        -- a fresh partial result
---     each   = function(a, s, nr) s.n = s.n + 1 end,  -- one article
---     merge  = function(s1, s2) s1.n = s1.n + s2.n; return s1 end,
---     finish = function(s, nr) print(s.n) end }
--- `state` may be a table when there is no `merge`. With `shards = N` (or the
--- environment variable GISA_SHARDS) the articles are dealt round-robin to N
--- states that are then merged: a way to check that `merge` is right today.
--- Under -j N (gisa.options.jobs, GISA_JOBS), a job with `merge` runs `each`
--- in the worker processes, each folding consecutive files into one state, and
--- the parent merges those states in input order (so `nr` is not known there:
--- `each` gets nil);
--- a job without `merge` runs `each` here, on the records as they arrive.
--- gisa.options.partial (--partial) writes the merged state to standard output
--- instead of calling `finish`; gisa.options.merge (--merge) reads such files
--- (the job's paths) and merges them before `finish`: merge(s, piece, k) for
--- each piece of the k-th file. `pieces(state)`, an iterator over parts of a
--- state that merge back into it, lets --partial write a large state in chunks
--- that --merge reads and merges one at a time.
--- `fields` (a list of record keys) says that `each` reads no other field of
--- a record: under -j only those cross from the workers to the parent (-e
--- gives the names its code uses), and the post passes that fill only other
--- fields (the quote finder: `quotes`) are not run on the job's articles.
--- Returns what `finish` returns.
---@param job gisa.Job
function gisa.run(job)
  if type(job) ~= "table" then error("gisa.run needs a table {paths=, each=, finish=}", 2) end
  if job.each ~= nil and type(job.each) ~= "function" then error("gisa.run: 'each' must be a function", 2) end
  local wanted
  if job.fields ~= nil then
    if not require("gisa.engine.schema").names(job.fields) then
      error("gisa.run: 'fields' must be a list of record fields", 2)
    end
    wanted = {}
    for _, k in ipairs(job.fields) do wanted[k] = true end
  end
  -- the extraction (here and in the workers forked from here) runs only the
  -- post passes that fill a field `each` reads, until the job returns
  local post = require "gisa.engine.post"
  local outer = post.wanted
  post.wanted = wanted
  local restore <close> = setmetatable({}, { __close = function() post.wanted = outer end })
  local paths = job.paths or job[1] or {}
  if type(paths) == "string" then paths = { paths } end
  local list = {}
  for i = 1, #paths do list[i] = paths[i] end
  local shards = job.shards or tonumber(os.getenv("GISA_SHARDS") or "") or 1
  local make = job.state
  if type(make) ~= "function" then
    local s = make == nil and {} or make
    make = function() return s end
    shards = 1                       -- one shared table cannot be split
  end
  local mergeable = type(job.merge) == "function" and type(job.state) == "function"
  if shards > 1 and type(job.merge) ~= "function" then
    if job.shards then error("gisa.run: shards need a 'merge' function", 2) end
    shards = 1
  end
  local partial = require "gisa.pipeline.partial"
  local opts = job.opts and setmetatable(job.opts, { __index = gisa.options }) or gisa.options
  if (gisa.options.partial or gisa.options.merge) and not mergeable then
    require("gisa.cli").usage_error("--partial and --merge need a job with 'state' and 'merge' functions")
  end
  local name = job.name or (gisa.script and gisa.script.name) or "job"
  if gisa.options.merge then
    local s, nr = partial.merge_files(list, name, make, job.merge)
    if job.finish then return job.finish(s, nr) end
    return s, nr
  end
  local s, nr
  local parallel = require "gisa.pipeline.parallel"
  if mergeable and job.each and shards == 1 and (opts.shard or parallel.jobs(opts) > 1) then
    -- the articles of consecutive files go into one state, in a worker
    local each = job.each
    s, nr = make(), 0
    if job.begin then job.begin(s) end
    local corpus = gisa.corpus
    for part in corpus.map(list, opts, nil, { state = make, each = function(a, st) each(a, st, nil) end }) do
      s = job.merge(s, part.state) or s
      nr = nr + part.n
    end
  else
    local states = {}
    for i = 1, shards do states[i] = make() end
    if job.begin then job.begin(states[1]) end
    nr = 0
    local it
    if type(job.fields) == "table" and (opts.shard or parallel.jobs(opts) > 1) then
      -- the workers send only the fields `each` reads (see `fields` in docs/api.md)
      local keys = job.fields
      it = gisa.corpus.articles(list, opts, function(r)
        local t = {}
        for i = 1, #keys do local k = keys[i]; t[k] = r[k] end
        return t
      end)
    else
      it = gisa.articles(list, job.opts)
    end
    for a in it do
      nr = nr + 1
      if job.each then job.each(a, states[(nr - 1) % shards + 1], nr) end
    end
    s = states[1]
    for i = 2, shards do s = job.merge(s, states[i]) or s end
  end
  if gisa.options.partial then
    local out = job.out
    if type(out) == "function" then out = out() end
    partial.write(out or io.stdout, name, s, nr, job.pieces)
    return s, nr
  end
  if job.finish then return job.finish(s, nr) end
  return s, nr
end

------------------------------------------------------------------------------
-- Writing records in a format
------------------------------------------------------------------------------

-- `out` is a file handle or anything with a write method, or an options table
-- {out=, fields=, bom=, …}.
local function outopts(out)
  if out == nil then return io.stdout, {} end
  if io.type(out) == "file" then return out, {} end
  if type(out) == "table" and type(out.write) == "function" then return out, {} end
  if type(out) ~= "table" then
    error("gisa.write: expected a file handle or an options table, got " .. type(out), 3)
  end
  return out.out or io.stdout, out
end

--- A writer for many records written one at a time:
---   local w = gisa.writer("csv", {fields = "title,published"})
---   for a in gisa.articles(arg) do w:write(a) end
---   w:close()
--- `out` is a file handle, or opts {out=, fields=, bom=, …} (io.stdout by default).
---@param format string name ("csv"), path ("my/fmt.lua") or format table
---@param out? file*|table
---@return gisa.Writer
function gisa.writer(format, out)
  local fh, opts = outopts(out)
  local w = require("gisa.output.writer").new(format, fh, opts)
  return w
end

local function each_record(x, fn)
  if type(x) == "function" then
    for r in x do fn(r) end
  elseif type(x) == "table" and (x[1] ~= nil or next(x) == nil) then   -- {} is no records
    for i = 1, #x do fn(x[i]) end
  elseif type(x) == "table" then
    fn(x)
  else
    error("gisa.write: expected a record, a list of records or an iterator, got " .. type(x), 3)
  end
end

--- Write one record, a list of records or an iterator's records in a format
--- (a whole run: header, records, footer): gisa.write(a, "markdown"),
--- gisa.write(list, "csv", {fields = "title,authors.name"}),
--- gisa.write(gisa.articles(arg), "html", io.open("out.html", "w")).
---@param records gisa.Article|gisa.Article[]|fun():gisa.Article?
---@param format? string jsonl by default
---@param out? file*|table a file handle or opts {out=, fields=, bom=, …}
---@return integer n records written
function gisa.write(records, format, out)
  local fh, opts = outopts(out)
  local w = require("gisa.output.writer").new(format or "jsonl", fh, opts)
  each_record(records, function(r) w:write(r) end)
  return w:close()
end

--- Like gisa.write, but return the text instead of writing it.
---@return string
function gisa.render(records, format, opts)
  local wr = require "gisa.output.writer"
  local buf = wr.buffer()
  local w = wr.new(format or "jsonl", buf, opts)
  each_record(records, function(r) w:write(r) end)
  w:close()
  return buf:tostring()
end

------------------------------------------------------------------------------
-- Aligned tables on the terminal
------------------------------------------------------------------------------

-- Display width and truncation come from gisa.text (East Asian wide = 2 columns).
local function width(s) return gisa.text.width(s) end
local function truncate(s, cols) return gisa.text.truncate(s, cols) end

local function cell_text(v)
  local s = gisa.fields.cell(v)
  return (s:gsub("[\r\n\t]+", " "))
end

--- Print rows as an aligned table (display-width aware: 한글 counts two
--- columns) and return its text. `rows` is
---   * a list of lists: {{"한국경제", 2}, {"이데일리", 1}};
---   * a list of records or other keyed tables, with opts.columns = {"publisher", "title"}
---     (dotted names such as "authors.name" work);
---   * a map {key = value}: two columns, largest value first, then by key.
--- opts: header = {…} or true (the column names), columns, align = {"left","right",…}
--- (numbers are right-aligned by default), max = widest cell in columns,
--- sep = "  ", out = a file handle (io.stdout; false to only return the text).
---@param rows table
---@param opts? gisa.TableOptions
---@return string
function gisa.table(rows, opts)
  opts = opts or {}
  if type(rows) ~= "table" then error("gisa.table: rows must be a table", 2) end
  local data = {}
  local header = opts.header
  if rows[1] == nil and next(rows) ~= nil then        -- a map
    for k, v in pairs(rows) do data[#data + 1] = { k, v } end
    table.sort(data, function(x, y)
      if type(x[2]) == "number" and type(y[2]) == "number" and x[2] ~= y[2] then return x[2] > y[2] end
      return tostring(x[1]) < tostring(y[1])
    end)
  elseif opts.columns then
    for i, r in ipairs(rows) do
      local row = {}
      for j, c in ipairs(opts.columns) do row[j] = gisa.fields.get(r, c) end
      data[i] = row
    end
    if header == true or header == nil then header = opts.columns end
  else
    for i, r in ipairs(rows) do
      if type(r) ~= "table" then r = { r } end
      data[i] = r
    end
  end
  if header == true then header = nil end
  local ncol = header and #header or 0
  for _, r in ipairs(data) do
    for j in pairs(r) do if math.type(j) == "integer" and j > ncol then ncol = j end end
  end
  local align = opts.align or {}
  local cells, widths, numeric = {}, {}, {}
  for j = 1, ncol do widths[j] = 0; numeric[j] = true end
  local function put(row, r, is_header)
    for j = 1, ncol do
      local v = r[j]
      if not is_header and v ~= nil and type(v) ~= "number" then numeric[j] = false end
      local s = cell_text(v)
      if opts.max then s = truncate(s, opts.max) end
      row[j] = s
      local w = width(s)
      if w > widths[j] then widths[j] = w end
    end
  end
  if header then cells[1] = {}; put(cells[1], header, true) end
  for _, r in ipairs(data) do local row = {}; put(row, r); cells[#cells + 1] = row end
  local sep = opts.sep or "  "
  local lines = {}
  local function line(row)
    local parts = {}
    for j = 1, ncol do
      local s, pad = row[j], widths[j] - width(row[j])
      local a = align[j] or (numeric[j] and "right" or "left")
      if a == "right" then s = string.rep(" ", pad) .. s
      elseif a == "center" then s = string.rep(" ", pad // 2) .. s .. string.rep(" ", pad - pad // 2)
      elseif j < ncol then s = s .. string.rep(" ", pad) end
      parts[j] = s
    end
    lines[#lines + 1] = (table.concat(parts, sep):gsub("%s+$", ""))
  end
  for i, row in ipairs(cells) do
    line(row)
    if i == 1 and header then
      local rule = {}
      for j = 1, ncol do rule[j] = string.rep("-", widths[j]) end
      lines[#lines + 1] = table.concat(rule, sep)
    end
  end
  local text = #lines > 0 and (table.concat(lines, "\n") .. "\n") or ""
  local out = opts.out
  if out == nil then out = io.stdout end
  if out then out:write(text) end
  return text
end

return gisa
