"""Open-data API of published experiences and public improvement actions (seed 000's export).

The author's e-mail and the moderation fields (rejection reason, moderator) are never
serialised: every field is listed explicitly, none comes from `fields = "__all__"`.
"""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination

from actions.models import ImprovementAction, ImprovementActionStatus
from experiences.selectors.public_pages import public_actions

from .api_filters import ExperienceFilter, ImprovementActionFilter
from .models import (
    Assignment,
    AuthorType,
    Channel,
    Experience,
    ExperienceStatus,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    ResponseStatus,
)

CHANNELS, GENERAL_TAGS, FEELINGS = dict(Channel.choices), dict(GeneralTag.choices), dict(Feeling.choices)
STATUSES, AUTHOR_TYPES = dict(ExperienceStatus.choices), dict(AuthorType.choices)
ACTION_STATUSES, RESPONSE_STATUSES = dict(ImprovementActionStatus.choices), dict(ResponseStatus.choices)


class LabelField(serializers.CharField):
    """A stored choice shown by its French label, read from the choices: DRF calling get_FOO_display()
    inspects the method's signature on every row, a third of an experiences page's time."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return self.labels[value]


class ExperienceTypologySerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="typology.code", read_only=True, allow_null=True, help_text="Code SP+ de la typologie"
    )
    name = serializers.SerializerMethodField(help_text="Intitulé de la typologie, ou organisme saisi par l'usager")
    postal_code = serializers.CharField(read_only=True, help_text="Code postal du service concerné")
    country = serializers.CharField(
        source="country.name", read_only=True, help_text="Pays du service concerné (vide : non précisé)"
    )
    channels = serializers.SerializerMethodField(help_text="Canaux de contact utilisés")
    business_tags = serializers.SerializerMethodField(help_text="Tags métier de cette typologie")

    class Meta:
        model = ExperienceTypology
        fields = ["code", "name", "postal_code", "country", "channels", "business_tags"]
        read_only_fields = fields

    def get_business_tags(self, typology: ExperienceTypology) -> list[str]:
        return sorted(tag.name for tag in typology.business_tags.all())

    def get_name(self, typology: ExperienceTypology) -> str:
        return typology.typology.name if typology.typology else typology.organism_name

    def get_channels(self, typology: ExperienceTypology) -> list[str]:
        return [CHANNELS[channel.channel] for channel in typology.channels.all()]

    def to_representation(self, typology: ExperienceTypology) -> dict:  # by hand: see ExperienceSerializer's
        return {
            "code": typology.typology.code if typology.typology else None,
            "name": self.get_name(typology),
            "postal_code": typology.postal_code,
            "country": str(typology.country.name),
            "channels": self.get_channels(typology),
            "business_tags": self.get_business_tags(typology),
        }


class AssignmentSerializer(serializers.ModelSerializer):
    """A structure concerned, its response status and the evaluations of its published answer."""

    code = serializers.CharField(source="structure.code", read_only=True, help_text="Code SP+ de la structure")
    name = serializers.CharField(source="structure.name", read_only=True, help_text="Intitulé de la structure")
    response_status = LabelField(ResponseStatus.choices, help_text="Statut de la réponse de cette structure")
    visitor_useful_count = serializers.SerializerMethodField(help_text="Évaluations « utile » des visiteurs")
    visitor_not_useful_count = serializers.SerializerMethodField(help_text="Évaluations « pas utile » des visiteurs")
    author_evaluation = serializers.SerializerMethodField(
        help_text="Évaluation de la réponse par l'auteur : « utile », « pas utile » ou vide"
    )

    class Meta:
        model = Assignment
        fields = [
            "code",
            "name",
            "response_status",
            "visitor_useful_count",
            "visitor_not_useful_count",
            "author_evaluation",
        ]
        read_only_fields = fields

    @staticmethod
    def _published_response(assignment: Assignment):
        response = getattr(assignment, "response", None)
        return response if response is not None and response.is_published else None

    # Plus the evaluations imported with a routing answered before the platform (Assignment.imported_*).
    def get_visitor_useful_count(self, assignment: Assignment) -> int:
        response = self._published_response(assignment)
        return (response.visitor_useful_count if response else 0) + assignment.imported_useful_votes

    def get_visitor_not_useful_count(self, assignment: Assignment) -> int:
        response = self._published_response(assignment)
        return (response.visitor_not_useful_count if response else 0) + assignment.imported_not_useful_votes

    def get_author_evaluation(self, assignment: Assignment) -> str:
        response = self._published_response(assignment)
        evaluation = getattr(response, "author_evaluation", None) if response else None
        is_useful = evaluation.is_useful if evaluation else assignment.imported_author_evaluation
        return {True: "utile", False: "pas utile", None: ""}[is_useful]

    def to_representation(self, assignment: Assignment) -> dict:  # by hand: see ExperienceSerializer's
        return {
            "code": assignment.structure.code,
            "name": assignment.structure.name,
            "response_status": RESPONSE_STATUSES[assignment.response_status],
            "visitor_useful_count": self.get_visitor_useful_count(assignment),
            "visitor_not_useful_count": self.get_visitor_not_useful_count(assignment),
            "author_evaluation": self.get_author_evaluation(assignment),
        }


class ExperienceActionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Identifiant de l'action")
    status = LabelField(ImprovementActionStatus.choices, help_text="Engagée ou réalisée")

    class Meta:
        model = ImprovementAction
        fields = ["id", "title", "status", "engaged_on", "done_on"]
        read_only_fields = fields


class ExperienceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="public_id", read_only=True, help_text="Identifiant SP+ de l'expérience")
    state = serializers.SerializerMethodField(help_text="À traiter ou Traitée")
    status = LabelField(ExperienceStatus.choices, help_text="Statut de l'expérience")
    author_type = LabelField(AuthorType.choices, help_text="Posté comme (la personne concernée, un proche…)")
    feeling = LabelField(Feeling.choices, help_text="Ressenti de l'usager")
    department_code = serializers.CharField(
        source="department_id", read_only=True, allow_null=True, help_text="Code INSEE du département de l'usager"
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, help_text="Intitulé du département de l'usager"
    )
    region_code = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text="Code INSEE de la région de l'usager"
    )
    region_name = serializers.CharField(
        source="region.name", read_only=True, allow_null=True, help_text="Intitulé de la région de l'usager"
    )
    country = serializers.CharField(source="country.name", read_only=True, help_text="Pays de résidence de l'usager")
    description = serializers.CharField(read_only=True, help_text="Le récit de l'usager")
    typologies = ExperienceTypologySerializer(many=True, read_only=True, help_text="Les 1 à 3 typologies concernées")
    structures = AssignmentSerializer(
        source="assignments", many=True, read_only=True, help_text="Les 1 à 3 structures concernées"
    )
    general_tags = serializers.SerializerMethodField(help_text="Tags généraux : intitulé → Positif, Neutre ou Négatif")
    needs_improvement = serializers.SerializerMethodField(help_text="Amélioration de service à considérer")
    outside_structures = serializers.BooleanField(
        source="is_outside_structures", read_only=True, help_text="Hors structure : aucune structure ne correspondait"
    )
    actions = ExperienceActionSerializer(
        source="public_improvement_actions",
        many=True,
        read_only=True,
        help_text="Actions d'amélioration publiées : intitulé, état, date d'engagement et de réalisation",
    )

    class Meta:
        model = Experience
        fields = [
            "id",
            "state",
            "status",
            "published_at",
            "title",
            "description",
            "author_type",
            "feeling",
            "department_code",
            "department_name",
            "region_code",
            "region_name",
            "country",
            "typologies",
            "structures",
            "general_tags",
            "me_too_count",
            "needs_improvement",
            "outside_structures",
            "actions",
            "first_response_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_general_tags(self, experience: Experience) -> dict[str, str]:
        return {GENERAL_TAGS[tag.tag]: FEELINGS[tag.value] for tag in experience.general_tags.all()}

    def get_state(self, experience: Experience) -> str:
        return experience.state.label

    def get_needs_improvement(self, experience: Experience) -> bool:
        return any(assignment.needs_improvement for assignment in experience.assignments.all())

    def to_representation(self, experience: Experience) -> dict:
        """The fields above, written out by hand: DRF's generic walk (a bound field, get_attribute, SkipField
        checks and an OrderedDict per value, about 60 values per experience with its typologies, structures and
        actions) was most of an API page's time and of the garbage behind its full collections (bench/README.md).
        The declared fields still describe the schema; a test holds this output equal to DRF's, field for field."""
        as_datetime = self.fields["published_at"].to_representation
        as_typology = self.fields["typologies"].child.to_representation
        as_structure = self.fields["structures"].child.to_representation
        department, region = experience.department, experience.region
        return {
            "id": experience.public_id,
            "state": self.get_state(experience),
            "status": STATUSES[experience.status],
            "published_at": as_datetime(experience.published_at),
            "title": experience.title,
            "description": experience.description,
            "author_type": AUTHOR_TYPES[experience.author_type],
            "feeling": FEELINGS[experience.feeling],
            "department_code": experience.department_id,
            "department_name": department.name if department else None,
            "region_code": experience.region_id,
            "region_name": region.name if region else None,
            "country": str(experience.country.name),
            "typologies": [as_typology(typology) for typology in experience.typologies.all()],
            "structures": [as_structure(assignment) for assignment in experience.assignments.all()],
            "general_tags": self.get_general_tags(experience),
            "me_too_count": experience.me_too_count,
            "needs_improvement": self.get_needs_improvement(experience),
            "outside_structures": experience.is_outside_structures,
            "actions": [
                {
                    "id": action.pk,
                    "title": action.title,
                    "status": ACTION_STATUSES[action.status],
                    "engaged_on": action.engaged_on.isoformat() if action.engaged_on else None,
                    "done_on": action.done_on.isoformat() if action.done_on else None,
                }
                for action in experience.public_improvement_actions
            ],
            "first_response_at": as_datetime(experience.first_response_at),  # None stays None
        }


def published_experiences_for_api() -> QuerySet[Experience]:
    """Published experiences with everything the serializer reads, in a constant number of queries."""
    typologies = ExperienceTypology.objects.select_related("typology").prefetch_related("channels", "business_tags")
    assignments = Assignment.objects.select_related("structure", "response__author_evaluation")
    return (
        Experience.objects.published()
        .select_related("department", "region")
        .prefetch_related(
            Prefetch("typologies", queryset=typologies),
            Prefetch("assignments", queryset=assignments),
            "general_tags",
            Prefetch(
                "improvement_actions",
                queryset=ImprovementAction.objects.filter(is_public=True).order_by("engaged_on", "pk"),
                to_attr="public_improvement_actions",
            ),
        )
        # The partial index experience_published_order serves this order.
        .order_by("-published_at", "-pk")
    )


class ExperienceCursorPagination(CursorPagination):
    """A cursor, not page numbers: a page deep in a million rows costs what the first does (no OFFSET, no count)."""

    # The partial index experience_published_order serves both orders (read backwards for the oldest first);
    # the primary key breaks ties, so a page never repeats or skips a row.
    ORDERINGS = {"-published_at": ("-published_at", "-pk"), "published_at": ("published_at", "pk")}
    ordering = ORDERINGS["-published_at"]
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view) -> tuple[str, str]:
        return self.ORDERINGS.get(request.query_params.get("ordering", ""), self.ordering)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les expériences publiées",
        tags=["Expériences"],
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=list(ExperienceCursorPagination.ORDERINGS),
                description="Tri : -published_at (les plus récentes d'abord, par défaut) ou published_at",
            )
        ],
    ),
    retrieve=extend_schema(summary="Lire une expérience publiée par son identifiant", tags=["Expériences"]),
)
class ExperienceViewSet(viewsets.ReadOnlyModelViewSet):
    """Les expériences publiées (données ouvertes), des plus récentes aux plus anciennes.

    Les expériences en attente de modération, rejetées ou à modifier n'y figurent jamais, pas plus
    que l'adresse e-mail de leur auteur.
    """

    serializer_class = ExperienceSerializer
    filterset_class = ExperienceFilter
    pagination_class = ExperienceCursorPagination
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[0-9]{1,7}"

    def get_queryset(self) -> QuerySet[Experience]:
        return published_experiences_for_api()


class ImprovementActionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Identifiant de l'action")
    description = serializers.CharField(read_only=True, help_text="Description de l'action")
    structure_code = serializers.CharField(
        source="structure.code", read_only=True, help_text="Code SP+ de la structure"
    )
    structure_name = serializers.CharField(
        source="structure.display_name", read_only=True, help_text="Intitulé de la structure"
    )
    network = serializers.CharField(source="structure.network.name", read_only=True, help_text="Intitulé du réseau")
    status = serializers.CharField(source="get_status_display", read_only=True, help_text="Engagée ou réalisée")
    experiences = serializers.SerializerMethodField(help_text="Identifiants des expériences publiées liées")

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "title",
            "description",
            "status",
            "engaged_on",
            "done_on",
            "published_at",
            "structure_code",
            "structure_name",
            "network",
            "experiences",
        ]
        read_only_fields = fields

    def get_experiences(self, action: ImprovementAction) -> list[int]:
        return [experience.public_id for experience in action.published_experiences]


@extend_schema_view(
    list=extend_schema(summary="Lister les actions d'amélioration publiées", tags=["Actions d'amélioration"]),
    retrieve=extend_schema(summary="Lire une action d'amélioration publiée", tags=["Actions d'amélioration"]),
)
class ImprovementActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Les actions d'amélioration publiées par les structures, des plus récentes aux plus anciennes."""

    serializer_class = ImprovementActionSerializer
    filterset_class = ImprovementActionFilter

    def get_queryset(self) -> QuerySet[ImprovementAction]:
        return public_actions()
