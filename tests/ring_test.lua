-- The text ring of a gisa.proc channel (src/proc.c): under -j a worker writes
-- each record's text into memory shared with the parent and sends only its
-- length; a text that does not fit crosses as a string. Texts come out whole
-- and in order (across the ring's end too), after the worker has died, and
-- an article whose JSON line is larger than the ring extracts as with -j 1.
local t = require "t"
local proc = require "gisa.proc"
local wire = require "gisa.wire"
local jsonw = require "gisa.jsonw"

-- The parent's side: each value a worker sent for a text, as the text.
local function texts(ch, list)
  local out = {}
  for i, v in ipairs(list) do
    if math.type(v) == "integer" then out[i] = ch:text(v):string() else out[i] = v end
  end
  return out
end

local function big(i, n) return string.format("%05d", i) .. string.rep(string.char(97 + i % 26), n - 5) end

t.test("ring: texts in order, a text too large or past the room left crosses as a string, round the ring's end", function()
  local size = proc.ring_size
  local ch, child = proc.fork()
  if child then
    local ok, err = pcall(function()
      local out = {}
      ch:write("alpha\n"); out[#out + 1] = ch:take()
      -- gisa.jsonw writes into the channel as into a file
      jsonw.write(ch, { a = 1, b = "둘" }, { "a", "b" }, {}, nil, "\n"); out[#out + 1] = ch:take()
      ch:write("x", 1, "y"); out[#out + 1] = ch:take()
      out[#out + 1] = ch:take()                               -- an empty text
      ch:write(big(0, size + 10)); out[#out + 1] = ch:take()   -- never fits
      ch:write("half a text, then an error"); ch:discard()     -- forgotten
      -- 1.5 rings' worth the parent has not read yet: the last ones do not fit
      local each = 20000
      for i = 1, (size * 3 // 2) // each do
        ch:write(big(i, each // 2)); ch:write(big(i, each - each // 2)); out[#out + 1] = ch:take()
      end
      ch:send(wire.encode(out))
      -- the parent has read them all: the next round goes on round the ring's end
      assert(ch:recv(true))
      out = {}
      for i = 1, size // each - 1 do ch:write(big(i, each)); out[#out + 1] = ch:take() end
      ch:send(wire.encode(out))
    end)
    if not ok then ch:send(wire.encode({ err = tostring(err) })) end
    proc.exit(0)
  end
  local list = wire.decode(assert(ch:recv(true)))
  t.eq(list.err, nil)
  local got = texts(ch, list)
  t.eq(got[1], "alpha\n")
  t.eq(got[2], '{"a":1,"b":"둘"}\n')
  t.eq(got[3], "x1y")
  t.eq(got[4], "")
  t.eq(math.type(list[5]), nil, "a text larger than the ring crosses as a string")
  t.eq(got[5], big(0, size + 10))
  local strings = 0
  for i = 6, #got do
    t.eq(got[i], big(i - 5, 10000) .. big(i - 5, 10000), "text " .. i)
    if type(list[i]) == "string" then strings = strings + 1 end
  end
  t.ok(strings > 0 and strings < #got - 5, "the texts past the room left cross as strings: " .. strings)
  ch:send(wire.encode(true))
  list = wire.decode(assert(ch:recv(true)))
  local ints = 0
  -- written to a file from the ring (gisa.jsonw.put), in two parts where a text wraps
  local path = t.tmpdir() .. "/ring.txt"
  local fh = assert(io.open(path, "wb"))
  for _, v in ipairs(list) do
    if math.type(v) == "integer" then ints = ints + 1; jsonw.put(fh, ch:text(v)) else jsonw.put(fh, v) end
  end
  fh:close()
  t.eq(ints, #list, "all fit once the parent has read the first round")
  local want = {}
  for i = 1, #list do want[i] = big(i, 20000) end
  t.eq(t.read(path), table.concat(want))
  t.eq(ch:close(), "exit")
end)

t.test("ring: the texts a worker sent before it died are still read", function()
  local ch, child = proc.fork()
  if child then
    local out = {}
    for i = 1, 5 do ch:write(big(i, 3000)); out[#out + 1] = ch:take() end
    ch:write("never taken")
    ch:send(wire.encode(out))
    os.execute("kill -KILL " .. require("gisa.sys").getpid())
    proc.exit(0)
  end
  local list = wire.decode(assert(ch:recv(true)))
  local none, why = ch:recv(true)
  t.eq(none, nil)
  t.eq(why, "closed")
  local how, sig = ch:close(true)
  t.eq(how, "signal")
  t.eq(sig, 9)
  local got = texts(ch, list)
  for i = 1, 5 do t.eq(got[i], big(i, 3000)) end
  t.checkerr("out of range", ch.text, ch, -1)
end)

t.test("-j 2: an article whose JSON line is larger than the ring extracts as with -j 1", function()
  local d = t.tmpdir() .. "/ringbig"
  os.execute("mkdir -p " .. d .. " && cp corpus/*.txt " .. d .. "/")
  -- paragraphs of plain sentences, more than the ring holds once written twice (blocks, body)
  local para = string.rep("가나다라마바사 아자차카타파하 거너더러머버서. ", 6)
  local lines = { "큰 기사의 제목", "" }
  local n = proc.ring_size // (2 * #para) + 100
  for i = 1, n do lines[#lines + 1] = i .. "번째 문단. " .. para; lines[#lines + 1] = "" end
  t.write(d .. "/05_big.txt", table.concat(lines, "\n"))
  local one = t.gisa{ "extract", "-q", "-j", "1", d }
  local two = t.gisa{ "extract", "-q", "-j", "2", d }
  t.eq(one.code, 0)
  local longest = 0
  for line in one.out:gmatch("[^\n]+") do longest = math.max(longest, #line) end
  t.ok(longest > proc.ring_size, "the record is larger than the ring: " .. longest)
  t.eq(two.out == one.out, true, "the same output")
  t.eq(two.code, one.code)
  t.eq(two.err, one.err)
end)
