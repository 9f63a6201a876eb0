"""What the database already holds for the file's experiences, and which parts of each the file changes.

Each experience is compared with what is stored before anything is written, so a second run writes nothing.
"""

from structures.importers import ReferentialImportReport

from ..models import Assignment, Experience, ExperienceChannel, ExperienceTypology, GeneralTagValue, Response
from .actions import read_stored_actions

EXPERIENCE_FIELDS = [
    "title",
    "description",
    "feeling",
    "author_type",
    "department_id",
    "region_id",
    "country",
    "published_at",
    "status",
    "me_too_count",
    "is_outside_structures",
    "first_response_at",
    "moderation_state",
    "is_historical",
    "author_email",
    "source",
]
ASSIGNMENT_FIELDS = [
    "position",
    "structure_id",
    "response_status",
    "needs_improvement",
    "published_at",
    "feeling",
    "imported_useful_votes",
    "imported_not_useful_votes",
    "imported_author_evaluation",
]
TYPOLOGY_FIELDS = ["position", "typology_id", "organism_name", "postal_code", "country"]


def stored_parts(public_ids: list[int]) -> dict[int, dict]:
    """What the database holds for these experiences, shaped like ExperienceRow.parts() (plus the pk)."""
    stored = {
        values.pop("public_id"): {"pk": values.pop("pk"), "fields": values}
        for values in Experience.objects.filter(public_id__in=public_ids).values("pk", "public_id", *EXPERIENCE_FIELDS)
    }
    by_pk = {parts["pk"]: parts for parts in stored.values()}
    for parts in by_pk.values():
        parts |= {"typologies": [], "general_tags": {}, "assignments": [], "action": None}
    _stored_typologies(by_pk)
    for experience_id, tag, value in GeneralTagValue.objects.filter(experience__in=by_pk).values_list(
        "experience_id", "tag", "value"
    ):
        by_pk[experience_id]["general_tags"][tag] = value
    for values in (
        Assignment.objects.filter(experience__in=by_pk).order_by("position").values("experience_id", *ASSIGNMENT_FIELDS)
    ):
        by_pk[values.pop("experience_id")]["assignments"].append(values)
    read_stored_actions(by_pk)
    return stored


def _stored_typologies(by_pk: dict[int, dict]) -> None:
    typologies = {
        values.pop("id"): values | {"channels": [], "business_tags": []}
        for values in ExperienceTypology.objects.filter(experience__in=by_pk)
        .order_by("position")
        .values("id", "experience_id", *TYPOLOGY_FIELDS)
    }
    for typology_id, channel in ExperienceChannel.objects.filter(experience_typology__in=typologies).values_list(
        "experience_typology_id", "channel"
    ):
        typologies[typology_id]["channels"].append(channel)
    through = ExperienceTypology.business_tags.through.objects.filter(experiencetypology__in=typologies)
    for typology_id, network_id, name in through.values_list(
        "experiencetypology_id", "businesstag__network_id", "businesstag__name"
    ):
        typologies[typology_id]["business_tags"].append((network_id, name))
    for typology in typologies.values():
        typology["channels"].sort()
        typology["business_tags"] = tuple(sorted(typology["business_tags"]))
        by_pk[typology.pop("experience_id")]["typologies"].append(typology)


def changed_parts(parts: dict, stored: dict | None) -> set[str] | None:
    """None for a new experience, else the names of the parts that differ (empty: unchanged)."""
    if stored is None:
        return None
    return {name for name, value in parts.items() if stored[name] != value}


def check_answered_assignments(report: ReferentialImportReport, rows, stored, changes) -> None:
    """Re-routing an experience would delete the answers given on the platform since: refuse it."""
    rerouted = {stored[row.public_id]["pk"]: row for row in rows if "assignments" in (changes[row.public_id] or ())}
    answered = Response.objects.filter(assignment__experience__in=rerouted).values_list(
        "assignment__experience_id", flat=True
    )
    for experience_id in set(answered):
        row = rerouted[experience_id]
        report.error(
            row.line,
            f"expérience {row.public_id} : des réponses y ont été apportées, ses structures ne peuvent changer",
        )
