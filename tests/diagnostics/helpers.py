"""Building diagnostics for tests: answer every question, complete, compute."""

import datetime

from django.utils import timezone

from diagnostics import services
from diagnostics.models import Answer, AnswerValue, Diagnostic, DiagnosticStatus, QuestionnaireVersion


def answer_all(diagnostic: Diagnostic, value=AnswerValue.YES, by_commitment: dict | None = None) -> None:
    """Every question answered `value`, or by_commitment[commitment] (a value or a list, one per question)."""
    for question in diagnostic.version.questions.all():
        chosen = (by_commitment or {}).get(question.commitment, value)
        if isinstance(chosen, list):
            chosen = chosen[question.order - 1]
        if chosen == AnswerValue.NOT_LOCAL and not question.concerns_network:
            chosen = AnswerValue.NO
        Answer.objects.update_or_create(diagnostic=diagnostic, question=question, defaults={"value": chosen})


def completed(structure, *, on: datetime.datetime | None = None, value=AnswerValue.YES, by_commitment=None):
    """A completed diagnostic of `structure` recorded at `on` (default now), with its results computed."""
    diagnostic = Diagnostic.objects.create(
        structure=structure, version=QuestionnaireVersion.objects.get(number=1), status=DiagnosticStatus.DRAFT
    )
    answer_all(diagnostic, value, by_commitment)
    diagnostic.status = DiagnosticStatus.COMPLETED
    diagnostic.completed_at = on or timezone.now()
    diagnostic.save()
    services.compute_results(diagnostic.pk)
    diagnostic.refresh_from_db()
    return diagnostic
