"""What a resident who booked is told, by text message to the phone they gave (core.notices).

Every function is called inside the transaction of the change it reports; the message is queued
when that transaction commits and sent by the worker, so a gateway's trouble never touches the
booking. Each message names the service, the day, the time and the place, and ends with the booking's
own page and 我的事项 (where the phone number opens every booking).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core import notices
from events.models import ResidentBooking


def _facts(booking):
    day = booking.offering.day
    return {
        "service": booking.offering.service_type.name,
        "title": day.title,
        "date": f"{day.date:%Y-%m-%d}",
        "time": f"{day.start_time:%H:%M}–{day.end_time:%H:%M}",
        "place": f"{day.community.name} {day.place}",
        "number": booking.number,
        "url": f"{settings.SITE_URL}{booking.get_absolute_url()}",
        "mine": f"{settings.SITE_URL}{reverse('my_things')}",
    }


def _send(booking, text):
    notices.send(phone=booking.phone, text=text)


def booked(booking):
    """Just booked: a place, or a number on the waiting list."""
    if booking.status == ResidentBooking.Status.CONFIRMED:
        text = _(
            "您已预约%(title)s的%(service)s，%(number)s 号。时间：%(date)s %(time)s，地点：%(place)s。"
            "查看或取消：%(url)s ；全部预约见“我的事项”：%(mine)s"
        )
    else:
        text = _(
            "%(title)s的%(service)s名额已满，您在候补队列中，排队号 %(number)s。有人取消时按顺序递补，"
            "递补成功会再发短信通知您。查看：%(url)s ；全部预约见“我的事项”：%(mine)s"
        )
    _send(booking, text % _facts(booking))


def promoted(bookings):
    """Moved up from the waiting list into a place."""
    for booking in bookings:
        text = _(
            "好消息：%(title)s的%(service)s有了空位，您已从候补转为正式预约，%(number)s 号。时间：%(date)s %(time)s，"
            "地点：%(place)s。如不能到场请取消，把名额让给别人：%(url)s"
        )
        _send(booking, text % _facts(booking))


def _active(day):
    return (
        ResidentBooking.objects.filter(offering__day=day)
        .exclude(status=ResidentBooking.Status.CANCELLED)
        .select_related("offering__service_type", "offering__day__community")
    )


def day_cancelled(day):
    """The day is cancelled: everyone who booked (or waits) hears it, with the reason."""
    for booking in _active(day):
        text = _("很抱歉，%(title)s（%(date)s）已取消%(reason)s。您预约的%(service)s不再进行，请不要前往。") % {
            **_facts(booking),
            "reason": _("，原因：%(reason)s") % {"reason": day.cancel_reason} if day.cancel_reason else "",
        }
        _send(booking, text)
    return _active(day).count()


def day_changed(day):
    """The date, the time or the place changed: everyone who booked (or waits) hears the new ones."""
    for booking in _active(day):
        text = _(
            "请注意：%(title)s的时间或地点有变化，现在是 %(date)s %(time)s，地点：%(place)s。"
            "您预约的%(service)s（%(number)s 号）仍然有效；不能到场请取消：%(url)s"
        )
        _send(booking, text % _facts(booking))
