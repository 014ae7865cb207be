"""Status messages to the resident who left an email or phone, always after commit.

The first one carries the resident's private link (feedback/owner.py): the secret is in the text
sent and nowhere else, never in a log line (a failure is logged by the case's code alone).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from feedback import owner
from feedback.models import Case, TimelineEntry
from feedback.sms import send_sms

logger = logging.getLogger("feedback.notify")


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


def _send(case, subject, text):
    if not case.contact_consent:
        return
    if case.contact_email:
        try:
            send_mail(subject, text, None, [case.contact_email])
        except Exception:  # the mail server being down must not undo the resident's case
            logger.exception("status email for %s failed", case.code)
    if case.contact_phone:
        send_sms(case.contact_phone, text)
