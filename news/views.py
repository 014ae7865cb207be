"""Pages residents read. Each runs a fixed number of SQL queries whatever the data size."""

import functools

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from communities.models import Community, Street
from core import fragments
from core.params import id_or_none
from news import preview
from news.models import Column, ColumnIssue, Photo, Story, StorySection, Tag

PAGE_SIZE = 10


def list_queryset():
    """Published stories with what a list item shows (one extra query for communities)."""
    return (
        Story.objects.published()
        .for_list()
        .prefetch_related(Prefetch("communities", queryset=Community.objects.select_related("street")))
    )


def _detail_prefetches():
    return (
        "tags",
        Prefetch("communities", queryset=Community.objects.select_related("street")),
        Prefetch(
            "sections",
            queryset=StorySection.objects.select_related("community__street").prefetch_related(
                Prefetch("photos", queryset=Photo.objects.order_by("order", "pk"))
            ),
        ),
        "corrections",
    )


def qr_svg(url):
    """An inline SVG QR code (no image files, no external service)."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=3, border=2, svgclass="qr-code", lineclass=None, omitsize=False))  # noqa: S308 - segno output


def _group_photos(section):
    photos = list(section.photos.all())
    section.plain_photos = [p for p in photos if not p.role]
    section.before_photos = [p for p in photos if p.role == Photo.Role.BEFORE]
    section.after_photos = [p for p in photos if p.role == Photo.Role.AFTER]


def story_context(request, pk=None, preview=False, slug=None):
    """Everything the story page shows; the admin preview and the signed preview use it too."""
    queryset = Story.objects.select_related("column_issue__column")
    queryset = queryset if preview else queryset.published()
    story = get_object_or_404(queryset, **({"pk": pk} if pk is not None else {"slug": slug}))
    absolute_url = settings.SITE_URL + story.get_absolute_url()
    column = story.column_issue.column if story.column_issue else None
    # The rest is read only when the page's fragments are drawn (core/fragments.py): a kept story
    # page costs the query above and nothing more. Inside them the page uses ``full_story``, the
    # story with its tags, communities, sections and corrections.
    return {
        "story": story,
        "column": column,
        "absolute_url": absolute_url,
        "preview": preview,
        "fontsizes": [("l", _("大")), ("m", _("中")), ("s", _("小"))],
        **fragments.lazy(functools.partial(_story_parts, story, absolute_url), _STORY_PARTS),
    }


_STORY_PARTS = ("full_story", "sections", "previous_story", "next_story", "related", "latest", "og_image", "qr_svg")


def _story_parts(story, absolute_url):
    prefetch_related_objects([story], *_detail_prefetches())
    sections = list(story.sections.all())
    for section in sections:
        _group_photos(section)
    tag_ids = [t.pk for t in story.tags.all()]
    community_ids = [c.pk for c in story.communities.all()]
    published = Story.objects.published().only("title", "slug", "published_at")
    previous_story = next_story = None
    if story.published_at:
        previous_story = (
            published.filter(published_at__lte=story.published_at)
            .filter(Q(published_at__lt=story.published_at) | Q(pk__lt=story.pk))
            .order_by("-published_at", "-pk")
            .first()
        )
        next_story = (
            published.filter(published_at__gte=story.published_at)
            .filter(Q(published_at__gt=story.published_at) | Q(pk__gt=story.pk))
            .order_by("published_at", "pk")
            .first()
        )
    related = list(
        published.exclude(pk=story.pk)
        .filter(pk__in=Story.objects.filter(Q(tags__in=tag_ids) | Q(communities__in=community_ids)).values("pk"))
        .order_by("-published_at", "-pk")[:5]
    )
    latest = list(published.exclude(pk=story.pk).order_by("-published_at", "-pk")[:6])
    cover = story.cover_renditions[-1] if story.cover_renditions else None
    if cover is None:
        for section in sections:
            if section.plain_photos or section.before_photos or section.after_photos:
                first = (section.plain_photos or section.before_photos or section.after_photos)[0]
                cover = first.largest
                break
    return {
        "full_story": story,
        "sections": sections,
        "previous_story": previous_story,
        "next_story": next_story,
        "related": related,
        "latest": latest,
        "og_image": settings.SITE_URL + cover["url"] if cover else "",
        "qr_svg": qr_svg(absolute_url),
    }


def story_detail(request, slug):
    return render(request, "news/story_detail.html", story_context(request, slug=slug))


def story_preview(request, token):
    """A signed link that shows a draft exactly as it will look, until it expires."""
    try:
        pk = preview.story_id_from(token)
    except preview.PreviewExpired:
        return render(request, "news/preview_expired.html", status=410)
    except preview.PreviewInvalid:
        raise Http404 from None
    response = render(request, "news/story_detail.html", story_context(request, pk, preview=True))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def story_list(request):
    stories = list_queryset()
    street = request.GET.get("street", "")[:50]
    community = id_or_none(request.GET.get("community"))
    column = request.GET.get("column", "")[:50]
    tag = request.GET.get("tag", "")[:50]
    if street:
        stories = stories.filter(pk__in=Story.objects.filter(communities__street__slug=street).values("pk"))
    if community:
        stories = stories.filter(pk__in=Story.objects.filter(communities=community).values("pk"))
    if column:
        stories = stories.filter(column_issue__column__slug=column)
    if tag:
        stories = stories.filter(pk__in=Story.objects.filter(tags__slug=tag).values("pk"))
    # Lazy: the list is drawn in a fragment (core/fragments.py); a kept one reads no story.
    page = SimpleLazyObject(lambda: Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page")))
    streets = Street.objects.prefetch_related(
        Prefetch("communities", queryset=Community.objects.order_by("sort_order", "name"))
    )
    return render(
        request,
        "news/story_list.html",
        {
            "page_obj": page,
            "stories": SimpleLazyObject(lambda: page.object_list),
            "streets": streets,
            "columns": Column.objects.all(),
            "tags": Tag.objects.all(),
            "selected": {"street": street, "community": community, "column": column, "tag": tag},
            "filtered": bool(street or community or column or tag),
        },
    )


def column_detail(request, slug):
    column = get_object_or_404(Column, slug=slug)
    issues = column.issues.prefetch_related(
        Prefetch("stories", queryset=Story.objects.published().only("title", "slug", "column_issue_id", "published_at"))
    ).order_by("-number")
    page = Paginator(issues, 12).get_page(request.GET.get("page"))
    return render(request, "news/column_detail.html", {"column": column, "page_obj": page, "issues": page.object_list})


def issue_detail(request, slug, number):
    issue = get_object_or_404(ColumnIssue.objects.select_related("column"), column__slug=slug, number=number)

    def parts():
        siblings = ColumnIssue.objects.filter(column=issue.column).only("number", "headline", "column_id")
        return {
            "stories": list_queryset().filter(column_issue=issue),
            "previous_issue": siblings.filter(number__lt=issue.number).order_by("-number").first(),
            "next_issue": siblings.filter(number__gt=issue.number).order_by("number").first(),
        }

    # The stories and the neighbours are drawn in a fragment (core/fragments.py): read only on a miss.
    names = ("stories", "previous_issue", "next_issue")
    return render(
        request, "news/issue_detail.html", {"issue": issue, "column": issue.column, **fragments.lazy(parts, names)}
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = list_queryset().filter(pk__in=Story.objects.filter(tags=tag).values("pk"))
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/tag_detail.html", {"tag": tag, "page_obj": page, "stories": page.object_list})
