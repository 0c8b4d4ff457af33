-- jsonl: one JSON object a line, UTF-8 unescaped, fields in record order.
local json = require "gisa.json"
local record = require "gisa.record"

local F = {}

function F.record(out, rec, n, opts)
  out:write(json.encode(rec, opts.fields or record.fields), "\n")
end

return F
