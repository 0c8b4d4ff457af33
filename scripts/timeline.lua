-- gisa timeline: articles per day, week, month or year, from their published
-- dates, as a table with a bar chart (or -f csv|jsonl… for a plotting tool).
--
--   gisa timeline corpus/               the period chosen from the date span
--   gisa timeline --by week corpus/     ISO weeks (2024-W47), empty weeks shown
--   gisa timeline --split publisher corpus/   one count column per publisher
--
-- Articles without a published date are counted apart (the table's title
-- line says how many; machine formats leave them out).

local A = require "gisa.analysis"

local opts, paths = A.parse(arg, {
  name = "timeline",
  job = true,
  usage = "gisa timeline [options] [PATH…]",
  summary = "Count articles per day, week, month or year of their published date.",
  options = {
    { nil, "--by", arg = "UNIT", default = "auto", choices = { "auto", "day", "week", "month", "year" },
      help = "period: day, week (ISO), month, year; auto (default) picks one from the date span" },
    { nil, "--split", arg = "GROUP", choices = { "publisher", "site" },
      help = "a count column per publisher or site" },
    { nil, "--width", arg = "N", type = "number", default = 40, help = "width of the longest bar (default 40)" },
    { nil, "--no-empty", help = "leave out periods without articles" },
  },
})

------------------------------------------------------------------------------
-- Per article: its day (and group)
------------------------------------------------------------------------------

-- The state: articles per day and group (so memory grows with the days, not
-- the articles), and the undated ones. Under -j each worker counts its
-- files and the parent adds the counts up.
local function each(a, s)
  local day = A.period(a.published, "day")
  if not day then
    s.undated = s.undated + 1
  else
    local g = opts.split and (a[opts.split] or "(none)") or ""
    local d = s.days[day]
    if not d then d = {}; s.days[day] = d end
    d[g] = (d[g] or 0) + 1
  end
end

local function merge(s1, s2)
  s1.undated = s1.undated + s2.undated
  for day, d2 in pairs(s2.days) do
    local d = s1.days[day]
    if not d then s1.days[day] = d2
    else for g, n in pairs(d2) do d[g] = (d[g] or 0) + n end end
  end
  return s1
end

local function report(s)
  local days, undated, groups, ngroups = s.days, s.undated, {}, {}
  local dated, first, last = 0, nil, nil
  for day, d in pairs(days) do
    if not first or day < first then first = day end
    if not last or day > last then last = day end
    for g, n in pairs(d) do
      dated = dated + n
      if not groups[g] then groups[g] = true; ngroups[#ngroups + 1] = g end
    end
  end
  table.sort(ngroups)

  -- periods and counts

  local unit = opts.by
  if unit == "auto" then
    local span = first and (A.days(A.ymd(last)) - A.days(A.ymd(first))) or 0
    unit = span <= 62 and "day" or span <= 366 and "week" or span <= 366 * 8 and "month" or "year"
  end

  local counts = {}   -- period -> group -> n
  for day, d in pairs(days) do
    local p = A.period(day, unit)
    counts[p] = counts[p] or {}
    for g, n in pairs(d) do counts[p][g] = (counts[p][g] or 0) + n end
  end
  local keys = {}
  for p in pairs(counts) do keys[#keys + 1] = p end
  table.sort(keys)
  if #keys > 0 and not opts.no_empty then keys = A.periods(keys[1], keys[#keys], unit) end

  local rows, max = {}, 0
  for _, p in ipairs(keys) do
    local c = counts[p] or {}
    local r = { period = p, articles = 0 }
    for _, g in ipairs(ngroups) do
      r.articles = r.articles + (c[g] or 0)
      if opts.split then r[g] = c[g] or 0 end
    end
    if r.articles > max then max = r.articles end
    rows[#rows + 1] = r
  end

  local columns = { { key = "period", title = unit }, "articles" }
  if opts.split then
    for _, g in ipairs(ngroups) do columns[#columns + 1] = { key = g, title = g, align = "right" } end
  end
  if opts.format == "table" then
    for _, r in ipairs(rows) do r.bar = A.bar(r.articles, max, opts.width) end
    columns[#columns + 1] = { key = "bar", title = "", align = "left" }
    opts.title = string.format("%d dated articles per %s%s", dated, unit,
      undated > 0 and string.format(" (%d without a date)", undated) or "")
  end
  A.output(rows, columns, opts)
end

A.run(opts, paths, { key = opts.split and ("--split " .. opts.split) or "", fields = A.fields("published", opts.split),
  state = function() return { days = {}, undated = 0 } end, each = each, merge = merge, finish = report })
return A.exit_code()
