"""Checking a results file against the Table Schema (schemas/resultats.json), row by row, without writing.

The same check runs when a referent clicks « Tester » and again, inside the transaction, when the import
is executed: what is written is exactly what the report announced (seed 003). The file is streamed and
its valid rows handled by chunks of CHUNK (one query for the results already in place per chunk, then
handed to the writer), so a file of a million rows takes no more memory than one of a thousand.
"""

import calendar
import datetime
import difflib
import functools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from common.csv_import import ImportFileError, encoding_problem, file_format_problem, fold, stream_csv
from structures.models import Structure

from .models import Frequency, Indicator, Result, UnitType

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "resultats.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
COLUMNS = [spec["name"] for spec in SCHEMA["fields"]]
STRUCTURE, INDICATOR, VALUE, FREQUENCY, PERIOD, UPDATED_ON = (
    "Code SP+ structure",
    "Code SP+ de l'indicateur",
    "Valeur",
    "Fréquence",
    "Période",
    "Date de mise à jour",
)
# Past this many errors the report stops listing them and says it is partial: nobody reads further,
# and a file of bad rows must not make a report of megabytes.
MAX_LISTED = 300
# Rows per lookup of the results in place, and per write: big enough for few queries, small enough
# for a bounded memory and a progress that moves.
CHUNK = 5000
PERIOD_FORMATS = {
    Frequency.YEARLY: (re.compile(r"\A(\d{4})\Z"), "AAAA, par exemple 2025"),
    Frequency.HALF_YEARLY: (re.compile(r"\A(\d{4})-S([12])\Z"), "AAAA-S1 ou AAAA-S2, par exemple 2025-S1"),
    Frequency.QUARTERLY: (re.compile(r"\A(\d{4})-T([1-4])\Z"), "AAAA-T1 à AAAA-T4, par exemple 2025-T2"),
    Frequency.MONTHLY: (re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\Z"), "AAAA-MM, par exemple 2025-03"),
}
MONTHS_PER_PERIOD = {Frequency.YEARLY: 12, Frequency.HALF_YEARLY: 6, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}


@dataclass
class Row:
    """A valid row, ready to be written."""

    line: int
    structure_id: int
    indicator_id: int
    value: Decimal
    frequency: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    updated_on: datetime.date


@dataclass
class Report:
    """What a test found: counts at the top, then each problem as (line, column, value, message)."""

    file_error: str = ""
    rows_read: int = 0
    rows_in_error: int = 0
    error_count: int = 0
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str, str]] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    @property
    def partial(self) -> bool:
        return self.error_count > len(self.errors)

    @property
    def rows_valid(self) -> int:
        return self.rows_read - self.rows_in_error

    def error(self, line: int, column: str, value: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append((line, column, value, message))

    def warn(self, line: int, column: str, value: str, message: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append((line, column, value, message))

    def as_json(self) -> dict:
        return {
            "file_error": self.file_error,
            "errors": self.errors,
            "warnings": self.warnings,
            "error_count": self.error_count,
            "partial": self.partial,
        }


def check_file(path, *, filename: str, network, structures, write=None) -> Report:
    """The report of the file at `path` for `network`, the rows limited to `structures` (the referent's scope).

    `write`, when given, receives the rows to create or update, a list at a time, as long as no error
    has been found (the caller drops what it received if the report ends with one).
    """
    report = Report()
    try:
        header, records = _read(path, filename)
        _check_records(report, _Context(network, structures), header, records, write)
    except ImportFileError as error:
        report.file_error = error.message
        return report
    if report.rows_read == 0:
        report.file_error = "Le fichier ne contient aucune ligne de résultat après la ligne d'en-tête."
    return report


def _check_records(report: Report, context: "_Context", header: list[str], records, write) -> None:
    positions = {name: header.index(name) for name in (STRUCTURE, INDICATOR, VALUE, FREQUENCY, PERIOD, UPDATED_ON)}
    positions["width"] = len(header)
    # Only the keys are kept for the whole file (the duplicates check), not the rows.
    seen: dict[tuple[int, int, str], int] = {}
    pending: list[Row] = []
    for line, cells in records:
        report.rows_read += 1
        errors_before = report.error_count
        row = _check_row(report, context, line, cells, positions)
        if row is not None:
            key = (row.structure_id, row.indicator_id, row.period)
            if key in seen:
                message = f"doublon : même structure, indicateur et période qu'à la ligne {seen[key]}"
                report.error(line, PERIOD, row.period, message)
            else:
                seen[key] = line
                pending.append(row)
                if len(pending) == CHUNK:
                    _classify(report, context, pending, write)
                    pending = []
        if report.error_count > errors_before:
            report.rows_in_error += 1
    _classify(report, context, pending, write)
    # A chunk's jump warnings come after the suggestions of its later lines: the report reads by line.
    report.warnings.sort(key=lambda warning: warning[0])


def _read(path, filename: str):
    """The header (the schema's names) and the records, streamed: a 100,000-row file is never held whole."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    problem = file_format_problem(head[:8], filename) or (encoding_problem(path) if head else None)
    if problem:
        raise ImportFileError(1, problem)
    if not head.decode("utf-8-sig", errors="ignore").strip():
        raise ImportFileError(1, "Le fichier est vide.")
    first_line = head.decode("utf-8-sig", errors="ignore").split("\n", 1)[0]
    if ";" not in first_line and "," in first_line:
        raise ImportFileError(
            1,
            "Le séparateur de colonnes doit être le point-virgule (;) : ce fichier utilise la virgule. "
            "Enregistrez-le en CSV avec « ; » comme séparateur de champ.",
        )
    header, records = stream_csv(path, delimiter=";")
    _check_header(
        header, [cell.strip().strip('"').replace("\ufeff", "") for cell in first_line.rstrip("\r").split(";")]
    )
    return [_COLUMN_BY_FOLD.get(name, name) for name in header], records


_COLUMN_BY_FOLD = {fold(name): name for name in COLUMNS}


def _check_header(header: list[str], shown: list[str]) -> None:
    """Every column of the schema once, and nothing else; the message names them as the file writes them."""
    problems = []
    for position, name in enumerate(header):
        label = shown[position] if position < len(shown) else name
        if name not in _COLUMN_BY_FOLD:
            problems.append(f"colonne inconnue « {label} »")
        elif header.index(name) < position:
            problems.append(f"colonne « {label} » en double")
    problems += [f"colonne manquante « {name} »" for name in COLUMNS if fold(name) not in header]
    if problems:
        raise ImportFileError(
            1,
            "Ligne d'en-tête : "
            + " ; ".join(problems)
            + ". Colonnes attendues, dans le modèle : "
            + " ; ".join(COLUMNS)
            + ".",
        )


class _Context:
    """What checking a row needs, read once: the structures of the scope, the indicators; then the results
    in place, a chunk at a time."""

    def __init__(self, network, structures):
        self.network = network
        self.in_scope = {
            code: (pk, is_active) for pk, code, is_active in structures.values_list("pk", "code", "is_active")
        }
        self.scope_names = dict(structures.values_list("code", "name"))
        self.indicators = {indicator.code: indicator for indicator in Indicator.objects.select_related("network")}
        self.units = {indicator.pk: indicator.unit for indicator in self.indicators.values()}
        self.today = timezone.localdate()

    @staticmethod
    def results_in_place(rows: list[Row]):
        """For the rows' structures and indicators: the results in place for the rows' periods by (structure,
        indicator, period), and the latest one's end and value by (structure, indicator). Two queries, each
        returning at most a row per row of the chunk (not the structures' whole history), read before any write."""
        pairs = Result.objects.filter(
            structure_id__in={row.structure_id for row in rows}, indicator_id__in={row.indicator_id for row in rows}
        ).order_by()
        same_periods = pairs.filter(period__in={row.period for row in rows}).values_list(
            "structure_id", "indicator_id", "period", "value", "frequency", "updated_on"
        )
        existing = {(s, i, period): (value, frequency, day) for s, i, period, value, frequency, day in same_periods}
        latest = _latest_in_place({(row.structure_id, row.indicator_id) for row in rows}, pairs)
        return existing, latest

    def other_structure(self, code: str) -> Structure | None:
        return Structure.objects.filter(code=code).select_related("network").first()

    def suggestions(self, code: str) -> list[str]:
        codes = difflib.get_close_matches(code, list(self.scope_names), n=3, cutoff=0.6)
        names = difflib.get_close_matches(code.lower(), [name.lower() for name in self.scope_names.values()], n=2)
        by_name = [c for c, name in self.scope_names.items() if name.lower() in names]
        return [f"{c} ({self.scope_names[c]})" for c in dict.fromkeys(codes + by_name)]


def _latest_in_place(keys: set[tuple[int, int]], results) -> dict[tuple[int, int], tuple[datetime.date, Decimal]]:
    """The end and value of the latest result of each (structure, indicator) of `keys`; `results` holds them."""
    if connection.vendor != "postgresql":
        # SQLite (`make run`): numbered newest first, the first kept; slower on a long history, and enough there.
        newest_first = Window(
            RowNumber(), partition_by=[F("structure_id"), F("indicator_id")], order_by=F("period_end").desc()
        )
        rows = results.annotate(recency=newest_first).filter(recency=1)
        rows = rows.values_list("structure_id", "indicator_id", "period_end", "value")
        return {(s, i): (period_end, value) for s, i, period_end, value in rows}
    structures, indicators = zip(*keys, strict=True) if keys else ((), ())
    with connection.cursor() as cursor:
        # One probe of result_structure_latest per pair: a window over the pairs' whole history took 0.2 s a chunk.
        cursor.execute(
            "SELECT pair.structure_id, pair.indicator_id, latest.period_end, latest.value "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS pair(structure_id, indicator_id) "
            "CROSS JOIN LATERAL (SELECT period_end, value FROM transparency_result AS result "
            "WHERE result.structure_id = pair.structure_id AND result.indicator_id = pair.indicator_id "
            "ORDER BY period_end DESC LIMIT 1) AS latest",
            [list(structures), list(indicators)],
        )
        return {(s, i): (period_end, value) for s, i, period_end, value in cursor.fetchall()}


def _check_row(report: Report, context: _Context, line: int, record: list[str], positions: dict) -> Row | None:
    if len(record) != positions["width"]:
        width, expected = len(record), positions["width"]
        report.error(
            line, "", "", f"la ligne a {width} colonnes au lieu de {expected} : un « ; » en trop ou en moins ?"
        )
        return None
    cells = {
        name: record[positions[name]].strip() for name in (STRUCTURE, INDICATOR, VALUE, FREQUENCY, PERIOD, UPDATED_ON)
    }
    structure_id = _structure(report, context, line, cells[STRUCTURE])
    indicator = _indicator(report, context, line, cells[INDICATOR])
    value = _value(report, line, cells[VALUE], indicator)
    frequency = _frequency(report, line, cells[FREQUENCY])
    period = _period(report, line, cells[PERIOD], frequency)
    updated_on = _date(report, context, line, cells[UPDATED_ON], period)
    if None in (structure_id, indicator, value, frequency, period, updated_on):
        return None
    return Row(line, structure_id, indicator.pk, value, frequency, cells[PERIOD], *period, updated_on)


def _structure(report: Report, context: _Context, line: int, code: str) -> int | None:
    if not code:
        report.error(line, STRUCTURE, code, "code de structure manquant")
        return None
    if code in context.in_scope:
        pk, is_active = context.in_scope[code]
        if not is_active:
            report.error(
                line,
                STRUCTURE,
                code,
                f"la structure « {code} » est fermée (inactive) : elle ne publie plus de résultats",
            )
            return None
        return pk
    other = context.other_structure(code)
    if other is None:
        report.error(line, STRUCTURE, code, f"aucune structure n'a le code « {code} » dans le référentiel")
        if suggestions := context.suggestions(code):
            report.warn(line, STRUCTURE, code, "codes proches dans votre périmètre : " + ", ".join(suggestions))
    elif other.network_id != context.network.pk:
        report.error(
            line,
            STRUCTURE,
            code,
            f"la structure « {code} » appartient au réseau {other.network.name}, pas au réseau {context.network.name}",
        )
    else:
        report.error(line, STRUCTURE, code, f"la structure « {code} » n'est pas dans votre périmètre de référent")
    return None


def _indicator(report: Report, context: _Context, line: int, code: str) -> Indicator | None:
    indicator = context.indicators.get(code)
    if indicator is None:
        report.error(
            line,
            INDICATOR,
            code,
            f"aucun indicateur n'a le code « {code} » (codes IND-<n> du référentiel des indicateurs)",
        )
        return None
    if indicator.network_id not in (None, context.network.pk):
        report.error(
            line,
            INDICATOR,
            code,
            f"l'indicateur {code} est propre au réseau {indicator.network.name}, pas au réseau {context.network.name}",
        )
        return None
    if not indicator.is_active:
        report.error(line, INDICATOR, code, f"l'indicateur {code} n'est plus actif")
        return None
    return indicator


def parse_number(text: str) -> Decimal | None:
    """« 98,5 » and « 98.5 » alike (seed 003 files come from French spreadsheets); spaces between thousands too."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _value(report: Report, line: int, text: str, indicator: Indicator | None) -> Decimal | None:
    if not text:
        report.error(line, VALUE, text, "valeur manquante")
        return None
    number = parse_number(text)
    if number is None:
        report.error(line, VALUE, text, "la valeur doit être un nombre sans unité, par exemple 98,5")
        return None
    if indicator is None:
        return number
    low, high = indicator.value_range()
    if number < low or (high is not None and number > high):
        bounds = f"entre {low} et {high}" if high is not None else f"au moins {low}"
        report.error(
            line, VALUE, text, f"la valeur doit être {bounds} pour l'indicateur {indicator.code} ({indicator.unit})"
        )
        return None
    if indicator.unit_type == UnitType.COUNT and number != number.to_integral_value():
        report.error(
            line, VALUE, text, f"l'indicateur {indicator.code} compte des unités : la valeur doit être un nombre entier"
        )
        return None
    return number


FREQUENCIES = frozenset(Frequency.values)


def _frequency(report: Report, line: int, text: str) -> str | None:
    folded = fold(text)
    if folded in FREQUENCIES:
        return folded
    report.error(line, FREQUENCY, text, "fréquence inconnue : annuelle, semestrielle, trimestrielle ou mensuelle")
    return None


def _period(report: Report, line: int, text: str, frequency: str | None) -> tuple[datetime.date, datetime.date] | None:
    if frequency is None:
        return None
    bounds = period_bounds(text, frequency)
    if bounds is None:
        example = PERIOD_FORMATS[frequency][1]
        report.error(line, PERIOD, text, f"période invalide pour une fréquence {frequency} : attendu {example}")
    return bounds


# A file repeats the same few periods and dates on every row: each is parsed once.
@functools.lru_cache(maxsize=1024)
def period_bounds(text: str, frequency: str) -> tuple[datetime.date, datetime.date] | None:
    match = PERIOD_FORMATS[frequency][0].match(text)
    if not match:
        return None
    year = int(match.group(1))
    span = MONTHS_PER_PERIOD[frequency]
    first_month = 1 + (int(match.group(2)) - 1) * span if match.lastindex == 2 else 1
    last_month = first_month + span - 1
    return datetime.date(year, first_month, 1), datetime.date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


@functools.lru_cache(maxsize=1024)
def parse_date(text: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _date(report: Report, context: _Context, line: int, text: str, period) -> datetime.date | None:
    day = parse_date(text)
    if day is None:
        report.error(line, UPDATED_ON, text, "date invalide : attendu JJ/MM/AAAA, par exemple 31/01/2026")
        return None
    if day > context.today:
        report.error(line, UPDATED_ON, text, "la date de mise à jour est dans le futur")
        return None
    if period is not None and day < period[0]:
        report.error(line, UPDATED_ON, text, "la date de mise à jour précède le début de la période mesurée")
        return None
    return day


def _classify(report: Report, context: _Context, rows: list[Row], write) -> None:
    """Each row to create, to update or unchanged; a warning when a value jumps from the previous one;
    the rows to create or update handed to `write`."""
    if not rows:
        return
    existing, latest = context.results_in_place(rows)
    changed = []
    for row in rows:
        found = existing.get((row.structure_id, row.indicator_id, row.period))
        if found is None:
            report.to_create += 1
            changed.append(row)
        elif found == (row.value, row.frequency, row.updated_on):
            report.unchanged += 1
        else:
            report.to_update += 1
            changed.append(row)
        previous = latest.get((row.structure_id, row.indicator_id))
        if previous and previous[0] < row.period_end and _far(previous[1], row.value):
            unit = context.units[row.indicator_id]
            report.warn(
                row.line,
                VALUE,
                str(row.value),
                f"{_show(previous[1])} {unit} → {_show(row.value)} {unit} : vérifiez l'unité",
            )
    if write is not None and changed and report.ok:
        write(changed)


def _far(before: Decimal, after: Decimal) -> bool:
    """A jump a wrong unit would explain (a rate typed as a fraction, minutes typed as hours)."""
    if before == 0 or after == 0:
        return before != after
    ratio = max(before, after) / min(before, after)
    return ratio >= 3


def _show(number: Decimal) -> str:
    return f"{number.normalize():f}".replace(".", ",")


SAMPLE_PATH = Path(__file__).resolve().parent / "samples" / "resultats-exemple.csv"
