"""The portal's own timeline sentences are stored as codes with parameters and read in the reader's
language; what people type stays as typed. Old rows are converted by feedback 0007 where recognisable."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from feedback import retention, workflow
from feedback.models import Case, TimelineEntry, timeline_text
from tests.feedback.conftest import fresh

pytestmark = pytest.mark.django_db

codes = importlib.import_module("feedback.migrations.0007_timeline_codes")
E = TimelineEntry.Message


def texts(case, language):
    with translation.override(language):
        return [str(entry.text) for entry in fresh(case).timeline.all()]


def test_submitted_and_accepted_are_codes_read_in_each_language(case, worker_sihuan):
    workflow.accept(fresh(case), by=worker_sihuan)
    submitted, accepted = fresh(case).timeline.all()
    assert (submitted.message, submitted.params, submitted.note) == (E.SUBMITTED, {"category": "路面破损"}, "")
    assert (accepted.message, accepted.note) == (E.ACCEPTED, "")
    assert texts(case, "zh-hans") == ["居民反映：路面破损", "社区已受理，正在协调处理。"]
    # The demo's category names have English in the catalogue; any other name is marked as Chinese.
    assert texts(case, "en") == [
        "Resident report: Damaged paving",
        "The community has accepted this and is arranging for it to be handled.",
    ]
    with translation.override("en"):
        text = str(timeline_text("submitted", {"category": "井盖松动"}))
    assert text == 'Resident report: <span lang="zh-Hans">井盖松动</span>'


def test_staff_words_stay_as_typed(case, worker_sihuan):
    workflow.accept(fresh(case), "已电话联系居民，明天上门。", by=worker_sihuan)
    entry = fresh(case).timeline.last()
    assert (entry.message, entry.note) == ("", "已电话联系居民，明天上门。")
    assert texts(case, "en")[-1] == '<span lang="zh-Hans">已电话联系居民，明天上门。</span>'


def test_dispatch_and_on_site_name_departments_as_content(walk, case):
    case = walk(case, "on_site")
    dispatched = case.timeline.get(action="dispatched")
    assert dispatched.params == {"lead": "什刹海街道房管所", "assisting": ["什刹海街道城市管理办公室"]}
    zh, en = texts(case, "zh-hans"), texts(case, "en")
    assert "社区吹哨，请什刹海街道房管所（主办）、什刹海街道城市管理办公室（协办）到现场报到。" in zh
    assert "什刹海街道房管所到现场报到（房管所 2 人）。" in zh
    assert (
        'The community blew the whistle and asked <span lang="zh-Hans">什刹海街道房管所</span> (lead), '
        '<span lang="zh-Hans">什刹海街道城市管理办公室</span> (assisting) to report on site.'
    ) in en
    assert (
        '<span lang="zh-Hans">什刹海街道房管所</span> reported on site (<span lang="zh-Hans">房管所 2 人</span>).' in en
    )


def test_decline_reason_is_translated_the_note_is_not(case, worker_sihuan):
    workflow.decline(fresh(case), Case.DeclineReason.DUPLICATE, "与上周的诉求相同。", by=worker_sihuan)
    entry = fresh(case).timeline.last()
    assert (entry.params, entry.note) == ({"reason": "duplicate"}, "与上周的诉求相同。")
    assert texts(case, "zh-hans")[-1] == "重复诉求：与上周的诉求相同。"
    assert texts(case, "en")[-1] == 'Duplicate request: <span lang="zh-Hans">与上周的诉求相同。</span>'


def test_rating_with_and_without_comment(walk, case, make_case):
    case = walk(case, "resolved")
    workflow.rate(case, Case.Rating.SATISFIED, "修得很好")
    assert texts(case, "en")[-1] == 'Satisfied: <span lang="zh-Hans">修得很好</span>'
    assert texts(case, "zh-hans")[-1] == "满意：修得很好"
    other = walk(make_case(), "resolved")
    workflow.rate(other, Case.Rating.UNSATISFIED)
    assert fresh(other).timeline.last().action == "reopened"
    assert texts(other, "en")[-1] == "Not satisfied"


def test_markup_in_a_note_or_a_name_is_escaped():
    with translation.override("en"):
        text = str(timeline_text("on_site", {"dept": "<b>房管所</b>", "people": "2 人"}, "<script>x</script>"))
    assert "<b>" not in text and "<script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text


def test_public_params_are_stored_without_phone_numbers(walk, case, officer_fangguan):
    case = walk(case, "dispatched")
    task = case.tasks.get(is_lead=True)
    workflow.report_on_site(task, "张师傅 13812345678", by=officer_fangguan)
    people = fresh(case).timeline.get(action="on_site").params["people"]
    assert "13812345678" not in people and people.startswith("张师傅")


def test_purge_masks_the_resident_name_in_params_and_leaves_a_code(case, settings):
    TimelineEntry.objects.create(
        case=case,
        action="on_site",
        role="department_officer",
        message="on_site",
        params={"dept": "房管所", "people": "王大妈"},
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CONFIRMED, closed_at=case.created_at)
    assert retention.purge(case.created_at.replace(year=case.created_at.year + 1)) == 1
    entry = fresh(case).timeline.get(action="on_site")
    assert "王大妈" not in entry.params["people"]
    purged = fresh(case).timeline.get(action="purged")
    assert (purged.message, purged.note) == (E.PURGED, "")


# --- the data migration: old rows' text back to codes ---------------------------------------


@pytest.mark.parametrize(
    ("action", "text", "expected"),
    [
        ("submitted", "居民反映：路面破损", ("submitted", {"category": "路面破损"}, "")),
        ("submitted", "Resident report: 噪音", ("submitted", {"category": "噪音"}, "")),
        ("submitted", "居民提交诉求。", ("submitted", {"category": "绿化"}, "")),
        ("accepted", "社区已受理，正在协调处理。", ("accepted", {}, "")),
        ("accepted", "社区已受理。", ("accepted", {}, "")),
        ("accepted", "社区已受理，工作人员当天到院里查看。", None),
        ("declined", "非本辖区：已告知居民。", ("declined", {"reason": "out_of_area"}, "已告知居民。")),
        ("declined", "Duplicate request：见上一条。", ("declined", {"reason": "duplicate"}, "见上一条。")),
        (
            "dispatched",
            "社区吹哨，请甲所（主办）、乙办（协办）到现场报到。 请尽快。",
            ("dispatched", {"lead": "甲所", "assisting": ["乙办"]}, "请尽快。"),
        ),
        ("dispatched", "社区吹哨，请相关部门到现场报到。", None),
        ("on_site", "甲所到现场报到（2 人）。", ("on_site", {"dept": "甲所", "people": "2 人"}, "")),
        ("on_site", "部门到现场报到（2 人）。", None),  # not the task's department: someone's own words
        ("rated", "满意：谢谢", ("rated", {"rating": "satisfied"}, "谢谢")),
        ("reopened", "不满意", ("rated", {"rating": "unsatisfied"}, "")),
        ("rated", "很满意，谢谢", None),
        ("purged", "联系方式已按保存期限清除。", ("purged", {}, "")),
        ("resolved", "问题已解决。", None),
    ],
)
def test_old_texts_are_recognised(action, text, expected):
    assert codes.recognise(action, text, category="绿化", department="甲所") == expected


@pytest.mark.django_db(transaction=True)
def test_migration_converts_old_rows_and_back(places, category):
    executor = MigrationExecutor(connection)
    executor.migrate([("feedback", "0006_case_owner_digest")])
    old = MigrationExecutor(connection).loader.project_state([("feedback", "0006_case_owner_digest")]).apps
    OldCase, OldEntry = old.get_model("feedback", "Case"), old.get_model("feedback", "TimelineEntry")
    now = timezone.now()
    case = OldCase.objects.create(
        code="SH-2026-000001",
        community_id=places["sihuan"].pk,
        category_id=category.pk,
        place="四环胡同",
        description="地面破损",
        created_at=now,
        respond_deadline=now,
    )
    for action, note in [("submitted", "居民反映：路面破损"), ("accepted", "社区已受理。"), ("resolved", "修好了。")]:
        OldEntry.objects.create(case=case, action=action, role="community_worker", note=note, created_at=now)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("feedback", "0007_timeline_codes")])
        rows = list(TimelineEntry.objects.filter(case_id=case.pk).values_list("action", "message", "note"))
        assert rows == [("submitted", "submitted", ""), ("accepted", "accepted", ""), ("resolved", "", "修好了。")]
        executor = MigrationExecutor(connection)
        executor.migrate([("feedback", "0006_case_owner_digest")])
        back = list(OldEntry.objects.filter(case_id=case.pk).values_list("note", flat=True))
        assert back == ["居民反映：路面破损", "社区已受理，正在协调处理。", "修好了。"]
    finally:
        call_command("migrate", verbosity=0)
