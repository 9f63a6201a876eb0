"""The improvement actions in the admin; experiences.admin adds the linked experiences to this page."""

from django.contrib import admin

from common.admin import ProjectAdminMixin

from .models import ImprovementAction


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("title", "structure", "status", "engaged_on", "done_on", "is_public")
    list_select_related = ("structure",)
    list_filter = ("status", "is_public", "commitment", "structure__network")
    search_fields = ("title", "structure__code", "structure__name")
    date_hierarchy = "engaged_on"
    ordering = ("-engaged_on", "-pk")
    autocomplete_fields = ("structure", "created_by")
    readonly_fields = ("created_at", "updated_at")
