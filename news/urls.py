from django.urls import path

from news import views

app_name = "news"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("columns/<slug:slug>/", views.column_detail, name="column"),
    path("columns/<slug:slug>/<int:number>/", views.issue_detail, name="issue"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("preview/<str:token>/", views.story_preview, name="preview"),
    path("<slug:slug>/", views.story_detail, name="story"),
]
