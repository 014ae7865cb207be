"""The feedback app's settings, each with a default (override them in settings or the environment)."""

from django.conf import settings

from core import sms


def reopen_days():
    """Days after 办结 during which a resident may say 不满意 and reopen the case."""
    return getattr(settings, "FEEDBACK_REOPEN_DAYS", 15)


def min_cases_for_rate():
    """A rate is shown only when at least this many cases stand behind it."""
    return getattr(settings, "FEEDBACK_MIN_CASES_FOR_RATE", 5)


def purge_open_cases_after_days():
    """Days a case may stay open before its contact data is erased all the same (feedback.retention)."""
    return getattr(settings, "FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS", 365)


def sms_backend():
    """The text-message gateway's class (core/sms.py, ``SMS_BACKEND``; the old name is still read)."""
    return sms.backend_path()


def code_prefix():
    return getattr(settings, "FEEDBACK_CODE_PREFIX", "SH")


def open311_jurisdiction():
    """The district's Open311 jurisdiction_id."""
    return getattr(settings, "OPEN311_JURISDICTION_ID", "xicheng.beijing.gov.cn")


def open311_media_hosts():
    """Hosts an Open311 media_url may point to (stored, never fetched); empty refuses every one."""
    return {host.lower() for host in getattr(settings, "OPEN311_MEDIA_HOSTS", ())}


def open311_contact():
    return getattr(settings, "OPEN311_CONTACT", "")
