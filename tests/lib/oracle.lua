-- oracle: plain references that gisa's fast code is tested (and benchmarked)
-- against, kept out of the library: the JSON string escaper and pretty layout
-- in plain Lua (gisa.json's C writer, gisa.jsonw), and utf8proc's own
-- whole-string normalization (gisa.text.normalize), a small C module built as
-- build/lib/oracle/utf8proc.so (tests/oracle/utf8proc.c).

local M = {}

local concat, sort, tostring = table.concat, table.sort, tostring

------------------------------------------------------------------------------
-- JSON
------------------------------------------------------------------------------

local escapes = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t', ["\127"] = "\\u007f",
}
for i = 0, 31 do
  local c = string.char(i)
  escapes[c] = escapes[c] or string.format("\\u%04x", i)
end

--- json.quote in plain Lua.
function M.quote_lua(s)
  return '"' .. string.gsub(s, '[%c"\\]', escapes) .. '"'
end

-- Keys of an object: those of json.first first, in that order, then the rest sorted.
local function sorted_keys(t)
  local rank = {}
  for i, k in ipairs(require("gisa.output.json").first) do rank[k] = i end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  sort(keys, function(a, b)
    local ra, rb = rank[a], rank[b]
    if ra and rb then return ra < rb end
    if ra or rb then return ra ~= nil end
    return a < b
  end)
  return keys
end

local function flat(t)
  for _, x in pairs(t) do if type(x) == "table" then return false end end
  return true
end

local function pretty(v, ind, step, order)
  local json = require "gisa.output.json"
  if type(v) ~= "table" then return json.encode(v) end
  if next(v) == nil and not order then return "[]" end
  local isarray = v[1] ~= nil or type(next(v)) == "number"
  local keys = order
  if not isarray and not keys then keys = sorted_keys(v) end
  local parts = {}
  if isarray then
    for i = 1, #v do parts[i] = pretty(v[i], ind .. step, step) end
  else
    for _, k in ipairs(keys) do
      if v[k] ~= nil or order then parts[#parts + 1] = json.quote(k) .. ": " .. pretty(v[k], ind .. step, step) end
    end
  end
  local open, close = isarray and "[" or "{", isarray and "]" or "}"
  if not order and flat(v) then
    local one = open .. concat(parts, ", ") .. close
    if #one <= 72 then return one end
  end
  return open .. "\n" .. ind .. step .. concat(parts, ",\n" .. ind .. step) .. "\n" .. ind .. close
end

--- json.pretty in plain Lua (slow).
function M.pretty_lua(v, order, indent, step)
  return pretty(v, indent or "", step or "  ", order)
end

------------------------------------------------------------------------------
-- utf8proc
------------------------------------------------------------------------------

local utf8proc

--- utf8proc's normalization of s (form: "NFC" by default), or nil, message;
--- raises when the oracle module is not built (make build/unit builds it).
function M.utf8proc(s, form)
  if not utf8proc then
    local root = os.getenv("GISA_ROOT") or "."
    local path = root .. "/build/lib/oracle/utf8proc.so"
    local open, err = package.loadlib(path, "luaopen_oracle_utf8proc")
    if not open then error("the utf8proc oracle is not built (" .. path .. "): " .. tostring(err), 2) end
    utf8proc = open()
  end
  return utf8proc.normalize(s, form)
end

return M
