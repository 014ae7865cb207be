"""The district's directory on the home page (see core/blocks.py): every street with its
communities as links, after the other apps' blocks. Two queries, whatever the size of the district:
the streets, and their communities."""

from django.db.models import Prefetch

from communities.models import Community, Street
from core import fragments


@fragments.block(shows=(Street, Community), order=100)
def home_block(request):
    streets = list(
        Street.objects.order_by("sort_order", "name").prefetch_related(
            Prefetch(
                "communities",
                queryset=Community.objects.order_by("sort_order", "name").only(
                    "name", "slug", "street_id", "sort_order"
                ),
            )
        )
    )
    if not streets:
        return None
    return {"template": "communities/block_directory.html", "streets": streets, "order": 100}
