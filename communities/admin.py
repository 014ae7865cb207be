from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities import scope
from communities.admin_scope import ScopedModelAdmin
from communities.models import Community, Department, District, PartnerUnit, StaffScope, Street


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Street)
class StreetAdmin(ScopedModelAdmin):
    scope_path = "self_street"
    list_display = ["name", "district", "phone", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "slug"]


class PartnerUnitInline(admin.TabularInline):
    model = PartnerUnit
    extra = 0
    fields = ["name", "kind", "contact_name", "contact_phone"]


@admin.register(Community)
class CommunityAdmin(ScopedModelAdmin):
    scope_path = "self_community"
    list_display = ["name", "street", "brand", "phone"]
    list_filter = ["street"]
    search_fields = ["name", "slug", "brand", "street__name"]
    list_select_related = ["street"]
    inlines = [PartnerUnitInline]
    fieldsets = [
        (None, {"fields": ["street", "name", "slug", "brand", "description"]}),
        (_("联系方式"), {"fields": ["address", "phone"]}),
        (_("封面"), {"fields": ["cover", "cover_alt"]}),
        (_("显示"), {"fields": ["sort_order"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only district administrators move a community or rename its address.
        if obj is not None and not scope.is_district_admin(request.user):
            return ["street", "slug"]
        return []

    def has_add_permission(self, request):
        return scope.is_district_admin(request.user)


@admin.register(PartnerUnit)
class PartnerUnitAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "community", "contact_name"]
    list_filter = ["kind", "community__street"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "contact_phone"]
    list_filter = ["kind", "street"]
    search_fields = ["name"]

    # Departments are managed by the district administrator alone.
    def has_add_permission(self, request):
        return scope.is_district_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return scope.is_district_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return scope.is_district_admin(request.user)


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "street", "community", "department"]
    list_filter = ["role", "street"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "community"]

    # Scopes are granted by district administrators only.
    def has_module_permission(self, request):
        return scope.is_district_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return scope.is_district_admin(request.user)

    has_add_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return scope.is_district_admin(request.user)

    has_delete_permission = has_change_permission
