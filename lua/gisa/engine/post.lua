-- gisa.engine.post: the passes that run once every line has its role. A rule
-- file's `post` is a list of {id=, run=function(rec, ctx), fills=}; a layer's
-- pass of the same id replaces the generic one (compile.set merges them), in order.

local M = {}

--- The record fields the job being run reads (a set), or nil: every field.
--- gisa.run sets it from a job's `fields`; a pass that names the fields it
--- fills (`fills`) is skipped while the job reads none of them.
M.wanted = nil

-- Does the job read one of the fields in FILLS?
local function wanted_any(wanted, fills)
  for i = 1, #fills do
    if wanted[fills[i]] then return true end
  end
  return false
end

--- Run SET's post passes over REC; ctx.rule names the pass for an error.
function M.run(set, rec, ctx)
  local post = set.post
  if post then
    local wanted = M.wanted
    for i = 1, #post do
      local p = post[i]
      local fills = p.fills
      if not (wanted and fills and not wanted_any(wanted, fills)) then
        ctx.rule = p
        p.run(rec, ctx)
      end
    end
  end
end

return M
