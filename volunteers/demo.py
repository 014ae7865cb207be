"""Demo volunteers and teams, from ../shared/seed-facts.md in our own words. Safe to run again."""

import contextlib
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_noop

from communities.models import Community
from events.models import ServiceDay
from volunteers.hours import mark_attended
from volunteers.models import HomeVisit, HoursEntry, Role, Signup, Skill, Team, Volunteer
from volunteers.signup import SignupError, sign_up

# Stored in Chinese; marked so the catalogue keeps their English (shown by the |tr filter, core.lang).
SKILLS = [
    gettext_noop("理发"),
    gettext_noop("医护"),
    gettext_noop("法律"),
    gettext_noop("文艺"),
    gettext_noop("摄影"),
    gettext_noop("维修"),
]

# real name, phone (fictional), community slug, skills, past hours (history entry), username or None
VOLUNTEERS = [
    ("李双军", "13800001001", "wenjiajie", ["理发"], Decimal("1520"), None),
    ("张桂兰", "13800001002", "wenjiajie", ["理发"], Decimal("640"), None),
    ("赵建国", "13800001003", "wenjiajie", ["维修"], Decimal("310"), None),
    ("孙秀梅", "13800001004", "wenjiajie", ["文艺"], Decimal("118"), None),
    ("周明", "13800001005", "wenjiajie", ["理发", "摄影"], Decimal("42"), None),
    ("王志愿", "13800001006", "chunshuyuan", ["医护"], Decimal("12"), "volunteer-demo"),
    ("陈晓雨", "13800001007", "chunshuyuan", ["法律"], Decimal("0"), None),
]

ROLES_CHUNSHUYUAN = [
    ("引导", "在小区门口和广场入口为居民指路", 4, None),
    ("秩序维护", "排队叫号，照顾老人先坐下", 3, None),
    ("理发助手", "协助美发店师傅，给老人围布、扫碎发", 2, "理发"),
    ("义诊登记", "帮医生登记血压血糖", 2, "医护"),
]


def load(ctx):
    skills = {name: Skill.objects.get_or_create(name=name)[0] for name in SKILLS}
    communities = {c.slug: c for c in Community.objects.filter(slug__in=["wenjiajie", "chunshuyuan"])}
    User = get_user_model()
    volunteers = {}
    for real_name, phone, c_slug, skill_names, _history, username in VOLUNTEERS:
        user = User.objects.filter(username=username).first() if username else None
        lookup = {"user": user} if user else {"real_name": real_name, "user": None}
        volunteer, _ = Volunteer.objects.update_or_create(
            **lookup, defaults={"real_name": real_name, "phone": phone, "community": communities[c_slug]}
        )
        volunteer.skills.set([skills[s] for s in skill_names])
        volunteers[real_name] = volunteer

    team, _ = Team.objects.update_or_create(
        slug="lishuangjun",
        defaults={
            "name": "李双军志愿服务队",
            "community": communities["wenjiajie"],
            "leader": volunteers["李双军"],
            "founded_year": 2013,
            "specialty": "义剪 · 上门服务",
            "makes_home_visits": True,
            "description": (
                "以全国劳模李双军的名字命名，2013 年挂牌。队员里有退休老人，也有在职工程师。"
                "社区活动室里的“银色理发店”是队里的义剪角，定期为居民免费理发；"
                "对高龄、患病和行动不便的老人，队员们带上工具上门服务。"
            ),
        },
    )
    team.members.set([volunteers[n] for n in ("李双军", "张桂兰", "赵建国", "孙秀梅", "周明")])
    chunshu_team, _ = Team.objects.update_or_create(
        slug="chunmanyuan",
        defaults={
            "name": "椿满园志愿服务队",
            "community": communities["chunshuyuan"],
            "leader": volunteers["王志愿"],
            "founded_year": 2023,
            "specialty": "便民服务日引导与秩序",
            "description": "随着每月便民服务日成立的小分队，负责引导、排队和照顾老人。",
        },
    )
    chunshu_team.members.set([volunteers["王志愿"], volunteers["陈晓雨"]])

    for real_name, _phone, _c, _s, history, _u in VOLUNTEERS:
        if history:
            volunteer = volunteers[real_name]
            HoursEntry.objects.get_or_create(
                volunteer=volunteer,
                kind=HoursEntry.Kind.HISTORY,
                note="平台上线前的服务时长补录",
                defaults={
                    "hours": history,
                    "date": datetime.date(2023, 5, 31),
                    "team": team if volunteer in team.members.all() else chunshu_team,
                    "community": volunteer.community,
                },
            )

    today = timezone.localdate()
    for day in ServiceDay.objects.filter(community=communities["chunshuyuan"]):
        for index, (title, description, places, skill) in enumerate(ROLES_CHUNSHUYUAN):
            Role.objects.update_or_create(
                day=day,
                title=title,
                defaults={
                    "description": description,
                    "places": places,
                    "skill": skills.get(skill),
                    "sort_order": index,
                },
            )
    for day in ServiceDay.objects.filter(community=communities["wenjiajie"]):
        Role.objects.update_or_create(
            day=day,
            title="义剪",
            defaults={"description": "在银色理发店为居民理发", "places": 4, "skill": skills["理发"], "team": team},
        )
        Role.objects.update_or_create(
            day=day, title="接待引导", defaults={"description": "登记居民、安排座位", "places": 2, "sort_order": 1}
        )

    # Past day: the team staffed it and the community confirmed attendance.
    past = ServiceDay.objects.filter(community=communities["wenjiajie"], date__lt=today).order_by("-date").first()
    if past is not None:
        role = Role.objects.get(day=past, title="义剪")
        for name in ("李双军", "张桂兰", "周明"):
            if not Signup.objects.filter(role=role, volunteer=volunteers[name]).exists():
                seat = Signup.objects.filter(role=role).count() + 1
                Signup.objects.create(role=role, volunteer=volunteers[name], status="confirmed", seat=seat, number=seat)
        mark_attended(list(Signup.objects.filter(role=role, status="confirmed")), None)

    upcoming = Role.objects.filter(day__community=communities["chunshuyuan"], day__date__gte=today, title="引导")
    first_role = upcoming.order_by("day__date").first()
    if first_role and not Signup.objects.filter(role=first_role, volunteer=volunteers["王志愿"]).exists():
        with contextlib.suppress(SignupError):
            sign_up(first_role.pk, volunteers["王志愿"])

    visit, _ = HomeVisit.objects.get_or_create(
        community=communities["wenjiajie"],
        resident_name="刘奶奶",
        defaults={
            "phone": "13800002001",
            "address": "温家街社区 3 号楼 2 单元",
            "need": "九十多岁，腿脚不便下不了楼，想在家理发。",
            "preferred_time": "工作日上午",
        },
    )
    if visit.status == HomeVisit.Status.REQUESTED:
        from volunteers.hours import accept_visit, complete_visit

        accept_visit(visit, team)
        visit.volunteers.set([volunteers["张桂兰"], volunteers["周明"]])
        visit.hours = Decimal("1.5")
        visit.visited_on = today - datetime.timedelta(days=7)
        visit.save()
        complete_visit(visit, None)
    HomeVisit.objects.get_or_create(
        community=communities["wenjiajie"],
        resident_name="马大爷",
        defaults={
            "phone": "13800002002",
            "address": "温家街社区 5 号楼",
            "need": "术后在家休养，想请队员上门理发。",
            "preferred_time": "周末下午",
        },
    )
    ctx.stdout.write(
        f"  volunteers: {Volunteer.objects.count()} volunteers, {Team.objects.count()} teams, "
        f"{Role.objects.count()} roles, {HoursEntry.objects.count()} hours entries"
    )
