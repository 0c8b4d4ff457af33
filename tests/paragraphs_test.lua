-- gisa.paragraphs: paragraph recovery for newline-collapsed crawler bodies.
-- Unit cases for what is and is not a boundary, then the measure of the issue:
-- the body of every sample (corpus/) and shared article (../shared/corpus) is
-- collapsed the way crawlers do it, recovered, and compared with the original
-- paragraphing (boundary precision >= 0.98, recall >= 0.95).
local t = require "t"
local gisa = require "gisa"
local sys = require "gisa.sys"
local extract = require "gisa.engine"
local P = require "gisa.engine.paragraphs"

t.test("cuts: a sentence end glued to the next sentence, or 3+ blanks after one", function()
  t.eq(P.pieces("출시했다.이번 제품은 새롭다."), { "출시했다.", "이번 제품은 새롭다." })
  t.eq(P.pieces("밝혔다.”그는 웃었다."), { "밝혔다.”", "그는 웃었다." })
  t.eq(P.pieces("됐나?그렇다.   다음 문단이다."), { "됐나?", "그렇다.", "다음 문단이다." })
  t.eq(P.pieces("끝났다.\194\160\194\160\194\160다음이다."), { "끝났다.", "다음이다." }, "NBSP runs")
end)

t.test("cuts: not decimals, ellipses, domains, initials, list numbers, quotatives, two blanks", function()
  local none = {
    "금리는 0.27% 올랐다.",
    "그런데... 아니다.",
    "그런데...아니다.",
    "자세한 내용은 www.example.co.kr에서 본다.",
    "마크 J.헤이든 부사장이 왔다.",
    "1.첫째 2.둘째가 있다.",
    "그는 “잘 됐다.”고 말했다.",
    "그는 “잘 됐다.”며 웃었다.",
    "그는 “잘 됐다.”라고 말했다.",
    "두 칸이다.  그래도 한 문단이다.",
    "한 칸이다. 그래도 한 문단이다.",
    "끝이다.…그리고",
  }
  for _, s in ipairs(none) do t.eq(P.cuts(s), {}, s) end
end)

t.test("recover: only a line that holds most of its article, in pieces with the line's number", function()
  local body = string.rep("가나전자가 새 공장을 지었다.", 30)
  local ls = require("gisa.lines").split("제목\n\n" .. body .. "\n")
  local out = P.recover(ls, "제목\n\n" .. body .. "\n")
  t.eq(#out, 2 + 30)
  t.eq(out[3].n, 3); t.eq(out[3].text, "가나전자가 새 공장을 지었다."); t.eq(out[3].part, true)
  t.eq(out[3].cut, "paragraph-recovery"); t.eq(out[3].fc, "가"); t.eq(out[3].len, 16)
  -- the same paragraph in a line-structured article of many lines is not cut
  local text = string.rep("다른 문단이다. 이것도 문단이다 그리고 더 길게 이어진다.\n\n", 40) .. body .. "\n"
  local ls2 = require("gisa.lines").split(text)
  t.ok(P.recover(ls2, text) == ls2, "lines unchanged")
end)

-- The articles to collapse: corpus/*.txt and ../shared/corpus/*.txt.
local function articles()
  local out = {}
  for _, dir in ipairs({ t.root .. "/corpus", t.shared .. "/corpus" }) do
    local names = sys.listdir(dir) or {}
    table.sort(names)
    for _, n in ipairs(names) do
      if n:find("%.txt$") then out[#out + 1] = dir .. "/" .. n end
    end
  end
  return out
end

-- Separators crawlers leave between paragraphs: nothing, or a run of spaces.
local SEPS = { glued = { "" }, spaces = { "   ", "    ", "     ", "\t  " } }

-- Collapse BODY (a list of paragraphs) with the separators of MODE; return the
-- text and the set of byte positions where a paragraph starts (not the first).
local function collapse(body, mode)
  local seps, parts, starts, pos = SEPS[mode], {}, {}, 1
  for i, p in ipairs(body) do
    if i > 1 then
      local s = seps[(i - 2) % #seps + 1]
      parts[#parts + 1] = s
      pos = pos + #s
      starts[pos] = true
    end
    parts[#parts + 1] = p
    pos = pos + #p
  end
  return table.concat(parts), starts
end

local function measure(mode)
  local tp, fp, fn, n = 0, 0, 0, 0
  for _, path in ipairs(articles()) do
    local text, info = gisa.read(path)
    if text then
      n = n + 1
      local rec = extract.extract(text, { file = path, encoding = info.encoding })
      local s, starts = collapse(rec.body, mode)
      local got = {}
      for _, c in ipairs(P.cuts(s)) do got[c] = true end
      for c in pairs(got) do if starts[c] then tp = tp + 1 else fp = fp + 1 end end
      for c in pairs(starts) do if not got[c] then fn = fn + 1 end end
    end
  end
  return tp / math.max(1, tp + fp), tp / math.max(1, tp + fn), n, tp + fn
end

t.test("recovery on collapsed bodies: boundary precision >= 0.98, recall >= 0.95", function()
  local shared = sys.listdir(t.shared .. "/corpus")
  for _, mode in ipairs({ "glued", "spaces" }) do
    local p, r, n, b = measure(mode)
    io.stderr:write(string.format("  paragraphs (%s): precision %.3f, recall %.3f over %d boundaries of %d articles%s\n",
      mode, p, r, b, n, shared and "" or " (../shared/corpus absent: samples only)"))
    t.ok(n >= 18, "articles read: " .. n)
    t.ok(p >= 0.98, mode .. ": precision " .. p)
    t.ok(r >= 0.95, mode .. ": recall " .. r)
  end
end)
