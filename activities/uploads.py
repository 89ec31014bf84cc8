"""Checking uploaded scans (signed declarations, start and exit forms, timesheets) by content and size.

The file's first bytes decide what it is, never its name or the browser's content type: a PDF, a
PNG or a JPEG, at most ``MAX_UPLOAD_BYTES``. The stored name is made up here (the original name is
kept for display only), and files are served only through access-checked views, never from MEDIA_URL.
"""

from __future__ import annotations

import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def open_stored(field):
    """A stored file opened for reading, or 404 when the file has gone from storage (a database
    restored without its media, a file removed by hand): a missing file is never a server error."""
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404 from None


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def content_type_of(name: str) -> str:
    extension = os.path.splitext(name)[1].lower()
    return {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}.get(
        extension, "application/octet-stream"
    )


def check_scan(upload: UploadedFile | None, *, field: str = "scan") -> tuple[str, str]:
    """``(stored name, display name)`` for an accepted scan, or ValidationError keyed ``field``."""
    if upload is None:
        raise ValidationError({field: _("Vælg den underskrevne scanning (PDF, PNG eller JPEG).")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {field: _("Filen er for stor (højst %(mb)d MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError({field: _("Filen skal være en PDF eller et billede (PNG eller JPEG).")})
    display = os.path.basename(upload.name or "")[:150] or "scanning"
    return f"{uuid.uuid4().hex}{kind[1]}", display
