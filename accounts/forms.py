"""Forms of the agents' sign-in, password reset and profile, with their French labels and messages."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse

from accounts.models import PolitenessFormula
from notifications.services import queue_email

# Formulas and signatures share the same limit (accounts/models.py).
REPLY_TEXT_MAX_LENGTH = PolitenessFormula._meta.get_field("text").max_length


class AgentLoginForm(AuthenticationForm):
    """Django's sign-in form (it posts `username`, which django-axes counts), in our words."""

    username = forms.CharField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(),
        error_messages={"required": "Saisissez votre adresse e-mail."},
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(),
        error_messages={"required": "Saisissez votre mot de passe."},
    )
    error_messages = {
        # One message for a wrong address and a wrong password: the page never tells who has an account.
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class AgentPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the outbox; Django sends nothing when no active account has the address."""

    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(),
        error_messages={
            "required": "Saisissez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.gouv.fr.",
        },
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        path = reverse("agents:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        queue_email(
            template="password_reset",
            to=to_email,
            context={
                "user": user,
                "reset_url": settings.SITE_URL.rstrip("/") + path,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
            reference=f"utilisateur {user.pk}",
        )


class ReplyTextForm(forms.Form):
    """One politeness formula or signature."""

    text = forms.CharField(
        max_length=REPLY_TEXT_MAX_LENGTH,
        widget=forms.Textarea(),
        error_messages={
            "required": "Saisissez le texte.",
            "max_length": "Le texte ne doit pas dépasser %(limit_value)d caractères (il en compte %(show_value)d).",
        },
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class DigestForm(forms.Form):
    receives_digest = forms.BooleanField(
        label="Recevoir le récapitulatif quotidien des expériences sans réponse",
        required=False,
    )
