-- gisa.partial: a job's partial state in a file, for runs past one machine.
-- `--partial` writes the state a job has merged from its share of the input;
-- `--merge FILE…` reads such files, merges them in the order given and reports,
-- as if one run had read every share. A file is a header line and the state
-- encoded by gisa.wire; one from another job or another version is refused.

local wire = require "gisa.wire"

local M = {}

local MAGIC = "GISA-PARTIAL 1\n"

local function version()
  return require("gisa").version
end

--- Write `state` (and the number of articles it holds) for job `name` to `out`.
function M.write(out, name, state, nr)
  out:write(MAGIC, wire.encode({ gisa = version(), job = name, nr = nr, state = state }))
  out:flush()
end

--- Read one partial-state file: the payload table, or nil and a message.
function M.read(path, name)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local data, rerr = f:read("a")
  f:close()
  -- a directory opens on Linux and fails only when read
  if not data then return nil, path .. ": " .. (rerr or "cannot be read"):gsub("^[^:]*: ", "") end
  if data:sub(1, #MAGIC) ~= MAGIC then
    return nil, path .. ": not a partial state written by gisa --partial"
  end
  local p, msg, pos = wire.decode(data, #MAGIC + 1)
  if type(msg) == "string" then
    return nil, string.format("%s: damaged partial state (%s at byte %d)", path, msg, pos - 1)
  end
  if type(p) ~= "table" or type(p.job) ~= "string" or math.type(p.nr) ~= "integer" then
    return nil, path .. ": damaged partial state (no job name or article count)"
  end
  if p.gisa ~= version() then
    return nil, string.format("%s: a partial state from gisa %s; this is gisa %s (run every share with one version)",
      path, tostring(p.gisa), version())
  end
  if p.job ~= name then
    return nil, string.format("%s: a partial state of '%s', not of '%s'", path, p.job, name)
  end
  return p
end

--- Merge the partial states in `paths` (in that order) into a fresh state.
--- A file that cannot be used stops the run: a report from part of the
--- shares would look whole and be wrong.
function M.merge_files(paths, name, make, merge)
  if #paths == 0 then
    require("gisa.cli").usage_error("--merge needs the partial-state files written by --partial")
  end
  local s, nr = make(), 0
  for _, path in ipairs(paths) do
    local p, err = M.read(path, name)
    -- the message names the file: no traceback (gisa's main prints a report as it is)
    if not p then error(setmetatable({ report = err }, { __tostring = function(e) return e.report end }), 0) end
    s = merge(s, p.state) or s
    nr = nr + p.nr
  end
  return s, nr
end

return M
