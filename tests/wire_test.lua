-- gisa.wire: values round-trip exactly (types, integer vs float, NaN, -0.0,
-- nesting, binary strings, records), errors name the key path of a function
-- or cycle, and damaged data gives nil, message, position at every cut.
local t = require "t"
local wire = require "gisa.wire"

local function rt(v) return (wire.decode(wire.encode(v))) end

t.test("scalars round-trip with their types", function()
  for _, v in ipairs{ 0, 1, -1, 63, 64, -64, -65, 127, 128, 300, math.maxinteger, math.mininteger,
    2^53, 0.5, -1.25, 1e308, -1e-308, math.huge, -math.huge, "", "a", "한글", ("\0\255x"):rep(100) } do
    local got = rt(v)
    t.eq(math.type(got), math.type(v), "type of " .. tostring(v))
    t.eq(got, v)
  end
  t.eq(rt(true), true); t.eq(rt(false), false); t.eq(rt(nil), nil)
  local nan = rt(0/0); t.ok(nan ~= nan, "NaN stays NaN")
  t.eq(1 / rt(-0.0), -math.huge, "-0.0 keeps its sign")
  t.eq(math.type(rt(3.0)), "float", "3.0 stays a float")
end)

t.test("tables: arrays, maps, holes, nesting, non-string keys", function()
  local v = { 1, "two", { 3, { 4 } }, x = { y = { z = "deep" } }, [10] = "hole", [2.5] = "float key",
    [true] = "bool key", [-1] = "neg" }
  t.ok(t.deepeq(rt(v), v), "mixed table")
  local rec = { file = "a.txt", title = "제목", authors = { { name = "홍길동", role = "기자" } },
    body = { "첫 문단.", "둘째 문단." }, removed = {}, published = "2024-08-01T09:00:00+09:00" }
  t.ok(t.deepeq(rt(rec), rec), "a record")
  local big = {}
  for i = 1, 10000 do big[i] = i * 3 end
  t.ok(t.deepeq(rt(big), big), "10,000 items")
  local shared = { 1 }
  local two = rt({ a = shared, b = shared })
  t.ok(t.deepeq(two, { a = { 1 }, b = { 1 } }), "a table referenced twice is written twice")
end)

t.test("decode returns the position after the value (framing)", function()
  local s = wire.encode("ab") .. wire.encode(7)
  local v, pos = wire.decode(s)
  t.eq(v, "ab"); t.eq(pos, 5)
  local w, pos2 = wire.decode(s, pos)
  t.eq(w, 7); t.eq(pos2, #s + 1)
end)

t.test("a function, userdata or cycle is an error naming the key", function()
  t.checkerr("wire.encode: a function at key 'each' cannot cross processes", wire.encode, { each = print })
  t.checkerr("a function at key 'state'.counts[2] cannot cross processes", wire.encode,
    { state = { counts = { 1, print } } })
  t.checkerr("a userdata at key 'out' cannot cross processes", wire.encode, { out = io.stdout })
  local c = {}; c.self = c
  t.checkerr("a table cycle at key 'self' cannot cross processes", wire.encode, c)
  t.checkerr("a function at the top level cannot cross processes", wire.encode, print)
  local deep = {}
  local cur = deep
  for _ = 1, 300 do cur.x = {}; cur = cur.x end
  t.checkerr("nested too deep", wire.encode, deep)
end)

t.test("misuse raises, damaged data returns nil, message, position", function()
  t.checkerr("position out of bounds", wire.decode, "x", 9)
  local s = wire.encode({ title = "제목", body = { "a", "b" }, n = 12345, f = 0.5 })
  -- every cut of a valid encoding is damage, reported, never a crash
  for i = 0, #s - 1 do
    local v, msg, pos = wire.decode(s:sub(1, i))
    t.eq(v, nil, "cut at " .. i)
    t.match(msg, "^truncated", "cut at " .. i)
    t.ok(math.type(pos) == "integer" and pos >= 1 and pos <= i + 1, "position at cut " .. i)
  end
  local v, msg, pos = wire.decode("\9")
  t.eq(v, nil); t.eq(msg, "unknown value tag"); t.eq(pos, 1)
  v, msg = wire.decode("\6\0\1\0\1")        -- a nil key
  t.eq(v, nil); t.eq(msg, "invalid table key")
  v, msg = wire.decode("\6\255\255\255\255\15\0")  -- a huge count on a short input
  t.eq(v, nil); t.eq(msg, "truncated table")
  -- random bytes: nil or a value, never an error
  math.randomseed(7)
  for _ = 1, 2000 do
    local n = math.random(0, 40)
    local b = {}
    for k = 1, n do b[k] = string.char(math.random(0, 255)) end
    local ok = pcall(wire.decode, table.concat(b))
    t.ok(ok, "random input decodes or fails cleanly")
  end
end)

t.test("a long string that recurs in a value is written once, then referred to", function()
  local text = "반도체 수출이 석 달 연속 늘었다는 발표가 나왔다."
  local rec = { body = { text, "짧다" }, blocks = { { type = "para", text = text }, { type = "para", text = "짧다" } } }
  local s = wire.encode(rec)
  local copy = (text .. "x"):sub(1, -2)     -- the same text, another string
  local apart = wire.encode({ body = { text, "짧다" }, blocks = { { type = "para", text = copy }, { type = "para", text = "짧다" } } })
  t.eq(#s, #apart - #text, "the text once, then a reference of 2 bytes (its tag and number)")
  local v = wire.decode(s)
  t.eq(v, rec)
  t.ok(v.body[1] == v.blocks[1].text)
  -- the numbering starts again in every value, and after an error half-way
  t.eq(wire.decode(wire.encode({ text, text })), { text, text })
  t.checkerr("cannot cross processes", wire.encode, { text, text, print })
  t.eq(wire.decode(wire.encode({ text, { text } })), { text, { text } })
  -- many strings: the table of those written grows, and is dropped when large
  local many = {}
  for i = 1, 20000 do many[i] = string.rep("x", 16) .. i end
  for i = 1, 20000 do many[#many + 1] = many[i] end
  local m = wire.decode(wire.encode(many))
  t.eq(#m, 40000); t.eq(m[40000], many[20000])
  -- the count of a table's other keys is written after them: one byte up to
  -- 127, more bytes (what follows moved along) from 128, in nested tables too
  for _, nk in ipairs{ 127, 128, 300, 20000 } do
    local v = { "a", "b" }
    for i = 1, nk do v["k" .. i] = i % 3 == 0 and { i, s = "v" .. i } or i end
    local s = wire.encode({ v, v, n = nk })
    local d = wire.decode(s)
    t.eq(d, { v, v, n = nk }, nk .. " keys")
  end
  t.eq(wire.encode({ a = 1 }), "\6\0\1\5\1a\3\2", "one key: the same bytes as ever")
  -- a reference past the strings read is damage
  local v2, msg, pos = wire.decode("\6\1\0\7\0")
  t.eq(v2, nil); t.eq(msg, "reference to a string not read"); t.eq(pos, 4)
end)
