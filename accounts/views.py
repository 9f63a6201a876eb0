"""Signing in and out of the agents' back-office, password reset and change, and the agent's profile."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts import services
from accounts.access import member_required
from accounts.forms import AgentLoginForm, AgentPasswordResetForm, DigestForm, ReplyTextForm
from accounts.models import PolitenessFormula, ReplyText, Signature
from common.ratelimit import limit_public_write
from structures.permissions import is_member

# Per client address, generous because a ministry's agents may share one proxy; per e-mail address, so
# nobody floods an agent's mailbox from many addresses. The page says the same either way.
PASSWORD_RESET_RATE = "20/h"
PASSWORD_RESET_ADDRESS_RATE = "3/h"
PROFILE = reverse_lazy("agents:profile")
# AUTH_PASSWORD_VALIDATORS in words (Django's own help text is an HTML list that fits no DSFR hint).
PASSWORD_HINT = (
    "12 caractères au moins. Évitez un mot de passe courant, fait seulement de chiffres "
    "ou proche de votre nom ou de votre adresse e-mail."
)


class LoginView(auth_views.LoginView):
    form_class = AgentLoginForm
    template_name = "agents/auth/login.html"
    next_page = reverse_lazy("agents:home")

    def dispatch(self, request, *args, **kwargs):
        # A member has nothing to do here; anyone else signed in may sign in with another account.
        if is_member(request.user):
            target = self.get_success_url()
            return HttpResponseRedirect(self.get_default_redirect_url() if target == request.path else target)
        return super().dispatch(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("agents:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Vous êtes déconnecté(e).")
        return response


def _reset_address(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


password_reset = limit_public_write(PASSWORD_RESET_RATE, group="password_reset")(
    ratelimit(
        key=_reset_address, rate=PASSWORD_RESET_ADDRESS_RATE, method="POST", block=True, group="password_reset_address"
    )(
        auth_views.PasswordResetView.as_view(
            form_class=AgentPasswordResetForm,
            template_name="agents/auth/password_reset_form.html",
            success_url=reverse_lazy("agents:password_reset_done"),
        )
    )
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "agents/auth/password_reset_confirm.html"
    success_url = reverse_lazy("agents:password_reset_complete")
    extra_context = {"password_hint": PASSWORD_HINT}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # An account opened in the admin comes here from its welcome e-mail: it chooses its first password.
        context["first_password"] = context["validlink"] and services.never_signed_in(self.user)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.lift_lockout(form.user)
        return response


password_change = member_required(
    auth_views.PasswordChangeView.as_view(
        template_name="agents/profile/password_change.html",
        success_url=reverse_lazy("agents:password_change_done"),
        extra_context={
            "agent_nav": "profile",
            "password_hint": PASSWORD_HINT,
            "breadcrumb_data": {"links": [{"url": PROFILE, "title": "Mon profil"}], "current": "Mot de passe"},
        },
    )
)
password_change_done = member_required(
    auth_views.PasswordChangeDoneView.as_view(
        template_name="agents/profile/password_change_done.html",
        extra_context={
            "agent_nav": "profile",
            "breadcrumb_data": {"links": [{"url": PROFILE, "title": "Mon profil"}], "current": "Mot de passe"},
        },
    )
)


@dataclass(frozen=True)
class ReplyTextKind:
    """Politeness formulas and signatures share one set of pages; `key` prefixes their URL names."""

    key: str
    model: type[ReplyText]
    title: str
    label: str

    @property
    def add_url(self) -> str:
        return f"agents:{self.key}_add"

    @property
    def edit_url(self) -> str:
        return f"agents:{self.key}_edit"

    @property
    def delete_url(self) -> str:
        return f"agents:{self.key}_delete"

    def form(self, data=None, **kwargs) -> ReplyTextForm:
        return ReplyTextForm(data, prefix=self.key, label=self.label, **kwargs)


FORMULAS = ReplyTextKind("formula", PolitenessFormula, "Formules de politesse", "Formule de politesse")
SIGNATURES = ReplyTextKind("signature", Signature, "Signatures", "Signature")


def _render_profile(
    request: HttpRequest, bound: ReplyTextForm | None = None, bound_kind: "ReplyTextKind | None" = None
) -> HttpResponse:
    user = request.user
    sections = [
        {
            "kind": kind,
            "items": kind.model.objects.filter(user=user),
            "add_form": bound if kind == bound_kind else kind.form(),
        }
        for kind in (FORMULAS, SIGNATURES)
    ]
    context = {
        "agent_nav": "profile",
        "breadcrumb_data": {"current": "Mon profil"},
        "memberships": user.memberships.select_related("structure").order_by("structure__name", "role"),
        "sections": sections,
        "digest_form": DigestForm(initial={"receives_digest": user.receives_digest}),
    }
    return render(request, "agents/profile/profile.html", context)


@member_required
def profile(request: HttpRequest) -> HttpResponse:
    return _render_profile(request)


@member_required
@require_POST
def reply_text_add(request: HttpRequest, kind: ReplyTextKind) -> HttpResponse:
    form = kind.form(request.POST)
    if not form.is_valid():
        return _render_profile(request, bound=form, bound_kind=kind)
    services.add_reply_text(model=kind.model, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, f"{kind.label} ajoutée.")
    return redirect(PROFILE)


@member_required
def reply_text_edit(request: HttpRequest, kind: ReplyTextKind, pk: int) -> HttpResponse:
    item = get_object_or_404(kind.model.objects.filter(user=request.user), pk=pk)
    form = kind.form(request.POST if request.method == "POST" else None, initial={"text": item.text})
    if form.is_valid():
        services.change_reply_text(item=item, text=form.cleaned_data["text"])
        messages.success(request, f"{kind.label} enregistrée.")
        return redirect(PROFILE)
    context = {
        "agent_nav": "profile",
        "breadcrumb_data": {"links": [{"url": PROFILE, "title": "Mon profil"}], "current": f"Modifier : {kind.label}"},
        "kind": kind,
        "item": item,
        "form": form,
    }
    return render(request, "agents/profile/reply_text_edit.html", context)


@member_required
@require_POST
def reply_text_delete(request: HttpRequest, kind: ReplyTextKind, pk: int) -> HttpResponse:
    item = get_object_or_404(kind.model.objects.filter(user=request.user), pk=pk)
    services.delete_reply_text(item=item)
    messages.success(request, f"{kind.label} supprimée.")
    return redirect(PROFILE)


@member_required
@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    receives_digest = form.is_valid() and form.cleaned_data["receives_digest"]
    services.set_receives_digest(user=request.user, receives_digest=receives_digest)
    if receives_digest:
        messages.success(request, "Vous recevrez chaque matin le récapitulatif des expériences sans réponse.")
    else:
        messages.success(request, "Vous ne recevrez plus le récapitulatif quotidien.")
    return redirect(PROFILE)


@member_required
@require_POST
def target_alerts_preference(request: HttpRequest) -> HttpResponse:
    """A checkbox: present means on, absent means off (as the digest's)."""
    receives = request.POST.get("receives_target_alerts") == "on"
    services.set_receives_target_alerts(user=request.user, receives_target_alerts=receives)
    if receives:
        messages.success(request, "Vous recevrez les alertes de dépassement du délai cible.")
    else:
        messages.success(request, "Vous ne recevrez plus les alertes de dépassement du délai cible.")
    return redirect(PROFILE)
