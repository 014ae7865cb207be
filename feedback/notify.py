"""Status messages to the resident who left an email or phone, always after commit.

Called after the action's commit; each message is queued through core.notices (sealed, sent by the
worker, tried again when a gateway fails). The first one carries the resident's private link
(feedback/owner.py): the secret is in the text sent and nowhere else, never in a log line.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from core import notices
from feedback import owner
from feedback.models import Case, TimelineEntry


def _track_url(case):
    return f"{settings.SITE_URL}{case.get_absolute_url()}"


def submitted(case_id, secret):
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    text = _(
        "您反映的问题已收到，查询码 %(code)s。请保存这个专属链接，凭它查看进度、评价办理结果和补充情况"
        "（请勿转给他人）：%(url)s"
    ) % {"code": case.code, "url": f"{settings.SITE_URL}{owner.path(case, secret)}"}
    _send(case, _("诉求已收到：%(code)s") % {"code": case.code}, text)


def status_changed(case_id, entry_id):
    case = Case.objects.filter(pk=case_id).first()
    entry = TimelineEntry.objects.filter(pk=entry_id).first()
    if case is None or entry is None or entry.role == "resident":
        return
    text = _("您的诉求 %(code)s 有新进展：%(action)s（%(status)s）。查看详情：%(url)s") % {
        "code": case.code,
        "action": entry.get_action_display(),
        "status": case.get_status_display(),
        "url": _track_url(case),
    }
    _send(case, _("诉求进展：%(code)s") % {"code": case.code}, text)
    if entry.message == TimelineEntry.Message.ABSORBED:
        return  # the merged case's reporter has just been told by ``merged``
    for follower in case.merged.all():  # the reporters of cases merged into this one follow it too
        _send(follower, _("诉求进展：%(code)s") % {"code": case.code}, text)


def merged(case_id, into_id):
    """The reporter of a case merged into another hears where their problem is followed now."""
    case = Case.objects.filter(pk=case_id).first()
    into = Case.objects.filter(pk=into_id).first()
    if case is None or into is None:
        return
    text = _(
        "您反映的问题（%(code)s）和诉求 %(into)s 是同一件事，已合并办理，以后的进展会发给您。查看详情：%(url)s"
    ) % {
        "code": case.code,
        "into": into.code,
        "url": _track_url(into),
    }
    _send(case, _("诉求已合并：%(code)s") % {"code": case.code}, text)


def _send(case, subject, text):
    if not case.contact_consent:
        return
    notices.send(phone=case.contact_phone, email=case.contact_email, subject=subject, text=text)
