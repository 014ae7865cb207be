"""Demo cases: the courtyard of 四环胡同28号院 from start to finish, and a believable spread of
cases over the demo streets and the last six months, so the figures mean something.

Facts from ../shared/seed-facts.md, words our own. Safe to run again: every case is found by
its submit token (a fixed UUID per demo case) and left alone when it already exists.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from communities.models import Community, Department
from feedback.models import Actor, Case, CasePhoto, Category, DispatchTask, TimelineEntry

CATEGORIES = [
    # slug, name, respond hours, on-site days, resolve days, description
    ("road", gettext_noop("路面破损"), 24, 3, 20, "院内、胡同里的地面坑洼、起皮、塌陷"),
    ("sanitation", gettext_noop("环境卫生"), 12, 1, 5, "垃圾堆放、清运不及时、公共区域脏乱"),
    ("parking", gettext_noop("违规停车"), 12, 1, 3, "占用消防通道、堵住院门的车辆"),
    ("noise", gettext_noop("噪音"), 12, 2, 7, "施工、商户、夜间噪音"),
    ("greening", gettext_noop("绿化"), 24, 5, 20, "树木修剪、绿地损毁、枯树"),
    ("property", gettext_noop("物业服务"), 24, 3, 15, "楼道照明、水电维修、物业响应"),
    ("accessibility", gettext_noop("无障碍"), 24, 3, 20, "坡道、扶手、盲道，以及本网站的无障碍问题"),
    ("other", gettext_noop("其他"), 24, 5, 20, "以上都不是的问题"),
]

FLAGSHIP_TOKEN = uuid.UUID("5e7c2a10-28a0-4c8e-9d1e-000000000028")
SEED = 20260528

PLACES = {
    "road": ["{c}北口", "{c}12号院门前", "{c}东侧便道"],
    "sanitation": ["{c}垃圾分类驿站", "{c}公厕旁", "{c}中段"],
    "parking": ["{c}消防通道", "{c}5号院门口", "{c}路口"],
    "noise": ["{c}临街商铺", "{c}施工围挡处", "{c}小广场"],
    "greening": ["{c}西侧绿地", "{c}老槐树下", "{c}花坛"],
    "property": ["{c}3号楼楼道", "{c}2号楼单元门", "{c}地下室"],
    "accessibility": ["{c}社区服务站门口", "{c}公交站旁", "{c}卫生服务站台阶"],
    "other": ["{c}公告栏", "{c}活动室", "{c}自行车棚"],
}
DESCRIPTIONS = {
    "road": "地面破了个坑，下雨积水，晚上看不清容易崴脚。",
    "sanitation": "垃圾桶满了两天没人清，味道很大。",
    "parking": "有车长期停在通道上，救护车和消防车都进不来。",
    "noise": "晚上十点以后还很吵，老人孩子睡不好。",
    "greening": "树枝快碰到电线了，刮风时很危险。",
    "property": "楼道灯坏了好几天，上下楼要摸黑。",
    "accessibility": "门口台阶没有坡道，轮椅上不去。",
    "other": "公告栏玻璃碎了，怕划伤路过的孩子。",
}


# The groups an outside system sees the categories in (Open311 services' ``group``).
GROUPS = {
    "road": "市容环境",
    "sanitation": "市容环境",
    "greening": "市容环境",
    "parking": "交通秩序",
    "noise": "生活秩序",
    "property": "物业房屋",
    "accessibility": "公共服务",
    "other": "其他",
}


def load_categories():
    """The district's problem categories with their deadlines (slug -> Category); safe to repeat."""
    categories = {}
    for index, (slug, name, hours, onsite, resolve, description) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "respond_hours": hours,
                "onsite_days": onsite,
                "resolve_days": resolve,
                "description": description,
                "group": GROUPS.get(slug, ""),
                "sort_order": (index + 1) * 10,
                "is_active": True,
            },
        )
    return categories


# The demo's staff work weekdays, 08:30-18:00 local time (Asia/Shanghai): every move they make on a
# case (accept, dispatch, 报到, plan, finish, resolve) falls in those hours. Residents report and
# rate whenever they like.
WORK_START, WORK_END = time(8, 30), time(18, 0)


def _is_working(local):
    return local.weekday() < 5 and WORK_START <= local.time() < WORK_END


def working(at):
    """``at`` if it falls in office hours, else a moment early on the next working day (spread over
    the first two hours by the original minute, so mornings do not all read 08:30)."""
    local = timezone.localtime(at)
    if _is_working(local):
        return at
    day = local.date() if local.weekday() < 5 and local.time() < WORK_START else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, WORK_START))
    return start + timedelta(minutes=local.minute + 60 * (local.hour % 2))


def last_working(at):
    """The latest moment in office hours not after ``at``."""
    local = timezone.localtime(at)
    if _is_working(local):
        return at
    day = local.date() if local.weekday() < 5 and local.time() >= WORK_END else local.date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, WORK_END)) - timedelta(minutes=1)


def load(ctx):
    categories = load_categories()
    made = 0
    if not Case.objects.filter(submit_token=FLAGSHIP_TOKEN).exists():
        flagship(categories["road"], ctx.picture)
        made += 1
    made += spread(categories, ctx.picture)
    ctx.stdout.write(f"  feedback: {Category.objects.count()} categories, {Case.objects.count()} cases ({made} new)")


def _case(token, community, category, place, description, created, **fields):
    return Case.objects.create(
        code=f"SH-{created.year}-{token.int % 1_000_000:06d}",
        submit_token=token,
        community=community,
        category=category,
        place=place,
        description=description,
        created_at=created,
        respond_deadline=created + timedelta(hours=category.respond_hours),
        **fields,
    )


def _entry(case, at, action, role, note, task=None, public=True, message="", **params):
    """A timeline entry: ``note`` as a person typed it, ``message`` and ``params`` the portal's sentence."""
    return TimelineEntry(
        case=case,
        task=task,
        created_at=at,
        action=action,
        role=role,
        note=note,
        is_public=public,
        message=message,
        params=params,
    )


def _photo(picture, case, role, seed, palette, worn, alt, order=0, task=None, size=(1200, 800)):
    photo = CasePhoto(case=case, role=role, alt_text=alt, order=order, task=task, uploaded_at=case.created_at)
    photo.image.save(f"{seed}.jpg", picture(seed, palette, size=size, worn=worn), save=False)
    photo.save()


def flagship(category, picture):
    """四环胡同28号院: about 1,500 m², some 70 residents, a crumbling surface, fixed together."""
    sihuan = Community.objects.get(slug="sihuan")
    fangguan = Department.objects.get(name="什刹海街道房管所")
    chengguan = Department.objects.get(name="什刹海街道城市管理办公室")
    t0 = timezone.now() - timedelta(days=48, hours=3)
    at = {
        "accepted": working(t0 + timedelta(hours=3)),
        "dispatched": working(t0 + timedelta(hours=20)),
        "onsite": working(t0 + timedelta(days=2)),
        "planned": working(t0 + timedelta(days=6)),
        "done_city": working(t0 + timedelta(days=15)),
        "done_housing": working(t0 + timedelta(days=17)),
        "resolved": working(t0 + timedelta(days=17, hours=4)),
    }
    at["rated"] = at["resolved"] + timedelta(days=1)
    case = _case(
        FLAGSHIP_TOKEN,
        sihuan,
        category,
        "四环胡同28号院",
        "我们院子有一千五百平米左右，住着七十来口人。院里的地面年头久了，表层一块块起皮剥落，"
        "走上去高一脚低一脚。院里老人多，腿脚不好的出门都发怵，下雨天更是不敢走。希望能把地面修一修。",
        t0,
        status=Case.Status.CONFIRMED,
        responded_at=at["accepted"],
        dispatched_at=at["dispatched"],
        resolved_at=at["resolved"],
        closed_at=at["rated"],
        rating=Case.Rating.SATISFIED,
        rating_comment="院子平整宽敞了，老人遛弯放心多了，谢谢社区和各部门！",
        rated_at=at["rated"],
        is_published=True,
        public_summary="大杂院地面起皮破损、坑洼不平，社区吹哨、房管所和城管办到场，和居民商定方案后修好了。",
        version=7,
    )
    housing = DispatchTask.objects.create(
        case=case,
        department=fangguan,
        is_lead=True,
        status=DispatchTask.Status.DONE,
        created_at=at["dispatched"],
        onsite_deadline=at["dispatched"] + timedelta(days=category.onsite_days),
        deadline=at["dispatched"] + timedelta(days=category.resolve_days),
        onsite_at=at["onsite"],
        onsite_people="房管所 3 人",
        plan="整院重做地面：铲除起皮的旧面层，找平后重新铺装，排水坡向院门；分两段施工，留出通行道，老人出行由社区志愿者帮扶。",
        planned_at=at["planned"],
        result="院内地面全部重新铺装完成，坡度顺畅，雨后不再积水。",
        done_at=at["done_housing"],
    )
    city = DispatchTask.objects.create(
        case=case,
        department=chengguan,
        is_lead=False,
        status=DispatchTask.Status.DONE,
        created_at=at["dispatched"],
        onsite_deadline=at["dispatched"] + timedelta(days=category.onsite_days),
        deadline=at["dispatched"] + timedelta(days=category.resolve_days),
        onsite_at=at["onsite"],
        onsite_people="城管办 2 人",
        plan="施工前清理院内堆物，协调施工车辆停放。",
        planned_at=at["planned"],
        result="院内堆物已清理，施工期间车辆有序停放。",
        done_at=at["done_city"],
    )
    TimelineEntry.objects.bulk_create(
        [
            _entry(case, t0, "submitted", Actor.RESIDENT, "", message="submitted", category=category.name),
            _entry(case, at["accepted"], "accepted", Actor.COMMUNITY_WORKER, "社区已受理，工作人员当天到院里查看。"),
            _entry(
                case,
                at["dispatched"],
                "dispatched",
                Actor.COMMUNITY_WORKER,
                "",
                message="dispatched",
                lead=fangguan.name,
                assisting=[chengguan.name],
            ),
            _entry(
                case,
                at["onsite"],
                "on_site",
                Actor.DEPARTMENT_OFFICER,
                "",
                housing,
                message="on_site",
                dept=fangguan.name,
                people=housing.onsite_people,
            ),
            _entry(
                case,
                at["onsite"],
                "on_site",
                Actor.DEPARTMENT_OFFICER,
                "",
                city,
                message="on_site",
                dept=chengguan.name,
                people=city.onsite_people,
            ),
            _entry(
                case,
                working(at["onsite"] + timedelta(days=2)),
                "note",
                Actor.COMMUNITY_WORKER,
                "社区入户和在院里征求居民意见，大家希望先修通往院门的主路。",
            ),
            _entry(case, at["planned"], "planned", Actor.DEPARTMENT_OFFICER, housing.plan, housing),
            _entry(case, at["planned"], "planned", Actor.DEPARTMENT_OFFICER, city.plan, city),
            _entry(case, at["done_city"], "done", Actor.DEPARTMENT_OFFICER, city.result, city),
            _entry(case, at["done_housing"], "done", Actor.DEPARTMENT_OFFICER, housing.result, housing),
            _entry(
                case, at["resolved"], "resolved", Actor.COMMUNITY_WORKER, "院内路面修好了，平整宽敞，居民出行方便了。"
            ),
            _entry(
                case, at["rated"], "rated", Actor.RESIDENT, case.rating_comment, message="rated", rating=case.rating
            ),
        ]
    )
    _photo(
        picture,
        case,
        "before",
        "sihuan28-before",
        "grey",
        True,
        "修缮前：四环胡同28号院地面起皮破损、坑洼不平（示意图）",
    )
    _photo(
        picture,
        case,
        "after",
        "sihuan28-plan",
        "blue",
        False,
        "房管所工作人员在院里和居民商量修缮方案（示意图）",
        1,
        housing,
    )
    _photo(picture, case, "after", "sihuan28-after-1", "warm", False, "修缮后：院内地面平整宽敞（示意图）", 2, housing)
    _photo(picture, case, "after", "sihuan28-after-2", "green", False, "修缮后：老人在院里散步（示意图）", 3, housing)
    return case


def spread(categories, picture, count=84):
    """Cases over the streets and the last six months; a seeded random so reruns agree."""
    rng = random.Random(SEED)
    communities = list(Community.objects.select_related("street").order_by("street__sort_order", "sort_order"))
    departments = list(Department.objects.all())
    now = timezone.now()
    made = 0
    slugs = [slug for slug, *_ in CATEGORIES]
    for i in range(count):
        token = uuid.uuid5(FLAGSHIP_TOKEN, f"demo-case-{i}")
        # draw everything first so an existing case does not shift the sequence
        community = rng.choice(communities)
        slug = rng.choices(slugs, weights=[5, 6, 4, 3, 2, 4, 1, 2])[0]
        created = now - timedelta(days=rng.uniform(1, 180), hours=rng.uniform(0, 10))
        age_days = (now - created).days
        fate = rng.random()
        respond_h = rng.choice([1, 2, 3, 5, 8, 20, 30])
        onsite_d, plan_d, done_share = rng.uniform(0.3, 3), rng.uniform(0.5, 4), rng.uniform(0.2, 1.15)
        rating_roll = rng.random()
        place = rng.choice(PLACES[slug]).format(c=community.name.removesuffix("社区"))
        publish = rng.random() < 0.35
        if Case.objects.filter(submit_token=token).exists():
            continue
        category = categories[slug]
        done_d = max(0.5, done_share * category.resolve_days - onsite_d - plan_d)
        local = [d for d in departments if d.street_id in (None, community.street_id)]
        local.sort(key=lambda d: (d.street_id is None, d.name))
        if age_days < 2 or created > last_working(now - timedelta(minutes=5)):
            stage = "submitted"  # new, or no working hour has passed since
        elif fate < 0.07:
            stage = "declined"
        elif age_days < 12 and fate < 0.5:
            stage = rng.choice(["dispatched", "on_site", "planned"])
        elif fate < 0.12:
            stage = "dispatched"  # stuck: these make the overdue counts
        else:
            stage = "resolved"
        build(
            token,
            community,
            category,
            place,
            DESCRIPTIONS[slug],
            created,
            stage,
            local,
            respond_h,
            onsite_d,
            plan_d,
            done_d,
            rating_roll,
            publish,
            now,
            picture,
        )
        made += 1
    return made


def build(
    token,
    community,
    category,
    place,
    description,
    created,
    stage,
    local,
    respond_h,
    onsite_d,
    plan_d,
    done_d,
    rating_roll,
    publish,
    now,
    picture,
):
    latest = last_working(now - timedelta(minutes=5))

    def clamp(t):
        """A staff move: in office hours, and not in the future."""
        return min(working(t), latest)

    responded = clamp(created + timedelta(hours=respond_h)) if stage != "submitted" else None
    case = _case(token, community, category, place, description, created, responded_at=responded)
    entries = [_entry(case, created, "submitted", Actor.RESIDENT, "", message="submitted", category=category.name)]
    if stage == "submitted":
        TimelineEntry.objects.bulk_create(entries)
        return case
    if stage == "declined":
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.DECLINED, decline_reason=Case.DeclineReason.OUT_OF_AREA, closed_at=responded
        )
        entries.append(
            _entry(
                case,
                responded,
                "declined",
                Actor.COMMUNITY_WORKER,
                "已告知居民向属地社区反映。",
                message="declined",
                reason=Case.DeclineReason.OUT_OF_AREA,
            )
        )
        TimelineEntry.objects.bulk_create(entries)
        return case
    entries.append(_entry(case, responded, "accepted", Actor.COMMUNITY_WORKER, "", message="accepted"))
    dispatched = clamp(responded + timedelta(hours=2))
    street_departments = [d for d in local if d.street_id] or local
    lead = street_departments[token.int % len(street_departments)] if street_departments else None
    task = None
    if lead is not None:
        task = DispatchTask.objects.create(
            case=case,
            department=lead,
            is_lead=True,
            created_at=dispatched,
            onsite_deadline=dispatched + timedelta(days=category.onsite_days),
            deadline=dispatched + timedelta(days=category.resolve_days),
        )
        entries.append(
            _entry(case, dispatched, "dispatched", Actor.COMMUNITY_WORKER, "", message="dispatched", lead=lead.name)
        )
    fields = {"status": Case.Status.DISPATCHED, "dispatched_at": dispatched, "is_published": publish}
    steps = ["on_site", "planned", "resolved"]
    reached = steps[: steps.index(stage) + 1] if stage in steps else []
    t = dispatched
    if task and "on_site" in reached:
        t = clamp(t + timedelta(days=onsite_d))
        DispatchTask.objects.filter(pk=task.pk).update(status="on_site", onsite_at=t, onsite_people="2 人")
        entries.append(
            _entry(
                case, t, "on_site", Actor.DEPARTMENT_OFFICER, "", task, message="on_site", dept=lead.name, people="2 人"
            )
        )
        fields["status"] = Case.Status.ON_SITE
    if task and "planned" in reached:
        t = clamp(t + timedelta(days=plan_d))
        DispatchTask.objects.filter(pk=task.pk).update(
            status="planned", plan="和居民商量后确定处置办法。", planned_at=t
        )
        entries.append(_entry(case, t, "planned", Actor.DEPARTMENT_OFFICER, "和居民商量后确定处置办法。", task))
        fields["status"] = Case.Status.PLANNED
    if task and "resolved" in reached:
        t = clamp(t + timedelta(days=done_d))
        DispatchTask.objects.filter(pk=task.pk).update(status="done", result="已处置完毕。", done_at=t)
        entries.append(_entry(case, t, "done", Actor.DEPARTMENT_OFFICER, "已处置完毕。", task))
        resolved = clamp(t + timedelta(hours=3))
        entries.append(_entry(case, resolved, "resolved", Actor.COMMUNITY_WORKER, "问题已解决。"))
        fields.update(status=Case.Status.RESOLVED, resolved_at=resolved)
        rated = resolved + timedelta(days=1)
        if rated < now and rating_roll < 0.8:
            rating = "satisfied" if rating_roll < 0.62 else "basic" if rating_roll < 0.74 else "unsatisfied"
            # an old grumble kept on record, the case closed after review
            comment = "希望以后维护得再及时些。" if rating == "unsatisfied" else ""
            entries.append(_entry(case, rated, "rated", Actor.RESIDENT, comment, message="rated", rating=rating))
            fields.update(status=Case.Status.CONFIRMED, rating=rating, rated_at=rated, closed_at=rated)
    Case.objects.filter(pk=case.pk).update(**fields)
    TimelineEntry.objects.bulk_create(entries)
    if publish and fields["status"] in (Case.Status.RESOLVED, Case.Status.CONFIRMED) and rating_roll < 0.3:
        _photo(
            picture,
            case,
            "after",
            f"demo-case-{case.pk}",
            "green",
            False,
            f"处置后：{place}（示意图）",
            size=(600, 400),
        )
    return case
