"""Input parsing and French error messages of the citizens' site: sharing an experience."""

import re

from django import forms

from common.forms import PublicFormMixin
from experiences.forms.countries import country_insee_codes, foreign_countries
from experiences.forms.tracking import TrackingField
from experiences.models import (
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    MAX_TYPOLOGIES,
    TITLE_MAX_LENGTH,
    AuthorType,
    Channel,
    Feeling,
)
from experiences.services.submission import ServiceUsed
from structures.models import Department, Typology
from structures.territories import department_code

OTHER_ORGANISM = "autre"  # the key of the organism the citizen typed, beside the typologies' pks
POSTAL_CODE = re.compile(r"^\d{5}$")


class Residence:
    FRANCE = "france"
    ABROAD = "abroad"
    choices = [(FRANCE, "En France"), (ABROAD, "À l'étranger")]


class ShareExperienceForm(PublicFormMixin, forms.Form):
    title = forms.CharField(
        label="Titre de votre expérience",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Donnez un titre à votre expérience.",
            "max_length": "Le titre compte au plus %(limit_value)d caractères (vous en avez saisi %(show_value)d).",
        },
    )
    description = forms.CharField(
        label="Racontez votre expérience",
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Racontez votre expérience en quelques phrases.",
            "min_length": "Votre récit compte au moins %(limit_value)d caractères (vous en avez saisi %(show_value)d) :"
            " précisez ce qui s'est passé.",
            "max_length": "Votre récit compte au plus %(limit_value)d caractères (vous en avez saisi %(show_value)d).",
        },
    )
    feeling = forms.ChoiceField(
        label="Votre ressenti sur cette expérience",
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez votre ressenti : positif, neutre ou négatif.",
            "invalid_choice": "Choisissez votre ressenti parmi positif, neutre ou négatif.",
        },
    )
    author_type = forms.ChoiceField(
        label="Vous êtes",
        choices=AuthorType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez qui partage cette expérience.",
            "invalid_choice": "Choisissez qui partage cette expérience parmi les propositions.",
        },
    )
    typologies = forms.ModelMultipleChoiceField(
        label="Le ou les services concernés",
        queryset=Typology.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": "Ce service n'existe pas : choisissez-en un parmi les propositions.",
            "invalid_pk_value": "Ce service n'existe pas : choisissez-en un parmi les propositions.",
        },
    )
    organism_name = forms.CharField(
        label="Nom de l'organisme, si vous ne le trouvez pas dans les propositions",
        max_length=200,
        required=False,
        error_messages={"max_length": "Le nom de l'organisme compte au plus %(limit_value)d caractères."},
    )
    residence = forms.ChoiceField(
        label="Vous habitez",
        choices=Residence.choices,
        initial=Residence.FRANCE,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si vous habitez en France ou à l'étranger."},
    )
    postal_code = forms.CharField(label="Code postal", required=False, max_length=10)
    country = forms.ChoiceField(
        label="Pays",
        choices=foreign_countries,
        required=False,
        error_messages={"invalid_choice": "Choisissez votre pays dans la liste."},
    )
    pseudonym = forms.CharField(
        label="Pseudonyme",
        max_length=80,
        error_messages={
            "required": "Choisissez un pseudonyme : il sera affiché avec votre expérience.",
            "max_length": "Le pseudonyme compte au plus %(limit_value)d caractères.",
        },
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail pour être informé de la suite donnée à votre expérience.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        },
    )
    charter = forms.BooleanField(
        label="J'ai lu et j'accepte la charte de modération",
        error_messages={"required": "Acceptez la charte de modération pour partager votre expérience."},
    )
    source = TrackingField()
    campaign = TrackingField()
    arrival_channel = TrackingField()
    # Drawn when the page is first shown and kept across re-renders: a second click sends nothing twice.
    token = TrackingField()
    # Honeypot: hidden from people and assistive technologies; only robots fill it.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in self.submitted_service_keys():
            self.fields[f"channels_{key}"] = forms.MultipleChoiceField(
                choices=Channel.choices,
                required=False,
                error_messages={"invalid_choice": "« %(value)s » n'est pas un moyen de contact de la liste."},
            )
            for channel in Channel.values:
                self.fields[f"feeling_{key}_{channel}"] = forms.ChoiceField(
                    choices=[("", "Sans avis"), *Feeling.choices],
                    required=False,
                    error_messages={"invalid_choice": "Choisissez un ressenti parmi positif, neutre ou négatif."},
                )

    def submitted_service_keys(self) -> list[str]:
        """The services the citizen ticked (pks as typed) and the typed organism, before validation."""
        if not self.is_bound:
            return []
        keys = [pk for pk in dict.fromkeys(self.data.getlist("typologies")) if pk.isdigit()]
        # More than a few ticked boxes is refused anyway; bound the fields a forged post can create.
        return keys[: MAX_TYPOLOGIES * 3] + [OTHER_ORGANISM]

    def clean_postal_code(self) -> str:
        return "".join(self.cleaned_data["postal_code"].split())

    def clean(self):
        cleaned = super().clean()
        self._clean_services(cleaned)
        self._clean_location(cleaned)
        return cleaned

    def _clean_services(self, cleaned: dict) -> None:
        if "typologies" not in cleaned:
            return
        keys = [str(t.pk) for t in cleaned["typologies"]]
        if cleaned.get("organism_name", "").strip():
            keys.append(OTHER_ORGANISM)
        if not keys:
            self.add_error(
                "typologies",
                "Choisissez le service concerné parmi les propositions, ou saisissez le nom de l'organisme.",
            )
        elif len(keys) > MAX_TYPOLOGIES:
            self.add_error(
                "typologies",
                f"Choisissez au plus {MAX_TYPOLOGIES} services (l'organisme saisi compte pour un).",
            )
        for key in keys:
            if f"channels_{key}" in cleaned and not cleaned[f"channels_{key}"]:
                self.add_error(f"channels_{key}", "Indiquez au moins un moyen de contact utilisé avec ce service.")

    def _clean_location(self, cleaned: dict) -> None:
        if cleaned.get("residence") == Residence.ABROAD:
            if not cleaned.get("country") and "country" not in self.errors:
                self.add_error("country", "Choisissez votre pays de résidence.")
            return
        postal_code = cleaned.get("postal_code", "")
        if "postal_code" in self.errors:
            return
        if not postal_code:
            self.add_error("postal_code", "Indiquez votre code postal, par exemple 75011.")
        elif not POSTAL_CODE.match(postal_code):
            self.add_error("postal_code", "Le code postal compte 5 chiffres, par exemple 75011.")
        else:
            cleaned["department"] = (
                Department.objects.select_related("region").filter(code=department_code(postal_code)).first()
            )
            if cleaned["department"] is None:
                self.add_error(
                    "postal_code",
                    f"Le code postal {postal_code} ne correspond à aucun département français. "
                    "Si vous habitez à l'étranger, choisissez « À l'étranger ».",
                )

    def services(self) -> list[ServiceUsed]:
        """The chosen services with their channels, once the form is valid."""
        data = self.cleaned_data
        chosen = [(str(t.pk), t, "") for t in data["typologies"]]
        if data["organism_name"].strip():
            chosen.append((OTHER_ORGANISM, None, data["organism_name"]))
        return [
            ServiceUsed(
                typology=typology,
                organism_name=name,
                channels={c: data.get(f"feeling_{key}_{c}", "") for c in data.get(f"channels_{key}", [])},
            )
            for key, typology, name in chosen
        ]

    def submission(self) -> dict:
        """Keyword arguments of `submit_experience`, once the form is valid."""
        data = self.cleaned_data
        abroad = data["residence"] == Residence.ABROAD
        return {
            "title": data["title"],
            "description": data["description"],
            "feeling": data["feeling"],
            "author_type": data["author_type"],
            "services": self.services(),
            "pseudonym": data["pseudonym"],
            "author_email": data["email"],
            "department": None if abroad else data["department"],
            "postal_code": "" if abroad else data["postal_code"],
            "country": data["country"] if abroad else "FR",
            "country_insee_code": country_insee_codes().get(data["country"], "") if abroad else "",
            "source": data["source"],
            "campaign": data["campaign"],
            "arrival_channel": data["arrival_channel"],
        }

    def service_rows(self, suggested: list[Typology]) -> list[dict]:
        """What the services part shows: suggestions and ticked typologies, then the typed organism.

        Built from the raw data so that nothing typed is lost, even next to an error.
        """
        ticked = self.submitted_service_keys()[:-1]
        extra = [t for t in Typology.objects.filter(pk__in=ticked) if t not in suggested]
        rows = [self._service_row(str(t.pk), t.name, str(t.pk) in ticked) for t in extra + suggested]
        return rows

    def template_row(self) -> dict:
        """The markup model the page's script clones for a suggestion that arrives as the citizen types."""
        return {
            "key": "__KEY__",
            "label": "",
            "checked": False,
            "channels": [{"value": v, "label": n, "checked": False, "feeling": ""} for v, n in Channel.choices],
            "errors": [],
        }

    def other_organism_row(self) -> dict:
        return self._service_row(OTHER_ORGANISM, "l'organisme saisi", True)

    def _service_row(self, key: str, label: str, is_checked: bool) -> dict:
        data = self.data if self.is_bound else {}
        chosen = data.getlist(f"channels_{key}") if data else []
        channels = [
            {
                "value": value,
                "label": name,
                "checked": value in chosen,
                "feeling": data.get(f"feeling_{key}_{value}", ""),
            }
            for value, name in Channel.choices
        ]
        errors = self.errors.get(f"channels_{key}", []) if self.is_bound else []
        feeling_errors = (
            [message for value in Channel.values for message in self.errors.get(f"feeling_{key}_{value}", [])]
            if self.is_bound
            else []
        )
        return {
            "key": key,
            "label": label,
            "checked": is_checked,
            "channels": channels,
            "errors": list(errors) + feeling_errors,
        }
