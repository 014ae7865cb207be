"""The old home of the text-message backends, kept so ``feedback.sms.ConsoleSMSBackend`` and
``FEEDBACK_SMS_BACKEND`` settings written before the move still work. They live in core/sms.py."""

from core.sms import ConsoleSMSBackend, NoSMSBackend, send_sms

__all__ = ["ConsoleSMSBackend", "NoSMSBackend", "send_sms"]
