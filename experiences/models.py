"""Experiences shared by citizens, their routing to structures, responses, votes, comments and actions.

Field lists, closed lists and statuses follow seed 000 (the open-data « expériences » export).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from structures.models import BusinessTag, Department, Region, Structure, Typology

# seed 000: title ≤ 230 characters, description 100–2000 for new submissions; historical
# experiences imported from the real export keep their text (up to ~8,000 characters).
TITLE_MAX_LENGTH = 230
DESCRIPTION_MIN_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
HISTORICAL_DESCRIPTION_MAX_LENGTH = 10000
# seed 000 says « code à 6 chiffres »; the real data holds 6- and 7-digit ids.
PUBLIC_ID_MIN = 100_000
PUBLIC_ID_MAX = 9_999_999
MAX_TYPOLOGIES = 3
MAX_STRUCTURES = 3


class Feeling(models.TextChoices):
    POSITIVE = "positive", "Positif"
    NEUTRAL = "neutral", "Neutre"
    NEGATIVE = "negative", "Négatif"


class AuthorType(models.TextChoices):
    CONCERNED = "concerned", "La personne concernée"
    RELATIVE = "relative", "Un proche de la personne concernée"
    MEDIATOR = "mediator", "Un agent de médiation"


class ModerationState(models.TextChoices):
    SUBMITTED = "submitted", "À modérer"
    PUBLISHED = "published", "Publiée"
    REJECTED = "rejected", "Rejetée"
    TO_MODIFY = "to_modify", "À modifier par l'auteur"


class ExperienceStatus(models.TextChoices):
    AWAITING = "awaiting", "Expérience en attente de réponse"
    ANSWERED = "answered", "Expérience avec réponse"
    ACTION_ENGAGED = "action_engaged", "Expérience avec action engagée"
    ACTION_DONE = "action_done", "Expérience avec action réalisée"


class ExperienceState(models.TextChoices):
    TO_PROCESS = "to_process", "À traiter"
    PROCESSED = "processed", "Traitée"


class Channel(models.TextChoices):
    """seed 000: « Canaux Typologie », a closed multiple choice."""

    PHONE = "phone", "Téléphone"
    ACCOUNT = "account", "Compte ou espace personnel"
    ONLINE = "online", "Démarche en ligne"
    DESK = "desk", "Accueil"
    EMAIL = "email", "E-mail"
    PATROL = "patrol", "Patrouille"
    MAIL = "mail", "Courrier"
    SOCIAL = "social", "Réseaux sociaux"
    VIDEO = "video", "Visio/Vidéo"
    CHAT = "chat", "Tchat (messagerie instantanée)"


class GeneralTag(models.TextChoices):
    """The five general tags of the real export, set by moderators (seed 000)."""

    ACCESSIBILITY = "accessibility", "Accessibilité"
    INFORMATION = "information", "Information/Explication"
    RELATION = "relation", "Relation"
    REACTIVITY = "reactivity", "Réactivité"
    SIMPLICITY = "simplicity", "Simplicité/Complexité"


class ResponseStatus(models.TextChoices):
    """seed 000: « Statut réponse structure N », one per (experience, structure)."""

    AWAITING = "awaiting", "En attente de réponse"
    PENDING_VALIDATION = "pending_validation", "Réponse en attente de validation"
    ANSWERED = "answered", "Réponse apportée"
    MODIFIED_NOTIFIED = "modified_notified", "Réponse modifiée avec notification"
    UNPUBLISHED = "unpublished", "Réponse dépubliée"
    ADOPTED = "adopted", "Réponse adoptée"


# An assignment whose answer is public counts as answered (seed 000: « Traitées »).
ANSWERED_STATUSES = (ResponseStatus.ANSWERED, ResponseStatus.MODIFIED_NOTIFIED, ResponseStatus.ADOPTED)


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
        from structures.permissions import sees_everything, structure_scope

        if sees_everything(user):
            return self.all()
        scoped = Structure.objects.filter(structure_scope(user)).values("pk")
        assigned = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=scoped)
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
    is_historical = models.BooleanField(
        "importée de l'historique", default=False, help_text="Reprise de l'export réel : texte conservé tel quel."
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

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
            # Moderation queue: oldest submitted first.
            models.Index(
                fields=["submitted_at"], name="experience_moderation_queue", condition=Q(moderation_state="submitted")
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


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        from structures.permissions import sees_everything, structure_scope

        if sees_everything(user):
            return self.all()
        return self.filter(structure__in=Structure.objects.filter(structure_scope(user)).values("pk"))


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
        ]

    def __str__(self) -> str:
        return f"{self.experience.public_id} → {self.structure.name}"


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


class ResponseVote(models.Model):
    """A visitor's « utile / pas utile » on a response, once per visitor (seed 000)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="votes", verbose_name="réponse")
    # A keyed hash of the visitor's session: counts once per visitor without storing who they are.
    visitor_key = models.CharField("visiteur (empreinte)", max_length=64)
    is_useful = models.BooleanField("utile")
    created_at = models.DateTimeField("votée le", auto_now_add=True)

    class Meta:
        verbose_name = "évaluation d'un visiteur"
        verbose_name_plural = "évaluations des visiteurs"
        constraints = [
            models.UniqueConstraint(fields=["response", "visitor_key"], name="vote_once_per_visitor"),
        ]

    def __str__(self) -> str:
        return "utile" if self.is_useful else "pas utile"


class AuthorEvaluation(models.Model):
    """The author's own verdict on a response, given once from a signed link (seed 000)."""

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="author_evaluation", verbose_name="réponse"
    )
    is_useful = models.BooleanField("utile")
    created_at = models.DateTimeField("évaluée le", auto_now_add=True)

    class Meta:
        verbose_name = "évaluation de l'auteur"
        verbose_name_plural = "évaluations des auteurs"

    def __str__(self) -> str:
        return "utile" if self.is_useful else "pas utile"


class MeToo(models.Model):
    """A visitor's « moi aussi » on an experience, once per visitor."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="me_toos", verbose_name="expérience"
    )
    visitor_key = models.CharField("visiteur (empreinte)", max_length=64)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "« moi aussi »"
        verbose_name_plural = "« moi aussi »"
        constraints = [
            models.UniqueConstraint(fields=["experience", "visitor_key"], name="me_too_once_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"moi aussi — {self.experience_id}"


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
    experiences = models.ManyToManyField(
        Experience, blank=True, related_name="improvement_actions", verbose_name="expériences liées"
    )
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
        ]

    def __str__(self) -> str:
        return self.title


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
