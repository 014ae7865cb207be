"""Volunteering on the 工作台 (core.desk): coming service days in my scope whose roles still need people."""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import scope
from core import desk
from events.models import ServiceDay
from volunteers.models import Role, Signup

MENU = {
    "volunteer": desk.VOLUNTEERS,
    "team": desk.VOLUNTEERS,
    "signup": desk.VOLUNTEERS,
    "hoursentry": desk.VOLUNTEERS,
    "homevisit": desk.VOLUNTEERS,
    "skill": desk.SETTINGS,
}


def short_days(user):
    """Published days from today on, in the user's scope, with fewer people signed up than places."""
    places = Role.objects.filter(day=OuterRef("pk")).values("day").annotate(n=Sum("places")).values("n")[:1]
    taken = (
        Signup.objects.filter(role__day=OuterRef("pk"), seat__isnull=False)
        .values("role__day")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        ServiceDay.objects.filter(
            status=ServiceDay.Status.PUBLISHED,
            date__gte=timezone.localdate(),
            community__in=scope.scoped_communities(user).values("pk"),
        )
        .annotate(
            places=Coalesce(Subquery(places, output_field=IntegerField()), 0),
            taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0),
        )
        .filter(places__gt=F("taken"))
        .order_by("date", "start_time", "pk")
    )


def _day(day):
    return _("%(date)s %(title)s（还差 %(n)s 人）") % {
        "date": day.date.strftime("%m-%d"),
        "title": day.title,
        "n": day.places - day.taken,
    }


def todo(request):
    user = request.user
    if not user.has_perm("events.change_serviceday"):
        return []
    return [
        desk.Todo.of(
            _("还缺志愿者的服务日"),
            short_days(user),
            desk.changelist(ServiceDay, date__gte=timezone.localdate().isoformat()),
            _day,
            hint=_("打开服务日可以看各岗位的报名，联系服务队补人。"),
        )
    ]
