-- gisa.jsonr: the JSON decoder of the dump readers gives what gisa.json.decode
-- (lua-cjson, nulls removed) gives, on hand-made texts, on gisa's own records
-- and on random values; bad text is nil, message, position.
local t = require "t"
local json = require "gisa.output.json"
local jsonr = require "gisa.jsonr"

local decode = jsonr.decode

t.test("values: strings with every escape, numbers as floats, literals, nesting, spaces", function()
  local cases = {
    '"plain 기사"', '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"', '"\\u00e9\\uD83D\\uDE00\\u0000x"', '""',
    '0', '-0', '12', '-3.25', '1e3', '1E-2', '2.5e+10', '12345678901234567890',
    'true', 'false', '[]', '{}', '[1,[2,[3,{}]]]', ' \t\r\n{ "a" : [ 1 , "x" ] , "b":{"c":false} } \n',
    '{"a":1,"a":2}', '"raw\ttab"', '"' .. string.rep("가", 3000) .. '"',
    '"' .. string.rep("긴 문장이다.\\n", 500) .. '"',
  }
  for _, s in ipairs(cases) do
    t.eq(decode(s), json.decode(s), s:sub(1, 40))
  end
  t.eq(math.type(decode("12")), "float", "numbers are floats, as lua-cjson's")
  t.eq(decode('"\\uD83D\\uDE00"'), "😀")
  t.eq(decode('"\\u0000"'), "\0")
end)

t.test("null: no key in an object, a hole in an array, nil at the top (as gisa.json.decode)", function()
  t.eq(decode('{"a":null,"b":1}'), { b = 1 })
  local a = decode('[1,null,3]')
  t.eq(a[1], 1); t.eq(a[2], nil); t.eq(a[3], 3)
  local v, err = decode("null")
  t.eq(v, nil); t.eq(err, nil)
  t.eq(decode('{"a":null,"b":1}'), json.decode('{"a":null,"b":1}'))
end)

t.test("bad text: nil, a message naming the byte, the position", function()
  local function bad(s, msg, pos)
    local v, m, p = decode(s)
    t.eq(v, nil, s:sub(1, 20))
    t.eq(m, "invalid JSON at byte " .. pos .. ": " .. msg, s:sub(1, 20))
    t.eq(p, pos, s:sub(1, 20))
  end
  bad('{"title": broken', "expected a value", 11)
  bad('', "expected a value, found the end", 1)
  bad('   ', "expected a value, found the end", 4)
  bad('{"a":1} x', "text after the value", 9)
  bad('{"a" 1}', "expected ':' after a key", 6)
  bad('{a:1}', "expected a key (a string)", 2)
  bad('[1 2]', "expected ',' or ']'", 4)
  bad('{"a":1,}', "expected a key (a string)", 8)
  bad('"abc', "a string is not closed", 5)
  bad('"a\\', "a string is not closed", 3)
  bad('"a\\x"', "an unknown escape in a string", 3)
  bad('"\\u12g4"', "a \\u escape needs four hex digits", 2)
  bad('"\\uD800x"', "a \\u escape of a lone surrogate", 2)
  bad('"\\uDC00"', "a \\u escape of a lone surrogate", 2)
  bad('01', "text after the value", 2)
  bad('1.', "a digit must follow '.'", 3)
  bad('1e+', "a digit must follow the exponent", 4)
  bad('-', "expected a value", 1)
  bad('tru', "expected a value", 1)
  bad('NaN', "expected a value", 1)
  bad(string.rep("[", 1001) .. string.rep("]", 1001), "nested too deeply", 1001)
  t.ok(decode(string.rep("[", 1000) .. string.rep("]", 1000)), "1,000 levels are fine")
  t.checkerr("(string expected, got table)", decode, {})
end)

t.test("gisa's own records and random values read back as gisa.json.decode reads them", function()
  local r = t.gisa({ "extract", t.root .. "/corpus" })
  t.eq(r.code, 0, r.err)
  local n = 0
  for line in r.out:gmatch("[^\n]+") do
    n = n + 1
    t.eq(decode(line), json.decode(line), "record " .. n)
  end
  t.ok(n > 0)
  math.randomseed(7)
  local function rnd(depth)
    local k = math.random(depth > 3 and 4 or 6)
    if k == 1 then return math.random(-1e6, 1e6) / 8
    elseif k == 2 then
      local cs = {}
      for i = 1, math.random(0, 20) do
        local c = math.random(5)
        cs[i] = c == 1 and string.char(math.random(0, 127)) or c == 2 and "기" or c == 3 and "\"\\"
          or c == 4 and utf8.char(math.random(0x80, 0x10FFFF)) or "a"
      end
      return table.concat(cs)
    elseif k == 3 then return math.random(2) == 1
    elseif k == 4 then return "s"
    elseif k == 5 then
      local a = {}
      for i = 1, math.random(0, 5) do a[i] = rnd(depth + 1) end
      return a
    else
      local o = { k0 = 1 }
      for i = 1, math.random(0, 5) do o["k" .. i] = rnd(depth + 1) end
      return o
    end
  end
  for i = 1, 300 do
    local s = json.encode({ v = rnd(0) })
    t.eq(decode(s), json.decode(s), s)
  end
end)
