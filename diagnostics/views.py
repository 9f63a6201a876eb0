"""The agents' diagnostics at /agents/diagnostics/: the approach, filling in one commitment per page, results."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import member_required
from common.exceptions import Refused
from dashboards.views.exports import stored_file_response
from diagnostics import consolidation, exports, observed, results, scoring, selectors, services
from diagnostics.forms import CommitmentPageForm, ConsolidationForm, HistoryForm, StartForm
from diagnostics.models import Diagnostic, DiagnosticExport, ExportKind
from structures.commitments import COMMITMENTS, get_commitment
from structures.permissions import Action, can

LAST = len(COMMITMENTS)


def _context(**extra) -> dict:
    return {"agent_nav": "diagnostics", **extra}


@member_required
def home(request: HttpRequest) -> HttpResponse:
    structures = selectors.own_structures(request.user, Action.DIAGNOSE)
    context = _context(
        form=StartForm(structures=structures),
        may_diagnose=structures.exists(),
        summaries=selectors.structure_summaries(request.user),
        breadcrumb_data={"current": "Diagnostic Services Publics+"},
    )
    return render(request, "diagnostics/home.html", context)


@require_POST
@member_required
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST, structures=selectors.own_structures(request.user, Action.DIAGNOSE))
    if not form.is_valid():
        messages.error(request, form.errors["structure"][0])
        return redirect("agents:diagnostics")
    try:
        diagnostic = services.start_diagnostic(structure=form.cleaned_data["structure"], by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("agents:diagnostics")
    return redirect("agents:diagnostic_page", pk=diagnostic.pk, number=diagnostic.current_commitment)


@member_required
def page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One commitment: « Précédent » and « Enregistrer le brouillon » keep what is answered, « Suivant » needs
    every answer, the last page's button records the diagnostic."""
    diagnostic = get_object_or_404(selectors.editable_drafts(request.user), pk=pk)
    if not 1 <= number <= LAST:
        raise Http404
    questions = list(diagnostic.version.questions.filter(commitment=number))
    move = request.POST.get("aller", "suivant")
    if request.method == "POST":
        form = CommitmentPageForm(request.POST, questions=questions, complete=move in ("suivant", "terminer"))
        if form.is_valid():
            target = {"precedent": max(1, number - 1), "brouillon": number}.get(move, min(LAST, number + 1))
            try:
                services.save_page(
                    diagnostic=diagnostic,
                    commitment=number,
                    answers=form.answers(),
                    note=form.cleaned_data["note"],
                    by=request.user,
                    next_commitment=target,
                )
                if move == "terminer":
                    services.complete_diagnostic(diagnostic=diagnostic, by=request.user)
                    return redirect("agents:diagnostic", pk=diagnostic.pk)
            except Refused as refusal:
                messages.error(request, refusal.message)
                return redirect("agents:diagnostic_page", pk=diagnostic.pk, number=number)
            if move == "brouillon":
                messages.success(request, "Brouillon enregistré : vous pourrez reprendre à cette page.")
            return redirect("agents:diagnostic_page", pk=diagnostic.pk, number=target)
    else:
        form = CommitmentPageForm(initial=_initial(diagnostic, number, questions), questions=questions)
    context = _context(
        diagnostic=diagnostic,
        commitment=get_commitment(number),
        commitments=COMMITMENTS,
        form=form,
        is_last=number == LAST,
        breadcrumb_data={
            "links": [{"url": "/agents/diagnostics/", "title": "Diagnostic Services Publics+"}],
            "current": f"Engagement {number}",
        },
    )
    return render(request, "diagnostics/page.html", context)


def _initial(diagnostic: Diagnostic, number: int, questions) -> dict:
    answers = dict(diagnostic.answers.filter(question__in=questions).values_list("question_id", "value"))
    initial = {CommitmentPageForm.field_name(q): answers[q.pk] for q in questions if q.pk in answers}
    note = diagnostic.notes.filter(commitment=number).first()
    initial["note"] = note.text if note else ""
    return initial


@member_required
def diagnostic(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.readable_diagnostics(request.user), pk=pk)
    if found.is_draft:
        # A draft is the team's work in progress: those who may fill it in resume it, others find nothing.
        get_object_or_404(selectors.editable_drafts(request.user), pk=pk)
        return redirect("agents:diagnostic_page", pk=pk, number=found.current_commitment)
    return results_page(request, found)


@member_required
def structure_results(request: HttpRequest, structure_pk: int) -> HttpResponse:
    """The structure's latest results, or the date chosen in « filtrer par date d'enregistrement »."""
    structure = get_object_or_404(selectors.readable_structures(request.user), pk=structure_pk)
    history = selectors.history(structure)
    if not history:
        raise Http404
    form = HistoryForm(request.GET or None, diagnostics=history)
    chosen = form.cleaned_data.get("diagnostic") if form.is_valid() else None
    found = next((d for d in history if d.pk == chosen), history[0])
    return results_page(request, found, history=history)


def results_page(request: HttpRequest, found: Diagnostic, history=None) -> HttpResponse:
    history = history if history is not None else selectors.history(found.structure)
    context = _context(
        diagnostic=found,
        history_form=HistoryForm(initial={"diagnostic": found.pk}, diagnostics=history),
        rule=scoring.RULE,
        view=results.results_view(found) if found.results else None,
        disagreements=observed.disagreements(found.results) if found.results else {},
        notes=found.notes.exclude(text="").order_by("commitment"),
        may_act=can(request.user, Action.MANAGE_ACTIONS, found.structure),
        breadcrumb_data={
            "links": [{"url": "/agents/diagnostics/", "title": "Diagnostic Services Publics+"}],
            "current": f"Résultats — {found.structure.display_name}",
        },
    )
    return render(request, "diagnostics/results.html", context)


@member_required
def consolidated(request: HttpRequest) -> HttpResponse:
    """Consolidated results of a parent structure's descendants, or of a network its referent sees whole."""
    networks = selectors.networks_consolidated_by(request.user)
    target = selectors.consolidation_target(request.user, request.GET, networks)
    if target is None:
        raise Http404
    members, label, code = target
    form = ConsolidationForm(
        request.GET or None,
        initial={"structure": code},
        networks=networks,
        typologies=consolidation.typologies_with_diagnostics(members),
        years=consolidation.years_with_diagnostics(members),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    result = consolidation.consolidate(
        members, label=label, year=filters.get("annee"), typology_id=filters.get("typologie")
    )
    context = _context(
        form=form,
        consolidation=result,
        query=request.GET.urlencode(),
        breadcrumb_data={
            "links": [{"url": "/agents/diagnostics/", "title": "Diagnostic Services Publics+"}],
            "current": "Résultats consolidés",
        },
    )
    return render(request, "diagnostics/consolidated.html", context)


# --- PDF exports -------------------------------------------------------------------------------


def _export_requested(request: HttpRequest, export) -> HttpResponse:
    if export is None:
        raise Http404
    response = redirect("agents:diagnostic_export", public_id=export.public_id)
    response.status_code = 303  # See Other: the browser GETs the progress page, never re-POSTs.
    return response


@require_POST
@member_required
def blank_pdf(request: HttpRequest) -> HttpResponse:
    return _export_requested(request, exports.request_export(by=request.user, kind=ExportKind.BLANK, params={}))


@require_POST
@member_required
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.readable_diagnostics(request.user), pk=pk)
    label = f"{found.structure.display_name} ({found.structure.code})"
    export = exports.request_export(by=request.user, kind=ExportKind.RESULTS, params={"diagnostic": pk}, label=label)
    return _export_requested(request, export)


@require_POST
@member_required
def consolidated_pdf(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET[name] for name in ConsolidationForm.base_fields if request.GET.get(name)}
    export = exports.request_export(by=request.user, kind=ExportKind.CONSOLIDATED, params=params)
    return _export_requested(request, export)


@member_required
def export_status(request: HttpRequest, public_id) -> HttpResponse:
    export = get_object_or_404(DiagnosticExport.objects.visible_to(request.user), public_id=public_id)
    return _export_status_page(request, export)


def _export_status_page(request: HttpRequest, export: DiagnosticExport) -> HttpResponse:
    context = _context(
        export=export,
        breadcrumb_data={
            "links": [{"url": "/agents/diagnostics/", "title": "Diagnostic Services Publics+"}],
            "current": "Export PDF",
        },
    )
    return render(request, "diagnostics/export_status.html", context, status=410 if export.is_expired else 200)


@member_required
def export_file(request: HttpRequest, public_id) -> HttpResponse:
    export = get_object_or_404(DiagnosticExport.objects.visible_to(request.user), public_id=public_id)
    response = stored_file_response(export)
    if response is not None:
        return response
    if export.is_expired:
        return _export_status_page(request, export)
    return redirect("agents:diagnostic_export", public_id=export.public_id)
