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

---@class gisa.split.Words
local Words = {}

--- A scan's dictionary (entities): each distinct word gets a number once,
--- and Lua's answers about it (plain or not, its stem) once; the texts split
--- since the last reset are kept as numbers, so the walks over every token
--- are in C and only the texts with picks become token tables.
---@return gisa.split.Words
function split.words() end

--- A new scan: no texts, no known words; past max words kept, no words either.
---@param max? integer
---@return gisa.split.Words
function Words:reset(max) end

--- Cuts s as splitter:split(s) does and keeps it as the next text (numbered
--- from 1 since the reset). Returns the words of s not decided yet, each once,
--- in order (call Words:decide for them before the next split); invalid UTF-8
--- returns nil, "invalid UTF-8", position.
---@param splitter gisa.split.Splitter
---@param s string
---@return string[]|nil new
---@return string? message
---@return integer? position
function Words:split(splitter, s) end

--- The answers for the last split's new words, in order: plains[k] true when
--- the word is plain (no title, no pronoun), stems[k] its stem; titles[k] true
--- for a title word, names[k] for a name (the picks then leave out what the
--- first pass's look would not find). facts[k]: the flags Words:first reads
--- (entities.lua's F: a name, a boundary of the walk, a modifier, …), and for
--- a title word tinfo[k] = {title, particle, the title less a glued
--- organisation, that organisation or false}. With a function ask in place
--- of names (`ws:decide(plains, stems, titles, ask)`), ask(word) -> facts [,
--- tinfo] gives them: at once for a title word, and for another the first
--- time a walk reads its facts (a name: the flag 1 of its facts).
---@param plains boolean[]
---@param stems string[]
---@param titles? boolean[]
---@param names? boolean[]|fun(word: string): integer, table?
---@param facts? integer[]
---@param tinfo? table<integer, table>
function Words:decide(plains, stems, titles, names, facts, tinfo) end

--- Counts, for each word of every text that opens a run (the first of its
--- text, or after a separator), its stem: counts[stem] + 1 (a new table when
--- counts is not given).
--- With false, the counts stay in C for Words:count, and the number that
--- names them comes back.
---@param counts? table<string, integer>|false
---@return table<string, integer>|integer
function Words:heads(counts) end

--- How many runs stem opens in the texts Words:heads(false) counted (nil:
--- none); false when the Words has counted other texts since.
---@param stem string
---@param scan integer Words:heads(false)'s answer
---@return integer|false|nil
function Words:count(stem, scan) end

--- Marks the keys of known (with a true value) for this scan, and the first
--- words of the keys of two words or more, for Words:picks(i, true) and
--- Words:second (a key of two words or more is kept as a word of its own).
---@param known table<string, any>
function Words:known(known) end

--- The indices of text i's tokens a scan looks at, as split.pick gives them,
--- or nil for none. With known true, as split.pick(toks, plain, firsts, known)
--- gives them for the words Words:known marked.
---@param i integer
---@param known? boolean
---@return integer[]|nil
function Words:picks(i, known) end

--- Text i's first reading by entities' scan, in C from the facts given to
--- Words:decide: its mentions ({kind = "full"|"ref", name, title, org, josa,
--- tok, from}, with before or caption true for a title before its name and
--- a broadcast caption), and the answer of each title it walked from, by the
--- title's token ({org words | false, post | false, glued organisation |
--- false, mentions…}; nil: no title). false: the text has a shape the walk
--- hands to Lua (a bracket or 겸 in a title's phrase, a glued organisation
--- with no name); nil: nothing to look at.
---@param i integer
---@return table[]|false|nil mentions
---@return table<integer, table>? answers
function Words:first(i) end

--- Text i's second reading by entities' scan (after Words:known): its
--- mentions in order, a title answered in answers (Words:first's) given as
--- its token's number for Lua to take the answer (or, when the answer holds
--- no organisation, as its mentions); pronouns ({kind = "pron"})
--- and words of known names alone ({kind = "bare"}; bare true when there is
--- one). false: Lua reads the text (a title with no answer); nil: nothing.
---@param i integer
---@param answers? table<integer, table>
---@return (table|integer)[]|false|nil items
---@return boolean? bare
function Words:second(i, answers) end

--- Text i's tokens as splitter:split gives them: {w = word} for a word (one
--- table a word, kept by the Words), seps[kind] for a separator.
---@param i integer
---@param seps table<string, any>
---@return table[]
function Words:tokens(i, seps) end

return split
