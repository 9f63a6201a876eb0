"""The agents' resources (documents and short pages) and their FAQ, grouped by theme (« Je suis agent », seed 003)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from structures.models import Network


class Theme(models.Model):
    """A heading the resources and the FAQ are grouped and filtered by (« Répondre aux usagers », « Transparence »)."""

    name = models.CharField("intitulé", max_length=100, unique=True)
    slug = models.SlugField("identifiant dans l'adresse", max_length=100, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    PAGE = "page", "Fiche"


class ResourceQuerySet(models.QuerySet):
    def published(self) -> "ResourceQuerySet":
        return self.filter(is_published=True)


class Resource(models.Model):
    """A guide, a template or a short page; without networks it is for every agent, else for those networks'."""

    kind = models.CharField("type", max_length=10, choices=ResourceKind.choices, default=ResourceKind.DOCUMENT)
    title = models.CharField("titre", max_length=200)
    summary = models.TextField("résumé", max_length=1000)
    body = models.TextField("contenu de la fiche", blank=True, help_text="Texte de la fiche ; un paragraphe par ligne.")
    file = models.FileField("fichier", upload_to="ressources/", max_length=255, blank=True)
    themes = models.ManyToManyField(Theme, related_name="resources", verbose_name="thèmes", blank=True)
    networks = models.ManyToManyField(
        Network,
        related_name="+",
        verbose_name="réseaux",
        blank=True,
        help_text="Laisser vide pour tous les réseaux.",
    )
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        ordering = ["title", "pk"]
        constraints = [
            # A document without a file or a page without text would be an empty card.
            models.CheckConstraint(
                condition=(Q(kind=ResourceKind.DOCUMENT) & ~Q(file="")) | (Q(kind=ResourceKind.PAGE) & ~Q(body="")),
                name="resource_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agents:resource", args=[self.pk])

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class FaqEntry(models.Model):
    """A question agents often ask (seed 001, questions 21–29, and more), answered in the programme's words."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="faq_entries", verbose_name="thème")
    question = models.CharField("question", max_length=300)
    answer = models.TextField("réponse", help_text="Un paragraphe par ligne.")
    position = models.PositiveSmallIntegerField("ordre dans le thème", default=0)
    is_published = models.BooleanField("publiée", default=True)

    class Meta:
        verbose_name = "question fréquente"
        verbose_name_plural = "questions fréquentes"
        ordering = ["theme__position", "theme__name", "position", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.answer.splitlines() if line.strip()]
