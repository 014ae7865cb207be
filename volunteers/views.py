from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, TemplateView

from core import fragments, mine, ratelimit, targeted
from core.params import id_or_none
from events import ics
from volunteers import signup as rules
from volunteers.forms import HomeVisitForm, ProfileForm
from volunteers.hours import accept_visit, cancel_visit
from volunteers.models import HomeVisit, HoursEntry, Role, Signup, Team, Volunteer, next_star, star_level


class IndexView(TemplateView):
    template_name = "volunteers/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["teams"] = (
            Team.objects.select_related("community__street")
            .annotate(member_count=Count("members", distinct=True))
            .order_by("name")
        )
        context["roles"] = wanted_roles()[:20]
        return context


def wanted_roles():
    """Roles of coming published days that still have places, soonest first."""
    return (
        Role.objects.open()
        .with_taken()
        .filter(taken__lt=F("places"))
        .select_related("day__community", "skill", "team")
        .order_by("day__date", "day__start_time", "sort_order")
    )


class TeamView(DetailView):
    template_name = "volunteers/team.html"
    context_object_name = "team"

    def get_queryset(self):
        return Team.objects.select_related("community__street", "leader")

    def get_context_data(self, **kwargs):
        # The team's figures are drawn in a fragment (core/fragments.py): counted only on a miss.
        figures = ("total_hours", "member_count", "history", "home_visit_count")
        return {**super().get_context_data(**kwargs), **fragments.lazy(self.figures, figures)}

    def figures(self):
        team = self.object
        entries = HoursEntry.objects.filter(team=team)
        return {
            "total_hours": entries.aggregate(total=Sum("hours"))["total"] or 0,
            "member_count": team.members.count(),
            "history": list(
                entries.values("date", "kind", "signup__role__day__title", "signup__role__day_id")
                .annotate(hours=Sum("hours"), people=Count("volunteer", distinct=True))
                .order_by("-date", "signup__role__day__title")[:30]
            ),
            "home_visit_count": team.home_visits.filter(status="done").count(),
        }


@login_required
@require_GET
def me(request):
    volunteer = rules.volunteer_for(request.user)
    # The page is drawn in a fragment of this volunteer's own (core/fragments.py): read only on a miss.
    return render(request, "volunteers/me.html", {"volunteer": volunteer, **fragments.lazy(lambda: _me(volunteer), ME)})


ME = ("upcoming", "past", "total_hours", "stars", "next_star", "entries", "teams", "led_teams", "open_roles", "visits")


def _me(volunteer):
    today = timezone.localdate()
    signups = (
        Signup.objects.filter(volunteer=volunteer)
        .select_related("role__day__community")
        .order_by("role__day__date", "role__start_time")
    )
    upcoming = [s for s in signups if s.role.day.date >= today]
    past = [s for s in signups if s.role.day.date < today][::-1]
    total = volunteer.total_hours()
    teams = volunteer.teams.select_related("community")
    led = Team.objects.filter(leader=volunteer).prefetch_related(
        Prefetch("members", queryset=Volunteer.objects.order_by("real_name"))
    )
    return {
        "upcoming": upcoming,
        "past": past,
        "total_hours": total,
        "stars": star_level(total),
        "next_star": next_star(total),
        "entries": volunteer.hours_entries.select_related("community")[:20],
        "teams": teams,
        "led_teams": led,
        "open_roles": wanted_roles()[:10] if led else [],
        "visits": HomeVisit.objects.filter(
            status=HomeVisit.Status.REQUESTED, community__teams__in=[t for t in led if t.makes_home_visits]
        )
        .select_related("community")
        .distinct()[:10]
        if led
        else [],
    }


@login_required
@require_POST
def signup_view(request, pk):
    role = get_object_or_404(Role.objects.select_related("day"), pk=pk, day__status__in=["published", "cancelled"])
    volunteer = rules.volunteer_for(request.user)
    try:
        signup = rules.sign_up(role.pk, volunteer)
    except rules.SignupError as exc:
        # Back to the role's card, with the reason drawn inside it (not at the top, out of sight).
        targeted.error(request, exc.message, f"role-{role.pk}")
        return targeted.redirect_to(role.day, f"role-{role.pk}")
    if signup.status == Signup.Status.CONFIRMED:
        messages.success(request, _("报名成功：%(role)s。") % {"role": role.title})
    else:
        messages.info(request, _("名额已满，您已进入候补，排在第 %(n)s 位。") % {"n": waitlist_position(signup)})
    return redirect("volunteers:me")


def _int(value):
    return id_or_none(value) or 0


def waitlist_position(signup):
    return Signup.objects.waitlisted().filter(role=signup.role, number__lte=signup.number).count()


@login_required
@require_POST
def signup_member_view(request):
    role = get_object_or_404(Role, pk=_int(request.POST.get("role")), day__status="published")
    member = get_object_or_404(
        Volunteer.objects.distinct(),
        pk=_int(request.POST.get("volunteer")),
        teams__leader__user=request.user,
        anonymised=False,
    )
    try:
        rules.sign_up_member(role.pk, request.user, member)
    except rules.SignupError as exc:
        targeted.error(
            request, _("%(name)s：%(problem)s") % {"name": member.real_name, "problem": exc.message}, "leader"
        )
    else:
        targeted.success(
            request, _("已为 %(name)s 报名：%(role)s。") % {"name": member.real_name, "role": role.title}, "leader"
        )
    return targeted.redirect_to("volunteers:me", "leader")


@login_required
@require_POST
def cancel_view(request, pk):
    volunteer = rules.volunteer_for(request.user)
    signup = get_object_or_404(Signup, pk=pk, volunteer=volunteer)
    try:
        rules.cancel(signup.pk, volunteer)
    except rules.SignupError as exc:
        targeted.error(request, exc.message, f"signup-{signup.pk}")
        return targeted.redirect_to("volunteers:me", f"signup-{signup.pk}")
    messages.success(request, _("已取消报名。"))
    return redirect("volunteers:me")


@login_required
@require_GET
def my_ics(request):
    volunteer = rules.volunteer_for(request.user)
    signups = Signup.objects.active().filter(volunteer=volunteer).select_related("role__day__community")
    return ics.response(ics.signups_calendar(_("我的志愿服务"), signups), "my-signups.ics")


@login_required
@require_GET
def certificate(request):
    volunteer = rules.volunteer_for(request.user)
    total = volunteer.total_hours()
    by_kind = volunteer.hours_entries.values("kind").annotate(hours=Sum("hours")).order_by("kind")
    kinds = dict(HoursEntry.Kind.choices)
    context = {
        "volunteer": volunteer,
        "total_hours": total,
        "stars": star_level(total),
        "by_kind": [{"label": kinds.get(row["kind"], row["kind"]), "hours": row["hours"]} for row in by_kind],
        "teams": volunteer.teams.all(),
        "days": volunteer.signups.filter(status=Signup.Status.ATTENDED).count(),
        "issued": timezone.localdate(),
    }
    return render(request, "volunteers/certificate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("请勾选确认后再注销。"))
            return render(request, "volunteers/delete.html", status=400)
        user = request.user
        volunteer = getattr(user, "volunteer", None)
        with transaction.atomic():
            if volunteer is not None:
                for signup in Signup.objects.active().filter(
                    volunteer=volunteer, role__day__date__gte=timezone.localdate()
                ):
                    try:
                        rules.cancel(signup.pk, volunteer)
                    except rules.SignupError:
                        Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.CANCELLED, seat=None)
                volunteer.anonymise()
            logout(request)
            user.delete()
        messages.success(request, _("账号已注销。您的服务时长已匿名保留在服务队的统计里，谢谢您的付出。"))
        return redirect("/")
    return render(request, "volunteers/delete.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    volunteer = rules.volunteer_for(request.user)
    form = ProfileForm(request.POST or None, instance=volunteer)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("个人资料已保存。"))
            return redirect("volunteers:me")
        messages.error(request, _("资料没有保存，请按提示修改。"))
    return render(request, "volunteers/profile.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def home_visit_request(request):
    form = HomeVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.allow(request, "home_visit", data["submission"], phone=data["phone"]):
            form.add_error(None, ratelimit.MESSAGE)
            return render(request, "volunteers/home_visit_form.html", {"form": form}, status=429)
        submission = form.cleaned_data["submission"]
        if not HomeVisit.objects.filter(submission=submission).exists():  # a double submit adds nothing
            visit = form.save(commit=False)
            visit.submission = submission
            try:
                with transaction.atomic():
                    visit.save()
            except IntegrityError:
                pass
        return render(request, "volunteers/home_visit_thanks.html")
    return render(request, "volunteers/home_visit_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def accept_home_visit(request, pk):
    visit = get_object_or_404(HomeVisit.objects.filter(status=HomeVisit.Status.REQUESTED), pk=pk)
    team = get_object_or_404(
        Team,
        pk=_int(request.POST.get("team")),
        leader__user=request.user,
        makes_home_visits=True,
        community=visit.community_id,
    )
    try:
        accept_visit(visit, team)
    except rules.SignupError as exc:
        targeted.error(request, exc.message, f"visit-{visit.pk}")
        return targeted.redirect_to("volunteers:me", f"visit-{visit.pk}")
    else:
        messages.success(request, _("已接单：%(v)s。完成后请社区工作人员登记时长。") % {"v": visit.resident_name})
    return redirect("volunteers:me")


@require_POST
def my_cancel_visit(request, pk):
    """Withdraw a home-visit request from 我的事项: only one of the verified phone's (another's is a 404)."""
    phone = mine.signed_in_phone(request)
    if phone is None:
        messages.error(request, _("为保护您的信息，请重新验证手机号。"))
        return redirect("my_things")
    visit = get_object_or_404(HomeVisit, pk=pk, phone=phone)
    try:
        cancel_visit(visit.pk)
    except rules.SignupError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("上门服务申请已取消。"))
    return redirect("my_things")  # the message heads the page, in view
