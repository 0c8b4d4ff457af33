-- gisa.extract: raw article text -> article record, by the rule pipeline.
-- The engine lives in lua/gisa/engine/, one file per phase (docs/architecture.md):
--   load.lua      rule files from a search path -> a registry
--   schema.lua    what a rule may say; each rule checked and prepared
--   has.lua       the `has` test: needle set, line masks, interpreted and generated test
--   compile.lua   rule sets (generic + extensions + site) and the generated dispatch
--   detect.lua    which site an article comes from
--   run.lua       one article: lines -> a rule for each -> record
--   handlers.lua  where a line of each role goes in the record
--   post.lua      the passes run once every line has its role
-- This module is their public face: what scripts, commands and tests call.

local paths = require "gisa.pipeline.paths"
local schema = require "gisa.engine.schema"
local has = require "gisa.engine.has"
local load = require "gisa.engine.load"
local detect = require "gisa.engine.detect"
local run = require "gisa.engine.run"
local handlers = require "gisa.engine.handlers"

local M = {}

--- Every role a rule may give, and where a line with that role goes.
M.roles = schema.roles
--- Block types whose text makes up `body`.
M.body_types = handlers.body_types
--- The role handlers: H[role](rec, line, caps, ctx, rule).
M.handlers = handlers.H
--- remove(rec, line, text, reason): put a line into `removed`.
M.remove = handlers.remove
--- "file:line" of a rule.
M.where = schema.where

--- The loaded rules of the search path P (default: the one in use; loaded
--- once, then cached).
function M.registry(p)
  return load.registry(p or paths.current())
end

--- Forget loaded rules (tests; after changing rule files in one process).
M.reset = load.reset

--- The mask of the needles in LIST (a rule's `has`), or nil when one is not in
--- the registry's set.
M.needle_mask = has.mask

--- The site whose `detect` scores highest on TEXT (at least its threshold), or nil.
function M.detect(text, lines, reg)
  return detect.detect(text, lines, reg or M.registry())
end

--- Extract one article. info: {file=, encoding=, trace=bool, paths=}. With
--- trace, the second result lists every line part: {n, role, rule, text}.
---@param text string UTF-8 text
---@param info {file:string, encoding:string, trace?:boolean}
---@return gisa.Article, table?
function M.extract(text, info)
  info = info or {}
  return run.extract(M.registry(info.paths), text, info)
end

-- Settings kept by the phase that reads them: `profile` (a table: rules are
-- tried one at a time and timed per rule id, see run.lua) and
-- `detect_window` (how many bytes of each end of a text detection reads).
local settings = {
  profile = { run.options, "profile" },
  detect_window = { detect, "window" },
}
return setmetatable(M, {
  __index = function(_, k)
    local s = settings[k]
    if s then return s[1][s[2]] end
  end,
  __newindex = function(t, k, v)
    local s = settings[k]
    if s then s[1][s[2]] = v else rawset(t, k, v) end
  end,
})
