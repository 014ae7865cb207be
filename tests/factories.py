"""Small builders for test rows. Each takes what a test cares about and fills the rest."""

import itertools

from django.contrib.auth import get_user_model

from communities.models import Community, District, PartnerUnit, StaffScope, Street

_seq = itertools.count(1)
PASSWORD = "test-pass-2026!"


def district(name="西城区", slug="xicheng"):
    return District.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def street(name=None, slug=None, **fields):
    n = next(_seq)
    return Street.objects.create(
        district=fields.pop("district", None) or district(),
        name=name or f"测试街道{n}",
        slug=slug or f"street-{n}",
        **fields,
    )


def community(street_=None, name=None, slug=None, **fields):
    n = next(_seq)
    return Community.objects.create(
        street=street_ or street(), name=name or f"测试社区{n}", slug=slug or f"community-{n}", **fields
    )


def partner_unit(community_=None, name=None, **fields):
    return PartnerUnit.objects.create(community=community_ or community(), name=name or f"单位{next(_seq)}", **fields)


def user(username=None, **fields):
    User = get_user_model()
    account = User.objects.create_user(username=username or f"user{next(_seq)}", password=PASSWORD, **fields)
    return account


def staff(role, username=None, street=None, community=None, department=None):
    account = user(username)
    StaffScope.objects.create(user=account, role=role, street=street, community=community, department=department)
    account.refresh_from_db()
    return account


def department(name=None, street_=None, **fields):
    from communities.models import Department

    return Department.objects.create(name=name or f"部门{next(_seq)}", street=street_, **fields)
