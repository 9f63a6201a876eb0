"""What the generator reads once from the database: typologies, structures, territories, tags and users."""

import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from experiences.forms.countries import country_insee_codes
from structures.models import BusinessTag, Department, Structure, Typology

from .text import Organism, organism_for, procedures_for
from .topics import GENERIC_CHANNELS, TOPICS

# Organisms of the French abroad: their authors mostly live outside France (seed 000: « Pays »).
CONSULAR_TYPOLOGIES = frozenset(
    {
        "Réseau consulaire",
        "France Consulaire",
        "Service Central d'Etat Civil",
        "Ministère de l’Europe et des Affaires étrangères (MEAE)",
    }
)
TAIL_WEIGHT = 0.04  # each typology the topics do not describe still shows up now and then


@dataclass(frozen=True)
class StructureInfo:
    id: int
    code: str
    name: str
    city: str
    postal_code: str
    department: str
    country: str
    network_id: int
    typology_id: int | None
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int

    def within(self, other: "StructureInfo") -> bool:
        return self.tree_id == other.tree_id and other.lft <= self.lft and self.rght <= other.rght


@dataclass
class TypologyInfo:
    id: int
    name: str
    network_id: int
    organism: Organism
    procedures: tuple[tuple[str, str], ...]
    channels: list[str]
    channel_weights: list[float]  # cumulative, for bisect
    related: list[int] = field(default_factory=list)
    is_consular: bool = False


@dataclass
class Scope:
    """A demo user's subtree: answers routed there are signed by them."""

    user_id: int
    root: StructureInfo


@dataclass
class Context:
    typologies: dict[int, TypologyInfo]
    primary_ids: list[int]
    primary_weights: list[float]
    structures: dict[int, StructureInfo]
    by_typology: dict[int, list[StructureInfo]]
    by_typology_department: dict[tuple[int, str], list[StructureInfo]]
    departments: list[str]
    department_weights: list[float]
    region_of: dict[str, str]
    postal_codes: dict[str, list[str]]
    country_insee: dict[str, str]
    business_tags: dict[int, list[int]]
    moderator_id: int
    responders: dict[int, int]
    scopes: list[Scope]  # narrowest first: the agent's structure, then the super agent's
    focus_local: StructureInfo
    focus_subtree: list[StructureInfo]


def load_structures() -> dict[int, StructureInfo]:
    fields = ("pk", "code", "name", "public_name", "city", "postal_code", "insee_department", "country")
    fields += ("network_id", "typology_id", "parent_id", "tree_id", "lft", "rght", "is_active")
    structures = {}
    for row in Structure.objects.order_by("pk").values_list(*fields):
        pk, code, name, public_name, city, postal, department, country, *tree, is_active = row
        if is_active:
            structures[pk] = StructureInfo(pk, code, public_name or name, city, postal, department, country, *tree)
    return structures


def load_typologies(structures: dict[int, StructureInfo]) -> dict[int, TypologyInfo]:
    used = {s.typology_id for s in structures.values()}
    typologies = {}
    for pk, name, network_id in (
        Typology.objects.filter(pk__in=used).order_by("pk").values_list("pk", "name", "network")
    ):
        topic = TOPICS.get(name)
        channels = (topic.channels if topic and topic.channels else None) or GENERIC_CHANNELS
        typologies[pk] = TypologyInfo(
            pk,
            name,
            network_id,
            organism_for(name),
            procedures_for(name),
            list(channels),
            list(itertools.accumulate(channels.values())),
            is_consular=name in CONSULAR_TYPOLOGIES,
        )
    ids_by_name = {t.name: t.id for t in typologies.values()}
    for typology in typologies.values():
        topic = TOPICS.get(typology.name)
        typology.related = [ids_by_name[n] for n in (topic.related if topic else ()) if n in ids_by_name]
    return typologies


def primary_weights(typologies: dict[int, TypologyInfo]) -> tuple[list[int], list[float]]:
    ids = sorted(typologies)
    weights = []
    for pk in ids:
        topic = TOPICS.get(typologies[pk].name)
        weights.append(topic.weight if topic and topic.weight else TAIL_WEIGHT)
    return ids, list(itertools.accumulate(weights))


def load_territories(structures: dict[int, StructureInfo]) -> tuple[list[str], list[float], dict, dict]:
    """Departments weighted by their number of structures (a proxy for population), with real postal codes."""
    region_of = dict(Department.objects.values_list("code", "region_id"))
    counts = Counter(s.department for s in structures.values() if s.department in region_of)
    departments = sorted(region_of)
    weights = list(itertools.accumulate(counts[d] + 1 for d in departments))
    postal_codes: dict[str, set[str]] = defaultdict(set)
    for s in structures.values():
        if s.department in region_of and s.postal_code.isdigit() and len(s.postal_code) == 5:
            if s.postal_code.startswith(s.department[:2].replace("2A", "20").replace("2B", "20")):
                postal_codes[s.department].add(s.postal_code)
    return departments, weights, region_of, {d: sorted(codes) for d, codes in postal_codes.items()}


def load_business_tags() -> dict[int, list[int]]:
    tags = defaultdict(list)
    for pk, network_id in BusinessTag.objects.filter(is_active=True).order_by("pk").values_list("pk", "network_id"):
        tags[network_id].append(pk)
    return tags


def build_context(*, moderator_id: int, responders: dict[int, int], scope_users: list[tuple[int, int]]) -> Context:
    """`scope_users`: (user id, structure id) of the demo agent then super agent."""
    structures = load_structures()
    typologies = load_typologies(structures)
    ids, weights = primary_weights(typologies)
    by_typology, by_typology_department = defaultdict(list), defaultdict(list)
    for s in structures.values():
        if s.typology_id in typologies:
            by_typology[s.typology_id].append(s)
            by_typology_department[(s.typology_id, s.department)].append(s)
    departments, department_weights, region_of, postal_codes = load_territories(structures)
    scopes = [Scope(user_id, structures[structure_id]) for user_id, structure_id in scope_users]
    focus_local = scopes[0].root
    subtree = [s for s in structures.values() if s.within(scopes[-1].root) and s.typology_id in typologies]
    return Context(
        typologies=typologies,
        primary_ids=ids,
        primary_weights=weights,
        structures=structures,
        by_typology=dict(by_typology),
        by_typology_department=dict(by_typology_department),
        departments=departments,
        department_weights=department_weights,
        region_of=region_of,
        postal_codes=postal_codes,
        country_insee=country_insee_codes(),
        business_tags=dict(load_business_tags()),
        moderator_id=moderator_id,
        responders=responders,
        scopes=scopes,
        focus_local=focus_local,
        focus_subtree=subtree or [focus_local],
    )


def public_ids(count: int, taken: set[int], rng: random.Random, low: int, high: int) -> list[int]:
    """`count` distinct random public ids in [low, high] avoiding `taken` (the real experiences' ids)."""
    drawn = rng.sample(range(low, high + 1), count + len(taken))
    return [pk for pk in drawn if pk not in taken][:count]
