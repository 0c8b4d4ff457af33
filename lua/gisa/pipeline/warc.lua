-- gisa.warc: the records of a web archive (WARC 0.17-1.1, the format of
-- Common Crawl's CC-NEWS), read as a stream: headers, the HTTP response of a
-- `response` record split into status, headers and payload (chunked transfer
-- decoded), and bad data reported with its byte offset, the reading going on
-- at the next record where it can. Decompression (.warc.gz: one gzip member a
-- record) is the caller's: any source with read(n) will do (gisa.zio).

local find, sub, lower, match, gsub, byte = string.find, string.sub, string.lower, string.match,
  string.gsub, string.byte
local concat = table.concat
local tonumber, type = tonumber, type

local M = {}

--- The largest record block held in memory; a larger one (a video) is
--- skipped unread, counted as too large.
M.max_block = 32 * 1024 * 1024
--- The longest header line accepted.
M.max_line = 64 * 1024
local CHUNK = 65536

------------------------------------------------------------------------------
-- A buffered stream over read(n)
------------------------------------------------------------------------------

local Stream = {}
Stream.__index = Stream

local function stream_of(src)
  local read
  if type(src) == "string" then
    local done = false
    read = function()
      if done then return nil end
      done = true
      return src
    end
  elseif type(src) == "function" then
    read = src
  elseif type(src) == "table" or type(src) == "userdata" then
    read = function(n) return src:read(n) end
  else
    error("gisa.warc: expected a string, a function read(n) or an object with :read(n), got " .. type(src), 3)
  end
  return setmetatable({ read = read, buf = "", pos = 1, offset = 0, eof = false }, Stream)
end

-- Read more into the buffer; false at the end (or on an error, kept in self.err).
function Stream:fill()
  if self.eof then return false end
  local s, err, off = self.read(CHUNK)
  if not s or s == "" then
    self.eof = true
    if err then self.err, self.err_offset = err, off end
    return false
  end
  local rest = sub(self.buf, self.pos)
  self.offset = self.offset + self.pos - 1
  self.buf, self.pos = rest .. s, 1
  return true
end

--- Byte offset (0-based) in the stream of the next byte to be read.
function Stream:tell() return self.offset + self.pos - 1 end

--- The next line without its CRLF or LF; nil at the end; false, message for a line too long.
function Stream:line()
  while true do
    local i = find(self.buf, "\n", self.pos, true)
    if i then
      local l = sub(self.buf, self.pos, i - 1)
      self.pos = i + 1
      if byte(l, -1) == 13 then l = sub(l, 1, -2) end
      return l
    end
    if #self.buf - self.pos + 1 > M.max_line then return false, "a header line longer than " .. M.max_line .. " bytes" end
    if not self:fill() then
      if self.pos > #self.buf then return nil end
      local l = sub(self.buf, self.pos)
      self.pos = #self.buf + 1
      return l
    end
  end
end

-- Move past the next n bytes, adding them to PARTS when given; returns how
-- many there were (fewer at the end of the stream). What a read gives beyond
-- n stays buffered.
local function advance(self, n, parts)
  local have = #self.buf - self.pos + 1
  if have >= n then
    if parts then parts[#parts + 1] = sub(self.buf, self.pos, self.pos + n - 1) end
    self.pos = self.pos + n
    return n
  end
  if parts then parts[#parts + 1] = sub(self.buf, self.pos) end
  local got = have
  self.offset = self.offset + #self.buf
  self.buf, self.pos = "", 1
  while got < n do
    local s, err, off = self.read(math.min(CHUNK * 16, n - got))
    if not s or s == "" then
      self.eof = true
      if err then self.err, self.err_offset = err, off end
      break
    end
    if got + #s > n then   -- more than asked: keep the rest buffered
      local k = n - got
      if parts then parts[#parts + 1] = sub(s, 1, k) end
      self.buf, self.pos = s, k + 1
      got = n
      break
    end
    if parts then parts[#parts + 1] = s end
    self.offset = self.offset + #s
    got = got + #s
  end
  return got
end

--- The next n bytes (fewer at the end of the stream).
function Stream:take(n)
  local parts = {}
  advance(self, n, parts)
  return parts[2] and concat(parts) or parts[1]
end

--- Skip n bytes without keeping them; returns how many were skipped.
function Stream:skip(n)
  return advance(self, n)
end

------------------------------------------------------------------------------
-- HTTP
------------------------------------------------------------------------------

-- Header lines "Name: value" (continuations folded) into {lowercase name = value};
-- a repeated name keeps its values joined by ", ".
local function header_table(lines)
  local h, last = {}, nil
  for _, l in ipairs(lines) do
    local c = byte(l, 1)
    if (c == 32 or c == 9) and last then
      h[last] = h[last] .. " " .. gsub(l, "^%s+", "")
    else
      local name, value = match(l, "^([^:]+):%s*(.-)%s*$")
      if name then
        name = lower(gsub(name, "%s+$", ""))
        h[name] = h[name] and (h[name] .. ", " .. value) or value
        last = name
      end
    end
  end
  return h
end
M.header_table = header_table

--- Undo chunked transfer coding: the body, or nil, message.
function M.dechunk(s)
  local out, pos = {}, 1
  while true do
    local i, j, hex = find(s, "^%s*([%x]+)[^\n]*\n", pos)
    if not i then return nil, "bad chunk size at byte " .. pos .. " of the payload" end
    local n = tonumber(hex, 16)
    pos = j + 1
    if n == 0 then break end
    if pos + n - 1 > #s then return nil, "chunk of " .. n .. " bytes cut at byte " .. #s .. " of the payload" end
    out[#out + 1] = sub(s, pos, pos + n - 1)
    pos = pos + n
    local _, e = find(s, "^\r?\n", pos)
    if e then pos = e + 1 end
  end
  return concat(out)
end

local function gmatch_lines(s)
  return string.gmatch(s .. "\n", "([^\n]-)\r?\n")
end

--- Split an HTTP response: {status=, headers=, payload=, warnings=} or nil, message.
function M.http(block)
  local status = match(block, "^HTTP/%d[%.%d]*%s+(%d%d%d)")
  if not status then return nil, "not an HTTP response" end
  local e1, e2 = find(block, "\r?\n\r?\n")
  local head = e1 and sub(block, 1, e1 - 1) or block
  local payload = e2 and sub(block, e2 + 1) or ""
  local lines = {}
  for l in gmatch_lines(head) do lines[#lines + 1] = l end
  table.remove(lines, 1)
  local h = header_table(lines)
  local r = { status = tonumber(status), headers = h, payload = payload, warnings = {} }
  local te = h["transfer-encoding"]
  if te and find(lower(te), "chunked", 1, true) then
    local body, err = M.dechunk(payload)
    if body then r.payload = body
    else r.warnings[#r.warnings + 1] = "chunked transfer coding not undone (" .. err .. "): the payload is kept as it is" end
  end
  return r
end


------------------------------------------------------------------------------
-- Records
------------------------------------------------------------------------------

--- Is this HTTP or record Content-Type an HTML page?
function M.is_html(ctype)
  if not ctype then return false end
  ctype = lower(ctype)
  return find(ctype, "text/html", 1, true) ~= nil or find(ctype, "application/xhtml+xml", 1, true) ~= nil
end

--- Iterate over the records of a WARC stream:
---   for rec, err, offset in warc.records(src) do … end
--- src is the whole file as a string, a function read(n), or an object with
--- :read(n) (a gisa.zio stream, a Lua file). Each record is
--- {n=, offset=, version=, type=, uri=, date=, id=, headers=, block=, http=}
--- (http only for response records: {status=, headers=, payload=, warnings=});
--- a record of more than max_block bytes has block = nil and too_large = its
--- length. Bad data gives false, message, offset (0-based in the stream),
--- and reading goes on at the next "WARC/" line.
function M.records(src, opts)
  local s = stream_of(src)
  opts = opts or {}
  local max_block = opts.max_block or M.max_block
  local n = 0
  local broken = false   -- looking for the next record after bad data
  local done = false
  return function()
    if done then return nil end
    while true do
      -- the version line, after any blank lines
      local at = s:tell()
      local l, lerr = s:line()
      if l == nil then
        done = true
        if s.err then return false, s.err, s.err_offset end
        return nil
      end
      if l == false then
        done = true
        return false, lerr, at
      end
      if find(l, "^WARC/%d") then
        broken = false
        local version = sub(l, 6)
        local lines = {}
        while true do
          local h, herr = s:line()
          if h == false then done = true; return false, "record " .. (n + 1) .. ": " .. herr, at end
          if h == nil or h == "" then break end
          lines[#lines + 1] = h
        end
        local headers = header_table(lines)
        n = n + 1
        local len = tonumber(headers["content-length"] or "")
        if not len or len < 0 or math.type(len) ~= "integer" then
          broken = true
          return false, string.format("record %d: no valid Content-Length (%s)", n, tostring(headers["content-length"])), at
        end
        local rec = { n = n, offset = at, version = version, type = headers["warc-type"],
          uri = headers["warc-target-uri"], date = headers["warc-date"], id = headers["warc-record-id"],
          headers = headers }
        if rec.uri then rec.uri = gsub(rec.uri, "^<(.*)>$", "%1") end
        local want = opts.want == nil or opts.want(rec)
        if want and len <= max_block then
          rec.block = s:take(len)
          if #rec.block < len then
            done = true
            if s.err then return false, string.format("record %d: %s", n, s.err), s.err_offset end
            return false, string.format("record %d (%s) cut short: %d of %d bytes", n, rec.uri or rec.type or "?",
              #rec.block, len), at
          end
          if rec.type == "response" and find(lower(headers["content-type"] or ""), "application/http", 1, true) then
            local http, herr = M.http(rec.block)
            if http then rec.http = http else rec.http_error = herr end
          end
        else
          local got = s:skip(len)
          if want then rec.too_large = len end
          if got < len then
            done = true
            if s.err then return false, string.format("record %d: %s", n, s.err), s.err_offset end
            return false, string.format("record %d (%s) cut short: %d of %d bytes", n, rec.uri or rec.type or "?", got, len), at
          end
        end
        return rec
      elseif l ~= "" and not broken then
        broken = true
        return false, "not a WARC record (a line that is not 'WARC/…' where one should begin)", at
      end
    end
  end
end

return M
