"""Accounts under /accounts/: Django's auth views in the site's look, plus registration."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from volunteers import registration
from volunteers.forms import LoginForm, NewPasswordForm, RegistrationForm, ResetRequestForm

# The username of the registration this browser just sent: a double submit gets the same answer.
SENT = "registration_sent"


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("volunteers:me")
    if (
        request.method == "POST"
        and request.POST.get("username")
        and request.session.get(SENT) == request.POST["username"]
    ):
        return redirect("register_sent")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.register(form, request)
        except IntegrityError:
            pass  # the form carries the message
        else:
            request.session[SENT] = form.cleaned_data["username"]
            return redirect("register_sent")
    status = 400 if form.errors else 200
    return render(request, "registration/register.html", {"form": form}, status=status)


@require_GET
def register_sent(request):
    return render(request, "registration/register_sent.html")


@require_http_methods(["GET", "POST"])
def activate(request, uidb64, token):
    """GET shows a button, POST switches the account on: a mail scanner opening the link changes nothing."""
    user = registration.pending_user(uidb64, token)
    if user is None:
        return render(request, "registration/activate.html", {"valid": False}, status=400)
    if request.method == "POST":
        registration.activate(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎加入志愿者队伍！"))
        return redirect("volunteers:me")
    return render(request, "registration/activate.html", {"valid": True, "account": user})


urlpatterns = [
    path("register/", register, name="register"),
    path("register/sent/", register_sent, name="register_sent"),
    path("activate/<uidb64>/<token>/", activate, name="activate"),
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
