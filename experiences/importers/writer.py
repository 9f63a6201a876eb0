"""Writing the checked rows: new experiences created, changed parts replaced, unchanged ones left alone."""

from common.bulk import Table, reserve_ids, write
from structures.importers import ReferentialImportReport
from structures.models import BusinessTag

from ..models import Assignment, Experience, ExperienceChannel, ExperienceTypology, GeneralTagValue
from .actions import create_actions, delete_imported_actions
from .rows import ExperienceRow
from .stored import ASSIGNMENT_FIELDS, EXPERIENCE_FIELDS, TYPOLOGY_FIELDS


def write_rows(report: ReferentialImportReport, rows: list[ExperienceRow], stored: dict, changes: dict) -> None:
    new = [row for row in rows if changes[row.public_id] is None]
    changed = [row for row in rows if changes[row.public_id]]
    # Rows go in as tuples through common/bulk.py (COPY on PostgreSQL): bulk_create's model instances cost
    # most of the import's time. Parents take ids drawn beforehand, so their children can point to them.
    ids = dict(zip((row.public_id for row in new), reserve_ids(Experience, len(new)), strict=True))
    # The export has no submission date: the publication date is the closest truth we have.
    _insert(
        Experience,
        ("id", "public_id", "submitted_at", *EXPERIENCE_FIELDS),
        [
            (ids[row.public_id], row.public_id, row.fields["published_at"], *(row.fields[f] for f in EXPERIENCE_FIELDS))
            for row in new
        ],
    )
    ids |= {row.public_id: stored[row.public_id]["pk"] for row in changed}
    Experience.objects.bulk_update(
        [Experience(pk=ids[row.public_id], **row.fields) for row in changed if "fields" in changes[row.public_id]],
        EXPERIENCE_FIELDS,
    )
    _delete_changed_parts(changed, ids, changes)

    def to_write(part: str) -> list[tuple[int, ExperienceRow]]:
        return [(ids[row.public_id], row) for row in new + changed if part in (changes[row.public_id] or {part})]

    _create_typologies(report, to_write("typologies"))
    _insert(
        GeneralTagValue,
        ("experience_id", "tag", "value"),
        [(pk, tag, value) for pk, row in to_write("general_tags") for tag, value in row.general_tags.items()],
    )
    _insert(
        Assignment,
        ("experience_id", *ASSIGNMENT_FIELDS),
        [
            (pk, *(assignment[f] for f in ASSIGNMENT_FIELDS))
            for pk, row in to_write("assignments")
            for assignment in row.assignments
        ],
    )
    create_actions([(pk, row.action) for pk, row in to_write("action")])
    # Added up: the file is written a chunk at a time.
    report.created += len(new)
    report.updated += len(changed)
    report.unchanged += len(rows) - len(new) - len(changed)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    write(Table(model, columns), rows)


def _delete_changed_parts(changed: list[ExperienceRow], ids: dict[int, int], changes: dict) -> None:
    def pks(part: str) -> list[int]:
        return [ids[row.public_id] for row in changed if part in changes[row.public_id]]

    ExperienceTypology.objects.filter(experience__in=pks("typologies")).delete()
    GeneralTagValue.objects.filter(experience__in=pks("general_tags")).delete()
    Assignment.objects.filter(experience__in=pks("assignments")).delete()
    delete_imported_actions(pks("action"))


def _create_typologies(report: ReferentialImportReport, items: list[tuple[int, ExperienceRow]]) -> None:
    """Typologies with their channels (no feeling per channel in the export) and their business tags."""
    tag_ids = _business_tag_ids(report, {tag for _, row in items for group in row.business_tags for tag in group})
    typologies = [(pk, values, row.tags_of(index)) for pk, row in items for index, values in enumerate(row.typologies)]
    typology_ids = reserve_ids(ExperienceTypology, len(typologies))
    _insert(
        ExperienceTypology,
        ("id", "experience_id", *TYPOLOGY_FIELDS),
        [
            (typology_id, pk, *(values[f] for f in TYPOLOGY_FIELDS))
            for typology_id, (pk, values, _) in zip(typology_ids, typologies, strict=True)
        ],
    )
    _insert(
        ExperienceChannel,
        ("experience_typology_id", "channel", "feeling"),
        [
            (typology_id, channel, "")
            for typology_id, (_, values, _) in zip(typology_ids, typologies, strict=True)
            for channel in values["channels"]
        ],
    )
    _insert(
        ExperienceTypology.business_tags.through,
        ("experiencetypology_id", "businesstag_id"),
        [
            (typology_id, tag_ids[tag])
            for typology_id, (_, _, tags) in zip(typology_ids, typologies, strict=True)
            for tag in tags
        ],
    )


def _business_tag_ids(report: ReferentialImportReport, tags: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Ids of the (network, name) business tags, creating the missing ones in their structure's network."""
    networks = {network_id for network_id, _ in tags}
    ids = {
        (network_id, name): pk
        for network_id, name, pk in BusinessTag.objects.filter(network__in=networks).values_list(
            "network_id", "name", "pk"
        )
    }
    missing = sorted(tags - ids.keys())
    for tag in BusinessTag.objects.bulk_create(BusinessTag(network_id=network, name=name) for network, name in missing):
        ids[(tag.network_id, tag.name)] = tag.pk
    report.business_tags_created += len(missing)
    return ids
