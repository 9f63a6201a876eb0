"""Dashboard charts as SVG drawn by pygal, the same in the page and in the PDF, in the State's colours.

Each chart carries a title and a description for assistive technologies; every page also shows its
figures as a table. No script is embedded (pygal's tooltips load from a CDN), so the SVG works offline,
in WeasyPrint and under the Content-Security-Policy.
"""

import copy
import datetime
import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from experiences.models import Channel, Feeling, GeneralTag

# DSFR: bleu France, success green, warning orange-red, grey.
BLUE, GREEN, RED, GREY, LIGHT_BLUE = "#000091", "#18753c", "#ce0500", "#929292", "#6a6af4"
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

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#161616",
    foreground_strong="#161616",
    foreground_subtle="#666666",
    font_family="Marianne, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
    colors=(BLUE, LIGHT_BLUE, GREEN, RED, GREY),
)


def _config(chart_class, title: str, **options):
    chart = chart_class(
        style=options.pop("style", STYLE),
        title=title,
        js=[],
        disable_xml_declaration=True,
        width=options.pop("width", 720),
        height=options.pop("height", 320),
        print_values=options.pop("print_values", True),
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        **options,
    )
    return chart


# pygal always writes its configuration as an inline <script> for its tooltip script, which we do not load;
# the Content-Security-Policy refuses inline scripts, and Chromium would report each one as a violation.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def _render(chart, description: str) -> SafeString:
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    # role="img" and a description: the chart is announced as one image; the table below has the figures.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(description)}" ', 1)
    return mark_safe(svg)  # noqa: S308 — pygal escapes its labels; the description is escaped above.


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


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
    chart = _config(
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
    return _render(chart, f"Histogramme des expériences publiées par mois : {total} au total.")


def delays(delays) -> SafeString:
    # A share: the axis always runs from 0 to 100 %, whatever the longest bar.
    chart = _config(
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
    return _render(chart, "Barres des parts d'expériences répondues en moins de 48 h, 72 h, 7 jours, et sans réponse.")


def feelings(counts: dict[str, int]) -> SafeString:
    style = _style_with([FEELING_COLOURS[f] for f in Feeling.values])
    chart = _config(pygal.Pie, "Ressenti des usagers", style=style, inner_radius=0.45, height=280)
    for feeling in Feeling.values:
        chart.add(FEELING_LABELS[feeling], counts.get(feeling, 0))
    return _render(chart, "Anneau de répartition des ressentis positif, neutre et négatif.")


def _style_with(colours: list[str]) -> Style:
    style = copy.copy(STYLE)
    style.colors = tuple(colours)
    return style


def ranked_bars(title: str, rows: list[tuple[str, int]], description: str) -> SafeString:
    height = max(200, 40 + 28 * len(rows))
    chart = _config(pygal.HorizontalBar, title, show_legend=False, height=height)
    _integer_axis(chart, [n for _, n in rows])
    chart.x_labels = [label for label, _ in reversed(rows)]
    chart.add("Expériences", [n for _, n in reversed(rows)])
    return _render(chart, description)


def stacked_by_feeling(
    title: str, rows: list[tuple[str, dict[str, int]]], labels: dict, description: str
) -> SafeString:
    style = _style_with([FEELING_COLOURS[f] for f in Feeling.values] + [BLUE])
    height = max(220, 60 + 30 * len(rows))
    chart = _config(pygal.HorizontalStackedBar, title, style=style, height=height, print_values=False)
    _integer_axis(chart, [sum(values.values()) for _, values in rows])
    chart.x_labels = [labels.get(key, key) for key, _ in reversed(rows)]
    for feeling in Feeling.values:
        chart.add(FEELING_LABELS[feeling], [values.get(feeling, 0) for _, values in reversed(rows)])
    if any(values.get("", 0) for _, values in rows):
        chart.add("Sans ressenti", [values.get("", 0) for _, values in reversed(rows)])
    return _render(chart, description)


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
    style = _style_with([GREEN, RED, GREY])
    chart = _config(pygal.Pie, "Évaluation des réponses par les usagers", style=style, inner_radius=0.45, height=280)
    chart.add("Utile", evaluations.author_useful)
    chart.add("Pas utile", evaluations.author_not_useful)
    chart.add("Non évaluée", evaluations.author_none)
    return _render(chart, "Anneau des réponses jugées utiles, pas utiles, ou non évaluées par l'auteur.")
