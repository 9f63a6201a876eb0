"""`{% structure_results structure %}`: a structure's published results, for its public page."""

from django import template

from transparency.charts import history_chart as draw
from transparency.selectors import results_by_structure

register = template.Library()


@register.inclusion_tag("transparency/_structure_results_section.html")
def structure_results(structure):
    return {"structure": structure, "indicators": results_by_structure([structure]).get(structure.pk, [])}


@register.simple_tag
def history_chart(entry):
    """The SVG of one indicator's history, national values beside when published."""
    points = [(result.period, float(result.value)) for result in entry.history]
    national = [float(value) if value is not None else None for _, value in entry.rows]
    return draw(entry.indicator.label, entry.indicator.unit, points, national)


@register.filter
def french_number(value) -> str:
    """« 98,5 », « 12 »: no trailing zeros, a decimal comma."""
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",") if hasattr(value, "normalize") else str(value)
