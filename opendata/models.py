"""The latest generation of each published file: where it is stored and what the page says of it."""

from django.db import models


class PublishedFile(models.Model):
    """One row per dataset, replaced at each generation (the file itself lives in the storage backend)."""

    slug = models.SlugField("jeu de données", max_length=30, unique=True)
    # Empty until the first generation (a migration creates the five rows, so the admin can ask for them).
    path = models.CharField("chemin dans le stockage", max_length=255, blank=True)
    generated_at = models.DateTimeField("généré le", null=True, blank=True)
    row_count = models.PositiveIntegerField("nombre de lignes", null=True, blank=True)
    size = models.PositiveBigIntegerField("taille en octets", null=True, blank=True)
    # The file's SHA-256: its ETag, so a client that has these bytes downloads nothing.
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = "fichier publié"
        verbose_name_plural = "fichiers publiés"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_generated(self) -> bool:
        return bool(self.path)
