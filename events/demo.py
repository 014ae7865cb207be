"""Demo service days, from ../shared/seed-facts.md in our own words. Safe to run again."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from communities.models import Community, PartnerUnit
from events.models import RecurringSchedule, ServiceDay, ServiceOffering, ServiceType

# Names stored in Chinese; gettext_noop keeps their English in the catalogue (the |tr filter, core.lang).
SERVICE_TYPES = [
    (gettext_noop("义诊"), "量血压、测血糖、问诊"),
    (gettext_noop("理发"), "老人、行动不便的居民优先"),
    (gettext_noop("法律咨询"), "家事、租房、继承等问题"),
    (gettext_noop("健康咨询"), "慢病管理、用药问答"),
    (gettext_noop("政策咨询"), "社保、养老服务政策"),
    (gettext_noop("小家电维修"), "随身带来即可"),
    (gettext_noop("眼镜清洗维修"), "清洗、紧螺丝、换鼻托"),
    (gettext_noop("书法春联"), "写福字、春联"),
    (gettext_noop("文艺演出"), "社区文艺志愿者表演"),
]

# service type, partner unit name (None: the community itself), station, resident places
CHUNSHUYUAN_OFFERINGS = [
    ("义诊", "椿树社区卫生服务站", "1 号帐篷", 30),
    ("理发", "椿树园美发店", "2 号帐篷", 12),
    ("法律咨询", "宣南律师事务所", "3 号桌", 10),
    ("健康咨询", "椿树社区卫生服务站", "1 号帐篷", None),
    ("小家电维修", "椿树园物业服务中心", "4 号桌", None),
    ("眼镜清洗维修", "宣武眼镜店", "5 号桌", None),
    ("政策咨询", "椿树街道社区服务中心", "6 号桌", None),
    ("书法春联", "琉璃厂书画院", "广场东侧", None),
]

WENJIAJIE_OFFERINGS = [
    ("理发", "沙宣美发学校", "银色理发店", 20),
    ("义诊", "民康社区卫生服务站", "活动室南侧", None),
    ("法律咨询", "社区公益律师工作室", "活动室北侧", 8),
    ("文艺演出", None, "活动室大厅", None),
]


def _offerings(day, rows):
    types = {t.name: t for t in ServiceType.objects.all()}
    units = {u.name: u for u in PartnerUnit.objects.filter(community=day.community)}
    for index, (type_name, unit_name, station, places) in enumerate(rows):
        ServiceOffering.objects.update_or_create(
            day=day,
            service_type=types[type_name],
            partner_unit=units.get(unit_name),
            defaults={"station": station, "resident_places": places, "sort_order": index * 10},
        )


def load(ctx):
    for index, (name, description) in enumerate(SERVICE_TYPES):
        ServiceType.objects.update_or_create(name=name, defaults={"description": description, "sort_order": index * 10})
    chunshuyuan = Community.objects.get(slug="chunshuyuan")
    wenjiajie = Community.objects.get(slug="wenjiajie")

    chunshu_schedule, _ = RecurringSchedule.objects.update_or_create(
        community=chunshuyuan,
        title="椿树园社区便民服务日",
        defaults={
            "week": RecurringSchedule.Week.SECOND,
            "weekday": RecurringSchedule.Weekday.SATURDAY,
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 30),
            "place": "椿树园小区健身广场",
            "description": (
                "社区党委通过党建协调委员会，邀请十多家辖区企业、单位和商户门店一起摆摊服务："
                "看病问诊、理发、法律咨询、家电维修都有。每月一次，风雨无阻（恶劣天气会提前通知）。"
            ),
            "months_ahead": 3,
        },
    )
    wenjiajie_schedule, _ = RecurringSchedule.objects.update_or_create(
        community=wenjiajie,
        title="温家街社区义剪日",
        defaults={
            "week": RecurringSchedule.Week.LAST,
            "weekday": RecurringSchedule.Weekday.WEDNESDAY,
            "start_time": datetime.time(14, 0),
            "end_time": datetime.time(16, 30),
            "place": "温家街社区活动室“银色理发店”",
            "description": (
                "李双军志愿服务队和美发学校的年轻志愿者一起为居民义剪，卫生服务站同时义诊，"
                "社区公益律师现场答疑，文艺志愿者还会表演节目。"
            ),
            "months_ahead": 2,
        },
    )
    days = chunshu_schedule.generate() + wenjiajie_schedule.generate()
    for day in ServiceDay.objects.filter(schedule=chunshu_schedule):
        _offerings(day, CHUNSHUYUAN_OFFERINGS)
    for day in ServiceDay.objects.filter(schedule=wenjiajie_schedule):
        _offerings(day, WENJIAJIE_OFFERINGS)

    # The first service day, already held: kept for the history pages.
    first, _ = ServiceDay.objects.update_or_create(
        community=chunshuyuan,
        title="椿树园社区首个便民服务日",
        defaults={
            "date": datetime.date(2023, 6, 3),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 30),
            "place": "椿树园小区健身广场",
            "description": "第一次便民服务日，十多家单位同时到场，居民排起了长队。从此每月固定举办。",
            "status": ServiceDay.Status.PUBLISHED,
        },
    )
    _offerings(first, CHUNSHUYUAN_OFFERINGS)
    past_wen, _ = ServiceDay.objects.update_or_create(
        community=wenjiajie,
        title="温家街社区义剪日（往期）",
        defaults={
            "date": timezone.localdate() - datetime.timedelta(days=30),
            "start_time": datetime.time(14, 0),
            "end_time": datetime.time(16, 30),
            "place": "温家街社区活动室“银色理发店”",
            "description": "往期义剪日。",
            "status": ServiceDay.Status.PUBLISHED,
        },
    )
    _offerings(past_wen, WENJIAJIE_OFFERINGS)
    for day in [first, *ServiceDay.objects.filter(schedule=chunshu_schedule)]:
        if not day.cover:
            day.cover.save(f"serviceday-{day.pk}.jpg", ctx.picture(f"serviceday-{day.date}", "green"), save=False)
            day.cover_alt = "健身广场上的服务摊位示意图"
            day.save()
    ctx.stdout.write(f"  service days: {ServiceDay.objects.count()} ({len(days)} new from schedules)")
