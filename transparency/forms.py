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
