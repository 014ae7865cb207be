"""Sign-up rules for volunteers on a service day's roles.

Places on a role are guarded by the shared capacity mechanism in ``core.capacity`` (read
its contract): the Role row is locked while a sign-up counts and takes a seat, and the
database refuses a second signup on the same seat (``signup_unique_seat``). Resident
bookings (``events.booking``) use the same mechanism on a ServiceOffering.

Who may sign up for what is one function, ``refusal(role, standing)``: ``sign_up`` raises its
message, and the service-day page shows the same message in place of the button.

Waiting lists are ordered by ``number`` (the order of arrival under the lock).
Emails go out only after the transaction commits (``transaction.on_commit``).
"""

from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# Imported by name so tests can slow or bypass one step (tests/volunteers/test_concurrency.py).
from core.capacity import allocate, capacity_lock, fill_free_seats
from volunteers.models import Role, Signup, Volunteer


class SignupError(Exception):
    """A refusal with a message for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def email_after_commit(subject, body, recipient):
    if not recipient:
        return
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=True)
    )


class Refusal(NamedTuple):
    """Why a volunteer may not sign up for a role: ``reason`` for templates, ``message`` for the person."""

    reason: str
    message: str


class Standing:
    """What the rules need to know about one volunteer on one date: their sign-ups of that date (any
    status), their teams and their skills. Loaded once, in at most three queries, whether for one role
    (``sign_up``, under the lock) or for every role of a service-day page (``volunteers.blocks``), so
    the page says "you cannot" before the button with the same words the refusal would use.
    ``volunteer`` may be None: a signed-in person without a volunteer profile yet (no teams, no skills).
    """

    def __init__(self, volunteer=None, signups=(), team_ids=(), skill_ids=()):
        self.volunteer = volunteer
        self.signups = list(signups)
        self.team_ids = set(team_ids)
        self.skill_ids = set(skill_ids)

    @classmethod
    def load(cls, volunteer, date, roles):
        """``roles``: the roles about to be asked about (teams and skills are read only if one needs them)."""
        if volunteer is None:
            return cls()
        signups = Signup.objects.filter(volunteer=volunteer, role__day__date=date).select_related("role__day")
        teams = volunteer.teams.values_list("pk", flat=True) if any(r.team_id for r in roles) else ()
        skills = volunteer.skills.values_list("pk", flat=True) if any(r.skill_id for r in roles) else ()
        return cls(volunteer, signups, teams, skills)

    def signup_for(self, role):
        return next((s for s in self.signups if s.role_id == role.pk), None)

    def active_elsewhere(self):
        return [s for s in self.signups if s.status in (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED)]


def refusal(role, standing):
    """The first rule that refuses ``standing``'s volunteer on ``role``, or None. Asks no queries
    beyond ``role.day``, ``role.team`` and ``role.skill`` (select them with the role)."""
    day = role.day
    mine = standing.signup_for(role)
    if mine is not None and mine.status != Signup.Status.CANCELLED:
        return Refusal("already", _("您已经报名了这个岗位（%(status)s）。") % {"status": mine.get_status_display()})
    if day.is_cancelled:
        reason = f" {day.cancel_reason}" if day.cancel_reason else ""
        return Refusal("cancelled", _("这个服务日已取消，不能报名。") + reason)
    if not day.is_open:
        return Refusal("closed", _("这个服务日已经开始或结束，不能再报名了。"))
    if standing.volunteer is not None and standing.volunteer.anonymised:
        return Refusal("anonymised", _("该志愿者账号已注销。"))
    if role.team_id and role.team_id not in standing.team_ids:
        return Refusal("team", _("这个岗位只限“%(team)s”队员报名。") % {"team": role.team.name})
    if role.skill_id and role.skill_id not in standing.skill_ids:
        return Refusal(
            "skill",
            _("这个岗位需要“%(skill)s”技能，请先在个人资料里登记该技能，或选择其他岗位。") % {"skill": role.skill.name},
        )
    for other in standing.active_elsewhere():
        if other.role_id != role.pk and role.overlaps(other.role):
            return Refusal(
                "clash",
                _("时间冲突：您已报名同一天 %(start)s–%(end)s 的“%(title)s”（%(day)s），不能同时报这个岗位。")
                % {
                    "start": other.role.starts.strftime("%H:%M"),
                    "end": other.role.ends.strftime("%H:%M"),
                    "title": other.role.title,
                    "day": other.role.day.title,
                },
            )
    return None


def sign_up(role_id, volunteer, by=None):
    """Confirm ``volunteer`` on the role, or put them on its waiting list. Returns the Signup."""
    by = by or volunteer.user
    try:
        with capacity_lock(Role, role_id) as role:
            role = Role.objects.select_related("day", "team", "skill").get(pk=role.pk)
            standing = Standing.load(volunteer, role.day.date, [role])
            refused = refusal(role, standing)
            if refused is not None:
                raise SignupError(refused.message)
            existing = standing.signup_for(role)
            seat, number = allocate(Signup.objects.filter(role=role), role.places)
            status = Signup.Status.CONFIRMED if seat else Signup.Status.WAITLISTED
            signup = existing or Signup(role=role, volunteer=volunteer)
            signup.status, signup.seat, signup.number = status, seat, number
            signup.signed_up_by = by
            signup.cancelled_at = signup.promoted_at = signup.reminded_at = None
            signup.save()
            return signup
    except IntegrityError:
        # Only reachable when two requests of the same volunteer race; the
        # constraint has kept the data right, the person gets a plain answer.
        raise SignupError(_("您已经报名了这个岗位。")) from None


def sign_up_member(role_id, leader_user, member):
    """A team leader signs up a member of their team."""
    if not member.teams.filter(leader__user=leader_user).exists():
        raise SignupError(_("只能为自己担任队长的服务队队员报名。"))
    return sign_up(role_id, member, by=leader_user)


def cancel(signup_id, volunteer):
    """The volunteer cancels before the day's cut-off; the first waitlisted volunteer moves up."""
    signup = Signup.objects.select_related("role").get(pk=signup_id, volunteer=volunteer)
    with capacity_lock(Role, signup.role_id) as role:
        signup = Signup.objects.select_related("role__day").get(pk=signup.pk)
        role = signup.role
        if signup.status not in (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED):
            raise SignupError(_("这条报名已经是“%(status)s”状态，不能取消。") % {"status": signup.get_status_display()})
        if not role.day.can_cancel_now():
            raise SignupError(
                _("已过取消截止时间（%(cutoff)s），如不能到场请直接联系社区。")
                % {"cutoff": timezone.localtime(role.day.cutoff_at).strftime("%m-%d %H:%M")}
            )
        signup.status = Signup.Status.CANCELLED
        signup.seat = None
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["status", "seat", "cancelled_at", "updated_at"])
        for promoted in fill_free_seats(Signup.objects.filter(role=role), role.places, Signup.Status.CONFIRMED):
            notify_promoted(promoted)
        return signup


def promote_waiting(role_id):
    """Fill free places from the waiting list (after staff raised the places). Returns how many moved up."""
    with capacity_lock(Role, role_id) as role:
        if role.day.is_cancelled:
            return 0
        promoted = fill_free_seats(Signup.objects.filter(role=role), role.places, Signup.Status.CONFIRMED)
        for signup in promoted:
            notify_promoted(signup)
        return len(promoted)


def notify_promoted(signup):
    signup = Signup.objects.select_related("volunteer__user", "role__day").get(pk=signup.pk)
    user = signup.volunteer.user
    day = signup.role.day
    body = _(
        "%(name)s，您好：\n\n有志愿者取消了报名，您已从候补转为正式报名：\n%(day)s %(date)s %(start)s–%(end)s\n"
        "岗位：%(role)s\n地点：%(place)s\n\n查看我的报名：%(url)s\n"
    ) % {
        "name": signup.volunteer.real_name,
        "day": day.title,
        "date": day.date.strftime("%Y-%m-%d"),
        "start": signup.role.starts.strftime("%H:%M"),
        "end": signup.role.ends.strftime("%H:%M"),
        "role": signup.role.title,
        "place": day.place,
        "url": settings.SITE_URL + "/volunteers/me/",
    }
    email_after_commit(_("候补成功：%(role)s") % {"role": signup.role.title}, body, user.email if user else "")


def notify_day_cancelled(day):
    """Tell everyone who signed up (volunteers with an email) that the day is cancelled."""
    signups = Signup.objects.active().filter(role__day=day).select_related("volunteer__user", "role")
    for signup in signups:
        user = signup.volunteer.user
        body = _("%(name)s，您好：\n\n您报名的“%(day)s”（%(date)s）已取消。原因：%(reason)s\n") % {
            "name": signup.volunteer.real_name,
            "day": day.title,
            "date": day.date.strftime("%Y-%m-%d"),
            "reason": day.cancel_reason or _("未说明"),
        }
        email_after_commit(_("服务日取消：%(day)s") % {"day": day.title}, body, user.email if user else "")


def volunteer_for(user):
    """The user's volunteer profile, created on first need."""
    volunteer = getattr(user, "volunteer", None)
    if volunteer is None:
        volunteer, _created = Volunteer.objects.get_or_create(
            user=user, defaults={"real_name": user.get_full_name() or user.first_name or user.username}
        )
    return volunteer
