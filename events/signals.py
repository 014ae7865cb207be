"""What events tells the apps above it, since it imports none of them.

Both are sent by the service-day admin with ``sender=ServiceDay`` and ``day=`` the day. A
receiver returns a list of messages for the staff member who saved (or nothing); the admin
shows each one.

service_day_cancelled
    The day has just been cancelled (it was not before this save). Volunteers tell
    everyone who signed up.
service_day_changed
    The day and everything edited on its page (the inlines apps add) have been saved.
    Volunteers move waiting lists up where roles gained places.
"""

from django.dispatch import Signal

service_day_cancelled = Signal()
service_day_changed = Signal()


def send(signal, day):
    """Sends ``signal`` for ``day``; returns the receivers' messages in order."""
    return [message for _receiver, messages in signal.send(sender=type(day), day=day) for message in messages or ()]
