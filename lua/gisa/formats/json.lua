-- json: one JSON array of the records, pretty-printed with two-space indents,
-- keys in record order (or --fields order). An empty run writes [].
local json = require "gisa.output.json"
local record = require "gisa.engine.record"

local write_pretty, all = json.write_pretty, record.fields
local source = record.source_order   -- a record from a dump or a file of many

local F = {}

function F.open(out)
  out:write("[")
end

function F.write(out, rec, n, opts)
  write_pretty(out, rec, opts.fields or (rec.source_fields and source or all), "  ", "  ", n > 1 and ",\n  " or "\n  ")
end

-- write in two parts (docs/formats.md): under -j the workers make the record's
-- text and the parent writes what goes before it
function F.before(out, n)
  out:write(n > 1 and ",\n  " or "\n  ")
end

function F.record(out, rec, opts)
  write_pretty(out, rec, opts.fields or (rec.source_fields and source or all), "  ", "  ")
end

function F.close(out, n)
  out:write(n > 0 and "\n]\n" or "]\n")
end

return F
