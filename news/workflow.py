"""Who may move a story to which state: the publishing rules in one place.

A community worker drafts and submits for review. A street editor (or anyone
with ``news.publish_story`` whose scope covers the story) publishes, schedules
and withdraws. Published or withdrawn stories are changed only by those who
may publish. The admin calls these functions; it never decides on its own.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from news.models import Story

Status = Story.Status
PUBLISH_PERM = "news.publish_story"


class WorkflowError(Exception):
    """A refused state change, with a message for the person who asked."""


def can_publish(user):
    return user.has_perm(PUBLISH_PERM)


def allowed_statuses(user, story=None):
    """The states this user may leave the story in."""
    if can_publish(user):
        return list(Status.values)
    return [Status.DRAFT, Status.REVIEW]


def can_edit(user, story):
    """Workers may edit drafts and stories waiting for review, not what is out."""
    if story is None or can_publish(user):
        return True
    return story.status in (Status.DRAFT, Status.REVIEW)


def check_change(user, old_status, new_status):
    """Raise WorkflowError unless ``user`` may move a story from old_status to new_status."""
    if old_status == new_status and new_status in (Status.DRAFT, Status.REVIEW):
        return
    if can_publish(user):
        return
    if old_status not in (None, Status.DRAFT, Status.REVIEW):
        raise WorkflowError(_("已发布或已撤回的稿件只能由街道编辑修改。"))
    if new_status not in (Status.DRAFT, Status.REVIEW):
        raise WorkflowError(_("您没有发布权限：请把稿件提交审核，由街道编辑发布。"))


def _in_scope(user, story):
    return Story.objects.visible_to(user).filter(pk=story.pk).exists()


def _move(user, story, new_status, **changes):
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not _in_scope(user, locked):
            raise WorkflowError(_("这篇稿件不在您的管辖范围内。"))
        check_change(user, locked.status, new_status)
        locked.status = new_status
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._change_reason = str(Status(new_status).label)
        locked.save()
    story.refresh_from_db()
    return story


def submit(user, story):
    if story.status != Status.DRAFT:
        raise WorkflowError(_("只有草稿可以提交审核。"))
    if not story.title or not (story.body or story.sections.exists()):
        raise WorkflowError(_("稿件还没有正文，请写好后再提交审核。"))
    return _move(user, story, Status.REVIEW)


def publish(user, story, at=None):
    """Publish now, or at ``at`` (a future time schedules it)."""
    if not can_publish(user):
        raise WorkflowError(_("您没有发布权限：请把稿件提交审核，由街道编辑发布。"))
    if not story.communities.exists() and not story.sections.exists():
        raise WorkflowError(_("请先选择稿件涉及的社区。"))
    when = at or story.published_at or timezone.now()
    if story.status == Status.WITHDRAWN and at is None:
        when = timezone.now()
    return _move(user, story, Status.PUBLISHED, published_at=when)


def withdraw(user, story):
    if not can_publish(user):
        raise WorkflowError(_("您没有撤回权限。"))
    if story.status != Status.PUBLISHED:
        raise WorkflowError(_("只有已发布的稿件可以撤回。"))
    return _move(user, story, Status.WITHDRAWN)
