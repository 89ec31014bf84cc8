"""Værktøjskassen: uploads checked by content and size, version history, who may upload; the
introduction checklist."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships.models import IntroductionProgress, IntroductionStep, ToolboxDocument, ToolboxVersion
from partnerships.services import toolbox as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _create(by, partnership=None, upload=None, **fields):
    return services.toolbox_document_create(
        partnership=partnership,
        category=fields.pop("category", ToolboxDocument.Category.PARTICIPANT_FORMS),
        title=fields.pop("title", "Startskema for deltagere"),
        upload=upload or _upload("startskema.pdf", PDF, "application/pdf"),
        by=by,
        **fields,
    )


def test_management_puts_a_programme_wide_pdf_in_the_toolbox(management):
    document = _create(management)
    version = document.versions.get()
    assert version.number == 1 and version.original_name == "startskema.pdf"
    assert version.content_type == "application/pdf" and version.size == len(PDF)
    assert version.file.name.startswith("vaerktoejskassen/") and "startskema" not in version.file.name
    with version.file.open("rb") as handle:
        assert handle.read() == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused(management):
    with pytest.raises(ValidationError) as error:
        _create(management, upload=_upload("skema.pdf", b"MZ\x90\x00 this is an exe", "application/pdf"))
    assert "PDF" in error.value.message_dict["file"][0]
    assert not ToolboxDocument.objects.exists()


def test_a_zip_named_docx_without_word_content_is_refused(management):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.sh", "echo")
    with pytest.raises(ValidationError):
        _create(management, upload=_upload("aftale.docx", buffer.getvalue()))


def test_a_real_docx_is_accepted(management):
    assert (
        _create(management, upload=_upload("aftale.docx", _docx()))
        .versions.get()
        .content_type.endswith("wordprocessingml.document")
    )


def test_a_file_over_the_size_limit_is_refused(management, settings):
    settings.TOOLBOX_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        _create(management, upload=_upload("stor.pdf", big))
    assert "grænsen er 1 MB" in error.value.message_dict["file"][0]


def test_an_unknown_file_type_and_an_empty_file_are_refused(management):
    with pytest.raises(ValidationError) as error:
        _create(management, upload=_upload("makro.docm", _docx()))
    assert "Tilladt" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        _create(management, upload=_upload("tom.pdf", b""))


def test_text_with_nul_bytes_is_not_text(management):
    with pytest.raises(ValidationError):
        _create(management, upload=_upload("noter.txt", b"abc\x00def"))
    assert _create(management, upload=_upload("noter.txt", "Æblegrød og øl".encode())).pk


def test_a_new_version_keeps_the_history(management):
    document = _create(management)
    services.toolbox_version_add(
        document=document, upload=_upload("startskema-2.pdf", PDF + b"%v2\n"), by=management, note="Nyt logo"
    )
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert ToolboxVersion.objects.filter(document=document, number=2).get().note == "Nyt logo"


def test_only_management_uploads_for_the_whole_programme(secretariat_a, partnership_a, partnership_b):
    with pytest.raises(ValidationError) as error:
        _create(secretariat_a)
    assert "partnership" in error.value.message_dict
    assert _create(secretariat_a, partnership=partnership_a).partnership == partnership_a
    with pytest.raises(ValidationError):
        _create(secretariat_a, partnership=partnership_b)


def test_members_see_programme_documents_and_their_own_partnerships(
    management, secretariat_a, partnership_a, consultant_a, consultant_b
):
    programme = _create(management, title="Programbeskrivelse")
    own = _create(secretariat_a, partnership=partnership_a, title="Samarbejdsaftale LKS Alfa")
    assert set(ToolboxDocument.objects.for_user(consultant_a)) == {programme, own}
    assert set(ToolboxDocument.objects.for_user(consultant_b)) == {programme}


def test_members_tick_off_their_introduction_and_the_secretariat_may_too(
    partnership_a, partnership_b, consultant_a, secretariat_a, consultant_b
):
    step = IntroductionStep.objects.create(title="Læs programbeskrivelsen", position=1)
    own = IntroductionStep.objects.create(title="Mød partnerskabet", partnership=partnership_a, position=2)
    foreign = IntroductionStep.objects.create(title="Mød LKS Beta", partnership=partnership_b, position=3)
    membership = consultant_a.memberships.get()
    services.introduction_mark(membership=membership, step=step, by=consultant_a)
    services.introduction_mark(membership=membership, step=own, by=secretariat_a)
    with pytest.raises(ValidationError):
        services.introduction_mark(membership=membership, step=foreign, by=consultant_a)
    with pytest.raises(ValidationError):
        services.introduction_mark(membership=membership, step=step, by=consultant_b)
    assert IntroductionProgress.objects.filter(membership=membership).count() == 2
    services.introduction_mark(membership=membership, step=step, by=consultant_a, done=False)
    assert IntroductionProgress.objects.filter(membership=membership).count() == 1
