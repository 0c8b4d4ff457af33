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

-- An empty table with room for N items: the lists an article fills a line at a
-- time (a few dozen blocks and paragraphs) are then not grown and rehashed at
-- 1, 2, 4 … items. gisa.lines is a C module: without it (a bare Lua), {}.
local ok, glines = pcall(require, "gisa.lines")
local list = ok and glines.table or function() return {} end

-- The fields are annotated in gisa.d.lua (---@class gisa.Article).
---@return gisa.Article
-- (every field of M.lists, spelled out: one table constructor per article; the
-- nil fields give it room for the ones the rules set, so it is not grown either)
function M.new(file, encoding)
  return { file = file, encoding = encoding, subtitles = {}, authors = {}, emails = {}, blocks = list(32),
    body = list(32), qa = {}, quotes = {}, captions = {}, removed = list(16),
    title = nil, site = nil, publisher = nil, section = nil, published = nil, modified = nil,
    copyright = nil, series = nil }
end

return M
