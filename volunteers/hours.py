"""Attendance and the hours ledger. Entries are only ever added, never edited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from volunteers.models import HomeVisit, HoursEntry, Signup
from volunteers.signup import SignupError


def _team_for(signup):
    if signup.role.team_id:
        return signup.role.team
    return signup.volunteer.teams.filter(community=signup.role.day.community_id).first()


def mark_attended(signups, by):
    """Mark the signups attended and credit the role's hours once each. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        rows = (
            Signup.objects.select_for_update(of=("self",))
            .filter(pk__in=[s.pk for s in signups], status__in=[Signup.Status.CONFIRMED, Signup.Status.NO_SHOW])
            .select_related("role__day", "role__team", "volunteer")
        )
        for signup in rows:
            signup.status = Signup.Status.ATTENDED
            signup.save(update_fields=["status", "updated_at"])
            if not HoursEntry.objects.filter(signup=signup, kind=HoursEntry.Kind.ATTENDANCE).exists():
                HoursEntry.objects.create(
                    volunteer=signup.volunteer,
                    kind=HoursEntry.Kind.ATTENDANCE,
                    hours=signup.role.hours,
                    date=signup.role.day.date,
                    note=f"{signup.role.day.title} · {signup.role.title}",
                    team=_team_for(signup),
                    community=signup.role.day.community,
                    signup=signup,
                    entered_by=by,
                )
            changed += 1
    return changed


def mark_no_show(signups, by):
    """Only confirmed signups without hours can be marked no-show (hours are corrected by new entries)."""
    return (
        Signup.objects.filter(pk__in=[s.pk for s in signups], status=Signup.Status.CONFIRMED)
        .exclude(hours_entries__isnull=False)
        .update(status=Signup.Status.NO_SHOW, updated_at=timezone.now())
    )


def accept_visit(visit, team):
    if not team.makes_home_visits:
        raise SignupError(_("“%(team)s”不提供上门服务。") % {"team": team.name})
    if visit.status != HomeVisit.Status.REQUESTED:
        raise SignupError(_("这条上门服务已经是“%(s)s”状态。") % {"s": visit.get_status_display()})
    visit.team = team
    visit.status = HomeVisit.Status.ACCEPTED
    visit.accepted_at = timezone.now()
    visit.save(update_fields=["team", "status", "accepted_at"])


def complete_visit(visit, by):
    """Mark an accepted visit done and credit each volunteer who went."""
    if visit.status == HomeVisit.Status.DONE:
        raise SignupError(_("这条上门服务已经完成。"))
    if not visit.team_id or not visit.hours or not visit.volunteers.exists():
        raise SignupError(_("请先填写接单服务队、上门志愿者和每人时长，再标记完成。"))
    with transaction.atomic():
        visit.status = HomeVisit.Status.DONE
        visit.done_at = timezone.now()
        visit.visited_on = visit.visited_on or timezone.localdate()
        visit.save(update_fields=["status", "done_at", "visited_on"])
        for volunteer in visit.volunteers.all():
            HoursEntry.objects.create(
                volunteer=volunteer,
                kind=HoursEntry.Kind.HOME_VISIT,
                hours=visit.hours,
                date=visit.visited_on,
                note=_("上门服务：%(need)s") % {"need": visit.need[:40]},
                team=visit.team,
                community=visit.community,
                home_visit=visit,
                entered_by=by,
            )


def cancel_visit(visit_id):
    """The resident withdraws a request (from 我的事项) while no team has taken it; once taken, the
    team has planned the visit and the resident is asked to call the community instead."""
    with transaction.atomic():
        visit = HomeVisit.objects.select_for_update().get(pk=visit_id)
        if visit.status == HomeVisit.Status.CANCELLED:
            raise SignupError(_("这条上门服务申请已经取消了。"))
        if visit.status != HomeVisit.Status.REQUESTED:
            state = visit.get_status_display()
            raise SignupError(_("这条上门服务已经是“%(s)s”状态，如需取消或改时间，请直接打电话给社区。") % {"s": state})
        visit.status = HomeVisit.Status.CANCELLED
        visit.save(update_fields=["status"])
    return visit
