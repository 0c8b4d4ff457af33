# bench peer: readability-lxml (Debian python3-readability) on every page named
# on the command line; prints the number of pages it extracted. The same work
# gisa does: read the bytes, find the article, get its text and title.
import sys
from readability import Document
from lxml import html as lxml_html

n = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    doc = Document(raw)
    title = doc.short_title()
    summary = doc.summary(html_partial=True)
    text = lxml_html.fromstring(summary).text_content()
    if title or text:
        n += 1
print(n)
