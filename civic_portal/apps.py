from django.apps import AppConfig


class CivicPortalConfig(AppConfig):
    name = "civic_portal"
    verbose_name = "Civic portal"

    def ready(self):
        from civic_portal import audit, pagecache

        audit.connect()
        pagecache.connect()
