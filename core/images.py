"""Every uploaded image goes through here: checked by content, re-encoded clean.

The content is read by Pillow (never trusting the name or the browser's type);
only JPEG (a phone's multi-picture JPEG too), PNG, WebP and phone HEIC are accepted; files over the size limit and
decompression bombs are refused with a message a person can act on. Accepted
images are turned upright from their EXIF orientation, then re-encoded without
any metadata (GPS above all) under a random internal file name.
"""

import io
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.logsafe import safe

logger = logging.getLogger(__name__)

try:  # HEIC photos from phones, where the maintained plugin is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF = False

# MPO: a phone's multi-picture JPEG (the photo plus a depth map or a preview); its first picture is kept.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"} | ({"HEIF"} if HEIF else set())
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo still fits
MAX_SIDE = 2560  # stored images are scaled down to this; renditions come from it

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


NOT_AN_IMAGE = _("无法识别这个文件，请上传 JPG、PNG、WebP 或手机 HEIC 格式的照片。")


def _human_mb(size):
    return f"{size / 1024 / 1024:.0f} MB"


def check_image(upload):
    """Raise ValidationError unless ``upload`` is an acceptable image.

    As the model field's validator it is given the field's file: only a new upload is checked.
    A stored file was checked and re-encoded when it was saved; reading it again would only fail
    where its handle was closed after its size was read, or the file is gone (a restore without
    media), and a form saved unchanged must not depend on the file at all.
    """
    if isinstance(upload, FieldFile):
        if upload._committed:
            return
        upload = upload.file
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("图片太大了（%(size)s），请上传不超过 %(limit)s 的图片。"),
            code="too_big",
            params={"size": _human_mb(size), "limit": _human_mb(limit)},
        )
    if not size:
        raise ValidationError(_("图片文件是空的，请重新选择。"), code="empty")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("图片像素过多，无法处理，请缩小后再上传。"), code="too_many_pixels")
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # catches truncated files that verify() lets through
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("图片像素过多，无法处理，请缩小后再上传。"), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(NOT_AN_IMAGE, code="not_image") from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("不支持这种图片格式，请上传 JPG、PNG、WebP 或手机 HEIC 格式的照片。"), code="bad_format"
        )


def reencode(upload):
    """A clean copy of ``upload``: upright, scaled to MAX_SIDE, no metadata."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.seek(0)  # the first picture of a multi-picture file
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if has_alpha:
            image.save(buffer, "PNG", optimize=True)
            extension = "png"
        else:
            image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
            extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


class CleanImageField(models.ImageField):
    """An ImageField whose uploads are checked by content and stored re-encoded."""

    def __init__(self, *args, **kwargs):
        validators = list(kwargs.pop("validators", []))
        if check_image not in validators:
            validators.append(check_image)
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        messages = {"invalid_image": NOT_AN_IMAGE, **kwargs.pop("error_messages", {})}
        return super().formfield(error_messages=messages, **kwargs)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Width and height are read from the file only when they are not stored yet; a file that
        has gone missing (a restore without media, a moved volume) leaves them empty instead of
        failing every query that loads the row."""
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (OSError, ValueError):
            logger.warning(
                "image %s of %s %s cannot be read",
                safe(getattr(instance, self.attname)),
                type(instance).__name__,
                instance.pk,
            )

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            check_image(file.file)
            clean = reencode(file.file)
            file.save(clean.name, clean, save=False)
        return super().pre_save(model_instance, add)


def fill_sizes(model, width_name, height_name, batch=500):
    """Store the width and height of rows saved before their model kept them (a data migration).

    Loading a row reads its size from the file (CleanImageField.update_dimension_fields); rows
    whose file cannot be read keep empty sizes and their pages leave the attributes out.
    """
    pending = model.objects.filter(**{f"{width_name}__isnull": True}).order_by("pk")
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last)[:batch])
        if not rows:
            return
        last = rows[-1].pk
        sized = [row for row in rows if getattr(row, width_name)]
        model.objects.bulk_update(sized, [width_name, height_name])
