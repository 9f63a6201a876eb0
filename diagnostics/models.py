"""Local diagnostics (seed 003): versioned questionnaires on the 9 commitments, a structure's diagnostics, answers.

A questionnaire version is data; once a diagnostic uses it, it is frozen, so every diagnostic stays readable
and comparable with the version it was answered on. Results are computed by a Celery task and stored on the
diagnostic as JSON.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.exceptions import Refused
from dashboards.models import ExportStatus, StoredExport
from structures.models import Structure
from structures.permissions import Action, structure_scope

COMMITMENT_NUMBERS = (1, 2, 3, 4, 5, 6, 7, 8, 9)
FROZEN = (
    "Cette version du questionnaire a déjà servi à un diagnostic : "
    "copiez-la dans une nouvelle version pour la modifier."
)


class QuestionnaireVersion(models.Model):
    """One edition of the questionnaire; the newest published one is offered to new diagnostics."""

    number = models.PositiveIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=200)
    is_published = models.BooleanField(
        "publiée", default=False, help_text="La plus récente version publiée sert aux nouveaux diagnostics."
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "version du questionnaire"
        verbose_name_plural = "versions du questionnaire"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number} — {self.title}"

    @property
    def is_frozen(self) -> bool:
        return self.diagnostics.exists()


class Question(models.Model):
    """A closed question of one commitment; `key` follows a question across versions, for the prefill."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions", verbose_name="version"
    )
    commitment = models.PositiveSmallIntegerField("engagement", validators=[MinValueValidator(1), MaxValueValidator(9)])
    order = models.PositiveSmallIntegerField("ordre")
    key = models.CharField("clé", max_length=20, help_text="Identique d'une version à l'autre pour la même question.")
    text = models.TextField("question")
    help_text = models.TextField("aide", blank=True)
    # seed 003: « certaines questions ne relèvent pas directement de votre structure locale mais de
    # l'organisation générale de votre réseau » — their scale offers « ne relève pas de la structure ».
    concerns_network = models.BooleanField("peut relever du réseau", default=False)

    class Meta:
        verbose_name = "question"
        verbose_name_plural = "questions"
        ordering = ["version", "commitment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique_in_version"),
            models.UniqueConstraint(fields=["version", "commitment", "order"], name="question_order_unique"),
            models.CheckConstraint(condition=Q(commitment__gte=1, commitment__lte=9), name="question_commitment_1_9"),
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.text[:80]}"

    def save(self, *args, **kwargs):
        if self.version_id and QuestionnaireVersion.objects.get(pk=self.version_id).is_frozen:
            raise Refused(FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_frozen:
            raise Refused(FROZEN)
        return super().delete(*args, **kwargs)


class AnswerValue(models.TextChoices):
    """The closed scale; points are in scoring.py, beside the rule the results page states."""

    YES = "yes", "Oui, tout à fait"
    MOSTLY = "mostly", "Plutôt oui"
    PARTLY = "partly", "Plutôt non"
    NO = "no", "Non, pas du tout"
    NOT_LOCAL = "not_local", "Ne relève pas de la structure (organisation du réseau)"


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", "En cours de saisie"
    COMPLETED = "completed", "Enregistré"


class DiagnosticQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DiagnosticQuerySet":
        """Diagnostics of the structures whose diagnostics `user` may read (their subtrees)."""
        return self.filter(structure__in=Structure.objects.filter(structure_scope(user, Action.READ_DIAGNOSTICS)))

    def completed(self) -> "DiagnosticQuerySet":
        return self.filter(status=DiagnosticStatus.COMPLETED)


class Diagnostic(models.Model):
    """A team's diagnostic of one structure, answered on one questionnaire version."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="diagnostics", verbose_name="structure"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="diagnostics", verbose_name="version"
    )
    status = models.CharField("état", max_length=10, choices=DiagnosticStatus.choices, default=DiagnosticStatus.DRAFT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="commencé par",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("commencé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)
    # « date d'enregistrement » in seed 003: the history lists these.
    completed_at = models.DateTimeField("enregistré le", null=True, blank=True)
    # The commitment page the team reached: resuming a draft opens it.
    current_commitment = models.PositiveSmallIntegerField("engagement en cours", default=1)
    # None while the task computes them (« calcul en cours »).
    results = models.JSONField("résultats", null=True, blank=True)
    results_computed_at = models.DateTimeField("résultats calculés le", null=True, blank=True)
    # The overall score then the nine commitments' (null when not scored), copied from `results` when they are
    # computed: consolidation reads these ten numbers over thousands of diagnostics, never the whole document.
    scores = models.JSONField("scores (global puis engagements 1 à 9)", null=True, blank=True, editable=False)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic"
        verbose_name_plural = "diagnostics"
        ordering = ["-completed_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure"], condition=Q(status=DiagnosticStatus.DRAFT), name="diagnostic_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status=DiagnosticStatus.DRAFT) | Q(completed_at__isnull=False),
                name="diagnostic_completed_has_date",
            ),
            models.CheckConstraint(condition=Q(status__in=DiagnosticStatus.values), name="diagnostic_status_valid"),
        ]
        indexes = [
            # Consolidation and history: a structure's completed diagnostics, newest first.
            models.Index(
                fields=["structure", "-completed_at"],
                condition=Q(status=DiagnosticStatus.COMPLETED),
                name="diagnostic_completed_by_date",
            ),
        ]

    def __str__(self) -> str:
        when = self.completed_at or self.created_at
        return f"{self.structure.code} — {timezone.localdate(when):%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == DiagnosticStatus.DRAFT

    @property
    def is_computing(self) -> bool:
        return self.status == DiagnosticStatus.COMPLETED and self.results is None

    @staticmethod
    def scores_of(results: dict) -> list[float | None]:
        return [results["overall"], *(results["commitments"][str(n)]["score"] for n in range(1, 10))]


class Answer(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField("réponse", max_length=10, choices=AnswerValue.choices)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "question"], name="answer_one_per_question"),
            models.CheckConstraint(condition=Q(value__in=AnswerValue.values), name="answer_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.question.key} : {self.get_value_display()}"


class CommitmentNote(models.Model):
    """Per commitment, the team's free text: strengths and improvement leads."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="notes")
    commitment = models.PositiveSmallIntegerField("engagement")
    text = models.TextField("points forts et pistes d'amélioration", blank=True)

    class Meta:
        verbose_name = "commentaire par engagement"
        verbose_name_plural = "commentaires par engagement"
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "commitment"], name="note_one_per_commitment"),
        ]

    def __str__(self) -> str:
        return f"Engagement {self.commitment}"


class ExportKind(models.TextChoices):
    BLANK = "blank", "Questionnaire vierge"
    RESULTS = "results", "Résultats d'un diagnostic"
    CONSOLIDATED = "consolidated", "Résultats consolidés"


class DiagnosticExport(StoredExport):
    """A diagnostics PDF: the blank questionnaire, a diagnostic's results or a consolidation."""

    storage_folder = "diagnostics"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diagnostic_exports",
        verbose_name="demandé par",
    )
    kind = models.CharField("contenu", max_length=15, choices=ExportKind.choices)
    label = models.CharField("intitulé", max_length=400)

    class Meta(StoredExport.Meta):
        verbose_name = "export PDF de diagnostic"
        verbose_name_plural = "exports PDF de diagnostics"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values), name="diagnostic_export_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="diagnostic_export_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.READY) | (~Q(file="") & Q(expires_at__isnull=False)),
                name="diagnostic_export_ready_has_file",
            ),
        ]
        indexes = [
            # The hourly purge: ready exports whose expiry has passed.
            models.Index(
                fields=["expires_at"], condition=Q(status=ExportStatus.READY), name="diagnostic_export_expiry"
            ),
        ]

    def __str__(self) -> str:
        return self.label
