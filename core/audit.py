"""Security events go to the ``civic_portal.audit`` logger: logins, failed logins,
and every change to who may do what (groups, permissions, staff scope).

Each is one line written by ``event``: the event's name, then ``key=value`` fields whose values
are escaped (core/logsafe.py), and the client's address as every guard reads it (core/client.py)."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save

from core.client import client_ip
from core.logsafe import safe

logger = logging.getLogger("civic_portal.audit")


def event(name, level=logging.INFO, **fields):
    """One audit line, ``name key=value …``, each value escaped (core/logsafe.py): a username
    cannot start a line of its own or add a field."""
    logger.log(level, name + "".join(f" {key}=%s" for key in fields), *(safe(value) for value in fields.values()))


def client_address(request):
    """The address an audit line names: the client's (core/client.py), "-" when unknown."""
    return (client_ip(request) if request is not None else None) or "-"


def logged_in(sender, request, user, **kwargs):
    event("login", user=user.get_username(), staff=user.is_staff, ip=client_address(request))


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        event("logout", user=user.get_username(), ip=client_address(request))


def login_failed(sender, credentials, request=None, **kwargs):
    # credentials are already cleansed by Django; log the username only.
    event("login-failed", logging.WARNING, user=credentials.get("username", "?"), ip=client_address(request))


def permissions_changed(sender, instance, action, pk_set, model, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        names = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or []))
        event("permission-change", target=instance, action=action, **{model._meta.model_name: ",".join(names)})


def scope_saved(sender, instance, created, **kwargs):
    event("scope-granted" if created else "scope-changed", user=instance.user, scope=instance)


def scope_deleted(sender, instance, **kwargs):
    event("scope-removed", user=instance.user)


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or {"is_staff", "is_superuser", "is_active"} & set(update_fields):
        event(
            "account-created" if created else "account-saved",
            user=instance.get_username(),
            staff=instance.is_staff,
            superuser=instance.is_superuser,
            active=instance.is_active,
        )


def connect():
    # scope_saved / scope_deleted are connected by communities.roles: StaffScope lives above core.
    User = get_user_model()
    user_logged_in.connect(logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    m2m_changed.connect(permissions_changed, sender=User.groups.through, dispatch_uid="audit_groups")
    m2m_changed.connect(permissions_changed, sender=User.user_permissions.through, dispatch_uid="audit_perms")
    post_save.connect(user_saved, sender=User, dispatch_uid="audit_user_saved")
