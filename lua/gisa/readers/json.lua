-- json: a JSON array of article objects (columns as for jsonl), or an object
-- holding one such array (under any key: {"data": […]}, {"articles": […]}),
-- or a single article object. The whole file is read at once: for big dumps,
-- JSON Lines streams. gisa records in the array pass through unchanged.
local ok, jsonr = pcall(require, "gisa.jsonr")   -- as gisa.json.decode, faster
local decode = ok and jsonr.decode or require("gisa.output.json").decode

local function is_record(o)
  return o.file ~= nil and (o.blocks ~= nil or o.removed ~= nil)
end

return {
  name = "json",
  exts = { "json" },
  -- an array, or an object spread over several lines (one on a single line is JSON Lines)
  sniff = function(head)
    local s = head:gsub("^\239\187\191", "")
    if s:match("^%s*%[%s*[{%]]") then return true end
    local line = s:match("^%s*({[^\n]*)")
    return line ~= nil and type(decode(line)) ~= "table" and s:match("^%s*{%s*\n") ~= nil
  end,
  read = function(src, opts)
    local dump = require "gisa.pipeline.dump"   -- loaded by the first dump read, not at start-up
    local map, positional = dump.parse_map(opts.map)
    if map == nil and positional then error(positional, 0) end
    local text = src:decode(src:bytes())
    local v, err = decode(text)
    if v == nil then return nil, "not JSON: " .. tostring(err) end
    if type(v) ~= "table" then return nil, "not a JSON array or object" end
    local list = v
    if v[1] == nil and next(v) ~= nil then
      if is_record(v) then list = { v }
      else
        local found
        for _, x in pairs(v) do
          if type(x) == "table" and type(x[1]) == "table" then
            if found then found = false; break end
            found = x
          end
        end
        list = found or { v }
      end
    end
    local m = positional and map or nil
    local first = list[1]
    if not m and type(first) == "table" and not is_record(first) then
      local keys = {}
      for key in pairs(first) do keys[#keys + 1] = key end
      table.sort(keys)
      local e
      m, e = dump.mapping(keys, map)
      if not m then return nil, e end
    end
    local i, k = 0, 0
    return function()
      i = i + 1
      local o = list[i]
      if o == nil then return nil end
      if type(o) ~= "table" then return false, "item " .. i .. " is not an object", { record = i } end
      if is_record(o) then return { record = o } end
      if not m then
        local keys = {}
        for key in pairs(o) do keys[#keys + 1] = key end
        table.sort(keys)
        local e
        m, e = dump.mapping(keys, map)
        if not m then return false, e, { record = i } end
      end
      k = k + 1
      local input, warning = dump.input(function(key) return key ~= nil and o[key] or nil end, m, { record = i })
      if warning then input.warnings = { warning } end
      return input
    end
  end,
}
