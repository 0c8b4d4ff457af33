-- gisa.rules.lib: building blocks for rule files (generic.lua, sites/*.lua and
-- a user's own): UTF-8 character classes as LPeg patterns, the named patterns
-- that `re` strings in rules may use (%hangul, %sp, %email …), and small tests
-- on a line's text (is it short, does it end a sentence). See docs/rules.md.

local lpeg = require "lpeg"
local re = require "re"

local P, R, S, C, V = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.V
local find, sub, byte, ulen = string.find, string.sub, string.byte, utf8.len

local L = {}

------------------------------------------------------------------------------
-- Character classes (UTF-8 byte ranges: LPeg 1.0 has no utfR)
------------------------------------------------------------------------------

local cont = R"\128\191"
--- A Hangul syllable, U+AC00..U+D7A3.
L.hangul = P"\234" * R"\176\191" * cont + R"\235\236" * cont * cont
  + P"\237" * (R"\128\157" * cont + P"\158" * R"\128\163")
--- Any one UTF-8 character (or one stray byte, so matching never stalls).
L.char = R"\0\127" + R"\194\223" * cont + R"\224\239" * cont * cont
  + R"\240\244" * cont * cont * cont + 1
--- Blanks: space, tab, NBSP (U+00A0), ideographic space (U+3000).
L.sp = S" \t" + P"\194\160" + P"\227\128\128"
L.digit = R"09"
L.alpha = R("az", "AZ")
L.eol = L.sp ^ 0 * -1

-- An e-mail address as sites print them: local@host.tld. "[email protected]"
-- (a redaction placeholder) has no "@", "hwijpg@" (cut off) has no host.
local atext = R("az", "AZ", "09") + S"._%+-"
--- A character of an address's local part (before the "@").
L.atext = atext
local label = (R("az", "AZ", "09") + P"-") ^ 1
-- A dot is part of the host only when a label follows it: "hong@x.co.kr." at
-- the end of a sentence is hong@x.co.kr.
L.email = atext ^ 1 * P"@" * (label * P"." * #label) ^ 1 * L.alpha * L.alpha ^ 1 * -(R("az", "AZ", "09") + P"-")
--- Every address in a text, left to right, as a list (lpeg.match(L.emails, s)).
-- An address starts in a run of L.atext and its "@" ends that run: where one
-- fails at a position it fails at every later one in the run (the same "@" and
-- host follow), so the scan skips whole runs, and the text between them, in one
-- step each, and finds what trying L.email at every character finds.
L.emails = lpeg.Ct((C(L.email) + atext ^ 1 + (1 - atext) ^ 1) ^ 0)
--- A redaction placeholder where an address was ("[email protected]").
L.email_placeholder = P"[email" * L.sp ^ 0 * P"protected]" + P"[email protected]"

--- Quotation marks that open and close quotes and titles.
L.open_quote = P"“" + P"\"" + P"‘" + P"'" + P"「" + P"『"
L.close_quote = P"”" + P"\"" + P"’" + P"'" + P"」" + P"』"

-- Named patterns for `re` strings in rules: %hangul, %sp, %email, %eol …
L.defs = {
  hangul = L.hangul, char = L.char, sp = L.sp, digit = L.digit, alpha = L.alpha,
  eol = L.eol, email = L.email, placeholder = L.email_placeholder,
  oq = L.open_quote, cq = L.close_quote,
}

------------------------------------------------------------------------------
-- Patterns
------------------------------------------------------------------------------

--- A pattern from a `re` string (with L.defs) or an LPeg pattern as it is.
function L.compile(p, defs)
  if type(p) == "string" then
    if defs then
      local d = setmetatable({}, { __index = function(_, k) return defs[k] or L.defs[k] end })
      return re.compile(p, d)
    end
    return re.compile(p, L.defs)
  end
  if lpeg.type(p) == "pattern" then return p end
  error("a pattern must be an LPeg pattern or a re string, not " .. type(p), 2)
end

--- Search: match p at the first position where it matches.
function L.find(p)
  p = L.compile(p)
  return P{ p + L.char * V(1) }
end

--- A pattern that skips to the next byte in BYTES and returns its position
--- (#s + 1 when none): LPeg turns it into one fast loop, unlike Lua's "[…]"
--- classes, which cost a function call per byte.
function L.skip_to(bytes)
  return (1 - S(bytes)) ^ 0 * lpeg.Cp()
end

--- p followed by nothing but blanks: the whole (rest of the) line.
function L.line(p)
  return L.compile(p) * L.eol
end

--- A pattern matching any of the strings (longest first, so "최종수정" beats "수정").
-- Built as a trie of bytes: the strings that share a first byte share one test,
-- so a position where none starts fails after one byte instead of trying every
-- string in turn (a choice of 12 Hangul words tried them all: their first bytes
-- are the same few). Deeper branches are tried before a string that ends at a
-- node, which is what "longest first" means.
local function trie_pattern(node)
  local keys = {}
  for k in pairs(node) do if k ~= "" then keys[#keys + 1] = k end end
  table.sort(keys)
  local p
  if #keys == 1 and not node[""] then
    -- a chain of single children is one literal
    local s, n = keys[1], node[keys[1]]
    while true do
      local ks = {}
      for k in pairs(n) do if k ~= "" then ks[#ks + 1] = k end end
      if #ks ~= 1 or n[""] then break end
      s, n = s .. ks[1], n[ks[1]]
    end
    return P(s) * trie_pattern(n)
  end
  for _, k in ipairs(keys) do
    local q = P(k) * trie_pattern(node[k])
    p = p and p + q or q
  end
  if node[""] then p = p and p + P(true) or P(true) end
  return p or P(false)
end

function L.any(list)
  local root = {}
  for _, s in ipairs(list) do
    local n = root
    for i = 1, #s do
      local b = sub(s, i, i)
      n[b] = n[b] or {}
      n = n[b]
    end
    n[""] = true
  end
  if next(root) == nil then return P(false) end
  return trie_pattern(root)
end

-- The set behind each L.words function: the rule dispatch tests it in line
-- (one table lookup) instead of calling the function.
local word_sets = setmetatable({}, { __mode = "k" })

--- A `match` function for lines that are exactly one of the strings.
function L.words(list)
  local set = {}
  for _, s in ipairs(list) do set[s] = true end
  local f = function(line) return set[line.text] end
  word_sets[f] = set
  return f
end

--- The set of strings of a function made by L.words (nil for any other value).
function L.word_set(f)
  return word_sets[f]
end

local exprs = setmetatable({}, { __mode = "k" })

--- A `match` function from a Lua expression over `line`, `ctx`, `text` (the
--- line's text) and `mask` (its needle mask), true when the expression is:
--- `L.expr("text == ctx.last_caption")`. The generated dispatch writes the
--- expression in line instead of calling it.
function L.expr(code)
  local f = assert(load("return function(line, ctx) local text, mask = line.text, line.mask return "
    .. code .. " end", "=(L.expr " .. code .. ")", "t"))()
  exprs[f] = code
  return f
end

--- The same for a rule's `when` (called as when(ctx, line)).
function L.when(code)
  local f = assert(load("return function(ctx, line) local text, mask = line.text, line.mask return "
    .. code .. " end", "=(L.when " .. code .. ")", "t"))()
  exprs[f] = code
  return f
end

--- The expression of a function made by L.expr (nil for any other value).
function L.expr_of(f)
  return exprs[f]
end

------------------------------------------------------------------------------
-- Tests on text
------------------------------------------------------------------------------

--- Characters in s (bytes when s is not valid UTF-8).
function L.len(s)
  return ulen(s) or #s
end

--- Does s end a sentence: ".", "!", "?" or "。" (not "..", "…"), perhaps inside
--- quotes or brackets (” ’ " ' ) ] > 」 』 》) and before spaces? (C: gisa.lines)
L.final = require("gisa.lines").final

--- Does s start with one of the prefixes (plain strings)?
function L.starts(s, ...)
  for i = 1, select("#", ...) do
    local p = select(i, ...)
    if sub(s, 1, #p) == p then return p end
  end
  return nil
end

--- Trim blanks (space, tab, CR, NBSP and U+3000) at both ends. (C: gisa.lines,
--- the blanks a line's text is trimmed of)
L.trim = require("gisa.lines").trim

--- Is there anything but blanks in s?
function L.blank(s)
  return not find(s, "[^ \t\r]") or L.trim(s) == ""
end

--- Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm).
function L.days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- The civil date (y, m, d) of day Z counted from 1970-01-01.
function L.civil_from_days(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp + (mp < 10 and 3 or -9)
  return m <= 2 and y + 1 or y, m, d
end

return L
