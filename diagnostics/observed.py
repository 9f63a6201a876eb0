"""What users said about a structure (with its children) in the 12 months before its diagnostic, beside its
self-scores: the dashboard's own figures (dashboards.selectors.figures), never a second definition of a delay.
"""

import datetime

from dashboards.selectors.figures import DashboardScope, dashboard
from diagnostics.scoring import STRONG
from experiences.models import Feeling, GeneralTag
from structures.models import Structure

# Below this many published experiences a share says little: the page shows the figures without a verdict.
MIN_EXPERIENCES = 10
# Where a high self-score meets one of these, the page says the users' experiences tell otherwise.
LOW_SHARE_UNDER_72H = 50.0
HIGH_NEGATIVE_TAG_SHARE = 20.0
HIGH_NEGATIVE_SHARE = 40.0

# Which observed figure stands beside which commitment (seed 004's numbering).
COURTESY, REACHABILITY, ANSWERS = 1, 2, 5


def _share(count: int, total: int) -> float | None:
    return None if not total else round(100 * count / total, 1)


def observed_figures(structure: Structure, on: datetime.date) -> dict:
    """The dashboard's figures for the 12 months before `on` (excluded), as plain JSON-ready data."""
    start = on.replace(year=on.year - 1) if not (on.month == 2 and on.day == 29) else on - datetime.timedelta(days=366)
    scope = DashboardScope(start=start, end=on - datetime.timedelta(days=1), structure=structure, include_children=True)
    data = dashboard(scope)
    tags = dict(data.general_tags)
    median = data.delays.median
    return {
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "published": data.published,
        "routings": data.delays.routings,
        "median_delay_hours": None if median is None else round(median.total_seconds() / 3600, 1),
        "share_under_72h": _share(data.delays.under_72h, data.delays.routings),
        "accessibility_negative": _share(
            tags.get(GeneralTag.ACCESSIBILITY, {}).get(Feeling.NEGATIVE, 0), data.published
        ),
        "relation_negative": _share(tags.get(GeneralTag.RELATION, {}).get(Feeling.NEGATIVE, 0), data.published),
        "feelings": {feeling: _share(count, data.published) for feeling, count in data.feelings.items()},
    }


def disagreements(results: dict) -> dict[int | str, str]:
    """Where the team rates itself high and users' experiences say otherwise: commitment (or « overall ») →
    the sentence the results page shows."""
    observed, scores = results.get("observed"), results["commitments"]
    if not observed or observed["published"] < MIN_EXPERIENCES:
        return {}

    def high(number: int) -> bool:
        score = scores[str(number)]["score"]
        return score is not None and score >= STRONG

    said = {}
    share_72h = observed["share_under_72h"]
    if high(ANSWERS) and share_72h is not None and share_72h < LOW_SHARE_UNDER_72H:
        said[ANSWERS] = (
            f"L'équipe s'estime à {scores[str(ANSWERS)]['score']:.0f} % sur cet engagement, mais seules "
            f"{share_72h:.0f} % des expériences ont reçu une réponse en moins de 72 h."
        )
    for number, key, tag in (
        (REACHABILITY, "accessibility_negative", "Accessibilité"),
        (COURTESY, "relation_negative", "Relation"),
    ):
        share = observed[key]
        if high(number) and share is not None and share >= HIGH_NEGATIVE_TAG_SHARE:
            said[number] = (
                f"L'équipe s'estime à {scores[str(number)]['score']:.0f} % sur cet engagement, mais {share:.0f} % "
                f"des expériences portent le tag « {tag} » en négatif."
            )
    negative = observed["feelings"].get(Feeling.NEGATIVE)
    overall = results["overall"]
    if overall is not None and overall >= STRONG and negative is not None and negative >= HIGH_NEGATIVE_SHARE:
        said["overall"] = (
            f"Le score global est de {overall:.0f} %, mais {negative:.0f} % des expériences partagées par les "
            "usagers sont négatives."
        )
    return said
