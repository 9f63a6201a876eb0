"""Dashboard charts (the generic pygal pieces are in common/charts.py), the same in the page and in the PDF.

Each chart carries a title and a description for assistive technologies; every page also shows its
figures as a table. No script is embedded (pygal's tooltips load from a CDN), so the SVG works offline,
in WeasyPrint and under the Content-Security-Policy.
"""

import datetime

import pygal
from django.utils.safestring import SafeString

from common.charts import BLUE, GREEN, GREY, RED, config, render, style_with
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


def _integer_axis(chart, values: list[int]) -> None:
    """Counts are whole numbers: at most about eight whole-number ticks, never « 2.8 », the last one at or
    above the longest bar (pygal's own scale stops at the last round tick below it)."""
    top = max(values, default=0)
    step = max(1, -(-top // 8))
    chart.y_labels = list(range(0, top + step + 1, step))


def month_label(month: datetime.date) -> str:
    """« janv. 2026 », « juil. 2026 »."""
    return f"{MONTH_ABBREVIATIONS[month.month - 1]} {month.year}"


def published_by_month(by_month: list[tuple[datetime.date, int]]) -> SafeString:
    every = max(1, -(-len(by_month) // MAX_MONTH_LABELS))
    chart = config(
        pygal.Bar,
        "Expériences publiées par mois",
        show_legend=False,
        x_label_rotation=45 if len(by_month) > FLAT_MONTH_LABELS else 0,
        x_labels_major_every=every,
        show_minor_x_labels=False,
    )
    _integer_axis(chart, [n for _, n in by_month])
    chart.x_labels = [month_label(month) for month, _ in by_month]
    chart.add("Expériences publiées", [n for _, n in by_month])
    total = sum(n for _, n in by_month)
    return render(chart, f"Histogramme des expériences publiées par mois : {total} au total.")


def delays(delays) -> SafeString:
    # A share: the axis always runs from 0 to 100 %, whatever the longest bar.
    chart = config(
        pygal.HorizontalBar,
        "Part des orientations ayant reçu une réponse, selon le délai",
        show_legend=False,
        range=(0, 100),
    )
    chart.y_labels = list(range(0, 101, 20))
    rows = [
        ("en moins de 48 h", delays.under_48h),
        ("en moins de 72 h", delays.under_72h),
        ("en moins de 7 jours", delays.under_7d),
        ("sans réponse", delays.unanswered),
    ]
    chart.x_labels = [label for label, _ in rows]
    chart.value_formatter = lambda value: f"{value:.0f} %"
    shares = [round(100 * (delays.share(count) or 0), 1) for _, count in rows]
    chart.add("Part", shares)
    return render(chart, "Barres des parts d'expériences répondues en moins de 48 h, 72 h, 7 jours, et sans réponse.")


def feelings(counts: dict[str, int]) -> SafeString:
    style = style_with([FEELING_COLOURS[f] for f in Feeling.values])
    chart = config(pygal.Pie, "Ressenti des usagers", style=style, inner_radius=0.45, height=280)
    for feeling in Feeling.values:
        chart.add(FEELING_LABELS[feeling], counts.get(feeling, 0))
    return render(chart, "Anneau de répartition des ressentis positif, neutre et négatif.")


def ranked_bars(title: str, rows: list[tuple[str, int]], description: str) -> SafeString:
    height = max(200, 40 + 28 * len(rows))
    chart = config(pygal.HorizontalBar, title, show_legend=False, height=height)
    _integer_axis(chart, [n for _, n in rows])
    chart.x_labels = [label for label, _ in reversed(rows)]
    chart.add("Expériences", [n for _, n in reversed(rows)])
    return render(chart, description)


def stacked_by_feeling(
    title: str, rows: list[tuple[str, dict[str, int]]], labels: dict, description: str
) -> SafeString:
    style = style_with([FEELING_COLOURS[f] for f in Feeling.values] + [BLUE])
    height = max(220, 60 + 30 * len(rows))
    chart = config(pygal.HorizontalStackedBar, title, style=style, height=height, print_values=False)
    _integer_axis(chart, [sum(values.values()) for _, values in rows])
    chart.x_labels = [labels.get(key, key) for key, _ in reversed(rows)]
    for feeling in Feeling.values:
        chart.add(FEELING_LABELS[feeling], [values.get(feeling, 0) for _, values in reversed(rows)])
    if any(values.get("", 0) for _, values in rows):
        chart.add("Sans ressenti", [values.get("", 0) for _, values in reversed(rows)])
    return render(chart, description)


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
    style = style_with([GREEN, RED, GREY])
    chart = config(pygal.Pie, "Évaluation des réponses par les usagers", style=style, inner_radius=0.45, height=280)
    chart.add("Utile", evaluations.author_useful)
    chart.add("Pas utile", evaluations.author_not_useful)
    chart.add("Non évaluée", evaluations.author_none)
    return render(chart, "Anneau des réponses jugées utiles, pas utiles, ou non évaluées par l'auteur.")
