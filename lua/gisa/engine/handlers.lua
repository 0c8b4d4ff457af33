-- gisa.engine.handlers: the record half of the engine. A line that a rule gave
-- a role goes where the role says (schema.roles): into a field, a block, or
-- `removed`. H[role](rec, line, caps, ctx, rule) is called by the run (and by
-- the generated dispatch, which calls the same functions).

local lpeg = require "lpeg"
local L = require "gisa.rules.lib"
local dates = require "gisa.rules.dates"

local find, sub, match = string.find, string.sub, lpeg.match

local M = {}

--- Block types whose text makes up `body`.
M.body_types = { para = true, heading = true, question = true, answer = true, quote = true }

local H = {}
M.H = H

--- Note a line's role in the trace (--explain).
function M.traced(ctx, rule, line)
  ctx.trace[#ctx.trace + 1] = { n = line.n, role = rule.role, rule = rule.id, text = line.part and line.text or line.raw,
    cut = line.cut }
end

local function add_email(rec, ctx, e)
  if ctx.email_set[e] then return end
  ctx.email_set[e] = true
  rec.emails[#rec.emails + 1] = e
end

local email_scan = L.emails
local function scan_emails(rec, ctx, s)
  if not find(s, "@", 1, true) then return end
  local list = match(email_scan, s)
  for i = 1, #list do add_email(rec, ctx, list[i]) end
end

local function add_author(rec, a)
  local authors = rec.authors
  for i = 1, #authors do
    local b = authors[i]
    if b.name == a.name then
      local br, ar = b.role, a.role
      -- "기자" under the headline, "선임기자" in the byline: the fuller title
      if br and ar and #ar > #br and sub(ar, -#br) == br then b.role = ar else b.role = br or ar end
      b.email = b.email or a.email
      return
    end
  end
  rec.authors[#rec.authors + 1] = { name = a.name, role = a.role, email = a.email }
end

local body_types = M.body_types
local function block(rec, ctx, t, text, line)
  local b = { type = t, text = text, line = line.n }
  local blocks = rec.blocks
  blocks[#blocks + 1] = b
  if body_types[t] then local body = rec.body; body[#body + 1] = text end
  -- an address? The line's needle mask says whether its own text holds an "@"
  -- ("@" is a needle of every rule set: ctx.at_bit), which spares a search
  local mask, at = line.mask, ctx.at_bit
  if mask and at and text == line.text then
    if mask & at ~= 0 then scan_emails(rec, ctx, text) end
  elseif find(text, "@", 1, true) then
    scan_emails(rec, ctx, text)
  end
  return b
end

--- Put a line into `removed` with a reason.
local function remove(rec, line, text, reason)
  rec.removed[#rec.removed + 1] = { line = line.n, text = text, reason = reason }
end
M.remove = remove

function H.title(rec, line, caps, ctx, rule)
  if rec.title then return H.subtitle(rec, line, caps, ctx, rule) end
  rec.title = caps.text or line.text
end

function H.subtitle(rec, line, caps, ctx, rule)
  local t = caps.text or line.text
  if ctx.subtitle_set[t] then return remove(rec, line, line.raw, rule.id .. ":repeated") end
  ctx.subtitle_set[t] = true
  rec.subtitles[#rec.subtitles + 1] = t
end

function H.series(rec, line, caps, ctx, rule)
  if not rec.series then rec.series = caps.series or line.text end
  if caps.rest and caps.rest ~= "" then
    H.subtitle(rec, line, { text = caps.rest }, ctx, rule)
  end
end

function H.section(rec, line, caps)
  if not rec.section then rec.section = caps.section or caps.text or line.text end
end

function H.publisher(rec, line, caps)
  if not rec.publisher then rec.publisher = caps.publisher or caps.text or line.text end
end

function H.byline(rec, line, caps, ctx)
  local res = caps.authors and caps or ctx.set.bylines:parse(caps.text or line.text, ctx.publisher)
  if not res then return end
  local authors, emails = res.authors, res.emails
  for i = 1, #authors do add_author(rec, authors[i]) end
  if emails then for i = 1, #emails do add_email(rec, ctx, emails[i]) end end
  if res.media and not rec.publisher then rec.publisher = res.media end
  if res.dates then dates.assign(rec, res.dates) end
end

function H.email(rec, line, caps, ctx)
  local t = caps.text or line.text
  scan_emails(rec, ctx, t)
  -- an address alone on its line, in an article with one reporter, is theirs
  local a = rec.authors[1]
  if caps.tie and #rec.authors == 1 and not a.email then
    local list = match(email_scan, t)
    if #list == 1 then a.email = list[1] end
  end
end

function H.date(rec, line, caps, ctx)
  local list = caps.dates or ctx.set.dates:scan(caps.text or line.text)
  dates.assign(rec, list)
  if caps.section and not rec.section then rec.section = caps.section end
end

function H.copyright(rec, line, caps, ctx, rule)
  if rec.copyright then return remove(rec, line, line.raw, rule.id .. ":again") end
  rec.copyright = caps.text or line.text
  if not rec.publisher and caps.publisher then rec.publisher = caps.publisher end
end

-- block(rec, ctx, "para", …) written out: most lines of an article are paragraphs
function H.para(rec, line, caps, ctx)
  local text = caps.text or line.text
  local blocks, body = rec.blocks, rec.body
  blocks[#blocks + 1] = { type = "para", text = text, line = line.n }
  body[#body + 1] = text
  local mask, at = line.mask, ctx.at_bit    -- as in block
  if mask and at and text == line.text then
    if mask & at ~= 0 then scan_emails(rec, ctx, text) end
  elseif find(text, "@", 1, true) then
    scan_emails(rec, ctx, text)
  end
end
function H.heading(rec, line, caps, ctx) block(rec, ctx, "heading", caps.text or line.text, line) end
function H.quote(rec, line, caps, ctx)
  block(rec, ctx, "quote", caps.text or line.text, line).speaker = caps.speaker
end

function H.speaker(rec, line, caps, ctx)
  local b = block(rec, ctx, "speaker", caps.text or line.text, line)
  b.name, b.about = caps.name, caps.about
  ctx.speaker = caps.name
end
function H.note(rec, line, caps, ctx) block(rec, ctx, "note", caps.text or line.text, line) end

function H.question(rec, line, caps, ctx)
  local t = caps.text or line.text
  rec.qa[#rec.qa + 1] = { q = t }
  local b = block(rec, ctx, "question", t, line)
  b.qa, b.marker = #rec.qa, caps.marker
end

function H.answer(rec, line, caps, ctx)
  local t = caps.text or line.text
  local qa = rec.qa[#rec.qa]
  if not qa or (qa.a and ctx.prev ~= "answer") then
    qa = {}; rec.qa[#rec.qa + 1] = qa
  end
  qa.a = qa.a and (qa.a .. "\n" .. t) or t
  local b = block(rec, ctx, "answer", t, line)
  b.qa, b.marker = #rec.qa, caps.marker
end

function H.caption(rec, line, caps, ctx)
  local t = caps.text or line.text
  local c = { text = t, credit = caps.credit }
  rec.captions[#rec.captions + 1] = c
  block(rec, ctx, "caption", t, line).credit = caps.credit
  ctx.last_caption = line.text
end

function H.removed(rec, line, caps, ctx, rule)
  -- remove(…), in line: a removed line is the commonest after a paragraph
  local removed = rec.removed
  removed[#removed + 1] = { line = line.n, text = caps.removed or (line.part and line.text or line.raw),
    reason = rule.reason or rule.id }
  -- a dateline tag names the outlet
  if caps.publisher and not rec.publisher then rec.publisher = caps.publisher end
end

return M
