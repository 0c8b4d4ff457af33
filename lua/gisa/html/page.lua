-- gisa.page: a parsed news page (gisa.html) -> the input of the Korean line rules.
-- The page's visible text becomes ordered blocks (p, <br>-separated lines,
-- headings, captions, list items, table cells), one LINE each, so text and HTML
-- share one set of conventions (docs/html-rules.md). What the markup already
-- says becomes a hint for that line (a figcaption is a caption, a navigation link
-- is removed with html:nav); the page's metadata (og:*, article:*, JSON-LD …)
-- fills, after the rules, what the visible text does not say.

local L = require "gisa.rules.lib"
local html = require "gisa.html"
local publishers = require "gisa.engine.publishers"
local glines = require "gisa.lines"

local find, sub, gsub, lower, format, byte = string.find, string.sub, string.gsub, string.lower,
  string.format, string.byte
local concat = table.concat
local final, trim = L.final, L.trim

local M = {}

------------------------------------------------------------------------------
-- Conventions of Korean news pages (word lists a user may change: M.tokens …)
------------------------------------------------------------------------------

-- Never text.
local SKIP = { script = true, style = true, noscript = true, template = true, head = true,
  title = true, iframe = true, svg = true, object = true, embed = true, select = true,
  textarea = true, input = true, img = true, video = true, audio = true, canvas = true,
  map = true }

-- Elements that start and end a block of text.
local BLOCK = {}
for w in ([[address article aside blockquote body dd details dialog div dl dt fieldset
  figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre
  section table tbody thead tfoot tr td th ul caption center summary html menu legend
  option]]):gmatch("%S+") do BLOCK[w] = true end

local HEADING = { h1 = 1, h2 = 2, h3 = 3, h4 = 4, h5 = 5, h6 = 6 }

--- Page chrome by the words of class and id names (split at - and _), and by
--- tag: the reason a line inside it is removed. "html:" .. reason.
M.tokens = {
  nav = "nav", gnb = "nav", lnb = "nav", snb = "nav", menu = "nav", sub_menu = "nav",
  skip = "nav", util = "nav", login = "nav", head_top = "nav", top_util = "nav", today = "nav",
  share = "share", sns = "share", social = "share", print = "share", control = "share", controls = "share",
  fontsize = "share", scrap = "share", tool = "share", btn = "share", sharing = "share",
  related = "related", relate = "related", side = "related", rel = "related", relation = "related",
  other = "related", more = "related", recommend = "related", dable = "related",
  ranking = "related", rank = "related", best = "related", popular = "related",
  most = "related", hot = "related", aside = "related", sidebar = "related", wing = "related",
  comment = "comments", comments = "comments", cmt = "comments", reply = "comments",
  reple = "comments", ad = "ad", ads = "ad", advert = "ad", advertisement = "ad",
  banner = "ad", sponsor = "ad", gpt = "ad", adsense = "ad",
  tag = "tags", tags = "tags", keyword = "tags", keywords = "tags",
  footer = "footer", foot = "footer",
}
M.tag_reasons = { nav = "nav", aside = "related", footer = "footer", form = "nav", button = "share" }

--- Portals that republish outlets' articles: their og:site_name is not the publisher.
M.portals = { "네이버 뉴스", "네이버뉴스", "NAVER", "네이버", "다음뉴스", "다음 뉴스", "Daum", "daum",
  "네이트 뉴스", "네이트뉴스", "NATE", "줌 뉴스", "ZUM" }

-- Class and id words of photo captions, breadcrumbs, section labels, copyright.
local CAPTION_WORDS = { caption = true, desc = true, img_desc = true, photocaption = true,
  photo_caption = true, imgcaption = true, cap = true, figcaption = true, photo_desc = true,
  txt_caption = true, image_caption = true, photo_txt = true }
local BREADCRUMB_WORDS = { breadcrumb = true, breadcrumbs = true, location = true, navi_path = true,
  path = true, loc = true }
local SECTION_WORDS = { section = true, category = true, cate = true, sect = true }
local ACTIVE = { on = true, active = true, selected = true, current = true, sel = true }
local TITLE_WORDS = { title = true, tit = true, subject = true, headline = true, heading = true }
-- A summary box set in the article's text (a portal's deck of <br> lines in a
-- <strong class="…_summary">): its own lines, the subtitles, not the first paragraph.
local DECK_WORDS = { summary = true }

--- Containers that hold the article's text on many sites: a bonus when scored.
M.body_names = { "articlebody", "article_body", "article-body", "articletxt", "article_txt",
  "news_body", "newsbody", "textbody", "article_content", "article-content", "news_content",
  "news_txt", "view_cont", "story-news", "articleview", "article_view", "cont_view", "news_view",
  "view_body", "news_body_area", "article_text", "article-text", "txt_article", "content_view" }

--- Font-size samples ("가나다라마바사") that size buttons show.
M.font_samples = { "가나다라마바사", "가나다라마", "가나다라" }

--- Links of page chrome by their whole text: a portal's link to the outlet's
--- page, a reporter's other stories, a subscribe link. A line that is all link
--- and one of these, outside the article's text, is removed.
M.link_labels = { "기사원문", "기사 원문", "원문보기", "원문 보기", "기사원문 보기", "다른기사 보기",
  "다른 기사 보기", "기자의 다른기사", "구독", "구독하기" }

--- Counters beside the headline or under the article: "댓글 0", "조회수 1,204".
--- A line that is one of these words and a number, outside the article's text,
--- is page chrome.
M.counters = { "댓글", "댓글수", "조회", "조회수", "추천", "추천수", "좋아요", "공감", "공유" }

--- The labels of a visible publication time ("기사입력 2019.11.02. 오전 8:08"): such a
--- line in the article's head is the date even inside chrome (div.sponsor, .util).
M.date_labels = { "입력", "기사입력", "등록", "수정", "최종수정", "송고", "송고시간", "승인", "업데이트",
  "발행", "게재" }

--- The labels a portal puts before the name of the outlet that supplied the
--- article ("기사제공 매체"; "[Source : 매체]" and "[출처 : 매체]" too): the line
--- names the publisher, before the reporters' e-mail domains.
M.source_labels = { "기사제공", "기사 제공" }

--- Words of a photo credit after a byline and "|" ("매체 이름 | 화면캡쳐 프로그램").
M.credit_words = { "사진", "캡처", "캡쳐", "화면", "제공", "출처", "영상" }

--- List marks of promotion links under the text ("▶ 네이버에서 '매체'를 만나보세요").
M.promo_marks = { "▶", "▷", "☞", "►" }

--- Lines inside the article text that are no part of it (docs/html-rules.md, "After
--- the text"): a tip-off or contact line (its box's following lines too), and the
--- end mark of wire copy, after which come service notes.
M.tip_words = { "제보", "문의" }
M.end_marks = { "(끝)", "<끝>", "[끝]" }

--- Endings of a reporter's title that the byline lists lack, read in the line
--- under the headline ("이름 전문위원", "이름 테크연구소"); after the text, a title
--- before the reporter's address needs none of them ("이름 직함 e-mail").
M.title_ends = { "위원", "연구소", "연구원", "에디터", "캐스터", "전문가", "데스크", "팀장", "부장",
  "차장", "국장", "기자", "특파원" }

--- Marks that open a tip-off box even when its first line is a whole sentence
--- ("※ '당신의 제보가 뉴스가 됩니다'", "※매체는 여러분의 제보로 … 알려주세요.").
M.tip_box_marks = { "※", "＊" }

--- The verbs of an outlet's call for tips to its readers ("매체 뉴스는 24시간 여러분의
--- 제보를 기다립니다."): such a line opens a tip-off box without a mark.
M.tip_invites = { "기다립니다", "받습니다", "알려주세요", "알려 주세요", "보내주세요", "보내 주세요",
  "연락주시기", "연락 주시기", "뉴스가 됩니다" }

--- Channels of a tip-off box's lines ("[카카오톡] 매체 검색해 채널 추가", "[전화] 02-…",
--- "이메일 : desk@…", "사이트 : https://…"): read only right after a box's opener.
M.tip_channels = { "카카오톡", "카톡", "전화", "이메일", "메일", "E-mail", "e-mail", "Email", "사이트",
  "홈페이지", "누리집", "문자", "팩스", "유튜브", "텔레그램", "인스타그램", "페이스북", "라인", "앱", "제보" }

------------------------------------------------------------------------------
-- Blocks: the visible text in reading order
------------------------------------------------------------------------------

local NBSP, IDSP = "\194\160", "\227\128\128"

local WS = { [32] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true }

-- Blanks collapsed to one space, none at the ends. Most values hold single
-- spaces only once their ends are cut: the substitution runs only when needed.
local function clean(s)
  if find(s, "\194\160", 1, true) then s = gsub(s, NBSP, " ") end
  if find(s, "\227\128\128", 1, true) then s = gsub(s, IDSP, " ") end
  local a = find(s, "%S")
  if not a then return "" end
  local e = #s
  while WS[byte(s, e)] do e = e - 1 end
  if a > 1 or e < #s then s = sub(s, a, e) end
  -- plain finds (memchr) where a character class would try every position
  if find(s, "\n", 1, true) or find(s, "  ", 1, true) or find(s, "\t", 1, true) or find(s, "\r", 1, true)
      or find(s, "\f", 1, true) or find(s, "\v", 1, true) then
    s = gsub(s, "%s+", " ")
  end
  return s
end

-- The DOM walked once, in C (gisa.html.blocks over src/html.c's tree), with
-- these conventions. Each block: {text=, el= (its block element), k= (its line
-- within el, for <br>-split text), reason= (chrome), kind= (title, caption,
-- heading, breadcrumb, section), crumb= (the breadcrumb element), link= (bytes
-- inside <a>), active= (an active menu item)}. Inline parts set apart by
-- blanks are joined by \1 (split outside the content).
--
-- An element's class and id words (split at - and _ too, lowercased) give the
-- reason of page chrome (M.tokens: the first word that has one), a caption,
-- breadcrumb or section label, or an active menu item; <br> ends a line
-- except inside a caption; in page chrome every link, button and span is a
-- line of its own; hidden elements (hidden, aria-hidden, display:none) and
-- SKIP tags are not text.
local function collect(doc, marks)
  return html.blocks(doc, { skip = SKIP, block = BLOCK, heading = HEADING, tag_reasons = M.tag_reasons,
    tokens = M.tokens, caption = CAPTION_WORDS, breadcrumb = BREADCRUMB_WORDS, section = SECTION_WORDS,
    active = ACTIVE, deck = DECK_WORDS }, marks)
end

------------------------------------------------------------------------------
-- The content container: text density, link density, Korean sentence endings
------------------------------------------------------------------------------

local TEXTISH = { p = true, span = true, li = true, td = true, th = true, h1 = true, h2 = true,
  h3 = true, h4 = true, h5 = true, h6 = true, a = true, font = true, b = true, strong = true,
  em = true, i = true, dd = true, dt = true, blockquote = true, figcaption = true, figure = true,
  pre = true, u = true, small = true }

local body_name = {}
for _, n in ipairs(M.body_names) do body_name[n] = true end

-- A: the element's attributes (nil: none), TAG: its tag.
local function container_bonus(a, tag)
  local b = 1
  if a then
    if a.itemprop == "articleBody" then b = b + 1 end
    for _, v in ipairs({ a.id, a.class }) do
      if v then
        for piece in v:gmatch("%S+") do
          if body_name[lower(piece)] then b = b + 0.5 end
        end
      end
    end
  end
  if tag == "article" then b = b + 0.25 end
  return b
end

-- The element (a position of the skeleton SK) that holds the article's text.
local function choose_content(blocks, sk)
  local par, tagof = sk.parent, sk.tag
  local score, order = {}, {}
  for i = 1, #blocks do
    local b = blocks[i]
    if not b.reason and b.kind ~= "caption" then
      local t = b.text
      local n = #t
      local r = b.link / n
      if not (r < 1) then r = 1 end   -- math.min(1, r), without a call a block
      local v = n * (1 - r)
      if n > 60 and final(t) then v = v * 2 elseif n < 25 then v = v * 0.2 end
      local el = b.el
      if TEXTISH[tagof[el]] then el = par[el] end
      -- a block's text counts for its container and, half, the one above
      if el ~= 0 then
        local s = score[el]
        if not s then s = 0; order[#order + 1] = el end
        score[el] = s + v
        local up = par[el]
        if up ~= 0 then
          s = score[up]
          if not s then s = 0; order[#order + 1] = up end
          score[up] = s + v * 0.5
        end
      end
    end
  end
  local best, bs = nil, 0
  for _, el in ipairs(order) do
    local tag = tagof[el]
    if tag ~= "html" and tag ~= "body" then
      local s = score[el] * container_bonus(sk.attrs(el), tag)
      if s > bs then best, bs = el, s end
    end
  end
  return best
end

------------------------------------------------------------------------------
-- Metadata
------------------------------------------------------------------------------

local days_from_civil, civil_from_days = L.days_from_civil, L.civil_from_days

--- A metadata date ("2025-03-14T09:12:37+09:00", "…Z", "2025-03-14 09:12") as
--- ISO 8601 in Korean time (+09:00), or nil. Second result: it gave seconds.
function M.kst(s)
  if type(s) ~= "string" then return nil end
  local y, mo, d, rest = s:match("^%s*(%d%d%d%d)[-./](%d%d?)[-./](%d%d?)(.*)$")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo < 1 or mo > 12 or d < 1 or d > 31 then return nil end
  local H, Mi, S, tz = rest:match("^[T ](%d%d?):(%d%d):?(%d?%d?)%.?%d*%s*(.*)$")
  if not H then return nil end
  H, Mi, S = tonumber(H), tonumber(Mi), tonumber(S) or 0
  local off
  if tz == "" then off = 9 * 60
  elseif tz == "Z" or tz == "z" then off = 0
  else
    local sg, oh, om = tz:match("^([+-])(%d%d):?(%d%d)$")
    if not sg then return nil end
    off = (tonumber(oh) * 60 + tonumber(om)) * (sg == "-" and -1 or 1)
  end
  local t = (days_from_civil(y, mo, d) * 1440 + H * 60 + Mi) - off + 9 * 60
  local days, mins = t // 1440, t % 1440
  local yy, mm, dd = civil_from_days(days)
  return format("%04d-%02d-%02dT%02d:%02d:%02d+09:00", yy, mm, dd, mins // 60, mins % 60, S), S ~= 0
end

local function str(v)
  if type(v) == "string" then
    v = clean(v)
    if v ~= "" then return v end
  elseif type(v) == "table" then
    return str(v.name or v["@value"] or v[1])
  end
  return nil
end

local function types_of(o)
  local t = o["@type"]
  if type(t) == "string" then return { t } end
  if type(t) == "table" then return t end
  return {}
end

local ARTICLE_TYPES = { NewsArticle = true, Article = true, ReportageNewsArticle = true,
  AnalysisNewsArticle = true, BlogPosting = true, WebPage = false }

-- Person names of a JSON-LD author value (one object, a string, or a list).
local function ld_people(v, out)
  if type(v) == "string" then out[#out + 1] = clean(v)
  elseif type(v) == "table" then
    if v.name or v["@type"] then
      local n = str(v.name)
      if n and v["@type"] ~= "Organization" then out[#out + 1] = n end
    else
      for _, x in ipairs(v) do ld_people(x, out) end
    end
  end
  return out
end

--- The metadata of DOC: {title=, site_name=, published=, modified=, section=,
--- authors={…}, publisher=, url=, author_meta=}.
function M.meta(doc)
  local m = { authors = {} }
  local function meta(n) local v = doc:meta(n); return v and str(v) end
  m.og_title = meta("og:title")
  m.tw_title = meta("twitter:title")
  m.site_name = meta("og:site_name")
  m.published = meta("article:published_time") or meta("og:article:published_time")
    or meta("pubdate") or meta("date") or meta("article:published")
  m.modified = meta("article:modified_time") or meta("og:updated_time") or meta("og:article:modified_time")
  m.section = meta("article:section") or meta("og:article:section")
  m.author_meta = meta("author") or meta("article:author") or meta("og:article:author")
    or meta("dable:author")
  -- "가람일보 | 네이버": the outlet, before the portal
  if m.author_meta then m.author_meta = m.author_meta:match("^(.-)%s*|") or m.author_meta end
  for _, n in ipairs({ "article:author", "og:article:author", "dable:author", "author" }) do
    local v = meta(n)
    if v and not find(v, "^https?:") then m.authors[#m.authors + 1] = v end
  end
  local ok, lds = pcall(doc.jsonld, doc)
  if ok and type(lds) == "table" then
    for _, o in ipairs(lds) do
      if type(o) == "table" then
        local is_article = false
        for _, t in ipairs(types_of(o)) do if ARTICLE_TYPES[t] then is_article = true end end
        if is_article then
          m.ld_title = m.ld_title or str(o.headline)
          m.ld_published = m.ld_published or str(o.datePublished)
          m.ld_modified = m.ld_modified or str(o.dateModified)
          m.ld_section = m.ld_section or str(o.articleSection)
          if o.publisher then m.ld_publisher = m.ld_publisher or str(o.publisher) end
          if o.author then
            m.ld_authors = m.ld_authors or {}
            ld_people(o.author, m.ld_authors)
          end
        end
      end
    end
  end
  local canon = doc:first("link[rel=canonical]")
  m.url = canon and str(canon:attr("href")) or meta("og:url")
  if m.url and not find(m.url, "^https?://") then m.url = meta("og:url") end
  m.doc_title = doc.title and str(doc.title)
  return m
end

------------------------------------------------------------------------------
-- Headline
------------------------------------------------------------------------------

-- Text for comparing titles: no blanks, quotes or brackets ([2보] and (2보) agree).
local function key(s)
  s = gsub(s, "[%s\"'%[%]%(%)]", "")
  s = gsub(s, "\xE2\x80[\x98\x99\x9C\x9D]", "")  -- “ ” ‘ ’ (a class of their bytes would cut into Hangul)
  s = gsub(s, "%.%.%.", "…")
  return s
end

-- 2: the same headline; 1: one holds the other (an outlet's suffix, a
-- container around the headline) at most half again as long; 0: no. KA, KB: keys.
local function similar(ka, kb)
  if ka == "" or kb == "" then return 0 end
  if ka == kb then return 2 end
  local short, long = ka, kb
  if #short > #long then short, long = long, short end
  if #short >= 12 and #long <= #short * 1.5 and find(long, short, 1, true) then return 1 end
  return 0
end

-- The headline among the blocks: the one the metadata titles name (the same
-- text, else the shortest block that holds one or is held by one), else the
-- first <h1>.
local function headline(blocks, m, tagof)
  local metas, keys = {}, {}
  for j, x in ipairs({ m.og_title or false, m.ld_title or false, m.tw_title or false, m.doc_title or false }) do
    if x then metas[#metas + 1] = { key = key(x), len = #x, weak = j == 4 } end
  end
  local first_h1, near, near_len
  for i = 1, #blocks do
    local b = blocks[i]
    local t = b.text
    local n = #t
    -- not page chrome; <title> alone names a headline only of some length
    if n < 600 and not b.reason then
      local kt
      for j = 1, #metas do
        local x = metas[j]
        -- keys drop blanks and quotes: lengths far apart cannot match
        if (not x.weak or n >= 24) and n <= 2 * x.len + 16 and x.len <= 2 * n + 16 then
          kt = kt or key(t)
          local v = similar(kt, x.key)
          if v == 2 then return b.el end
          if v == 1 and (not near or n < near_len) then near, near_len = b.el, n end
        end
      end
      -- an <h1> that holds the outlet's name is its logo
      if not first_h1 and tagof[b.el] == "h1" and t ~= m.site_name then first_h1 = b.el end
    end
  end
  return near or first_h1
end

------------------------------------------------------------------------------
-- Captions and credits
------------------------------------------------------------------------------

local generic_caption
-- The credit of a caption: "(사진=…)", "/사진=… 기자", "X 제공", "[X 자료사진]", "사진=X",
-- "/이름 기자".
function M.credit(t)
  generic_caption = generic_caption or require("gisa.rules.generic").lib.caption
  local c = generic_caption({ text = t })
  if c and c.credit then return c.credit end
  -- each pattern below holds a word: a plain find first (patterns that end
  -- in "$" are tried at every byte)
  local jaryo, jegong = find(t, "자료사진", 1, true), find(t, "제공", 1, true)
  local x = jaryo and t:match("%[([^%]]-)%s*자료사진%]%s*$")
    or jegong and (t:match("%[([^%]]-)%s*제공%]%s*$") or t:match("%(([^%)]-)%s*제공%)%s*$"))
  if x and x ~= "" then return clean(x) end
  x = jaryo and t:match("[%.%s]%s*(%S+)%s*자료사진$")
  if x then return clean(x) end
  x = jegong and t:match("[%.%s]%s*([^%s%.][^%.]-)%s+제공$")
  if x then return clean(x) end
  x = find(t, "사진", 1, true) and t:match("사진%s*=%s*(.-)%s*$")
  if x and x ~= "" then return (x:gsub("%s*기자.*$", "")) end
  -- "… 기다리고 있다. /이름 기자": the photographer after a slash
  x = find(t, "기자", 1, true) and t:match("/%s*([^%s/]+)%s*기자$")
  if x then return x end
  return nil
end

------------------------------------------------------------------------------
-- Sites
------------------------------------------------------------------------------

local function host_of(url)
  return url and url:match("^%a[%w+.-]*://([^/:?#]+)")
end

local HTML_KEYS = { detect = "table", title = "selector", body = "selector", section = "selector",
  caption = "selectors", remove = "selectors" }
local DETECT_KEYS = { hosts = true, site_names = true, markup = true }
local checked = setmetatable({}, { __mode = "k" })

--- Check a site file's `html` table (raises "FILE: html.KEY: …", before any page is read).
function M.check_site(site)
  local h = site.html
  if h == nil or checked[h] then return end
  local file = site.file or site.id or "?"
  local function bad(k, msg) error(format("%s: html.%s: %s", file, k, msg), 0) end
  if type(h) ~= "table" then bad("", "must be a table") end
  local html = require "gisa.html"
  local function selector(k, v)
    if type(v) ~= "string" or v == "" then bad(k, "must be a CSS selector (a string)") end
    local ok, err = pcall(html.compile, v)
    if not ok then bad(k, "bad selector '" .. v .. "': " .. tostring(err):gsub("^.-:%d+: ", "")) end
  end
  local keys = {}
  for k in pairs(h) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = h[k]
    local want = HTML_KEYS[k]
    if not want then bad(k, "unknown key (detect, title, body, section, caption, remove)") end
    if want == "selector" then selector(k, v)
    elseif want == "selectors" then
      if type(v) == "string" then selector(k, v)
      elseif type(v) == "table" then for i, x in ipairs(v) do selector(k .. "[" .. i .. "]", x) end
      else bad(k, "must be a selector or a list of them") end
    elseif want == "table" then
      if type(v) ~= "table" then bad(k, "must be a table {hosts=, site_names=, markup=}") end
      for dk, dv in pairs(v) do
        if not DETECT_KEYS[dk] then bad(k .. "." .. tostring(dk), "unknown key (hosts, site_names, markup)") end
        if type(dv) ~= "table" then bad(k .. "." .. dk, "must be a list of strings") end
        for i, x in ipairs(dv) do
          if type(x) ~= "string" then bad(k .. "." .. dk .. "[" .. i .. "]", "must be a string") end
          if dk == "markup" then selector(k .. ".markup[" .. i .. "]", x) end
        end
      end
    end
  end
  checked[h] = true
end

--- For `gisa list`: "  html: host, …" when the site file at PATH has HTML rules, else "".
function M.describe_site(path)
  local ok, reg = pcall(function() return require("gisa.engine").registry() end)
  if not ok then return "" end
  for _, s in ipairs(reg.sites) do
    if s.file == path and type(s.html) == "table" then
      local d = s.html.detect or {}
      local what = d.hosts and d.hosts[1] or d.site_names and d.site_names[1] or "markup"
      return "  (html: " .. what .. ")"
    end
  end
  return ""
end

--- The site (of the registry) whose `html.detect` fits the page, or nil.
function M.site(doc, m, reg)
  local host = host_of(m.url)
  for _, s in ipairs(reg.sites or {}) do
    local h = s.html
    if h ~= nil then M.check_site(s) end
    if type(h) == "table" then
      local d = h.detect or {}
      for _, x in ipairs(d.hosts or {}) do
        if host and (host == x or sub(host, -(#x + 1)) == "." .. x) then return s end
      end
      for _, x in ipairs(d.site_names or {}) do
        if m.site_name == x then return s end
      end
      for _, x in ipairs(d.markup or {}) do
        if doc:first(x) then return s end
      end
    end
  end
  return nil
end

------------------------------------------------------------------------------
-- The input for the line rules
------------------------------------------------------------------------------

-- one scan of the line for all of these (gisa.lines' needles), not a find each
local copyright_words = glines.needles({ "ⓒ", "©", "opyright", "OPYRIGHT", "저작권", "무단", "재배포" })
local function copyright_like(t)
  if #t > 300 then return false end
  return copyright_words:mask(t) ~= 0
end

-- Outside the article, a copyright line shows a mark, not just the word 저작권
-- (a footer link "저작권 및 제휴문제" is no copyright line).
local copyright_marks = glines.needles({ "ⓒ", "©", "opyright", "OPYRIGHT", "무단", "재배포", "저작권자",
  "저작권법", "(c)", "(C)", "ights reserved" })
local function copyright_mark(t)
  return copyright_marks:mask(t) ~= 0
end

local CRUMB_SEPS = { ">", "›", "»", "/" }

-- "html:" .. reason, made once a reason (a page has hundreds of chrome lines)
local html_rule = setmetatable({}, { __index = function(t, reason)
  local r = "html:" .. reason
  t[reason] = r
  return r
end })

-- The set of one of the word lists above, made once per list table (a user who
-- replaces M.font_samples, M.counters or M.link_labels gets a new set), with the
-- length of its longest word: a longer line is not looked up.
local list_sets = setmetatable({}, { __mode = "k" })
local function set_of(list)
  local set = list_sets[list]
  if not set then
    local words, longest = {}, 0
    for _, x in ipairs(list) do words[x] = true; if #x > longest then longest = #x end end
    set = { words = words, longest = longest }
    list_sets[list] = set
  end
  return set
end

local function counter(t)
  if #t > 32 then return false end
  local w = t:match("^(%S+)%s*[%d,]+$") or t:match("^(%S+)%s*[%d,]+%s*개$")
  return w ~= nil and set_of(M.counters).words[w] == true
end

-- A time as portals and article heads print it at the end of a line ("2023. 11. 1.
-- 06:54", "2025.05.11 21:47", "2025-05-11 21:47"): the position where it starts.
local function trailing_time(t)
  local a = t:find("%d%d%d%d[%.%-/]%s?%d%d?[%.%-/]%s?%d%d?%.?%s+[%d:]+$")
    or t:find("%d%d%d%d[%.%-/]%s?%d%d?[%.%-/]%s?%d%d?%.?%s+오[전후]%s*%d%d?:%d%d$")
  return a
end

-- "기사입력 2019.11.02. 오전 8:08", "입력 : 2025-05-11 21:47": a labelled time.
local function date_line(t, labels)
  if #t > 80 then return false end
  local w = t:match("^([^%d%s:]+)%s*:?%s*%d")
  return w ~= nil and labels.words[w] == true
end

-- A name as a byline prints it: two to four Hangul syllables.
local function hangul_name(s)
  local n = utf8.len(s)
  return n and n >= 2 and n <= 4 and not find(s, "[%s%w%p]") and find(s, "^[\234-\237]") ~= nil
end

local email_pat = "[%w%._%-]+@[%w%-]+%.[%w%.%-]+"

-- A channel line of a tip-off box: "[카카오톡] …", "[전화] 02-…", "이메일 : …",
-- "▷ 사이트: …" (a channel word in brackets, or before a colon).
local function tip_channel(t, channels)
  local w = t:match("^[^%w\234-\237]*%[%s*([^%]]-)%s*%]") or t:match("^[^%w\234-\237]*([^:%s]+)%s*:")
    or t:match("^[^%w\234-\237]*(%S-)%s*：") or t:match("^[^%w\234-\237%s]+%s*(%S+)%s")
  return w ~= nil and channels.words[w] ~= nil
end

-- The outlet's own call for tips, a polite sentence to its readers ("매체 뉴스는 24시간
-- 여러분의 제보를 기다립니다.", "…제보를 받습니다. desk@…로 연락주시기 바랍니다."):
-- 제보 with 여러분 or an address, no quotation (a source's words stay text).
local function tip_invite(t, invites)
  if not find(t, "제보", 1, true) or find(t, "\"", 1, true) or find(t, "“", 1, true)
      or not (find(t, "여러분", 1, true) or find(t, "@", 1, true)) then
    return false
  end
  for _, v in ipairs(invites) do if find(t, v, 1, true) then return true end end
  return false
end

-- A line that is an e-mail address and little else ("/ hong@x.com", "☞슬로건 매체
-- hong@x.com"): the address, or nil. A reporter's byline is not one.
local function lone_email(t)
  if #t > 80 or not find(t, "@", 1, true) then return nil end
  local e = t:match(email_pat)
  if not e then return nil end
  local rest = t:gsub(email_pat, "", 1)
  if rest:find(email_pat) or find(rest, "기자", 1, true) or find(rest, "특파원", 1, true) then return nil end
  rest = rest:gsub("[%s%p]", "")
  if (utf8.len(rest) or 99) > 12 then return nil end
  return e
end

-- "기사제공 매체", "[Source : 매체]", "[출처 : 매체]": the outlet the line names, or nil.
local function source_label(t, c)
  if #t > 60 then return nil end
  local src
  if c == 91 then
    src = t:match("^%[%s*[Ss]ource%s*:%s*([^%]]-)%s*%]$") or t:match("^%[%s*출처%s*:%s*([^%]]-)%s*%]$")
  else
    for _, w in ipairs(M.source_labels) do
      if sub(t, 1, #w) == w then
        src = t:match("^%s*:?%s*(%S.-)%s*$", #w + 1)
        if src and (find(src, "%s") or final(src)) then src = nil end
        break
      end
    end
  end
  if src and src ~= "" then return src end
  return nil
end

-- "기사제보 및 보도자료 desk@x.com copyrightⓒ 매체. 무단전재 …": where a copyright
-- notice starts after an address on the same line (nil: none). The two are two lines.
local COPY_STARTS = { "copyright", "Copyright", "COPYRIGHT", "ⓒ", "©" }
local function copyright_after_email(t)
  local q
  for _, w in ipairs(COPY_STARTS) do
    local p = find(t, w, 2, true)
    if p and (not q or p < q) then q = p end
  end
  if not q or byte(t, q - 1) ~= 32 then return nil end
  if not find(sub(t, 1, q - 1), email_pat) then return nil end
  return q
end

-- The lowest common ancestor of positions a and b.
local function common(a, b, par)
  local set = {}
  local n = a
  while n ~= 0 do set[n] = true; n = par[n] end
  n = b
  while n ~= 0 and not set[n] do n = par[n] end
  return n ~= 0 and n or nil
end

local function node_path(el, k, nk)
  local ok, p = pcall(el.path, el)
  p = ok and p or (el.tag or "?")
  if nk and nk > 1 then p = p .. " (line " .. k .. ")" end
  return p
end

-- A person's name as metadata gives it: "서하람 기자" -> 서하람, 기자.
local function person(s)
  local name, role = s:match("^(%S+)%s+(%S*기자)$")
  if name then return name, role end
  if find(s, "^[\234-\237][\128-\191][\128-\191]") and (utf8.len(s) or 9) <= 4 and not find(s, "%s") then
    return s, "기자"
  end
  return nil
end

local function hangul(s) return s and find(s, "[\234-\237][\128-\191][\128-\191]") ~= nil end

-- A reporter's title as one word of Hangul (2 to 6 syllables: 전문위원, 미디어연구소).
local function title_word(s)
  local n = utf8.len(s)
  return n ~= nil and n >= 2 and n <= 6 and not find(s, "[%w%p%s]") and find(s, "^[\234-\237]") ~= nil
end

-- A title word that ends as titles do (M.title_ends: "전문위원", "외신캐스터").
local function titled(s)
  if not title_word(s) then return false end
  for _, e in ipairs(M.title_ends) do
    if #s >= #e and sub(s, -#e) == e then return true end
  end
  return false
end

local MEDIA_ENDS = { "일보", "신문", "뉴스", "방송", "통신", "경제", "미디어", "타임스", "투데이", "코리아",
  "데일리", "스포츠", "저널", "TV", "닷컴" }
local function outlet_like(s)
  if not s or find(s, "%s") then return false end
  for _, e in ipairs(MEDIA_ENDS) do
    if #s > #e and sub(s, -#e) == e then return true end
  end
  return false
end

-- The byline in front of a time under the headline ("이름", "이름 기자", "이름 매체
-- 기자(e-mail)"): what the byline parser makes of it, the outlet between a name and
-- its role set apart; a bare name is a person. Nil: the rules read it.
local function head_byline(t, bylines)
  if bylines then
    local res = bylines:parse(t)
    if res and res.authors and #res.authors > 0 then return res end
    local name, media, rest = t:match("^(%S+)%s+(%S+)%s+(기자.*)$")
    if name and hangul_name(name) then
      res = bylines:parse(name .. " " .. rest)
      if res and res.authors and #res.authors > 0 then res.media = res.media or media; return res end
    end
  end
  if hangul_name(t) then return { authors = { { name = t } } } end
  -- "이름 직함" with a title the byline lists lack, by its ending ("전문위원", "…연구소")
  local nm0, r0 = t:match("^(%S+)%s+(%S+)$")
  if nm0 and hangul_name(nm0) and titled(r0) then return { authors = { { name = nm0, role = r0 } } } end
  -- "도시/이름", "도시/이름 특파원" (a place before the name)
  local place, nm, r = t:match("^(%S+)/(%S+)%s*(%S*)$")
  if nm and hangul_name(nm) and hangul(place) and (r == "" or r == "기자" or r == "특파원") then
    return { authors = { { name = nm, role = r ~= "" and r or nil } } }
  end
  return nil
end

-- A dateline that opens the text with a place set apart by "/" or ", " from the
-- reporter ("[매체=도시/이름 기자] …", "(매체 도시, 이름 기자) …"), or the outlet
-- by a bar ("[매체 | 이름기자] …"): the end of the
-- bracket, and its byline ({authors=, media=}), or nil (the rules read the line).
-- an outlet by its name's ending (…일보, …스포츠) or in the publisher directory
local function outlet_named(s)
  if outlet_like(s) then return true end
  local e = publishers.lookup(s, publishers.directory())
  return e ~= nil
end

local function place_dateline(t)
  local c = byte(t, 1)
  if c ~= 91 and c ~= 40 then return nil end
  local close = c == 91 and "]" or ")"
  local q = find(t, close, 2, true)
  if not q or q > 80 then return nil end
  local inner = sub(t, 2, q - 1)
  local media, place, name, role = inner:match("^(%S+)%s*=%s*(%S+)%s*/%s*(%S+)%s+(%S+)$")
  if not media then
    media, place, name, role = inner:match("^(%S+)%s+(%S+),%s*(%S+)%s+(%S+)$")
    if media and not outlet_named(media) then media = nil end
  end
  if not media then
    -- "[매체 | 이름기자]": the outlet and the reporter set apart by a bar, the role glued
    local m2, who = inner:match("^(%S+)%s*|%s*(%S+)$")
    local nm = who and who:match("^(.-)기자$")
    if m2 and nm and hangul_name(nm) and outlet_named(m2) then
      return q, { authors = { { name = nm, role = "기자" } }, media = m2 }
    end
  end
  if not media then
    -- "(매체=이름 직함)": a title the byline lists lack ("미디어연구소", "전문위원"; 기자
    -- and 특파원 the rules read)
    local m3, nm, r = inner:match("^(%S+)%s*=%s*(%S+)%s+(%S+)$")
    if m3 and r ~= "기자" and r ~= "특파원" and hangul_name(nm) and titled(r) and outlet_named(m3) then
      return q, { authors = { { name = nm, role = r } }, media = m3 }
    end
  end
  if not media or (role ~= "기자" and role ~= "특파원") or not hangul_name(name) or not hangul(place) then
    return nil
  end
  return q, { authors = { { name = name, role = role } }, media = media }
end

-- og:site_name is the outlet's name, not a slogan ("세상을 밝히는 뉴스"): a name
-- with blanks must appear in the page's <title>.
local function site_name(m)
  local s = m.site_name
  if not s then return nil end
  for _, p in ipairs(M.portals) do if s == p then return nil end end
  if find(s, "%s") and not (m.doc_title and find(m.doc_title, s, 1, true)) then return nil end
  return s
end


-- The outlet that published the page, from what the page says of itself, the
-- strongest first: og:site_name (an outlet's name, not a portal's or a slogan),
-- the JSON-LD publisher, the host of its canonical URL or og:url when the
-- publisher directory knows it, an author meta that names an outlet. Nil when
-- none does: the line rules' own `publisher` (a dateline, the reporters' e-mail
-- domains, the copyright line, a dateline credit) then stays. A name the
-- directory knows comes out as the directory names it (MTN -> 머니투데이방송).
local function page_publisher(m)
  local dir = publishers.directory()
  local function known(s)
    local e = s and publishers.lookup(s, dir)
    return e and e.name
  end
  local sn = m.site_name
  if sn then
    for _, p in ipairs(M.portals) do if sn == p then sn = nil; break end end
  end
  return known(sn) or site_name(m)
    or known(m.ld_publisher) or m.ld_publisher
    or known(m.url)
    or (outlet_like(m.author_meta) and (known(m.author_meta) or m.author_meta)) or nil
end

--- Turn a parsed page into the input of the line rules:
--- {text=, hints=, paths=, site=, post=function(rec), extra={url=}}.
--- opts.registry: the rules registry (for site HTML rules).
function M.input(doc, opts)
  opts = opts or {}
  local m = M.meta(doc)
  local reg = opts.registry
  local site = reg and M.site(doc, m, reg)
  local sh = site and site.html or {}
  local marks = {}
  local head = sh.title and doc:first(sh.title)
  if head then marks[head] = "title" end
  for _, sel in ipairs(type(sh.remove) == "table" and sh.remove or { sh.remove }) do
    for _, n in ipairs(doc:select(sel)) do marks[n] = "remove" end
  end
  for _, sel in ipairs(type(sh.caption) == "table" and sh.caption or { sh.caption }) do
    for _, n in ipairs(doc:select(sel)) do if not marks[n] then marks[n] = "caption" end end
  end
  if sh.section then
    local n = doc:first(sh.section)
    if n then marks[n] = "section" end
  end
  local blocks = collect(doc, marks)
  local dlabels = set_of(M.date_labels)
  local gen = reg and reg.generic
  local dset, bylines = gen and gen.dates, gen and gen.bylines
  -- elements by position from here on: nodes are made only for paths
  local sk = html.skeleton(doc)
  local par, tagof = sk.parent, sk.tag
  head = head and sk.pos(head) or headline(blocks, m, tagof)
  local content = sh.body and doc:first(sh.body) or nil
  content = content and sk.pos(content) or choose_content(blocks, sk)
  -- no headline the metadata names and no <h1>: the last heading before the
  -- article text (a page that republishes an article under a bare <h3>)
  if not head and content then
    for i = 1, #blocks do
      local b = blocks[i]
      if b.el >= content then break end
      local h = HEADING[tagof[b.el]]
      if h and h <= 4 and not b.reason and b.kind ~= "caption" and #b.text <= 300 then head = b.el end
    end
  end
  -- the article: from the headline to the end of the content's common ancestor
  local article = content
  local flat   -- the headline and the content are children of <body> itself
  if head and content then
    local c = common(head, content, par)
    if c and tagof[c] ~= "body" and tagof[c] ~= "html" and par[c] ~= 0 then article = c
    elseif head < content then flat = true end
  end
  -- positions are in document order: an element's descendants follow it up to last[el]
  local last = sk.last
  local c_lo, c_hi = content or 0, content and last[content] or -1
  local a_lo, a_hi = article or 0, article and last[article] or -1
  -- no element holds both but <body>: the article runs from the headline to
  -- the end of the content (the date and byline lines between them are its)
  if flat then a_lo = head end
  local h_lo, h_hi = head or 0, head and last[head] or -1
  -- marked inline parts are lines of their own outside the content, words inside it.
  -- In the article's head and text, add() also splits and joins lines: a line under
  -- the headline that ends in a time ("이름  2023. 11. 1. 06:54") is the byline and
  -- the time; a label and its time in elements side by side ("기사입력", "2019.11.02.
  -- 오전 8:08") are one line; in the text, a copyright line joined to a contact by
  -- " | ", or a byline joined to a photo credit by " / 사진", is two lines.
  do
    local out, no = {}, 0
    local function copy(b, text, kind)
      local nb = {}
      for k, v in pairs(b) do nb[k] = v end
      nb.text, nb.kind = text, kind or b.kind
      return nb
    end
    local function add(x)
      local t, el = x.text, x.el
      if el > h_hi and el < c_lo then
        local p = out[no]
        if p and p.el > h_hi and #p.text <= dlabels.longest and dlabels.words[p.text] and find(t, "^%d") then
          p.text = p.text .. " " .. t
          return
        end
        local a = head and not x.reason and el >= a_lo and el <= a_hi
          and #t <= 120 and byte(t, -3) == 58 and trailing_time(t)   -- ends in "hh:mm"
        if a and a > 1 and not date_line(t, dlabels)
            and not find(t, "|", 1, true)   -- "매체 이름 기자 | 시각": the rules read it whole
            and not (bylines and bylines:parse(t)) then
          out[no + 1] = copy(x, trim(sub(t, 1, a - 1)), "byline-part")
          out[no + 2] = copy(x, sub(t, a), "time-part")
          no = no + 2
          return
        end
      elseif el >= c_lo and el <= c_hi then
        if find(t, " | ", 1, true) and copyright_like(t) then
          -- the bar stays with the part before it: the lines hold all the text
          local first = no + 1
          for part in (t .. " | "):gmatch("(.-) | ") do
            if part ~= "" then no = no + 1; out[no] = copy(x, part) end
            if no >= first then out[no].text = out[no].text .. " |" end
          end
          out[no].text = gsub(out[no].text, " |$", "")
          return
        end
        local dq, dres = place_dateline(t)
        if dq then
          local d = copy(x, sub(t, 1, dq), "dateline-part")
          d.byline = dres
          out[no + 1] = d
          no = no + 1
          local rest = trim(sub(t, dq + 1))
          if rest ~= "" then no = no + 1; out[no] = copy(x, rest, "dateline-rest") end
          return
        end
        local q = find(t, "@", 1, true) and copyright_after_email(t)
        if q then
          out[no + 1] = copy(x, trim(sub(t, 1, q - 1)))
          out[no + 2] = copy(x, sub(t, q))
          no = no + 2
          return
        end
        local slash = #t <= 200 and find(t, " / 사진", 1, true)
        if slash and find(sub(t, 1, slash), "기자", 1, true) then
          out[no + 1] = copy(x, sub(t, 1, slash + 2), "byline-part")
          out[no + 2] = copy(x, sub(t, slash + 3))
          no = no + 2
          return
        end
      end
      no = no + 1; out[no] = x
    end
    for i = 1, #blocks do
      local b = blocks[i]
      local t, el = b.text, b.el
      if not find(t, "\1", 1, true) then
        -- (rare bytes first: a plain find of " | " stops at every blank)
        if (el > h_hi and el < c_lo)
            or (el >= c_lo and el <= c_hi and ((#t <= 300 and (find(t, "|", 1, true) or find(t, "/", 1, true)
              or find(t, "@", 1, true))) or byte(t, 1) == 91 or byte(t, 1) == 40)) then
          add(b)
        else
          no = no + 1; out[no] = b
        end
      elseif el >= c_lo and el <= c_hi then
        b.text = gsub(t, "\1", " "); add(b)
      else
        local parts = {}
        for part in t:gmatch("[^\1]+") do
          -- "기사입력" and its time in spans side by side: one line
          local prev = parts[#parts]
          if prev and #prev <= dlabels.longest + 8 and dlabels.words[trim(prev)] and find(part, "^%s*%d") then parts[#parts] = prev .. " " .. part
          else parts[#parts + 1] = part end
        end
        for _, part in ipairs(parts) do
          local nb = {}
          for k, v in pairs(b) do nb[k] = v end
          nb.text = part
          add(nb)
        end
      end
    end
    blocks = out
  end
  local lines, hints = {}, {}
  -- a hint's DOM path, found when asked for (--explain): paths cost a walk up the tree
  local hint_mt = { __index = function(h, key)
    if key ~= "path" then return nil end
    local b = rawget(h, "block")
    local p = b and node_path(sk.node(b.el), b.k, b.nk) or nil
    rawset(h, "path", p)
    return p
  end }
  local nblock = {}
  -- (numeric loops: blocks is a sequence, and ipairs calls its iterator each step)
  local nb = #blocks
  for i = 1, nb do local el = blocks[i].el; nblock[el] = (nblock[el] or 0) + 1 end
  local seen_head, content_seen = false, false
  local active_section
  -- breadcrumbs: the last item is the section, the others are removed
  local last_crumb = {}
  for i = 1, nb do local b = blocks[i]; if b.kind == "breadcrumb" and b.crumb then last_crumb[b.crumb] = i end end
  local section_done = false
  -- the word lists' sets, once for the page
  local fonts, labels = set_of(M.font_samples), set_of(M.link_labels)
  local tips, ends = M.tip_words, set_of(M.end_marks)
  local tip_marks, tip_channels = set_of(M.tip_box_marks), set_of(M.tip_channels)
  local tips_set = set_of(M.tip_words).words
  local named = {}          -- the names the page's bylines gave so far
  -- the page marks its photo captions (figcaption, a caption class): a "▲" line
  -- opening a paragraph of the text is then a crosshead, not a caption
  local marks_captions = false
  for i = 1, nb do if blocks[i].kind == "caption" then marks_captions = true; break end end
  local after_end, tip_el   -- past the text's end mark; the element of a tip-off box
  local tip_box             -- the line before was a tip-off box's (its channel lines follow)
  local source              -- the outlet a source label names ("기사제공 매체")
  local promos, credit_words = {}, M.credit_words
  for _, w in ipairs(M.promo_marks) do promos[w] = true end
  local text_seen           -- a line of the article's text was read
  local head_text
  for i = 1, nb do
    local el = blocks[i].el
    if el >= h_lo and el <= h_hi then head_text = blocks[i].text; break end
  end
  -- A line inside the article text that the markup and the conventions of
  -- Korean news pages say is no part of it: role, rule, caps (nil: the rules read it).
  local function after_text(t, b, el)
    local n = #t
    local was_box = tip_box
    tip_box = false
    -- "▲ 소제목<br/> 본문…": the first line of a paragraph with more after it
    if marks_captions and n <= 150 and byte(t, 1) == 226 and sub(t, 1, 3) == "▲" and b.k == 1
        and (b.nk or 1) > 1 and not final(t) then
      return "heading", "html:crosshead"
    end
    if n <= ends.longest and ends.words[t] then after_end = true; return nil end
    if after_end and not copyright_like(t) and not find(t, "@", 1, true) and not find(t, "기자", 1, true) then
      return "removed", "html:after-end"
    end
    if n > 300 then return nil end   -- a paragraph: none of the lines below is so long
    -- a tip-off or contact line, and the lines of its box ("▷ 전화 : …")
    -- (plain finds first: most lines are paragraphs that hold none of these words)
    local tip = false
    if n <= 300 then
      for k = 1, #tips do if find(t, tips[k], 1, true) then tip = true; break end end
      -- a whole sentence after a box mark opens a box too ("※ … 제보로 … 알려주세요.")
      tip = tip and (n <= 200 and not final(t) and (find(t, "[:@%d]") or find(t, "제보하기", 1, true))
        or tip_marks.words[sub(t, 1, 3)] ~= nil or tip_invite(t, M.tip_invites))
    end
    if tip or (tip_el == el and n <= 100 and (find(t, "^[▷▶■☎%-·]") or find(t, ":", 1, true)))
        or (was_box and n <= 120 and tip_channel(t, tip_channels)) then
      tip_el, tip_box = el, true
      -- an address is kept as nobody's (a handle such as "@매체" is none)
      if find(t, "@", 1, true) and find(t, email_pat) then return "email", "html:tip-off", false end
      return "removed", "html:tip-off"
    end
    if n <= 300 and find(t, "^#") and not find(t, "%s[^#%s]") then return "removed", "html:tags" end
    local c = byte(t, 1)
    if n <= 200 and (c == 60 or c == 91) and (find(t, "^<출연%s*:") or find(t, "^%[출연%s*:")) then
      return "note", "html:guest"
    end
    if n <= 100 and find(t, "사진", 1, true) and (find(t, "^%[사진%]") or find(t, "^#?%s*사진%s*[=:_]")
        or find(t, "^%(사진%s*[=:][^%)]*%)$") or find(t, "^%s*사진%s*제공%s*[=:|]")) and not final(t) then
      return "removed", "html:photo-credit"
    end
    -- "[매체 이름 직함]" alone, "이름직함" (a name bylined before, its title glued):
    -- a byline whose title the lists lack, known by its ending ("외신캐스터")
    if n <= 80 and not find(t, "@", 1, true) then
      local media, nm, r
      if c == 91 then media, nm, r = t:match("^%[%s*(%S+)%s+(%S+)%s+(%S+)%s*%]$") end
      if media and hangul_name(nm) and r ~= "기자" and r ~= "특파원" and titled(r) and outlet_named(media) then
        return "byline", "html:byline-title", { authors = { { name = nm, role = r } }, media = media }
      end
      if not media and not find(t, "%s") then
        for name in pairs(named) do
          if #t > #name and sub(t, 1, #name) == name and titled(sub(t, #name + 1)) then
            return "byline", "html:byline-title", { authors = { { name = name, role = sub(t, #name + 1) } } }
          end
        end
      end
    end
    -- "이름 매체 기자 e-mail": the outlet between the reporter and the role, known
    -- by its name's ending, the directory, or the name bylined before ("[매체=이름 기자]")
    if n <= 120 and c ~= 91 and c ~= 40 and find(t, "@", 1, true) then
      local nm, mid, r, em = t:match("^(%S+)%s+(%S+)%s+(%S*기자)%s+([%w%._%-]+@[%w%-]+%.[%w%.%-]+)$")
      if not nm then
        nm, mid, r, em = t:match("^(%S+)%s+(%S+)%s+(특파원)%s+([%w%._%-]+@[%w%-]+%.[%w%.%-]+)$")
      end
      if nm and hangul_name(nm) and not find(mid, "[%p]") and (named[nm] or outlet_named(mid)) then
        return "byline", "html:byline", { authors = { { name = nm, role = r, email = em } }, emails = { em },
          media = mid }
      end
    end
    -- "이름 직함 e-mail", "이름 직함(e-mail)": a byline whose title the lists lack
    -- ("전문위원", "미디어연구소"); one the byline parser reads stays the rules'
    if n <= 120 and c ~= 91 and c ~= 40 and find(t, "@", 1, true) then
      local nm, r, em = t:match("^(%S+)%s+([^%s%(]+)%s*%(?%s*([%w%._%-]+@[%w%-]+%.[%w%.%-]+)%s*%)?$")
      if nm and hangul_name(nm) and titled(r) and not tips_set[nm] then
        local res = bylines and bylines:parse(t)
        if not (res and res.authors and #res.authors > 0) then
          return "byline", "html:byline-title", { authors = { { name = nm, role = r, email = em } }, emails = { em } }
        end
      end
    end
    local e = lone_email(t)
    if e then return "email", "html:email", { tie = true } end
    local src = n <= 60 and source_label(t, c)
    if src then
      source = source or src
      return "publisher", "html:source", { publisher = src }
    end
    -- "☞매체 뉴스레터 … 구독하기": a subscription offer after a list mark
    if n <= 200 and promos[sub(t, 1, 3)] and find(t, "구독", 1, true) then
      return "removed", "html:promo"
    end
    -- "이 기사는 … 플랫폼 X에 게재된 기사입니다.": where the article first ran
    if n <= 200 and find(t, "^이 기사는 ") and (find(t, "게재", 1, true) or find(t, "실린", 1, true)
        or find(t, "출고", 1, true)) then
      return "removed", "html:service-note"
    end
    -- "▶ 네이버에서 '매체'를 만나보세요": a link after a list mark, no part of the text
    if n <= 200 and b.link > 0 and b.link >= n - 4 and promos[sub(t, 1, 3)] then
      return "removed", "html:promo"
    end
    -- "매체 이름 id@": a byline whose address the outlet cut
    if n <= 60 and c ~= 91 and byte(t, -1) == 64 then
      local media, nm = t:match("^(%S+)%s+(%S+)%s+[%w%._%-]+@$")
      if not nm then nm = t:match("^(%S+)%s+[%w%._%-]+@$") end
      if nm and hangul_name(nm) then
        return "byline", "html:byline", { authors = { { name = nm } }, media = media }
      end
    end
    -- "[이름 매체 기자 / e-mail]": a byline in brackets after the text (before
    -- it, "[매체 이름 기자]" is the dateline the rules read)
    if c == 91 and n <= 160 and text_seen and not find(t, "=", 1, true) then
      local inner = t:match("^%[(.-)%]$")
      local em = inner and inner:match(email_pat)
      local who = inner and trim((gsub(gsub(inner, email_pat, ""), "[/|,]", " ")))
      local nm, mid, r
      if who then
        nm, mid, r = who:match("^(%S+)%s*(.-)%s*(특파원)$")
        if not nm then nm, mid, r = who:match("^(%S+)%s*(.-)%s*(기자)$") end
      end
      if nm and hangul_name(nm) and (utf8.len(mid) or 99) <= 12 then
        return "byline", "html:byline", { authors = { { name = nm, role = r, email = em } },
          emails = em and { em } or nil, media = mid ~= "" and mid or nil }
      end
    end
    -- "매체 이름 | 화면캡쳐 프로그램": a byline and a photo credit
    if n <= 100 and find(t, "|", 1, true) and not final(t) then
      local left, right = t:match("^(.-)%s*|%s*(.+)$")
      local credit = false
      if right and #right <= 60 then
        for k = 1, #credit_words do if find(right, credit_words[k], 1, true) then credit = true; break end end
      end
      if credit then
        local nm = left:match("^%S+%s+(%S+)$") or left
        if hangul_name(nm) then return "byline", "html:byline-credit", { authors = { { name = nm } } } end
      end
    end
    if n <= 80 and (c == 91 or find(t, "입니다", 1, true)) then
      -- "이름 기자입니다." (the anchor hands over), "매체 뉴스 이름입니다." (the sign-off)
      local name = t:match("^(%S+) 기자입니다%.?$")
      if name and hangul_name(name) then return "byline", "html:signoff", { authors = { { name = name, role = "기자" } } } end
      local media
      media, name = t:match("^(%S.-)%s*(%S+)입니다%.$")
      if name and hangul_name(name) and media ~= "" and (outlet_like(media) or find(media, "뉴스$")) then
        media = gsub(media, "%s+뉴스$", "")
        return "byline", "html:signoff", { authors = { { name = name, role = "기자" } }, media = media }
      end
      -- "[도시(나라)=이름 매체 특파원]" after the text
      local inner = t:match("^%[([^%]]-=[^%]]-)%]$")
      if inner then
        local who = trim(inner:match("=%s*(.*)$") or "")
        local nm, mid, r = who:match("^(%S+)%s*(.-)%s*(특파원)$")
        if not nm then nm, mid, r = who:match("^(%S+)%s*(.-)%s*(기자)$") end
        if nm and hangul_name(nm) then
          return "byline", "html:byline", { authors = { { name = nm, role = r } }, media = mid ~= "" and mid or nil }
        end
      end
    end
    return nil
  end
  for i = 1, nb do
    local b = blocks[i]
    local t = b.text
    lines[i] = t
    b.nk = nblock[b.el]
    local role, rule, caps
    local el, kind, reason = b.el, b.kind, b.reason
    local in_content = el >= c_lo and el <= c_hi
    local in_article = el >= a_lo and el <= a_hi
    local in_head = el >= h_lo and el <= h_hi
    if in_head then seen_head = true end
    if b.active and not active_section and reason and #t <= 20 then active_section = t end
    -- in the article after its text: the same conventions as inside it; in its
    -- head, the lines the block pass split, a labelled time inside chrome, the
    -- section label (pr: a role found there; "": none, the rules read the line)
    local pr, pru, prc
    if not in_article or in_content or in_head then   -- (most lines: nothing to look at here)
    elseif content_seen then
      if not reason then pr, pru, prc = after_text(t, b, el) end
    elseif el > h_hi then
      if kind == "time-part" then
        local list = dset and dset:scan(t)
        if list and #list > 0 then pr, pru, prc = "date", "html:time", { dates = list } end
      elseif kind == "byline-part" then
        local res = head_byline(t, bylines)
        if res then pr, pru, prc = "byline", "html:byline", res end
      elseif reason and date_line(t, dlabels) then
        pr = ""   -- a labelled time in the article's head, inside chrome: the rules read it
      elseif m.section and t == m.section and not section_done then
        pr, pru, prc = "section", "html:section", { section = t }
        section_done = true
      end
    end
    if in_head then
      role, rule = "title", "html:headline"
    elseif pr then
      if pr ~= "" then role, rule, caps = pr, pru, prc end
    elseif #t <= fonts.longest and fonts.words[t] then   -- a font-size sample
      role, rule = "removed", "html:font-sample"
    elseif not in_content and not reason and counter(t) then
      role, rule = "removed", "html:counter"
    elseif not in_content and not reason and b.link >= #t and #t <= labels.longest and labels.words[t] then
      role, rule = "removed", "html:links"
    elseif kind == "caption" and (in_content or in_article) and not reason then
      if find(t, "^https?://%S+$") then
        role, rule = "removed", "html:links"   -- a banner's address, no caption
      else
        role, rule, caps = "caption", "html:caption", { text = t, credit = M.credit(t) }
      end
    elseif kind == "breadcrumb" then
      -- the part after the last separator (a byte class such as [^›] would
      -- also cut at the bytes › shares with Hangul syllables)
      local crumb = t
      for _, sep in ipairs(CRUMB_SEPS) do
        local q = find(crumb, sep, 1, true)
        while q do crumb = sub(crumb, q + #sep); q = find(crumb, sep, 1, true) end
      end
      crumb = trim(crumb)
      if last_crumb[b.crumb] == i and crumb and crumb ~= "" and not section_done then
        role, rule, caps = "section", "html:breadcrumb", { section = crumb }
        section_done = true
      else
        role, rule = "removed", "html:breadcrumb"
      end
    elseif kind == "deck" and not reason and not text_seen and (in_article or in_content or not head) then
      role, rule = "subtitle", "html:deck"   -- a summary box set before the text
    elseif in_content then
      if reason then
        role, rule = "removed", html_rule[reason]
      elseif b.link >= #t and tagof[b.el] == "li" then
        -- a list item that is all link, inside the text: other stories
        role, rule = "removed", "html:links"
      elseif kind == "heading" or kind == "title" then
        role, rule = "heading", "html:heading"
      elseif t == head_text then
        role, rule = "removed", "html:title-again"   -- the text repeats the headline
      elseif kind == "dateline-part" then   -- "[매체=도시/이름 기자]" before the text
        role, rule, caps = "byline", "html:dateline", b.byline
      elseif kind == "dateline-rest" then   -- the text after it: the first paragraph
        role, rule = "para", "html:dateline-text"
      elseif kind == "byline-part" then   -- "이름 기자 e-mail /" before a photo credit
        local res = head_byline((gsub(t, "%s*/$", "")), bylines)
        if res then role, rule, caps = "byline", "html:byline", res end
      else
        role, rule, caps = after_text(t, b, el)
      end
    elseif kind == "section" and not reason and not content_seen and (utf8.len(t) or 99) <= 20
        and not section_done then
      role, rule, caps = "section", "html:section", { section = t }
      section_done = true
    elseif (not reason or reason == "footer" or (in_article and not in_content)) and copyright_like(t)
        and (utf8.len(t) or 999) <= 200 and (in_article or copyright_mark(t)) then
      role = nil     -- the copyright rule reads it, wherever it is
    elseif reason then
      role, rule = "removed", html_rule[reason]
    elseif not in_article then
      role, rule = "removed", seen_head and "html:page" or "html:nav"
    elseif content_seen and not in_content and b.link >= #t and not find(t, "기자", 1, true)
        and not find(t, "@", 1, true) then
      -- after the article text, a line that is all link is a list of other stories
      role, rule = "removed", "html:links"
    end
    if in_content then
      content_seen = true
      if not role then text_seen = true end
    end
    -- reason and caps present (false when none): the engine reads them, and a
    -- missing key would call hint_mt's __index
    if role == "byline" and caps and caps.authors then
      for _, a in ipairs(caps.authors) do if a.name then named[a.name] = true end end
    end
    if role then
      hints[i] = setmetatable({ role = role, rule = rule, caps = caps or false, reason = false, block = b }, hint_mt)
    end
  end
  local text = concat(lines, "\n")
  -- the DOM path of each line, found when asked for
  local paths = setmetatable({}, { __index = function(t, n)
    local b = blocks[n]
    if not b then return nil end
    local p = node_path(sk.node(b.el), b.k, b.nk)
    rawset(t, n, p)
    return p
  end })
  -- no headline and no metadata title: a first line that is a whole paragraph
  -- (a fragment) is no title, and the rules must not make it one
  local no_title, marked
  if not head and not (m.og_title or m.ld_title or m.tw_title) then
    for i = 1, #lines do
      local t = lines[i]
      -- "[앵커]", "<리포트>": a transcript's marks come before its first paragraph,
      -- which is spoken text, never a headline
      if not hints[i] then
        if find(t, "^%[[^%]]+%]$") or find(t, "^<[^>]+>$") then marked = true
        else
          no_title = marked or ((utf8.len(t) or 0) > 40 and final(t))
          break
        end
      end
    end
  end
  local input = { text = text, hints = hints, paths = paths, site = site and site.id,
    extra = { url = m.url }, meta = m, no_title = no_title or nil, source = source }
  input.post = function(rec) M.post(rec, input, active_section) end
  return input
end

------------------------------------------------------------------------------
-- After the rules: metadata where the visible text is silent
------------------------------------------------------------------------------

local function has_author(rec, name)
  for _, a in ipairs(rec.authors) do if a.name == name then return true end end
  return false
end

-- The visible time is what the article says; the meta time wins where it only
-- adds seconds to the same minute, or where there is no visible time.
local function pick_date(visible, meta)
  local mk, with_seconds = M.kst(meta)
  if not visible then return mk end
  if mk and with_seconds and sub(visible, 1, 16) == sub(mk, 1, 16) then return mk end
  return visible
end

function M.post(rec, input, active_section)
  local m = input.meta
  -- a page without a headline: no title was taken from its text
  if rec.title == "" then rec.title = nil end
  if not rec.title then
    local t = m.og_title or m.ld_title or m.tw_title
    if t then rec.title = t end
  end
  -- a year is no outlet ("Copyright © 2023 사이트": the copyright rule's owner)
  if rec.publisher and find(rec.publisher, "^%d+$") then rec.publisher = nil end
  rec.published = pick_date(rec.published, m.published or m.ld_published)
  rec.modified = pick_date(rec.modified, m.modified or m.ld_modified)
  if not input.site then
    -- a source label ("기사제공 매체") names the outlet before an e-mail domain
    if input.source then rec.publisher = input.source end
    local name = page_publisher(m)
    if name then rec.publisher = name end
  end
  -- the outlet read as a second name in a byline ("[매체 이름 기자]" before the
  -- outlet was known) is no reporter
  if rec.publisher and #rec.authors > 1 then
    for i = #rec.authors, 1, -1 do
      if rec.authors[i].name == rec.publisher then table.remove(rec.authors, i) end
    end
  end
  if not rec.section then
    local s = m.section or m.ld_section
    if s and hangul(s) and (utf8.len(s) or 99) <= 20 then rec.section = s
    elseif active_section then rec.section = active_section end
  end
  -- metadata names reporters the visible text does not
  local people = {}
  for _, x in ipairs(m.ld_authors or {}) do people[#people + 1] = x end
  for _, x in ipairs(m.authors) do people[#people + 1] = x end
  for _, x in ipairs(people) do
    local name, role = person(x)
    if name and name ~= rec.publisher and not outlet_like(name) then
      local known
      for _, a in ipairs(rec.authors) do if a.name == name then known = a end end
      if not known then rec.authors[#rec.authors + 1] = { name = name, role = role }
      elseif not known.role then known.role = role end
    end
  end
end

--- Extract the record of a page's input (what corpus does with any reader's
--- input): the line rules with the hints, then the source's fields, then post.
--- Returns rec, trace (with info.trace).
function M.record(input, info)
  local extract = require "gisa.engine"
  local rec, trace = extract.extract(input.text, { file = info.file, encoding = input.encoding or info.encoding,
    trace = info.trace, hints = input.hints, site = input.site, no_title = input.no_title })
  for k, v in pairs(input.fields or {}) do rec[k] = v end
  for k, v in pairs(input.extra or {}) do if rec[k] == nil then rec[k] = v end end
  if input.post then input.post(rec) end
  return rec, trace
end

return M
