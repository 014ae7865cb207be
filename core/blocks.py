"""Pages that show several apps' content (home, street, community) are built
from blocks each app offers, so every app keeps its own queries.

An app takes part by having ``blocks.py`` with any of these functions, each
returning ``None`` or a dict with at least ``template`` (and the context that
template needs):

    home_block(request)
    street_block(request, street)
    community_block(request, community)

Blocks are shown in the order of BLOCK_APPS.
"""

from importlib import import_module

BLOCK_APPS = ["news", "events", "volunteers", "feedback"]


def _module(app):
    path = f"{app}.blocks"
    try:
        return import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name == path:
            return None
        raise


def collect(hook, request, *args):
    blocks = []
    for app in BLOCK_APPS:
        module = _module(app)
        function = getattr(module, hook, None)
        if function is not None:
            block = function(request, *args)
            if block:
                blocks.append(block)
    return blocks
