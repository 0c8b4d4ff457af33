-- readers/warc.lua through the real binary: a .warc (and a .warc.gz) of
-- fictional pages gives one record per HTML response, url from
-- WARC-Target-URI and the fetch date kept, every other record counted in one
-- message; a damaged archive names the file and the byte and keeps the
-- articles before the damage.
local t = require "t"

local function need_readers()
  local f = io.open(t.root .. "/lua/gisa/readers/html.lua")
  if not f then t.skip("the html reader (branch htmlx) is not in this tree") end
  f:close()
end

local function record(headers, block)
  local h = { "WARC/1.0" }
  for _, kv in ipairs(headers) do h[#h + 1] = kv[1] .. ": " .. kv[2] end
  h[#h + 1] = "Content-Length: " .. #block
  return table.concat(h, "\r\n") .. "\r\n\r\n" .. block .. "\r\n\r\n"
end

local function http(ctype, body, status)
  return "HTTP/1.1 " .. (status or "200 OK") .. "\r\nContent-Type: " .. ctype .. "\r\n\r\n" .. body
end

local function page(title, para)
  return '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>' .. title .. '</title>'
    .. '<meta property="og:title" content="' .. title .. '"></head><body><article><h1>' .. title .. '</h1>'
    .. '<div id="article_body"><p>' .. para .. '</p><p>' .. para .. ' 두 번째 문단이다.</p></div></article></body></html>'
end

local PAGE1 = page("가상시 새 도서관 문 열어", "가상시는 1일 시립 도서관을 새로 열었다고 밝혔다.")
local PAGE2 = page("가상군 축제 사흘간 열린다", "가상군은 이달 말 지역 축제를 연다고 2일 밝혔다.")

local function archive()
  return {
    record({ { "WARC-Type", "warcinfo" }, { "Content-Type", "application/warc-fields" } }, "software: test\r\n"),
    record({ { "WARC-Type", "request" }, { "WARC-Target-URI", "https://news.example.kr/a/1" },
      { "Content-Type", "application/http; msgtype=request" } }, "GET /a/1 HTTP/1.1\r\n\r\n"),
    record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/a/1" },
      { "WARC-Date", "2024-03-01T01:02:03Z" }, { "Content-Type", "application/http; msgtype=response" } },
      http("text/html; charset=utf-8", PAGE1)),
    record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/logo.png" },
      { "Content-Type", "application/http; msgtype=response" } }, http("image/png", "\137PNG\r\n")),
    record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/old" },
      { "Content-Type", "application/http; msgtype=response" } }, http("text/html", "<p>moved</p>", "301 Moved")),
    record({ { "WARC-Type", "response" }, { "WARC-Target-URI", "https://news.example.kr/a/2" },
      { "WARC-Date", "2024-03-02T05:06:07Z" }, { "Content-Type", "application/http; msgtype=response" } },
      http("text/html", PAGE2)),
  }
end

local function lines(s)
  local out = {}
  for l in s:gmatch("[^\n]+") do out[#out + 1] = l end
  return out
end

t.test("gisa extract x.warc: one record per HTML response, url and fetch date from the archive", function()
  need_readers()
  local d = t.tmpdir()
  local path = t.write(d .. "/news.warc", table.concat(archive()))
  local r = t.gisa({ "extract", path })
  t.eq(r.code, 0, r.err)
  local json = require "gisa.output.json"
  local recs = {}
  for _, l in ipairs(lines(r.out)) do recs[#recs + 1] = json.decode(l) end
  t.eq(#recs, 2)
  t.eq(recs[1].title, "가상시 새 도서관 문 열어")
  t.eq(recs[1].url, "https://news.example.kr/a/1")
  t.eq(recs[2].title, "가상군 축제 사흘간 열린다")
  t.eq(recs[2].url, "https://news.example.kr/a/2")
  t.contains(r.err, path .. ": WARC: 2 records read as articles; 4 skipped: 1 non-HTML responses, "
    .. "1 request records, 1 responses with HTTP status 3xx, 1 warcinfo records")
  -- the fetch date is in the record (the jsonl format writes the fields record.lua lists)
  local e = t.gisa({ "-e", "print(url, fetched, fetched_url)", path })
  t.eq(lines(e.out), { "https://news.example.kr/a/1\t2024-03-01T01:02:03Z\thttps://news.example.kr/a/1",
    "https://news.example.kr/a/2\t2024-03-02T05:06:07Z\thttps://news.example.kr/a/2" })
end)

t.test("a page that states its url keeps it; the fetched one is kept beside it", function()
  need_readers()
  local d = t.tmpdir()
  local body = PAGE1:gsub("</head>", '<link rel="canonical" href="https://news.example.kr/view/1"></head>')
  local path = t.write(d .. "/canon.warc", record({ { "WARC-Type", "response" },
    { "WARC-Target-URI", "https://news.example.kr/a/1?utm_source=feed" }, { "WARC-Date", "2024-03-01T01:02:03Z" },
    { "Content-Type", "application/http; msgtype=response" } }, http("text/html", body)))
  local e = t.gisa({ "-e", "print(url, fetched_url)", path })
  t.eq(e.err, "")
  t.eq(lines(e.out), { "https://news.example.kr/view/1\thttps://news.example.kr/a/1?utm_source=feed" })
end)

t.test("gisa extract x.warc.gz: the same through gzip members", function()
  need_readers()
  local ok = pcall(require, "gisa.zio")
  if not ok then t.skip("gisa.zio is not in this build") end
  local d = t.tmpdir()
  local names = {}
  for i, rec in ipairs(archive()) do
    names[i] = t.shquote(t.write(d .. "/member" .. i, rec))
  end
  os.execute("for f in " .. table.concat(names, " ") .. "; do gzip -c \"$f\"; done > " .. t.shquote(d .. "/news.warc.gz"))
  local r = t.gisa({ "extract", d .. "/news.warc.gz" })
  t.eq(r.code, 0, r.err)
  t.eq(#lines(r.out), 2)
  t.contains(r.out, '"url":"https://news.example.kr/a/2"')
end)

t.test("a cut archive: the articles before the cut, and a message naming the file and byte", function()
  need_readers()
  local d = t.tmpdir()
  local whole = table.concat(archive())
  local path = t.write(d .. "/cut.warc", whole:sub(1, #whole - 100))
  local r = t.gisa({ "extract", path })
  t.eq(r.code, 1)
  t.eq(#lines(r.out), 1)
  t.match(r.err, "cut%.warc[^\n]*WARC: record 6 %(https://news%.example%.kr/a/2%) cut short: %d+ of %d+ bytes %(byte %d+%)")
end)
