"""The advice list's search and filters, all in the URL so a search can be shared."""

from django import forms

from content.models import Theme
from content.selectors import AdviceSearch
from structures.models import Typology


class AdviceSearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher un conseil",
        required=False,
        max_length=200,
        help_text="Des mots-clés, par exemple « carte grise » ou « déclaration de revenus ».",
    )
    theme = forms.ChoiceField(label="Thème ou événement de vie", required=False, choices=[("", "Tous"), *Theme.choices])
    typologie = forms.TypedChoiceField(label="Service public concerné", required=False, coerce=int, empty_value=None)

    def __init__(self, data):
        super().__init__(data)
        # Only the typologies some published advice concerns: a filter never leads to an empty list.
        typologies = Typology.objects.filter(advice__is_published=True).distinct().order_by("name")
        self.fields["typologie"].choices = [("", "Tous"), *typologies.values_list("pk", "name")]

    def search(self) -> AdviceSearch:
        if not self.is_valid():
            return AdviceSearch()
        data = self.cleaned_data
        return AdviceSearch(text=data["q"], theme=data["theme"], typology_id=data["typologie"])
