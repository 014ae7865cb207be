"""Demo places and accounts, from ../shared/seed-facts.md in our own words.

Safe to run again: every row is found by its natural key and updated.
"""

from django.contrib.auth import get_user_model

from communities.models import Community, Department, District, PartnerUnit, StaffScope, Street

DEMO_PASSWORD = "demo-pass-2026"

STREETS = [
    # slug, name, sort, description, [(slug, name, brand, address, description)]
    (
        "chunshu",
        "椿树街道",
        10,
        "位于西城区南部，胡同与新式小区交错，社区党建协调委员会联系着众多辖区单位。",
        [
            (
                "chunshuyuan",
                "椿树园社区",
                "红色领航·椿满园",
                "椿树园小区健身广场旁",
                "社区党委以“红色领航·椿满园”为党建品牌，联合辖区企业、单位和商户门店，"
                "把便民服务日办成了每月固定的日子，也为青少年和在职党员组织活动。",
            ),
            ("liulichang-xijie", "琉璃厂西街社区", "", "琉璃厂西街", "老字号书画店铺聚集的文化街区社区。"),
            ("hongxian", "红线社区", "", "红线胡同一带", "以平房院落为主的老城社区。"),
        ],
    ),
    (
        "jinrongjie",
        "金融街街道",
        20,
        "金融机构与居民院落比邻而居，志愿服务传统深厚。",
        [
            (
                "wenjiajie",
                "温家街社区",
                "",
                "温家街社区活动室",
                "社区有一支以全国劳动模范李双军名字命名的志愿服务队，2013 年挂牌，"
                "定期在活动室的“银色理发店”为居民义剪，还上门为高龄、患病和行动不便的老人服务。",
            ),
            ("fengsheng", "丰盛社区", "", "丰盛胡同", "紧邻金融街的居民社区。"),
        ],
    ),
    (
        "shichahai",
        "什刹海街道",
        30,
        "环绕什刹海的历史文化街区，大杂院多，“吹哨报到”是解决难题的常用办法。",
        [
            (
                "sihuan",
                "四环社区",
                "",
                "四环胡同",
                "胡同里的大杂院多。社区遇到单靠自己解决不了的问题，就“吹哨”请职能部门到现场，"
                "和居民一起商量方案，下一步还要试点“党建引领+自管小组”的微治理。",
            ),
            ("xihai", "西海社区", "", "西海沿岸", "临水而居的社区，游客和居民都多。"),
            ("liuyinjie", "柳荫街社区", "", "柳荫街", "胡同游线路经过的社区。"),
        ],
    ),
    (
        "desheng",
        "德胜街道",
        40,
        "西城区北部的街道，老旧小区较多。",
        [
            ("liupukang", "六铺炕社区", "", "六铺炕", "楼房与平房并存的综合社区。"),
        ],
    ),
    (
        "yuetan",
        "月坛街道",
        50,
        "机关单位宿舍区集中的街道。",
        [
            ("sanlihe-yiqu", "三里河一区社区", "", "三里河一区", "老年居民比例较高的社区。"),
        ],
    ),
]

PARTNER_UNITS = [
    ("chunshuyuan", "椿树社区卫生服务站", "health", "义诊、量血压、健康咨询"),
    ("chunshuyuan", "宣南律师事务所", "law", "法律咨询"),
    ("chunshuyuan", "椿树园美发店", "shop", "便民理发"),
    ("chunshuyuan", "琉璃厂书画院", "enterprise", "书法春联、文化活动"),
    ("chunshuyuan", "椿树园物业服务中心", "enterprise", "小家电维修、物业答疑"),
    ("chunshuyuan", "宣武眼镜店", "shop", "验光、眼镜清洗维修"),
    ("chunshuyuan", "椿树街道社区服务中心", "other", "社保、养老政策咨询"),
    ("wenjiajie", "沙宣美发学校", "school", "青年志愿者义剪"),
    ("wenjiajie", "民康社区卫生服务站", "health", "义诊"),
    ("wenjiajie", "社区公益律师工作室", "law", "法律咨询"),
    ("sihuan", "什刹海社区卫生服务站", "health", "健康咨询"),
]

DEPARTMENTS = [
    # name, kind, street slug (None: district-wide), phone
    ("什刹海街道房管所", "housing", "shichahai", "010-66000001"),
    ("什刹海街道城市管理办公室", "city", "shichahai", "010-66000002"),
    ("椿树街道房管所", "housing", "chunshu", "010-66000003"),
    ("椿树街道城市管理办公室", "city", "chunshu", "010-66000004"),
    ("金融街街道城市管理办公室", "city", "jinrongjie", "010-66000005"),
    ("西城区园林绿化局", "greening", None, "010-66000006"),
    ("西城区环境卫生服务中心", "environment", None, "010-66000007"),
]


def load(ctx):
    district, _ = District.objects.update_or_create(
        slug="xicheng", defaults={"name": "西城区", "description": "首都功能核心区，15 个街道、约 260 个社区。"}
    )
    for slug, name, sort, description, communities in STREETS:
        street, _ = Street.objects.update_or_create(
            slug=slug,
            defaults={
                "district": district,
                "name": name,
                "sort_order": sort,
                "description": description,
                "address": f"西城区{name}办事处",
                "phone": f"010-6{sort:02d}00000",
            },
        )
        for index, (c_slug, c_name, brand, address, c_description) in enumerate(communities):
            community, _ = Community.objects.update_or_create(
                street=street,
                slug=c_slug,
                defaults={
                    "name": c_name,
                    "brand": brand,
                    "address": address,
                    "description": c_description,
                    "sort_order": index * 10,
                    "phone": f"010-6{sort:02d}1{index:03d}0",
                },
            )
            if not community.cover:
                community.cover.save(f"{c_slug}.jpg", ctx.picture(f"community-{c_slug}", "warm"), save=False)
                community.cover_alt = f"{c_name}街景示意图"
                community.save()
    by_slug = {c.slug: c for c in Community.objects.all()}
    for c_slug, name, kind, description in PARTNER_UNITS:
        PartnerUnit.objects.update_or_create(
            community=by_slug[c_slug], name=name, defaults={"kind": kind, "description": description}
        )
    load_departments()
    load_accounts()
    ctx.stdout.write(
        f"  places: {Street.objects.count()} streets, {Community.objects.count()} communities, "
        f"{PartnerUnit.objects.count()} partner units"
    )


def load_departments():
    streets = {s.slug: s for s in Street.objects.all()}
    for name, kind, street_slug, phone in DEPARTMENTS:
        Department.objects.update_or_create(
            name=name, defaults={"kind": kind, "street": streets.get(street_slug), "contact_phone": phone}
        )


DEMO_ACCOUNTS = [
    # username, display name, role, place lookup
    ("editor-chunshu", "椿树街道编辑", StaffScope.Role.STREET_EDITOR, ("street", "chunshu")),
    ("worker-sihuan", "四环社区工作者", StaffScope.Role.COMMUNITY_WORKER, ("community", "sihuan")),
    (
        "officer-fangguan",
        "什刹海房管所工作人员",
        StaffScope.Role.DEPARTMENT_OFFICER,
        ("department", "什刹海街道房管所"),
    ),
]


def _demo_user(username, first_name, **flags):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.email = f"{username}@example.org"
    for key, value in flags.items():
        setattr(user, key, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def load_accounts():
    _demo_user("admin", "区级管理员", is_staff=True, is_superuser=True)
    for username, first_name, role, (kind, key) in DEMO_ACCOUNTS:
        user = _demo_user(username, first_name)
        if kind == "street":
            place = {"street": Street.objects.get(slug=key)}
        elif kind == "community":
            place = {"community": Community.objects.get(slug=key)}
        else:
            place = {"department": Department.objects.get(name=key)}
        defaults = {"role": role, "street": None, "community": None, "department": None, **place}
        StaffScope.objects.update_or_create(user=user, defaults=defaults)
    _demo_user("volunteer-demo", "王志愿")
