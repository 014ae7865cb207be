import uuid

import pytest
from django.utils import timezone

from events.booking import book
from feedback.intake import submit_case
from feedback.models import Case, Category
from news import preview
from news.models import Story
from tests.events import factories as ef
from tests.news import factories as nf


@pytest.fixture
def _fast_passwords(settings):
    # Dozens of accounts and logins per test: hashing them properly would only cost time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(places, _fast_passwords):
    """Real rows for every public form to hit, in 四环社区 (community A) and 椿树园社区 (outside)."""
    sihuan, outside = places["sihuan"], places["chunshuyuan"]
    category = Category.objects.create(name="路面破损", slug="road", sort_order=10)
    resolved, _ = submit_case(
        community=sihuan,
        category=category,
        place="四环胡同28号院",
        description="院内地面起皮破损，坑洼不平，老人出门不便。",
        contact_name="王大妈",
        contact_phone="13812341234",
        consent=True,
        token=uuid.uuid4(),
    )
    Case.objects.filter(pk=resolved.pk).update(status=Case.Status.RESOLVED, resolved_at=timezone.now())
    open_case, _ = submit_case(
        community=sihuan,
        category=category,
        place="西海北沿",
        description="路灯坏了好几天，晚上很黑。",
        token=uuid.uuid4(),
    )
    Case.objects.filter(pk=open_case.pk).update(status=Case.Status.ACCEPTED, is_published=True)

    day = ef.day(sihuan, title="四环便民服务日")
    role = ef.role(day, places=2, title="引导员")
    offering = ef.offering(day, places=5)
    booking = book(offering.pk, "张大爷", "13900001111", uuid.uuid4())
    leader = ef.volunteer("leader-li", real_name="李队长", community=sihuan)
    member = ef.volunteer("member-zhao", real_name="赵队员", community=sihuan)
    volunteer = ef.volunteer("volunteer-wang", real_name="王志愿", community=sihuan)
    team = ef.team(sihuan, name="四环服务队", slug="sihuan-team", leader=leader, makes_home_visits=True)
    team.members.add(leader, member)
    others_signup = ef.confirmed(role, member)

    column = nf.column(name="社区周刊", slug="weekly")
    tag = nf.tag(name="垃圾分类", slug="lajifenlei")
    story = nf.story([sihuan], title="四环社区新闻", slug="sihuan-news", tags=[tag])
    draft = nf.story([sihuan], title="草稿", slug="draft", status=Story.Status.DRAFT, published_at=None)
    return {
        "A": sihuan,
        "outside": outside,
        "category": category,
        "resolved_case": Case.objects.get(pk=resolved.pk),
        "resolved_secret": resolved.owner_secret,  # the resident's private link (feedback/owner.py)
        "open_case": Case.objects.get(pk=open_case.pk),
        "day": day,
        "role": role,
        "offering": offering,
        "booking": booking,
        "leader": leader,
        "member": member,
        "volunteer": volunteer,
        "team": team,
        "others_signup": others_signup,
        "column": column,
        "tag": tag,
        "story": story,
        "draft": draft,
        "preview_url": preview.preview_url(draft),
    }
