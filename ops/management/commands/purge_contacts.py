from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core import registry


class Command(BaseCommand):
    help = (
        "Erases residents' contact data after FEEDBACK_PURGE_CONTACTS_AFTER_DAYS days: name, phone and email "
        "of closed cases (and of cases left open past FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS), masked in every "
        "free text of the case too; name and phone of service-day bookings; name, phone and address of "
        "finished home visits (each app's retention hook). Cases, timelines, ratings, bookings, hours and "
        "every figure stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be erased.")
        parser.add_argument(
            "--days", type=int, default=None, help="Override FEEDBACK_PURGE_CONTACTS_AFTER_DAYS for this run."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        # Every app's retention hook, all or nothing; rows whose cutoff reads alike share a line.
        lines = {}
        with transaction.atomic():
            for module in registry.modules("retention"):
                count = module.purge(cutoff, dry_run=dry_run)
                lines.setdefault(module.CUTOFF, []).append(module.COUNTED.format(count=count))
        for when, counted in lines.items():
            if dry_run:
                self.stdout.write(f"Would erase {' and '.join(counted)} {when} {cutoff:%Y-%m-%d}.")
            else:
                self.stdout.write(self.style.SUCCESS(f"Erased {' and '.join(counted)}."))
