"""A form's error is shown once: in the page's summary above the form, never again by crispy."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
def test_a_wrong_password_is_reported_once(client):
    factories.user("alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    error = str(response.context["form"].non_field_errors()[0])
    assert html.count(error) == 1
    assert 'id="error-summary"' in html


def test_every_page_rendering_a_whole_form_with_crispy_shows_its_errors_itself():
    # crispy's own non-field error list is empty (templates/bootstrap5/errors.html), so a page that
    # renders a whole form with |crispy must show form.non_field_errors itself.
    missing = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\|\s*crispy\b", path.read_text())
        and "_form_errors.html" not in path.read_text()
        and "non_field_errors" not in path.read_text()
    ]
    assert missing == []
