"""Events tells the apps above it of day saves by signals (it imports none of them)."""

import pytest

from events import signals
from tests.events import factories as ef

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every signal the admin sends, with the day, while the test runs; receivers' messages are shown."""
    calls = []

    def cancelled(sender, day, **kwargs):
        calls.append(("cancelled", day.pk))
        return ["测试：收到取消"]

    def changed(sender, day, **kwargs):
        calls.append(("changed", day.pk))
        return []

    signals.service_day_cancelled.connect(cancelled, dispatch_uid="test_cancelled")
    signals.service_day_changed.connect(changed, dispatch_uid="test_changed")
    yield calls
    signals.service_day_cancelled.disconnect(dispatch_uid="test_cancelled")
    signals.service_day_changed.disconnect(dispatch_uid="test_changed")


def _form(day, status):
    return {
        "community": day.community_id,
        "title": day.title,
        "date": day.date.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": day.place,
        "status": status,
        "cancel_reason": "",
        "cutoff_hours": 24,
        "offerings-TOTAL_FORMS": 0,
        "offerings-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }


def test_saving_a_day_sends_changed_and_a_new_cancellation_sends_cancelled_once(client, admin_user, places, heard):
    day = ef.day(places["sihuan"])
    url = f"/admin/events/serviceday/{day.pk}/change/"
    client.force_login(admin_user)
    assert client.post(url, _form(day, "published")).status_code == 302
    assert heard == [("changed", day.pk)]
    response = client.post(url, _form(day, "cancelled"), follow=True)
    assert heard == [("changed", day.pk), ("cancelled", day.pk), ("changed", day.pk)]
    assert "测试：收到取消" in [str(m) for m in response.context["messages"]]
    client.post(url, _form(day, "cancelled"))
    assert [name for name, _pk in heard].count("cancelled") == 1


def test_a_refused_save_sends_nothing(client, worker_sihuan, places, heard):
    other = ef.day(places["xihai"])
    client.force_login(worker_sihuan)
    response = client.post(f"/admin/events/serviceday/{other.pk}/change/", _form(other, "cancelled"))
    assert response.status_code == 302  # back to the admin index: no such day for this worker
    assert heard == []
    other.refresh_from_db()
    assert not other.is_cancelled
