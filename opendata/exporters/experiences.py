"""Rows of the published experiences file, in the real export's columns (seed 000).

A million experiences with bounded memory: the published experiences are read by primary key in chunks
(keyset, never OFFSET), and each chunk's typologies, channels, tags, routings and actions come in one query
each, as plain values; only one chunk is held at a time. The parts are read over the chunk's primary-key
range, not an IN list of its ids: Django builds a 5,000-item IN list param by param (a third of the time).
"""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F

from actions.models import ImprovementActionStatus
from experiences.models import (
    Assignment,
    AuthorType,
    Channel,
    Experience,
    ExperienceChannel,
    ExperienceStatus,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    GeneralTagValue,
    ImprovementActionLink,
    ResponseStatus,
)

from ..formats import day, moment, yes_no
from ..schemas import POSITIONS
from .referentials import country_name

CHUNK = 5000
FEELINGS = dict(Feeling.choices)
AUTHOR_TYPES = dict(AuthorType.choices)
STATUSES = dict(ExperienceStatus.choices)
RESPONSE_STATUSES = dict(ResponseStatus.choices)
CHANNELS = dict(Channel.choices)
AUTHOR_EVALUATIONS = {True: "utile", False: "pas utile", None: ""}
EXPERIENCE_FIELDS = [
    "pk", "public_id", "status", "published_at", "title", "description", "author_type", "feeling", "department_id",
    "region_id", "country", "is_outside_structures", "me_too_count", "first_response_at",
]  # fmt: skip


def experience_rows() -> Iterator[list]:
    published = Experience.objects.published().order_by("pk")
    last_pk = 0
    while True:
        chunk = list(
            published.filter(pk__gt=last_pk).values(
                *EXPERIENCE_FIELDS, department_name=F("department__name"), region_name=F("region__name")
            )[:CHUNK]
        )
        if not chunk:
            return
        first_pk, last_pk = chunk[0]["pk"], chunk[-1]["pk"]
        # Unpublished experiences in the range bring parts nobody looks up: never written.
        parts = _chunk_parts((first_pk, last_pk))
        for experience in chunk:
            yield _row(experience, *(part[experience["pk"]] for part in parts))


def _chunk_parts(pks: tuple[int, int]) -> tuple[dict, ...]:
    return _typologies(pks), _assignments(pks), _general_tags(pks), _actions(pks)


def _between(field: str, pks: tuple[int, int]) -> dict:
    """field between the chunk's first and last primary keys (foreign keys have no `range` lookup)."""
    return {f"{field}__gte": pks[0], f"{field}__lte": pks[1]}


def _typologies(pks: tuple[int, int]) -> dict[int, dict[int, dict]]:
    """By experience, by position: name, postal code, country, channel labels, business tag names."""
    typologies: dict[int, dict[int, dict]] = defaultdict(dict)
    by_id = {}
    rows = ExperienceTypology.objects.filter(**_between("experience", pks)).values(
        "id", "experience_id", "position", "organism_name", "postal_code", "country", typology_name=F("typology__name")
    )
    for row in rows:
        by_id[row["id"]] = typologies[row["experience_id"]][row["position"]] = row | {"channels": [], "tags": []}
    channels = ExperienceChannel.objects.filter(**_between("experience_typology__experience", pks)).order_by("channel")
    for typology_id, channel in channels.values_list("experience_typology_id", "channel"):
        by_id[typology_id]["channels"].append(CHANNELS[channel])
    tags = ExperienceTypology.business_tags.through.objects.filter(**_between("experiencetypology__experience", pks))
    for typology_id, name in tags.values_list("experiencetypology_id", "businesstag__name"):
        by_id[typology_id]["tags"].append(name)
    return typologies


def _assignments(pks: tuple[int, int]) -> dict[int, dict[int, dict]]:
    assignments: dict[int, dict[int, dict]] = defaultdict(dict)
    rows = Assignment.objects.filter(**_between("experience", pks)).values(
        "experience_id", "position", "response_status", "needs_improvement", "imported_useful_votes",
        "imported_not_useful_votes", "imported_author_evaluation", structure_code=F("structure__code"),
        structure_name=F("structure__name"), useful=F("response__visitor_useful_count"),
        not_useful=F("response__visitor_not_useful_count"), author=F("response__author_evaluation__is_useful"),
    )  # fmt: skip
    for row in rows:
        assignments[row["experience_id"]][row["position"]] = row
    return assignments


def _general_tags(pks: tuple[int, int]) -> dict[int, dict[str, str]]:
    tags: dict[int, dict[str, str]] = defaultdict(dict)
    for experience_id, tag, value in GeneralTagValue.objects.filter(**_between("experience", pks)).values_list(
        "experience_id", "tag", "value"
    ):
        tags[experience_id][tag] = FEELINGS[value]
    return tags


def _actions(pks: tuple[int, int]) -> dict[int, dict | None]:
    """The one published action an experience shows: a done one before an engaged one, then the oldest."""
    actions: dict[int, dict | None] = defaultdict(lambda: None)
    links = ImprovementActionLink.objects.filter(
        **_between("experience", pks), improvementaction__is_public=True
    ).order_by("experience_id", "improvementaction__engaged_on", "improvementaction_id")
    for link in links.values(
        "experience_id",
        title=F("improvementaction__title"),
        description=F("improvementaction__description"),
        status=F("improvementaction__status"),
        engaged_on=F("improvementaction__engaged_on"),
        done_on=F("improvementaction__done_on"),
    ):
        shown = actions[link["experience_id"]]
        if shown is None or (link["status"] == ImprovementActionStatus.DONE != shown["status"]):
            actions[link["experience_id"]] = link
    return actions


def _row(experience: dict, typologies: dict, assignments: dict, general_tags: dict, action: dict | None) -> list:
    status = experience["status"]
    all_tags = sorted({name for typology in typologies.values() for name in typology["tags"]})
    return [
        experience["public_id"],
        "A traiter" if status == ExperienceStatus.AWAITING else "Traitées",
        STATUSES[status],
        moment(experience["published_at"]),
        experience["title"],
        experience["description"],
        AUTHOR_TYPES[experience["author_type"]],
        FEELINGS[experience["feeling"]],
        experience["department_id"] or "",
        experience["department_name"] or "",
        experience["region_name"] or "",
        experience["region_id"] or "",
        country_name(experience["country"]),
        *[cell for n in POSITIONS for cell in _typology_cells(typologies.get(n))],
        yes_no(experience["is_outside_structures"]),
        *_structure_cells(assignments.get(1), evaluations=True),
        *_structure_cells(assignments.get(2), evaluations=False),
        *_structure_cells(assignments.get(3), evaluations=False),
        *[general_tags.get(tag, "") for tag in GeneralTag],
        experience["me_too_count"],
        yes_no(any(assignment["needs_improvement"] for assignment in assignments.values())),
        *_action_cells(action),
        ";".join(all_tags),
        *[";".join(sorted(typologies[n]["tags"])) if n in typologies else "" for n in POSITIONS],
        _status(assignments.get(1)),
        *_status_and_evaluations(assignments.get(2)),
        *_status_and_evaluations(assignments.get(3)),
        moment(experience["first_response_at"]),
    ]


def _typology_cells(typology: dict | None) -> list:
    if typology is None:
        return ["", "", "", ""]
    return [
        typology["typology_name"] or typology["organism_name"],
        typology["postal_code"],
        country_name(typology["country"]),
        ",".join(typology["channels"]),
    ]


def _structure_cells(assignment: dict | None, *, evaluations: bool) -> list:
    cells = [assignment["structure_code"], assignment["structure_name"]] if assignment else ["", ""]
    return cells + _evaluations(assignment) if evaluations else cells


def _evaluations(assignment: dict | None) -> list:
    """Visitors' votes and the author's verdict; the imported ones of a routing answered before the platform."""
    if assignment is None:
        return ["", "", ""]
    author = assignment["author"] if assignment["author"] is not None else assignment["imported_author_evaluation"]
    return [
        (assignment["useful"] or 0) + assignment["imported_useful_votes"],
        (assignment["not_useful"] or 0) + assignment["imported_not_useful_votes"],
        AUTHOR_EVALUATIONS[author],
    ]


def _status(assignment: dict | None) -> str:
    return RESPONSE_STATUSES[assignment["response_status"]] if assignment else ""


def _status_and_evaluations(assignment: dict | None) -> list:
    return [_status(assignment), *_evaluations(assignment)]


def _action_cells(action: dict | None) -> list:
    if action is None:
        return ["", "", ""]
    return [action["description"] or action["title"], day(action["done_on"]), day(action["engaged_on"])]
