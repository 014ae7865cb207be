"""seed_scale: 100,000 cases over two years, each with its timeline and dispatch tasks."""

import datetime

from django.utils import timezone

from communities.models import Department
from feedback import conf
from feedback.demo import load_categories
from feedback.models import Actor, Case, CasePhoto, DispatchTask, TimelineEntry

S = Case.Status
# status -> share of all cases
MIX = [
    (S.SUBMITTED, 0.03),
    (S.ACCEPTED, 0.02),
    (S.DECLINED, 0.05),
    (S.DISPATCHED, 0.04),
    (S.ON_SITE, 0.04),
    (S.PLANNED, 0.04),
    (S.RESOLVED, 0.12),
    (S.REOPENED, 0.01),
    (S.CONFIRMED, 0.65),
]
PROBLEMS = [
    ("院内路面坑洼，老人出门容易绊倒。", "路面破损"),
    ("胡同口垃圾桶满了没人清运。", "环境卫生"),
    ("有车辆长期占用消防通道。", "违规停车"),
    ("夜间施工噪音很大，影响休息。", "噪音"),
    ("院里的大树枝条压到电线上了。", "绿化"),
    ("楼道灯坏了一个多月没人修。", "物业服务"),
    ("单元门口的台阶没有坡道，轮椅上不去。", "无障碍"),
]
STAGES = [S.ACCEPTED, S.DISPATCHED, S.ON_SITE, S.PLANNED, S.RESOLVED, S.CONFIRMED]


def _stage(status):
    """How far along the path a case in ``status`` has gone (index into STAGES, -1 for none)."""
    if status in (S.SUBMITTED, S.DECLINED):
        return -1
    if status == S.REOPENED:
        return STAGES.index(S.RESOLVED)
    return STAGES.index(status)


def seed(ctx):
    rng = ctx.rng
    communities = ctx.made["communities"]
    streets = ctx.made["streets"]
    categories = list(load_categories().values())
    by_name = {c.name: c for c in categories}
    departments = {}
    for street in streets:
        for kind, suffix in ((Department.Kind.HOUSING, "房管所"), (Department.Kind.CITY_MANAGEMENT, "城市管理办公室")):
            departments[street.pk, kind] = Department.objects.get_or_create(
                name=f"{street.name}{suffix}", defaults={"kind": kind, "street": street}
            )[0]
    now = timezone.now()
    total = ctx.count("cases", minimum=len(MIX))
    prefix = conf.code_prefix()
    codes = rng.sample(range(100000, 1000000), total)
    statuses = [status for status, share in MIX for _ in range(round(share * total))]
    statuses = (statuses + [S.CONFIRMED] * total)[:total]
    rng.shuffle(statuses)
    cases, plans = [], []
    for i in range(total):
        status = statuses[i]
        created = now - datetime.timedelta(minutes=rng.randint(60, 730 * 24 * 60))
        if status in (S.SUBMITTED,):
            created = now - datetime.timedelta(hours=rng.randint(1, 48))
        text, category_name = rng.choice(PROBLEMS)
        category = by_name.get(category_name, categories[0])
        community = communities[rng.randrange(len(communities))]
        stage = _stage(status)
        times = {}
        t = created
        if status == S.DECLINED or stage >= 0:
            t = t + datetime.timedelta(hours=rng.uniform(0.5, 30))
            times["responded_at"] = t
        if stage >= 1:
            t = t + datetime.timedelta(hours=rng.uniform(1, 24))
            times["dispatched_at"] = t
        steps = []
        for s in STAGES[2 : stage + 1]:
            t = t + datetime.timedelta(days=rng.uniform(0.2, 4))
            steps.append((s, t))
        if stage >= STAGES.index(S.RESOLVED):
            times["resolved_at"] = dict(steps)[S.RESOLVED]
        fields = {}
        if status == S.DECLINED:
            fields.update(decline_reason=rng.choice(Case.DeclineReason.values), closed_at=times["responded_at"])
        if status == S.CONFIRMED:
            fields.update(
                rating=Case.Rating.SATISFIED if rng.random() < 0.82 else Case.Rating.BASIC,
                rated_at=dict(steps)[S.CONFIRMED],
                closed_at=dict(steps)[S.CONFIRMED],
            )
        if status == S.REOPENED:
            fields.update(rating=Case.Rating.UNSATISFIED, rated_at=t + datetime.timedelta(days=1), round=2)
            times.pop("resolved_at")
        published = stage >= 0 and rng.random() < 0.05
        cases.append(
            Case(
                code=f"{prefix}-{created.year}-{codes[i]:06d}",
                community=community,
                category=category,
                place=f"{community.name[:-2]}胡同{rng.randint(1, 60)}号院",
                description=text,
                status=status,
                created_at=created,
                respond_deadline=created + datetime.timedelta(hours=category.respond_hours),
                is_published=published,
                metoo_count=rng.randint(0, 12) if published else 0,
                **times,
                **fields,
            )
        )
        plans.append((stage, steps))
    cases = ctx.bulk(Case, cases, label="cases", total=total)

    tasks, task_plan = [], []
    for case, (stage, steps) in zip(cases, plans, strict=True):
        if stage < 1:
            continue
        category = case.category
        street_id = case.community.street_id
        step_times = dict(steps)
        done = step_times.get(S.RESOLVED)
        for kind, lead in ((Department.Kind.HOUSING, True), (Department.Kind.CITY_MANAGEMENT, False)):
            if not lead and rng.random() < 0.6:
                continue
            tasks.append(
                DispatchTask(
                    case_id=case.pk,
                    department=departments[street_id, kind],
                    is_lead=lead,
                    status=DispatchTask.Status.DONE
                    if done
                    else DispatchTask.Status.PLANNED
                    if S.PLANNED in step_times
                    else DispatchTask.Status.ON_SITE
                    if S.ON_SITE in step_times
                    else DispatchTask.Status.DISPATCHED,
                    created_at=case.dispatched_at,
                    onsite_deadline=case.dispatched_at + datetime.timedelta(days=category.onsite_days),
                    deadline=case.dispatched_at + datetime.timedelta(days=category.resolve_days),
                    onsite_at=step_times.get(S.ON_SITE),
                    onsite_people="2 人" if S.ON_SITE in step_times else "",
                    plan="清理并修复，三天内完成。" if S.PLANNED in step_times else "",
                    planned_at=step_times.get(S.PLANNED),
                    result="已修复完毕。" if done else "",
                    done_at=done,
                )
            )
            task_plan.append(case)
    tasks = ctx.bulk(DispatchTask, tasks, label="dispatch tasks")
    lead_task = {task.case_id: task for task in tasks if task.is_lead}

    def entries():
        for case, (stage, steps) in zip(cases, plans, strict=True):
            yield TimelineEntry(
                case_id=case.pk,
                created_at=case.created_at,
                action="submitted",
                role=Actor.RESIDENT,
                message=TimelineEntry.Message.SUBMITTED,
                params={"category": case.category.name},
            )
            if case.status == S.DECLINED:
                yield TimelineEntry(
                    case_id=case.pk,
                    created_at=case.responded_at,
                    action="declined",
                    role=Actor.COMMUNITY_WORKER,
                    note="已告知居民向所属社区反映。",
                    message=TimelineEntry.Message.DECLINED,
                    params={"reason": Case.DeclineReason.OUT_OF_AREA},
                )
                continue
            if stage >= 0:
                yield TimelineEntry(
                    case_id=case.pk,
                    created_at=case.responded_at,
                    action="accepted",
                    role=Actor.COMMUNITY_WORKER,
                    message=TimelineEntry.Message.ACCEPTED,
                )
            task = lead_task.get(case.pk)
            lead = task.department.name if task else ""
            if stage >= 1:
                yield TimelineEntry(
                    case_id=case.pk,
                    created_at=case.dispatched_at,
                    action="dispatched",
                    role=Actor.COMMUNITY_WORKER,
                    message=TimelineEntry.Message.DISPATCHED,
                    params={"lead": lead},
                )
            said = {  # the portal's sentences of these steps (TimelineEntry.MESSAGES)
                "on_site": {"message": "on_site", "params": {"dept": lead, "people": "2 人"}},
                "rated": {"message": "rated", "params": {"rating": "satisfied"}},
            }
            for status, when in steps:
                action, role, note = {
                    S.ON_SITE: ("on_site", Actor.DEPARTMENT_OFFICER, ""),
                    S.PLANNED: ("planned", Actor.DEPARTMENT_OFFICER, "清理并修复，三天内完成。"),
                    S.RESOLVED: ("resolved", Actor.COMMUNITY_WORKER, "已修复完毕，请居民评价。"),
                    S.CONFIRMED: ("rated", Actor.RESIDENT, ""),
                }[status]
                yield TimelineEntry(
                    case_id=case.pk,
                    task=task if role == Actor.DEPARTMENT_OFFICER else None,
                    created_at=when,
                    action=action,
                    role=role,
                    note=note,
                    **said.get(action, {}),
                )
            if case.status == S.REOPENED:
                yield TimelineEntry(
                    case_id=case.pk,
                    created_at=case.rated_at,
                    action="reopened",
                    role=Actor.RESIDENT,
                    message="rated",
                    params={"rating": "unsatisfied"},
                )

    ctx.bulk(TimelineEntry, entries(), label="timeline entries", total=total * 6)
    # name, (width, height) of the shared pictures: stored sizes, so no row opens its file.
    images = [
        (name, (renditions[-1]["w"], renditions[-1]["h"])) for name, renditions in ctx.made.get("shared_images", [])
    ]
    photos = []
    for case in cases:
        if not (case.is_published and images):
            continue
        photos.append(
            CasePhoto(
                case_id=case.pk,
                role=CasePhoto.Role.BEFORE,
                width=images[-1][1][0],
                height=images[-1][1][1],
                image=images[-1][0],
                alt_text="处置前",
            )
        )
        if case.status in (S.RESOLVED, S.CONFIRMED):
            photos.append(
                CasePhoto(
                    case_id=case.pk,
                    task=lead_task.get(case.pk),
                    role=CasePhoto.Role.AFTER,
                    width=images[0][1][0],
                    height=images[0][1][1],
                    image=images[0][0],
                    alt_text="处置后",
                    order=100,
                )
            )
    ctx.bulk(CasePhoto, photos, label="case photos")
    ctx.made.update(cases=cases)
