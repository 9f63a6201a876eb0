"""The dashboard as files: the scope an export covers, its CSV (one row per figure) and its PDF (WeasyPrint)."""

import csv
import datetime
import io
from collections.abc import Iterator, Mapping

from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from common.pdf import render_pdf
from dashboards.forms import DashboardForm
from dashboards.report import CHANNEL_LABELS, DEFINITIONS, FEELING_LABELS, TAG_LABELS, Report
from dashboards.selectors.figures import Dashboard, DashboardScope, Delays
from dashboards.templatetags.dashboard import long_date
from structures.permissions import is_member, sees_whole_country

# --- Scope -------------------------------------------------------------------------------------


def export_query(query: QueryDict) -> dict[str, str]:
    """The dashboard's own parameters in a query string, as an export stores them."""
    return {name: query[name] for name in DashboardForm.base_fields if query.get(name)}


def scope_for(user, query: Mapping[str, str]) -> DashboardScope | None:
    """What the dashboard page shows `user` for `query`, with their permissions of now; None if nothing.

    The form falls back to the user's own scope for any choice outside it, as the page does.
    """
    if not is_member(user):
        return None
    form = DashboardForm(query, user=user)
    form.is_valid()
    scope = form.scope()
    # A scope with neither structure nor network is the whole country: only for those who see everything.
    if scope.structure is None and scope.network is None and not sees_whole_country(user):
        return None
    return scope


def period_label(scope: DashboardScope) -> str:
    """« du 1er janvier 2026 au 31 mars 2026 », as the page, the CSV and the PDF name the period."""
    return f"du {long_date(scope.start)} au {long_date(scope.end)}"


def export_filename(scope: DashboardScope, extension: str) -> str:
    """tableau-de-bord_<structure code, reseau-<name> or national>_<start>_<end>.<extension>"""
    if scope.structure is not None:
        # SP+ codes are letters, digits and hyphens (structure_code_format): safe in a file name.
        key = scope.structure.code if scope.include_children else f"{scope.structure.code}-seule"
    elif scope.network is not None:
        key = f"reseau-{slugify(scope.network.name)}"
    else:
        key = "national"
    return f"tableau-de-bord_{key}_{scope.start:%Y-%m-%d}_{scope.end:%Y-%m-%d}.{extension}"


# --- CSV ---------------------------------------------------------------------------------------

CSV_HEADER = ("section", "indicateur", "dimension", "valeur", "unité", "définition")
# A text cell starting with one of these is a formula to a spreadsheet; sources come from citizens' links.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DELAY_SHARES = (("under_48h", "48 h"), ("under_72h", "72 h"), ("under_7d", "7 jours"))


def dashboard_csv(data: Dashboard, *, generated_at: datetime.datetime) -> str:
    """`;`-separated, with a byte order mark: French Excel opens it in UTF-8 with decimal commas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section, indicator, dimension, value, unit, definition in figure_rows(data, generated_at=generated_at):
        writer.writerow([_text(section), _text(indicator), _text(dimension), _number(value), unit, definition])
    return buffer.getvalue()


def _number(value) -> str:
    """12 → « 12 », 51.25 → « 51,3 », a date in ISO, None → empty, text as text."""
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(value)


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _percent(count: int, total: int) -> float | None:
    return None if not total else 100 * count / total


def _hours(value: datetime.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 3600


def figure_rows(data: Dashboard, *, generated_at: datetime.datetime) -> Iterator[tuple]:
    """(section, indicator, dimension, value, unit, definition) for every figure of the dashboard."""
    yield from _scope_rows(data.scope, generated_at)
    yield from _published_rows(data)
    yield from _delay_rows("Délais de réponse", "", data.delays, DEFINITIONS["delays"], median=True)
    yield from _ranking_rows(data)
    yield from _source_rows(data)
    yield from _conversion_rows(data)
    yield from _feeling_rows(data)
    yield from _crossed_rows(
        "Canaux de contact",
        "Mentions par canal et ressenti",
        "mentions",
        data.channels,
        CHANNEL_LABELS,
        DEFINITIONS["channels"],
    )
    yield from _crossed_rows(
        "Tags généraux", "Tags par valeur", "expériences", data.general_tags, TAG_LABELS, DEFINITIONS["general_tags"]
    )
    definition = DEFINITIONS["business_tags"]
    for name, count in data.business_tags:
        yield "Tags métier", "Expériences par tag métier", name, count, "expériences", definition
    yield from _evaluation_rows(data)
    yield from _action_rows(data)


def _scope_rows(scope: DashboardScope, generated_at: datetime.datetime) -> Iterator[tuple]:
    yield "Périmètre", "Périmètre", "", scope.label, "", ""
    if scope.structure is not None:
        yield "Périmètre", "Code SP+ de la structure", "", scope.structure.code, "", ""
    yield "Périmètre", "Début de la période", "", scope.start, "date", "Date de publication, heure de Paris, incluse."
    yield "Périmètre", "Fin de la période", "", scope.end, "date", "Date de publication, heure de Paris, incluse."
    yield "Périmètre", "Période", "", period_label(scope), "", ""
    yield "Périmètre", "Généré le", "", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M"), "", ""


def _published_rows(data: Dashboard) -> Iterator[tuple]:
    section, definition = "Expériences publiées", DEFINITIONS["published"]
    yield section, "Expériences publiées", "", data.published, "expériences", definition
    for month, count in data.by_month:
        yield section, "Expériences publiées par mois", f"{month:%Y-%m}", count, "expériences", definition


def _delay_rows(section: str, dimension: str, delays: Delays, definition: str, *, median: bool) -> Iterator[tuple]:
    figures = [
        ("Orientations (expérience × structure)", delays.routings, "orientations"),
        ("Orientations répondues", delays.answered, "orientations"),
        ("Délai moyen", _hours(delays.mean), "heures"),
    ]
    if median:
        figures.append(("Délai médian", _hours(delays.median), "heures"))
    for name, label in DELAY_SHARES:
        count = getattr(delays, name)
        figures.append((f"Réponses en moins de {label}", count, "orientations"))
        figures.append((f"Part des réponses en moins de {label}", _percent(count, delays.routings), "%"))
    figures.append(("Sans réponse", delays.unanswered, "orientations"))
    figures.append(("Part sans réponse", _percent(delays.unanswered, delays.routings), "%"))
    figures.append(("Réponses dans le délai cible", delays.within_target, "orientations"))
    figures.append(("Part des réponses dans le délai cible", _percent(delays.within_target, delays.routings), "%"))
    figures.append(("Délai cible dépassé", delays.breached, "orientations"))
    figures.append(("Part du délai cible dépassé", _percent(delays.breached, delays.routings), "%"))
    for indicator, value, unit in figures:
        yield section, indicator, dimension, value, unit, definition


def _ranking_rows(data: Dashboard) -> Iterator[tuple]:
    kind = data.ranking[0].kind if data.ranking else "children"
    section = {"networks": "Délais par réseau", "roots": "Délais par arborescence du réseau"}.get(
        kind, "Délais par structure fille"
    )
    for row in data.ranking:
        dimension = f"{row.label} ({row.code})" if row.code else row.label
        # The ranking has no median: one query per row would be needed.
        yield from _delay_rows(section, dimension, row.delays, DEFINITIONS["ranking"], median=False)


def _source_rows(data: Dashboard) -> Iterator[tuple]:
    definition = DEFINITIONS["sources"]
    for source, count in data.sources:
        yield "Sources des expériences", "Expériences par source", source, count, "expériences", definition
        share = _percent(count, data.published)
        yield "Sources des expériences", "Part des expériences par source", source, share, "%", definition


def _conversion_rows(data: Dashboard) -> Iterator[tuple]:
    section, definition = "Sources des expériences", DEFINITIONS["conversion"]
    for row in data.conversion:
        yield section, "Visites du formulaire de partage", row.label, row.visits, "visites", definition
        yield section, "Expériences partagées", row.label, row.shared, "expériences", definition
        yield section, "Taux de conversion", row.label, row.rate, "%", definition


def _feeling_rows(data: Dashboard) -> Iterator[tuple]:
    definition = DEFINITIONS["feelings"]
    for feeling, count in data.feelings.items():
        label = FEELING_LABELS[feeling]
        yield "Ressenti des usagers", "Expériences par ressenti", label, count, "expériences", definition
        share = _percent(count, data.published)
        yield "Ressenti des usagers", "Part des expériences par ressenti", label, share, "%", definition


def _crossed_rows(section: str, indicator: str, unit: str, table: list, labels: dict, definition: str):
    """One row per (channel or tag, feeling) cell; channels also count mentions without a feeling ("")."""
    for name, counts in table:
        for feeling, count in counts.items():
            dimension = f"{labels.get(name, name)} — {FEELING_LABELS.get(feeling, 'Sans ressenti')}"
            yield section, indicator, dimension, count, unit, definition


def _evaluation_rows(data: Dashboard) -> Iterator[tuple]:
    e = data.evaluations
    rate = None if e.transformation_rate is None else 100 * e.transformation_rate
    figures = [
        ("Réponses publiées", e.responses, "réponses", "evaluations"),
        ("Jugées utiles par l'auteur", e.author_useful, "réponses", "evaluations"),
        ("Jugées pas utiles par l'auteur", e.author_not_useful, "réponses", "evaluations"),
        ("Non évaluées par l'auteur", e.author_none, "réponses", "evaluations"),
        ("Votes « utile » des visiteurs", e.visitor_useful, "votes", "evaluations"),
        ("Votes « pas utile » des visiteurs", e.visitor_not_useful, "votes", "evaluations"),
        ("Taux de transformation", rate, "%", "transformation"),
        (
            "Réponses à une expérience négative évaluées par l'auteur",
            e.negative_evaluated,
            "réponses",
            "transformation",
        ),
        ("Réponses à une expérience négative jugées utiles", e.negative_useful, "réponses", "transformation"),
    ]
    for indicator, value, unit, definition in figures:
        yield "Évaluation des réponses", indicator, "", value, unit, DEFINITIONS[definition]


def _action_rows(data: Dashboard) -> Iterator[tuple]:
    a, section, definition = data.actions, "Actions d'amélioration", DEFINITIONS["actions"]
    yield section, "Actions engagées", "", a.engaged, "actions", definition
    yield section, "Actions réalisées", "", a.done, "actions", definition
    yield section, "« Amélioration à considérer » sans action", "", a.flagged_without_action, "orientations", definition


# --- PDF ---------------------------------------------------------------------------------------


def dashboard_pdf(report: Report, *, generated_at: datetime.datetime) -> bytes:
    return render_pdf(
        "dashboards/pdf.html",
        {
            "report": report,
            "period": period_label(report.scope),
            "generated_at": generated_at,
            "feeling_labels": FEELING_LABELS,
            "channel_labels": CHANNEL_LABELS,
            "tag_labels": TAG_LABELS,
        },
    )
