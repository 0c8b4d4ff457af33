-- jsonl: JSON Lines / NDJSON, one object a line, streamed (a dump of any size
-- is never held in memory). An object whose keys name an article's columns
-- (title, body/본문, date, press, url …; docs/inputs.md) is one article; an
-- object that is a gisa record ("file" and "blocks" or "removed") passes
-- through unchanged, so `gisa extract out.jsonl` gives out.jsonl again.
-- A line that is not JSON is reported with its number; the others are read.
-- gisa.jsonr reads a line as gisa.json.decode does, five times as fast (a
-- dump line is mostly one long string); gisa.json where the C module is absent
local ok, jsonr = pcall(require, "gisa.jsonr")
local decode = ok and jsonr.decode or require("gisa.output.json").decode

local find, byte = string.find, string.byte

local function is_record(o)
  return o.file ~= nil and (o.blocks ~= nil or o.removed ~= nil)
end

return {
  name = "jsonl",
  exts = { "jsonl", "ndjson", "jl" },
  -- the first line is an object on its own (or longer than what is seen)
  sniff = function(head)
    local s = head:gsub("^\239\187\191", "")
    local line = s:match("^%s*({[^\n]*)")
    if not line then return false end
    if not find(s, "\n", 1, true) and #head >= 4096 then return true end
    local v = decode(line)
    return type(v) == "table"
  end,
  read = function(src, opts)
    local dump = require "gisa.pipeline.dump"   -- loaded by the first dump read, not at start-up
    local map, positional = dump.parse_map(opts.map)
    if map == nil and positional then error(positional, 0) end
    local lines = src:text_lines()
    local m = positional and map or nil
    local pending, pending_no     -- the first object, read to find the columns
    local bad = {}                -- bad lines met before it
    if not m then
      for line, no in lines do
        if find(line, "%S") then
          local v, err = decode(line)
          if type(v) == "table" then
            pending, pending_no = v, no
            break
          end
          bad[#bad + 1] = { no, err or "not a JSON object" }
          if #bad >= 10 then return nil, "the first 10 lines are not JSON objects (line " .. bad[1][1] .. ": " .. bad[1][2] .. ")" end
        end
      end
      if not pending then
        if bad[1] then return nil, "no JSON object (line " .. bad[1][1] .. ": " .. bad[1][2] .. ")" end
        return nil, "empty"
      end
      if not is_record(pending) then
        local keys = {}
        for k in pairs(pending) do keys[#keys + 1] = k end
        table.sort(keys)
        local err
        m, err = dump.mapping(keys, map)
        if not m then return nil, err end
      end
    end
    local k, bi = 0, 1
    local row                     -- the object being read: get(key) is its column
    local function get(key) return key ~= nil and row[key] or nil end
    local function input_of(v, no)
      if is_record(v) then return { record = v } end
      if not m then
        local keys = {}
        for key in pairs(v) do keys[#keys + 1] = key end
        table.sort(keys)
        local err
        m, err = dump.mapping(keys, map)
        if not m then return false, err, { line = no } end
      end
      k = k + 1
      local where = { line = no, record = k }
      row = v
      local input, warning = dump.input(get, m, where)
      if warning then input.warnings = { warning } end
      return input
    end
    return function()
      local b = bad[bi]
      if b then
        bi = bi + 1
        return false, "not JSON: " .. tostring(b[2]), { line = b[1] }
      end
      if pending then
        local v, no = pending, pending_no
        pending = nil
        return input_of(v, no)
      end
      for line, no in lines do
        if find(line, "%S") then
          local v, err = decode(line)
          if type(v) ~= "table" then
            return false, "not a JSON object: " .. tostring(err or line:sub(1, 40)), { line = no }
          end
          return input_of(v, no)
        end
      end
      return nil
    end
  end,
}
