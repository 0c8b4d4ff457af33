-- Build step: the shipped library compiled, for the host's searcher (src/main.c,
-- "Compiled modules") to load instead of parsing the source.
--
--   ./gisa tools/luac.lua ROOT OUTDIR FILE…
--
-- Each FILE (lua/X.lua, relative to the checkout ROOT) is written to
-- OUTDIR/X.luac with string.dump, its debug information kept. It is compiled
-- from ROOT/FILE, the path the host's package.path finds it by, so its chunk
-- name (in every error and traceback) is the one the source would have; the
-- host takes a compiled file only when it is newer than its source and has that
-- name. A file that does not compile is skipped: the host reads its source and
-- reports the error there, as it did before.
local root, outdir = arg[1], arg[2]
if not (root and outdir and arg[3]) then
  io.stderr:write("usage: gisa tools/luac.lua ROOT OUTDIR FILE...\n")
  os.exit(2)
end

local made = {}
local function mkdir_for(path)
  local dir = path:match("^(.*)/[^/]*$")
  if dir and not made[dir] then
    assert(os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'"))
    made[dir] = true
  end
end

for i = 3, #arg do
  local file = arg[i]
  local rel = assert(file:match("^lua/(.*)%.lua$"), "not a file under lua/: " .. file)
  local chunk = loadfile(root .. "/" .. file, "t")
  if chunk then
    local out = outdir .. "/" .. rel .. ".luac"
    mkdir_for(out)
    -- written under another name and renamed: a reader never sees half a file
    local tmp = out .. ".tmp"
    local f = assert(io.open(tmp, "wb"))
    assert(f:write(string.dump(chunk)))
    assert(f:close())
    assert(os.rename(tmp, out))
  end
end
