"""News pages for `make bench` (name -> function returning a path on the data set)."""

from urllib.parse import quote

from django.db.models import Count
from django.urls import reverse


def news_list():
    return "/news/"


def story_page():
    """A recent story with several sections and photos: the heaviest kind a reader opens."""
    from news.models import Story

    story = (
        Story.objects.published()
        .annotate(n_sections=Count("sections", distinct=True), n_photos=Count("sections__photos"))
        .filter(n_sections__gte=2, n_photos__gte=1)
        .order_by("-published_at")
        .first()
    )
    return story and story.get_absolute_url()


def column_issue():
    from news.models import ColumnIssue, Story

    issue = (
        ColumnIssue.objects.select_related("column")
        .filter(stories__in=Story.objects.published())
        .order_by("-date", "-number")
        .first()
    )
    return issue and issue.get_absolute_url()


def search():
    return "/search/?q=" + quote("社区")


PAGES = {"news list": news_list, "story page": story_page, "column issue": column_issue, "search": search}


def story_admin_list(user):
    return reverse("admin:news_story_changelist")


def story_admin_search(user):
    return reverse("admin:news_story_changelist") + "?q=" + quote("社区")


# The staff's story list (20,000 stories), as each staff visitor of the bench (ops/benchvisitors.py).
SIGNED_IN = {
    "story list": (("district admin", "community worker"), story_admin_list),
    "story search": (("district admin", "community worker"), story_admin_search),
}
