-- gisa.dump: what the crawler-dump readers (jsonl, json, csv, tsv) share: the
-- column names that mean title, body, date …, --map, and the turning of one
-- row or object into an article input: the body for the rules, the fields the
-- dump states (they win over what the rules guess), dates as ISO 8601.

local dates = require "gisa.rules.dates"

local M = {}

local lower, find, match, gsub, format = string.lower, string.find, string.match, string.gsub, string.format
local byte, sub = string.byte, string.sub
local concat, sort = table.concat, table.sort

--- Column names (compared in lower case, spaces, "-" and "_" ignored) and the
--- field each one gives. `body` is the text the rules run on.
M.names = {
  title = { "title", "headline", "subject", "제목", "기사제목", "헤드라인" },
  body = { "body", "content", "contents", "text", "article", "articletext", "본문", "내용", "기사본문", "기사내용" },
  published = { "date", "published", "publisheddate", "pubdate", "datetime", "time", "작성일", "입력일",
    "등록일", "일자", "날짜", "기사입력", "입력" },
  modified = { "modified", "updated", "modifieddate", "수정일", "최종수정" },
  publisher = { "press", "publisher", "source", "media", "언론사", "매체", "신문사" },
  url = { "url", "link", "href", "주소", "링크" },
  authors = { "author", "authors", "reporter", "reporters", "byline", "writer", "기자", "작성자", "기자명" },
  section = { "section", "category", "분류", "섹션", "카테고리" },
}

--- The fields --map may name.
M.fields = { "title", "body", "published", "modified", "publisher", "url", "authors", "section" }
--- Short names --map accepts besides the fields.
M.aliases = { date = "published", press = "publisher", text = "body", author = "authors", link = "url",
  category = "section", headline = "title", content = "body" }

local function norm(s) return (gsub(lower(s), "[%s_%-]", "")) end


--- Parse --map "title=제목,body=본문" or "date=1,press=2,title=3,body=4".
--- Returns {field = column name or number}, positional (all numbers), or
--- nil, message.
function M.parse_map(s)
  if s == nil or s == "" then return nil end
  local map, nums, names = {}, 0, 0
  for part in s:gmatch("[^,]+") do
    local k, v = match(part, "^%s*([^=]-)%s*=%s*(.-)%s*$")
    if not k or k == "" or v == "" then return nil, format("--map: '%s' is not FIELD=COLUMN", part) end
    local field = M.aliases[lower(k)] or lower(k)
    local okf = false
    for _, f in ipairs(M.fields) do if f == field then okf = true end end
    if not okf then
      return nil, format("--map: unknown field '%s' (fields: %s)", k, concat(M.fields, ", "))
    end
    local n = tonumber(v)
    if n then
      if math.type(n) ~= "integer" or n < 1 then return nil, format("--map: column '%s' must be 1 or more", v) end
      map[field] = n; nums = nums + 1
    else
      map[field] = v; names = names + 1
    end
  end
  if nums > 0 and names > 0 then
    return nil, "--map: give columns all by name or all by number (no header row), not both"
  end
  return map, nums > 0
end

--- How a dump's columns map to fields: `keys` are the header's names (or an
--- object's keys). Returns {field = key}, or nil and a message naming the keys
--- when there is no body column.
function M.mapping(keys, map)
  local m = {}
  local have = {}
  for _, k in ipairs(keys) do
    if type(k) == "string" and have[norm(k)] == nil then have[norm(k)] = k end
  end
  -- for each field, the first of its names the dump has
  for field, list in pairs(M.names) do
    for _, n in ipairs(list) do
      local k = have[norm(n)]
      if k then m[field] = k; break end
    end
  end
  for f, col in pairs(map or {}) do
    if type(col) == "string" then
      local found
      for _, k in ipairs(keys) do if k == col then found = k end end
      found = found or have[norm(col)]
      if not found then
        local ks = {}
        for i, k in ipairs(keys) do ks[i] = tostring(k) end
        return nil, format("--map: no column '%s' (columns: %s)", col, concat(ks, ", "))
      end
      m[f] = found
    end
  end
  if m.body == nil then
    local ks = {}
    for i, k in ipairs(keys) do ks[i] = tostring(k) end
    if #ks > 12 then ks = { table.unpack(ks, 1, 12) }; ks[#ks + 1] = "…" end
    return nil, format("no body column (columns: %s); --map body=NAME names it", concat(ks, ", "))
  end
  return m
end

------------------------------------------------------------------------------
-- Values
------------------------------------------------------------------------------

local MONTHS = { jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6, jul = 7, aug = 8, sep = 9,
  oct = 10, nov = 11, dec = 12 }
local ZONES = { gmt = "+00:00", utc = "+00:00", ut = "+00:00", z = "+00:00", kst = "+09:00",
  est = "-05:00", edt = "-04:00", pst = "-08:00", pdt = "-07:00" }

-- RFC 822 / 2822 ("Thu, 27 Jun 2019 10:31:00 +0900").
local function rfc822(s)
  local d, mon, y, H, Mi, S, z = match(s,
    "^%s*%a*,?%s*(%d%d?)%s+(%a%a%a)%a*%s+(%d%d%d%d)%s+(%d%d?):(%d%d):?(%d*)%s*([%w+%-:]*)%s*$")
  if not d then return nil end
  local m = MONTHS[lower(mon)]
  if not m then return nil end
  local tz = "+09:00"
  if z ~= "" then
    local sign, hh, mm = match(z, "^([+%-])(%d%d):?(%d%d)$")
    if sign then tz = sign .. hh .. ":" .. mm
    else tz = ZONES[lower(z)]; if not tz then return nil end end
  end
  return format("%04d-%02d-%02dT%02d:%02d:%02d%s", tonumber(y), m, tonumber(d), tonumber(H), tonumber(Mi),
    tonumber(S ~= "" and S or "0"), tz)
end

--- A date as dumps print it (2019.06.27., 2019-06-27 10:31, 2019-06-27T10:31:00Z,
--- RFC 822, 2019년 6월 27일 …) as ISO 8601, +09:00 unless it names a zone;
--- a date without a time stays a date. nil when it is not a date.
function M.date(s)
  if type(s) == "number" then
    if s > 1e11 then s = s / 1000 end          -- milliseconds since the epoch
    if s < 0 or s > 4e9 then return nil end
    return os.date("!%Y-%m-%dT%H:%M:%S+09:00", math.floor(s) + 9 * 3600)
  end
  if type(s) ~= "string" or not find(s, "%d") then return nil end
  local compact = match(s, "^%s*(%d%d%d%d%d%d%d%d)%s*$")
  if compact then s = compact:sub(1, 4) .. "-" .. compact:sub(5, 6) .. "-" .. compact:sub(7, 8) end
  local list = dates.default:line(s)
  if list and list[1] then return list[1].iso end
  return rfc822(s)
end

local ROLES = { "선임기자", "수석기자", "객원기자", "인턴기자", "전문기자", "특파원", "논설위원", "기자", "통신원", "PD" }

--- Authors from a byline column: "홍길동 기자", "홍길동·김철수 기자 hong@x.kr",
--- or a list of names: {{name=, role=, email=}…}.
function M.authors(v)
  local out = {}
  local function one(s)
    s = gsub(s, "^%s+", ""); s = gsub(s, "%s+$", "")
    if s == "" then return end
    local a = {}
    local email = match(s, "[%w._%%+%-]+@[%w%-]+%.[%w.%-]+")
    if email then a.email = email; s = gsub(s, "[%w._%%+%-]+@[%w%-]+%.[%w.%-]+", ""); s = gsub(s, "%s+$", "") end
    for _, r in ipairs(ROLES) do
      local name = match(s, "^(.-)%s*" .. r .. "$")
      if name and name ~= "" then a.role = r; s = name; break end
    end
    a.name = s
    if s ~= "" then out[#out + 1] = a end
  end
  if type(v) == "table" then
    for _, x in ipairs(v) do
      if type(x) == "string" then one(x)
      elseif type(x) == "table" and type(x.name) == "string" then out[#out + 1] = { name = x.name, role = x.role, email = x.email } end
    end
  elseif type(v) == "string" then
    local role = nil
    for _, r in ipairs(ROLES) do if match(v, "%s" .. r .. "%s*[%w._%%+%-@]*%s*$") then role = r end end
    for part in gsub(v, "%s*[,/·;|]%s*", "\0"):gmatch("[^%z]+") do one(part) end
    -- "홍길동·김철수 기자": the role printed once, after the last name
    if role then for _, a in ipairs(out) do a.role = a.role or role end end
  end
  return out
end

local function str(v)
  if v == nil then return nil end
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then return nil end
  v = gsub(gsub(v, "^%s+", ""), "%s+$", "")
  if v == "" then return nil end
  return v
end

local PLAIN_FIELDS, DATE_FIELDS = { "publisher", "url", "section" }, { "published", "modified" }

--- One article input from a row or an object: `get(key)` returns the raw value
--- of a column, `m` is the mapping. Returns the input, and a warning or nil.
function M.input(get, m, where)
  local body = get(m.body)
  if type(body) == "table" then   -- a list of paragraphs
    local parts = {}
    for _, p in ipairs(body) do if type(p) == "string" then parts[#parts + 1] = p end end
    body = concat(parts, "\n")
  end
  if type(body) ~= "string" then body = body ~= nil and tostring(body) or "" end
  local fields, warning = {}, nil
  local title = m.title and str(get(m.title))
  fields.title = title
  for _, f in ipairs(PLAIN_FIELDS) do
    if m[f] then fields[f] = str(get(m[f])) end
  end
  for _, f in ipairs(DATE_FIELDS) do
    if m[f] then
      local raw = get(m[f])
      if raw ~= nil and str(raw) then
        local iso = M.date(raw)
        if iso then fields[f] = iso
        else warning = warning or format("%s '%s' is not a date gisa reads; left out", m[f], tostring(raw)) end
      end
    end
  end
  if m.authors then
    local a = M.authors(get(m.authors))
    if #a > 0 then fields.authors = a end
  end
  -- the headline above the body, as a page prints it: the rules then find the
  -- body's first line a paragraph, not a title
  local text = body
  if title then text = title .. "\n\n" .. body end
  if byte(text, -1) ~= 10 then text = text .. "\n" end
  return { text = text, fields = fields, where = where }, warning
end

------------------------------------------------------------------------------
-- Rows of CSV (RFC 4180) and TSV
------------------------------------------------------------------------------

--- A quoted field may run over at most this many lines: a quote left open
--- (a broken row) is then reported and the lines after it read again.
M.max_field_lines = 1000

local QUOTE = byte('"')

-- The fields of one row from `line`; `more()` gives the next line when a
-- quoted field runs on. Returns fields, or nil and a message.
local function parse_row(line, sep, more)
  local fields, pos, extra = {}, 1, 0
  while true do
    if byte(line, pos) == QUOTE then
      local buf, p = {}, pos + 1
      while true do
        local q = find(line, '"', p, true)
        if not q then
          buf[#buf + 1] = sub(line, p)
          extra = extra + 1
          local nxt = extra <= M.max_field_lines and more()
          if not nxt then return nil, "a quote is not closed" end
          buf[#buf + 1] = "\n"
          line, p = nxt, 1
        elseif byte(line, q + 1) == QUOTE then
          buf[#buf + 1] = sub(line, p, q)
          p = q + 2
        else
          buf[#buf + 1] = sub(line, p, q - 1)
          -- after the closing quote comes the separator; anything else is kept
          local nsep = find(line, sep, q + 1, true)
          if nsep and nsep > q + 1 and extra > 0 then return nil, "a quote is not closed" end
          if nsep then
            if nsep > q + 1 then buf[#buf + 1] = sub(line, q + 1, nsep - 1) end
            fields[#fields + 1] = concat(buf)
            pos = nsep + 1
            break
          end
          -- text after a closing quote that ran over lines: that quote opened
          -- the next row's field, so this row's quote was never closed
          if q < #line and extra > 0 then return nil, "a quote is not closed" end
          if q < #line then buf[#buf + 1] = sub(line, q + 1) end
          fields[#fields + 1] = concat(buf)
          return fields
        end
      end
    else
      local nsep = find(line, sep, pos, true)
      if nsep then
        fields[#fields + 1] = sub(line, pos, nsep - 1)
        pos = nsep + 1
      else
        fields[#fields + 1] = sub(line, pos)
        return fields
      end
    end
  end
end
M.parse_row = parse_row

--- The rows of a stream of lines (`for line, no in lines`): an iterator of
--- `fields, lineno` (the row's first line), or `false, message, lineno` for a
--- broken row. sep "," reads quotes (RFC 4180); "\t" does not (TSV has none).
--- `ncols()` gives the number of columns a row should have (nil: any): a row
--- that ran over several lines to another count had a broken quote; it is
--- reported, and the lines after its first are read again.
function M.rows(lines, sep, ncols)
  local queue, qi, qn = {}, 1, 0   -- lines to read again, with their numbers: queue[qi..qn]
  local function next_line()
    if qi <= qn then
      local q = queue[qi]
      queue[qi] = nil
      qi = qi + 1
      return q[1], q[2]
    end
    return lines()
  end
  return function()
    local line, no = next_line()
    if not line then return nil end
    if sep ~= "," or not find(line, '"', 1, true) then
      local fields, pos = {}, 1
      while true do
        local nsep = find(line, sep, pos, true)
        if not nsep then fields[#fields + 1] = sub(line, pos); break end
        fields[#fields + 1] = sub(line, pos, nsep - 1)
        pos = nsep + 1
      end
      return fields, no
    end
    local taken = {}
    local fields, msg = parse_row(line, sep, function()
      local l, n = next_line()
      if l then taken[#taken + 1] = { l, n } end
      return l
    end)
    local want = ncols and ncols()
    if #taken > 0 and (not fields or (want and #fields ~= want)) then
      -- read again what the open quote swallowed: a fresh queue, as it may
      -- hold lines of the old one
      local rest = {}
      for i = 1, #taken do rest[#rest + 1] = taken[i] end
      for i = qi, qn do rest[#rest + 1] = queue[i] end
      queue, qi, qn = rest, 1, #rest
      return false, (msg or "a quote is not closed") .. " (the row is skipped; the lines after it are read)", no
    end
    if not fields then return false, msg, no end
    return fields, no
  end
end

--- Whether the first bytes of a file look like a dump's header row: two or
--- more columns separated by `sep`, one of them a title or body name.
function M.sniff_header(head, sep)
  local text = require("gisa.enc").decode(head) or head
  local first = match(text, "^([^\n]*)")
  if not first or not find(first, sep, 1, true) then return false end
  local fields = parse_row(first, sep, function() return nil end)
  if not fields or #fields < 2 then return false end
  local m = M.mapping(fields)
  return m ~= nil
end

--- Read a CSV or TSV source as articles (the csv and tsv readers).
function M.read_table(src, opts, sep)
  local map, positional = M.parse_map(opts.map)
  if map == nil and positional then error(positional, 0) end
  local header, ncols
  local rows = M.rows(src:text_lines(), sep, function() return ncols end)
  local m
  if positional then
    m = map
    if not m.body then return nil, "--map: no body column given" end
  else
    local fields, no
    repeat fields, no = rows() until fields ~= false
    if not fields then return nil, "no header row" end
    if #fields == 1 and fields[1] == "" then return nil, "the first line (the header) is blank" end
    header = fields
    ncols = #header
    local err
    m, err = M.mapping(header, map)
    if not m then return nil, err end
    local index = {}
    for i, h in ipairs(header) do if index[h] == nil then index[h] = i end end
    for f, k in pairs(m) do m[f] = index[k] end
  end
  local k = 0
  return function()
    while true do
      local fields, msg, no = rows()
      if fields == nil then return nil end
      if fields == false then return false, msg, { line = no } end
      if not (#fields == 1 and fields[1] == "") then      -- a blank line
        k = k + 1
        local where = { line = msg, record = k }
        if ncols and #fields ~= ncols then
          local extra_empty = #fields > ncols
          for i = ncols + 1, #fields do if fields[i] ~= "" then extra_empty = false end end
          if not extra_empty then
            return false, format("row has %d fields, the header %d", #fields, ncols), where
          end
        end
        local input, warning = M.input(function(i) return i and fields[i] end, m, where)
        if warning then input.warnings = { warning } end
        return input
      end
    end
  end
end

return M
