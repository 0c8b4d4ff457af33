-- 한국경제 (hankyung.com, 한경닷컴). A scrape starts with the headline, then the
-- toolbar ("기사 스크랩", "공유", "댓글", "클린뷰", "프린트" between "-" lines),
-- the deck, often printed twice, and ends "ⓒ 한경닷컴, 무단전재 및 재배포 금지"
-- followed by "ADVERTISEMENT" lines. Interviews use "▷질문" + a quoted answer.
-- Its article pages: headline h1.headline, the text in div#articletxt.article-body
-- (<br> paragraphs, figure/figcaption photos), 입력/수정 in div.datetime, the
-- reporter in div.author-wrap, the toolbar in div.article-util.
local L = require "gisa.rules.lib"

return {
  id = "hankyung",
  publisher = "한국경제",
  threshold = 2,
  detect = {
    { text = "ⓒ 한경닷컴", weight = 2 },
    { text = "\n클린뷰\n", weight = 2 },
    { text = "\n기사 스크랩\n", weight = 1 },
    { text = "한경닷컴", weight = 1 },
  },
  -- the generic rules for crawler bodies and glued lines are not needed here
  rules = require("gisa.rules.crawl").lib.without({
    -- the toolbar words the generic share-words list does not know
    { id = "hk-toolbar", role = "removed", max = 10, match = L.words{ "클린뷰", "기사 스크랩" } },
  }),
  html = {
    detect = { hosts = { "hankyung.com" }, site_names = { "한국경제", "한경닷컴" } },
    title = "h1.headline",
    body = "#articletxt, #articleBody, div.article-body",
    caption = { "figcaption", ".figure-caption", ".txt-caption" },
    remove = { ".article-util", ".ad-area", ".ad", ".related-news", ".news-list-related" },
  },
}
