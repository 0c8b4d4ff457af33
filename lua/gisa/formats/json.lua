-- json: one JSON array of the records, pretty-printed with two-space indents,
-- keys in record order (or --fields order). An empty run writes [].
local json = require "gisa.json"
local record = require "gisa.record"

local F = {}

function F.open(out)
  out:write("[")
end

function F.write(out, rec, n, opts)
  out:write(n > 1 and ",\n  " or "\n  ", json.pretty(rec, opts.fields or record.fields, "  "))
end

function F.close(out, n)
  out:write(n > 0 and "\n]\n" or "]\n")
end

return F
