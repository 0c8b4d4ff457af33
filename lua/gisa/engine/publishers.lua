-- gisa.publishers: the publisher directory (rules/publishers.lua on the search
-- path, a user's file merged over the shipped one) and lookups in it: an
-- outlet from its name or an alias ("MTN" -> 머니투데이방송), a web or e-mail
-- domain ("news.kbs.co.kr", "hong@yna.co.kr", a URL), a dateline or a tag
-- ("(서울=연합뉴스)", "[서울경제]") and a copyright line ("ⓒ 마이데일리").
-- The extraction's `publisher` post pass and the HTML rules (og:site_name)
-- use it. docs/rules.md, "The publisher directory".

local find, sub, lower, gsub = string.find, string.sub, string.lower, string.gsub

local M = {}

-- A key for names: Latin letters lower-cased, blanks removed ("SBS Biz" = "sbsbiz").
local function key(s)
  return (gsub(lower(s), "[%s\194\160]", ""))
end

local LISTS = { "aliases", "web", "email", "tags", "copyright" }

--- A directory from a list of files' tables ({outlets = {…}}), the shipped one
--- first: later files add to an outlet of the same name or add outlets.
function M.build(tables)
  local dir = { outlets = {}, by_key = {}, by_domain = {} }
  local at = {}
  for _, t in ipairs(tables) do
    if type(t) ~= "table" or type(t.outlets) ~= "table" then
      error("a publisher directory must return { outlets = { … } }", 2)
    end
    for i, o in ipairs(t.outlets) do
      if type(o) ~= "table" or type(o.name) ~= "string" or o.name == "" then
        error("publisher directory: outlet " .. i .. " needs a name (a string)", 2)
      end
      local e = at[o.name]
      if not e then
        e = { name = o.name }
        for _, k in ipairs(LISTS) do e[k] = {} end
        at[o.name] = e
        dir.outlets[#dir.outlets + 1] = e
      end
      if o.kind then e.kind = o.kind end
      if o.dateline ~= nil then e.dateline = o.dateline end
      for _, k in ipairs(LISTS) do
        for _, v in ipairs(o[k] or {}) do e[k][#e[k] + 1] = v end
      end
    end
  end
  for _, e in ipairs(dir.outlets) do
    dir.by_key[key(e.name)] = e
    dir.by_key[e.name] = dir.by_key[e.name] or e
    for _, k in ipairs({ "aliases", "tags", "copyright" }) do
      for _, v in ipairs(e[k]) do
        local kk = key(v)
        if not dir.by_key[kk] then dir.by_key[kk] = e end
        if not dir.by_key[v] then dir.by_key[v] = e end
      end
    end
    for _, k in ipairs({ "web", "email" }) do
      for _, d in ipairs(e[k]) do dir.by_domain[lower(d)] = e end
    end
  end
  return dir
end

-- The search path the directory is read from: the engine passes it down when
-- it loads the rule files (load.lua); nil reads only the shipped directory.
local current = nil

--- Read the directory from PATHS (a gisa.paths object) from now on.
function M.use(paths) current = paths end

local cache = { paths = false }

--- The directory for the current search path (loaded once, then cached).
function M.directory()
  local paths = current
  if cache.paths == paths and cache.dir then return cache.dir end
  local files = {}
  if paths then
    local _, found = paths:find("rules", "publishers")
    for i = #found, 1, -1 do files[#files + 1] = found[i].path end
  else
    files[1] = package.searchpath("gisa.rules.publishers", package.path)
  end
  local tables = {}
  for _, f in ipairs(files) do
    local chunk, err = loadfile(f, "t")
    if not chunk then error(err, 0) end
    local ok, v = pcall(chunk)
    if not ok then error(tostring(v), 0) end
    tables[#tables + 1] = v
  end
  local ok, dir = pcall(M.build, tables)
  if not ok then error((files[#files] or "publishers") .. ": " .. tostring(dir):gsub("^.-:%d+: ", ""), 0) end
  cache.paths, cache.dir = paths, dir
  return dir
end

--- Forget the loaded directory (tests).
function M.reset() cache.paths, cache.dir = false, nil end

-- The host of a domain, a URL or an e-mail address, lower-cased, or nil.
local function host_of(s)
  local h = s:match("@([%w%.%-]+)$") or s:match("^%a[%w+.-]*://([^/:?#]+)") or s:match("^([%w%-]+%.[%w%.%-]+)$")
  return h and lower(h)
end

--- The outlet of S: a name or alias ("MTN", "SBS Biz"), a domain, a URL or an
--- e-mail address. Returns the directory entry ({name=, kind=, aliases=, web=,
--- email=, dateline=, tags=, copyright=}) or nil.
---@param s string
---@param dir? table a directory from M.build (default: M.directory())
function M.lookup(s, dir)
  if type(s) ~= "string" then error("bad argument #1 to 'lookup' (string expected, got " .. type(s) .. ")", 2) end
  dir = dir or M.directory()
  local e = dir.by_key[s]
  if e then return e end
  s = s:match("^[%s\194\160]*(.-)[%s\194\160]*$")
  if s == "" then return nil end
  e = dir.by_key[key(s)]
  if e then return e end
  if not find(s, ".", 1, true) then return nil end
  local h = host_of(s)
  if not h then return nil end
  -- news.kbs.co.kr -> kbs.co.kr -> co.kr
  while h do
    e = dir.by_domain[h] or dir.by_domain[(h:gsub("^www%.", ""))]
    if e then return e end
    h = h:match("^[^.]+%.(.+%..+)$")
  end
  return nil
end

--- The outlet's name for S (as M.lookup), or nil.
function M.name(s, dir)
  local e = M.lookup(s, dir)
  return e and e.name
end

--- The outlet a dateline or tag names: the inside of "(서울=연합뉴스)",
--- "[서울경제]", "[마이데일리 = 도시(나라) 홍길동 기자]", "【서울=뉴시스】": the
--- first word, or the word after "=", that is an outlet of the directory.
-- Labels of a credit, not a place: "(사진=연합뉴스)" credits a photo.
local CREDIT = { ["사진"] = true, ["자료"] = true, ["그래픽"] = true, ["출처"] = true, ["제공"] = true,
  ["이미지"] = true, ["영상"] = true, ["사진제공"] = true, ["사진 제공"] = true, ["자료사진"] = true,
  ["일러스트"] = true, ["캡처"] = true, ["정리"] = true, ["글"] = true, ["편집"] = true }

function M.from_tag(inner, dir)
  dir = dir or M.directory()
  local label = inner:match("^[%s\194\160]*([^=]-)[%s\194\160]*=")
  if label and CREDIT[label] then return nil end
  for part in (inner .. "="):gmatch("(.-)=") do
    part = part:match("^[%s\194\160]*(.-)[%s\194\160]*$")
    local e = dir.by_key[key(part)]
    if e then return e end
    local w = part:match("^(%S+)")
    e = w and dir.by_key[key(w)]
    if e then return e end
  end
  return nil
end

--- The outlet a copyright line names ("ⓒ 마이데일리", "<저작권자 © 서울경제,
--- 무단전재 …>", "Copyright ⓒ 스포츠조선 All rights reserved"), or nil.
function M.from_copyright(line, dir)
  dir = dir or M.directory()
  local at = find(line, "ⓒ", 1, true) or find(line, "©", 1, true) or find(line, "[Cc]opyright")
    or find(line, "%([Cc]%)") or find(line, "저작권자", 1, true)
  if not at then return nil end
  local rest = sub(line, at)
  rest = rest:gsub("^ⓒ", ""):gsub("^©", ""):gsub("^[Cc]opyright", ""):gsub("^%([Cc]%)", ""):gsub("^저작권자", "")
  -- the owner: the words up to a comma, a period, a bracket or "무단"
  for _ = 1, 3 do
    rest = rest:gsub("^[%s\194\160]+", ""):gsub("^ⓒ", ""):gsub("^©", ""):gsub("^%([Cc]%)", "")
  end
  local owner = rest:match("^([^,.<>%[%]()|]+)")
  if not owner then return nil end
  owner = owner:gsub("무단.*$", ""):gsub("[Aa]ll [Rr]ights.*$", ""):gsub("%s+$", "")
  local e = owner ~= "" and dir.by_key[key(owner)]
  if e then return e end
  -- "한경닷컴 www.hankyung.com", "뉴스1코리아 무단…": the first word
  local w = owner:match("^(%S+)")
  return w and (dir.by_key[key(w)] or M.lookup(w, dir)) or nil
end

return M
