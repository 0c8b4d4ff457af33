-- 머니투데이 (mt.co.kr). Headline, then "머니투데이 변휘 기자 | 2023.09.05 14:30"
-- (outlet, reporter and date on one line), a series label such as
-- "[MT리포트-…]⑥…", "편집자주 | …", photos credited "/사진=… 기자", and the
-- page ends with the "베스트 클릭" list of other stories.
-- Its article pages: h1.subject (h1.headline on the new layout), the text in
-- div#textBody (<br> paragraphs; #articleView with <p> on the new layout),
-- photos in table.article_photo with td.desc (caption <br> credit) or figure.
local L = require "gisa.rules.lib"

return {
  id = "mt",
  publisher = "머니투데이",
  threshold = 2,
  detect = {
    { find = "\n머니투데이 [^\n|]+ 기자 | ", weight = 2 },
    { text = "@mt.co.kr", weight = 2 },
    { text = "[MT리포트", weight = 1 },
    { text = "\n베스트 클릭\n", weight = 1 },
    { text = "머니투데이", weight = 1 },
  },
  -- the generic rules for crawler bodies and glued lines are not needed here
  rules = require("gisa.rules.crawl").lib.without({
    -- "베스트 클릭" and the numbered list under it ("  1. 1 …")
    { id = "mt-best-click", role = "removed", enter = "tail", max = 10, match = L.words{ "베스트 클릭" } },
  }),
  html = {
    detect = { hosts = { "mt.co.kr" }, site_names = { "머니투데이" } },
    title = "h1.subject, h1.headline",
    body = "#textBody, #articleView",
    caption = { "td.desc", "figcaption" },
    remove = { ".article_util", ".font_size_sample", ".best_click" },
  },
}
