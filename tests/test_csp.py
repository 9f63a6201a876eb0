"""Every page carries a Content-Security-Policy that refuses inline scripts and any other origin."""

import pytest
from django.urls import reverse

from experiences.models import ModerationState
from tests import factories as f

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def _assert_strict(response) -> None:
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.parametrize("url_name", ["experiences:home", "experiences:share", "experiences:list", "agents:login"])
def test_visitor_gets_a_policy_refusing_inline_scripts(client, url_name):
    _assert_strict(client.get(reverse(url_name)))


def test_agent_gets_a_policy_refusing_inline_scripts_on_the_dashboard(client, agent):
    client.force_login(agent)
    _assert_strict(client.get(reverse("agents:dashboard")))


def test_moderator_gets_a_policy_refusing_inline_scripts_in_the_admin(client, moderator):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    client.force_login(moderator)
    _assert_strict(client.get(reverse("admin:experiences_experiencetomoderate_change", args=[experience.pk])))
