"""Networks, typologies and the structure tree (one tree per network), memberships and INSEE territories."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

# seed 000: SP+ structure codes are "a code of less than 10 alphanumeric characters";
# the real referential also holds `STR-906`-style codes, hence the hyphen.
# \A and \Z, not ^ and $: Python's $ (the validator, and SQLite's REGEXP) also matches before a
# trailing newline, so "STR-906\n" passed there while PostgreSQL refused it.
STRUCTURE_CODE_REGEX = r"\A[A-Za-z0-9-]{1,10}\Z"
# seed 000: a typology code is "un code alphanumérique à 10 caractères"; the real referential
# also holds 22 `TYP-17`-style codes, so typologies follow the structures' rule.
TYPOLOGY_CODE_REGEX = STRUCTURE_CODE_REGEX


class Region(models.Model):
    """INSEE COG 2022 region (region_2022.csv)."""

    code = models.CharField("code INSEE", max_length=2, primary_key=True)
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "région"
        verbose_name_plural = "régions"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """INSEE COG 2022 department (departement_2022.csv); codes such as 01, 2A, 971."""

    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région")

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Network(models.Model):
    """A public-service network (réseau), e.g. « POLICE NATIONALE »; each is one structure tree."""

    name = models.CharField("intitulé", max_length=200, unique=True)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "réseau"
        verbose_name_plural = "réseaux"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Typology(models.Model):
    """A kind of organism citizens recognise (« Préfecture », « CAF »), detected from keywords (seed 000)."""

    code = models.CharField(
        "code SP+",
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                TYPOLOGY_CODE_REGEX, "Le code SP+ d'une typologie compte au plus 10 lettres, chiffres ou tirets."
            )
        ],
    )
    name = models.CharField("intitulé", max_length=200)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="typologies", verbose_name="réseau")
    keywords = models.TextField(
        "mots-clés de détection",
        blank=True,
        help_text="Un mot-clé ou une expression par ligne, cherchés dans le titre et la description.",
    )

    class Meta:
        verbose_name = "typologie"
        verbose_name_plural = "typologies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=TYPOLOGY_CODE_REGEX), name="typology_code_format"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]


class BusinessTag(models.Model):
    """A « tag métier », defined per network and set by moderators or agents (seed 000)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="business_tags", verbose_name="réseau")
    name = models.CharField("intitulé", max_length=100)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "tag métier"
        verbose_name_plural = "tags métier"
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="business_tag_unique_per_network"),
        ]

    def __str__(self) -> str:
        return self.name


class StructureQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StructureQuerySet":
        from .permissions import structure_scope

        return self.filter(structure_scope(user))

    def active(self) -> "StructureQuerySet":
        return self.filter(is_active=True)


StructureManager = TreeManager.from_queryset(StructureQuerySet)


class Structure(MPTTModel):
    """An operational unit that agents belong to and experiences are routed to (seed 000)."""

    code = models.CharField(
        "code SP+",
        max_length=10,
        unique=True,
        validators=[RegexValidator(STRUCTURE_CODE_REGEX, "Le code SP+ compte au plus 10 lettres, chiffres ou tirets.")],
    )
    name = models.CharField("intitulé", max_length=255)
    public_name = models.CharField(
        "intitulé usager", max_length=255, blank=True, help_text="Nom montré aux usagers, s'il diffère."
    )
    description = models.TextField("description", blank=True)
    external_id = models.CharField("identifiant de la structure", max_length=64, blank=True)
    external_id_type = models.CharField("type d'identifiant", max_length=64, blank=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="structures", verbose_name="réseau")
    typology = models.ForeignKey(
        Typology,
        on_delete=models.PROTECT,
        related_name="structures",
        verbose_name="typologie",
        null=True,
        blank=True,
    )
    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="structure parente",
        null=True,
        blank=True,
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=150, blank=True)
    country = CountryField("pays", default="FR", blank=True)
    served_postal_codes = models.CharField("codes postaux desservis", max_length=255, blank=True)
    served_departments = models.CharField("départements desservis", max_length=255, blank=True)
    insee_commune = models.CharField("code INSEE de la commune", max_length=5, blank=True)
    insee_department = models.CharField("code INSEE du département", max_length=3, blank=True, db_index=True)
    insee_region = models.CharField("code INSEE de la région", max_length=2, blank=True)
    insee_arrondissement = models.CharField("code INSEE de l'arrondissement", max_length=10, blank=True)
    website = models.URLField("site internet", max_length=500, blank=True)
    mailbox = models.EmailField("boîte à lettres fonctionnelle", blank=True)
    tracking_key = models.CharField("clé de tracking", max_length=100, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = StructureManager()

    class MPTTMeta:
        # The code breaks ties: the real referential has sibling structures with the same name.
        order_insertion_by = ["name", "code"]

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=STRUCTURE_CODE_REGEX), name="structure_code_format"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="structure_not_own_parent"),
        ]
        indexes = [
            # Subtree scoping (permissions.structure_scope) filters on the tree's bounds.
            models.Index(fields=["tree_id", "lft", "rght"], name="structure_tree_bounds"),
            # Routing suggestion: structures of a typology covering a department.
            models.Index(fields=["typology", "insee_department"], name="structure_typology_dept"),
            # The share form's visit counter checks a link's source against the keys (experiences.services.visits).
            models.Index(fields=["tracking_key"], name="structure_tracking_key"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def display_name(self) -> str:
        return self.public_name or self.name


class Role(models.TextChoices):
    AGENT = "agent", "Répondant"
    SUPER_AGENT = "super_agent", "Super répondant"
    EVALUATOR = "evaluator", "Évaluateur"
    SUPER_EVALUATOR = "super_evaluator", "Super évaluateur"
    REFERENT = "referent", "Référent"


class Membership(models.Model):
    """A user's role on a structure; it grants that structure and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        ordering = ["user", "structure", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "structure", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.structure.name}"


class MembershipChangeKind(models.TextChoices):
    ADDED = "added", "Habilitation ajoutée"
    REMOVED = "removed", "Habilitation retirée"


class MembershipChange(models.Model):
    """Who added or removed whose role on which structure, and when: the memberships' audit trail.

    The structure's code and the member's address are copied: the row outlives both."""

    kind = models.CharField("changement", max_length=10, choices=MembershipChangeKind.choices)
    structure = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="structure"
    )
    structure_code = models.CharField("code SP+ de la structure", max_length=10)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="membre"
    )
    member_email = models.EmailField("adresse du membre")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    changed_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "changement d'habilitation"
        verbose_name_plural = "changements d'habilitation"
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MembershipChangeKind.values), name="membership_change_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.member_email} — {self.get_role_display()} — {self.structure_code}"


# seed 001 q24: « La DITP n'impose pas de délai de réponse même s'il est souhaitable pour l'usager qu'il ne
# dépasse pas 48h à 72h »: the wished upper bound is every network's target until a referent tightens it.
DEFAULT_TARGET_HOURS = 72
MAX_TARGET_HOURS = 30 * 24


class ResponseTarget(models.Model):
    """A response-time target: the network's (no structure) or one a referent tightened for a subtree.

    A routing's target is the smallest of its network's and those of its structure and ancestors.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="response_targets", verbose_name="réseau"
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="response_targets",
        verbose_name="structure et sa descendance",
        null=True,
        blank=True,
    )
    hours = models.PositiveIntegerField("délai cible (heures)")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="fixé par",
        null=True,
        blank=True,
    )
    set_at = models.DateTimeField("fixé le", auto_now=True)

    class Meta:
        verbose_name = "délai cible de réponse"
        verbose_name_plural = "délais cibles de réponse"
        ordering = ["network", "structure"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"], condition=Q(structure__isnull=True), name="response_target_one_per_network"
            ),
            models.UniqueConstraint(
                fields=["structure"], condition=Q(structure__isnull=False), name="response_target_one_per_structure"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=MAX_TARGET_HOURS), name="response_target_hours_range"
            ),
        ]

    def __str__(self) -> str:
        where = self.structure.name if self.structure_id else f"réseau {self.network.name}"
        return f"{where} : {self.hours} h"
