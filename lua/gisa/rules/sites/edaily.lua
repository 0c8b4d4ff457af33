-- 이데일리 (edaily.co.kr). Headline, deck lines, and the byline inside the first
-- paragraph: "[이데일리 임유경·김연서·김응열 기자] 본문…"; at the end
-- "임유경 (yklim01@edaily.co.kr)", "Copyright © 이데일리. 무단전재 및 재배포 금지."
-- and a list of other stories, each line starting "- ".
-- Its article pages: div.news_titles (h1 headline, h2 deck), 등록/수정 in
-- div.dates, the text in div.news_body (<br> paragraphs, the byline tag opening
-- the first), photos in table.gg_textshow with the caption in a class-less cell.
local lpeg = require "lpeg"
local L = require "gisa.rules.lib"

return {
  id = "edaily",
  publisher = "이데일리",
  threshold = 2,
  detect = {
    { text = "[이데일리 ", weight = 2 },
    { text = "@edaily.co.kr", weight = 2 },
    { text = "Copyright © 이데일리", weight = 2 },
    { text = "이데일리", weight = 1 },
  },
  -- the generic rules for crawler bodies and glued lines are not needed here
  rules = require("gisa.rules.crawl").lib.without({
    -- the other-stories list after the copyright line
    { id = "ed-other-stories", role = "removed", when = "tail", first = "-", pattern = lpeg.P"- " * L.char },
  }),
  html = {
    detect = { hosts = { "edaily.co.kr" }, site_names = { "이데일리" } },
    title = ".news_titles h1",
    body = "div.news_body",
    caption = { "table.gg_textshow td" },
    remove = { ".sns_area", ".news_list_other" },
  },
}
