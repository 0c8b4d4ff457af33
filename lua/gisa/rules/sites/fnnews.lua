-- 파이낸셜뉴스 (fnnews.com). A scrape starts with the section ("IT 인터넷/SNS"),
-- then headline, reporter, "파이낸셜뉴스", "입력 …" / "수정 …" lines and the deck;
-- the first paragraph opens with the tag "[파이낸셜뉴스]"; the byline at the end
-- is "soup@fnnews.com 임수빈 김미희 기자" (the address belongs to the first name);
-- then the "fnSurvey" widget.
-- Its article pages: headline h1.tit_view, the text in div#article_content
-- (<br> paragraphs), 입력/수정 in div.byline, photo captions p.img_desc or
-- span.caption in div.art_img, share buttons in div.share_area.
local L = require "gisa.rules.lib"

return {
  id = "fnnews",
  publisher = "파이낸셜뉴스",
  threshold = 2,
  detect = {
    { text = "[파이낸셜뉴스]", weight = 2 },
    { text = "@fnnews.com", weight = 2 },
    { text = "\n파이낸셜뉴스\n", weight = 1 },
    { text = "fnSurvey", weight = 1 },
  },
  -- the generic rules for crawler bodies and glued lines are not needed here
  rules = require("gisa.rules.crawl").lib.without({
    -- the section label is the first line, before the headline
    { id = "fn-section", role = "section", when = "head", max = 20,
      match = function(line, ctx)
        return ctx.i == ctx.first and not ctx.rec.title and not L.final(line.text)
      end },
    { id = "fn-survey", role = "removed", max = 10, match = L.words{ "fnSurvey" } },
  }),
  html = {
    detect = { hosts = { "fnnews.com" }, site_names = { "파이낸셜뉴스" } },
    title = "h1.tit_view, h1.tit_thumb, .article_head h1",
    body = "#article_content, div.article_cont",
    caption = { ".img_desc", ".art_img .caption", "figcaption" },
    remove = { ".share_area", ".rel_news", ".ad_inner", "#comment_area", ".fontsize" },
  },
}
