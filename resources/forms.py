"""The search box and theme filter of « Ressources et FAQ »."""

from django import forms

from .models import Theme

QUERY_MAX_LENGTH = 200


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher", max_length=QUERY_MAX_LENGTH, required=False, strip=True)
    theme = forms.ModelChoiceField(
        label="Thème",
        queryset=Theme.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Tous les thèmes",
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes if themes is not None else Theme.objects.all()
        self.fields["q"].help_text = "Par exemple : transparence, bannière, délai de réponse."
