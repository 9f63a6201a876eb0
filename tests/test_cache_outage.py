"""A Redis outage costs speed, not service: every public page and citizen write still answers, once logged."""

import logging
import socket
import time
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from experiences.author_links import make_evaluation_token
from experiences.models import AuthorEvaluation, Experience, MeToo, ResponseVote
from spplus import cache as degrading_cache
from structures.models import Role
from tests.experiences.test_share import valid_data
from tests.factories import (
    ImprovementActionFactory,
    MembershipFactory,
    ResponseFactory,
    StructureFactory,
    TypologyFactory,
)

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once, as when Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "spplus.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    degrading_cache.outage.is_down, degrading_cache.outage.failed_at = False, 0.0
    yield
    degrading_cache.outage.is_down, degrading_cache.outage.failed_at = False, 0.0


@pytest.fixture
def published_response(db):
    structure = StructureFactory(name="Préfecture du Rhône", code="SP-OUTAGE")
    return ResponseFactory(assignment__structure=structure)


def test_citizen_shares_and_the_experience_is_stored_when_redis_is_down(client, redis_down):
    prefecture = TypologyFactory(name="Préfecture", keywords="préfecture")

    response = client.post("/experiences/partager/", valid_data(prefecture, token="form-token-1"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("experiences:share_done")
    assert Experience.objects.get().title == "Un accueil rapide à la préfecture"


@pytest.mark.parametrize(
    "url_of",
    [
        lambda r: "/",
        lambda r: reverse("experiences:list"),
        lambda r: reverse("experiences:list") + "?sentiment=positive",
        lambda r: r.assignment.experience.get_absolute_url(),
        lambda r: reverse("experiences:structure", kwargs={"code": r.assignment.structure.code}),
        lambda r: reverse("experiences:actions"),
        lambda r: reverse("experiences:share"),
        lambda r: reverse("experience-list"),
        lambda r: reverse("structure-list"),
    ],
    ids=["home", "list", "list-filtered", "detail", "structure", "actions", "share", "api-exp", "api-structures"],
)
def test_public_page_answers_when_redis_is_down(client, redis_down, published_response, url_of):
    ImprovementActionFactory(structure=published_response.assignment.structure)

    assert client.get(url_of(published_response)).status_code == 200


def test_visitor_says_me_too_and_votes_when_redis_is_down(client, redis_down, published_response):
    experience = published_response.assignment.experience

    me_too = client.post(reverse("experiences:me_too", kwargs={"public_id": experience.public_id}))
    vote = client.post(
        reverse("experiences:vote", kwargs={"public_id": experience.public_id, "response_id": published_response.pk}),
        {"avis": "utile"},
    )

    assert (me_too.status_code, vote.status_code) == (302, 302)
    assert MeToo.objects.filter(experience=experience).count() == 1
    assert ResponseVote.objects.filter(response=published_response).count() == 1


def test_author_evaluates_the_answer_when_redis_is_down(client, redis_down, published_response):
    url = reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(published_response)})

    assert client.get(url).status_code == 200
    assert client.post(url, {"avis": "utile"}).status_code in (200, 302)
    assert AuthorEvaluation.objects.filter(response=published_response).exists()


def test_agent_opens_the_dashboard_when_redis_is_down(client, redis_down, published_response):
    agent = MembershipFactory(structure=published_response.assignment.structure, role=Role.AGENT).user
    client.force_login(agent)

    assert client.get(reverse("agents:dashboard")).status_code == 200
    assert client.get(reverse("agents:experiences")).status_code == 200


def test_the_outage_is_logged_once_and_its_end_too(client, redis_down, published_response, caplog):
    with caplog.at_level(logging.WARNING, logger="spplus.cache"):
        for _ in range(3):
            assert client.get(reverse("experiences:list")).status_code == 200
        down = [r.getMessage() for r in caplog.records]
        degrading_cache.outage.answered()
        degrading_cache.outage.answered()

    assert len(down) == 1 and "Cache injoignable" in down[0]
    assert [r.getMessage() for r in caplog.records][1:] == ["Cache de nouveau joignable."]


def test_health_check_still_reports_the_outage(client, redis_down):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503


def test_redis_is_not_asked_again_for_a_few_seconds_after_a_failure(redis_down, monkeypatch):
    default = caches["default"]
    assert default.get("first", "miss") == "miss"
    with patch.object(RedisCache, "get", side_effect=AssertionError("Redis asked")) as asked:
        assert default.get("second", "miss") == "miss"
    assert not asked.called

    monkeypatch.setattr(degrading_cache.outage, "failed_at", time.monotonic() - degrading_cache.RETRY_AFTER_SECONDS)
    with patch.object(RedisCache, "get", return_value="back") as asked:
        assert default.get("third") == "back"
    assert asked.called and degrading_cache.outage.is_down is False
