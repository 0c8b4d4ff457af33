-- csv: a crawler dump as comma-separated values (RFC 4180: quoted fields may
-- hold commas, newlines and "" for a quote), one article a row. The header
-- row names the columns (title/제목, body/본문, date/작성일, press/언론사, url …;
-- docs/inputs.md has the list), or --map gives them by position. UTF-8 with
-- or without a BOM, or CP949, UTF-16 … as gisa.enc finds.

return {
  name = "csv",
  exts = { "csv" },
  -- a first line of two or more columns, one of them a name the mapping knows
  sniff = function(head) return require("gisa.pipeline.dump").sniff_header(head, ",") end,
  read = function(src, opts) return require("gisa.pipeline.dump").read_table(src, opts, ",") end,
}
