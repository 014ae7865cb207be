"""`make soak`: load on gunicorn while a PostgreSQL server of its own crashes and comes back.

Never touches the database in DATABASE_URL: it makes a throwaway server (initdb in /tmp, a free
port), loads the demo into it, and removes it at the end. See ops/soak.py.
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import serve
from ops.soak import Load, ThrowawayPostgres, free_port, summarise


class Command(BaseCommand):
    help = (
        "Runs residents' reports and page views against gunicorn (DEBUG off) on a throwaway PostgreSQL server, "
        "crashes the server in the middle and starts it again, then reports errors, recovery time and whether "
        "every acknowledged report is in the database. Exits 1 when a target is missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=int(os.environ.get("SOAK_SECONDS", 60)))
        parser.add_argument("--outage", type=float, default=float(os.environ.get("SOAK_OUTAGE_SECONDS", 4)))
        parser.add_argument("--residents", type=int, default=int(os.environ.get("SOAK_RESIDENTS", 6)))
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--target-recovery", type=float, default=5.0)
        parser.add_argument("--stop-mode", choices=["immediate", "fast"], default="immediate")

    def handle(self, *args, **options):
        seconds = options["seconds"]
        if seconds < 10:
            raise CommandError("The soak needs at least 10 seconds (the outage falls in its middle).")
        database = ThrowawayPostgres()
        server = None
        try:
            self.say(f"throwaway PostgreSQL ({database.bin}) on port {database.port} in {database.dir}")
            database.create()
            env = serve.production_env({"DATABASE_URL": database.url, "STATIC_ROOT": str(database.dir / "static")})
            env.pop("REDIS_URL", None)  # local cache: the soak leaves shared services alone
            self._manage(["migrate", "--noinput", "-v0"], {**env, "DJANGO_DEBUG": "true"})
            self._manage(["load_demo"], {**env, "DJANGO_DEBUG": "true"})
            port = free_port()
            # The server logs every failed request with its traceback: to a file, not over the report.
            log = open(database.dir / "gunicorn.log", "w")  # noqa: SIM115 (closed with the server)
            try:
                server = serve.start_gunicorn(port, options["workers"], env, log=log)
            except serve.ServerError as exc:
                raise CommandError(str(exc)) from None
            report = self._run(database, port, options)
        finally:
            if server is not None:
                serve.stop(server)
                log.close()
                logged = (database.dir / "gunicorn.log").read_text(errors="replace")
                self.say(f"the server logged {logged.count('Traceback')} tracebacks (server side only)")
            database.destroy()
        self.stdout.write("")
        for line in report.lines():
            self.stdout.write(line)
        if report.failures:
            raise CommandError("soak failed: " + "; ".join(report.failures))
        self.stdout.write(self.style.SUCCESS("soak passed"))

    def _run(self, database, port, options):
        seconds = options["seconds"]
        load = Load(port, options["residents"])
        self.say(f"{options['residents']} residents for {seconds} s against gunicorn ({options['workers']} workers)")
        load.start()
        time.sleep(seconds / 3)
        outage_start = load.clock()
        self.say(f"{outage_start:5.1f} s  stopping PostgreSQL (-m {options['stop_mode']})")
        database.stop(options["stop_mode"])
        time.sleep(options["outage"])
        self.say(f"{load.clock():5.1f} s  starting PostgreSQL")
        database.start()
        db_back = load.clock()
        self.say(f"{db_back:5.1f} s  PostgreSQL accepts connections")
        time.sleep(max(seconds - db_back, seconds / 3))
        load.stop()
        stored, stored_total = database.stored_codes(load.acknowledged)
        return summarise(
            load.results,
            outage_start,
            db_back,
            load.acknowledged,
            stored,
            target_recovery=options["target_recovery"],
            stored_total=stored_total,
            unanswered=load.unanswered,
        )

    def _manage(self, arguments, env):
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def say(self, text):
        self.stdout.write(f"== {text}")
        self.stdout.flush()
