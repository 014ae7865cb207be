from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app that has demo content offers ``<app>.demo.load(stdout)``; order matters.
DEMO_MODULES = ["communities.demo", "news.demo", "events.demo", "volunteers.demo", "feedback.demo"]


class Command(BaseCommand):
    help = (
        "Loads the demo district (西城区): streets, communities, partner units, stories, service days, "
        "volunteer teams, feedback cases and the demo accounts. Safe to run again: rows are updated, "
        "never duplicated. Refuses to run when DJANGO_DEBUG=False."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo refuses to run with DJANGO_DEBUG=False: demo accounts have a public password."
            )
        for path in DEMO_MODULES:
            try:
                module = import_module(path)
            except ModuleNotFoundError as exc:
                if exc.name == path:
                    continue
                raise
            self.stdout.write(f"Loading {path} ...")
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
