"""Open311 GeoReport v2 under /open311/v2/ (docs/open311.md): outside systems list the service
types, submit cases and follow them.

Contract:

1. Reads (discovery, services, requests, tokens) need no key. They are throttled per address
   (scope ``open311_read``) and answered with ``Cache-Control: public, max-age=60``. Lists show only
   what the public board shows (published cases) plus, to a client that sends its key, the cases it
   submitted itself; one case by its code answers like the public tracking page (place, status,
   timeline) and counts as a lookup by code (feedback/owner.py), except a client's own case asked
   for with its key. No answer ever holds a name, phone
   number or e-mail address.
2. A write (POST requests) needs the key of an active ``ApiClient`` (403 otherwise), is throttled
   per key (scope ``open311_write``), validated by the report form itself (``CaseForm``) and made by
   ``feedback.intake.submit_case``, the portal form's own path: same rules, same privacy scrub,
   same notices. Every write is audit-logged (core/audit.py).
3. A retry is harmless: the client's idempotency key (the ``token`` parameter or an
   ``Idempotency-Key`` header) is unique per client in ``ApiSubmission`` (a database constraint),
   and the same key again answers the case the first request made.
4. A photo is never fetched: ``media_url`` is stored when its host is listed in
   ``OPEN311_MEDIA_HOSTS`` and refused otherwise.
5. Every refusal is the spec's error list (``errors``/``error`` with ``code`` and
   ``description``) with the matching status: 400 bad input, 403 bad or revoked key, 404 unknown
   service, case, token or jurisdiction, 429 throttled. Never a 500 for anything a client sends.
"""
