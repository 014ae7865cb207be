"""`make soak`: residents report and read on gunicorn while its PostgreSQL crashes, its Redis crashes,
and its PostgreSQL freezes (slow, not dead); each comes back and the portal must recover.

Never touches the database in DATABASE_URL or the shared Redis: it makes a throwaway PostgreSQL
(initdb in /tmp, a free port) and a throwaway redis-server, loads the demo, and removes both at the
end. See ops/soak.py (the judgement), ops/soak_load.py (the residents), ops/throwaway.py (the servers).
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import serve
from ops.soak import Incident, summarise
from ops.soak_load import Load
from ops.throwaway import ThrowawayPostgres, ThrowawayRedis, free_port


def _env_number(name, default, kind=float):
    return kind(os.environ.get(name, default))


class Command(BaseCommand):
    help = (
        "Runs residents' reports (at --reports-per-second) and page views against gunicorn (DEBUG off) on a "
        "throwaway PostgreSQL and a throwaway Redis; crashes PostgreSQL, then Redis, then freezes PostgreSQL, "
        "each for a few seconds; then reports errors per phase, recovery times, reports per second, latencies "
        "and whether every acknowledged report is in the database. Pages served from the page cache are "
        "counted apart, never as proof. Exits 1 when a target is missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=_env_number("SOAK_SECONDS", 60, int))
        parser.add_argument("--outage", type=float, default=_env_number("SOAK_OUTAGE_SECONDS", 4))
        parser.add_argument("--cache-outage", type=float, default=_env_number("SOAK_CACHE_OUTAGE_SECONDS", 3))
        parser.add_argument("--slow", type=float, default=_env_number("SOAK_SLOW_SECONDS", 3))
        parser.add_argument("--reports-per-second", type=float, default=_env_number("SOAK_REPORTS_PER_SECOND", 26))
        parser.add_argument("--target-reports", type=float, default=20.0, help="reports/s the calm phases must reach")
        # Many reporters, each slow: a report waits for its commit, and a few waiting ones must not halve the rate.
        parser.add_argument("--reporters", type=int, default=_env_number("SOAK_REPORTERS", 12, int))
        parser.add_argument("--readers", type=int, default=_env_number("SOAK_READERS", 2, int))
        parser.add_argument("--workers", type=int, default=_env_number("SOAK_WORKERS", 4, int))
        parser.add_argument("--target-recovery", type=float, default=5.0)
        parser.add_argument("--stop-mode", choices=["immediate", "fast"], default="immediate")

    def handle(self, *args, **options):
        if options["seconds"] < 10:
            raise CommandError("The soak needs at least 10 seconds (three incidents, each with calm after it).")
        database = ThrowawayPostgres()
        cache = ThrowawayRedis()
        server = log = None
        try:
            self.say(f"throwaway PostgreSQL ({database.bin}) on port {database.port} in {database.dir}")
            database.create()
            self.say(f"throwaway Redis on port {cache.port}")
            cache.start()
            env = serve.production_env(
                {
                    "DATABASE_URL": database.url,
                    "REDIS_URL": cache.url,
                    "CACHE_KEY_PREFIX": "soak",
                    "STATIC_ROOT": str(database.dir / "static"),
                }
            )
            self._manage(["migrate", "--noinput", "-v0"], {**env, "DJANGO_DEBUG": "true"})
            self._manage(["load_demo"], {**env, "DJANGO_DEBUG": "true"})
            port = free_port()
            # The server logs every failed request with its traceback: to a file, not over the report.
            log = open(database.dir / "gunicorn.log", "w")  # noqa: SIM115 (closed with the server)
            try:
                server = serve.start_gunicorn(port, options["workers"], env, log=log)
            except serve.ServerError as exc:
                log.flush()
                tail = (database.dir / "gunicorn.log").read_text(errors="replace").strip().splitlines()[-15:]
                raise CommandError("\n".join([str(exc), *tail])) from None
            report = self._run(database, cache, port, options)
        finally:
            if server is not None:
                serve.stop(server)
            if log is not None:
                log.close()
                logged = (database.dir / "gunicorn.log").read_text(errors="replace")
                self.say(f"the server logged {logged.count('Traceback')} tracebacks (server side only)")
            cache.destroy()
            database.destroy()
        self.stdout.write("")
        for line in report.lines():
            self.stdout.write(line)
        if report.failures:
            raise CommandError("soak failed: " + "; ".join(report.failures))
        self.stdout.write(self.style.SUCCESS("soak passed"))

    def _run(self, database, cache, port, options):
        seconds = options["seconds"]
        incidents_time = options["outage"] + options["cache_outage"] + options["slow"]
        before = max(3.0, seconds * 0.15)
        calm = max(3.0, (seconds - before - incidents_time) / 3)
        load = Load(port, options["reporters"], options["readers"], options["reports_per_second"])
        self.say(
            f"{options['reporters']} reporters ({options['reports_per_second']:.0f} reports/s) and "
            f"{options['readers']} readers for about {seconds} s against gunicorn ({options['workers']} workers)"
        )
        load.start(warm_up=2.0)
        incidents = []
        time.sleep(before)

        start = load.clock()
        self.say(f"{start:5.1f} s  PostgreSQL crashes (-m {options['stop_mode']})")
        database.stop(options["stop_mode"])
        time.sleep(options["outage"])
        database.start()
        incidents.append(Incident("database down", start, load.clock()))
        self.say(f"{load.clock():5.1f} s  PostgreSQL accepts connections again")
        time.sleep(calm)

        start = load.clock()
        self.say(f"{start:5.1f} s  Redis crashes (its keys are lost)")
        cache.crash()
        time.sleep(options["cache_outage"])
        cache.start()
        incidents.append(Incident("cache down", start, load.clock()))
        self.say(f"{load.clock():5.1f} s  Redis answers again, empty")
        time.sleep(calm)

        start = load.clock()
        self.say(f"{start:5.1f} s  PostgreSQL freezes (SIGSTOP) for {options['slow']:.0f} s")
        database.freeze(options["slow"])
        incidents.append(Incident("database slow", start, load.clock()))
        self.say(f"{load.clock():5.1f} s  PostgreSQL goes on (SIGCONT)")
        time.sleep(calm)

        end = load.clock()
        load.stop()
        stored, stored_total = database.stored_codes(load.acknowledged)
        return summarise(
            load.results,
            incidents,
            load.acknowledged,
            stored,
            target_recovery=options["target_recovery"],
            stored_total=stored_total,
            unanswered=load.unanswered,
            target_reports=options["target_reports"],
            end=end,
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
