"""Volunteer pages for `make bench`."""

from django.db.models import Count


def team_page():
    """The team with the most hours entries (its history table is the longest)."""
    from volunteers.models import Team

    team = Team.objects.annotate(n=Count("hours_entries")).order_by("-n", "pk").first()
    return team and team.get_absolute_url()


PAGES = {"team page": team_page}


def my_signups(user):
    return "/volunteers/me/"


# 我的报名 of the bench's volunteer (the one with the most sign-ups; ops/benchvisitors.py).
SIGNED_IN = {"我的报名": (("volunteer",), my_signups)}
