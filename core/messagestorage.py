"""Django's message storage (cookie first, then the session), made when a message is first read or written.

Most requests neither add nor show a message, yet Django's FallbackStorage builds both its storages for
every one of them (the cookie storage derives a signing key each time). Here they are built on first use;
what is stored, where and when is Django's own code, unchanged. MESSAGE_STORAGE names this class.
"""

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils.functional import cached_property


class LazyFallbackStorage(FallbackStorage):
    def __init__(self, request, *args, **kwargs):
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._storage_arguments = (request, *args), kwargs
        self._used_storages = set()

    @cached_property
    def storages(self):
        args, kwargs = self._storage_arguments
        return [storage_class(*args, **kwargs) for storage_class in self.storage_classes]
