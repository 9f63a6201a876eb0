"""Every write of diagnostics: start or resume, save a commitment's page, complete, compute, copy a version."""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.exceptions import Refused
from diagnostics import scoring
from diagnostics.models import (
    Answer,
    AnswerValue,
    CommitmentNote,
    Diagnostic,
    DiagnosticStatus,
    Question,
    QuestionnaireVersion,
)
from structures.models import Structure
from structures.permissions import Action, can

# seed 003: « au moins une fois par an et au maximum deux fois par an ».
MAX_PER_YEAR = 2
NOT_ALLOWED = "Vous ne pouvez pas réaliser le diagnostic de cette structure."
NO_QUESTIONNAIRE = "Aucun questionnaire n'est publié : signalez-le à la DITP."


def current_version() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(is_published=True).order_by("-number").first()


def completed_in_year(structure: Structure, year: int) -> list[Diagnostic]:
    """The structure's diagnostics completed in `year` (Paris calendar), oldest first."""
    completed = Diagnostic.objects.completed().filter(structure=structure).order_by("completed_at")
    return [d for d in completed if timezone.localdate(d.completed_at).year == year]


def check_yearly_limit(structure: Structure) -> None:
    year = timezone.localdate().year
    done = completed_in_year(structure, year)
    if len(done) >= MAX_PER_YEAR:
        dates = " et le ".join(f"{timezone.localdate(d.completed_at):%d/%m/%Y}" for d in done)
        raise Refused(
            f"{structure.display_name} a déjà enregistré deux diagnostics en {year}, le {dates} : "
            f"le diagnostic se réalise au plus deux fois par an. Vous pourrez en réaliser un nouveau en {year + 1}."
        )


@transaction.atomic
def start_diagnostic(*, structure: Structure, by) -> Diagnostic:
    """Resume the structure's draft, or start one prefilled with the answers of its previous diagnostic."""
    if not can(by, Action.DIAGNOSE, structure):
        raise Refused(NOT_ALLOWED)
    # Lock the structure: two members clicking at once must not both pass the yearly limit.
    Structure.objects.select_for_update().get(pk=structure.pk)
    draft = Diagnostic.objects.filter(structure=structure, status=DiagnosticStatus.DRAFT).first()
    if draft is not None:
        return draft
    check_yearly_limit(structure)
    version = current_version()
    if version is None:
        raise Refused(NO_QUESTIONNAIRE)
    try:
        with transaction.atomic():
            diagnostic = Diagnostic.objects.create(structure=structure, version=version, started_by=by)
    except IntegrityError:  # diagnostic_one_draft: started meanwhile
        return Diagnostic.objects.get(structure=structure, status=DiagnosticStatus.DRAFT)
    _prefill(diagnostic)
    return diagnostic


def previous_diagnostic(diagnostic: Diagnostic) -> Diagnostic | None:
    """The structure's last completed diagnostic before this one."""
    earlier = Diagnostic.objects.completed().filter(structure_id=diagnostic.structure_id).exclude(pk=diagnostic.pk)
    if diagnostic.completed_at is not None:
        earlier = earlier.filter(completed_at__lt=diagnostic.completed_at)
    return earlier.order_by("-completed_at").first()


def _prefill(diagnostic: Diagnostic) -> None:
    """A second diagnostic starts from the previous one's answers and notes, matched by question key."""
    previous = previous_diagnostic(diagnostic)
    if previous is None:
        return
    questions = {q.key: q for q in diagnostic.version.questions.all()}
    Answer.objects.bulk_create(
        Answer(diagnostic=diagnostic, question=questions[answer.question.key], value=answer.value)
        for answer in previous.answers.select_related("question")
        if answer.question.key in questions
        and (answer.value != AnswerValue.NOT_LOCAL or questions[answer.question.key].concerns_network)
    )
    CommitmentNote.objects.bulk_create(
        CommitmentNote(diagnostic=diagnostic, commitment=note.commitment, text=note.text)
        for note in previous.notes.all()
    )


def _editable(diagnostic: Diagnostic, by) -> Diagnostic:
    diagnostic = Diagnostic.objects.select_for_update().select_related("structure").get(pk=diagnostic.pk)
    if not can(by, Action.DIAGNOSE, diagnostic.structure):
        raise Refused(NOT_ALLOWED)
    if not diagnostic.is_draft:
        raise Refused("Ce diagnostic est déjà enregistré : il ne peut plus être modifié.")
    return diagnostic


@transaction.atomic
def save_page(
    *, diagnostic: Diagnostic, commitment: int, answers: dict[int, str], note: str, by, next_commitment: int
) -> Diagnostic:
    """Save a commitment's answers (question id → value) and note as the team goes; they stay a draft."""
    diagnostic = _editable(diagnostic, by)
    questions = {q.pk: q for q in diagnostic.version.questions.filter(commitment=commitment)}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        if value == AnswerValue.NOT_LOCAL and not question.concerns_network:
            raise Refused("Cette question relève de la structure : choisissez une autre réponse.")
        rows.append(Answer(diagnostic=diagnostic, question=question, value=value))
    # One statement for the page's answers, new or changed (the page is saved at every step).
    Answer.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["diagnostic", "question"], update_fields=["value"]
    )
    CommitmentNote.objects.update_or_create(
        diagnostic=diagnostic, commitment=commitment, defaults={"text": note.strip()}
    )
    diagnostic.current_commitment = next_commitment
    diagnostic.updated_at = timezone.now()
    diagnostic.save(update_fields=["current_commitment", "updated_at"])
    return diagnostic


def missing_commitments(diagnostic: Diagnostic) -> list[int]:
    """Commitments with at least one question still unanswered."""
    answered = set(diagnostic.answers.values_list("question_id", flat=True))
    missing = diagnostic.version.questions.exclude(pk__in=answered).values_list("commitment", flat=True)
    return sorted(set(missing))


@transaction.atomic
def complete_diagnostic(*, diagnostic: Diagnostic, by) -> Diagnostic:
    """Record the diagnostic (« date d'enregistrement ») and have its results computed by a worker."""
    diagnostic = _editable(diagnostic, by)
    missing = missing_commitments(diagnostic)
    if missing:
        pages = ", ".join(str(n) for n in missing)
        raise Refused(f"Toutes les questions sont obligatoires : complétez l'engagement {pages}.")
    Structure.objects.select_for_update().get(pk=diagnostic.structure_id)
    check_yearly_limit(diagnostic.structure)
    now = timezone.now()
    diagnostic.status = DiagnosticStatus.COMPLETED
    diagnostic.completed_at = now
    diagnostic.completed_by = by
    diagnostic.updated_at = now
    diagnostic.results = diagnostic.scores = None
    diagnostic.save()
    transaction.on_commit(partial(dispatch_results, diagnostic.pk))
    return diagnostic


def dispatch_results(pk: int) -> None:
    from diagnostics.tasks import compute_results_task

    compute_results_task.delay(pk)


def compute_results(pk: int) -> bool:
    """Scores, strong and weak points, change since the previous diagnostic, what users said; idempotent."""
    from diagnostics.observed import observed_figures

    diagnostic = Diagnostic.objects.select_related("structure").get(pk=pk)
    if diagnostic.is_draft:
        return False
    answers = diagnostic.answers.values_list("question__commitment", "value")
    results = scoring.scores(answers)
    strong, weak = scoring.strong_and_weak(results["commitments"])
    results.update(strong=strong, weak=weak, previous=None)
    previous = previous_diagnostic(diagnostic)
    if previous is not None and previous.results:
        results["previous"] = {
            "id": previous.pk,
            "completed_at": previous.completed_at.isoformat(),
            "overall": previous.results["overall"],
            "commitments": {n: row["score"] for n, row in previous.results["commitments"].items()},
        }
    results["observed"] = observed_figures(diagnostic.structure, timezone.localdate(diagnostic.completed_at))
    Diagnostic.objects.filter(pk=pk).update(
        results=results, scores=Diagnostic.scores_of(results), results_computed_at=timezone.now()
    )
    return True


@transaction.atomic
def copy_version(*, version: QuestionnaireVersion, by) -> QuestionnaireVersion:
    """A new, unpublished version with the same questions, for the DITP to edit before publishing it."""
    number = (QuestionnaireVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    copy = QuestionnaireVersion.objects.create(number=number, title=version.title, is_published=False)
    Question.objects.bulk_create(
        Question(
            version=copy,
            commitment=q.commitment,
            order=q.order,
            key=q.key,
            text=q.text,
            help_text=q.help_text,
            concerns_network=q.concerns_network,
        )
        for q in version.questions.all()
    )
    return copy
