"""Who may do what: every role against every admin model and every guarded public action.

The tables below ARE the access policy; review them as such. A model newly registered in
the admin fails ``test_every_admin_model_is_in_the_matrix`` until it has a row here.

Places: community A is 四环社区 (什刹海街道). "B" is 西海社区, the same street. The object
"outside" A belongs to 椿树园社区 (椿树街道), which none of the staff below covers.

Roles: anonymous visitor; a volunteer (logged in, not staff); the community worker of A;
the community worker of B; the street editor of 什刹海; an officer of 什刹海房管所 (the
department A's case was dispatched to); the district administrator.
"""

import uuid
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from communities.models import District, StaffScope
from events.models import RecurringSchedule
from feedback import workflow
from feedback.intake import submit_case
from feedback.models import ApiClient, Case, Category
from news import preview
from news.models import Story
from tests import factories
from tests.events import factories as ef
from tests.news import factories as nf
from volunteers.models import HomeVisit, HoursEntry

ROLES = ["anon", "volunteer", "worker_A", "worker_B", "editor", "officer", "admin"]

# Each admin cell is four letters: the changelist · the add page · the change page of A's
# object · the change page of the object outside A.
#   L  302 to the login page          -  403 forbidden
#   y  200 (list or add form)         e  200, change form with a save button
#   v  200, read only                 h  302 back to the admin index: "no such object" for you
ADMIN_MATRIX = """
model                      anon  volunteer  worker_A  worker_B  editor  officer  admin
auth.group                 LLLL  LLLL       ----      ----      ----    ----     yyee
auth.user                  LLLL  LLLL       ----      ----      ----    ----     yyee
axes.accessattempt         LLLL  LLLL       ----      ----      ----    ----     y-ee
axes.accesslog             LLLL  LLLL       ----      ----      ----    ----     y-ee
axes.accessfailurelog      LLLL  LLLL       ----      ----      ----    ----     y-ee
communities.district       LLLL  LLLL       ----      ----      ----    ----     yyee
communities.street         LLLL  LLLL       y-vh      y-vh      y-vh    y-hh     yyee
communities.community      LLLL  LLLL       y-eh      y-hh      y-eh    y-hh     yyee
communities.partnerunit    LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
communities.department     LLLL  LLLL       y-vv      y-vv      y-vv    ----     yyee
communities.staffscope     LLLL  LLLL       ----      ----      ----    ----     yyee
news.story                 LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
news.storysection          LLLL  LLLL       y-eh      y-hh      y-eh    ----     y-ee
news.photo                 LLLL  LLLL       y-eh      y-hh      y-eh    ----     y-ee
news.tag                   LLLL  LLLL       y-vv      y-vv      yyee    ----     yyee
news.column                LLLL  LLLL       y-vv      y-vv      y-vv    ----     yyee
news.columnissue           LLLL  LLLL       y-vv      y-vv      yyee    ----     yyee
events.servicetype         LLLL  LLLL       y-vv      y-vv      y-vv    ----     yyee
events.serviceday          LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
events.recurringschedule   LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
events.residentbooking     LLLL  LLLL       y-vh      y-hh      y-vh    ----     y-vv
volunteers.skill           LLLL  LLLL       y-vv      y-vv      y-vv    ----     yyee
volunteers.volunteer       LLLL  LLLL       y-vh      y-hh      y-vh    ----     yyee
volunteers.team            LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
volunteers.signup          LLLL  LLLL       y-eh      y-hh      y-eh    ----     y-ee
volunteers.hoursentry      LLLL  LLLL       yyvh      yyhh      yyvh    ----     yyvv
volunteers.homevisit       LLLL  LLLL       yyeh      yyhh      yyeh    ----     yyee
feedback.category          LLLL  LLLL       y-vv      y-vv      y-vv    y-vv     yyee
feedback.case              LLLL  LLLL       y-eh      y-hh      y-eh    y-vh     y-ee
feedback.dispatchtask      LLLL  LLLL       y-vh      y-hh      y-vh    y-eh     y-ee
feedback.apiclient         LLLL  LLLL       ----      ----      ----    ----     yyee
django_tasks_database.dbtaskresult LLLL LLLL ---- ---- ---- ---- y-vv
"""

# Public actions: the outcome for each role.
#   200, 403, 404 the status · login: 302 to a login page · redirect: 302 elsewhere
#   done: the admin move went through (a timeline entry was added)
#   empty: 200, but the export left the object out (the selection is narrowed to the scope)
ACTION_MATRIX = """
action                                        anon      volunteer  worker_A  worker_B  editor    officer   admin
sign_up_for_a_role                            login     redirect   redirect  redirect  redirect  redirect  redirect
cancel_someone_elses_signup                   login     404        404       404       404       404       404
sign_up_a_member_of_a_team_I_do_not_lead      login     404        404       404       404       404       404
accept_a_home_visit_for_a_team_I_do_not_lead  login     404        404       404       404       404       404
my_volunteer_page                             login     200        200       200       200       200       200
track_a_case_with_its_code                    200       200        200       200       200       200       200
rate_a_case_with_a_guessed_code               404       404        404       404       404       404       404
rate_a_case_on_its_public_page                404       404        404       404       404       404       404
rate_a_case_with_a_guessed_private_link       404       404        404       404       404       404       404
add_information_with_the_private_link         redirect  redirect   redirect  redirect  redirect  redirect  redirect
feedback_figures_csv                          login     login      200       200       200       200       200
a_draft_story_by_its_address                  404       404        404       404       404       404       404
a_draft_by_its_preview_link                   200       200        200       200       200       200       200
a_tampered_preview_link                       404       404        404       404       404       404       404
a_booking_by_its_link                         200       200        200       200       200       200       200
a_booking_by_a_guessed_link                   404       404        404       404       404       404       404
admin_index                                   login     login      200       200       200       200       200
admin_preview_of_As_draft                     login     login      200       404       200       404       200
admin_note_on_As_case                         login     login      done      404       done      403       done
admin_note_on_a_case_outside                  login     login      404       404       404       404       done
admin_export_As_cases                         login     login      200       empty     200       200       200
admin_export_As_team_signups                  login     login      200       empty     200       403       200
"""


def parse(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[1:] == ROLES
    return {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in rows}


def fmt(rows, first):
    width = max(len(first), *(len(k) for k in rows)) + 2
    lines = [first.ljust(width) + "  ".join(r.ljust(9) for r in ROLES)]
    lines += [k.ljust(width) + "  ".join(v[r].ljust(9) for r in ROLES) for k, v in rows.items()]
    return "\n".join(line.rstrip() for line in lines)


# --- the estate ------------------------------------------------------------------------------------


def dispatched_case(community, category, actor, department, place):
    case, _ = submit_case(
        community=community,
        category=category,
        place=place,
        description="楼道灯坏了好几天，晚上很黑。",
        token=uuid.uuid4(),
    )
    workflow.accept(case, by=actor)
    workflow.dispatch(Case.objects.get(pk=case.pk), department, [], by=actor)
    dispatched = Case.objects.get(pk=case.pk)
    dispatched.owner_secret = case.owner_secret  # the resident's private link
    return dispatched


def axes_row(model, username):
    return model.objects.create(
        user_agent="ua",
        ip_address="10.0.0.1",
        username=username,
        http_accept="*/*",
        path_info="/admin/login/",
        **({"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}),
    )


@pytest.fixture
def estate(
    places, admin_user, worker_sihuan, worker_xihai, editor_shichahai, fangguan, officer_fangguan, _fast_passwords
):
    A, outside = places["sihuan"], places["chunshuyuan"]
    chunshu_dept = factories.department("椿树街道城管办", places["chunshu"], kind="city")
    category = Category.objects.create(name="路面破损", slug="road", sort_order=10)
    case_A = dispatched_case(A, category, admin_user, fangguan, "四环胡同28号院")
    case_out = dispatched_case(outside, category, admin_user, chunshu_dept, "椿树园1号楼")
    day_A, day_out = ef.day(A, title="四环服务日"), ef.day(outside, title="椿树园服务日")
    role_A, role_out = ef.role(day_A), ef.role(day_out)
    offering_A, offering_out = ef.offering(day_A, places=5), ef.offering(day_out, places=5)
    from events.booking import book

    booking_A = book(offering_A.pk, "张大爷", "13900001111", uuid.uuid4())
    booking_out = book(offering_out.pk, "李大妈", "13900002222", uuid.uuid4())
    vol_A = ef.volunteer("vol-a", real_name="四环志愿者", community=A)
    vol_out = ef.volunteer("vol-out", real_name="椿树园志愿者", community=outside)
    volunteer = ef.volunteer("volunteer-wang", real_name="王志愿", community=A)
    member = ef.volunteer("member-zhao", real_name="赵队员", community=A)
    team_A = ef.team(A, name="四环服务队", slug="sihuan-team", leader=vol_A, makes_home_visits=True)
    team_out = ef.team(outside, name="椿树园服务队", slug="chunshuyuan-team", leader=vol_out)
    team_A.members.add(vol_A, member)
    signup_A, signup_out = ef.confirmed(role_A, member), ef.confirmed(role_out, vol_out)
    hours_A = HoursEntry.objects.create(volunteer=vol_A, hours=Decimal("2.0"), community=A, note="更正")
    hours_out = HoursEntry.objects.create(volunteer=vol_out, hours=Decimal("2.0"), community=outside, note="更正")
    visit_A = HomeVisit.objects.create(
        community=A, resident_name="刘奶奶", phone="13600001111", address="四环胡同3号", need="理发"
    )
    visit_out = HomeVisit.objects.create(
        community=outside, resident_name="陈爷爷", phone="13600002222", address="椿树园2号", need="理发"
    )
    schedule_A = RecurringSchedule.objects.create(community=A, title="四环社区便民服务日", place="健身广场")
    schedule_out = RecurringSchedule.objects.create(community=outside, title="椿树园社区便民服务日", place="小广场")
    story_A = nf.story([A], title="四环草稿", slug="sihuan-draft", status=Story.Status.DRAFT, published_at=None)
    story_out = nf.story(
        [outside], title="椿树园草稿", slug="chunshuyuan-draft", status=Story.Status.DRAFT, published_at=None
    )
    section_A, section_out = nf.section(story_A, A), nf.section(story_out, outside)
    column = nf.column()
    users = {
        "volunteer": volunteer.user,
        "worker_A": worker_sihuan,
        "worker_B": worker_xihai,
        "editor": editor_shichahai,
        "officer": officer_fangguan,
        "admin": admin_user,
    }
    pairs = {
        "auth.group": (
            Group.objects.get(name=str(StaffScope.Role.COMMUNITY_WORKER.label)),
            Group.objects.create(name="其他"),
        ),
        "auth.user": (worker_sihuan, vol_out.user),
        "axes.accessattempt": (axes_row(AccessAttempt, "worker-sihuan"), axes_row(AccessAttempt, "someone")),
        "axes.accesslog": (axes_row(AccessLog, "worker-sihuan"), axes_row(AccessLog, "someone")),
        "axes.accessfailurelog": (axes_row(AccessFailureLog, "worker-sihuan"), axes_row(AccessFailureLog, "someone")),
        "communities.district": (District.objects.get(), District.objects.create(name="东城区", slug="dongcheng")),
        "communities.street": (places["shichahai"], places["chunshu"]),
        "communities.community": (A, outside),
        "communities.partnerunit": (factories.partner_unit(A), factories.partner_unit(outside)),
        "communities.department": (fangguan, chunshu_dept),
        "communities.staffscope": (
            worker_sihuan.staff_scope,
            factories.staff(StaffScope.Role.STREET_EDITOR, "editor-chunshu", street=places["chunshu"]).staff_scope,
        ),
        "news.story": (story_A, story_out),
        "news.storysection": (section_A, section_out),
        "news.photo": (nf.photo(section_A), nf.photo(section_out)),
        "news.tag": (nf.tag(), nf.tag()),
        "news.column": (column, nf.column()),
        "news.columnissue": (nf.issue(column, 1), nf.issue(column, 2)),
        "events.servicetype": (offering_A.service_type, offering_out.service_type),
        "events.serviceday": (day_A, day_out),
        "events.recurringschedule": (schedule_A, schedule_out),
        "events.residentbooking": (booking_A, booking_out),
        "volunteers.skill": (ef.skill("理发"), ef.skill("维修")),
        "volunteers.volunteer": (vol_A, vol_out),
        "volunteers.team": (team_A, team_out),
        "volunteers.signup": (signup_A, signup_out),
        "volunteers.hoursentry": (hours_A, hours_out),
        "volunteers.homevisit": (visit_A, visit_out),
        "feedback.category": (category, Category.objects.create(name="噪音", slug="noise", sort_order=20)),
        "feedback.case": (case_A, case_out),
        "feedback.dispatchtask": (case_A.tasks.get(), case_out.tasks.get()),
        # Open311 clients (feedback/open311/) belong to no community: the district administrator's alone.
        "feedback.apiclient": (
            ApiClient.objects.create(name="12345 热线", key_digest="a" * 64),
            ApiClient.objects.create(name="另一个系统", key_digest="b" * 64),
        ),
        # The notice queue (core/notices.py): the district administrator reads it, nobody changes it.
        "django_tasks_database.dbtaskresult": (queued_notice(), queued_notice()),
    }
    return {
        "users": users,
        "pairs": pairs,
        "role_A": role_A,
        "others_signup": signup_A,
        "member": member,
        "team_A": team_A,
        "visit_A": visit_A,
        "case_A": case_A,
        "case_out": case_out,
        "story_A": story_A,
        "booking_A": booking_A,
        "preview_url": preview.preview_url(story_A),
    }


def queued_notice():
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        args_kwargs={"args": ["sms", "sealed"], "kwargs": {}},
        task_path="core.notices.deliver",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )


def label(model):
    return model._meta.label_lower


def test_every_admin_model_is_in_the_matrix(estate):
    registered = {label(m) for m in admin.site._registry}
    listed = set(parse(ADMIN_MATRIX))
    assert registered - listed == set(), "newly registered in the admin: give it a row in ADMIN_MATRIX"
    assert listed - registered == set(), "no longer registered: remove its row"
    assert registered <= set(estate["pairs"]), "give the new model an object in A and one outside in estate()"


# --- admin ----------------------------------------------------------------------------------------


def admin_url(model, view, obj=None):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def page_letter(response):
    if response.status_code == 302:
        return "L" if "/login/" in response["Location"] else "h" if response["Location"] == "/admin/" else "?"
    if response.status_code == 403:
        return "-"
    if response.status_code == 200:
        return "y"
    return str(response.status_code)


def change_letter(response):
    letter = page_letter(response)
    if letter == "y":
        return "e" if response.context_data["has_change_permission"] else "v"
    return letter


def snapshot(obj):
    return list(type(obj).objects.filter(pk=obj.pk).values())


def admin_row(client, model, pair):
    inside, outside = pair
    cells = page_letter(client.get(admin_url(model, "changelist")))
    cells += page_letter(client.get(admin_url(model, "add")))
    for obj in (inside, outside):
        cells += change_letter(client.get(admin_url(model, "change", obj)))
    return cells


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, estate, role):
    if role != "anon":
        client.force_login(estate["users"][role])
    expected = {model: cells[role] for model, cells in parse(ADMIN_MATRIX).items()}
    actual = {}
    for model in admin.site._registry:
        actual[label(model)] = admin_row(client, model, estate["pairs"][label(model)])
    if actual != expected:
        diff = {m: f"{expected.get(m)} -> {a}" for m, a in actual.items() if expected.get(m) != a}
        pytest.fail(
            f"{role}: the admin answers differ from the policy:\n" + "\n".join(f"  {m}: {d}" for m, d in diff.items())
        )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_way_around_a_refused_change_page(client, estate, role):
    """Where the policy says read only, hidden or forbidden, a POST changes nothing, the
    delete page does not open, and (unless read only) neither does the history."""
    if role != "anon":
        client.force_login(estate["users"][role])
    for model, cells in parse(ADMIN_MATRIX).items():
        for obj, cell in zip(estate["pairs"][model], cells[role][2:], strict=True):
            if cell in "e.":
                continue
            where = (model, role, obj.pk)
            user = estate["users"].get(role)
            before = snapshot(obj)
            response = client.post(admin_url(type(obj), "change", obj), {"name": "被改掉了", "title": "被改掉了"})
            assert response.status_code == refused_status(user, obj, "change"), where
            assert snapshot(obj) == before, where
            response = client.get(admin_url(type(obj), "delete", obj))
            assert response.status_code == refused_status(user, obj, "delete"), where
            if cell != "v":
                response = client.get(admin_url(type(obj), "history", obj))
                assert response.status_code == refused_status(user, obj, "history"), where


def refused_status(user, obj, view):
    """The one answer the admin gives a refused page, following the order its views check in: no
    staff login → the login page (302); the change (POST) and delete pages ask for the permission
    first, for the object when the role's queryset holds it (403), and only then find no object
    (302 back to the admin index); the history page looks the object up first (302 when it is not
    the role's) and asks after (403) — django-simple-history's looks in its own records too, so it
    always finds the object and refuses it (403)."""
    if user is None or not user.is_staff:
        return 302
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/admin/")
    request.user = user
    found = model_admin.get_queryset(request).filter(pk=obj.pk).first()
    if view == "change":
        return 302 if model_admin.has_change_permission(request, found) else 403
    if view == "delete":
        return 302 if model_admin.has_delete_permission(request, found) else 403
    if isinstance(model_admin, SimpleHistoryAdmin) or found is not None:
        return 403
    return 302


# --- public and staff actions ---------------------------------------------------------------------


def outcome(response):
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "redirect"
    return str(response.status_code)


def csv_outcome(response, marker):
    """An export that answers 200 but leaves the object out is "empty", not a leak."""
    if response.status_code == 200:
        return "200" if marker in response.content.decode("utf-8-sig") else "empty"
    return outcome(response)


def note_outcome(client, case):
    before = case.timeline.count()
    response = client.post(
        reverse("admin:feedback_case_move", args=[case.pk, "note"]),
        {"note-note": "核实情况", "note-version": Case.objects.get(pk=case.pk).version},
    )
    if response.status_code == 302 and case.timeline.count() > before:
        return "done"
    return outcome(response)


def signup(client, e):
    response = client.post(f"/volunteers/roles/{e['role_A'].pk}/signup/")
    return outcome(response)


ACTIONS = {
    "sign_up_for_a_role": signup,
    "cancel_someone_elses_signup": lambda c, e: outcome(c.post(f"/volunteers/signups/{e['others_signup'].pk}/cancel/")),
    "sign_up_a_member_of_a_team_I_do_not_lead": lambda c, e: outcome(
        c.post("/volunteers/signup-member/", {"role": e["role_A"].pk, "volunteer": e["member"].pk})
    ),
    "accept_a_home_visit_for_a_team_I_do_not_lead": lambda c, e: outcome(
        c.post(f"/volunteers/home-visits/{e['visit_A'].pk}/accept/", {"team": e["team_A"].pk})
    ),
    "my_volunteer_page": lambda c, e: outcome(c.get("/volunteers/me/")),
    "track_a_case_with_its_code": lambda c, e: outcome(c.get(f"/feedback/track/{e['case_A'].code}/")),
    "rate_a_case_with_a_guessed_code": lambda c, e: outcome(
        c.post(f"/feedback/mine/SH-2026-999999/{e['case_A'].owner_secret}/rate/", {"rating": "satisfied"})
    ),
    "rate_a_case_on_its_public_page": lambda c, e: outcome(
        c.post(f"/feedback/track/{e['case_A'].code}/rate/", {"rating": "satisfied"})
    ),
    "rate_a_case_with_a_guessed_private_link": lambda c, e: outcome(
        c.post(f"/feedback/mine/{e['case_A'].code}/{'x' * 30}/rate/", {"rating": "satisfied"})
    ),
    # The link is the key, whoever holds it: being logged in (as staff, even) adds nothing and takes nothing.
    "add_information_with_the_private_link": lambda c, e: outcome(
        c.post(f"/feedback/mine/{e['case_A'].code}/{e['case_A'].owner_secret}/note/", {"note": "楼道东侧也不亮。"})
    ),
    "feedback_figures_csv": lambda c, e: outcome(c.get("/feedback/figures.csv")),
    "a_draft_story_by_its_address": lambda c, e: outcome(c.get(f"/news/{e['story_A'].slug}/")),
    "a_draft_by_its_preview_link": lambda c, e: outcome(c.get(e["preview_url"])),
    "a_tampered_preview_link": lambda c, e: outcome(c.get(e["preview_url"][:-3] + "xx/")),
    "a_booking_by_its_link": lambda c, e: outcome(c.get(f"/events/bookings/{e['booking_A'].token}/")),
    "a_booking_by_a_guessed_link": lambda c, e: outcome(c.get(f"/events/bookings/{uuid.uuid4()}/")),
    "admin_index": lambda c, e: outcome(c.get("/admin/")),
    "admin_preview_of_As_draft": lambda c, e: outcome(c.get(f"/admin/news/story/{e['story_A'].pk}/preview/")),
    "admin_note_on_As_case": lambda c, e: note_outcome(c, e["case_A"]),
    "admin_note_on_a_case_outside": lambda c, e: note_outcome(c, e["case_out"]),
    "admin_export_As_cases": lambda c, e: csv_outcome(
        c.post("/admin/feedback/case/", {"action": "export_csv", "_selected_action": [e["case_A"].pk]}),
        e["case_A"].code,
    ),
    "admin_export_As_team_signups": lambda c, e: csv_outcome(
        c.post("/admin/volunteers/team/", {"action": "export_signups_csv", "_selected_action": [e["team_A"].pk]}),
        e["member"].real_name,
    ),
}


def test_every_action_is_in_the_matrix():
    assert set(parse(ACTION_MATRIX)) == set(ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_action_matrix(client, estate, role):
    if role != "anon":
        client.force_login(estate["users"][role])
    expected = {action: cells[role] for action, cells in parse(ACTION_MATRIX).items()}
    actual = {name: act(client, estate) for name, act in ACTIONS.items()}
    if actual != expected:
        diff = {a: f"{expected.get(a)} -> {o}" for a, o in actual.items() if expected.get(a) != o}
        pytest.fail(
            f"{role}: the answers differ from the policy:\n" + "\n".join(f"  {a}: {d}" for a, d in diff.items())
        )
