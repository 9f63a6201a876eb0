"""Reading a CSV file to import, all or nothing: encoding, separator, header, and the report of errors by line.

Every importer (the structures referential, historical experiences, transparency's indicators) checks
every row first, reports each problem with its line, and writes only when there is none.
"""

import codecs
import csv
import functools
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models

# Created, updated, unchanged: (singular, plural), by the gender of the rows' noun.
PARTICIPLES = {
    True: [("créée", "créées"), ("mise à jour", "mises à jour"), ("inchangée", "inchangées")],
    False: [("créé", "créés"), ("mis à jour", "mis à jour"), ("inchangé", "inchangés")],
}


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: `errors` (line, message) cancel the whole import."""

    # The rows imported, as the summary names them (« structures », « expériences »).
    subject: str
    # Its gender, for the participles of the summary (« 3 créées », « 3 créés »).
    feminine: bool = True
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Cells left aside without cancelling the import (duplicates, orphan values), so nothing is lost silently.
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    def sorted_errors(self) -> list[tuple[int, str]]:
        return sorted(self.errors, key=lambda error: error[0])

    def created_alongside(self) -> list[tuple[str, int, str, str]]:
        """Other rows the import created on its way: (label, number, singular, plural) for the summary."""
        return []

    def summary(self) -> str:
        if self.errors:
            return f"Import annulé : {count_label(len(self.errors), 'erreur', 'erreurs')}, rien n'a été enregistré."
        numbers = (self.created, self.updated, self.unchanged)
        words = PARTICIPLES[self.feminine]
        counts = [count_label(number, *forms) for number, forms in zip(numbers, words, strict=True)]
        text = f"{self.subject.capitalize()} : " + ", ".join(counts)
        for label, number, singular, plural in self.created_alongside():
            if number:
                text += f" ; {label} : {count_label(number, singular, plural)}"
        return text + "."


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header); carries the line to report."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def count_label(number: int, singular: str, plural: str) -> str:
    """« 14 763 inchangées »: French takes the singular for 0 and 1, and a space between thousands."""
    return f"{number:,}".replace(",", " ") + " " + (singular if number < 2 else plural)


# Files repeat the same few labels (choices, typologies, channels) on every row: each is folded once.
@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Compare labels the way a reader does: no accents, no case, one space, one kind of apostrophe."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def clean_header(cell: str) -> str:
    # The real export stores its first header cell as `"<BOM>""Code SP+ de la structure"""`.
    return fold(cell.replace("\ufeff", "").strip().strip('"'))


def read_csv(path, *, delimiter: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header cells (folded) and the non-empty records, each with its line number.

    Lines are numbered as a spreadsheet shows the table (header = 1), not as physical lines: addresses
    and descriptions hold line breaks. The delimiter is taken from the header line when not given:
    the official exports use `;`, re-saved copies `,`.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(raw[: error.start].count(b"\n") + 1, NOT_UTF8) from None
    if delimiter is None:
        first_line = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first_line.count)
    # newline="" keeps U+0085 (found in the mojibake) inside its cell instead of ending the line.
    header, records = _header_and_records(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return header, list(records)


def stream_csv(path, *, delimiter: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """read_csv's header and records, the records read from the file as they are consumed.

    For files too big to hold whole (a network's results: 100,000 rows and more). The caller checks the
    encoding first (`encoding_problem` reads the file in blocks), and consumes the records before the
    file is closed by the generator's end.
    """
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 — closed by the generator below.
    try:
        header, records = _header_and_records(csv.reader(handle, delimiter=delimiter))
    except ImportFileError:
        handle.close()
        raise

    def closing():
        with handle:
            yield from records

    return header, closing()


def open_csv(path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """read_csv's header and records, the records streamed (the file is never held whole).

    The same refusals as read_csv: a file that is not UTF-8 is named by the line of its first bad byte,
    read in blocks first; the delimiter is the header line's most frequent of `;`, `,` and tab.
    """
    if (found := _utf8_error(path)) is not None:
        raise ImportFileError(found[0], NOT_UTF8)
    with open(path, "rb") as handle:
        first_line = handle.readline().decode("utf-8-sig")
    return stream_csv(path, delimiter=max(";,\t", key=first_line.count))


NOT_UTF8 = "le fichier n'est pas encodé en UTF-8"


def _header_and_records(reader) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        header = [clean_header(cell) for cell in next(reader)]
    except StopIteration:
        raise ImportFileError(1, "le fichier est vide") from None
    except csv.Error as error:
        raise ImportFileError(reader.line_num, f"CSV illisible ({error})") from None

    def records():
        try:
            for line, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield line, cells
        except csv.Error as error:
            raise ImportFileError(reader.line_num, f"CSV illisible ({error})") from None

    return header, records()


def refuse_nul_characters(report: ImportReport, records: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The records without a NUL character; each other one is reported by line and left out.

    PostgreSQL stores no NUL in text, and a CSV exported as text holds none: one means a damaged file,
    a binary one, or UTF-16 (Excel's « texte Unicode »).
    """
    kept = []
    for line, cells in records:
        column = next((number for number, cell in enumerate(cells, start=1) if "\x00" in cell), None)
        if column is None:
            kept.append((line, cells))
        else:
            report.error(
                line,
                f"caractère nul (octet 0x00) en colonne {column} : le fichier est abîmé ou n'est pas "
                "un CSV texte en UTF-8",
            )
    return kept


def column_positions(header: list[str], columns: dict[str, str], *, required: set[str]) -> dict[str, int]:
    """Position of each known column (key → header name); a missing required column stops the import."""
    positions = {key: header.index(fold(name)) for key, name in columns.items() if fold(name) in header}
    missing = [columns[key] for key in columns if key in required and key not in positions]
    if missing:
        raise ImportFileError(1, "colonnes manquantes : " + ", ".join(f"« {name} »" for name in missing))
    return positions


def max_length_errors(model: type[models.Model], values: dict[str, object], labels: dict[str, str]) -> list[str]:
    """Messages for the text values longer than their column allows."""
    messages = []
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            messages.append(f"« {labels.get(name, name)} » dépasse {limit} caractères ({len(value)})")
    return messages


# Zip (xlsx, ods) and OLE2 (xls) containers: spreadsheets renamed .csv still start with these bytes.
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
EXCEL_ADVICE = (
    "Ouvrez-le avec LibreOffice Calc puis « Enregistrer sous » : type « Texte CSV (.csv) », "
    "jeu de caractères « Unicode (UTF-8) », séparateur de champ « ; » (point-virgule)."
)


def file_format_problem(head: bytes, filename: str) -> str | None:
    """Why a file sent for a CSV import is not a CSV text file, from its name and first bytes; None if it may be."""
    if filename.lower().endswith((".xlsx", ".xls", ".ods")) or head.startswith(SPREADSHEET_SIGNATURES):
        return "Ce fichier est un classeur Excel ou tableur, pas un fichier CSV : il n'est pas pris en charge. " + (
            EXCEL_ADVICE
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "Le fichier est enregistré en UTF-16 (« texte Unicode » d'Excel), pas en UTF-8. " + EXCEL_ADVICE
    return None


def encoding_problem(path) -> str | None:
    """Why the file is not UTF-8 text, naming what it looks like; None when it is (a BOM is accepted)."""
    found = _utf8_error(path)
    return None if found is None else _not_utf8(found[1], found[0])


def _utf8_error(path) -> tuple[int, bytes] | None:
    """The line of the first byte that is not UTF-8, and its block; None when there is none.

    Read in blocks: a big file is never held whole.
    """
    decoder, lines = codecs.getincrementaldecoder("utf-8")(), 1
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_SIZE), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return lines + block[: error.start].count(b"\n"), block
            lines += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines, b"\xff"
    return None


BLOCK_SIZE = 1 << 20


def _not_utf8(block: bytes, line: int) -> str:
    """Windows-1252 decodes almost any byte: a block that does is what Excel saves on Windows."""
    try:
        block.decode("cp1252")
    except UnicodeDecodeError:
        return f"Le fichier n'est pas encodé en UTF-8 (premier caractère illisible ligne {line}). " + EXCEL_ADVICE
    return (
        "Le fichier n'est pas encodé en UTF-8 : il semble enregistré en Windows-1252 (l'encodage par défaut "
        f"d'Excel sous Windows), premier caractère accentué illisible ligne {line}. " + EXCEL_ADVICE
    )
