-- The strict rule schema (lua/gisa/engine/schema.lua), through the real
-- binary with -I DIR: an unknown key in a rule, a rule file or a site file,
-- and a rule that selects no lines, stop the run before any article is read,
-- naming the file, the line, the rule and the key, with a suggestion.
local t = require "t"
local schema = require "gisa.engine.schema"

local ARTICLE = "제목입니다\n\n본문 첫 문장은 이렇게 길게 이어지고 마침표로 끝납니다.\n"

-- A directory with FILES ({relative path = text}) under a fresh tmpdir.
local function user_dir(name, files)
  local d = t.tmpdir() .. "/" .. name
  for rel, text in pairs(files) do
    os.execute("mkdir -p " .. t.shquote((d .. "/" .. rel):match("^(.*)/")))
    t.write(d .. "/" .. rel, text)
  end
  return d
end

local function run(d)
  local f = t.write(t.tmpdir() .. "/schema-article.txt", ARTICLE)
  return t.gisa({ "extract", "-I", d, f })
end

t.test("a misspelled key in a rule: error with file, line, rule id and a suggestion; nothing written", function()
  local d = user_dir("patern", { ["rules/local.lua"] = [[
return { rules = {
  { id = "keep", role = "removed", pattern = "'광고'" },
  { id = "note", role = "removed", patern = "제목" },
} }
]] })
  local r = run(d)
  t.eq(r.code, 1, r.err)
  t.eq(r.out, "")
  t.contains(r.err, "rule 'note' (" .. d .. "/rules/local.lua:3): unknown key 'patern' (did you mean 'pattern'?)")
end)

t.test("a rule that selects no lines is an error unless it says always = true", function()
  local d = user_dir("noselect", { ["rules/local.lua"] = [[
return { rules = {
  { id = "everything", role = "removed" },
} }
]] })
  local r = run(d)
  t.eq(r.code, 1, r.err)
  t.eq(r.out, "")
  t.contains(r.err, "rule 'everything' (" .. d .. "/rules/local.lua:2): selects no lines")
  t.contains(r.err, "say always = true if that is meant")
  -- said explicitly, it is the catch-all it claims to be
  local d2 = user_dir("always", { ["rules/local.lua"] = [[
return { rules = { { id = "everything", role = "removed", always = true } } }
]] })
  r = run(d2)
  t.eq(r.code, 0, r.err)
  local rec = require("cjson").decode(r.out)
  t.eq(#rec.removed, 2)
  t.eq(rec.body, {})
  -- always with a selector contradicts itself
  local d3 = user_dir("always2", { ["rules/local.lua"] = [[
return { rules = { { id = "both", role = "removed", always = true, has = "광고" } } }
]] })
  r = run(d3)
  t.eq(r.code, 1)
  t.contains(r.err, "rule 'both' (" .. d3 .. "/rules/local.lua:1): always = true, but it also selects lines by 'has'")
end)

t.test("an unknown key in a rule file or a site file names the file and line", function()
  local d = user_dir("filekey", { ["rules/local.lua"] = [[
return {
  rule = {
    { id = "x", role = "removed", pattern = "'광고'" },
  },
}
]] })
  local r = run(d)
  t.eq(r.code, 1)
  t.contains(r.err, d .. "/rules/local.lua:2: unknown key 'rule' (did you mean 'rules'?) in a rule file")
  local d2 = user_dir("sitekey", { ["rules/sites/gana.lua"] = [[
return {
  id = "gana",
  publsher = "가나일보",
  detect = { "© 가나일보" },
}
]] })
  r = run(d2)
  t.eq(r.code, 1)
  t.contains(r.err, d2 .. "/rules/sites/gana.lua:3: unknown key 'publsher' (did you mean 'publisher'?) in a site file")
  local d3 = user_dir("signkey", { ["rules/sites/gana.lua"] = [[
return { id = "gana", detect = { { txt = "© 가나일보", weight = 2 } } }
]] })
  r = run(d3)
  t.eq(r.code, 1)
  t.contains(r.err, "gana.lua: detect[1]: unknown key 'txt' (did you mean 'text'?)")
  -- a key far from every known one gets no suggestion
  local d4 = user_dir("farkey", { ["rules/local.lua"] = [[
return { rules = { { id = "x", role = "removed", pattern = "'광고'", colour = "red" } } }
]] })
  r = run(d4)
  t.eq(r.code, 1)
  t.match(r.err, "rule 'x' %(.-local%.lua:1%): unknown key 'colour'\n")
end)

t.test("suggestions: the closest known key within two edits", function()
  t.eq(schema.suggest("patern", schema.rule_keys), "pattern")
  t.eq(schema.suggest("rol", schema.rule_keys), "role")
  t.eq(schema.suggest("maxx", schema.rule_keys), "max")
  t.eq(schema.suggest("zzzzzz", schema.rule_keys), nil)
  t.eq(schema.suggest("threshhold", schema.site_keys), "threshold")
end)

t.test("every shipped rule, rule file and site file passes the schema", function()
  local r = t.gisa({ "extract", t.root .. "/corpus/010_hankyung_semiconductor.txt" })
  t.eq(r.code, 0, r.err)
end)

t.test("an unknown role gets a suggestion; a site's id, publisher and threshold are checked", function()
  local d = user_dir("rolesug", { ["rules/local.lua"] = [[
return { rules = { { id = "cap", role = "captoin", pattern = "'사진'" } } }
]] })
  local r = run(d)
  t.eq(r.code, 1)
  t.contains(r.err, "rule 'cap' (" .. d .. "/rules/local.lua:1): unknown role 'captoin' (did you mean 'caption'?)")
  local d2 = user_dir("sitetype", { ["rules/sites/gana.lua"] = [[
return {
  id = "gana",
  threshold = "2",
  detect = { "© 가나일보" },
}
]] })
  r = run(d2)
  t.eq(r.code, 1)
  t.contains(r.err, d2 .. "/rules/sites/gana.lua:3: threshold must be a number, not string")
end)
