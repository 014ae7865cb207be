"""Putting a story together: the story, its community sections, and the communities it covers.

The rule, in one place: a story covers every community it has a section for, and any community
an editor chose beside them (a district-wide story may name more places than it has sections).
The admin, a case turned into a story, the demo and the scale seeder all go through here.
(``StorySection.save`` also adds its own community, so a section saved on its own page keeps
the rule without the story being saved again.)
"""

from django.db import transaction

from news.models import Story, StorySection


def communities_from_sections(sections, chosen=()):
    """Community ids the story covers: the chosen ones first, then each section's, each once.

    ``sections`` are StorySection objects (saved or not) or anything with a ``community_id``;
    ``chosen`` are Community objects or ids.
    """
    ids = [getattr(c, "pk", c) for c in chosen] + [s.community_id for s in sections]
    return list(dict.fromkeys(ids))


def build_story(slug, sections, communities=(), tags=None, **fields):
    """Create the story ``slug`` (or update it in place) with its sections and communities.

    ``sections`` is a list of dicts with ``community``, ``heading``, ``body`` and optionally
    ``order`` (default: the position in the list); a section is matched by its order, so calling
    again with the same slug changes the story rather than adding a second one. ``fields`` are
    the Story's own fields. Returns ``(story, sections)``.
    """
    with transaction.atomic():
        story, _created = Story.objects.update_or_create(slug=slug, defaults=fields)
        made = []
        for position, spec in enumerate(sections):
            section, _created = StorySection.objects.update_or_create(
                story=story,
                order=spec.get("order", position),
                defaults={"community": spec["community"], "heading": spec["heading"], "body": spec["body"]},
            )
            made.append(section)
        story.communities.set(communities_from_sections(made, chosen=communities))
        if tags is not None:
            story.tags.set(tags)
        story.reindex()
    return story, made


def cover_sections(story):
    """After the admin saved a story: its sections' communities are added back.

    The form's communities field replaces the whole set, and sections the editor did not touch are
    not saved again, so their communities would otherwise drop out.
    """
    story.communities.add(*communities_from_sections(story.sections.only("community_id")))
    story.reindex()
