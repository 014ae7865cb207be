"""News on the home, street and community pages (see core/blocks.py).

Each block runs a fixed number of queries: featured, latest (+ their
communities), and the latest column issue.
"""

from communities.models import Community
from core import fragments
from news.models import ColumnIssue, Story
from news.views import list_queryset

LATEST = 6


def _latest_issue():
    return (
        ColumnIssue.objects.select_related("column")
        .filter(stories__in=Story.objects.published())
        .order_by("-date", "-number")
        .first()
    )


@fragments.block(shows=(Story, Community))
def home_block(request):
    featured = list(list_queryset().filter(is_featured=True)[:3])
    latest = list(list_queryset().exclude(pk__in=[s.pk for s in featured])[:LATEST])
    issue = _latest_issue()
    if issue is not None:
        issue_stories = list(
            Story.objects.published().filter(column_issue=issue).only("title", "slug", "column_issue_id")
        )
    else:
        issue_stories = []
    if not (featured or latest or issue):
        return None
    return {
        "template": "news/block_home.html",
        "featured": featured,
        "latest": latest,
        "issue": issue,
        "issue_stories": issue_stories,
    }


@fragments.block(shows=(Story, Community))
def street_block(request, street):
    stories = list(
        list_queryset().filter(pk__in=Story.objects.filter(communities__street=street).values("pk"))[:LATEST]
    )
    return {
        "template": "news/block_place.html",
        "stories": stories,
        "more": f"/news/?street={street.slug}",
        "feed": f"/feeds/news/streets/{street.slug}/",
    }


@fragments.block(shows=(Story, Community))
def community_block(request, community):
    stories = list(list_queryset().filter(pk__in=Story.objects.filter(communities=community).values("pk"))[:LATEST])
    return {
        "template": "news/block_place.html",
        "stories": stories,
        "more": f"/news/?community={community.pk}",
        "feed": None,
    }
