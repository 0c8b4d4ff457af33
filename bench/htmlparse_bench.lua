-- htmlparse_bench (was html_bench on the htmlcore branch): gisa.html on generated 50-100 KB news pages (bench/html_pages.lua):
-- parse (charset, libxml2, the Lua tree and its index), twenty selectors a page
-- of the kind extraction rules use, and the text of the article body. CPU
-- time, medians; the budget is what 400 pages/s of whole HTML extraction
-- leaves: parse well under 1 ms a page (issue 13).
local b = require "lib"
local html = require "gisa.html"
local pages_gen = require "html_pages"

local N = tonumber(os.getenv("HTML_BENCH_PAGES") or "300")
local pages, bytes = {}, 0
for i = 1, N do
  pages[i] = pages_gen.page(i)
  bytes = bytes + #pages[i]
end
local format = string.format
b.note("pages", format("%d pages, %.0f KB on average", N, bytes / N / 1024))

-- pages parsed and dropped, as extraction does (keeping 300 trees alive would
-- make every collection walk them all)
local t_parse = b.cputime(function()
  for i = 1, N do html.parse(pages[i]) end
end)
b.note("html.parse", format("%.3f ms a page, %.0f pages/s, %.1f MB/s", t_parse / N * 1000, N / t_parse,
  bytes / 1e6 / t_parse))
b.report("html.parse vs 1 ms a page", t_parse, N * 0.001, 1.0, "(base = the time N pages take at 1 ms each)")

local docs = {}
for i = 1, N do docs[i] = html.parse(pages[i]) end
local SELECTORS = { "h1", ".headline", "#article_body", "#article_body p", "figure figcaption", ".copyright",
  "meta", "script", ".relate_list li", "div.info span", "[class*=caption]", "article", "#articleBody",
  "h1, h2, h3", "ul li a", "footer", ".ad", "div > p", "link[rel=canonical]", "[itemprop=articleBody]" }
local t_select = b.cputime(function()
  for i = 1, N do
    local d = docs[i]
    for k = 1, #SELECTORS do d:select(SELECTORS[k]) end
  end
end)
b.note("20 selects a page", format("%.3f ms a page (%.1f us a select)", t_select / N * 1000,
  t_select / N / #SELECTORS * 1e6))

local t_text = b.cputime(function()
  for i = 1, N do docs[i]:first("#article_body"):text() end
end)
b.note("article body text()", format("%.3f ms a page", t_text / N * 1000))
