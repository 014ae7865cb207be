"""Cases that look like the one being reported: "is this already reported?" before a resident
submits, and "likely duplicates" on a case's admin page.

Alike means: still open, in the same community and category, and sharing at least one word of two
or more characters (jieba, as core.textsearch segments for search) in the description; words shared
in the place count too, but never alone (every case of a lane shares its name). Most shared words
first, then the most recent. Residents are shown only published cases (what the
public board already shows, by their public text); staff see every open case in their scope.
"""

from core import textsearch
from feedback.models import Case

LIMIT = 5
CANDIDATES = 60  # recent open cases looked at: one community's one category, a small number


def words(*texts):
    return {w for w in textsearch.segment(" ".join(t or "" for t in texts)) if len(w) >= 2}


def look_alikes(cases, place, description, *, limit=LIMIT):
    """The cases of ``cases`` (already narrowed to one community and category) that share words."""
    wanted, wanted_place = words(description), words(place)
    if not wanted:
        return []
    scored = []
    for case in cases.open().order_by("-created_at", "-pk")[:CANDIDATES]:
        shared = len(wanted & words(case.description))
        if shared:
            scored.append((shared + len(wanted_place & words(case.place)), case))
    scored.sort(key=lambda pair: -pair[0])  # stable: equal scores stay most recent first
    return [case for _shared, case in scored[:limit]]


def for_resident(community, category, place, description):
    """Published open cases a resident about to report may recognise (and 附议 instead)."""
    cases = Case.objects.published().filter(community=community, category=category).with_public_relations()
    return look_alikes(cases, place, description)


def for_staff(case, visible):
    """Open cases of ``visible`` (the staff member's scope) that may be the same problem as ``case``."""
    cases = visible.filter(community_id=case.community_id, category_id=case.category_id).exclude(pk=case.pk)
    return look_alikes(cases, case.place, case.description)
