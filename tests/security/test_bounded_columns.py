"""Nothing a visitor types is stored longer than its column.

SQLite keeps a 300-character string in a varchar(255); PostgreSQL refuses it and the request
answers 500. So these tests check every stored row against its column's max_length after the
request: what would fail on PostgreSQL fails here too. Third-party code stores input as well:
django-axes writes the username of every failed login into a varchar(255).
"""

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.db.models import CharField, Q
from django.db.models.functions import Length
from django.test import RequestFactory

from feedback.models import Case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LONG_NAME = "w" * 256
# Well-formed (every label under 63 characters) and 310 long: a form's EmailField takes 320, the column 254.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"


def overlong_rows():
    """(model, field, count) for every stored value longer than its column allows."""
    found = []
    for model in apps.get_models():
        limited = [f for f in model._meta.concrete_fields if isinstance(f, CharField) and f.max_length]
        for field in limited:
            count = model._default_manager.annotate(_n=Length(field.name)).filter(_n__gt=field.max_length).count()
            if count:
                found.append((model._meta.label, field.name, count))
    return found


@pytest.mark.axes
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/?next=/admin/"])
def test_a_too_long_username_gets_the_form_back_with_a_reason(client, worker_sihuan, url):
    response = client.post(url, {"username": LONG_NAME, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert "用户名最多 150 个字符" in response.content.decode()
    assert overlong_rows() == []


@pytest.mark.axes
def test_a_right_login_still_works_at_the_limit(client, places):
    from tests import factories

    factories.user("n" * 150)
    response = client.post("/accounts/login/", {"username": "n" * 150, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.axes
def test_axes_never_stores_more_than_its_column_from_any_caller(worker_sihuan):
    """authenticate() called without a form (an API, a future view) cannot overflow axes' columns."""
    request = RequestFactory().post("/elsewhere/", {"username": LONG_NAME}, HTTP_USER_AGENT="u" * 400)
    assert authenticate(request, username=LONG_NAME, password="nope") is None
    attempt = AccessAttempt.objects.get()
    assert attempt.username == LONG_NAME[:255]
    assert overlong_rows() == []


def registration(**changes):
    data = {
        "username": "newcomer",
        "password1": "a-long-enough-pass-2026",
        "password2": "a-long-enough-pass-2026",
        "real_name": "李新来",
        "phone": "13911112222",
        "email": "newcomer@example.org",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", LONG_EMAIL, "254"),
        ("username", "u" * 151, "150"),
        ("real_name", "名" * 51, "50"),
        ("phone", "1" * 21, "20"),
    ],
)
def test_registration_refuses_what_its_columns_cannot_hold(client, places, field, value, message):
    response = client.post("/accounts/register/", registration(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(Q(username="newcomer") | Q(username=value)).exists()
    assert overlong_rows() == []


def test_password_reset_refuses_an_overlong_address(client, places):
    response = client.post("/accounts/password-reset/", {"email": "a" * 250 + "@example.org"})
    assert response.status_code == 200
    assert "254" in response.content.decode()


def test_feedback_refuses_an_overlong_contact_address(client, world):
    from tests.security.test_hostile_input import case_form

    response = client.post("/feedback/new/", {**case_form(world), "contact_email": LONG_EMAIL})
    assert response.status_code == 400
    assert "254" in response.content.decode()
    assert not Case.objects.filter(place="四环胡同28号院", contact_email=LONG_EMAIL).exists()
    assert overlong_rows() == []
