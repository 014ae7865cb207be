"""Security events go to the ``core.audit`` logger: logins, failed logins,
and every change to who may do what (groups, permissions, staff scope)."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save

logger = logging.getLogger("civic_portal.audit")


def _client(request):
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


def logged_in(sender, request, user, **kwargs):
    logger.info("login user=%s staff=%s ip=%s", user.get_username(), user.is_staff, _client(request))


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout user=%s ip=%s", user.get_username(), _client(request))


def login_failed(sender, credentials, request=None, **kwargs):
    # credentials are already cleansed by Django; log the username only.
    logger.warning("login-failed user=%s ip=%s", credentials.get("username", "?"), _client(request))


def permissions_changed(sender, instance, action, pk_set, model, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        names = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or []))
        logger.info("permission-change target=%s %s %s=%s", instance, action, model._meta.model_name, names)


def scope_saved(sender, instance, created, **kwargs):
    logger.info("scope-%s user=%s scope=%s", "granted" if created else "changed", instance.user, instance)


def scope_deleted(sender, instance, **kwargs):
    logger.info("scope-removed user=%s", instance.user)


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or {"is_staff", "is_superuser", "is_active"} & set(update_fields):
        logger.info(
            "account-%s user=%s staff=%s superuser=%s active=%s",
            "created" if created else "saved",
            instance.get_username(),
            instance.is_staff,
            instance.is_superuser,
            instance.is_active,
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
