-- 지디넷코리아 (zdnet.co.kr). Headline, deck, then one line that glues the
-- section to the dates: "컴퓨팅입력 :2023/12/26 17:07    수정: 2023/12/26 17:19".
-- Photos are credited "(사진=…)"; "관련기사" stands alone in the body.
-- Its article pages: div.news_head (section link, h1, "입력 :…/수정:…" in
-- p.meta), the text in div#articleBody (p and figure/figcaption), a related
-- list inside the body, tags and comments after it.
local lpeg = require "lpeg"
local L = require "gisa.rules.lib"

-- "SECTION입력 :" — the section is everything before "입력"
local section_dates = lpeg.C((L.char - lpeg.P"입력") ^ 0) * lpeg.Cp() * lpeg.P"입력" * L.sp ^ 0 * lpeg.P":"

return {
  id = "zdnet",
  publisher = "지디넷코리아",
  threshold = 2,
  detect = {
    { find = "입력 :%d%d%d%d/%d%d/%d%d", weight = 2 },
    { text = "지디넷코리아", weight = 2 },
    { text = "zdnet.co.kr", weight = 2 },
  },
  -- the generic rules for crawler bodies and glued lines are not needed here
  rules = require("gisa.rules.crawl").lib.without({
    { id = "zd-dateline", role = "date", max = 120, has = "입력",
      match = function(line, ctx)
        local section, pos = section_dates:match(line.text)
        if not section then return nil end
        local d = ctx.set.dates:line(line.text:sub(pos))
        if not d then return nil end
        section = L.trim(section)
        return { dates = d, section = section ~= "" and section or nil }
      end },
  }),
  html = {
    detect = { hosts = { "zdnet.co.kr" }, site_names = { "지디넷코리아", "ZDNet Korea" } },
    title = ".news_head h1",
    body = "#articleBody, div.view_cont",
    caption = { "figcaption", ".img_view .caption" },
    section = ".news_head .section",
    remove = { ".news_sns", ".related_news", ".news_tag", ".reply" },
  },
}
