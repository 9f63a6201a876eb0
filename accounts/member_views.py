"""« Habilitations » at /agents/habilitations/: a referent adds agents to the structures of their scope and
removes them; out of scope is a 404, like everywhere in the back-office."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.exceptions import Refused
from structures.permissions import may_manage_members

from . import memberships
from .access import member_required
from .member_forms import MemberFilterForm, MemberForm

PAGE_SIZE = 30
HISTORY_LENGTH = 20
BREADCRUMB_LINK = {"url": "/agents/habilitations/", "title": "Habilitations"}


def _referent_only(request: HttpRequest) -> None:
    if not may_manage_members(request.user):
        raise Http404("La gestion des habilitations est réservée aux référents de réseau.")


def _membership_or_404(request: HttpRequest, pk: int):
    _referent_only(request)
    managed = memberships.memberships_managed_by(request.user).select_related("user", "structure")
    return get_object_or_404(managed, pk=pk)


@member_required
def members(request: HttpRequest) -> HttpResponse:
    """The memberships of the referent's structures, searchable, and the latest changes."""
    _referent_only(request)
    form = MemberFilterForm(request.GET or None)
    rows = memberships.memberships_managed_by(request.user).select_related("user", "structure")
    if form.is_valid() and form.cleaned_data["q"]:
        words = form.cleaned_data["q"]
        rows = rows.filter(
            Q(user__email__icontains=words) | Q(structure__name__icontains=words) | Q(structure__code__iexact=words)
        )
    paginator = Paginator(rows.order_by("structure__name", "structure__code", "user__email", "role"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "agents/members/list.html",
        {
            "agent_nav": "members",
            "form": form,
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number),
            "history": memberships.changes_seen_by(request.user)[:HISTORY_LENGTH],
            "breadcrumb_data": {"current": "Habilitations"},
        },
    )


@member_required
def member_add(request: HttpRequest) -> HttpResponse:
    _referent_only(request)
    form = MemberForm(
        request.POST if request.method == "POST" else None, initial={"structure": request.GET.get("structure", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        structure = memberships.structures_managed_by(request.user).filter(code=data["structure"]).first()
        try:
            if structure is None:
                raise Refused(memberships.NOT_IN_SCOPE, field="structure")
            membership, created = memberships.add_member(
                structure=structure,
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                by=request.user,
            )
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            sent = " Un e-mail lui permet de choisir son mot de passe." if created else ""
            messages.success(
                request,
                f"{membership.user.email} est {membership.get_role_display().lower()} de {structure.name}.{sent}",
            )
            return redirect("agents:members")
    return render(
        request,
        "agents/members/add.html",
        {
            "agent_nav": "members",
            "form": form,
            "breadcrumb_data": {"links": [BREADCRUMB_LINK], "current": "Ajouter un agent"},
        },
    )


@member_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the removal on POST."""
    membership = _membership_or_404(request, pk)
    if request.method == "POST":
        try:
            memberships.remove_member(membership=membership, by=request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, f"L'habilitation de {membership.user.email} sur {membership.structure.name} est retirée."
            )
        return redirect("agents:members")
    return render(
        request,
        "agents/members/remove.html",
        {
            "agent_nav": "members",
            "membership": membership,
            "breadcrumb_data": {"links": [BREADCRUMB_LINK], "current": "Retirer une habilitation"},
        },
    )


@require_POST
@member_required
def member_resend_link(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk)
    try:
        memberships.resend_first_login_link(membership=membership, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Le lien pour choisir son mot de passe a été renvoyé à {membership.user.email}.")
    return redirect("agents:members")
