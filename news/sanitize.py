"""The one gate every stored rich-text field passes through (nh3, Rust ammonia).

Only the structure the editor can make survives: paragraphs, headings, lists,
quotes, emphasis and links to http(s)/mailto/tel. No script or style elements,
no event handlers, no ``javascript:`` or ``data:`` URLs, no inline styles, no
classes or ids, whatever is posted.
"""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The editor's extensions, matching ALLOWED_TAGS (django-prose-editor "configurable" preset).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def clean_html(value):
    """Sanitised HTML; an editor's empty paragraph becomes an empty string."""
    if not value:
        return ""
    cleaned = _cleaner.clean(str(value)).strip()
    if cleaned in ("<p></p>", "<p><br></p>"):
        return ""
    return cleaned
