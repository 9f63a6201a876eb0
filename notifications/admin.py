"""The outbox in the admin: what was sent, what waits, what failed and why; failed e-mails can be re-sent.

Recipients are masked: most of them are citizens whose address no user of the platform may read.
"""

from django.contrib import admin, messages
from django.utils.html import format_html

from common.admin import ProjectAdminMixin
from common.privacy import mask_email

from . import services
from .models import PRIVATE_KINDS, OutboxEmail

# E-mails whose link is a credential (models.PRIVATE_LINKS): their content is never shown in the admin, or
# a moderator could request a password reset and follow the link before it is sent and redacted.
HIDDEN = "Contenu masqué : cet e-mail contient un lien personnel."


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "kind", "masked_to", "reference", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind", ("created_at", admin.DateFieldListFilter))
    search_fields = ("reference", "subject")
    search_help_text = "Recherche dans l'objet de l'e-mail ou ce qu'il concerne (ex. « expérience 123456 »)."
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ("resend",)
    fields = (
        "subject",
        "kind",
        "masked_to",
        "reference",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "text",
        "html_preview",
    )
    readonly_fields = fields

    @admin.display(description="destinataire")
    def masked_to(self, obj: OutboxEmail) -> str:
        return mask_email(obj.to)

    @admin.display(description="texte")
    def text(self, obj: OutboxEmail) -> str:
        return HIDDEN if obj.kind in PRIVATE_KINDS else obj.body_text

    @admin.display(description="aperçu HTML")
    def html_preview(self, obj: OutboxEmail) -> str:
        if obj.kind in PRIVATE_KINDS:
            return HIDDEN
        # Sandboxed: the e-mail's HTML cannot run script or reach the admin's page.
        return format_html(
            '<iframe sandbox="" srcdoc="{}" title="{}" style="{}"></iframe>',
            obj.body_html,
            "Aperçu de l'e-mail",
            "width:100%;height:32rem;border:1px solid #ddd",
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Renvoyer les e-mails sélectionnés (en échec ou en attente)")
    def resend(self, request, queryset):
        count = services.resend(queryset)
        if count:
            self.message_user(request, f"{count} e-mail(s) remis en file d'envoi.", messages.SUCCESS)
        else:
            self.message_user(request, "Aucun e-mail en échec ou en attente dans la sélection.", messages.WARNING)
