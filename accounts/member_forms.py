"""The referent's form to add an agent to a structure of their network, with French labels and messages."""

from django import forms

from structures.models import Role


class MemberForm(forms.Form):
    structure = forms.CharField(
        label="Code SP+ de la structure",
        max_length=10,
        help_text="Le code de la structure, par exemple jmWbxtkHfv (voir la liste des habilitations).",
        error_messages={"required": "Saisissez le code SP+ de la structure."},
    )
    email = forms.EmailField(
        label="Adresse e-mail de l'agent",
        max_length=254,
        help_text="Sans compte à cette adresse, un compte est créé et l'agent reçoit un lien pour choisir son mot "
        "de passe.",
        error_messages={"required": "Saisissez l'adresse e-mail de l'agent.", "invalid": "Adresse e-mail invalide."},
    )
    first_name = forms.CharField(label="Prénom (nouveau compte)", max_length=150, required=False)
    last_name = forms.CharField(label="Nom (nouveau compte)", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Rôle", choices=Role.choices, initial=Role.AGENT, error_messages={"required": "Choisissez un rôle."}
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher", max_length=100, required=False, help_text="Adresse e-mail, nom de structure ou code SP+."
    )
