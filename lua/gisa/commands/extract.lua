-- gisa extract: articles -> records in a format (JSON Lines by default).
-- Formats are Lua files found on the search path (lua/gisa/formats/NAME.lua,
-- DIR/formats/NAME.lua) or given as a path.

local gisa = require "gisa"
local cli = require "gisa.cli"
local status = require "gisa.status"

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
    { nil, "--explain", help = "print every input line with its number, the role it got and the rule that gave it" },
  },
}

--- Load a format by name or path; a usage error when there is none.
local function load_format(name)
  local path = name
  if not name:find("/") and not name:find("%.lua$") then
    path = gisa.paths:find("formats", name)
    if not path then
      local names = {}
      for _, f in ipairs(gisa.paths:list("formats")) do names[#names + 1] = f.name end
      cli.usage_error("unknown format '" .. name .. "' (formats: " .. table.concat(names, ", ") .. ")", "extract")
    end
  end
  local chunk, err = loadfile(path, "t")
  if not chunk then error(err, 0) end
  local f = chunk()
  if type(f) ~= "table" or type(f.record) ~= "function" then
    error(path .. ": a format must return a table with a record(out, rec, n, opts) function", 0)
  end
  return f
end

--- Open the output: stdout, or FILE written through FILE.tmp-PID and renamed on success.
local function open_output(file)
  if not file or file == "-" then
    return io.stdout, function() io.stdout:flush() end, function() end
  end
  local tmp = string.format("%s.tmp-%d", file, gisa.sys.getpid())
  local fh, err = io.open(tmp, "wb")
  if not fh then cli.usage_error("cannot write " .. file .. ": " .. err, "extract") end
  local function commit()
    local ok, e = fh:close()
    if not ok then os.remove(tmp); error("cannot write " .. file .. ": " .. tostring(e), 0) end
    local r, e2 = os.rename(tmp, file)
    if not r then os.remove(tmp); error(e2, 0) end
  end
  local function abort() pcall(fh.close, fh); os.remove(tmp) end
  return fh, commit, abort
end

function M.run(cargs, setup, default_input)
  local opts, operands = cli.parse(cargs, M.spec)
  setup(opts)
  -- a broken rule file stops the run here, once, rather than failing every article
  local rules_ok, rules_err = pcall(require("gisa.extract").registry)
  if not rules_ok then status.fail(rules_err); return 1 end
  if opts.explain then
    return require("gisa.explain").run(default_input(operands, "extract"), opts)
  end
  local fmt = load_format(opts.format)
  local input = default_input(operands, "extract")
  local out, commit, abort = open_output(opts.output)
  local ok, err = xpcall(function()
    local fopts = { fields = opts.fields }
    if fmt.header then fmt.header(out, fopts) end
    local n = 0
    for a in gisa.articles(input) do
      n = n + 1
      fmt.record(out, a, n, fopts)
    end
    if fmt.footer then fmt.footer(out, fopts, n) end
  end, function(e) return e end)
  if not ok then abort(); error(err, 0) end
  commit()
  return status.exit_code()
end

return M
