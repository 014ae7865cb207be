"""Registration: one account per e-mail address, and an answer that never says which addresses have one.

What is guarded, and how:
- Nobody learns from registering whether an address has an account: a valid form always answers
  "check your mailbox". A new address gets the link that switches its account on (the account is
  inactive until then, so an address must be one's own to register it); a registered address gets a
  notice to its owner (or, while that account waits for its link, the link again) and no second
  account. Both paths hash the password once, so they take the same time too.
- One account per address, whatever its case: the form's look-up (``email_owner``) answers the
  common case; the database's unique index on lower(email) (volunteers/migrations/0002) stops the
  registrations that pass the look-up at the same moment, and the loser is answered as a registered
  address.
Mails go out when the transaction commits.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

User = get_user_model()
logger = logging.getLogger(__name__)


class ActivationTokens(PasswordResetTokenGenerator):
    """Links that switch a new account on: valid for PASSWORD_RESET_TIMEOUT, dead once the account is on."""

    key_salt = "volunteers.registration.ActivationTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


tokens = ActivationTokens()


def email_owner(email):
    """The account that has this address (any case), or None."""
    return User.objects.filter(email__iexact=email).exclude(email="").first()


def register(form, request):
    """Create the inactive account and send its link, or tell the address's owner. Raises IntegrityError
    (the form then carries the message) when the username was taken meanwhile."""
    email = form.cleaned_data["email"]
    owner = email_owner(email)
    if owner is None:
        try:
            user = form.save()
        except IntegrityError:
            owner = email_owner(email)  # registered at the same moment by someone else
            if owner is None:
                form.add_error("username", _("这个用户名刚刚被注册了，请换一个。"))
                raise
        else:
            _send_link(user, request)
            return
    make_password(form.cleaned_data["password1"])  # the time a new account's hashing takes
    if owner.is_active or owner.last_login:
        _send_notice(owner, request)
    else:
        _send_link(owner, request)


def pending_user(uidb64, token):
    """The inactive account this link switches on, or None for a wrong, used or expired link."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk, is_active=False)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if tokens.check_token(user, token) else None


def activate(user):
    user.is_active = True
    user.save(update_fields=["is_active"])


def _mail(subject, body, recipient):
    def send():
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except Exception:  # the account is saved; a mail server's failure must not turn that into a 500
            logger.exception("registration mail failed")

    transaction.on_commit(send)


def _send_link(user, request):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = request.build_absolute_uri(reverse("activate", args=[uid, tokens.make_token(user)]))
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = _(
        "您好：\n\n欢迎注册%(site)s的志愿者（用户名：%(username)s）。请在 %(days)s 天内打开下面的链接，"
        "确认这是您的邮箱，账号就启用了：\n\n%(url)s\n\n如果您没有注册过，不用理会这封邮件，账号不会启用。"
    ) % {"site": settings.SITE_NAME, "username": user.get_username(), "days": days, "url": url}
    _mail(_("请确认邮箱，完成志愿者注册"), body, user.email)


def _send_notice(owner, request):
    body = _(
        "您好：\n\n有人（也许就是您）刚刚用这个邮箱在%(site)s注册志愿者。这个邮箱已经有账号了"
        "（用户名：%(username)s），所以没有再建新账号。\n\n如果是您：请直接登录 %(login)s ，"
        "忘了密码可以在这里找回：%(reset)s\n如果不是您：不用理会这封邮件，您的账号没有任何变化。"
    ) % {
        "site": settings.SITE_NAME,
        "username": owner.get_username(),
        "login": request.build_absolute_uri(reverse("login")),
        "reset": request.build_absolute_uri(reverse("password_reset")),
    }
    _mail(_("有人用您的邮箱注册志愿者"), body, owner.email)
