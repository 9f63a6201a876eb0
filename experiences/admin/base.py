"""What the experiences' admin classes share: changelists over million-row tables, search by public id,
list filters with a default choice.

Most of these tables grow to a million rows, so their changelists never count the whole table, never
compute facets, sort on the primary key and never render a foreign key to a big table as a <select>.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.text import Truncator

from common.admin import ProjectAdminMixin

from ..models import PUBLIC_ID_MAX

# Below this many rows an exact count is cheap enough, and it is exact.
ESTIMATE_COUNTS_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered big table from PostgreSQL's statistics instead of scanning a million rows."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if getattr(queryset, "query", None) is not None and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # reltuples is -1 for a table never analysed: fall back to counting.
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_COUNTS_ABOVE:
                    return row[0]
        return super().count


def is_public_id(term: str) -> bool:
    return term.isascii() and term.isdigit() and len(term) <= len(str(PUBLIC_ID_MAX))


class PublicIdSearchMixin:
    """A search made only of digits finds rows by their experience's public id, through its unique index.

    Any other term searches `search_fields`; an admin without text fields finds nothing for it rather
    than casting every public id to text. `public_id_lookup` says where that id is from this model.
    """

    public_id_lookup = "experience__public_id"
    search_help_text = "Un identifiant d'expérience (6 ou 7 chiffres) retrouve ses lignes."

    def get_search_fields(self, request):
        # Non-empty, so the search box shows even on an admin without text fields.
        return self.search_fields or (self.public_id_lookup,)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if is_public_id(term):
            return queryset.filter(**{self.public_id_lookup: int(term)}), False
        if not self.search_fields:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class BigTableAdmin(ProjectAdminMixin, PublicIdSearchMixin, admin.ModelAdmin):
    """A changelist over a table that may hold a million rows: no full count, no facets, primary key order."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    # Primary key order is submission order and walks the primary key index.
    ordering = ("-pk",)
    list_per_page = 50


def excerpt(text: str, length: int = 80) -> str:
    return Truncator(text).chars(length)


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter that is never « Tous »: without a choice in the URL it applies `default`."""

    default = ""
    field = ""

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()})
