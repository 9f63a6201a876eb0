"""Read queries of diagnostics, each through the permission rule of structures/permissions.py."""

from django.db.models import Q, QuerySet

from diagnostics.consolidation import member_structures
from diagnostics.models import Diagnostic, DiagnosticStatus
from structures.models import Membership, Network, Structure
from structures.permissions import ROLES_ALLOWED, Action, networks_seen_whole_by, structure_scope


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


def networks_consolidated_by(user) -> QuerySet[Network]:
    """A network referent consolidates their whole network (seed 003, third case); the DITP every network."""
    return networks_seen_whole_by(user)


def consolidation_target(user, query, networks: QuerySet[Network]) -> tuple[Q, str, str] | None:
    """(members, label, parent code) for the query's network or parent structure, by default the user's first
    structure; None when the choice is outside what the user may read (a 404)."""
    network_id = query.get("reseau")
    if network_id:
        network = networks.filter(pk=network_id).first() if network_id.isdigit() else None
        if network is None:
            return None
        return member_structures(network=network), f"Réseau {network.name}", ""
    code = query.get("structure", "").strip()
    if code:
        parent = readable_structures(user).filter(code=code).first()
    else:
        parent = own_structures(user, Action.READ_DIAGNOSTICS).first()
    if parent is None:
        return None
    return member_structures(parent=parent), f"{parent.display_name} ({parent.code})", parent.code
