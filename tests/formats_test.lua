-- Output formats: each shipped format on the sample corpus, checked by other
-- programs' parsers (jq, Python's json, csv and html.parser, headless Chromium)
-- and against each other; --fields, --bom, -o, user formats.
local t = require "t"
local json = require "gisa.output.json"
local fields = require "gisa.output.fields"

local corpus = t.root .. "/corpus"

local function need_corpus()
  local f = io.open(corpus .. "/gold.jsonl")
  if not f then t.skip("corpus/ is absent") end
  f:close()
  return corpus
end

local function have(cmd)
  return t.sh("command -v " .. cmd .. " >/dev/null 2>&1").code == 0
end

local function python(code, stdin)
  local p = t.write(t.tmpdir() .. "/check.py", code)
  return t.sh("python3 " .. t.shquote(p), stdin)
end

-- The samples whose gold has no title (crawler bodies), one name a line.
local function untitled()
  local out = {}
  for line in io.lines(corpus .. "/gold.jsonl") do
    local g = json.decode(line)
    if g.title == nil then out[#out + 1] = g.file .. "\n" end
  end
  return table.concat(out)
end

local function ntxt(dir)
  local r = t.sh("find " .. t.shquote(dir) .. " -name '*.txt' | wc -l")
  return tonumber(r.out)
end

local function extract(args, stdin)
  local a = { "extract" }
  for _, x in ipairs(args) do a[#a + 1] = x end
  local r = t.gisa(a, stdin)
  t.eq(r.code, 0, table.concat(args, " ") .. ": " .. r.err)
  return r.out
end

local function records()
  local out = extract({ corpus })
  local list = {}
  for line in out:gmatch("[^\n]+") do list[#list + 1] = json.decode(line) end
  return list, out
end

------------------------------------------------------------------------------
-- jsonl and json
------------------------------------------------------------------------------

t.test("jsonl of corpus/ parses with jq and Python's json, one object per article", function()
  need_corpus()
  local _, out = records()
  local n = ntxt(corpus)
  t.ok(n >= 5, "corpus has articles")
  local f = t.write(t.tmpdir() .. "/c.jsonl", out)
  local r = t.sh("jq -c '[.file, .title]' " .. t.shquote(f) .. " | wc -l")
  t.eq(r.code, 0, r.err)
  t.eq(tonumber(r.out), n, "jq objects")
  r = t.sh("jq -r 'select((.body | type) != \"array\") | .file' " .. t.shquote(f))
  t.eq(r.out, "", "every record has a body list")
  -- a title, except in a crawler body that has none (corpus/gold.jsonl says which)
  r = t.sh("jq -r 'select(.title == null) | .file' " .. t.shquote(f) .. " | sed 's|.*/||'")
  t.eq(r.out, untitled(), "the records without a title")
  r = python([[
import json, sys
n = 0
for line in open(sys.argv[1] if len(sys.argv) > 1 else 0, encoding="utf-8"):
    d = json.loads(line)
    assert isinstance(d["authors"], list) and isinstance(d["file"], str)
    n += 1
print(n)
]], out)
  t.eq(r.code, 0, r.err)
  t.eq(tonumber(r.out), n)
end)

t.test("jsonl keeps UTF-8 unescaped and escapes only what JSON requires", function()
  local out = extract({ "-" }, "제목 \"따옴\"\t탭\n본문 \\ 슬래시/\n")
  t.contains(out, '"title":"제목 \\"따옴\\"\\t탭"')
  t.ok(not out:find("\\u", 1, true), "no \\u escapes for Korean")
  t.eq(select(2, out:gsub("\n", "")), 1, "one line")
end)

t.test("json is one pretty-printed array equal to the jsonl records", function()
  need_corpus()
  local list = records()
  local out = extract({ "-f", "json", corpus })
  t.match(out, "^%[\n  {\n    \"file\": ")
  t.match(out, "\n%]\n$")
  local arr = json.decode(out)
  t.eq(#arr, #list)
  for i = 1, #list do t.eq(arr[i], list[i], "record " .. i) end
  local r = t.sh("jq length", out)
  t.eq(tonumber(r.out), #list, r.err)
  t.eq(gisa.render({}, "json"), "[]\n", "no records")
end)

t.test("--fields selects and orders keys for jsonl, dotted paths map over lists", function()
  need_corpus()
  local list = records()
  local out = extract({ "--fields", "title,authors.name,body.1", corpus })
  local i = 0
  for line in out:gmatch("[^\n]+") do
    i = i + 1
    t.match(line, '^{"title":.-,"authors%.name":%[.-%],"body%.1":')
    local d = json.decode(line)
    local names = {}
    for j, a in ipairs(list[i].authors) do names[j] = a.name end
    t.eq(d["authors.name"], names, "authors.name of " .. list[i].file)
    t.eq(d["body.1"], list[i].body[1])
    t.eq(d.title, list[i].title)
  end
  t.eq(i, #list)
end)

t.test("an unknown --fields name is a usage error that lists the valid names", function()
  local r = t.gisa({ "extract", "--fields", "title,nope,authors.x", "-" }, "제목\n")
  t.eq(r.code, 2)
  t.contains(r.err, "gisa: unknown fields 'nope', 'authors.x' (valid fields: file, encoding")
  t.contains(r.err, "authors.name")
  t.contains(r.err, "Try 'gisa extract --help'")
  t.eq(r.out, "")
end)

------------------------------------------------------------------------------
-- csv and tsv
------------------------------------------------------------------------------

-- Python reads the csv/tsv and the jsonl, builds each cell from the jsonl by the
-- documented rules (lists joined with "; ", an author as "name role <email>",
-- a caption as its text) and compares.
local CSV_CHECK = [[
import csv, json, sys
kind, table_path, jsonl_path, fields, enc = sys.argv[1:6]
fields = fields.split(",")
delim = "," if kind == "csv" else "\t"
def item(x):
    if isinstance(x, dict):
        if "name" in x:
            s = x["name"]
            if x.get("role"): s += " " + x["role"]
            if x.get("email"): s += " <" + x["email"] + ">"
            return s
        if "q" in x or "a" in x:
            return "Q. " + (x.get("q") or "") + " A. " + (x.get("a") or "")
        if "speaker" in x and "text" in x:
            return "\u201c" + x["text"] + "\u201d \u2014 " + x["speaker"]
        if "text" in x:
            c = x.get("credit")
            return x["text"] + (" (" + c + ")" if c and c not in x["text"] else "")
    return "" if x is None else str(x)
def get(rec, path):
    v = rec
    for i, k in enumerate(path):
        if v is None: return None
        if k.isdigit():
            k = int(k) - 1
            v = v[k] if k < len(v) else None
        elif isinstance(v, list):
            return ["" if y is None else y for y in (get(e, path[i:]) for e in v)]
        else:
            v = v.get(k)
    return v
def cell(v):
    if v is None: return ""
    if isinstance(v, list): return "; ".join(item(x) for x in v)
    if isinstance(v, dict): return item(v)
    if isinstance(v, bool): return "true" if v else "false"
    return str(v)
recs = [json.loads(l) for l in open(jsonl_path, encoding="utf-8")]
with open(table_path, encoding=enc, newline="") as f:
    if kind == "csv":
        rows = list(csv.reader(f, delimiter=delim, strict=True))
    else:
        # tsv: one record a line, \t \n \r \\ escaped
        import re
        un = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
        def unescape(c): return re.sub(r"\\(.)", lambda m: un[m.group(1)], c)
        lines = f.read().split("\n")
        lines.pop()
        rows = [list(map(unescape, line.split("\t"))) for line in lines]
assert rows[0] == fields, ("header", rows[0])
assert len(rows) == len(recs) + 1, (len(rows), len(recs))
cells = 0
for rec, row in zip(recs, rows[1:]):
    assert len(row) == len(fields), row
    for name, got in zip(fields, row):
        want = cell(get(rec, name.split(".")))
        assert got == want, (rec["file"], name, got, want)
        cells += 1
print(cells)
]]

local CSV_FIELDS = "file,site,publisher,title,subtitles,section,authors,authors.name,authors.email,"
  .. "emails,published,modified,body,qa.q,qa.a,captions,captions.credit,quotes.speaker,copyright"

for _, kind in ipairs({ "csv", "tsv" }) do
  t.test(kind .. " parses with Python's csv into the same fields and values as the jsonl", function()
    need_corpus()
    local _, jl = records()
    local d = t.tmpdir()
    t.write(d .. "/c.jsonl", jl)
    t.write(d .. "/c." .. kind, extract({ "-f", kind, "--fields", CSV_FIELDS, corpus }))
    local r = python(CSV_CHECK .. "", nil)
    r = t.sh("python3 " .. t.shquote(d .. "/check.py") .. " " .. kind .. " " .. t.shquote(d .. "/c." .. kind)
      .. " " .. t.shquote(d .. "/c.jsonl") .. " " .. CSV_FIELDS .. " utf-8")
    t.eq(r.code, 0, r.err)
    local n = select(2, CSV_FIELDS:gsub(",", "")) + 1
    t.eq(tonumber(r.out), n * ntxt(corpus), "cells compared")
  end)
end

t.test("csv without --fields has every field but blocks and removed; --bom reads as utf-8-sig", function()
  need_corpus()
  local _, jl = records()
  local d = t.tmpdir()
  t.write(d .. "/c.jsonl", jl)
  local out = extract({ "-f", "csv", "--bom", corpus })
  t.eq(out:sub(1, 3), "\239\187\191", "BOM first")
  t.write(d .. "/b.csv", out)
  local want = {}
  for _, f in ipairs(require("gisa.engine.record").fields) do
    if f ~= "blocks" and f ~= "removed" then want[#want + 1] = f end
  end
  python(CSV_CHECK)
  local r = t.sh("python3 " .. t.shquote(d .. "/check.py") .. " csv " .. t.shquote(d .. "/b.csv") .. " "
    .. t.shquote(d .. "/c.jsonl") .. " " .. table.concat(want, ",") .. " utf-8-sig")
  t.eq(r.code, 0, r.err)
  t.ok(not extract({ "-f", "tsv", corpus }):find("^\239\187\191"), "no BOM unless asked")
end)

t.test("csv quotes as RFC 4180; tsv escapes tab, newline, CR and backslash: one record a line", function()
  local rec = { title = 'a,b "c"', body = { "줄\n바꿈", "탭\t있음 \\ 끝" }, authors = {} }
  local csv = gisa.render(rec, "csv", { fields = "title,body,authors,published" })
  t.eq(csv, 'title,body,authors,published\n"a,b ""c""","줄\n바꿈; 탭\t있음 \\ 끝",,\n')
  local tsv = gisa.render(rec, "tsv", { fields = "title,body,authors,published" })
  t.eq(tsv, 'title\tbody\tauthors\tpublished\na,b "c"\t줄\\n바꿈; 탭\\t있음 \\\\ 끝\t\t\n',
    "tsv escapes, never quotes")
  t.eq(select(2, tsv:gsub("\n", "")), 2, "a header line and one record line")
  -- a multi-line answer stays on its row
  local qa = gisa.render({ qa = { { q = "질문", a = "첫 줄\n둘째 줄" } } }, "tsv", { fields = "qa" })
  t.eq(qa, "qa\nQ. 질문 A. 첫 줄\\n둘째 줄\n")
end)

t.test("csv: a part of a list keeps one item per item (authors.email beside authors.name)", function()
  local rec = { authors = { { name = "오지민", email = "jimin@example.co.kr" }, { name = "강태현" },
    { name = "박서윤", email = "sy@example.com" } } }
  local csv = gisa.render(rec, "csv", { fields = "authors.name,authors.email" })
  t.eq(csv, "authors.name,authors.email\n오지민; 강태현; 박서윤,jimin@example.co.kr; ; sy@example.com\n")
  local names, emails = csv:match("\n([^,]*),([^\n]*)")
  t.eq(select(2, names:gsub(";", "")), select(2, emails:gsub(";", "")), "as many items")
end)

------------------------------------------------------------------------------
-- markdown, text
------------------------------------------------------------------------------

t.test("markdown: # title, subtitles quoted, byline, paragraphs, Q&A, captions, rules between articles", function()
  need_corpus()
  local list = records()
  local out = extract({ "-f", "markdown", corpus })
  local docs = {}
  for doc in (out .. "\n---\n\n"):gmatch("(.-)\n\n%-%-%-\n\n") do docs[#docs + 1] = doc end
  t.eq(#docs, #list, "one document per article")
  for i, rec in ipairs(list) do
    local md = docs[i]
    if rec.title then t.eq(md:match("^# ([^\n]*)"):gsub("\\", ""), rec.title, rec.file)
    else t.ok(not md:find("^# "), rec.file .. ": no title, no heading") end
    local q = select(2, md:gsub("\n%*%*Q%. ", ""))
    local nq = 0
    for _, b in ipairs(rec.blocks) do if b.type == "question" then nq = nq + 1 end end
    t.eq(q, nq, "questions in " .. rec.file)
    for _, s in ipairs(rec.subtitles) do t.contains(md, "> " .. s:gsub("^([#>+=-])", "\\%1"), rec.file) end
    for _, a in ipairs(rec.authors) do t.contains(md, a.name, rec.file) end
    if rec.published then t.contains(md, "입력 " .. fields.date(rec.published), rec.file) end
    for _, c in ipairs(rec.captions) do
      -- a caption without a credit ("| 설명") is matched by its text
      local key = c.credit or c.text
      t.match(md, "\n%*[^\n]*" .. key:gsub("%p", "%%%0") .. "[^\n]*%*\n", "caption in " .. rec.file)
    end
  end
end)

t.test("markdown escapes text that would become markup", function()
  local md = gisa.render({ title = "# 제목 *별*", body = { "- 목록 아님", "1. 번호 아님", "<b>태그</b>" } }, "markdown")
  t.eq(md, "# \\# 제목 \\*별\\*\n\n\\- 목록 아님\n\n1\\. 번호 아님\n\n\\<b\\>태그\\</b\\>\n")
end)

t.test("text: the clean article holds every body paragraph and no markup", function()
  need_corpus()
  local list = records()
  local out = extract({ "-f", "text", corpus })
  local sep = "\n" .. string.rep("-", 72) .. "\n\n"
  local parts, pos = {}, 1
  while true do
    local a, b = out:find(sep, pos, true)
    parts[#parts + 1] = out:sub(pos, (a or 0) - 1)
    if not a then break end
    pos = b + 1
  end
  t.eq(#parts, #list)
  for i, rec in ipairs(list) do
    local txt = parts[i]
    if rec.title then t.eq(txt:match("^[^\n]*"), rec.title) end
    for _, p in ipairs(rec.body) do t.contains(txt, p, rec.file) end
    t.ok(not txt:find("\\", 1, true) and not txt:find("**", 1, true), "no markdown in text")
  end
end)

------------------------------------------------------------------------------
-- html
------------------------------------------------------------------------------

local HTML_CHECK = [[
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "link", "input"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.hrefs, self.text = [], [], set(), [], []
        self.h2 = []; self.in_h2 = None; self.external = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "a": self.hrefs.append(a.get("href"))
        for k in ("src", "srcset"):
            if k in a: self.external.append(a[k])
        if tag == "link" or tag == "script": self.external.append(tag)
        if tag not in VOID: self.stack.append(tag)
        if tag == "h2" and "article" in (self.stack[-3:-1] and "section" or ""): pass
        if tag == "h2": self.in_h2 = []
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> (open: %s)" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()
        if tag == "h2" and self.in_h2 is not None:
            self.h2.append("".join(self.in_h2)); self.in_h2 = None
    def handle_data(self, d):
        if self.in_h2 is not None: self.in_h2.append(d)
        self.text.append(d)
src = open(sys.argv[1], encoding="utf-8").read()
p = Check(); p.feed(src); p.close()
assert src.startswith("<!DOCTYPE html>"), "doctype"
assert not p.errors, p.errors
assert not p.stack, ("unclosed", p.stack)
assert not p.external, ("external resources", p.external)
for h in p.hrefs:
    assert h.startswith("#") and h[1:] in p.ids, ("link", h)
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    assert line in p.h2, ("title not in an <h2>", line, p.h2[:3])
print(len(p.hrefs))
]]

local function html_page()
  need_corpus()
  local list = records()
  local d = t.tmpdir()
  local page = extract({ "-f", "html", corpus })
  t.write(d .. "/page.html", page)
  local titles = {}
  for _, r in ipairs(list) do titles[#titles + 1] = r.title end
  t.write(d .. "/titles.txt", table.concat(titles, "\n") .. "\n")
  return d, page, list
end

t.test("html parses with Python's html.parser: balanced, titles in the DOM, TOC links resolve, nothing external", function()
  local d, page, list = html_page()
  python(HTML_CHECK)
  local r = t.sh("python3 " .. d .. "/check.py " .. d .. "/page.html " .. d .. "/titles.txt")
  t.eq(r.code, 0, r.err)
  t.eq(tonumber(r.out), #list, "one TOC link per article")
  t.contains(page, '<html lang="ko">')
  t.contains(page, '<meta charset="utf-8">')
  t.eq(select(2, page:gsub('<section class="article"', "")), #list)
end)

t.test("html escapes every text", function()
  local page = gisa.render({ title = "<script>alert('x')</script> & 기사", body = { "a < b > c \"q\"" },
    authors = { { name = "홍<길동>", role = "기자" } } }, "html")
  t.ok(not page:find("<script>", 1, true), "no live script")
  t.contains(page, "<h2>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 기사</h2>")
  t.contains(page, "<p>a &lt; b &gt; c &quot;q&quot;</p>")
  t.contains(page, "홍&lt;길동&gt; 기자")
  t.contains(page, "<title>&lt;script&gt;")
end)

-- PNG pixels with Python: decode IDAT, undo the filters, count the pixels that
-- differ from the top-left (background) colour, and compare two screenshots.
local PNG = [[
import sys, zlib, struct
def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for y in range(h):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return w, h, bpp, rows
w, h, bpp, rows = pixels(sys.argv[1])
bg = rows[0][:3]
ink = sum(1 for r in rows for x in range(0, len(r), bpp) if r[x:x + 3] != bg)
colours = len({r[x:x + 3] for r in rows[::7] for x in range(0, len(r), bpp * 7)})
out = [w, h, ink, colours]
if len(sys.argv) > 2:
    w2, h2, _, rows2 = pixels(sys.argv[2])
    out.append(sum(1 for a, b in zip(rows, rows2) for x in range(0, len(a), bpp) if a[x:x + 3] != b[x:x + 3]))
print(*out)
]]

local function screenshot(html, png)
  local r = t.sh("cd " .. t.shquote(t.tmpdir()) .. " && timeout 120 chromium --headless --no-sandbox --disable-gpu"
    .. " --hide-scrollbars --screenshot=" .. t.shquote(png) .. " --window-size=1200,1600 "
    .. t.shquote("file://" .. html))
  t.eq(r.code, 0, "chromium: " .. r.err)
  t.ok(t.read(png), "screenshot written")
end

t.slow("html in headless Chromium: the screenshot is not blank and the title's glyphs are drawn", function()
  if not have("chromium") then t.skip("chromium is not installed (tools/deps test installs it)") end
  local d = html_page()
  screenshot(d .. "/page.html", d .. "/page.png")
  -- the same page with the article titles hidden: the pixels must differ
  local page = t.read(d .. "/page.html")
  t.write(d .. "/hidden.html", (page:gsub("</style>", "section.article h2 { visibility: hidden; }\n</style>", 1)))
  screenshot(d .. "/hidden.html", d .. "/hidden.png")
  t.write(d .. "/blank.html", "<!DOCTYPE html><html><body></body></html>")
  screenshot(d .. "/blank.html", d .. "/blank.png")
  python(PNG)
  local r = t.sh("python3 " .. d .. "/check.py " .. d .. "/page.png " .. d .. "/hidden.png")
  t.eq(r.code, 0, r.err)
  local w, h, ink, colours, diff = r.out:match("(%d+) (%d+) (%d+) (%d+) (%d+)")
  t.eq(tonumber(w), 1200); t.eq(tonumber(h), 1600)
  t.ok(tonumber(ink) > 20000, "text and rules drawn (" .. tostring(ink) .. " pixels off the background)")
  t.ok(tonumber(colours) > 8, "more than a few colours (" .. tostring(colours) .. ")")
  t.ok(tonumber(diff) > 500, "hiding the title changes the picture (" .. tostring(diff) .. " pixels)")
  r = t.sh("python3 " .. d .. "/check.py " .. d .. "/blank.png")
  local _, _, blank_ink = r.out:match("(%d+) (%d+) (%d+)")
  t.eq(tonumber(blank_ink), 0, "a blank page is all background: " .. r.err)
end)

t.slow("html in headless Chromium: every article title is in the rendered DOM", function()
  if not have("chromium") then t.skip("chromium is not installed (tools/deps test installs it)") end
  local d, _, list = html_page()
  local r = t.sh("cd " .. t.shquote(d) .. " && timeout 120 chromium --headless --no-sandbox --disable-gpu"
    .. " --dump-dom " .. t.shquote("file://" .. d .. "/page.html") .. " 2>/dev/null")
  t.eq(r.code, 0, "chromium --dump-dom")
  local dom = r.out:gsub("&amp;", "&"):gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"'):gsub("&#39;", "'")
  local n = 0
  for _, rec in ipairs(list) do
    if rec.title then
      n = n + 1
      t.contains(dom, rec.title, "title of " .. rec.file .. " in the DOM")
    end
  end
  t.ok(n >= 12, "titles checked: " .. n)
end)

------------------------------------------------------------------------------
-- -o, user formats, -f by path
------------------------------------------------------------------------------

t.test("-o writes the whole output under FILE and leaves no temporary file", function()
  local d = t.tmpdir() .. "/out1"
  os.execute("mkdir -p " .. d)
  local r = t.gisa({ "extract", "-f", "csv", "-o", d .. "/x.csv", "-" }, "제목\n본문\n")
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "")
  t.match(t.read(d .. "/x.csv"), "^file,encoding,")
  t.eq(t.sh("ls " .. d).out, "x.csv\n")
end)

t.test("-o: a run that fails or is killed leaves the old FILE as it was", function()
  local d = t.tmpdir() .. "/out2"
  os.execute("mkdir -p " .. d .. "/in")
  t.write(d .. "/in/a.txt", "가\n본문\n")
  t.write(d .. "/in/b.txt", "나\n본문\n")
  t.write(d .. "/in/c.txt", "다\n본문\n")
  t.write(d .. "/out.txt", "OLD\n")
  t.write(d .. "/fails.lua", [[
return { write = function(out, rec, n)
  out:write(rec.file, "\n")
  if n == 2 then error("format broke on " .. rec.file) end
end }
]])
  local r = t.gisa({ "extract", "-f", d .. "/fails.lua", "-o", d .. "/out.txt", d .. "/in" })
  t.eq(r.code, 1)
  t.contains(r.err, "format broke on " .. d .. "/in/b.txt")
  t.eq(t.read(d .. "/out.txt"), "OLD\n", "old file untouched")
  t.eq(t.sh("ls " .. d).out, "fails.lua\nin\nout.txt\n", "no temporary file left")
  -- killed mid-run: the half-written output is never under the final name
  t.write(d .. "/dies.lua", [[
return { write = function(out, rec, n)
  out:write(rec.file, "\n"); out:flush()
  if n == 2 then os.execute("kill -9 " .. gisa.sys.getpid()) end
end }
]])
  local function killed(out)
    -- the subshell, not the test's shell, reports the signal (on its stderr)
    local q = t.shquote
    local res = t.sh(q(t.bin) .. " extract -f " .. q(d .. "/dies.lua") .. " -o " .. q(out) .. " "
      .. q(d .. "/in") .. "; echo status=$?")
    t.contains(res.out, "status=137", "killed by SIGKILL: " .. res.err)
  end
  killed(d .. "/new.txt")
  t.eq(t.read(d .. "/new.txt"), nil, "no file under the final name")
  killed(d .. "/out.txt")
  t.eq(t.read(d .. "/out.txt"), "OLD\n", "old file untouched after a kill")
end)

t.test("a user format in a -I directory is used by -f NAME, a path by -f PATH", function()
  local u = t.tmpdir() .. "/fmtdir"
  os.execute("mkdir -p " .. u .. "/formats")
  t.write(u .. "/formats/titles.lua", [[
local F = {}
function F.open(out) out:write("BEGIN\n") end
function F.write(out, rec, n) out:write(n, ". ", rec.title, "\n") end
function F.close(out, n) out:write("END ", n, "\n") end
return F
]])
  local r = t.gisa({ "-I", u, "extract", "-f", "titles", "-" }, "첫 기사\n본문\n")
  t.eq(r.out, "BEGIN\n1. 첫 기사\nEND 1\n", r.err)
  r = t.gisa({ "extract", "-f", u .. "/formats/titles.lua", "-" }, "둘째\n")
  t.eq(r.out, "BEGIN\n1. 둘째\nEND 1\n", r.err)
  r = t.gisa({ "extract", "-f", "titles", "-" }, "x\n", { GISA_PATH = u })
  t.eq(r.out, "BEGIN\n1. x\nEND 1\n", r.err)
  r = t.gisa({ "extract", "-f", "nosuch", "-" }, "x\n")
  t.eq(r.code, 2)
  t.contains(r.err, "unknown format 'nosuch' (formats: csv, html, json, jsonl, markdown, text, tsv")
  r = t.gisa({ "extract", "-f", u .. "/missing.lua", "-" }, "x\n")
  t.eq(r.code, 2, r.err)
end)

t.test("every shipped format writes an empty article and an empty run", function()
  local cols = {}
  for _, f in ipairs(require("gisa.engine.record").fields) do
    if f ~= "blocks" and f ~= "removed" then cols[#cols + 1] = f end
  end
  local empty = { jsonl = "", json = "[]\n", csv = table.concat(cols, ",") .. "\n",
    tsv = table.concat(cols, "\t") .. "\n", markdown = "", text = "" }
  for _, f in ipairs({ "jsonl", "json", "csv", "tsv", "markdown", "text", "html" }) do
    -- a blank line: an article with no text (empty input is no article at all)
    local r = t.gisa({ "extract", "-f", f, "-" }, "\n")
    t.eq(r.code, 0, f .. ": " .. r.err)
    t.ok(#r.out > 0, f .. " wrote something for an empty article")
    local s = gisa.render({}, f)
    if f == "html" then
      t.match(s, "^<!DOCTYPE html>.*<main>\n\n</main>\n</body>\n</html>\n$")
    else
      t.eq(s, empty[f], f .. ": no records")
    end
  end
  t.eq(gisa.render({}, "csv", { fields = "title" }), "title\n")
end)

t.test("--fields orders the parts of markdown, text and html too", function()
  local rec = { title = "제목", file = "a.txt", body = { "문단" }, authors = { { name = "홍길동", role = "기자" } },
    published = "2024-01-02T03:04:00+09:00" }
  t.eq(gisa.render(rec, "text", { fields = "published,title,authors.name,file" }),
    "입력 2024-01-02 03:04\n\n제목\n\nauthors.name: 홍길동\n\nfile: a.txt\n")
  t.eq(gisa.render(rec, "markdown", { fields = "title,authors,published" }),
    "# 제목\n\n홍길동 기자 · 입력 2024-01-02 03:04\n")
  t.contains(gisa.render(rec, "html", { fields = "file,title" }), '<p class="field"><b>file:</b> a.txt</p>\n<h2>제목</h2>')
end)

t.test("a writer's direct and piece functions write what write does, header once, for record-only and split formats", function()
  local writer = require "gisa.output.writer"
  local recs = {
    { title = "제목, \"따옴표\"", file = "a.txt", body = { "문단\t하나", "둘" }, authors = { { name = "홍길동", role = "기자" } } },
    { title = "둘째", file = "b.txt", subtitles = { "부제" } },
    { title = "셋째", file = "c.txt", body = { "*강조* `코드` <태그>" }, qa = { { q = "질문", a = "답" } } },
    -- no title, no file: html's table of contents names it by its number
    { body = { "본문 & 끝" }, publisher = "신문<사>", published = "2024-01-02T03:04:00+09:00" },
  }
  -- json, markdown and text split write into before (the separator) and
  -- record; html into prepare (in a -j worker) and write_prepared (numbered)
  for _, f in ipairs({ "jsonl", "csv", "tsv", "json", "markdown", "text", "html" }) do
    for _, o in ipairs({ {}, { fields = "title,authors.name" }, { bom = true } }) do
      for nrec = 0, #recs do
        local a, b, c = writer.buffer(), writer.buffer(), writer.buffer()
        local wa, wb, wc = writer.new(f, a, o), writer.new(f, b, o), writer.new(f, c, o)
        local piece, direct = wa:piece(), wb:direct()
        for i = 1, nrec do
          local r = recs[i]
          wa:put(piece(r))
          t.eq(direct(r), true, f)
          wc:write(r)
        end
        wa:close(); wb:close(); wc:close()
        t.eq(a:tostring(), c:tostring(), f .. ": piece and put")
        t.eq(b:tostring(), c:tostring(), f .. ": direct")
        t.eq(wb.n, nrec, f .. ": records counted")
        if f == "html" and nrec == 4 and not o.fields then
          t.contains(c:tostring(), '<li><a href="#a4">기사 4</a> <span class="meta">신문&lt;사&gt; · ')
          t.contains(c:tostring(), '<section class="article" id="a4">\n<p class="meta">')
        end
      end
    end
  end
  -- a format with write alone is written whole, in the parent
  local whole = { write = function(out, rec, n) out:write(n, rec.title) end }
  t.eq(writer.new(whole, writer.buffer()):direct(), nil)
  t.eq(writer.new(whole, writer.buffer()):piece(), nil)
end)
