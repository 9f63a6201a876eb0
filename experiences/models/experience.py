"""The experience a citizen shares, its general tags, typologies and channels."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from actions.models import ImprovementActionStatus
from structures.models import BusinessTag, Department, Region, Typology

from .choices import (
    ANSWERED_STATUSES,
    HISTORICAL_DESCRIPTION_MAX_LENGTH,
    MAX_TYPOLOGIES,
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    TITLE_MAX_LENGTH,
    AuthorType,
    Channel,
    ExperienceState,
    ExperienceStatus,
    Feeling,
    GeneralTag,
    ModerationState,
)


def new_public_id() -> int:
    """A random unused public id: sequential ids would reveal the volume and invite enumeration."""
    while True:
        candidate = PUBLIC_ID_MIN + secrets.randbelow(PUBLIC_ID_MAX - PUBLIC_ID_MIN + 1)
        if not Experience.objects.filter(public_id=candidate).exists():
            return candidate


class ExperienceQuerySet(models.QuerySet):
    def published(self) -> "ExperienceQuerySet":
        return self.filter(moderation_state=ModerationState.PUBLISHED)

    def visible_to(self, user) -> "ExperienceQuerySet":
        """Experiences routed to a structure in the user's scope (EXISTS, not JOIN + DISTINCT)."""
        from structures.permissions import scoped_structure_ids, sees_everything

        # Assignment's module imports this one (its foreign key), so it is read at call time.
        from .assignments import Assignment

        if sees_everything(user):
            return self.all()
        assigned = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=scoped_structure_ids(user))
        # Agents work on what the DITP published; submitted or rejected texts may hold personal data.
        return self.published().filter(Exists(assigned))

    def with_state(self, state: str) -> "ExperienceQuerySet":
        if state == ExperienceState.TO_PROCESS:
            return self.filter(status=ExperienceStatus.AWAITING)
        return self.exclude(status=ExperienceStatus.AWAITING)


class Experience(models.Model):
    public_id = models.PositiveIntegerField("identifiant", unique=True, default=new_public_id, editable=False)
    title = models.CharField("titre", max_length=TITLE_MAX_LENGTH)
    description = models.TextField("description")
    feeling = models.CharField("ressenti de l'usager", max_length=10, choices=Feeling.choices)
    author_type = models.CharField("posté comme", max_length=10, choices=AuthorType.choices)
    pseudonym = models.CharField("pseudonyme", max_length=80, blank=True)
    # seed 001 q25–26: used only to tell the author what happens; never shown, never exported.
    author_email = models.EmailField("e-mail de l'auteur", blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="département"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="région"
    )
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    country = CountryField("pays", default="FR", blank=True)
    country_insee_code = models.CharField("code INSEE du pays", max_length=5, blank=True)
    # Where the citizen came from, for the dashboards (tracking link, banner, QR code campaign).
    source = models.CharField("source", max_length=100, blank=True, db_index=True)
    campaign = models.CharField("campagne", max_length=100, blank=True)
    arrival_channel = models.CharField("canal d'arrivée", max_length=100, blank=True)
    moderation_state = models.CharField(
        "état de modération", max_length=10, choices=ModerationState.choices, default=ModerationState.SUBMITTED
    )
    rejection_reason = models.TextField("motif de rejet", blank=True)
    # Stored when the text is submitted or edited (common/personal_data.py), so the moderation queue
    # counts and filters without reading every text on each page.
    personal_data_flags = models.PositiveSmallIntegerField("données personnelles repérées", default=0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modéré par",
    )
    moderated_at = models.DateTimeField("modérée le", null=True, blank=True)
    # Not auto_now_add: historical experiences keep their own dates (the export gives only publication).
    submitted_at = models.DateTimeField("déposée le", default=timezone.now)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    first_response_at = models.DateTimeField("date de première réponse", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=15, choices=ExperienceStatus.choices, default=ExperienceStatus.AWAITING
    )
    me_too_count = models.PositiveIntegerField("« moi aussi » (expériences similaires)", default=0)
    # seed 000, « Hors structure »: the DITP found no structure for it (routed to « Hors-structures »).
    is_outside_structures = models.BooleanField("hors structure", default=False)
    is_historical = models.BooleanField(
        "importée de l'historique", default=False, help_text="Reprise de l'export réel : texte conservé tel quel."
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    # The link is the experiences' side (actions import no experience); `action.experiences` reads it back.
    improvement_actions = models.ManyToManyField(
        "actions.ImprovementAction",
        through="ImprovementActionLink",
        blank=True,
        related_name="experiences",
        verbose_name="actions d'amélioration",
    )

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        verbose_name = "expérience"
        verbose_name_plural = "expériences"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public_id__gte=PUBLIC_ID_MIN, public_id__lte=PUBLIC_ID_MAX),
                name="experience_public_id_6_or_7_digits",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), HISTORICAL_DESCRIPTION_MAX_LENGTH),
                name="experience_description_max_length",
            ),
            models.CheckConstraint(condition=Q(feeling__in=Feeling.values), name="experience_feeling_valid"),
            models.CheckConstraint(condition=Q(author_type__in=AuthorType.values), name="experience_author_type_valid"),
            models.CheckConstraint(
                condition=Q(moderation_state__in=ModerationState.values), name="experience_moderation_state_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ExperienceStatus.values), name="experience_status_valid"),
            # A published experience has a publication date: lists sort and dashboards count on it.
            models.CheckConstraint(
                condition=~Q(moderation_state=ModerationState.PUBLISHED) | Q(published_at__isnull=False),
                name="experience_published_has_date",
            ),
            # Only a published experience can have been answered or acted upon.
            models.CheckConstraint(
                condition=Q(moderation_state=ModerationState.PUBLISHED) | Q(status=ExperienceStatus.AWAITING),
                name="experience_status_needs_publication",
            ),
        ]
        indexes = [
            # Public list: newest published first (partial index in display order; DESIGN.md performance facts).
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="experience_published_order",
                condition=Q(moderation_state="published"),
            ),
            # Public list filtered on a status (rare ones such as « action réalisée»), newest first.
            models.Index(
                "status",
                F("published_at").desc(),
                F("id").desc(),
                name="experience_published_status",
                condition=Q(moderation_state="published"),
            ),
            # Moderation queue: what waits for a moderator or for its author, oldest first, and its counts
            # (a few tens of thousands of rows among a million: every other state is left out of the index).
            models.Index(
                fields=["moderation_state", "submitted_at", "id"],
                name="experience_to_moderate",
                condition=Q(moderation_state__in=["submitted", "to_modify"]),
            ),
            # Search filtered by department and feeling over a period.
            models.Index(fields=["department", "feeling", "published_at"], name="experience_dept_feeling_date"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("experiences:detail", kwargs={"public_id": self.public_id})

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED

    @property
    def state(self) -> ExperienceState:
        """seed 000: « A traiter » while awaiting an answer, « Traitées » after."""
        if self.status == ExperienceStatus.AWAITING:
            return ExperienceState.TO_PROCESS
        return ExperienceState.PROCESSED

    def get_state_display(self) -> str:
        return self.state.label

    def derived_status(self) -> ExperienceStatus:
        """The status the experience's answers and linked actions imply (seed 000)."""
        # Only published actions: the status is public, an action still in preparation is not.
        actions = self.improvement_actions.filter(is_public=True).values_list("status", flat=True)
        if ImprovementActionStatus.DONE in actions:
            return ExperienceStatus.ACTION_DONE
        if ImprovementActionStatus.ENGAGED in actions:
            return ExperienceStatus.ACTION_ENGAGED
        if self.assignments.filter(response_status__in=ANSWERED_STATUSES).exists():
            return ExperienceStatus.ANSWERED
        return ExperienceStatus.AWAITING

    def refresh_status(self) -> None:
        """Recompute the stored status after an answer or an action changed; services call it."""
        status = self.derived_status() if self.is_published else ExperienceStatus.AWAITING
        if status != self.status:
            self.status = status
            self.save(update_fields=["status", "updated_at"])


class GeneralTagValue(models.Model):
    """A general tag on an experience with its value (seed 000: each Positif / Neutre / Négatif)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="general_tags", verbose_name="expérience"
    )
    tag = models.CharField("tag général", max_length=15, choices=GeneralTag.choices)
    value = models.CharField("valeur", max_length=10, choices=Feeling.choices)

    class Meta:
        verbose_name = "tag général d'une expérience"
        verbose_name_plural = "tags généraux des expériences"
        ordering = ["experience", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "tag"], name="general_tag_once_per_experience"),
            models.CheckConstraint(condition=Q(tag__in=GeneralTag.values), name="general_tag_valid"),
            models.CheckConstraint(condition=Q(value__in=Feeling.values), name="general_tag_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tag_display()} : {self.get_value_display()}"


class ExperienceTypology(models.Model):
    """One of the 1–3 organisms an experience concerns, with its channels and business tags."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="typologies", verbose_name="expérience"
    )
    position = models.PositiveSmallIntegerField("rang")
    typology = models.ForeignKey(
        Typology, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="typologie"
    )
    # seed 000: when no keyword matches, the citizen types the organism's name.
    organism_name = models.CharField("organisme saisi par l'usager", max_length=200, blank=True)
    postal_code = models.CharField("code postal du service", max_length=10, blank=True)
    country = CountryField("pays du service", default="FR", blank=True)
    business_tags = models.ManyToManyField(BusinessTag, blank=True, related_name="+", verbose_name="tags métier")

    class Meta:
        verbose_name = "typologie d'une expérience"
        verbose_name_plural = "typologies des expériences"
        ordering = ["experience", "position"]
        constraints = [
            # Positions 1..3, unique per experience: at most three typologies (seed 000).
            models.UniqueConstraint(fields=["experience", "position"], name="experience_typology_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_TYPOLOGIES), name="experience_typology_at_most_3"
            ),
            models.UniqueConstraint(
                fields=["experience", "typology"],
                condition=Q(typology__isnull=False),
                name="experience_typology_once",
            ),
            models.CheckConstraint(
                condition=Q(typology__isnull=False) | ~Q(organism_name=""), name="experience_typology_named"
            ),
        ]

    def __str__(self) -> str:
        return str(self.typology or self.organism_name)


class ExperienceChannel(models.Model):
    """A channel of contact used with one typology, and the citizen's feeling about it."""

    experience_typology = models.ForeignKey(
        ExperienceTypology, on_delete=models.CASCADE, related_name="channels", verbose_name="typologie"
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    feeling = models.CharField("ressenti", max_length=10, choices=Feeling.choices, blank=True)

    class Meta:
        verbose_name = "canal de contact"
        verbose_name_plural = "canaux de contact"
        ordering = ["experience_typology", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["experience_typology", "channel"], name="channel_once_per_typology"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="channel_valid"),
            models.CheckConstraint(condition=Q(feeling__in=[*Feeling.values, ""]), name="channel_feeling_valid"),
        ]

    def __str__(self) -> str:
        return self.get_channel_display()
