"""Import of the real structures referential (`export-structures.csv`), and the pieces both importers share.

An import is all or nothing: every row is checked first, every problem is reported with its line,
and the database is written only when there is none. A second run of the same file writes nothing.
"""

import functools
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import translation
from django_countries import countries

from common.csv_import import (
    ImportFileError,
    ImportReport,
    column_positions,
    fold,
    max_length_errors,
    read_csv,
    refuse_nul_characters,
)

from .models import STRUCTURE_CODE_REGEX, TYPOLOGY_CODE_REGEX, Network, Structure, Typology

BATCH_SIZE = 1000


# --- Shared by both importers -------------------------------------------------------------------


@dataclass
class ReferentialImportReport(ImportReport):
    """An import's report that also counts the referential rows it created on its way."""

    networks_created: int = 0
    typologies_created: int = 0
    business_tags_created: int = 0

    def created_alongside(self) -> list[tuple[str, int, str, str]]:
        return [
            ("réseaux", self.networks_created, "créé", "créés"),
            ("typologies", self.typologies_created, "créée", "créées"),
            ("tags métier", self.business_tags_created, "créé", "créés"),
        ]


# Names used by SP+ that differ from django-countries' French (CLDR) names, once folded.
COUNTRY_ALIASES = {
    "etats-unis": "US",
    "congo-brazzaville": "CG",
    "congo-kinshasa": "CD",
    "myanmar (birmanie)": "MM",
    "tchequie": "CZ",
    "taiwan, province de chine": "TW",
    # Spanish enclaves in Africa: ISO 3166 reserves EA for them but lists no country.
    "ceuta et melilla": "ES",
}


@functools.cache
def _country_codes() -> dict[str, str]:
    with translation.override("fr"):
        codes = {fold(str(name)): code for code, name in countries}
    return codes | COUNTRY_ALIASES


def country_code(name: str) -> str | None:
    """ISO code of a country named in French (« États-Unis » → US), or None if unknown."""
    return _country_codes().get(fold(name))


# --- The structures referential -----------------------------------------------------------------

COLUMNS = {
    "code": "Code SP+ de la structure",
    "network": "Intitulé du réseau",
    "typology_name": "Intitulé de la typologie",
    "name": "Intitulé de la structure",
    "public_name": "Intitulé structure usager",
    "description": "Description de la structure",
    "external_id": "Identifiant de la structure",
    "external_id_type": "Type d'identifiant",
    "parent": "Code SP+ structure parent",
    "parent_name": "Intitulé de la structure parente",
    "address": "Adresse",
    "address_complement": "Compléments Adresse",
    "postal_code": "Code postal de la structure",
    "city": "Ville",
    "country": "PAYS",
    "served_postal_codes": "Codes Postaux",
    "served_departments": "Départements",
    "website": "URL du site internet",
    "mailbox": "Boîte à lettre fonctionnelle",
    "tracking_key": "Clé de tracking",
    "is_active": "Actif",
    "typology_code": "Code sp+ de la typologie",
    "insee_commune": "INSEE Ville",
    "insee_department": "INSEE Département",
    "insee_region": "INSEE Région",
    "insee_arrondissement": "INSEE Arrondissement",
}
# Columns copied as they are. URLs and mailboxes are not validated: the referential is the source of truth.
TEXT_FIELDS = [
    "name",
    "public_name",
    "description",
    "external_id",
    "external_id_type",
    "address",
    "address_complement",
    "city",
    "website",
    "mailbox",
    "tracking_key",
]
INSEE_PREFIXES = {
    "insee_commune": "com",
    "insee_department": "dep",
    "insee_region": "reg",
    "insee_arrondissement": "arr",
}
# Consulates carry pseudo-codes (`consIT00186`, `consIT`) instead of INSEE codes: no French territory.
CONSULAR_PREFIX = "cons"
BOOLEANS = {"oui": True, "non": False}
# Every field the import owns; a structure whose values all match is left untouched.
SYNCED_FIELDS = [
    *TEXT_FIELDS,
    "postal_code",
    "country",
    "served_postal_codes",
    "served_departments",
    "is_active",
    *INSEE_PREFIXES,
    "network_id",
    "typology_id",
    "parent_id",
]
TREE_FIELDS = ["tree_id", "lft", "rght", "level"]


@dataclass
class StructureRow:
    line: int
    code: str
    parent_code: str
    network: str
    typology_code: str
    typology_name: str
    values: dict[str, object]


def import_structures(path, *, dry_run: bool = False) -> ReferentialImportReport:
    """Create or update every structure of the file by SP+ code, with its network, typology and parent."""
    report = ReferentialImportReport(subject="structures")
    try:
        header, records = read_csv(path, delimiter=";")
        positions = column_positions(header, COLUMNS, required=set(COLUMNS))
    except ImportFileError as error:
        report.error(error.line, error.message)
        return report
    readable = refuse_nul_characters(report, records)
    rows = [row for line, cells in readable if (row := _parse_row(report, line, cells, len(header), positions))]
    # Codes of the rows already rejected: their children are not reported a second time.
    rejected = {cells[positions["code"]].strip() for _, cells in records if len(cells) == len(header)}
    existing = _existing_structures()
    _check_rows(report, rows, existing, rejected - {row.code for row in rows})
    if not report.ok:
        return report
    # Bulk inserts and updates bypass mptt's save() hooks, so no disable_mptt_updates() (a flag on the
    # class, which would also switch mptt off for the other threads of the process); renumber_tree()
    # then sets the tree fields once, as a rebuild would.
    with transaction.atomic():
        network_ids = _sync_networks(report, rows)
        typology_ids = _sync_typologies(rows, network_ids, report)
        _sync_structures(report, rows, existing, network_ids, typology_ids)
        renumber_tree()
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and report.created + report.updated >= BATCH_SIZE and connection.vendor == "postgresql":
        # Autovacuum may be off (DESIGN.md): fresh statistics, or the planner keeps its empty-table plans.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Structure._meta.db_table)}")
    return report


def _parse_row(report: ImportReport, line: int, cells: list[str], width: int, positions) -> StructureRow | None:
    if len(cells) != width:
        report.error(line, f"{width} colonnes attendues, {len(cells)} trouvées")
        return None
    cell = {key: cells[position].strip() for key, position in positions.items()}
    errors = []
    values: dict[str, object] = {name: cell[name] for name in TEXT_FIELDS}
    country = country_code(cell["country"]) if cell["country"] else ""
    if country is None:
        errors.append(f"pays « {cell['country']} » inconnu")
    values["country"] = country or ""
    is_france = country == "FR"
    values["postal_code"] = _postal_code(cell["postal_code"], is_france)
    values["served_postal_codes"] = _postal_code(cell["served_postal_codes"], is_france)
    # Same lost leading zero as the postal codes: `1` for department 01.
    departments = cell["served_departments"]
    values["served_departments"] = departments.zfill(2) if departments.isdigit() else departments
    if fold(cell["is_active"]) in BOOLEANS:
        values["is_active"] = BOOLEANS[fold(cell["is_active"])]
    else:
        errors.append(f"« Actif » vaut « {cell['is_active']} » (attendu : Oui ou Non)")
    for name, prefix in INSEE_PREFIXES.items():
        code = _insee_code(cell[name], prefix)
        if code is None:
            errors.append(f"« {COLUMNS[name]} » vaut « {cell[name]} » (attendu : {prefix} suivi du code INSEE)")
        values[name] = code or ""
    errors += _code_errors(cell)
    errors += max_length_errors(Structure, values, COLUMNS)
    for message in errors:
        report.error(line, message)
    if errors:
        return None
    return StructureRow(
        line, cell["code"], cell["parent"], cell["network"], cell["typology_code"], cell["typology_name"], values
    )


def _postal_code(value: str, is_france: bool) -> str:
    # Re-saving the file turned 04000 into 4000; only French codes are 5 digits.
    if is_france and value.isdigit() and len(value) == 4:
        return "0" + value
    return value


def _insee_code(value: str, prefix: str) -> str | None:
    """`com53130` → `53130`; blank for none or a consular pseudo-code; None when unreadable."""
    if not value or value.startswith(CONSULAR_PREFIX):
        return ""
    if value.startswith(prefix) and len(value) > len(prefix):
        return value[len(prefix) :]
    return None


def _code_errors(cell: dict[str, str]) -> list[str]:
    errors = []
    if not re.match(STRUCTURE_CODE_REGEX, cell["code"]):
        errors.append(f"code SP+ « {cell['code']} » invalide (au plus 10 lettres, chiffres ou tirets)")
    if cell["parent"] and not re.match(STRUCTURE_CODE_REGEX, cell["parent"]):
        errors.append(f"code SP+ de la structure parente « {cell['parent']} » invalide")
    if not cell["name"]:
        errors.append("« Intitulé de la structure » est vide")
    if not cell["network"]:
        errors.append("« Intitulé du réseau » est vide")
    elif len(cell["network"]) > Network._meta.get_field("name").max_length:
        errors.append("« Intitulé du réseau » est trop long")
    if cell["typology_code"]:
        if not re.match(TYPOLOGY_CODE_REGEX, cell["typology_code"]):
            errors.append(f"code SP+ de typologie « {cell['typology_code']} » invalide")
        if not cell["typology_name"]:
            errors.append("« Intitulé de la typologie » est vide")
        elif len(cell["typology_name"]) > Typology._meta.get_field("name").max_length:
            errors.append("« Intitulé de la typologie » est trop long")
    return errors


def _existing_structures() -> dict[str, dict]:
    """The structures already stored, by code, with the network name their children must share."""
    rows = Structure.objects.values("pk", "code", "network__name", *SYNCED_FIELDS)
    existing = {row["code"]: row for row in rows}
    code_by_pk = {row["pk"]: code for code, row in existing.items()}
    for row in existing.values():
        row["parent_code"] = code_by_pk.get(row["parent_id"], "")
    return existing


def _check_rows(report: ImportReport, rows: list[StructureRow], existing: dict[str, dict], rejected: set[str]):
    """Checks across rows: duplicate codes, typologies, parents, networks, cycles."""
    first_line: dict[str, int] = {}
    typologies: dict[str, tuple[int, str, str]] = {}
    for row in rows:
        if row.code in first_line:
            report.error(row.line, f"code SP+ « {row.code} » déjà présent ligne {first_line[row.code]}")
        first_line.setdefault(row.code, row.line)
        if row.typology_code:
            seen = typologies.setdefault(row.typology_code, (row.line, row.typology_name, row.network))
            if seen[1:] != (row.typology_name, row.network):
                report.error(
                    row.line,
                    f"typologie « {row.typology_code} » : intitulé ou réseau différent de la ligne {seen[0]}",
                )
    by_code = {row.code: row for row in rows}
    parent_of = {code: data["parent_code"] for code, data in existing.items()}
    network_of = {code: data["network__name"] for code, data in existing.items()}
    parent_of |= {row.code: row.parent_code for row in rows}
    network_of |= {row.code: row.network for row in rows}
    for row in rows:
        if row.parent_code in rejected:
            continue
        if row.parent_code and row.parent_code not in parent_of:
            report.error(row.line, f"structure parente « {row.parent_code} » introuvable")
        elif row.parent_code and network_of[row.parent_code] != row.network:
            report.error(
                row.line,
                f"réseau « {row.network} » différent de celui de la structure parente « {row.parent_code} » "
                f"(« {network_of[row.parent_code]} »)",
            )
    for cycle in _cycles(parent_of):
        text = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            if code in by_code:
                report.error(by_code[code].line, f"cycle dans l'arborescence : {text}")


def _cycles(parent_of: dict[str, str]) -> list[list[str]]:
    """The loops in the parent links (each listed once); a walk stops at a root or an unknown parent."""
    cycles: list[list[str]] = []
    settled: set[str] = set()
    for start in parent_of:
        path, on_path, code = [], set(), start
        while code in parent_of and code not in settled and code not in on_path:
            path.append(code)
            on_path.add(code)
            code = parent_of[code]
        if code in on_path:
            cycles.append(path[path.index(code) :])
        settled.update(path)
    return cycles


def _sync_networks(report: ImportReport, rows: list[StructureRow]) -> dict[str, int]:
    ids = dict(Network.objects.values_list("name", "pk"))
    missing = sorted({row.network for row in rows} - ids.keys())
    for network in Network.objects.bulk_create([Network(name=name) for name in missing]):
        ids[network.name] = network.pk
    report.networks_created = len(missing)
    return ids


def _sync_typologies(rows: list[StructureRow], network_ids: dict[str, int], report: ImportReport) -> dict[str, int]:
    wanted = {row.typology_code: (row.typology_name, network_ids[row.network]) for row in rows if row.typology_code}
    stored = {typology.code: typology for typology in Typology.objects.filter(code__in=wanted)}
    created = [
        Typology(code=code, name=name, network_id=network_id)
        for code, (name, network_id) in wanted.items()
        if code not in stored
    ]
    changed = []
    for code, typology in stored.items():
        if (typology.name, typology.network_id) != wanted[code]:
            typology.name, typology.network_id = wanted[code]
            changed.append(typology)
    Typology.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Typology.objects.bulk_update(changed, ["name", "network"], batch_size=BATCH_SIZE)
    report.typologies_created = len(created)
    return dict(Typology.objects.filter(code__in=wanted).values_list("code", "pk"))


def _sync_structures(report, rows, existing, network_ids, typology_ids) -> None:
    ids = {code: data["pk"] for code, data in existing.items()}
    for row in rows:
        row.values["network_id"] = network_ids[row.network]
        row.values["typology_id"] = typology_ids.get(row.typology_code)
    new_rows = [row for row in rows if row.code not in existing]
    if connection.vendor == "postgresql":
        ids |= _copy_structures(new_rows, ids)
    else:
        ids |= _bulk_create_structures(new_rows, ids)
    report.created = len(new_rows)
    report.updated = _update_structures([row for row in rows if row.code in existing], existing, ids)
    report.unchanged = len(rows) - report.created - report.updated


def _copy_structures(rows: list[StructureRow], ids: dict[str, int]) -> dict[str, int]:
    """PostgreSQL: reserve the ids, then one COPY (0.2 s for the real file, bulk_create takes 4 s)."""
    table = Structure._meta.db_table
    fields = Structure._meta.concrete_fields
    quote = connection.ops.quote_name
    template = Structure()
    defaults = {
        field.attname: field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, Structure._meta.pk.column, len(rows)],
        )
        new_ids = {row.code: pk for row, (pk,) in zip(rows, cursor.fetchall(), strict=True)}
        ids = ids | new_ids
        columns = ", ".join(quote(field.column) for field in fields)
        # The psycopg cursor under Django's wrapper: COPY has no ORM equivalent.
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = defaults | row.values | _identity(row, ids)
                copy.write_row([values[field.attname] for field in fields])
    return new_ids


def _bulk_create_structures(rows: list[StructureRow], ids: dict[str, int]) -> dict[str, int]:
    """Other databases: bulk_create depth by depth, since a row needs its parent's id."""
    new_ids: dict[str, int] = {}
    pending = rows
    while pending:
        ready = [row for row in pending if not row.parent_code or row.parent_code in ids]
        if not ready:  # _check_rows() rejects cycles and unknown parents first
            raise RuntimeError("structures sans parent créé : " + ", ".join(row.code for row in pending))
        pending = [row for row in pending if row.parent_code and row.parent_code not in ids]
        created = Structure.objects.bulk_create(
            [Structure(**row.values, **_identity(row, ids)) for row in ready], batch_size=BATCH_SIZE
        )
        batch = {structure.code: structure.pk for structure in created}
        ids, new_ids = ids | batch, new_ids | batch
    return new_ids


def _identity(row: StructureRow, ids: dict[str, int]) -> dict[str, object]:
    # Tree fields are placeholders until renumber_tree() sets them once everything is in.
    tree = dict.fromkeys(TREE_FIELDS, 0)
    return {"id": ids.get(row.code), "code": row.code, "parent_id": ids.get(row.parent_code), **tree}


def _update_structures(rows: list[StructureRow], existing: dict[str, dict], ids: dict[str, int]) -> int:
    """Write only the structures whose values differ, and only the fields that do."""
    changed, changed_fields = [], set()
    for row in rows:
        values = row.values | {"parent_id": ids.get(row.parent_code)}
        stored = existing[row.code]
        differences = {name for name, value in values.items() if stored[name] != value}
        if differences:
            changed.append(Structure(pk=stored["pk"], **values))
            changed_fields |= differences
    if changed:
        Structure.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE)
    return len(changed)


def renumber_tree() -> int:
    """Set lft/rght/level/tree_id exactly as `Structure.objects.rebuild()` would, writing only the rows that move.

    mptt's rebuild orders roots and siblings by `order_insertion_by` in the database's collation and
    rewrites every row through `bulk_update`, whose CASE WHEN takes ~10 s for the 14,763 real rows;
    here one ordered query gives the same numbering and one UPDATE … FROM (VALUES …) per batch writes it.
    """
    order = [*Structure._mptt_meta.order_insertion_by, "pk"]
    nodes = list(Structure.objects.order_by(*order).values_list("pk", "parent_id", *TREE_FIELDS))
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, *_ in nodes:
        children.setdefault(parent_id, []).append(pk)
    numbering: dict[int, tuple[int, int, int, int]] = {}
    for tree_id, root in enumerate(children.get(None, []), start=1):
        _number_subtree(root, tree_id, children, numbering)
    moved = [(pk, *numbering[pk]) for pk, _parent, *stored in nodes if tuple(stored) != numbering[pk]]
    _write_tree_fields(moved)
    return len(moved)


def _write_tree_fields(rows: list[tuple[int, int, int, int, int]]) -> None:
    """UPDATE … FROM (VALUES …): PostgreSQL and SQLite ≥ 3.33 both name the VALUES columns column1, column2…"""
    quote = connection.ops.quote_name
    table = quote(Structure._meta.db_table)
    assignments = ", ".join(
        f"{quote(Structure._meta.get_field(name).column)} = v.column{position}"
        for position, name in enumerate(TREE_FIELDS, start=2)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v WHERE {table}.{quote('id')} = v.column1",
                [value for row in batch for value in row],
            )


def _number_subtree(root: int, tree_id: int, children, numbering) -> None:
    """Depth-first numbering without recursion (trees can be deep), as mptt's `_rebuild_helper` does."""
    counter = 1
    stack = [(root, 0, False)]
    left_of: dict[int, int] = {}
    while stack:
        pk, level, done = stack.pop()
        if done:
            numbering[pk] = (tree_id, left_of[pk], counter, level)
            counter += 1
            continue
        left_of[pk] = counter
        counter += 1
        stack.append((pk, level, True))
        stack.extend((child, level + 1, False) for child in reversed(children.get(pk, [])))
