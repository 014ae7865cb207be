from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from communities.models import Community, PartnerUnit, Street
from core.blocks import collect


class DirectoryView(ListView):
    template_name = "communities/directory.html"
    context_object_name = "streets"

    def get_queryset(self):
        return Street.objects.select_related("district").prefetch_related(
            Prefetch("communities", queryset=Community.objects.order_by("sort_order", "name"))
        )


class StreetView(DetailView):
    template_name = "communities/street.html"
    context_object_name = "street"
    slug_url_kwarg = "street"

    def get_queryset(self):
        return Street.objects.select_related("district").prefetch_related(
            Prefetch(
                "communities",
                queryset=Community.objects.annotate(partner_count=Count("partner_units")).order_by(
                    "sort_order", "name"
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocks"] = collect("street_block", self.request, self.object)
        return context


class CommunityView(DetailView):
    template_name = "communities/community.html"
    context_object_name = "community"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Community.objects.select_related("street__district"),
            street__slug=self.kwargs["street"],
            slug=self.kwargs["community"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The partner units are drawn in the page's fragment (core/fragments.py): read only on a miss.
        units = PartnerUnit.objects.filter(community=self.object).order_by("kind", "name")
        context["partner_units"] = units
        context["blocks"] = collect("community_block", self.request, self.object)
        return context
