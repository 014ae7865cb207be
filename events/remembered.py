"""The bookings made in this browser, so a service-day page can say "您已预约" before the button.

A resident books without an account; the booking's token (the key of its own page) is kept in a
signed, HttpOnly cookie of the browser that booked, the way the 附议 cookie remembers cases. The page
asks the database once, only when the cookie is there, for those of its day's services that are
not cancelled; a cookie never shows a booking of another browser, and a stale token shows nothing.
A visitor carrying the cookie is no longer served from the shared page cache (core/pagecache.py),
so one resident's "您已预约" is never shown to another.
"""

import uuid

from events.models import ResidentBooking

COOKIE = "ev_booked"
SALT = "events.booked"
KEEP = 30  # tokens: a year of service days for one household


def _tokens(request):
    raw = request.get_signed_cookie(COOKIE, default="", salt=SALT)
    tokens = []
    for part in raw.split(","):
        try:
            tokens.append(uuid.UUID(part))
        except ValueError:
            continue
    return tokens


def remember(request, response, *bookings):
    """Adds the bookings just made (one form may book several services) to this browser's cookie."""
    new = [booking.token for booking in bookings]
    tokens = [t for t in _tokens(request) if t not in new][-max(KEEP - len(new), 0) :] + new[-KEEP:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(str(t) for t in tokens),
        salt=SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def bookings_on(request, day):
    """{offering id: booking} for this browser's live bookings on ``day`` (no query without the cookie)."""
    tokens = _tokens(request)
    if not tokens:
        return {}
    rows = ResidentBooking.objects.filter(token__in=tokens, offering__day=day).exclude(
        status=ResidentBooking.Status.CANCELLED
    )
    return {b.offering_id: b for b in rows}
