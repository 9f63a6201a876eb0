"""The DITP moderators' queue of reports of complex documents and their moderation page.

Every decision goes through simplification.services, which checks the state, records who and when and tells
the reporter by e-mail. The reporter's address is shown masked, in no list, filter or search; the file opens
through the checked view of the agents' back-office, never from a media URL.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from common.admin import ProjectAdminMixin
from common.exceptions import Refused
from common.personal_data import KIND_LABELS, count_flags, detect
from common.privacy import mask_email
from experiences.admin.moderation import HistoryInline, PersonalDataFilter
from structures.models import Structure

from . import services
from .models import ComplexDocumentReport, ReportDecision, ReportRouting

ACCEPT, ROUTE, CLOSE, SIMPLIFY, PUBLISH, UNPUBLISH = "accept", "route", "close", "simplify", "publish", "unpublish"
DECISIONS = [
    ("", "Enregistrer les textes sans décider"),
    (ACCEPT, "Accepter et orienter vers les structures choisies (en cours d'examen)"),
    (ROUTE, "Orienter aussi vers les structures choisies"),
    (CLOSE, "Rejeter ou classer sans suite, avec le motif"),
    (SIMPLIFY, "Marquer simplifié (avec la version simplifiée si elle est connue)"),
    (PUBLISH, "Publier comme exemple « avant / après »"),
    (UNPUBLISH, "Retirer des exemples publiés"),
]


class ReportModerationForm(forms.ModelForm):
    structures = forms.ModelMultipleChoiceField(
        queryset=Structure.objects.filter(is_active=True),
        required=False,
        label="Structures destinataires (1 à 3)",
        widget=AutocompleteSelectMultiple(ReportRouting._meta.get_field("structure"), admin.site),
    )
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Motif du rejet ou du classement sans suite",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé à l'usager par e-mail.",
    )

    class Meta:
        model = ComplexDocumentReport
        fields = ("title", "original_excerpt", "simplified_version")
        help_texts = {"title": "Publié avec l'exemple : retirez-en toute donnée personnelle."}

    def clean(self):
        cleaned = super().clean()
        published = self.instance.is_published_example and cleaned.get("decision") != UNPUBLISH
        for name in ("original_excerpt", "simplified_version"):
            if published and not (cleaned.get(name) or "").strip():
                self.add_error(name, "L'exemple est publié : ce texte est obligatoire (ou retirez-le des exemples).")
        return cleaned


def flagged(text: str):
    """The text with each span the personal-data detector finds marked and its kind said (escaped)."""
    pieces, position = [], 0
    for span in detect(text):
        label = KIND_LABELS[span.kind] + (" (signal faible)" if span.weak else "")
        pieces.append(format_html("{}", text[position : span.start]))
        pieces.append(
            format_html('<mark title="{}">{}</mark> <small>[{}]</small>', label, text[span.start : span.end], label)
        )
        position = span.end
    pieces.append(format_html("{}", text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


class RoutingInline(HistoryInline):
    model = ReportRouting
    fields = ("structure", "routed_at", "routed_by")
    verbose_name_plural = "structures destinataires"
    actor_field = "routed_by"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("structure")


class DecisionInline(HistoryInline):
    model = ReportDecision
    fields = ("action", "detail", "decided_by", "decided_at")
    actor_field = "decided_by"


@admin.register(ComplexDocumentReport)
class ComplexDocumentReportAdmin(ProjectAdminMixin, admin.ModelAdmin):
    form = ReportModerationForm
    list_display = ("pk", "short_title", "kind", "administration", "state", "flags", "has_file", "submitted_at")
    list_display_links = ("pk", "short_title")
    list_select_related = ("typology",)
    list_filter = ("state", PersonalDataFilter, "kind", "is_published_example")
    search_fields = ("title", "description", "organism_name")
    ordering = ("submitted_at", "pk")
    list_per_page = 50
    inlines = (RoutingInline, DecisionInline)
    readonly_fields = (
        "number",
        "state",
        "kind",
        "administration",
        "reporter",
        "submitted_at",
        "personal_data",
        "description",
        "document",
        "closing_reason",
        "is_published_example",
    )
    fieldsets = (
        (
            "Signalement de l'usager",
            {
                "fields": (
                    ("number", "state", "submitted_at"),
                    ("kind", "administration", "reporter"),
                    "title",
                    "description",
                    "personal_data",
                    "document",
                )
            },
        ),
        (
            "Exemple « avant / après »",
            {
                "fields": ("original_excerpt", "simplified_version", "is_published_example"),
                "description": "Ce qui est publié sur la page « Documents simplifiés » : jamais de donnée personnelle.",
            },
        ),
        ("Décision", {"fields": ("structures", "decision", "reason", "closing_reason")}),
    )

    def has_add_permission(self, request) -> bool:
        return False  # reports come from citizens

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser  # a citizen asking to erase their report, through an administrator

    @admin.display(description="n°")
    def number(self, obj) -> int:
        return obj.pk

    @admin.display(description="document concerné")
    def short_title(self, obj) -> str:
        return Truncator(obj.title).chars(80)

    @admin.display(description="administration")
    def administration(self, obj) -> str:
        return obj.administration

    @admin.display(description="données personnelles", ordering="personal_data_flags")
    def flags(self, obj) -> str:
        return str(obj.personal_data_flags) if obj.personal_data_flags else "—"

    @admin.display(description="document joint", boolean=True)
    def has_file(self, obj) -> bool:
        return bool(obj.file)

    @admin.display(description="adresse e-mail de l'usager")
    def reporter(self, obj) -> str:
        return mask_email(obj.reporter_email)

    @admin.display(description="données personnelles repérées")
    def personal_data(self, obj):
        parts = [
            (label, flagged(getattr(obj, field)))
            for field, label in (("title", "Document"), ("description", "Explication"))
            if detect(getattr(obj, field))
        ]
        if not parts:
            return "Aucune repérée."
        return format_html_join("", "<p><strong>{} :</strong> {}</p>", parts)

    @admin.display(description="document joint")
    def document(self, obj):
        if not obj.file:
            return "Aucun."
        url = reverse("agents:document_report_file", args=[obj.pk])
        return format_html('<a href="{}">Télécharger le document (confidentiel)</a>', url)

    def delete_model(self, request, obj):
        services.erase_report(report=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.erase_report(report=report, by=request.user)

    def save_model(self, request, obj, form, change):
        pass  # the texts and the decision go through the services (save_related)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # read-only histories: nothing changes, but the change message reads them
            self.save_formset(request, form, formset, change=change)
        report, cleaned = form.instance, form.cleaned_data
        decision = cleaned.get("decision", "")
        try:
            self._decide(request, report, decision, cleaned)
        except Refused as refusal:
            self.message_user(request, f"Décision non enregistrée : {refusal}", messages.ERROR)
            return
        self.message_user(request, "Signalement enregistré.", messages.SUCCESS)

    def _decide(self, request, report, decision: str, cleaned: dict) -> None:
        by, structures = request.user, list(cleaned.get("structures") or [])
        excerpt, simplified = cleaned.get("original_excerpt", ""), cleaned.get("simplified_version", "")
        # The texts first: a refused decision does not lose what the moderator wrote.
        report.title = cleaned["title"].strip()
        ComplexDocumentReport.objects.filter(pk=report.pk).update(
            title=report.title,
            original_excerpt=excerpt.strip(),
            simplified_version=simplified.strip(),
            personal_data_flags=count_flags(report.title, report.description),
        )
        if decision == ACCEPT:
            services.accept_report(report=report, by=by, structures=structures)
        elif decision == ROUTE:
            services.route_report(report=report, by=by, structures=structures)
        elif decision == CLOSE:
            services.close_report(report=report, by=by, reason=cleaned.get("reason", ""))
        elif decision == SIMPLIFY:
            services.mark_simplified(report=report, by=by, simplified_version=simplified)
        elif decision == PUBLISH:
            services.publish_example(report=report, by=by, original_excerpt=excerpt, simplified_version=simplified)
        elif decision == UNPUBLISH:
            services.unpublish_example(report=report, by=by)

    def response_change(self, request, obj):
        # The service's message is the page's message; Django's « modifié avec succès » would say nothing more.
        return HttpResponseRedirect(request.path)
