"""From case to story: a resolved case becomes a DRAFT news story for an editor to finish.

The story is assembled by ``news.stories.build_story`` (one section, for the case's community);
the case's photos, before and after, become that section's photos. Every piece of text taken from
the case goes through ``_public`` on the way: a story is public, whatever the row it came from
holds (an old row, a department's plan with a phone number in it).
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _

from core.controls import strip_controls
from core.privacy import scrub_phones
from feedback.models import Case, CaseError
from feedback.workflow import community_role
from news.models import Photo, Story
from news.stories import build_story

SOURCE = "西城社区服务平台 · 吹哨报到"


def story_slug(case):
    return f"feedback-{case.code.lower()}"


def _public(text):
    return scrub_phones(strip_controls(text))


def _timeline_html(case):
    entries = case.timeline.filter(is_public=True).select_related("task__department").order_by("created_at", "pk")
    rows = [
        (
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d"),
            entry.get_action_display(),
            entry.department_name or entry.get_role_display(),
            _public(entry.plain_text),
        )
        for entry in entries
    ]
    items = format_html_join("", "<li><strong>{} {}</strong>（{}）：{}</li>", rows)
    return format_html("<ol>{}</ol>", items)


def case_to_story(case, user):
    """Create (or return the already created) draft story for a resolved case."""
    case = Case.objects.select_related("community__street", "category").get(pk=case.pk)
    community_role(user, case)  # only staff of the case's community, street or district
    if case.status not in (Case.Status.RESOLVED, Case.Status.CONFIRMED):
        raise CaseError(_("只有已办结的诉求才能生成新闻稿。"))
    existing = Story.objects.filter(slug=story_slug(case)).first()
    if existing is not None:
        return existing
    community = case.community
    tasks = list(case.tasks.filter(round=case.round).select_related("department").order_by("-is_lead", "pk"))
    departments = "、".join(f"{t.department.name}（{t.role_label}）" for t in tasks)
    title = _("%(community)s：%(place)s的%(category)s问题解决了") % {
        "community": community.name,
        "place": _public(case.place),
        "category": case.category.name,
    }
    lead = _public(case.public_text)[:200]
    plans = [_public(t.plan) for t in tasks if t.plan]
    results = [_public(t.result) for t in tasks if t.result]
    paragraphs = [
        _("居民反映：%(text)s") % {"text": _public(case.public_text)},
        _("社区受理后“吹哨”，%(departments)s到现场“报到”。") % {"departments": departments} if departments else "",
        _("处置方案：%(plans)s") % {"plans": "；".join(plans)} if plans else "",
        _("办理结果：%(results)s") % {"results": "；".join(results)} if results else "",
        _("居民评价：%(rating)s。") % {"rating": case.get_rating_display()} if case.rating else "",
    ]
    section_body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    body = format_html(
        "<p>{}</p><h2>{}</h2>{}",
        lead,
        _("办理经过"),
        _timeline_html(case),
    )
    with transaction.atomic():
        story, (section,) = build_story(
            story_slug(case),
            [{"community": community, "heading": f"{community.street.name} · {community.name}", "body": section_body}],
            title=title[:200],
            lead=lead,
            body=str(body),
            source=SOURCE,
            status=Story.Status.DRAFT,
        )
        for order, photo in enumerate(case.photos.order_by("-role", "order", "pk")):
            with photo.image.open("rb") as source:
                content = ContentFile(source.read(), name=f"{case.code.lower()}-{photo.role}-{order}.jpg")
            text = _public(photo.alt_text) or photo.get_role_display()
            Photo.objects.create(
                section=section,
                image=content,
                caption=text,
                alt_text=text,
                is_file_photo=False,
                role=photo.role,
                order=order,
            )
    return story
