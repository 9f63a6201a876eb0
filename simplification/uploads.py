"""A document sent by a citizen: its type read from its first bytes, never its name, and its metadata removed.

A photo carries the phone's position and the camera's owner in EXIF; a PDF the author's name in its Info
dictionary and XMP stream. Images are decoded and encoded again by Pillow (only the pixels survive); a PDF's
pages are copied by pypdf into a new file without the document's Info or XMP, nor the pages' own metadata.
"""

import io
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

from common.exceptions import Refused

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A scanned page at 300 dpi is about 9 M pixels; far more is a decompression bomb, not a letter.
MAX_IMAGE_PIXELS = 40_000_000
MAX_PDF_PAGES = 50
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
# Page keys that may name a person: their own XMP, an application's private data, a thumbnail.
PAGE_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/Thumb")
MAX_UPLOAD_MEGABYTES = MAX_UPLOAD_BYTES // (1024 * 1024)
TOO_BIG = f"Le document dépasse {MAX_UPLOAD_MEGABYTES} Mo : réduisez-le ou photographiez la page concernée."
WRONG_TYPE = "Le document doit être un PDF ou une image (PNG ou JPEG) : ce fichier n'en est pas un."
UNREADABLE = "Le document n'a pas pu être lu : il est peut-être abîmé ou protégé par un mot de passe."


@dataclass(frozen=True)
class CleanDocument:
    content: ContentFile
    content_type: str


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, among the accepted ones."""
    return next((kind for signature, kind in SIGNATURES if head.startswith(signature)), None)


def clean_document(upload) -> CleanDocument:
    """Check the upload's size and type and return its content without metadata, under a random name."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise Refused(TOO_BIG)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    content_type = sniff(data[:16])
    if content_type is None:
        raise Refused(WRONG_TYPE)
    cleaned = _pdf_without_metadata(data) if content_type == PDF else _image_without_metadata(data, content_type)
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    return CleanDocument(content=ContentFile(cleaned, name=name), content_type=content_type)


def _image_without_metadata(data: bytes, content_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Refused("L'image est trop grande : envoyez une photo de taille ordinaire.")
            # A new image from the pixels alone: EXIF, XMP, ICC profiles and text chunks stay behind.
            pixels = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                pixels.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise Refused(UNREADABLE) from error
    output = io.BytesIO()
    if content_type == JPEG:
        pixels.convert("RGB").save(output, format="JPEG", quality=90)
    else:
        pixels.save(output, format="PNG")
    return output.getvalue()


def _pdf_without_metadata(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted or len(reader.pages) > MAX_PDF_PAGES:
            raise Refused(
                UNREADABLE
                if reader.is_encrypted
                else f"Le document compte plus de {MAX_PDF_PAGES} pages :"
                " envoyez seulement les pages difficiles à comprendre."
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in PAGE_METADATA_KEYS:
                added.pop(NameObject(key), None)
        writer.metadata = None
        output = io.BytesIO()
        writer.write(output)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise Refused(UNREADABLE) from error
    return output.getvalue()


class SizeLimitUploadHandler(FileUploadHandler):
    """Put first in a request's upload handlers: a file past the limit is skipped as it streams in, never
    written to a temporary file, and `too_big` says so to the form."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.too_big = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            self.too_big = True
            raise SkipFile
        return raw_data  # handed on to Django's own handlers

    def file_complete(self, file_size):
        return None
