from django.core.management.base import BaseCommand

from events.models import RecurringSchedule


class Command(BaseCommand):
    help = (
        "Creates the coming service days of every active recurring schedule (months_ahead months). "
        "Safe to run again: a schedule never gets two days on one date. Run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the days that would be created.")

    def handle(self, *args, dry_run=False, **options):
        total = 0
        for schedule in RecurringSchedule.objects.filter(active=True).select_related("community"):
            if dry_run:
                existing = set(schedule.days.values_list("date", flat=True))
                dates = [d for d in schedule.coming_dates() if d not in existing]
                for date in dates:
                    self.stdout.write(f"  would create {schedule.title} {date}")
                total += len(dates)
            else:
                created = schedule.generate()
                for day in created:
                    self.stdout.write(f"  created {day}")
                total += len(created)
        self.stdout.write(self.style.SUCCESS(f"{total} service day(s) {'to create' if dry_run else 'created'}."))
