"""The DITP moderators' tools in the admin: the moderation queue, the moderation page, transfer decisions.

Every decision goes through experiences.services (publish, reject, ask to modify, accept or refuse a
transfer), which records who and when and queues the e-mails. The author's e-mail is in no field,
list or search here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.admin import LabelledInlineFormSet, ProjectAdminMixin, TabularInline
from common.exceptions import Refused
from experiences.admin import ExperienceTypologyInline, PublicIdSearchMixin, excerpt
from experiences.models import (
    MAX_STRUCTURES,
    Assignment,
    ExperienceEdit,
    ExperienceToModerate,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    ModerationDecision,
    ModerationState,
    RejectionReason,
    TransferDecision,
    TransferRequest,
)
from experiences.selectors.routing import suggest_routing
from experiences.services import moderation, transfers
from experiences.sources import source_label
from structures.models import Network, Structure

PUBLISH, REJECT, TO_MODIFY = "publish", "reject", "to_modify"
DECISIONS = [
    ("", "Enregistrer les corrections sans décider"),
    (PUBLISH, "Publier et orienter vers les structures choisies"),
    (REJECT, "Rejeter"),
    (TO_MODIFY, "Demander à l'auteur de modifier son expérience"),
]


def waiting_since(moment) -> str:
    """« 2 j 5 h » — how long the citizen has been waiting."""
    elapsed = timezone.now() - moment
    days, hours = elapsed.days, elapsed.seconds // 3600
    return f"{days} j {hours} h" if days else f"{hours} h {elapsed.seconds % 3600 // 60} min"


def tag_field(tag: GeneralTag) -> forms.ChoiceField:
    return forms.ChoiceField(label=tag.label, choices=[("", "— non retenu")] + Feeling.choices, required=False)


class ModerationForm(forms.ModelForm):
    structures = forms.ModelMultipleChoiceField(
        queryset=Structure.objects.filter(is_active=True),
        required=False,
        label="Structures destinataires (1 à 3)",
        widget=AutocompleteSelectMultiple(Assignment._meta.get_field("structure"), admin.site),
    )
    tag_accessibility = tag_field(GeneralTag.ACCESSIBILITY)
    tag_information = tag_field(GeneralTag.INFORMATION)
    tag_relation = tag_field(GeneralTag.RELATION)
    tag_reactivity = tag_field(GeneralTag.REACTIVITY)
    tag_simplicity = tag_field(GeneralTag.SIMPLICITY)
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, required=False, widget=forms.RadioSelect)
    rejection_reason = forms.ChoiceField(
        label="Motif du rejet", choices=[("", "—")] + RejectionReason.choices, required=False
    )
    message = forms.CharField(
        label="Message à l'auteur",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Rejet : précisions facultatives, jointes au motif. Demande de modification : ce que l'auteur "
        "doit changer (obligatoire). Le message lui est envoyé par e-mail.",
    )

    class Meta:
        model = ExperienceToModerate
        fields = ("title", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        experience = self.instance
        self.suggestions = suggest_routing(experience) if experience.pk else []
        routed = list(experience.assignments.order_by("position").values_list("structure_id", flat=True))
        self.fields["structures"].initial = routed or [s.structure.pk for s in self.suggestions]
        self.fields["structures"].help_text = self._suggestion_help()
        values = dict(experience.general_tags.values_list("tag", "value")) if experience.pk else {}
        for tag in GeneralTag:
            self.fields[f"tag_{tag.value}"].initial = values.get(tag.value, "")

    def _suggestion_help(self):
        if not self.suggestions:
            return "Aucune suggestion : choisissez d'abord une typologie (ci-dessous), ou cherchez la structure."
        lines = format_html_join(
            "", "<li><strong>{}</strong> ({}) — {}</li>", ((s.structure, s.typology, s.why) for s in self.suggestions)
        )
        return format_html("Pré-rempli avec la suggestion d'orientation :<ul>{}</ul>", lines)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        structures = cleaned.get("structures") or []
        if decision == PUBLISH and not 1 <= len(structures) <= MAX_STRUCTURES:
            self.add_error("structures", "Pour publier, choisissez entre une et trois structures.")
        if decision == REJECT and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", "Choisissez le motif du rejet.")
        if decision == TO_MODIFY and not (cleaned.get("message") or "").strip():
            self.add_error("message", "Expliquez à l'auteur ce qu'il doit modifier.")
        if decision == TO_MODIFY and self.instance.moderation_state != ModerationState.SUBMITTED:
            self.add_error(
                "decision", "Une modification a déjà été demandée à l'auteur : attendez sa nouvelle version."
            )
        return cleaned

    def general_tags(self) -> dict[str, str]:
        return {tag.value: self.cleaned_data.get(f"tag_{tag.value}", "") for tag in GeneralTag}


class ModerationTypologyFormSet(LabelledInlineFormSet):
    def clean(self):
        super().clean()
        if self.data.get("decision") != PUBLISH:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("typology")
        ]
        if not kept:
            raise ValidationError("Pour publier, choisissez au moins une typologie : elle détermine l'orientation.")


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


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter that is never « Tous »: without a choice in the URL it applies `default`."""

    default = ""
    field = ""

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()})


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


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        sources = (
            ExperienceToModerate.objects.filter(moderation_state__in=DECIDABLE)
            .order_by("source")
            .values_list("source", flat=True)
            .distinct()
        )
        return [(source, source_label(source) or "(aucune)") for source in sources]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() is not None else queryset


DECIDABLE = moderation.DECIDABLE_STATES


class BulkRejectForm(forms.Form):
    reason = forms.ChoiceField(label="Motif du rejet", choices=RejectionReason.choices)
    message = forms.CharField(
        label="Précisions pour les auteurs (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


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
        "source",
        "submitted_at",
    )
    list_display_links = ("public_id", "short_title")
    list_select_related = ("department",)
    list_filter = (
        QueueStateFilter,
        NetworkFilter,
        ("typologies__typology", admin.RelatedOnlyFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
        "feeling",
    )
    search_fields = ("title", "description", "pseudonym")
    search_help_text = "Un identifiant (6 ou 7 chiffres), ou des mots du titre, du texte ou du pseudonyme."
    ordering = ("submitted_at", "pk")
    list_per_page = 50
    actions = ("bulk_publish", "bulk_reject")
    inlines = (ModerationTypologyInline, ExperienceEditInline, ModerationDecisionInline)
    readonly_fields = (
        "public_id",
        "waiting",
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
                "fields": ("public_id", "waiting", "title", "description"),
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
        # The text goes through the service, which keeps what it replaces; nothing else here is editable.
        moderation.edit_experience_text(
            experience=obj,
            by=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        experience = form.instance
        moderation.set_general_tags(experience, form.general_tags())
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            if decision == PUBLISH:
                moderation.publish_experience(
                    experience=experience,
                    by=request.user,
                    structures=list(form.cleaned_data["structures"]),
                )
            elif decision == REJECT:
                moderation.reject_experience(
                    experience=experience,
                    by=request.user,
                    reason=form.cleaned_data["rejection_reason"],
                    message=form.cleaned_data["message"].strip(),
                )
            else:
                moderation.request_modification(
                    experience=experience, by=request.user, message=form.cleaned_data["message"]
                )
        except Refused as refusal:
            # Someone decided first (two moderators on one experience): the step's own savepoint is
            # rolled back, the corrections above are kept.
            request._moderation_refused = str(refusal)
            return
        request._moderation_done = self._done_message(decision, experience, form)

    @staticmethod
    def _done_message(decision, experience, form) -> str:
        if decision == PUBLISH:
            names = ", ".join(str(s) for s in form.cleaned_data["structures"])
            return (
                f"Expérience {experience.public_id} publiée et orientée vers : {names}. "
                "L'auteur et les agents sont prévenus."
            )
        if decision == REJECT:
            return f"Expérience {experience.public_id} rejetée. L'auteur est prévenu du motif."
        return f"Expérience {experience.public_id} renvoyée à son auteur pour modification."

    def response_change(self, request, obj):
        refused = getattr(request, "_moderation_refused", None)
        if refused:
            self.message_user(request, f"Décision non enregistrée : {refused}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        done = getattr(request, "_moderation_done", None)
        if done:
            self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:experiences_experiencetomoderate_changelist"))
        return super().response_change(request, obj)

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


class TransferDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(TransferDecision.ACCEPTED, "Accepter le transfert"), (TransferDecision.REFUSED, "Refuser")],
        widget=forms.RadioSelect,
        required=False,
    )
    decision_reason = forms.CharField(
        label="Motif du refus",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un refus : il est envoyé à l'agent qui a fait la demande.",
    )

    class Meta:
        model = TransferRequest
        fields = ()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == TransferDecision.REFUSED and not cleaned.get("decision_reason", "").strip():
            self.add_error("decision_reason", "Indiquez le motif du refus.")
        return cleaned


class PendingFirstFilter(DefaultChoiceFilter):
    title = "décision"
    parameter_name = "decision"
    field = "decision"
    default = TransferDecision.PENDING

    def lookups(self, request, model_admin):
        return TransferDecision.choices


@admin.register(TransferRequest)
class TransferRequestAdmin(ProjectAdminMixin, PublicIdSearchMixin, admin.ModelAdmin):
    """Agents ask (seed 001 q22), moderators decide here; the decision goes through the service."""

    feminine = True
    form = TransferDecisionForm
    list_display = ("experience", "from_structure", "to_structure", "short_reason", "requested_by", "requested_at")
    list_select_related = ("experience", "from_structure", "to_structure", "requested_by")
    list_filter = (PendingFirstFilter,)
    search_fields = ("from_structure__code", "to_structure__code", "from_structure__name", "to_structure__name")
    ordering = ("requested_at", "pk")
    actions = ("accept_selected",)
    readonly_fields = (
        "experience",
        "from_structure",
        "to_structure",
        "reason",
        "requested_by",
        "requested_at",
        "current_decision",
        "decided_by",
        "decided_at",
        "recorded_reason",
    )

    def get_fieldsets(self, request, obj=None):
        request_fields = ("experience", "from_structure", "to_structure", "reason", "requested_by", "requested_at")
        if obj is not None and obj.decision != TransferDecision.PENDING:
            decided = ("current_decision", "recorded_reason", "decided_by", "decided_at")
            return (("Demande", {"fields": request_fields}), ("Décision", {"fields": decided}))
        return (("Demande", {"fields": request_fields}), ("Décision", {"fields": ("decision", "decision_reason")}))

    @admin.display(description="motif")
    def short_reason(self, obj) -> str:
        return excerpt(obj.reason, 60)

    @admin.display(description="décision")
    def current_decision(self, obj) -> str:
        return obj.get_decision_display()

    @admin.display(description="motif de la décision")
    def recorded_reason(self, obj) -> str:
        return obj.decision_reason or "—"

    def has_add_permission(self, request) -> bool:
        return False  # agents file them from their back-office

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == TransferDecision.ACCEPTED:
                transfers.accept_transfer(transfer=obj, by=request.user)
            elif decision == TransferDecision.REFUSED:
                transfers.refuse_transfer(transfer=obj, by=request.user, reason=form.cleaned_data["decision_reason"])
        except Refused as refusal:
            request._transfer_refused = str(refusal)

    def save_related(self, request, form, formsets, change):
        pass  # nothing of the request itself is edited here

    def response_change(self, request, obj):
        refused = getattr(request, "_transfer_refused", None)
        if refused:
            self.message_user(request, f"Décision non enregistrée : {refused}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        obj.refresh_from_db()
        if obj.decision != TransferDecision.PENDING:
            self.message_user(
                request,
                f"Demande de transfert {obj.get_decision_display().lower()} ; les agents sont prévenus.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:experiences_transferrequest_changelist"))
        return super().response_change(request, obj)

    @admin.action(description="Accepter les demandes sélectionnées", permissions=["change"])
    def accept_selected(self, request, queryset):
        accepted, refused = 0, []
        for transfer in queryset.filter(decision=TransferDecision.PENDING):
            try:
                transfers.accept_transfer(transfer=transfer, by=request.user)
                accepted += 1
            except Refused as refusal:
                refused.append(f"{transfer.experience.public_id} : {refusal}")
        if accepted:
            self.message_user(
                request, f"{accepted} transfert(s) accepté(s) ; les agents sont prévenus.", messages.SUCCESS
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)
