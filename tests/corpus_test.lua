-- The sample corpus (corpus/): its size, the encodings it promises, its hand-written
-- gold file, and a guard that no line of it was copied from the real articles in
-- ../shared/corpus (which are copyrighted and must stay out of the repository).
local t = require "t"
local sys = require "gisa.sys"
local json = require "gisa.output.json"

local dir = t.root .. "/corpus"

local function articles()
  local names = assert(sys.listdir(dir))
  local out = {}
  for _, n in ipairs(names) do
    if n:find("%.txt$") and n:sub(1, 1) ~= "." then out[#out + 1] = n end
  end
  table.sort(out)
  return out
end

local function bytes(name) return assert(t.read(dir .. "/" .. name), name) end

-- Decode one file to UTF-8 by its promised encoding, with iconv (not gisa.enc:
-- this test checks the corpus, not the decoder).
local function iconv(name, from)
  local r = t.sh("iconv -f " .. from .. " -t UTF-8 " .. t.shquote(dir .. "/" .. name))
  t.eq(r.code, 0, "iconv -f " .. from .. " " .. name .. ": " .. r.err)
  return r.out
end

local function kind(b)
  if b:sub(1, 2) == "\255\254" then return "utf-16le" end
  if not utf8.len(b) then return "cp949" end
  return "utf-8"
end

local function text_of(name)
  local b = bytes(name)
  local k = kind(b)
  local s = b
  if k == "utf-16le" then s = iconv(name, "UTF-16")
  elseif k == "cp949" then s = iconv(name, "CP949") end
  return (s:gsub("\r\n", "\n")), k
end

local function lines_of(s)
  local out = {}
  for l in (s:sub(-1) == "\n" and s or s .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = l end
  return out
end

local function gold()
  local f = assert(io.open(dir .. "/gold.jsonl", "rb"))
  local entries, n = {}, 0
  for l in f:lines() do
    n = n + 1
    local e, err = json.decode(l)
    t.ok(e, "gold.jsonl line " .. n .. ": " .. tostring(err))
    t.ok(type(e.file) == "string", "gold.jsonl line " .. n .. " has a file")
    t.ok(not entries[e.file], "gold.jsonl line " .. n .. ": second entry for " .. e.file)
    entries[e.file] = e
    entries[#entries + 1] = e
  end
  f:close()
  return entries
end

t.test("the sample corpus has at least 16 articles, 2 or more per site layout, 4 or more other publishers", function()
  local names = articles()
  t.ok(#names >= 16, "at least 16 articles, got " .. #names)
  local per = {}
  for _, n in ipairs(names) do
    t.match(n, "^%d%d%d_[%a%d]+_[%a%d]+%.txt$", "file name NNN_site_topic.txt")
    local site = n:match("^%d+_([^_]+)_")
    per[site] = (per[site] or 0) + 1
  end
  local others = 0
  for site, c in pairs(per) do
    if not ({ hankyung = 1, fnnews = 1, zdnet = 1, mt = 1, edaily = 1 })[site] then others = others + c end
  end
  for _, s in ipairs({ "hankyung", "fnnews", "zdnet", "mt", "edaily" }) do
    t.ok((per[s] or 0) >= 2, s .. ": at least 2 articles, got " .. (per[s] or 0))
  end
  t.ok(others >= 4, "at least 4 articles of other publishers, got " .. others)
end)

t.test("encodings: exactly one CP949, one UTF-16LE with BOM, one CRLF file; the rest UTF-8 with LF", function()
  local count = { ["utf-8"] = 0, cp949 = 0, ["utf-16le"] = 0 }
  local crlf = {}
  for _, n in ipairs(articles()) do
    local b = bytes(n)
    local k = kind(b)
    count[k] = count[k] + 1
    if k == "utf-8" then
      t.ok(b:sub(1, 3) ~= "\239\187\191", n .. ": no UTF-8 BOM")
      local crs = select(2, b:gsub("\r", ""))
      if crs > 0 then
        -- a CRLF file has CR only before LF, on every line
        t.eq(crs, select(2, b:gsub("\r\n", "")), n .. ": every CR starts a CRLF")
        t.eq(crs, select(2, b:gsub("\n", "")), n .. ": every line ends in CRLF")
        crlf[#crlf + 1] = n
      end
    elseif k == "cp949" then
      local s = iconv(n, "CP949")
      t.ok(utf8.len(s), n .. ": decodes to valid UTF-8")
      t.match(s, "똠", n .. ": has a syllable outside EUC-KR")
      -- so EUC-KR (KS X 1001 only) cannot read the same bytes right: glibc
      -- refuses them or turns the lead byte into a C1 control
      local r = t.sh("iconv -f EUC-KR -t UTF-8 " .. t.shquote(dir .. "/" .. n))
      t.ok(r.code ~= 0 or r.out ~= s, n .. ": EUC-KR does not give the same text")
      t.ok(not r.out:find("똠", 1, true), n .. ": EUC-KR has no 똠")
      t.eq(select(2, b:gsub("\r", "")), 0, n .. ": LF line ends")
    else
      t.eq(#b % 2, 0, n .. ": even number of bytes")
      local s = iconv(n, "UTF-16")
      t.ok(utf8.len(s) and s:find("기자", 1, true), n .. ": decodes to Korean text")
      t.ok(not s:find("\r", 1, true), n .. ": LF line ends")
    end
  end
  t.eq(count.cp949, 1, "CP949 files")
  t.eq(count["utf-16le"], 1, "UTF-16LE files")
  t.eq(#crlf, 1, "CRLF files")
end)

t.test("git keeps the article bytes as they are (corpus/.gitattributes)", function()
  local a = t.read(dir .. "/.gitattributes")
  t.ok(a, "corpus/.gitattributes exists")
  t.match(a, "\n?%*%.txt%s+[^\n]*%-text", "*.txt -text")
end)

t.test("every article is 25 to 90 lines, with a title line and a Korean body (a crawler body: 1 to 25)", function()
  for _, n in ipairs(articles()) do
    local s = text_of(n)
    local ls = lines_of(s)
    if n:find("_crawl_", 1, true) then
      -- the shapes of crawler dumps: newline-collapsed, glued lines
      t.ok(#ls >= 1 and #ls < 25, n .. ": 1-24 lines, got " .. #ls)
      t.ok(#s > 1000, n .. ": more than 1000 bytes of text")
    else
      t.ok(#ls >= 25 and #ls <= 90, n .. ": 25-90 lines, got " .. #ls)
      t.ok(#s > 1500, n .. ": more than 1500 bytes of text")
    end
  end
end)

t.test("gold.jsonl: one entry per article, no entry for a missing file", function()
  local g = gold()
  local names = articles()
  local have = {}
  for _, n in ipairs(names) do
    have[n] = true
    t.ok(g[n], "gold entry for " .. n)
  end
  for _, e in ipairs(g) do t.ok(have[e.file], "gold entry for a missing file: " .. e.file) end
  t.eq(#g, #names, "entries")
  -- in file order, so a diff of the extraction against it reads top to bottom
  for i, e in ipairs(g) do t.eq(e.file, names[i], "entry " .. i) end
end)

t.test("gold.jsonl agrees with the articles it describes", function()
  local g = gold()
  for _, e in ipairs(g) do
    local s, k = text_of(e.file)
    local n = e.file
    t.eq(e.encoding, k, n .. ": encoding")
    t.ok(e.publisher, n .. ": publisher")
    if e.title or not n:find("_crawl_", 1, true) then t.contains(s, e.title, n .. ": title") end
    for _, sub in ipairs(e.subtitles or {}) do t.contains(s, sub, n .. ": subtitle") end
    for _, a in ipairs(e.authors) do
      t.contains(s, a.name, n .. ": author")
      t.ok(a.role, n .. ": author role")
    end
    for _, m in ipairs(e.emails) do t.contains(s, m, n .. ": e-mail") end
    for _, c in ipairs(e.captions) do
      t.contains(s, c.text, n .. ": caption")
      if c.credit then t.contains(c.text, c.credit, n .. ": credit inside its caption") end
    end
    for _, key in ipairs({ "body_include", "body_exclude", "removed_include" }) do
      for _, l in ipairs(e[key] or {}) do t.contains(s, l, n .. ": " .. key) end
    end
    if e.copyright then t.contains(s, e.copyright, n .. ": copyright") end
    for _, key in ipairs({ "published", "modified" }) do
      if e[key] then t.match(e[key], "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%+09:00$", n .. ": " .. key) end
    end
    if (e.qa_count or 0) > 0 then
      t.contains(s, e.qa_first_q, n .. ": first question")
      t.contains(s, e.qa_last_q, n .. ": last question")
    end
    for _, q in ipairs(e.quotes) do
      t.contains(s, q.speaker, n .. ": quote speaker")
      local found = false
      for _, open in ipairs({ "“", '"', "‘", "'" }) do
        if s:find(open .. q.starts, 1, true) then found = true end
      end
      t.ok(found, n .. ": a quote opens with " .. q.starts)
    end
    for _, p in ipairs(e.entities) do t.contains(s, p.name, n .. ": entity") end
  end
end)

t.test("gold: at least 25 quotes with speakers, surname-only references, every Q&A style", function()
  local quotes, speakers, styles = 0, {}, {}
  for _, e in ipairs(gold()) do
    local s = text_of(e.file)
    for _, q in ipairs(e.quotes) do
      quotes = quotes + 1
      speakers[q.speaker] = true
    end
    if (e.qa_count or 0) > 0 then
      for _, m in ipairs({ "▷", "ㅡ", "Q. ", "— " }) do
        if s:find("\n" .. m .. e.qa_first_q, 1, true) then styles[m] = true end
      end
    end
  end
  t.ok(quotes >= 25, "at least 25 quotes, got " .. quotes)
  local n = 0
  for _ in pairs(speakers) do n = n + 1 end
  t.ok(n >= 15, "at least 15 speakers, got " .. n)
  for _, m in ipairs({ "▷", "ㅡ", "Q. ", "— " }) do t.ok(styles[m], "an interview with " .. m .. " questions") end
  -- "고 위원장은" after "고영배 … 위원장": the speaker is named in full only earlier
  local s = text_of("011_hankyung_festival.txt")
  t.contains(s, "고 위원장은 “교통 문제는")
end)

t.test("no line of 40+ characters is copied from ../shared/corpus", function()
  local shared = t.need_shared()
  local real = {}
  for _, n in ipairs(assert(sys.listdir(shared))) do
    if n:find("%.txt$") then real[#real + 1] = assert(t.read(shared .. "/" .. n)) end
  end
  t.ok(#real >= 5, "the real articles are readable")
  local checked = 0
  for _, n in ipairs(articles()) do
    for _, l in ipairs(lines_of((text_of(n)))) do
      l = l:match("^%s*(.-)%s*$")
      if (utf8.len(l) or #l) >= 40 then
        checked = checked + 1
        for _, r in ipairs(real) do
          t.ok(not r:find(l, 1, true), n .. ": copied from the real corpus: " .. l)
        end
      end
    end
  end
  t.ok(checked > 100, "long lines checked: " .. checked)
end)

-- character trigrams of a line, for a plain Jaccard similarity
local function trigrams(s)
  local cs, set = {}, {}
  for _, c in utf8.codes(s) do cs[#cs + 1] = utf8.char(c) end
  for i = 1, #cs - 2 do set[cs[i] .. cs[i + 1] .. cs[i + 2]] = true end
  return set
end

local function jaccard(a, b)
  local inter, union = 0, 0
  for k in pairs(a) do union = union + 1; if b[k] then inter = inter + 1 end end
  for k in pairs(b) do if not a[k] then union = union + 1 end end
  return union > 0 and inter / union or 0
end

-- the best match in `other` for any long paragraph of `one`
local function best_overlap(one, other)
  local best = 0
  for _, a in ipairs(lines_of(text_of(one))) do
    if #a > 150 then
      local ta = trigrams(a)
      for _, b in ipairs(lines_of(text_of(other))) do
        if #b > 150 then best = math.max(best, jaccard(ta, trigrams(b))) end
      end
    end
  end
  return best
end

t.test("near-duplicate paragraphs across outlets exist for the dups analysis", function()
  -- a wire paragraph carried by a newspaper, and a press release printed by two sites
  for _, pair in ipairs({ { "070_hanbit_heatwave.txt", "021_fnnews_heatwave.txt" },
                          { "012_hankyung_chipfab.txt", "052_edaily_chipfab.txt" } }) do
    local j = best_overlap(pair[1], pair[2])
    t.ok(j > 0.6 and j < 1, pair[1] .. " ~ " .. pair[2] .. ": near, not exact duplicate, got " .. j)
  end
  -- and unrelated articles share nothing of the kind
  t.ok(best_overlap("030_zdnet_llm.txt", "051_edaily_baseball.txt") < 0.2, "unrelated articles")
end)

t.test("gold dates spread over many months, for timelines", function()
  local months, dated = {}, 0
  for _, e in ipairs(gold()) do
    if e.published then
      dated = dated + 1
      months[e.published:sub(1, 7)] = true
    end
  end
  local n = 0
  for _ in pairs(months) do n = n + 1 end
  t.ok(dated >= 12, "at least 12 dated articles, got " .. dated)
  t.ok(n >= 10, "at least 10 distinct months, got " .. n)
end)

-- gisa.corpus's walk (lua/gisa/pipeline/corpus.lua), on a scratch directory: the stream
-- gisa extract reads takes each entry's type from the listing and stats only
-- links and unknown types, yet lists what corpus.expand lists.
t.test("the streamed walk follows links to files and directories and skips other kinds, as expand does", function()
  local d = t.tmpdir() .. "/walk"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/real/sub") .. " " .. t.shquote(d .. "/w"))
  t.write(d .. "/real/a.txt", "제목 가\n\n본문 하나.\n")
  t.write(d .. "/real/sub/b.txt", "제목 나\n\n본문 둘.\n")
  t.write(d .. "/real/c.md", "not an article\n")
  local q = t.shquote
  os.execute("ln -s ../real/a.txt " .. q(d .. "/w/link.txt") .. " && ln -s ../real/sub " .. q(d .. "/w/dirlink")
    .. " && ln -s ../real/c.md " .. q(d .. "/w/md.txt") .. " && mkfifo " .. q(d .. "/w/fifo.txt")
    .. " && cp " .. q(d .. "/real/a.txt") .. " " .. q(d .. "/w/z.txt"))
  local corpus = require "gisa.pipeline.corpus"
  local want = {}
  for _, f in ipairs(corpus.expand({ d .. "/w" })) do want[#want + 1] = f.path end
  t.eq(table.concat(want, " "), table.concat({ d .. "/w/dirlink/b.txt", d .. "/w/link.txt",
    d .. "/w/md.txt", d .. "/w/z.txt" }, " "))
  local names, kinds = sys.listdir(d .. "/w", true)
  t.eq(table.concat(names, " "), "dirlink fifo.txt link.txt md.txt z.txt")
  t.eq(kinds[2], "other", "a fifo")
  t.eq(kinds[5], "file")
  t.eq(kinds[1], false, "a link: only stat knows")
  local r = t.gisa({ "extract", "-q", d .. "/w" })
  t.eq(r.code, 0, r.err)
  local got = {}
  for line in r.out:gmatch("[^\n]+") do got[#got + 1] = json.decode(line).file end
  t.eq(table.concat(got, " "), table.concat(want, " "))
  os.execute("rm -rf " .. q(d))
end)
