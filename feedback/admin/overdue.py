"""Overdue at a glance: the badge in lists and the 是否超期 filter for cases and tasks."""

from django.contrib import admin
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from feedback.models import DispatchTask


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
        if queryset.model is DispatchTask:
            late = Q(done_at__isnull=True, deadline__lt=now) | Q(done_at__gt=F("deadline"))
        else:
            late_task = DispatchTask.objects.filter(case=OuterRef("pk"), round=OuterRef("round")).filter(
                Q(done_at__isnull=True, deadline__lt=now) | Q(done_at__gt=F("deadline"))
            )
            late = Exists(late_task) | Q(responded_at__isnull=True, respond_deadline__lt=now)
        return queryset.filter(late) if self.value() == "yes" else queryset.exclude(late)
