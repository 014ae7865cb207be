from django.conf import settings


def site(request):
    display = getattr(request, "display", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "FOOTER": settings.PORTAL_FOOTER,
        "display": display,
        "html_classes": display.html_classes if display else "fs-m",
    }
