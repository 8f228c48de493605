"""A delegate's badge photo, checked before it is kept: JPEG or PNG by its content (not its name
or the browser's word), at most `PHOTO_MAX_MB`, at most `MAX_SIDE` pixels a side (a small file
can unpack to a huge image). What is kept is the photo re-encoded as a JPEG at most `KEEP`
pixels: its metadata (the camera, the place it was taken) is dropped, and the badge prints fast.
"""

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
MAX_SIDE = 8000
KEEP = (600, 800)  # width, height: 3 x 4, enough for a 22 x 29 mm print
FORMATS = {"JPEG", "PNG"}
MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
CONTENT_TYPE = "image/jpeg"


def max_bytes() -> int:
    return int(getattr(settings, "PHOTO_MAX_MB", 5)) * MB


def photo_checked(file: "File[Any]") -> bytes:
    """The photo as the JPEG to keep; a `ValidationError` (in Vietnamese, with a code) when it
    is empty, too large, not a JPEG or PNG image, or too many pixels."""
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("Tệp ảnh không có nội dung."), code="photo_empty")
    if size > max_bytes():
        raise ValidationError(
            _("Ảnh vượt quá %(mb)d MB.") % {"mb": max_bytes() // MB}, code="photo_too_large"
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(MAGIC):
        raise ValidationError(_("Ảnh phải là tệp JPEG hoặc PNG."), code="photo_type")
    try:
        with Image.open(file) as probe:
            if probe.format not in FORMATS:
                raise ValidationError(_("Ảnh phải là tệp JPEG hoặc PNG."), code="photo_type")
            if max(probe.size) > MAX_SIDE:
                raise ValidationError(
                    _("Ảnh quá lớn (tối đa %(px)d điểm ảnh mỗi cạnh).") % {"px": MAX_SIDE},
                    code="photo_dimensions",
                )
            probe.verify()
        file.seek(0)
        with Image.open(file) as image:
            image.draft("RGB", KEEP)  # a JPEG decodes at a smaller scale: faster
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Không đọc được ảnh: tệp hỏng hoặc không phải JPEG, PNG."), code="photo_type"
        ) from error
    picture.thumbnail(KEEP)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()
