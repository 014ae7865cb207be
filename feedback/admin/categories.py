from django.contrib import admin

from feedback.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "group", "respond_hours", "onsite_days", "resolve_days", "is_active", "sort_order"]
    list_editable = ["respond_hours", "onsite_days", "resolve_days", "is_active", "sort_order"]
    prepopulated_fields = {}
    search_fields = ["name", "slug"]
