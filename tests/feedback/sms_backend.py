"""A text-message gateway for tests: ``SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"``."""


class LocmemSMSBackend:
    """Keeps messages in the class-level ``outbox``, since the sender makes a fresh backend per message."""

    outbox = []

    def send(self, phone, text):
        self.outbox.append((phone, text))
        return True
