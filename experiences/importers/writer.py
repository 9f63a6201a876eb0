"""Writing the checked rows: new experiences created, changed parts replaced, unchanged ones left alone."""

from structures.importers import ReferentialImportReport
from structures.models import BusinessTag

from ..models import Assignment, Experience, ExperienceChannel, ExperienceTypology, GeneralTagValue
from .actions import create_actions, delete_imported_actions
from .rows import ExperienceRow
from .stored import EXPERIENCE_FIELDS


def write_rows(report: ReferentialImportReport, rows: list[ExperienceRow], stored: dict, changes: dict) -> None:
    new = [row for row in rows if changes[row.public_id] is None]
    changed = [row for row in rows if changes[row.public_id]]
    # The export has no submission date: the publication date is the closest truth we have.
    created = Experience.objects.bulk_create(
        [Experience(public_id=row.public_id, submitted_at=row.fields["published_at"], **row.fields) for row in new]
    )
    ids = {experience.public_id: experience.pk for experience in created}
    ids |= {row.public_id: stored[row.public_id]["pk"] for row in changed}
    Experience.objects.bulk_update(
        [Experience(pk=ids[row.public_id], **row.fields) for row in changed if "fields" in changes[row.public_id]],
        EXPERIENCE_FIELDS,
    )
    _delete_changed_parts(changed, ids, changes)

    def to_write(part: str) -> list[tuple[int, ExperienceRow]]:
        return [(ids[row.public_id], row) for row in new + changed if part in (changes[row.public_id] or {part})]

    _create_typologies(report, to_write("typologies"))
    GeneralTagValue.objects.bulk_create(
        GeneralTagValue(experience_id=pk, tag=tag, value=value)
        for pk, row in to_write("general_tags")
        for tag, value in row.general_tags.items()
    )
    Assignment.objects.bulk_create(
        Assignment(experience_id=pk, **assignment)
        for pk, row in to_write("assignments")
        for assignment in row.assignments
    )
    create_actions([(pk, row.action) for pk, row in to_write("action")])
    report.created, report.updated = len(new), len(changed)
    report.unchanged = len(rows) - len(new) - len(changed)


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
    typologies, pending = [], []
    for pk, row in items:
        for index, values in enumerate(row.typologies):
            fields = {name: value for name, value in values.items() if name != "channels"}
            typologies.append(ExperienceTypology(experience_id=pk, **fields))
            pending.append((values["channels"], row.tags_of(index)))
    ExperienceTypology.objects.bulk_create(typologies)
    ExperienceChannel.objects.bulk_create(
        ExperienceChannel(experience_typology_id=typology.pk, channel=channel, feeling="")
        for typology, (channels, _) in zip(typologies, pending, strict=True)
        for channel in channels
    )
    through = ExperienceTypology.business_tags.through
    through.objects.bulk_create(
        through(experiencetypology_id=typology.pk, businesstag_id=tag_ids[tag])
        for typology, (_, tags) in zip(typologies, pending, strict=True)
        for tag in tags
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
