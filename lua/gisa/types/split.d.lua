---@meta gisa.split
-- Annotations for gisa.split (src/split.c), for editors with the Lua
-- language server. docs/api.md lists it.

---@class gisa.split
local split = {}

---@class gisa.split.Splitter
local Splitter = {}

--- A splitter: KINDS maps a character to the separator it is (a kind name)
--- or to false (it cuts and leaves no token); every other character is part
--- of a word. A run of one kind listed in WHOLE stands as one separator.
---@param kinds table<string, string|false>
---@param whole? table<string, boolean>
---@return gisa.split.Splitter
function split.splitter(kinds, whole) end

--- The tokens of s in order: cache[word] for a word (made {w = word} and
--- stored when absent; `added` counts those), seps[kind] for a separator.
--- Invalid UTF-8 returns nil, "invalid UTF-8", position.
--- With plain, memo and counts, the same walk also returns what
--- split.pick(tokens, plain) and split.heads(tokens, memo, counts) would (the
--- picks and the misses; counts added to), a "/" or "(" being a separator of
--- that kind name.
---@param s string
---@param cache table<string, table>
---@param seps table<string, any>
---@param plain? table<string, string|false>
---@param memo? table<string, table>
---@param counts? table<string, integer>
---@return table[]|nil tokens
---@return integer|string added
---@return integer[]|integer|nil picks (or the position)
---@return string[]? misses
function Splitter:split(s, cache, seps, plain, memo, counts) end

--- The indices of the word tokens a scan must look at, in order: every word
--- token but those whose plain[w] is a string (its stem) and that are not
--- followed by a "/" or "(" separator and, when firsts and known are given,
--- have none of firsts[w], known[stem], known[w]. A word with no plain[w] is picked.
---@param toks table[]
---@param plain table<string, string|false>
---@param firsts? table<string, any>
---@param known? table<string, any>
---@return integer[]
function split.pick(toks, plain, firsts, known) end

--- For each word token that does not follow a word token: counts[memo[w][1]]
--- is increased by one. The words with no memo[w] are returned (in order,
--- as often as they occur there) for the caller to count.
---@param toks table[]
---@param memo table<string, table>
---@param counts table<string, integer>
---@return string[]
function split.heads(toks, memo, counts) end

return split
