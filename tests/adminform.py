"""Read a rendered admin change form back into the POST a person pressing 保存 would send."""

import re
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = []
        self.inside = False
        self._select = None
        self._selected = []
        self._first_option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = (name, "multiple" in attrs)
            self._selected, self._first_option = [], None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._selected.append(value)
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = self._selected or ([] if multiple else [self._first_option or ""])
            self.data.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A textarea's first newline belongs to the markup, not the value.
            name, value = self._textarea
            self.data.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None


def unchanged_post(html, **changes):
    """The admin form's fields as a dict of lists (what the test client posts), with ``changes`` applied."""
    parser = _Form()
    parser.feed(html)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    data["_save"] = ["保存"]
    return data


def save_unchanged(client, url, **changes):
    """GET the change form, POST it back as it came (plus ``changes``) and expect the redirect of a save."""
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, unchanged_post(page.content.decode(), **changes))
    errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    return response
