"""Outside systems allowed to use the Open311 API (feedback/open311/): district administrators only.

A new client's key is shown once, in the message after it is saved; the database keeps its SHA-256.
Revoking is final (a new client gets a new key); a client with cases is never deleted, since its
cases keep naming where they came from."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from communities import scope
from core import audit
from feedback.models import ApiClient
from feedback.open311 import keys

RECENT = 20


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_hint", "state", "last_used_at", "case_count", "created_at"]
    search_fields = ["name"]
    fields = ["name", "contact", "key_hint", "state", "created_by", "created_at", "last_used_at", "recent_cases"]
    readonly_fields = ["key_hint", "state", "created_by", "created_at", "last_used_at", "recent_cases"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return scope.is_district_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return scope.is_district_admin(request.user)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_lazy("状态"))
    def state(self, obj):
        if obj.pk is None:
            return "—"
        return _("已停用") if obj.revoked_at else _("使用中")

    @admin.display(description=_lazy("提交的诉求"))
    def case_count(self, obj):
        return obj.cases.count()

    @admin.display(description=_lazy("最近提交的诉求"))
    def recent_cases(self, obj):
        if obj.pk is None:
            return "—"
        cases = list(obj.cases.order_by("-created_at")[:RECENT])
        if not cases:
            return _("还没有提交过诉求。")
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> · {} · {}</li>',
            (
                (reverse("admin:feedback_case_change", args=[c.pk]), c.code, c.place, c.get_status_display())
                for c in cases
            ),
        )
        total = obj.cases.count()
        return format_html("<p>{}</p><ul>{}</ul>", _("共 %(n)s 条，最近的：") % {"n": total}, rows)

    def save_model(self, request, obj, form, change):
        if not change:
            key = keys.issue(obj)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            audit.event("open311-client-created", client=obj.name, by=request.user, ip=audit.client_address(request))
            messages.warning(
                request,
                _("接口密钥（只显示这一次，请现在复制并安全地交给对方系统）：%(key)s") % {"key": key},
            )

    @admin.action(description=_lazy("停用所选客户端（密钥立即失效）"))
    def revoke(self, request, queryset):
        now = timezone.now()
        for client in queryset.filter(revoked_at__isnull=True):
            ApiClient.objects.filter(pk=client.pk).update(revoked_at=now)
            audit.event("open311-client-revoked", client=client.name, by=request.user, ip=audit.client_address(request))
        messages.success(request, _("已停用。"))
