-- The report script: one self-contained HTML file, checked in the DOM that
-- headless Chromium builds and on a screenshot that must not be blank.
local t = require "t"

local function need_analysis()
  if not package.searchpath("gisa.analysis", package.path) then t.skip("gisa.analysis not merged yet") end
end

local report   -- built once, shared by the tests below
local function build()
  need_analysis()
  if report then return report end
  local out = t.tmpdir() .. "/report.html"
  local r = t.gisa({ "report", "-q", "-o", out, t.root .. "/corpus" })
  t.eq(r.code, 0, r.err)
  report = { path = out, html = t.read(out) }
  return report
end

local function chromium()
  for _, c in ipairs({ "chromium", "chromium-browser", "google-chrome" }) do
    if t.sh("command -v " .. c).code == 0 then return c end
  end
  t.skip("no chromium on this machine: install it (tools/deps test) to check the report in a browser")
end

t.test("report: one self-contained file (no network, no script), all sections", function()
  local html = build().html
  t.match(html, "^<!DOCTYPE html>")
  for _, id in ipairs({ "overview", "terms", "kwic", "people", "quotes", "articles" }) do
    t.contains(html, 'id="' .. id .. '"', "section " .. id)
  end
  t.ok(not html:find("<script", 1, true), "no script")
  t.ok(not html:find('src="http', 1, true) and not html:find("<link", 1, true), "no external resources")
  t.contains(html, "<style>")
  -- people and quotes from our own sample corpus
  t.contains(html, "<td>백승아</td><td>원장</td>")
  t.contains(html, "<td>고영배 <span")
end)

t.test("report: terms link to concordance lines, lines to article paragraphs", function()
  local html = build().html
  local ids = {}
  for id in html:gmatch('id="([^"]+)"') do ids[id] = true end
  local terms, lines = 0, 0
  for href in html:gmatch('<a class="term" href="#([^"]+)"') do
    terms = terms + 1
    t.ok(ids[href], "term target exists: " .. href)
  end
  for href in html:gmatch('<a class="line" href="#([^"]+)"') do
    lines = lines + 1
    t.ok(ids[href], "line target exists: " .. href)
    t.match(href, "^art%-%d+%-p%d+$")
  end
  t.eq(terms, 20)
  t.ok(lines >= 100, "concordance lines: " .. lines)
end)

t.test("report: --help, and -o to a directory that does not exist is a usage error", function()
  need_analysis()
  local r = t.gisa({ "report", "--help" })
  t.eq(r.code, 0)
  t.match(r.out, "^usage: gisa report")
  r = t.gisa({ "report", "-q", "-o", "/nonexistent/dir/r.html", t.root .. "/corpus" })
  t.eq(r.code, 2)
  t.contains(r.err, "cannot write /nonexistent/dir/r.html")
end)

t.slow("report in headless Chromium: SVG charts and links in the DOM", function()
  local rep = build()
  local c = chromium()
  local r = t.sh(c .. " --headless --no-sandbox --disable-gpu --dump-dom file://" .. rep.path .. " 2>/dev/null")
  t.eq(r.code, 0, r.err)
  local dom = r.out
  for _, id in ipairs({ "chart-publishers", "chart-timeline", "chart-terms" }) do
    t.match(dom, '<svg id="' .. id:gsub("%-", "%%-") .. '"[^>]*>.-<rect', "chart " .. id)
  end
  t.match(dom, '<a class="term" href="#kwic%-1">')
  t.match(dom, '<h3 id="kwic%-1">')
  t.match(dom, '<a class="line" href="#art%-%d+%-p%d+">')
  t.match(dom, '<p id="art%-1%-p1">')
end)

-- Mean and variance of a PNG's pixels, decoded with python3's zlib (8-bit RGB/RGBA).
local PNGSTAT = [[
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
i, idat, w, h, ct = 8, b'', 0, 0, 0
while i < len(d):
    n, = struct.unpack('>I', d[i:i+4]); typ = d[i+4:i+8]; body = d[i+8:i+8+n]
    if typ == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', body[:10])
    if typ == b'IDAT': idat += body
    i += 12 + n
bpp = {2: 3, 6: 4}[ct]
raw = zlib.decompress(idat); stride = w * bpp
prev = bytearray(stride); s = s2 = cnt = 0; distinct = set()
for y in range(h):
    f = raw[y*(stride+1)]; line = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, stride, bpp * 4):
            v = line[x] + line[x+1] + line[x+2]; s += v; s2 += v * v; cnt += 1
            distinct.add(bytes(line[x:x+3]))
mean = s / cnt
print(w, h, round(mean, 1), round(s2 / cnt - mean * mean, 1), len(distinct))
]]

t.slow("report in headless Chromium: the screenshot is not blank", function()
  local rep = build()
  local c = chromium()
  if t.sh("command -v python3").code ~= 0 then t.skip("no python3 to decode the PNG") end
  local png = t.tmpdir() .. "/report.png"
  local r = t.sh(c .. " --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=" .. png ..
    " --window-size=1200,2000 file://" .. rep.path .. " 2>/dev/null")
  t.eq(r.code, 0, r.err)
  local py = t.write(t.tmpdir() .. "/pngstat.py", PNGSTAT)
  r = t.sh("python3 " .. py .. " " .. png)
  t.eq(r.code, 0, r.err)
  local w, h, mean, var, colours = r.out:match("^(%d+) (%d+) ([%d%.]+) ([%d%.]+) (%d+)")
  t.eq(tonumber(w), 1200)
  t.eq(tonumber(h), 2000)
  t.ok(tonumber(var) > 1000, "pixel variance " .. tostring(var) .. " (a blank page is ~0)")
  t.ok(tonumber(colours) > 50, "distinct colours " .. tostring(colours))
  t.ok(tonumber(mean) < 3 * 250, "not all white: mean " .. tostring(mean))
end)

t.test("report: the quotes are the records' (one quote finder), each speaker with the person's title", function()
  local html = build().html
  local gisa = require "gisa"
  local n, texts = 0, {}
  for a in gisa.articles({ t.root .. "/corpus" }) do
    for _, q in ipairs(a.quotes or {}) do n = n + 1; texts[#texts + 1] = q.text end
  end
  t.ok(n > 0, "the sample corpus has quotes")
  t.contains(html, "<b>" .. n .. "</b><span>quotes</span>", "the overview counts the records' quotes")
  local section = html:match('<section id="quotes">(.-)</section>')
  local rows = 0
  for _ in section:gmatch("<blockquote>") do rows = rows + 1 end
  t.eq(rows, n, "one row a quote")
  local esc = function(s) return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" })) end
  t.contains(section, "“" .. esc(texts[1]) .. "”")
end)

-- Lua instructions, not time (the machine is shared): the report script run
-- under a count hook, on one article of N and 4N lines. Linear is 4 times
-- the instructions (less: the fixed cost of loading the rules), quadratic 16.
t.slow("report is linear in the length of one article (Lua instructions)", function()
  need_analysis()
  local d = t.tmpdir() .. "/report-long"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local hook = d .. "/count.lua"
  t.write(hook, [[
local script = table.remove(arg, 1)
arg[0] = script
local n = 0
debug.sethook(function() n = n + 1 end, "", 1000)
dofile(script)
debug.sethook()
io.stderr:write("instructions ", n, "\n")
]])
  local function cost(lines)
    local parts = { "긴 기사의 제목\n\n" }
    for i = 1, lines do
      parts[#parts + 1] = string.format("장병탁 서울대 교수는 “반도체 설계 인력이 %d명 부족하다”고 말했다. " ..
        "장 교수는 기업과 대학의 협력을 %d번 강조했다.\n", i, i % 97)
    end
    local f = d .. "/long" .. lines .. ".txt"
    t.write(f, table.concat(parts))
    local r = t.gisa({ hook, t.root .. "/scripts/report.lua", "-q", "-j", "1", "-o", d .. "/r.html", f })
    t.eq(r.code, 0, r.err)
    return tonumber(r.err:match("instructions (%d+)"))
  end
  local c1, c4 = cost(5000), cost(20000)
  t.ok(c4 < 4.6 * c1, string.format("4x the lines: %.2fx the instructions", c4 / c1))
end)

-- A partial state written before report counted its words in C keeps each
-- article's distinct words as a list with no counts (their counts summed in
-- the state's `all`), one written before its quotes were a flat list keeps a
-- table a quote, and one written before the page's rows and sections were
-- made with the article keeps its quotes instead (their rows made in the
-- parent): such a state still merges, to the page of one run.
t.test("report: a partial state of the older layout (words without counts, a table a quote) merges to the one run's page", function()
  need_analysis()
  local wire = require "gisa.wire"
  local d = t.tmpdir() .. "/report-old-layout"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local one, part, merged = d .. "/one.html", d .. "/part", d .. "/merged.html"
  local r = t.gisa({ "report", "-q", "-j", "1", "-o", one, t.root .. "/corpus" })
  t.eq(r.code, 0, r.err)
  r = t.gisa({ "report", "-q", "-j", "1", "--partial", "-o", part, t.root .. "/corpus" })
  t.eq(r.code, 0, r.err)
  -- the frames (header, state) of the file, the state's docs rewritten
  local data = t.read(part)
  local magic = data:match("^[^\n]*\n")
  local at, frames = #magic + 1, {}
  while true do
    local n
    n, at = string.unpack("<I4", data, at)
    if n == 0 then break end
    frames[#frames + 1] = wire.decode(data:sub(at, at + n - 1))
    at = at + n
  end
  local function varint(s, i)
    local v, shift = 0, 0
    while true do
      local c = s:byte(i)
      i = i + 1
      v = v | ((c & 0x7F) << shift)
      if c < 0x80 then return v, i end
      shift = shift + 7
    end
  end
  -- a quote back from its row in the page's quotes table
  local function unesc(x)
    return (x:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"'):gsub("&#39;", "'"):gsub("&amp;", "&"))
  end
  local function quote_of(row)
    local who, verb, text = row:match('<tr><td>(.-)</td><td>(.-)</td><td><blockquote>“(.-)”</blockquote>')
    t.ok(who, "a quote's row: " .. row)
    local speaker, title = who:match('^(.-) <span class="q">(.-)</span>$')
    return { unesc(speaker or who), title and unesc(title) or false, unesc(verb), unesc(text) }
  end
  local s = frames[2]
  t.ok(#s.docs > 0, "docs in the partial state")
  local nquotes = 0
  for i, doc in ipairs(s.docs) do
    local head, pos = wire.decode(doc)
    local wat = pos + head[10] + head[11] + head[12]
    local packed = wire.decode(doc, wat)
    local rows = wire.decode(doc, pos + head[10])
    local quotes = {}
    for k = 1, #rows - 1 do quotes[k] = quote_of(rows[k]) end
    nquotes = nquotes + #quotes
    quotes = wire.encode(quotes)
    t.eq(type(packed), "string", "the words of this layout are a packed string")
    local list, k = {}, 1
    while k <= #packed do
      local len, c
      len, k = varint(packed, k)
      local w = packed:sub(k, k + len - 1)
      c, k = varint(packed, k + len)
      list[#list + 1] = w
      s.all[w] = (s.all[w] or 0) + c
    end
    local body = doc:sub(pos, pos + head[10] - 1)
    head[11], head[12] = #quotes, nil
    s.docs[i] = wire.encode(head) .. body .. quotes .. wire.encode(list)
  end
  t.eq(nquotes, s.nquotes, "every quote taken back from its row")
  t.write(part, magic .. string.pack("<s4", wire.encode(frames[1])) .. string.pack("<s4", wire.encode(s))
    .. string.pack("<I4", 0))
  r = t.gisa({ "report", "-q", "--merge", part, "-o", merged })
  t.eq(r.code, 0, r.err)
  t.ok(t.read(merged) == t.read(one), "the merged page is the one run's")
end)
