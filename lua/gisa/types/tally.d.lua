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

--- A corpus's words numbered in C, each article kept as word numbers and
--- counts (keywords). Userdata: close() (or the garbage collector) frees it.
---@class gisa.tally.Vocab
local Vocab = {}

--- An article's words as text.words(s, "pack") gives them; returns them as
--- varint word number, varint count (new words are numbered).
---@param packed string
---@return string numbered
function Vocab:add(packed) end

---@return integer
function Vocab:size() end

--- Every word, by number.
---@return string[]
function Vocab:words() end

--- {word = total}: each word's counts as add() was given them, summed over
--- every article added (words whose total is 0 left out).
---@return table<string, integer>
function Vocab:counts() end

--- Each word's key number (0: not counted) and form number, with the keys'
--- and forms' strings; starts the counts.
---@param kid_of integer[]
---@param keys string[]
---@param fid_of integer[]
---@param forms string[]
function Vocab:keys(kid_of, keys, fid_of, forms) end

--- An article (from add) summed into its keys: varint key number, varint
--- count. Adds to each key's document frequency and total; a key counted for
--- the first time takes its form from this article (the form with the
--- highest count, then the least as Lua's < orders strings).
---@param numbered string
---@return string keyed
function Vocab:count(numbered) end

--- An article (from add) added to the document frequency of each of its
--- keys and nothing else (no totals, no forms): for a job that wants df()
--- alone.
---@param numbered string
function Vocab:df_add(numbered) end

--- Each key's weight ln(n / df).
---@param n integer
function Vocab:idf(n) end

--- The best k keys of an article from count (every one when k <= 0) by
--- count x idf, then count, then key: {kid, count, score, …}, as tally.top.
---@param keyed string
---@param k integer
---@return number[]
function Vocab:top(keyed, k) end

--- Each key's form, by key number (the key itself when not counted yet).
---@return string[]
function Vocab:forms() end

--- Each key's document frequency, by key number.
---@return integer[]
function Vocab:df() end

--- {key = total} counted since keys() or the last totals(), which starts
--- the totals again.
---@return table<string, integer>
function Vocab:totals() end

--- The words numbered after n, in order, packed as text.words(s, "pack")
--- packs them (each with count 0): a worker's new words, for the parent.
---@param n integer
---@return string packed
function Vocab:since(n) end

--- The words of packed numbered as add() numbers them; returns their
--- numbers, 4 bytes each (little-endian): a map from another vocabulary's
--- numbers (since's words, in order) to this one's.
---@param packed string
---@return string map
function Vocab:learn(packed) end

--- An article numbered in another vocabulary (add's form) with each word
--- number w replaced by the w-th number of map (learn's maps joined).
---@param numbered string
---@param map string
---@return string numbered
function Vocab:renumber(numbered, map) end

function Vocab:close() end

--- A new, empty vocabulary.
---@return gisa.tally.Vocab
function tally.vocab() end

return tally
