"""The news desk on the 工作台 (core.desk): stories waiting for review, scheduled ones, my drafts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import desk
from news.models import Story
from news.workflow import can_publish

MENU = {
    "story": desk.STORIES,
    "storysection": desk.STORIES,
    "columnissue": desk.STORIES,
    "column": desk.STORIES,
    "tag": desk.STORIES,
}


def _label(story):
    return story.title


def _when(story):
    return _("%(title)s（%(when)s 发布）") % {
        "title": story.title,
        "when": timezone.localtime(story.published_at).strftime("%m-%d %H:%M"),
    }


def todo(request):
    user = request.user
    if not user.has_perm("news.view_story"):
        return []
    stories = Story.objects.visible_to(user).order_by("-updated_at", "-pk")
    review = stories.filter(status=Story.Status.REVIEW)
    found = []
    if can_publish(user):
        found.append(
            desk.Todo.of(
                _("等我审核的稿件"),
                review,
                desk.changelist(Story, status__exact=Story.Status.REVIEW),
                _label,
                hint=_("看过没问题就发布，或退回修改。"),
                urgent=True,
            )
        )
        found.append(
            desk.Todo.of(
                _("定时发布的稿件"),
                stories.scheduled().order_by("published_at", "pk"),
                desk.changelist(Story, status__exact=Story.Status.PUBLISHED),
                _when,
                hint=_("到时间会自动出现在网站上。"),
            )
        )
    else:
        found.append(
            desk.Todo.of(
                _("已提交、等街道审核的稿件"),
                review,
                desk.changelist(Story, status__exact=Story.Status.REVIEW),
                _label,
            )
        )
    found.append(
        desk.Todo.of(
            _("我的草稿"),
            stories.filter(status=Story.Status.DRAFT, created_by=user),
            desk.changelist(Story, status__exact=Story.Status.DRAFT),
            _label,
        )
    )
    return found
