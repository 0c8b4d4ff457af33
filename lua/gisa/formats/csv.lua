-- csv: a header row of field names, then one row per record. Quoting as in
-- RFC 4180 (a value holding the delimiter, a quote, CR or LF is quoted, quotes
-- doubled); rows end with LF. A list is one cell, its items joined with "; "
-- (authors as "name role <email>"); --fields authors.name and the like pick
-- one part, one item per list item ("" where it is missing, so parts line
-- up). tsv.lua is this with a tab delimiter and, instead of quoting, tab,
-- newline, CR and backslash escaped as \t \n \r \\: one record a line.
local fields = require "gisa.output.fields"
local record = require "gisa.engine.record"

local cell, concat, gsub, find = fields.cell, table.concat, string.gsub, string.find

--- The columns when no --fields is given: every record field but blocks and
--- removed (their text is in body, qa and captions, or is not the article).
local defaults = {}
for _, f in ipairs(record.fields) do
  if f ~= "blocks" and f ~= "removed" then defaults[#defaults + 1] = f end
end

local function new(delim)
  local F = { delimiter = delim, columns = defaults, record_only = true }
  local special = "[" .. (delim == "\t" and "\t" or delim) .. "\"\r\n]"

  local function quote(s)
    if find(s, special) then return '"' .. gsub(s, '"', '""') .. '"' end
    return s
  end
  if delim == "\t" then
    -- tsv: one record a line, always: tab, newline, CR and backslash escaped
    -- as \t \n \r \\ (as the analyses' tsv), never quoted
    local escapes = { ["\t"] = "\\t", ["\n"] = "\\n", ["\r"] = "\\r", ["\\"] = "\\\\" }
    quote = function(s)
      if find(s, "[\t\n\r\\]") then return (gsub(s, "[\t\n\r\\]", escapes)) end
      return s
    end
  end

  local function row(out, values)
    for i = 1, #values do values[i] = quote(values[i]) end
    out:write(concat(values, delim), "\n")
  end

  function F.open(out, opts)
    opts.columns = opts.fields or F.columns
    local head = {}
    for i, c in ipairs(opts.columns) do head[i] = c end
    row(out, head)
  end

  function F.write(out, rec, _, opts)
    local cols, sep, values = opts.columns, opts.sep, {}
    for i = 1, #cols do values[i] = cell(rec[cols[i]], sep) end
    row(out, values)
  end

  F.new = new
  return F
end

return new(",")
