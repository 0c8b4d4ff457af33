-- gisa quotes: direct quotes with their speaker and reporting verb.
--   gisa quotes corpus/                 a table: article, speaker, title, verb, quote
--   gisa quotes -f jsonl --all corpus/  every quoted span, attributed or not
-- The finding and attribution is lua/gisa/analysis/quotes.lua (people from
-- lua/gisa/analysis/entities.lua); copy either into your -I directory to change it.

local A = require "gisa.analysis"
local quotes = require "gisa.analysis.quotes"

local opts, paths = A.parse(arg, {
  name = "quotes",
  job = true,
  usage = "gisa quotes [options] [PATH…]",
  summary = "Direct quotes (“…”, \"…\", ‘…’, 「…」) with the person who said them, found\n" ..
    "before the quote (X는 “…”라고 말했다), after it (“…”라고 X는 말했다), or earlier in\n" ..
    "the paragraph; short references (고 위원장, 그는) resolve to the full name.",
  options = {
    { nil, "--all", help = "also quoted terms and unattributed quotes" },
    { nil, "--speaker", arg = "NAME", help = "only quotes by NAME (full name or part of it)" },
    { nil, "--unattributed", help = "only quotes with no speaker found" },
    { "-w", "--width", arg = "N", type = "number", default = 60,
      help = "cut quotes to N columns in the table (0: no limit)" },
  },
  text = "columns: article, speaker, title, org, verb, quote (and para, how in jsonl/json)",
})

-- The state: the rows found so far, in input order (a worker's rows are for
-- its files; the parent appends them in input order), and the operands, to
-- put the rows of shares (--merge) back in that order.
local function each(a, st)
  local rows = st.rows
  for _, q in ipairs(quotes.article(a, { all = opts.all })) do
    local want = true
    if opts.speaker and not (q.speaker and q.speaker:find(opts.speaker, 1, true)) then want = false end
    if opts.unattributed and q.speaker then want = false end
    if want then
      rows[#rows + 1] = { article = a.file, speaker = q.speaker, title = q.title, org = q.org,
        verb = q.verb, quote = q.quote, para = q.para, how = q.how }
    end
  end
end

local function report(st)
  local rows = st.rows
  local machine = opts.format ~= "table"
  local width = (not machine and opts.width > 0) and opts.width or nil
  A.output(rows, {
    "article", "speaker", "title", machine and "org" or nil, "verb",
    { key = "quote", width = width },
    machine and "para" or nil, machine and "how" or nil,
  }, opts)
end

local key = {}
if opts.all then key[#key + 1] = "--all" end
if opts.speaker then key[#key + 1] = "--speaker " .. opts.speaker end
if opts.unattributed then key[#key + 1] = "--unattributed" end
A.run(opts, paths, { key = table.concat(key, " "),
  state = function() return { rows = {}, inputs = paths } end, each = each,
  merge = A.merge_rows(function(r) return r.article end), finish = report })
return A.exit_code()
