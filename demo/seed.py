"""The demo seed as one function: real referential and experiences, keywords, tags, accounts, generated experiences."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

import structures
from experiences.models import Experience
from opendata.services import generate_all
from structures.models import Structure

from . import SeedError, accounts
from .agent_space import create_agent_space, create_promotion_demo
from .citizen import create_demo_content, create_demo_panel
from .context import build_context
from .corpus import SAMPLE_PATH, load_corpus
from .diagnostics import create_demo_diagnostics
from .generate import Generator
from .keywords import add_typology_keywords
from .simplification import create_demo_reports
from .tags import add_business_tags
from .targets import seed_targets_demo
from .transparency import create_demo_results

STRUCTURES_CSV = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"
DEFAULT_SEED = 20260101
DEFAULT_CHUNK = 20_000


def french_number(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")


@dataclass
class SeedReport:
    written: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def import_real_data(log: Callable[[str], None]) -> None:
    """The real structures referential (unless already loaded) and the 300 real experiences, via the importers."""
    from experiences.importers import import_experiences
    from structures.importers import import_structures

    if Structure.objects.exists():
        log("Référentiel des structures déjà présent : import non relancé.")
    else:
        _check(import_structures(STRUCTURES_CSV), "structures")
        log(f"Structures réelles importées ({french_number(Structure.objects.count())} structures).")
    _check(import_experiences(SAMPLE_PATH), "expériences réelles")
    log(f"Expériences réelles importées ({french_number(Experience.objects.count())} expériences).")


def _check(import_report, what: str) -> None:
    if import_report.errors:
        details = "; ".join(f"ligne {line} : {message}" for line, message in import_report.errors[:5])
        raise SeedError(f"L'import des {what} a échoué — {import_report.summary()} {details}")


def seed_demo(
    *,
    experiences: int,
    seed: int = DEFAULT_SEED,
    chunk_size: int = DEFAULT_CHUNK,
    now: datetime.datetime | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Load the whole demo into an empty database; deterministic for a given seed and day."""
    report = SeedReport()
    started = timezone.now()
    with transaction.atomic():
        import_real_data(log)
        changed = add_typology_keywords(common_words=load_corpus().vocabulary)
        log(f"Mots-clés de détection ajoutés à {changed} typologies.")
        log(f"Tags métier créés : {add_business_tags()}.")
        structures = accounts.demo_structures()
        users = accounts.create_demo_accounts(structures)
        responders = accounts.create_network_responders()
        log(f"Comptes de démonstration créés, et {len(responders)} répondants générés (un par réseau).")
        log(f"Résultats de qualité de service créés : {french_number(create_demo_results(seed=seed))}.")
    context = build_context(
        moderator_id=users["moderator"].pk,
        responders=responders,
        scope_users=[(users["agent"].pk, structures.local.pk), (users["super_agent"].pk, structures.parent.pk)],
    )
    taken = set(Experience.objects.values_list("public_id", flat=True))
    # Midnight today: the same seed gives the same demo all day long.
    now = now or timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    log(f"Génération de {french_number(experiences)} expériences (graine {seed}) :")
    generator = Generator(context, seed=seed, now=now, total=experiences, taken_ids=taken)
    report.written = generator.run(chunk_size, progress)
    with transaction.atomic():
        # After the experiences: each diagnostic's results hold what users said in the 12 months before it.
        log(f"Diagnostics créés : {create_demo_diagnostics(structures, seed=seed, now=now)}.")
        resources, questions = create_agent_space()
        log(f"Ressources des agents créées : {resources}, et {questions} questions fréquentes.")
        visits = create_promotion_demo(structures, seed=seed, now=now)
        log(f"Visites du formulaire de partage par les liens de suivi de la structure de l'agent : {visits}.")
        advice, news = create_demo_content(now=now)
        log(f"Conseils créés : {advice} ; actualités : {news}.")
        panellists = create_demo_panel(moderator=users["moderator"], seed=seed, now=now)
        log(f"Usagers testeurs créés : {panellists}, et deux campagnes de test.")
        reports = create_demo_reports(structure=structures.local, moderator=users["moderator"])
        log(f"Signalements de documents complexes créés : {reports}.")
    figures = seed_targets_demo(structures.local, users["agent"], seed=seed, now=now)
    log(
        f"Délais cibles : {figures['siblings']} expériences d'historique pour les structures sœurs, "
        f"{figures['action']} autour d'une action réalisée, {figures['alerts']} alerte(s) de dépassement envoyée(s)."
    )
    # Last: the open-data files publish everything above (/open-data/ lists them at once in `make run`).
    log(f"Fichiers de données ouvertes générés : {len(generate_all())}.")
    report.seconds = (timezone.now() - started).total_seconds()
    return report
