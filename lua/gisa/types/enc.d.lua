---@meta gisa.enc
-- Annotations for the C module gisa.enc (src/enc.c), for the Lua language
-- server. Not loaded at run time. docs/encoding.md has the rules.

---@class gisa.enc
local enc = {}

---@class gisa.enc.Report
---@field encoding string what the bytes were decoded from: "utf-8", "cp949", "euc-kr", "utf-16le", …
---@field replaced integer byte sequences that did not decode, each now one U+FFFD
---@field first_bad? integer byte offset (1-based) of the first of them
---@field nuls integer NUL characters removed
---@field first_nul? integer byte offset (1-based) of the first NUL
---@field bom boolean a byte order mark was removed
---@field truncated? integer byte offset of a character cut by the end of the input
---@field newlines integer CR and CRLF turned into LF
---@field bytes integer input bytes consumed
---@field confidence? number detection's confidence (auto only), 0..1
---@field evidence? string what detection saw (auto only)
---@field mixed? {encoding: string, lines: integer, first: integer} lines read in the other Korean encoding

---Guess the encoding of bytes: "utf-8", "utf-16le", "utf-16be", "utf-32le", "utf-32be",
---"cp949", "euc-kr", "iso-2022-kr", "cp1252", "latin1", or "binary".
---@param bytes string
---@return string name, number confidence, string evidence
function enc.detect(bytes) end

---Decode to clean UTF-8: LF newlines, no BOM, no NULs, U+FFFD for bad bytes.
---`from` is an encoding name or "auto" (the default). Binary data gives nil.
---@param bytes string
---@param from? string
---@return string|nil text, gisa.enc.Report|string report, integer? offset
function enc.decode(bytes, from) end

---Any iconv conversion, strict: nil, message, byte offset (1-based) on bad data.
---@param s string
---@param from string
---@param to string
---@return string|nil out, string? message, integer? offset
function enc.convert(s, from, to) end

---@class gisa.enc.Repair
---@field count integer places repaired
---@field kinds table<string, integer> "cp949-as-latin1", "utf8-as-latin1", "utf8-as-cp949"
---@field lines integer[] line numbers repaired
---@field first? integer byte offset (1-based) of the first repair
---@field lost integer segments of repaired runs not read back whole (bytes lost before, as `?`)

---Repair mojibake run by run; clean text comes back unchanged (count 0).
---@param s string
---@return string text, gisa.enc.Repair report
function enc.repair(s) end

---gisa's name for an encoding iconv knows ("UHC" -> "cp949"), or nil, message.
---@param name string
---@return string|nil name, string? message
function enc.canonical(name) end

---@class gisa.enc.Converter
local Converter = {}

---Convert the next chunk; a character split between chunks is joined.
---`last` ends the stream. Bad data (strict mode, or binary for "auto"): nil, message, offset.
---@param chunk string
---@param last? boolean
---@return string|nil out, string? message, integer? offset
function Converter:convert(chunk, last) end

---@return gisa.enc.Report
function Converter:report() end

function Converter:close() end

---A streaming converter. mode "decode" (the default when `to` is utf-8) works as
---decode does; "strict" is plain iconv. `from` may be "auto" in decode mode.
---@param from string
---@param to? string
---@param mode? "decode"|"strict"
---@return gisa.enc.Converter
function enc.open(from, to, mode) end

return enc
