-- gisa.paths: where rules, formats and scripts are found. Roots come in order:
-- -I directories, then GISA_PATH, then the shipped library (the checkout next
-- to the binary, or the installed share directory). The first file of a name wins.

local sys = require "gisa.sys"

local M = {}
M.__index = M

local warned = {}   -- user directories already said to be missing (setup runs more than once)

-- Where each kind lives: in a user's directory, and in the shipped tree.
M.kinds = {
  rules   = { user = "rules",   shipped = "lua/gisa/rules" },
  sites   = { user = "rules/sites", shipped = "lua/gisa/rules/sites" },
  formats = { user = "formats", shipped = "lua/gisa/formats" },
  scripts = { user = "scripts", shipped = "scripts" },
  readers = { user = "readers", shipped = "lua/gisa/readers" },
}

local function split_path(s)
  local out = {}
  for d in (s or ""):gmatch("[^:]+") do out[#out + 1] = d end
  return out
end

--- Build the search path. `dirs` are the -I directories, in the order given.
function M.new(host, dirs)
  local self = setmetatable({ roots = {} }, M)
  for _, d in ipairs(dirs or {}) do self.roots[#self.roots + 1] = { dir = d, kind = "user", from = "-I" } end
  for _, d in ipairs(split_path(os.getenv("GISA_PATH"))) do
    self.roots[#self.roots + 1] = { dir = d, kind = "user", from = "GISA_PATH" }
  end
  -- a user directory that is not there is most likely a typo: said once, and
  -- `gisa list` marks it
  for _, r in ipairs(self.roots) do
    if r.kind == "user" and sys.stat(r.dir) ~= "dir" then
      r.missing = true
      if not warned[r.dir] then
        warned[r.dir] = true
        require("gisa.cli.status").warn(r.dir .. ": no such directory (" .. r.from .. "); not searched")
      end
    end
  end
  self.roots[#self.roots + 1] = {
    dir = host.root, kind = "shipped", from = host.checkout and "checkout" or "installed",
  }
  return self
end

--- Lua module search: user roots (DIR/?.lua, DIR/lua/?.lua) before the library.
function M:package_path()
  local parts = {}
  for _, r in ipairs(self.roots) do
    if r.kind == "user" then
      parts[#parts + 1] = r.dir .. "/?.lua;" .. r.dir .. "/lua/?.lua;" .. r.dir .. "/lua/?/init.lua"
    end
  end
  return table.concat(parts, ";")
end

function M:dir_of(root, kind)
  local k = M.kinds[kind] or error("unknown kind '" .. tostring(kind) .. "'", 2)
  return root.dir .. "/" .. k[root.kind]
end

--- The file that provides NAME of KIND, or nil; the second result lists every
--- candidate that exists, the winner first.
function M:find(kind, name)
  local found = {}
  for _, r in ipairs(self.roots) do
    local p = self:dir_of(r, kind) .. "/" .. name .. ".lua"
    if sys.stat(p) == "file" then found[#found + 1] = { path = p, root = r } end
  end
  return found[1] and found[1].path, found
end

--- Every NAME of KIND, sorted: {name=, path=, root=, shadows={paths…}}.
function M:list(kind)
  local by, names = {}, {}
  for _, r in ipairs(self.roots) do
    local dir = self:dir_of(r, kind)
    for _, f in ipairs(sys.listdir(dir) or {}) do
      local name = f:match("^([^.][^/]*)%.lua$")
      if name and not name:match("%.d$") and sys.stat(dir .. "/" .. f) == "file" then
        local p = dir .. "/" .. f
        if by[name] then
          table.insert(by[name].shadows, p)
        else
          by[name] = { name = name, path = p, root = r, shadows = {} }
          names[#names + 1] = name
        end
      end
    end
  end
  table.sort(names)
  local out = {}
  for i, n in ipairs(names) do out[i] = by[n] end
  return out
end

-- The search path in use: set once by the start-up (main.lua) and read by the
-- modules that find files (the rule engine, the format writer), which take it
-- as an argument and fall back to this one.
local active

--- Make P the search path in use (start-up and `gisa.run` option parsing).
function M.use(p) active = p end

--- The search path in use; without one (gisa used as a plain library from
--- stock lua5.4), the shipped tree next to this file, no user directories.
function M.current()
  if active then return active end
  local here = package.searchpath("gisa.pipeline.paths", package.path)
  if not here then return nil end
  local root = here:gsub("/lua/gisa/pipeline/paths%.lua$", "")
  active = M.new({ root = root }, {})
  return active
end

return M
