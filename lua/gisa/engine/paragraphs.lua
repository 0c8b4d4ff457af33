-- gisa.paragraphs: paragraph recovery for newline-collapsed crawler bodies.
-- A portal crawl often loses the newlines of an article: paragraphs run into
-- each other with no space after the sentence end ("…출시했다.이번 제품은…",
-- "…밝혔다.”그는…") or with a run of spaces between them. A line that holds
-- most of its article is cut where such a boundary is; each piece is then a
-- line of its own for the rules (same line number, marked `cut`, so --explain
-- shows where the line was cut). docs/rules.md, "Collapsed bodies".

local lpeg = require "lpeg"

local find, sub, byte = string.find, string.sub, string.byte
local ulen = utf8.len
local trim = require("gisa.lines").trim

local M = {}

--- Only a line of at least this many bytes (about 200 Hangul characters) …
M.min_bytes = 600
--- … that holds at least this share of the article's bytes is read as a
--- collapsed body: a line-structured article keeps every line as it is (a
--- paragraph of one is 25% of its text at most; a crawler body is all of it).
M.min_share = 0.4
--- The rule id --explain shows for a cut.
M.rule = "paragraph-recovery"

-- Closing marks that may stand between the sentence end and the next paragraph.
local closers = { ["”"] = true, ["’"] = true, ["\""] = true, ["'"] = true, ["」"] = true, ["』"] = true }

-- After a closing quote, these open a quotative, not a new paragraph:
-- “…했다.”고 말했다, “…”며, “…”라고, “…”라는, “…”이라며 …
local quotative = { "고", "며", "라", "면서", "는", "이라", "란", "하고", "하며", "하는", "와", "과" }

-- Is the character ending at byte q (a UTF-8 sequence of three bytes) a Hangul syllable?
local function hangul_before(s, q)
  if q < 3 then return false end
  local a, b, c = byte(s, q - 2, q)
  if not (b and c and b >= 128 and b < 192 and c >= 128 and c < 192) then return false end
  if a == 234 then return b >= 176 end
  if a == 235 or a == 236 then return true end
  if a == 237 then return b < 158 or (b == 158 and c <= 163) end
  return false
end

-- The blanks a run of spaces is made of: space, tab, NBSP, U+3000.
local blank = lpeg.S" \t" + lpeg.P"\194\160" + lpeg.P"\227\128\128"
local blanks = blank ^ 1 * lpeg.Cp()
local lmatch = lpeg.match

-- The first byte of the character at i and its length.
local function char_at(s, i)
  local c = byte(s, i)
  if not c then return nil, 0 end
  if c < 0x80 then return sub(s, i, i), 1 end
  local n = c >= 0xF0 and 4 or c >= 0xE0 and 3 or 2
  return sub(s, i, i + n - 1), n
end

-- Does a quotative start at byte i?
local function quotative_at(s, i)
  for k = 1, #quotative do
    local w = quotative[k]
    if sub(s, i, i + #w - 1) == w then return true end
  end
  return false
end

-- Particles and quotative endings that may follow a closing quote in a sentence.
local after_quote = { "고", "며", "라", "면", "는", "은", "이", "가", "을", "를", "에", "의", "로", "와", "과",
  "도", "만", "란", "하", "처", "까", "부", "보", "엔", "와", "등", "같" }
local function particle_at(s, i)
  for k = 1, #after_quote do
    local w = after_quote[k]
    if sub(s, i, i + #w - 1) == w then return true end
  end
  return false
end

-- A paragraph that is one quote with no sentence end (a quoted crosshead,
-- '"작은 모델이 승부"정 대표는…') ends at its closing mark when a word, not a
-- particle, follows it. CUTS: the sentence cuts; returns them with these added.
local function quoted_heads(s, cuts)
  local added
  for k = 0, #cuts do
    local from = k == 0 and 1 or cuts[k]
    local open, close
    if byte(s, from) == 34 then open, close = '"', '"'
    elseif sub(s, from, from + 2) == "“" then open, close = "“", "”" end
    if open then
      local c = find(s, close, from + #open, true)
      local limit = cuts[k + 1] or #s + 1
      if c and c < limit and c - from < 200 and not find(sub(s, from, c), "[%.%?!]") then
        local q = c + #close
        if hangul_before(s, q + 2) and not particle_at(s, q) then
          added = added or {}
          added[#added + 1] = q
        end
      end
    end
  end
  if not added then return cuts end
  for _, q in ipairs(added) do cuts[#cuts + 1] = q end
  table.sort(cuts)
  return cuts
end

--- The byte positions in S where a new paragraph starts (a list, ascending):
--- after a sentence end (a Hangul syllable and ".", "?" or "!", perhaps closed
--- by quotes) directly followed by a non-blank, or after any sentence end
--- followed by a run of 3 or more blanks. Not after decimals (0.27%), ellipses,
--- domains (co.kr), initials (J.) or list numbers (1.): their period follows
--- no Hangul syllable. Two blanks are not enough.
function M.cuts(s)
  local out = {}
  local i, from = 1, 1       -- from: where the current paragraph starts
  while true do
    local p = find(s, "[%.%?!]", i)
    if not p then break end
    i = p + 1
    local b = byte(s, p)
    if hangul_before(s, p - 1) then
      -- "?!" belongs to one end; "다..." is an ellipsis, not an end
      local q = p + 1
      local c = byte(s, q)
      if c == 46 and b == 46 then goto continue end
      while c == 63 or c == 33 do q = q + 1; c = byte(s, q) end
      -- a straight quote after the end closes a quote only when one is open
      -- in this paragraph (an odd number of them since it started)
      local open = c == 34 and select(2, string.gsub(sub(s, from, p), '"', "")) % 2 == 1
      local closed = false
      while true do
        local ch, n = char_at(s, q)
        if not ch or not closers[ch] then break end
        if ch == '"' and not open then break end
        if ch == "'" then break end
        q = q + n; closed = true
      end
      if q > #s then break end
      local after = lmatch(blanks, s, q)
      if after then
        -- a run of blanks: 3 or more characters of them
        local run = sub(s, q, after - 1)
        if (ulen(run) or #run) >= 3 and after <= #s then out[#out + 1] = after; from = after end
        i = after
      else
        local ch = char_at(s, q)
        -- "…다.…", "…다.," and the like are no boundary; "…모습./연합뉴스" is a caption's credit
        if ch ~= "…" and ch ~= "," and ch ~= ")" and ch ~= "]" and ch ~= "." and ch ~= "/" and not (closed and quotative_at(s, q)) then
          out[#out + 1] = q
          from = q
        end
        i = q
      end
    end
    ::continue::
  end
  return quoted_heads(s, out)
end

--- The pieces of S at the cuts (trimmed, none empty).
function M.pieces(s, cuts)
  cuts = cuts or M.cuts(s)
  local out, from = {}, 1
  for k = 1, #cuts + 1 do
    local to = (cuts[k] or #s + 1) - 1
    local piece = trim(sub(s, from, to))
    if piece ~= "" then out[#out + 1] = piece end
    from = to + 1
  end
  return out
end

-- First character of a piece (what lines.split gives as fc).
local first_char = lpeg.C(lpeg.R("\0\127", "\194\244") * lpeg.R("\128\191") ^ 0) + lpeg.Cc("")

--- LINES (from lines.split) with every collapsed body line replaced by its
--- pieces: {n=, raw=, text=, len=, fc=, mask=, part=true, cut=M.rule}. Returns
--- LINES itself when no line is cut. NEEDLES: the rules' needle set (masks),
--- given as lines.split gives them, to pieces of at most MAXLEN characters;
--- LONGEST: lines.split's second result (else the text is searched).
-- Is there a run of NEED bytes without a newline in TEXT (of T bytes, NEED >=
-- 0.4 T)? Such a run holds one of the bytes at T/4, T/2 and 3T/4, so three
-- plain finds answer, instead of a look at every line of every article.
local function long_run(text, total, need)
  for k = 1, 3 do
    local x = total * k // 4
    local e = find(text, "\n", x, true) or total + 1
    local from = e - need
    if from >= 1 and (find(text, "\n", from, true) or total + 1) == e then return true end
    if from < 1 and e > need then return true end
  end
  return false
end

function M.recover(lines, text, needles, maxlen, longest)
  local total = #text
  local need = math.max(M.min_bytes, total * M.min_share)
  if total < need then return lines end
  need = math.ceil(need)
  -- LONGEST (lines.split's second result) answers what long_run looks for
  if longest then
    if longest < need then return lines end
  elseif not long_run(text, total, need) then
    return lines
  end
  local out
  for i = 1, #lines do
    local l = lines[i]
    local t = l.text
    if #t >= need then
      local cuts = M.cuts(t)
      if #cuts > 0 then
        out = out or table.move(lines, 1, i - 1, 1, {})
        for _, piece in ipairs(M.pieces(t, cuts)) do
          local len = ulen(piece) or #piece
          out[#out + 1] = { n = l.n, raw = l.raw, text = piece, len = len, fc = lmatch(first_char, piece),
            mask = needles and (not maxlen or len <= maxlen) and needles:mask(piece) or nil, part = true, cut = M.rule }
        end
        goto next
      end
    end
    if out then out[#out + 1] = l end
    ::next::
  end
  return out or lines
end

return M
