-- txt: plain text, one article a file, in any encoding gisa.enc finds (UTF-8,
-- CP949, UTF-16 …). With --split, a file holds many articles: `ff` (a form
-- feed between them), `blank2` (two or more blank lines) or a Lua pattern that
-- a separator line matches (`--split '^=====+$'`); separators belong to no
-- article. Files of unknown extension named on the command line come here too.
local find, gsub = string.find, string.gsub

-- A function telling, for a line, whether it separates articles (and what of
-- the line is left for the next article when it is a form feed).
local function separator(split)
  if split == "ff" then
    return function(line) if find(line, "\f", 1, true) then return true, (gsub(line, "^.*\f", "")) end end
  elseif split == "blank2" then
    return nil   -- counted in read: two blank lines in a row
  end
  local ok, err = pcall(find, "", split)
  if not ok then
    error(setmetatable({ usage = true, msg = "--split: bad pattern '" .. split .. "': " .. tostring(err) }, {
      __tostring = function(e) return e.msg end }), 0)
  end
  return function(line) return find(line, split) ~= nil, nil end
end

return {
  name = "txt",
  exts = { "txt", "text" },
  single = true,   -- one article a file: records carry no record_no/line (unless --split)
  read = function(src, opts)
    if not opts.split then
      local done = false
      return function()
        if done then return nil end
        done = true
        local text, info = src:decode(src:bytes())
        return { text = text, encoding = info.encoding }
      end
    end
    local is_sep = separator(opts.split)
    local lines = src:text_lines()
    local k, pending, pending_no = 0, nil, nil
    return function()
      local buf, first, blanks = {}, nil, 0
      if pending then
        if find(pending, "%S") then buf[1], first = pending, pending_no end
        pending = nil
      end
      for line, no in lines do
        local sep, rest
        if is_sep then
          sep, rest = is_sep(line)
        elseif find(line, "%S") then
          blanks = 0
        else
          blanks = blanks + 1
          sep = blanks >= 2 and first ~= nil
        end
        if sep and first then
          pending, pending_no = rest, no
          break
        elseif not sep then
          if first or find(line, "%S") then
            first = first or no
            buf[#buf + 1] = line
          end
        end
      end
      if not first then return nil end
      while #buf > 0 and not find(buf[#buf], "%S") do buf[#buf] = nil end
      k = k + 1
      return { text = table.concat(buf, "\n") .. "\n", encoding = src.encoding,
        where = { line = first, record = k } }
    end
  end,
}
