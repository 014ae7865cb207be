from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new_case, name="new"),
    path("new/done/<str:code>/", views.submitted, name="submitted"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    path("case/<str:code>/metoo/", views.metoo, name="metoo"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
]
