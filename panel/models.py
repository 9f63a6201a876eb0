"""The tester panel (seed 002: « participer à des panels de tests »): panellists, test campaigns, invitations."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from structures.models import Department


class AgeRange(models.TextChoices):
    UNDER_25 = "18-24", "18 à 24 ans"
    FROM_25 = "25-39", "25 à 39 ans"
    FROM_40 = "40-59", "40 à 59 ans"
    FROM_60 = "60-74", "60 à 74 ans"
    OVER_75 = "75+", "75 ans et plus"


class DigitalEase(models.TextChoices):
    AT_EASE = "aise", "À l'aise avec les démarches en ligne"
    SOMETIMES = "parfois", "Parfois en difficulté"
    HELPED = "aide", "Souvent aidé par un proche ou un conseiller"
    NEVER = "jamais", "Je ne fais pas de démarche en ligne"


class Interest(models.TextChoices):
    """Kinds of document or procedure a panellist would test."""

    LETTERS = "courriers", "Courriers"
    EMAILS = "emails", "E-mails"
    FORMS = "formulaires", "Formulaires"
    WEBSITES = "sites", "Sites internet et démarches en ligne"
    PHONE = "telephone", "Accueil téléphonique"
    COUNTER = "accueil", "Accueil au guichet"


class Availability(models.TextChoices):
    WEEKDAYS = "semaine", "En semaine, en journée"
    EVENINGS = "soir", "En soirée"
    WEEKENDS = "week-end", "Le week-end"
    ANY = "indifferent", "Indifférent"


def encode_codes(codes) -> str:
    """Several choice codes in one column, each wrapped in commas so `contains=",code,"` finds exactly one."""
    return f",{','.join(sorted(codes))}," if codes else ""


def decode_codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]


class PanellistQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Panellist(models.Model):
    """A citizen who volunteered to test documents; kept 48 h unconfirmed and 24 months without activity."""

    key = models.UUIDField("clé", default=uuid.uuid4, unique=True, editable=False)
    # Never shown: the admin masks it, and nothing else reads it but the outbox.
    email = models.EmailField("adresse e-mail", unique=True)
    age_range = models.CharField("tranche d'âge", max_length=10, choices=AgeRange.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name="département")
    digital_ease = models.CharField("aisance avec les démarches en ligne", max_length=10, choices=DigitalEase.choices)
    interests = models.CharField("documents ou démarches à tester", max_length=200, blank=True)
    availability = models.CharField("disponibilités", max_length=15, choices=Availability.choices)
    consented_at = models.DateTimeField("consentement donné le")
    created_at = models.DateTimeField("inscrit le", default=timezone.now)
    confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)
    last_activity_at = models.DateTimeField("dernière activité le", default=timezone.now)

    objects = PanellistQuerySet.as_manager()

    class Meta:
        verbose_name = "usager testeur"
        verbose_name_plural = "usagers testeurs"
        ordering = ["-created_at"]
        indexes = [
            # The purge of unconfirmed sign-ups after 48 hours.
            models.Index(fields=["created_at"], name="panellist_unconfirmed", condition=Q(confirmed_at__isnull=True)),
            # The purge of profiles without activity for 24 months.
            models.Index(fields=["last_activity_at"], name="panellist_last_activity"),
        ]

    def __str__(self) -> str:
        return f"Usager testeur n° {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def interest_labels(self) -> list[str]:
        labels = dict(Interest.choices)
        return [labels.get(code, code) for code in decode_codes(self.interests)]


class TestCampaign(models.Model):
    """A test of a document or procedure; the moderators invite a random sample of matching panellists."""

    __test__ = False  # not a pytest test class, whatever its name

    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", help_text="Ce qui est testé, comment et combien de temps.")
    subject = models.CharField("document ou démarche testé", max_length=300)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    testers_wanted = models.PositiveSmallIntegerField("nombre de testeurs recherchés")
    # Criteria: an empty one accepts every panellist.
    age_ranges = models.CharField("tranches d'âge", max_length=100, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="+", verbose_name="départements")
    digital_eases = models.CharField("aisance numérique", max_length=100, blank=True)
    interests = models.CharField("documents ou démarches", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "campagne de test"
        verbose_name_plural = "campagnes de test"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_in_order"),
            models.CheckConstraint(condition=Q(testers_wanted__gte=1), name="campaign_wants_testers"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_over(self) -> bool:
        return self.ends_on < timezone.localdate()


class Answer(models.TextChoices):
    YES = "oui", "Oui, je participe"
    NO = "non", "Non, pas cette fois"


class Invitation(models.Model):
    """One panellist invited to one campaign; deleted with the panellist's profile."""

    campaign = models.ForeignKey(
        TestCampaign, on_delete=models.CASCADE, related_name="invitations", verbose_name="campagne"
    )
    panellist = models.ForeignKey(
        Panellist, on_delete=models.CASCADE, related_name="invitations", verbose_name="usager testeur"
    )
    invited_at = models.DateTimeField("invité le", default=timezone.now)
    answer = models.CharField("réponse", max_length=3, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "panellist"], name="invitation_once_per_campaign"),
            models.CheckConstraint(condition=Q(answer__in=["", *Answer.values]), name="invitation_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.panellist}"
