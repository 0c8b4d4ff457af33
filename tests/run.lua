-- The test runner: the C unit tests, then every tests/*_test.lua (Lua tests of
-- the library and command-line tests of the real binary). Prints each file's
-- time and the ten slowest tests, and ends with "N passed, M failed, K skipped";
-- exits 1 on any failure.
-- TEST=pattern runs only the test files whose names match; so do file names
-- given as arguments (`./gisa tests/run.lua tests/josa_test.lua kwic_test.lua`).
-- TIER=fast runs the tests of `make test` (every test not registered with
-- t.slow), TIER=slow only the slow ones (`make check` runs both); by default, all.

local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/lib/?.lua;" .. package.path
local t = require "t"
local sys = require "gisa.sys"

local filter = os.getenv("TEST")
-- test files named as arguments: only those (the C unit tests with "unit")
local named
for _, a in ipairs(arg) do
  local name = a:match("([^/]*)$")
  if name ~= "unit" and not name:find("_test%.lua$") then
    io.stderr:write("tests/run.lua: not a test file: ", a, " (tests/NAME_test.lua or unit)\n")
    return 2
  end
  named = named or {}
  named[name] = true
end
local function wanted_file(name)
  if named then return named[name] == true end
  return not filter or name:find(filter) ~= nil
end
local tier = os.getenv("TIER") or "all"
if tier ~= "all" and tier ~= "fast" and tier ~= "slow" then
  io.stderr:write("TIER must be fast, slow or all, not '", tier, "'\n")
  return 2
end
local passed, failed, skipped = 0, 0, 0
local clock = sys.clock
local timings = {}      -- {name=, time=} of every test run
local left = 0          -- tests of the other tier, not run

-- C unit tests: a binary that prints its own "N passed, M failed".
local unit = os.getenv("GISA_UNIT") or "build/unit"
if tier ~= "slow" and wanted_file("unit") and sys.stat(unit) == "file" then
  local r = t.sh(t.shquote(unit))
  io.stdout:write(r.out)
  if r.err ~= "" then io.stderr:write(r.err) end
  local p, f = r.out:match("(%d+) passed, (%d+) failed%s*$")
  if p then
    passed, failed = passed + tonumber(p), failed + tonumber(f)
    if r.code ~= 0 and tonumber(f) == 0 then failed = failed + 1; print("FAIL unit: exit " .. r.code) end
  else
    failed = failed + 1
    print("FAIL unit: no summary line (exit " .. tostring(r.code) .. ")")
  end
end

local files = {}
for _, name in ipairs(sys.listdir(dir)) do
  if name:find("_test%.lua$") and wanted_file(name) then files[#files + 1] = name end
end
if named then
  for name in pairs(named) do
    if name ~= "unit" and sys.stat(dir .. "/" .. name) ~= "file" then
      io.stderr:write("tests/run.lua: no such test file: ", dir, "/", name, "\n")
      return 2
    end
  end
end

for _, name in ipairs(files) do
  t.tests, t.file = {}, name
  local f0 = clock()
  local chunk, err = loadfile(dir .. "/" .. name)
  local ok = chunk and true
  if chunk then ok, err = pcall(chunk) end
  if not ok then
    failed = failed + 1
    print("FAIL " .. name .. ": " .. tostring(err))
  end
  local ran = 0
  for _, tc in ipairs(t.tests) do
    local wanted = tier == "all" or (tier == "slow") == (tc.slow == true)
    if not wanted then left = left + 1 else
    ran = ran + 1
    local t0 = clock()
    local tok, terr = xpcall(tc.fn, function(e)
      if type(e) == "table" and e.skip then return e end
      return debug.traceback(tostring(e), 2)
    end)
    if tok then
      passed = passed + 1
      if os.getenv("VERBOSE") then print("ok   " .. name .. ": " .. tc.name) end
    elseif type(terr) == "table" and terr.skip then
      skipped = skipped + 1
      print("skip " .. name .. ": " .. tc.name .. ": " .. terr.skip)
    else
      failed = failed + 1
      -- keep the first lines of the traceback: enough to find the assertion
      local msg = terr:gsub("\nstack traceback:.-\n([^\n]*_test%.lua:%d+:[^\n]*).*$", "\n  at %1")
      print("FAIL " .. name .. ": " .. tc.name .. "\n  " .. msg:gsub("\n", "\n  "))
    end
    timings[#timings + 1] = { name = name .. ": " .. tc.name, time = clock() - t0 }
    end
  end
  if ran > 0 or not ok then
    print(string.format("time %6.2fs  %s (%d test%s)", clock() - f0, name, ran, ran == 1 and "" or "s"))
  end
end

if #timings > 0 then
  table.sort(timings, function(a, b) return a.time > b.time end)
  print("slowest tests:")
  for i = 1, math.min(10, #timings) do
    print(string.format("  %6.2fs  %s", timings[i].time, timings[i].name))
  end
end
if left > 0 then
  print(string.format("(%d %s test%s not run: TIER=%s)", left, tier == "fast" and "slow" or "fast",
    left == 1 and "" or "s", tier == "fast" and "slow, make check" or "fast, make test"))
end

t.cleanup()
local line = string.format("%d passed, %d failed", passed, failed)
if skipped > 0 then line = line .. string.format(", %d skipped", skipped) end
print(line)
return failed > 0 and 1 or 0
