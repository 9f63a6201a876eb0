"""What every project ModelAdmin shares: changelists filter only through their own list filters, and tabular
inlines label their fields.

Django admin accepts any lookup on a model's own fields in the query string (`?author_email__startswith=a`,
`?body_text__regex=…`), which reads a hidden field one character at a time. Here a query-string lookup is
allowed only if one of the admin's list filters or its date hierarchy produces it; anything else is a
DisallowedModelAdminLookup, answered with a 400.
"""

from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.db.models.constants import LOOKUP_SEP
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst

# The suffixes Django's field list filters put in their links (exact value, empty, date ranges).
FILTER_SUFFIXES = ("exact", "isnull", "isempty", "gte", "lt")
DATE_HIERARCHY_SUFFIXES = ("year", "month", "day")


def filter_lookups(model, path: str) -> set[str]:
    """The query-string keys a list filter on `path` uses: on a relation, through its target's key only."""
    field = get_fields_from_path(model, path)[-1]
    # AllValuesFieldListFilter puts the bare path in its links.
    lookups = {path} | {f"{path}{LOOKUP_SEP}{suffix}" for suffix in FILTER_SUFFIXES}
    if field.is_relation:
        target = field.target_field.name
        lookups |= {f"{path}{LOOKUP_SEP}{target}{LOOKUP_SEP}exact", f"{path}{LOOKUP_SEP}{target}{LOOKUP_SEP}in"}
    return lookups


class FilterLookupsOnlyMixin:
    """A link to a changelist from another admin page must use the lookups of one of its list filters."""

    def allowed_lookups(self, request) -> set[str]:
        allowed = set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                allowed.add(item.parameter_name)
            else:
                allowed |= filter_lookups(self.model, item[0] if isinstance(item, list | tuple) else item)
        if self.date_hierarchy:
            allowed |= {f"{self.date_hierarchy}{LOOKUP_SEP}{suffix}" for suffix in DATE_HIERARCHY_SUFFIXES}
        return allowed

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if lookup not in self.allowed_lookups(request):
            return False
        return super().lookup_allowed(lookup, value, request)


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's fields named for screen readers: a column header labels no input (axe « label »)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "nouvelle ligne" if index is None else f"ligne {index + 1}"
        for name, field in form.fields.items():
            label = "Supprimer" if name == DELETION_FIELD_NAME else capfirst(field.label or "")
            # A related-field wrapper's attrs are its original widget's, shared by every row: label the inner one.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["aria-label"] = f"{label} ({row})"


class TabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class FrenchTitlesMixin:
    """Page titles in French that agree with the model's noun: Django's « Modification de expérience à
    modérer » becomes « Modifier l'expérience à modérer ». `feminine` gives the noun's gender."""

    feminine = False

    def noun(self, article: str) -> str:
        """The verbose name after « le » (definite) or « un » (indefinite), elided before a vowel."""
        name = str(self.opts.verbose_name)
        if article == "un":
            return f"{'une' if self.feminine else 'un'} {name}"
        if name[:1].lower() in "aàâeéèêiîoôuyh":
            return f"l'{name}"
        return f"{'la' if self.feminine else 'le'} {name}"

    def title_context(self, request) -> dict[str, str]:
        verb = "modifier" if self.has_change_permission(request) else "consulter"
        return {
            "title": f"Choisir {self.noun('un')} à {verb}",
            "add_title": f"Ajouter {self.noun('un')}",
        }

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**self.title_context(request), **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            context["title"] = f"Ajouter {self.noun('un')}"
        else:
            verb = "Modifier" if self.has_change_permission(request, obj) else "Consulter"
            context["title"] = f"{verb} {self.noun('le')}"
        return super().render_change_form(request, context, add, change, form_url, obj)


class ProjectAdminMixin(FilterLookupsOnlyMixin, FrenchTitlesMixin):
    """Put first in every project ModelAdmin's bases."""


class ReadOnlyAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Rows written only by a business step (an import, an audit trail): the admin shows them, changes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OperatorToolAdminMixin:
    """An operator's tool in the admin (a rebuild, a generation): superusers only, rows never added or deleted."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
