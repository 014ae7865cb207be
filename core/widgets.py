"""The desk's photo input: a "选择照片" button (and "拍照" on a phone) in place of the browser's
"Choose File / No file chosen", and the stored picture shown as a picture.

Both buttons are a ``<label>`` around a visually hidden ``<input type="file" accept="image/*">``
with the same name; the camera one adds ``capture="environment"``, which phones honour and desktop
browsers ignore (desk.css shows it on touch screens only). An empty file input sends nothing Django
keeps, so whichever button was used fills the field. ``static/js/desk.js`` writes the chosen file's
name beside the buttons; without JavaScript the form still works.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.thumbs import thumbnail_url


class PhotoInput(forms.ClearableFileInput):
    template_name = "core/widgets/photo_input.html"
    clear_checkbox_label = _("删除这张照片")
    initial_text = _("现在的照片")
    input_text = _("换一张")

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["thumb"] = thumbnail_url(value) if widget["is_initial"] else None
        widget["choose_text"] = _("选择照片")
        widget["camera_text"] = _("拍照")
        widget["none_text"] = _("还没有选照片")
        return context


class MultiplePhotoInput(PhotoInput):
    allow_multiple_selected = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["none_text"] = _("还没有选照片（可选多张）")
        return context
