"""Overdue at a glance: the badge in lists and the 是否超期 filter for cases and tasks."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


def overdue_badge(flag):
    return format_html('<strong class="fb-admin-overdue">{}</strong>', _("超期")) if flag else "—"


class OverdueFilter(admin.SimpleListFilter):
    title = _lazy("是否超期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _lazy("超期")), ("no", _lazy("未超期"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        now = timezone.now()
        if self.value() == "yes":
            return self.late(request, queryset, now)  # on the list itself: no subquery over the whole district's rows
        return queryset.exclude(pk__in=queryset.model.objects.overdue(now).values("pk"))

    def late(self, request, queryset, now):
        return queryset.overdue(now)


class CaseOverdueFilter(OverdueFilter):
    def late(self, request, queryset, now):
        # Narrowed to some statuses (the desk's links: a few thousand open cases), each case checks its
        # own tasks rather than PostgreSQL hashing every late task of the district (CaseQuerySet.overdue).
        narrowed = any(key.startswith("status__") for key in request.GET)
        return queryset.overdue(now, per_row=narrowed)
