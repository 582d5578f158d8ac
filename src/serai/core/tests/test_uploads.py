"""One home for accepted uploads (issue 18: two tables with different limits, one checked signatures)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from serai.core import uploads
from serai.network import importer


def test_a_document_is_checked_by_type_size_and_signature(settings):
    settings.SERAI_MAX_UPLOAD_MB = 1
    good = SimpleUploadedFile("note.pdf", b"%PDF-1.4 hello")
    assert len(uploads.check(good)) == 64 and good.read() == b"%PDF-1.4 hello"
    with pytest.raises(ValidationError) as exc:
        uploads.check(SimpleUploadedFile("run.exe", b"MZ"))
    assert "run.exe" in str(exc.value.message_dict["file"])
    with pytest.raises(ValidationError, match="does not look like"):
        uploads.check(SimpleUploadedFile("fake.pdf", b"MZ not a pdf"))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        uploads.check(big)


def test_the_directory_import_has_the_same_limit(settings):
    settings.SERAI_MAX_UPLOAD_MB = 2
    assert importer.max_bytes() == uploads.max_bytes() == 2 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        uploads.check_size("list.csv", 3 * 1024 * 1024, field=None)
    assert exc.value.messages == ["list.csv is larger than 2 MB."]
