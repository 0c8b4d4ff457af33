-- The test runner: the C unit tests, then every tests/*_test.lua (Lua tests of
-- the library and command-line tests of the real binary). Ends with
-- "N passed, M failed, K skipped" and exits 1 on any failure.
-- TEST=pattern runs only the test files whose names match.

local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/lib/?.lua;" .. package.path
local t = require "t"
local sys = require "gisa.sys"

local filter = os.getenv("TEST")
local passed, failed, skipped = 0, 0, 0

-- C unit tests: a binary that prints its own "N passed, M failed".
local unit = os.getenv("GISA_UNIT") or "build/unit"
if (not filter or ("unit"):find(filter)) and sys.stat(unit) == "file" then
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
  if name:find("_test%.lua$") and (not filter or name:find(filter)) then files[#files + 1] = name end
end

for _, name in ipairs(files) do
  t.tests, t.file = {}, name
  local chunk, err = loadfile(dir .. "/" .. name)
  local ok = chunk and true
  if chunk then ok, err = pcall(chunk) end
  if not ok then
    failed = failed + 1
    print("FAIL " .. name .. ": " .. tostring(err))
  end
  for _, tc in ipairs(t.tests) do
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
  end
end

t.cleanup()
local line = string.format("%d passed, %d failed", passed, failed)
if skipped > 0 then line = line .. string.format(", %d skipped", skipped) end
print(line)
return failed > 0 and 1 or 0
