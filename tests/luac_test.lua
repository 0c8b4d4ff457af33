-- The host's compiled modules (src/main.c, "Compiled modules"; tools/luac.lua):
-- a module of the shipped library comes from build/luac only when that file is
-- newer than its source and was compiled from the path package.path finds,
-- so an edited source, a user's copy and a stray file all read the source.
local t = require "t"

-- A checkout of our own in a scratch directory: a copy of the binary, the
-- library's files linked in, and a module gisa.probe of the test's making.
local function checkout()
  local d = t.tmpdir() .. "/luac"
  local real = t.sh("pwd -P").out:gsub("\n$", "")
  local r = t.sh("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d .. "/lua/gisa") .. " "
    .. t.shquote(d .. "/build/luac/gisa") .. " " .. t.shquote(d .. "/user/gisa")
    .. " && cp " .. t.shquote(t.bin) .. " " .. t.shquote(d .. "/gisa")
    .. " && ln -s " .. t.shquote(real) .. "/lua/gisa/* " .. t.shquote(d .. "/lua/gisa/"))
  t.eq(r.code, 0, r.err)
  d = t.sh("cd " .. t.shquote(d) .. " && pwd -P").out:gsub("\n$", "")
  return d, d .. "/lua/gisa/probe.lua", d .. "/build/luac/gisa/probe.luac"
end

-- Write the compiled form of SRC, named NAME (a chunk name), to PATH.
local function compiled(path, src, name)
  t.write(path, string.dump(assert(load(src, name))))
end

local function probe(d, script)
  t.write(d .. "/probe_script.lua", script or 'print((require "gisa.probe"))')
  return t.sh(t.shquote(d .. "/gisa") .. " " .. t.shquote(d .. "/probe_script.lua"))
end

local function touch(path, when)
  t.eq(t.sh("touch -d " .. t.shquote(when) .. " " .. t.shquote(path)).code, 0, "touch " .. path)
end

t.test("a compiled module newer than its source, compiled from its path, is loaded", function()
  local d, src, out = checkout()
  t.write(src, 'return "source"')
  compiled(out, 'return "compiled"', "@" .. src)
  touch(src, "2020-01-01 00:00:00"); touch(out, "2020-01-01 00:00:01")
  local r = probe(d)
  t.eq(r.code, 0, r.err)
  t.eq(r.out, "compiled\n")
  -- its errors name the source's path and line, as the source's would
  compiled(out, '\nerror("boom")', "@" .. src)
  touch(out, "2020-01-01 00:00:01")
  r = probe(d)
  t.eq(r.code, 1)
  t.contains(r.err, src .. ":2: boom")
end)

t.test("an edited source (newer than its compiled file) is read, not the compiled file", function()
  local d, src, out = checkout()
  t.write(src, 'return "source"')
  compiled(out, 'return "compiled"', "@" .. src)
  touch(out, "2020-01-01 00:00:00"); touch(src, "2020-01-01 00:00:01")
  t.eq(probe(d).out, "source\n")
  -- the same second is not newer
  touch(out, "2020-01-01 00:00:01")
  t.eq(probe(d).out, "source\n")
end)

t.test("a compiled file made from another path, or not a chunk, is ignored", function()
  local d, src, out = checkout()
  t.write(src, 'return "source"')
  touch(src, "2020-01-01 00:00:00")
  compiled(out, 'return "compiled"', "@/elsewhere/lua/gisa/probe.lua")
  t.eq(probe(d).out, "source\n")
  t.write(out, 'return "text, not bytecode"')
  t.eq(probe(d).out, "source\n")
  t.write(out, string.dump(load('return "compiled"', "@" .. src)):sub(1, 20))   -- cut short
  t.eq(probe(d).out, "source\n")
end)

t.test("a user's copy earlier on package.path wins over the compiled library module", function()
  local d, src, out = checkout()
  t.write(src, 'return "source"')
  compiled(out, 'return "compiled"', "@" .. src)
  touch(src, "2020-01-01 00:00:00"); touch(out, "2020-01-01 00:00:01")
  t.write(d .. "/user/gisa/probe.lua", 'return "user"')
  local r = probe(d, 'package.path = "' .. d .. '/user/?.lua;" .. package.path\nprint((require "gisa.probe"))')
  t.eq(r.out, "user\n", r.err)
  -- and a missing module's message is Lua's own
  r = probe(d, 'require "gisa.no_such_module"')
  t.eq(r.code, 1)
  t.match(r.err, "module 'gisa.no_such_module' not found:\n\tno field package.preload%['gisa.no_such_module'%]\n\tno file '")
end)

t.test("gisa.compiled.loadfile: a library file by path (the rule files), under the same checks", function()
  local d, src, out = checkout()
  t.write(src, 'return "source"')
  compiled(out, 'return "compiled"', "@" .. src)
  touch(src, "2020-01-01 00:00:00"); touch(out, "2020-01-01 00:00:01")
  local script = 'local f = require("gisa.compiled").loadfile(...)\nprint(f and f() or "nil")'
  t.write(d .. "/user/gisa/probe.lua", 'return "user"')
  local function run(path)
    t.write(d .. "/probe_script.lua", script)
    return t.sh(t.shquote(d .. "/gisa") .. " " .. t.shquote(d .. "/probe_script.lua") .. " " .. t.shquote(path))
  end
  t.eq(run(src).out, "compiled\n")
  t.eq(run(d .. "/user/gisa/probe.lua").out, "nil\n")    -- not the library's
  touch(src, "2020-01-01 00:00:02")
  t.eq(run(src).out, "nil\n")                            -- edited since
end)
