from django.contrib import admin

from communities import scope
from feedback.models import Department


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
