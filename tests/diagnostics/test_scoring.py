"""Scores against hand-computed values, strong and weak points, the change since the previous diagnostic."""

import datetime

import pytest
from django.utils import timezone

from diagnostics import scoring
from diagnostics.models import AnswerValue as V
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.django_db


def test_scores_count_points_over_the_maximum_and_leave_out_not_local():
    answers = [(1, V.YES), (1, V.MOSTLY), (1, V.NO), (1, V.NOT_LOCAL), (2, V.PARTLY), (2, V.PARTLY)]

    result = scoring.scores(answers)

    # engagement 1: (3 + 2 + 0) / (3 × 3) = 55.6 %; engagement 2: (1 + 1) / (3 × 2) = 33.3 %
    assert result["commitments"]["1"] == {"score": 55.6, "counted": 3, "left_out": 1}
    assert result["commitments"]["2"] == {"score": 33.3, "counted": 2, "left_out": 0}
    # overall: 7 / (3 × 5) = 46.7 %
    assert result["overall"] == 46.7


def test_commitment_answered_only_not_local_has_no_score():
    result = scoring.scores([(3, V.NOT_LOCAL), (4, V.YES)])

    assert result["commitments"]["3"]["score"] is None
    assert result["commitments"]["9"]["score"] is None
    assert result["overall"] == 100.0


def test_strong_from_75_and_weak_below_50():
    rows = {"1": {"score": 75.0}, "2": {"score": 49.9}, "3": {"score": 50.0}, "4": {"score": None}, "5": {"score": 90}}

    assert scoring.strong_and_weak(rows) == ([5, 1], [2])


def test_completed_diagnostic_gets_hand_computed_results():
    structure = f.StructureFactory()
    # commitment 1 has six questions: 3 + 3 + 2 + 1 + 0 + 0 = 9 of 18 → 50 %
    diagnostic = completed(
        structure, value=V.YES, by_commitment={1: [V.YES, V.YES, V.MOSTLY, V.PARTLY, V.NO, V.NO], 9: V.NO}
    )

    results = diagnostic.results
    assert results["commitments"]["1"]["score"] == 50.0
    assert results["commitments"]["9"]["score"] == 0.0
    assert results["commitments"]["2"]["score"] == 100.0
    # overall: 46 questions, 36 at 3 points + commitment 1's 9 points + commitment 9's 0 → 117 / 138
    assert results["overall"] == round(100 * 117 / 138, 1)
    assert results["weak"] == [9]
    assert 1 not in results["strong"] and 2 in results["strong"]


def test_results_carry_the_change_since_the_previous_diagnostic():
    structure = f.StructureFactory()
    first = completed(structure, on=timezone.now() - datetime.timedelta(days=200), value=V.PARTLY)

    second = completed(structure, value=V.MOSTLY)

    assert second.results["previous"]["id"] == first.pk
    assert second.results["previous"]["overall"] == round(100 / 3, 1)
    assert second.results["overall"] == round(200 / 3, 1)
