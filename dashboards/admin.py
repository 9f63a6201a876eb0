"""The dashboard's admin: the rollup's watermark and a full rebuild on demand, for superusers."""

from django.contrib import admin

from common.admin import OperatorToolAdminMixin, ProjectAdminMixin

from .models import DashboardRollupState


@admin.register(DashboardRollupState)
class DashboardRollupStateAdmin(ProjectAdminMixin, OperatorToolAdminMixin, admin.ModelAdmin):
    """Until when the dashboards' daily figures are consolidated, and a rebuild on demand (superusers)."""

    list_display = ("__str__", "complete_through", "refreshed_at")
    readonly_fields = ("complete_through", "refreshed_at")
    actions = ["rebuild_rollup"]

    # Superusers only (OperatorToolAdminMixin): a full rebuild loads the database for minutes.

    @admin.action(description="Recalculer tous les jours maintenant (sinon : chaque nuit)", permissions=["change"])
    def rebuild_rollup(self, request, queryset) -> None:
        from dashboards.tasks import refresh_dashboard_rollup_task

        refresh_dashboard_rollup_task.delay(full=True)
        self.message_user(
            request,
            "Recalcul demandé : il se fait en arrière-plan, en quelques minutes sur un million d'expériences ; "
            "les tableaux de bord restent servis pendant ce temps.",
        )
