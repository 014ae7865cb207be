from django.urls import path, re_path

from feedback.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.not_found, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]{1,50})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_, name="requests"),
    re_path(r"^requests/(?P<code>[\w-]{1,40})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<value>[\w-]{1,64})" + FMT, views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
