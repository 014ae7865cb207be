from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core import views
from core.search import search_view
from core.sitemaps import sitemap_view

admin.site.site_header = _("西城社区服务平台 · 工作台")
admin.site.site_title = _("社区服务平台工作台")
admin.site.index_title = _("工作台")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("my/", views.my_things, name="my_things"),
    path("my/code/", views.my_code, name="my_code"),
    path("my/verify/", views.my_verify, name="my_verify"),
    path("my/restart/", views.my_restart, name="my_restart"),
    path("my/sign-out/", views.my_sign_out, name="my_sign_out"),
    path("display/", views.set_display, name="set_display"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("communities/", include("communities.urls")),
    path("news/", include("news.urls")),
    path("feeds/news/", include("news.feed_urls")),
    path("search/", search_view, name="search"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("events/", include("events.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("feedback/", include("feedback.urls")),
    path("open311/v2/", include("feedback.open311.urls")),
    path("accounts/", include("volunteers.accounts")),
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"

if settings.BENCH_FLOOR:
    from ops.views import floor

    # First, as in Django's bare floor (ops/barefloor.py): the floor measures the middleware, not how many
    # includes the resolver tries (and raises Resolver404 for) before it reaches the last pattern.
    urlpatterns.insert(0, path("floor", floor, name="floor"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
