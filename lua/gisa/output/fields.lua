-- gisa.fields: choosing fields of article records, as `--fields` does for every
-- format. A field is a record key ("title") or a dotted path into it: into a
-- list of objects it maps over the items ("authors.name" -> every author's
-- name), a number picks one item ("body.1" -> the first paragraph).
-- Also the plain-text form of any value, as csv, tsv and gisa.table show it.

local record = require "gisa.engine.record"

local M = {}

local concat, type, tostring, mtype = table.concat, type, tostring, math.type

--- The keys inside each list-of-objects field, in the order they are shown.
M.sub = {
  authors = { "name", "role", "email" },
  blocks = { "type", "text", "line" },
  qa = { "q", "a" },
  quotes = { "text", "speaker", "title", "org", "line", "verb" },
  captions = { "text", "credit" },
  removed = { "line", "text", "reason" },
}

--- Every name `--fields` accepts, in record order: the record's fields, then
--- their dotted sub-fields.
---@return string[]
function M.names()
  local out = {}
  for _, f in ipairs(record.fields) do
    out[#out + 1] = f
    for _, s in ipairs(M.sub[f] or {}) do out[#out + 1] = f .. "." .. s end
  end
  return out
end

local function valid(path)
  local top = path[1]
  local known = false
  for _, f in ipairs(record.fields) do if f == top then known = true end end
  for _, f in ipairs(record.source_keys) do if f == top then known = true end end
  if not known then return false end
  local i = 2
  if path[i] and path[i]:match("^%d+$") then i = i + 1 end    -- body.1, authors.2.name
  if path[i] == nil then return true end
  local sub = M.sub[top]
  if not sub or path[i + 1] then return false end
  for _, s in ipairs(sub) do if s == path[i] then return true end end
  return false
end

--- Parse "title,authors.name" (or a list of names) into a field list
--- {{name=, path={…}}, …}. Returns nil, message (naming the valid fields) when
--- a name is unknown.
---@param spec string|string[]
---@return table[]|nil fields, string? err
function M.parse(spec)
  local list = spec
  if type(spec) == "string" then
    list = {}
    for name in spec:gmatch("[^,]+") do
      name = name:match("^%s*(.-)%s*$")
      if name ~= "" then list[#list + 1] = name end
    end
  end
  if #list == 0 then return nil, "no fields given (valid fields: " .. concat(M.names(), ", ") .. ")" end
  local out, bad = {}, {}
  for _, name in ipairs(list) do
    local path = {}
    for part in name:gmatch("[^.]+") do path[#path + 1] = part end
    if valid(path) then
      for i, p in ipairs(path) do
        if p:match("^%d+$") then path[i] = tonumber(p) end
      end
      out[#out + 1] = { name = name, path = path }
    else
      bad[#bad + 1] = "'" .. name .. "'"
    end
  end
  if #bad > 0 then
    return nil, string.format("unknown field%s %s (valid fields: %s)", #bad > 1 and "s" or "",
      concat(bad, ", "), concat(M.names(), ", "))
  end
  return out
end

local function get(v, path, i)
  local k = path[i]
  if k == nil or v == nil then return v end
  if type(v) ~= "table" then return nil end
  if type(k) == "number" then return get(v[k], path, i + 1) end
  if v[1] ~= nil or next(v) == nil then    -- a list: map over its items
    -- one item per item, "" where a part is missing, so that parts line up
    -- (authors.email beside authors.name)
    local out = {}
    for j = 1, #v do
      local x = get(v[j], path, i)
      if x == nil then x = "" end
      out[j] = x
    end
    return out
  end
  return get(v[k], path, i + 1)
end

--- The value at a field (a name such as "authors.name", or a parsed field).
---@param rec table
---@param field string|table
function M.get(rec, field)
  if type(field) == "string" then
    local path = {}
    for part in field:gmatch("[^.]+") do path[#path + 1] = tonumber(part) or part end
    field = { path = path }
  end
  return get(rec, field.path, 1)
end

--- A new record with only the chosen fields, keyed by their names
--- ("authors.name" = {…}); the second result is the key order.
---@param rec table
---@param fields table[] from M.parse
---@return table rec, string[] order
function M.select(rec, fields)
  local out, order = {}, {}
  for i, f in ipairs(fields) do
    out[f.name] = get(rec, f.path, 1)
    order[i] = f.name
  end
  return out, order
end

------------------------------------------------------------------------------
-- Values as text (csv, tsv and gisa.table cells)
------------------------------------------------------------------------------

local function scalar(v)
  if mtype(v) == "float" and v == math.floor(v) and v > -2^53 and v < 2^53 then
    return string.format("%d", v)
  end
  return tostring(v)
end

--- One object of a list as one line of text: an author as "name role <email>",
--- a caption as "text (credit)", a Q&A pair as "Q. … A. …", a quote as
--- "“text” — speaker", a block or a removed line by its text; anything else as its values in key order.
function M.item_text(x)
  if type(x) ~= "table" then return x == nil and "" or scalar(x) end
  if x.name ~= nil then
    local s = tostring(x.name)
    if x.role then s = s .. " " .. x.role end
    if x.email then s = s .. " <" .. x.email .. ">" end
    return s
  end
  if x.q ~= nil or x.a ~= nil then return "Q. " .. (x.q or "") .. " A. " .. (x.a or "") end
  if x.text ~= nil then
    if x.speaker then return "“" .. x.text .. "” — " .. x.speaker end
    if x.credit and not tostring(x.text):find(x.credit, 1, true) then
      return x.text .. " (" .. x.credit .. ")"
    end
    return tostring(x.text)
  end
  local keys = {}
  for k in pairs(x) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = M.item_text(x[k]) end
  return concat(parts, " ")
end

--- Separator between the items of a list in one cell.
M.sep = "; "

--- A value as the text of one cell: nil is "", a list is its items joined with
--- `sep` ("; " by default), an object is M.item_text.
---@param v any
---@param sep? string
---@return string
function M.cell(v, sep)
  local tv = type(v)
  if tv == "string" then return v end
  if v == nil then return "" end
  if tv ~= "table" then return scalar(v) end
  if v[1] == nil and next(v) ~= nil then return M.item_text(v) end
  local parts = {}
  for i = 1, #v do parts[i] = M.item_text(v[i]) end
  return concat(parts, sep or M.sep)
end

------------------------------------------------------------------------------
-- An article as a reader sees it (markdown, text and html build on this)
------------------------------------------------------------------------------

--- "2023-03-14T16:00:00+09:00" -> "2023-03-14 16:00" (seconds kept when not
--- :00, the offset kept when not Korea's +09:00). Other text is returned as is.
---@param iso string?
---@return string?
function M.date(iso)
  if type(iso) ~= "string" then return iso end
  local d, hm, sec, off = iso:match("^(%d%d%d%d%-%d%d%-%d%d)T(%d%d:%d%d)(:?%d*)(.*)$")
  if not d then return iso end
  local s = d .. " " .. hm
  if sec ~= "" and sec ~= ":00" then s = s .. sec end
  if off ~= "" and off ~= "+09:00" then s = s .. " " .. (off == "Z" and "UTC" or off) end
  return s
end

--- The byline: "김인엽 기자 <kim@x.com>, 김미희 기자".
function M.byline(authors)
  if type(authors) ~= "table" then return M.cell(authors) end
  local parts = {}
  for i, a in ipairs(authors) do parts[i] = M.item_text(a) end
  return concat(parts, ", ")
end

-- Parts of a document: {kind=, text=, label=}. Kinds: title, subtitle, meta,
-- heading, para, question, answer, caption, note, quote, copyright, field.
local block_kind = {
  para = "para", heading = "heading", question = "question", answer = "answer",
  caption = "caption", note = "note", quote = "quote",
}

local function meta_parts(rec, key, out)
  local v = rec[key]
  if v == nil or (type(v) == "table" and next(v) == nil) then return end
  local text
  if key == "authors" then text = M.byline(v)
  elseif key == "published" then text = "입력 " .. M.date(v)
  elseif key == "modified" then text = "수정 " .. M.date(v)
  elseif key == "emails" then text = M.cell(v, ", ")
  else text = M.cell(v) end
  local last = out[#out]    -- meta fields next to each other share one line
  if last and last.kind == "meta" then
    last.text = last.text .. " · " .. text
  else
    out[#out + 1] = { kind = "meta", text = text }
  end
end

local function add(out, kind, text, label)
  if text == nil or text == "" then return end
  out[#out + 1] = { kind = kind, text = text, label = label }
end

local renderers = {
  title = function(rec, out) add(out, "title", rec.title) end,
  subtitles = function(rec, out)
    for _, s in ipairs(rec.subtitles or {}) do add(out, "subtitle", s) end
  end,
  blocks = function(rec, out)
    for _, b in ipairs(rec.blocks or {}) do
      local kind = block_kind[b.type] or "para"
      local text = b.text
      if kind == "caption" and b.credit and text and not text:find(b.credit, 1, true) then
        text = text .. " (" .. b.credit .. ")"
      end
      add(out, kind, text)
    end
  end,
  body = function(rec, out)
    for _, p in ipairs(rec.body or {}) do add(out, "para", p) end
  end,
  qa = function(rec, out)
    for _, p in ipairs(rec.qa or {}) do add(out, "question", p.q); add(out, "answer", p.a) end
  end,
  captions = function(rec, out)
    for _, c in ipairs(rec.captions or {}) do add(out, "caption", M.item_text(c)) end
  end,
  copyright = function(rec, out) add(out, "copyright", rec.copyright) end,
}
for _, k in ipairs({ "series", "section", "authors", "publisher", "published", "modified", "emails" }) do
  renderers[k] = function(rec, out) meta_parts(rec, k, out) end
end

--- The order of a whole article: title, subtitles, a meta line (byline ·
--- publisher · dates), the blocks in reading order (the body when there are
--- none), the copyright line.
M.document_order = { "title", "subtitles", "section", "series", "authors", "publisher", "published", "modified",
  "blocks", "copyright" }

--- An article as a list of parts {kind=, text=, label=, more=} in reading order;
--- `more` marks an answer part that goes on from the answer before it.
--- `order` lists the fields to show (--fields); by default the whole article.
--- Fields with no place in an article ("file", "authors.name" …) become parts
--- of kind "field" with the field name as label.
---@param rec table
---@param order? string[]
---@return {kind:string, text:string, label?:string, more?:boolean}[]
function M.document(rec, order)
  local out = {}
  if not order then
    order = M.document_order
    if not rec.blocks or #rec.blocks == 0 then
      order = { table.unpack(order) }
      order[#order - 1] = "body"
    end
  end
  for _, k in ipairs(order) do
    local r = renderers[k]
    if r then r(rec, out) else add(out, "field", M.cell(rec[k]), k) end
  end
  -- an answer printed over several lines is one answer: mark the later lines
  for i = 2, #out do
    if out[i].kind == "answer" and out[i - 1].kind == "answer" then out[i].more = true end
  end
  return out
end

return M
