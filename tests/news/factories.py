"""Builders for news rows (kept out of tests/factories.py to avoid merge conflicts)."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Column, ColumnIssue, Photo, Story, StorySection, Tag

_seq = itertools.count(1)


def jpeg_bytes(size=(1600, 1000), colour=(200, 80, 60), gps=False, orientation=None):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 15.0), 3: "E", 4: (116.0, 22.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data=None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type=content_type)


def tag(name=None, slug=None):
    n = next(_seq)
    return Tag.objects.create(name=name or f"标签{n}", slug=slug or f"tag-{n}")


def column(name=None, slug=None):
    n = next(_seq)
    return Column.objects.create(name=name or f"专栏{n}", slug=slug or f"column-{n}")


def issue(column_=None, number=None, **fields):
    column_ = column_ or column()
    fields.setdefault("date", timezone.localdate())
    fields.setdefault("headline", f"第{number or 1}期主题")
    return ColumnIssue.objects.create(column=column_, number=number or next(_seq), **fields)


def story(communities=(), title=None, status=Story.Status.PUBLISHED, published_at="past", tags=(), **fields):
    n = next(_seq)
    if published_at == "past":
        published_at = timezone.now() - timedelta(hours=n)
    item = Story.objects.create(
        title=title or f"测试新闻{n}",
        slug=fields.pop("slug", None) or f"story-{n}",
        status=status,
        published_at=published_at,
        **fields,
    )
    if communities:
        item.communities.set(communities)
    if tags:
        item.tags.set(tags)
    return item


def section(story_, community, heading=None, body="<p>段落正文</p>", order=0):
    return StorySection.objects.create(
        story=story_, community=community, heading=heading or f"{community.name}小标题", body=body, order=order
    )


def photo(section_, caption="图片说明", alt_text="替代文字", **fields):
    fields.setdefault("image", upload(jpeg_bytes(size=(1300, 900))))
    return Photo.objects.create(section=section_, caption=caption, alt_text=alt_text, **fields)
