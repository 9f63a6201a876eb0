"""Reading the whole file: every row parsed and compared with what is stored, then written all or nothing."""

from django.db import transaction

from common.csv_import import ImportFileError, column_positions, read_csv, refuse_nul_characters
from structures.importers import ReferentialImportReport

from .columns import COLUMNS, OPTIONAL_COLUMNS, POSITIONS, repair_mojibake
from .rows import ExperienceRow, RowParser
from .stored import changed_parts, check_answered_assignments, stored_parts
from .writer import write_rows


def import_experiences(path, *, dry_run: bool = False) -> ReferentialImportReport:
    """Create or update every experience of the file by public id, published and marked historical."""
    report = ReferentialImportReport(subject="expériences")
    try:
        header, records = read_csv(path)
        positions = column_positions(header, COLUMNS | OPTIONAL_COLUMNS, required=set(COLUMNS))
    except ImportFileError as error:
        report.error(error.line, error.message)
        return report
    rows = _parse_rows(report, header, refuse_nul_characters(report, records), positions)
    stored = stored_parts([row.public_id for row in rows])
    changes = {row.public_id: changed_parts(row.parts(), stored.get(row.public_id)) for row in rows}
    check_answered_assignments(report, rows, stored, changes)
    if not report.ok:
        return report
    with transaction.atomic():
        write_rows(report, rows, stored, changes)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _parse_rows(report: ReferentialImportReport, header: list[str], records, positions) -> list[ExperienceRow]:
    """The rows with no error, each public id once; every bad cell and repeated id goes to the report."""
    structure_codes = {
        cells[positions[f"structure_{n}"]].strip()
        for _, cells in records
        for n in POSITIONS
        if len(cells) == len(header)
    }
    parser = RowParser(report, structure_codes)
    rows: list[ExperienceRow] = []
    first_line: dict[int, int] = {}
    for line, cells in records:
        if len(cells) != len(header):
            report.error(line, f"{len(header)} colonnes attendues, {len(cells)} trouvées")
            continue
        row = parser.parse(line, {key: repair_mojibake(cells[index].strip()) for key, index in positions.items()})
        if row and row.public_id in first_line:
            report.error(line, f"expérience {row.public_id} déjà présente ligne {first_line[row.public_id]}")
        elif row:
            first_line[row.public_id] = line
            rows.append(row)
    return rows
