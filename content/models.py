"""Editorial content of the public site: advice against frequent mistakes and the platform's news."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.french_text import fold
from structures.models import Network, Typology


class Theme(models.TextChoices):
    """Themes and life events, as citizens name the moments a procedure starts."""

    IDENTITY = "papiers", "Papiers d'identité et citoyenneté"
    FAMILY = "famille", "Famille et naissance"
    HOUSING = "logement", "Logement et déménagement"
    WORK = "emploi", "Travail et recherche d'emploi"
    MONEY = "impots", "Impôts et argent"
    HEALTH = "sante", "Santé et social"
    RETIREMENT = "retraite", "Retraite"
    VEHICLES = "transports", "Transports et véhicules"
    STUDIES = "etudes", "Études"
    BUSINESS = "entreprise", "Créer ou gérer une entreprise"


class AdviceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Advice(models.Model):
    """One piece of advice against a frequent administrative mistake (seed 004: « + 300 conseils »)."""

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=200, unique=True)
    summary = models.CharField("résumé", max_length=300, help_text="Une ou deux phrases, affichées dans les listes.")
    body = models.TextField("texte", help_text="Un paragraphe par ligne vide ; texte brut, sans HTML.")
    theme = models.CharField("thème ou événement de vie", max_length=20, choices=Theme.choices)
    networks = models.ManyToManyField(Network, blank=True, related_name="advice", verbose_name="réseaux concernés")
    typologies = models.ManyToManyField(
        Typology, blank=True, related_name="advice", verbose_name="typologies concernées"
    )
    sources = models.TextField("sources", blank=True, help_text="Une source par ligne : intitulé et adresse web.")
    is_published = models.BooleanField("publié", default=True)
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)
    # Title, summary and text folded and lower-cased: SQLite's search reads it (make run); PostgreSQL
    # searches the texts themselves with its french_unaccent configuration.
    search_text = models.TextField(editable=False, blank=True)

    objects = AdviceQuerySet.as_manager()

    class Meta:
        verbose_name = "conseil"
        verbose_name_plural = "conseils"
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(theme__in=Theme.values), name="advice_theme_valid")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title}\n{self.summary}\n{self.body}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("content:advice_detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    @property
    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class NewsArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles whose publication date has come: a future date schedules an article."""
        return self.filter(published_at__lte=timezone.now())


class NewsArticle(models.Model):
    """A news item of the platform (« Actualités »)."""

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=200, unique=True)
    summary = models.CharField("chapô", max_length=400)
    body = models.TextField("texte", help_text="Un paragraphe par ligne vide ; texte brut, sans HTML.")
    image = models.ImageField("image", upload_to="actualites/", blank=True)
    image_alt = models.CharField(
        "alternative textuelle de l'image",
        max_length=250,
        blank=True,
        help_text="Ce que montre l'image, pour les personnes qui ne la voient pas. Obligatoire avec une image.",
    )
    published_at = models.DateTimeField(
        "date de publication", null=True, blank=True, help_text="Vide : brouillon. Date future : programmé."
    )

    objects = NewsArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(image="") | ~Q(image_alt=""), name="news_image_has_alt"),
        ]
        indexes = [
            # The home page's three latest and the news list, newest first.
            models.Index(fields=["-published_at", "-id"], name="news_published_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:news_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Décrivez l'image : son alternative textuelle est obligatoire."})

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]
