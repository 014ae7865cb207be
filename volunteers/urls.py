from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("teams/<slug:slug>/", views.TeamView.as_view(), name="team"),
    path("roles/<int:pk>/signup/", views.signup_view, name="signup"),
    path("signup-member/", views.signup_member_view, name="signup_member"),
    path("signups/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("me/", views.me, name="me"),
    path("me/calendar.ics", views.my_ics, name="my_ics"),
    path("me/certificate/", views.certificate, name="certificate"),
    path("me/delete/", views.delete_account, name="delete"),
    path("me/profile/", views.profile, name="profile"),
    path("home-visits/new/", views.home_visit_request, name="home_visit"),
    path("home-visits/<int:pk>/accept/", views.accept_home_visit, name="accept_visit"),
    path("my/home-visits/<int:pk>/cancel/", views.my_cancel_visit, name="my_cancel_visit"),
]
