"""Shared machinery of `manage.py seed_scale`: sizes, a progress bar and bulk inserts.

Each app fills its part from ``<app>/scale.py`` (a ``seed(ctx)`` function, the ``scale``
hook of core.registry); the command runs them in INSTALLED_APPS order, which is their
dependency order. Rows are written with ``bulk_create`` in
batches: no per-row ``save()``, no signals, and the denormalised columns (search
text, renditions, seats) are filled the way the models' own code fills them.
"""

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core import textsearch
from ops.demo_images import scene

BATCH = 2000

# Full-size counts (scale 1).
SIZES = {
    "streets": 15,
    "communities": 260,
    "partner_units": 1500,
    "stories": 20000,
    "service_days": 3000,
    "volunteers": 20000,
    "signups": 60000,
    "teams": 300,
    "cases": 100000,
}


def scaled(name, scale, minimum=1):
    return max(minimum, round(SIZES[name] * scale))


class Progress:
    """A one-line progress bar: `  stories   [#########.........]  9000/20000  4.1 s`."""

    def __init__(self, stream=None, width=30):
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def update(self, label, done, total):
        filled = int(self.width * done / total) if total else self.width
        line = (
            f"\r  {label:<18} [{'#' * filled}{'.' * (self.width - filled)}] {done:>7}/{total:<7} "
            f"{time.monotonic() - self.started:6.1f} s"
        )
        if self.tty or done >= total:
            self.stream.write(line + ("\n" if done >= total else ""))
            self.stream.flush()


@dataclass
class Context:
    """What the apps' seeders share: the scale, a seeded random generator, the progress bar, the rows made
    so far and the picture maker (handed down, so the apps never import ops)."""

    scale: float
    progress: Progress
    picture: Callable = scene
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    made: dict = field(default_factory=dict)
    _tokens: dict = field(default_factory=dict)

    def count(self, name, minimum=1):
        return scaled(name, self.scale, minimum)

    def bulk(self, model, objects, label=None, total=None):
        """Insert ``objects`` (an iterable) in batches; returns the saved objects (with pks on PostgreSQL/SQLite)."""
        label = label or model._meta.verbose_name_plural
        saved, batch = [], []
        total = total if total is not None else (len(objects) if hasattr(objects, "__len__") else None)
        for obj in objects:
            batch.append(obj)
            if len(batch) >= BATCH:
                saved.extend(model.objects.bulk_create(batch, batch_size=BATCH))
                batch = []
                self.progress.update(str(label), len(saved), max(total or len(saved), len(saved)))
        if batch or not saved:
            saved.extend(model.objects.bulk_create(batch, batch_size=BATCH))
            self.progress.update(str(label), len(saved), len(saved))
        return saved

    def tokens(self, text):
        """jieba tokens of a text, remembered: the data set reuses a small vocabulary."""
        found = self._tokens.get(text)
        if found is None:
            found = self._tokens[text] = textsearch.segment(text)
        return found

    def index_text(self, *parts):
        """Same value as textsearch.index_text(*parts), from remembered segmentations."""
        tokens = []
        for part in parts:
            tokens.extend(self.tokens(part))
        return " " + " ".join(dict.fromkeys(tokens)) + " "
