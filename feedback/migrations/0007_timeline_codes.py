"""Timeline entries: the portal's own sentences become a code with parameters (``message``,
``params``), put into words in the reader's language when shown; ``note`` keeps only what a person
typed. Existing rows are converted where their text is recognisably one of the portal's sentences
(in Chinese, or in English when a staff member worked in English); anything else stays as it is."""

import re

from django.db import migrations, models

REASONS = {
    "不予受理": "not_accepted",
    "重复诉求": "duplicate",
    "非本辖区": "out_of_area",
    "Not accepted": "not_accepted",
    "Duplicate request": "duplicate",
    "Outside our area": "out_of_area",
}
RATINGS = {
    "满意": "satisfied",
    "基本满意": "basic",
    "不满意": "unsatisfied",
    "Satisfied": "satisfied",
    "Mostly satisfied": "basic",
    "Not satisfied": "unsatisfied",
}
ACCEPTED = {
    "社区已受理，正在协调处理。",
    "社区已受理。",
    "The community has accepted this and is arranging for it to be handled.",
}
SUBMITTED = [re.compile(r"^居民反映：(?P<category>.+)$", re.S), re.compile(r"^Resident report: (?P<category>.+)$", re.S)]
DISPATCHED = [
    re.compile(r"^社区吹哨，请(?P<names>.+?)到现场报到。(?: (?P<note>.*))?$", re.S),
    re.compile(r"^The community blew the whistle and asked (?P<names>.+?) to report on site\.(?: (?P<note>.*))?$", re.S),
]
ON_SITE = [
    re.compile(r"^(?P<dept>.+?)到现场报到（(?P<people>.*?)）。(?: (?P<note>.*))?$", re.S),
    re.compile(r"^(?P<dept>.+?) reported on site \((?P<people>.*?)\)\.(?: (?P<note>.*))?$", re.S),
]
LABELLED = re.compile(r"^(?P<label>[^：]+?)(?:：(?P<note>.*))?$", re.S)
PURGED = {"联系方式已按保存期限清除。"}
BATCH = 2000


def _match(patterns, text):
    for pattern in patterns:
        found = pattern.match(text)
        if found:
            return found
    return None


def _dispatch_params(names):
    """"A（主办）、B（协办）" -> {"lead": "A", "assisting": ["B"]}, or None when it is not that shape."""
    lead, assisting = None, []
    for part in names.split("、"):
        if part.endswith("（主办）") and lead is None:
            lead = part[: -len("（主办）")]
        elif part.endswith("（协办）"):
            assisting.append(part[: -len("（协办）")])
        else:
            return None
    return {"lead": lead, "assisting": assisting} if lead else None


def recognise(action, text, category="", department=""):
    """(message, params, note) for an old entry's text, or None when it is a person's own words."""
    text = text or ""
    if action == "submitted":
        found = _match(SUBMITTED, text)
        if found:
            return "submitted", {"category": found["category"]}, ""
        if text == "居民提交诉求。" and category:
            return "submitted", {"category": category}, ""
    elif action == "accepted" and text in ACCEPTED:
        return "accepted", {}, ""
    elif action == "declined":
        found = LABELLED.match(text)
        if found and found["label"] in REASONS:
            return "declined", {"reason": REASONS[found["label"]]}, (found["note"] or "").strip()
    elif action == "dispatched":
        found = _match(DISPATCHED, text)
        params = found and _dispatch_params(found["names"])
        if params:
            return "dispatched", params, (found["note"] or "").strip()
    elif action == "on_site":
        found = _match(ON_SITE, text)
        if found and found["dept"] == department:
            return "on_site", {"dept": found["dept"], "people": found["people"]}, (found["note"] or "").strip()
    elif action in ("rated", "reopened"):
        found = LABELLED.match(text)
        if found and found["label"] in RATINGS:
            return "rated", {"rating": RATINGS[found["label"]]}, (found["note"] or "").strip()
    elif action == "purged" and text in PURGED:
        return "purged", {}, ""
    return None


def to_codes(apps, schema_editor):
    TimelineEntry = apps.get_model("feedback", "TimelineEntry")
    rows = (
        TimelineEntry.objects.filter(message="")
        .exclude(action__in=["planned", "done", "resolved", "note", "metoo"])
        .select_related("case__category", "task__department")
        .order_by("pk")
    )
    changed = []
    for entry in rows.iterator(chunk_size=BATCH):
        department = entry.task.department.name if entry.task_id else ""
        found = recognise(entry.action, entry.note, entry.case.category.name, department)
        if found is None:
            continue
        entry.message, entry.params, entry.note = found
        changed.append(entry)
        if len(changed) >= BATCH:
            TimelineEntry.objects.bulk_update(changed, ["message", "params", "note"])
            changed = []
    TimelineEntry.objects.bulk_update(changed, ["message", "params", "note"])


CHINESE = {
    "submitted": "居民反映：{category}",
    "accepted": "社区已受理，正在协调处理。",
    "purged": "联系方式已按保存期限清除。",
}


def to_text(apps, schema_editor):
    """Back to the Chinese sentences the code before this migration wrote."""
    TimelineEntry = apps.get_model("feedback", "TimelineEntry")
    labels = {**{v: k for k, v in REASONS.items() if not k.isascii()}, **{v: k for k, v in RATINGS.items() if not k.isascii()}}
    changed = []
    for entry in TimelineEntry.objects.exclude(message="").order_by("pk").iterator(chunk_size=BATCH):
        params, note = entry.params or {}, entry.note
        if entry.message in CHINESE:
            text = CHINESE[entry.message].format(category=params.get("category", ""))
        elif entry.message == "dispatched":
            names = "、".join([f"{params.get('lead', '')}（主办）", *(f"{n}（协办）" for n in params.get("assisting", []))])
            text = f"社区吹哨，请{names}到现场报到。"
        elif entry.message == "on_site":
            text = f"{params.get('dept', '')}到现场报到（{params.get('people', '')}）。"
        else:  # declined, rated: "label：note"
            label = labels.get(params.get("reason") or params.get("rating"), "")
            text, note = (f"{label}：{note}" if note else label), ""
        entry.note = f"{text} {note}" if note else text
        entry.message, entry.params = "", {}
        changed.append(entry)
    TimelineEntry.objects.bulk_update(changed, ["message", "params", "note"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0006_case_owner_digest'),
    ]

    operations = [
        migrations.AddField(
            model_name='timelineentry',
            name='message',
            field=models.CharField(blank=True, choices=[('submitted', '居民反映（类别）'), ('accepted', '社区已受理'), ('declined', '不予受理的原因'), ('dispatched', '吹哨：主办和协办部门'), ('on_site', '部门到场（人员）'), ('rated', '居民的评价'), ('purged', '联系方式已清除')], help_text='平台自动写的说明，按读者的语言显示。', max_length=20, verbose_name='系统说明'),
        ),
        migrations.AddField(
            model_name='timelineentry',
            name='params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='note',
            field=models.TextField(blank=True, help_text='工作人员或居民写的文字，原样显示。', verbose_name='说明'),
        ),
        migrations.RunPython(to_codes, to_text),
    ]
