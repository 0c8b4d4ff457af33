-- tsv: a crawler dump as tab-separated values, one article a row, a header
-- row naming the columns as for csv (or --map by position). Fields hold no
-- tabs or newlines and no quoting (as IANA's text/tab-separated-values).
local dump = require "gisa.pipeline.dump"

return {
  name = "tsv",
  exts = { "tsv", "tab" },
  sniff = function(head) return dump.sniff_header(head, "\t") end,
  read = function(src, opts) return dump.read_table(src, opts, "\t") end,
}
