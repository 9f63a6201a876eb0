"""Admin for the transparency referentials: indicators (moderators), results and imports (read-only)."""

from django.contrib import admin

from common.admin import ProjectAdminMixin, ReadOnlyAdmin

from .models import Import, Indicator, Result


@admin.register(Indicator)
class IndicatorAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "network", "kind", "unit", "is_active")
    list_select_related = ("network",)
    list_filter = ("kind", "unit_type", "is_active", "network")
    search_fields = ("code", "label", "original_label")
    ordering = ("code",)
    fields = (
        "code",
        "network",
        "original_label",
        "label",
        "kind",
        "sources_and_methods",
        "unit_type",
        "unit",
        "is_active",
    )

    def get_readonly_fields(self, request, obj=None):
        # Published results name the indicator by its code: it never changes once created.
        return ("code",) if obj else ()


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("code", "structure", "indicator", "value", "period", "frequency", "updated_on")
    list_select_related = ("structure", "indicator")
    list_filter = ("frequency", "indicator")
    search_fields = ("code", "structure__code", "indicator__code")
    raw_id_fields = ("structure", "source_import")
    ordering = ("-period_end", "code")


@admin.register(Import)
class ImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "network", "uploaded_by", "created_at", "status", "created", "updated")
    list_select_related = ("network", "uploaded_by")
    list_filter = ("status", "network")
    date_hierarchy = "created_at"
    exclude = ("report",)
    raw_id_fields = ("uploaded_by", "executed_by")
    ordering = ("-created_at",)
