"""Diagnostics PDFs prepared by Celery: the blank questionnaire, a diagnostic's results, a consolidation.

The steps (queue, claim, render, expire, purge) are the dashboard's exports' (dashboards.services.export_lifecycle);
this module says what each kind of PDF holds, resolved again with the requester's permissions of the moment.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.pdf import render_pdf
from dashboards.services.export_lifecycle import ExportLifecycle, Prepared
from diagnostics import consolidation, observed, results, scoring, selectors, services
from diagnostics.models import DiagnosticExport, ExportKind
from structures.commitments import COMMITMENTS
from structures.permissions import is_member

NO_ACCESS = "Vous n'avez plus accès à ces résultats : votre rattachement a changé."
LIFECYCLE = ExportLifecycle(DiagnosticExport, task="diagnostics.tasks.generate_export_task", no_access=NO_ACCESS)


def _document(user, kind: str, params: dict) -> tuple[str, str, dict] | None:
    """(file name, template, context) of what `user` may print now, or None."""
    if not is_member(user):
        return None
    if kind == ExportKind.BLANK:
        version = services.current_version()
        questions = list(version.questions.order_by("commitment", "order"))
        context = {"version": version, "questions": questions, "commitments": COMMITMENTS}
        return f"questionnaire-diagnostic-sp+_v{version.number}.pdf", "diagnostics/pdf_blank.html", context
    if kind == ExportKind.RESULTS:
        found = selectors.readable_diagnostics(user).filter(pk=params.get("diagnostic"), results__isnull=False).first()
        if found is None:
            return None
        context = {
            "diagnostic": found,
            "view": results.results_view(found),
            "rule": scoring.RULE,
            "disagreements": observed.disagreements(found.results),
            "notes": found.notes.exclude(text="").order_by("commitment"),
            "pdf": True,
        }
        name = f"diagnostic_{found.structure.code}_{timezone.localdate(found.completed_at):%Y-%m-%d}.pdf"
        return name, "diagnostics/pdf_results.html", context
    target = selectors.consolidation_target(user, params, selectors.networks_consolidated_by(user))
    if target is None:
        return None
    members, label, _ = target
    typology, year = params.get("typologie"), params.get("annee")
    result = consolidation.consolidate(
        members,
        label=label,
        typology_id=int(typology) if str(typology or "").isdigit() else None,
        year=int(year) if str(year or "").isdigit() else None,
    )
    name = f"diagnostics-consolides_{slugify(label)[:80]}.pdf"
    return name, "diagnostics/pdf_consolidated.html", {"consolidation": result}


LABELS = {
    ExportKind.BLANK: "Questionnaire vierge du diagnostic Services Publics+",
    ExportKind.RESULTS: "Résultats du diagnostic",
    ExportKind.CONSOLIDATED: "Résultats consolidés des diagnostics",
}


@transaction.atomic
def request_export(*, by, kind: str, params: dict, label: str = "") -> DiagnosticExport | None:
    """Queue a PDF; None when `by` may not read what it would hold."""
    if _document(by, kind, params) is None:
        return None
    export = DiagnosticExport.objects.create(
        requested_by=by, kind=kind, params=params, label=(f"{LABELS[kind]} — {label}" if label else LABELS[kind])
    )
    return LIFECYCLE.queue(export)


def generate_export(pk: int) -> str | None:
    """Render a claimed export to the storage; None when it was not pending (a task delivered twice)."""
    return LIFECYCLE.generate(pk, _prepare)


def _prepare(export: DiagnosticExport) -> Prepared | None:
    document = _document(export.requested_by, export.kind, export.params)
    if document is None:
        return None
    name, template, context = document
    return Prepared(
        filename=name, render=lambda: render_pdf(template, {**context, "generated_at": timezone.now()}), fields={}
    )


def purge_expired_exports(now: datetime.datetime | None = None) -> int:
    """Delete expired files (the rows stay, as expired) and fail exports a dead worker left behind."""
    return LIFECYCLE.purge_expired(now)
