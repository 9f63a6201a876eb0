"""The import form: the type of data, the network (a choice only if the referent has several), the file."""

from django import forms

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Type de données", choices=[("results", "Résultats CSV")], initial="results")
    network = forms.ModelChoiceField(label="Réseau", queryset=None, empty_label=None)
    file = forms.FileField(
        label="Fichier",
        help_text="CSV en UTF-8, séparateur point-virgule, 50 Mo au plus.",
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        if networks.count() == 1:
            self.fields["network"].initial = networks.first()
            self.fields["network"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 50 Mo : découpez-le en plusieurs fichiers.")
        return upload


class ResultsFilterForm(forms.Form):
    """« Résultats près de chez vous »: the filters travel in the URL, so a search is a link to share."""

    ville = forms.CharField(label="Ville", required=False, max_length=100, help_text="Nom ou code INSEE de la commune")
    departement = forms.ModelChoiceField(label="Département", queryset=None, required=False, empty_label="Tous")
    region = forms.ModelChoiceField(label="Région", queryset=None, required=False, empty_label="Toutes")
    reseau = forms.ModelChoiceField(label="Service public", queryset=None, required=False, empty_label="Tous")
    typologie = forms.ModelChoiceField(label="Type de structure", queryset=None, required=False, empty_label="Tous")

    def __init__(self, *args, departments, regions, networks, typologies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departments
        self.fields["region"].queryset = regions
        self.fields["reseau"].queryset = networks
        self.fields["typologie"].queryset = typologies

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "city": data["ville"],
            "department": data["departement"].code if data["departement"] else "",
            "region": data["region"].code if data["region"] else "",
            "network": data["reseau"],
            "typology": data["typologie"],
        }
