-- gisa: the library every gisa script sees as the global `gisa`.
-- Submodules load on first use: gisa.text, gisa.enc, gisa.json, gisa.corpus …

local status = require "gisa.status"

local gisa = {
  version = "0.0.0",
  --- Options that apply to reading articles, set from the command line.
  options = { encoding = "auto", repair = false, quiet = false },
  status = status,
}

local lazy = {
  text = "gisa.text", hangul = "gisa.hangul", enc = "gisa.enc", sys = "gisa.sys", hash = "gisa.hash", count = "gisa.count",
  json = "gisa.json", cli = "gisa.cli", corpus = "gisa.corpus", record = "gisa.record",
}

setmetatable(gisa, {
  __index = function(t, k)
    local m = lazy[k]
    if m then
      local v = require(m)
      rawset(t, k, v)
      return v
    end
  end,
})

local function merged(opts)
  if not opts then return gisa.options end
  return setmetatable(opts, { __index = gisa.options })
end

--- Iterate over the articles of any mix of files, directories and "-":
--- `for a in gisa.articles(arg) do … end`. Bad files are reported and skipped.
---@param paths string[]|string
---@param opts? table
---@return fun(): gisa.Article?
function gisa.articles(paths, opts)
  if type(paths) == "string" then paths = { paths } end
  local list = {}
  for i = 1, #paths do list[i] = paths[i] end   -- arg has arg[0], arg[-1]…: only 1..n
  return gisa.corpus.articles(list, merged(opts))
end

--- Call fn(article) for each article; the per-article half of a script.
---@param paths string[]|string
---@param fn fun(a: gisa.Article)
function gisa.each(paths, fn, opts)
  for a in gisa.articles(paths, opts) do fn(a) end
end

--- Read one file: its UTF-8 text and {encoding=, warnings=}, or nil, message.
function gisa.read(path, opts)
  return gisa.corpus.read(path, merged(opts))
end

--- Turn UTF-8 text into an article record.
---@return gisa.Article
function gisa.extract(text, file, encoding)
  return require("gisa.extract").extract(text, { file = file or "-", encoding = encoding or "utf-8" })
end

return gisa
