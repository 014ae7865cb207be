import pytest
from django.core.management import call_command

from news.models import ColumnIssue, Photo, Story, StorySection


def _counts():
    return Story.objects.count(), StorySection.objects.count(), Photo.objects.count(), ColumnIssue.objects.count()


@pytest.mark.django_db
def test_demo_news_loads_twice_and_shows_issue_28(settings, client):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first
    assert Story.objects.published().count() >= 13
    story = Story.objects.get(slug="zou-shequ-28")
    assert story.column_issue.number == 28
    assert story.source == "北京市西城区委宣传部(区文明办)"
    assert [s.community.slug for s in story.sections.all()] == ["chunshuyuan", "wenjiajie", "sihuan"]
    assert Photo.objects.filter(section__story=story, role="before").count() == 1
    assert Photo.objects.filter(section__story=story, role="after").count() == 2
    html = client.get("/news/zou-shequ-28/").content.decode()
    assert "2023-06-06 04:13:19" in html and "第二十八期" in html
    assert "银色理发店" in html and "四环胡同" in html
    assert "第 1 页，共 2 页" in client.get("/news/").content.decode()
    assert "<mark>理发</mark>" in client.get("/search/", {"q": "理发"}).content.decode()
