---@meta gisa.quote
-- Annotations for gisa.quote (src/quote.c), for editors with the Lua
-- language server. docs/api.md lists it; gisa.analysis.quotes is its one user.

---@class gisa.quote
local quote = {}

---@class gisa.quote.Finder
local Finder = {}

--- A finder built from the word lists of gisa.analysis.quotewords (marks,
--- verbs, titles, compound_titles, particles, pronouns, demonstratives,
--- surnames, surnames2, org_suffixes, foreign_syllables, not_names, chains).
--- Misuse (a list of the wrong type, a bad mark) raises.
---@param words table
---@return gisa.quote.Finder
function quote.finder(words) end

--- The quotes of block s taken for the record (line: s is a quote line), 13
--- values each in out from out[1]: text, open, after, mark, said, verb or
--- false, ts, te, blo, shape, and three values by shape (1 named: name,
--- title, org or false; 3 short: surname or false, title, demonstrative; 7
--- later: where the text read after the quote ends; 8: handed back to the Lua
--- finder). Returns the quotes taken and the quotes the scan found; taken is
--- -1 when the block has no quote and no mark opens it.
---@param s string
---@param line boolean
---@param out table
---@return integer taken
---@return integer marks
function Finder:block(s, line, out) end

--- quotes.scan over the blocks of a record: R's arrays (text, line, verb,
--- person, title, how, block, chain) filled from 1 to n, the speakers decided
--- over people (a quotes.lua People: list, by_name). A quote of another shape
--- is handed back: slow(bi, k, carried, cur, upto, last) -> who, title, how,
--- cur, upto reads the k-th quote of block bi (its values in cout, as block
--- gives them); span(bi, carried, cur, upto, last) -> who, how, cur, upto a
--- quote over paragraphs. Returns nil, bi when block bi's text is not a string.
---@param blocks table[]
---@param R table
---@param people table
---@param interview table<string, boolean>
---@param slow function
---@param span function
---@param cout table
---@param subtitles? string[]
---@return integer|nil n
---@return integer? bi
function Finder:scan(blocks, R, people, interview, slow, span, cout, subtitles) end

--- The record's quotes from quotes.scan's arrays: {text, speaker, title, org,
--- line, verb} for quotes 1..n of R appended to out; returns out.
---@param R table
---@param n integer
---@param out table
---@return table
function quote.records(R, n, out) end

return quote
