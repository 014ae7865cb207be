"""Cases to CSV for staff, with contact details as the exporting user may see them (``contact_for``)."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.admin.contact import contact_for


def cases_csv(user, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback-cases.csv"'
    response.write("\ufeff")  # a BOM, so Excel opens the Chinese text as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("查询码"),
            _("街道"),
            _("社区"),
            _("类别"),
            _("地点"),
            _("状态"),
            _("提交时间"),
            _("办结时间"),
            _("评价"),
            _("联系人"),
            _("联系电话"),
            _("超期"),
        ]
    )
    for case in queryset.select_related("community__street", "category"):
        name, phone, _email = contact_for(user, case)
        writer.writerow(
            [
                case.code,
                case.community.street.name,
                case.community.name,
                case.category.name,
                case.place,
                case.get_status_display(),
                timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(case.resolved_at).strftime("%Y-%m-%d %H:%M") if case.resolved_at else "",
                case.get_rating_display(),
                name,
                phone,
                _("是") if case.is_overdue else "",
            ]
        )
    return response
