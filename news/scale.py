"""seed_scale: 20,000 stories with columns and issues, sections, tags and photos.

Photos are rows pointing at four shared image files made once (with their
renditions), as a district's years of news would reuse a handful of pictures here.
"""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from core.demo_images import scene
from news.models import Column, ColumnIssue, Photo, Story, StorySection, Tag
from news.renditions import make_renditions

ACTIVITIES = [
    "便民服务日服务居民",
    "志愿者为老人义剪",
    "开展义诊进社区活动",
    "老旧小区完成改造",
    "胡同环境整治见成效",
    "养老驿站开门迎客",
    "法律咨询走进楼门",
    "垃圾分类宣传进院落",
    "青少年暑期课堂开课",
    "在职党员回社区报到",
    "邻里节拉近居民距离",
    "楼道堆物清理完毕",
    "无障碍坡道建成使用",
    "停车难问题有了新办法",
    "社区食堂为老人送餐",
    "文化活动丰富居民生活",
]
LEADS = [
    "社区党委联合辖区单位，把服务送到居民家门口。",
    "居民提出的问题，社区吹哨、部门报到，很快有了结果。",
    "志愿服务队的队员们一早就来到了活动现场。",
    "老人们说，这样的活动多办几次就好了。",
    "社区把居民的意见一条条记下来，逐项落实。",
    "街道工作人员和社区干部一起走访了辖区的平房院落。",
]
PARAGRAPHS = [
    "小区健身广场上，社区办起了便民服务日，量血压、理发、法律咨询的摊位前排起了队。",
    "志愿者们推着工具车走进胡同，为行动不便的老人上门理发，一边剪一边唠家常。",
    "社区卫生服务站的医生为居民免费测血糖、量血压，并讲解冬季养老保健知识。",
    "经过三个月的改造，院里的路面平整了，下水道通了，老街坊们再也不用担心雨天积水。",
    "社区党建协调委员会把辖区企业、学校和商户门店联系在一起，资源共享，服务共办。",
    "居民通过吹哨报到反映了楼道堆物的问题，城管办和物业当天就到现场报到。",
    "养老驿站每天为社区老人提供午餐，还开设了书法、合唱和手工课程。",
    "垃圾分类指导员在桶站值守，耐心地教居民分清厨余垃圾和其他垃圾。",
    "律师事务所的志愿者每月到社区坐班一次，为居民解答家事和邻里纠纷的问题。",
    "孩子们在社区活动室里学习非遗剪纸，家长们说暑假有了好去处。",
    "街道和社区一起走访了辖区的独居老人，登记需求，建立服务台账。",
    "新建的无障碍坡道和扶手让坐轮椅的居民也能自己出门晒太阳。",
]
TAGS = [
    ("便民服务", "bianmin-fuwu"),
    ("志愿服务", "zhiyuan-fuwu"),
    ("养老", "yanglao"),
    ("义诊", "yizhen"),
    ("义剪", "yijian"),
    ("环境整治", "huanjing-zhengzhi"),
    ("老旧小区改造", "laojiu-xiaoqu"),
    ("吹哨报到", "chuishao-baodao"),
    ("垃圾分类", "laji-fenlei"),
    ("党建", "dangjian"),
    ("法律咨询", "falv-zixun"),
    ("青少年", "qingshaonian"),
    ("无障碍", "wuzhangai"),
    ("文化活动", "wenhua-huodong"),
    ("平安社区", "pingan-shequ"),
    ("邻里互助", "linli-huzhu"),
]
COLUMNS = [("走社区·看新貌", "zou-shequ"), ("社区好故事", "shequ-gushi"), ("志愿者风采", "zhiyuanzhe")]
YEARS = 6
STORIES_PER_ISSUE = 3
IN_COLUMN = 0.1


def shared_images():
    """Four pictures stored once under news/photos/scale/, with their renditions."""
    images = []
    for n, palette in enumerate(["warm", "green", "blue", "grey"]):
        name = f"news/photos/scale/scale-{n}.jpg"
        if not default_storage.exists(name):
            default_storage.save(name, scene(9000 + n, palette, worn=n == 3))
        field = Photo(image=name).image
        images.append((name, make_renditions(field)))
    return images


def seed(ctx):
    rng = ctx.rng
    communities = ctx.made["communities"]
    now = timezone.now()
    tags = [Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in TAGS]
    columns = [
        Column.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": 10 * i, "description": name})[0]
        for i, (name, slug) in enumerate(COLUMNS)
    ]
    total = ctx.count("stories", minimum=6)
    span = YEARS * 365 * 86400
    # Oldest first, so ids grow with time as they do in a real database.
    times = sorted(now - datetime.timedelta(seconds=rng.randint(3600, span)) for _ in range(total))
    statuses = []
    for _ in range(total):
        roll = rng.random()
        statuses.append(
            Story.Status.PUBLISHED
            if roll < 0.95
            else Story.Status.DRAFT
            if roll < 0.98
            else Story.Status.REVIEW
            if roll < 0.99
            else Story.Status.WITHDRAWN
        )
    # A few scheduled stories (published, time still to come).
    for i in range(max(1, total // 500)):
        times[-1 - i] = now + datetime.timedelta(days=rng.randint(1, 10))
        statuses[-1 - i] = Story.Status.PUBLISHED
    times.sort()

    # Column issues: every tenth story belongs to one, three to an issue, numbered per column.
    column_story_indexes = sorted(rng.sample(range(total), max(3, int(total * IN_COLUMN))))
    issues, issue_of = [], {}
    numbers = dict.fromkeys(range(len(columns)), 0)
    for chunk_start in range(0, len(column_story_indexes), STORIES_PER_ISSUE):
        chunk = column_story_indexes[chunk_start : chunk_start + STORIES_PER_ISSUE]
        c = (chunk_start // STORIES_PER_ISSUE) % len(columns)
        numbers[c] += 1
        issues.append(
            ColumnIssue(
                column=columns[c],
                number=numbers[c],
                date=timezone.localtime(times[chunk[0]]).date(),
                headline=rng.choice(ACTIVITIES),
                lead=rng.choice(LEADS),
            )
        )
        for index in chunk:
            issue_of[index] = len(issues) - 1
    issues = ctx.bulk(ColumnIssue, issues, label="column issues")

    plan = []  # per story: (community indexes of its sections, paragraph indexes of its body)
    stories = []
    for i in range(total):
        community_ids = rng.sample(range(len(communities)), min(len(communities), rng.choice((1, 1, 2, 2, 3))))
        first = communities[community_ids[0]]
        activity = rng.choice(ACTIVITIES)
        lead = rng.choice(LEADS)
        body_paras = rng.sample(range(len(PARAGRAPHS)), 2)
        section_paras = [rng.randrange(len(PARAGRAPHS)) for _ in community_ids]
        plan.append((community_ids, section_paras))
        title = f"{first.name}{activity}"
        body = "".join(f"<p>{PARAGRAPHS[p]}</p>" for p in body_paras)
        parts = [title, "", lead, "".join(PARAGRAPHS[p] for p in body_paras)]
        for c, p in zip(community_ids, section_paras, strict=True):
            parts += [f"{communities[c].name}：{communities[c].brand}", PARAGRAPHS[p], communities[c].name]
        stories.append(
            Story(
                title=title,
                slug=f"scale-{i:06d}",
                lead=lead,
                body=body,
                author=rng.choice(["王静", "李明", "张华", "刘洋", "陈晨"]),
                responsible_editor=rng.choice(["赵敏", "孙磊"]),
                column_issue=issues[issue_of[i]] if i in issue_of else None,
                status=statuses[i],
                published_at=times[i] if statuses[i] != Story.Status.DRAFT else None,
                is_featured=rng.random() < 0.02,
                search_text=ctx.index_text(*parts),
            )
        )
    stories = ctx.bulk(Story, stories, label="stories", total=total)

    through = Story.communities.through
    ctx.bulk(
        through,
        [
            through(story_id=story.pk, community_id=communities[c].pk)
            for story, (community_ids, _) in zip(stories, plan, strict=True)
            for c in community_ids
        ],
        label="story communities",
    )
    tag_through = Story.tags.through
    ctx.bulk(
        tag_through,
        [
            tag_through(story_id=story.pk, tag_id=tag.pk)
            for story in stories
            for tag in rng.sample(tags, rng.randint(0, 3))
        ],
        label="story tags",
    )
    sections = ctx.bulk(
        StorySection,
        [
            StorySection(
                story_id=story.pk,
                community_id=communities[c].pk,
                heading=f"{communities[c].name}：{communities[c].brand}",
                body=f"<p>{PARAGRAPHS[p]}</p>",
                order=order,
            )
            for story, (community_ids, section_paras) in zip(stories, plan, strict=True)
            for order, (c, p) in enumerate(zip(community_ids, section_paras, strict=True))
        ],
        label="story sections",
    )
    images = shared_images()
    photos = []
    for section in sections:
        roll = rng.random()
        if roll < 0.4:
            continue
        roles = [Photo.Role.BEFORE, Photo.Role.AFTER] if roll > 0.93 else [Photo.Role.NONE]
        for order, role in enumerate(roles):
            name, renditions = images[3 if role == Photo.Role.BEFORE else rng.randrange(3)]
            photos.append(
                Photo(
                    section_id=section.pk,
                    image=name,
                    renditions=renditions,
                    caption=rng.choice(ACTIVITIES),
                    alt_text="居民和志愿者在社区活动现场",
                    is_file_photo=rng.random() < 0.1,
                    role=role,
                    order=order,
                )
            )
    ctx.bulk(Photo, photos, label="photos")
    ctx.made.update(stories=stories, tags=tags, columns=columns, issues=issues, shared_images=images)
