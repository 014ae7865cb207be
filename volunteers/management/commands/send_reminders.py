import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from volunteers.models import Signup


class Command(BaseCommand):
    help = (
        "Emails every confirmed volunteer whose service day is tomorrow, once per sign-up "
        "(reminded_at is set in the same transaction). Safe to run every hour from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        due = (
            Signup.objects.filter(
                status=Signup.Status.CONFIRMED,
                reminded_at__isnull=True,
                role__day__date=tomorrow,
                role__day__status="published",
                volunteer__user__isnull=False,
            )
            .exclude(volunteer__user__email="")
            .values_list("pk", flat=True)
        )
        sent = 0
        for pk in list(due):
            with transaction.atomic():
                # Claim the row first, so two overlapping cron runs never send twice.
                claimed = Signup.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
                if not claimed:
                    continue
                signup = Signup.objects.select_related("volunteer__user", "role__day__community").get(pk=pk)
                if dry_run:
                    self.stdout.write(f"  would remind {signup.volunteer} · {signup.role}")
                    transaction.set_rollback(True)
                    continue
                day, role, user = signup.role.day, signup.role, signup.volunteer.user
                body = _(
                    "%(name)s，您好：\n\n明天您有志愿服务：\n%(day)s %(date)s %(start)s–%(end)s\n"
                    "岗位：%(role)s\n地点：%(community)s %(place)s\n\n"
                    "如不能到场，请在取消截止前到“我的报名”取消：%(url)s\n"
                ) % {
                    "name": signup.volunteer.real_name,
                    "day": day.title,
                    "date": f"{day.date:%Y-%m-%d}",
                    "start": f"{role.starts:%H:%M}",
                    "end": f"{role.ends:%H:%M}",
                    "role": role.title,
                    "community": day.community.name,
                    "place": day.place,
                    "url": f"{settings.SITE_URL}/volunteers/me/",
                }
                subject = _("明日志愿服务提醒：%(role)s") % {"role": role.title}
                transaction.on_commit(
                    lambda b=body, to=user.email, s=subject: send_mail(
                        s, b, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False
                    )
                )
                sent += 1
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) sent."))
