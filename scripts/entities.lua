-- gisa entities: people with their titles and organisations, how often they
-- are mentioned and in which articles; with --orgs, the organisations named
-- before a title (parties, companies, ministries, universities, boards).
--   gisa entities corpus/
--   gisa entities -f csv --min 2 corpus/
--   gisa entities --orgs corpus/
-- The patterns (titles, organisation endings, surnames, words that are not
-- names) are Lua tables in lua/gisa/analysis/entities.lua: copy it into your -I
-- directory and edit them.

local gisa = require "gisa"
local A = require "gisa.analysis"
local entities = require "gisa.analysis.entities"
-- each article leaves short-lived garbage around what lasts (the rules, the
-- particle lexicon's 85,000 words, the people counted so far): the
-- generational collector leaves those alone, as in report and extract
collectgarbage("generational")

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
    { nil, "--orgs", help = "report organisations instead of people: what comes before a title\n" ..
      "and is no name (새빛당 비대위원장, 한결전자 이사회 의장, 서울대 교수 장병탁)" },
  },
  text = "columns: name, title, org, count, articles (in a table: how many, then the first three);\n" ..
    "with --orgs: name, post, count, articles (+ posts, every post seen, in machine formats)",
})

-- The state is a collector's data ({by = name -> person, list = persons in
-- the order first seen; org_by, org_list the same for organisations}); a
-- worker collects its files' people and organisations, the parent adds them
-- up in input order, so each one's articles stay in that order.
local collector = entities.collector()
local function state() return { by = {}, list = {}, org_by = {}, org_list = {}, inputs = paths } end
local function each(a, s) collector.add(s, a) end

local function same(f) return f end

-- add the rows of list2 into by1/list1 (people or organisations)
local function add_rows(by1, list1, list2, maps, before)
  for _, r in ipairs(list2) do
    local p = by1[r.name]
    if not p then
      by1[r.name] = r
      list1[#list1 + 1] = r
    else
      p.count = p.count + r.count
      for _, m in ipairs(maps) do
        for k, n in pairs(r[m]) do p[m][k] = (p[m][k] or 0) + n end
      end
      if before then A.merge_in_order(p.articles, r.articles, same, before)
      else A.append(p.articles, r.articles) end
    end
  end
end

local function merge(s1, s2)
  -- shares (--merge) interleave by file; under -j files come in input order
  local before = gisa.options.merge and A.walk_order(s2.inputs)
  add_rows(s1.by, s1.list, s2.list, { "titles", "orgs" }, before)
  add_rows(s1.org_by, s1.org_list, s2.org_list, { "posts" }, before)
  return s1
end

-- a file list for a terminal: how many and the first few
local function shown(arts)
  if opts.format ~= "table" or #arts <= 1 then return arts end
  local out = { #arts .. ":" }
  for i = 1, math.min(#arts, 3) do out[#out + 1] = A.display(arts[i]) .. (i < #arts and "," or "") end
  if #arts > 3 then out[#out + 1] = "…" end
  return table.concat(out, " ")
end

local function report_orgs(s)
  local rows = {}
  for _, r in ipairs(collector.organisations(s)) do
    local want = r.count >= opts.min and not (opts.title and not r.posts[opts.title])
    if want and not (opts.top and #rows >= opts.top) then
      local posts = {}
      for t in pairs(r.posts) do posts[#posts + 1] = t end
      table.sort(posts)
      rows[#rows + 1] = { name = r.name, post = r.post, count = r.count, articles = shown(r.articles),
        posts = posts }
    end
  end
  A.output(rows, { "name", "post", "count", "articles", opts.format ~= "table" and "posts" or nil }, opts)
end

local function report(s)
  if opts.orgs then return report_orgs(s) end
  local rows = {}
  for _, r in ipairs(collector.result(s)) do
    local want = r.count >= opts.min
    if opts.title and r.title ~= opts.title then want = false end
    if opts.no_reporters and r.title == "기자" then want = false end
    if want and not (opts.top and #rows >= opts.top) then
      local titles = {}
      for t in pairs(r.titles) do titles[#titles + 1] = t end
      table.sort(titles)
      -- a person in thousands of files: on a terminal, how many and the first few
      rows[#rows + 1] = { name = r.name, title = r.title, org = r.org, count = r.count,
        articles = shown(r.articles), titles = titles }
    end
  end
  A.output(rows, { "name", "title", "org", "count", "articles",
    opts.format ~= "table" and "titles" or nil }, opts)
end

A.run(opts, paths, { state = state, each = each, merge = merge, finish = report,
  fields = { "file", "title", "subtitles", "blocks", "body", "captions", "authors" } })
return A.exit_code()
