---@meta gisa.text
-- Annotations of the C module gisa.text (src/text.c) for the Lua language server.
-- Reference: docs/text.md. Bad data returns nil, "invalid UTF-8", pos; misuse raises.

---@class gisa.text.map A file mapped read-only by text.map; accepted wherever text is read.
---@operator len: integer
local map = {}
---@param i? integer
---@param j? integer
---@return string
function map:string(i, j) end
function map:close() end

---@alias gisa.text.input string|gisa.text.map
---@alias gisa.text.form "NFC"|"NFD"|"NFKC"|"NFKD"

---@class gisa.text.classes
---@field hangul integer
---@field hanja integer
---@field latin integer
---@field digit integer
---@field space integer
---@field punct integer
---@field symbol integer
---@field other integer

local text = {}

---@type string Unicode version of the tables ("15.0.0")
text.unicode_version = ""

---@param s gisa.text.input
---@param i? integer
---@param j? integer
---@return integer|nil n characters starting in bytes i..j
---@return integer? pos first invalid byte
function text.len(s, i, j) end

---@param s gisa.text.input
---@param i integer
---@param j? integer
---@return string|nil
---@return string? message
---@return integer? pos
function text.sub(s, i, j) end

---@param s gisa.text.input
---@param n integer
---@param i? integer
---@return integer|nil
function text.offset(s, n, i) end

---@param s gisa.text.input
---@param i? integer
---@param j? integer
---@return integer|nil ...
function text.codepoint(s, i, j) end

---@param ... integer
---@return string
function text.char(...) end

---@param s gisa.text.input
---@return fun(s: any, pos: integer): integer, integer
function text.codes(s) end

---@param s gisa.text.input
---@return fun(s: any, pos: integer): integer, string
function text.chars(s) end

---@param s gisa.text.input
---@return boolean ok
---@return integer? pos
function text.valid(s) end

---@param s gisa.text.input
---@param repl? string default "\u{FFFD}"
---@return string cleaned
---@return integer count
function text.clean(s, repl) end

---@param s gisa.text.input
---@param form? gisa.text.form default "NFC"
---@return string|nil
---@return string? message
---@return integer? pos
function text.normalize(s, form) end

---@param s gisa.text.input
---@param form? gisa.text.form default "NFC"
---@return boolean|nil
---@return string? message
---@return integer? pos
function text.is_normalized(s, form) end

---@param s gisa.text.input
---@return string|nil
---@return string? message
---@return integer? pos
function text.lower(s) end

---@param s gisa.text.input
---@return string|nil
---@return string? message
---@return integer? pos
function text.upper(s) end

---@param s gisa.text.input
---@return string|nil
---@return string? message
---@return integer? pos
function text.fold(s) end

---@param a gisa.text.input
---@param b gisa.text.input
---@return boolean|nil
---@return string? message
---@return integer? pos
function text.equal_fold(a, b) end

---@param s gisa.text.input
---@param ambiguous? 1|2
---@return integer|nil columns
---@return string? message
---@return integer? pos
function text.width(s, ambiguous) end

---@param s gisa.text.input
---@param cols integer
---@param ellipsis? string default "…"
---@return string|nil
---@return string? message
---@return integer? pos
function text.truncate(s, cols, ellipsis) end

---@param s gisa.text.input
---@param cols integer
---@param align? "left"|"right"|"center"
---@return string|nil
---@return string? message
---@return integer? pos
function text.pad(s, cols, align) end

---@param s gisa.text.input
---@return fun(): integer, string pos, cluster
function text.graphemes(s) end

---@param c integer|gisa.text.input
---@return string|nil category "Lu", "Lo", "Nd", …
---@return string? message
---@return integer? pos
function text.category(c) end

---@param s gisa.text.input
---@return gisa.text.classes|nil
---@return string? message
---@return integer? pos
function text.classes(s) end

---@param s gisa.text.input
---@return string
function text.trim(s) end

---@param s gisa.text.input
---@return string
function text.squeeze(s) end

---@param s gisa.text.input
---@return fun(): string, integer line, pos
function text.lines(s) end

--- A table of the lines "key<sep>value" of s (sep one byte, a tab by default):
--- key -> the rest of the line. Lines that start with '#', have no sep or an
--- empty key are skipped; a later key replaces an earlier one.
---@param s gisa.text.input
---@param sep? string
---@return table<string, string>
function text.pairs(s, sep) end

---@param s gisa.text.input
---@return fun(): string, integer paragraph, pos
function text.paragraphs(s) end

---@param s gisa.text.input
---@param count? "count" when given: return how many sentences the iterator gives
---@return (fun(): string, integer)|integer sentence, pos
function text.sentences(s, count) end

---@param s gisa.text.input
---@param counts? table<string, integer>|"pack" when given: add each word's count, return counts, total; "pack": the counts as one string (varint length, bytes, varint count a word), total
---@return (fun(): string, integer)|table<string, integer>|string
---@return integer? total
function text.words(s, counts) end

---Web and e-mail addresses replaced by one space each (docs/text.md has the rules).
---@param s gisa.text.input
---@return string
function text.strip_links(s) end

---The five HTML markup characters (& < > " ') as entities (&amp; &lt; &gt; &quot; &#39;); s itself when it has none.
---@param s gisa.text.input
---@return string
function text.escape_html(s) end

---An article's counts in one pass a part (gisa.analysis's A.measure): words as text.words(s,
---counts|"pack") over the parts joined by blank lines, addresses blanked; the others summed
---over the parts (sentences and paragraphs over the body's).
---@param title? string
---@param subtitles? string[]
---@param body? string[]
---@param counts? table<string, integer>|"pack"
---@return table<string, integer>|string|nil words
---@return integer|string nwords (or "invalid UTF-8")
---@return integer chars (or the position of the bad byte)
---@return integer hangul
---@return integer hanja
---@return integer latin
---@return integer nonblank
---@return integer sentences
---@return integer paragraphs
function text.measure(title, subtitles, body, counts) end

---@param s gisa.text.input
---@param n integer
---@param unit? "word"|"char"
---@return string[]|nil
---@return string? message
---@return integer? pos
function text.ngrams(s, n, unit) end

---@param path string
---@return gisa.text.map|nil
---@return string? message
function text.map(path) end

return text
