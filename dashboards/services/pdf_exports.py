"""Dashboard exports prepared by Celery: request one, generate it, purge it when it expires.

The steps every stored export shares are dashboards.services.export_lifecycle's; this module says what a
dashboard PDF holds and keeps one export in preparation per user.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.exceptions import Refused
from dashboards.export_files import dashboard_pdf, export_filename, period_label, scope_for
from dashboards.models import DashboardExport, ExportFormat
from dashboards.report import build_report
from dashboards.services.export_lifecycle import ExportLifecycle, Prepared

NO_ACCESS = "Vous n'avez plus accès à ce tableau de bord : votre rattachement a changé."
LIFECYCLE = ExportLifecycle(DashboardExport, task="dashboards.tasks.generate_dashboard_pdf_task", no_access=NO_ACCESS)


class ExportRefused(Refused):
    """The user may see no dashboard at all: the view answers with the « not a member » page, not a message."""


@transaction.atomic
def request_dashboard_pdf(*, by, query: dict[str, str]) -> DashboardExport:
    """Queue a PDF of the dashboard `query` describes; while one is in preparation, return that one."""
    scope = scope_for(by, query)
    if scope is None:
        raise ExportRefused(NO_ACCESS)
    fail_stale_exports(requested_by=by)
    active = DashboardExport.objects.active().filter(requested_by=by).first()
    if active is not None:
        return active
    try:
        # A savepoint: two simultaneous clicks meet the one-active-export constraint, not a 500.
        with transaction.atomic():
            export = DashboardExport.objects.create(
                requested_by=by,
                params=query,
                scope_label=f"{scope.label}, {period_label(scope)}",
                format=ExportFormat.PDF,
            )
    except IntegrityError:
        return DashboardExport.objects.active().get(requested_by=by)
    return LIFECYCLE.queue(export)


def generate_dashboard_pdf(pk: int) -> str | None:
    """Render a claimed export to the storage. Returns its new status, or None when it was not pending."""
    return LIFECYCLE.generate(pk, _prepare)


def _prepare(export: DashboardExport) -> Prepared | None:
    scope = scope_for(export.requested_by, export.params)
    if scope is None:
        return None
    return Prepared(
        filename=export_filename(scope, "pdf"),
        render=lambda: dashboard_pdf(build_report(scope), generated_at=timezone.now()),
        fields={"scope_label": f"{scope.label}, {period_label(scope)}"},
    )


def dispatch(pk: int) -> None:
    LIFECYCLE.dispatch(pk)


def claim(pk: int) -> bool:
    return LIFECYCLE.claim(pk)


def fail_stale_exports(**filters) -> int:
    return LIFECYCLE.fail_stale(**filters)


def purge_expired_exports() -> int:
    return LIFECYCLE.purge_expired()
