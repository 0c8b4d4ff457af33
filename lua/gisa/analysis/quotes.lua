-- gisa.quotes: direct quotes in Korean news text, with their speaker and
-- reporting verb. `배경훈 LG AI 연구원장은 “…”며 “…”고 내다봤다` gives two quotes by
-- 배경훈 (연구원장), verb 내다봤다; `고 위원장은 "…"라고 강조했다` names 고진, the full
-- name given earlier; `그는 "…"` the person named last; a quote with no subject
-- of its own (`이어 "…"라고 했다`) the speaker before it in the paragraph.
-- The people come from gisa.entities; the lists below are editable Lua tables.

local entities = require "gisa.analysis.entities"

local M = {}

local uchar, ucodes = utf8.char, utf8.codes
local concat = table.concat

--- Opening marks and the marks that may close them. Korean sites mix curly
--- and straight quotes (“…" is common), so each opener accepts both.
M.pairs = {
  ["“"] = { ["”"] = true, ['"'] = true, kind = "double" },
  ['"'] = { ['"'] = true, ["”"] = true, kind = "double" },
  ["「"] = { ["」"] = true, kind = "double" },
  ["『"] = { ["』"] = true, kind = "double" },
  ["‘"] = { ["’"] = true, ["'"] = true, kind = "single" },
  ["'"] = { ["'"] = true, ["’"] = true, kind = "single" },
}

--- What may follow a closing mark when the quote is reported speech, longest
--- first. `chain` ones (며, 면서) join the quote to the next one.
M.quotatives = {
  { "이라면서도", chain = true }, { "라면서도", chain = true }, { "면서도", chain = true },
  { "이라면서", chain = true }, { "라면서", chain = true }, { "면서", chain = true },
  { "이라며", chain = true }, { "라며", chain = true }, { "며", chain = true },
  { "이라고", }, { "라고", }, { "하고", }, { "고", },
}

--- Reporting words that are not verbs in 다 but end the attribution.
M.verb_pattern = "^(%S-다)[%.,!?”\"’']*$"

--- Lines that ask a question in an interview (the answers' speaker is the
--- person interviewed).
M.question_marks = { "▷", "ㅡ", "Q%.", "Q ", "문%)", "%-%-", "▲Q", "△" }

------------------------------------------------------------------------------
-- Finding quotes
------------------------------------------------------------------------------

--- Split one paragraph into parts: {kind="text"|"quote", s, open, close, mark}.
--- A double quote left open runs to the end of the paragraph (Korean papers
--- open a quote in each paragraph of a long speech and close only the last).
function M.parts(text)
  -- most paragraphs hold no quote mark: one text part, without a table per
  -- character (200,000 such lines took most of quotes' time)
  local marks = false
  for open in pairs(M.pairs) do
    if text:find(open, 1, true) then marks = true; break end
  end
  if not marks and utf8.len(text) then
    return text == "" and {} or { { kind = "text", s = text } }
  end
  local parts, buf = {}, {}
  local i, n = 1, #text
  local chars = {}
  for p, _, ch in entities.chars(text) do chars[#chars + 1] = { p = p, ch = ch } end
  local k = 1
  local function flush()
    if #buf > 0 then parts[#parts + 1] = { kind = "text", s = concat(buf) }; buf = {} end
  end
  while k <= #chars do
    local ch = chars[k].ch
    local pair = M.pairs[ch]
    local prev = k > 1 and chars[k - 1].ch or " "
    -- an ASCII apostrophe inside a word (don't) is no quote
    if pair and ch == "'" and prev:find("^%w$") then pair = nil end
    if pair then
      -- look for the closing mark; a double quote skips over single ones inside
      local j, close = k + 1, nil
      while j <= #chars do
        local cj = chars[j].ch
        if pair[cj] and j > k + 1 then
          local nxt = chars[j + 1] and chars[j + 1].ch or " "
          if not (cj == "'" and nxt:find("^%w$")) then close = j; break end
        end
        if pair.kind == "single" and (cj == "“" or cj == "”") then break end
        j = j + 1
      end
      -- a single-quoted term ('AI 전략자산화') stays text unless speech follows it
      if close and pair.kind == "single" then
        local after = text:sub(chars[close].p + #chars[close].ch, chars[close].p + 16)
        if not M.quotative_of(after) then close = nil end
      end
      if close or pair.kind == "double" then
        flush()
        local stop = close and chars[close].p - 1 or n
        local inner = text:sub(chars[k].p + #ch, stop)
        parts[#parts + 1] = { kind = "quote", s = inner, mark = pair.kind, open = ch,
          close = close and chars[close].ch or nil, unclosed = not close }
        k = close and close + 1 or #chars + 1
      else
        buf[#buf + 1] = ch
        k = k + 1
      end
    else
      buf[#buf + 1] = ch
      k = k + 1
    end
  end
  flush()
  return parts
end

-- The quotative right after a closing mark: word, is-chain.
local function quotative(post)
  return M.quotative_of(post)
end

--- The quotative at the start of `post` (the text after a closing mark):
--- the word (라고, 며 …) and whether it chains to a next quote, or nil.
function M.quotative_of(post)
  if not post then return nil end
  local s = post:gsub("^%s?", "", 1)
  for _, q in ipairs(M.quotatives) do
    local w = q[1]
    if s:sub(1, #w) == w then
      local after = s:sub(#w + 1, #w + 3)
      -- 고 must end the word: "”고 말했다", not "”고객"
      if after == "" or after:find("^[%s,%.]") or w ~= "고" then
        return w, q.chain
      end
    end
  end
  return nil
end

-- Sentence pieces of a text: each {s, ends} where ends says a sentence ended.
local function sentences(s)
  local out, start = {}, 1
  for stop in s:gmatch("[%.%?!]+()%s") do
    out[#out + 1] = { s = s:sub(start, stop - 1), ends = true }
    start = stop
  end
  local rest = s:sub(start)
  if rest ~= "" then
    out[#out + 1] = { s = rest, ends = rest:find("[%.%?!]%s*$") ~= nil }
  end
  return out
end
M.sentences = sentences

-- The reporting verb in a piece of text: the first word ending in 다.
local function verb_in(s)
  for w in s:gmatch("%S+") do
    local v = w:match(M.verb_pattern)
    if v then return v end
  end
  return nil
end

local TOPIC = { ["은"] = true, ["는"] = true, ["이"] = true, ["가"] = true, ["께서"] = true,
  ["도"] = true, [""] = false }

-- The speaker among mentions: the last with a subject particle, else nil.
local function subject(ms)
  for i = #ms, 1, -1 do
    local m = ms[i]
    if m.person and TOPIC[m.josa or ""] then return m.person end
  end
  return nil
end

local function is_question(text)
  for _, q in ipairs(M.question_marks) do
    if text:find("^%s*" .. q) then return true end
  end
  return false
end

------------------------------------------------------------------------------
-- One article
------------------------------------------------------------------------------

-- The person interviewed: the first one named (not a reporter) in the title
-- and subtitles, else before the first question.
local function interviewee(scan, texts)
  for pass = 1, 2 do
    for _, x in ipairs(texts) do
      if pass == 2 and (x.kind == "question" or is_question(x.text)) then break end
      if pass == 2 or x.kind == "title" or x.kind == "subtitle" then
        for _, m in ipairs((scan:mentions(x.text))) do
          if m.person and m.title and m.title ~= "기자" then return m.person end
        end
      end
    end
  end
  return nil
end

--- The quotes of one article: a list of {speaker, title, org, verb, quote,
--- para, mark, quotative, how} where speaker is nil when no one can be named,
--- and `how` says how the speaker was found (subject, after, chain, paragraph,
--- pronoun, interview).
---@param a gisa.Article
---@param opts? {all:boolean}
function M.article(a, opts)
  opts = opts or {}
  local scan = entities.scan(a)
  local texts = entities.texts(a)
  local out = {}
  local last            -- the last person named, for pronouns
  local inter = false   -- computed on first need
  local prev_text
  for pi, x in ipairs(texts) do
    if x.kind == "caption" or x.kind == "byline" then goto continue end
    do
      local parts = M.parts(x.text)
      -- mentions in each text part, sentence by sentence, in reading order
      for _, p in ipairs(parts) do
        if p.kind == "text" then
          p.pieces = sentences(p.s)
          for _, piece in ipairs(p.pieces) do
            piece.ms, last = scan:mentions(piece.s, last)
            for _, m in ipairs(piece.ms) do
              if m.kind == "pron" and m.person then piece.pron = true end
            end
          end
        end
      end
      local para_speaker, para_topic
      local prev_q
      for k, p in ipairs(parts) do
        if p.kind == "quote" then
          local pre, post = parts[k - 1], parts[k + 1]
          if pre and pre.kind ~= "text" then pre = nil end
          if post and post.kind ~= "text" then post = nil end
          local pre_piece = pre and pre.pieces[#pre.pieces]
          if pre_piece and pre_piece.ends then pre_piece = nil end
          local post_s = post and post.s or ""
          local qv, chain = quotative(post_s)
          local reported = qv ~= nil
          -- the clause after the quote, up to its verb or the next quote
          local post_piece = post and post.pieces[1]
          local verb = reported and post_piece and verb_in(post_piece.s:sub(1 + #qv)) or nil
          local speaker, how
          local s1 = pre_piece and subject(pre_piece.ms)
          if s1 then speaker, how = s1, pre_piece.pron and "pronoun" or "subject" end
          if not speaker and reported and post_piece then
            local s2 = subject(post_piece.ms)
            if s2 then speaker, how = s2, "after" end
          end
          -- a headline: “…”..서울대 장병탁 교수
          if not speaker and not reported and post_piece and post_s:find("^%s*[%.…%-|/]") then
            for _, m in ipairs(post_piece.ms) do
              if m.person then speaker, how = m.person, "after"; break end
            end
          end
          if not speaker and prev_q and prev_q.same_sentence_as_next and pre_piece then
            speaker, how = prev_q.person, "chain"
          end
          if not speaker and reported and para_speaker then
            speaker, how = para_speaker, "paragraph"
          end
          if not speaker and reported and para_topic then
            speaker, how = para_topic, "paragraph"
          end
          -- first in its paragraph, perhaps after a dateline tag ([파이낸셜뉴스] “…”)
          local first = k == 1 or (k == 2 and (parts[1].s:find("^%s*$") or parts[1].s:find("^%s*%[[^%]]*%]%s*$")))
          -- [인터뷰] 고은비 / 마라톤 참가자, then the quote on a line of its own
          if not speaker and first and prev_text then
            for _, m in ipairs((scan:mentions(prev_text))) do
              if m.caption and m.person then speaker, how = m.person, "caption" end
            end
          end
          if not speaker and first and p.mark == "double" and
            (x.kind == "answer" or (prev_text and is_question(prev_text))) then
            if inter == false then inter = interviewee(scan, texts) end
            if inter then speaker, how = inter, "interview" end
          end
          local words = select(2, p.s:gsub("%S+", ""))
          local keep
          if p.mark == "single" then keep = reported
          elseif x.kind == "title" or x.kind == "subtitle" then keep = speaker ~= nil
          else keep = reported or speaker ~= nil or (first and words >= 3) end
          if opts.all then keep = true end
          local lede = first and not reported and p.mark == "double" and (not post or post.s:find("^%s*$"))
            and x.kind ~= "title" and x.kind ~= "subtitle"
          local q = { lede = lede and not speaker, speaker = speaker and speaker.name, title = speaker and speaker.title,
            org = speaker and speaker.org, verb = verb, quote = p.s, para = pi, mark = p.mark,
            quotative = qv, how = how, person = speaker, kind = x.kind,
            same_sentence_as_next = chain or (post_piece and not post_piece.ends and
              #post.pieces == 1 and k + 1 < #parts) }
          if speaker then para_speaker = speaker end
          if keep then
            out[#out + 1] = q
            -- a chain (“…”며 “…”고 말했다) shares the verb of its last quote
            if not verb and q.same_sentence_as_next then q.pending = true end
            if verb then
              for i = #out - 1, 1, -1 do
                if out[i].pending and out[i].para == pi then out[i].verb = verb; out[i].pending = nil
                else break end
              end
            end
          end
          prev_q = q
        else
          -- the person this text is about, for quotes later in the paragraph
          for _, piece in ipairs(p.pieces) do
            local s = subject(piece.ms)
            if s then para_topic = s end
          end
        end
      end
    end
    prev_text = x.text
    ::continue::
  end
  -- a quote standing alone as a paragraph (a lede or a crosshead) is the words
  -- of the next person quoted in the article
  for i, q in ipairs(out) do
    if q.lede then
      for k = i + 1, #out do
        local n = out[k]
        if n.person and n.how ~= "lede" then
          q.person, q.speaker, q.title, q.org, q.how = n.person, n.speaker, n.title, n.org, "lede"
          break
        end
      end
    end
  end
  for _, q in ipairs(out) do q.pending = nil; q.same_sentence_as_next = nil; q.lede = nil end
  return out, scan
end

return M
