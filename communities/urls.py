from django.urls import path

from communities import views

app_name = "communities"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("<slug:street>/", views.StreetView.as_view(), name="street"),
    path("<slug:street>/<slug:community>/", views.CommunityView.as_view(), name="community"),
]
