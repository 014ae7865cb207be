"""seed_scale: 3,000 service days (two years back, three months ahead) with their services."""

import datetime

from django.utils import timezone

from events.models import ServiceDay, ServiceOffering, ServiceType

SERVICES = ["义诊", "理发", "法律咨询", "家电维修", "磨刀", "测血压", "心理咨询", "政策咨询"]
PLACES = ["小区健身广场", "社区居委会门前", "胡同口空地", "养老驿站", "社区活动室"]
DESCRIPTION = "社区联合辖区单位开展便民服务，欢迎居民带上家人一起来。需要预约的项目请提前预约。"
PAST_DAYS = 730
AHEAD_DAYS = 90


def seed(ctx):
    rng = ctx.rng
    communities = ctx.made["communities"]
    units = ctx.made["partner_units"]
    types = [
        ServiceType.objects.get_or_create(name=name, defaults={"sort_order": 10 * i})[0]
        for i, name in enumerate(SERVICES)
    ]
    today = timezone.localdate()
    total = ctx.count("service_days", minimum=4)
    days = []
    services = []  # each day's three services, drawn with the day so its search text holds them
    for i in range(total):
        community = communities[rng.randrange(len(communities))]
        # The last tenth lie ahead, so "coming service days" has plenty to show.
        offset = rng.randint(1, AHEAD_DAYS) if i % 10 == 0 else -rng.randint(0, PAST_DAYS)
        roll = rng.random()
        status = (
            ServiceDay.Status.PUBLISHED
            if roll < 0.92
            else ServiceDay.Status.CANCELLED
            if roll < 0.96
            else ServiceDay.Status.PLANNED
        )
        title = f"{community.name}便民服务日"
        place = f"{community.name[:-2]}{rng.choice(PLACES)}"
        offered = rng.sample(types, 3)
        names = [part for service in offered for part in (service.name, service.description)]
        days.append(
            ServiceDay(
                community=community,
                title=title,
                date=today + datetime.timedelta(days=offset),
                start_time=datetime.time(9, 0),
                end_time=datetime.time(11, 30),
                place=place,
                description=DESCRIPTION,
                status=status,
                cancel_reason="天气原因，改期举行。" if status == ServiceDay.Status.CANCELLED else "",
                search_text=ctx.index_text(title, place, DESCRIPTION, *names),
            )
        )
        services.append(offered)
    order = sorted(range(total), key=lambda i: days[i].date)
    days, services = [days[i] for i in order], [services[i] for i in order]
    days = ctx.bulk(ServiceDay, days, label="service days", total=total)
    offerings = []
    for day, offered in zip(days, services, strict=True):
        for order, service in enumerate(offered):
            offerings.append(
                ServiceOffering(
                    day_id=day.pk,
                    service_type=service,
                    partner_unit=units[rng.randrange(len(units))] if units else None,
                    station=f"{order + 1} 号桌",
                    resident_places=rng.choice((None, 10, 20)),
                    sort_order=order,
                )
            )
    ctx.bulk(ServiceOffering, offerings, label="services")
    ctx.made.update(service_days=days)
