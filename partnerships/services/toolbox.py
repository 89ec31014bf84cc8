"""Writes for Værktøjskassen (documents with version history) and the introduction checklist.

An upload is accepted only when its content is what its name says (checked from the bytes, not from
the browser's content type) and it is within ``settings.TOOLBOX_MAX_UPLOAD_MB``. Files are stored
through Django's storage API and only ever served by an access-checked view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import (
    IntroductionProgress,
    IntroductionStep,
    Membership,
    Partnership,
    ToolboxDocument,
    ToolboxVersion,
    User,
)
from partnerships.scoping import user_sees_everything


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str


KINDS = {
    ".pdf": FileKind("PDF", "application/pdf"),
    ".docx": FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": FileKind("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".odt": FileKind("OpenDocument-tekst", "application/vnd.oasis.opendocument.text"),
    ".ods": FileKind("OpenDocument-regneark", "application/vnd.oasis.opendocument.spreadsheet"),
    ".png": FileKind("PNG-billede", "image/png"),
    ".jpg": FileKind("JPEG-billede", "image/jpeg"),
    ".jpeg": FileKind("JPEG-billede", "image/jpeg"),
    ".txt": FileKind("tekst", "text/plain; charset=utf-8"),
    ".csv": FileKind("CSV", "text/csv; charset=utf-8"),
}
_OOXML_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
_TEXT_CONTROL_OK = {9, 10, 12, 13}


def _is_zip_with(upload: UploadedFile, suffix: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if suffix in _OOXML_PART:
                return "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[suffix]) for n in names)
            # OpenDocument: the first entry is "mimetype", holding the document's MIME type.
            return (
                bool(names)
                and names[0] == "mimetype"
                and archive.read("mimetype").decode() == KINDS[suffix].content_type
            )
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # The sample may end inside a multi-byte character.
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8-sig")
    return all(ord(c) >= 32 or ord(c) in _TEXT_CONTROL_OK for c in text)


def content_matches(upload: UploadedFile, suffix: str) -> bool:
    """Do the file's bytes match its extension?"""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix in (".txt", ".csv"):
        return _is_text(head)
    if head.startswith(b"PK\x03\x04"):
        return _is_zip_with(upload, suffix)
    return False


def upload_check(upload: UploadedFile | None) -> FileKind:
    """Refuse a missing, empty, too large or mislabelled file, with a Danish message for the ``file`` field."""
    if upload is None:
        raise ValidationError({"file": _("Vælg en fil.")})
    limit = settings.TOOLBOX_MAX_UPLOAD_MB * 1024 * 1024
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in KINDS:
        allowed = ", ".join(sorted({s.lstrip(".") for s in KINDS}))
        raise ValidationError(
            {"file": _("Filtypen kan ikke lægges i værktøjskassen. Tilladt: %(types)s.") % {"types": allowed}}
        )
    if not upload.size:
        raise ValidationError({"file": _("Filen er tom.")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("Filen er på %(size)s MB; grænsen er %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    "limit": settings.TOOLBOX_MAX_UPLOAD_MB,
                }
            }
        )
    kind = KINDS[suffix]
    if not content_matches(upload, suffix):
        raise ValidationError(
            {"file": _("Filen er ikke en rigtig %(kind)s-fil, selv om navnet siger det.") % {"kind": kind.label}}
        )
    return kind


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def can_manage_toolbox(user: User, partnership: Partnership | None) -> bool:
    """Projektledelse (and administrators) manage the programme-wide documents; a partnership's
    secretariat manages its partnership's documents too."""
    if user_sees_everything(user):
        return True
    if partnership is None:
        return False
    return (
        user.has_perm("partnerships.add_toolboxdocument")
        and Membership.objects.filter(user=user, partnership=partnership).exists()
    )


def _add_version(*, document: ToolboxDocument, upload: UploadedFile, note: str, by: User) -> ToolboxVersion:
    kind = upload_check(upload)
    number = (ToolboxVersion.objects.filter(document=document).aggregate(top=Max("number"))["top"] or 0) + 1
    version = ToolboxVersion(
        document=document,
        number=number,
        original_name=PurePosixPath(upload.name).name[:200],
        content_type=kind.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        note=note.strip(),
        uploaded_by=by,
    )
    version.full_clean(exclude=["document", "file"])
    # The file is written last, after every check, so a refused upload leaves nothing in storage.
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def toolbox_document_create(
    *,
    partnership: Partnership | None,
    category: str,
    title: str,
    upload: UploadedFile | None,
    by: User,
    description: str = "",
    note: str = "",
) -> ToolboxDocument:
    """Put a document in Værktøjskassen, programme-wide (``partnership=None``) or for one partnership."""
    if not can_manage_toolbox(by, partnership):
        raise ValidationError(
            {"partnership": _("Du kan kun lægge dokumenter i værktøjskassen for dine egne partnerskaber.")}
            if partnership is not None
            else {"partnership": _("Kun projektledelsen kan lægge dokumenter ud til hele programmet.")}
        )
    document = ToolboxDocument(
        partnership=partnership,
        category=category,
        title=title.strip(),
        description=description.strip(),
        created_by=by,
    )
    document.full_clean()
    upload_check(upload)
    document.save()
    _add_version(document=document, upload=upload, note=note or _("Første version"), by=by)
    return document


@transaction.atomic
def toolbox_version_add(
    *, document: ToolboxDocument, upload: UploadedFile | None, by: User, note: str = ""
) -> ToolboxVersion:
    """Upload a new version; earlier versions stay in the history."""
    if not can_manage_toolbox(by, document.partnership):
        raise ValidationError({"file": _("Du kan ikke ændre dette dokument.")})
    document.save(update_fields=["updated_at"])
    return _add_version(document=document, upload=upload, note=note, by=by)


def toolbox_document_archive(*, document: ToolboxDocument, by: User, archived: bool = True) -> None:
    if not can_manage_toolbox(by, document.partnership):
        raise ValidationError({"__all__": _("Du kan ikke ændre dette dokument.")})
    document.is_archived = archived
    document.save(update_fields=["is_archived", "updated_at"])


# ---------------------------------------------------------------------------
# The introduction checklist
# ---------------------------------------------------------------------------
def steps_for(partnership: Partnership | int):
    partnership_id = getattr(partnership, "pk", partnership)
    return IntroductionStep.objects.filter(is_active=True).filter(
        Q(partnership__isnull=True) | Q(partnership_id=partnership_id)
    )


@transaction.atomic
def introduction_mark(
    *,
    membership: Membership,
    step: IntroductionStep,
    by: User,
    done: bool = True,
    done_on: dt.date | None = None,
    note: str = "",
) -> IntroductionProgress | None:
    """Mark a step of the member's introduction done (or not done again). The member does it
    themselves; the partnership's secretariat may do it for them."""
    if step.partnership_id not in (None, membership.partnership_id) or not step.is_active:
        raise ValidationError({"step": _("Trinnet hører ikke til partnerskabets introduktion.")})
    if by.pk != membership.user_id and not (
        user_sees_everything(by)
        or (
            by.has_perm("partnerships.change_membership")
            and Membership.objects.filter(user=by, partnership_id=membership.partnership_id).exists()
        )
    ):
        raise ValidationError({"step": _("Du kan kun afkrydse din egen introduktion.")})
    if not done:
        IntroductionProgress.objects.filter(membership=membership, step=step).delete()
        return None
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Datoen kan ikke ligge i fremtiden.")})
    progress, _created = IntroductionProgress.objects.update_or_create(
        membership=membership, step=step, defaults={"done_on": done_on, "note": note.strip()[:300], "recorded_by": by}
    )
    return progress
