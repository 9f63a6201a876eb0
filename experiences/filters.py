"""The public list's search and filters: French GET parameter names, parsed into an ExperienceSearch."""

from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from experiences.models import ExperienceStatus, Feeling
from experiences.selectors.search import ExperienceSearch, Sort
from structures.models import Department, Network, Region, Structure, Typology

# French words in the URL, so a shared search reads well; they map to the stored values.
FEELINGS = {"positif": Feeling.POSITIVE, "neutre": Feeling.NEUTRAL, "negatif": Feeling.NEGATIVE}
STATUSES = {
    "en-attente": ExperienceStatus.AWAITING,
    "avec-reponse": ExperienceStatus.ANSWERED,
    "action-engagee": ExperienceStatus.ACTION_ENGAGED,
    "action-realisee": ExperienceStatus.ACTION_DONE,
}
SORTS = {"pertinence": Sort.RELEVANCE, "date": Sort.DATE}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
REFERENTIAL_CACHE_KEY = "experiences:search-filter-choices:v1"
REFERENTIAL_CACHE_SECONDS = 600


class ExperienceSearchForm(forms.Form):
    """Every field is optional; an invalid one is reported and left out, never a server error."""

    q = forms.CharField(label="Rechercher", max_length=200, required=False, strip=True)
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("", "Pertinence si vous cherchez un mot, sinon date"),
            ("pertinence", "Pertinence"),
            ("date", "Date"),
        ],
    )
    reseau = forms.TypedChoiceField(label="Réseau", required=False, coerce=int, empty_value=None)
    organisme = forms.ChoiceField(label="Organisme", required=False)
    structure = forms.CharField(
        label="Structure (code SP+)",
        max_length=10,
        required=False,
        strip=True,
        help_text="Les expériences orientées vers cette structure ou l'une de ses sous-structures.",
    )
    ressenti = forms.ChoiceField(
        label="Ressenti",
        required=False,
        choices=[("", "Tous"), ("positif", "Positif"), ("neutre", "Neutre"), ("negatif", "Négatif")],
    )
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[
            ("", "Tous"),
            ("en-attente", "En attente de réponse"),
            ("avec-reponse", "Avec réponse"),
            ("action-engagee", "Avec action engagée"),
            ("action-realisee", "Avec action réalisée"),
        ],
    )
    region = forms.ChoiceField(label="Région", required=False)
    departement = forms.ChoiceField(label="Département", required=False)
    du = forms.DateField(
        label="Publiées depuis le",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = forms.DateField(
        label="Publiées jusqu'au",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: QueryDict, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        choices = referential_choices()
        self.fields["reseau"].choices = [("", "Tous les réseaux"), *choices["networks"]]
        self.fields["organisme"].choices = [("", "Tous les organismes"), *choices["typologies"]]
        self.fields["region"].choices = [("", "Toutes les régions"), *choices["regions"]]
        self.fields["departement"].choices = [("", "Tous les départements"), *choices["departments"]]
        for field in self.fields.values():
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs.setdefault("class", css)

    def clean_structure(self) -> Structure | None:
        code = self.cleaned_data["structure"]
        if not code:
            return None
        # The exact code uses the unique index; a code typed in another case costs a scan of 15 k rows.
        structure = Structure.objects.filter(code=code).first() or Structure.objects.filter(code__iexact=code).first()
        if structure is None:
            raise forms.ValidationError(f"Aucune structure ne porte le code SP+ « {code} ».")
        return structure

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return cleaned

    def to_search(self) -> ExperienceSearch:
        """The valid part of the query; call after is_valid(), whose errors the page reports."""
        data = self.cleaned_data
        return ExperienceSearch(
            text=data.get("q") or "",
            sort=SORTS.get(data.get("tri") or ""),
            network_id=data.get("reseau"),
            typology_id=_typology_id(data.get("organisme") or ""),
            structure=data.get("structure"),
            feeling=FEELINGS.get(data.get("ressenti") or "", ""),
            status=STATUSES.get(data.get("statut") or "", ""),
            region_code=data.get("region") or "",
            department_code=data.get("departement") or "",
            published_from=data.get("du"),
            published_to=data.get("au"),
        )

    def filter_fields(self) -> list[tuple[forms.BoundField, str]]:
        """The filters with their control's HTML; selects are built here, not by the widget template.

        Django renders a template per <option>: the ~400 options of the referential cost 25–60 ms
        a page, more than the search itself on a million rows.
        """
        fields = []
        for name in ("reseau", "organisme", "structure", "ressenti", "statut", "region", "departement", "du", "au"):
            bound = self[name]
            control = _select_html(bound) if isinstance(bound.field, forms.ChoiceField) else bound.as_widget()
            fields.append((bound, control))
        return fields

    def sort_select(self) -> str:
        return _select_html(self["tri"])

    def active_filters(self, query: QueryDict) -> list[dict]:
        """Each valid, non-empty criterion with the URL of the same search without it."""
        active = []
        for name in self.fields:
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if name == "tri" or value in (None, ""):
                continue
            remaining = query.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            active.append(
                {
                    "label": self.fields[name].label,
                    "value": self._display(name, value),
                    "url": "?" + remaining.urlencode(),
                }
            )
        return active

    def _display(self, name: str, value) -> str:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            for key, label in _flat_choices(field.choices):
                if str(key) == str(value):
                    return label
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return str(value)


def referential_choices() -> dict[str, list]:
    """The select lists, from the referential; cached (the cache is shared by the web replicas).

    Loading them took ~25 ms a page (four queries, 450 rows); a network or typology added in the
    admin shows in the filters within REFERENTIAL_CACHE_SECONDS.
    """
    return cache.get_or_set(REFERENTIAL_CACHE_KEY, _load_referential_choices, REFERENTIAL_CACHE_SECONDS)


def _load_referential_choices() -> dict[str, list]:
    return {
        "networks": list(Network.objects.filter(is_active=True).order_by("name").values_list("pk", "name")),
        "typologies": _typologies_by_network(),
        "regions": list(Region.objects.order_by("name").values_list("code", "name")),
        "departments": [
            (code, f"{code} – {name}") for code, name in Department.objects.order_by("code").values_list("code", "name")
        ],
    }


def _typology_id(code: str) -> int | None:
    # An id, not a join on the code: the planner then knows from the statistics that a typology
    # is rare and reads its few rows (30 ms) instead of walking the date index (3 s, 1 M rows).
    if not code:
        return None
    return Typology.objects.filter(code=code).values_list("pk", flat=True).first()


def _typologies_by_network() -> list:
    """Typologies grouped by network (HTML optgroups), ordered by name."""
    groups: dict[str, list] = {}
    rows = Typology.objects.order_by("network__name", "name").values_list("network__name", "code", "name")
    for network, code, name in rows:
        groups.setdefault(network, []).append((code, name))
    return list(groups.items())


def _select_html(bound: forms.BoundField) -> str:
    # Plain joins of escaped strings: format_html per option cost ~10 ms for the ~450 options.
    value = "" if bound.value() is None else str(bound.value())
    options = []
    for key, label in bound.field.choices:
        if isinstance(label, list | tuple):
            inner = "".join(_option_html(option_key, option_label, value) for option_key, option_label in label)
            options.append(f'<optgroup label="{escape(key)}">{inner}</optgroup>')
        else:
            options.append(_option_html(key, label, value))
    described = f' aria-describedby="{escape(bound.auto_id)}-hint"' if bound.help_text else ""
    # Safe: every value and label is escaped above.
    return mark_safe(
        f'<select class="fr-select" id="{escape(bound.auto_id)}" name="{escape(bound.html_name)}"{described}>'
        f"{''.join(options)}</select>"
    )


def _option_html(key, label, value: str) -> str:
    selected = " selected" if str(key) == value else ""
    return f'<option value="{escape(key)}"{selected}>{escape(label)}</option>'


def _flat_choices(choices) -> list:
    flat = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat
