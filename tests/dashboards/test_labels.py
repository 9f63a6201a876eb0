"""How the dashboard writes months and dates: French abbreviations on the charts, « 1er » for a month's first day."""

import datetime

import pytest

from dashboards import charts
from dashboards.templatetags.dashboard import long_date


def test_month_labels_use_french_abbreviations_that_tell_june_from_july():
    labels = [charts.month_label(datetime.date(2026, month, 1)) for month in range(1, 13)]

    assert labels == [
        "janv. 2026",
        "févr. 2026",
        "mars 2026",
        "avr. 2026",
        "mai 2026",
        "juin 2026",
        "juil. 2026",
        "août 2026",
        "sept. 2026",
        "oct. 2026",
        "nov. 2026",
        "déc. 2026",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 1, 1), "1er janvier 2026"),
        (datetime.date(2026, 1, 2), "2 janvier 2026"),
        (datetime.date(2026, 8, 31), "31 août 2026"),
        # 28 February 23:30 UTC is already 1 March in Paris.
        (datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC), "1er mars 2026"),
    ],
)
def test_long_date_writes_the_first_of_a_month_as_an_ordinal(value, expected):
    assert long_date(value) == expected


@pytest.mark.parametrize(
    ("months", "shown", "rotated"), [(3, 3, False), (12, 12, True), (24, 12, True), (61, 11, True)]
)
def test_month_axis_shows_at_most_twelve_labels_and_tilts_them_past_six(months, shown, rotated):
    start = datetime.date(2021, 1, 1)
    by_month = [
        (datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1), i)
        for i in range(months)
    ]

    svg = charts.published_by_month(by_month)

    axis = svg.split('class="axis x')[1].split('class="series')[0]
    assert axis.count("</text>") == shown
    assert ("rotate(45" in axis) is rotated


def test_share_axis_runs_to_a_hundred_percent_beyond_the_longest_bar():
    from dashboards.selectors.tally import Delays

    delays = Delays(routings=7, answered=4, under_48h=4, under_72h=4, under_7d=4, mean=None, median=None)

    svg = charts.delays(delays)

    assert ">100 %</text>" in svg
