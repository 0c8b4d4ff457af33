-- gisa.record: the article record of docs/record.md, its fields in output order,
-- and a constructor that gives every list field an empty list.

local M = {}

--- Fields in the order they are written out.
M.fields = {
  "file", "encoding", "site", "publisher", "title", "subtitles", "series", "section",
  "authors", "emails", "published", "modified", "blocks", "body", "qa", "quotes",
  "captions", "copyright", "removed",
}

--- Keys of records read from a file of many articles or from a dump
--- (docs/inputs.md): written only when a record has them (source_fields is
--- then always there, empty when the source stated nothing).
M.source_keys = { "record_no", "line", "url", "source_fields" }

--- The output order of such a record: record_no and line after file, url
--- after modified, source_fields last.
M.source_order = {}
for _, f in ipairs(M.fields) do
  M.source_order[#M.source_order + 1] = f
  if f == "file" then
    M.source_order[#M.source_order + 1] = "record_no"
    M.source_order[#M.source_order + 1] = "line"
  elseif f == "modified" then
    M.source_order[#M.source_order + 1] = "url"
  end
end
M.source_order[#M.source_order + 1] = "source_fields"

--- The key order for writing `rec`.
function M.order(rec)
  if rec.source_fields ~= nil then return M.source_order end
  return M.fields
end

--- Fields that are lists (never nil: empty when there is nothing).
M.lists = {
  subtitles = true, authors = true, emails = true, blocks = true, body = true,
  qa = true, quotes = true, captions = true, removed = true,
}

-- The fields are annotated in gisa.d.lua (---@class gisa.Article).
---@return gisa.Article
-- (every field of M.lists, spelled out: one table constructor per article)
function M.new(file, encoding)
  return { file = file, encoding = encoding, subtitles = {}, authors = {}, emails = {}, blocks = {},
    body = {}, qa = {}, quotes = {}, captions = {}, removed = {} }
end

return M
