"""A citizen's document: type read from its content, size limited, metadata removed."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from common.exceptions import Refused
from simplification.uploads import JPEG, MAX_UPLOAD_BYTES, PDF, PNG, clean_document

from .conftest import OWNER, jpeg_bytes, pdf_bytes, png_bytes, upload


def test_pdf_keeps_its_pages_and_loses_its_author_and_title():
    cleaned = clean_document(upload("avis-dupont.pdf", pdf_bytes()))

    data = cleaned.content.read()
    assert cleaned.content_type == PDF
    assert OWNER.encode() not in data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]


@pytest.mark.parametrize(
    ("content", "content_type", "pillow_format"), [(jpeg_bytes(), JPEG, "JPEG"), (png_bytes(), PNG, "PNG")]
)
def test_image_is_encoded_again_without_its_metadata(content, content_type, pillow_format):
    assert OWNER.encode() in content

    cleaned = clean_document(upload("photo.bin", content, "application/octet-stream"))

    data = cleaned.content.read()
    assert cleaned.content_type == content_type
    assert OWNER.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == pillow_format
        assert image.size == (40, 30)
        assert not image.getexif()


def test_file_name_is_random_and_its_extension_follows_the_content():
    cleaned = clean_document(upload("Jean Dupont avis.pdf", png_bytes(), "application/pdf"))

    assert cleaned.content.name.endswith(".png")
    assert "Dupont" not in cleaned.content.name


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable renamed", b"<html><script>alert(1)</script></html>", b"PK\x03\x04 a zip"],
)
def test_other_content_renamed_pdf_is_refused(content):
    with pytest.raises(Refused, match="PDF ou une image"):
        clean_document(upload("document.pdf", content, "application/pdf"))


def test_document_over_the_size_limit_is_refused():
    too_big = b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES

    with pytest.raises(Refused, match="dépasse 5 Mo"):
        clean_document(upload("gros.pdf", too_big))


def test_pdf_header_on_garbage_is_refused_as_unreadable():
    with pytest.raises(Refused, match="pas pu être lu"):
        clean_document(upload("faux.pdf", b"%PDF-1.7\nnot a pdf at all"))
