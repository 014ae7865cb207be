from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new_case, name="new"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.track, name="track"),
    # The resident's own page: the secret in the address is the only key to rating and adding information.
    path("mine/<str:code>/<str:secret>/", views.mine, name="mine"),
    path("mine/<str:code>/<str:secret>/rate/", views.mine_rate, name="mine_rate"),
    path("mine/<str:code>/<str:secret>/note/", views.mine_note, name="mine_note"),
    # 我的事项 (core/mine.py): the phone verified by a one-time code is the key, the case must carry it.
    path("my/<str:code>/rate/", views.my_rate, name="my_rate"),
    path("my/<str:code>/note/", views.my_note, name="my_note"),
    path("case/<str:code>/metoo/", views.metoo, name="metoo"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
]
