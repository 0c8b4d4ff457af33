-- gisa.extract: raw article text -> article record.
-- For now the minimal record: title = first non-blank line, body = the other
-- non-blank lines. The rule pipeline replaces this (see the extraction issue).

local record = require "gisa.record"

local M = {}

---@param text string UTF-8 text, LF line ends
---@param info {file:string, encoding:string}
---@return gisa.Article
function M.extract(text, info)
  local r = record.new(info.file, info.encoding)
  for line in text:gmatch("[^\n]+") do
    local t = line:match("^%s*(.-)%s*$")
    if t ~= "" then
      if not r.title then
        r.title = t
      else
        r.body[#r.body + 1] = t
        r.blocks[#r.blocks + 1] = { type = "para", text = t }
      end
    end
  end
  return r
end

return M
