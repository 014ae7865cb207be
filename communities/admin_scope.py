"""The admin half of staff scope: one mixin every scoped ModelAdmin uses.

A ModelAdmin names the path from its model to Community in ``scope_path``
(see ``communities.scope.filter_by_scope``), and, for models a department
officer works on, the path to their Department in ``scope_department_path``.
The mixin then narrows the change list, refuses objects outside the scope
(404 on the change page, 403 on changes), and limits every Street/Community
choice in forms and inlines.
"""

from django.contrib import admin

from communities import scope
from communities.models import Community, Street


def limit_place_choices(db_field, user, kwargs):
    if db_field.related_model is Community:
        kwargs["queryset"] = scope.scoped_communities(user).select_related("street")
    elif db_field.related_model is Street:
        kwargs["queryset"] = scope.scoped_streets(user)
    return kwargs


class ScopedAdminMixin:
    scope_path = "community"
    scope_department_path = None

    def get_queryset(self, request):
        return scope.filter_by_scope(
            super().get_queryset(request), request.user, self.scope_path, department_path=self.scope_department_path
        )

    def _in_scope(self, request, obj):
        if obj is None:
            return True
        if request.method not in ("GET", "HEAD"):  # a change may move the object: ask again each time
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        # A page asks this for the object and again for each inline and permission (36 queries on a
        # case's page); the answer cannot change while a GET is served.
        answers = request.__dict__.setdefault("_civic_in_scope", {})
        key = (type(self), obj.pk)
        if key not in answers:
            answers[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return answers[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **limit_place_choices(db_field, request.user, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **limit_place_choices(db_field, request.user, kwargs)
        )


class InScopeFilter(admin.RelatedFieldListFilter):
    """A street or community filter listing what the user's scope covers, in one small query.

    Django's RelatedOnlyFieldListFilter finds its choices by reading the distinct value of every row of
    the list (a scan of 20,000 stories); the scope already says which places this person can filter by.
    """

    def field_choices(self, field, request, model_admin):
        if field.related_model is Community:
            rows = scope.scoped_communities(request.user).order_by("street__sort_order", "sort_order", "pk")
        else:
            rows = scope.scoped_streets(request.user).order_by("sort_order", "pk")
        return [(row.pk, str(row)) for row in rows]


class ScopedInlineMixin:
    """Inlines only need their place choices limited; the parent admin guards the object."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **limit_place_choices(db_field, request.user, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **limit_place_choices(db_field, request.user, kwargs)
        )


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass
