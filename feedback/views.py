import csv
import functools
import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import fragments, ratelimit, targeted
from core.mine import signed_in_phone
from core.params import id_or_none
from feedback import charts, conf, duplicates, figures, owner, workflow
from feedback.forms import CaseForm, RatingForm, ResidentNoteForm, StreetFilterForm, TrackLookupForm
from feedback.intake import earlier_submission, submit_case
from feedback.models import Case, CaseError, CasePhoto, Category, DispatchTask, TimelineEntry

METOO_COOKIE = "fb_metoo"
METOO_SALT = "feedback.metoo"


def _refused(request, title, message, status):
    return render(request, "feedback/refused.html", {"title": title, "message": message}, status=status)


@require_http_methods(["GET", "POST"])
def new_case(request):
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES)
        if form.is_spam:
            return _refused(
                request,
                _("提交未成功"),
                _("这次提交看起来不是由人填写的，所以没有保存。如果您确实要反映问题，请回到表单重新填写。"),
                400,
            )
        token = form.data.get("token")
        existing = earlier_submission(token) if _is_uuid(token) else None
        if existing is not None:  # a double submit: the first request already made the case
            return _submitted(request, existing)
        if request.POST.get("edit"):  # back from the look-alikes to the form, with everything typed
            return render(request, "feedback/new.html", _new_context(form))
        if form.is_valid():
            data = form.cleaned_data
            if not request.POST.get("confirm_new"):
                similar = duplicates.for_resident(
                    data["community"], data["category"], data["place"], data["description"]
                )
                if similar:  # is this already reported? Nothing is created until the resident says no
                    return render(
                        request,
                        "feedback/new_similar.html",
                        {"form": form, "similar": similar, "had_photos": bool(data["photos"])},
                    )
            if not ratelimit.allow(
                request, "feedback", data["token"], phone=data["contact_phone"], email=data["contact_email"]
            ):
                form.add_error(None, ratelimit.MESSAGE)
                return render(request, "feedback/new.html", _new_context(form), status=429)
            case, _created = submit_case(
                community=data["community"],
                category=data["category"],
                place=data["place"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                consent=data["consent"],
                photos=data["photos"],
                token=data["token"],
            )
            return _submitted(request, case)
        return render(request, "feedback/new.html", _new_context(form, photos_lost=bool(request.FILES)), status=400)
    initial = {}
    slug = request.GET.get("category")
    if slug:
        category = Category.objects.active().filter(slug=slug).first()
        if category:
            initial["category"] = category.pk
    community = id_or_none(request.GET.get("community"))
    if community is not None:
        initial["community"] = community
    return render(request, "feedback/new.html", _new_context(CaseForm(initial=initial)))


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _new_context(form, photos_lost=False):
    return {"form": form, "photos_lost": photos_lost or (form.is_bound and bool(form.errors))}


def _submitted(request, case):
    """Straight to the resident's private page: nothing about the case is reachable by its code alone."""
    if not case.owner_secret:  # a copy of an earlier submission whose link is no longer remembered
        return render(request, "feedback/resubmitted.html", {"case": case})
    messages.success(request, _("提交成功！%(community)s会尽快受理。") % {"community": case.community.name})
    return redirect(owner.path(case, case.owner_secret))


def _too_many_lookups(request):
    """The one answer to a spent lookup budget, whether the code (or the secret) was right or not."""
    return _refused(request, _("查询太频繁"), _("查询次数过多，请过一段时间再试，或直接打电话给社区。"), 429)


def track_lookup(request):
    form = TrackLookupForm(request.GET or None)
    if form.is_valid():
        if not owner.lookup_allowed(request, form.cleaned_data["code"]):
            return _too_many_lookups(request)
        return redirect("feedback:track", code=form.cleaned_data["code"])
    return render(request, "feedback/track_lookup.html", {"lookup_form": form}, status=400 if form.errors else 200)


def _tracking_prefetches():
    return (
        Prefetch(
            "timeline",
            queryset=TimelineEntry.objects.filter(is_public=True).select_related("task__department"),
            to_attr="public_timeline",
        ),
        Prefetch("tasks", queryset=DispatchTask.objects.select_related("department")),
        Prefetch("photos", queryset=CasePhoto.objects.order_by("role", "order", "pk")),
    )


def _case_for_tracking(code):
    cases = Case.objects.select_related("community__street", "category", "duplicate_of")
    return cases.prefetch_related(*_tracking_prefetches()).filter(code=code.strip().upper()).first()


@require_safe
def track(request, code):
    """The public timeline by the short code: reading only (the resident acts from their private link)."""
    if not owner.lookup_allowed(request, code):
        return _too_many_lookups(request)
    # The page's frame needs the case's code only; the case itself, its timeline and photos are drawn
    # in a fragment (core/fragments.py) from ``full_case``, read only on a miss.
    case = Case.objects.filter(code=code.strip().upper()).only("pk", "code").first()
    if case is None:
        form = TrackLookupForm(initial={"code": code})
        return render(request, "feedback/track_lookup.html", {"lookup_form": form, "unknown_code": code}, status=404)

    def parts():
        full = _case_for_tracking(case.code)
        return {"full_case": full, **_track_context(full)}

    names = ("full_case", "timeline", "tasks", "before_photos", "after_photos", "reopen_days")
    return render(request, "feedback/track.html", {"case": case, **fragments.lazy(parts, names)})


def _track_context(case):
    photos = list(case.photos.all())
    return {
        "case": case,
        "timeline": case.public_timeline,
        "tasks": case.current_tasks(),
        "before_photos": [p for p in photos if p.role == CasePhoto.Role.BEFORE],
        "after_photos": [p for p in photos if p.role == CasePhoto.Role.AFTER],
        "reopen_days": conf.reopen_days(),
    }


# --- the resident's private page (feedback/owner.py) ------------------------------------------


def _private(view):
    """The private page's answers: counted as lookups, never stored by a cache, never indexed, and the
    address never in a Referer. The case is found by code and secret or the answer is a 404.

    ``strict-origin``, not ``no-referrer``: both keep the path (the secret) out of every Referer, to
    other sites and to ours (and so out of access logs), but under no-referrer browsers send
    ``Origin: null`` with the page's own forms, which the CSRF check rightly refuses."""

    @functools.wraps(view)
    def wrapped(request, code, secret):
        if not owner.lookup_allowed(request, code, secret):
            response = _too_many_lookups(request)
        else:
            case = _case_for_tracking(code)
            if case is None or not owner.matches(case, secret):
                raise Http404
            response = view(request, case, secret)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _mine_page(request, case, secret, rating_form=None, note_form=None, status=200):
    context = _track_context(case)
    context.update(
        secret=secret,
        private_url=request.build_absolute_uri(owner.path(case, secret)),
        rating_form=rating_form or (RatingForm() if case.can_be_rated else None),
        note_form=note_form or (ResidentNoteForm() if case.takes_resident_notes else None),
    )
    return render(request, "feedback/mine.html", context, status=status)


@require_safe
@_private
def mine(request, case, secret):
    return _mine_page(request, case, secret)


@require_POST
@_private
def mine_rate(request, case, secret):
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _mine_page(request, case, secret, rating_form=form, status=400)
    try:
        workflow.rate(case, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except CaseError as exc:
        form.add_error(None, exc.message)
        return _mine_page(request, case, secret, rating_form=form, status=409)
    if case.status == Case.Status.REOPENED:
        messages.info(request, _("收到您的意见，诉求已重新交给社区办理。"))
    else:
        messages.success(request, _("谢谢您的评价！"))
    return redirect(owner.path(case, secret))


@require_POST
@_private
def mine_note(request, case, secret):
    form = ResidentNoteForm(request.POST)
    if not form.is_valid():
        return _mine_page(request, case, secret, note_form=form, status=400)
    if not ratelimit.allow(request, "resident_note", case=case.pk):
        form.add_error(None, ratelimit.MESSAGE)
        return _mine_page(request, case, secret, note_form=form, status=429)
    try:
        workflow.resident_note(case, form.cleaned_data["note"])
    except CaseError as exc:
        form.add_error(None, exc.message)
        return _mine_page(request, case, secret, note_form=form, status=409)
    targeted.success(request, _("已补充，社区工作人员会看到。"), "fb-note")
    return targeted.redirect_to(owner.path(case, secret), "fb-note")


def _metoo_ids(request):
    raw = request.get_signed_cookie(METOO_COOKIE, default="", salt=METOO_SALT)
    return {int(x) for x in raw.split(",") if x.isdigit()}


@require_POST
def metoo(request, code):
    case = get_object_or_404(Case.objects.published().open(), code=code.strip().upper())
    done = _metoo_ids(request)
    # The answer is drawn in the case's own card on the board, where the button was.
    target = f"case-{case.code}"
    if case.pk in done:
        targeted.info(request, _("您已经附议过这条诉求了。"), target)
        return targeted.redirect_to("feedback:board", target)
    if not ratelimit.allow(request, "metoo", case=ratelimit.per_address(request, case.pk)):
        return _refused(request, _("操作太频繁"), _("附议次数过多，请稍后再试。"), 429)
    workflow.metoo(case)
    targeted.success(request, _("已附议。谢谢您告诉我们这件事也影响到您。"), target)
    response = targeted.redirect_to("feedback:board", target)
    done.add(case.pk)
    response.set_signed_cookie(
        METOO_COOKIE,
        ",".join(str(i) for i in sorted(done)[-200:]),
        salt=METOO_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def board(request):
    filter_form = StreetFilterForm(request.GET or None)
    street = filter_form.cleaned_data.get("street") if filter_form.is_valid() else None
    published = Case.objects.published().with_public_relations()
    if street:
        published = published.filter(community__street=street)
    solved = (
        published.solved()
        .prefetch_related(Prefetch("photos", queryset=CasePhoto.objects.order_by("role", "order", "pk")))
        .order_by("-resolved_at", "-created_at")
    )

    def cases():
        page = Paginator(solved, 12).get_page(request.GET.get("page"))
        return {"page_obj": page, "solved": page.object_list}

    def figures_and_charts():
        data = figures.cached(street=street)
        return {
            "figures": data,
            "street_chart": charts.rate_bars(data["by_street"], _("各街道“三率”")),
            "month_chart": charts.month_columns(data["by_month"], _("每月诉求数与办结数")),
            "department_chart": charts.rate_bars(data["by_department"], _("各部门“三率”")),
        }

    # The page is drawn in fragments (core/fragments.py): what a kept fragment shows is never read
    # from the database or the cache, and what a drawn one shows is read once.
    metoo_done = _metoo_ids(request)
    return render(
        request,
        "feedback/board.html",
        {
            "filter_form": filter_form,
            "street": street,
            "open_cases": published.open().order_by("-metoo_count", "-created_at")[:10],
            "metoo_done": metoo_done,
            "metoo_key": ",".join(map(str, sorted(metoo_done))),
            **fragments.lazy(cases, ("page_obj", "solved")),
            **fragments.lazy(figures_and_charts, ("figures", "street_chart", "month_chart", "department_chart")),
            "min_cases": conf.min_cases_for_rate,
        },
    )


@staff_member_required
def figures_csv(request):
    data = figures.compute()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback-figures.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese correctly
    writer = csv.writer(response)
    writer.writerow(
        [_("维度"), _("名称"), _("诉求数"), _("响应率"), _("解决率"), _("满意率"), _("超期任务"), _("办结中位天数")]
    )
    for dimension, key in (
        (_("街道"), "by_street"),
        (_("社区"), "by_community"),
        (_("部门"), "by_department"),
        (_("月份"), "by_month"),
    ):
        for row in data[key]:
            writer.writerow(
                [
                    dimension,
                    row.name,
                    row.total,
                    _pct(row.response_rate),
                    _pct(row.resolution_rate),
                    _pct(row.satisfaction_rate),
                    row.overdue,
                    "" if row.median_days is None else f"{row.median_days:.1f}",
                ]
            )
    return response


def _pct(rate):
    return "" if rate is None else f"{rate * 100:.1f}%"


def _my_case(view):
    """我的事项's actions on a case: only a case reported with the phone this session verified."""

    @functools.wraps(view)
    def wrapped(request, code):
        phone = signed_in_phone(request)
        if phone is None:
            messages.error(request, _("为保护您的信息，请重新验证手机号。"))
            return redirect("my_things")
        case = get_object_or_404(Case, code=code, contact_phone=phone)
        view(request, case)
        return redirect("my_things")  # the message heads the page, in view

    return wrapped


def _form_problem(form):
    return next(iter(e for errors in form.errors.values() for e in errors), _("请按提示修改后再提交。"))


@require_POST
@_my_case
def my_rate(request, case):
    form = RatingForm(request.POST, prefix=f"r{case.pk}")
    if not form.is_valid():
        messages.error(request, _("评价没有提交：%(problem)s") % {"problem": _form_problem(form)})
        return
    try:
        workflow.rate(case, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        if case.status == Case.Status.REOPENED:
            messages.info(request, _("收到您的意见，诉求已重新交给社区办理。"))
        else:
            messages.success(request, _("谢谢您的评价！"))


@require_POST
@_my_case
def my_note(request, case):
    form = ResidentNoteForm(request.POST, prefix=f"n{case.pk}")
    if not form.is_valid():
        messages.error(request, _("补充情况没有提交：%(problem)s") % {"problem": _form_problem(form)})
        return
    if not ratelimit.allow(request, "resident_note", case=case.pk):
        messages.error(request, ratelimit.MESSAGE)
        return
    try:
        workflow.resident_note(case, form.cleaned_data["note"])
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已补充，社区工作人员会看到。"))
