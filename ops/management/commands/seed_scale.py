"""`manage.py seed_scale`: the district-scale data set the benchmark runs on."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import registry
from ops.scale import SIZES, Context, Progress


class Command(BaseCommand):
    help = (
        "Fills the database with a district-scale data set (15 streets, 260 communities, 20,000 stories, "
        "3,000 service days, 20,000 volunteers, 60,000 sign-ups, 100,000 feedback cases ...) using bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size, e.g. 0.1")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the data set is already there")

    def handle(self, *args, scale, if_empty, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale 必须大于 0 且不超过 10（例如 0.1 或 1）。")
        from feedback.models import Case
        from news.models import Story

        if Story.objects.filter(slug__startswith="scale-").exists() or Case.objects.count() >= 1000:
            if if_empty:
                self.stdout.write("The data set is already there; nothing to do.")
                return
            raise CommandError("这个数据库里已经有规模数据了：请换一个空数据库，或加 --if-empty 跳过。")
        started = time.monotonic()
        sizes = ", ".join(f"{name} {max(1, round(n * scale))}" for name, n in SIZES.items())
        self.stdout.write(f"Seeding at scale {scale:g} on {connection.vendor}: {sizes}")
        ctx = Context(scale=scale, progress=Progress(self.stderr._out))
        with transaction.atomic():
            # INSTALLED_APPS order is dependency order: places first, then the rows that point at them.
            for module in registry.modules("scale"):
                module.seed(ctx)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Statistics and the visibility map (index-only scans); VACUUM cannot run in a transaction.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
