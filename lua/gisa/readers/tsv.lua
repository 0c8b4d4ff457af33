-- tsv: a crawler dump as tab-separated values, one article a row, a header
-- row naming the columns as for csv (or --map by position). Fields hold no
-- tabs or newlines and no quoting (as IANA's text/tab-separated-values).

return {
  name = "tsv",
  exts = { "tsv", "tab" },
  sniff = function(head) return require("gisa.pipeline.dump").sniff_header(head, "\t") end,
  read = function(src, opts) return require("gisa.pipeline.dump").read_table(src, opts, "\t") end,
}
