-- html_pages: generated news pages shaped like real Korean portal and daily
-- pages (a JSP/PHP preamble, a head full of meta tags and JSON-LD, injected ad
-- scripts, navigation, the article with <br> or <p> paragraphs, figures, related
-- lists, comment widgets, a footer), 50-100 KB each. Deterministic for a seed.
-- Every name and sentence is made up from short parts here.

local M = {}

local words = { "정부는", "올해", "경제", "성장률", "전망을", "발표했다", "지역", "주민들은", "새로운",
  "정책에", "대해", "기대를", "나타냈다", "관계자는", "이번", "조치로", "시장이", "안정될", "것으로",
  "내다봤다", "기업", "투자", "확대", "방안을", "검토하고", "있다", "전문가들은", "신중한", "접근이",
  "필요하다고", "강조했다", "서울", "부산", "교육", "기술", "연구", "결과를", "공개했다" }
local surnames = { "김", "이", "박", "최", "정", "강", "조", "윤" }
local given = { "민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지유" }

local function rng(seed)
  local x = seed * 2654435761 % 4294967296 + 1
  return function(n)
    x = (x * 1103515245 + 12345) % 2147483648
    return x % n + 1
  end
end

local function sentence(r)
  local n = 8 + r(10)
  local t = {}
  for i = 1, n do t[i] = words[r(#words)] end
  return table.concat(t, " ") .. "."
end

-- The first n characters (not bytes: a cut inside a syllable is bad UTF-8).
local function cut(s, n)
  local e = utf8.offset(s, n + 1)
  return e and s:sub(1, e - 1) or s
end

local function para(r)
  local t = {}
  for i = 1, 2 + r(3) do t[i] = sentence(r) end
  return table.concat(t, " ")
end

local function script(r, n)
  local t = {}
  for i = 1, n do
    t[i] = string.format("var ad_slot_%d = {id:'%d', size:[300,250], url:'https://ads.example.com/serve?z=%d&r='+Math.random()};\n"
      .. "if (window.adq) { adq.push(ad_slot_%d); } else { document.write('<div class=\"ad\"></div>'); }\n", i, r(99999), r(99999), i)
  end
  return "<script type=\"text/javascript\">\n" .. table.concat(t) .. "</script>\n"
end

--- One page of about `kb` KB (default 50-100) for seed `seed`.
function M.page(seed, kb)
  local r = rng(seed)
  kb = kb or (50 + r(50))
  local name = surnames[r(#surnames)] .. given[r(#given)]
  local title = cut(sentence(r), 60 // 3)
  local out = {}
  local function w(s) out[#out + 1] = s end
  if r(3) == 1 then w('<%@ page language="java" contentType="text/html; charset=UTF-8" %>\n') end
  w('<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n')
  w('<title>' .. title .. ' - 가상일보</title>\n')
  w('<meta property="og:title" content="' .. title .. '">\n')
  w('<meta property="og:site_name" content="가상일보">\n')
  w('<meta property="article:published_time" content="2024-03-0' .. r(9) .. 'T09:1' .. r(9) .. ':00+09:00">\n')
  w('<meta name="description" content="' .. sentence(r) .. ' &quot;인용&quot;">\n')
  w('<link rel="canonical" href="https://news.example.kr/article/' .. seed .. '">\n')
  w('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"'
    .. title .. '","datePublished":"2024-03-01T09:10:00+09:00","author":{"@type":"Person","name":"' .. name .. '"}}</script>\n')
  w('<link rel="stylesheet" href="/css/common.css">\n<style>body{font-family:sans-serif} .ad{display:block}</style>\n')
  w(script(r, 10))
  w('</head>\n<body>\n<div id="wrap">\n<header id="header"><div class="gnb"><ul>')
  for i = 1, 12 do w('<li class="' .. (i == 3 and 'on' or '') .. '"><a href="/section/' .. i .. '">섹션' .. i .. '</a></li>') end
  w('</ul></div></header>\n')
  local body = {}
  local size = 0
  for _, s in ipairs(out) do size = size + #s end
  w('<div id="container"><div class="article_view">\n<h1 class="headline">' .. title .. '</h1>\n')
  w('<div class="info"><span>입력 2024.03.01 09:10</span><span>수정 2024.03.01 10:2' .. r(9) .. '</span>'
    .. '<button class="share">공유</button><button class="print">인쇄</button><span class="font">가나다라마바사</span></div>\n')
  w('<div id="article_body" class="article_body">\n')
  local brs = r(2) == 1
  local i = 0
  local target = kb * 1024
  while true do
    size = 0
    for _, s in ipairs(out) do size = size + #s end
    if size > target * 0.7 then break end
    i = i + 1
    if i % 5 == 2 then
      w('<figure class="photo"><img src="https://img.example.kr/' .. seed .. '/' .. i .. '.jpg" alt="">'
        .. '<figcaption>' .. sentence(r) .. ' /사진=가상일보</figcaption></figure>\n')
    end
    if i % 7 == 3 then w(script(r, 2)) end
    if brs then w(para(r) .. '<br><br>\n') else w('<p>' .. para(r) .. '</p>\n') end
  end
  w(name .. ' 기자 reporter' .. seed .. '@example.kr<br>\n')
  w('<div class="copyright">Copyright ⓒ 가상일보. All rights reserved.</div>\n</div>\n')
  w('<div class="relate_list"><h3>관련기사</h3><ul>')
  for _ = 1, 10 do w('<li><a href="/article/' .. r(99999) .. '">' .. cut(sentence(r), 50 // 3) .. '</a></li>') end
  w('</ul></div>\n<div id="comment"><div class="cmt_box">댓글 0</div></div>\n')
  while true do
    size = 0
    for _, s in ipairs(out) do size = size + #s end
    if size > target then break end
    w('<div class="side_news"><ul>')
    for _ = 1, 8 do w('<li><a href="/article/' .. r(99999) .. '"><img src="/thumb/' .. r(999) .. '.jpg"><span>' .. cut(sentence(r), 40 // 3) .. '</span></a></li>') end
    w('</ul></div>\n')
    w(script(r, 3))
  end
  w('</div></div>\n<footer id="footer"><p>가상일보 | 서울시 중구 | 등록번호 서울 아00000</p></footer>\n</div>\n</body>\n</html>\n')
  return table.concat(out)
end

return M
