---@meta gisa.minhash
-- Annotations for gisa.minhash (src/minhash.c), for editors with the Lua
-- language server. docs/hangul.md has the reference.

---@class gisa.minhash
local minhash = {}

--- 4k bytes: the top 32 bits of each slot of gisa.hash.minhash(s, k, shingle), little-endian.
---@param s string|userdata a string or a text.map
---@param k integer 1-1024
---@param shingle? integer 5 (1-64)
---@return string
function minhash.signature(s, k, shingle) end

--- xxHash64 of s with ASCII white space squeezed, and its length in characters.
---@param s string|userdata
---@return integer key
---@return integer|nil chars nil when not UTF-8
function minhash.key(s) end

---@param s string|userdata
---@return string squeezed
---@return integer|nil chars nil when not UTF-8
function minhash.squeeze(s) end

--- title (or "") and the body items not in drop, joined by newlines and squeezed; its length in characters.
---@param title string|false|nil
---@param body string[]
---@param drop? table<integer, boolean>
---@return string squeezed
---@return integer|nil chars nil when not UTF-8
function minhash.join(title, body, drop) end

--- The new lines of min characters or more, as string.pack("<i8I4s4", key, line number, line) each.
---@param text string|userdata
---@param min? integer 10
---@return string
function minhash.lines(text, min) end

--- For each line of a minhash.lines string whose key counts has (an
--- integer), counts[key] + 1; returns how many were counted.
---@param lines string
---@param counts table<integer, integer>
---@return integer
function minhash.tick(lines, counts) end

--- The keys of title and body (8 bytes each), and {i, key, …} for the short body items.
---@param title string|false|nil
---@param body string[]
---@param short? integer 40
---@return string keys
---@return integer[] short
function minhash.content(title, body, short) end

---@param k integer 1-1024
---@return gisa.minhash.Set
function minhash.set(k) end

---@return gisa.minhash.Tally
function minhash.tally() end

---@return gisa.minhash.List
function minhash.list() end

---@class gisa.minhash.Set
local Set = {}
---@param sig string 4k bytes
---@return integer index
function Set:add(sig) end
---@param i integer
---@return string
function Set:get(i) end
---@param i integer
---@param j integer
---@return number fraction of equal slots
function Set:similarity(i, j) end
--- Pairs j < i equal in every row of some band, {j, i, s, …}.
---@param bands integer
---@param rows integer
---@param threshold? number
---@return number[]
function Set:candidates(bands, rows, threshold) end
function Set:close() end

---@class gisa.minhash.Tally
local Tally = {}
---@param lines string from minhash.lines
function Tally:add_lines(lines) end
---@param keys string 8 bytes a key
function Tally:add_content(keys) end
--- Sorts; keeps only the lines in least files or more (and the content keys among them).
---@param least? integer 1
function Tally:seal(least) end
---@param key integer
---@return integer files
function Tally:count(key) end
---@param key integer
---@return boolean
function Tally:content(key) end
--- {key, line number, line, files, …} for the lines two files or more have.
---@param lines string
---@param common? integer leave boilerplate out
---@param short? integer 40
---@return any[]
function Tally:repeated(lines, common, short) end
function Tally:close() end

---@class gisa.minhash.List
local List = {}
---@param x integer
---@param y integer
---@param z integer
function List:add(x, y, z) end
function List:sort() end
---@param i integer
---@return integer x
---@return integer y
---@return integer z
function List:get(i) end
function List:close() end

return minhash
