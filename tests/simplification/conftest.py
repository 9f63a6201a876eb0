"""Fixtures of the complex documents' tests: files with metadata, a report in each state, private files in a
temporary folder."""

import io

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter

from simplification import services
from simplification.models import DocumentKind
from simplification.uploads import clean_document
from structures.models import Role
from tests import factories as f

REPORTER_EMAIL = "usager.cache@example.org"
DESCRIPTION = (
    "Le courrier parle de « régularisation de l'assiette » sans expliquer ce que je dois faire, ni avant quelle date."
)
OWNER = "Jean Dupont"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_bytes(author: str = OWNER) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Title": f"Avis de {author}"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def jpeg_bytes(artist: str = OWNER) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x010F] = "Téléphone de Jean"  # Make
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


def png_bytes(author: str = OWNER) -> bytes:
    info = PngInfo()
    info.add_text("Author", author)
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_report(*, document: bytes | None = None, **overrides):
    typology = overrides.pop("typology", None) or f.TypologyFactory(name="Centre des finances publiques")
    arguments = {
        "kind": DocumentKind.LETTER,
        "title": "Avis de régularisation de taxe foncière",
        "description": DESCRIPTION,
        "email": REPORTER_EMAIL,
        "typology": typology,
        "document": clean_document(upload("avis.pdf", document)) if document else None,
        **overrides,
    }
    return services.submit_report(**arguments)


@pytest.fixture
def report(db):
    return make_report(document=pdf_bytes())


@pytest.fixture
def routed_report(report, structure_tree, moderator):
    """A report accepted and routed to the structure « mine » of structure_tree."""
    return services.accept_report(report=report, by=moderator, structures=[structure_tree["mine"]])


@pytest.fixture
def child_agent(structure_tree):
    return f.MembershipFactory(structure=structure_tree["child"], role=Role.AGENT).user
