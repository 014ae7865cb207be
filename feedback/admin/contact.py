"""A resident's contact details in the admin: in full for their own community's staff, masked for everyone else.

The same people see the free text a resident wrote (the description, internal notes) whole; everyone
else, department officers and district administrators included, sees it with phone numbers masked
(``text_for``; the rule is core.privacy's).
"""

from communities import scope
from core.privacy import mask_email, mask_name, mask_phone, scrub_phones


def can_see_contact(user, case):
    """Only staff of the case's own community (its workers, its street's editors) see contact data."""
    role = scope.role_of(user)
    return role in (scope.Role.COMMUNITY_WORKER, scope.Role.STREET_EDITOR) and scope.covers_community(
        user, case.community_id
    )


def contact_for(user, case):
    """(name, phone, email) as this user may see them."""
    if can_see_contact(user, case):
        return case.contact_name, case.contact_phone, case.contact_email
    return mask_name(case.contact_name), mask_phone(case.contact_phone), mask_email(case.contact_email)


def text_for(user, case, text):
    """A resident's free text on ``case`` as this user may see it."""
    return text if can_see_contact(user, case) else scrub_phones(text)
