-- gisa.engine.post: the passes that run once every line has its role. A rule
-- file's `post` is a list of {id=, run=function(rec, ctx)}; a layer's pass of
-- the same id replaces the generic one (compile.set merges them), in order.

local M = {}

--- Run SET's post passes over REC; ctx.rule names the pass for an error.
function M.run(set, rec, ctx)
  local post = set.post
  if post then
    for i = 1, #post do
      local p = post[i]
      ctx.rule = p
      p.run(rec, ctx)
    end
  end
end

return M
