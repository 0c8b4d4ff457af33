-- corpus.files: the streamed walk gisa.articles uses lists what corpus.expand lists.
local t = require "t"
local corpus = require "gisa.pipeline.corpus"

t.test("files streams expand's list: same paths, sizes and order; missing operands reported", function()
  local dir = t.tmpdir()
  os.execute("mkdir -p " .. t.shquote(dir .. "/b/sub") .. " " .. t.shquote(dir .. "/a"))
  t.write(dir .. "/b/sub/z.txt", "z")
  t.write(dir .. "/b/y.txt", "yy")
  t.write(dir .. "/b/.hidden.txt", "h")
  t.write(dir .. "/b/skip.md", "m")
  t.write(dir .. "/a/x.txt", "xxx")
  t.write(dir .. "/one.txt", "1")
  local args = { dir .. "/b", dir .. "/one.txt", dir .. "/a/" }
  local want = corpus.expand(args)
  local got = {}
  for f in corpus.files(args) do got[#got + 1] = f end
  t.eq(#got, 4)
  for i, f in ipairs(want) do
    t.eq(got[i].path, f.path)
    t.eq(got[i].size, f.size)
  end
  t.eq(got[1].path, dir .. "/b/sub/z.txt")
  t.eq(got[4].path, dir .. "/a/x.txt")
  local r = t.gisa({ "extract", "-q", dir .. "/missing", dir .. "/one.txt" })
  t.eq(r.code, 1)
  t.contains(r.err, "missing")
  t.contains(r.out, '"file":"' .. dir .. '/one.txt"')
end)
