"""The DITP's moderation: decisions, text edits, and the queue's proxy model."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .experience import Experience


class RejectionReason(models.TextChoices):
    """Why a moderator rejects an experience (the moderation charter), told to the author."""

    INSULTS = "insults", "Propos injurieux, diffamatoires ou discriminatoires"
    PERSONAL_DATA = "personal_data", "Données à caractère personnel qui ne peuvent pas être retirées"
    OUT_OF_SCOPE = "out_of_scope", "Hors du périmètre : ne concerne pas un service public administratif"
    NOT_AN_EXPERIENCE = "not_experience", "Pas une expérience vécue (question, pétition, publicité…)"
    UNCLEAR = "unclear", "Texte incompréhensible ou trop imprécis"
    DUPLICATE = "duplicate", "Doublon d'une expérience déjà partagée"
    OTHER = "other", "Autre motif"


class ModerationAction(models.TextChoices):
    PUBLISHED = "published", "Publiée"
    REJECTED = "rejected", "Rejetée"
    TO_MODIFY = "to_modify", "Modification demandée à l'auteur"
    RESUBMITTED = "resubmitted", "Modifiée et renvoyée par l'auteur"
    TRANSFER_ACCEPTED = "transfer_accepted", "Transfert accepté"
    TRANSFER_REFUSED = "transfer_refused", "Transfert refusé"


class ModerationDecision(models.Model):
    """Who decided what on an experience, and when: the moderation audit trail."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="moderation_decisions", verbose_name="expérience"
    )
    action = models.CharField("décision", max_length=20, choices=ModerationAction.choices)
    reason = models.CharField("motif", max_length=20, choices=RejectionReason.choices, blank=True)
    message = models.TextField("message", blank=True)
    # Null only when the author acts (a resubmission after a request to modify).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    decided_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "décision de modération"
        verbose_name_plural = "décisions de modération"
        ordering = ["experience", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ModerationAction.values), name="moderation_action_valid"),
            models.CheckConstraint(
                condition=Q(reason__in=[*RejectionReason.values, ""]), name="moderation_reason_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=ModerationAction.REJECTED) | ~Q(reason=""), name="moderation_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} le {self.decided_at:%d/%m/%Y %H:%M}"


class ExperienceEdit(models.Model):
    """A change to the text the citizen wrote: the first one keeps the original (moderators only)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="edits", verbose_name="expérience"
    )
    field = models.CharField("champ", max_length=20, choices=[("title", "titre"), ("description", "description")])
    before = models.TextField("avant")
    after = models.TextField("après")
    # Null when the author edits after a request to modify.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    edited_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "modification du texte"
        verbose_name_plural = "modifications du texte"
        ordering = ["experience", "edited_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=["title", "description"]), name="experience_edit_field_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} modifié le {self.edited_at:%d/%m/%Y %H:%M}"


class ExperienceToModerate(Experience):
    """The moderation queue's view of experiences in the admin (a proxy: same table, its own admin)."""

    class Meta:
        proxy = True
        verbose_name = "expérience à modérer"
        verbose_name_plural = "file de modération"
