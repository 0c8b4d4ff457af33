-- bench/lib: timing helpers shared by the benchmarks. Every target is a ratio
-- against a baseline measured in the same run; times are medians of N runs.

local sys = require "gisa.sys"

local M = {}

M.runs = tonumber(os.getenv("BENCH_RUNS") or "5")

-- Median seconds of fn() by CLOCK over RUNS runs (after one warm-up when warm).
local function median(clock, fn, runs, warm)
  runs = runs or M.runs
  if warm ~= false then fn() end
  local ts = {}
  for i = 1, runs do
    collectgarbage("collect")
    local t0 = clock()
    fn()
    ts[i] = clock() - t0
  end
  table.sort(ts)
  return ts[(runs + 1) // 2], ts
end

--- Median wall-clock seconds of fn() over M.runs runs (after one warm-up when warm).
function M.time(fn, runs, warm) return median(sys.clock, fn, runs, warm) end

--- Median CPU seconds of this process for fn() (the machine is shared: wall time
--- counts the others' work), as M.time.
function M.cputime(fn, runs, warm) return median(sys.cputime, fn, runs, warm) end

--- Median seconds of a shell command (output discarded).
function M.time_cmd(cmd, runs)
  return M.time(function() os.execute(cmd .. " >/dev/null 2>&1") end, runs)
end

--- CPU seconds (user + system) of one run of a shell command and its children,
--- by /usr/bin/time, and "CPU"; on a shared machine wall time counts the
--- others' work. Falls back to wall seconds and "wall" without /usr/bin/time.
function M.cpu_cmd(cmd)
  local tf = os.tmpname()
  local ok = os.execute("/usr/bin/time -f '%U %S' -o " .. tf .. " " .. cmd .. " >/dev/null 2>&1")
  local fh = io.open(tf)
  local u, sy
  if fh then u, sy = fh:read("a"):match("([%d.]+) ([%d.]+)%s*$"); fh:close() end
  os.remove(tf)
  if ok and u then return tonumber(u) + tonumber(sy), "CPU" end
  return M.time_cmd(cmd, 1), "wall"
end

--- Median of M.cpu_cmd(cmd) over RUNS runs, and its kind ("CPU" or "wall").
function M.cputime_cmd(cmd, runs)
  local ts, kind = {}, nil
  for i = 1, runs or M.runs do ts[i], kind = M.cpu_cmd(cmd) end
  table.sort(ts)
  return ts[(#ts + 1) // 2], kind
end

local rows = {}

--- Record and print one comparison: `name`, our time, the baseline's, the target ratio.
--- ratio = baseline / ours (higher is better); target is the ratio to reach.
function M.report(name, ours, baseline, target, note)
  local ratio = baseline / ours
  local ok = (not target) or ratio >= target
  rows[#rows + 1] = { name = name, ours = ours, base = baseline, ratio = ratio, target = target, ok = ok }
  io.write(string.format("%-46s %9.4fs  base %9.4fs  ratio %6.2fx  %s%s\n", name, ours, baseline,
    ratio, target and string.format("(target >= %.2fx %s)", target, ok and "ok" or "MISSED") or "",
    note and ("  " .. note) or ""))
  io.stdout:flush()
end

--- A plain measurement with no baseline.
function M.note(name, text)
  io.write(string.format("%-46s %s\n", name, text))
  io.stdout:flush()
end

function M.rows() return rows end

--- The generated corpus of n articles, bench/data/gen-N (gitignored): made once
--- by bench/gen.lua with `bin` (noted with the time it took), then reused.
function M.corpus(n, bin)
  local data = "bench/data/gen-" .. n
  if sys.stat(data .. "/d000") ~= "dir" then
    local t0 = sys.clock()
    assert(os.execute(string.format("%s bench/gen.lua %d %s >/dev/null 2>&1", bin, n, data)), "bench/gen.lua failed")
    M.note("generated", string.format("%d articles in %s (%.0fs; reused by later runs)", n, data, sys.clock() - t0))
  end
  return data
end

return M
