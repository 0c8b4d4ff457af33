-- gisa.partial: a job's partial state in a file, for runs past one machine.
-- `--partial` writes the state a job has merged from its share of the input;
-- `--merge FILE…` reads such files, merges them in the order given and reports,
-- as if one run had read every share. A file is a header line, then frames
-- (a 4-byte little-endian length and a value encoded by gisa.wire): who wrote
-- it, then the state in one or more pieces, then an empty frame. The pieces
-- are read and merged one at a time, so a file is never held whole; one from
-- another job or another version is refused.

local wire = require "gisa.wire"

local pack, unpack = string.pack, string.unpack

local M = {}

local MAGIC = "GISA-PARTIAL 2\n"

local function version()
  return require("gisa").version
end

--- Write `state` (and the number of articles it holds) for job `name` to
--- `out`. `pieces(state)`, when given, is an iterator over parts of the state
--- that merged in order make it (a long list in chunks): each is written as a
--- frame of its own, and read back and merged one at a time.
function M.write(out, name, state, nr, pieces)
  out:write(MAGIC, pack("<s4", wire.encode({ gisa = version(), job = name, nr = nr })))
  if pieces then
    for piece in pieces(state) do out:write(pack("<s4", wire.encode(piece))) end
  else
    out:write(pack("<s4", wire.encode(state)))
  end
  out:write(pack("<I4", 0))
  out:flush()
end

-- The frames of an open file: each call gives the next value, or nil at the
-- end frame; nil, message on damage (with the byte it was found at).
local function frames(f, path)
  local at = #MAGIC
  local ended = false
  return function()
    if ended then return nil end
    local head = f:read(4)
    if not head or #head < 4 then
      return nil, string.format("%s: damaged partial state (truncated at byte %d)", path, at)
    end
    local n = unpack("<I4", head)
    at = at + 4
    if n == 0 then ended = true; return nil end
    local data = f:read(n)
    if not data or #data < n then
      return nil, string.format("%s: damaged partial state (truncated at byte %d)", path, at + (data and #data or 0))
    end
    local v, msg, pos = wire.decode(data)
    if type(msg) == "string" then
      return nil, string.format("%s: damaged partial state (%s at byte %d)", path, msg, at + pos - 1)
    end
    at = at + n
    return v
  end
end

-- Open a partial-state file and check its header: the file, its frames and
-- the header {gisa=, job=, nr=}; or nil and a message.
local function open(path, name)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local magic, rerr = f:read(#MAGIC)
  -- a directory opens on Linux and fails only when read
  if not magic and rerr then
    f:close()
    return nil, path .. ": " .. rerr:gsub("^[^:]*: ", "")
  end
  if magic ~= MAGIC then
    f:close()
    if magic and magic:match("^GISA%-PARTIAL %d+\n$") then
      return nil, path .. ": a partial state in another layout (" .. magic:sub(1, -2)
        .. "), from another gisa version; this is gisa " .. version() .. " (run every share with one version)"
    end
    return nil, path .. ": not a partial state written by gisa --partial"
  end
  local next_frame = frames(f, path)
  local p, ferr = next_frame()
  if type(p) ~= "table" or type(p.job) ~= "string" or math.type(p.nr) ~= "integer" then
    f:close()
    return nil, ferr or (path .. ": damaged partial state (no job name or article count)")
  end
  if p.gisa ~= version() then
    f:close()
    return nil, string.format("%s: a partial state from gisa %s; this is gisa %s (run every share with one version)",
      path, tostring(p.gisa), version())
  end
  if p.job ~= name then
    f:close()
    return nil, string.format("%s: a partial state of '%s', not of '%s'", path, p.job, name)
  end
  return f, next_frame, p
end

-- Read the partial-state file at PATH a piece at a time, calling fn(piece) for
-- each: its header {gisa=, job=, nr=}, or nil and a message.
local function each_piece(path, name, fn)
  local f, next_frame, p = open(path, name)
  if not f then return nil, next_frame end
  while true do
    local piece, err = next_frame()
    if piece == nil then
      f:close()
      if err then return nil, err end
      return p
    end
    fn(piece)
  end
end

--- Merge the partial states in `paths` (in that order) into a fresh state:
--- merge(s, piece, k) for each piece of the k-th file, as it is read.
--- A file that cannot be used stops the run: a report from part of the
--- shares would look whole and be wrong.
function M.merge_files(paths, name, make, merge)
  if #paths == 0 then
    require("gisa.cli").usage_error("--merge needs the partial-state files written by --partial")
  end
  local s, nr = make(), 0
  for k, path in ipairs(paths) do
    local p, err = each_piece(path, name, function(piece) s = merge(s, piece, k) or s end)
    -- the message names the file: no traceback (gisa's main prints a report as it is)
    if not p then error(setmetatable({ report = err }, { __tostring = function(e) return e.report end }), 0) end
    nr = nr + p.nr
  end
  return s, nr
end

return M
