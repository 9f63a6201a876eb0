"""Transfer requests (seed 001 q22): agents ask from their back-office, moderators decide here."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from common.admin import ProjectAdminMixin
from common.exceptions import Refused

from ..models import TransferDecision, TransferRequest
from ..services import transfers
from .base import DefaultChoiceFilter, PublicIdSearchMixin, excerpt


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
        if not decision:
            return
        try:
            outcome = transfers.decide_transfer(
                transfer=obj, by=request.user, decision=decision, reason=form.cleaned_data["decision_reason"]
            )
        except Refused as refusal:
            self.message_user(request, f"Décision non enregistrée : {refusal}", messages.ERROR)
        else:
            self.message_user(request, outcome.message, messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        pass  # nothing of the request itself is edited here

    def response_change(self, request, obj):
        # The outcome is read back from the request itself: a decision taken is recorded on it.
        obj.refresh_from_db()
        if obj.decision != TransferDecision.PENDING:
            return HttpResponseRedirect(reverse("admin:experiences_transferrequest_changelist"))
        if request.POST.get("decision"):
            return HttpResponseRedirect(request.path)
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
