"""Free text in volunteer exports follows the phone rule: whole for staff covering the community,
phone numbers masked (core.privacy) for everyone else."""

import pytest

from tests.events import factories as ef
from volunteers import signup as rules
from volunteers.exports import hours_rows
from volunteers.hours import mark_attended
from volunteers.models import HoursEntry, Signup

pytestmark = pytest.mark.django_db


def test_hours_note_masks_phones_outside_scope(places, editor_shichahai):
    day = ef.day(places["sihuan"], title="四环便民服务日")
    volunteer = ef.volunteer("sihuan-vol", real_name="四环志愿者", phone="13812341234", community=places["sihuan"])
    rules.sign_up(ef.role(day, title="引导", places=3).pk, volunteer)
    mark_attended(list(Signup.objects.all()), None)
    HoursEntry.objects.update(note="替班联系 139 1234 5678")
    outsider = ef.factories.staff(ef.factories.StaffScope.Role.COMMUNITY_WORKER, "w-x", community=places["xihai"])
    assert list(hours_rows(outsider, HoursEntry.objects.all()))[0][7] == "替班联系 139****5678"
    assert list(hours_rows(editor_shichahai, HoursEntry.objects.all()))[0][7] == "替班联系 139 1234 5678"
