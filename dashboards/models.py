"""The dashboard's stored data: PDF exports prepared by a worker and the daily rollup of its figures.

Both are caches of what `experiences` holds: exports expire after a day and the rollup is rebuilt
from the routings every night, so the tables can be emptied and rebuilt at any time.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En préparation"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"
    EXPIRED = "expired", "Expiré"


# The exports a user still waits for: at most one at a time (dashboard_export_one_active_per_user).
ACTIVE_EXPORT_STATUSES = (ExportStatus.PENDING, ExportStatus.RUNNING)


def export_path(export: "StoredExport", filename: str) -> str:
    """exports/<kind>/<random>/<readable name>: the random folder keeps the file's name unguessable."""
    return f"exports/{export.storage_folder}/{secrets.token_urlsafe(24)}/{filename}"


class StoredExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export holds what its requester could read when it was made: only they may see it, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def active(self):
        return self.filter(status__in=ACTIVE_EXPORT_STATUSES)


class StoredExport(models.Model):
    """A file prepared by a Celery worker, kept in the storage backend until it expires.

    The dashboard's and the diagnostics' PDFs are two kinds of it (dashboards.services.export_lifecycle runs
    both); each concrete model adds its `requested_by` (with its own reverse name) and what it prints.
    """

    storage_folder = "exports"

    public_id = models.UUIDField("identifiant", default=uuid.uuid4, unique=True, editable=False)
    # What to print (a dashboard's query string, a diagnostic's id…); the worker resolves it again with the
    # requester's permissions of the moment, never with those they had when asking.
    params = models.JSONField("paramètres", default=dict, blank=True)
    status = models.CharField("état", max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    error = models.TextField("erreur", blank=True)
    # In the default storage (a volume shared by web and worker, or an object store), never served
    # under MEDIA_URL: only the download view reads it, for the requester.
    file = models.FileField("fichier", upload_to=export_path, max_length=255, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)

    objects = StoredExportQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_EXPORT_STATUSES

    @property
    def is_expired(self) -> bool:
        """Expired, or past its expiry and waiting for the hourly purge."""
        if self.status == ExportStatus.EXPIRED:
            return True
        return self.status == ExportStatus.READY and self.expires_at <= timezone.now()

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class DashboardExport(StoredExport):
    """A dashboard file: the figures of a scope and a period."""

    storage_folder = "dashboard"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dashboard_exports",
        verbose_name="demandé par",
    )
    scope_label = models.CharField("périmètre et période", max_length=400)
    format = models.CharField("format", max_length=10, choices=ExportFormat.choices, default=ExportFormat.PDF)

    class Meta(StoredExport.Meta):
        verbose_name = "export du tableau de bord"
        verbose_name_plural = "exports du tableau de bord"
        constraints = [
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="dashboard_export_format_valid"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="dashboard_export_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.READY) | (~Q(file="") & Q(expires_at__isnull=False)),
                name="dashboard_export_ready_has_file",
            ),
            # One export in preparation per user: a second request waits for the first (the rate limit).
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=Q(status__in=ACTIVE_EXPORT_STATUSES),
                name="dashboard_export_one_active_per_user",
            ),
        ]
        indexes = [
            # The hourly purge: ready exports whose expiry has passed.
            models.Index(fields=["expires_at"], condition=Q(status=ExportStatus.READY), name="dashboard_export_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} — {self.scope_label}"


class RollupKind(models.TextChoices):
    """Which scope a row of the daily rollup describes; `target_id` names it."""

    SUBTREE = "S", "structure et sa descendance"
    OWN = "O", "structure seule (structures ayant des filles)"
    NETWORK = "N", "réseau"
    ALL = "A", "toutes les structures"


# The delay figures of a day: what the rankings add up, so both indexes below cover them.
DELAY_COLUMNS = (
    "routings",
    "answered",
    "total_delay_us",
    "under_48h",
    "under_72h",
    "under_7d",
    "within_target",
    "breached",
)


class DashboardDay(models.Model):
    """One scope's dashboard figures for one day of publication (Europe/Paris), rebuilt by Celery beat.

    A day's row counts each experience once per scope, so days add up exactly; the categorical figures
    (feelings, sources, channels, tags, the delay histogram in whole hours) are in `breakdown`.
    """

    kind = models.CharField("périmètre", max_length=1, choices=RollupKind.choices)
    target_id = models.IntegerField("structure ou réseau")  # 0 for RollupKind.ALL
    # A subtree's parent structure: the ranking of a structure's children reads their rows by it.
    parent_id = models.IntegerField("structure parente", null=True, blank=True)
    day = models.DateField("jour de publication")
    published = models.IntegerField("expériences publiées")
    routings = models.IntegerField("orientations")
    answered = models.IntegerField("orientations répondues")
    total_delay_us = models.BigIntegerField("somme des délais (µs)")
    under_48h = models.IntegerField("répondues en moins de 48 h")
    under_72h = models.IntegerField("répondues en moins de 72 h")
    under_7d = models.IntegerField("répondues en moins de 7 jours")
    # The routing's own response-time target (Assignment.due_at, issue 20), whatever it was set to.
    within_target = models.IntegerField("répondues dans le délai cible", default=0)
    breached = models.IntegerField("délai cible dépassé (répondues après, ou toujours sans réponse)", default=0)
    responses = models.IntegerField("réponses publiées")
    author_useful = models.IntegerField("jugées utiles par l'auteur")
    author_not_useful = models.IntegerField("jugées pas utiles par l'auteur")
    visitor_useful = models.IntegerField("votes utiles des visiteurs")
    visitor_not_useful = models.IntegerField("votes pas utiles des visiteurs")
    negative_evaluated = models.IntegerField("négatives évaluées")
    negative_useful = models.IntegerField("négatives jugées utiles")
    flagged_without_action = models.IntegerField("amélioration à considérer sans action")
    breakdown = models.JSONField("répartitions", default=dict)

    class Meta:
        verbose_name = "agrégat quotidien du tableau de bord"
        verbose_name_plural = "agrégats quotidiens du tableau de bord"
        constraints = [
            # Also the index of every read: one scope, a range of days. It covers the delays, so the
            # ranking of a root's thousands of children reads the index alone.
            models.UniqueConstraint(
                fields=["kind", "target_id", "day"],
                name="dashboard_day_scope_day",
                include=list(DELAY_COLUMNS),
            ),
            models.CheckConstraint(condition=Q(kind__in=RollupKind.values), name="dashboard_day_kind_valid"),
        ]
        indexes = [
            # The children's lines of a ranking by their parent (a root can have 2,192), from the index alone.
            models.Index(
                fields=["parent_id", "day"],
                name="dashboard_day_children",
                include=["target_id", *DELAY_COLUMNS],
                condition=Q(kind="S"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_id} — {self.day}"


class DashboardRollupState(models.Model):
    """The rollup's watermark (a single row): days up to `complete_through` are in `DashboardDay`."""

    complete_through = models.DateField("consolidé jusqu'au", null=True, blank=True)
    refreshed_at = models.DateTimeField("recalculé le", null=True, blank=True)

    class Meta:
        verbose_name = "état des agrégats du tableau de bord"
        verbose_name_plural = "état des agrégats du tableau de bord"

    def __str__(self) -> str:
        return f"consolidé jusqu'au {self.complete_through or '—'}"
