-- gisa test-rules (the rule author's test loop) and gisa rules (the rules in
-- the order they are tried, and the generated dispatch): the worked example of
-- docs/rules.md run as the page shows it, the shipped sites' samples against
-- their expected records, and the listings of every shipped site.
local t = require "t"

local fixture = t.root .. "/tests/fixtures/rules"

-- The commands of the "Keeping it right" section of docs/rules.md: a list of
-- {cmd=, out=} in order.
local function doc_runs()
  local doc = assert(t.read(t.root .. "/docs/rules.md"))
  local section = doc:match("\n### Keeping it right: `gisa test%-rules`\n(.-)\n#") or
    doc:match("\n### Keeping it right: `gisa test%-rules`\n(.*)$")
  assert(section, "docs/rules.md has no section on gisa test-rules")
  local runs, cur = {}, nil
  for line in (section .. "\n"):gmatch("(.-)\n") do
    local cmd = line:match("^    %$ (.*)$")
    if cmd then
      cur = { cmd = cmd, out = {} }
      runs[#runs + 1] = cur
    elseif cur and line:match("^    ") then
      cur.out[#cur.out + 1] = line:sub(5)
    else
      cur = nil
    end
  end
  return runs
end

t.test("docs/rules.md's test-rules walk-through runs as the page shows it", function()
  local runs = doc_runs()
  t.eq(#runs, 4, "commands on the page")
  -- DIR: a copy of the example's directory, without its expected record
  local d = t.tmpdir() .. "/testrules-doc"
  os.execute("rm -rf " .. t.shquote(d) .. " && cp -R " .. t.shquote(fixture) .. " " .. t.shquote(d))
  os.remove(d .. "/tests/gana.expected.json")
  local function check(i)
    local run = runs[i]
    local args = {}
    for w in run.cmd:gmatch("%S+") do args[#args + 1] = w == "DIR" and d or w end
    t.eq(table.remove(args, 1), "gisa")
    local r = t.gisa(args)
    local want = table.concat(run.out, "\n"):gsub("DIR/", d .. "/") .. "\n"
    t.eq(r.out, want, run.cmd)
    return r
  end
  t.eq(check(1).code, 1)
  t.eq(check(2).code, 0)
  -- what --accept wrote is the record the fixture keeps
  t.eq(t.read(d .. "/tests/gana.expected.json"), t.read(fixture .. "/tests/gana.expected.json"))
  t.eq(check(3).code, 0)
  -- drop date_labels from the site file, as the page says
  local site = d .. "/rules/sites/gana.lua"
  local src = t.read(site)
  local cut = src:gsub("\n  date_labels = [^\n]*", "")
  t.ok(cut ~= src, "the site file has date_labels")
  t.write(site, cut)
  t.eq(check(4).code, 1)
end)

t.test("the shipped sites' samples give their expected records (gisa test-rules)", function()
  local r = t.gisa({ "test-rules" })
  t.eq(r.code, 0, r.out .. r.err)
  t.match(r.out, "\n21 articles: 21 ok\n$")
end)

t.test("test-rules: usage errors and a broken expected file", function()
  local r = t.gisa({ "test-rules", t.tmpdir() .. "/nowhere" })
  t.eq(r.code, 2)
  t.contains(r.err, "no directory " .. t.tmpdir() .. "/nowhere/tests")
  local d = t.tmpdir() .. "/testrules-bad"
  os.execute("rm -rf " .. t.shquote(d) .. " && cp -R " .. t.shquote(fixture) .. " " .. t.shquote(d))
  t.write(d .. "/tests/gana.expected.json", "{ not json")
  r = t.gisa({ "test-rules", d })
  t.eq(r.code, 1)
  t.match(r.out, "^FAIL  gana%.txt\n      .-gana%.expected%.json: ")
  t.contains(r.out, "1 article: 0 ok, 1 failed")
end)

t.test("gisa rules lists each shipped site's rules in order, with file and line", function()
  local r = t.gisa({ "rules" })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "^no site: %d+ rules, in the order they are tried\n")
  t.match(r.out, "\n +1  share%-words +removed +[^\n]-/lua/gisa/rules/generic%.lua:%d+")
  t.match(r.out, "\n +%d+  para +para +[^\n]-generic%.lua:%d+  %[always%]\n")
  for _, site in ipairs({ "edaily", "fnnews", "hankyung", "mt", "zdnet" }) do
    t.match(r.out, "\n  " .. site .. " ")
    local s = t.gisa({ "rules", "--site", site })
    t.eq(s.code, 0, s.err)
    t.match(s.out, "^site " .. site .. " ")
    -- the site's own rules come first, from its file
    t.match(s.out, "\n +1  [^\n]-/rules/sites/" .. site .. "%.lua:%d+")
  end
  -- a user's site through -I
  r = t.gisa({ "rules", "-I", fixture, "--site", "gana" })
  t.eq(r.code, 0, r.err)
  t.match(r.out, "\n +1  gana%-section +section +[^\n]-gana%.lua:%d+  %[head%]\n")
  r = t.gisa({ "rules", "--site", "nope" })
  t.eq(r.code, 2)
  t.contains(r.err, "unknown site 'nope' (sites: edaily, fnnews, hankyung, mt, zdnet)")
end)

t.test("gisa rules --dump prints dispatch code that compiles, for every zone and length", function()
  local r = t.gisa({ "rules", "--site", "mt", "--dump" })
  t.eq(r.code, 0, r.err)
  local n = 0
  for head, src in r.out:gmatch("(%-%- zone [^\n]*)\n(.-)\n\n") do
    n = n + 1
    local f, err = load(src, "=dump", "t")
    t.ok(f, head .. ": " .. tostring(err))
  end
  t.ok(n >= 3 * 10, "functions dumped: " .. n)
  t.contains(r.out, "-- zone head, lines of 1-5 characters")
  t.contains(r.out, "-- rule mt-best-click")
  r = t.gisa({ "rules", "--dump", "--zone", "tail", "--first", "[" })
  t.eq(r.code, 0, r.err)
  t.ok(not r.out:find("zone head"), "only the tail")
  t.contains(r.out, "first character [")
  r = t.gisa({ "rules", "--dump", "--zone", "middle" })
  t.eq(r.code, 2)
  t.contains(r.err, "unknown zone 'middle'")
end)

t.test("help and list name the new commands", function()
  local r = t.gisa({ "help" })
  t.contains(r.out, "gisa rules [--site ID] [--dump]")
  t.contains(r.out, "gisa test-rules DIR [--accept]")
  r = t.gisa({ "list" })
  t.match(r.out, "\ncommands %(gisa help COMMAND%):\n  [^\n]*rules, test%-rules")
  for _, c in ipairs({ "rules", "test-rules" }) do
    r = t.gisa({ "help", c })
    t.eq(r.code, 0)
    t.match(r.out, "^usage: gisa " .. c:gsub("%-", "%%-") .. " ")
  end
end)

t.test("docs/rules.md shows the start of `gisa rules --site mt` as it is", function()
  local doc = assert(t.read(t.root .. "/docs/rules.md"))
  local block = doc:match("\n    %$ gisa rules %-%-site mt\n(.-)\n       …\n")
  t.ok(block, "docs/rules.md has the gisa rules example")
  local r = t.gisa({ "rules", "--site", "mt" })
  t.eq(r.code, 0, r.err)
  local got = {}
  for line in r.out:gmatch("[^\n]+") do
    got[#got + 1] = "    " .. line:gsub("[^%s(]*/lua/gisa/", "…/lua/gisa/")
    if #got == 3 then break end
  end
  -- line numbers move as generic.lua grows: compared as numbers, not values
  local function shape(x) return (x:gsub("%.lua:%d+", ".lua:N")) end
  t.eq(shape(block), shape(table.concat(got, "\n")))
end)
