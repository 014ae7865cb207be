import pytest

from communities.models import StaffScope
from tests import factories

Role = StaffScope.Role


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _login_throttle(request, settings):
    """django-axes needs the request in authenticate(), which the test client's
    login() does not pass; tests marked `axes` switch it on and log in over HTTP."""
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Every test runs with the anonymous page cache and the fragment cache on, as production does
    (off while developing), so the journeys also prove their invalidation."""
    from django.core.cache import cache

    from core import fragments, sharedcache

    settings.PAGE_CACHE_SECONDS = 60
    settings.FRAGMENT_CACHE_SECONDS = 60

    sharedcache.reset()  # a test whose cache failed leaves no pause behind
    cache.clear()
    fragments.clear()
    yield
    cache.clear()
    fragments.clear()
    sharedcache.reset()


@pytest.fixture(autouse=True)
def _notices_sent_at_once(settings):
    """Notices run inside the request (the immediate task backend), so a test sees them in the outbox
    as soon as the transaction's on_commit callbacks have run; no worker is needed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def rate_limits(settings):
    """rate_limits("booking", address=(2, 3600)): one scope's limits (core/ratelimit.py) made small."""
    settings.RATE_LIMITS = {}

    def change(scope, **kinds):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: {**settings.RATE_LIMITS.get(scope, {}), **kinds}}

    return change


@pytest.fixture
def places(db):
    """Two streets, each with two communities: the smallest district where scope matters."""
    chunshu = factories.street(name="椿树街道", slug="chunshu", sort_order=10)
    shichahai = factories.street(name="什刹海街道", slug="shichahai", sort_order=30)
    return {
        "chunshu": chunshu,
        "shichahai": shichahai,
        "chunshuyuan": factories.community(chunshu, name="椿树园社区", slug="chunshuyuan", brand="红色领航·椿满园"),
        "hongxian": factories.community(chunshu, name="红线社区", slug="hongxian"),
        "sihuan": factories.community(shichahai, name="四环社区", slug="sihuan"),
        "xihai": factories.community(shichahai, name="西海社区", slug="xihai"),
    }


@pytest.fixture
def admin_user(db):
    return factories.user("district-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_chunshu(places):
    return factories.staff(Role.STREET_EDITOR, "editor-chunshu", street=places["chunshu"])


@pytest.fixture
def editor_shichahai(places):
    return factories.staff(Role.STREET_EDITOR, "editor-shichahai", street=places["shichahai"])


@pytest.fixture
def worker_sihuan(places):
    return factories.staff(Role.COMMUNITY_WORKER, "worker-sihuan", community=places["sihuan"])


@pytest.fixture
def worker_xihai(places):
    return factories.staff(Role.COMMUNITY_WORKER, "worker-xihai", community=places["xihai"])


@pytest.fixture
def fangguan(places):
    return factories.department("什刹海街道房管所", places["shichahai"], kind="housing")


@pytest.fixture
def officer_fangguan(fangguan):
    return factories.staff(Role.DEPARTMENT_OFFICER, "officer-fangguan", department=fangguan)


@pytest.fixture
def resident_client(client):
    """An anonymous visitor."""
    return client
