"""Every experience as moderators read and correct it after moderation, and its typologies, channels,
general tags and routings.

The author's e-mail (`Experience.author_email`) never appears here: not in a list, a form, a search or a
read-only field (seed 001 q25–26).
"""

from django.contrib import admin

from common.admin import TabularInline

from ..models import (
    MAX_STRUCTURES,
    MAX_TYPOLOGIES,
    Assignment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    GeneralTag,
    GeneralTagValue,
)
from ..services.moderation import edit_experience_text
from .base import BigTableAdmin, excerpt


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
    (admin/moderation.py), so the moderation state is read-only here; text corrections keep the
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
