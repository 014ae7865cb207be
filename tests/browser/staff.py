"""Helpers for browser tests that work the staff desk: signing in to the admin, photos to upload."""

import io
import re

from PIL import Image

from tests import factories


def photo_file(tmp_path, name, colour, size=(640, 480)):
    """A JPEG on disk, for ``set_input_files``."""
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def log_in(page, username):
    """Signs in through the admin's login page (the browser's earlier cookies are dropped first)."""
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
