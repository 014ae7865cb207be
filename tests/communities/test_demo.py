import pytest
from django.core.management import CommandError, call_command

from communities.models import Community, PartnerUnit, StaffScope, Street


def _counts():
    from django.contrib.auth import get_user_model

    return (
        Street.objects.count(),
        Community.objects.count(),
        PartnerUnit.objects.count(),
        StaffScope.objects.count(),
        get_user_model().objects.count(),
    )


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first
    assert Community.objects.get(slug="chunshuyuan").brand == "红色领航·椿满园"
    assert Community.objects.get(slug="sihuan").street.name == "什刹海街道"
    assert Community.objects.filter(slug="wenjiajie", street__slug="jinrongjie").exists()


@pytest.mark.django_db
def test_demo_accounts_have_their_scopes(settings, client):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert StaffScope.objects.get(user__username="editor-chunshu").street.slug == "chunshu"
    assert StaffScope.objects.get(user__username="worker-sihuan").community.slug == "sihuan"
    assert StaffScope.objects.get(user__username="officer-fangguan").department.name == "什刹海街道房管所"
    assert client.login(username="admin", password="demo-pass-2026")
    assert client.login(username="volunteer-demo", password="demo-pass-2026")


@pytest.mark.django_db
def test_demo_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=False"):
        call_command("load_demo", verbosity=0)
    assert Street.objects.count() == 0


@pytest.mark.django_db
def test_demo_pictures_are_stored_clean(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    community = Community.objects.get(slug="chunshuyuan")
    assert community.cover.name.startswith("communities/")
    assert community.cover_alt
