-- gisa.json: the writer (gisa.jsonw in C) keeps gisa's JSON: ordered keys,
-- UTF-8 and "/" as is, only control characters, quotes and backslashes escaped.
local t = require "t"
local json = require "gisa.json"
local cjson = require "cjson"

t.test("strings: control characters, quotes, backslashes escaped; UTF-8 and / kept", function()
  t.eq(json.quote("a/b"), '"a/b"')
  t.eq(json.quote('say "hi" \\ 기사'), '"say \\"hi\\" \\\\ 기사"')
  t.eq(json.quote("\b\f\n\r\t"), '"\\b\\f\\n\\r\\t"')
  t.eq(json.quote("\0\1\31\127"), '"\\u0000\\u0001\\u001f\\u007f"')
  t.eq(json.quote("\255x"), '"\255x"', "bytes that are not UTF-8 pass through")
  t.eq(json.quote(""), '""')
  t.eq(json.encode("\\/"), '"\\\\/"')
end)

t.test("objects: keys of json.first first in that order, the rest by name", function()
  t.eq(json.encode({ text = "t", zeta = 1, type = "para", line = 3, alpha = true }),
    '{"type":"para","line":3,"text":"t","alpha":true,"zeta":1}')
  t.eq(json.encode({ a = "A", q = "Q" }), '{"q":"Q","a":"A"}')
  local big, want = {}, {}
  for i = 1, 40 do big[string.format("k%02d", i)] = i; want[i] = string.format('"k%02d":%d', i, i) end
  t.eq(json.encode(big), "{" .. table.concat(want, ",") .. "}", "more keys than fit the small array")
end)

t.test("records: the order list gives the keys, nil as null", function()
  t.eq(json.encode({ title = "제목", body = {}, extra = 1 }, { "file", "title", "body" }),
    '{"file":null,"title":"제목","body":[]}')
end)

t.test("arrays, empty tables, numbers, booleans, cjson.null", function()
  t.eq(json.encode({ 1, "two", { 3 }, {} }), '[1,"two",[3],[]]')
  t.eq(json.encode({}), "[]")
  t.eq(json.encode({ 1.5, 3.0, -0.0, 1 / 0, 0 / 0, 2 ^ 40, 2 ^ 60, math.mininteger }),
    "[1.5,3,0,null,null,1099511627776,1.1529215046068e+18,-9223372036854775808]")
  t.eq(json.encode({ true, false, cjson.null }), "[true,false,null]")
  t.eq(json.encode({ [2] = "x" }), "[]", "a number key makes an array, written up to its border")
end)

t.test("what JSON cannot hold raises", function()
  t.checkerr("cannot encode a function as JSON", json.encode, { f = print })
  local cycle = {}
  cycle.self = cycle
  t.checkerr("nested too deep", json.encode, cycle)
end)

t.test("decode reads back what encode wrote", function()
  local v = { type = "para", text = "a/b \"q\" \1", line = 7, list = { 1, 2 } }
  local back = json.decode(json.encode(v))
  t.eq(back.text, v.text)
  t.eq(back.list[2], 2)
  t.eq(json.encode(back), json.encode(v))
end)
