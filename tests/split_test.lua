-- gisa.split: a text cut into word and separator tokens at characters given
-- as data (entities' tokenizer).
local t = require "t"
local split = require "gisa.split"

local KINDS = { [" "] = false, ["\u{3000}"] = false, ["."] = "b", [","] = "b", ["·"] = "l",
  ["("] = "(", [")"] = ")", ["/"] = "/" }
local SEPS = { b = { sep = "b" }, l = { sep = "l" }, ["("] = { sep = "(" }, [")"] = { sep = ")" },
  ["/"] = { sep = "/" } }

local function show(toks)
  local out = {}
  for i, tk in ipairs(toks) do out[i] = tk.w or ("<" .. tk.sep .. ">") end
  return table.concat(out, " ")
end

t.test("splitter:split gives words and separators, runs of a kind in `whole` as one", function()
  local sp = split.splitter(KINDS, { b = true, l = true, ["/"] = true })
  local cache = {}
  local toks, added = sp:split("임유경·김연서 기자.. 서울대(SNU)) 교수/ 끝\u{3000}", cache, SEPS)
  t.eq(show(toks), "임유경 <l> 김연서 기자 <b> 서울대 <(> SNU <)> <)> 교수 </> 끝")
  t.eq(added, 7)
  -- words come from the cache, shared between calls; separators from seps
  t.eq(toks[1], cache["임유경"])
  t.eq(toks[2], SEPS.l)
  local again, added2 = sp:split("교수 끝", cache, SEPS)
  t.eq(again[1], toks[11])
  t.eq(added2, 0)
  t.eq(show((sp:split("", cache, SEPS))), "")
  t.eq(show((sp:split(". .", cache, SEPS))), "<b>")
  t.eq(show((sp:split("a-b&c", cache, SEPS))), "a-b&c")
end)

t.test("splitter:split: bad data and misuse", function()
  local sp = split.splitter(KINDS)
  t.eq({ sp:split("가\xff나", {}, SEPS) }, { nil, "invalid UTF-8", 4 })
  t.eq(show((sp:split("a..b", {}, SEPS))), "a <b> <b> b")   -- nothing in `whole`
  t.checkerr("not one character", split.splitter, { ab = "b" })
  t.checkerr("a kind must be a string or false", split.splitter, { a = true })
  t.checkerr("table expected", sp.split, sp, "a", nil, SEPS)
  t.eq(tostring(sp):match("^gisa.split.Splitter"), "gisa.split.Splitter")
end)
