"""The agents' sign-in, password reset and profile, included by spplus/agent_urls.py in the `agents` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import member_views, views
from accounts.views import FORMULAS, SIGNATURES


def _reply_text_routes(kind: views.ReplyTextKind, segment: str) -> list:
    """Add, edit and delete one of the agent's politeness formulas or signatures."""
    return [
        path(f"profil/{segment}/ajouter/", views.reply_text_add, {"kind": kind}, name=f"{kind.key}_add"),
        path(f"profil/{segment}/<int:pk>/modifier/", views.reply_text_edit, {"kind": kind}, name=f"{kind.key}_edit"),
        path(
            f"profil/{segment}/<int:pk>/supprimer/", views.reply_text_delete, {"kind": kind}, name=f"{kind.key}_delete"
        ),
    ]


urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", views.password_reset, name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="agents/auth/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(template_name="agents/auth/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("profil/", views.profile, name="profile"),
    path("profil/recapitulatif/", views.digest_preference, name="digest"),
    path("profil/alertes-delai-cible/", views.target_alerts_preference, name="target_alerts"),
    path("profil/mot-de-passe/", views.password_change, name="password_change"),
    path("profil/mot-de-passe/modifie/", views.password_change_done, name="password_change_done"),
    path("habilitations/", member_views.members, name="members"),
    path("habilitations/ajouter/", member_views.member_add, name="member_add"),
    path("habilitations/<int:pk>/retirer/", member_views.member_remove, name="member_remove"),
    path("habilitations/<int:pk>/renvoyer-le-lien/", member_views.member_resend_link, name="member_resend_link"),
    *_reply_text_routes(FORMULAS, "formules"),
    *_reply_text_routes(SIGNATURES, "signatures"),
]
