-- readers/warc.lua: web archives, .warc and .warc.gz (Common Crawl's CC-NEWS;
-- the .gz is undone by the corpus layer through gisa.zio, one member a record).
-- Each `response` record whose HTTP payload is an HTML page (or a `resource`
-- record of HTML) is one article, read by the html reader: its url is the
-- page's own (canonical link, og:url) or else the record's WARC-Target-URI;
-- `fetched` and `fetched_url` keep the WARC-Date and WARC-Target-URI.
-- Every other record is counted and skipped, with one message a file that
-- says how many of what (docs/html.md, "Web archives").
local warc     -- gisa.pipeline.warc, loaded by the first archive read (not at start-up)
local status = require "gisa.cli.status"

local find, lower, format = string.find, string.lower, string.format

-- A record is read (its block held) only when it may be a page.
local function wanted(rec)
  return rec.type == "response" or rec.type == "resource"
end

-- Why a record is not an article, or nil, and the payload when it is one.
local function page_of(rec)
  if not wanted(rec) then return (rec.type or "untyped") .. " records" end
  if rec.too_large then return format("records over %d MB", warc.max_block // (1024 * 1024)) end
  local payload, ctype, headers
  if rec.type == "response" then
    if not rec.http then return "responses that are not HTTP" end
    local st = rec.http.status
    if st < 200 or st >= 300 then return "responses with HTTP status " .. st // 100 .. "xx" end
    headers = rec.http.headers
    payload, ctype = rec.http.payload, headers["content-type"]
  else
    headers = rec.headers
    payload, ctype = rec.block, headers["content-type"]
  end
  if not warc.is_html(ctype) then return "non-HTML responses" end
  local ce = headers["content-encoding"]
  if ce and not find(lower(ce), "^%s*identity%s*$") then
    return "HTML payloads with Content-Encoding " .. lower(ce) .. " (not undone)"
  end
  if payload == "" then return "empty HTML payloads" end
  return nil, payload
end

-- "12 request records, 3 non-HTML responses"
local function summary(counts)
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = counts[k] .. " " .. k end
  return table.concat(parts, ", ")
end

local function read(src, opts)
  warc = warc or require "gisa.pipeline.warc"
  local html = require "gisa.readers.html"
  local records = warc.records(src, { want = wanted })
  local skipped, nskipped, articles, finished = {}, 0, 0, false
  return function()
    while true do
      local rec, err, off = records()
      if rec == nil then
        if not finished then
          finished = true
          if nskipped > 0 then
            status.warn(format("%s: WARC: %d record%s read as article%s; %d skipped: %s", src.path, articles,
              articles == 1 and "" or "s", articles == 1 and "" or "s", nskipped, summary(skipped)))
          end
        end
        return nil
      end
      if rec == false then
        return false, format("WARC: %s (byte %d)", err, off or 0), { offset = off }
      end
      local why, payload = page_of(rec)
      if why then
        skipped[why] = (skipped[why] or 0) + 1
        nskipped = nskipped + 1
      else
        local page = { path = src.path, bytes = function() return payload end }
        local input, msg = html.read(page, opts)()
        if not input then
          return false, format("record %d (%s): %s", rec.n, rec.uri or "?", tostring(msg)), { record = rec.n }
        end
        -- the page's own url (canonical link, og:url) where it states one, else
        -- the one it was fetched from; both fetch facts are kept
        input.extra = input.extra or {}
        input.extra.url = input.extra.url or rec.uri
        input.extra.fetched = rec.date
        input.extra.fetched_url = rec.uri
        input.where = { record = rec.n }
        articles = articles + 1
        return input
      end
    end
  end
end

return {
  name = "warc",
  exts = { "warc" },
  sniff = function(head) return find(head, "^WARC/%d") ~= nil end,
  read = read,
}
