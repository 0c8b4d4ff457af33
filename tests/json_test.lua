-- gisa.json: the writer (gisa.jsonw in C) keeps gisa's JSON: ordered keys,
-- UTF-8 and "/" as is, only control characters, quotes and backslashes escaped.
local t = require "t"
local json = require "gisa.output.json"
local cjson = require "cjson"
local oracle = require "oracle"

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
    "[1.5,3,0,null,null,1099511627776,1.152921504606847e+18,-9223372036854775808]")
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

------------------------------------------------------------------------------
-- The C writer against plain Lua references: the escaper (oracle.quote_lua), the
-- pretty layout (oracle.pretty_lua) and a compact encoder written here.
------------------------------------------------------------------------------

local function encode_lua(v, order)
  local rank = {}
  for i, k in ipairs(json.first) do rank[k] = i end
  local function enc(x, ord)
    local tx = type(x)
    if tx == "string" then return oracle.quote_lua(x) end
    if tx == "boolean" then return tostring(x) end
    if x == nil or x == cjson.null then return "null" end
    if tx == "number" then
      if math.type(x) == "integer" then return string.format("%d", x) end
      if x ~= x or x == math.huge or x == -math.huge then return "null" end
      if x == math.floor(x) and x > -2 ^ 53 and x < 2 ^ 53 then return string.format("%d", math.tointeger(x)) end
      return string.format("%.14g", x)
    end
    if next(x) == nil then return "[]" end
    local parts = {}
    if x[1] ~= nil or type(next(x)) == "number" then
      for i = 1, #x do parts[i] = enc(x[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = ord
    if not keys then
      keys = {}
      for k in pairs(x) do if type(k) == "string" then keys[#keys + 1] = k end end
      table.sort(keys, function(a, b)
        local ra, rb = rank[a], rank[b]
        if ra and rb then return ra < rb end
        if ra or rb then return ra ~= nil end
        return a < b
      end)
    end
    for i, k in ipairs(keys) do parts[i] = oracle.quote_lua(k) .. ":" .. enc(x[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return enc(v, order)
end

-- Strings that cross the scanner's 16- and 32-byte blocks with an escape at
-- each place, and bytes of every kind.
local function edge_strings()
  local list = { "", "a", "한", "\u{2028}", "\255\254", "/\\\"", string.rep("가", 40) }
  for len = 1, 70 do
    local base = string.rep("x", len)
    list[#list + 1] = base
    for _, e in ipairs({ '"', "\\", "\n", "\0", "\31", "\127" }) do
      for _, at in ipairs({ 1, len // 2 + 1, len, 15, 16, 17, 31, 32, 33 }) do
        if at <= len then list[#list + 1] = base:sub(1, at - 1) .. e .. base:sub(at + 1) end
      end
    end
  end
  local bytes = {}
  for c = 0, 255 do bytes[#bytes + 1] = string.char(c) end
  list[#list + 1] = table.concat(bytes)
  list[#list + 1] = table.concat(bytes):rep(3):sub(7)
  return list
end

t.test("quote and encode escape every string as the Lua reference does", function()
  for _, s in ipairs(edge_strings()) do
    local want = oracle.quote_lua(s)
    t.eq(json.quote(s), want, "quote " .. #s)
    t.eq(json.encode(s), want, "encode " .. #s)
    t.eq(json.encode({ s }), "[" .. want .. "]")
    t.eq(cjson.decode(json.quote(s)), s, "round trip")
  end
end)

-- A random value of records' kind: objects of a few keys (some ranked), lists,
-- strings with Hangul, quotes and control characters, numbers, booleans.
local function random_value(rnd, depth)
  local pick = rnd(depth > 3 and 5 or 8)
  if pick == 1 then return rnd(1000) - 500 end
  if pick == 2 then return (rnd(100000) - 50000) / 64 end
  if pick == 3 then return rnd(2) == 1 end
  if pick <= 5 then
    local parts = {}
    for i = 1, rnd(12) - 1 do
      local p = rnd(10)
      parts[i] = p <= 5 and "기사" or p <= 7 and "text " or p == 8 and '"' or p == 9 and "\n" or string.char(rnd(32) - 1)
    end
    return table.concat(parts)
  end
  if pick == 6 then
    local list = {}
    for i = 1, rnd(6) - 1 do list[i] = random_value(rnd, depth + 1) end
    return list
  end
  local names = { "type", "line", "text", "name", "q", "a", "zeta", "alpha", "marker", "qa", "k" .. rnd(40) }
  local obj = {}
  for _ = 1, rnd(7) do obj[names[rnd(#names)]] = random_value(rnd, depth + 1) end
  return obj
end

t.test("encode and pretty of random values equal the Lua references", function()
  local seed = 12345
  local function rnd(n)   -- a small LCG: the same values on every run
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
  for i = 1, 400 do
    local v = random_value(rnd, 0)
    t.eq(json.encode(v), encode_lua(v), "encode " .. i)
    t.eq(json.pretty(v), oracle.pretty_lua(v), "pretty " .. i)
    t.eq(json.pretty(v, nil, "    ", "\t"), oracle.pretty_lua(v, nil, "    ", "\t"), "pretty indent " .. i)
    if type(v) == "table" and next(v) and v[1] == nil then
      local order = { "zeta", "type", "missing" }
      t.eq(json.encode(v, order), encode_lua(v, order), "encode order " .. i)
      t.eq(json.pretty(v, order, "  "), oracle.pretty_lua(v, order, "  "), "pretty order " .. i)
    end
  end
end)

t.test("long strings written again in one value (a paragraph in blocks, body and qa) are the same text", function()
  -- the writer copies a long string's JSON text from where it wrote it first
  local p1 = string.rep("기사 \"인용\"\n", 12)
  local p2 = string.rep("b", 79) .. "\t"          -- 80 bytes, the shortest copied
  local p3 = string.rep("c", 79) .. "\t"          -- the same length, another string
  local rec = { blocks = { { type = "para", text = p1 }, { type = "para", text = p2 }, { type = "quote", text = p3 } },
    body = { p1, p2, p3, p1 }, qa = { { q = p2, a = p1 } }, text = p3 }
  t.eq(json.encode(rec), encode_lua(rec))
  t.eq(json.pretty(rec), oracle.pretty_lua(rec))
  local order = { "body", "blocks", "qa", "text" }
  t.eq(json.encode(rec, order), encode_lua(rec, order))
  -- and in the next call, nothing of the last one is copied
  local rec2 = { body = { p3, p2, p1 } }
  t.eq(json.encode(rec2), encode_lua(rec2))
  t.eq(json.encode({ x = p1 .. "x", y = p1 }), encode_lua({ x = p1 .. "x", y = p1 }))
end)

t.test("objects: many keys, ranked and not, in one order", function()
  local big, keys = { text = "t", type = "p", speaker = "s" }, {}
  for i = 1, 100 do big["k" .. i] = i; keys[#keys + 1] = "k" .. i end
  big[1.5] = "a float key is not written"
  big[true] = "nor a boolean key"
  table.sort(keys)
  local want = { '"type":"p"', '"text":"t"', '"speaker":"s"' }
  for _, k in ipairs(keys) do want[#want + 1] = string.format('"%s":%d', k, big[k]) end
  t.eq(json.encode(big), "{" .. table.concat(want, ",") .. "}")
  t.eq(json.pretty(big), oracle.pretty_lua(big))
end)

t.test("pretty: the one-line limit of 72 bytes, empty objects, order on arrays", function()
  local s70 = string.rep("x", 68)          -- ["xx…"] is 72 bytes
  t.eq(json.pretty({ s70 }), '["' .. s70 .. '"]')
  t.eq(json.pretty({ s70 .. "y" }), '[\n  "' .. s70 .. 'y"\n]')
  t.eq(json.pretty({ a = 1, b = { 2 } }), '{\n  "a": 1,\n  "b": [2]\n}')
  t.eq(json.pretty({ [true] = { 1 } }), "{\n  \n}", "no string key, a table value")
  t.eq(json.pretty({ [true] = 1 }), "{}")
  t.eq(json.pretty({ 1, 2 }, { "x" }), "[\n  1,\n  2\n]", "an order keeps a top-level array on lines")
  t.eq(json.pretty({ x = 1 }, { "x", "y" }, ">", "--"), '{\n>--"x": 1,\n>--"y": null\n>}')
  t.eq(json.pretty("s", { "x" }), '"s"')
  t.eq(json.pretty({}), "[]")
  for _, v in ipairs({ { s70 }, { a = 1, b = { 2 } }, { [true] = { 1 } }, { 1, 2 } }) do
    t.eq(json.pretty(v), oracle.pretty_lua(v))
  end
  for len = 40, 80 do   -- around the limit, the long string first, last, or escaped
    local x = string.rep("x", len)
    for _, v in ipairs({ { "ab", x }, { x, 1 }, { k = 1, z = x }, { a = x, b = true }, { x:sub(4) .. '"\\\n' },
                         { { 1, x } }, { t = { q = x, a = 2 } } }) do
      t.eq(json.pretty(v), oracle.pretty_lua(v), "length " .. len)
    end
  end
end)

t.slow("pretty: indentation deeper or longer than the prepared line start", function()
  local v = { "x", { a = 1 } }
  for _ = 1, 16 do v = { v, { k = v[1] } } end
  for _, ind in ipairs({ "", "  ", string.rep(" ", 127), string.rep(" ", 200) }) do
    for _, step in ipairs({ "", " ", "\t", string.rep("-", 10), string.rep("=", 130) }) do
      t.eq(json.pretty(v, nil, ind, step), oracle.pretty_lua(v, nil, ind, step), #ind .. "/" .. #step)
    end
  end
end)

t.test("pretty of real records equals the Lua reference", function()
  local gisa = require "gisa"
  local record = require "gisa.engine.record"
  local dirs = { t.root .. "/corpus" }
  local f = io.open(t.shared .. "/corpus/gold.jsonl")
  if f then f:close(); dirs[#dirs + 1] = t.shared .. "/corpus" end
  local n = 0
  for a in gisa.articles(dirs, { quiet = true }) do
    n = n + 1
    t.eq(json.pretty(a, record.fields, "  "), oracle.pretty_lua(a, record.fields, "  "), a.file)
    t.eq(json.encode(a, record.fields), encode_lua(a, record.fields), a.file)
  end
  t.ok(n >= 5, "records read: " .. n)
end)

t.test("deep nesting is written up to a limit; a cycle raises", function()
  local v, o = "x", "x"
  for _ = 1, 100 do v = { v } end
  for _ = 1, 200 do o = { a = o } end
  t.eq(json.encode(v), string.rep("[", 100) .. '"x"' .. string.rep("]", 100))
  t.eq(json.encode(o), string.rep('{"a":', 200) .. '"x"' .. string.rep("}", 200))
  t.eq(json.pretty(v), oracle.pretty_lua(v))
  t.eq(json.pretty(o), oracle.pretty_lua(o))
  t.checkerr("nested too deep", json.encode, { v })
  t.checkerr("nested too deep", json.pretty, { a = o })
  local cycle = { a = {} }
  cycle.a.b = cycle
  t.checkerr("nested too deep", json.pretty, cycle)
end)

------------------------------------------------------------------------------
-- json.write: straight to an io file, or through any :write
------------------------------------------------------------------------------

t.test("json.write and write_pretty to a file equal out:write of the text", function()
  local v = { text = "본문 \"q\"", type = "para", line = 3, list = { 1, "a" } }
  local path = t.tmpdir() .. "/w.json"
  local f = assert(io.open(path, "wb"))
  f:write("<")
  t.eq(json.write(f, v, nil, "\n"), f, "returns the file, as file:write does")
  json.write(f, v, { "type", "none" })
  t.eq(json.write_pretty(f, v, nil, "  ", "  ", ",\n  "), f)
  json.write_pretty(f, v)
  f:write(">")
  f:close()
  t.eq(t.read(path), "<" .. json.encode(v) .. "\n" .. json.encode(v, { "type", "none" })
    .. ",\n  " .. json.pretty(v, nil, "  ", "  ") .. json.pretty(v) .. ">")
  t.checkerr("closed file", json.write, f, v)
  t.checkerr("cannot encode a function", json.write, io.stdout, { f = print })
end)

t.test("json.write to anything with :write gets one string", function()
  local got = {}
  local out = { write = function(self, ...) got[#got + 1] = { self = self, n = select("#", ...), s = ... }; return "r" end }
  t.eq(json.write(out, { 1, 2 }, nil, "\n"), "r", "returns what :write returns")
  t.eq(got[1].self, out)
  t.eq(got[1].n, 1)
  t.eq(got[1].s, "[1,2]\n")
  json.write_pretty(out, { a = 1 }, nil, nil, nil, "H")
  t.eq(got[2].s, 'H{"a": 1}')
  local w = require("gisa.output.writer").buffer()
  json.write(w, "x", nil, "\n")
  t.eq(w:tostring(), '"x"\n')
end)

t.test("json.write reports a failed write as file:write does", function()
  local f = io.open("/dev/full", "w")
  if not f then t.skip("no /dev/full") end
  f:setvbuf("no")
  local ok, msg = json.write(f, { string.rep("x", 100) }, nil, "\n")
  t.eq(ok, nil)
  t.match(msg, "[Nn]o space")
  f:close()
end)

t.test("a long record goes past the file's buffer, in order with what the buffer holds; jsonw.put likewise", function()
  local jsonw = require "gisa.jsonw"
  local long = { text = string.rep("가나다 \"라\"\n", 2000) }       -- 30 KB of JSON
  local path = t.tmpdir() .. "/direct.json"
  local f = assert(io.open(path, "wb"))
  f:setvbuf("full", 64 * 1024)
  f:write("<")
  json.write(f, long, nil, "\n")
  json.write(f, { 1 }, nil, "\n")                                 -- short: through the buffer
  t.eq(jsonw.put(f, "|"), f, "returns the file")
  jsonw.put(f, string.rep("x", 20000))
  f:write(">")
  json.write(f, long)
  f:close()
  t.eq(t.read(path), "<" .. json.encode(long) .. "\n[1]\n|" .. string.rep("x", 20000) .. ">" .. json.encode(long))
  t.checkerr("closed file", jsonw.put, f, "x")
  local w = require("gisa.output.writer").buffer()
  t.eq(jsonw.put(w, "abc"), w, "anything with :write gets the string, and its result is returned")
  t.eq(w:tostring(), "abc")
  local full = io.open("/dev/full", "w")
  if full then
    local ok, msg = jsonw.put(full, string.rep("y", 10000))
    t.eq(ok, nil)
    t.match(msg, "[Nn]o space")
    ok, msg = json.write(full, { string.rep("z", 10000) })
    t.eq(ok, nil)
    t.match(msg, "[Nn]o space")
    full:close()
  end
end)

t.test("jsonw.buffer: long records go through a buffer of the file's own, in order, one write(2) for many", function()
  local jsonw = require "gisa.jsonw"
  local long = { text = string.rep("가나다 \"라\"\n", 2000) }       -- 30 KB of JSON
  local path = t.tmpdir() .. "/buffered.json"
  local f = assert(io.open(path, "wb"))
  t.eq(jsonw.buffer(f, 256 * 1024), f, "returns the file")
  f:write("<")
  json.write(f, long, nil, "\n")
  jsonw.put(f, string.rep("x", 20000))
  json.write(f, { 1 }, nil, "\n")
  -- 50 KB written, none of it on disk yet: the long texts went into the buffer
  -- (without it, each went to the descriptor at once)
  t.eq(t.read(path), "", "nothing written before the buffer fills")
  for _ = 1, 10 do json.write(f, long, nil, "\n") end       -- past 256 KB: written out
  t.ok(#t.read(path) > 0, "a full buffer is written")
  f:write(">")
  f:close()
  t.eq(t.read(path), "<" .. json.encode(long) .. "\n" .. string.rep("x", 20000) .. "[1]\n" ..
    string.rep(json.encode(long) .. "\n", 10) .. ">")
  t.checkerr("size out of range", jsonw.buffer, assert(io.open(path, "rb")), 100)
  t.checkerr("closed file", jsonw.buffer, f, 256 * 1024)
end)

t.test("a key order makes an empty table an object of nulls, not [] (found by fuzz_jsonw)", function()
  t.eq(json.encode({}, { "a", "b" }), '{"a":null,"b":null}')
  t.eq(json.pretty({}, { "a" }), '{\n  "a": null\n}')
  t.eq(json.pretty({}, { "a" }), oracle.pretty_lua({}, { "a" }))
  t.eq(json.encode({}), "[]")
  -- the command line: a field the article lacks is null, not an empty array
  local r = t.gisa({ "extract", "--fields", "series", t.root .. "/corpus/010_hankyung_semiconductor.txt" })
  t.eq(r.out, '{"series":null}\n')
end)

t.test("jsonw.as_is: a row is written as it is only when its copy would read the same", function()
  local as_is = require("gisa.jsonw").as_is
  local keys = { "word", "n", "files" }
  t.eq(as_is({ word = "가", n = 1, files = { "a", "b" } }, keys, {}), true)
  t.eq(as_is({ word = "가" }, keys, {}), true, "a missing column is null either way")
  t.eq(as_is({ "가", 1 }, keys, {}), false, "an array row: its cells are at their index")
  t.eq(as_is({ word = "가", [2] = 1 }, keys, {}), false, "a column's value at its index, not its key")
  t.eq(as_is({ word = "\xff" }, keys, {}), false, "a string that is not UTF-8")
  t.eq(as_is({ files = { "a", "\xc3" } }, keys, {}), false, "a list with a string that is not UTF-8")
  t.eq(as_is({ files = { 1, "a" } }, keys, {}), true)
  local r = setmetatable({}, { __index = function(_, k) if k == "word" then return "\xfe" end end })
  t.eq(as_is(r, keys, {}), false, "read as Lua reads it, through __index")
  -- LAST: the string last found valid per column, checked once
  local last = {}
  t.eq(as_is({ word = "가" }, keys, last), true)
  t.eq(last[1], "가")
  t.eq(as_is({ word = "가", n = 2 }, keys, last), true)
  t.checkerr("table expected", as_is, "x", keys, {})
  -- the rows of an analysis written as jsonl: a row that needs its copy and one that does not
  local A = require "gisa.analysis"
  t.eq(A.render({ { word = "가", n = 1 }, { "\xff", 2 } }, { "word", "n" }, { format = "jsonl" }),
    '{"word":"가","n":1}\n' .. json.encode({ word = A.display("\xff"), n = 2 }, { "word", "n" }) .. "\n")
end)
