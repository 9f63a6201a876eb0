"""The published files in the admin: what was generated when, and their generation on demand (superusers)."""

from django.contrib import admin

from common.admin import OperatorToolAdminMixin, ProjectAdminMixin

from .models import PublishedFile


@admin.register(PublishedFile)
class PublishedFileAdmin(ProjectAdminMixin, OperatorToolAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "generated_at", "row_count", "size"]
    readonly_fields = ["slug", "path", "generated_at", "row_count", "size", "sha256"]
    actions = ["generate_now"]

    # Superusers only (OperatorToolAdminMixin): the experiences file reads the whole table.

    @admin.action(description="Générer maintenant (sinon : chaque nuit)", permissions=["change"])
    def generate_now(self, request, queryset) -> None:
        from .tasks import generate_files_task

        generate_files_task.delay(slugs=sorted(queryset.values_list("slug", flat=True)))
        self.message_user(
            request,
            "Génération demandée : elle se fait en arrière-plan ; la page des données ouvertes montre chaque "
            "fichier dès qu'il est prêt.",
        )
