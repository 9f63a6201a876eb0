"""Filters of the diagnostics' pages and PDFs: scores, changes and shares in French."""

import datetime

from django import template

register = template.Library()


def _number(value: float) -> str:
    return f"{value:.0f}"


@register.filter
def score(value) -> str:
    """71.4 → « 71 % », None → « sans score »."""
    return "sans score" if value is None else f"{_number(value)} %"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{_number(value)} %"


@register.filter
def change(value, previous) -> str:
    """« +5 points », « −3 points », « stable »."""
    if value is None or previous is None:
        return "—"
    delta = round(value - previous)
    if delta == 0:
        return "stable"
    return f"{'+' if delta > 0 else '−'}{abs(delta)} point{'s' if abs(delta) > 1 else ''}"


@register.filter
def isodate(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
