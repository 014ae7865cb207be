"""A resident's report becomes a case: one case per submit token, a fresh tracking code, and the
secret of the resident's private link (feedback/owner.py), of which the case keeps only a digest."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import conf, notify, owner
from feedback.models import Actor, Case, CasePhoto, TimelineEntry

MAX_PHOTOS = 6


def new_code(now=None):
    """SH-2026-483920: the year and six random digits (not a counter, so codes cannot be walked)."""
    year = (now or timezone.now()).year
    for _attempt in range(20):
        code = f"{conf.code_prefix()}-{year}-{secrets.randbelow(1_000_000):06d}"
        if not Case.objects.filter(code=code).exists():
            return code
    return f"{conf.code_prefix()}-{year}-{secrets.randbelow(10**9):09d}"  # pragma: no cover - a crowded year


def submit_case(
    *,
    community,
    category,
    place,
    description,
    contact_name="",
    contact_phone="",
    contact_email="",
    consent=False,
    photos=(),
    token=None,
    created_at=None,
    api_client=None,
    lat=None,
    long=None,
    media_url="",
):
    """Create the case (or return the one this token already made). Returns (case, created).

    ``api_client`` marks a case sent by an outside system (Open311, feedback/open311/), which may
    also give coordinates and a photo's address; a portal form's case has none of them.

    The case carries ``owner_secret``, the secret of its private link, for the caller to show once:
    "" when it cannot be shown (a copy of an earlier submission whose secret is no longer remembered).
    """
    existing = earlier_submission(token)
    if existing is not None:
        return existing, False
    if len(photos) > MAX_PHOTOS:
        raise ValueError(f"at most {MAX_PHOTOS} photos")
    if not consent:
        contact_name = contact_phone = contact_email = ""
    now = created_at or timezone.now()
    secret = owner.secret_for_submission(token)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                code=new_code(now),
                community=community,
                category=category,
                place=place.strip(),
                description=description.strip(),
                contact_name=contact_name.strip(),
                contact_phone=contact_phone.strip(),
                contact_email=contact_email.strip(),
                contact_consent=bool(consent),
                created_at=now,
                respond_deadline=now + timedelta(hours=category.respond_hours),
                submit_token=token,
                owner_digest=owner.digest(secret),
                source=Case.Source.API if api_client else Case.Source.PORTAL,
                api_client=api_client,
                lat=lat,
                long=long,
                media_url=media_url,
            )
            for index, upload in enumerate(photos):
                CasePhoto.objects.create(
                    case=case,
                    role=CasePhoto.Role.BEFORE,
                    image=upload,
                    order=index,
                    alt_text=_("居民拍摄的现场照片：%(place)s") % {"place": case.place},
                    uploaded_at=now,
                )
            TimelineEntry.objects.create(
                case=case,
                action=TimelineEntry.Action.SUBMITTED,
                role=Actor.RESIDENT,
                message=TimelineEntry.Message.SUBMITTED,
                params={"category": category.name},
                created_at=now,
            )
            transaction.on_commit(lambda: notify.submitted(case.pk, secret))
    except IntegrityError:
        # The same token raced us from a second request: hand back the case it made.
        existing = earlier_submission(token)
        if existing is not None:
            return existing, False
        raise
    case.owner_secret = secret
    return case, True


def earlier_submission(token):
    """The case this form token already made, with ``owner_secret`` as submit_case sets it, or None."""
    if token is None:
        return None
    existing = Case.objects.select_related("community").filter(submit_token=token).first()
    if existing is not None:
        existing.owner_secret = owner.remembered(token, existing)
    return existing
