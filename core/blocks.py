"""Pages that show several apps' content (home, street, community, a service day) are built
from blocks each app offers, so every app keeps its own queries.

An app takes part with the ``blocks`` hook (see core.registry): ``blocks.py`` with
any of these functions, each returning ``None`` or a dict with at least ``template``
(and the context that template needs):

    home_block(request)
    street_block(request, street)
    community_block(request, community)
    service_day_block(request, day)   # the service-day page: what apps above events add to it
    my_things_block(request, phone)   # 我的事项: the rows of a verified phone (core/mine.py)

A block's template sees ``block`` and the context processors (request, user, language), not the
page's own context: what it needs from the page goes in its dict, because a block may be kept and
drawn once for many pages (``core.fragments.block``).

Blocks are shown in the order of the apps in INSTALLED_APPS, unless a block's dict carries an
``order`` (default 0): blocks are sorted by it, keeping app order among equals. A page's closing
block (the directory of communities on the home page) says 100.
"""

from core import registry


def collect(hook, request, *args):
    blocks = []
    for module in registry.modules("blocks"):
        function = getattr(module, hook, None)
        if function is not None:
            block = function(request, *args)
            if block:
                blocks.append(block)
    return sorted(blocks, key=lambda block: block.get("order", 0))
