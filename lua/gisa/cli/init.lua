-- gisa.cli: command-line options for gisa's commands and for scripts.
-- GNU style: options and operands may mix, --opt=VALUE or --opt VALUE, "--"
-- ends options, "-" is an operand. Misuse raises a usage error (exit status 2).

local M = {}

--- A usage error: main prints it with a hint and exits 2.
function M.usage_error(msg, cmd)
  error(setmetatable({ usage = true, msg = msg, cmd = cmd }, {
    __tostring = function(e) return e.msg end }), 0)
end

--- Stop the program with this status (used by --help): no message, no traceback.
function M.exit(code)
  error(setmetatable({ exit = code or 0 }, { __tostring = function() return "exit" end }), 0)
end

-- Options every article-reading command accepts.
M.common = {
  { "-I", "--include", arg = "DIR", list = true, help = "search DIR for rules, formats and scripts first (repeatable)" },
  { nil, "--encoding", arg = "NAME", default = "auto", help = "input encoding: auto (default), utf-8, cp949, euc-kr, utf-16le …" },
  { nil, "--repair", help = "repair mojibake (CP949 read as Latin-1 and the like)" },
  { "-q", "--quiet", help = "no progress line, no warnings, no summary" },
  { nil, "--ext", arg = "LIST", help = "walk directories for these extensions only: txt,csv (any case)" },
  { nil, "--split", arg = "HOW", help = "many articles a text file: ff, blank2 or a Lua pattern of a separator line" },
  { nil, "--map", arg = "MAP", help = "dump columns: title=제목,body=본문 or date=1,title=2,body=3 (no header)" },
  { "-j", "--jobs", arg = "N", type = "number", help = "read and extract in N processes (default: GISA_JOBS, else every core)" },
  { nil, "--shard", arg = "K/N", help = "read only the K-th of N shares of the input files (for many machines)" },
  { "-h", "--help", help = "show this help" },
}

--- Check -j and --shard (usage errors) and copy them into `into` (gisa.options).
function M.read_options(opts, into)
  if opts.jobs ~= nil then
    if opts.jobs < 1 then M.usage_error("option '-j' needs a whole number >= 1, not " .. opts.jobs) end
    into.jobs = opts.jobs
  end
  if opts.shard ~= nil then
    local k, err = require("gisa.pipeline.parallel").parse_shard(opts.shard)
    if not k then M.usage_error(err) end
    into.shard = opts.shard
  end
end

--- Edit distance (Levenshtein, on bytes) of A and B: for "did you mean" suggestions.
function M.distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

local function key_of(o)
  return (o[2] or o[1]):gsub("^%-+", ""):gsub("%-", "_")
end

--- Help text from a spec: {usage=, summary=, options={…}, common=bool, text=}.
function M.help(spec)
  local lines = { "usage: " .. spec.usage }
  if spec.summary then lines[#lines + 1] = ""; lines[#lines + 1] = spec.summary end
  local opts = {}
  for _, o in ipairs(spec.options or {}) do opts[#opts + 1] = o end
  if spec.common then for _, o in ipairs(M.common) do opts[#opts + 1] = o end end
  if #opts > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "options:"
    local rows, w = {}, 0
    for _, o in ipairs(opts) do
      local names = (o[1] and o[2]) and (o[1] .. ", " .. o[2]) or (o[1] or ("    " .. o[2]))
      if o.arg then names = names .. " " .. o.arg end
      rows[#rows + 1] = { names, o.help or "" }
      w = math.max(w, #names)
    end
    for _, r in ipairs(rows) do
      lines[#lines + 1] = "  " .. r[1] .. string.rep(" ", w - #r[1] + 2) .. r[2]
    end
  end
  if spec.text then lines[#lines + 1] = ""; lines[#lines + 1] = spec.text end
  return table.concat(lines, "\n") .. "\n"
end

--- Parse ARGS by SPEC. Returns opts (keyed by long name, "-" as "_") and the
--- operands. --help prints the help and exits 0.
---@param args string[]
---@param spec table
---@return table opts, string[] operands
function M.parse(args, spec)
  local byname, all = {}, {}
  for _, o in ipairs(spec.options or {}) do all[#all + 1] = o end
  if spec.common then for _, o in ipairs(M.common) do all[#all + 1] = o end end
  local opts = {}
  for _, o in ipairs(all) do
    if o[1] then byname[o[1]] = o end
    if o[2] then byname[o[2]] = o end
    local k = key_of(o)
    if o.list then opts[k] = {} elseif o.default ~= nil then opts[k] = o.default end
  end
  local rest, i, n = {}, 1, #args
  local cmd = spec.name
  while i <= n do
    local a = args[i]
    if a == "--" then
      for j = i + 1, n do rest[#rest + 1] = args[j] end
      break
    elseif a:sub(1, 1) == "-" and a ~= "-" and not (spec.stop_at_operand and #rest > 0) then
      local name, val = a:match("^(%-%-[^=]+)=(.*)$")
      name = name or a
      local o = byname[name]
      if not o and not name:find("^%-%-") and #name > 2 then   -- -xVALUE
        o = byname[name:sub(1, 2)]
        if o and o.arg then val = name:sub(3); name = name:sub(1, 2) else o = nil end
      end
      if not o then M.usage_error("unknown option '" .. name .. "'", cmd) end
      local k = key_of(o)
      if o.arg then
        if val == nil then
          i = i + 1
          val = args[i]
          if val == nil then M.usage_error("option '" .. name .. "' needs " .. o.arg, cmd) end
        end
        if o.type == "number" then
          local v = tonumber(val)
          if not v or v ~= v or v == math.huge or v == -math.huge then
            M.usage_error("option '" .. name .. "' needs a number, not '" .. val .. "'", cmd)
          end
          -- an N is a count: a whole number, never negative (-n -3 was taken as "all")
          if o.arg == "N" or o.integer then
            v = math.tointeger(v)
            if not v or v < 0 then
              M.usage_error("option '" .. name .. "' needs a whole number >= 0, not '" .. val .. "'", cmd)
            end
          end
          val = v
        elseif o.choices then
          local okv = false
          for _, c in ipairs(o.choices) do if c == val then okv = true end end
          if not okv then
            M.usage_error(string.format("option '%s' must be one of %s, not '%s'",
              name, table.concat(o.choices, ", "), val), cmd)
          end
        end
        if o.list then table.insert(opts[k], val) else opts[k] = val end
      else
        if val ~= nil then M.usage_error("option '" .. name .. "' takes no value", cmd) end
        opts[k] = true
      end
    else
      rest[#rest + 1] = a
    end
    i = i + 1
  end
  if opts.help and not spec.manual_help then
    io.stdout:write(M.help(spec))
    M.exit(0)
  end
  return opts, rest
end

return M
