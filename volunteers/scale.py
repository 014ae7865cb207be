"""seed_scale: 20,000 volunteers, 300 teams, roles on every service day, 60,000 sign-ups and their hours."""

from decimal import Decimal

from django.utils import timezone

from volunteers.models import HoursEntry, Role, Signup, Skill, Team, Volunteer

FAMILY = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂兰", "建国", "淑珍", "志强", "丽华", "明", "静", "磊", "红梅", "国庆", "海燕", "德山", "玉兰"]
SKILLS = ["理发", "医护", "法律", "摄影", "维修", "心理疏导", "书法"]
ROLES = [
    ("引导", "帮居民找到各个摊位"),
    ("秩序维护", "维持排队秩序"),
    ("理发助手", "递工具、扫碎发"),
    ("登记", "登记预约居民"),
]
SPECIALTIES = ["义剪", "上门探望", "助老送餐", "环境清洁", "文明劝导", "法律援助"]


def seed(ctx):
    rng = ctx.rng
    communities = ctx.made["communities"]
    days = ctx.made["service_days"]
    skills = [Skill.objects.get_or_create(name=name)[0] for name in SKILLS]
    total = ctx.count("volunteers", minimum=10)
    volunteers = ctx.bulk(
        Volunteer,
        (
            Volunteer(
                real_name=rng.choice(FAMILY) + rng.choice(GIVEN),
                phone=f"139{rng.randint(10000000, 99999999)}",
                community=communities[rng.randrange(len(communities))],
            )
            for _ in range(total)
        ),
        label="volunteers",
        total=total,
    )
    through = Volunteer.skills.through
    ctx.bulk(
        through,
        [through(volunteer_id=v.pk, skill_id=rng.choice(skills).pk) for v in volunteers if rng.random() < 0.3],
        label="volunteer skills",
    )
    teams = []
    for i in range(ctx.count("teams", minimum=2)):
        community = communities[i % len(communities)]
        specialty = rng.choice(SPECIALTIES)
        name = f"{community.name[:-2]}{specialty}志愿服务队{i}"
        description = f"队员多是社区的退休职工和在职党员，常年开展{specialty}服务。"
        teams.append(
            Team(
                name=name,
                slug=f"team-{i:04d}",
                community=community,
                leader=volunteers[rng.randrange(len(volunteers))],
                founded_year=rng.randint(2005, 2025),
                specialty=specialty,
                description=description,
                makes_home_visits=specialty == "上门探望",
                search_text=ctx.index_text(name, specialty, description),
            )
        )
    teams = ctx.bulk(Team, teams, label="teams")
    member_through = Team.members.through
    team_of = {}
    members = []
    for team in teams:
        for v in rng.sample(volunteers, min(len(volunteers), rng.randint(10, 40))):
            if v.pk not in team_of:
                team_of[v.pk] = team
            members.append(member_through(team_id=team.pk, volunteer_id=v.pk))
    ctx.bulk(member_through, members, label="team members")

    roles = []
    for day in days:
        for order, (title, description) in enumerate(rng.sample(ROLES, 3)):
            roles.append(
                Role(
                    day_id=day.pk,
                    title=title,
                    description=description,
                    places=rng.randint(3, 8),
                    skill=skills[0] if title == "理发助手" else None,
                    sort_order=order,
                )
            )
    roles = ctx.bulk(Role, roles, label="roles")
    day_of = {day.pk: day for day in days}
    today = timezone.localdate()
    wanted = ctx.count("signups", minimum=10)
    per_role = [wanted // len(roles) + (1 if i < wanted % len(roles) else 0) for i in range(len(roles))]
    signups = []
    for role, count in zip(roles, per_role, strict=True):
        past = day_of[role.day_id].date < today
        for number, v in enumerate(rng.sample(volunteers, min(count, len(volunteers))), start=1):
            if number <= role.places:
                status = (
                    (Signup.Status.ATTENDED if rng.random() < 0.9 else Signup.Status.NO_SHOW) if past else "confirmed"
                )
                seat = number
            else:
                status, seat = (Signup.Status.CANCELLED if past else Signup.Status.WAITLISTED), None
            signups.append(Signup(role_id=role.pk, volunteer_id=v.pk, status=status, number=number, seat=seat))
    signups = ctx.bulk(Signup, signups, label="sign-ups", total=wanted)
    role_of = {role.pk: role for role in roles}
    hours = []
    for signup in signups:
        if signup.status != Signup.Status.ATTENDED:
            continue
        day = day_of[role_of[signup.role_id].day_id]
        hours.append(
            HoursEntry(
                volunteer_id=signup.volunteer_id,
                kind=HoursEntry.Kind.ATTENDANCE,
                hours=Decimal("2.5"),
                date=day.date,
                team=team_of.get(signup.volunteer_id),
                community_id=day.community_id,
                signup_id=signup.pk,
            )
        )
    ctx.bulk(HoursEntry, hours, label="hours entries")
    ctx.made.update(volunteers=volunteers, teams=teams, roles=roles)
