"""Read queries of diagnostics, each through the permission rule of structures/permissions.py."""

from django.db.models import QuerySet

from diagnostics.models import Diagnostic, DiagnosticStatus
from structures.models import Membership, Structure
from structures.permissions import ROLES_ALLOWED, Action, structure_scope


def own_structures(user, action: Action) -> QuerySet[Structure]:
    """The structures of the user's memberships whose role allows `action` (seed 003: the SP+ code is
    filled in from them), by code."""
    roles = ROLES_ALLOWED[action]
    held = Membership.objects.filter(user=user, role__in=roles).values("structure_id")
    return Structure.objects.filter(pk__in=held).order_by("code")


def readable_structures(user) -> QuerySet[Structure]:
    return Structure.objects.filter(structure_scope(user, Action.READ_DIAGNOSTICS))


def readable_diagnostics(user) -> QuerySet[Diagnostic]:
    return Diagnostic.objects.visible_to(user).select_related("structure", "version")


def editable_drafts(user) -> QuerySet[Diagnostic]:
    return Diagnostic.objects.filter(
        structure__in=Structure.objects.filter(structure_scope(user, Action.DIAGNOSE)), status=DiagnosticStatus.DRAFT
    ).select_related("structure", "version")


def history(structure: Structure) -> list[Diagnostic]:
    """The structure's completed diagnostics, newest first: « filtrer par date d'enregistrement »."""
    return list(Diagnostic.objects.completed().filter(structure=structure).order_by("-completed_at"))


def structure_summaries(user) -> list[dict]:
    """For each of the user's structures: its draft, its latest completed diagnostic, whether they may fill in."""
    diagnose = set(own_structures(user, Action.DIAGNOSE).values_list("pk", flat=True))
    structures = list(own_structures(user, Action.READ_DIAGNOSTICS))
    diagnostics = Diagnostic.objects.filter(structure__in=structures).order_by("-completed_at", "-created_at")
    rows = {
        s.pk: {"structure": s, "draft": None, "latest": None, "count": 0, "may_diagnose": s.pk in diagnose}
        for s in structures
    }
    for diagnostic in diagnostics:
        row = rows[diagnostic.structure_id]
        if diagnostic.is_draft:
            row["draft"] = diagnostic
        else:
            row["count"] += 1
            row["latest"] = row["latest"] or diagnostic
    return list(rows.values())
