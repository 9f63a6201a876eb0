"""The bulk generator: experiences with everything hanging off them, chunk by chunk, written in bulk.

A chunk is generated in memory as tuples in column order, made consistent (statuses, first
response dates, improvement actions), then written in one transaction, so memory stays bounded
whatever the total. The first experiences of a run are a fixed showcase routed to the demo
agent's structure: even a small demo holds every moderation state, response status, action state
and transfer decision, and the demo agent sees them all.
"""

import bisect
import datetime
import time
from collections.abc import Callable

from common.bulk import (
    ChunkWriter,
    Table,
    can_skip_foreign_key_triggers,
    check_foreign_keys,
    reset_sequences,
    vacuum_analyze,
    write_chunk,
)
from common.personal_data import count_flags
from experiences.models import DESCRIPTION_MAX_LENGTH, PUBLIC_ID_MAX, PUBLIC_ID_MIN
from experiences.sources import DIRECT

from . import SeedError, text
from .context import Context, StructureInfo, TypologyInfo, public_ids
from .corpus import load_corpus
from .followups import FollowUps
from .randomness import DemoRandom
from .tables import E_DESCRIPTION, E_TITLE, TABLES

UTC = datetime.UTC
HOUR = 3600.0
DAY = 24 * HOUR
HISTORY_DAYS = 3 * 365
# Improvement actions group experiences of the same structure within a window of this many experiences.
ACTION_WINDOW = 100
FEELINGS = ("positive", "neutral", "negative")
FEELING_THRESHOLDS = (0.38, 0.62)  # 38 % positive, 24 % neutral, 38 % negative
ORGANISMS_TYPED = ("La Poste", "Mutuelle santé", "Bailleur social", "Hôpital", "Office de tourisme")
# seed 001: experiences arrive through the site, the « Je donne mon avis » button, banners, QR codes, links.
SOURCES = (
    (0.50, DIRECT),
    (0.65, "Bouton « Je donne mon avis »"),
    (0.77, "Bannière"),
    (0.87, "QR code"),
    (0.95, "Lien de tracking"),
    (1.00, "Courriel de fin de démarche"),
)
WAITING_STATES = ("submitted", "to_modify")
PLANTED_PERSONAL_DATA = (
    "Vous pouvez me joindre au 06 12 34 56 78, mon numéro de sécurité sociale est 1 85 05 78 006 084 91."
    " Mon numéro d'allocataire est 1234567."
)
SHOWCASE = (
    {"moderation": "submitted"},
    {"moderation": "rejected"},
    {"moderation": "to_modify"},
    {"statuses": ("awaiting",)},
    {"statuses": ("draft",)},
    {"statuses": ("pending_validation",)},
    {"statuses": ("answered",)},
    {"statuses": ("modified_notified",)},
    {"statuses": ("unpublished",)},
    {"statuses": ("answered", "adopted")},
    {"statuses": ("answered",), "action": "engaged"},
    {"statuses": ("answered",), "action": "done"},
    {"statuses": ("answered",), "transfer": "pending"},
    {"statuses": ("awaiting",), "transfer": "accepted"},
    {"statuses": ("answered",), "transfer": "refused"},
)


class Generator:
    """Generates experiences into per-table buffers; `run()` writes them chunk by chunk."""

    def __init__(self, context: Context, *, seed: int, now: datetime.datetime, total: int, taken_ids: set[int]):
        self.ctx = context
        self.rng = DemoRandom(seed)
        self.texts = text.TextGenerator(load_corpus(), self.rng)
        self.now = now.astimezone(UTC)
        self.tables = {key: Table(model, columns) for key, (model, columns) in TABLES.items()}
        for table in self.tables.values():
            table.start_after_existing()
        self.public_ids = iter(public_ids(total, taken_ids, self.rng, PUBLIC_ID_MIN, PUBLIC_ID_MAX))
        self.total = total
        self.index = 0
        self.rows: dict[str, list] = {key: [] for key in self.tables}
        self.follow_ups = FollowUps(self, today=now.date())
        self.written = dict.fromkeys(self.tables, 0)

    def run(self, chunk_size: int, progress: Callable[[int, int, float], None] | None = None) -> dict[str, int]:
        """Generate and write `total` experiences; returns the rows written per table.

        Chunks hold whole action windows, so the demo does not depend on the chunk size.
        """
        chunk_size = max(ACTION_WINDOW, chunk_size // ACTION_WINDOW * ACTION_WINDOW)
        started = time.monotonic()
        tables = list(self.tables.values())
        first_ids = {table.name: table.next_id for table in tables}
        skip = can_skip_foreign_key_triggers(tables)
        writer = ChunkWriter(lambda rows: write_chunk(self.tables, rows, skip_foreign_key_triggers=skip))
        try:
            while self.index < self.total:
                for _ in range(min(chunk_size, self.total - self.index)):
                    self.add_experience()
                writer.submit(self.take_chunk())
                if progress:
                    progress(self.index, sum(self.written.values()), time.monotonic() - started)
        finally:
            writer.close()
        problems = check_foreign_keys(tables, first_ids) if skip else []
        if problems:
            raise SeedError("Données générées incohérentes : " + " ; ".join(problems))
        reset_sequences(tables)
        vacuum_analyze(tables)
        return self.written

    def take_chunk(self) -> dict[str, list]:
        """The buffered rows, complete and consistent, handed over for writing."""
        self.follow_ups.close_actions()
        chunk = self.rows
        for key, rows in chunk.items():
            self.written[key] += len(rows)
        self.rows = self.follow_ups.rows = {key: [] for key in self.tables}
        return chunk

    # --- one experience ---------------------------------------------------------------------------

    def add_experience(self) -> None:
        scenario = SHOWCASE[self.index] if self.index < len(SHOWCASE) else {}
        self.index += 1
        rng = self.rng
        roll = rng.random()
        feeling = (
            "positive" if roll < FEELING_THRESHOLDS[0] else "neutral" if roll < FEELING_THRESHOLDS[1] else "negative"
        )
        structures, location = self.route(scenario)
        submitted = self.submitted_at(scenario)
        state, moderated, published = self.moderation(scenario, submitted)
        typologies = self.typologies_of(structures)
        typed_organism = rng.choice(ORGANISMS_TYPED) if state != "published" and rng.random() < 0.15 else ""
        channel = self.pick_channel(typologies[0])  # the one the testimony tells about
        experience_id = self.tables["experience"].take_id()
        row = self.experience_row(
            experience_id, feeling, typologies[0], typed_organism, channel, structures[0], location
        )
        row += self.moderation_columns(state, moderated, submitted, published)
        if scenario.get("moderation") == "submitted":
            # The showcase's first experience to moderate carries what the charter forbids, for the moderators.
            room = DESCRIPTION_MAX_LENGTH - len(PLANTED_PERSONAL_DATA) - 1
            kept = row[E_DESCRIPTION] if len(row[E_DESCRIPTION]) <= room else row[E_DESCRIPTION][: room - 1] + "…"
            row[E_DESCRIPTION] = kept + "\n" + PLANTED_PERSONAL_DATA
        # Counted as the services count a submitted text; what no moderator will read again keeps 0.
        row.append(count_flags(row[E_TITLE], row[E_DESCRIPTION]) if state in WAITING_STATES else 0)
        self.rows["experience"].append(row)
        if typed_organism:
            self.add_typed_organism(experience_id, typed_organism, channel, feeling, location)
        else:
            self.add_typologies(experience_id, typologies, channel, structures, feeling, location, published)
        if published is not None:
            self.follow_ups.add(row, structures, feeling, published, scenario)
        if self.index % ACTION_WINDOW == 0:
            self.follow_ups.close_actions()

    def route(self, scenario: dict) -> tuple[list[StructureInfo], tuple]:
        """The structures the experience concerns (its routing once published) and where its author lives."""
        rng, ctx = self.rng, self.ctx
        if scenario.get("statuses") == ("answered", "adopted"):
            others = [s for s in ctx.focus_subtree if s.id != ctx.focus_local.id] or ctx.focus_subtree
            return unique([rng.choice(others), ctx.focus_local]), self.french_location(ctx.focus_local.department)
        roll = rng.random()
        if scenario or roll < 0.04:
            first = ctx.focus_local
        elif roll < 0.08:
            first = rng.choice(ctx.focus_subtree)
        else:
            return self.route_anywhere()
        return [first], self.french_location(first.department)

    def route_anywhere(self) -> tuple[list[StructureInfo], tuple]:
        rng, ctx = self.rng, self.ctx
        typology = ctx.typologies[self.pick_typology()]
        structure = rng.choice(ctx.by_typology[typology.id])
        if typology.is_consular and structure.country not in ("", "FR") and rng.random() < 0.8:
            location = self.foreign_location(structure.country)
        else:
            location = self.french_location(None)
            structure = self.structure_for(typology.id, location[0])
        structures = [structure]
        roll = rng.random()
        for _ in range(0 if roll < 0.78 else 1 if roll < 0.95 else 2):
            other = rng.choice(typology.related) if typology.related and rng.random() < 0.7 else self.pick_typology()
            structures.append(self.structure_for(other, location[0]))
        if len(structures) == 1 and rng.random() < 0.08 and structure.parent_id in ctx.structures:
            structures.append(ctx.structures[structure.parent_id])  # shared with the parent: adoptions happen
        return unique(structures), location

    def pick_typology(self) -> int:
        ctx = self.ctx
        return ctx.primary_ids[bisect.bisect(ctx.primary_weights, self.rng.random() * ctx.primary_weights[-1])]

    def structure_for(self, typology_id: int, department: str | None) -> StructureInfo:
        """A structure of the typology, preferably one located in the author's department."""
        ctx = self.ctx
        local = ctx.by_typology_department.get((typology_id, department)) if department else None
        return self.rng.choice(local or ctx.by_typology[typology_id])

    def french_location(self, department: str | None) -> tuple:
        """(department, region, postal code, country, INSEE country code): the region is the department's."""
        ctx, rng = self.ctx, self.rng
        if department not in ctx.region_of:
            weights = ctx.department_weights
            department = ctx.departments[bisect.bisect(weights, rng.random() * weights[-1])]
        codes = ctx.postal_codes.get(department)
        postal = rng.choice(codes) if codes else department[:2].replace("2A", "20").replace("2B", "20") + "000"
        return department, ctx.region_of[department], postal, "FR", ""

    def foreign_location(self, country: str) -> tuple:
        return None, None, "", country, self.ctx.country_insee.get(country, "")

    def typologies_of(self, structures: list[StructureInfo]) -> list[TypologyInfo]:
        typologies, seen = [], set()
        for structure in structures:
            typology = self.ctx.typologies.get(structure.typology_id)
            if typology and typology.id not in seen:
                seen.add(typology.id)
                typologies.append(typology)
        return typologies or [self.ctx.typologies[self.pick_typology()]]

    def submitted_at(self, scenario: dict) -> datetime.datetime:
        rng = self.rng
        if scenario.get("moderation") == "submitted":
            days = rng.uniform(0, 1)
        elif scenario:
            days = rng.uniform(40, 200)
        else:
            days = HISTORY_DAYS * rng.random() ** 1.4  # more experiences lately: the platform grows
        day = (self.now - datetime.timedelta(days=int(days) + 1)).replace(hour=6, minute=0, second=0, microsecond=0)
        return day + datetime.timedelta(seconds=rng.uniform(0, 15 * HOUR))  # 6 h–21 h UTC: 7 h–23 h in Paris

    def moderation(self, scenario: dict, submitted: datetime.datetime):
        """(state, moderated at, published at): moderators act within hours to three days."""
        rng = self.rng
        moderated = submitted + datetime.timedelta(seconds=rng.uniform(0.5 * HOUR, 3 * DAY))
        state = scenario.get("moderation") or ("published" if scenario else None)
        if state is None:
            roll = rng.random()
            state = "published" if roll < 0.88 else "rejected" if roll < 0.95 else "to_modify" if roll < 0.98 else ""
            state = "submitted" if not state or moderated >= self.now else state
        if state == "submitted":
            return state, None, None
        return state, moderated, moderated if state == "published" else None

    def pick_channel(self, typology: TypologyInfo) -> str:
        weights = typology.channel_weights
        return typology.channels[bisect.bisect(weights, self.rng.random() * weights[-1])]

    def experience_row(self, pk, feeling, typology: TypologyInfo, typed: str, channel, structure, location) -> list:
        rng, texts = self.rng, self.texts
        public_id = next(self.public_ids)
        first_name = rng.choice(text.FIRST_NAMES)
        roll = rng.random()
        pseudonym = first_name if roll < 0.6 else f"{first_name} {rng.choice('BCDFGHJLMNPRSTV')}." if roll < 0.9 else ""
        name, organism = (typed, text.organism(typed)) if typed else (typology.name, typology.organism)
        noun, verb = rng.choice(typology.procedures if not typed else text.GENERIC_PROCEDURES)
        city = structure.city if location[0] and structure.department == location[0] else ""
        suffix = "e" if rng.random() < 0.5 else ""
        title = texts.title(name, feeling, noun, organism)
        description = texts.description(name, feeling, channel, verb, organism, city, suffix)
        roll = rng.random()
        author_type = "concerned" if roll < 0.9 else "relative" if roll < 0.98 else "mediator"
        email = f"{text.ascii_slug(first_name)}.{public_id}@example.org"
        source, campaign = self.source(structure)
        return [
            pk,
            public_id,
            title,
            description,
            feeling,
            author_type,
            pseudonym,
            email,
            *location,
            source,
            campaign,
            "",
        ]

    def source(self, structure: StructureInfo) -> tuple[str, str]:
        roll = self.rng.random()
        source = next(label for threshold, label in SOURCES if roll < threshold)
        campaign = {
            "Bannière": f"Bannière {structure.name}"[:100],
            "QR code": f"Affiche QR code {structure.code}",
            "Lien de tracking": f"spp-{structure.code.lower()}",
            "Courriel de fin de démarche": "Courriel de fin de démarche",
        }.get(source, "")
        return source, campaign

    def moderation_columns(self, state, moderated, submitted, published) -> list:
        reason = ""
        if state == "rejected":
            reason = self.texts.pick(text.REJECTION_REASONS)
        elif state == "to_modify":
            reason = self.texts.pick(text.MODIFICATION_REQUESTS)
        moderator = self.ctx.moderator_id if moderated else None
        # first_response_at, status and me_too_count are patched by the follow-ups.
        return [
            state,
            reason,
            moderator,
            moderated,
            submitted,
            published,
            None,
            "awaiting",
            0,
            False,
            moderated or submitted,
        ]

    def add_typologies(self, experience_id, typologies, channel, structures, feeling, location, published) -> None:
        rng, ctx = self.rng, self.ctx
        by_typology = {s.typology_id: s for s in reversed(structures)}
        for position, typology in enumerate(typologies[:3], start=1):
            pk = self.tables["typology"].take_id()
            structure = by_typology.get(typology.id)
            postal = structure.postal_code if structure else location[2]
            country = (structure.country if structure else location[3]) or "FR"
            self.rows["typology"].append((pk, experience_id, position, typology.id, "", postal[:10], country))
            self.add_channels(pk, typology, feeling, first=channel if position == 1 else None)
            tags = ctx.business_tags.get(typology.network_id)
            if published and tags:  # business tags are set by moderators and agents
                for tag in rng.sample(tags, min(len(tags), rng.choice((0, 0, 1, 1, 2)))):
                    self.rows["typology_tag"].append((self.tables["typology_tag"].take_id(), pk, tag))

    def add_typed_organism(self, experience_id: int, name: str, channel: str, feeling: str, location) -> None:
        """seed 000: when no keyword matches, the citizen types the organism's name."""
        pk = self.tables["typology"].take_id()
        self.rows["typology"].append((pk, experience_id, 1, None, name, location[2], location[3] or "FR"))
        self.rows["channel"].append((self.tables["channel"].take_id(), pk, channel, feeling))

    def add_channels(self, typology_pk: int, typology: TypologyInfo, feeling: str, first: str | None) -> None:
        rng = self.rng
        weights = typology.channel_weights
        channels = {first} if first else set()
        for _ in range(1 if rng.random() < 0.65 else 2 if rng.random() < 0.8 else 3):
            channels.add(typology.channels[bisect.bisect(weights, rng.random() * weights[-1])])
        for channel in sorted(channels):
            # The citizen's feeling per channel mostly matches the overall feeling.
            channel_feeling = feeling if rng.random() < 0.75 else rng.choice(FEELINGS)
            self.rows["channel"].append((self.tables["channel"].take_id(), typology_pk, channel, channel_feeling))


def unique(structures: list[StructureInfo]) -> list[StructureInfo]:
    seen, result = set(), []
    for structure in structures:
        if structure.id not in seen:
            seen.add(structure.id)
            result.append(structure)
    return result[:3]
