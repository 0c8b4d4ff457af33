-- gisa.engine.load: the rule files of a search path, read and prepared into a
-- registry: the generic rules (rules/generic.lua), the user's extension files
-- (DIR/rules/*.lua) and the sites (rules/sites/*.lua), with the needle sets of
-- `has` and of site detection and the generic rule set compiled. The search
-- path is given by the caller (gisa.paths); a registry is kept per search path.

local schema = require "gisa.engine.schema"
local has = require "gisa.engine.has"
local detect = require "gisa.engine.detect"
local compile = require "gisa.engine.compile"
local publishers = require "gisa.engine.publishers"
-- the shipped rule files compiled by make, where they may stand for the source (src/main.c)
local compiled = package.preload["gisa.compiled"] and require("gisa.compiled").loadfile or function() end

local M = {}

-- Names in lua/gisa/rules/ that are libraries, not rule sets.
M.core = { generic = true, dates = true, bylines = true, lib = true, publishers = true }

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

-- Run a rule file; it returns a table ({rules=…} or a site), and its text.
local function load_rules_file(path)
  local chunk, err = compiled(path)
  if not chunk then chunk, err = loadfile(path, "t") end
  if not chunk then error(err, 0) end
  local ok, v = pcall(chunk)
  if not ok then error(tostring(v), 0) end
  if type(v) ~= "table" then error(path .. ": a rule file must return a table", 0) end
  return v, readfile(path)
end

local function append(dst, src)
  for _, v in ipairs(src or {}) do dst[#dst + 1] = v end
end

--- Load every rule file PATHS finds (a gisa.paths object; nil: only the
--- generic rules on package.path) into a registry.
function M.load(paths)
  publishers.use(paths)
  local reg = { sites = {}, extras = {}, sets = {} }
  local gpath = paths and paths:find("rules", "generic")
  if not gpath then
    gpath = package.searchpath("gisa.rules.generic", package.path)
  end
  local g, src = load_rules_file(gpath)
  schema.check_file(g, gpath, src, false)
  reg.base = { rules = schema.prepare_list(g.rules, gpath, src, "rules"), post = {}, file = gpath }
  for _, p in ipairs(g.post or {}) do reg.base.post[#reg.base.post + 1] = p end
  if paths then
    for _, it in ipairs(paths:list("rules")) do
      if not M.core[it.name] then
        local e, esrc = load_rules_file(it.path)
        schema.check_file(e, it.path, esrc, false)
        reg.extras[#reg.extras + 1] = {
          rules = schema.prepare_list(e.rules, it.path, esrc, "rules"), post = e.post, dates = e.dates,
          date_labels = e.date_labels, byline_roles = e.byline_roles, media = e.media, file = it.path,
        }
      end
    end
    for _, it in ipairs(paths:list("sites")) do
      local s, ssrc = load_rules_file(it.path)
      schema.check_file(s, it.path, ssrc, true)
      local site = {
        id = s.id or it.name, publisher = s.publisher, file = it.path, detect = s.detect or {},
        threshold = s.threshold or 1, rules = schema.prepare_list(s.rules, it.path, ssrc, "rules"),
        post = s.post, dates = s.dates, date_labels = s.date_labels, byline_roles = s.byline_roles,
        media = s.media, html = s.html,   -- html: selectors for pages (gisa.page)
      }
      detect.prepare(site, it.path)
      -- a user's HTML rules are checked before any article is read; the shipped
      -- sites' (checked by the tests) when gisa.page first uses them, so that a
      -- run on text files does not load gisa.page
      if site.html ~= nil and it.root.kind ~= "shipped" then require("gisa.html.page").check_site(site) end
      reg.sites[#reg.sites + 1] = site
    end
  end
  local layers = { reg.base }
  append(layers, reg.extras)
  append(layers, reg.sites)
  has.index(reg, layers)
  detect.index(reg)
  reg.generic = compile.set(reg.base, reg.extras, nil, reg)
  return reg
end

-- The registry of the last search path asked for (an error is kept too, so a
-- broken rule file is reported the same way each time).
local cache = { paths = false }

--- The registry of PATHS (loaded once, then cached).
function M.registry(paths)
  if cache.paths ~= paths or not cache.reg then
    cache.paths, cache.reg, cache.err = paths, nil, nil
    local ok, reg = pcall(M.load, paths)
    if not ok then cache.err = reg else cache.reg = reg end
  end
  if cache.err then error(cache.err, 0) end
  return cache.reg
end

--- Forget loaded rules (tests; after changing rule files in one process).
function M.reset() cache.paths, cache.reg, cache.err = false, nil, nil end

return M
