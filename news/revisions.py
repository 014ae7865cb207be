"""Versions of a story, compared side by side and restored (django-simple-history keeps the rows).

A version is one historical row of the story plus its sections as they stood until the story was
next saved: the admin saves the story first and its sections just after, so "sections before the
next story version" is what the editor saw when they pressed 保存.

``compare(old, new)`` gives, per field, the two texts with what changed marked (difflib, by
character: Chinese has no spaces between words). ``restore(story, version, user)`` puts the words
of ``version`` back — title, subtitle, lead, body, signature and section texts — as a new version;
the status, photos and communities stay as they are (publishing has its own rules).
"""

import difflib

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import scope
from news.models import Story, StorySection

RESTORED_FIELDS = ["title", "subtitle", "lead", "body", "source", "author", "responsible_editor", "cover_alt"]
COMPARED = [
    ("title", gettext_lazy("标题")),
    ("subtitle", gettext_lazy("副标题")),
    ("lead", gettext_lazy("导语")),
    ("body", gettext_lazy("正文")),
]


def next_version(version):
    return Story.history.filter(id=version.id, history_date__gt=version.history_date).order_by("history_date").first()


def sections_of(version):
    """The story's sections (historical rows, in reading order) as they stood in ``version``."""
    rows = StorySection.history.filter(story_id=version.id)
    later = next_version(version)
    if later is not None:
        rows = rows.filter(history_date__lt=later.history_date)
    latest = {}
    for row in rows.order_by("history_date", "history_id"):
        latest[row.id] = row
    return sorted((r for r in latest.values() if r.history_type != "-"), key=lambda r: (r.order, r.id))


def _plain(html):
    return strip_tags((html or "").replace("</p>", "</p>\n")).strip()


def _marked(a, b):
    """(old, new) as HTML: deleted characters in <del> on the old side, inserted in <ins> on the new."""
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(a[i1:i2]))
            right.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece is escaped


def compare(old, new):
    """[{"label", "old", "new", "changed"}...]: the story's fields, then each section (matched by id)."""
    rows = []
    for name, label in COMPARED:
        a, b = getattr(old, name) or "", getattr(new, name) or ""
        if name == "body":
            a, b = _plain(a), _plain(b)
        left, right = _marked(a, b)
        rows.append({"label": label, "old": left, "new": right, "changed": a != b})
    old_sections = {s.id: s for s in sections_of(old)}
    new_sections = {s.id: s for s in sections_of(new)}
    for sid in list(dict.fromkeys([*old_sections, *new_sections])):
        a_row, b_row = old_sections.get(sid), new_sections.get(sid)
        a = f"{a_row.heading}\n{_plain(a_row.body)}" if a_row else ""
        b = f"{b_row.heading}\n{_plain(b_row.body)}" if b_row else ""
        left, right = _marked(a, b)
        heading = (b_row or a_row).heading
        rows.append({"label": _("段落：%(h)s") % {"h": heading}, "old": left, "new": right, "changed": a != b})
    return rows


def restore(story, version, user):
    """Put the words of ``version`` back on ``story`` as a new version; returns the sections skipped.

    A section deleted since is made again when its community is in ``user``'s scope (skipped, and
    named in the result, otherwise). Sections added since stay: deleting them would lose photos.
    """
    if version.id != story.pk:
        raise ValueError("the version belongs to another story")
    skipped = []
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story.pk)
        for name in RESTORED_FIELDS:
            setattr(story, name, getattr(version, name))
        story._change_reason = _("恢复到 %(t)s 的版本") % {
            "t": timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M")
        }
        story.save()
        allowed = set(scope.scoped_communities(user).values_list("pk", flat=True))
        for row in sections_of(version):
            section = StorySection.objects.filter(pk=row.id, story=story).first()
            if section is None:
                if row.community_id not in allowed:
                    skipped.append(row.heading)
                    continue
                section = StorySection(pk=row.id, story=story, community_id=row.community_id)
            section.heading, section.body, section.order = row.heading, row.body, row.order
            section.save()
    return skipped
