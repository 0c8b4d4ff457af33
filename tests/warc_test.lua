-- gisa.warc: records of a web archive from a string, from pieces of any size,
-- HTTP responses split (chunked transfer decoded), and bad data (garbage
-- between records, a missing Content-Length, a cut file, a huge record)
-- reported with its offset while the other records are still read.
local t = require "t"
local warc = require "gisa.pipeline.warc"

local function record(headers, block)
  local h = { "WARC/1.0" }
  for _, kv in ipairs(headers) do h[#h + 1] = kv[1] .. ": " .. kv[2] end
  h[#h + 1] = "Content-Length: " .. #block
  return table.concat(h, "\r\n") .. "\r\n\r\n" .. block .. "\r\n\r\n"
end

local PAGE = "<html><head><title>가상 기사</title></head><body><p>본문입니다.</p></body></html>"

local function http(ctype, body, extra)
  return "HTTP/1.1 200 OK\r\nContent-Type: " .. ctype .. "\r\n" .. (extra or "")
    .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

local function chunked(body)
  local a, b = body:sub(1, 10), body:sub(11)
  return string.format("%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n", #a, a, #b, b)
end

local RECORDS = {
  record({ { "WARC-Type", "warcinfo" }, { "WARC-Date", "2024-03-01T00:00:00Z" },
    { "Content-Type", "application/warc-fields" } }, "software: test\r\n"),
  record({ { "WARC-Type", "request" }, { "WARC-Target-URI", "https://news.example.kr/a/1" },
    { "Content-Type", "application/http; msgtype=request" } }, "GET /a/1 HTTP/1.1\r\nHost: news.example.kr\r\n\r\n"),
  record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "<https://news.example.kr/a/1>" },
    { "WARC-Date", "2024-03-01T01:02:03Z" }, { "WARC-Record-ID", "<urn:uuid:1>" },
    { "Content-Type", "application/http; msgtype=response" } }, http("text/html; charset=utf-8", PAGE)),
  record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/logo.png" },
    { "Content-Type", "application/http; msgtype=response" } }, http("image/png", "\137PNG\r\n\26\n\0\0")),
  record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/a/2" },
    { "Content-Type", "application/http; msgtype=response" } },
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nX-Folded: a\r\n  b\r\n\r\n" .. chunked(PAGE)),
  record({ { "WARC-Type", "metadata" }, { "WARC-Target-URI", "https://news.example.kr/a/2" } }, "fetchTimeMs: 12\r\n"),
}
local ARCHIVE = table.concat(RECORDS)

local function all(src, opts)
  local out = {}
  for rec, err, off in warc.records(src, opts) do
    out[#out + 1] = rec or { err = err, off = off }
  end
  return out
end

t.test("records: types, headers, target URI, date, HTTP split", function()
  local recs = all(ARCHIVE)
  t.eq(#recs, 6)
  local types = {}
  for i, r in ipairs(recs) do types[i] = r.type end
  t.eq(types, { "warcinfo", "request", "response", "response", "response", "metadata" })
  local r = recs[3]
  t.eq(r.n, 3)
  t.eq(r.version, "1.0")
  t.eq(r.uri, "https://news.example.kr/a/1")
  t.eq(r.date, "2024-03-01T01:02:03Z")
  t.eq(r.id, "<urn:uuid:1>")
  t.eq(r.http.status, 200)
  t.eq(r.http.headers["content-type"], "text/html; charset=utf-8")
  t.eq(r.http.payload, PAGE)
  t.ok(warc.is_html(r.http.headers["content-type"]))
  t.ok(not warc.is_html(recs[4].http.headers["content-type"]))
  t.eq(recs[1].offset, 0)
  t.eq(ARCHIVE:sub(r.offset + 1, r.offset + 8), "WARC/1.0")
  t.eq(recs[2].http, nil, "a request is not split")
end)

t.test("records: chunked transfer decoded, folded header lines joined", function()
  local r = all(ARCHIVE)[5]
  t.eq(r.http.payload, PAGE)
  t.eq(r.http.headers["x-folded"], "a b")
  t.eq(r.http.warnings, {})
  t.eq(warc.dechunk("5\r\nhello\r\n0\r\n\r\n"), "hello")
  t.eq({ warc.dechunk("zz\r\n") }, { nil, "bad chunk size at byte 1 of the payload" })
  local h = warc.http("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" .. "ff\r\nshort")
  t.eq(h.payload, "ff\r\nshort")
  t.eq(h.warnings, { "chunked transfer coding not undone (chunk of 255 bytes cut at byte 9 of the payload): the payload is kept as it is" })
end)

t.test("records: the same from pieces of 1, 7 and 4096 bytes, and from a file", function()
  local whole = all(ARCHIVE)
  for _, size in ipairs({ 1, 7, 4096 }) do
    local pos = 1
    local recs = all(function()
      if pos > #ARCHIVE then return nil end
      local s = ARCHIVE:sub(pos, pos + size - 1)
      pos = pos + size
      return s
    end)
    t.eq(recs, whole, "pieces of " .. size)
  end
  local path = t.write(t.tmpdir() .. "/a.warc", ARCHIVE)
  local f = assert(io.open(path, "rb"))
  t.eq(all(f), whole, "a Lua file")
  f:close()
end)

t.test("records: LF line ends are read too", function()
  local lf = ARCHIVE:gsub("WARC/1.0\r\n(.-)\r\n\r\n", function(h) return "WARC/1.0\n" .. h:gsub("\r\n", "\n") .. "\n\n" end)
  local recs = all(lf)
  t.eq(#recs, 6)
  t.eq(recs[3].http.payload, PAGE)
end)

t.test("bad data: garbage between records and a missing Content-Length are reported, the rest read", function()
  local bad = record({ { "WARC-Type", "warcinfo" } }, "x") .. "garbage line\r\nmore\r\n"
    .. "WARC/1.0\r\nWARC-Type: response\r\n\r\nno length here\r\n\r\n"
    .. record({ { "WARC-Type", "resource" }, { "Content-Type", "text/html" } }, PAGE)
  local recs = all(bad)
  t.eq(#recs, 4)
  t.eq(recs[1].type, "warcinfo")
  t.eq(recs[2].err, "not a WARC record (a line that is not 'WARC/…' where one should begin)")
  t.eq(recs[2].off, #record({ { "WARC-Type", "warcinfo" } }, "x"))
  t.eq(recs[3].err, "record 2: no valid Content-Length (nil)")
  t.eq(recs[4].type, "resource")
  t.eq(recs[4].block, PAGE)
end)

t.test("bad data: a cut file ends with a message and the offset of the record", function()
  local cut = ARCHIVE:sub(1, #ARCHIVE - 200)
  local recs = all(cut)
  t.eq(#recs, 5)
  t.match(recs[5].err, "^record 5 %(https://news%.example%.kr/a/2%) cut short: %d+ of %d+ bytes$")
  t.eq(cut:sub(recs[5].off + 1, recs[5].off + 8), "WARC/1.0")
  t.eq(all(""), {})
  t.eq(all("\r\n\r\n"), {})
end)

t.test("a record larger than max_block is skipped unread; a huge header line is an error", function()
  local recs = all(ARCHIVE, { max_block = 100 })
  t.eq(#recs, 6)
  t.eq(recs[3].block, nil)
  t.eq(recs[3].too_large, #http("text/html; charset=utf-8", PAGE))
  t.eq(recs[1].block, "software: test\r\n")
  local long = "WARC/1.0\r\nX: " .. ("a"):rep(70000)
  local r = all(long)
  t.eq(r[1].err, "record 1: a header line longer than 65536 bytes")
  t.checkerr("expected a string, a function read(n) or an object with :read(n), got number", warc.records, 1)
end)

t.test("want: records not wanted are skipped unread", function()
  local recs = all(ARCHIVE, { want = function(r) return r.type == "response" end })
  t.eq(#recs, 6)
  t.eq(recs[1].block, nil)
  t.eq(recs[3].http.payload, PAGE)
end)

t.test(".warc.gz: one gzip member a record, through gisa.zio", function()
  local ok, zio = pcall(require, "gisa.zio")
  if not ok then t.skip("gisa.zio is not in this build") end
  local d = t.tmpdir()
  local i = 0
  local names = {}
  for _, p in ipairs(RECORDS) do
    i = i + 1
    local name = d .. "/m" .. i
    t.write(name, p)
    names[#names + 1] = t.shquote(name)
  end
  os.execute("for f in " .. table.concat(names, " ") .. "; do gzip -c \"$f\"; done > " .. t.shquote(d .. "/a.warc.gz"))
  local s = assert(zio.open(d .. "/a.warc.gz"))
  local recs = all(s)
  s:close()
  t.eq(#recs, 6)
  t.eq(recs[3].http.payload, PAGE)
end)
