-- gisa.json: JSON text for records. Encoding is ours (ordered keys, UTF-8 kept
-- as is, "/" not escaped, empty tables as []); decoding is lua-cjson's.

local cjson = require "cjson.safe"

local M = {}

local concat, type, pairs, sort, tostring = table.concat, type, pairs, table.sort, tostring
local gsub, format, floor = string.gsub, string.format, math.floor

local escapes = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
}
for i = 0, 31 do
  local c = string.char(i)
  escapes[c] = escapes[c] or format("\\u%04x", i)
end
escapes["\127"] = "\\u007f"

local function quote(s)
  return '"' .. gsub(s, '[%c"\\]', escapes) .. '"'
end
M.quote = quote

--- Key order for objects: records list their keys in `order`; other objects
--- (authors, blocks, qa pairs …) put the keys of M.first first, in that order,
--- then the rest sorted, so the output is stable and reads naturally.
local encode

M.first = { "type", "line", "name", "role", "email", "q", "a", "text", "credit", "speaker", "reason" }
local rank = {}
for i, k in ipairs(M.first) do rank[k] = i end
local function before(a, b)
  local ra, rb = rank[a], rank[b]
  if ra and rb then return ra < rb end
  if ra or rb then return ra ~= nil end
  return a < b
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  sort(keys, before)
  return keys
end

local function encode_table(t, buf, n, order)
  local first = next(t)
  if first == nil then buf[n + 1] = "[]"; return n + 1 end
  if t[1] ~= nil or type(first) == "number" then
    buf[n + 1] = "["; n = n + 1
    for i = 1, #t do
      if i > 1 then n = n + 1; buf[n] = "," end
      n = encode(t[i], buf, n)
    end
    n = n + 1; buf[n] = "]"
    return n
  end
  local keys = order or sorted_keys(t)
  buf[n + 1] = "{"; n = n + 1
  local sep = false
  for i = 1, #keys do
    local k = keys[i]
    local v = t[k]
    if v ~= nil or order then
      if sep then n = n + 1; buf[n] = "," end
      sep = true
      n = n + 1; buf[n] = quote(k) .. ":"
      n = encode(v, buf, n)
    end
  end
  n = n + 1; buf[n] = "}"
  return n
end

function encode(v, buf, n, order)
  local tv = type(v)
  n = n + 1
  if tv == "string" then buf[n] = quote(v)
  elseif tv == "number" then
    if v ~= v or v == math.huge or v == -math.huge then buf[n] = "null"
    elseif math.type(v) == "integer" or (v == floor(v) and v > -2^53 and v < 2^53) then
      buf[n] = format("%d", v)
    else buf[n] = format("%.14g", v) end
  elseif tv == "boolean" then buf[n] = v and "true" or "false"
  elseif tv == "table" then return encode_table(v, buf, n - 1, order)
  elseif v == nil or v == cjson.null then buf[n] = "null"
  else error("cannot encode a " .. tv .. " as JSON", 3) end
  return n
end

---@param v any
---@param order? string[] key order for the top-level object (keys with nil values become null)
---@return string
function M.encode(v, order)
  local buf = {}
  local n = encode(v, buf, 0, order)
  return concat(buf, "", 1, n)
end

-- Pretty printing: objects and arrays one member a line, except those whose
-- members are all scalars and fit in 72 bytes, which stay on one line.
local function flat(t)
  for _, x in pairs(t) do if type(x) == "table" then return false end end
  return true
end

local function pretty(v, ind, step, order)
  if type(v) ~= "table" then return M.encode(v) end
  if next(v) == nil then return "[]" end
  local isarray = v[1] ~= nil or type(next(v)) == "number"
  local keys = order
  if not isarray and not keys then keys = sorted_keys(v) end
  local parts = {}
  if isarray then
    for i = 1, #v do parts[i] = pretty(v[i], ind .. step, step) end
  else
    for _, k in ipairs(keys) do
      if v[k] ~= nil or order then parts[#parts + 1] = quote(k) .. ": " .. pretty(v[k], ind .. step, step) end
    end
  end
  local open, close = isarray and "[" or "{", isarray and "]" or "}"
  if not order and flat(v) then
    local one = open .. concat(parts, ", ") .. close
    if #one <= 72 then return one end
  end
  return open .. "\n" .. ind .. step .. concat(parts, ",\n" .. ind .. step) .. "\n" .. ind .. close
end

--- JSON text indented by `step` (two spaces by default), each line after the
--- first starting with `indent`; `order` as for encode.
---@param v any
---@param order? string[]
---@param indent? string
---@param step? string
---@return string
function M.pretty(v, order, indent, step)
  return pretty(v, indent or "", step or "  ", order)
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
