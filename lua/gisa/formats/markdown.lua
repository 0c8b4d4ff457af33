-- markdown: each article as a reader wants it: "# title", the subtitles as a
-- quote, the byline and dates, the paragraphs, Q&A with the questions in bold,
-- captions as italic figure text. Articles are separated by a rule (---).
-- --fields picks and orders the parts (fields.document).
local fields = require "gisa.output.fields"

local gsub, concat = string.gsub, table.concat

-- Characters that mean something inside a line, and line starts that would
-- turn a paragraph into a heading, a list, a quote or a rule.
local function esc(s)
  s = gsub(s, "[\\`*_%[%]<>|]", "\\%0")
  s = gsub(s, "^([#>+=-])", "\\%1")
  s = gsub(s, "^(%d+)([.)])", "%1\\%2")
  return s
end

local render = {
  title = function(t) return "# " .. esc(t) end,
  subtitle = function(t) return "> " .. esc(t) end,
  meta = function(t) return esc(t) end,
  heading = function(t) return "## " .. esc(t) end,
  para = esc,
  question = function(t) return "**Q. " .. esc(t) .. "**" end,
  answer = function(t, _, more) return (more and "" or "A. ") .. esc(t) end,
  caption = function(t) return "*" .. esc(t) .. "*" end,
  note = function(t) return "> " .. esc(t) end,
  quote = function(t) return "> " .. esc(t) end,
  copyright = function(t) return "<small>" .. esc(t) .. "</small>" end,
  field = function(t, label) return "**" .. esc(label) .. ":** " .. esc(t) end,
}

local F = {}

--- One article as Markdown text (no trailing newline).
function F.article(rec, order)
  local out, prev = {}, nil
  for _, p in ipairs(fields.document(rec, order)) do
    local line = render[p.kind](p.text, p.label, p.more)
    -- consecutive subtitle lines stay one quote block
    if prev == "subtitle" and p.kind == "subtitle" then
      out[#out] = out[#out] .. "  \n" .. line
    else
      out[#out + 1] = line
    end
    prev = p.kind
  end
  return concat(out, "\n\n")
end

function F.write(out, rec, n, opts)
  if n > 1 then out:write("\n---\n\n") end
  out:write(F.article(rec, opts.fields), "\n")
end

-- write in two parts (docs/formats.md): under -j the workers make the record's
-- text and the parent writes what goes before it
function F.before(out, n)
  if n > 1 then out:write("\n---\n\n") end
end

function F.record(out, rec, opts)
  out:write(F.article(rec, opts.fields), "\n")
end

return F
