"""The indicators and results referentials, and the referents' imports that bring results in.

Field names follow the published files (seed 000, `export-indicateurs` and `export-resultats`);
a common indicator (no network) applies to every network (seed 002).
"""

import base64
import secrets
import threading
import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

INDICATOR_CODE_REGEX = r"\AIND-[0-9]+\Z"


class IndicatorKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance (qualité délivrée)"
    FEELING = "ressenti", "Ressenti (qualité perçue)"


class UnitType(models.TextChoices):
    RATE = "taux", "Taux"
    SCORE = "note", "Note"
    DURATION = "duree", "Durée"
    COUNT = "nombre", "Nombre"


class Frequency(models.TextChoices):
    YEARLY = "annuelle", "Annuelle"
    HALF_YEARLY = "semestrielle", "Semestrielle"
    QUARTERLY = "trimestrielle", "Trimestrielle"
    MONTHLY = "mensuelle", "Mensuelle"


class IndicatorQuerySet(models.QuerySet):
    def for_network(self, network) -> "IndicatorQuerySet":
        """The indicators a network may publish: its own and the common ones."""
        return self.filter(Q(network=network) | Q(network__isnull=True), is_active=True)


class Indicator(models.Model):
    """A measure published by structures: its wording, its unit, and how it is computed."""

    code = models.CharField("code SP+ de l'indicateur", max_length=20, unique=True, help_text="IND-<n>")
    network = models.ForeignKey(
        "structures.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="réseau",
        help_text="Vide pour un indicateur commun à tous les réseaux.",
    )
    original_label = models.CharField("intitulé original de l'indicateur", max_length=255)
    label = models.CharField("intitulé usager de l'indicateur", max_length=255)
    kind = models.CharField("type d'indicateur", max_length=20, choices=IndicatorKind.choices)
    sources_and_methods = models.TextField("sources et méthodes", blank=True)
    unit_type = models.CharField("type d'unité", max_length=10, choices=UnitType.choices)
    unit = models.CharField("unité", max_length=20)
    is_active = models.BooleanField("actif", default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=INDICATOR_CODE_REGEX), name="indicator_code_format"),
            models.CheckConstraint(condition=Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(unit_type__in=UnitType.values), name="indicator_unit_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    @property
    def is_common(self) -> bool:
        return self.network_id is None

    def value_range(self) -> tuple[Decimal, Decimal | None]:
        """Lowest and highest value the unit allows (None: no ceiling)."""
        if self.unit_type == UnitType.RATE:
            return Decimal(0), Decimal(100)
        if self.unit_type == UnitType.SCORE:
            ceiling = self.unit.strip().lstrip("/").strip()
            return Decimal(0), Decimal(ceiling) if ceiling.isdigit() else Decimal(10)
        return Decimal(0), None


class ImportStatus(models.TextChoices):
    TESTED_WITH_ERRORS = "errors", "Testé : erreurs à corriger"
    TESTED_OK = "tested", "Testé : prêt à exécuter"
    QUEUED = "queued", "Exécution en attente"
    RUNNING = "running", "Exécution en cours"
    DONE = "done", "Importé"
    FAILED = "failed", "Échec de l'exécution"


def import_file_path(instance: "Import", filename: str) -> str:
    """imports/transparency/<random>/<name as sent>: the folder keeps the file's address unguessable."""
    return f"imports/transparency/{secrets.token_urlsafe(18)}/{filename}"


class ImportQuerySet(models.QuerySet):
    def for_networks(self, networks) -> "ImportQuerySet":
        return self.filter(network__in=networks)


class Import(models.Model):
    """One file sent by a referent: tested (the report), then perhaps executed; the history of a network."""

    network = models.ForeignKey(
        "structures.Network", on_delete=models.PROTECT, related_name="result_imports", verbose_name="réseau"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="result_imports",
        verbose_name="importé par",
    )
    created_at = models.DateTimeField("testé le", auto_now_add=True)
    file = models.FileField("fichier", upload_to=import_file_path, max_length=255)
    filename = models.CharField("nom du fichier", max_length=255)
    # The same bytes tested without error are the only ones that may be executed (seed 003).
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    status = models.CharField("état", max_length=10, choices=ImportStatus.choices)
    rows_read = models.PositiveIntegerField("lignes lues", default=0)
    rows_valid = models.PositiveIntegerField("lignes valides", default=0)
    rows_in_error = models.PositiveIntegerField("lignes en erreur", default=0)
    to_create = models.PositiveIntegerField("à créer", default=0)
    to_update = models.PositiveIntegerField("à mettre à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    # {"file_errors": [...], "errors": [[line, column, value, message]…], "warnings": […], "partial": bool}
    report = models.JSONField("rapport", default=dict, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="exécuté par",
    )
    executed_at = models.DateTimeField("exécuté le", null=True, blank=True)
    created = models.PositiveIntegerField("résultats créés", default=0)
    updated = models.PositiveIntegerField("résultats mis à jour", default=0)
    left_unchanged = models.PositiveIntegerField("résultats inchangés", default=0)
    failure = models.TextField("cause de l'échec", blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de résultats"
        verbose_name_plural = "imports de résultats"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_status_valid"),
        ]
        indexes = [
            # The history page: a network's imports, newest first.
            models.Index(fields=["network", "-created_at"], name="import_network_history"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.network}, {self.created_at:%d/%m/%Y %H:%M})"

    @property
    def can_execute(self) -> bool:
        return self.status == ImportStatus.TESTED_OK


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # base 32 without I, L, O, U: read aloud without doubt
# base64.b32encode's alphabet, in the order of the values, mapped to Crockford's (whose order is the values').
_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", CROCKFORD.encode())
_code_lock = threading.Lock()
_last_code = [0, 0]  # the millisecond and the random part of this process's last code


def new_result_codes(count: int) -> list[str]:
    """`count` codes: « RES- » and 16 base-32 characters, the millisecond (42 bits), then 38 bits drawn at
    random and increased by one for each later code of the same millisecond (a monotonic ULID, shortened).

    Codes made one after another sort in their order, so the unique index takes an import's rows at its
    right end: random codes touched a page each and cost a fifth of an import's writing at a million
    results (bench/README.md). Two processes collide only within the same millisecond and the same 2^38
    random draw. Older codes (« RES- » and 12 hexadecimal digits) are shorter: never equal to a new one.
    """
    with _code_lock:
        millisecond = time.time_ns() // 1_000_000
        last_millisecond, last_random = _last_code
        if millisecond <= last_millisecond and last_random + count < 1 << 38:
            millisecond, first = last_millisecond, last_random + 1
        else:
            millisecond, first = max(millisecond, last_millisecond + 1), secrets.randbits(37)
        _last_code[:] = [millisecond, first + count - 1]
    base = millisecond << 38
    return [
        "RES-" + base64.b32encode((base | random_part).to_bytes(10, "big")).translate(_TO_CROCKFORD).decode()
        for random_part in range(first, first + count)
    ]


def new_result_code() -> str:
    return new_result_codes(1)[0]


class Result(models.Model):
    """The value a structure measured for an indicator over a period; one per structure × indicator × period."""

    # Unique by a constraint rather than `unique=True`, which would add a second, pattern-matching index
    # that nothing reads and every import writes.
    code = models.CharField("code SP+ du résultat", max_length=20, default=new_result_code)
    # No index of its own: the unique constraint and result_structure_latest start with it.
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name="structure",
        db_index=False,
    )
    # No index of its own: result_indicator_latest starts with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="results", verbose_name="indicateur", db_index=False
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=3)
    frequency = models.CharField("fréquence", max_length=15, choices=Frequency.choices)
    # Canonical label of the period measured (« 2025 », « 2025-S1 », « 2025-T2 », « 2025-03 »).
    period = models.CharField("période", max_length=10)
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    updated_on = models.DateField("date de mise à jour")
    # Without a database constraint: PostgreSQL would check it once per row written, 0.55 s of an import of
    # 100,000 results at a million (bench/README.md), for an import row the same task created and committed
    # before writing. Deleting an import still empties the column (SET_NULL is Django's, not the database's).
    source_import = models.ForeignKey(
        Import,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name="import d'origine",
        db_constraint=False,
    )

    class Meta:
        verbose_name = "résultat"
        verbose_name_plural = "résultats"
        ordering = ["structure", "indicator", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="result_code_unique"),
            models.UniqueConstraint(
                fields=["structure", "indicator", "period"], name="result_one_per_structure_indicator_period"
            ),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="result_frequency_valid"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="result_period_order"),
        ]
        indexes = [
            # « Résultats près de chez vous » and the national values: an indicator's latest periods.
            models.Index(fields=["indicator", "-period_end"], name="result_indicator_latest"),
            # An import's check of each row against the latest value in place (validation._latest_in_place),
            # and a structure's history on /resultats/.
            models.Index(fields=["structure", "indicator", "-period_end"], name="result_structure_latest"),
            # The transparency rate: who published since a date.
            models.Index(fields=["period_end", "structure"], name="result_recent_by_structure"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} : {self.value}"
