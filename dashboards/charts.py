"""Dashboard charts, the same in the page and in the PDF, drawn as SVG text by common/svg_charts.py.

Each chart carries a title and a description for assistive technologies; every page also shows its
figures as a table.
"""

import datetime

from django.utils.safestring import SafeString

from common import svg_charts
from common.charts import BLUE, GREEN, GREY, RED
from experiences.models import Channel, Feeling, GeneralTag

FEELING_COLOURS = {Feeling.POSITIVE: GREEN, Feeling.NEUTRAL: GREY, Feeling.NEGATIVE: RED}
FEELING_LABELS = dict(Feeling.choices)

# The French typographic abbreviations: « Jui » was both juin and juillet.
MONTH_ABBREVIATIONS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
# Side by side, more month labels than this run into each other at the chart's width: they stand at 45°,
# and past MAX_MONTH_LABELS only every n-th is shown (the table below the chart has every month).
FLAT_MONTH_LABELS = 6
MAX_MONTH_LABELS = 12


def integer_ticks(values: list[int]) -> list[int]:
    """Counts are whole numbers: at most about eight whole-number ticks, never « 2.8 », the last one at or
    above the longest bar."""
    top = max(values, default=0)
    step = max(1, -(-top // 8))
    return list(range(0, top + step + 1, step))


def month_label(month: datetime.date) -> str:
    """« janv. 2026 », « juil. 2026 »."""
    return f"{MONTH_ABBREVIATIONS[month.month - 1]} {month.year}"


def published_by_month(by_month: list[tuple[datetime.date, int]]) -> SafeString:
    total = sum(n for _, n in by_month)
    return svg_charts.vertical_bars(
        "Expériences publiées par mois",
        f"Histogramme des expériences publiées par mois : {total} au total.",
        [(month_label(month), n) for month, n in by_month],
        integer_ticks([n for _, n in by_month]),
        label_every=max(1, -(-len(by_month) // MAX_MONTH_LABELS)),
        tilted=len(by_month) > FLAT_MONTH_LABELS,
    )


def delays(delays) -> SafeString:
    # A share: the axis always runs from 0 to 100 %, whatever the longest bar.
    rows = [
        ("en moins de 48 h", delays.under_48h),
        ("en moins de 72 h", delays.under_72h),
        ("en moins de 7 jours", delays.under_7d),
        ("sans réponse", delays.unanswered),
    ]
    return svg_charts.horizontal_bars(
        "Part des orientations ayant reçu une réponse, selon le délai",
        "Barres des parts d'expériences répondues en moins de 48 h, 72 h, 7 jours, et sans réponse.",
        [(label, [(BLUE, round(100 * (delays.share(count) or 0), 1))]) for label, count in rows],
        list(range(0, 101, 20)),
        value_format=lambda value: f"{value:.0f} %",
    )


def feelings(counts: dict[str, int]) -> SafeString:
    return svg_charts.ring(
        "Ressenti des usagers",
        "Anneau de répartition des ressentis positif, neutre et négatif.",
        [(FEELING_LABELS[f], FEELING_COLOURS[f], counts.get(f, 0)) for f in Feeling.values],
    )


def ranked_bars(title: str, rows: list[tuple[str, int]], description: str) -> SafeString:
    return svg_charts.horizontal_bars(
        title,
        description,
        [(label, [(BLUE, n)]) for label, n in rows],
        integer_ticks([n for _, n in rows]),
        height=max(200, 40 + 28 * len(rows)),
    )


def stacked_by_feeling(
    title: str, rows: list[tuple[str, dict[str, int]]], labels: dict, description: str
) -> SafeString:
    parts = [(key, [(FEELING_COLOURS[f], values.get(f, 0)) for f in Feeling.values]) for key, values in rows]
    legend = [(FEELING_LABELS[f], FEELING_COLOURS[f]) for f in Feeling.values]
    if any(values.get("", 0) for _, values in rows):
        parts = [(key, [*row, (BLUE, values.get("", 0))]) for (key, row), (_, values) in zip(parts, rows, strict=True)]
        legend.append(("Sans ressenti", BLUE))
    return svg_charts.horizontal_bars(
        title,
        description,
        [(labels.get(key, key), row) for key, row in parts],
        integer_ticks([sum(values.values()) for _, values in rows]),
        height=max(220, 60 + 30 * len(rows)),
        legend=legend,
        print_values=False,
    )


def channels(rows) -> SafeString:
    return stacked_by_feeling(
        "Canaux de contact et ressenti par canal",
        rows,
        dict(Channel.choices),
        "Barres empilées du nombre de mentions de chaque canal de contact, par ressenti.",
    )


def general_tags(rows) -> SafeString:
    return stacked_by_feeling(
        "Tags généraux",
        rows,
        dict(GeneralTag.choices),
        "Barres empilées du nombre d'expériences par tag général, positif, neutre ou négatif.",
    )


def evaluations(evaluations) -> SafeString:
    return svg_charts.ring(
        "Évaluation des réponses par les usagers",
        "Anneau des réponses jugées utiles, pas utiles, ou non évaluées par l'auteur.",
        [
            ("Utile", GREEN, evaluations.author_useful),
            ("Pas utile", RED, evaluations.author_not_useful),
            ("Non évaluée", GREY, evaluations.author_none),
        ],
    )
