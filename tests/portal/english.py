"""Find Chinese the portal itself writes on a page read in English.

Content people wrote (stories, cases, names of places, units and teams) is marked ``lang="zh-Hans"``
by the templates (core.lang); everything else on an English page must be free of Chinese characters.
The document's <title> and <meta> carry the page's content heading and are left out, as are <script>
and <style>; of attributes, the ones read out as interface (aria-label, title, placeholder) count.
"""

from html.parser import HTMLParser

from core.lang import CHINESE

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "title", "svg-title"}
READ_ATTRIBUTES = ("aria-label", "title", "placeholder")


class _Leaks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, is Chinese content, is skipped)
        self.leaks = []

    def _inside(self):
        return any(zh for _t, zh, _s in self.stack), any(skip for _t, _z, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        zh_here = (attrs.get("lang") or "").lower().startswith("zh")
        zh, skipped = self._inside()
        if not (zh or zh_here or skipped):
            for name in READ_ATTRIBUTES:
                value = attrs.get(name) or ""
                if CHINESE.search(value):
                    self.leaks.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            self.stack.append((tag, zh_here, tag in SKIPPED))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        zh, skipped = self._inside()
        if not (zh or skipped) and CHINESE.search(data):
            where = "/".join(t for t, _z, _s in self.stack[-3:])
            self.leaks.append(f"{where}: {data.strip()[:80]!r}")


def chinese_outside_content(html):
    """The pieces of Chinese on ``html`` that are not marked as content, with where they are."""
    parser = _Leaks()
    parser.feed(html)
    parser.close()
    return parser.leaks
