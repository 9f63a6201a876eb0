"""Admin for experiences and everything hanging off them: the DITP moderators' and administrators' tool.

The author's e-mail (`Experience.author_email`) never appears here: not in a list, a form, a search or a
read-only field (seed 001 q25–26). Most of these tables grow to a million rows, so their changelists
never count the whole table, never compute facets, sort on the primary key and never render a foreign
key to a big table as a <select>.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.text import Truncator

from actions.admin import ImprovementActionAdmin
from actions.models import ImprovementAction
from common.admin import ProjectAdminMixin, TabularInline

from .models import (
    MAX_STRUCTURES,
    MAX_TYPOLOGIES,
    PUBLIC_ID_MAX,
    Assignment,
    AuthorEvaluation,
    Comment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    GeneralTag,
    GeneralTagValue,
    ImprovementActionLink,
    MeToo,
    Response,
    ResponseVote,
)
from .services.moderation import edit_experience_text

# Below this many rows an exact count is cheap enough, and it is exact.
ESTIMATE_COUNTS_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered big table from PostgreSQL's statistics instead of scanning a million rows."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if getattr(queryset, "query", None) is not None and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # reltuples is -1 for a table never analysed: fall back to counting.
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_COUNTS_ABOVE:
                    return row[0]
        return super().count


def is_public_id(term: str) -> bool:
    return term.isascii() and term.isdigit() and len(term) <= len(str(PUBLIC_ID_MAX))


class PublicIdSearchMixin:
    """A search made only of digits finds rows by their experience's public id, through its unique index.

    Any other term searches `search_fields`; an admin without text fields finds nothing for it rather
    than casting every public id to text. `public_id_lookup` says where that id is from this model.
    """

    public_id_lookup = "experience__public_id"
    search_help_text = "Un identifiant d'expérience (6 ou 7 chiffres) retrouve ses lignes."

    def get_search_fields(self, request):
        # Non-empty, so the search box shows even on an admin without text fields.
        return self.search_fields or (self.public_id_lookup,)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if is_public_id(term):
            return queryset.filter(**{self.public_id_lookup: int(term)}), False
        if not self.search_fields:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class BigTableAdmin(ProjectAdminMixin, PublicIdSearchMixin, admin.ModelAdmin):
    """A changelist over a table that may hold a million rows: no full count, no facets, primary key order."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    # Primary key order is submission order and walks the primary key index.
    ordering = ("-pk",)
    list_per_page = 50


def excerpt(text: str, length: int = 80) -> str:
    return Truncator(text).chars(length)


class GeneralTagValueInline(TabularInline):
    model = GeneralTagValue
    fields = ("tag", "value")
    extra = 0
    max_num = len(GeneralTag)


class ExperienceTypologyInline(TabularInline):
    model = ExperienceTypology
    fields = ("position", "typology", "organism_name", "postal_code", "country", "business_tags")
    autocomplete_fields = ("typology", "business_tags")
    extra = 0
    max_num = MAX_TYPOLOGIES
    # Channels hang off each typology: nested inlines do not exist, the typology's own page edits them.
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("typology")


class AssignmentInline(TabularInline):
    model = Assignment
    fields = ("position", "structure", "response_status", "needs_improvement", "first_response_at")
    readonly_fields = ("first_response_at",)
    autocomplete_fields = ("structure",)
    extra = 0
    max_num = MAX_STRUCTURES
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("structure", "experience")


@admin.register(Experience)
class ExperienceAdmin(BigTableAdmin):
    """Every experience, as moderators read and correct them after moderation.

    Decisions (publish, reject, ask to modify) are taken in the moderation queue
    (moderation_admin.py), so the moderation state is read-only here; text corrections keep the
    original like there.
    """

    feminine = True
    public_id_lookup = "public_id"
    list_display = (
        "public_id",
        "short_title",
        "feeling",
        "moderation_state",
        "status",
        "department",
        "submitted_at",
        "published_at",
        "me_too_count",
    )
    list_display_links = ("public_id", "short_title")
    list_select_related = ("department",)
    # No date_hierarchy: its year list is a DISTINCT over every row; the date filters below are ranges.
    list_filter = (
        "moderation_state",
        "status",
        "feeling",
        "author_type",
        ("submitted_at", admin.DateFieldListFilter),
        ("published_at", admin.DateFieldListFilter),
        "region",
        "department",
        "is_historical",
    )
    # Never author_email: a moderator must not find an experience by its author's address.
    search_fields = ("title", "pseudonym", "source", "campaign")
    search_help_text = (
        "Un identifiant (6 ou 7 chiffres), ou des mots du titre, du pseudonyme, de la source ou de la campagne."
    )
    exclude = ("author_email",)
    fieldsets = (
        (
            "Expérience",
            {"fields": ("public_id", "title", "description", "feeling", "author_type", "pseudonym", "is_historical")},
        ),
        (
            "Localisation de l'usager",
            {"fields": ("department", "region", "postal_code", "country", "country_insee_code")},
        ),
        ("Source", {"fields": ("source", "campaign", "arrival_channel")}),
        ("Modération", {"fields": ("moderation_state", "rejection_reason", "moderated_by", "moderated_at")}),
        (
            "Statut et dates",
            {
                "fields": (
                    "status",
                    "me_too_count",
                    "submitted_at",
                    "published_at",
                    "first_response_at",
                    "updated_at",
                )
            },
        ),
    )
    # Derived or recorded by the system: status from answers and actions, counts, who moderated and when.
    readonly_fields = (
        "public_id",
        "moderation_state",
        "rejection_reason",
        "moderated_by",
        "moderated_at",
        "status",
        "me_too_count",
        "submitted_at",
        "first_response_at",
        "updated_at",
    )
    inlines = (GeneralTagValueInline, ExperienceTypologyInline, AssignmentInline)

    @admin.display(description="titre", ordering="title")
    def short_title(self, obj: Experience) -> str:
        return excerpt(obj.title)

    def save_model(self, request, obj, form, change):
        # The citizen's text goes through the service, which keeps what it replaces.
        title, description = obj.title, obj.description
        if change:
            obj.title, obj.description = form.initial["title"], form.initial["description"]
        super().save_model(request, obj, form, change)
        if change:
            edit_experience_text(experience=obj, by=request.user, title=title, description=description)
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Assignments carry copies of the publication date and feeling (dashboards read one table).
        experience = form.instance
        experience.assignments.update(published_at=experience.published_at, feeling=experience.feeling)


@admin.register(GeneralTagValue)
class GeneralTagValueAdmin(BigTableAdmin):
    list_display = ("experience", "tag", "value")
    list_select_related = ("experience",)
    list_filter = ("tag", "value")
    autocomplete_fields = ("experience",)


class ExperienceChannelInline(TabularInline):
    model = ExperienceChannel
    fields = ("channel", "feeling")
    extra = 0


@admin.register(ExperienceTypology)
class ExperienceTypologyAdmin(BigTableAdmin):
    feminine = True
    list_display = ("experience", "position", "typology", "organism_name")
    list_select_related = ("experience", "typology")
    list_filter = ("typology__network",)
    search_fields = ("organism_name",)
    autocomplete_fields = ("experience", "typology", "business_tags")
    inlines = (ExperienceChannelInline,)


@admin.register(ExperienceChannel)
class ExperienceChannelAdmin(BigTableAdmin):
    list_display = ("experience_typology", "experience", "channel", "feeling")
    list_select_related = ("experience_typology__typology", "experience_typology__experience")
    list_filter = ("channel", "feeling")
    # A typology's label alone is ambiguous: the raw id links to the row it names.
    raw_id_fields = ("experience_typology",)
    public_id_lookup = "experience_typology__experience__public_id"

    @admin.display(description="expérience")
    def experience(self, obj: ExperienceChannel) -> Experience:
        return obj.experience_typology.experience


@admin.register(Assignment)
class AssignmentAdmin(BigTableAdmin):
    feminine = True
    list_display = (
        "experience",
        "structure",
        "position",
        "response_status",
        "needs_improvement",
        "published_at",
        "first_response_at",
    )
    list_select_related = ("experience", "structure")
    list_filter = (
        "response_status",
        "needs_improvement",
        "feeling",
        ("published_at", admin.DateFieldListFilter),
        "structure__network",
    )
    search_fields = ("structure__code",)
    autocomplete_fields = ("experience", "structure")
    readonly_fields = ("assigned_at",)


@admin.register(Response)
class ResponseAdmin(BigTableAdmin):
    feminine = True
    list_display = (
        "__str__",
        "state",
        "author",
        "published_at",
        "visitor_useful_count",
        "visitor_not_useful_count",
    )
    list_select_related = ("assignment__experience", "assignment__structure", "author")
    list_filter = ("state", ("published_at", admin.DateFieldListFilter), "assignment__structure__network")
    search_fields = ("assignment__structure__code",)
    raw_id_fields = ("assignment", "adopted_from")
    autocomplete_fields = ("author", "published_by")
    readonly_fields = ("created_at", "updated_at", "visitor_useful_count", "visitor_not_useful_count")
    public_id_lookup = "assignment__experience__public_id"


class ResponseVerdictAdmin(BigTableAdmin):
    """Shared list of the visitors' and the authors' verdicts on a response."""

    feminine = True
    list_display = ("response", "is_useful", "created_at")
    list_select_related = ("response__assignment__experience", "response__assignment__structure")
    list_filter = ("is_useful", ("created_at", admin.DateFieldListFilter))
    raw_id_fields = ("response",)
    readonly_fields = ("created_at",)
    public_id_lookup = "response__assignment__experience__public_id"


@admin.register(ResponseVote)
class ResponseVoteAdmin(ResponseVerdictAdmin):
    pass


@admin.register(AuthorEvaluation)
class AuthorEvaluationAdmin(ResponseVerdictAdmin):
    pass


@admin.register(MeToo)
class MeTooAdmin(BigTableAdmin):
    list_display = ("experience", "created_at")
    list_select_related = ("experience",)
    list_filter = (("created_at", admin.DateFieldListFilter),)
    autocomplete_fields = ("experience",)
    readonly_fields = ("created_at",)


@admin.register(Comment)
class CommentAdmin(BigTableAdmin):
    list_display = ("short_body", "experience", "author", "structure", "created_at")
    list_select_related = ("experience", "author", "structure")
    list_filter = (("created_at", admin.DateFieldListFilter),)
    search_fields = ("author__email",)
    autocomplete_fields = ("experience", "author", "structure")
    readonly_fields = ("created_at",)

    @admin.display(description="commentaire")
    def short_body(self, obj: Comment) -> str:
        return excerpt(obj.body)


class ImprovementActionLinkInline(TabularInline):
    model = ImprovementActionLink
    fk_name = "improvementaction"
    autocomplete_fields = ("experience",)
    extra = 0
    verbose_name = "expérience liée"
    verbose_name_plural = "expériences liées"


# The link is the experiences' side (actions import no experience): the actions' admin page gets the
# linked experiences from here, as the selector it had when the action held the relation.
admin.site.unregister(ImprovementAction)


@admin.register(ImprovementAction)
class LinkedImprovementActionAdmin(ImprovementActionAdmin):
    inlines = [*ImprovementActionAdmin.inlines, ImprovementActionLinkInline]


# The moderators' queue, moderation page and transfer decisions live in their own module.
from experiences import moderation_admin  # noqa: E402, F401
