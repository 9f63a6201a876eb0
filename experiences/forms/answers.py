"""The agents' answer to an experience: write, correct, modify, send back."""

from django import forms

from accounts.models import PolitenessFormula, Signature
from experiences.services.responses import BODY_MAX_LENGTH

# The choice meaning « the text already stored on this answer », whoever's profile it came from.
CURRENT_TEXT = "actuelle"


def _same_text(first: str, second: str) -> bool:
    return first.replace("\r\n", "\n").strip() == second.replace("\r\n", "\n").strip()


class ResponseForm(forms.Form):
    """The answer, then a politeness formula and a signature chosen among the agent's own (seed 003).

    Choices are the profile rows' ids, never their texts: a browser posts a multi-line option value
    with CRLF line breaks, so a text used as value never matched what was sent. The answer's own
    texts stay selectable as CURRENT_TEXT, since they may come from another agent's profile (a
    colleague's draft, a published answer) or from a profile entry changed since.
    """

    body = forms.CharField(
        label="Votre réponse",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez le texte de la réponse."},
    )
    formula = forms.ChoiceField(label="Formule de politesse", required=False)
    signature = forms.ChoiceField(label="Signature", required=False)

    def __init__(self, *args, user, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        if response is not None:
            self.initial.setdefault("body", response.body)
        self.texts = {}
        for name, model, none_label in (
            ("formula", PolitenessFormula, "Sans formule"),
            ("signature", Signature, "Sans signature"),
        ):
            own = dict(model.objects.filter(user=user).order_by("position", "pk").values_list("pk", "text"))
            self.texts[name] = {str(pk): text for pk, text in own.items()}
            self.fields[name].choices = [("", none_label)] + list(self.texts[name].items())
            stored = getattr(response, name, "") if response is not None else ""
            if stored:
                self.initial.setdefault(name, self._keep_stored(name, stored))

    def _keep_stored(self, name: str, stored: str) -> str:
        """The choice showing the answer's stored text: the profile's row if it has the same text, else CURRENT_TEXT."""
        for value, text in self.texts[name].items():
            if _same_text(text, stored):
                return value
        self.texts[name][CURRENT_TEXT] = stored
        none, *own = self.fields[name].choices
        self.fields[name].choices = [none, (CURRENT_TEXT, f"{stored} (texte actuel de la réponse)"), *own]
        return CURRENT_TEXT

    def clean_formula(self) -> str:
        return self.texts["formula"].get(self.cleaned_data["formula"], "")

    def clean_signature(self) -> str:
        return self.texts["signature"].get(self.cleaned_data["signature"], "")


class ModifyResponseForm(ResponseForm):
    notify_author = forms.BooleanField(
        label="Modification importante : prévenir l'usager par e-mail",
        required=False,
        help_text="Le statut devient « Réponse modifiée avec notification ». Laissez décoché pour une simple "
        "correction (coquille, mise en forme).",
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="Ce qui est à revoir", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
