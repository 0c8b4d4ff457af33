-- gisa quotes: direct quotes with their speaker and reporting verb.
--   gisa quotes corpus/                 a table: article, speaker, title, verb, quote
--   gisa quotes -f jsonl corpus/        every column, the quote whole
-- The rows are the record's `quotes` (the quote post pass of rules/generic.lua,
-- lua/gisa/analysis/quotes.lua): one finder, run once an article. Its word
-- lists are lua/gisa/analysis/quotewords.lua (extend them with a
-- quotewords.lua in your -I directory).

local A = require "gisa.analysis"
local gisa = require "gisa"

local opts, paths = A.parse(arg, {
  name = "quotes",
  job = true,
  usage = "gisa quotes [options] [PATH…]",
  summary = "Direct quotes (“…”, \"…\", ‘…’라고) of paragraphs and answers with the person who\n" ..
    "said them, found before the quote (X는 “…”라고 말했다), after it (“…”라고 X는 말했다),\n" ..
    "or earlier in the article; short references (고 위원장, 그는) resolve to the full name.",
  options = {
    { nil, "--speaker", arg = "NAME", help = "only quotes by NAME (full name or part of it)" },
    { nil, "--unattributed", help = "only quotes with no speaker found" },
    { "-w", "--width", arg = "N", type = "number", default = 100,
      help = "fit the table in N columns, the quote cut with … (0: no limit)" },
  },
  text = "columns: article, speaker, title, verb, quote (and org, line in csv/tsv/jsonl/json)",
})

-- The state: the rows found so far, in input order (a worker's rows are for
-- its files; the parent appends them in input order), and the operands, to
-- put the rows of shares (--merge) back in that order.
local function each(a, st)
  local rows = st.rows
  for _, q in ipairs(a.quotes or {}) do
    local want = true
    if opts.speaker and not (q.speaker and q.speaker:find(opts.speaker, 1, true)) then want = false end
    if opts.unattributed and q.speaker then want = false end
    if want then
      -- the record's quote is the row (its text as `quote`): no copy to make and collect
      q.article, q.quote, q.text = a.file, q.text, nil
      rows[#rows + 1] = q
    end
  end
end

-- (a file name that is not UTF-8 counts its bytes)
local function width(s) return gisa.text.width(s) or #s end

local COLUMNS = { "article", "speaker", "title", "org", "verb", "quote", "line" }

local function report(st)
  local rows = st.rows
  if opts.format ~= "table" then
    A.output(rows, COLUMNS, opts)
    return
  end
  -- The table: each column as wide as its widest cell up to a cap, the article
  -- cut at its start (the file name is what tells articles apart), the quote
  -- given what is left of the width and cut with …
  local total = opts.width
  local caps = { article = 28, speaker = 16, title = 14, verb = 10 }
  local w = {}
  for k, cap in pairs(caps) do
    w[k] = width(k)
    for _, r in ipairs(rows) do
      local s = r[k]
      if s then w[k] = math.min(cap, math.max(w[k], width(s))) end
    end
  end
  local quote_w = total > 0 and math.max(10, total - w.article - w.speaker - w.title - w.verb - 4 * 2) or nil
  for _, r in ipairs(rows) do
    if total > 0 and utf8.len(r.article) and width(r.article) > w.article then r.article = "…" .. A.tail(r.article, w.article - 1) end
  end
  A.output(rows, {
    "article", { key = "speaker", width = total > 0 and w.speaker or nil },
    { key = "title", width = total > 0 and w.title or nil }, { key = "verb", width = total > 0 and w.verb or nil },
    { key = "quote", width = quote_w },
  }, opts)
end

local key = {}
if opts.speaker then key[#key + 1] = "--speaker " .. opts.speaker end
if opts.unattributed then key[#key + 1] = "--unattributed" end
A.run(opts, paths, { key = table.concat(key, " "),
  state = function() return { rows = {}, inputs = paths } end, each = each,
  merge = A.merge_rows(function(r) return r.article end), finish = report })
return A.exit_code()
