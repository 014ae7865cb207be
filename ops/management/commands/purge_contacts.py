from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.retention import purge_bookings
from feedback import conf
from feedback.models import Actor, Case, TimelineEntry
from volunteers.retention import purge_home_visits


class Command(BaseCommand):
    help = (
        "Erases residents' contact data after FEEDBACK_PURGE_CONTACTS_AFTER_DAYS days: name, phone and email "
        "of closed cases, name and phone of service-day bookings, name, phone and address of finished home "
        "visits. Cases, timelines, ratings, bookings, hours and every figure stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be erased.")
        parser.add_argument("--days", type=int, default=None, help="Override the setting for this run.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = conf.purge_after_days() if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        # Closed: confirmed or declined (closed_at), or resolved and never rated once the reopen window passed.
        unrated_cutoff = cutoff - timedelta(days=conf.reopen_days())
        due = (
            Case.objects.filter(contacts_purged_at__isnull=True)
            .filter(Q(closed_at__lt=cutoff) | Q(status=Case.Status.RESOLVED, resolved_at__lt=unrated_cutoff))
            .exclude(contact_name="", contact_phone="", contact_email="")
        )
        count = due.count()
        if dry_run:
            self.stdout.write(f"Would erase contact data of {count} case(s) closed before {cutoff:%Y-%m-%d}.")
            self.stdout.write(
                f"Would erase {purge_bookings(cutoff, dry_run=True)} booking(s) and "
                f"{purge_home_visits(cutoff, dry_run=True)} home visit(s) from before {cutoff:%Y-%m-%d}."
            )
            return
        now = timezone.now()
        with transaction.atomic():
            ids = list(due.select_for_update().values_list("pk", flat=True))
            Case.objects.filter(pk__in=ids).update(
                contact_name="", contact_phone="", contact_email="", contacts_purged_at=now
            )
            TimelineEntry.objects.bulk_create(
                TimelineEntry(
                    case_id=pk,
                    action=TimelineEntry.Action.PURGED,
                    role=Actor.SYSTEM,
                    note="联系方式已按保存期限清除。",
                    is_public=False,
                    created_at=now,
                )
                for pk in ids
            )
            bookings = purge_bookings(cutoff)
            visits = purge_home_visits(cutoff)
        self.stdout.write(self.style.SUCCESS(f"Erased contact data of {len(ids)} case(s)."))
        self.stdout.write(
            self.style.SUCCESS(f"Erased contact data of {bookings} booking(s) and {visits} home visit(s).")
        )
