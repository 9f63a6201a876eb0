"""A diagnostic's results as the page and the PDF show them: one row per commitment, the chart, the changes."""

import datetime
from dataclasses import dataclass

import pygal
from django.utils.safestring import SafeString

from common.charts import BLUE, LIGHT_BLUE, config, render, style_with
from diagnostics.models import Diagnostic
from structures.commitments import COMMITMENTS, Commitment


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    score: float | None
    counted: int
    left_out: int
    previous: float | None
    is_strong: bool
    is_weak: bool

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 1)


@dataclass(frozen=True)
class ResultsView:
    rows: list[CommitmentRow]
    overall: float | None
    previous_overall: float | None
    previous_date: datetime.date | None
    observed: dict
    chart: SafeString

    @property
    def strong(self) -> list[CommitmentRow]:
        return sorted((r for r in self.rows if r.is_strong), key=lambda r: -r.score)

    @property
    def weak(self) -> list[CommitmentRow]:
        return sorted((r for r in self.rows if r.is_weak), key=lambda r: r.score)


def results_view(diagnostic: Diagnostic) -> ResultsView:
    results = diagnostic.results
    previous = results.get("previous") or {}
    previous_scores = previous.get("commitments", {})
    rows = [
        CommitmentRow(
            commitment=commitment,
            score=results["commitments"][str(commitment.number)]["score"],
            counted=results["commitments"][str(commitment.number)]["counted"],
            left_out=results["commitments"][str(commitment.number)]["left_out"],
            previous=previous_scores.get(str(commitment.number)),
            is_strong=commitment.number in results["strong"],
            is_weak=commitment.number in results["weak"],
        )
        for commitment in COMMITMENTS
    ]
    previous_date = datetime.datetime.fromisoformat(previous["completed_at"]).date() if previous else None
    return ResultsView(
        rows=rows,
        overall=results["overall"],
        previous_overall=previous.get("overall"),
        previous_date=previous_date,
        observed=results.get("observed") or {},
        chart=scores_chart(rows, with_previous=bool(previous)),
    )


def scores_chart(rows: list[CommitmentRow], *, with_previous: bool) -> SafeString:
    """The nine scores as horizontal bars from 0 to 100 %, and the previous diagnostic's beside them."""
    chart = config(
        pygal.HorizontalBar,
        "Score par engagement",
        style=style_with([BLUE, LIGHT_BLUE]),
        range=(0, 100),
        height=120 + 44 * len(rows),
        show_legend=with_previous,
    )
    chart.y_labels = list(range(0, 101, 20))
    chart.value_formatter = lambda value: f"{value:.0f} %"
    chart.x_labels = [f"{r.commitment.number}. {r.commitment.title}" for r in reversed(rows)]
    chart.add("Ce diagnostic", [r.score for r in reversed(rows)])
    if with_previous:
        chart.add("Diagnostic précédent", [r.previous for r in reversed(rows)])
    described = ", ".join(
        f"{r.commitment.number} : {'sans score' if r.score is None else f'{r.score:.0f} %'}" for r in rows
    )
    return render(chart, f"Barres des scores par engagement, de 0 à 100 % ; {described}.")
