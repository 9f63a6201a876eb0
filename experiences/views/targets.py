"""Response-time targets in the agents' back-office (issue 20): every member reads those of their scope,
a network's referent tightens them for the network or one of their subtrees."""

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import member_required
from common.exceptions import Refused
from experiences.services import targets as services
from structures.models import DEFAULT_TARGET_HOURS, MAX_TARGET_HOURS, Network, ResponseTarget, Structure
from structures.permissions import Action, sees_everything, structure_scope


class TargetForm(forms.Form):
    network = forms.ModelChoiceField(label="Réseau", queryset=Network.objects.none(), empty_label=None)
    structure_code = forms.CharField(
        label="Code SP+ de la structure (facultatif)",
        help_text="Vide : le délai cible de tout le réseau. Sinon : celui de la structure et de sa descendance.",
        max_length=10,
        required=False,
    )
    hours = forms.IntegerField(
        label="Délai cible (heures)",
        min_value=1,
        max_value=MAX_TARGET_HOURS,
        error_messages={"required": "Indiquez le délai cible en heures."},
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"


def settable_networks(user):
    if user.is_superuser:
        return Network.objects.order_by("name")
    scope = Structure.objects.filter(structure_scope(user, Action.SET_TARGETS), network=OuterRef("pk"))
    return Network.objects.filter(Exists(scope)).order_by("name")


def visible_targets(user):
    """Targets of the networks the user sees a structure of, and of the subtrees in their scope."""
    targets = ResponseTarget.objects.select_related("network", "structure", "set_by").order_by(
        "network__name", "structure__tree_id", "structure__lft"
    )
    if sees_everything(user):
        return targets
    visible = Structure.objects.filter(structure_scope(user))
    return targets.filter(
        Q(structure__isnull=True, network__in=visible.values("network_id")) | Q(structure__in=visible.values("pk"))
    )


@member_required
@require_http_methods(["GET", "POST"])
def target_list(request: HttpRequest) -> HttpResponse:
    networks = settable_networks(request.user)
    form = TargetForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            _set(request.user, form.cleaned_data)
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request, "Le délai cible est enregistré ; les échéances des expériences en attente suivent."
            )
            return redirect("agents:targets")
    return render(
        request,
        "agents/targets/list.html",
        {
            "agent_nav": "dashboard",
            "breadcrumb_data": {"current": "Délais cibles de réponse"},
            "targets": visible_targets(request.user),
            "form": form if networks.exists() else None,
            "default_hours": DEFAULT_TARGET_HOURS,
        },
        status=400 if form.errors else 200,
    )


def _set(user, data: dict) -> None:
    structure = None
    if data["structure_code"]:
        scope = Structure.objects.filter(structure_scope(user, Action.SET_TARGETS), network=data["network"])
        structure = scope.filter(code=data["structure_code"].strip()).first()
        if structure is None:
            raise Refused("Aucune structure de ce code dans votre périmètre de ce réseau.", field="structure_code")
    services.set_response_target(network=data["network"], structure=structure, hours=data["hours"], by=user)


@member_required
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(visible_targets(request.user), pk=pk)
    try:
        services.remove_response_target(target=target, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Le délai cible est retiré : le délai hérité s'applique de nouveau.")
    return redirect(reverse("agents:targets"))
