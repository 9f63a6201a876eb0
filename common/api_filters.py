"""Filter kinds the open-data API shares, in the spirit of data.gouv.fr's tabular API (`…__in=a,b`)."""

from django_filters import rest_framework as filters


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """Comma-separated values, each checked as text (a NUL character is refused with a 400, not a 500)."""


class NumberInFilter(filters.BaseInFilter, filters.NumberFilter):
    """Comma-separated numbers, each checked as a number."""
