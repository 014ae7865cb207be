"""`manage.py middleware_cost`: µs per request each middleware adds to the floor (ops/middlewarecost.py)."""

import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from ops import middlewarecost, serve


class Command(BaseCommand):
    help = (
        "Times an anonymous GET of /floor in this process through MIDDLEWARE built up one middleware at a "
        "time and prints each one's cost in µs per request. Runs under the benchmark's production settings "
        "(DEBUG off): started with DEBUG on, it runs itself again with them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=2000, help="requests per stack and round (best of 5)")

    def handle(self, *args, **options):
        if settings.DEBUG:
            # Settings are read once per process: production's (the page cache on, no debug paths) need a new one.
            command = [sys.executable, "manage.py", "middleware_cost", "--requests", str(options["requests"])]
            subprocess.run(command, cwd=settings.BASE_DIR, env=serve.production_env(), check=True)
            return
        rows = middlewarecost.cumulative(settings.MIDDLEWARE, options["requests"], host=settings.ALLOWED_HOSTS[0])
        self.stdout.write(f"{'middleware':<56} {'stack µs':>9} {'own µs':>8}")
        for name, total, own in rows:
            self.stdout.write(f"{name:<56} {total:>9.1f} {own:>8.1f}")
        self.stdout.write(f"{'whole stack minus the bare handler':<56} {rows[-1][1] - rows[0][1]:>18.1f}")
        self.stdout.write("A middleware's own cost is the difference of two timings: ±3 µs is noise.")
