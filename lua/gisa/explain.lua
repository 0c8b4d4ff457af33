-- gisa.explain: `gisa extract --explain FILE`: every input line with its number,
-- the role it got and the rule that gave it (a line cut in two, such as a
-- dateline tag before a paragraph, shows one row per part).

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
      out:write(format("%5d  %-10s %-22s %s\n", t.n, t.role, t.rule, t.text))
    end
  end
  return rec
end

--- Write the explanation of one web page (readers/html.lua): every block with
--- its DOM path (`div#article_body > p[3]`), its role and the rule that gave it.
function M.write_page(out, input, file)
  local rec, trace = require("gisa.page").record(input, { file = file, trace = true })
  out:write(format("# %s  site=%s%s  encoding=%s%s\n", file, rec.site or "-",
    rec.publisher and (" (" .. rec.publisher .. ")") or "", input.encoding or "utf-8",
    rec.url and ("  url=" .. rec.url) or ""))
  local paths = input.paths or {}
  for _, t in ipairs(trace) do
    if t.role ~= "blank" then
      out:write(format("%5d  %-10s %-22s %-40s %s\n", t.n, t.role, t.rule, t.path or paths[t.n] or "-", t.text))
    end
  end
  return rec
end

-- A page (by its name, or by its first bytes): its input from the html reader, or nil.
local function page_input(path, opts)
  local reader = require "gisa.readers.html"
  local named = path:lower():match("%.x?html?$")
  local bytes
  if not named then
    if path ~= "-" then return nil end
    bytes = io.stdin:read("a") or ""
    if not reader.sniff(bytes, path) then return nil, bytes end
  end
  local src = { path = path, bytes = function()
    if bytes then return bytes end
    return require("gisa.sys").readfile(path)
  end }
  local input, err = reader.read(src, opts)()
  if not input then return false, err end
  return input
end

--- Explain every article of PATHS on stdout; returns the exit status.
function M.run(paths, opts)
  opts = opts or {}
  for _, f in ipairs(corpus.expand(paths)) do
    local input, stdin = page_input(f.path, opts)
    local text, info
    if input then
      for _, w in ipairs(input.warnings or {}) do status.warn(f.path .. ": " .. w) end
      local ok, err = pcall(M.write_page, io.stdout, input, f.path)
      if not ok then status.fail(f.path .. ": " .. tostring(err)) end
      goto next
    elseif input == false then
      status.fail(f.path .. ": " .. tostring(stdin))
      goto next
    elseif stdin then
      text, info = stdin, { encoding = "utf-8", warnings = {} }
    else
      text, info = corpus.read(f.path, opts)
    end
    if not text then
      status.fail(info)
    else
      for _, w in ipairs(info.warnings) do status.warn(f.path .. ": " .. w) end
      local ok, err = pcall(M.write, io.stdout, text, { file = f.path, encoding = info.encoding })
      if not ok then status.fail(f.path .. ": " .. tostring(err)) end
    end
    ::next::
  end
  return status.exit_code()
end

return M
