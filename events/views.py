import calendar
import datetime

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from communities.models import Community, Street
from core import fragments, mine, ratelimit, targeted
from core.blocks import collect
from core.params import id_or_none
from events import ics, remembered
from events.booking import BookingError, book, book_many, cancel_booking, submission_for
from events.forms import BookingForm, MultiBookingForm
from events.models import ResidentBooking, ServiceDay, ServiceOffering


def _month(request, next_day=None):
    """The month asked for; without one, the month of the next service day (this month when
    its days are all past, the calendar would open on an empty grid), else this month."""
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw[:7].split("-"))
        if not 1900 <= year <= 2999:  # the calendar also shows the month before and after
            raise ValueError
        return datetime.date(year, month, 1)
    except ValueError:
        return (next_day.date if next_day else timezone.localdate()).replace(day=1)


def _shift(first, months):
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _first_upcoming(page, upcoming):
    """The next service day: the agenda's first page already starts with it; other pages ask once."""
    if page.number != 1:
        return upcoming.first()
    return page.object_list[0] if page.object_list else None


class DayListView(ListView):
    template_name = "events/list.html"
    context_object_name = "days"
    paginate_by = 10

    def get_filters(self):
        street = self.request.GET.get("street", "")
        community = self.request.GET.get("community", "")
        q = Q()
        if street:
            q &= Q(community__street__slug=street)
        if id_or_none(community) is not None:
            q &= Q(community_id=id_or_none(community))
        return q, street, community

    def get_queryset(self):
        q, _street, _community = self.get_filters()
        return ServiceDay.objects.upcoming().for_list().filter(q)

    # Everything the page shows is drawn in a fragment (core/fragments.py): read only on a miss.
    CONTEXT = (
        *("paginator", "page_obj", "is_paginated", "object_list", "days", "streets", "street", "community"),
        *("month", "prev_month", "next_month", "weeks", "month_days", "next_day", "weekdays", "today"),
    )

    def get_context_data(self, **kwargs):
        return {"view": self, **kwargs, **fragments.lazy(self.month_context, self.CONTEXT)}

    def month_context(self):
        context = super().get_context_data()
        q, street, community = self.get_filters()
        next_day = _first_upcoming(context["page_obj"], self.object_list)
        first = _month(self.request, next_day)
        last = _shift(first, 1) - datetime.timedelta(days=1)
        in_month = {}
        for day in (
            ServiceDay.objects.visible().filter(q, date__range=(first, last)).select_related("community__street")
        ):
            in_month.setdefault(day.date, []).append(day)
        weeks = [
            [(d, in_month.get(d, [])) if d.month == first.month else (None, []) for d in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        # The same month as a list, for phones: the grid does not fit 390 px.
        month_days = [day for date in sorted(in_month) for day in in_month[date]]
        context.update(
            streets=Street.objects.prefetch_related(
                Prefetch("communities", queryset=Community.objects.order_by("sort_order", "name"))
            ),
            street=street,
            community=community,
            month=first,
            prev_month=_shift(first, -1),
            next_month=_shift(first, 1),
            weeks=weeks,
            month_days=month_days,
            next_day=next_day,
            weekdays=[_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            today=timezone.localdate(),
        )
        return context


def _day_queryset():
    return ServiceDay.objects.visible().select_related("community__street")


def day_context(request, day, forms=None, many_form=None):
    forms = forms or {}
    booked_here = remembered.bookings_on(request, day)

    def services():
        offerings = list(
            ServiceOffering.objects.filter(day=day)
            .select_related("service_type", "partner_unit")
            .annotate(taken=Count("bookings", filter=Q(bookings__seat__isnull=False)))
        )
        for offering in offerings:
            offering.places_left = max((offering.resident_places or 0) - offering.taken, 0)
            offering.my_booking = booked_here.get(offering.pk)
            offering.form = forms.get(offering.pk) or (BookingForm(offering=offering) if offering.bookable else None)
        bookable = [offering for offering in offerings if offering.bookable]
        form = many_form
        if form is None and day.is_open and len(bookable) > 1:  # one service: its own form is the form
            form = MultiBookingForm(offerings=bookable)
        return {"offerings": offerings, "many_form": form}

    # The services are drawn in a fragment (core/fragments.py) that varies with this browser's own
    # bookings on the day: read only on a miss. The apps above events add their parts of the day
    # (volunteers: the roles to sign up for).
    return {
        "day": day,
        **fragments.lazy(services, ("offerings", "many_form")),
        "booked_key": ",".join(f"{pk}:{b.pk}:{b.status}" for pk, b in sorted(booked_here.items())),
        "blocks": collect("service_day_block", request, day),
    }


class DayDetailView(DetailView):
    template_name = "events/detail.html"
    context_object_name = "day"

    def get_queryset(self):
        return _day_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(day_context(self.request, self.object))
        return context


@require_GET
def day_ics(request, pk):
    day = get_object_or_404(_day_queryset(), pk=pk)
    return ics.response(ics.day_calendar(day), f"serviceday-{day.pk}.ics")


@require_GET
def community_ics(request, pk):
    community = get_object_or_404(Community, pk=pk)
    days = ServiceDay.objects.visible().filter(
        community=community, date__gte=timezone.localdate() - datetime.timedelta(days=90)
    )
    days = days.select_related("community")
    return ics.response(
        ics.days_calendar(_("%(community)s便民服务日") % {"community": community.name}, days),
        f"community-{community.pk}.ics",
    )


@require_POST
def book_view(request, pk):
    offering = get_object_or_404(ServiceOffering.objects.select_related("day").filter(day__in=_day_queryset()), pk=pk)
    form = BookingForm(request.POST, offering=offering)
    status = 400
    # Every answer is drawn in the service's own row: bad input in the form's error summary, a
    # refusal above the form (core/targeted.py). The form posts to ".../book/#msg-offering-N", so
    # the page that answers opens on that message.
    valid = form.is_valid()
    if valid and not ratelimit.allow(
        request, "booking", form.cleaned_data["submission"], phone=form.cleaned_data["phone"]
    ):
        form.add_error(None, ratelimit.MESSAGE)
        status = 429
    elif valid:
        try:
            booking = book(
                offering.pk, form.cleaned_data["name"], form.cleaned_data["phone"], form.cleaned_data["submission"]
            )
        except BookingError as exc:
            targeted.error(request, exc.message, f"offering-{offering.pk}")
        else:
            return remembered.remember(request, redirect(booking), booking)
    day = _day_queryset().get(pk=offering.day_id)
    context = day_context(request, day, forms={offering.pk: form})
    return render(request, "events/detail.html", context, status=status if form.errors else 200)


@require_POST
def book_many_view(request, pk):
    """Several services of one day in one form; each is booked, waitlisted or refused on its own."""
    day = get_object_or_404(_day_queryset(), pk=pk)
    bookable = list(
        ServiceOffering.objects.filter(day=day, resident_places__isnull=False)
        .select_related("service_type")
        .order_by("sort_order", "pk")
        .annotate(taken=Count("bookings", filter=Q(bookings__seat__isnull=False)))
    )
    for offering in bookable:
        offering.places_left = max(offering.resident_places - offering.taken, 0)
    form = MultiBookingForm(request.POST, offerings=bookable)
    status = 400
    if form.is_valid() and not ratelimit.allow(
        request, "booking", form.cleaned_data["submission"], phone=form.cleaned_data["phone"]
    ):
        form.add_error(None, ratelimit.MESSAGE)
        status = 429
    elif form.is_valid():
        data = form.cleaned_data
        ids = [offering.pk for offering in bookable if offering.pk in data["offerings"]]  # in the page's order
        results = book_many(ids, data["name"], data["phone"], data["submission"])
        names = {offering.pk: offering.service_type.name for offering in bookable}
        refusals = [
            _("“%(service)s”没有预约上：%(reason)s") % {"service": names[offering_id], "reason": refusal}
            for offering_id, _booking, refusal in results
            if refusal
        ]
        booked = [booking for _id, booking, _refusal in results if booking]
        if booked:
            for refusal in refusals:  # the others are booked: the refusals go with them to the next page
                messages.error(request, refusal)
            return remembered.remember(request, redirect("events:booked_many", day.pk, data["submission"]), *booked)
        for refusal in refusals:  # nothing booked: the form again, with what was typed
            form.add_error(None, refusal)
        status = 409
    context = day_context(request, day, many_form=form)
    return render(request, "events/detail.html", context, status=status)


@require_GET
def booked_many_view(request, pk, submission):
    """What one multi-service form brought: each booking with its number (the form's number is the key)."""
    day = get_object_or_404(_day_queryset(), pk=pk)
    offering_ids = list(ServiceOffering.objects.filter(day=day).values_list("pk", flat=True))
    wanted = [submission_for(submission, offering_id) for offering_id in offering_ids]
    bookings = list(
        ResidentBooking.objects.filter(submission__in=wanted, offering__day=day).select_related(
            "offering__service_type"
        )
    )
    if not bookings:
        raise Http404
    return render(request, "events/booked_many.html", {"day": day, "bookings": bookings})


@require_http_methods(["GET", "POST"])
def booking_view(request, token):
    booking = get_object_or_404(
        ResidentBooking.objects.select_related("offering__day__community", "offering__service_type"), token=token
    )
    if request.method == "POST":
        try:
            cancel_booking(booking.token)
        except BookingError as exc:
            targeted.error(request, exc.message, "booking-cancel")
            return targeted.redirect_to(booking, "booking-cancel")
        else:
            messages.success(request, _("预约已取消，名额已让给排队的居民。"))
        return redirect(booking)
    return render(request, "events/booking.html", {"booking": booking, "day": booking.offering.day})


@require_POST
def my_cancel(request, pk):
    """Cancel from 我的事项: only a booking of the phone this session verified (another's is a 404)."""
    phone = mine.signed_in_phone(request)
    if phone is None:
        messages.error(request, _("为保护您的信息，请重新验证手机号。"))
        return redirect("my_things")
    booking = get_object_or_404(ResidentBooking.objects.select_related("offering__service_type"), pk=pk, phone=phone)
    try:
        cancel_booking(booking.token)
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已取消“%(service)s”的预约，名额已让给排队的居民。") % {"service": booking.offering.service_type}
        )
    return redirect("my_things")  # the message heads the page, in view (an anchor would scroll past it)
