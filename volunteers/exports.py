"""Sign-ups and hours to CSV or Excel for staff, with the phone rule of communities.privacy."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from communities.privacy import phone_for, text_for

SIGNUP_HEADER = ["服务日", "日期", "社区", "岗位", "报名序号", "志愿者", "手机号", "状态", "报名时间", "计入时长"]
HOURS_HEADER = ["日期", "志愿者", "手机号", "社区", "服务队", "类型", "小时", "说明", "录入时间"]


def signup_rows(user, signups):
    signups = signups.select_related("role__day__community", "volunteer").prefetch_related("hours_entries")
    for s in signups.order_by("role__day__date", "role__sort_order", "role_id", "number"):
        day = s.role.day
        yield [
            day.title,
            day.date.isoformat(),
            day.community.name,
            s.role.title,
            s.number,
            s.volunteer.real_name,
            phone_for(user, s.volunteer.phone, day.community_id, s.volunteer.community_id),
            s.get_status_display(),
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
            float(sum(e.hours for e in s.hours_entries.all())),
        ]


def hours_rows(user, entries):
    for e in entries.select_related("volunteer", "community", "team").order_by("date", "pk"):
        yield [
            e.date.isoformat(),
            e.volunteer.real_name,
            phone_for(user, e.volunteer.phone, e.community_id, e.volunteer.community_id),
            e.community.name,
            e.team.name if e.team else "",
            e.get_kind_display(),
            float(e.hours),
            text_for(user, e.note, e.community_id, e.volunteer.community_id),
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(filename, header, rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so Excel opens UTF-8 Chinese correctly
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_xlsx(filename, header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
