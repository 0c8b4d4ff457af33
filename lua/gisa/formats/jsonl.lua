-- jsonl: JSON Lines, one record a line, UTF-8 as is (only control characters,
-- quotes and backslashes escaped), keys in record order (or --fields order).
local json = require "gisa.json"
local record = require "gisa.record"

local encode = json.encode

local F = {}

function F.write(out, rec, _, opts)
  out:write(encode(rec, opts.fields or record.fields), "\n")
end

return F
