"""One account per e-mail address, whatever its case: a unique index on auth_user (lower(email)).

The account model is Django's, so the index is added here, beside the registration that relies
on it, through the schema editor (the SQL each database needs; SQLite and PostgreSQL both take an
expression index with a condition). Accounts without an address are not limited.

Addresses already shared by several accounts (registrations made while nothing stopped them) stay
with the first account; the others' are cleared and named in the audit log, so an administrator
can ask their owners for another address.
"""

import logging

from django.conf import settings
from django.db import migrations
from django.db.models import Count, Q, UniqueConstraint
from django.db.models.functions import Lower

EMAIL_UNIQUE = UniqueConstraint(Lower("email"), condition=~Q(email=""), name="auth_user_email_ci_unique")

log = logging.getLogger("civic_portal.audit")


def _user_model(apps):
    return apps.get_model(settings.AUTH_USER_MODEL)


def forward(apps, schema_editor):
    User = _user_model(apps)
    users = User.objects.using(schema_editor.connection.alias).exclude(email="")
    shared = users.annotate(address=Lower("email")).values("address").annotate(n=Count("pk")).filter(n__gt=1)
    for row in shared:
        first, *others = users.filter(email__iexact=row["address"]).order_by("pk")
        for account in others:
            log.warning("email-cleared user=%r kept-by=%r", account.username, first.username)
        users.filter(pk__in=[account.pk for account in others]).update(email="")
    schema_editor.add_constraint(User, EMAIL_UNIQUE)


def backward(apps, schema_editor):
    schema_editor.remove_constraint(_user_model(apps), EMAIL_UNIQUE)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forward, backward)]
