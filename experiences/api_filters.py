"""django-filter filter sets of the experiences and improvement actions API."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from actions.models import ImprovementAction, ImprovementActionStatus
from common.api_filters import NumberInFilter
from structures.filters import MAX_ID
from structures.models import Structure

from .models import Assignment, Experience, ExperienceStatus, ExperienceTypology, Feeling


def _network_q(value: str, prefix: str) -> Q:
    """A network given by id or exact name (as in the structures API)."""
    by_name = Q(**{f"{prefix}network__name__iexact": value})
    if value.isdigit() and int(value) <= MAX_ID:
        return by_name | Q(**{f"{prefix}network_id": int(value)})
    return by_name


def _subtree_of(code: str) -> QuerySet[Structure] | None:
    structure = Structure.objects.filter(code=code.strip()).only("tree_id", "lft", "rght").first()
    if structure is None:
        return None
    return Structure.objects.filter(tree_id=structure.tree_id, lft__gte=structure.lft, rght__lte=structure.rght).values(
        "pk"
    )


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 read as UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows (found by schemathesis)."""

    def to_python(self, value) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC) if moment.tzinfo else moment
        except OverflowError:
            raise ValidationError("Date hors des limites.", code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ExperienceFilter(filters.FilterSet):
    feeling = filters.ChoiceFilter(choices=Feeling.choices, label="Ressenti")
    status = filters.ChoiceFilter(choices=ExperienceStatus.choices, label="Statut")
    department = filters.CharFilter(field_name="department_id", label="Code INSEE du département de l'usager")
    region = filters.CharFilter(field_name="region_id", label="Code INSEE de la région de l'usager")
    network = filters.CharFilter(
        method="filter_network", label="Réseau d'une structure concernée (identifiant ou intitulé exact)"
    )
    typology = filters.CharFilter(method="filter_typology", label="Code SP+ d'une typologie concernée")
    structure = filters.CharFilter(
        method="filter_structure", label="Code SP+ d'une structure concernée (structures rattachées incluses)"
    )
    published_after = filters.DateFilter(method="filter_published_after", label="Publiée le ou après (AAAA-MM-JJ)")
    published_before = filters.DateFilter(method="filter_published_before", label="Publiée le ou avant (AAAA-MM-JJ)")
    # In the spirit of data.gouv.fr's tabular API: exact, in, less / greater than on dates and numbers.
    id = filters.NumberFilter(field_name="public_id", label="Identifiant SP+")
    id__in = NumberInFilter(field_name="public_id", label="Identifiants SP+ (séparés par des virgules)")
    feeling__in = filters.MultipleChoiceFilter(
        field_name="feeling", choices=Feeling.choices, label="Ressentis (paramètre répété)"
    )
    published_at__gt = UtcIsoDateTimeFilter(
        field_name="published_at", lookup_expr="gt", label="Publiée après (date et heure ISO 8601)"
    )
    published_at__lt = UtcIsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", label="Publiée avant (date et heure ISO 8601)"
    )
    me_too_count__gte = filters.NumberFilter(
        field_name="me_too_count", lookup_expr="gte", label="Au moins ce nombre de « moi aussi »"
    )
    me_too_count__lte = filters.NumberFilter(
        field_name="me_too_count", lookup_expr="lte", label="Au plus ce nombre de « moi aussi »"
    )
    outside_structures = filters.BooleanFilter(field_name="is_outside_structures", label="Hors structure")

    class Meta:
        model = Experience
        fields = [
            "feeling",
            "status",
            "department",
            "region",
            "network",
            "typology",
            "structure",
            "published_after",
            "published_before",
            "id",
            "id__in",
            "feeling__in",
            "published_at__gt",
            "published_at__lt",
            "me_too_count__gte",
            "me_too_count__lte",
            "outside_structures",
        ]

    # EXISTS rather than JOIN + DISTINCT: an experience concerns up to three structures and typologies.
    def filter_network(self, queryset: QuerySet[Experience], name: str, value: str) -> QuerySet[Experience]:
        routed = Assignment.objects.filter(_network_q(value, "structure__"), experience=OuterRef("pk"))
        return queryset.filter(Exists(routed))

    def filter_typology(self, queryset: QuerySet[Experience], name: str, value: str) -> QuerySet[Experience]:
        concerned = ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology__code=value.strip())
        return queryset.filter(Exists(concerned))

    def filter_structure(self, queryset: QuerySet[Experience], name: str, value: str) -> QuerySet[Experience]:
        structures = _subtree_of(value)
        if structures is None:
            return queryset.none()
        routed = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=structures)
        return queryset.filter(Exists(routed))

    def filter_published_after(
        self, queryset: QuerySet[Experience], name: str, value: datetime.date
    ) -> QuerySet[Experience]:
        return queryset.filter(published_at__gte=_start_of_day(value))

    def filter_published_before(
        self, queryset: QuerySet[Experience], name: str, value: datetime.date
    ) -> QuerySet[Experience]:
        return queryset.filter(published_at__lt=_start_of_day(value + datetime.timedelta(days=1)))


class ImprovementActionFilter(filters.FilterSet):
    network = filters.CharFilter(method="filter_network", label="Réseau (identifiant ou intitulé exact)")
    structure = filters.CharFilter(
        method="filter_structure", label="Code SP+ de la structure (structures rattachées incluses)"
    )
    status = filters.ChoiceFilter(choices=ImprovementActionStatus.choices, label="État")

    class Meta:
        model = ImprovementAction
        fields = ["network", "structure", "status"]

    def filter_network(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_network_q(value, "structure__"))

    def filter_structure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        structures = _subtree_of(value)
        return queryset.none() if structures is None else queryset.filter(structure__in=structures)
