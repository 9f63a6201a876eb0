"""Read queries of advice and news: search and filters, the few shown beside an experience, the latest news."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from common.french_text import MIN_STEM, STOP_WORDS, fold, stem
from content.models import Advice, NewsArticle

# The text search configuration experiences use (unaccent + french_stem), created by their migrations.
SEARCH_CONFIG = "public.french_unaccent"
ADVICE_BESIDE_EXPERIENCE = 3
HOME_NEWS = 3
CARD_FIELDS = ("title", "slug", "summary", "theme")


@dataclass(frozen=True)
class AdviceSearch:
    text: str = ""
    theme: str = ""
    typology_id: int | None = None
    network_id: int | None = None


def search_advice(search: AdviceSearch) -> QuerySet[Advice]:
    """Published advice matching every criterion: by relevance when there are words, else by title."""
    advice = Advice.objects.published().only(*CARD_FIELDS)
    if search.theme:
        advice = advice.filter(theme=search.theme)
    if search.typology_id:
        advice = advice.filter(typologies=search.typology_id)
    if search.network_id:
        advice = advice.filter(networks=search.network_id)
    if search.text.strip():
        return _matching(advice, search.text)
    return advice.order_by("title")


def _matching(advice: QuerySet[Advice], text: str) -> QuerySet[Advice]:
    if connection.vendor == "sqlite":
        return advice.filter(_sqlite_condition(text)).order_by("title")
    # A few hundred rows: the vector is computed on the fly, no stored column or index needed.
    vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "summary", "body", weight="B", config=SEARCH_CONFIG
    )
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    # ts_rank gives non-matches a tiny positive rank: the match itself filters.
    return (
        advice.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank", "title")
    )


def _sqlite_condition(text: str) -> Q:
    """Every word found in the folded text, as a prefix of its light stem, stop words left out (make run)."""
    words = [word.strip(".,;:!?«»\"'()") for word in fold(text).split()]
    words = [word for word in words if word and word not in STOP_WORDS]
    if not words:
        return Q(pk__in=[])  # only stop words or punctuation: nothing, as on PostgreSQL
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=stem(word) if len(word) >= MIN_STEM else word)
    return condition


def advice_for_typologies(typology_ids) -> list[Advice]:
    """Up to three published pieces of advice for these typologies (ids, or a query of them), in one query."""
    if isinstance(typology_ids, list) and not typology_ids:
        return []  # the share form before any service is known: no query
    matching = Advice.objects.published().filter(typologies__in=typology_ids).values("pk")
    return list(Advice.objects.filter(pk__in=matching).only(*CARD_FIELDS).order_by("title")[:ADVICE_BESIDE_EXPERIENCE])


def published_news() -> QuerySet[NewsArticle]:
    return NewsArticle.objects.published().order_by("-published_at", "-pk")


def latest_news() -> list[NewsArticle]:
    return list(published_news()[:HOME_NEWS])
