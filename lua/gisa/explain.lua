-- gisa.explain: `gisa extract --explain FILE`: every input line with its number,
-- the role it got and the rule that gave it (a line cut in two, such as a
-- dateline tag before a paragraph, shows one row per part; a piece of a
-- collapsed body cut by paragraph recovery shows "<paragraph-recovery>").

local corpus = require "gisa.corpus"
local extract = require "gisa.extract"
local status = require "gisa.status"

local M = {}

local format = string.format

--- Write the explanation of one article's text to OUT.
function M.write(out, text, info)
  local rec, trace = extract.extract(text, { file = info.file, encoding = info.encoding, trace = true })
  out:write(format("# %s  site=%s%s  encoding=%s\n", info.file, rec.site or "-",
    rec.publisher and (" (" .. rec.publisher .. ")") or "", info.encoding or "utf-8"))
  for _, t in ipairs(trace) do
    if t.role == "blank" then
      out:write(format("%5d  blank      -\n", t.n))
    else
      -- a piece of a line that a pass cut before the rules (gisa.paragraphs) names it
      local rule = t.cut and (t.rule .. " <" .. t.cut .. ">") or t.rule
      out:write(format("%5d  %-10s %-22s %s\n", t.n, t.role, rule, t.text))
    end
  end
  return rec
end

--- Explain every article of PATHS on stdout; returns the exit status.
function M.run(paths, opts)
  opts = opts or {}
  for _, f in ipairs(corpus.expand(paths)) do
    local text, info = corpus.read(f.path, opts)
    if not text then
      status.fail(info)
    else
      for _, w in ipairs(info.warnings) do status.warn(f.path .. ": " .. w) end
      local ok, err = pcall(M.write, io.stdout, text, { file = f.path, encoding = info.encoding })
      if not ok then status.fail(f.path .. ": " .. tostring(err)) end
    end
  end
  return status.exit_code()
end

return M
