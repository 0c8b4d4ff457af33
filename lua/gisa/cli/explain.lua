-- gisa.explain: `gisa extract --explain FILE`: every input line with its number,
-- the role it got and the rule that gave it (a line cut in two, such as a
-- dateline tag before a paragraph, shows one row per part; a piece of a
-- collapsed body cut by paragraph recovery shows "<paragraph-recovery>"; a
-- web page's blocks also show their DOM path, `div#article_body > p[3]`).

local extract = require "gisa.engine"
local status = require "gisa.cli.status"

local M = {}

local format = string.format

--- Write the explanation of one article's text to OUT.
function M.write(out, text, info)
  local rec, trace = extract.extract(text, { file = info.file, encoding = info.encoding, trace = true,
    hints = info.hints, where = info.where, site = info.site, no_title = info.no_title })
  -- a web page (readers/html.lua): each block with its DOM path
  local paths = info.dom_paths or info.paths
  local where = info.where
  local file = where and where.line and (info.file .. ":" .. where.line) or info.file
  out:write(format("# %s  site=%s%s  encoding=%s\n", file, rec.site or "-",
    rec.publisher and (" (" .. rec.publisher .. ")") or "", info.encoding or "utf-8"))
  for _, t in ipairs(trace) do
    if t.role == "blank" then
      out:write(format("%5d  blank      -\n", t.n))
    elseif paths then
      out:write(format("%5d  %-10s %-22s %-40s %s\n", t.n, t.role, t.rule, t.path or paths[t.n] or "-", t.text))
    else
      -- a piece of a line that a pass cut before the rules (gisa.paragraphs) names it
      local rule = t.cut and (t.rule .. " <" .. t.cut .. ">") or t.rule
      out:write(format("%5d  %-10s %-22s %s\n", t.n, t.role, rule, t.text))
    end
  end
  return rec
end

--- Explain every article of PATHS on stdout (read as gisa.articles reads
--- them: a dump's articles one by one); returns the exit status.
function M.run(paths, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.extract = function(text, info) return M.write(io.stdout, text, info) end
  -- the explanation is written while each article is extracted, so it is made
  -- in this process: workers under -j would write to stdout side by side
  o.jobs = 1
  for _ in require("gisa").articles(paths, o) do end
  return status.exit_code()
end

return M
