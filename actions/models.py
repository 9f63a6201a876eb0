"""Improvement actions a structure engages or completes (seed 003 « les actions d'amélioration »).

Experiences link them (experiences.models.ImprovementActionLink) and diagnostics' action plans will
create them: this app knows neither, so it imports no app above accounts.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from structures.commitments import COMMITMENTS
from structures.models import Structure

COMMITMENT_CHOICES = [(c.number, f"{c.number}. {c.title}") for c in COMMITMENTS]


class ImprovementActionStatus(models.TextChoices):
    ENGAGED = "engaged", "Action engagée"
    DONE = "done", "Action réalisée"


class ImprovementActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImprovementActionQuerySet":
        from structures.permissions import sees_everything, structure_scope

        if sees_everything(user):
            return self.all()
        return self.filter(structure__in=Structure.objects.filter(structure_scope(user)).values("pk"))

    def public(self) -> "ImprovementActionQuerySet":
        return self.filter(is_public=True)


class ImprovementAction(models.Model):
    """An improvement a structure engages or completes, often in answer to experiences."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name="structure"
    )
    title = models.CharField("titre", max_length=230)
    description = models.TextField("description")
    status = models.CharField(
        "état", max_length=10, choices=ImprovementActionStatus.choices, default=ImprovementActionStatus.ENGAGED
    )
    engaged_on = models.DateField("engagée le")
    done_on = models.DateField("réalisée le", null=True, blank=True)
    # Optional: an action born of a diagnostic's weak point names the commitment it serves (seed 003).
    commitment = models.PositiveSmallIntegerField(
        "engagement concerné", null=True, blank=True, choices=COMMITMENT_CHOICES
    )
    # The general tags (experiences.models.GeneralTag codes) the action means to improve: its measured effect
    # (issue 20) compares the experiences carrying them. Checked by the agents' form; this app knows no tags.
    # Nullable without a default, so bulk loads that do not name it (common/bulk.py) write NULL: read `named_tags`.
    general_tags = models.JSONField("tags généraux visés", null=True, blank=True)
    is_public = models.BooleanField("publiée", default=False)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        # The table the model had in experiences: moving the app moved no row (migration 0001 is state only).
        db_table = "experiences_improvementaction"
        verbose_name = "action d'amélioration"
        verbose_name_plural = "actions d'amélioration"
        ordering = ["-engaged_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImprovementActionStatus.values), name="improvement_action_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ImprovementActionStatus.DONE) | Q(done_on__isnull=False),
                name="improvement_action_done_has_date",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("engaged_on")),
                name="improvement_action_done_after_engaged",
            ),
            models.CheckConstraint(
                condition=Q(commitment__isnull=True) | Q(commitment__gte=1, commitment__lte=len(COMMITMENTS)),
                name="improvement_action_commitment_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def named_tags(self) -> list[str]:
        return self.general_tags or []
