"""Demo diagnostics: under the demo accounts' structures, so results, history and consolidation all show.

The demo evaluator's own structure has one diagnostic from last year (history, prefill), leaving this year's
two to fill in; its sibling structures have one or two (last year and this year), so the super evaluator and the
referent see a consolidation with several typologies.
"""

import datetime
import random

from django.utils import timezone

from diagnostics import services
from diagnostics.models import Answer, AnswerValue, Diagnostic, DiagnosticStatus
from structures.models import Structure

from .accounts import DemoStructures

SIBLINGS = 8
# The scale from best to worst; a structure's level shifts where its answers fall.
SCALE = (AnswerValue.YES, AnswerValue.MOSTLY, AnswerValue.PARTLY, AnswerValue.NO)


def _answers(diagnostic: Diagnostic, rng: random.Random, level: float) -> list[Answer]:
    answers = []
    for question in diagnostic.version.questions.all():
        if question.concerns_network and rng.random() < 0.15:
            value = AnswerValue.NOT_LOCAL
        else:
            value = SCALE[min(3, max(0, round(rng.gauss(level, 0.9))))]
        answers.append(Answer(diagnostic=diagnostic, question=question, value=value))
    return answers


def _completed(structure: Structure, when: datetime.datetime, rng: random.Random, level: float) -> Diagnostic:
    diagnostic = Diagnostic.objects.create(
        structure=structure,
        version=services.current_version(),
        status=DiagnosticStatus.COMPLETED,
        created_at=when - datetime.timedelta(hours=2),
        updated_at=when,
        completed_at=when,
        current_commitment=9,
    )
    Answer.objects.bulk_create(_answers(diagnostic, rng, level))
    services.compute_results(diagnostic.pk)
    return diagnostic


def create_demo_diagnostics(structures: DemoStructures, *, seed: int, now: datetime.datetime | None = None) -> int:
    """Idempotent: structures that already have a diagnostic are left as they are."""
    if Diagnostic.objects.filter(structure__in=[structures.local, structures.parent]).exists():
        return 0
    rng = random.Random(seed)
    now = now or timezone.now()
    last_year = now.replace(year=now.year - 1, month=min(now.month, 10), day=15, hour=10, minute=0)
    this_year = now.replace(month=1, day=20, hour=10, minute=0) if now.month > 1 else now - datetime.timedelta(days=3)
    created = [_completed(structures.local, last_year, rng, level=1.4)]
    siblings = structures.parent.get_children().exclude(pk=structures.local.pk).order_by("code")[:SIBLINGS]
    for index, sibling in enumerate(siblings):
        level = rng.uniform(0.5, 2.0)
        if index % 2 == 0:
            created.append(_completed(sibling, last_year - datetime.timedelta(days=index), rng, level + 0.4))
        created.append(_completed(sibling, this_year + datetime.timedelta(days=index), rng, level))
    return len(created)
