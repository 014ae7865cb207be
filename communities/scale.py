"""seed_scale: the district's 15 streets, 260 communities and 1,500 partner units."""

from communities.models import Community, District, PartnerUnit, Street

STREETS = [
    ("xichang-anjie", "西长安街街道"),
    ("xinjiekou", "新街口街道"),
    ("yuetan", "月坛街道"),
    ("zhanlanlu", "展览路街道"),
    ("desheng", "德胜街道"),
    ("jinrongjie", "金融街街道"),
    ("shichahai", "什刹海街道"),
    ("dashilan", "大栅栏街道"),
    ("tianqiao", "天桥街道"),
    ("chunshu", "椿树街道"),
    ("taoranting", "陶然亭街道"),
    ("guanganmennei", "广安门内街道"),
    ("niujie", "牛街街道"),
    ("baizhifang", "白纸坊街道"),
    ("guanganmenwai", "广安门外街道"),
]
FIRST = "东西南北前后新老大小上中红白金银青"
PLACES = [
    "椿树",
    "槐柏",
    "杨柳",
    "丰盛",
    "三里河",
    "百万庄",
    "黄城根",
    "福绥境",
    "桃园",
    "太平街",
    "琉璃厂",
    "宣武门",
    "白云观",
    "马连道",
    "红莲",
    "枣林",
]
BRANDS = ["红色领航", "邻里守望", "胡同暖心", "银龄互助", "绿色家园", "文明楼门", "平安院落", "书香社区"]
UNIT_KINDS = [
    (PartnerUnit.Kind.ENTERPRISE, "有限公司"),
    (PartnerUnit.Kind.HEALTH, "社区卫生服务站"),
    (PartnerUnit.Kind.LAW, "律师事务所"),
    (PartnerUnit.Kind.SCHOOL, "小学"),
    (PartnerUnit.Kind.SHOP, "便民超市"),
    (PartnerUnit.Kind.SHOP, "理发店"),
    (PartnerUnit.Kind.OTHER, "物业服务中心"),
]


def seed(ctx):
    rng = ctx.rng
    district, _ = District.objects.get_or_create(slug="xicheng", defaults={"name": "西城区"})
    streets = []
    for index, (slug, name) in enumerate(STREETS[: ctx.count("streets", minimum=2)]):
        street, _ = Street.objects.get_or_create(
            district=district,
            name=name,
            defaults={"slug": slug, "sort_order": 10 * (index + 1), "description": f"{name}位于西城区。"},
        )
        streets.append(street)
    names = [f"{first}{place}" for place in PLACES for first in FIRST]
    rng.shuffle(names)
    total = ctx.count("communities", minimum=3 * len(streets))
    communities = ctx.bulk(
        Community,
        (
            Community(
                street=streets[i % len(streets)],
                name=f"{names[i % len(names)]}{'' if i < len(names) else i}社区",
                slug=f"c{i:04d}",
                brand=f"{rng.choice(BRANDS)}·{names[i % len(names)][:2]}",
                address=f"{names[i % len(names)]}胡同{rng.randint(1, 80)}号",
                phone=f"010-6{rng.randint(1000000, 9999999)}",
                description=f"{names[i % len(names)]}社区以平房院落和老旧小区为主，居民关系和睦。",
                sort_order=i,
            )
            for i in range(total)
        ),
        label="communities",
        total=total,
    )
    total = ctx.count("partner_units")
    units = ctx.bulk(
        PartnerUnit,
        (
            PartnerUnit(
                community=communities[i % len(communities)],
                name=f"{communities[i % len(communities)].name[:-2]}{kind_name}{i}",
                kind=kind,
                address=communities[i % len(communities)].address,
                contact_name="王" + "明",
                contact_phone=f"138{rng.randint(10000000, 99999999)}",
            )
            for i, (kind, kind_name) in ((i, rng.choice(UNIT_KINDS)) for i in range(total))
        ),
        label="partner units",
        total=total,
    )
    ctx.made.update(district=district, streets=streets, communities=communities, partner_units=units)
