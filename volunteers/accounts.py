"""Accounts under /accounts/: Django's auth views in the site's look, plus registration."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
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
        data = form.cleaned_data
        # the same username twice is one attempt: the second copy fails on the unique username
        if not ratelimit.allow(request, "register", data["username"], phone=data["phone"], email=data["email"]):
            form.add_error(None, ratelimit.MESSAGE)
            return render(request, "registration/register.html", {"form": form}, status=429)
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


class PasswordResetView(auth_views.PasswordResetView):
    """Each request sends an e-mail: limited per address and per mailbox (core/ratelimit.py)."""

    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not ratelimit.allow(self.request, "password_reset", email=form.cleaned_data["email"]):
            form.add_error(None, ratelimit.MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


urlpatterns = [
    path("register/", register, name="register"),
    path("register/sent/", register_sent, name="register_sent"),
    path("activate/<uidb64>/<token>/", activate, name="activate"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", PasswordResetView.as_view(), name="password_reset"),
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
