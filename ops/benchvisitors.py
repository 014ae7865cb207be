"""The signed-in visitors of `make bench`: a district administrator, a community worker and a volunteer.

Each is an account the bench makes on the seeded data set the first time (``bench-district-admin``,
``bench-community-worker`` of the community with the most cases, ``bench-volunteer`` given to the
volunteer with the most sign-ups), and a session the bench's wrk sends as its cookie. The accounts
have no password (they cannot sign in by any form) and no authenticator.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings

DISTRICT_ADMIN = "district admin"
COMMUNITY_WORKER = "community worker"
VOLUNTEER = "volunteer"
STAFF = (DISTRICT_ADMIN, COMMUNITY_WORKER)
VISITORS = (DISTRICT_ADMIN, COMMUNITY_WORKER, VOLUNTEER)


def _account(username):
    user, made = get_user_model().objects.get_or_create(username=username)
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def visitor(kind):
    """The bench's account for ``kind`` (one of VISITORS), made on first use; None when the data set
    has nobody to base it on (no community, no volunteer)."""
    from communities.models import Community, StaffScope
    from volunteers.models import Volunteer

    if kind == DISTRICT_ADMIN:
        user = _account("bench-district-admin")
        StaffScope.objects.get_or_create(user=user, defaults={"role": StaffScope.Role.DISTRICT_ADMIN})
    elif kind == COMMUNITY_WORKER:
        busiest = Community.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
        if busiest is None:
            return None
        user = _account("bench-community-worker")
        StaffScope.objects.get_or_create(
            user=user, defaults={"role": StaffScope.Role.COMMUNITY_WORKER, "community": busiest}
        )
    elif kind == VOLUNTEER:
        user = _account("bench-volunteer")
        if not Volunteer.objects.filter(user=user).exists():
            busiest = (
                Volunteer.objects.filter(user=None, anonymised=False).annotate(n=Count("signups")).order_by("-n", "pk")
            ).first()
            if busiest is None:
                return None
            busiest.user = user
            busiest.save(update_fields=["user"])
    else:
        raise ValueError(f"unknown visitor {kind!r}; known: {', '.join(VISITORS)}")
    return get_user_model().objects.get(pk=user.pk)  # fresh: staff flag and groups as the scope set them


def session_cookie(user, secret_key=None):
    """'name=value' of a new session signed in as ``user`` (what a browser would send after signing in),
    signed with ``secret_key``: the key of the server that reads it (default: this process's)."""
    with override_settings(SECRET_KEY=secret_key or settings.SECRET_KEY):
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
