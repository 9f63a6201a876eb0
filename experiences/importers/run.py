"""Reading the file by chunks: every row parsed and compared with what is stored, then written, all or nothing.

The file is streamed and handled CHUNK rows at a time (parse, read what is stored, write), inside one
transaction rolled back at the end if any row of the file was refused: memory holds a chunk, not the
file, and the report still lists every error of the whole file. On PostgreSQL outside a transaction, a
writer thread with its own connection writes a chunk while the next one is parsed (common.bulk.ChunkWriter).
"""

import itertools
from functools import partial

from common.bulk import ChunkWriter
from common.csv_import import ImportFileError, column_positions, open_csv, refuse_nul_characters
from structures.importers import ReferentialImportReport

from .columns import COLUMNS, OPTIONAL_COLUMNS, POSITIONS, repair_mojibake
from .rows import ExperienceRow, RowParser
from .stored import changed_parts, check_answered_assignments, stored_parts
from .writer import write_rows

CHUNK = 2000


def import_experiences(path, *, dry_run: bool = False) -> ReferentialImportReport:
    """Create or update every experience of the file by public id, published and marked historical."""
    report = ReferentialImportReport(subject="expériences")
    try:
        header, records = open_csv(path)
        positions = column_positions(header, COLUMNS | OPTIONAL_COLUMNS, required=set(COLUMNS))
    except ImportFileError as error:
        report.error(error.line, error.message)
        return report
    parser = RowParser(report, set())
    first_line: dict[int, int] = {}  # public id → line, for the whole file: the repeated ids
    with ChunkWriter(atomic=True) as writer:
        try:
            while chunk := list(itertools.islice(records, CHUNK)):
                rows = _parse_rows(report, parser, header, refuse_nul_characters(report, chunk), positions, first_line)
                _check_chunk(report, rows, writer)
        except ImportFileError as error:
            report.error(error.line, error.message)
        if dry_run or not report.ok:
            writer.rollback()
    if not report.ok:
        report.created = report.updated = report.unchanged = report.business_tags_created = 0
    return report


def _check_chunk(report: ReferentialImportReport, rows: list[ExperienceRow], writer: ChunkWriter) -> None:
    """Compare the chunk's rows with what is stored and hand them to the writer, while the file has no error so far.

    Earlier chunks may not be written yet (the writer's connection): their rows have other public ids.
    """
    stored = stored_parts([row.public_id for row in rows])
    changes = {row.public_id: changed_parts(row.parts(), stored.get(row.public_id)) for row in rows}
    check_answered_assignments(report, rows, stored, changes)
    if report.ok:
        writer.submit(partial(write_rows, report, rows, stored, changes))


def _parse_rows(
    report: ReferentialImportReport, parser: RowParser, header: list[str], records, positions, first_line: dict
) -> list[ExperienceRow]:
    """The rows with no error, each public id once; every bad cell and repeated id goes to the report."""
    parser.load_structures(
        {
            cells[positions[f"structure_{n}"]].strip()
            for _, cells in records
            for n in POSITIONS
            if len(cells) == len(header)
        }
    )
    rows: list[ExperienceRow] = []
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
