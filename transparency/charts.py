"""A result's history as a small SVG line chart (common/charts.py), always followed by its data table."""

import hashlib

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from common.charts import BLUE, GREY, config, render, style_with


def history_chart(label: str, unit: str, points: list[tuple[str, float]], national: list[float | None]) -> SafeString:
    """Cached by its content: the same history draws the same SVG, and pygal costs milliseconds per chart."""
    # A digest, not hash(): Python salts str hashes per process, and every web worker must find the same key.
    content = repr((label, unit, points, national)).encode()
    key = "transparency:chart:" + hashlib.sha256(content).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = str(_draw(label, unit, points, national))
        cache.set(key, svg, 24 * 3600)
    return mark_safe(svg)  # noqa: S308 — drawn by common.charts.render, which escapes the description.


def _draw(label: str, unit: str, points, national) -> SafeString:
    has_national = any(value is not None for value in national)
    chart = config(
        pygal.Line,
        "",
        style=style_with([BLUE, GREY]),
        width=480,
        height=220,
        print_values=False,
        show_legend=has_national,
        dots_size=4,
        range=(0, 100) if unit == "%" else None,
    )
    chart.x_labels = [period for period, _ in points]
    chart.value_formatter = lambda value: f"{value:g} {unit}".replace(".", ",")
    chart.add("Cette structure", [value for _, value in points])
    if has_national:
        chart.add("Valeur nationale", national)
    return render(
        chart, f"Évolution de « {label} » sur {len(points)} périodes ; les valeurs sont dans le tableau qui suit."
    )
