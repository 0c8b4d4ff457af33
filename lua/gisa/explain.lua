-- gisa.explain: `gisa extract --explain FILE`: each input line with its number,
-- the role it got and the rule that gave it. (Filled in with the rule pipeline.)

local gisa = require "gisa"
local status = require "gisa.status"

local M = {}

function M.run(paths, opts)
  for a in gisa.articles(paths, opts) do
    io.stdout:write("# ", a.file, "\n")
    if a.title then io.stdout:write(string.format("%5s  %-10s %-18s %s\n", "?", "title", "minimal", a.title)) end
    for _, p in ipairs(a.body) do
      io.stdout:write(string.format("%5s  %-10s %-18s %s\n", "?", "para", "minimal", p))
    end
  end
  return status.exit_code()
end

return M
