"""`{% structure_scorecard structure %}`: a structure's last 12 months beside its siblings', for its public page.

The structure page belongs to `experiences`, below this app: it loads this tag as it loads the transparency
results', so the figures come from the dashboard's rollup without `experiences` importing the dashboard.
"""

import datetime

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from common.svg_charts import paired_bars
from dashboards.selectors import scorecard as selectors
from dashboards.templatetags.dashboard import duration
from experiences.templatetags.impact import percent

register = template.Library()
register.filter("percent", percent)


def cached_structure_scorecard(structure) -> selectors.Scorecard:
    """A public page must not make the database add a year of days on every request: cached 10 minutes."""
    today = timezone.localdate()
    key = selectors.structure_cache_key(structure.pk, today)
    return cache.get_or_set(key, lambda: selectors.structure_scorecard(structure, today), selectors.SCORECARD_SECONDS)


@register.inclusion_tag("dashboards/_scorecard.html")
def structure_scorecard(structure):
    card = cached_structure_scorecard(structure)
    return {
        "card": card,
        "subject": structure.display_name,
        "sibling_count": card.sibling_count,
        "max_siblings": selectors.MAX_SIBLINGS,
        "is_network": False,
    }


@register.filter
def hours_duration(value: float | None) -> str:
    return duration(None if value is None else datetime.timedelta(hours=value))


@register.filter
def median_count(value: float | None) -> str:
    """A median of counts: « 4 », « 4,5 »."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


@register.filter
def month_label(value: datetime.date) -> str:
    return date_format(value, "F Y")


@register.simple_tag
def answer_rate_chart(card: selectors.Scorecard, subject: str):
    """Answer rate month by month, the siblings' median beside; the page's table holds the same figures."""
    siblings = dict(card.sibling_months)
    bars = [
        (
            date_format(month, "M"),
            figures.answer_rate,
            siblings[month].answer_rate if month in siblings else None,
        )
        for month, figures in card.line.months
    ]
    return paired_bars(
        "Taux de réponse, mois par mois (%)",
        f"Taux de réponse de {subject} sur 12 mois, et médiane des structures comparables ; "
        "les valeurs sont dans les tableaux qui suivent.",
        bars,
        [0, 25, 50, 75, 100],
        legend=(subject[:40], "Médiane des structures sœurs") if siblings else (subject[:40],),
    )
