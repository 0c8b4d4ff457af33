-- jsonl: JSON Lines, one record a line, UTF-8 as is (only control characters,
-- quotes and backslashes escaped), keys in record order (or --fields order).
local json = require "gisa.output.json"
local record = require "gisa.engine.record"

local write, all = json.write, record.fields
local source = record.source_order   -- a record from a dump or a file of many

local F = {}

-- a record's line depends on the record and options only: -j workers may write it
F.record_only = true

-- json.write: the line goes to out:write in one piece (to the FILE itself when
-- out is an io file), the newline with it.
function F.write(out, rec, _, opts)
  write(out, rec, opts.fields or (rec.source_fields and source or all), "\n")
end

return F
