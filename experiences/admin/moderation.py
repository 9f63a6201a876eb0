"""The DITP moderators' queue and moderation page.

Every decision goes through experiences.services (publish, reject, ask to modify), which records who and
when and queues the e-mails. The author's e-mail is in no field, list or search here.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from common.admin import ProjectAdminMixin, TabularInline
from common.exceptions import Refused
from common.personal_data import KIND_LABELS, detect
from structures.models import Network

from ..models import (
    ExperienceEdit,
    ExperienceToModerate,
    ExperienceTypology,
    GeneralTag,
    ModerationDecision,
    ModerationState,
)
from ..selectors.queue import queue_filter_choices
from ..selectors.routing import suggest_routing
from ..services import moderation
from .base import DefaultChoiceFilter, PublicIdSearchMixin, excerpt
from .experiences import ExperienceTypologyInline
from .moderation_forms import BulkRejectForm, ModerationForm, ModerationTypologyFormSet

DECIDABLE = moderation.DECIDABLE_STATES


def _span_from(value: str) -> tuple[str, int, int]:
    """« description:12:26 » from the button; anything else is a span the service will not find."""
    field, _, offsets = value.partition(":")
    start, _, end = offsets.partition(":")
    if not (start.isdigit() and end.isdigit()):
        return field, -1, -1
    return field, int(start), int(end)


def waiting_since(moment) -> str:
    """« 2 j 5 h » — how long the citizen has been waiting."""
    elapsed = timezone.now() - moment
    days, hours = elapsed.days, elapsed.seconds // 3600
    return f"{days} j {hours} h" if days else f"{hours} h {elapsed.seconds % 3600 // 60} min"


class ModerationTypologyInline(ExperienceTypologyInline):
    formset = ModerationTypologyFormSet
    show_change_link = False
    verbose_name_plural = "typologies (1 à 3)"


class HistoryInline(TabularInline):
    """A read-only trail under the moderation page: nothing added, changed or deleted here."""

    extra = 0
    can_delete = False
    actor_field = ""

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.actor_field)


class ExperienceEditInline(HistoryInline):
    model = ExperienceEdit
    verbose_name_plural = "texte d'origine et modifications (visibles des seuls modérateurs)"
    fields = ("field", "before", "after", "edited_by", "edited_at")
    actor_field = "edited_by"


class ModerationDecisionInline(HistoryInline):
    model = ModerationDecision
    verbose_name_plural = "historique des décisions"
    fields = ("action", "reason", "message", "decided_by", "decided_at")
    actor_field = "decided_by"


class QueueStateFilter(DefaultChoiceFilter):
    """The queue opens on what waits for a moderator; what waits for its author is one click away."""

    title = "état"
    parameter_name = "etat"
    field = "moderation_state"
    default = ModerationState.SUBMITTED

    def lookups(self, request, model_admin):
        return [(ModerationState.SUBMITTED, "À modérer"), (ModerationState.TO_MODIFY, "En attente de l'auteur")]


class NetworkFilter(admin.SimpleListFilter):
    """The network of a typology the citizen chose (the suggested routing follows it)."""

    title = "réseau"
    parameter_name = "reseau"

    def lookups(self, request, model_admin):
        return Network.objects.order_by("name").values_list("pk", "name")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        chosen = ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology__network_id=self.value())
        return queryset.filter(Exists(chosen))


class PersonalDataFilter(admin.SimpleListFilter):
    """The count is stored with the text (services), so this filter reads a column, not every text."""

    title = "données personnelles"
    parameter_name = "donnees_personnelles"

    def lookups(self, request, model_admin):
        return [("oui", "Avec données personnelles"), ("non", "Sans donnée personnelle repérée")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(personal_data_flags__gt=0)
        if self.value() == "non":
            return queryset.filter(personal_data_flags=0)
        return queryset


def highlighted(text: str, field: str):
    """The text with each flagged span marked and its kind said, and a button replacing it by « [supprimé] »
    (it posts the form of templates/admin/experiences/experiencetomoderate/change_form.html).

    Every piece of the citizen's text goes through format_html, hence is escaped.
    """
    pieces, position = [], 0
    for span in detect(text):
        label = KIND_LABELS[span.kind] + (" (signal faible)" if span.weak else "")
        pieces.append(format_html("{}", text[position : span.start]))
        pieces.append(
            format_html(
                '<mark title="{label}">{value}</mark> <small>[{label}]</small> '
                '<button type="submit" class="button" form="personal-data-removal" name="span" '
                'value="{field}:{start}:{end}">remplacer par {removed}</button>',
                label=label,
                value=text[span.start : span.end],
                field=field,
                start=span.start,
                end=span.end,
                removed=moderation.REMOVED,
            )
        )
        position = span.end
    pieces.append(format_html("{}", text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


class ReferentialFilter(admin.RelatedFieldListFilter):
    """A foreign key's choices from the cached referential (experiences/selectors/queue.py), never from the rows."""

    choices_key = ""

    def field_choices(self, field, request, model_admin):
        return queue_filter_choices()[self.choices_key]


class TypologyFilter(ReferentialFilter):
    choices_key = "typologies"


class DepartmentFilter(ReferentialFilter):
    choices_key = "departments"


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return queue_filter_choices()["sources"]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() is not None else queryset


@admin.register(ExperienceToModerate)
class ModerationQueueAdmin(ProjectAdminMixin, PublicIdSearchMixin, admin.ModelAdmin):
    feminine = True
    form = ModerationForm
    public_id_lookup = "public_id"
    list_display = (
        "public_id",
        "short_title",
        "waiting",
        "feeling",
        "department",
        "chosen_typologies",
        "flags",
        "source",
        "submitted_at",
    )
    list_display_links = ("public_id", "short_title")
    list_select_related = ("department",)
    list_filter = (
        QueueStateFilter,
        PersonalDataFilter,
        NetworkFilter,
        ("typologies__typology", TypologyFilter),
        ("department", DepartmentFilter),
        SourceFilter,
        "feeling",
    )
    search_fields = ("title", "description", "pseudonym")
    search_help_text = "Un identifiant (6 ou 7 chiffres), ou des mots du titre, du texte ou du pseudonyme."
    ordering = ("submitted_at", "pk")
    list_per_page = 50
    # The page's title counts what waits (the experience_moderation_queue index); no second count of the
    # whole queue, no facets over a million rows.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ("bulk_publish", "bulk_reject")
    inlines = (ModerationTypologyInline, ExperienceEditInline, ModerationDecisionInline)
    readonly_fields = (
        "public_id",
        "waiting",
        "personal_data",
        "feeling",
        "author_type",
        "pseudonym",
        "department",
        "region",
        "postal_code",
        "country",
        "source",
        "campaign",
        "submitted_at",
    )
    fieldsets = (
        (
            "Texte de l'usager",
            {
                "fields": ("public_id", "waiting", "personal_data", "title", "description"),
                "description": "Corrigez le texte pour retirer données personnelles ou propos injurieux : "
                "le texte d'origine est conservé dans l'historique en bas de page.",
            },
        ),
        (
            "Contexte",
            {
                "fields": (
                    ("feeling", "author_type", "pseudonym"),
                    ("department", "region", "postal_code", "country"),
                    ("source", "campaign", "submitted_at"),
                )
            },
        ),
        ("Orientation", {"fields": ("structures",)}),
        (
            "Tags généraux",
            {"fields": tuple(f"tag_{tag.value}" for tag in GeneralTag), "classes": ("collapse",)},
        ),
        ("Décision", {"fields": ("decision", "rejection_reason", "message")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).filter(moderation_state__in=DECIDABLE)
        return queryset.prefetch_related("typologies__typology")

    def has_add_permission(self, request) -> bool:
        return False  # experiences come from citizens

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a decision, never a disappearance

    @admin.display(description="titre")
    def short_title(self, obj) -> str:
        return excerpt(obj.title)

    @admin.display(description="en attente depuis", ordering="submitted_at")
    def waiting(self, obj) -> str:
        return waiting_since(obj.submitted_at)

    @admin.display(description="données personnelles", ordering="personal_data_flags")
    def flags(self, obj) -> str:
        return str(obj.personal_data_flags) if obj.personal_data_flags else "—"

    @admin.display(description="données personnelles repérées")
    def personal_data(self, obj):
        parts = [
            (label, highlighted(getattr(obj, field), field))
            for field, label in (("title", "Titre"), ("description", "Texte"))
            if detect(getattr(obj, field))
        ]
        if not parts:
            return "Aucune repérée."
        return format_html_join("", "<p><strong>{} :</strong> {}</p>", parts)

    def get_urls(self):
        remove = self.admin_site.admin_view(self.remove_personal_data_view)
        return [
            path(
                "<int:object_id>/supprimer-donnee-personnelle/",
                remove,
                name="experiences_experiencetomoderate_remove_personal_data",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def remove_personal_data_view(self, request, object_id):
        experience = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, experience):
            raise PermissionDenied
        field, start, end = _span_from(request.POST.get("span", ""))
        try:
            moderation.remove_personal_data(experience=experience, by=request.user, field=field, start=start, end=end)
        except Refused as refusal:
            self.message_user(request, f"Donnée non supprimée : {refusal}", messages.ERROR)
        else:
            self.message_user(
                request,
                "Donnée personnelle remplacée par [supprimé] ; l'original reste dans l'historique.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:experiences_experiencetomoderate_change", args=[experience.pk]))

    @admin.display(description="typologies choisies")
    def chosen_typologies(self, obj) -> str:
        return ", ".join(str(t) for t in obj.typologies.all()) or "—"

    def changelist_view(self, request, extra_context=None):
        waiting = ExperienceToModerate.objects.filter(moderation_state=ModerationState.SUBMITTED)
        count = waiting.count()
        oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
        title = f"File de modération : {count} expérience{'s' if count > 1 else ''} à modérer"
        if oldest:
            title += f", la plus ancienne depuis {waiting_since(oldest)}"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        pass  # the text is corrected by the service, with the rest of the page (save_related)

    def save_related(self, request, form, formsets, change):
        # The typologies first: publishing routes by them.
        super().save_related(request, form, formsets, change)
        try:
            outcome = moderation.moderate_experience(experience=form.instance, by=request.user, **form.moderation())
        except Refused as refusal:
            self.message_user(request, f"Décision non enregistrée : {refusal}", messages.ERROR)
            return
        if outcome.message:
            self.message_user(request, outcome.message, messages.SUCCESS if outcome.decided else messages.ERROR)

    def response_change(self, request, obj):
        # The outcome is read back from the experience itself: a decision taken leaves its state.
        decision = request.POST.get("decision")
        if not decision:
            return super().response_change(request, obj)
        obj.refresh_from_db(fields=["moderation_state"])
        if obj.moderation_state == moderation.DECISION_STATES.get(decision):
            return HttpResponseRedirect(reverse("admin:experiences_experiencetomoderate_changelist"))
        return HttpResponseRedirect(request.path)

    @admin.action(description="Publier selon la suggestion d'orientation", permissions=["change"])
    def bulk_publish(self, request, queryset):
        published, skipped = [], []
        for experience in queryset.order_by("submitted_at"):
            suggestions = suggest_routing(experience)
            if not suggestions:
                skipped.append(experience.public_id)
                continue
            try:
                moderation.publish_experience(
                    experience=experience, by=request.user, structures=[s.structure for s in suggestions]
                )
            except Refused:
                skipped.append(experience.public_id)
            else:
                published.append(experience.public_id)
        if published:
            self.message_user(request, f"{len(published)} expérience(s) publiée(s) et orientée(s).", messages.SUCCESS)
        if skipped:
            ids = ", ".join(str(pk) for pk in skipped)
            self.message_user(
                request,
                f"Non publiées, faute de typologie ou de suggestion d'orientation (à modérer une par une) : {ids}.",
                messages.WARNING,
            )

    @admin.action(description="Rejeter avec un motif…", permissions=["change"])
    def bulk_reject(self, request, queryset):
        form = BulkRejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for experience in queryset:
                moderation.reject_experience(
                    experience=experience,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"].strip(),
                )
            self.message_user(request, f"{queryset.count()} expérience(s) rejetée(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Rejeter les expériences sélectionnées",
            "experiences": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/experiences/bulk_reject.html", context)
