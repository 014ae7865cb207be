"""The feedback desk in the Django admin (吹哨报到), one module per part:

- ``cases``: the case list and page, with the community's moves (accept, decline, dispatch, resolve, note)
- ``tasks``: a department's tasks, with the officer's moves (on site, plan, complete)
- ``moves``: the one POST endpoint every move goes through, and what was typed when a move failed
- ``contact``: who sees a resident's contact details in full; ``export``: the CSV export
- ``overdue``: the overdue badge and list filter; ``categories``: reference data (departments are
  communities' own, managed in their admin); ``clients``: the Open311 API's outside systems

Every move is a function in ``feedback.workflow``; every lookup is scoped by ``communities.admin_scope``.
"""

from feedback.admin import cases, categories, clients, tasks  # noqa: F401 - importing registers them
