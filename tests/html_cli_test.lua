-- Bad web pages through the real binary (the html reader, branch htmlx, over
-- gisa.html): each gives a clear message naming the file, the other files of
-- the run are still read, and nothing crashes.
local t = require "t"

local function need_reader()
  local f = io.open(t.root .. "/lua/gisa/readers/html.lua")
  if not f then t.skip("the html reader (branch htmlx) is not in this tree") end
  f:close()
end

local GOOD = '<html><head><title>멀쩡한 페이지</title></head><body><h1>멀쩡한 페이지 제목</h1>'
  .. '<p>첫 문단은 여기에 있다. 가상시는 1일 밝혔다.</p><p>둘째 문단도 있다.</p></body></html>'

local function dir_with(files)
  local d = t.tmpdir() .. "/html_cli"
  os.execute("rm -rf " .. t.shquote(d) .. " && mkdir -p " .. t.shquote(d))
  for name, body in pairs(files) do t.write(d .. "/" .. name, body) end
  return d
end

t.test("bad pages: a message naming each file, the good page still read", function()
  need_reader()
  local bin = {}
  for i = 0, 255 do bin[#bin + 1] = string.char(i) end
  local d = dir_with({
    ["a_nested.html"] = "<html><body>" .. ("<div>"):rep(100000) .. "깊은 글" .. ("</div>"):rep(100000)
      .. "<p>뒤 문단입니다.</p></body></html>",
    ["b_binary.html"] = table.concat(bin):rep(50),
    ["c_empty.html"] = "",
    ["d_good.html"] = GOOD,
    ["e_truncated.html"] = GOOD:sub(1, 150),
    ["f_base64.html"] = '<html><body><h1>사진 기사 제목</h1><img src="data:image/png;base64,'
      .. ("QUJD"):rep(1048576) .. '"><p>본문 문단입니다. 가상시는 밝혔다.</p></body></html>',
  })
  local r = t.gisa({ "extract", d })
  t.eq(r.code, 1, "some input failed")
  -- one page, one article: the message names the file, no record number (readers/html.lua: single)
  t.contains(r.err, d .. "/a_nested.html: 99802 elements nested deeper than 200 levels flattened into their ancestor")
  t.match(r.err, "b_binary%.html[^\n]*binary data: 50 NUL and %d+ other control bytes in 12800 bytes")
  t.match(r.err, "c_empty%.html[^\n]*empty")
  local titles = {}
  local json = require "gisa.output.json"
  for l in r.out:gmatch("[^\n]+") do
    local rec = json.decode(l)
    titles[rec.file:match("[^/]*$")] = rec.title
  end
  t.eq(titles["d_good.html"], "멀쩡한 페이지 제목")
  t.eq(titles["e_truncated.html"], "멀쩡한 페이지 제목")
  t.eq(titles["f_base64.html"], "사진 기사 제목")
  t.ok(titles["a_nested.html"] ~= nil, "the nested page is still an article")
end)
