"""A structure's public answer to an experience."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .assignments import Assignment


class ResponseState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PENDING_VALIDATION = "pending_validation", "En attente de validation"
    PUBLISHED = "published", "Publiée"
    UNPUBLISHED = "unpublished", "Dépubliée"


class Response(models.Model):
    """A structure's answer to an experience; `adopted_from` marks an adopted answer (seed 001 q23)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="response", verbose_name="orientation"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name="rédigée par",
    )
    body = models.TextField("réponse", blank=True)
    formula = models.TextField("formule de politesse", blank=True)
    signature = models.TextField("signature", blank=True)
    state = models.CharField("état", max_length=20, choices=ResponseState.choices, default=ResponseState.DRAFT)
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name="réponse adoptée de",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    submitted_at = models.DateTimeField("soumise à validation le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="publiée par",
    )
    unpublished_at = models.DateTimeField("dépubliée le", null=True, blank=True)
    modified_at = models.DateTimeField("modification notifiée le", null=True, blank=True)
    visitor_useful_count = models.PositiveIntegerField("jugée utile par les visiteurs", default=0)
    visitor_not_useful_count = models.PositiveIntegerField("jugée pas utile par les visiteurs", default=0)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ResponseState.values), name="response_state_valid"),
            models.CheckConstraint(condition=~Q(adopted_from=F("pk")), name="response_not_adopting_itself"),
            # An answer has a text of its own unless it adopts another structure's.
            models.CheckConstraint(
                condition=Q(adopted_from__isnull=False) | ~Q(body=""), name="response_has_body_or_adopts"
            ),
            models.CheckConstraint(
                condition=~Q(state=ResponseState.PUBLISHED) | Q(published_at__isnull=False),
                name="response_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Réponse de {self.assignment.structure.name} à {self.assignment.experience.public_id}"

    @property
    def is_published(self) -> bool:
        return self.state == ResponseState.PUBLISHED
