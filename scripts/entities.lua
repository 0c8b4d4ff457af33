-- gisa entities: people with their titles and organisations, how often they
-- are mentioned and in which articles.
--   gisa entities corpus/
--   gisa entities -f csv --min 2 corpus/
-- The patterns (titles, organisation endings, surnames, words that are not
-- names) are Lua tables in lua/gisa/entities.lua: copy it into your -I
-- directory and edit them.

local gisa = require "gisa"
local A = require "gisa.analysis"
local entities = require "gisa.entities"

local opts, paths = A.parse(arg, {
  name = "entities",
  job = true,
  usage = "gisa entities [options] [PATH…]",
  summary = "People named with a title (장병탁 서울대 컴퓨터공학부 교수, 얀 르쿤 교수,\n" ..
    "고진 디지털플랫폼정부위원회 위원장), counted over every mention that refers to\n" ..
    "them (고 위원장, 르쿤은), with the articles they appear in.",
  options = {
    { nil, "--min", arg = "N", type = "number", default = 1, help = "only people mentioned at least N times" },
    { "-n", "--top", arg = "N", type = "number", help = "only the N most mentioned" },
    { nil, "--title", arg = "TITLE", help = "only people with this title (기자, 교수 …)" },
    { nil, "--no-reporters", help = "leave out bylined reporters (title 기자)" },
  },
  text = "columns: name, title, org, count, articles (in a table: how many, then the first three)",
})

-- The state is a collector's data ({by = name -> person, list = persons in
-- the order first seen}); a worker collects its files' people, the parent
-- adds them up in input order, so each person's articles stay in that order.
local collector = entities.collector()
local function state() return { by = {}, list = {}, inputs = paths } end
local function each(a, s) collector.add(s, a) end

local function same(f) return f end

local function merge(s1, s2)
  -- shares (--merge) interleave by file; under -j files come in input order
  local before = gisa.options.merge and A.walk_order(s2.inputs)
  for _, r in ipairs(s2.list) do
    local p = s1.by[r.name]
    if not p then
      s1.by[r.name] = r
      s1.list[#s1.list + 1] = r
    else
      p.count = p.count + r.count
      for k, n in pairs(r.titles) do p.titles[k] = (p.titles[k] or 0) + n end
      for k, n in pairs(r.orgs) do p.orgs[k] = (p.orgs[k] or 0) + n end
      if before then A.merge_in_order(p.articles, r.articles, same, before)
      else A.append(p.articles, r.articles) end
    end
  end
  return s1
end

local function report(s)
  local rows = {}
  for _, r in ipairs(collector.result(s)) do
    local want = r.count >= opts.min
    if opts.title and r.title ~= opts.title then want = false end
    if opts.no_reporters and r.title == "기자" then want = false end
    if want and not (opts.top and #rows >= opts.top) then
      local titles = {}
      for t in pairs(r.titles) do titles[#titles + 1] = t end
      table.sort(titles)
      local arts = r.articles
      if opts.format == "table" and #arts > 1 then
        -- a person in thousands of files: on a terminal, how many and the first few
        local shown = { #arts .. ":" }
        for i = 1, math.min(#arts, 3) do shown[#shown + 1] = A.display(arts[i]) .. (i < #arts and "," or "") end
        if #arts > 3 then shown[#shown + 1] = "…" end
        arts = table.concat(shown, " ")
      end
      rows[#rows + 1] = { name = r.name, title = r.title, org = r.org, count = r.count,
        articles = arts, titles = titles }
    end
  end

  A.output(rows, { "name", "title", "org", "count", "articles",
    opts.format ~= "table" and "titles" or nil }, opts)
end

A.run(opts, paths, { state = state, each = each, merge = merge, finish = report })
return A.exit_code()
