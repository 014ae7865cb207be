from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from core import registry
from ops.demo_images import scene


@dataclass(frozen=True)
class DemoContext:
    """What each app's ``demo.load(ctx)`` gets: where to write its summary, and the picture maker
    (handed down, so the apps never import ops)."""

    stdout: OutputWrapper
    picture: Callable = scene


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
        ctx = DemoContext(stdout=self.stdout)
        # INSTALLED_APPS order: places first, then the apps whose rows belong to them.
        for module in registry.modules("demo"):
            self.stdout.write(f"Loading {module.__name__} ...")
            with transaction.atomic():
                module.load(ctx)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
