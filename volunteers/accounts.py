"""Accounts under /accounts/: Django's auth views in the site's look, plus registration."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import ratelimit
from volunteers.forms import LoginForm, NewPasswordForm, RegistrationForm, ResetRequestForm


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        # A double submit arrives here logged in already: no second account.
        return redirect("volunteers:me")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # the same username twice is one attempt: the second copy fails on the unique username
        if not ratelimit.allow(request, "register", data["username"], phone=data["phone"], email=data["email"]):
            form.add_error(None, ratelimit.MESSAGE)
            return render(request, "registration/register.html", {"form": form}, status=429)
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
