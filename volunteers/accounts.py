"""Accounts under /accounts/: Django's auth views in the site's look, plus registration."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from volunteers.forms import LoginForm, NewPasswordForm, RegistrationForm, ResetRequestForm


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        # A double submit arrives here logged in already: no second account.
        return redirect("volunteers:me")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:
            pass  # the form carries the message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎加入志愿者队伍！"))
            return redirect("volunteers:me")
    status = 400 if form.errors else 200
    return render(request, "registration/register.html", {"form": form}, status=status)


urlpatterns = [
    path("register/", register, name="register"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ResetRequestForm, success_url=reverse_lazy("password_reset_done")
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
