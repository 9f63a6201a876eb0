"""The dashboard as one report: figures, charts and the definition of each figure, for the page, the CSV and the PDF."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString

from dashboards import charts
from dashboards.selectors.figures import Dashboard, DashboardScope, dashboard
from experiences.models import Channel, Feeling, GeneralTag

# Each figure's exact definition, shown under it, so two readers cannot understand it differently.
DEFINITIONS = {
    "published": "Nombre d'expériences publiées pendant la période (date de publication, heure de Paris) et "
    "orientées vers au moins une structure du périmètre ; une expérience orientée vers deux structures du "
    "périmètre compte une fois.",
    "delays": "Pour chaque orientation (une expérience vers une structure) du périmètre publiée pendant la période : "
    "délai entre la publication de l'expérience et la première réponse publiée par cette structure. Les parts "
    "« en moins de 48 h / 72 h / 7 jours » et « sans réponse » se rapportent à toutes les orientations, "
    "répondues ou non ; la moyenne et la médiane aux seules orientations répondues. La médiane est calculée sur les "
    "délais arrondis à l'heure inférieure. Une réponse adoptée compte.",
    "targets": "Délai cible : celui du réseau (72 heures par défaut) ou, plus court, celui qu'un référent a fixé pour "
    "la structure ou l'une de ses structures mères, compté depuis la publication. « Dans le délai cible » : "
    "orientations répondues au plus tard à leur échéance ; « délai cible dépassé » : répondues après, ou toujours sans "
    "réponse une fois l'échéance passée. Les deux parts se rapportent à toutes les orientations. Classement par "
    "dépassement : la part d'orientations en dépassement la plus forte d'abord.",
    "ranking": "Les mêmes délais pour chaque structure fille (avec toute sa descendance) ; pour un réseau, pour "
    "chaque structure fille de sa tête de réseau (ou chaque arborescence s'il en a plusieurs) ; pour la vue "
    "nationale, pour chaque réseau. Le taux de réponse est la part des orientations qui ont reçu une réponse publiée. "
    "Classement : le taux de réponse le plus faible d'abord, puis le délai moyen le plus long.",
    "sources": "Expériences du périmètre publiées pendant la période, selon le lien par lequel l'usager est arrivé "
    "(lien de suivi, bannière, QR code) ; « direct » quand il n'y en avait pas.",
    "conversion": "Ouvertures du formulaire de partage pendant la période par un lien de suivi d'une structure du "
    "périmètre (sa clé de tracking), comptées par jour sans cookie ni donnée personnelle, et expériences déposées "
    "par ce lien pendant la période, modérées ou non ; le taux rapporte les secondes aux premières. Les visites "
    "directes ne figurent que sur le tableau de bord national.",
    "feelings": "Ressenti général que l'usager a choisi en partageant son expérience, par expérience.",
    "channels": "Mentions des canaux de contact choisis par l'usager pour chaque organisme de son expérience, avec le "
    "ressenti qu'il a donné pour chaque canal.",
    "general_tags": "Tags généraux posés par la modération ou les agents, chacun positif, neutre ou négatif ; le plus "
    "cité d'abord.",
    "business_tags": "Tags métier posés par les agents ; nombre d'expériences par tag, le plus cité d'abord.",
    "evaluations": "Réponses publiées aux expériences du périmètre : jugées utiles ou pas utiles par l'auteur de "
    "l'expérience (lien reçu par e-mail), ou non évaluées ; votes « utile / pas utile » des visiteurs du site.",
    "transformation": "Taux de transformation : parmi les expériences négatives dont l'auteur a évalué la réponse, "
    "part de celles dont il l'a jugée utile (par réponse).",
    "actions": "Actions d'amélioration des structures du périmètre dont la date d'engagement tombe dans la période, "
    "selon leur état actuel ; et orientations de la période marquées « amélioration de service à considérer » "
    "dont l'expérience n'est liée à aucune action.",
}
CACHE_SECONDS = 600
RANKING_ON_PAGE = 30
FEELING_LABELS = dict(Feeling.choices)
CHANNEL_LABELS = dict(Channel.choices)
TAG_LABELS = dict(GeneralTag.choices)


@dataclass(frozen=True)
class Report:
    data: Dashboard
    charts: dict[str, SafeString]
    definitions: dict[str, str]

    # A root can have thousands of children (France services: 2,192): the page and the PDF show the
    # latest lines, the CSV has them all.
    @property
    def ranking_shown(self) -> list:
        return self.data.ranking[:RANKING_ON_PAGE]

    @property
    def breach_ranking(self) -> list:
        """The lines with a routing past its target, the highest share of them first."""
        lines = [row for row in self.data.ranking if row.delays.breached]
        return sorted(lines, key=lambda row: (-row.delays.breached / row.delays.routings, row.label))[:RANKING_ON_PAGE]

    @property
    def ranking_hidden(self) -> int:
        return max(0, len(self.data.ranking) - RANKING_ON_PAGE)

    @property
    def scope(self) -> DashboardScope:
        return self.data.scope


def cache_key(scope: DashboardScope) -> str:
    # The cached report holds the rendered charts: the version changes whenever their drawing does.
    structure = scope.structure.pk if scope.structure is not None else "-"
    network = scope.network.pk if scope.network is not None else "-"
    return f"dashboard:v5:{structure}:{int(scope.include_children)}:{network}:{scope.start}:{scope.end}"


def build_report(scope: DashboardScope) -> Report:
    # Figures and charts are computed once per CACHE_SECONDS for everyone who opens the same scope and period
    # (the page says so).
    return cache.get_or_set(cache_key(scope), lambda: _report(dashboard(scope)), CACHE_SECONDS)


def _report(data: Dashboard) -> Report:
    figures = {
        "published": charts.published_by_month(data.by_month),
        "delays": charts.delays(data.delays),
        "feelings": charts.feelings(data.feelings),
        "channels": charts.channels(data.channels),
        "general_tags": charts.general_tags(data.general_tags),
        "evaluations": charts.evaluations(data.evaluations),
    }
    if data.sources:
        figures["sources"] = charts.ranked_bars(
            "Sources des expériences", data.sources, "Barres du nombre d'expériences par source."
        )
    if data.business_tags:
        figures["business_tags"] = charts.ranked_bars(
            "Tags métier les plus cités", data.business_tags, "Barres du nombre d'expériences par tag métier."
        )
    return Report(data=data, charts=figures, definitions=DEFINITIONS)
