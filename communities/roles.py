"""Staff roles as Django groups, kept in step with the code after every migrate.

Each app grants its model permissions to roles from its AppConfig.ready():

    roles.grant(roles.Role.STREET_EDITOR, "news.add_story", "news.change_story")

District administrators get every permission of the portal's own apps (core.registry).
Object-level limits (which street, which community) are the scope's job, not
the group's: see ``communities.scope``.
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from communities.models import StaffScope
from core import audit, registry

Role = StaffScope.Role

GROUP_NAMES = {role.value: str(role.label) for role in Role}
_GRANTS = {role: set() for role in GROUP_NAMES}


def grant(role, *perms):
    _GRANTS[role].update(perms)


def granted(role):
    return set(_GRANTS[role])


# Places: everyone staff can look them up; editors keep their partner units.
grant(Role.STREET_EDITOR, "communities.view_street", "communities.view_community", "communities.change_community")
grant(Role.STREET_EDITOR, *(f"communities.{a}_partnerunit" for a in ("view", "add", "change", "delete")))
grant(Role.COMMUNITY_WORKER, "communities.view_street", "communities.view_community", "communities.change_community")
grant(Role.COMMUNITY_WORKER, *(f"communities.{a}_partnerunit" for a in ("view", "add", "change")))
grant(Role.DEPARTMENT_OFFICER, "communities.view_street", "communities.view_community")
# Departments: street and community staff look them up to dispatch cases; the district manages them.
grant(Role.STREET_EDITOR, "communities.view_department")
grant(Role.COMMUNITY_WORKER, "communities.view_department")


def sync_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role == Role.DISTRICT_ADMIN:
            perms = Permission.objects.filter(content_type__app_label__in=registry.portal_app_labels())
        else:
            wanted = [p.split(".", 1) for p in _GRANTS[role]]
            perms = [
                p
                for p in Permission.objects.filter(
                    content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted}
                ).select_related("content_type")
                if [p.content_type.app_label, p.codename] in wanted
            ]
        group.permissions.set(perms)


def apply_role(user, role):
    """Put a staff account in its role's group (and only that one)."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()).exclude(pk=group.pk))
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def scope_saved(sender, instance, raw=False, **kwargs):
    # A fixture load (raw) restores groups with the users; every real save puts the account in its group.
    if not raw:
        apply_role(instance.user, instance.role)


def connect():
    post_migrate.connect(sync_groups, dispatch_uid="civic_portal_sync_role_groups")
    # The audit log records each grant and removal first, then the account joins its role's group.
    post_save.connect(audit.scope_saved, sender=StaffScope, dispatch_uid="audit_scope_saved")
    post_delete.connect(audit.scope_deleted, sender=StaffScope, dispatch_uid="audit_scope_deleted")
    post_save.connect(scope_saved, sender=StaffScope, dispatch_uid="civic_portal_scope_role_group")
