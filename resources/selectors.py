"""Reads of the agents' resources and FAQ: what each agent may see, and one French search over both."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from experiences import sqlite_search
from structures.models import Structure
from structures.permissions import sees_everything

from .models import FaqEntry, Resource, Theme

# The experiences' text search configuration (experiences migrations): unaccent + French stemming.
SEARCH_CONFIG = "public.french_unaccent"


@dataclass(frozen=True)
class ResourceSearch:
    """What an agent asks for in « Ressources et FAQ »; both criteria optional."""

    text: str = ""
    theme: Theme | None = None


def resources_for(user) -> QuerySet[Resource]:
    """Published resources for every network, and those of the networks the user has a membership in."""
    resources = Resource.objects.published()
    if sees_everything(user):
        return resources
    through = Resource.networks.through.objects.filter(resource=OuterRef("pk"))
    own_networks = Structure.objects.filter(memberships__user=user).values("network_id")
    return resources.filter(~Exists(through) | Exists(through.filter(network_id__in=own_networks)))


def published_faq() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).select_related("theme")


def search_resources(user, search: ResourceSearch) -> QuerySet[Resource]:
    resources = resources_for(user)
    if search.theme is not None:
        resources = resources.filter(themes=search.theme)
    resources = resources.prefetch_related("themes")
    if not search.text:
        return resources.order_by("title", "pk")
    return _matching(resources, search.text, title="title", texts=("summary", "body"))


def search_faq(search: ResourceSearch) -> QuerySet[FaqEntry]:
    entries = published_faq()
    if search.theme is not None:
        entries = entries.filter(theme=search.theme)
    if not search.text:
        return entries
    return _matching(entries, search.text, title="question", texts=("answer",))


def themes_in_use() -> QuerySet[Theme]:
    """The themes a filter can offer: those holding a published resource or question."""
    published = Q(resources__is_published=True) | Q(faq_entries__is_published=True)
    return Theme.objects.filter(published).distinct()


def _matching(rows: QuerySet, text: str, *, title: str, texts: tuple[str, ...]) -> QuerySet:
    """Rows whose title or texts hold every word, most relevant first (title words weigh more)."""
    if connection.vendor == "sqlite":
        return _sqlite_matching(rows, text, title=title, texts=texts)
    # A few hundred rows at most: the vector is computed per query, no stored column nor index is worth it.
    document = SearchVector(title, weight="A", config=SEARCH_CONFIG) + SearchVector(
        *texts, weight="B", config=SEARCH_CONFIG
    )
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return (
        rows.annotate(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")
    )


def _sqlite_matching(rows: QuerySet, text: str, *, title: str, texts: tuple[str, ...]) -> QuerySet:
    """`make run`'s SQLite: the FTS5 fallback's folding, stop words and stems, applied in Python to these few rows."""
    words = [w for w in sqlite_search.TOKEN.findall(sqlite_search.fold(text)) if w not in sqlite_search.STOP_WORDS]
    if not words:
        return rows.none()
    ranked = []
    for pk, *values in rows.order_by().values_list("pk", title, *texts):
        title_words = _folded_words(values[0])
        all_words = title_words | _folded_words(" ".join(values[1:]))
        if all(_found(word, all_words) for word in words):
            ranked.append((-sum(_found(word, title_words) for word in words), pk))
    order = [pk for _, pk in sorted(ranked)]
    return _in_order(rows, order)


def _in_order(rows: QuerySet, pks: list[int]) -> QuerySet:
    if not pks:
        return rows.none()
    position = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(pks)], output_field=IntegerField())
    return rows.filter(pk__in=pks).annotate(search_order=position).order_by("search_order")


def _folded_words(text: str) -> set[str]:
    return set(sqlite_search.TOKEN.findall(sqlite_search.fold(text or "")))


def _found(word: str, words: set[str]) -> bool:
    # Short words match exactly, longer ones by the stem's prefix, as the FTS5 fallback does.
    if len(word) < sqlite_search.MIN_STEM:
        return word in words
    stem = sqlite_search.stem(word)
    return any(candidate.startswith(stem) for candidate in words)
