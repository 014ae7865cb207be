"""Phone numbers: never on public pages; in the admin and exports in full only for staff
whose scope covers the community concerned, masked (138****1234) for everyone else, in the
phone column as inside free text (``text_for``)."""

from communities import scope
from core.privacy import mask_phone, scrub_phones


def covered_ids(user):
    if not hasattr(user, "_civic_covered_ids"):
        user._civic_covered_ids = (
            None if scope.is_district_admin(user) else set(scope.scoped_communities(user).values_list("pk", flat=True))
        )
    return user._civic_covered_ids


def phone_for(user, phone, *community_ids):
    """``phone`` in full when the user's scope covers one of ``community_ids``, masked otherwise."""
    ids = covered_ids(user)
    if ids is None or any(c in ids for c in community_ids if c):
        return phone or ""
    return mask_phone(phone)


def text_for(user, text, *community_ids):
    """Free text whole when the user's scope covers one of ``community_ids``, phone numbers masked otherwise."""
    ids = covered_ids(user)
    if ids is None or any(c in ids for c in community_ids if c):
        return text or ""
    return scrub_phones(text)
