"""One line of the export, checked cell by cell and resolved against the referentials."""

import datetime
from dataclasses import dataclass, field

from common.csv_import import fold, max_length_errors
from structures.importers import ReferentialImportReport, country_code
from structures.models import BusinessTag, Department, Region, Structure, Typology

from ..models import (
    HISTORICAL_DESCRIPTION_MAX_LENGTH,
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    TITLE_MAX_LENGTH,
    ExperienceStatus,
    ExperienceTypology,
    GeneralTag,
    ModerationState,
    ResponseStatus,
)
from ..sources import DIRECT
from .actions import action_values
from .columns import (
    AUTHOR_EVALUATIONS,
    AUTHOR_TYPES,
    BOOLEANS,
    CHANNELS,
    COLUMNS,
    FEELINGS,
    FLOAT_CODE,
    OPTIONAL_COLUMNS,
    PARIS,
    POSITIONS,
    PROCESSED,
    RESPONSE_STATUSES,
    STATUSES,
)


@dataclass
class ExperienceRow:
    """One line of the export, resolved against the database; `parts` is compared with what is stored."""

    line: int
    public_id: int
    fields: dict
    typologies: list[dict] = field(default_factory=list)
    # Per typology position (index 0 = typology 1): (network id, name) of its business tags.
    business_tags: list[tuple[tuple[int, str], ...]] = field(default_factory=list)
    general_tags: dict[str, str] = field(default_factory=dict)
    assignments: list[dict] = field(default_factory=list)
    action: dict | None = None

    def parts(self) -> dict[str, object]:
        return {
            "fields": self.fields,
            "typologies": [
                {**typology, "business_tags": self.tags_of(index)} for index, typology in enumerate(self.typologies)
            ],
            "general_tags": self.general_tags,
            "assignments": self.assignments,
            "action": self.action,
        }

    def tags_of(self, index: int) -> tuple[tuple[int, str], ...]:
        return self.business_tags[index] if index < len(self.business_tags) else ()


class RowParser:
    """Turns a row's cells into an ExperienceRow, reporting each bad cell; lookups are loaded once."""

    def __init__(self, report: ReferentialImportReport, structure_codes: set[str]):
        self.report = report
        self.departments = set(Department.objects.values_list("code", flat=True))
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.typologies: dict[str, int] = {}
        for name, pk in Typology.objects.order_by("-code").values_list("name", "pk"):
            self.typologies[fold(name)] = pk  # on a shared label, the first code wins
        self.structures: dict[str, int] = {}
        self.networks: dict[int, int] = {}
        self.load_structures(structure_codes)

    def load_structures(self, codes: set[str]) -> None:
        """Look up the codes not seen yet: a file read by chunks brings its structures a chunk at a time."""
        unseen = codes - self.structures.keys()
        found = Structure.objects.filter(code__in=unseen).values_list("code", "pk", "network_id")
        for code, pk, network_id in found:
            self.structures[code] = pk
            self.networks[pk] = network_id

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
            "is_outside_structures": self._choice("is_outside_structures", BOOLEANS),
            "first_response_at": self._datetime("first_response_at"),
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
                    "imported_useful_votes": self._integer(f"useful_votes_{n}", blank=True) or 0,
                    "imported_not_useful_votes": self._integer(f"not_useful_votes_{n}", blank=True) or 0,
                    "imported_author_evaluation": self._choice(
                        f"author_evaluation_{n}", AUTHOR_EVALUATIONS, blank=True
                    ),
                    # Copied onto the routing for the dashboards (experiences/models.py, Assignment).
                    "published_at": fields["published_at"],
                    "feeling": fields["feeling"],
                }
            )
        return assignments

    def _business_tags(self, row: ExperienceRow) -> list[tuple[tuple[int, str], ...]]:
        """Each typology's tags when the file has them per typology (our own export), else all on the first."""
        per_typology = [self._tag_names(f"business_tags_{typology['position']}") for typology in row.typologies]
        names = per_typology if any(per_typology) else [self._tag_names("business_tags")]
        if not any(names):
            return []
        if not row.assignments or not row.typologies:
            self.report.warn(self.line, "tags métiers sans structure ou sans typologie : ignorés")
            return []
        limit = BusinessTag._meta.get_field("name").max_length
        for name in {name for group in names for name in group}:
            if len(name) > limit:
                self._error(f"tag métier « {name[:40]}… » trop long ({limit} caractères au plus)")
        network_id = self.networks[row.assignments[0]["structure_id"]]
        return [tuple((network_id, name) for name in group) for group in names]

    def _tag_names(self, key: str) -> list[str]:
        return sorted({name.strip() for name in self.cell.get(key, "").split(";") if name.strip()})

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
        return action_values(
            structure_id=assignments[0]["structure_id"], text=text, engaged_on=engaged_on, done_on=done_on
        )

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
            label = _label(key)
            self._error(f"« {label} » vaut « {value} », valeur inconnue")
            return None
        return choices[fold(value)]

    def _integer(self, key: str, *, blank: bool = False) -> int | None:
        value = FLOAT_CODE.sub(r"\1", self.cell.get(key, ""))  # pandas wrote 3 as 3.0
        if not value and blank:
            return None
        if not value.isdigit():
            self._error(f"« {_label(key)} » vaut « {self.cell.get(key, '')} », nombre entier attendu")
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
        value = " ".join(self.cell.get(key, "").replace("-", " ").split())
        if not value:
            if required:
                self._error(f"« {_label(key)} » est vide")
            return None
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(value, pattern).replace(tzinfo=PARIS)
            except ValueError:
                continue
        self._error(f"« {_label(key)} » : date « {self.cell[key]} » illisible (JJ/MM/AAAA HH:MM attendu)")
        return None


def _label(key) -> str:
    """The column's header as the file names it (a general tag's key is the tag itself)."""
    return COLUMNS.get(key) or OPTIONAL_COLUMNS.get(key) or key.label
