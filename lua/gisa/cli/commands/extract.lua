-- gisa extract: articles -> records in a format (JSON Lines by default).
-- Formats are Lua files found on the search path (lua/gisa/formats/NAME.lua,
-- DIR/formats/NAME.lua) or given as a path.

local gisa = require "gisa"
local cli = require "gisa.cli"
local status = require "gisa.cli.status"
local writer = require "gisa.output.writer"
local fields = require "gisa.output.fields"

local M = {}

M.spec = {
  name = "extract",
  usage = "gisa extract [-f FORMAT] [-o FILE] [options] [PATH…]",
  summary = "Extract each article into a record and write the records in FORMAT\n" ..
    "(jsonl by default; a shipped or user format name, or a path to a .lua file).",
  common = true,
  options = {
    { "-f", "--format", arg = "FORMAT", default = "jsonl", help = "output format (see `gisa list`)" },
    { "-o", "--output", arg = "FILE", help = "write to FILE (complete or not at all) instead of stdout" },
    { nil, "--fields", arg = "LIST", help = "only these fields, in this order: title,published,authors.name …" },
    { nil, "--bom", help = "start with a UTF-8 byte order mark (for spreadsheet programs)" },
    { nil, "--explain", help = "print every input line (of a web page: every block, with its DOM path), its role and rule" },
  },
}

--- Open the output: stdout, or FILE written through FILE.tmp-PID and renamed on success.
local function open_output(file)
  if not file or file == "-" then
    return io.stdout, function() io.stdout:flush() end, function() end
  end
  local kind = gisa.sys.stat(file)
  if kind == "dir" then cli.usage_error("cannot write " .. file .. ": it is a directory", "extract") end
  if kind and kind ~= "file" then
    -- a device or a pipe (/dev/null, a fifo): written to as it is; a
    -- temporary file renamed over it would replace the device with a file
    local fh, err = io.open(file, "wb")
    if not fh then cli.usage_error("cannot write " .. file .. ": " .. err, "extract") end
    local function commit()
      local ok, e = fh:close()
      if not ok then error("cannot write " .. file .. ": " .. tostring(e), 0) end
    end
    return fh, commit, function() pcall(fh.close, fh) end
  end
  local tmp = string.format("%s.tmp-%d", file, gisa.sys.getpid())
  local fh, err = io.open(tmp, "wb")
  if not fh then cli.usage_error("cannot write " .. file .. ": " .. err, "extract") end
  local function commit()
    local ok, e = fh:close()
    if not ok then os.remove(tmp); error("cannot write " .. file .. ": " .. tostring(e), 0) end
    local r, e2 = os.rename(tmp, file)
    if not r then os.remove(tmp); error("cannot write " .. file .. ": " .. tostring(e2), 0) end
  end
  local function abort() pcall(fh.close, fh); os.remove(tmp) end
  return fh, commit, abort
end

function M.run(cargs, setup, default_input)
  local opts, operands = cli.parse(cargs, M.spec)
  setup(opts)
  -- extraction makes short-lived garbage (lines, captures, records) around a
  -- large long-lived rule set: a generational collector leaves that set alone
  -- (about 15% less CPU time than the incremental default, and less memory)
  collectgarbage("generational")
  -- a broken rule file stops the run here, once, rather than failing every article
  local rules_ok, rules_err = pcall(require("gisa.engine").registry)
  if not rules_ok then status.fail(rules_err); return 1 end
  if opts.explain then
    return require("gisa.cli.explain").run(default_input(operands, "extract"), opts)
  end
  local fmt, err = writer.load(opts.format)
  if not fmt and (err:find("^unknown format") or err:find("^cannot open")) then cli.usage_error(err, "extract") end
  if not fmt then error(err, 0) end
  if opts.fields then
    local ok, e = fields.parse(opts.fields)
    if not ok then cli.usage_error(e, "extract") end
  end
  local input = default_input(operands, "extract")
  local out, commit, abort = open_output(opts.output)
  -- Records are written straight through stdio, fully buffered (gathering them in
  -- a Lua table and joining copied each text several times), in a buffer of
  -- 256 KB of the file's own (gisa.jsonw.buffer: file:setvbuf gives none, and
  -- glibc then keeps one of the file's block size): one write(2) for many
  -- records, not one a record. On a terminal, records show as they are made.
  local batch = fmt.record_only and not (out == io.stdout and gisa.sys.isatty(1))
  if batch then require("gisa.jsonw").buffer(out, 256 * 1024) end
  local ok
  ok, err = xpcall(function()
    local w = writer.new(fmt, out, { fields = opts.fields, bom = opts.bom })
    local piece = w:piece()
    if piece then
      -- under -j the workers make each record's text and here it is only copied
      -- out; with no worker, w:direct() writes each record as it is made (true)
      local copts = setmetatable({}, { __index = gisa.options })
      for text in require("gisa.pipeline.corpus").map(input, copts, piece, nil, w:direct()) do
        if text ~= true then w:put(text) end
      end
    else
      for a in gisa.articles(input) do w:write(a) end
    end
    w:close()
  end, function(e) return e end)
  if batch then out:flush() end     -- the records before an error too
  if not ok then abort(); error(err, 0) end
  commit()
  return status.exit_code()
end

return M
