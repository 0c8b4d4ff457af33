-- html: one standalone page per run: a table of contents, then each article as
-- a <section> (title, subtitles, byline and dates, paragraphs, Q&A, captions as
-- <figure> text). Inline CSS, no scripts, no external resources; every text
-- escaped. --fields picks and orders the parts of each article.
-- The page's head and table of contents come first but are known only at the
-- end, so the sections and the contents go to two temporary files (unlinked:
-- nothing is left behind) and are copied out after the head: memory stays
-- flat however many articles there are.
local fields = require "gisa.output.fields"

local gsub, concat = string.gsub, table.concat

local entities = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
local function esc(s)
  return (gsub(tostring(s), "[&<>\"']", entities))
end

local CSS = [[
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; background: #fdfdfb; color: #1d1d1f;
  font: 17px/1.75 "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", NanumGothic, sans-serif;
  word-break: keep-all; overflow-wrap: anywhere; }
h1.page { font-size: 1.1rem; color: #666; font-weight: 600; margin: 0 0 1rem; }
nav.toc { border: 1px solid #ddd; border-radius: 6px; padding: .75rem 1.25rem; background: #f4f4f0; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .25rem; }
nav.toc ol { margin: 0; padding-left: 1.5rem; }
nav.toc .meta { color: #777; font-size: .85em; }
section.article { border-top: 3px solid #1d1d1f; margin-top: 3rem; padding-top: 1rem; }
section.article h2 { font-size: 1.7rem; line-height: 1.35; margin: .25rem 0 .75rem; }
section.article h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
.subtitle { margin: .1rem 0; padding-left: .75rem; border-left: 4px solid #c33; color: #333; font-weight: 600; }
.meta { color: #666; font-size: .9rem; }
p.question { font-weight: 700; margin-top: 1.5rem; }
p.question::before { content: "Q. "; color: #c33; }
p.answer:not(.more)::before { content: "A. "; color: #c33; font-weight: 700; }
figure { margin: 1.25rem 0; padding: .5rem .75rem; background: #f0f0ec; border-radius: 4px; }
figcaption { font-size: .9rem; color: #444; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid #bbb; color: #444; }
.field b { color: #555; }
footer.copyright { margin-top: 1.5rem; color: #777; font-size: .8rem; }
a { color: #1a4fb4; }
]]

local render = {
  title = function(t) return "<h2>" .. t .. "</h2>" end,
  subtitle = function(t) return '<p class="subtitle">' .. t .. "</p>" end,
  meta = function(t) return '<p class="meta">' .. t .. "</p>" end,
  heading = function(t) return "<h3>" .. t .. "</h3>" end,
  para = function(t) return "<p>" .. t .. "</p>" end,
  question = function(t) return '<p class="question">' .. t .. "</p>" end,
  answer = function(t, _, more) return '<p class="answer' .. (more and " more" or "") .. '">' .. t .. "</p>" end,
  caption = function(t) return "<figure><figcaption>" .. t .. "</figcaption></figure>" end,
  note = function(t) return '<blockquote class="note">' .. t .. "</blockquote>" end,
  quote = function(t) return "<blockquote>" .. t .. "</blockquote>" end,
  copyright = function(t) return '<footer class="copyright">' .. t .. "</footer>" end,
  field = function(t, label) return '<p class="field"><b>' .. label .. ":</b> " .. t .. "</p>" end,
}

local F = {}

F.css = CSS

-- An unlinked temporary file, or an in-memory list when none can be made.
local function spill()
  local fh = io.tmpfile()
  if fh then return fh end
  local parts = {}
  return { parts = parts, write = function(self, ...)
    for i = 1, select("#", ...) do parts[#parts + 1] = (select(i, ...)) end
    return self
  end }
end

-- Copy a spill to OUT in blocks; returns whether anything was written.
local function copy(from, out)
  if from.parts then
    out:write(concat(from.parts))
    return #from.parts > 0
  end
  from:seek("set")
  local any = false
  while true do
    local block = from:read(1 << 16)
    if not block then break end
    out:write(block)
    any = true
  end
  from:close()
  return any
end

function F.open(_, opts)
  opts.toc, opts.sections = spill(), spill()
end

-- write in two parts (docs/formats.md): prepare makes what does not depend on
-- the record's place n (its section after the opening tag, its entry in the
-- table of contents, its title), in a -j worker; write_prepared numbers it.
function F.prepare(rec, opts)
  local parts = {}
  local title
  for _, p in ipairs(fields.document(rec, opts.fields)) do
    if p.kind == "title" then title = p.text end
    parts[#parts + 1] = render[p.kind](esc(p.text), p.label and esc(p.label), p.more)
  end
  parts[#parts + 1] = "</section>"
  local meta = {}
  if rec.publisher then meta[#meta + 1] = rec.publisher end
  if rec.published then meta[#meta + 1] = fields.date(rec.published) end
  local label = title or rec.title or rec.file
  return { concat(parts, "\n"), label ~= nil and esc(label) or false,
    #meta > 0 and (' <span class="meta">' .. esc(concat(meta, " · ")) .. "</span>") or "",
    title or rec.title or false }
end

function F.write_prepared(_, v, n, opts)
  local id = "a" .. n
  opts.sections:write(n > 1 and "\n" or "", '<section class="article" id="' .. id .. '">\n' .. v[1])
  opts.toc:write(n > 1 and "\n" or "", string.format('<li><a href="#%s">%s</a>%s</li>', id,
    v[2] or esc("기사 " .. n), v[3]))
  opts.first_title = opts.first_title or v[4] or nil
end

function F.write(out, rec, n, opts)
  F.write_prepared(out, F.prepare(rec, opts), n, opts)
end

function F.close(out, n, opts)
  local page = opts.title or (n == 1 and opts.first_title) or ("기사 " .. n .. "건")
  out:write('<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    '<meta name="generator" content="gisa">\n',
    "<title>", esc(page), "</title>\n<style>\n", CSS, "</style>\n</head>\n<body>\n",
    '<h1 class="page">', esc(page), "</h1>\n")
  if n > 1 then
    out:write('<nav class="toc">\n<h2>차례</h2>\n<ol>\n')
    copy(opts.toc, out)
    out:write("\n</ol>\n</nav>\n")
  elseif opts.toc.close then
    opts.toc:close()
  end
  out:write("<main>\n")
  copy(opts.sections, out)
  out:write("\n</main>\n</body>\n</html>\n")
end

return F
