"""The agents' side of an experience: internal comments and who did what."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from structures.models import Structure

from .experience import Experience


class Comment(models.Model):
    """An internal comment, seen by the agents of the structures concerned and the DITP (seed 001 q21)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="comments", verbose_name="expérience"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", verbose_name="auteur"
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="au nom de la structure",
    )
    body = models.TextField("commentaire", max_length=4000)
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire interne"
        verbose_name_plural = "commentaires internes"
        ordering = ["experience", "created_at"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return self.body[:60]


class ActivityVerb(models.TextChoices):
    DRAFT_SAVED = "draft_saved", "Brouillon de réponse enregistré"
    SUBMITTED = "submitted", "Réponse soumise à validation"
    PUBLISHED = "published", "Réponse publiée"
    VALIDATED = "validated", "Réponse validée et publiée"
    VALIDATED_WITH_CORRECTIONS = "validated_corrected", "Réponse corrigée, validée et publiée"
    SENT_BACK = "sent_back", "Réponse renvoyée en rédaction"
    UNPUBLISHED = "unpublished", "Réponse dépubliée"
    MODIFIED = "modified", "Réponse publiée corrigée"
    MODIFIED_NOTIFIED = "modified_notified", "Réponse modifiée avec notification de l'usager"
    ADOPTED = "adopted", "Réponse d'une autre structure adoptée"
    QUALIFIED = "qualified", "Qualification modifiée (tags, canaux, amélioration)"
    MOVED = "moved", "Expérience réorientée vers une structure fille"
    TRANSFER_REQUESTED = "transfer_requested", "Transfert demandé à la DITP"
    ACTION_LINKED = "action_linked", "Action d'amélioration liée"


class Activity(models.Model):
    """Who did what on an experience in the agents' back-office, and when (seed 001 q21)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="activities", verbose_name="expérience"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="structure"
    )
    verb = models.CharField("action", max_length=20, choices=ActivityVerb.choices)
    detail = models.TextField("détail", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "activité sur une expérience"
        verbose_name_plural = "activités sur les expériences"
        ordering = ["experience", "-at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(verb__in=ActivityVerb.values), name="activity_verb_valid")]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} le {self.at:%d/%m/%Y %H:%M}"
