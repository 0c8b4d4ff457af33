# bench peer for html_fields.lua: readability-lxml (Debian python3-readability) on
# every page named on the command line; one JSON line a page with its title
# (short_title) and body: the text of each block of the content it chose (p, div,
# li, h1-h6, td, figcaption, blockquote with no block inside; <br> splits a block),
# blanks collapsed, empty ones dropped. Only title and body: the rest it does not give.
import json
import re
import sys
from readability import Document
from lxml import html as lxml_html

BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "figcaption", "blockquote", "pre", "dd", "dt"}


def texts(el, out):
    if not isinstance(el.tag, str):
        return
    has_block = any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el.iter() if c is not el)
    if el.tag in BLOCKS and not has_block:
        cur = [el.text or ""]
        for c in el:
            if isinstance(c.tag, str) and c.tag == "br":
                out.append("".join(cur))
                cur = [c.tail or ""]
            else:
                cur.append(c.text_content() if isinstance(c.tag, str) else "")
                cur.append(c.tail or "")
        out.append("".join(cur))
        return
    for c in el:
        texts(c, out)


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    doc = Document(raw)
    title = doc.short_title()
    summary = doc.summary(html_partial=True)
    out = []
    texts(lxml_html.fromstring(summary), out)
    body = [t for t in (re.sub(r"\s+", " ", x).strip() for x in out) if t]
    print(json.dumps({"file": path, "title": title or None, "body": body}, ensure_ascii=False))
