"""Moderators create test campaigns, see how many panellists match (never who), invite and read the yes answers.

A panellist's e-mail is never shown: masked in every list and page, and left out of the search.
"""

from django import forms
from django.contrib import admin, messages

from common.admin import ProjectAdminMixin, TabularInline
from common.privacy import mask_email
from panel import services
from panel.models import (
    AgeRange,
    DigitalEase,
    Interest,
    Invitation,
    Panellist,
    TestCampaign,
    decode_codes,
    encode_codes,
)


@admin.register(Panellist)
class PanellistAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Read-only: a profile is written by its panellist only, and deleted by them or by the retention purge."""

    list_display = ("__str__", "masked_email", "age_range", "department", "digital_ease", "confirmed_at")
    list_filter = ("age_range", "digital_ease", "availability")
    fields = (
        "masked_email",
        "age_range",
        "department",
        "digital_ease",
        "interest_list",
        "availability",
        "created_at",
        "confirmed_at",
        "last_activity_at",
    )
    readonly_fields = fields

    @admin.display(description="adresse e-mail")
    def masked_email(self, obj: Panellist) -> str:
        return mask_email(obj.email)

    @admin.display(description="documents ou démarches à tester")
    def interest_list(self, obj: Panellist) -> str:
        return ", ".join(obj.interest_labels) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CodesField(forms.MultipleChoiceField):
    """Several choice codes stored in one column (panel.models.encode_codes)."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return decode_codes(value) if isinstance(value, str) else value

    def clean(self, value):
        return encode_codes(super().clean(value))


class TestCampaignForm(forms.ModelForm):
    age_ranges = CodesField(label="Tranches d'âge", choices=AgeRange.choices, required=False)
    digital_eases = CodesField(label="Aisance numérique", choices=DigitalEase.choices, required=False)
    interests = CodesField(label="Documents ou démarches", choices=Interest.choices, required=False)

    class Meta:
        model = TestCampaign
        fields = (
            "title",
            "subject",
            "description",
            "starts_on",
            "ends_on",
            "testers_wanted",
            "age_ranges",
            "departments",
            "digital_eases",
            "interests",
        )
        help_texts = {"departments": "Aucun : tous les départements."}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "La fin du test ne peut pas précéder son début.")
        return cleaned


class YesAnswerInline(TabularInline):
    """The panellists who said yes: their profile, never their address in clear."""

    model = Invitation
    verbose_name = "réponse positive"
    verbose_name_plural = "réponses positives"
    fields = ("panellist_number", "masked_email", "profile", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(answer="oui").select_related("panellist__department")

    @admin.display(description="usager testeur")
    def panellist_number(self, obj: Invitation) -> str:
        return str(obj.panellist)

    @admin.display(description="adresse e-mail")
    def masked_email(self, obj: Invitation) -> str:
        return mask_email(obj.panellist.email)

    @admin.display(description="profil")
    def profile(self, obj: Invitation) -> str:
        panellist = obj.panellist
        return f"{panellist.get_age_range_display()}, {panellist.department}, {panellist.get_digital_ease_display()}"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TestCampaign)
class TestCampaignAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    form = TestCampaignForm
    list_display = ("title", "starts_on", "ends_on", "testers_wanted", "invited", "yes_answers")
    autocomplete_fields = ("departments",)
    readonly_fields = ("matching",)
    inlines = (YesAnswerInline,)
    actions = ("invite_sample",)

    def get_fields(self, request, obj=None):
        fields = list(TestCampaignForm.Meta.fields)
        return [*fields, "matching"] if obj else fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("invitations")

    @admin.display(description="invités")
    def invited(self, obj: TestCampaign) -> int:
        return len(obj.invitations.all())

    @admin.display(description="oui")
    def yes_answers(self, obj: TestCampaign) -> int:
        return sum(1 for invitation in obj.invitations.all() if invitation.answer == "oui")

    @admin.display(description="usagers testeurs correspondant aux critères")
    def matching(self, obj: TestCampaign) -> str:
        count = services.match_count(obj)
        invited = obj.invitations.count()
        return f"{count} (dont {invited} déjà invités). Enregistrez les critères pour recalculer."

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Inviter un échantillon tiré au sort", permissions=["change"])
    def invite_sample(self, request, queryset):
        for campaign in queryset:
            invited = services.invite_sample(campaign=campaign, by=request.user)
            if invited:
                self.message_user(request, f"« {campaign} » : {invited} usagers testeurs invités.", messages.SUCCESS)
            else:
                self.message_user(
                    request, f"« {campaign} » : aucun usager testeur à inviter selon ces critères.", messages.WARNING
                )
