-- gisa rules: the rules gisa tries for a site, in order, each with its file
-- and line; with --dump, the Lua code the engine generates from them (the
-- dispatch of lua/gisa/engine/compile.lua) for each zone and line length.

local cli = require "gisa.cli"
local paths = require "gisa.pipeline.paths"
local status = require "gisa.cli.status"

local format, concat = string.format, table.concat

local M = {}

M.spec = {
  name = "rules",
  usage = "gisa rules [--site ID] [--dump [--zone ZONE] [--first CHAR]] [-I DIR]…",
  summary = "List the rules in the order they are tried on an article of site ID (by\n" ..
    "default: an article no site matches), each with its role, the lines it is tried\n" ..
    "on and its file:line. --dump prints the generated dispatch code instead.",
  options = {
    { "-s", "--site", arg = "ID", help = "the rules of this site (`gisa list` shows the sites)" },
    { nil, "--dump", help = "print the dispatch code generated for each zone and line length" },
    { nil, "--zone", arg = "ZONE", help = "with --dump: only this zone (head, body, tail)" },
    { nil, "--first", arg = "CHAR", help = "with --dump: for lines starting with CHAR (default: a character no rule names)" },
    { "-I", "--include", arg = "DIR", list = true, help = "search DIR for rules first (repeatable)" },
    { "-h", "--help", help = "show this help" },
  },
  text = "examples:\n" ..
    "  gisa rules                    the generic rules and every site\n" ..
    "  gisa rules --site mt          the rules for an article of mt, in order\n" ..
    "  gisa rules --site mt --dump --zone head",
}

-- What lines a rule is tried on, in short: zones, length limits, first characters, has.
local function scope(r)
  local out = {}
  if r.zones then
    local z = {}
    for _, name in ipairs({ "head", "body", "tail" }) do if r.zones[name] then z[#z + 1] = name end end
    out[#out + 1] = concat(z, ",")
  elseif r.when then
    out[#out + 1] = "when()"
  end
  if r.min and r.max then out[#out + 1] = format("%d-%d chars", r.min, r.max)
  elseif r.max then out[#out + 1] = format("<=%d chars", r.max)
  elseif r.min then out[#out + 1] = format(">=%d chars", r.min) end
  if r.first then out[#out + 1] = "first " .. concat(r.first, " ") end
  if r.prev then out[#out + 1] = "prev " .. (type(r.prev) == "table" and concat(r.prev, ",") or r.prev) end
  if r.once then out[#out + 1] = "once" end
  if r.split then out[#out + 1] = "split" end
  if r.always then out[#out + 1] = "always" end
  return concat(out, "; ")
end

local function list(set, reg, site, out)
  local schema = require "gisa.engine.schema"
  if site then
    out[#out + 1] = format("site %s%s (%s): %d rules, in the order they are tried", site.id,
      site.publisher and (" " .. site.publisher) or "", site.file, #set.rules)
  else
    out[#out + 1] = format("no site: %d rules, in the order they are tried", #set.rules)
  end
  local wid, wrole = 2, 4
  for _, r in ipairs(set.rules) do wid, wrole = math.max(wid, #r.id), math.max(wrole, #r.role) end
  for i, r in ipairs(set.rules) do
    local sc = scope(r)
    out[#out + 1] = format("%4d  %-" .. wid .. "s  %-" .. wrole .. "s  %s%s", i, r.id, r.role,
      schema.where(r), sc ~= "" and ("  [" .. sc .. "]") or "")
  end
  if #set.post > 0 then
    local ids = {}
    for i, p in ipairs(set.post) do ids[i] = p.id end
    out[#out + 1] = "post passes: " .. concat(ids, ", ")
  end
  if not site then
    out[#out + 1] = ""
    out[#out + 1] = "sites (gisa rules --site ID):"
    for _, s in ipairs(reg.sites) do
      out[#out + 1] = format("  %-10s %s  (%d rule%s of its own)", s.id, s.file, #s.rules, #s.rules == 1 and "" or "s")
    end
  end
end

local function dump(set, opts, out)
  local compile = require "gisa.engine.compile"
  local zones = opts.zone and { opts.zone } or { "head", "body", "tail" }
  for _, z in ipairs(zones) do
    if z ~= "head" and z ~= "body" and z ~= "tail" then
      cli.usage_error("--zone: unknown zone '" .. z .. "' (head, body, tail)", "rules")
    end
  end
  local fc = opts.first and opts.first:match("^[%z\1-\127\194-\244][\128-\191]*") or ""
  if not set.firsts[fc] then fc = "" end
  local cuts = set.cuts
  for _, z in ipairs(zones) do
    for b = 1, #cuts + 1 do
      local lo = b > 1 and cuts[b - 1] + 1 or 1
      local hi = cuts[b]
      local rules = compile.rules_for(set, z, b, fc)
      out[#out + 1] = format("-- zone %s, lines of %s characters, %s: %d rules", z,
        hi and format("%d-%d", lo, hi) or format("%d or more", lo),
        fc == "" and "first character named by no rule" or ("first character " .. fc), #rules)
      out[#out + 1] = (compile.source(rules, compile.masked(set, b), true))
      out[#out + 1] = ""
    end
  end
end

function M.run(cargs, setup)
  local opts = cli.parse(cargs, M.spec)
  setup(opts)
  local extract = require "gisa.engine"
  local ok, reg = pcall(extract.registry, paths.current())
  if not ok then status.fail(reg); return 1 end
  local site
  if opts.site then
    for _, s in ipairs(reg.sites) do if s.id == opts.site then site = s end end
    if not site then
      local ids = {}
      for i, s in ipairs(reg.sites) do ids[i] = s.id end
      cli.usage_error("unknown site '" .. opts.site .. "' (sites: " .. concat(ids, ", ") .. ")", "rules")
    end
  end
  local set = require("gisa.engine.compile").set_for(reg, site)
  local out = {}
  if opts.dump then dump(set, opts, out) else list(set, reg, site, out) end
  io.stdout:write(concat(out, "\n"), "\n")
  return 0
end

return M
