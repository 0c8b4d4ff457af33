-- gisa.zio: compressed streams and archives. The fixtures are made here, with
-- the command-line tools (gzip, zstd, xz, bzip2, zip, tar) and python3's
-- zipfile for what the tools cannot make (a damaged entry).
local t = require "t"
local zio = require "gisa.zio"

local dir = t.tmpdir() .. "/zio"
os.execute("mkdir -p " .. t.shquote(dir))

-- Some megabytes of article-like lines: more than one input buffer compressed.
local lines = {}
for i = 1, 60000 do
  lines[i] = string.format("%d번째 줄: 반도체 수출이 %d%% 늘었다고 기자가 전했다.", i, i % 97)
end
local text = table.concat(lines, "\n") .. "\n"
local plain = t.write(dir .. "/plain.txt", text)

local function sh(cmd)
  local r = t.sh(cmd)
  assert(r.code == 0, cmd .. ": " .. r.err)
  return r.out
end

local function have(tool)
  return t.sh("command -v " .. tool).code == 0
end

local tools = { gzip = "gzip -c", zstd = "zstd -q -c", xz = "xz -c", bzip2 = "bzip2 -c" }
local ext = { gzip = "gz", zstd = "zst", xz = "xz", bzip2 = "bz2" }

-- path of plain.txt compressed by kind (made once)
local made = {}
local function compressed(kind)
  if not have(kind) then t.skip(kind .. " is not installed (tools/deps test)") end
  if not made[kind] then
    made[kind] = dir .. "/plain.txt." .. ext[kind]
    sh(tools[kind] .. " " .. t.shquote(plain) .. " > " .. t.shquote(made[kind]))
  end
  return made[kind]
end

-- Everything a stream gives, in pieces of n: data, then the error and offset if any.
local function drain(s, n)
  local parts = {}
  while true do
    local b, msg, off = s:read(n)
    if not b then return table.concat(parts), msg, off end
    t.ok(#b <= (n or 65536), "piece no longer than asked")
    parts[#parts + 1] = b
  end
end

local function slurp(path, opts, n)
  local s, err = zio.open(path, opts)
  if not s then return nil, err end
  return drain(s, n)
end

t.test("kind by magic bytes", function()
  t.eq(zio.kind("\x1f\x8b\x08"), "gzip")
  t.eq(zio.kind("\x28\xb5\x2f\xfd"), "zstd")
  t.eq(zio.kind("\xfd7zXZ\0"), "xz")
  t.eq(zio.kind("BZh9"), "bzip2")
  t.eq(zio.kind("PK\3\4"), "zip")
  t.eq(zio.kind("PK\5\6"), "zip")
  t.eq(zio.kind(string.rep("\0", 257) .. "ustar\0" .. "00"), "tar")
  t.eq(zio.kind("BZh0"), nil)
  t.eq(zio.kind("\x1f"), nil)
  t.eq(zio.kind(""), nil)
  t.eq(zio.kind("제목\n본문"), nil)
  t.checkerr("(string expected, got no value)", zio.kind)
end)

for _, kind in ipairs({ "gzip", "zstd", "xz", "bzip2" }) do
  t.test(kind .. ": whole file, in small and large pieces", function()
    local path = compressed(kind)
    for _, n in ipairs({ 1000, 65536, 4 * 1024 * 1024 }) do
      local data, msg = slurp(path, nil, n)
      t.eq(msg, nil, "no error")
      t.ok(data == text, kind .. " decompressed equals the original (piece " .. n .. ")")
    end
    local s <close> = assert(zio.open(path))
    t.eq(s:kind(), kind)
    t.eq(tostring(s), "gisa.zio stream (" .. kind .. ", " .. path .. ")")
  end)

  t.test(kind .. ": truncated: the bytes before, then the offset", function()
    local whole = t.read(compressed(kind))
    local cut = #whole * 2 // 3
    local path = t.write(dir .. "/cut." .. ext[kind], whole:sub(1, cut))
    local data, msg, off = slurp(path)
    t.eq(msg, "truncated " .. kind .. " stream at byte " .. cut .. " of the compressed file")
    t.eq(off, cut)
    t.ok(text:sub(1, #data) == data, "what came before the damage is the original's start")
    -- the damage stays: every later read returns it
    local s = assert(zio.open(path))
    drain(s)
    local b, m2, o2 = s:read()
    t.eq({ b, m2, o2 }, { nil, msg, off })
    s:close()
  end)

  t.test(kind .. ": concatenated members are one stream", function()
    local one = t.read(compressed(kind))
    local path = t.write(dir .. "/two." .. ext[kind], one .. one)
    local data, msg = slurp(path)
    t.eq(msg, nil)
    t.ok(data == text .. text, "both members")
  end)

  t.test(kind .. ": a decompression bomb stops at the limit", function()
    local data, msg, off = slurp(compressed(kind), { limit = 100000 }, 30000)
    t.eq(#data, 100000)
    t.ok(data == text:sub(1, 100000), "the bytes up to the limit")
    t.eq(msg, compressed(kind) .. ": more than 100000 bytes decompressed, the limit against "
      .. "decompression bombs (opts.limit raises it)")
    t.eq(math.type(off), "integer")
    t.eq(select(2, slurp(compressed(kind), { limit = #text })), nil, "exactly the limit is fine")
    t.eq(select(2, slurp(compressed(kind), { limit = false })), nil, "false: no limit")
  end)
end

t.test("gzip: damage inside the data names an offset", function()
  local whole = t.read(compressed("gzip"))
  local at = #whole // 2
  local bad = whole:sub(1, at) .. string.rep("\xff", 64) .. whole:sub(at + 65)
  local data, msg, off = slurp(t.write(dir .. "/bad.gz", bad))
  t.match(msg, "^damaged gzip stream at byte %d+ of the compressed file: ")
  t.ok(off >= at and off <= #whole, "offset near the damage")
  -- deflate data decodes wrongly for a while before its damage shows: only
  -- what came well before the damaged bytes is sure to be right
  t.ok(#data > 100000 and data:sub(1, 100000) == text:sub(1, 100000), "the data well before it")
end)

t.test("gzip: trailing garbage and zero padding", function()
  local one = t.read(compressed("gzip"))
  local data, msg, off = slurp(t.write(dir .. "/garbage.gz", one .. "not gzip"))
  t.ok(data == text, "all the data first")
  t.eq(msg, "trailing garbage after the gzip stream at byte " .. #one .. " of the compressed file")
  t.eq(off, #one)
  data, msg = slurp(t.write(dir .. "/padded.gz", one .. string.rep("\0", 1000)))
  t.ok(data == text and msg == nil, "zero padding (tape blocks) is no damage")
end)

t.test("plain files pass through; short and empty files", function()
  t.ok(slurp(plain, nil, 777) == text, "plain file")
  local s <close> = assert(zio.open(plain))
  t.eq(s:kind(), nil)
  t.eq(tostring(s), "gisa.zio stream (plain, " .. plain .. ")")
  t.eq({ slurp(t.write(dir .. "/empty", "")) }, { "" })
  t.eq({ slurp(t.write(dir .. "/one", "x")) }, { "x" })
  t.eq({ slurp(t.write(dir .. "/gz-magic-only", "\x1f\x8b")) },
    { "", "truncated gzip stream at byte 2 of the compressed file", 2 })
  -- limits are for decompression: a plain file is not cut
  t.ok(slurp(plain, { limit = 10 }) == text, "no limit on plain files")
end)

t.test("standard input, plain and compressed", function()
  local code = "local zio = require 'gisa.zio'; local s = assert(zio.open('-')); "
    .. "local n = 0; for _ = 1, 1e9 do local b = s:read(); if not b then break end; n = n + #b end; "
    .. "print(tostring(s), s:kind(), n)"
  local script = t.write(dir .. "/stdin.lua", code)
  local r = t.sh(t.shquote(t.bin) .. " " .. t.shquote(script) .. " < " .. t.shquote(compressed("gzip")))
  t.eq(r.out, "gisa.zio stream (gzip, (stdin))\tgzip\t" .. #text .. "\n")
  r = t.sh("cat " .. t.shquote(plain) .. " | " .. t.shquote(t.bin) .. " " .. t.shquote(script))
  t.eq(r.out, "gisa.zio stream (plain, (stdin))\tnil\t" .. #text .. "\n")
end)

t.test("open: errors as data, misuse raises", function()
  t.eq({ zio.open(dir .. "/missing.gz") }, { nil, dir .. "/missing.gz: No such file or directory" })
  t.eq({ zio.open(dir) }, { nil, dir .. ": is a directory" })
  t.checkerr("(opts.limit must be a non-negative integer or false)", zio.open, plain, { limit = -1 })
  t.checkerr("(string expected, got no value)", zio.open)
  local s = assert(zio.open(plain))
  t.checkerr("(size must be positive)", s.read, s, 0)
  s:close()
  s:close()
  t.eq(tostring(s), "gisa.zio stream (closed, " .. plain .. ")")
  t.checkerr("attempt to use a closed stream", s.read, s)
end)

------------------------------------------------------------------------------
-- Archives
------------------------------------------------------------------------------

-- name -> content of every regular file in an archive, in order, with errors
local function list(path, opts)
  local got = {}
  local r = { zio.entries(path, opts) }
  if not r[1] then return nil, r[2] end
  for name, s, msg in table.unpack(r, 1, 4) do
    if s then
      local data, m2 = drain(s, 5000)
      got[#got + 1] = { name, m2 and ("damaged: " .. m2) or data }
    else
      got[#got + 1] = { name, "error: " .. msg }
    end
  end
  return got
end

local tree = dir .. "/tree"
local function make_tree()
  os.execute("mkdir -p " .. t.shquote(tree .. "/2024/06") .. " " .. t.shquote(tree .. "/빈폴더"))
  t.write(tree .. "/2024/06/기사1.txt", "제목 하나\n본문\n")
  t.write(tree .. "/2024/06/b.txt", text)
  t.write(tree .. "/a.txt", "")
end

local want_tree = {
  { "tree/2024/06/b.txt", text },
  { "tree/2024/06/기사1.txt", "제목 하나\n본문\n" },
  { "tree/a.txt", "" },
}

local function sorted(l)
  table.sort(l, function(a, b) return a[1] < b[1] end)
  return l
end

t.test("zip and tar archives read like a directory", function()
  if not have("zip") then t.skip("zip is not installed (tools/deps test)") end
  make_tree()
  local cd = "cd " .. t.shquote(dir) .. " && "
  sh(cd .. "zip -qr tree.zip tree && zip -qr -0 stored.zip tree")
  sh(cd .. "tar cf tree.tar tree && tar czf tree.tar.gz tree && tar cJf tree.tar.xz tree")
  sh(cd .. "tar cf - tree | zstd -q -c > tree.tar.zst && tar cjf tree.tar.bz2 tree")
  for _, name in ipairs({ "tree.zip", "stored.zip", "tree.tar", "tree.tar.gz", "tree.tar.xz",
                          "tree.tar.zst", "tree.tar.bz2" }) do
    t.eq(sorted(assert(list(dir .. "/" .. name))), want_tree, name)
  end
end)

t.test("zip: CP949 entry names from Windows become UTF-8", function()
  if not have("zip") then t.skip("zip is not installed (tools/deps test)") end
  -- Info-ZIP stores a name's bytes as they are on disk: CP949 bytes, no UTF-8 flag
  local r = t.sh("python3 -c " .. t.shquote([[
import os, sys
d = sys.argv[1].encode()
os.makedirs(d + b"/" + "폴더".encode("cp949"), exist_ok=True)
open(d + b"/" + "폴더".encode("cp949") + b"/" + "기사.txt".encode("cp949"), "w").write("가\n")
open(d + b"/" + "뉴스·속보.txt".encode("cp949"), "w").write("나\n")
]]) .. " " .. t.shquote(dir .. "/win"))
  if r.code ~= 0 then t.skip("python3 cannot make CP949 file names here: " .. r.err) end
  sh("cd " .. t.shquote(dir .. "/win") .. " && rm -f ../win.zip && zip -qr ../win.zip .")
  t.eq(sorted(assert(list(dir .. "/win.zip"))), { { "뉴스·속보.txt", "나\n" }, { "폴더/기사.txt", "가\n" } })
end)

t.test("zip: a damaged entry is reported and the others read", function()
  local r = t.sh("python3 -c " .. t.shquote([[
import zipfile, sys
p = sys.argv[1]
with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.txt", "가나다라마바사 " * 2000)
    z.writestr("b.txt", "ok\n")
b = bytearray(open(p, "rb").read())
for i in range(60, 120): b[i] ^= 0x55
open(p, "wb").write(b)
]]) .. " " .. t.shquote(dir .. "/damaged.zip"))
  if r.code ~= 0 then t.skip("python3 zipfile: " .. r.err) end
  local got = assert(list(dir .. "/damaged.zip"))
  t.eq(#got, 2)
  t.eq(got[1][1], "a.txt")
  t.match(got[1][2], "^damaged: damaged entry at byte 0 of its data: ")
  t.eq(got[2], { "b.txt", "ok\n" })
end)

t.test("archives: limit over all entries, stale entries, not an archive", function()
  if not have("zip") then t.skip("zip is not installed (tools/deps test)") end
  local got = sorted(assert(list(dir .. "/tree.tar.gz", { limit = 1000 })))
  t.eq(got[1][1], "tree/2024/06/b.txt")
  t.eq(got[1][2], "damaged: " .. dir .. "/tree.tar.gz: more than 1000 bytes decompressed, the limit "
    .. "against decompression bombs (opts.limit raises it)")
  local keep, first
  for name, s in zio.entries(dir .. "/tree.zip") do
    keep, first = keep or s, first or name
    t.eq(tostring(s), "gisa.zio entry (" .. name .. ")")
  end
  t.checkerr("entry '" .. first .. "' read after the iteration moved on", keep.read, keep)
  t.eq({ zio.entries(plain) }, { nil, plain .. ": not a zip or tar archive (Unrecognized archive format)" })
  local it, err = zio.entries(dir .. "/missing.zip")
  t.eq(it, nil)
  t.match(err, "^" .. dir:gsub("%p", "%%%0") .. "/missing%.zip: not a zip or tar archive %(")
  -- a loop left early closes the archive (the generic for's closing value)
  local a
  for name, s in zio.entries(dir .. "/tree.zip") do a = s; break end
  t.checkerr("read after the iteration moved on", a.read, a)
end)

t.test("docs/zio.md: the example runs and prints what the page says", function()
  local page = assert(t.read(t.root .. "/docs/zio.md"))
  local lua = assert(page:match("```lua\n(.-)```"))
  local sh_code = assert(page:match("```sh\n(.-)```"))
  local want = assert(page:match("prints\n\n```\n(.-)```"))
  local d = dir .. "/docs"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  t.write(d .. "/" .. assert(lua:match("^%-%- ([%w_]+%.lua)")), lua)
  local bin = t.bin:sub(1, 1) == "/" and t.bin or (t.sh("pwd").out:gsub("\n$", "") .. "/" .. t.bin)
  local script = "gisa() { " .. t.shquote(bin) .. ' "$@"; }\nset -e\ncd ' .. t.shquote(d) .. "\n" .. sh_code
  local r = t.sh("sh -c " .. t.shquote(script))
  t.eq(r.err, "")
  t.eq(r.out, want)
end)
