-- gisa.json: JSON text for records. Encoding is ours (ordered keys, UTF-8 kept
-- as is, "/" not escaped, empty tables as []), written in C by gisa.jsonw;
-- decoding is lua-cjson's. The plain-Lua references the C writer is tested
-- against live in tests/lib/oracle.lua.

local cjson = require "cjson.safe"
local jsonw = require "gisa.jsonw"

local M = {}

--- A JSON string: control characters, quotes and backslashes escaped (\b \f
--- \n \r \t or \u00XX, and DEL as \u007f), everything else (UTF-8, "/") as is.
local quote = jsonw.quote
M.quote = quote

--- Key order for objects: records list their keys in `order`; other objects
--- (authors, blocks, qa pairs …) put the keys of M.first first, in that order,
--- then the rest sorted, so the output is stable and reads naturally.
M.first = { "type", "line", "name", "role", "email", "q", "a", "text", "credit", "speaker", "reason" }
local rank = {}
for i, k in ipairs(M.first) do rank[k] = i end

local jsonw_encode, jsonw_write = jsonw.encode, jsonw.write

--- JSON text of v on one line (written in C by gisa.jsonw: tables are arrays
--- when they have [1] or a number key, else objects with string keys only).
---@param v any
---@param order? string[] key order for the top-level object (keys with nil values become null)
---@return string
function M.encode(v, order)
  local s = jsonw_encode(v, order, rank)   -- not a tail call: errors name no place in here
  return s
end

--- out:write(head, encode(v, order), tail): one call, and when out is an open
--- io file the text goes straight to it without becoming a Lua string.
--- Returns what out:write returns.
---@param out file*|{write: function}
---@param v any
---@param order? string[]
---@param tail? string written after the JSON text ("\n" for JSON Lines)
---@param head? string written before it (",\n " between the members of an array)
function M.write(out, v, order, tail, head)
  return jsonw_write(out, v, order, rank, head, tail)
end

--- JSON text indented by `step` (two spaces by default), each line after the
--- first starting with `indent`; `order` as for encode. Objects and arrays are
--- one member a line, except those whose members are all scalars and fit in 72
--- bytes, which stay on one line (written in C).
---@param v any
---@param order? string[]
---@param indent? string
---@param step? string
---@return string
function M.pretty(v, order, indent, step)
  local s = jsonw_encode(v, order, rank, indent or "", step or "  ")
  return s
end

--- out:write(head, pretty(v, order, indent, step)) as M.write does it.
function M.write_pretty(out, v, order, indent, step, head)
  return jsonw_write(out, v, order, rank, head, nil, indent or "", step or "  ")
end

--- Decode JSON text; returns nil, message on bad input. JSON null becomes nil
--- inside objects (cjson's null sentinel is removed) so records read back as built.
function M.decode(s)
  local v, err = cjson.decode(s)
  if v == nil and err then return nil, err end
  local null = cjson.null
  local function strip(t)
    for k, x in pairs(t) do
      if x == null then t[k] = nil elseif type(x) == "table" then strip(x) end
    end
    return t
  end
  if type(v) == "table" then strip(v) end
  if v == null then return nil end
  return v
end

return M
