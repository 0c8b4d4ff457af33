-- gisa's start-up: parse the command line and dispatch. The C host calls this
-- file with (args, host) and exits with the status it returns:
-- 0 all went well, 1 some input or script failed, 2 usage error.

local args, host = ...

local gisa = require "gisa"
local cli = require "gisa.cli"
local status = require "gisa.cli.status"
local paths = require "gisa.pipeline.paths"

gisa.version = host.version
gisa.host = host

local HELP = [[
usage: gisa [options] SCRIPT.lua [ARGS…]     run a Lua script with the gisa library
       gisa [options] -e CODE [PATH…]        run CODE once per article (awk-style)
       gisa extract [-f FORMAT] [PATH…]      articles -> records (JSON Lines by default)
       gisa NAME [ARGS…]                     run the shipped or user script NAME
       gisa list                             the rules, formats and scripts gisa finds
       gisa rules [--site ID] [--dump]       the rules in the order they are tried
       gisa test-rules DIR [--accept]        DIR/tests/ articles against their expected records
       gisa help [COMMAND]                   help on gisa or on one command

A PATH is a file, a directory (walked recursively in sorted order for the
files of every reader: *.txt, *.jsonl, *.csv … in any letter case, compressed
or in .zip/.tar archives; `gisa list` shows the readers) or - for standard
input. With no PATH, standard input is read when it is not a terminal.

options:
  -e CODE            run CODE for each article; the article is `a` (its fields
                     such as title, body, authors are in scope too), NR counts
                     articles; variables keep their values across articles
  -B, --begin CODE   run CODE once before the first article
  -E, --end CODE     run CODE once after the last article (e.g. 'print(n)')
  -I, --include DIR  search DIR for rules/, formats/, scripts/ and modules first
                     (repeatable; before GISA_PATH)
      --encoding NAME  input encoding: auto (default), utf-8, cp949, utf-16le …
      --repair       repair mojibake in the input
  -q, --quiet        no progress line, no warnings and no summary
      --ext LIST     walk directories for these extensions only (txt,csv …)
      --split HOW    many articles a text file: ff, blank2 or a Lua pattern
                     that a separator line matches
      --map MAP      dump columns: title=제목,body=본문 or date=1,body=2 by
                     position (no header row); docs/inputs.md
  -j, --jobs N       read and extract in N worker processes; output stays in input
                     order (default: GISA_JOBS, else every core)
      --shard K/N    read only the K-th of N shares of the input files, chosen by a
                     stable hash of each path (for N machines; see docs/scale.md)
      --partial      a gisa.run job writes its merged state to standard output
                     instead of its report (one share of a run on many machines)
      --merge        a gisa.run job reads the partial states named as its PATHs,
                     merges them and reports
  -h, --help         this help; `gisa COMMAND --help` for a command
      --version      print the version

environment:
  GISA_PATH          colon-separated directories searched after -I
  GISA_JOBS          worker processes when -j is not given

exit status:
  0  all went well
  1  some input or a script failed (each failure is reported, the rest processed)
  2  usage error
]]

local GLOBAL = {
  name = "gisa",
  usage = "gisa [options] COMMAND|SCRIPT|-e CODE …",
  stop_at_operand = true,
  manual_help = true,
  options = {
    { "-e", nil, arg = "CODE" },
    { "-B", "--begin", arg = "CODE" },
    { "-E", "--end", arg = "CODE" },
    { "-I", "--include", arg = "DIR", list = true },
    { nil, "--encoding", arg = "NAME", default = "auto" },
    { nil, "--repair" },
    { "-q", "--quiet" },
    { nil, "--ext", arg = "LIST" },
    { nil, "--split", arg = "HOW" },
    { nil, "--map", arg = "MAP" },
    { "-j", "--jobs", arg = "N", type = "number" },
    { nil, "--shard", arg = "K/N" },
    { nil, "--partial" },
    { nil, "--merge" },
    { "-h", "--help" },
    { nil, "--version" },
  },
}

-- Apply the options that concern reading articles and the search path.
local function setup(opts)
  gisa.options.encoding = opts.encoding or gisa.options.encoding
  gisa.options.repair = opts.repair or gisa.options.repair
  gisa.options.quiet = opts.quiet or gisa.options.quiet
  status.quiet = gisa.options.quiet
  require("gisa.pipeline.corpus").set_options(gisa.options, opts)
  cli.read_options(opts, gisa.options)
  if opts.partial then gisa.options.partial = true end
  if opts.merge then gisa.options.merge = true end
  local dirs = {}
  for _, d in ipairs(gisa.include or {}) do dirs[#dirs + 1] = d end
  for _, d in ipairs(opts.include or {}) do dirs[#dirs + 1] = d end
  gisa.include = dirs
  gisa.paths = paths.new(host, dirs)
  paths.use(gisa.paths)
  local extra = gisa.paths:package_path()
  if extra ~= "" and not package.path:find(extra, 1, true) then
    package.path = extra .. ";" .. package.path
  end
end

-- With no PATH: standard input if it is not a terminal, else a usage error.
local function default_input(operands, cmd)
  if #operands > 0 then return operands end
  if not gisa.sys.isatty(0) then return { "-" } end
  cli.usage_error("no input: give a PATH (file, directory or -), or pipe an article in", cmd)
end

------------------------------------------------------------------------------
-- Scripts
------------------------------------------------------------------------------

-- The globals a script sees without ceremony.
local function script_globals()
  _G.gisa = gisa
  _G.lpeg = require "lpeg"
  _G.re = require "re"
end

local function run_script(path, script_args, name)
  script_globals()
  local chunk, err = loadfile(path, "t")
  if not chunk then error(err, 0) end
  local a = { [0] = path, [-1] = host.argv0 }
  for i, v in ipairs(script_args) do a[i] = v end
  _G.arg = a
  gisa.script = { path = path, name = name }
  local rc = chunk(table.unpack(script_args))
  if math.type(rc) == "integer" then return rc end
  return status.exit_code()
end

------------------------------------------------------------------------------
-- -e CODE: awk for articles
------------------------------------------------------------------------------

local EVAL = {
  name = "-e",
  usage = "gisa -e CODE [-B CODE] [-E CODE] [options] [PATH…]",
  summary = "Run CODE once per article. The article is `a` (also `article`); its fields\n" ..
    "(title, body, authors, published …) are in scope by name; NR is the article's\n" ..
    "number. Variables you set keep their values from one article to the next.",
  common = true,
  options = GLOBAL.options,
  text = "examples:\n" ..
    "  gisa -e 'print(a.title)' corpus/\n" ..
    "  gisa -e 'n = (n or 0) + #body' -E 'print(n)' corpus/",
}

local function compile(code, what, env)
  local f, err = load(code, "=" .. what, "t", env)
  if not f then cli.usage_error("cannot compile " .. what .. " code: " .. err, "-e") end
  return f
end

-- The record fields CODE can read, or nil when it may read any. A field is
-- read as a free name (`body`) or as `a.NAME` / `article.NAME`; `a` used any
-- other way (`#a`, `a[k]`, `f(a)`), or a name that reaches the environment or
-- code in other files (_ENV, debug, require, dofile, loadfile), may read every field. Names in
-- strings and comments count too: that only sends a field more. Under -j only
-- these fields cross from the workers.
local ESCAPE = { _ENV = true, debug = true, loadfile = true, dofile = true, require = true }
local function eval_fields(codes)
  local set, list = { file = true }, { "file" }
  for _, code in ipairs(codes) do
    for pos, name in code:gmatch("()([%a_][%w_]*)") do
      local prev = pos > 1 and code:sub(pos - 1, pos - 1) or ""
      if prev:find("[%w_]") then                       -- inside a longer token (1e5, 0x1f)
      elseif ESCAPE[name] then return nil
      elseif name == "a" or name == "article" then
        local f = code:match("^%s*%.%s*([%a_][%w_]*)", pos + #name)
        if not f or code:sub(pos + #name):match("^%s*%.%.") then return nil end
      elseif not set[name] then
        set[name] = true
        list[#list + 1] = name
      end
    end
  end
  return list
end

local function run_eval(opts, operands)
  script_globals()
  -- each article leaves short-lived garbage (its record; under -j the parent's
  -- decoded copy of it) around the long-lived rules: the generational
  -- collector leaves those alone, as in gisa extract
  collectgarbage("generational")
  local current, nr = nil, 0
  local special = { a = function() return current end, article = function() return current end,
    NR = function() return nr end }
  local env = setmetatable({}, {
    __index = function(_, k)
      local s = special[k]
      if s then return s() end
      if current then
        local v = current[k]
        if v ~= nil then return v end
      end
      return _G[k]
    end,
  })
  local body = opts.e and compile(opts.e, "-e", env)
  local begin = opts.begin and compile(opts.begin, "--begin", env)
  local finish = opts["end"] and compile(opts["end"], "--end", env)
  local input = default_input(operands, "-e")
  if begin then begin() end
  -- the per-article part and the report, as gisa.run keeps them apart
  gisa.run{ paths = input, fields = eval_fields({ opts.e or "", opts.begin or "", opts["end"] or "" }),
    each = function(art, _, n)
      current, nr = art, n
      if body then
        -- a runtime error names the article it happened on
        local ok, err = pcall(body)
        if not ok then
          if type(err) == "string" and err:find("interrupted by SIG%u+") then error(err, 0) end
          error(setmetatable({ report = string.format("%s (article %d: %s)", tostring(err), n,
            require("gisa.analysis").display(art.file or "?")) },
            { __tostring = function(e) return e.report end }), 0)
        end
      end
    end,
    finish = function() current = nil; if finish then finish() end end }
  return status.exit_code()
end

------------------------------------------------------------------------------
-- Built-in commands
------------------------------------------------------------------------------

local commands = {}

local LIST = {
  name = "list",
  usage = "gisa list [-I DIR]…",
  summary = "Show the search path and every rule file, format, reader and script gisa finds,\n" ..
    "with the file that won when a name is found in more than one place.",
  options = { { "-I", "--include", arg = "DIR", list = true, help = "search DIR first" },
              { "-h", "--help", help = "show this help" } },
}

function commands.list(cargs)
  local opts = cli.parse(cargs, LIST)
  setup(opts)
  local out = {}
  out[#out + 1] = "search path:"
  for i, r in ipairs(gisa.paths.roots) do
    out[#out + 1] = string.format("  %d. %s  (%s)%s", i, r.dir, r.from, r.missing and "  MISSING: no such directory" or "")
  end
  for _, kind in ipairs({ "sites", "formats", "readers", "scripts" }) do
    out[#out + 1] = ""
    out[#out + 1] = kind .. ":"
    local items = gisa.paths:list(kind)
    if #items == 0 then out[#out + 1] = "  (none)" end
    local w = 0
    for _, it in ipairs(items) do w = math.max(w, #it.name) end
    -- a reader's extensions, as it declares them
    local exts = {}
    if kind == "readers" then
      local ew = 0
      for _, r in ipairs(require("gisa.pipeline.corpus").readers().list) do
        if r.path and r.exts and #r.exts > 0 then
          exts[r.path] = "." .. table.concat(r.exts, " .")
          ew = math.max(ew, #exts[r.path])
        end
      end
      for p, e in pairs(exts) do exts[p] = e .. string.rep(" ", ew - #e + 2) end
    end
    for _, it in ipairs(items) do
      local line = "  " .. it.name .. string.rep(" ", w - #it.name + 2) .. (exts[it.path] or "") .. it.path
      if #it.shadows > 0 then line = line .. "  (replaces " .. table.concat(it.shadows, ", ") .. ")" end
      if kind == "sites" then line = line .. require("gisa.html.page").describe_site(it.path) end
      out[#out + 1] = line
    end
  end
  out[#out + 1] = ""
  out[#out + 1] = "commands (gisa help COMMAND):"
  local names = {}
  for name in pairs(commands) do names[#names + 1] = name end
  table.sort(names)
  out[#out + 1] = "  " .. table.concat(names, ", ")
  io.stdout:write(table.concat(out, "\n"), "\n")
  return 0
end

local specs = { list = LIST, ["-e"] = EVAL }

-- Built-in commands that live in lua/gisa/cli/commands/NAME.lua: {spec=, run=fn(args, setup)}.
local modules = { "extract", "rules", "test-rules" }
for _, name in ipairs(modules) do
  local m = require("gisa.cli.commands." .. name:gsub("%-", "_"))
  specs[name] = m.spec
  commands[name] = function(cargs) return m.run(cargs, setup, default_input) end
end

-- A script's one-line description: its opening comment ("-- gisa NAME: what
-- it does …") up to the first full stop or example line.
local function describe(path)
  local fh = io.open(path, "rb")
  if not fh then return "" end
  local words = {}
  for line in fh:lines() do
    local c = line:match("^%-%-%s?(.*)$")
    if not c or c == "" or c:find("^%s+gisa ") or c:find("^%s*$") then break end
    words[#words + 1] = c
    if #words >= 4 then break end
  end
  fh:close()
  local d = table.concat(words, " "):gsub("^gisa [%w_-]+:%s*", "")
  d = d:match("^(.-[^%.]%.)%s") or d:match("^(.-%.)$") or d
  d = d:gsub("%.$", "")
  return gisa.text.truncate(d, 64)
end

-- The analyses and scripts gisa finds (shipped, -I, GISA_PATH), for `gisa help`.
local function script_list()
  local out = { "", "analyses and scripts (gisa NAME --help for each):" }
  local items = gisa.paths:list("scripts")
  local w = 0
  for _, it in ipairs(items) do w = math.max(w, #it.name) end
  for _, it in ipairs(items) do
    out[#out + 1] = "  " .. it.name .. string.rep(" ", w - #it.name + 2) .. describe(it.path)
  end
  return table.concat(out, "\n") .. "\n"
end

-- Commands and scripts whose name is within two edits of NAME (frq -> freq).
local function near_names(name)
  local distance = cli.distance   -- on bytes (names are ASCII)
  local names = { "extract", "list", "help" }
  for _, it in ipairs(gisa.paths:list("scripts")) do names[#names + 1] = it.name end
  local best, bd = {}, 3
  for _, n in ipairs(names) do
    local d = distance(name, n)
    if d < bd then best, bd = { n }, d elseif d == bd then best[#best + 1] = n end
  end
  return best
end

function commands.help(cargs)
  local what = cargs[1]
  if not what then
    setup({})
    io.stdout:write(HELP, script_list())
    return 0
  end
  if specs[what] then io.stdout:write(cli.help(specs[what])); return 0 end
  setup({})
  local p = gisa.paths:find("scripts", what)
  if not p then
    local near = near_names(what)
    cli.usage_error("no command or script named '" .. what .. "'" ..
      (#near > 0 and ("; did you mean " .. table.concat(near, " or ") .. "?") or ""), "help")
  end
  return run_script(p, { "--help" }, what)
end

------------------------------------------------------------------------------
-- Dispatch
------------------------------------------------------------------------------

local function main()
  local gopts, rest = cli.parse(args, GLOBAL)
  if gopts.version then
    local lv = require("lpeg").version
    if type(lv) == "function" then lv = lv() end
    io.stdout:write("gisa ", host.version, " (", _VERSION, ", LPeg ", lv, ")\n")
    return 0
  end
  setup(gopts)
  if gopts.e or gopts.begin or gopts["end"] then
    local opts, operands = cli.parse(rest, EVAL)
    -- the default must not undo `gisa --encoding NAME -e …`
    if opts.encoding == "auto" then opts.encoding = gopts.encoding end
    for k, v in pairs(opts) do
      if type(v) ~= "table" or #v > 0 then gopts[k] = v end
    end
    setup(opts)
    return run_eval(gopts, operands)
  end
  if gopts.help and #rest == 0 then io.stdout:write(HELP, script_list()); return 0 end
  local cmd = rest[1]
  if not cmd then cli.usage_error("no command given") end
  local cargs = table.move(rest, 2, #rest, 1, {})
  if gopts.help then table.insert(cargs, 1, "--help") end
  if commands[cmd] then return commands[cmd](cargs, gopts) end
  if cmd:find("%.lua$") or cmd:find("/") then
    if not gisa.sys.stat(cmd) then cli.usage_error("cannot open script " .. cmd) end
    return run_script(cmd, cargs, cmd)
  end
  local p = gisa.paths:find("scripts", cmd)
  if not p then
    local near = near_names(cmd)
    local hint = #near > 0 and ("; did you mean " .. table.concat(near, " or ") .. "?") or ""
    cli.usage_error("unknown command '" .. cmd .. "'" .. hint .. " (`gisa help` lists the commands and analyses)")
  end
  return run_script(p, cargs, cmd)
end

-- Errors: usage errors exit 2 with a one-line hint; --help exits 0; a script's
-- error prints `gisa: path:line: message` and a traceback, and exits 1; an
-- error that already says where it is ({report = msg}: a format's, -e code's)
-- prints its message alone and exits 1; Ctrl-C, SIGTERM and SIGHUP exit
-- 128 + the signal's number, quietly.
local SIGNALS = { SIGHUP = 129, SIGINT = 130, SIGTERM = 143 }
local function handler(e)
  if type(e) == "table" and (e.usage or e.exit or e.report) then return e end
  local msg = tostring(e)
  local sig = msg:match("interrupted by (SIG%u+)")
  if sig and SIGNALS[sig] then return { exit = SIGNALS[sig] } end
  return debug.traceback(msg, 2)
end

local ok, rc = xpcall(main, handler)
io.stdout:flush()
if ok then return rc or status.exit_code() end
if type(rc) == "table" and rc.exit then return rc.exit end
if type(rc) == "table" and rc.report then io.stderr:write("gisa: ", rc.report, "\n"); return 1 end
if type(rc) == "table" and rc.usage then
  local hint = rc.cmd and rc.cmd ~= "gisa" and ("gisa " .. rc.cmd .. " --help") or "gisa --help"
  if rc.cmd == "-e" then hint = "gisa help -e" end
  io.stderr:write("gisa: ", rc.msg, "\nTry '", hint, "' for more information.\n")
  return 2
end
-- Cut the traceback where gisa's own start-up frames begin: they are noise to users.
local lines = {}
for line in (rc .. "\n"):gmatch("(.-)\n") do
  if line:find("lua/gisa/cli/main%.lua:") or line:find("in function 'xpcall'")
    or line:find("%(%.%.%.tail calls%.%.%.%)") then break end
  lines[#lines + 1] = line
end
local trace = table.concat(lines, "\n")
io.stderr:write("gisa: ", trace, "\n")
return 1
