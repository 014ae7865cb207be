"""The staff desk speaks Chinese: every role's desk pages in zh-hans, read as a browser's DOM, hold none
of Django's (or its libraries') stock English words, in what is shown or read out (aria-label, title,
placeholder), and no native "Choose File" input.

Content staff wrote (form values, textareas, scripts' data) is left out: only the desk's own words count.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from feedback import workflow
from tests.events import factories as ef
from tests.feedback.conftest import jpeg
from tests.news import factories as nf

STOCK_ENGLISH = [
    "Model name",
    "Add link",
    "Change or view list link",
    "Choose File",
    "No file chosen",
    "Bold",
    "Italic",
    "Heading",
    "Paragraph",
    "Undo",
    "Redo",
    "Link",
    "Search",
    "Filter",
    "Action",
    "Go",
    "Save",
    "Delete",
    "History",
    "View site",
    "Log out",
    "Toggle navigation",
    "Skip to main content",
    "Start typing to filter",
    "Sidebar",
    "Breadcrumbs",
    "Currently",
    "Change",
    "Clear",
    "Add another",
    "Select",
    "Show counts",
    "Toggle theme",
    "Recent actions",
    "None available",
    "access attempt",
    "access log",
    "Sorting priority",
    "Remove from sorting",
    "Please correct",
    "Home",
]
WORDS = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(w) for w in STOCK_ENGLISH) + r")(?![A-Za-z])", re.I)
READ_OUT = ("aria-label", "title", "placeholder", "alt")
SKIPPED = {"script", "style", "textarea", "option", "noscript"}


class DeskWords(HTMLParser):
    """What a person sees or hears on the page, and any bare file input."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.skip = 0
        self.bare_file_inputs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED:
            self.skip += 1
        if tag == "input" and attrs.get("type") == "file" and "desk-photo-input" not in (attrs.get("class") or ""):
            self.bare_file_inputs += 1
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.check(attrs.get("value"), f"<input value> of {tag}")
        for name in READ_OUT:
            self.check(attrs.get(name), f"{name}=")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.check(data, "text")

    def check(self, text, where):
        for match in WORDS.finditer(text or ""):
            self.found.append(f"{where}: {match.group(0)!r} in {text.strip()[:80]!r}")


def words_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = DeskWords()
    parser.feed(response.content.decode())
    return parser


def desk_urls(user):
    """The first page, every list the user can open, its add page and the first object's page."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_or_change_permission(request):
            continue
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    return urls


@pytest.fixture
def desk_rows(places, make_case, fangguan, worker_sihuan):
    """One of each thing staff look at: a story with a photo, a service day, a case with a task and photos."""
    story = nf.story([places["sihuan"]], title="四环社区的新台阶", status="review", published_at=None)
    nf.photo(nf.section(story, places["sihuan"]))  # a section page with a stored picture
    ef.day(places["sihuan"], cover=nf.upload())
    case = make_case(photos=[jpeg()])
    workflow.accept(case, "", by=worker_sihuan)
    workflow.dispatch(case, fangguan, [], "", by=worker_sihuan)
    return case


ROLES = ["admin_user", "editor_shichahai", "worker_sihuan", "officer_fangguan"]


@pytest.mark.parametrize("role", ROLES)
def test_every_desk_page_of_every_role_is_in_chinese(client, request, desk_rows, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    offences = []
    urls = desk_urls(user)
    assert len(urls) > 3
    for url in urls:
        page = words_on(client, url)
        offences += [f"{url} {found}" for found in page.found]
        if page.bare_file_inputs:
            offences.append(f"{url}: {page.bare_file_inputs} native file input(s)")
    assert offences == [], "\n".join(sorted({o.split(" ", 1)[1] for o in offences}))


def test_the_login_page_is_in_chinese(client, db):
    page = words_on(client, reverse("admin:login"))
    assert page.found == []
    response = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    text = response.content.decode()
    assert "用户名或密码不对" in text
    assert "staff account" not in text and "工作人员账户" not in text


def test_the_english_desk_stays_english(client, admin_user, settings, desk_rows):
    """The catalogue overrides Chinese only: an English desk keeps Django's words."""
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(reverse("admin:feedback_case_changelist")).content.decode()
    assert "Filter" in text and "Select Resident requests to change" in text


def test_pictures_show_as_pictures(client, places, desk_rows, editor_shichahai, officer_fangguan):
    """Case photos in the list and on the task page, service-day covers, and a read-only cover (an
    editor may only view columns) are thumbnails with alt text, never file paths."""
    from news.models import Column

    column = Column.objects.create(name="走社区·看新貌", slug="walk", cover=nf.upload())
    client.force_login(editor_shichahai)
    for url in (
        reverse("admin:feedback_case_changelist"),
        reverse("admin:events_serviceday_changelist"),
        reverse("admin:news_column_change", args=[column.pk]),
    ):
        text = client.get(url).content.decode()
        assert re.search(r'<img src="[^"]+" alt="[^"]+" class="desk-thumb"', text), url
        assert not re.search(r">[\w/.-]+\.(jpe?g|png|webp)<", text), url  # no file name shown as text
    client.force_login(officer_fangguan)
    task = desk_rows.tasks.get()
    text = client.get(reverse("admin:feedback_dispatchtask_change", args=[task.pk])).content.decode()
    assert 'class="desk-thumb"' in text
