"""An experience routed to a structure, and the transfers agents ask the DITP for."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from structures.models import Structure

from .choices import (
    MAX_STRUCTURES,
    UNANSWERED_STATUSES,
    Feeling,
    ResponseStatus,
)
from .experience import Experience


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        from structures.permissions import scoped_structure_ids, sees_everything

        if sees_everything(user):
            return self.all()
        return self.filter(structure__in=scoped_structure_ids(user))


class Assignment(models.Model):
    """An experience routed to a structure (1–3 per experience), with that structure's response status."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="assignments", verbose_name="expérience"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="assignments", verbose_name="structure"
    )
    position = models.PositiveSmallIntegerField("rang")
    response_status = models.CharField(
        "statut de la réponse", max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.AWAITING
    )
    needs_improvement = models.BooleanField(
        "amélioration de service à considérer",
        default=False,
        help_text="Non visible des usagers ; signale au tableau de bord une action d'amélioration possible.",
    )
    # Copied from the experience so dashboards and agent lists read one table (DESIGN.md performance facts).
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    feeling = models.CharField("ressenti", max_length=10, choices=Feeling.choices)
    first_response_at = models.DateTimeField("première réponse le", null=True, blank=True)
    assigned_at = models.DateTimeField("orientée le", auto_now_add=True)
    # The response-time target (structures.ResponseTarget) as a due time, set at routing and recomputed when
    # a referent changes a target, so the agents' list sorts and filters on an index, not on a computation.
    due_at = models.DateTimeField("réponse attendue avant le", null=True, blank=True)
    # Twice the target: the parent structure's super agents hear of it (issue 20).
    escalate_at = models.DateTimeField("signalée à la structure parente après le", null=True, blank=True)
    breach_notified_at = models.DateTimeField("dépassement signalé le", null=True, blank=True)
    escalation_notified_at = models.DateTimeField(
        "dépassement signalé à la structure parente le", null=True, blank=True
    )
    # Evaluations read from the open-data export (seed 000) for a routing answered before this platform:
    # the export carries no response text to hang them on. Published figures add them to the response's.
    imported_useful_votes = models.PositiveIntegerField("jugée utile par les visiteurs (historique)", default=0)
    imported_not_useful_votes = models.PositiveIntegerField("jugée pas utile par les visiteurs (historique)", default=0)
    imported_author_evaluation = models.BooleanField("jugée utile par l'auteur (historique)", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers une structure"
        verbose_name_plural = "orientations vers les structures"
        ordering = ["experience", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "structure"], name="assignment_structure_once"),
            models.UniqueConstraint(fields=["experience", "position"], name="assignment_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_STRUCTURES), name="assignment_at_most_3_structures"
            ),
            models.CheckConstraint(
                condition=Q(response_status__in=ResponseStatus.values), name="assignment_response_status_valid"
            ),
            models.CheckConstraint(condition=Q(feeling__in=Feeling.values), name="assignment_feeling_valid"),
        ]
        indexes = [
            # Agent lists and dashboards over a structure: newest first, covering status and feeling.
            models.Index(
                fields=["structure", "-published_at"],
                name="assignment_structure_date",
                include=["experience", "response_status", "feeling", "first_response_at"],
            ),
            # The dashboard's live days over a network or the country: the routings published since the rollup.
            models.Index(
                fields=["published_at"],
                name="assignment_published",
                include=["structure", "experience", "feeling", "first_response_at"],
                condition=Q(published_at__isnull=False),
            ),
            # A local agent's « à traiter » list and its capped count: the structure's unanswered routings
            # only (a third of them), read without the table (bench/README.md, issue 21).
            models.Index(
                fields=["structure", "-published_at"],
                name="assignment_unanswered",
                include=["experience"],
                condition=Q(response_status__in=UNANSWERED_STATUSES),
            ),
            # The agents' list sorted by time left, and its « en retard » filter: unanswered routings by due time.
            models.Index(
                fields=["structure", "due_at"],
                name="assignment_due",
                include=["experience"],
                condition=Q(response_status__in=UNANSWERED_STATUSES),
            ),
            # The breach alerts' beat task: unanswered routings past due and not yet signalled, whenever it runs.
            models.Index(
                fields=["due_at"],
                name="assignment_breach_pending",
                condition=Q(response_status__in=UNANSWERED_STATUSES, breach_notified_at__isnull=True),
            ),
            models.Index(
                fields=["escalate_at"],
                name="assignment_escalation_pending",
                condition=Q(response_status__in=UNANSWERED_STATUSES, escalation_notified_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experience.public_id} → {self.structure.name}"


class TransferDecision(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"


class TransferRequest(models.Model):
    """An agent asks the moderators to move an experience to a structure outside their subtree (seed 001 q22)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="transfer_requests", verbose_name="expérience"
    )
    from_structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="+", verbose_name="depuis la structure"
    )
    to_structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="+", verbose_name="vers la structure"
    )
    reason = models.TextField("motif")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandée par"
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    decision = models.CharField(
        "décision", max_length=10, choices=TransferDecision.choices, default=TransferDecision.PENDING
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de transfert"
        verbose_name_plural = "demandes de transfert"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_structure=F("to_structure")), name="transfer_to_another_structure"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="transfer_reason_required"),
            models.CheckConstraint(condition=Q(decision__in=TransferDecision.values), name="transfer_decision_valid"),
            # One open request per experience and origin: a second click must not file a duplicate.
            models.UniqueConstraint(
                fields=["experience", "from_structure"],
                condition=Q(decision="pending"),
                name="transfer_one_pending_per_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experience.public_id} : {self.from_structure.name} → {self.to_structure.name}"
