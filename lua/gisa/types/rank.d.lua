---@meta gisa.rank
-- Annotations for gisa.rank (src/rank.c), for editors with the Lua
-- language server. docs/api.md lists it.

---@class gisa.rank
local rank = {}

--- The best k items (every one when k <= 0) of flat = {id, count, id,
--- count, …}, scored count * weights[id], in order: score, then count
--- (highest first), then names[id] as Lua's < orders strings. Returns a
--- flat list {id, count, score, …}.
---@param flat integer[]
---@param weights number[]
---@param names string[]
---@param k integer
---@return number[]
function rank.top(flat, weights, names, k) end

return rank
