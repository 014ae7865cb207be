import io

import pytest
from django.core.management import call_command

from events.models import ServiceDay, ServiceOffering
from volunteers.models import HomeVisit, HoursEntry, Team, Volunteer

pytestmark = pytest.mark.django_db


def counts():
    return (
        ServiceDay.objects.count(),
        ServiceOffering.objects.count(),
        Volunteer.objects.count(),
        HoursEntry.objects.count(),
        HomeVisit.objects.count(),
    )


def test_demo_service_days_and_teams_load_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first

    coming = ServiceDay.objects.upcoming().filter(community__slug="chunshuyuan")
    assert coming.count() >= 3
    day = coming.first()
    assert day.place == "椿树园小区健身广场"
    assert {"义诊", "理发", "法律咨询", "健康咨询"} <= set(day.offerings.values_list("service_type__name", flat=True))
    assert day.offerings.filter(partner_unit__name="椿树社区卫生服务站").exists()

    team = Team.objects.get(slug="lishuangjun")
    assert team.founded_year == 2013 and team.makes_home_visits and team.community.slug == "wenjiajie"
    assert team.members.count() >= 4 and team.total_hours() > 0
    assert Volunteer.objects.get(user__username="volunteer-demo").signups.exists()
    assert HomeVisit.objects.filter(status="done", team=team).exists()
