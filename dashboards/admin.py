"""The dashboard's admin: the rollup's watermark and a full rebuild on demand, for superusers."""

from django.contrib import admin

from common.admin import ProjectAdminMixin

from .models import DashboardRollupState


@admin.register(DashboardRollupState)
class DashboardRollupStateAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Until when the dashboards' daily figures are consolidated, and a rebuild on demand (superusers)."""

    list_display = ("__str__", "complete_through", "refreshed_at")
    readonly_fields = ("complete_through", "refreshed_at")
    actions = ["rebuild_rollup"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser  # an operator's tool: a full rebuild loads the database for minutes

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Recalculer tous les jours maintenant (sinon : chaque nuit)", permissions=["change"])
    def rebuild_rollup(self, request, queryset) -> None:
        from dashboards.tasks import refresh_dashboard_rollup_task

        refresh_dashboard_rollup_task.delay(full=True)
        self.message_user(
            request,
            "Recalcul demandé : il se fait en arrière-plan, en quelques minutes sur un million d'expériences ; "
            "les tableaux de bord restent servis pendant ce temps.",
        )
