-- The rough edges of issue 18, each with the behaviour it now has: file
-- names that are not UTF-8, signals during -o, Ctrl-C, errors in a user
-- format and in -e code, -o DIR, a forgotten query, `gisa help`, "did you
-- mean", a form feed, and the entities table on a terminal. (tsv escaping and
-- csv list parts: formats_test; dups -k: dups_test.)
local t = require "t"
local cjson = require "cjson.safe"

local CORPUS = t.root .. "/corpus"
-- for a shell that changes directory
local function absolute(p) return p:find("^/") and p or ((os.getenv("PWD") or ".") .. "/" .. p) end

-- A directory with one article under a CP949 file name (기사.txt), as Windows
-- zip files give them.
local function cp949_dir()
  local d = t.tmpdir() .. "/cp949-names"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local name = d .. "/\177\226\187\231.txt"
  t.write(name, t.read(CORPUS .. "/040_mt_battery.txt"))
  return d, "\\xB1\\xE2\\xBB\\xE7.txt"
end

t.test("a file name that is not UTF-8 works in every script and in stats --by file", function()
  local d, shown = cp949_dir()
  local runs = {
    { "stats", "--by", "file" }, { "freq", "--by", "file" }, { "keywords" }, { "kwic", "배터리" },
    { "collocates", "배터리" }, { "quotes" }, { "entities" }, { "dups", "--paragraphs", "-t", "0.1" },
    { "dups", "--story" }, { "timeline" },
  }
  for _, args in ipairs(runs) do
    for _, f in ipairs({ "table", "jsonl", "tsv" }) do
      local a = table.move(args, 1, #args, 1, {})
      a[#a + 1] = "-f"; a[#a + 1] = f; a[#a + 1] = d
      local r = t.gisa(a)
      local what = table.concat(args, " ") .. " -f " .. f
      t.eq(r.code, 0, what .. ": " .. r.err)
      t.eq(r.err:find("traceback", 1, true), nil, what)
      t.ok(utf8.len(r.out), what .. ": the output is UTF-8")
      if f == "jsonl" then
        for line in r.out:gmatch("[^\n]+") do t.ok(cjson.decode(line), what .. ": JSON " .. line) end
      end
    end
  end
  local r = t.gisa({ "stats", "--by", "file", d })
  t.contains(r.out, shown, "the name shown with its bytes as \\xNN")
  r = t.gisa({ "report", "-q", "-o", t.tmpdir() .. "/cp949.html", d })
  t.eq(r.code, 0, r.err)
end)

-- Start `gisa extract -o OUT` with a format that works slowly, send SIG, and
-- return the exit status, stderr and the files left in DIR.
local function interrupted(sig)
  local dir = t.tmpdir() .. "/sig-" .. sig
  os.execute("rm -rf " .. t.shquote(dir) .. " && mkdir -p " .. t.shquote(dir))
  t.write(dir .. "/slow.lua", "return { write = function(out, rec) out:write(rec.file, '\\n')\n" ..
    "  local x = 0; for i = 1, 1e10 do x = x + i end end }\n")
  local script = string.format([[
cd %s || exit 99
%s extract -f slow.lua -o out.jsonl %s 2>err.txt &
pid=$!
i=0
while [ ! -e out.jsonl.tmp-$pid ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
sleep 0.2
kill -%s $pid
wait $pid
echo "rc=$?"
ls
]], t.shquote(dir), t.shquote(absolute(t.bin)), t.shquote(absolute(CORPUS)), sig)
  local r = t.sh(script)
  return tonumber(r.out:match("rc=(%d+)")), t.read(dir .. "/err.txt") or "", r.out .. r.err
end

t.test("SIGTERM and SIGHUP during -o leave no .tmp-PID file and exit 128 + the signal", function()
  for sig, code in pairs({ TERM = 143, HUP = 129 }) do
    local rc, err, listing = interrupted(sig)
    t.eq(rc, code, "SIG" .. sig .. " exit status: " .. err .. listing)
    t.eq(listing:find("tmp%-"), nil, "SIG" .. sig .. ": no temporary file left: " .. listing)
    t.eq(listing:find("out.jsonl", 1, true), nil, "SIG" .. sig .. ": no partial output")
    t.eq(err, "", "SIG" .. sig .. ": quiet")
  end
end)

t.test("Ctrl-C (SIGINT) exits 130 quietly, no traceback", function()
  local rc, err, listing = interrupted("INT")
  t.eq(rc, 130)
  t.eq(err, "", "no 'interrupted!' traceback")
  t.eq(listing:find("tmp%-"), nil, listing)
end)

t.test("an interrupt caught by a per-article pcall is not a failed article", function()
  local status = require "gisa.cli.status"
  local before = status.failed
  local ok, err = pcall(status.fail, "a.txt: rule 'x' (rules/generic.lua): interrupted by SIGINT")
  t.eq(ok, false, "status.fail raises it on")
  t.contains(err, "interrupted by SIGINT")
  t.eq(status.failed, before, "not counted as a failed input")
end)

t.test("a runtime error in a user format names its file, line and the record", function()
  local d = t.tmpdir() .. "/badfmt"
  os.execute("mkdir -p " .. t.shquote(d))
  t.write(d .. "/bad.lua", "local function helper(r)\n  return r.nothing.here\nend\n" ..
    "return { write = function(out, rec, n)\n  if n == 2 then helper(rec) end\n  out:write('x\\n')\nend }\n")
  t.write(d .. "/raise.lua", "return { write = function(out, rec, n)\n  error('no', 0)\nend }\n")
  local r = t.gisa({ "extract", "-f", d .. "/bad.lua", CORPUS })
  t.eq(r.code, 1)
  t.contains(r.err, "format " .. d .. "/bad.lua:2: ")
  t.contains(r.err, "(record 2: ")
  t.contains(r.err, "011_hankyung_festival.txt")
  t.eq(r.err:find("extract.lua", 1, true), nil, "nothing points into gisa's own files")
  r = t.gisa({ "extract", "-f", d .. "/raise.lua", CORPUS })
  t.contains(r.err, "format " .. d .. "/raise.lua:2: no (record 1: ", "an error without a position")
end)

t.test("a runtime error in -e code names the article", function()
  local r = t.gisa({ "-e", "if NR == 3 then local x; print(x.y) end", CORPUS })
  t.eq(r.code, 1)
  t.contains(r.err, "-e:1: attempt to index a nil value")
  t.contains(r.err, "(article 3: " .. CORPUS .. "/012_hankyung_chipfab.txt)")
end)

t.test("-o DIR names the path", function()
  local d = t.tmpdir()
  local r = t.gisa({ "extract", "-o", d, CORPUS })
  t.eq(r.code, 2)
  t.contains(r.err, "cannot write " .. d .. ": it is a directory")
  r = t.gisa({ "freq", "-o", d, CORPUS })
  t.eq(r.code, 2)
  t.contains(r.err, "cannot write " .. d)
end)

t.test("-o to a device or a pipe writes to it, never renames a file over it", function()
  local d = t.tmpdir() .. "/fifo"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local fifo = d .. "/out"
  if t.sh("mkfifo " .. t.shquote(fifo)).code ~= 0 then t.skip("mkfifo is not available") end
  local r = t.sh("(cat " .. t.shquote(fifo) .. " > " .. t.shquote(d .. "/got") .. " &) ; " ..
    t.shquote(t.bin) .. " extract -o " .. t.shquote(fifo) .. " " .. t.shquote(CORPUS) .. "; sleep 0.3; test -p " ..
    t.shquote(fifo) .. " && echo still-a-fifo")
  t.eq(r.code, 0, r.err)
  t.contains(r.out, "still-a-fifo")
  local got = t.read(d .. "/got") or ""
  local want = select(2, t.gisa{ "extract", CORPUS }.out:gsub("\n", ""))
  t.eq(select(2, got:gsub("\n", "")), want, "the records went through the pipe")
end)

t.test("kwic and collocates with the query forgotten: a usage error", function()
  local r = t.gisa({ "kwic", CORPUS .. "/" })
  t.eq(r.code, 2)
  t.contains(r.err, "no QUERY: '" .. CORPUS .. "/' is a file or directory")
  r = t.gisa({ "collocates", CORPUS })
  t.eq(r.code, 2)
  t.contains(r.err, "no TERM:")
  -- a query that is also a path is searched for when a path follows
  r = t.gisa({ "kwic", "-f", "jsonl", "corpus/", "-" }, "see corpus/ here\n")
  t.eq(r.code, 0, r.err)
  t.contains(r.out, '"match":"corpus/"')
end)

t.test("gisa help lists the analyses; a misspelt command gets a suggestion", function()
  local r = t.gisa({ "help" })
  t.eq(r.code, 0)
  t.contains(r.out, "analyses and scripts")
  for _, s in ipairs({ "stats", "freq", "keywords", "kwic", "collocates", "timeline", "dups", "quotes",
    "entities", "report" }) do
    t.match(r.out, "\n  " .. s .. " +%S", "gisa help lists " .. s)
  end
  t.eq(t.gisa({ "--help" }).out, r.out, "gisa --help is gisa help")
  r = t.gisa({ "frq", CORPUS })
  t.eq(r.code, 2)
  t.contains(r.err, "unknown command 'frq'; did you mean freq?")
  r = t.gisa({ "help", "kwc" })
  t.contains(r.err, "did you mean kwic?")
  r = t.gisa({ "zzzzzzzz" })
  t.eq(r.err:find("did you mean", 1, true), nil, "no suggestion when nothing is close")
end)

t.test("a form feed inside an article is blank, not a heading block", function()
  local r = t.gisa({ "extract", "-" }, "시험 기사의 제목입니다\n\n첫 문단입니다. 내용이 이어집니다.\n\f\n" ..
    "둘째 문단입니다. 내용이 이어집니다.\n\f셋째 문단입니다. 계속됩니다.\n")
  t.eq(r.code, 0, r.err)
  local rec = cjson.decode(r.out)
  for _, b in ipairs(rec.blocks) do
    t.ok(b.type ~= "heading", "a heading block: " .. b.text)
    t.eq(b.text:find("\f", 1, true), nil, "no form feed in a block's text")
  end
  t.eq(rec.body, { "첫 문단입니다. 내용이 이어집니다.", "둘째 문단입니다. 내용이 이어집니다.", "셋째 문단입니다. 계속됩니다." })
end)

t.test("entities on a terminal: the articles column is a count and the first few", function()
  local d = t.tmpdir() .. "/many"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  local text = t.read(CORPUS .. "/040_mt_battery.txt")
  for i = 1, 6 do t.write(string.format("%s/%02d.txt", d, i), text) end
  local r = t.gisa({ "entities", d })
  t.eq(r.code, 0, r.err)
  local line = r.out:match("\n(백승아[^\n]*)")
  t.ok(line, r.out)
  t.contains(line, "6: " .. d .. "/01.txt, " .. d .. "/02.txt, " .. d .. "/03.txt, …")
  t.eq(line:find("04.txt", 1, true), nil, "not every file")
  r = t.gisa({ "entities", "-f", "jsonl", d })
  local first = cjson.decode(r.out:match("[^\n]+"))
  t.eq(#first.articles, 6, "machine formats keep the full list")
end)
