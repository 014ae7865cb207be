"""The GeoReport v2 endpoints (the contract is in feedback/open311/__init__.py)."""

import functools
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from communities.models import Community
from core import audit, ratelimit
from feedback import conf, owner
from feedback.forms import CaseForm
from feedback.intake import submit_case
from feedback.models import ApiSubmission, Case, Category, DispatchTask, TimelineEntry
from feedback.open311 import fields, keys, render

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00+08:00"  # when these endpoints last changed: bump with them
PAGE_SIZE, MAX_PAGE_SIZE = 50, 100
WINDOW = timedelta(days=90)  # the spec's default and widest span of start_date..end_date
KEY_MAX = 100  # ApiSubmission.key
# The namespace of the form tokens an API submission gets (intake keeps one case per token).
NAMESPACE = uuid.UUID("6f3c0c5e-43a1-4c39-9a53-0b1f6b1f0311")


class Refusal(Exception):
    def __init__(self, status, *descriptions):
        super().__init__(descriptions)
        self.status, self.descriptions = status, descriptions


def endpoint(methods):
    """The frame of every endpoint: the method, the jurisdiction, the read throttle and cache
    headers, and every ``Refusal`` as the spec's error list."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request, fmt, **kwargs):
            try:
                if request.method not in methods:
                    raise Refusal(405, _("这个地址不接受 %(method)s 请求。") % {"method": request.method[:10]})
                jurisdiction = _param(request, "jurisdiction_id")
                if jurisdiction and jurisdiction != conf.open311_jurisdiction():
                    raise Refusal(
                        404, _("没有这个 jurisdiction_id。本平台是 %(id)s。") % {"id": conf.open311_jurisdiction()}
                    )
                if request.method == "GET" and not ratelimit.allow(request, "open311_read"):
                    raise Refusal(429, _("请求太频繁，请过一段时间再试。"))
                response = view(request, fmt, **kwargs)
            except Refusal as refusal:
                response = render.errors(fmt, refusal.status, *refusal.descriptions)
                if refusal.status == 405:
                    response["Allow"] = ", ".join(methods)
            if request.method == "GET" and response.status_code == 200 and not _param(request, "api_key"):
                patch_cache_control(response, public=True, max_age=60)
            else:
                add_never_cache_headers(response)
            return response

        return wrapped

    return wrap


def _param(request, name):
    source = request.POST if request.method == "POST" else request.GET
    return (source.get(name) or "").strip()


def _client(request, required):
    """The client whose key the request carries; a wrong or revoked key is refused, never ignored."""
    key = _param(request, "api_key")
    if not key and not required:
        return None
    client = keys.client_for(key)
    if client is None:
        raise Refusal(403, _("api_key 无效或已停用。请向区级管理员申请。"))
    return client


# --- discovery and services ---------------------------------------------------------------------


@endpoint(["GET"])
def discovery(request, fmt):
    url = request.build_absolute_uri(reverse("open311:root"))
    return render.respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": conf.open311_contact(),
            "key_service": _("接口密钥由区级管理员在工作台“接口客户端”里创建，见 docs/open311.md。"),
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


@endpoint(["GET"])
def services(request, fmt):
    return render.respond(fmt, "services", [fields.service(c) for c in Category.objects.active()])


@endpoint(["GET"])
def service_definition(request, fmt, code):
    category = Category.objects.active().filter(slug=code).first()
    if category is None:
        raise Refusal(404, _("没有这个 service_code。"))
    return render.respond(fmt, "service_definition", fields.definition(category))


# --- requests -------------------------------------------------------------------------------------


def for_api(queryset):
    """Cases with what ``fields.request`` reads, in a fixed number of queries."""
    return queryset.select_related("category", "community").prefetch_related(
        Prefetch(
            "timeline",
            queryset=TimelineEntry.objects.filter(is_public=True).order_by("created_at", "pk"),
            to_attr="public_timeline",
        ),
        Prefetch("tasks", queryset=DispatchTask.objects.select_related("department")),
    )


def _shows_description(case, client):
    return case.is_published or (client is not None and case.api_client_id == client.pk)


@endpoint(["GET", "POST"])
def requests_(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    client = _client(request, required=False)
    cases = _listed(request, client)
    return render.respond(
        fmt,
        "service_requests",
        [fields.request(c, show_description=_shows_description(c, client)) for c in cases],
    )


@endpoint(["GET"])
def request_detail(request, fmt, code):
    client = _client(request, required=False)
    case = _by_codes(request, [code], client)
    if not case:
        raise Refusal(404, _("没有这个 service_request_id。"))
    return render.respond(
        fmt, "service_requests", [fields.request(c, show_description=_shows_description(c, client)) for c in case]
    )


@endpoint(["GET"])
def token(request, fmt, value):
    submission = ApiSubmission.objects.select_related("case").filter(token=value).first()
    if submission is None:
        raise Refusal(404, _("没有这个 token。"))
    return render.respond(
        fmt, "service_requests", [{"service_request_id": submission.case.code, "token": submission.token}]
    )


def _by_codes(request, codes, client=None):
    """Cases by their codes, each one counted as a lookup by code, like the tracking page; a client
    following its own cases by their codes (with its key) is not counted for those."""
    codes = [c.strip().upper() for c in codes if c.strip()]
    if len(codes) > MAX_PAGE_SIZE:
        raise Refusal(400, _("service_request_id 一次最多 %(n)s 个。") % {"n": MAX_PAGE_SIZE})
    for code in codes:
        if len(code) > 40 or not code.replace("-", "").isalnum():
            raise Refusal(400, _("service_request_id 格式不对，例如 SH-2026-483920。"))
    own = set(client.cases.filter(code__in=codes).values_list("code", flat=True)) if client else set()
    for code in codes:
        if code not in own and not owner.lookup_allowed(request, code):
            raise Refusal(429, _("查询次数过多，请过一段时间再试。"))
    return list(for_api(Case.objects.filter(code__in=codes)).order_by("-created_at"))


def _listed(request, client):
    ids = _param(request, "service_request_id")
    if ids:  # the spec: it overrides every other filter
        return _by_codes(request, ids.split(","), client)
    visible = Q(is_published=True) & ~Q(status__in=[Case.Status.SUBMITTED, Case.Status.DECLINED])
    if client is not None:
        visible |= Q(api_client=client)
    cases = Case.objects.filter(visible)
    codes = [c.strip() for c in _param(request, "service_code").split(",") if c.strip()]
    if codes:
        cases = cases.filter(category__slug__in=codes[:MAX_PAGE_SIZE])
    statuses = {s.strip().lower() for s in _param(request, "status").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Refusal(400, _("status 只能是 open 或 closed（可用逗号分隔）。"))
    if statuses == {"open"}:
        cases = cases.exclude(status__in=fields.CLOSED)
    elif statuses == {"closed"}:
        cases = cases.filter(status__in=fields.CLOSED)
    start, end = _window(request)
    cases = cases.filter(created_at__gte=start, created_at__lte=end)
    page, size = _number(request, "page", 1, 1, 10_000), _number(request, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    offset = (page - 1) * size
    return list(for_api(cases).order_by("-created_at", "-pk")[offset : offset + size])


def _number(request, name, default, low, high):
    raw = _param(request, name)
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Refusal(
            400, _("%(name)s 须是 %(low)s 到 %(high)s 之间的整数。") % {"name": name, "low": low, "high": high}
        )
    return int(raw)


def _datetime(request, name):
    raw = _param(request, name)
    if not raw:
        return None
    problem = _("%(name)s 须是 W3C 格式的时间，例如 2026-01-01T00:00:00+08:00。") % {"name": name}
    if len(raw) > 40:
        raise Refusal(400, problem)
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day else None
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise Refusal(400, problem)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _window(request):
    start, end = _datetime(request, "start_date"), _datetime(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise Refusal(400, _("end_date 不能早于 start_date。"))
    if end - start > WINDOW:
        raise Refusal(400, _("start_date 到 end_date 最多 90 天。"))
    return start, end


# --- POST requests: a new case ------------------------------------------------------------------


def _coordinate(request, name, limit):
    raw = _param(request, name)
    if not raw:
        return None
    try:
        value = Decimal(raw[:30])
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -limit <= value <= limit or len(raw) > 30:
        raise Refusal(400, _("%(name)s 须是 -%(limit)s 到 %(limit)s 之间的数。") % {"name": name, "limit": limit})
    return value.quantize(Decimal("0.000001"))


def _media_url(request):
    raw = _param(request, "media_url")
    if not raw:
        return ""
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or host not in conf.open311_media_hosts()
        or len(raw) > 200
    ):
        raise Refusal(400, _("media_url 只接受区里登记过的照片网站；照片也可以由工作人员现场拍摄。"))
    return raw


def _idempotency_key(request):
    key = _param(request, "token") or request.headers.get("Idempotency-Key", "").strip()
    if len(key) > KEY_MAX or not key.isprintable():
        raise Refusal(400, _("token（或 Idempotency-Key）最多 %(n)s 个可见字符。") % {"n": KEY_MAX})
    return key or uuid.uuid4().hex  # no key: each request is its own submission


def _form(request, client, key, has_coordinates):
    """The portal's own report form, filled from the spec's parameters."""
    category = (
        Category.objects.active().filter(slug=_param(request, "service_code")).first()
        if _param(request, "service_code")
        else None
    )
    if category is None:
        raise Refusal(400, _("service_code 缺少或不存在，请先读 services 列表。"))
    slug = _param(request, "attribute[community]")
    community = Community.objects.filter(slug=slug).first() if slug else None
    if community is None:
        raise Refusal(400, _("attribute[community] 缺少或不存在，请从服务定义的社区列表里选一个。"))
    address = _param(request, "address_string")
    place = _param(request, "attribute[place]") or address
    if not place:
        if not has_coordinates:
            raise Refusal(400, _("没有坐标时必须填写 address_string。"))
        place = _("坐标 %(lat)s, %(long)s") % {"lat": _param(request, "lat"), "long": _param(request, "long")}
    name = " ".join(part for part in (_param(request, "last_name"), _param(request, "first_name")) if part)
    consent = _param(request, "attribute[consent]").lower() == "true"
    data = {
        "community": str(community.pk),
        "category": str(category.pk),
        "place": place,
        "description": _param(request, "description"),
        "contact_name": name if consent else "",
        "contact_phone": _param(request, "phone") if consent else "",
        "contact_email": _param(request, "email") if consent else "",
        "consent": "on" if consent else "",
        "token": str(uuid.uuid5(NAMESPACE, f"{client.pk}:{key}")),
    }
    return CaseForm(data)


def _problems(form):
    return [
        f"{form.fields[name].label if name in form.fields else name}：{error}"
        for name, errors in form.errors.items()
        for error in errors
    ]


def _create(request, fmt):
    client = _client(request, required=True)
    key = _idempotency_key(request)
    earlier = ApiSubmission.objects.select_related("case").filter(client=client, key=key).first()
    if earlier is not None:
        return _created(fmt, earlier, status=200)
    lat, long = _coordinate(request, "lat", 90), _coordinate(request, "long", 180)
    if (lat is None) != (long is None):
        raise Refusal(400, _("lat 和 long 须同时提供。"))
    media_url = _media_url(request)
    form = _form(request, client, key, lat is not None)
    if not form.is_valid():
        raise Refusal(400, *_problems(form))
    data = form.cleaned_data
    if not ratelimit.allow(
        request,
        "open311_write",
        data["token"],
        client=client.pk,
        phone=data["contact_phone"],
        email=data["contact_email"],
    ):
        raise Refusal(429, ratelimit.MESSAGE)
    try:
        with transaction.atomic():
            case, created = submit_case(
                community=data["community"],
                category=data["category"],
                place=data["place"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                consent=data["consent"],
                token=data["token"],
                api_client=client,
                lat=lat,
                long=long,
                media_url=media_url,
            )
            submission = ApiSubmission.objects.create(client=client, key=key, token=uuid.uuid4().hex, case=case)
    except IntegrityError:
        # The same key raced us from a second request: answer the case the first one made.
        submission = ApiSubmission.objects.select_related("case").filter(client=client, key=key).first()
        if submission is None:
            raise
        return _created(fmt, submission, status=200)
    audit.event(
        "open311-request-created",
        client=client.name,
        case=case.code,
        new=created,
        ip=audit.client_address(request),
    )
    return _created(fmt, submission, status=201)


def _created(fmt, submission, status):
    item = {
        "service_request_id": submission.case.code,
        "token": submission.token,
        "service_notice": _("社区会在受理时限内答复。"),
        "account_id": "",
    }
    return render.respond(fmt, "service_requests", [item], status=status)


@csrf_exempt
def not_found(request, path=""):
    fmt = "xml" if path.endswith(".xml") else "json"
    return render.errors(fmt, 404, _("没有这个接口地址。可用的地址见 discovery.json。"))
