-- text: the clean article as plain text: the title, the subtitles, the byline
-- and dates, then the paragraphs (questions marked "Q.", answers "A."),
-- separated by blank lines; no markup. Articles are separated by a line of dashes.
-- --fields picks and orders the parts (fields.document).
local fields = require "gisa.output.fields"

local prefix = { question = "Q. ", answer = "A. ", caption = "[사진] " }

local F = {}

F.separator = string.rep("-", 72)

function F.article(rec, order)
  local out = {}
  for _, p in ipairs(fields.document(rec, order)) do
    local t = (not p.more and prefix[p.kind] or "") .. p.text
    if p.kind == "field" then t = p.label .. ": " .. p.text end
    out[#out + 1] = t
  end
  return table.concat(out, "\n\n")
end

function F.write(out, rec, n, opts)
  if n > 1 then out:write("\n", F.separator, "\n\n") end
  out:write(F.article(rec, opts.fields), "\n")
end

-- write in two parts (docs/formats.md): under -j the workers make the record's
-- text and the parent writes what goes before it
function F.before(out, n)
  if n > 1 then out:write("\n", F.separator, "\n\n") end
end

function F.record(out, rec, opts)
  out:write(F.article(rec, opts.fields), "\n")
end

return F
