"""Builders for service days, offerings, roles and volunteers (used by tests/events and tests/volunteers)."""

import datetime
import itertools

from django.utils import timezone

from events.models import ServiceDay, ServiceOffering, ServiceType
from tests import factories
from volunteers.models import Role, Signup, Skill, Team, Volunteer

_seq = itertools.count(1)


def service_type(name=None):
    return ServiceType.objects.get_or_create(name=name or f"服务{next(_seq)}")[0]


def day(community=None, days_ahead=7, **fields):
    date = fields.pop("date", None) or timezone.localdate() + datetime.timedelta(days=days_ahead)
    return ServiceDay.objects.create(
        community=community or factories.community(),
        title=fields.pop("title", f"便民服务日{next(_seq)}"),
        date=date,
        start_time=fields.pop("start_time", datetime.time(9, 0)),
        end_time=fields.pop("end_time", datetime.time(11, 30)),
        place=fields.pop("place", "健身广场"),
        status=fields.pop("status", ServiceDay.Status.PUBLISHED),
        **fields,
    )


def offering(day_=None, places=None, **fields):
    return ServiceOffering.objects.create(
        day=day_ or day(),
        service_type=fields.pop("service_type", None) or service_type(),
        resident_places=places,
        **fields,
    )


def role(day_=None, places=2, **fields):
    return Role.objects.create(
        day=day_ or day(), title=fields.pop("title", f"岗位{next(_seq)}"), places=places, **fields
    )


def volunteer(username=None, **fields):
    user = factories.user(username or f"vol{next(_seq)}", email=f"{username or next(_seq)}@example.org")
    return Volunteer.objects.create(
        user=user,
        real_name=fields.pop("real_name", f"志愿者{next(_seq)}"),
        phone=fields.pop("phone", "13812341234"),
        **fields,
    )


def skill(name="理发"):
    return Skill.objects.get_or_create(name=name)[0]


def team(community=None, **fields):
    n = next(_seq)
    return Team.objects.create(
        name=fields.pop("name", f"服务队{n}"),
        slug=fields.pop("slug", f"team-{n}"),
        community=community or factories.community(),
        **fields,
    )


def confirmed(role_, volunteer_):
    n = Signup.objects.filter(role=role_).count() + 1
    return Signup.objects.create(role=role_, volunteer=volunteer_, status="confirmed", seat=n, number=n)
