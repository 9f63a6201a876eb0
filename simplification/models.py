"""Reports of complex documents (seed 002: « signaler courriers, e-mails, formulaires ou sites web jugés
complexes »), their routing to the structures concerned and the trail of moderators' decisions."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from structures.models import Structure, Typology

TITLE_MAX_LENGTH = 200
DESCRIPTION_MIN_LENGTH = 30
DESCRIPTION_MAX_LENGTH = 3000


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT that no URL serves: only simplification.views_agents hands them out, checked.

    The location is read from the settings at each use, so tests and deployments may move it.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Un document signalé n'a pas d'adresse publique : il passe par la vue contrôlée.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def report_file_path(report: "ComplexDocumentReport", filename: str) -> str:
    # The citizen's file name may hold their name: a random one is kept, the extension from the content.
    return f"documents-signales/{timezone.now():%Y/%m}/{filename}"


class DocumentKind(models.TextChoices):
    LETTER = "courrier", "Courrier"
    EMAIL = "email", "E-mail"
    FORM = "formulaire", "Formulaire"
    WEBSITE = "site", "Site internet"
    OTHER = "autre", "Autre"


class ReportState(models.TextChoices):
    RECEIVED = "recu", "Reçu"
    IN_REVIEW = "en_examen", "En cours d'examen"
    SIMPLIFIED = "simplifie", "Simplifié"
    CLOSED = "sans_suite", "Sans suite"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """Moderators see every report; an agent those routed to a structure of their scope (404 otherwise)."""
        from structures.permissions import scoped_structure_ids, sees_everything

        if sees_everything(user):
            return self.all()
        routed = ReportRouting.objects.filter(report=OuterRef("pk"), structure__in=scoped_structure_ids(user))
        return self.filter(Exists(routed))

    def published_examples(self) -> "ReportQuerySet":
        return self.filter(is_published_example=True, state=ReportState.SIMPLIFIED)


class ComplexDocumentReport(models.Model):
    """A document a citizen found hard to understand, with what is hard and why, and optionally the file."""

    kind = models.CharField("type de document", max_length=12, choices=DocumentKind.choices)
    typology = models.ForeignKey(
        Typology,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_reports",
        verbose_name="administration (typologie)",
    )
    organism_name = models.CharField("administration saisie par l'usager", max_length=200, blank=True)
    title = models.CharField("document concerné", max_length=TITLE_MAX_LENGTH)
    description = models.TextField("ce qui est difficile à comprendre, et pourquoi")
    # Never shown: e-mails go to it, the admin shows it masked.
    reporter_email = models.EmailField("adresse e-mail de l'usager", max_length=254)
    file = models.FileField(
        "document joint", storage=private_storage, upload_to=report_file_path, max_length=255, blank=True
    )
    file_type = models.CharField("type du fichier", max_length=40, blank=True)
    state = models.CharField("état", max_length=12, choices=ReportState.choices, default=ReportState.RECEIVED)
    closing_reason = models.TextField("motif du classement sans suite", blank=True)
    simplified_version = models.TextField(
        "version simplifiée",
        blank=True,
        help_text="Le texte réécrit ; publié comme exemple « après » si les modérateurs le choisissent.",
    )
    original_excerpt = models.TextField(
        "extrait d'origine à publier",
        blank=True,
        help_text="L'exemple « avant » du document, sans aucune donnée personnelle.",
    )
    is_published_example = models.BooleanField("publié comme exemple", default=False)
    personal_data_flags = models.PositiveSmallIntegerField("données personnelles repérées", default=0)
    submitted_at = models.DateTimeField("reçu le", default=timezone.now)
    state_changed_at = models.DateTimeField("état modifié le", default=timezone.now)
    published_at = models.DateTimeField("exemple publié le", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement de document complexe"
        verbose_name_plural = "signalements de documents complexes"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="report_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="report_state_valid"),
            models.CheckConstraint(
                condition=~Q(typology=None) | ~Q(organism_name=""), name="report_names_an_administration"
            ),
            models.CheckConstraint(
                condition=Q(is_published_example=False)
                | (Q(state=ReportState.SIMPLIFIED) & ~Q(simplified_version="") & ~Q(original_excerpt="")),
                name="report_example_is_simplified",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.CLOSED) | ~Q(closing_reason=""), name="report_closed_has_reason"
            ),
        ]
        indexes = [
            # The moderation queue: what waits, oldest first.
            models.Index(fields=["state", "submitted_at"], name="report_state_queue"),
            # The public page « Documents simplifiés »: published examples, newest first.
            models.Index(
                fields=["-published_at"], name="report_published_examples", condition=Q(is_published_example=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Signalement n° {self.pk} : {self.title}"

    @property
    def reference(self) -> str:
        return f"document {self.pk}"

    @property
    def administration(self) -> str:
        return self.typology.name if self.typology_id else self.organism_name

    def get_agent_url(self) -> str:
        return reverse("agents:document_report", args=[self.pk])

    def get_file_url(self) -> str:
        return reverse("agents:document_report_file", args=[self.pk])


class ReportRouting(models.Model):
    """A report sent to a structure concerned, whose agents may then read it and its file."""

    report = models.ForeignKey(
        ComplexDocumentReport, on_delete=models.CASCADE, related_name="routings", verbose_name="signalement"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="document_routings", verbose_name="structure"
    )
    routed_at = models.DateTimeField("orienté le", default=timezone.now)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="orienté par"
    )

    class Meta:
        verbose_name = "orientation du signalement"
        verbose_name_plural = "orientations du signalement"
        ordering = ["routed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "structure"], name="report_routed_once")]
        # The agents' list: the reports routed to the structures of a scope (report_routed_once serves the
        # EXISTS from the report's side).
        indexes = [models.Index(fields=["structure", "report"], name="report_routing_structure")]

    def __str__(self) -> str:
        return str(self.structure)


class ReportAction(models.TextChoices):
    RECEIVED = "received", "Reçu"
    ACCEPTED = "accepted", "Accepté, mis en examen"
    ROUTED = "routed", "Orienté"
    SIMPLIFIED = "simplified", "Marqué simplifié"
    CLOSED = "closed", "Classé sans suite"
    PUBLISHED = "published", "Publié comme exemple"
    UNPUBLISHED = "unpublished", "Retiré des exemples"


class ReportDecision(models.Model):
    """Who did what to a report, and when: the history under its moderation page."""

    report = models.ForeignKey(
        ComplexDocumentReport, on_delete=models.CASCADE, related_name="decisions", verbose_name="signalement"
    )
    action = models.CharField("action", max_length=12, choices=ReportAction.choices)
    detail = models.TextField("précisions", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    decided_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "historique des décisions"
        ordering = ["decided_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(action__in=ReportAction.values), name="report_action_valid")]

    def __str__(self) -> str:
        return self.get_action_display()
