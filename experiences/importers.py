"""Import of historical experiences from the open-data « expériences » export (seed 000), all or nothing.

Structures must be imported first (structures/importers.py): experiences are routed to them by SP+ code.
Each experience is compared with what is stored before anything is written, so a second run writes nothing.
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from actions.models import ImprovementAction, ImprovementActionStatus
from common.csv_import import (
    ImportFileError,
    column_positions,
    fold,
    max_length_errors,
    read_csv,
    refuse_nul_characters,
)
from structures.importers import ReferentialImportReport, country_code
from structures.models import BusinessTag, Department, Region, Structure, Typology

from .models import (
    HISTORICAL_DESCRIPTION_MAX_LENGTH,
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    TITLE_MAX_LENGTH,
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
    ModerationState,
    Response,
    ResponseStatus,
)
from .sources import DIRECT

PARIS = ZoneInfo("Europe/Paris")  # seed 000: dates « DD/MM/AAAA – HH:MM », French local time
POSITIONS = (1, 2, 3)
COLUMNS = {
    "public_id": "ID expérience",
    "state": "Etat expérience",
    "status": "Statut de l'expérience",
    "published_at": "Date de publication",
    "title": "Titre",
    "description": "Description",
    "author_type": "Posté comme",
    "feeling": "Ressenti usager",
    "department": "Code INSEE Département usager",
    "region": "Code INSEE Région usager",
    "country": "Pays",
    "me_too_count": "Expériences Similaires",
    "needs_improvement": "Amélioration de service à considérer",
    "action": "Action",
    "action_done_on": "Date action réalisée",
    "action_engaged_on": "Date action engagée",
    "business_tags": "Tags Métiers",
    **{f"typology_{n}": f"Intitulé Typologie {n}" for n in POSITIONS},
    **{f"typology_postal_code_{n}": f"Code Postal typologie {n}" for n in POSITIONS},
    **{f"typology_country_{n}": f"Pays Typologie {n}" for n in POSITIONS},
    **{f"typology_channels_{n}": f"Canaux Typologie {n}" for n in POSITIONS},
    **{f"structure_{n}": f"ID structure {n}" for n in POSITIONS},
    **{tag: tag.label for tag in GeneralTag},
}
# In the official export, not in every re-saved copy (the sample dropped them).
OPTIONAL_COLUMNS = {f"response_status_{n}": f"Statut réponse structure {n}" for n in POSITIONS}
# The export's visitor and author evaluations (« Evaluation … réponse structure N ») are not read: they
# belong to a Response, and the export carries no response text to build one from.

C1_CONTROLS = re.compile("[\x80-\x9f]")
FLOAT_CODE = re.compile(r"^(\d+)\.0+$")


def _labels(choices) -> dict[str, str]:
    return {fold(label): value for value, label in choices}


FEELINGS = _labels(Feeling.choices)
AUTHOR_TYPES = _labels(AuthorType.choices)
STATUSES = _labels(ExperienceStatus.choices)
RESPONSE_STATUSES = _labels(ResponseStatus.choices)
CHANNELS = _labels(Channel.choices) | {"tchat": Channel.CHAT, "visio": Channel.VIDEO, "video": Channel.VIDEO}
# seed 000: « Etat expérience » is A traiter (awaiting an answer) or Traitées (everything else).
PROCESSED = {"a traiter": False, "traitee": True, "traitees": True}
BOOLEANS = {"oui": True, "non": False, "": False}


@dataclass
class ExperienceRow:
    """One line of the export, resolved against the database; `parts` is compared with what is stored."""

    line: int
    public_id: int
    fields: dict
    typologies: list[dict] = field(default_factory=list)
    business_tags: tuple[tuple[int, str], ...] = ()
    general_tags: dict[str, str] = field(default_factory=dict)
    assignments: list[dict] = field(default_factory=list)
    action: dict | None = None

    def parts(self) -> dict[str, object]:
        return {
            "fields": self.fields,
            "typologies": [
                {**typology, "business_tags": self.business_tags if index == 0 else ()}
                for index, typology in enumerate(self.typologies)
            ],
            "general_tags": self.general_tags,
            "assignments": self.assignments,
            "action": self.action,
        }


def import_experiences(path, *, dry_run: bool = False) -> ReferentialImportReport:
    """Create or update every experience of the file by public id, published and marked historical."""
    report = ReferentialImportReport(subject="expériences")
    try:
        header, records = read_csv(path)
        positions = column_positions(header, COLUMNS | OPTIONAL_COLUMNS, required=set(COLUMNS))
    except ImportFileError as error:
        report.error(error.line, error.message)
        return report
    records = refuse_nul_characters(report, records)
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
    stored = _stored_parts([row.public_id for row in rows])
    changes = {row.public_id: _changed_parts(row.parts(), stored.get(row.public_id)) for row in rows}
    _check_answered_assignments(report, rows, stored, changes)
    if not report.ok:
        return report
    with transaction.atomic():
        _write(report, rows, stored, changes)
        if dry_run:
            transaction.set_rollback(True)
    return report


def repair_mojibake(text: str) -> str:
    """C1 controls come from CP1252 bytes read as Latin-1 (U+0092 for ’): map them back through CP1252."""
    return C1_CONTROLS.sub(lambda match: match.group().encode("latin-1").decode("cp1252", errors="ignore"), text)


class RowParser:
    """Turns a row's cells into an ExperienceRow, reporting each bad cell; lookups are loaded once."""

    def __init__(self, report: ReferentialImportReport, structure_codes: set[str]):
        self.report = report
        self.departments = set(Department.objects.values_list("code", flat=True))
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.typologies: dict[str, int] = {}
        for name, pk in Typology.objects.order_by("-code").values_list("name", "pk"):
            self.typologies[fold(name)] = pk  # on a shared label, the first code wins
        found = list(Structure.objects.filter(code__in=structure_codes).values_list("code", "pk", "network_id"))
        self.structures = {code: pk for code, pk, _ in found}
        self.networks = {pk: network_id for _, pk, network_id in found}

    def parse(self, line: int, cell: dict[str, str]) -> ExperienceRow | None:
        self.line, self.cell, self.failed = line, cell, False
        public_id = self._integer("public_id")
        if public_id is not None and not PUBLIC_ID_MIN <= public_id <= PUBLIC_ID_MAX:
            self._error(f"identifiant « {cell['public_id']} » invalide (6 ou 7 chiffres attendus)")
        row = ExperienceRow(line, public_id, self._fields())
        row.typologies = self._typologies()
        row.assignments = self._assignments(row.fields)
        row.general_tags = {tag: value for tag in GeneralTag if (value := self._choice(tag, FEELINGS, blank=True))}
        row.business_tags = self._business_tags(row)
        row.action = self._action(row.assignments)
        return None if self.failed else row

    def _error(self, message: str) -> None:
        self.report.error(self.line, message)
        self.failed = True

    def _fields(self) -> dict:
        status = self._choice("status", STATUSES, blank=True)
        processed = self._choice("state", PROCESSED, blank=True)
        if status and processed is not None and processed != (status != ExperienceStatus.AWAITING):
            self._error(f"« {COLUMNS['state']} » et « {COLUMNS['status']} » se contredisent")
        if not status:
            status = ExperienceStatus.ANSWERED if processed else ExperienceStatus.AWAITING
        fields = {
            "title": self._text("title", TITLE_MAX_LENGTH),
            "description": self._text("description", HISTORICAL_DESCRIPTION_MAX_LENGTH),
            "feeling": self._choice("feeling", FEELINGS),
            "author_type": self._choice("author_type", AUTHOR_TYPES),
            "department_id": self._territory("department", self.departments),
            "region_id": self._territory("region", self.regions),
            "country": self._country("country"),
            "published_at": self._datetime("published_at", required=True),
            "status": status,
            "me_too_count": self._integer("me_too_count", blank=True) or 0,
            "moderation_state": ModerationState.PUBLISHED,
            "is_historical": True,
            "author_email": "",  # not in the export, and never exported (seed 000)
            # The export has no source column: like an experience shared without a tracking link.
            "source": DIRECT,
        }
        return fields

    def _typologies(self) -> list[dict]:
        typologies, seen = [], set()
        for n in POSITIONS:
            label = self.cell[f"typology_{n}"]
            channels = [name.strip() for name in self.cell[f"typology_channels_{n}"].split(",") if name.strip()]
            if not label:
                if channels or self.cell[f"typology_postal_code_{n}"]:
                    self.report.warn(self.line, f"typologie {n} sans intitulé : ses canaux et code postal sont ignorés")
                continue
            typology_id = self.typologies.get(fold(label))
            key = typology_id or fold(label)
            if key in seen:
                self.report.warn(self.line, f"typologie {n} « {label} » en double : ignorée")
                continue
            seen.add(key)
            country = self._country(f"typology_country_{n}")
            values = {
                "organism_name": "" if typology_id else label,
                "postal_code": self._code(f"typology_postal_code_{n}", 5 if country in ("FR", "") else 0),
            }
            labels = {"organism_name": COLUMNS[f"typology_{n}"], "postal_code": COLUMNS[f"typology_postal_code_{n}"]}
            for message in max_length_errors(ExperienceTypology, values, labels):
                self._error(message)
            channels = sorted({self._channel(name, n) for name in channels} - {None})
            typologies.append(
                {"position": n, "typology_id": typology_id, **values, "country": country, "channels": channels}
            )
        return typologies

    def _assignments(self, fields: dict) -> list[dict]:
        assignments, seen = [], set()
        for n in POSITIONS:
            code = self.cell[f"structure_{n}"]
            if not code:
                continue
            if code in seen:
                self.report.warn(self.line, f"structure {n} « {code} » déjà citée : ignorée")
                continue
            seen.add(code)
            if code not in self.structures:
                self._error(f"structure « {code} » inconnue (importez d'abord le référentiel des structures)")
                continue
            status = self._choice(f"response_status_{n}", RESPONSE_STATUSES, blank=True)
            if not status:
                answered = n == 1 and fields["status"] != ExperienceStatus.AWAITING
                status = ResponseStatus.ANSWERED if answered else ResponseStatus.AWAITING
            assignments.append(
                {
                    "position": n,
                    "structure_id": self.structures[code],
                    "response_status": status,
                    "needs_improvement": self._choice("needs_improvement", BOOLEANS),
                    # Copied onto the routing for the dashboards (experiences/models.py, Assignment).
                    "published_at": fields["published_at"],
                    "feeling": fields["feeling"],
                }
            )
        return assignments

    def _business_tags(self, row: ExperienceRow) -> tuple[tuple[int, str], ...]:
        names = sorted({name.strip() for name in self.cell["business_tags"].split(";") if name.strip()})
        if not names:
            return ()
        if not row.assignments or not row.typologies:
            self.report.warn(self.line, "tags métiers sans structure ou sans typologie : ignorés")
            return ()
        limit = BusinessTag._meta.get_field("name").max_length
        for name in names:
            if len(name) > limit:
                self._error(f"tag métier « {name[:40]}… » trop long ({limit} caractères au plus)")
        network_id = self.networks[row.assignments[0]["structure_id"]]
        return tuple((network_id, name) for name in names)

    def _action(self, assignments: list[dict]) -> dict | None:
        text = self.cell["action"]
        if not text:
            return None
        if not assignments:
            self._error("action d'amélioration sans structure")
            return None
        done_on = self._datetime("action_done_on")
        # An action done on a day was engaged by then at the latest; the model needs an engagement date.
        engaged_on = self._datetime("action_engaged_on") or done_on
        if not engaged_on or (done_on and done_on < engaged_on):
            self._error(f"« {COLUMNS['action_engaged_on']} » vide ou postérieure à la « {COLUMNS['action_done_on']} »")
            return None
        title, limit = text.splitlines()[0], ImprovementAction._meta.get_field("title").max_length
        return {
            "structure_id": assignments[0]["structure_id"],
            "title": title if len(title) <= limit else title[: limit - 1] + "…",
            "description": text,
            "status": ImprovementActionStatus.DONE if done_on else ImprovementActionStatus.ENGAGED,
            "engaged_on": engaged_on.date(),
            "done_on": done_on and done_on.date(),
        }

    # --- one cell --------------------------------------------------------------------------------

    def _text(self, key: str, limit: int) -> str:
        value = self.cell[key]
        if not value:
            self._error(f"« {COLUMNS[key]} » est vide")
        elif len(value) > limit:
            self._error(f"« {COLUMNS[key]} » dépasse {limit} caractères ({len(value)})")
        return value

    def _choice(self, key: str, choices: dict, *, blank: bool = False):
        value = self.cell.get(key, "")
        if not value and blank:
            return None
        if fold(value) not in choices:
            label = COLUMNS.get(key) or OPTIONAL_COLUMNS.get(key) or key.label
            self._error(f"« {label} » vaut « {value} », valeur inconnue")
            return None
        return choices[fold(value)]

    def _integer(self, key: str, *, blank: bool = False) -> int | None:
        value = FLOAT_CODE.sub(r"\1", self.cell[key])  # pandas wrote 3 as 3.0
        if not value and blank:
            return None
        if not value.isdigit():
            self._error(f"« {COLUMNS[key]} » vaut « {self.cell[key]} », nombre entier attendu")
            return None
        return int(value)

    def _code(self, key: str, width: int) -> str:
        """INSEE or postal code that pandas turned into a float: `1.0` → `01`, `73000.0` → `73000`."""
        value = FLOAT_CODE.sub(r"\1", self.cell[key])
        return value.zfill(width) if value.isdigit() else value

    def _territory(self, key: str, known: set[str]) -> str | None:
        code = self._code(key, 2)
        if code and code not in known:
            self._error(f"« {COLUMNS[key]} » : code INSEE « {self.cell[key]} » inconnu")
        return code if code in known else None

    def _country(self, key: str) -> str:
        name = self.cell[key]
        code = country_code(name) if name else ""
        if code is None:
            self._error(f"« {COLUMNS[key]} » : pays « {name} » inconnu")
        return code or ""

    def _channel(self, name: str, position: int) -> str | None:
        if fold(name) not in CHANNELS:
            self._error(f"« {COLUMNS[f'typology_channels_{position}']} » : canal « {name} » inconnu")
        return CHANNELS.get(fold(name))

    def _datetime(self, key: str, *, required: bool = False) -> datetime.datetime | None:
        value = " ".join(self.cell[key].replace("-", " ").split())
        if not value:
            if required:
                self._error(f"« {COLUMNS[key]} » est vide")
            return None
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(value, pattern).replace(tzinfo=PARIS)
            except ValueError:
                continue
        self._error(f"« {COLUMNS[key]} » : date « {self.cell[key]} » illisible (JJ/MM/AAAA HH:MM attendu)")
        return None


# --- Comparing with what is stored ---------------------------------------------------------------

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
    "moderation_state",
    "is_historical",
    "author_email",
    "source",
]
ASSIGNMENT_FIELDS = ["position", "structure_id", "response_status", "needs_improvement", "published_at", "feeling"]
TYPOLOGY_FIELDS = ["position", "typology_id", "organism_name", "postal_code", "country"]
ACTION_FIELDS = ["structure_id", "title", "description", "status", "engaged_on", "done_on"]


def _stored_parts(public_ids: list[int]) -> dict[int, dict]:
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
    links = ImprovementAction.experiences.through.objects.filter(
        experience__in=by_pk, improvementaction__created_by=None
    )
    for values in links.values("experience_id", *[f"improvementaction__{name}" for name in ACTION_FIELDS]):
        parts = by_pk[values.pop("experience_id")]
        action = {name.removeprefix("improvementaction__"): value for name, value in values.items()}
        # Imported actions have no author; two of them cannot match one file row, so they differ.
        parts["action"] = action if parts["action"] is None else [parts["action"], action]
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


def _changed_parts(parts: dict, stored: dict | None) -> set[str] | None:
    """None for a new experience, else the names of the parts that differ (empty: unchanged)."""
    if stored is None:
        return None
    return {name for name, value in parts.items() if stored[name] != value}


def _check_answered_assignments(report: ReferentialImportReport, rows, stored, changes) -> None:
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


# --- Writing -------------------------------------------------------------------------------------


def _write(report: ReferentialImportReport, rows: list[ExperienceRow], stored: dict, changes: dict) -> None:
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
    _create_actions(to_write("action"))
    report.created, report.updated = len(new), len(changed)
    report.unchanged = len(rows) - len(new) - len(changed)


def _delete_changed_parts(changed: list[ExperienceRow], ids: dict[int, int], changes: dict) -> None:
    def pks(part: str) -> list[int]:
        return [ids[row.public_id] for row in changed if part in changes[row.public_id]]

    ExperienceTypology.objects.filter(experience__in=pks("typologies")).delete()
    GeneralTagValue.objects.filter(experience__in=pks("general_tags")).delete()
    Assignment.objects.filter(experience__in=pks("assignments")).delete()
    ImprovementAction.objects.filter(experiences__in=pks("action"), created_by=None).delete()


def _create_typologies(report: ReferentialImportReport, items: list[tuple[int, ExperienceRow]]) -> None:
    """Typologies with their channels (no feeling per channel in the export) and the first one's business tags."""
    tag_ids = _business_tag_ids(report, {tag for _, row in items for tag in row.business_tags})
    typologies, pending = [], []
    for pk, row in items:
        for index, values in enumerate(row.typologies):
            fields = {name: value for name, value in values.items() if name != "channels"}
            typologies.append(ExperienceTypology(experience_id=pk, **fields))
            pending.append((values["channels"], row.business_tags if index == 0 else ()))
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


def _create_actions(items: list[tuple[int, ExperienceRow]]) -> None:
    """The export's action, as an improvement action of structure 1 linked to the experience.

    It was public in the open data, hence `is_public`; it has no author (created_by stays empty), which
    is how a later import recognises it.
    """
    pairs = [(pk, ImprovementAction(is_public=True, **row.action)) for pk, row in items if row.action]
    ImprovementAction.objects.bulk_create(action for _, action in pairs)
    through = ImprovementAction.experiences.through
    through.objects.bulk_create(through(improvementaction_id=action.pk, experience_id=pk) for pk, action in pairs)
