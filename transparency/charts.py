"""A result's history as a small SVG line chart (pygal), always followed by its data table in the page."""

import re

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# DSFR bleu France and a grey for the national value.
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
    value_font_size=11,
    colors=("#000091", "#929292"),
)
# pygal writes its configuration as an inline <script>, refused by the Content-Security-Policy.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def history_chart(label: str, unit: str, points: list[tuple[str, float]], national: list[float | None]) -> SafeString:
    """Cached by its content: the same history draws the same SVG, and pygal costs milliseconds per chart."""
    key = "transparency:chart:" + str(hash((label, unit, tuple(points), tuple(national))))
    svg = cache.get(key)
    if svg is None:
        svg = _draw(label, unit, points, national)
        cache.set(key, svg, 24 * 3600)
    return mark_safe(svg)  # noqa: S308 — pygal escapes its labels; the description is escaped below.


def _draw(label: str, unit: str, points, national) -> str:
    chart = pygal.Line(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=480,
        height=220,
        show_legend=any(value is not None for value in national),
        legend_at_bottom=True,
        print_values=False,
        dots_size=4,
        range=(0, 100) if unit == "%" else None,
    )
    chart.x_labels = [period for period, _ in points]
    chart.value_formatter = lambda value: f"{value:g} {unit}".replace(".", ",")
    chart.add("Cette structure", [value for _, value in points])
    if any(value is not None for value in national):
        chart.add("Valeur nationale", national)
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    description = f"Évolution de « {label} » sur {len(points)} périodes ; les valeurs sont dans le tableau qui suit."
    description = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{description}" ', 1)
