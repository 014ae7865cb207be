"""Tracking codes are no oracle: every lookup by code counts, and a refusal looks the same for hits and misses."""

import re

from core import ratelimit
from feedback.models import Case
from tests.feedback.conftest import mine
from tests.feedback.test_owner import normalised


def test_the_default_budget_is_sixty_lookups_an_hour_per_address():
    assert ratelimit.limits("track") == {"address": (60, 3600)}


def test_hits_count_too_and_the_refusal_is_the_same_for_a_real_code(client, rate_limits, make_case):
    rate_limits("track", address=(3, 3600))
    real = make_case()
    other = make_case()
    assert client.get(f"/feedback/track/{other.code}/").status_code == 200
    assert client.get("/feedback/track/SH-2026-000001/").status_code == 404
    assert client.get("/feedback/track/SH-2026-000002/").status_code == 404
    hit = client.get(f"/feedback/track/{real.code}/")
    miss = client.get("/feedback/track/SH-2026-000003/")
    assert hit.status_code == miss.status_code == 429
    assert normalised(hit) == normalised(miss)
    assert real.code not in normalised(hit)
    # Another address has its own budget.
    assert client.get(f"/feedback/track/{real.code}/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_same_page_again_from_one_address_is_one_lookup(client, rate_limits, make_case):
    rate_limits("track", address=(2, 3600))
    case = make_case()
    for _ in range(5):  # a resident reloading their own case's page
        assert client.get(f"/feedback/track/{case.code}/").status_code == 200


def test_the_lookup_form_and_the_private_page_share_the_budget(client, rate_limits, make_case):
    rate_limits("track", address=(2, 3600))
    case = make_case()
    assert client.get("/feedback/track/", {"code": "SH-2026-000001"}).status_code == 302
    assert client.get("/feedback/track/", {"code": "SH-2026-000002"}).status_code == 302
    assert client.get("/feedback/track/", {"code": case.code}).status_code == 429
    own = client.get(mine(case, case.owner_secret))
    guess = client.get(mine(case, "x" * 30))
    assert own.status_code == guess.status_code == 429
    assert normalised(own) == normalised(guess)
    assert client.post(mine(case, case.owner_secret, "note"), {"note": "门口东侧还有一处。"}).status_code == 429


def test_guessing_secrets_for_one_code_is_counted(client, rate_limits, make_case):
    rate_limits("track", address=(3, 3600))
    case = make_case()
    for n in range(3):
        assert client.get(mine(case, f"guess{n:027d}")).status_code == 404
    assert client.get(mine(case, case.owner_secret)).status_code == 429


def test_the_tracking_page_is_not_page_cached(client, make_case):
    case = make_case()
    client.cookies.clear()
    for _ in range(2):
        response = client.get(f"/feedback/track/{case.code}/")
        assert response.status_code == 200 and not response.has_header("X-Page-Cache")


def test_the_old_done_page_is_gone(client, make_case):
    case = make_case()
    response = client.get(f"/feedback/new/done/{case.code}/")
    assert response.status_code == 404
    assert case.code not in normalised(response)


def test_a_refusal_reveals_nothing_in_its_headers(client, rate_limits, make_case):
    rate_limits("track", address=(1, 3600))
    case = make_case()
    client.get("/feedback/track/SH-2026-000001/")
    hit, miss = client.get(f"/feedback/track/{case.code}/"), client.get("/feedback/track/SH-2026-000002/")
    drop = re.compile(r"^(Date|Set-Cookie)$", re.IGNORECASE)
    assert {k: v for k, v in hit.items() if not drop.match(k)} == {k: v for k, v in miss.items() if not drop.match(k)}
    assert Case.objects.filter(pk=case.pk).exists()
