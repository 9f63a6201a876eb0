"""Forms of the agents' sign-in, password reset and profile, with their French labels and messages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from accounts.models import ReplyText, User
from accounts.services import send_password_reset

REPLY_TEXT_MAX_LENGTH = ReplyText.TEXT_MAX_LENGTH


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

    def get_users(self, email):
        # Unlike Django's, includes accounts without a password yet: one opened from the admin waits for
        # its user to choose it from a link, and an expired link must not shut them out.
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        send_password_reset(context["user"], token=context["token"])


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
