-- t: the test library. Test files call t.test(name, fn); assertions raise with
-- a message that says what was expected and what came instead.

local M = { tests = {}, file = nil }

M.bin = os.getenv("GISA_BIN") or "./gisa"
M.root = os.getenv("GISA_ROOT") or "."
M.shared = M.root .. "/../shared"

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) ~= "table" then return tostring(v) end
  local ok, json = pcall(require, "gisa.output.json")
  if ok then
    local ok2, s = pcall(json.encode, v)
    if ok2 then return s end
  end
  return tostring(v)
end
M.show = show

--- Register a test.
function M.test(name, fn)
  M.tests[#M.tests + 1] = { name = name, fn = fn, file = M.file }
end

--- Register a slow test: one that `make test` leaves to `make check` (long
--- equivalence runs over generated articles, conformance files, browsers,
--- robustness sweeps). TIER=fast skips it, TIER=slow runs only such tests.
function M.slow(name, fn)
  M.tests[#M.tests + 1] = { name = name, fn = fn, file = M.file, slow = true }
end

--- Skip the running test with a reason (counted as skipped, not passed).
function M.skip(reason)
  error(setmetatable({ skip = reason }, { __tostring = function(e) return "skip: " .. e.skip end }), 0)
end

local function fail(msg, level)
  error(msg, (level or 1) + 2)
end

local function deepeq(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do if not deepeq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
M.deepeq = deepeq

function M.eq(got, want, what)
  if not deepeq(got, want) then
    fail((what and (what .. ": ") or "") .. "expected " .. show(want) .. ", got " .. show(got))
  end
end

function M.ok(v, what)
  if not v then fail(what or "expected a true value, got " .. show(v)) end
  return v
end

function M.match(s, pat, what)
  if type(s) ~= "string" or not s:find(pat) then
    fail((what and (what .. ": ") or "") .. "expected a match for " .. show(pat) .. " in " .. show(s))
  end
end

function M.contains(s, sub, what)
  if type(s) ~= "string" or not s:find(sub, 1, true) then
    fail((what and (what .. ": ") or "") .. "expected " .. show(sub) .. " in " .. show(s))
  end
end

--- The call raises an error whose message contains `text`.
function M.checkerr(text, f, ...)
  local ok, err = pcall(f, ...)
  if ok then fail("expected an error containing " .. show(text) .. ", but the call succeeded") end
  if not tostring(err):find(text, 1, true) then
    fail("expected an error containing " .. show(text) .. ", got " .. show(tostring(err)))
  end
end

local function shquote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.shquote = shquote

local tmpdir
--- A fresh temporary directory for this run (removed at the end).
function M.tmpdir()
  if not tmpdir then
    local p = io.popen("mktemp -d /tmp/gisa-test.XXXXXX")
    tmpdir = p:read("l"); p:close()
  end
  return tmpdir
end
function M.cleanup()
  if tmpdir then os.execute("rm -rf " .. shquote(tmpdir)) end
end

function M.write(path, data)
  local f = assert(io.open(path, "wb")); f:write(data); f:close()
  return path
end
function M.read(path)
  local f = io.open(path, "rb"); if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

--- Run a shell command; returns {out=, err=, code=}.
--- `args` is a list (quoted for the shell) or a string (used as is).
function M.sh(cmd, stdin)
  local d = M.tmpdir()
  local o, e, i = d .. "/out", d .. "/err", d .. "/in"
  local full = "( " .. cmd .. " ) >" .. o .. " 2>" .. e
  if stdin then M.write(i, stdin); full = full .. " <" .. i else full = full .. " </dev/null" end
  local _, how, code = os.execute(full)
  if how == "signal" then code = 128 + code end
  return { out = M.read(o) or "", err = M.read(e) or "", code = code }
end

--- Run the gisa binary with a list of arguments.
function M.gisa(args, stdin, env)
  local parts = {}
  for k, v in pairs(env or {}) do parts[#parts + 1] = k .. "=" .. shquote(v) end
  parts[#parts + 1] = shquote(M.bin)
  for _, a in ipairs(args) do parts[#parts + 1] = shquote(a) end
  return M.sh(table.concat(parts, " "), stdin)
end

--- Skip unless ../shared/corpus is present.
function M.need_shared()
  local f = io.open(M.shared .. "/corpus/gold.jsonl")
  if not f then M.skip("../shared/corpus is absent (tests on the real corpus need it)") end
  f:close()
  return M.shared .. "/corpus"
end

return M
