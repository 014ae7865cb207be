"""Service days on the 工作台 (core.desk): where the desk lists events' models. What needs doing on a day
(volunteers short) is volunteers' part; residents' bookings need no action."""

from core import desk

MENU = {
    "serviceday": desk.DAYS,
    "recurringschedule": desk.DAYS,
    "residentbooking": desk.DAYS,
    "servicetype": desk.SETTINGS,
}


def todo(request):
    return []
