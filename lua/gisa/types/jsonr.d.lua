---@meta gisa.jsonr
-- Annotations for the C module gisa.jsonr (src/jsonr.c), for the Lua language
-- server. Not loaded at run time.

---@class gisa.jsonr
local jsonr = {}

---One JSON text (spaces around it allowed) as a Lua value, as gisa.json.decode
---gives it: numbers are floats, null leaves no key in an object and a hole in an
---array, a null at the top is nil. Bad text: nil, "invalid JSON at byte N: why", N.
---@param s string
---@return any value, string? message, integer? position
function jsonr.decode(s) end

return jsonr
