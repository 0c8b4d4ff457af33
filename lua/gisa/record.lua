-- gisa.record: the article record of docs/record.md, its fields in output order,
-- and a constructor that gives every list field an empty list.

local M = {}

--- Fields in the order they are written out.
M.fields = {
  "file", "encoding", "site", "publisher", "title", "subtitles", "series", "section",
  "authors", "emails", "published", "modified", "blocks", "body", "qa", "quotes",
  "captions", "copyright", "removed",
}

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
