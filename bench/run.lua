-- make bench: runs every bench/*_bench.lua (or BENCH=pattern), each printing
-- ratios against a baseline measured in the same run.
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/?.lua;" .. package.path
local sys = require "gisa.sys"
local filter = os.getenv("BENCH")
print(string.format("gisa bench: medians of %s runs (BENCH_RUNS), %s", os.getenv("BENCH_RUNS") or "5",
  os.date("!%Y-%m-%d %H:%M UTC")))
for _, name in ipairs(sys.listdir(dir)) do
  if name:find("_bench%.lua$") and (not filter or name:find(filter)) then
    print("\n== " .. name)
    local chunk = assert(loadfile(dir .. "/" .. name))
    chunk()
  end
end
local missed = 0
for _, r in ipairs(require("lib").rows()) do if not r.ok then missed = missed + 1 end end
print(string.format("\n%d comparisons, %d below target", #require("lib").rows(), missed))
