"""Figures of an improvement action's measured effect, in French: shares and differences of shares."""

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """42.25 → « 42,3 % »; « — » when there is nothing to divide."""
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


@register.filter
def points(value: float | None) -> str:
    """A difference of shares: « −4,2 points », « +1,0 point »."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    number = f"{abs(value):.1f}".replace(".", ",")
    return f"{sign}{number} point{'s' if abs(value) >= 2 else ''}"
