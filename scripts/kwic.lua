-- gisa kwic: a concordance (key word in context): every place a word, a
-- pattern or a choseong query occurs, with its left and right context lined
-- up by display width (Hangul and Hanja are two columns wide).
--
--   gisa kwic 오픈소스 corpus/            also 오픈소스를, 오픈소스는 …
--   gisa kwic -w AI corpus/               whole words only (AI, not AIDT)
--   gisa kwic ㅇㅍㅅㅅ corpus/             choseong: finds 오픈소스 (gisa.hangul.search)
--   gisa kwic --re '[0-9]+조 원' corpus/   an LPeg re pattern
--   gisa kwic --sort right 오픈소스 corpus/

local gisa = require "gisa"
local A = require "gisa.analysis"
local lpeg = require "lpeg"
local re = require "re"

local opts, operands = A.parse(arg, {
  name = "kwic",
  job = true,
  usage = "gisa kwic [options] QUERY [PATH…]",
  summary = "Show every occurrence of QUERY with its context. QUERY is text (matched\n" ..
    "ignoring case), a choseong query when it has bare consonants (ㅇㅍㅅㅅ, 오ㅍ소ㅅ),\n" ..
    "or with --re an LPeg re pattern (the `re` module's syntax).",
  options = {
    { nil, "--re", help = "QUERY is an LPeg re pattern: '[0-9]+ 조' '{%a+}' …" },
    { "-w", "--word", help = "whole words only: the match is a word, or a word and its particle" },
    { nil, "--case", help = "match case exactly" },
    { nil, "--width", arg = "N", type = "number", default = 30, help = "columns of context on each side (default 30)" },
    { nil, "--sort", arg = "KEY", default = "none", choices = { "none", "left", "right", "match" },
      help = "order lines by the words left of the match (nearest first), right of it, or the match" },
    { "-n", "--max", arg = "N", type = "number", default = 0, help = "show at most N lines (0: all)" },
  },
  inputs = false,
})

local query = table.remove(operands, 1)
if not query or query == "" then A.usage("give a QUERY: a word, a choseong query or (with --re) a pattern") end
-- `gisa kwic corpus/`: the QUERY was forgotten, and the path taken for it
if #operands == 0 and query:find("[/.]") and require("gisa").sys.stat(query) then
  A.usage("no QUERY: '" .. query .. "' is a file or directory (give the QUERY first: gisa kwic QUERY PATH…; " ..
    "to look for that text, add a path after it or - for standard input)")
end
local paths = A.inputs(operands, "kwic")

local text = gisa.text

------------------------------------------------------------------------------
-- The matcher: text -> array of {start, stop} byte ranges
------------------------------------------------------------------------------

local function has_jamo(s)
  for _, cp in utf8.codes(s) do
    if cp >= 0x3131 and cp <= 0x314E then return true end   -- ㄱ … ㅎ
  end
  return false
end

local find
if opts.re then
  local ok, pat = pcall(re.compile, query)
  if not ok then A.usage("bad pattern: " .. tostring(pat):gsub("\n.*", "")) end
  -- first match at or after each position: P{ Cp patt Cp + 1 V(1) }
  local search = lpeg.P { lpeg.Cp() * (pat / 0) * lpeg.Cp() + 1 * lpeg.V(1) }
  local function inside(s, i)   -- is byte I a UTF-8 continuation byte?
    local c = s:byte(i)
    return c ~= nil and c >= 0x80 and c < 0xC0
  end
  find = function(s, st)
    local out, i = {}, 1
    while i <= #s do
      local a, b = search:match(s, i)
      if not a then break end
      if b > a then
        -- re works on bytes: [를는] is a set of bytes and matches the first
        -- byte of 를. A match that cuts a character is no match; say why once.
        if inside(s, a) or inside(s, b) then
          st.split = true     -- said once, in the report (workers find it too)
        else
          out[#out + 1] = { a, b - 1 }
        end
        i = b
      else
        i = a + 1
      end
    end
    return out
  end
elseif has_jamo(query) then
  find = function(s) return gisa.hangul.search(s, query) end
else
  local q = opts.case and query or text.lower(query)
  local lower = text.lower
  local function search(hay, from)
    local out, i = {}, from or 1
    while true do
      local a, b = hay:find(q, i, true)
      if not a then break end
      out[#out + 1] = { a, b }
      i = b + 1
    end
    return out
  end
  -- S lowercased a character at a time, with the byte in S where each byte
  -- of the lowercased text comes from: for a text where a character's
  -- lowercase has another length in UTF-8 (İ, 2 bytes, lowers to i̇, 3).
  local function mapped(s)
    local parts, from, n = {}, {}, 0
    for pos, ch in text.chars(s) do
      local l = lower(ch)
      parts[#parts + 1] = l
      for k = 1, #l do from[n + k] = pos end
      n = n + #l
    end
    return table.concat(parts), from
  end
  find = function(s)
    if opts.case then return search(s) end
    local hay = lower(s)
    local out = search(hay)
    if #hay == #s then
      -- the same length is the common case (Hangul, ASCII): offsets agree,
      -- unless one character grew and another shrank; check each match
      local ok = true
      for _, m in ipairs(out) do
        if lower(s:sub(m[1], m[2])) ~= q then ok = false; break end
      end
      if ok then return out end
    end
    local from
    hay, from = mapped(s)
    out = search(hay)
    for _, m in ipairs(out) do
      local a, z = from[m[1]], from[m[2]]
      m[1], m[2] = a, (utf8.offset(s, 2, z) or (#s + 1)) - 1
    end
    return out
  end
end

-- With -w the match must be a whole word, or a word's stem with only a
-- particle after it (오픈소스 in 오픈소스를, not in 오픈소스화).
local function is_word_char(ch)
  local c = text.category(ch):sub(1, 1)
  return c == "L" or c == "M" or c == "N"
end

local function whole_word(s, ms, me)
  if ms > 1 then
    local p = utf8.offset(s, 0, ms - 1)
    if is_word_char(s:sub(p, ms - 1)) then return false end
  end
  local we = me   -- the end of the word the match ends in
  while we < #s do
    local n = utf8.offset(s, 2, we + 1) or (#s + 1)   -- start of the char after the next
    local ch = s:sub(we + 1, n - 1)
    if not is_word_char(ch) then break end
    we = n - 1
  end
  if we == me then return true end
  return #A.stem(s:sub(ms, we)) == me - ms + 1
end

------------------------------------------------------------------------------
-- Per article: the lines
------------------------------------------------------------------------------

local function oneline(s) return (s:gsub("%s+", " ")) end

-- The state: the lines found (rows), in input order, whether a pattern
-- matched part of a character, and the operands; a worker's lines are for its
-- files, and the parent appends them in input order.
local function each(a, st)
  local lines = st.rows
  local s = A.text(a)
  for _, m in ipairs(find(s, st)) do
    local ms, me = m[1], m[2]
    if not opts.word or whole_word(s, ms, me) then
      -- enough bytes for WIDTH columns, cut on character boundaries
      local ls = math.max(1, ms - opts.width * 6)
      ls = utf8.offset(s, 0, ls) or ls
      local stop = math.min(#s, me + opts.width * 6)
      if stop < #s then stop = (utf8.offset(s, 0, stop + 1) or (stop + 1)) - 1 end
      local left, right = oneline(s:sub(ls, ms - 1)), oneline(s:sub(me + 1, stop))
      lines[#lines + 1] = {
        file = a.file, pos = ms, left = left, match = s:sub(ms, me), right = right,
        title = a.title,
      }
    end
  end
end

------------------------------------------------------------------------------
-- Sort and show
------------------------------------------------------------------------------

local function words_of(s) return A.words(text.lower(s)) end

-- In input order (no --sort) the lines are not held: the run's own state
-- (`root`, not a worker's and not a --partial one) moves them, as they come, to
-- a spill (memory up to a budget, then an unlinked temporary file), and the
-- report reads them back. Memory stays flat however many lines there are.
local wire = gisa.wire
local root, spill
local function to_spill(st)
  local lines = st.rows
  if #lines == 0 then return end
  spill = spill or A.spill()
  for i = 1, #lines do
    if opts.max == 0 or spill.n < opts.max then
      local l = lines[i]
      spill:add(wire.encode({ l.file, l.pos, l.left, l.match, l.right }))
    end
    lines[i] = nil
  end
end

local COLUMNS = {
  { key = "left", title = "", align = "right", width = opts.width },
  { key = "match", title = "", align = "center" },
  { key = "right", title = "", align = "left", width = opts.width },
  { key = "name", title = "" },
}

local function report_spilled(st)
  to_spill(st)
  local sp = spill or A.spill()
  local width = opts.width
  local function produce(emit)
    for str in sp:each() do
      local r = wire.decode(str)
      local l = { file = r[1], pos = r[2], left = r[3], match = r[4], right = r[5] }
      l.name = l.file:match("[^/]*$")
      l.left = A.tail(l.left, width)
      l.right = text.truncate(l.right, width, "")
      emit(l)
    end
  end
  if opts.format == "table" then
    A.output_stream(produce, COLUMNS, { format = "table", header = false, output = opts.output,
      title = string.format("%d lines for %s", sp.n, query) })
  else
    A.output_stream(produce, { "file", "pos", "left", "match", "right" }, opts)
  end
  sp:close()
end

local function report(st)
  local lines = st.rows
  if st.split then
    io.stderr:write("gisa kwic: the pattern matched part of a character (in re, [...] is a set of ",
      "bytes: write ('를' / '는') for 를 or 는); such matches are left out\n")
  end
  if st == root then return report_spilled(st) end
  if opts.sort ~= "none" then
    for _, l in ipairs(lines) do
      if opts.sort == "right" then
        l.key = table.concat(words_of(l.right), " ")
      elseif opts.sort == "left" then
        local w, rev = words_of(l.left), {}
        for i = #w, 1, -1 do rev[#rev + 1] = w[i] end
        l.key = table.concat(rev, " ")
      else
        l.key = text.lower(l.match)
      end
    end
    table.sort(lines, function(x, y)
      if x.key ~= y.key then return x.key < y.key end
      if x.file ~= y.file then return x.file < y.file end
      return x.pos < y.pos
    end)
  end
  if opts.max > 0 then for i = #lines, opts.max + 1, -1 do lines[i] = nil end end

  local width = opts.width
  for _, l in ipairs(lines) do
    l.name = l.file:match("[^/]*$")
    l.left = A.tail(l.left, width)
    l.right = text.truncate(l.right, width, "")
  end

  if opts.format == "table" then
    opts.title = string.format("%d lines for %s", #lines, query)
    A.output(lines, COLUMNS, { format = "table", header = false, output = opts.output, title = opts.title })
  else
    A.output(lines, { "file", "pos", "left", "match", "right" }, opts)
  end
end

local rows = A.merge_rows(function(l) return l.file end)
local key = { opts.re and "--re" or "", opts.word and "-w" or "", opts.case and "--case" or "", query }
A.run(opts, paths, { key = table.concat(key, " "), fields = A.fields(A.text_fields, "file"),
  state = function() return { rows = {}, split = false, inputs = paths } end,
  begin = function(s)
    if opts.sort == "none" and not gisa.options.partial then root = s end
  end,
  each = function(a, st)
    each(a, st)
    if st == root and #st.rows >= 256 then to_spill(st) end
  end,
  merge = function(s1, s2)
    rows(s1, s2)
    s1.split = s1.split or s2.split
    if s1 == root then to_spill(s1) end
    return s1
  end,
  finish = report })
return A.exit_code()
