-- make install: the installed tree runs on its own (binary, Lua library, scripts,
-- docs), found beside the binary wherever DESTDIR/PREFIX put it.
local t = require "t"

t.test("make install DESTDIR=…: the installed gisa finds its library, formats and scripts", function()
  if os.getenv("GISA_BIN") then t.skip("installs the normal build; run by the plain test target") end
  local dest = t.tmpdir() .. "/inst"
  local r = t.sh("make -s install DESTDIR=" .. t.shquote(dest) .. " PREFIX=/opt/gisa")
  t.eq(r.code, 0, "make install: " .. r.err)
  local bin = dest .. "/opt/gisa/bin/gisa"
  for _, f in ipairs({ "/opt/gisa/share/gisa/lua/gisa/cli/main.lua", "/opt/gisa/share/gisa/scripts/freq.lua",
                       "/opt/gisa/share/gisa/lua/gisa/formats/csv.lua", "/opt/gisa/share/doc/gisa/README.md",
                       "/opt/gisa/share/doc/gisa/docs/rules.md" }) do
    t.eq(require("gisa.sys").stat(dest .. f), "file", f)
  end
  -- run from another directory, so nothing of the checkout is in reach
  local corpus = t.shquote(t.sh("pwd").out:gsub("\n$", "") .. "/corpus")
  r = t.sh("cd / && " .. t.shquote(bin) .. " list")
  t.eq(r.code, 0, r.err)
  t.match(r.out, "/opt/gisa/share/gisa  %(installed%)")
  r = t.sh("cd / && " .. t.shquote(bin) .. " -e 'n = (n or 0) + 1' -E 'print(n)' " .. corpus)
  t.eq(r.code, 0, r.err)
  local n = 0
  for _, f in ipairs(require("gisa.sys").listdir("corpus")) do if f:find("%.txt$") then n = n + 1 end end
  t.eq(r.out, n .. "\n")
  r = t.sh("cd / && " .. t.shquote(bin) .. " freq -f tsv --top 1 " .. corpus)
  t.eq(r.code, 0, r.err)
  t.match(r.out, "^rank\tword\tcount")
end)
