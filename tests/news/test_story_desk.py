"""The story desk: one page with sections and photos, pinyin addresses, issues made inline,
preview before saving, the image library, versions compared and restored — and the refusals."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from news.models import ColumnIssue, Photo, Story, StorySection
from news.slugs import slug_from_title, unique_slug
from tests.adminform import unchanged_post
from tests.news import factories as nf

ADD = "/admin/news/story/add/"
PREVIEW = "/admin/news/story/draft-preview/"


def section_fields(index, community, heading, photo=None, alt="居民在广场上量血压"):
    prefix = f"sections-{index}"
    data = {
        f"{prefix}-community": [str(community.pk)],
        f"{prefix}-heading": [heading],
        f"{prefix}-body": [f"<p>{heading}的正文。</p>"],
        f"{prefix}-order": [str(index)],
        f"{prefix}-photos-TOTAL_FORMS": ["1" if photo is not None else "0"],
        f"{prefix}-photos-INITIAL_FORMS": ["0"],
        f"{prefix}-photos-MIN_NUM_FORMS": ["0"],
        f"{prefix}-photos-MAX_NUM_FORMS": ["1000"],
    }
    if photo is not None:
        data[f"{prefix}-photos-0-image"] = photo
        data[f"{prefix}-photos-0-alt_text"] = [alt]
        data[f"{prefix}-photos-0-order"] = ["0"]
    return data


def story_post(client, url=ADD, sections=(), **changes):
    """The add (or change) form as drawn, with ``sections`` (dicts from section_fields) filled in."""
    data = unchanged_post(client.get(url).content.decode(), **changes)
    for key in [k for k in data if k.startswith("sections-") and not k.startswith("sections-empty")]:
        if not key.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")) or "-0-" in key:
            data.pop(key)
    data["sections-TOTAL_FORMS"] = [str(len(sections))]
    for fields in sections:
        data.update(fields)
    return data


def errors_of(response):
    return re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)


@pytest.fixture
def two_sections(places):
    return [
        section_fields(0, places["chunshuyuan"], "健身广场上的服务台", nf.upload()),
        section_fields(1, places["hongxian"], "红线社区的邻里互助", nf.upload(), alt="志愿者看望独居老人"),
    ]


# --- one page ---------------------------------------------------------------------------------


def test_editor_publishes_a_story_with_two_sections_and_photos_in_one_post(
    client, places, editor_chunshu, two_sections
):
    client.force_login(editor_chunshu)
    data = story_post(client, sections=two_sections, title="椿树园便民服务日再相聚", _publish="1")
    data.pop("_save")
    response = client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)
    story = Story.objects.get()
    assert story.is_public
    assert story.slug == "chun-shu-yuan-bian-min-fu-wu-ri-zai-xiang-ju"
    assert set(story.communities.values_list("slug", flat=True)) == {"chunshuyuan", "hongxian"}
    assert list(story.sections.values_list("heading", flat=True)) == ["健身广场上的服务台", "红线社区的邻里互助"]
    photos = Photo.objects.filter(section__story=story)
    assert photos.count() == 2 and all(p.renditions for p in photos)
    assert any("已发布，居民现在就能看到" in str(m) for m in get_messages(response.wsgi_request))
    page = Client().get(story.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "健身广场上的服务台" in html and "红线社区的邻里互助" in html and 'alt="志愿者看望独居老人"' in html


def test_add_form_hides_the_web_address_and_explains_photo_words(client, editor_chunshu):
    client.force_login(editor_chunshu)
    html = client.get(ADD).content.decode()
    assert re.search(r'name="slug"[^>]*value=""|name="slug"(?![^>]*value=)', html)
    assert not re.search(r"\d{8}-[0-9a-f]{6}", html)
    assert "照片说明（给看不见图的人听）" in html and "整治前/整治后" in html and "不是这次活动拍的" in html
    assert "替代文字" not in html and "对比角色" not in html


def test_a_story_without_sections_must_name_its_communities(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    data = story_post(client, title="没有段落的稿件", communities=None)
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "请至少写一个社区段落" in response.content.decode()
    assert not Story.objects.exists()
    data["communities"] = [str(places["chunshuyuan"].pk)]
    assert client.post(ADD, data).status_code == 302


def test_a_photo_needs_a_picture_and_words(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    fields = section_fields(0, places["chunshuyuan"], "只有说明的照片")
    fields.update({"sections-0-photos-TOTAL_FORMS": ["1"], "sections-0-photos-0-caption": ["说明写了，照片没传"]})
    response = client.post(ADD, story_post(client, sections=[fields], title="缺照片"))
    assert response.status_code == 200
    assert "请选择照片上传，或从图片库选用一张" in response.content.decode()
    fields = section_fields(0, places["chunshuyuan"], "没有说明的照片", nf.upload(), alt="")
    response = client.post(ADD, story_post(client, sections=[fields], title="缺说明"))
    assert "读屏软件会读给看不见图的居民听" in response.content.decode()
    assert not Story.objects.exists() and not Photo.objects.exists()


# --- web addresses ----------------------------------------------------------------------------


def test_web_addresses_are_pinyin_bounded_and_unique(places):
    assert slug_from_title("走社区·看新貌 No.28！") == "zou-she-qu-kan-xin-mao-no28"
    long = slug_from_title("长" * 100)
    assert len(long) <= 80 and not long.endswith("-")
    assert slug_from_title("🙂🙂").startswith("story-")
    first = nf.story([places["chunshuyuan"]], title="红线社区议事会", slug="hong-xian-she-qu-yi-shi-hui")
    assert unique_slug(Story, "红线社区议事会") == "hong-xian-she-qu-yi-shi-hui-2"
    assert unique_slug(Story, "红线社区议事会", exclude_pk=first.pk) == "hong-xian-she-qu-yi-shi-hui"
    second = Story.objects.create(title="红线社区议事会")
    assert second.slug == "hong-xian-she-qu-yi-shi-hui-2"
    assert re.fullmatch(r"[a-z0-9-]+", second.slug)


def test_a_chinese_web_address_typed_by_hand_is_refused(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    data = story_post(client, title="手填网址", slug="椿树", communities=str(places["chunshuyuan"].pk))
    response = client.post(ADD, data)
    assert response.status_code == 200 and not Story.objects.exists()


# --- column issues ----------------------------------------------------------------------------


def test_a_new_issue_is_made_from_the_story_form_and_an_existing_one_reused(client, places, editor_chunshu):
    column = nf.column(name="走社区·看新貌")
    client.force_login(editor_chunshu)
    community = str(places["chunshuyuan"].pk)
    response = client.post(
        ADD, story_post(client, title="第一篇", communities=community, column=str(column.pk), issue_number="28")
    )
    assert response.status_code == 302, errors_of(response)
    issue = ColumnIssue.objects.get(column=column, number=28)
    assert issue.headline == "第一篇"
    assert any("已新建专栏期次" in str(m) for m in get_messages(response.wsgi_request))
    response = client.post(
        ADD, story_post(client, title="第二篇", communities=community, column=str(column.pk), issue_number="28")
    )
    assert response.status_code == 302
    assert ColumnIssue.objects.count() == 1
    assert set(Story.objects.values_list("column_issue", flat=True)) == {issue.pk}
    page = client.get(f"/admin/news/story/{Story.objects.get(title='第二篇').pk}/change/").content.decode()
    assert re.search(r'name="issue_number"[^>]*value="28"', page)


def test_issue_fields_come_in_pairs_and_workers_cannot_make_issues(client, places, editor_chunshu, worker_sihuan):
    column = nf.column()
    client.force_login(editor_chunshu)
    community = str(places["chunshuyuan"].pk)
    response = client.post(ADD, story_post(client, title="只填期数", communities=community, issue_number="3"))
    assert "填了期数，请再选是哪个专栏" in response.content.decode()
    response = client.post(ADD, story_post(client, title="只选专栏", communities=community, column=str(column.pk)))
    assert "选了专栏，请再填第几期" in response.content.decode()
    client.force_login(worker_sihuan)
    data = story_post(
        client, title="社区稿", communities=str(places["sihuan"].pk), column=str(column.pk), issue_number="9"
    )
    response = client.post(ADD, data)
    assert "您不能新建专栏期次" in response.content.decode()
    assert not Story.objects.exists() and not ColumnIssue.objects.exists()


def test_a_duplicate_issue_is_explained_not_raw(client, admin_user):
    issue = nf.issue(number=5)
    client.force_login(admin_user)
    response = client.post(
        "/admin/news/columnissue/add/",
        {"column": issue.column_id, "number": 5, "date": "2026-11-30", "headline": "重复", "lead": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "这个专栏已经有这一期了" in html
    assert "已经存在" not in html


# --- scope ------------------------------------------------------------------------------------


def test_an_editor_cannot_put_a_section_in_another_street(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    fields = section_fields(0, places["sihuan"], "越界的段落", nf.upload())
    response = client.post(ADD, story_post(client, sections=[fields], title="越界"))
    assert response.status_code == 200
    assert not Story.objects.exists() and not StorySection.objects.exists() and not Photo.objects.exists()


def test_the_image_library_and_its_picker_are_scoped(client, places, editor_chunshu):
    own = nf.photo(
        nf.section(nf.story([places["chunshuyuan"]]), places["chunshuyuan"]), caption="椿树园的合影", alt_text="合影"
    )
    other = nf.photo(nf.section(nf.story([places["sihuan"]]), places["sihuan"]), caption="四环的院子", alt_text="院子")
    client.force_login(editor_chunshu)
    listing = client.get("/admin/news/photo/").content.decode()
    assert "椿树园的合影" in listing and "四环的院子" not in listing
    assert client.get(f"/admin/news/photo/{other.pk}/change/").status_code == 302
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "photo", "field_name": "reused_from", "term": ""},
    ).json()
    assert [r["id"] for r in found["results"]] == [str(own.pk)]

    # Reusing the street's own photo: no upload, its words come along.
    fields = section_fields(0, places["chunshuyuan"], "用图片库的照片")
    fields.update({"sections-0-photos-TOTAL_FORMS": ["1"], "sections-0-photos-0-reused_from": [str(own.pk)]})
    fields["sections-0-photos-0-order"] = ["0"]
    response = client.post(ADD, story_post(client, sections=[fields], title="复用照片"))
    assert response.status_code == 302, errors_of(response)
    reused = Photo.objects.get(section__story__title="复用照片")
    assert reused.image.name == own.image.name and reused.alt_text == "合影" and reused.renditions == own.renditions

    # Another street's photo is refused.
    fields["sections-0-photos-0-reused_from"] = [str(other.pk)]
    response = client.post(ADD, story_post(client, sections=[fields], title="借别人的照片"))
    assert response.status_code == 200
    assert not Story.objects.filter(title="借别人的照片").exists()


# --- preview ----------------------------------------------------------------------------------


def test_preview_draws_the_unsaved_story_and_saves_nothing(client, places, editor_chunshu, two_sections, settings):
    client.force_login(editor_chunshu)
    data = story_post(client, sections=two_sections, title="还没保存的稿件", _preview="1", cover_alt="健身广场全景")
    data["cover"] = nf.upload()
    response = client.post(PREVIEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "srcdoc=" in html and "还没保存的稿件" in html
    assert "健身广场上的服务台" in html and "红线社区的邻里互助" in html
    assert html.count("data:image/jpeg;base64,") >= 3  # the cover and both photos, never stored
    assert "健身广场全景" in html
    assert "no-store" in response["Cache-Control"]
    assert not Story.objects.exists() and not StorySection.objects.exists() and not Photo.objects.exists()
    assert not Story.history.exists()
    from pathlib import Path

    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_preview_of_a_saved_story_shows_the_unsaved_changes(client, places, editor_chunshu):
    story = nf.story([places["chunshuyuan"]], title="旧标题", status=Story.Status.DRAFT, published_at=None)
    client.force_login(editor_chunshu)
    url = f"/admin/news/story/{story.pk}/change/"
    response = client.post(f"/admin/news/story/{story.pk}/draft-preview/", story_post(client, url, title="新标题"))
    assert response.status_code == 200 and "新标题" in response.content.decode()
    story.refresh_from_db()
    assert story.title == "旧标题" and story.history.count() == 1


def test_preview_lists_what_to_fix_when_the_form_is_incomplete(client, editor_chunshu):
    client.force_login(editor_chunshu)
    response = client.post(PREVIEW, story_post(client, title=""))
    assert response.status_code == 200
    assert "改好才能预览" in response.content.decode() and not Story.objects.exists()


def test_preview_refusals(client, places, editor_chunshu, editor_shichahai, worker_sihuan):
    story = nf.story([places["chunshuyuan"]], title="椿树园稿件")
    url = f"/admin/news/story/{story.pk}/draft-preview/"
    assert client.post(PREVIEW, {}).status_code == 302  # to the login page
    assert "/admin/login/" in client.post(PREVIEW, {})["Location"]
    client.force_login(editor_shichahai)
    assert client.post(url, {"title": "x"}).status_code == 404
    published = nf.story([places["sihuan"]], title="已发布")
    client.force_login(worker_sihuan)
    assert client.post(f"/admin/news/story/{published.pk}/draft-preview/", {"title": "x"}).status_code == 403
    client.force_login(editor_chunshu)
    assert client.get(PREVIEW).status_code == 302  # never drawn from a GET
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_chunshu)
    assert strict.post(PREVIEW, {"title": "x"}).status_code == 403


def test_the_signed_share_link_still_works(client, places, editor_chunshu):
    story = nf.story([places["chunshuyuan"]], title="分享的草稿", status=Story.Status.DRAFT, published_at=None)
    client.force_login(editor_chunshu)
    page = client.get(f"/admin/news/story/{story.pk}/change/").content.decode()
    link = re.search(r'value="https?://[^"]*(/news/preview/[^"]+)"', page).group(1)
    assert "分享的草稿" in Client().get(link).content.decode()


# --- read-only ------------------------------------------------------------------------------


def test_a_read_only_story_shows_its_text_as_readers_see_it(client, places, worker_sihuan):
    story = nf.story([places["sihuan"]], title="已发布的稿件", body="<p>院子<strong>平整</strong>了。</p>")
    nf.section(story, places["sihuan"], body="<p>段落<em>正文</em></p>")
    client.force_login(worker_sihuan)
    html = client.get(f"/admin/news/story/{story.pk}/change/").content.decode()
    assert "<p>院子<strong>平整</strong>了。</p>" in html and "<p>段落<em>正文</em></p>" in html
    assert "&lt;p&gt;" not in html


# --- versions ---------------------------------------------------------------------------------


@pytest.fixture
def edited_story(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    fields = section_fields(0, places["chunshuyuan"], "第一版小标题")
    response = client.post(ADD, story_post(client, sections=[fields], title="第一版标题", lead="第一版导语"))
    assert response.status_code == 302, errors_of(response)
    story = Story.objects.get()
    url = f"/admin/news/story/{story.pk}/change/"
    data = unchanged_post(client.get(url).content.decode(), title="第二版标题", lead="第二版导语")
    data["sections-0-heading"] = ["第二版小标题"]
    assert client.post(url, data).status_code == 302
    return story


def test_two_versions_are_compared_side_by_side(client, edited_story):
    old, new = edited_story.history.order_by("history_date")
    response = client.get(
        f"/admin/news/story/{edited_story.pk}/history/compare/", {"old": old.history_id, "new": new.history_id}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>一</del>" in html and "<ins>二</ins>" in html
    assert "第一版小标题" in html.replace("<del>一</del>", "一") and "第二版小标题" in html.replace(
        "<ins>二</ins>", "二"
    )
    history = client.get(f"/admin/news/story/{edited_story.pk}/history/").content.decode()
    assert f"/admin/news/story/{edited_story.pk}/history/compare/" in history


def test_a_version_is_restored_by_post_as_a_new_version(client, edited_story):
    first = edited_story.history.order_by("history_date").first()
    url = f"/admin/news/story/{edited_story.pk}/history/{first.history_id}/restore/"
    assert client.get(url).status_code == 405
    count = edited_story.history.count()
    response = client.post(url)
    assert response.status_code == 302
    edited_story.refresh_from_db()
    assert edited_story.title == "第一版标题" and edited_story.lead == "第一版导语"
    assert edited_story.sections.get().heading == "第一版小标题"
    assert edited_story.history.count() == count + 1
    assert edited_story.status == Story.Status.DRAFT
    assert any("已恢复到" in str(m) for m in get_messages(response.wsgi_request))


def test_restore_refusals(client, places, edited_story, editor_shichahai, worker_sihuan):
    first = edited_story.history.order_by("history_date").first()
    url = f"/admin/news/story/{edited_story.pk}/history/{first.history_id}/restore/"
    client.force_login(editor_shichahai)
    assert client.post(url).status_code == 404
    assert client.get(f"/admin/news/story/{edited_story.pk}/history/compare/").status_code == 404
    published = nf.story([places["sihuan"]], title="原来的标题")
    published.title = "改过的标题"
    published.save()
    version = published.history.order_by("history_date").first()
    client.force_login(worker_sihuan)
    assert client.post(f"/admin/news/story/{published.pk}/history/{version.history_id}/restore/").status_code == 403
    published.refresh_from_db()
    assert published.title == "改过的标题"
    edited_story.refresh_from_db()
    assert edited_story.title == "第二版标题"


# --- one press for the status -------------------------------------------------------------------


def test_a_worker_saves_and_submits_for_review_in_one_press_and_cannot_forge_publish(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    page = client.get(ADD).content.decode()
    assert "保存并提交审核" in page and "保存并发布" not in page
    fields = section_fields(0, places["sihuan"], "四环胡同的院子")
    data = story_post(client, sections=[fields], title="院落修缮完工", _publish="1")
    response = client.post(ADD, data)
    assert response.status_code == 200 and "您没有发布权限" in response.content.decode()
    data.pop("_publish")
    data["_submit_review"] = ["1"]
    assert client.post(ADD, data).status_code == 302
    story = Story.objects.get()
    assert story.status == Story.Status.REVIEW and not story.is_public


def test_sections_are_saved_in_the_order_given(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    first = section_fields(0, places["chunshuyuan"], "排在后面")
    second = section_fields(1, places["hongxian"], "排在前面")
    first["sections-0-order"], second["sections-1-order"] = ["1"], ["0"]
    response = client.post(ADD, story_post(client, sections=[first, second], title="顺序", _publish="1"))
    assert response.status_code == 302, errors_of(response)
    story = Story.objects.get()
    assert list(story.sections.values_list("heading", flat=True)) == ["排在前面", "排在后面"]
    html = Client().get(story.get_absolute_url()).content.decode()
    assert html.index("排在前面") < html.index("排在后面")
