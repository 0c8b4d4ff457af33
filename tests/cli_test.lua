-- Command-line tests of the host: run the real binary, check stdout, stderr, exit status.
local t = require "t"

local function sample_dir()
  local d = t.tmpdir() .. "/cli-sample"
  os.execute("mkdir -p " .. d .. "/sub")
  t.write(d .. "/b.txt", "둘째 기사 제목\n\n본문 첫 줄입니다.\n본문 둘째 줄입니다.\n")
  t.write(d .. "/a.txt", "\n  첫째 기사 제목  \n본문입니다.\n")
  t.write(d .. "/sub/c.txt", "셋째 기사\n내용\n")
  t.write(d .. "/notes.md", "not an article\n")
  t.write(d .. "/.hidden.txt", "hidden\n")
  return d
end

t.test("--version prints the version and exits 0", function()
  local r = t.gisa({ "--version" })
  t.eq(r.code, 0)
  t.match(r.out, "^gisa %d+%.%d+%.%d+ %(Lua 5%.4")
end)

t.test("--help lists the commands and exit statuses", function()
  local r = t.gisa({ "--help" })
  t.eq(r.code, 0)
  t.contains(r.out, "gisa extract")
  t.contains(r.out, "2  usage error")
end)

t.test("every built-in command has --help", function()
  for _, c in ipairs({ "extract", "list" }) do
    local r = t.gisa({ c, "--help" })
    t.eq(r.code, 0, c)
    t.match(r.out, "^usage: gisa " .. c, c)
  end
  local r = t.gisa({ "help", "-e" })
  t.eq(r.code, 0)
  t.contains(r.out, "usage: gisa -e CODE")
end)

t.test("an unknown option exits 2 with a one-line hint", function()
  local r = t.gisa({ "--bogus" })
  t.eq(r.code, 2)
  t.eq(r.err, "gisa: unknown option '--bogus'\nTry 'gisa --help' for more information.\n")
  r = t.gisa({ "extract", "--nope" })
  t.eq(r.code, 2)
  t.contains(r.err, "Try 'gisa extract --help'")
end)

t.test("an unknown command exits 2", function()
  local r = t.gisa({ "no-such-command" })
  t.eq(r.code, 2)
  t.contains(r.err, "unknown command 'no-such-command'")
end)

t.test("-e walks directories in sorted order, only *.txt, skipping dot-files", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "print(a.title)", d })
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "첫째 기사 제목\n둘째 기사 제목\n셋째 기사\n")
end)

t.test("-e keeps state across articles and --end runs once", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "n = (n or 0) + #body", "--end", "print(n, NR)", d })
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "4\t3\n")
  r = t.gisa({ "-B", "n = 100", "-e", "n = n + 1", "-E", "print(n)", d })
  t.eq(r.out, "103\n")
end)

t.test("-e sees fields by name and reads stdin with -", function()
  local r = t.gisa({ "-e", "print(file, title, #body)", "-" }, "제목\n본문\n")
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "-\t제목\t1\n")
end)

t.test("a file named on the command line is read whatever its extension", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "print(title)", d .. "/notes.md" })
  t.eq(r.out, "not an article\n")
end)

t.test("a missing path is reported, the rest processed, exit 1", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "print(title)", d .. "/missing.txt", d .. "/a.txt" })
  t.eq(r.code, 1)
  t.eq(r.out, "첫째 기사 제목\n")
  t.contains(r.err, "missing.txt: No such file or directory")
end)

t.test("a script error on line 3 reports path:3: and a traceback, exit 1", function()
  local p = t.write(t.tmpdir() .. "/bad.lua", "local x = 1\nlocal y = 2\nerror('boom')\n")
  local r = t.gisa({ p })
  t.eq(r.code, 1)
  t.match(r.err, "^gisa: [^\n]*bad%.lua:3: boom\nstack traceback:")
end)

t.test("an error inside -e code names -e and exits 1", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "local z = nil + 1", d })
  t.eq(r.code, 1)
  t.match(r.err, "^gisa: %-e:1: attempt to perform arithmetic on a nil value")
end)

t.test("-e code that does not compile is a usage error", function()
  local r = t.gisa({ "-e", "print(", "-" }, "x\n")
  t.eq(r.code, 2)
  t.contains(r.err, "cannot compile -e code")
end)

t.test("a script gets arg like lua does, and gisa, lpeg and re as globals", function()
  local p = t.write(t.tmpdir() .. "/args.lua",
    "print(arg[0]:match('args%.lua$'), arg[1], arg[2], #arg, ...)\n" ..
    "print(type(gisa), type(lpeg.P), type(re.compile), type(gisa.text))\n")
  local r = t.gisa({ p, "x", "y y" })
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "args.lua\tx\ty y\t2\tx\ty y\ntable\tfunction\tfunction\ttable\n")
end)

t.test("a script's integer return value is the exit status", function()
  local p = t.write(t.tmpdir() .. "/rc.lua", "return 3\n")
  t.eq(t.gisa({ p }).code, 3)
end)

t.test("scripts are found by name through -I and GISA_PATH; user files win; list shows it", function()
  local u = t.tmpdir() .. "/userdir"
  os.execute("mkdir -p " .. u .. "/scripts " .. u .. "/formats")
  t.write(u .. "/scripts/hello.lua", "print('hello ' .. (arg[1] or ''))\n")
  t.write(u .. "/formats/jsonl.lua", "return { write = function(out, r) out:write('MINE ', r.title, '\\n') end }\n")
  local r = t.gisa({ "-I", u, "hello", "you" })
  t.eq(r.out, "hello you\n", r.err)
  r = t.gisa({ "hello" }, nil, { GISA_PATH = u })
  t.eq(r.out, "hello \n", r.err)
  r = t.gisa({ "-I", u, "extract", "-" }, "제목\n")
  t.eq(r.out, "MINE 제목\n", r.err)
  r = t.gisa({ "list", "-I", u })
  t.eq(r.code, 0)
  t.contains(r.out, "1. " .. u .. "  (-I)")
  t.match(r.out, "jsonl%s+" .. u:gsub("%p", "%%%0") .. "/formats/jsonl%.lua  %(replaces [^\n]*lua/gisa/formats/jsonl%.lua%)")
  t.match(r.out, "hello%s+" .. u:gsub("%p", "%%%0") .. "/scripts/hello%.lua")
end)

t.test("extract writes JSON Lines with the record's fields in order", function()
  local r = t.gisa({ "extract", "-" }, "제목 \"따옴표\"/슬래시\n본문\n")
  t.eq(r.code, 0, r.err)
  t.match(r.out, '^{"file":"%-","encoding":"utf%-8","site":null,"publisher":null,' ..
    '"title":"제목 \\"따옴표\\"/슬래시","subtitles":%[%],')
end)

t.test("extract -o writes the file whole, via a temporary name", function()
  local d = sample_dir()
  local out = t.tmpdir() .. "/out.jsonl"
  local r = t.gisa({ "extract", "-o", out, d })
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "")
  local n = 0
  for _ in t.read(out):gmatch("\n") do n = n + 1 end
  t.eq(n, 3)
  local l = t.sh("ls " .. t.tmpdir() .. " | grep -c tmp- || true")
  t.eq(l.out, "0\n")
end)

t.test("an unknown format is a usage error listing the formats", function()
  local r = t.gisa({ "extract", "-f", "nope", "-" }, "x\n")
  t.eq(r.code, 2)
  t.match(r.err, "unknown format 'nope' %(formats: [^)]*jsonl")
end)

t.test("no progress line when stderr is not a terminal", function()
  local d = sample_dir()
  local r = t.gisa({ "-e", "", d })
  t.eq(r.err, "")
end)

t.test("the sample corpus: one title per article, in sorted file order", function()
  local r = t.gisa({ "-e", "print(file)", t.root .. "/corpus" })
  t.eq(r.code, 0, r.err)
  local files, prev = 0, ""
  for f in r.out:gmatch("[^\n]+") do
    files = files + 1
    t.ok(f > prev, "sorted: " .. f .. " after " .. prev)
    prev = f
  end
  t.ok(files >= 12, "at least 12 sample articles, got " .. files)
end)

t.test("Lua warnings work as in lua: off until warn('@on'), then 'Lua warning: …' on stderr", function()
  local r = t.gisa({ "-e", 'warn("hidden") warn("@on") warn("shown ", "in two pieces") warn("@off") warn("no")', "-" }, "제목\n")
  t.eq(r.code, 0, r.err)
  t.contains(r.err, "Lua warning: shown in two pieces\n")
  t.ok(not r.err:find("hidden", 1, true) and not r.err:find("no\n", 1, true), r.err)
end)
