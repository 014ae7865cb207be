"""Who may see what: the one place staff scope is decided.

District administrators (and superusers) see everything. A street editor sees
the communities of their street; a community worker sees their community; a
department officer sees no community by default (the feedback app scopes them
to the cases dispatched to their department). Everyone else sees nothing.
"""

from communities.models import Community, StaffScope, Street

Role = StaffScope.Role


def get_scope(user):
    """The user's StaffScope or None, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_civic_scope"):
        user._civic_scope = (
            StaffScope.objects.select_related("street", "community__street", "department").filter(user=user).first()
        )
    return user._civic_scope


def is_district_admin(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = get_scope(user)
    return scope is not None and scope.role == Role.DISTRICT_ADMIN


def role_of(user):
    """The user's role, worked out once per request like the scope (a list asks it for each row)."""
    if getattr(user, "_civic_role", False) is not False:
        return user._civic_role
    if is_district_admin(user):
        role = Role.DISTRICT_ADMIN
    else:
        scope = get_scope(user)
        role = scope.role if scope else None
    if hasattr(user, "_civic_scope"):
        user._civic_role = role  # only once the scope is cached too: the two never disagree
    return role


def scoped_communities(user):
    """Communities this user's scope covers, as a queryset."""
    if is_district_admin(user):
        return Community.objects.all()
    scope = get_scope(user)
    if scope is None:
        return Community.objects.none()
    if scope.role == Role.STREET_EDITOR:
        return Community.objects.filter(street_id=scope.street_id)
    if scope.role == Role.COMMUNITY_WORKER:
        return Community.objects.filter(pk=scope.community_id)
    return Community.objects.none()


def scoped_streets(user):
    if is_district_admin(user):
        return Street.objects.all()
    scope = get_scope(user)
    if scope is None:
        return Street.objects.none()
    if scope.role == Role.STREET_EDITOR:
        return Street.objects.filter(pk=scope.street_id)
    if scope.role == Role.COMMUNITY_WORKER:
        return Street.objects.filter(pk=scope.community.street_id)
    return Street.objects.none()


def filter_by_scope(queryset, user, path, department_path=None):
    """``queryset`` narrowed to the user's scope.

    ``path`` leads from the model to its Community (``"community"``,
    ``"section__community"``...), or is ``"self_community"`` / ``"self_street"``
    for the place models themselves, or ``"street:<path>"`` for models that
    hang on a Street. ``department_path`` (``"department"``, ``"tasks__department"``)
    is for models a department officer may reach: they see the rows it leads to
    their own department, each once, and nothing by community.
    """
    if is_district_admin(user):
        return queryset
    if department_path is not None and role_of(user) == Role.DEPARTMENT_OFFICER:
        reached = queryset.model._default_manager.filter(**{department_path: get_scope(user).department_id})
        return queryset.filter(pk__in=reached.values("pk"))
    if path == "self_community":
        return queryset.filter(pk__in=scoped_communities(user).values("pk"))
    if path == "self_street":
        return queryset.filter(pk__in=scoped_streets(user).values("pk"))
    if path.startswith("street:"):
        return queryset.filter(**{f"{path[7:]}__in": scoped_streets(user).values("pk")}).distinct()
    return queryset.filter(**{f"{path}__in": scoped_communities(user).values("pk")})


def covers_community(user, community_id):
    """Whether the user's scope covers this community; the covered ids are read once per request
    (a list of cases asks this for each row)."""
    if is_district_admin(user):
        return Community.objects.filter(pk=community_id).exists()
    if not hasattr(user, "_civic_community_ids"):
        user._civic_community_ids = frozenset(scoped_communities(user).values_list("pk", flat=True))
    return community_id in user._civic_community_ids
