---@meta gisa.tally
-- Annotations for gisa.tally (src/tally.c), for editors with the Lua
-- language server. docs/api.md lists it.

---@class gisa.tally
local tally = {}

--- For each word = n of counts: into[map[word]] += n (nothing when
--- map[word] is false). Returns the words map has no entry for, in no set
--- order, for the caller to decide.
---@param counts table<string, integer>
---@param map table<string, string|false>
---@param into table<string, integer>
---@return string[]
function tally.remap(counts, map, into) end

--- For each key = count of counts: df[key] is increased by one and flat
--- gets ids[key] and the count ({id, count, …}); a key with no number takes
--- n + 1 (ids[key] and names[n + 1] set). Returns flat and the new n.
---@param counts table<string, integer>
---@param df table<string, integer>
---@param ids table<string, integer>
---@param names string[]
---@param n integer
---@return integer[] flat
---@return integer n
function tally.index(counts, df, ids, names, n) end

--- The best k items (every one when k <= 0) of flat = {id, count, id,
--- count, …}, scored count * weights[id], in order: score, then count
--- (highest first), then names[id] as Lua's < orders strings. Returns a
--- flat list {id, count, score, …}.
---@param flat integer[]
---@param weights number[]
---@param names string[]
---@param k integer
---@return number[]
function tally.top(flat, weights, names, k) end

return tally
