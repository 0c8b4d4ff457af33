-- gisa test-rules: a test loop for rule authors. Every article in DIR/tests/
-- is extracted and its record compared, field by field, with the expected
-- record beside it (NAME.expected.json); --accept writes those files. DIR is
-- searched first for rules (as with -I DIR), so DIR/rules/ and
-- DIR/rules/sites/ are the rules under test. Without DIR, the shipped rules
-- are tested on the sample corpus (expected records in lua/gisa/rules/tests/).

local cli = require "gisa.cli"
local status = require "gisa.cli.status"

local format, concat = string.format, table.concat

local M = {}

M.spec = {
  name = "test-rules",
  usage = "gisa test-rules [DIR] [--accept] [--articles ADIR] [-I DIR]…",
  summary = "Extract every article in DIR/tests/ (DIR searched first for rules) and compare\n" ..
    "each record with DIR/tests/NAME.expected.json, printing every field that differs.\n" ..
    "Without DIR: the shipped rules, corpus/ against lua/gisa/rules/tests/.\n" ..
    "Exit status 1 when a record differs or has no expected file.",
  options = {
    { nil, "--accept", help = "write NAME.expected.json from the records as they are now" },
    { nil, "--articles", arg = "ADIR", help = "take the articles from ADIR (the expected files stay in DIR/tests/)" },
    { "-I", "--include", arg = "DIR", list = true, help = "also search DIR for rules (before GISA_PATH)" },
    { nil, "--encoding", arg = "NAME", default = "auto", help = "input encoding: auto (default), utf-8, cp949 …" },
    { "-h", "--help", help = "show this help" },
  },
  text = "examples:\n" ..
    "  gisa test-rules DIR --accept     write DIR/tests/*.expected.json (check them!)\n" ..
    "  gisa test-rules DIR              after a change: what moved, field by field",
}

local SUFFIX = ".expected.json"

-- The article files of a directory (sorted): every file but hidden ones,
-- Markdown notes and JSON (expected records, a gold file).
local function articles_of(dir)
  local sys = require "gisa.sys"
  local out = {}
  for _, name in ipairs(sys.listdir(dir) or {}) do
    if sys.stat(dir .. "/" .. name) == "file" and not name:find("^%.")
        and not name:find("%.md$") and not name:find("%.jsonl?$") then
      out[#out + 1] = name
    end
  end
  table.sort(out)
  return out
end

local function show(v)
  local cjson = require "cjson"
  if v == nil then return "(missing)" end
  if v == cjson.null then return "null" end
  if type(v) == "string" then return require("gisa.output.json").quote(v) end
  if type(v) == "table" then return (cjson.encode(v)) end
  return tostring(v)
end

-- Is T a JSON array (as cjson decodes one)?
local function is_array(v)
  return type(v) == "table" and (next(v) == nil or v[1] ~= nil)
end

-- Every difference between WANT and GOT under PATH, appended to OUT.
local function diff(path, want, got, out)
  if type(want) == "table" and type(got) == "table" then
    if is_array(want) and is_array(got) then
      if #want ~= #got then
        out[#out + 1] = format("%s: %d items, expected %d", path, #got, #want)
      end
      for i = 1, math.max(#want, #got) do diff(format("%s[%d]", path, i), want[i], got[i], out) end
      return
    end
    local keys, seen = {}, {}
    for k in pairs(want) do keys[#keys + 1] = k; seen[k] = true end
    for k in pairs(got) do if not seen[k] then keys[#keys + 1] = k end end
    table.sort(keys)
    for _, k in ipairs(keys) do diff(path .. "." .. k, want[k], got[k], out) end
    return
  end
  if want ~= got then
    out[#out + 1] = format("%s: expected %s, got %s", path, show(want), show(got))
  end
end

--- The differences of a record GOT from WANT (both as decoded JSON), top-level
--- fields in the record's order.
function M.compare(want, got)
  local record = require "gisa.engine.record"
  local out, seen = {}, {}
  for _, k in ipairs(record.fields) do
    seen[k] = true
    diff(k, want[k], got[k], out)
  end
  local rest = {}
  for k in pairs(want) do if not seen[k] then rest[#rest + 1] = k; seen[k] = true end end
  for k in pairs(got) do if not seen[k] then rest[#rest + 1] = k end end
  table.sort(rest)
  for _, k in ipairs(rest) do diff(k, want[k], got[k], out) end
  return out
end

function M.run(cargs, setup)
  local opts, operands = cli.parse(cargs, M.spec)
  local dir = operands[1]
  if operands[2] then cli.usage_error("give one DIR (its tests/ holds the articles)", "test-rules") end
  local sys, cjson = require "gisa.sys", require "cjson"
  local tests, adir
  if dir then
    tests = dir .. "/tests"
    adir = opts.articles or tests
    local include = { dir }
    for _, d in ipairs(opts.include or {}) do include[#include + 1] = d end
    opts.include = include
  else
    -- the shipped rules: the sample corpus against lua/gisa/rules/tests/
    local root = require("gisa").host.root
    tests, adir = root .. "/lua/gisa/rules/tests", opts.articles or (root .. "/corpus")
  end
  if sys.stat(tests) ~= "dir" then cli.usage_error("no directory " .. tests, "test-rules") end
  if sys.stat(adir) ~= "dir" then cli.usage_error("no directory " .. adir .. " (--articles)", "test-rules") end
  setup(opts)
  local extract, corpus = require "gisa.engine", require "gisa.pipeline.corpus"
  local json, record = require "gisa.output.json", require "gisa.engine.record"
  local ok, err = pcall(extract.registry)
  if not ok then status.fail(err); return 1 end
  local names = articles_of(adir)
  if #names == 0 then cli.usage_error("no articles in " .. adir, "test-rules") end
  local n_ok, n_diff, n_new, n_fail = 0, 0, 0, 0
  local out = io.stdout
  for _, name in ipairs(names) do
    local base = name:gsub("%.[^.]*$", "")
    local exp_path = tests .. "/" .. base .. SUFFIX
    local text, info = corpus.read(adir .. "/" .. name, { encoding = opts.encoding })
    local rec
    if text then
      ok, rec = pcall(extract.extract, text, { file = name, encoding = info.encoding })
      if not ok then text, info = nil, tostring(rec) end
    end
    if not text then
      n_fail = n_fail + 1
      out:write(format("FAIL  %s\n      %s\n", name, info))
    elseif opts.accept then
      local f = assert(io.open(exp_path, "wb"))
      f:write(json.pretty(rec, record.fields), "\n")
      f:close()
      n_ok = n_ok + 1
      out:write(format("wrote %s\n", exp_path))
    else
      local s = sys.readfile(exp_path)
      if not s then
        n_new = n_new + 1
        out:write(format("NEW   %s  (no %s%s: run with --accept)\n", name, base, SUFFIX))
      else
        local dok, want = pcall(cjson.decode, s)
        if not dok then
          n_fail = n_fail + 1
          out:write(format("FAIL  %s\n      %s: %s\n", name, exp_path, tostring(want)))
        else
          local got = cjson.decode(json.encode(rec, record.fields))
          local d = M.compare(want, got)
          if #d == 0 then
            n_ok = n_ok + 1
            out:write(format("ok    %s\n", name))
          else
            n_diff = n_diff + 1
            out:write(format("DIFF  %s\n      %s\n", name, concat(d, "\n      ")))
          end
        end
      end
    end
  end
  local summary = format("%d article%s: %d %s", #names, #names == 1 and "" or "s", n_ok, opts.accept and "written" or "ok")
  if n_diff > 0 then summary = summary .. format(", %d differ", n_diff) end
  if n_new > 0 then summary = summary .. format(", %d without an expected record", n_new) end
  if n_fail > 0 then summary = summary .. format(", %d failed", n_fail) end
  out:write(summary, "\n")
  return (n_diff + n_new + n_fail > 0) and 1 or 0
end

return M
