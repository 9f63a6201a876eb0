"""How a diagnostic's answers become scores; the results page states this same rule to its readers.

Each answer counts points on a scale of 0 to 3 (« Oui, tout à fait » 3, « Plutôt oui » 2, « Plutôt non » 1,
« Non, pas du tout » 0). A commitment's score is its points over the most it could get, in percent, over the
questions the structure answered for itself: « Ne relève pas de la structure » leaves the question out of
both. The overall score is computed the same way over every question, so each question weighs the same.
"""

from collections.abc import Iterable

from diagnostics.models import COMMITMENT_NUMBERS, AnswerValue

POINTS = {AnswerValue.YES: 3, AnswerValue.MOSTLY: 2, AnswerValue.PARTLY: 1, AnswerValue.NO: 0}
MAX_POINTS = 3
# A commitment at or above STRONG is a strong point, below WEAK a weak point (a lead for an action).
STRONG = 75.0
WEAK = 50.0

RULE = (
    "Chaque réponse compte de 0 à 3 points : « Oui, tout à fait » 3, « Plutôt oui » 2, « Plutôt non » 1, "
    "« Non, pas du tout » 0. Le score d'un engagement est le total de ses points rapporté au maximum possible, "
    "en pourcentage. Une question à laquelle l'équipe a répondu « Ne relève pas de la structure » est retirée "
    "du calcul (ni points, ni maximum) ; un engagement dont toutes les questions relèvent du réseau n'a pas de "
    "score. Le score global se calcule de la même façon sur toutes les questions : chacune pèse autant. "
    f"Un engagement est un point fort à partir de {STRONG:.0f} %, un point faible en dessous de {WEAK:.0f} %."
)


def _percent(points: int, counted: int) -> float | None:
    return None if not counted else round(100 * points / (MAX_POINTS * counted), 1)


def scores(answers: Iterable[tuple[int, str]]) -> dict:
    """{(commitment, value)…} → per commitment and overall: score, questions counted, questions left out."""
    points = dict.fromkeys(COMMITMENT_NUMBERS, 0)
    counted = dict.fromkeys(COMMITMENT_NUMBERS, 0)
    left_out = dict.fromkeys(COMMITMENT_NUMBERS, 0)
    for commitment, value in answers:
        if value == AnswerValue.NOT_LOCAL:
            left_out[commitment] += 1
            continue
        points[commitment] += POINTS[AnswerValue(value)]
        counted[commitment] += 1
    return {
        "commitments": {
            str(n): {"score": _percent(points[n], counted[n]), "counted": counted[n], "left_out": left_out[n]}
            for n in COMMITMENT_NUMBERS
        },
        "overall": _percent(sum(points.values()), sum(counted.values())),
    }


def strong_and_weak(commitment_scores: dict) -> tuple[list[int], list[int]]:
    """Commitment numbers that are strong points (best first) and weak points (worst first)."""
    scored = [(int(n), row["score"]) for n, row in commitment_scores.items() if row["score"] is not None]
    strong = [n for n, score in sorted(scored, key=lambda item: (-item[1], item[0])) if score >= STRONG]
    weak = [n for n, score in sorted(scored, key=lambda item: (item[1], item[0])) if score < WEAK]
    return strong, weak
