"""Formatting of dashboard figures in French: shares, durations and dates."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def share(count: int, total: int) -> str:
    """12 of 40 → « 30,0 % »; « — » when there is nothing to divide."""
    if not total:
        return "—"
    return f"{100 * count / total:.1f} %".replace(".", ",")


@register.filter
def rate(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %".replace(".", ",")


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """« 2 j 5 h », « 5 h 12 min », « 8 min »; « — » without a value."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@register.filter
def long_date(value: datetime.date | datetime.datetime) -> str:
    """« 1er janvier 2026 », « 2 janvier 2026 »: French writes the first day of a month as an ordinal."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {date_format(value, 'F Y')}"


@register.filter
def label(mapping: dict, key: str) -> str:
    return mapping.get(key, key)
