"""Demo news: the column 《走社区·看新貌》 issue 28 (facts from seed-facts.md, our own words)
and a dozen more stories over the demo communities. Safe to run again."""

import datetime
from zoneinfo import ZoneInfo

from communities.models import Community
from core.demo_images import scene
from news.models import DEFAULT_SOURCE, Column, ColumnIssue, Photo, Story, StorySection, Tag

SHANGHAI = ZoneInfo("Asia/Shanghai")

TAGS = [
    ("党建引领", "dangjian"),
    ("便民服务", "bianmin"),
    ("志愿服务", "zhiyuan"),
    ("吹哨报到", "chuishao"),
    ("文明城区", "wenming"),
    ("老旧小区", "laojiu"),
    ("为老服务", "weilao"),
    ("环境整治", "huanjing"),
]

ISSUE_28_SECTIONS = [
    {
        "community": ("chunshu", "chunshuyuan"),
        "heading": "椿树园社区：红色领航·椿满园，便民服务日开张",
        "body": (
            "<p>小区健身广场上，椿树园社区办起了第一个便民服务日。社区党委借助社区党建协调委员会，"
            "又挨家联系了辖区商户门店，一下子就有十多家企业和单位报名，街道各科室也一起到场。</p>"
            "<p>义诊台前量血压的、理发椅旁等着剪头的、向律师咨询家事的，居民们排起了队。"
            "社区党委书记刘飞说，没想到一次就有这么多单位愿意来，大家的热情给了社区底气。</p>"
            "<p>往后，便民服务日每月固定举办，社区还会为青少年和在职党员安排活动；"
            "环境卫生、物业服务水平也在一项项抓，让小区更整洁、更有序、更文明。</p>"
        ),
        "photos": [
            ("居民在健身广场的义诊台前排队量血压", "便民服务日上，辖区卫生服务站为居民量血压。", False, ""),
            ("理发师在户外为老人理发", "辖区美发店的师傅在广场上为老人理发。", False, ""),
        ],
    },
    {
        "community": ("jinrongjie", "wenjiajie"),
        "heading": "温家街社区：贴心志愿，为民服务",
        "body": (
            "<p>温家街社区的李双军志愿服务队以全国劳模李双军的名字命名，2013 年挂牌，队里有退休职工，"
            "也有工程师。活动室一角的“银色理发店”是大家最熟悉的地方，定期为居民义剪；"
            "对高龄、患病、行动不便的老人，队员们还会带着工具上门。</p>"
            "<p>这一次，沙宣美发学校的年轻志愿者来帮忙剪发，民康社区卫生服务站摆开了义诊台，"
            "社区公益律师现场答疑，文艺志愿者还带来了节目。</p>"
            "<p>社区同时在整治不文明晾晒、清理公共空间的堆物，让楼道和院子清清爽爽。</p>"
        ),
        "photos": [
            ("年轻的美发学校学员为居民剪发", "沙宣美发学校的青年志愿者为居民义剪。", False, ""),
            ("志愿服务队队员与居民交谈", "李双军志愿服务队队员为居民服务。", True, ""),
            ("律师坐在桌前向居民解答问题", "社区公益律师为居民提供法律咨询。", False, ""),
            ("文艺志愿者在社区广场演出", "文艺志愿者为居民表演节目。", False, ""),
        ],
    },
    {
        "community": ("shichahai", "sihuan"),
        "heading": "四环社区：一声“哨响”，破旧院子变平整",
        "body": (
            "<p>四环胡同 28 号院是个大杂院，占地约 1500 平方米，住着七十来口人。院里的地面起皮、碎裂，"
            "坑坑洼洼，腿脚不便的老人出门很发愁。</p>"
            "<p>社区靠自己解决不了，就“吹哨”请来街道房管所和城市管理办公室。"
            "两个部门到现场查看，社区挨户听取居民意见，大家商定了修缮方案，路面很快修好。</p>"
            "<p>如今院子又平又宽敞，居民们都说满意。下一步，社区准备试点“党建引领+自管小组”的微治理模式，"
            "让院里的事大家商量着办。</p>"
        ),
        "photos": [
            ("修缮前的院子地面坑洼破损", "修缮前：院内地面起皮破损。", False, "before"),
            ("房管所工作人员在院内商量修缮方案", "房管所工作人员在现场研究修缮方案。", False, ""),
            ("修缮后的院子地面平整", "修缮后：院内路面平整宽敞。", False, "after"),
            ("修缮后居民在平整的院子里散步", "修缮后：老人出门更方便了。", False, "after"),
        ],
    },
]

# slug, title, lead, [(street, community)], tags, days before today, featured
MORE_STORIES = [
    (
        "chunshuyuan-service-day-july",
        "椿树园社区便民服务日迎来第二场",
        "义诊、理发、家电维修摆进小区广场，十多家辖区单位再次到场。",
        [("chunshu", "chunshuyuan")],
        ["bianmin", "dangjian"],
        3,
        True,
    ),
    (
        "wenjiajie-silver-barber",
        "“银色理发店”里的周二上午",
        "李双军志愿服务队的队员们每周二为老人义剪，十年来从未间断。",
        [("jinrongjie", "wenjiajie")],
        ["zhiyuan", "weilao"],
        6,
        True,
    ),
    (
        "sihuan-self-management",
        "四环社区试点院落自管小组",
        "大杂院里选出自管小组，晾晒、停车、堆物大家商量着定规矩。",
        [("shichahai", "sihuan")],
        ["dangjian", "chuishao"],
        9,
        False,
    ),
    (
        "xihai-lakeside-cleanup",
        "西海沿岸开展环境清洁日",
        "社区志愿者和沿岸商户一起捡拾垃圾、清理共享单车。",
        [("shichahai", "xihai")],
        ["huanjing", "zhiyuan"],
        12,
        False,
    ),
    (
        "liulichang-calligraphy",
        "琉璃厂西街社区书法进楼门",
        "书画院老师走进楼门，为居民写春联、讲书法。",
        [("chunshu", "liulichang-xijie")],
        ["wenming"],
        15,
        False,
    ),
    (
        "hongxian-courtyard-greening",
        "红线社区平房院落添新绿",
        "居民自己动手，在院落角落种下花草。",
        [("chunshu", "hongxian")],
        ["huanjing"],
        18,
        False,
    ),
    (
        "fengsheng-elderly-meals",
        "丰盛社区老年餐桌开张",
        "社区食堂为高龄老人提供午餐，行动不便的可以送餐上门。",
        [("jinrongjie", "fengsheng")],
        ["weilao", "bianmin"],
        21,
        False,
    ),
    (
        "liuyinjie-hutong-tour",
        "柳荫街社区志愿者当起胡同讲解员",
        "退休居民给游客讲胡同故事，也提醒文明游览。",
        [("shichahai", "liuyinjie")],
        ["zhiyuan", "wenming"],
        24,
        False,
    ),
    (
        "liupukang-old-estate-renewal",
        "六铺炕社区老旧小区综合整治启动",
        "楼道粉刷、管线更新、加装扶手，整治方案先在居民议事会上讨论。",
        [("desheng", "liupukang")],
        ["laojiu"],
        27,
        False,
    ),
    (
        "sanlihe-health-lecture",
        "三里河一区社区健康讲座座无虚席",
        "社区卫生服务站医生讲解夏季老年人防暑常识。",
        [("yuetan", "sanlihe-yiqu")],
        ["weilao"],
        30,
        False,
    ),
    (
        "sihuan-whistle-drainage",
        "一声“哨响”，四环胡同排水沟疏通了",
        "雨季前，社区吹哨请来城管办和房管所，把堵了多年的排水沟清理干净。",
        [("shichahai", "sihuan")],
        ["chuishao", "huanjing"],
        33,
        False,
    ),
    (
        "chunshu-youth-summer",
        "椿树街道青少年暑期课堂开课",
        "在职党员当老师，带孩子们走胡同、学非遗。",
        [("chunshu", "chunshuyuan"), ("chunshu", "liulichang-xijie")],
        ["dangjian"],
        36,
        False,
    ),
    (
        "district-civilised-walk",
        "各街道社区联动迎接文明城区复查",
        "从楼门到街巷，各社区把文明创建落到日常。",
        [("chunshu", "chunshuyuan"), ("jinrongjie", "wenjiajie"), ("shichahai", "sihuan")],
        ["wenming"],
        40,
        False,
    ),
]

PALETTES = ["warm", "green", "blue", "grey"]


def _community(places, key):
    return places[key]


def _photo(section, index, alt, caption, is_file, role):
    order = index * 10
    existing = section.photos.filter(order=order).first()
    photo = existing or Photo(section=section, order=order)
    photo.alt_text = alt
    photo.caption = caption
    photo.is_file_photo = is_file
    photo.role = role
    if not photo.image:
        seed = f"{section.story.slug}-{section.order}-{index}"
        photo.image.save(f"{seed}.jpg", scene(seed, PALETTES[index % 4], worn=(role == "before")), save=False)
    photo.save()


def load(stdout):
    places = {(c.street.slug, c.slug): c for c in Community.objects.select_related("street")}
    tags = {}
    for name, slug in TAGS:
        tags[slug], _ = Tag.objects.update_or_create(slug=slug, defaults={"name": name})
    column, _ = Column.objects.update_or_create(
        slug="zou-shequ",
        defaults={
            "name": "走社区·看新貌",
            "description": "每期走进几个社区，看看大家在创建全国文明城区中的新做法、新变化。",
            "sort_order": 10,
        },
    )
    published_28 = datetime.datetime(2023, 6, 6, 4, 13, 19, tzinfo=SHANGHAI)
    issue, _ = ColumnIssue.objects.update_or_create(
        column=column,
        number=28,
        defaults={
            "date": published_28.date(),
            "headline": "红色领航，奏响文明创建“交响曲”",
            "lead": "本期走进三个社区：党建是引擎，志愿服务是载体，服务居民是支点。",
        },
    )
    for number, day, headline in [
        (26, datetime.date(2023, 5, 9), "老街巷里的新风景"),
        (27, datetime.date(2023, 5, 23), "邻里守望，文明有温度"),
    ]:
        ColumnIssue.objects.update_or_create(column=column, number=number, defaults={"date": day, "headline": headline})
    story, _ = Story.objects.update_or_create(
        slug="zou-shequ-28",
        defaults={
            "title": "走社区·看新貌（第二十八期）：红色领航，三个社区奏响文明“交响曲”",
            "subtitle": "红色领航·椿满园｜贴心志愿为民服务｜“吹哨”聚集合力",
            "lead": "椿树园社区把便民服务日办成了每月之约，温家街社区的老志愿队常年为老人义剪，"
            "四环社区一声“哨响”修平了大杂院。党建是引擎，志愿服务是载体，服务居民是支点。",
            "body": "<p>本期《走社区·看新貌》走进椿树、金融街、什刹海三个街道的三个社区，"
            "看看他们如何把文明创建落到居民身边的小事上。</p>",
            "source": DEFAULT_SOURCE,
            "author": "北京西城官方发布",
            "responsible_editor": "区文明办",
            "column_issue": issue,
            "status": Story.Status.PUBLISHED,
            "published_at": published_28,
            "is_featured": True,
        },
    )
    story.tags.set([tags["dangjian"], tags["bianmin"], tags["zhiyuan"], tags["chuishao"], tags["wenming"]])
    for order, spec in enumerate(ISSUE_28_SECTIONS):
        community = places[spec["community"]]
        section, _ = StorySection.objects.update_or_create(
            story=story,
            order=order * 10,
            defaults={"community": community, "heading": spec["heading"], "body": spec["body"]},
        )
        for index, (alt, caption, is_file, role) in enumerate(spec["photos"]):
            _photo(section, index, alt, caption, is_file, role)
    story.communities.set([places[s["community"]] for s in ISSUE_28_SECTIONS])
    story.reindex()

    today = datetime.datetime.now(SHANGHAI).replace(hour=9, minute=30, second=0, microsecond=0)
    for index, (slug, title, lead, where, tag_slugs, days, featured) in enumerate(MORE_STORIES):
        item, _ = Story.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "lead": lead,
                "body": f"<p>{lead}</p><p>社区工作人员表示，会听取居民意见，把这件事长期做下去。</p>",
                "source": "西城区" + places[where[0]].street.name,
                "author": places[where[0]].name,
                "status": Story.Status.PUBLISHED,
                "published_at": today - datetime.timedelta(days=days),
                "is_featured": featured,
                "column_issue": None,
            },
        )
        if not item.cover:
            item.cover.save(f"{slug}.jpg", scene(f"cover-{slug}", PALETTES[index % 4]), save=False)
            item.cover_alt = f"{title}现场示意图"
            item.save()
        item.tags.set([tags[t] for t in tag_slugs])
        item.communities.set([places[w] for w in where])
        section, _ = StorySection.objects.update_or_create(
            story=item,
            order=0,
            defaults={"community": places[where[0]], "heading": places[where[0]].name, "body": f"<p>{lead}</p>"},
        )
    stdout.write(
        f"  news: {Story.objects.count()} stories, {Photo.objects.count()} photos, "
        f"{ColumnIssue.objects.count()} column issues"
    )
