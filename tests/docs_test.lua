-- The recipes of docs/api.md and the examples of docs/formats.md, run as written.
-- Each ```lua block whose first line is "-- PATH.lua…" is saved under PATH in a
-- scratch directory (with corpus/ linked in); each ```sh block is then run there by
-- sh with `gisa` being the binary under test. Every command must exit 0 with
-- output; where the answer is known (from the records, computed here another way,
-- or from corpus/gold.jsonl) the output is checked against it.
local t = require "t"
local json = require "gisa.output.json"

local root = t.root

--- The code blocks of a Markdown file: {lang=, code=, section=} in order.
local function blocks(path)
  local src = assert(t.read(path), "cannot read " .. path)
  local out, section, cur = {}, nil, nil
  for line in (src .. "\n"):gmatch("(.-)\n") do
    if cur then
      if line:match("^```%s*$") then out[#out + 1] = cur; cur = nil
      else cur.code = cur.code .. line .. "\n" end
    else
      local h = line:match("^#+%s+(.*)$")
      if h then section = h end
      local lang = line:match("^```(%w+)")
      if lang then cur = { lang = lang, code = "", section = section } end
    end
  end
  return out
end

local function need_corpus()
  local f = io.open(root .. "/corpus/gold.jsonl")
  if not f then t.skip("corpus/ is absent") end
  f:close()
end

local function abspath(p)
  if p:sub(1, 1) == "/" then return p end
  local pwd = t.sh("pwd").out:gsub("\n$", "")
  return pwd .. "/" .. p
end

-- A scratch directory with corpus/ linked and the docs' Lua files saved.
local function workdir(name, list)
  local d = t.tmpdir() .. "/docs-" .. name
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  os.execute("ln -s " .. t.shquote(abspath(root) .. "/corpus") .. " " .. t.shquote(d .. "/corpus"))
  for _, b in ipairs(list) do
    local file = b.lang == "lua" and b.code:match("^%-%- ([%w_./%-]+%.lua)")
    if file then
      os.execute("mkdir -p " .. t.shquote(d .. "/" .. (file:match("^(.*)/") or ".")))
      t.write(d .. "/" .. file, b.code)
    end
  end
  return d
end

local function run(d, code)
  local script = "gisa() { " .. t.shquote(abspath(t.bin)) .. ' "$@"; }\nset -e\ncd ' .. t.shquote(d) .. "\n" .. code
  return t.sh("sh -c " .. t.shquote(script))
end

-- The records of corpus/, as the checks compute answers from them.
local records_cache
local function records()
  if records_cache then return records_cache end
  local r = t.gisa({ "extract", root .. "/corpus" })
  assert(r.code == 0, r.err)
  local list = {}
  for line in r.out:gmatch("[^\n]+") do list[#list + 1] = json.decode(line) end
  records_cache = list
  return list
end

local function gold()
  local list = {}
  for line in (t.read(root .. "/corpus/gold.jsonl") or ""):gmatch("[^\n]+") do list[#list + 1] = json.decode(line) end
  return list
end

local function lines(s)
  local out = {}
  for l in s:gmatch("[^\n]+") do out[#out + 1] = l end
  return out
end

local function count(s, sub)
  local n, pos = 0, 1
  while true do
    local a, b = s:find(sub, pos, true)
    if not a then return n end
    n, pos = n + 1, b + 1
  end
end

local text = require "gisa.text"

-- Checks by section heading: fn(output) raises when the answer is wrong.
local checks = {}

checks["1. Articles per publisher"] = function(out)
  local want = {}
  for _, r in ipairs(records()) do local p = r.publisher or "?"; want[p] = (want[p] or 0) + 1 end
  local rows = lines(out)
  t.match(rows[1], "^publisher%s+articles$")
  t.match(rows[2], "^%-+  %-+$")
  local got, total = {}, 0
  for i = 3, #rows do
    local p, n = rows[i]:match("^(.-)%s+(%d+)$")
    got[p] = tonumber(n); total = total + tonumber(n)
    -- the count column lines up: every row has the same display width
    t.eq(text.width(rows[i]), text.width(rows[2]), "aligned row " .. rows[i])
  end
  t.eq(got, want)
  t.eq(total, #records())
  -- and the extraction agrees with the hand-written gold file
  local g = {}
  for _, r in ipairs(gold()) do if r.publisher then g[r.publisher] = (g[r.publisher] or 0) + 1 end end
  for p, n in pairs(g) do t.eq(got[p], n, "gold count of " .. p) end
end

checks["2. Every reporter with their e-mail"] = function(out, code)
  if code:find("reporters.csv", 1, true) then
    t.eq(out:sub(1, 3), "\239\187\191", "BOM")
    local rows = lines(out:sub(4))
    t.eq(rows[1], "publisher,title,authors.name,authors.email")
    t.eq(#rows, #records() + 1)
    return
  end
  local n = 0
  for _, r in ipairs(records()) do
    for _, a in ipairs(r.authors) do
      n = n + 1
      t.match(out, "\n" .. a.name:gsub("%p", "%%%0") .. "%s+" .. (a.role or ""):gsub("%p", "%%%0")
        .. "%s+" .. (a.email or ""):gsub("%p", "%%%0"), "reporter " .. a.name)
    end
  end
  t.eq(#lines(out), n + 2)
  for _, g in ipairs(gold()) do
    for _, a in ipairs(g.authors or {}) do
      if a.email then t.contains(out, a.email, "gold e-mail of " .. a.name) end
    end
  end
end

checks["3. All quotes containing a word"] = function(out)
  local want = {}
  for _, r in ipairs(records()) do
    for _, q in ipairs(r.quotes) do
      if q.text:find("배터리", 1, true) then want[#want + 1] = (q.speaker or "?") .. "\t" .. q.text end
    end
  end
  t.ok(#want > 0, "the corpus quotes someone on 배터리")
  t.eq(lines(out), want)
end

checks["4. The longest sentence"] = function(out)
  local best = ""
  for _, r in ipairs(records()) do
    for _, p in ipairs(r.body) do
      for s in text.sentences(p) do if text.len(s) > text.len(best) then best = s end end
    end
  end
  local l = lines(out)
  t.eq(l[2], best)
  t.match(l[1], "^" .. text.len(best) .. " characters, corpus/")
end

checks["5. Interview questions only"] = function(out)
  local want, g = {}, gold()
  for i, r in ipairs(records()) do
    for j, p in ipairs(r.qa) do want[#want + 1] = i .. "\t" .. j .. "\t" .. tostring(p.q) end
  end
  t.eq(lines(out), want)
  local total = 0
  for _, r in ipairs(g) do
    total = total + (r.qa_count or 0)
    if r.qa_first_q then t.contains(out, "\t1\t" .. r.qa_first_q, "gold first question of " .. r.file) end
  end
  t.eq(#want, total, "as many questions as corpus/gold.jsonl says")
end

checks["6. Articles published on a given day"] = function(out)
  local want = {}
  for _, r in ipairs(gold()) do
    if (r.published or ""):sub(1, 10) == "2024-09-10" then want[#want + 1] = r.published .. "\t" .. r.title end
  end
  t.ok(#want > 0)
  t.eq(lines(out), want)
end

checks["7. Words in titles but never in bodies"] = function(out)
  local words = lines(out)
  t.ok(#words >= 5, "some words")
  local titles, bodies = {}, {}
  for _, r in ipairs(records()) do
    titles[#titles + 1] = r.title or ""
    bodies[#bodies + 1] = table.concat(r.body, "\n")
  end
  local tt, bb = table.concat(titles, "\n"), table.concat(bodies, "\n")
  for _, w in ipairs(words) do
    t.ok(tt:find(w, 1, true), w .. " is in a title")
    t.ok(not bb:find(w, 1, true), w .. " is in no body")
  end
  local sorted = { table.unpack(words) }
  table.sort(sorted)
  t.eq(words, sorted, "sorted")
end

checks["8. Titles whose initials match a choseong query"] = function(out)
  local want = {}
  for _, r in ipairs(records()) do
    if r.title and r.title:find("반도체", 1, true) then want[#want + 1] = r.title end
  end
  t.ok(#want > 0)
  for _, w in ipairs(want) do t.contains(out, w) end
end

checks["9. The top words of each publisher, as a job that can be split"] = function(out)
  local l = lines(out)
  t.eq(#l % 2, 0)
  local half = #l // 2
  local first = table.concat(l, "\n", 1, half)
  t.eq(table.concat(l, "\n", half + 1, #l), first, "GISA_SHARDS=3 gives the same table")
  t.match(l[1], "^publisher%s+word%s+count$")
  local pubs = {}
  for _, r in ipairs(records()) do pubs[r.publisher or "?"] = true end
  local n = 0
  for _ in pairs(pubs) do n = n + 1 end
  t.ok(half - 2 <= 3 * n and half - 2 >= n, "up to three words per publisher")
end

checks["10. Near-duplicate articles"] = function(out)
  -- corpus/README.md: 012 and 052 share a press release, 021 carries 070's wire paragraph
  t.match(out, "corpus/012_hankyung_chipfab%.txt\tcorpus/052_edaily_chipfab%.txt")
  t.match(out, "corpus/021_fnnews_heatwave%.txt\tcorpus/070_hanbit_heatwave%.txt")
  for _, l in ipairs(lines(out)) do t.match(l, "^0%.%d%d\t") end
end

checks["11. Captions and their credits"] = function(out)
  local rows = lines(out)
  t.eq(rows[1], "file\tcaptions.text\tcaptions.credit")
  t.eq(#rows, #records() + 1)
  for _, g in ipairs(gold()) do
    for _, c in ipairs(g.captions or {}) do
      if c.credit then t.contains(out, c.credit, "gold caption credit of " .. g.file) end
    end
  end
end

checks["12. One article to read, as Markdown"] = function(out)
  local r = records()[1]
  t.eq(out:match("^# ([^\n]*)"), r.title)
  t.ok(not out:find("\n---\n", 1, true), "one article")
end

checks["13. An HTML page of the interviews"] = function(out, _, d)
  local n = 0
  for _, r in ipairs(records()) do if #r.qa > 0 then n = n + 1 end end
  t.eq(out, n .. " interviews written\n")
  local page = t.read(d .. "/interviews.html")
  t.eq(count(page, '<section class="article"'), n)
  t.contains(page, "<title>인터뷰 모음</title>")
end

checks["14. With jq"] = function(out)
  local want = {}
  for _, r in ipairs(records()) do if #r.qa > 0 then want[#want + 1] = #r.qa .. "\t" .. r.title end end
  t.eq(lines(out), want)
end

-- docs/formats.md
checks["A user format in ten lines"] = function(out, code)
  local recs = records()
  if code:find("-f brief corpus/", 1, true) then
    local l = lines(out)
    t.eq(l[1], "# 읽을거리")
    t.eq(l[#l], "(" .. #recs .. "건)")
    t.eq(#l, #recs + 2)
    t.match(l[2], "^ 1%. " .. recs[1].title:gsub("%p", "%%%0") .. " — ")
  elseif code:find("brief.lua", 1, true) then
    t.match(out, "^# 읽을거리\n 1%. [^\n]* — 한빛통신, 2024%-08%-05 11:20\n 2%. [^\n]* — 누리과학신문, 2024%-09%-10 14:30\n%(2건%)\n$")
  else
    local n = 0
    for _, r in ipairs(recs) do if #r.qa > 0 then n = n + 1 end end
    t.match(out, "^# 인터뷰\n")
    t.eq(#lines(out), n + 2)
  end
end

-- docs/inputs.md: the output the page shows below each command
checks["Many articles in one text file"] = function(out)
  t.eq(out, "1\t1\t첫째 기사 제목\n2\t5\t둘째 기사 제목\n")
end

checks["A worked example"] = function(out)
  t.eq(out, "1\t시내버스 노선 개편\t가상일보\t2019-06-27\t홍길동\t1\n" ..
    "2\t도서관 야간 개방\t가상신문\t2019-06-28T10:31:00+09:00\tnil\t1\n")
end

local function doc_tests(doc)
  t.test(doc .. ": every example runs as written and gives the known answer", function()
    need_corpus()
    local list = blocks(root .. "/" .. doc)
    local d = workdir(doc:gsub("%W", "_"), list)
    local ran, checked = 0, 0
    for _, b in ipairs(list) do
      if b.lang == "sh" then
        local r = run(d, b.code)
        t.eq(r.code, 0, doc .. " [" .. tostring(b.section) .. "]: " .. b.code .. r.err)
        t.ok(r.out:find("%S"), doc .. " [" .. tostring(b.section) .. "] printed nothing: " .. b.code)
        ran = ran + 1
        local check = checks[b.section]
        if check then check(r.out, b.code, d); checked = checked + 1 end
      end
    end
    t.ok(ran > 0, "found commands")
    return ran, checked
  end)
end

doc_tests("docs/api.md")
doc_tests("docs/formats.md")
doc_tests("docs/inputs.md")

t.test("docs/api.md has at least ten recipes and each is checked", function()
  local list = blocks(root .. "/docs/api.md")
  local sections = {}
  for _, b in ipairs(list) do
    if b.lang == "sh" then sections[b.section] = true end
  end
  local n = 0
  for s in pairs(sections) do
    n = n + 1
    t.ok(checks[s], "recipe '" .. s .. "' has a check")
  end
  t.ok(n >= 10, "at least ten recipes (" .. n .. ")")
end)

t.test("the Lua blocks of the docs compile", function()
  for _, doc in ipairs({ "docs/api.md", "docs/formats.md", "docs/inputs.md" }) do
    for _, b in ipairs(blocks(root .. "/" .. doc)) do
      if b.lang == "lua" then
        local f, err = load(b.code, "=" .. doc, "t")
        t.ok(f, tostring(err))
      end
    end
  end
end)
