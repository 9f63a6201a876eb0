"""One function per step of a report's life: received, accepted and routed, simplified or closed, published.

Each step runs in one transaction, refuses (in French) what its state does not allow, records who and when
in the report's history, and tells the reporter by e-mail through the outbox at each change of state.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from common.personal_data import count_flags
from notifications.services import queue_email
from structures.models import Structure, Typology
from structures.permissions import sees_everything

from .models import ComplexDocumentReport, ReportAction, ReportDecision, ReportRouting, ReportState
from .uploads import CleanDocument

MAX_STRUCTURES = 3
OPEN_STATES = (ReportState.RECEIVED, ReportState.IN_REVIEW)
EMAIL_OF_STATE = {
    ReportState.RECEIVED: "document_report_received",
    ReportState.IN_REVIEW: "document_report_in_review",
    ReportState.SIMPLIFIED: "document_report_simplified",
    ReportState.CLOSED: "document_report_closed",
}


@transaction.atomic
def submit_report(
    *,
    kind: str,
    title: str,
    description: str,
    email: str,
    typology: Typology | None = None,
    organism_name: str = "",
    document: CleanDocument | None = None,
) -> ComplexDocumentReport:
    """Record a citizen's report (state « reçu ») and acknowledge it by e-mail."""
    report = ComplexDocumentReport(
        kind=kind,
        typology=typology,
        organism_name="" if typology else organism_name.strip(),
        title=title.strip(),
        description=description.strip(),
        reporter_email=email.strip(),
        personal_data_flags=count_flags(title, description),
    )
    if document is not None:
        report.file = document.content
        report.file_type = document.content_type
    report.save()
    _record(report, ReportAction.RECEIVED, by=None)
    _tell_reporter(report)
    return report


@transaction.atomic
def accept_report(*, report: ComplexDocumentReport, by, structures: Iterable[Structure]) -> ComplexDocumentReport:
    """Accept a received report and route it: it is « en cours d'examen » by the structures chosen."""
    report = _locked(report, by)
    if report.state == ReportState.IN_REVIEW:
        return report
    if report.state != ReportState.RECEIVED:
        raise Refused(f"Ce signalement est déjà « {report.get_state_display()} » : il ne peut plus être accepté.")
    structures = list(structures)
    if not 1 <= len(structures) <= MAX_STRUCTURES:
        raise Refused("Pour accepter le signalement, choisissez entre une et trois structures.", field="structures")
    _add_routings(report, by, structures)
    _change_state(report, ReportState.IN_REVIEW)
    _record(report, ReportAction.ACCEPTED, by=by, detail=_names(structures))
    return report


@transaction.atomic
def route_report(*, report: ComplexDocumentReport, by, structures: Iterable[Structure]) -> list[Structure]:
    """Send an accepted report to more structures; returns those newly added (none on a second click)."""
    report = _locked(report, by)
    if report.state == ReportState.RECEIVED:
        raise Refused("Acceptez d'abord le signalement : l'orientation se fait en l'acceptant.")
    added = _add_routings(report, by, list(structures))
    if report.routings.count() > MAX_STRUCTURES:
        raise Refused("Un signalement est orienté vers trois structures au plus.", field="structures")
    if added:
        _record(report, ReportAction.ROUTED, by=by, detail=_names(added))
    return added


@transaction.atomic
def close_report(*, report: ComplexDocumentReport, by, reason: str) -> ComplexDocumentReport:
    """Reject a received report, or close one under review: « sans suite », with the reason sent to the reporter."""
    report = _locked(report, by)
    if report.state == ReportState.CLOSED:
        return report
    if report.state not in OPEN_STATES:
        raise Refused("Un document déjà simplifié ne peut pas être classé sans suite.")
    if not reason.strip():
        raise Refused("Indiquez le motif : il est envoyé à l'usager.", field="reason")
    report.closing_reason = reason.strip()
    _change_state(report, ReportState.CLOSED)
    _record(report, ReportAction.CLOSED, by=by, detail=report.closing_reason)
    return report


@transaction.atomic
def mark_simplified(*, report: ComplexDocumentReport, by, simplified_version: str = "") -> ComplexDocumentReport:
    """The administration simplified the document; the simplified version, when given, goes to the reporter."""
    report = _locked(report, by)
    if report.state == ReportState.SIMPLIFIED:
        return report
    if report.state != ReportState.IN_REVIEW:
        raise Refused("Seul un signalement en cours d'examen peut être marqué simplifié.")
    report.simplified_version = simplified_version.strip()
    _change_state(report, ReportState.SIMPLIFIED)
    _record(report, ReportAction.SIMPLIFIED, by=by)
    return report


@transaction.atomic
def publish_example(
    *, report: ComplexDocumentReport, by, original_excerpt: str, simplified_version: str
) -> ComplexDocumentReport:
    """Show the report « avant / après » on the public page « Documents simplifiés » (seed 003)."""
    report = _locked(report, by)
    if report.state != ReportState.SIMPLIFIED:
        raise Refused("Seul un document simplifié peut être publié comme exemple.")
    if not (original_excerpt.strip() and simplified_version.strip()):
        raise Refused("Pour publier l'exemple, remplissez l'extrait d'origine et la version simplifiée.")
    # The page is public: what the detector is sure of (not the weak signals) must go first.
    if count_flags(report.title, original_excerpt, simplified_version, include_weak=False):
        raise Refused(
            "Le titre, l'extrait ou la version simplifiée contient une donnée personnelle (e-mail, téléphone, numéro"
            " de sécurité sociale, IBAN, carte ou adresse) : retirez-la avant de publier."
        )
    report.original_excerpt = original_excerpt.strip()
    report.simplified_version = simplified_version.strip()
    if not report.is_published_example:
        report.is_published_example = True
        report.published_at = timezone.now()
        _record(report, ReportAction.PUBLISHED, by=by)
    report.save(update_fields=["original_excerpt", "simplified_version", "is_published_example", "published_at"])
    return report


@transaction.atomic
def unpublish_example(*, report: ComplexDocumentReport, by) -> ComplexDocumentReport:
    report = _locked(report, by)
    if report.is_published_example:
        report.is_published_example = False
        report.save(update_fields=["is_published_example"])
        _record(report, ReportAction.UNPUBLISHED, by=by)
    return report


@transaction.atomic
def erase_report(*, report: ComplexDocumentReport, by) -> None:
    """A citizen's request to erase their report (RGPD), carried out by an administrator: the row and the file."""
    if not (by.is_active and by.is_superuser):
        raise Refused("Seul un administrateur efface un signalement.")
    storage, name = report.file.storage, report.file.name
    report.delete()
    if name:
        # After the commit: a rolled-back erasure keeps its file.
        transaction.on_commit(lambda: storage.delete(name))


def _locked(report: ComplexDocumentReport, by) -> ComplexDocumentReport:
    if not sees_everything(by):
        raise Refused("Seule l'équipe de modération décide de la suite d'un signalement.")
    return ComplexDocumentReport.objects.select_for_update().get(pk=report.pk)


def _add_routings(report: ComplexDocumentReport, by, structures: list[Structure]) -> list[Structure]:
    routed = set(report.routings.values_list("structure_id", flat=True))
    added = [s for s in dict.fromkeys(structures) if s.pk not in routed]
    ReportRouting.objects.bulk_create([ReportRouting(report=report, structure=s, routed_by=by) for s in added])
    return added


def _change_state(report: ComplexDocumentReport, state: ReportState) -> None:
    report.state = state
    report.state_changed_at = timezone.now()
    report.save(update_fields=["state", "state_changed_at", "closing_reason", "simplified_version"])
    _tell_reporter(report)


def _tell_reporter(report: ComplexDocumentReport) -> None:
    queue_email(
        template=EMAIL_OF_STATE[report.state],
        to=report.reporter_email,
        context={"report": report},
        reference=report.reference,
        dedupe_key=f"document-report-{report.pk}-{report.state}",
    )


def _record(report: ComplexDocumentReport, action: ReportAction, *, by, detail: str = "") -> None:
    ReportDecision.objects.create(report=report, action=action, decided_by=by, detail=detail)


def _names(structures: Iterable[Structure]) -> str:
    return ", ".join(str(s) for s in structures)
